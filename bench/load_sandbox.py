"""How much load does one sandbox take? Threads run Gallery jobs against it over loopback.

Starts a sandbox on a free 127.0.0.1 port in this process, then THREADS client threads (each with
its own requests.Session and requests-oauthlib in header mode) repeat, until SECONDS have passed
or each has done ROUNDS rounds: run a job (POST), read it back (GET), and every third round
replay the same signed POST (which the sandbox must refuse). Prints requests per second, the
p50/p99 latency of each kind of call, the jobs created and the replays refused, and checks that
no job was lost or duplicated. Figures depend on the machine; compare them only within one run.

    .venv/bin/python bench/load_sandbox.py [threads] [seconds] [rounds]
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial

import requests
from requests_oauthlib import OAuth1

from oauth_debug.sandbox import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    RunningServer,
    SandboxConfig,
    create_app,
    serve_in_background,
)

WORDS = "5c2d9a1e0b7f4a0001a1b2c3"
TIMEOUT = 10.0


class Results:
    """Latencies by kind of call, job ids and replay outcomes, gathered from every thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[int, int] = defaultdict(int)
        self.job_ids: list[str] = []
        self.replays_refused = 0
        self.replays_accepted = 0
        self.errors: list[str] = []

    def record(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.statuses[status] += 1


def timed(results: Results, kind: str, call: Callable[[], requests.Response]) -> requests.Response:
    start = time.perf_counter()
    response = call()
    results.record(kind, time.perf_counter() - start, response.status_code)
    return response


def worker(
    server: RunningServer,
    number: int,
    rounds: int,
    deadline: list[float],
    start: threading.Barrier,
    results: Results,
) -> None:
    session = requests.Session()
    auth = OAuth1(DEMO_API_KEY, DEMO_API_SECRET, signature_type="auth_header")
    url = f"{server.base_url}/api/v1/workflows/{WORDS}/jobs/"
    try:
        start.wait(timeout=TIMEOUT)
        for round_ in range(rounds):
            if time.monotonic() > deadline[0]:
                break
            body = {"questions": [{"name": "text", "value": f"load {number} {round_}"}]}
            run = session.prepare_request(requests.Request("POST", url, json=body, auth=auth))
            answer = timed(results, "run job (POST)", partial(session.send, run, timeout=TIMEOUT))
            if answer.status_code == 200:
                job_id = answer.json()["id"]
                with results.lock:
                    results.job_ids.append(job_id)
                timed(
                    results,
                    "job status (GET)",
                    partial(
                        session.get,
                        f"{server.base_url}/api/v1/jobs/{job_id}/",
                        auth=auth,
                        timeout=TIMEOUT,
                    ),
                )
            if round_ % 3 == 0:
                again = timed(results, "replay (401)", partial(session.send, run, timeout=TIMEOUT))
                with results.lock:
                    if again.status_code == 401:
                        results.replays_refused += 1
                    else:
                        results.replays_accepted += 1
    except Exception as error:
        with results.lock:
            results.errors.append(repr(error))
    finally:
        session.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main(threads: int = 20, seconds: float = 3.0, rounds: int = 200) -> int:
    app = create_app(SandboxConfig(job_seconds=0.0))
    results = Results()
    with serve_in_background(app, host="127.0.0.1", port=0) as server:
        start = threading.Barrier(threads + 1)
        deadline = [0.0]
        pool = [
            threading.Thread(
                target=worker,
                args=(server, n, rounds, deadline, start, results),
                daemon=True,
            )
            for n in range(threads)
        ]
        for thread in pool:
            thread.start()
        deadline[0] = time.monotonic() + seconds
        began = time.perf_counter()
        start.wait(timeout=TIMEOUT)
        for thread in pool:
            thread.join(timeout=seconds + 4 * TIMEOUT)
        elapsed = time.perf_counter() - began
    total = sum(len(values) for values in results.latency.values())
    print(
        f"sandbox load: {threads} threads, {elapsed:.2f} s, loopback, requests-oauthlib header mode"
    )
    statuses = dict(results.statuses)
    print(f"  requests: {total}  ({total / elapsed:.0f} per second)  statuses: {statuses}")
    for kind, values in results.latency.items():
        print(
            f"  {kind:17s} n={len(values):5d}  p50 {1000 * statistics.median(values):6.1f} ms"
            f"  p99 {1000 * percentile(values, 0.99):6.1f} ms"
        )
    everything = [v for values in results.latency.values() for v in values]
    median = 1000 * statistics.median(everything)
    print(
        f"  all calls         n={len(everything):5d}  p50 {median:6.1f} ms"
        f"  p99 {1000 * percentile(everything, 0.99):6.1f} ms"
    )
    server_ids = sorted(job.id for job in app.state.jobs.all())
    intact = server_ids == sorted(results.job_ids) and len(set(server_ids)) == len(server_ids)
    print(
        f"  jobs: {len(results.job_ids)} created, server holds {len(server_ids)}"
        f" ({'none lost or duplicated' if intact else 'MISMATCH'})"
    )
    print(
        f"  replays: {results.replays_refused} refused, {results.replays_accepted} accepted;"
        f" errors: {len(results.errors)}"
    )
    failed = (
        not intact
        or results.replays_accepted
        or results.errors
        or any(status >= 500 for status in results.statuses)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    sys.exit(
        main(
            int(arguments[0]) if arguments else 20,
            float(arguments[1]) if len(arguments) > 1 else 3.0,
            int(arguments[2]) if len(arguments) > 2 else 200,
        )
    )
