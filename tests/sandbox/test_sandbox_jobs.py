"""The sandbox's job store is bounded: the oldest finished jobs are forgotten first, a queued or
running job never is, run counts follow without a scan, and a forgotten id is just unknown."""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.errors import InvalidOptionError
from oauth_debug.sandbox import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    WORKFLOWS,
    SandboxApp,
    SandboxConfig,
    create_app,
)
from oauth_debug.sandbox.jobs import JobStore, status_at

NOW = 1_700_000_000.0
HOST = "sandbox.test"


class Clock:
    """A settable clock: the store's idea of "now" moves only when a test moves it."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _submit(store: JobStore, workflow_index: int = 0) -> str:
    return store.submit(WORKFLOWS[workflow_index], [("text", "a b a")], 0).id


def test_the_oldest_finished_job_goes_first_and_an_unfinished_one_never() -> None:
    clock = Clock(0.0)
    store = JobStore(clock, job_seconds=10.0, max_jobs=3)
    a, b, c = _submit(store), _submit(store), _submit(store)  # created at 0, 0 and 0
    clock.now = 5.0
    d = _submit(store)  # over the bound, but a, b and c are still running: nothing goes
    assert [job.id for job in store.all()] == [a, b, c, d]
    clock.now = 10.0  # a, b and c have just completed, d (created at 5) runs until 15
    e = _submit(store)
    assert [job.id for job in store.all()] == [c, d, e]  # a and b forgotten, oldest first
    clock.now = 14.9
    f = _submit(store)  # c has finished: it goes
    assert [job.id for job in store.all()] == [d, e, f]
    g = _submit(store)  # d is the oldest but still running: kept, over the bound
    assert [job.id for job in store.all()] == [d, e, f, g]
    clock.now = 15.0
    h = _submit(store)  # d has finished now and goes; e (created at 10) runs until 20
    assert [job.id for job in store.all()] == [e, f, g, h]
    assert all(store.get(gone) is None for gone in (a, b, c, d))


def test_eviction_follows_creation_time_even_when_the_clock_went_back() -> None:
    clock = Clock(100.0)
    store = JobStore(clock, job_seconds=1.0, max_jobs=2)
    late = _submit(store)
    clock.now = 50.0  # a test's clock may move back: this job is older than the first
    early = _submit(store)
    clock.now = 200.0
    newest = _submit(store)
    assert store.get(early) is None  # the job created earliest went, not the one added first
    assert [job.id for job in store.all()] == [late, newest]


def test_the_bound_holds_over_many_finished_jobs() -> None:
    store = JobStore(Clock(), job_seconds=0.0, max_jobs=5)
    ids = [_submit(store, n % len(WORKFLOWS)) for n in range(40)]
    assert [job.id for job in store.all()] == ids[-5:]
    assert len(store) == 5


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(st.integers(0, len(WORKFLOWS) - 1), st.floats(0.0, 6.0)),
        min_size=1,
        max_size=60,
    ),
    st.integers(1, 6),
)
def test_store_invariants_under_any_sequence(steps: list[tuple[int, float]], bound: int) -> None:
    clock = Clock(0.0)
    job_seconds = 4.0
    store = JobStore(clock, job_seconds=job_seconds, max_jobs=bound)
    submitted = []
    for workflow_index, step in steps:
        clock.now += step
        submitted.append(store.submit(WORKFLOWS[workflow_index], [], 0))
        kept = store.all()
        kept_ids = {job.id for job in kept}
        unfinished = {
            j.id for j in submitted if status_at(j, clock.now, job_seconds) != "Completed"
        }
        # Counts and per-workflow lists agree with the jobs kept, though neither scans them.
        assert store.run_counts() == dict(Counter(job.app_id for job in kept))
        for workflow in WORKFLOWS:
            assert store.for_workflow(workflow.id) == [j for j in kept if j.app_id == workflow.id]
        # A queued or running job is never forgotten; beyond them, the bound holds.
        assert unfinished <= kept_ids
        assert len(kept) <= max(bound, len(unfinished))
        # Every forgotten job is at least as old as every finished job kept (the clock only moves
        # forward here; a clock moving back has its own test above).
        gone = [job.created for job in submitted if job.id not in kept_ids]
        finished_kept = [job.created for job in kept if job.id not in unfinished]
        if gone and finished_kept:
            assert max(gone) <= min(finished_kept)


def test_config_refuses_a_bound_below_one() -> None:
    with pytest.raises(InvalidOptionError, match="max_jobs"):
        SandboxConfig(max_jobs=0)
    assert SandboxConfig().max_jobs == 10_000


# ---- through the app ---------------------------------------------------------------------


def _call(
    app: SandboxApp, method: str, path: str, nonce: str, body: bytes = b""
) -> tuple[int, Any]:
    """One signed request through the WSGI app, as the built-in server would make it."""
    headers = {"Content-Type": "application/json"} if body else {}
    request = HttpRequest(method, f"http://{HOST}/gallery/api/v1/{path}", headers, body or None)
    signed = sign_at(
        request, Credentials(DEMO_API_KEY, DEMO_API_SECRET), timestamp=int(NOW), nonce=nonce
    ).signed_request
    assert signed is not None
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": "/gallery/api/v1/" + path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "HTTP_HOST": HOST,
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in signed.headers:
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    answer = b"".join(app(environ, start_response))
    return int(statuses[0].split()[0]), json.loads(answer)


def _run(app: SandboxApp, workflow_id: str, nonce: str) -> str:
    body = json.dumps({"questions": [{"name": "text", "value": "x"}]}).encode()
    status, job = _call(app, "POST", f"workflows/{workflow_id}/jobs/", nonce, body)
    assert status == 200, job
    return str(job["id"])


def test_run_counts_and_job_lists_are_right_after_eviction() -> None:
    app = create_app(SandboxConfig(clock=lambda: NOW, job_seconds=0.0, max_jobs=4))
    first, second, third = (w.id for w in WORKFLOWS)
    order = [first, first, second, first, third, second, second]  # the first three are forgotten
    ids = [_run(app, workflow_id, f"run{n}") for n, workflow_id in enumerate(order)]
    status, listed = _call(app, "GET", "workflows/subscription/", "list")
    assert status == 200
    assert {w["id"]: w["runCount"] for w in listed} == {first: 1, second: 2, third: 1}
    status, jobs = _call(app, "GET", f"workflows/{second}/jobs/", "jobs")
    assert [job["id"] for job in jobs] == [ids[6], ids[5]]  # newest first; ids[2] is gone


def test_an_evicted_job_answers_404_as_an_unknown_one_does() -> None:
    app = create_app(SandboxConfig(clock=lambda: NOW, job_seconds=0.0, max_jobs=1))
    words = WORKFLOWS[0].id
    evicted = _run(app, words, "first")
    _run(app, words, "second")
    never = "0" * 24
    for path in ("jobs/{}/", "jobs/{}/output/0000000000000000/"):
        gone = _call(app, "GET", path.format(evicted), f"gone{path}")
        unknown = _call(app, "GET", path.format(never), f"unknown{path}")
        assert gone[0] == unknown[0] == 404
        assert gone[1] == {"message": f"No job with id {evicted!r}."}
        assert unknown[1] == {"message": f"No job with id {never!r}."}
