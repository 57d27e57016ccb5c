"""Load: 20 threads run jobs at once against one sandbox, replaying some requests on purpose.

Bounded in count (at most ``ROUNDS`` rounds per thread) and time (``SECONDS`` of wall clock, then
every thread stops after its current round); nothing here asserts on speed (bench/load_sandbox.py
measures that). What must hold under concurrency: no 5xx, every accepted job exists exactly once
in the sandbox, and every replayed request is refused, so no replay ever creates a job.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import requests
from requests_oauthlib import OAuth1

from oauth_debug.sandbox import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    RunningServer,
    SandboxApp,
    SandboxConfig,
    create_app,
    serve_in_background,
)

THREADS = 20
ROUNDS = 10
SECONDS = 1.5
WORDS = "5c2d9a1e0b7f4a0001a1b2c3"
TIMEOUT = 10


@dataclass
class Tally:
    """What one client thread saw."""

    job_ids: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    replays: list[tuple[int, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def sandbox() -> Iterator[tuple[SandboxApp, RunningServer]]:
    app = create_app(SandboxConfig(job_seconds=0.0))
    with serve_in_background(app, host="127.0.0.1", port=0) as server:
        yield app, server


def client(server: RunningServer, number: int, start: threading.Barrier, tally: Tally) -> None:
    session = requests.Session()
    auth = OAuth1(DEMO_API_KEY, DEMO_API_SECRET, signature_type="auth_header")
    jobs_url = f"{server.base_url}/api/v1/workflows/{WORDS}/jobs/"
    try:
        start.wait(timeout=TIMEOUT)
        deadline = time.monotonic() + SECONDS
        for round_ in range(ROUNDS):
            if time.monotonic() > deadline:
                break
            body = {"questions": [{"name": "text", "value": f"thread {number} round {round_}"}]}
            run = session.prepare_request(requests.Request("POST", jobs_url, json=body, auth=auth))
            answer = session.send(run, timeout=TIMEOUT)
            tally.statuses.append(answer.status_code)
            if answer.status_code == 200:
                tally.job_ids.append(answer.json()["id"])
                status = session.get(
                    f"{server.base_url}/api/v1/jobs/{tally.job_ids[-1]}/",
                    auth=auth,
                    timeout=TIMEOUT,
                )
                tally.statuses.append(status.status_code)
            if round_ % 3 == 0:
                # The very same signed POST again: a replay, which must never run a second job.
                again = session.send(run, timeout=TIMEOUT)
                tally.statuses.append(again.status_code)
                tally.replays.append((again.status_code, again.json().get("message", "")))
    except Exception as error:  # reported, and failed on, by the test itself
        tally.errors.append(repr(error))
    finally:
        session.close()


def test_twenty_threads_no_5xx_no_lost_or_duplicated_job_every_replay_refused(
    sandbox: tuple[SandboxApp, RunningServer],
) -> None:
    app, server = sandbox
    start = threading.Barrier(THREADS)
    tallies = [Tally() for _ in range(THREADS)]
    threads = [
        threading.Thread(target=client, args=(server, n, start, tallies[n]), daemon=True)
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 4 * TIMEOUT)
    assert not any(thread.is_alive() for thread in threads)
    assert [error for tally in tallies for error in tally.errors] == []

    statuses = [status for tally in tallies for status in tally.statuses]
    assert statuses and all(status < 500 for status in statuses)
    client_ids = [job_id for tally in tallies for job_id in tally.job_ids]
    assert len(client_ids) >= THREADS  # every thread ran at least one job
    assert len(set(client_ids)) == len(client_ids)  # no id handed out twice
    server_ids = [job.id for job in app.state.jobs.all()]
    assert sorted(server_ids) == sorted(client_ids)  # none lost, none extra (no replay ran)

    replays = [replay for tally in tallies for replay in tally.replays]
    assert len(replays) >= THREADS
    assert all(status == 401 and "already been used" in text for status, text in replays)
    assert app.state.refusals == {"nonce": len(replays)}
    assert 500 not in app.state.statuses
