"""How much load does one sandbox take, under the built-in server and under gunicorn?

For each client count (1, 8 and 20 by default) both servers run in processes of their own,
serving bench/sandbox_wsgi.py's app on free 127.0.0.1 ports: the built-in server
(``python bench/sandbox_wsgi.py PORT``) and gunicorn with the gthread worker (one worker, as the
sandbox needs: its state lives in memory). In each round, CLIENTS fresh client processes
(multiprocessing), each with one requests.Session (keep-alive) signing with
oauth_debug.live.OAuth1Auth in the header, load one server and then the other for SECONDS each:
run a job (POST), read it back (GET), and every third round replay the same signed POST (which
the sandbox must refuse). Which server goes first alternates from round to round, so a shared
machine whose load drifts treats them alike.

Printed per round and server: requests per second, p50/p99 latency over all calls, and the
server's CPU time per request (from /proc, steadier than the rate on a shared machine). Per
client count: the checks (every created job is listed by its server exactly once, none lost or
duplicated; every replay refused; no 5xx; no client error). Last, the medians over the rounds
and the built-in server's rate over gunicorn's. Figures depend on the machine; compare them only
within one run. Exit status 1 when a check failed.

    .venv/bin/python bench/load_sandbox.py [seconds] [clients,...] [gunicorn threads] [rounds]

The ``workers`` mode loads the sandbox as a classroom deploys it: gunicorn with several worker
processes (4 by default) sharing one state file (``create_app(state=FILE)``), CLIENTS client
processes (30 by default) for SECONDS, then a dozen listings (each answered by whichever worker
takes it). Printed: requests, 5xx, replays refused of replays sent, jobs created (and distinct
ids), and what each listing showed. Exit status 1 when a check failed.

    .venv/bin/python bench/load_sandbox.py workers [seconds] [clients] [workers]
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import requests

from oauth_debug.live import OAuth1Auth
from oauth_debug.model import Credentials
from oauth_debug.sandbox import DEMO_API_KEY, DEMO_API_SECRET

WORDS = "5c2d9a1e0b7f4a0001a1b2c3"
TIMEOUT = 10.0
BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


@dataclass
class Tally:
    """What one client process saw (sent back to the parent whole, at the end)."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    job_ids: list[str] = field(default_factory=list)
    replays_refused: int = 0
    replays_accepted: int = 0
    errors: list[str] = field(default_factory=list)
    began: float = 0.0
    ended: float = 0.0


def _timed(tally: Tally, call: Any, *args: Any, **kwargs: Any) -> requests.Response:
    start = time.perf_counter()
    response: requests.Response = call(*args, **kwargs)
    tally.latencies.append(time.perf_counter() - start)
    tally.statuses[response.status_code] += 1
    return response


def client(base_url: str, number: int, seconds: float, start: Barrier, out: Any) -> None:
    """One client process: warm up its connection, wait for the others, then load."""
    tally = Tally()
    session = requests.Session()
    auth = OAuth1Auth(Credentials(DEMO_API_KEY, DEMO_API_SECRET))
    url = f"{base_url}/api/v1/workflows/{WORDS}/jobs/"
    try:
        session.options(url, timeout=TIMEOUT)  # connect (kept alive) before the clock starts
        start.wait(TIMEOUT)
        tally.began = time.monotonic()  # CLOCK_MONOTONIC: one clock for every process
        deadline = tally.began + seconds
        round_ = 0
        while time.monotonic() < deadline:
            body = {"questions": [{"name": "text", "value": f"load {number} {round_}"}]}
            run = session.prepare_request(requests.Request("POST", url, json=body, auth=auth))
            answer = _timed(tally, session.send, run, timeout=TIMEOUT)
            if answer.status_code == 200:
                job_id = answer.json()["id"]
                tally.job_ids.append(job_id)
                job_url = f"{base_url}/api/v1/jobs/{job_id}/"
                _timed(tally, session.get, job_url, auth=auth, timeout=TIMEOUT)
            if round_ % 3 == 0:  # the same signed request again: its nonce was used
                again = _timed(tally, session.send, run, timeout=TIMEOUT)
                if again.status_code == 401:
                    tally.replays_refused += 1
                else:
                    tally.replays_accepted += 1
            round_ += 1
    except Exception as error:
        tally.errors.append(repr(error))
    finally:
        tally.ended = time.monotonic()
        session.close()
        out.put(tally)


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of ``pid`` and its children now alive (gunicorn's worker is
    the arbiter's child), from /proc (Linux)."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue  # gone meanwhile
        pending.extend(int(child) for child in children)
    return total


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_server(kind: str, threads: int) -> tuple[subprocess.Popen[bytes], str]:
    """A fresh server process for one run, once it accepts connections."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH)])}
    if kind == "built-in":
        command = [sys.executable, str(BENCH / "sandbox_wsgi.py"), str(port)]
    else:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        command = [gunicorn, "-k", "gthread", "--workers", "1", "--threads", str(threads)]
        command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "sandbox_wsgi:app"]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    give_up = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > give_up:
                process.kill()
                raise RuntimeError(f"the {kind} server did not start") from None
            time.sleep(0.05)
    return process, f"http://127.0.0.1:{port}/gallery"


KINDS = ("built-in", "gunicorn")


@dataclass(frozen=True)
class Slice:
    """One server at one client count for one stretch of time."""

    kind: str
    clients: int
    rate: float
    p50: float
    p99: float
    requests: int
    cpu_per_request: float
    tallies: tuple[Tally, ...]


def _listed_jobs(base_url: str) -> list[str]:
    with requests.Session() as session:
        auth = OAuth1Auth(Credentials(DEMO_API_KEY, DEMO_API_SECRET))
        url = f"{base_url}/api/v1/workflows/{WORDS}/jobs/"
        answer = session.get(url, auth=auth, timeout=60)
        answer.raise_for_status()
        return [job["id"] for job in answer.json()]


def load(
    kind: str, server: subprocess.Popen[bytes], base_url: str, clients: int, seconds: float
) -> Slice:
    """CLIENTS fresh client processes against a running server for SECONDS."""
    context = multiprocessing.get_context("fork")
    start = context.Barrier(clients)
    out = context.Queue()
    pool = [
        context.Process(target=client, args=(base_url, n, seconds, start, out))
        for n in range(clients)
    ]
    for process in pool:
        process.start()
    cpu_before = _cpu_seconds(server.pid)
    tallies: list[Tally] = [out.get(timeout=seconds + 6 * TIMEOUT) for _ in pool]
    cpu = _cpu_seconds(server.pid) - cpu_before
    for process in pool:
        process.join(TIMEOUT)
    latencies = sorted(v for t in tallies for v in t.latencies)
    elapsed = max(t.ended for t in tallies) - min(t.began for t in tallies)
    return Slice(
        kind=kind,
        clients=clients,
        rate=len(latencies) / elapsed,
        p50=statistics.median(latencies),
        p99=latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        requests=len(latencies),
        cpu_per_request=cpu / max(1, len(latencies)),
        tallies=tuple(tallies),
    )


def level(clients: int, seconds: float, threads: int, rounds: int) -> tuple[list[Slice], bool]:
    """Both servers at one client count, ROUNDS slices each, alternating which goes first (a
    machine whose load drifts then treats them alike); the checks over every slice."""
    servers = {kind: _start_server(kind, threads) for kind in KINDS}
    slices: list[Slice] = []
    try:
        for round_ in range(rounds):
            for kind in KINDS if round_ % 2 == 0 else KINDS[::-1]:
                server, base_url = servers[kind]
                slices.append(load(kind, server, base_url, clients, seconds))
                _print_slice(round_ + 1, slices[-1])
        listed = {kind: _listed_jobs(base_url) for kind, (_, base_url) in servers.items()}
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait(TIMEOUT)
    passed = True
    for kind in KINDS:
        tallies = [t for piece in slices if piece.kind == kind for t in piece.tallies]
        created = sorted(i for t in tallies for i in t.job_ids)
        intact = sorted(listed[kind]) == created and len(set(created)) == len(created)
        statuses = sum((t.statuses for t in tallies), Counter[int]())
        server_errors = sum(n for status, n in statuses.items() if status >= 500)
        refused = sum(t.replays_refused for t in tallies)
        accepted = sum(t.replays_accepted for t in tallies)
        errors = [e for t in tallies for e in t.errors]
        print(
            f"  checks, {kind} at {clients} clients: {len(created)} jobs created, the server lists"
            f" {len(listed[kind])} ({'none lost or duplicated' if intact else 'MISMATCH'});"
            f" replays {refused} refused, {accepted} accepted; 5xx {server_errors};"
            f" client errors {len(errors)}"
        )
        for error in errors[:3]:
            print(f"      client error: {error}")
        passed = passed and intact and not (accepted or server_errors or errors)
    return slices, passed


def main(
    seconds: float = 2.0, levels: tuple[int, ...] = (1, 8, 20), threads: int = 8, rounds: int = 4
) -> int:
    print(
        f"sandbox load over loopback: {rounds} rounds of {seconds:g} s per server and client count;"
        " clients: processes with a kept-alive requests.Session and OAuth1Auth;"
        f" gunicorn: -k gthread --workers 1 --threads {threads}"
    )
    print(
        f"  {'round':>5} {'clients':>7} {'server':9} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'requests':>8} {'server CPU/request':>19}"
    )
    slices: list[Slice] = []
    passed = True
    for clients in levels:
        done, ok = level(clients, seconds, threads, rounds)
        slices += done
        passed = passed and ok
    print("  medians over the rounds, and the ratio of the rates (built-in / gunicorn) per round:")
    for clients in levels:
        line = f"  {clients:>2} clients:"
        for kind in KINDS:
            mine = [r for r in slices if r.kind == kind and r.clients == clients]
            rate = statistics.median(r.rate for r in mine)
            p99 = statistics.median(r.p99 for r in mine)
            cpu = statistics.median(r.cpu_per_request for r in mine)
            line += f"  {kind} {rate:5.0f}/s p99 {1000 * p99:5.1f} ms CPU {1e6 * cpu:4.0f} us/req;"
        pairs = zip(
            [r.rate for r in slices if r.kind == "built-in" and r.clients == clients],
            [r.rate for r in slices if r.kind == "gunicorn" and r.clients == clients],
            strict=True,
        )
        ratios = sorted(mine / theirs for mine, theirs in pairs)
        listed = ", ".join(f"{ratio:.2f}" for ratio in ratios)
        print(f"{line}  ratio {statistics.median(ratios):.2f}x ({listed})")
    return 0 if passed else 1


def _print_slice(round_: int, result: Slice) -> None:
    print(
        f"  {round_:>5} {result.clients:>7} {result.kind:9} {result.rate:7.0f}"
        f" {1000 * result.p50:7.1f} {1000 * result.p99:7.1f} {result.requests:>8}"
        f" {1e6 * result.cpu_per_request:16.0f} us"
    )


def _start_workers(workers: int, state: Path) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn with WORKERS sync worker processes sharing the state file, once it listens."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "-w", str(workers), "--bind", f"127.0.0.1:{port}"]
    command += ["--log-level", "warning", f"oauth_debug.sandbox:create_app(state={str(state)!r})"]
    # The verifier's JSON line per refused replay goes to stderr: not part of this report.
    process = subprocess.Popen(command, env=env, cwd=state.parent, stderr=subprocess.DEVNULL)
    give_up = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > give_up:
                process.kill()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.05)
    return process, f"http://127.0.0.1:{port}/gallery"


def workers_main(seconds: float = 10.0, clients: int = 30, workers: int = 4) -> int:
    """The multi-worker run: shared nonces and jobs, or the figures say where they are not."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        server, base_url = _start_workers(workers, Path(folder) / "sandbox.sqlite")
        try:
            result = load("gunicorn", server, base_url, clients, seconds)
            listings = [_listed_jobs(base_url) for _ in range(12)]
        finally:
            server.terminate()
            server.wait(TIMEOUT)
    tallies = result.tallies
    statuses = sum((t.statuses for t in tallies), Counter[int]())
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    refused = sum(t.replays_refused for t in tallies)
    accepted = sum(t.replays_accepted for t in tallies)
    created = [i for t in tallies for i in t.job_ids]
    errors = [e for t in tallies for e in t.errors]
    every_listing_whole = all(sorted(listed) == sorted(created) for listed in listings)
    sizes = sorted({len(listed) for listed in listings})
    print(
        f"sandbox under gunicorn -w {workers} with a state file, {clients} client processes for"
        f" {seconds:g} s: {result.requests} requests ({result.rate:.0f}/s), 5xx {server_errors},"
        f" replays refused {refused} of {refused + accepted} sent, jobs created {len(created)}"
        f" ({len(set(created))} distinct ids), listed by each of {len(listings)} listings:"
        f" {'/'.join(str(n) for n in sizes)}"
        f" ({'every job exactly once' if every_listing_whole else 'MISMATCH'});"
        f" client errors {len(errors)}"
    )
    for error in errors[:3]:
        print(f"  client error: {error}")
    intact = every_listing_whole and len(set(created)) == len(created)
    return 0 if intact and not (server_errors or accepted or errors) else 1


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["workers"]:
        rest = arguments[1:]
        sys.exit(
            workers_main(
                float(rest[0]) if rest else 10.0,
                int(rest[1]) if len(rest) > 1 else 30,
                int(rest[2]) if len(rest) > 2 else 4,
            )
        )
    sys.exit(
        main(
            float(arguments[0]) if arguments else 2.0,
            tuple(int(n) for n in arguments[1].split(",")) if len(arguments) > 1 else (1, 8, 20),
            int(arguments[2]) if len(arguments) > 2 else 8,
            int(arguments[3]) if len(arguments) > 3 else 4,
        )
    )
