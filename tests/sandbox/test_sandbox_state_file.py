"""The sandbox's state file: two apps on one file behave as one sandbox (as gunicorn's workers
do), jobs survive a restart, the job bound holds as in memory, and without a file it says so."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_calls import BASE, WORDS, Clock, call, environ_of, run_job, signed

from oauth_debug import HttpRequest
from oauth_debug.sandbox import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    IN_MEMORY,
    WORKFLOWS,
    SandboxApp,
    SandboxConfig,
    create_app,
)
from oauth_debug.sandbox.jobs import JobStore
from oauth_debug.sandbox.state import SQLiteJobStore, open_state
from oauth_debug.server import SQLiteNonces


def two_workers(path: Path, clock: Clock, **options: Any) -> tuple[SandboxApp, SandboxApp]:
    config = SandboxConfig(clock=clock, **options)
    return create_app(config, state=path), create_app(config, state=path)


def test_a_nonce_used_on_one_worker_is_refused_by_the_other(tmp_path: Path) -> None:
    clock = Clock()
    one, other = two_workers(tmp_path / "state.sqlite", clock)
    assert isinstance(one.state.nonces, SQLiteNonces)
    request = signed("GET", f"{BASE}/workflows/subscription/", "shared-nonce", clock)
    assert call(one, request)[0] == 200
    status, body = call(other, request)
    assert status == 401 and body["diagnosis"]["refused_because"]["check"] == "nonce"
    assert body["diagnosis"]["verdict"] == "valid"  # the signature was right: a replay


def test_jobs_are_shared_unique_and_survive_a_restart(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "state.sqlite"
    one, other = two_workers(path, clock, job_seconds=2.0)
    ids = [run_job(app, f"job-{n}", clock)[1]["id"] for n, app in enumerate([one, other] * 3)]
    assert len(set(ids)) == 6 and all(len(job_id) == 24 for job_id in ids)
    for app in (one, other):
        assert [job.id for job in app.state.jobs.for_workflow(WORDS)] == ids
    clock.now += 5  # every job completes
    restarted = create_app(SandboxConfig(clock=clock, job_seconds=2.0), state=path)
    status, job = call(restarted, signed("GET", f"{BASE}/jobs/{ids[3]}/", "after-restart", clock))
    assert status == 200 and job["id"] == ids[3] and job["status"] == "Completed"
    output = job["outputs"][0]["id"]
    url = f"{BASE}/jobs/{ids[3]}/output/{output}/?format=Raw"
    seen: list[str] = []
    raw = b"".join(
        restarted(
            environ_of(signed("GET", url, "output", clock)), lambda s, h, e=None: seen.append(s)
        )
    )
    assert seen == ["200 OK"] and b"words" in raw
    # A restarted sandbox does not reuse an id: AUTOINCREMENT never hands one out twice.
    assert run_job(restarted, "job-after", clock)[1]["id"] not in ids


def test_the_state_file_keeps_the_job_bound(tmp_path: Path) -> None:
    clock = Clock()
    one, other = two_workers(tmp_path / "state.sqlite", clock, job_seconds=2.0, max_jobs=2)
    first = run_job(one, "a", clock)[1]["id"]
    second = run_job(other, "b", clock)[1]["id"]
    third = run_job(one, "c", clock)[1]["id"]  # all unfinished: none is forgotten
    assert len(other.state.jobs) == 3
    clock.now += 3
    fourth = run_job(other, "d", clock)[1]["id"]  # now the two oldest finished ones go
    assert [job.id for job in one.state.jobs.all()] == [third, fourth]
    assert one.state.jobs.get(first) is None and other.state.jobs.get(second) is None
    assert one.state.jobs.run_counts() == {WORDS: 2}


def test_an_oauth2_token_from_one_worker_works_on_the_other(tmp_path: Path) -> None:
    clock = Clock()
    one, other = two_workers(tmp_path / "state.sqlite", clock)
    form = f"grant_type=client_credentials&client_id={DEMO_CLIENT_ID}"
    form += f"&client_secret={DEMO_CLIENT_SECRET}"
    token_request = HttpRequest(
        "POST",
        "http://sandbox.test/webapi/oauth2/token",
        headers=(("Content-Type", "application/x-www-form-urlencoded"),),
        body=form.encode(),
    )
    status, issued = call(one, token_request)
    assert status == 200
    bearer = (("Authorization", f"Bearer {issued['access_token']}"),)
    listing = HttpRequest("GET", "http://sandbox.test/webapi/v1/workflows/subscription/", bearer)
    assert call(other, listing)[0] == 200
    raw = (tmp_path / "state.sqlite").read_bytes()
    assert issued["access_token"].encode() not in raw  # only a hash of the token is kept


def test_without_a_state_file_the_sandbox_says_its_state_is_in_memory(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    with caplog.at_level(logging.WARNING, logger="oauth_debug.sandbox"):
        app = create_app()
    assert isinstance(app.state.jobs, JobStore)
    assert [r.getMessage() for r in caplog.records] == [f"sandbox {IN_MEMORY}"]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="oauth_debug.sandbox"):
        create_app(state=tmp_path / "state.sqlite")
    assert caplog.records == []


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(st.tuples(st.sampled_from(range(len(WORKFLOWS))), st.floats(0, 3)), max_size=12),
    max_jobs=st.integers(1, 4),
)
def test_the_file_store_keeps_what_the_memory_store_keeps(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[int, float]], max_jobs: int
) -> None:
    """Same submissions, same clock: the same jobs (bar their ids' counters) in the same order."""
    clock = Clock()
    memory = JobStore(clock, 2.0, max_jobs)
    path = tmp_path_factory.mktemp("jobs") / "state.sqlite"
    workflows = {w.id: w for w in WORKFLOWS}
    on_file = SQLiteJobStore(open_state(path), workflows, clock, 2.0, max_jobs)
    for index, wait in steps:
        clock.now += wait
        for store in (memory, on_file):
            store.submit(WORKFLOWS[index], [], 0)

    def kept(store: JobStore | SQLiteJobStore) -> list[tuple[str, float]]:
        return [(job.app_id, job.created) for job in store.all()]

    assert kept(on_file) == kept(memory)
    assert on_file.run_counts() == memory.run_counts()
