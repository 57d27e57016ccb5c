"""The sandbox under gunicorn with 4 worker processes sharing one state file, and 30 clients.

On main before the state file, 4 workers each kept their own nonces and jobs: replays reached a
worker that had not seen the nonce and were accepted, job ids were handed out twice, and a listing
showed only the jobs of the worker that answered it. Bounded in time (``SECONDS`` of load) and
count (``ROUNDS`` per client); bench/load_sandbox.py runs the long version and prints the figures.
Nothing here asserts on speed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from requests_oauthlib import OAuth1

from oauth_debug.sandbox import DEMO_API_KEY, DEMO_API_SECRET

CLIENTS = 30
WORKERS = 4
ROUNDS = 12
SECONDS = 3.0
LISTINGS = 12
WORDS = "5c2d9a1e0b7f4a0001a1b2c3"
TIMEOUT = 30
ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[str]:
    """``gunicorn -w 4`` serving the sandbox with a state file in tmp_path; its base URL."""
    assert GUNICORN.exists() or shutil.which("gunicorn"), "gunicorn is a test dependency"
    port = _free_port()
    state = tmp_path / "sandbox.sqlite"
    command = [
        str(GUNICORN if GUNICORN.exists() else shutil.which("gunicorn")),
        "-w",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        f"oauth_debug.sandbox:create_app(state={str(state)!r})",
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=log, stderr=log)
    try:
        give_up = time.monotonic() + TIMEOUT
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
                assert time.monotonic() < give_up, "gunicorn did not start"
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/gallery"
    finally:
        process.terminate()
        try:
            process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(TIMEOUT)
        log.close()


@dataclass
class Tally:
    statuses: list[int] = field(default_factory=list)
    job_ids: list[str] = field(default_factory=list)
    replays: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _client(base: str, number: int, start: threading.Barrier, tally: Tally) -> None:
    auth = OAuth1(DEMO_API_KEY, DEMO_API_SECRET, signature_type="auth_header")
    url = f"{base}/api/v1/workflows/{WORDS}/jobs/"
    try:
        with requests.Session() as session:
            start.wait(timeout=TIMEOUT)
            deadline = time.monotonic() + SECONDS
            for round_ in range(ROUNDS):
                if time.monotonic() > deadline:
                    break
                body = {"questions": [{"name": "text", "value": f"client {number} {round_}"}]}
                run = session.prepare_request(requests.Request("POST", url, json=body, auth=auth))
                answer = session.send(run, timeout=TIMEOUT)
                tally.statuses.append(answer.status_code)
                if answer.status_code == 200:
                    tally.job_ids.append(answer.json()["id"])
                if round_ % 2 == 0:  # the same signed POST again, most likely to another worker
                    again = session.send(run, timeout=TIMEOUT)
                    tally.statuses.append(again.status_code)
                    tally.replays.append(again.status_code)
    except Exception as error:  # failed on by the test, with the error shown
        tally.errors.append(repr(error))


def test_four_workers_share_nonces_and_jobs(gunicorn: str) -> None:
    start = threading.Barrier(CLIENTS)
    tallies = [Tally() for _ in range(CLIENTS)]
    threads = [
        threading.Thread(target=_client, args=(gunicorn, n, start, tallies[n]), daemon=True)
        for n in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 8 * TIMEOUT)
    assert not any(thread.is_alive() for thread in threads)
    assert [error for tally in tallies for error in tally.errors] == []

    statuses = [status for tally in tallies for status in tally.statuses]
    assert statuses and [status for status in statuses if status >= 500] == []
    replays = [status for tally in tallies for status in tally.replays]
    assert len(replays) >= CLIENTS and set(replays) == {401}  # 0 replayed nonces accepted
    created = [job_id for tally in tallies for job_id in tally.job_ids]
    assert len(created) >= CLIENTS
    assert len(set(created)) == len(created)  # no job id handed out twice

    auth = OAuth1(DEMO_API_KEY, DEMO_API_SECRET)
    for _ in range(LISTINGS):  # whichever worker answers, it lists every job exactly once
        with requests.Session() as session:
            listing = session.get(f"{gunicorn}/api/v1/workflows/{WORDS}/jobs/", auth=auth)
        assert listing.status_code == 200
        listed = [job["id"] for job in listing.json()]
        assert sorted(listed) == sorted(created)
