"""The nonce stores: each records a nonce once, atomically, and forgets it when it expires.

The SQLite store is raced from several processes; the Redis one runs against a real
``redis-server`` started here, shared by two separate HTTP server processes.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.server import MemoryNonces, NonceStore, RedisNonces, SQLiteNonces

ROOT = Path(__file__).resolve().parents[2]


def test_every_store_is_a_nonce_store(tmp_path: Path) -> None:
    for store in (MemoryNonces(), SQLiteNonces(tmp_path / "n.sqlite"), RedisNonces(object())):
        assert isinstance(store, NonceStore)


# ---- memory -------------------------------------------------------------------------------


def test_memory_records_once_per_key_token_and_nonce() -> None:
    store = MemoryNonces()
    assert store.use("k", None, "n", now=0, expires_at=10) is True
    assert store.use("k", None, "n", now=1, expires_at=11) is False
    assert store.use("k", "t", "n", now=1, expires_at=11) is True  # another token
    assert store.use("k2", None, "n", now=1, expires_at=11) is True  # another key
    assert store.use("k", None, "n", now=10, expires_at=20) is False  # expires at 10: still there
    assert store.use("k", None, "n", now=10.5, expires_at=20) is True  # expired: may come again


def test_memory_key_parts_do_not_run_together() -> None:
    store = MemoryNonces()
    assert store.use("ab", None, "c", now=0, expires_at=10)
    assert store.use("a", None, "bc", now=0, expires_at=10)


@given(
    uses=st.lists(
        st.tuples(st.sampled_from("abcdef"), st.integers(0, 5), st.integers(0, 40)), max_size=60
    ),
    bound=st.integers(1, 4),
)
def test_memory_never_accepts_a_replay_and_stays_bounded(
    uses: list[tuple[str, int, int]], bound: int
) -> None:
    # As the verifier uses it: a request's expiry is its timestamp + window, and it is asked
    # about only while that lies ahead; a replay carries the same timestamp, so the same expiry.
    window = 10
    store = MemoryNonces(max_entries=bound)
    accepted_at: dict[tuple[str, int], float] = {}
    now = 0.0
    for nonce, step, timestamp in uses:
        now += step
        expiry = timestamp + window
        if expiry < now:
            continue  # the verifier refuses it by its timestamp before asking the store
        accepted = store.use("k", None, nonce, now=now, expires_at=expiry)
        if (nonce, timestamp) in accepted_at:
            assert not accepted, "a replay inside its window was accepted"
        if accepted:
            accepted_at[(nonce, timestamp)] = expiry
        assert len(store) <= bound


# ---- SQLite -------------------------------------------------------------------------------


def test_sqlite_is_shared_by_two_handles_on_one_file(tmp_path: Path) -> None:
    path = tmp_path / "nonces.sqlite"
    first, second = SQLiteNonces(path), SQLiteNonces(path)
    assert first.use("k", None, "n", now=0, expires_at=10)
    assert not second.use("k", None, "n", now=1, expires_at=11)
    assert not second.use("k", None, "n", now=10, expires_at=20)  # expires at 10: still there
    assert second.use("k", None, "n", now=10.5, expires_at=20)  # expired


def test_sqlite_purges_expired_rows(tmp_path: Path) -> None:
    store = SQLiteNonces(tmp_path / "n.sqlite")
    for index in range(300):
        store.use("k", None, f"n{index}", now=index, expires_at=index + 5)
    assert len(store) <= 256 + 5  # one purge at call 256 left only the rows still live then


def test_two_verifiers_on_one_sqlite_file_refuse_each_others_replays(tmp_path: Path) -> None:
    from oauth_debug.server import Refused, RequestVerifier

    path = tmp_path / "workers.sqlite"
    workers = [
        RequestVerifier({"k": "s"}, SQLiteNonces(path), clock=lambda: 1_700_000_000.0)
        for _ in range(2)
    ]
    trace = sign_at(
        HttpRequest("GET", "http://api.test/x"),
        Credentials("k", "s"),
        timestamp=1_700_000_000,
        nonce="shared-nonce",
    )
    assert trace.signed_request is not None
    assert workers[0].check(trace.signed_request).consumer_key == "k"
    with pytest.raises(Refused) as caught:
        workers[1].check(trace.signed_request)
    assert caught.value.reason == "nonce_used"


def test_sqlite_opens_a_new_connection_after_a_fork(tmp_path: Path) -> None:
    store = SQLiteNonces(tmp_path / "fork.sqlite")
    assert store.use("k", None, "before", now=0, expires_at=10)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: use the inherited store, report, and leave at once
        try:
            ok = store.use("k", None, "child", now=0, expires_at=10) and not store.use(
                "k", None, "before", now=0, expires_at=10
            )
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.waitpid(child, 0)
    assert answer == b"1"
    assert not store.use("k", None, "child", now=0, expires_at=10)  # the child's row is shared


def _race(path: str, nonces: list[str], queue: multiprocessing.Queue[list[str]]) -> None:
    store = SQLiteNonces(path)
    queue.put([nonce for nonce in nonces if store.use("k", "t", nonce, now=0, expires_at=600)])


def test_sqlite_accepts_each_nonce_once_across_processes(tmp_path: Path) -> None:
    path = str(tmp_path / "race.sqlite")
    SQLiteNonces(path)  # the schema exists before the racers start
    nonces = [f"nonce-{index}" for index in range(150)]
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[list[str]] = context.Queue()
    racers = [context.Process(target=_race, args=(path, nonces, queue)) for _ in range(4)]
    for racer in racers:
        racer.start()
    won = [nonce for _ in racers for nonce in queue.get(timeout=120)]
    for racer in racers:
        racer.join(timeout=30)
    assert sorted(won) == sorted(nonces)  # every nonce accepted, and exactly once


# ---- Redis: two server processes, one redis-server ----------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(check: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"not ready after {seconds} s")


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed (.ci/run installs it with apt)")
        pytest.skip("redis-server is not installed (apt install redis-server); CI must have it")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)
        _wait_for(client.ping, 15)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_redis_records_once_and_expires(redis_url: str) -> None:
    import redis

    store = RedisNonces(redis.Redis.from_url(redis_url), prefix="unit:")
    assert store.use("k", None, "n", now=0, expires_at=1.2) is True
    assert store.use("k", None, "n", now=0, expires_at=1.2) is False
    client = redis.Redis.from_url(redis_url)
    keys = client.keys("unit:*")
    assert len(keys) == 1 and 0 < client.ttl(keys[0]) <= 2  # rounded up to whole seconds
    _wait_for(lambda: store.use("k", None, "n", now=0, expires_at=60), 5)


SERVER = textwrap.dedent(
    """
    import sys
    from wsgiref.simple_server import WSGIRequestHandler, make_server
    import redis
    from oauth_debug.server import RedisNonces, RequestVerifier
    from oauth_debug.server.wsgi import OAuth1Middleware

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [environ["oauth_debug.accepted"].consumer_key.encode()]

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    nonces = RedisNonces(redis.Redis.from_url(sys.argv[1]), prefix="two-servers:")
    verifier = RequestVerifier({"key": "secret"}, nonces, window=600)
    make_server("127.0.0.1", int(sys.argv[2]), OAuth1Middleware(app, verifier),
                handler_class=Quiet).serve_forever()
    """
)


def _send(port: int, request: HttpRequest) -> str:
    """Send ``request`` to the server on ``port``; "200", or "401 <oauth_problem>"."""
    _scheme, _, host, target = request.url.split("/", 3)
    # The Host header is the one the client signed for, whichever server it is sent to.
    headers = {**dict(request.headers), "Host": host}
    outgoing = urllib.request.Request(
        f"http://127.0.0.1:{port}/{target}", headers=headers, method=request.method
    )
    try:
        with urllib.request.urlopen(outgoing, timeout=10) as answer:
            return str(answer.status)
    except urllib.error.HTTPError as error:
        problem = dict(parse_qsl(error.read().decode()))["oauth_problem"]
        return f"{error.code} {problem}"


def _signed(port: int, label: str) -> HttpRequest:
    unsigned = HttpRequest("GET", f"http://127.0.0.1:{port}/item?label={label}")
    trace = sign_at(
        unsigned,
        Credentials("key", "secret"),
        timestamp=int(time.time()),
        nonce=f"{label}-{time.time_ns()}",
    )
    assert trace.signed_request is not None
    return trace.signed_request


REPLAYS = 40


def test_a_nonce_used_on_one_server_is_refused_by_the_other(redis_url: str) -> None:
    ports = [free_port(), free_port()]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    servers = [
        subprocess.Popen([sys.executable, "-c", SERVER, redis_url, str(port)], env=env)
        for port in ports
    ]
    try:
        for port in ports:
            _wait_for(lambda port=port: socket.create_connection(("127.0.0.1", port), 1), 20)
        firsts, replays = [], []
        for index in range(REPLAYS):
            first, second = (ports[0], ports[1]) if index % 2 == 0 else (ports[1], ports[0])
            request = _signed(first, f"seq{index}")
            firsts.append(_send(first, request))
            # The same request, byte for byte (its Host names the first server), to the other.
            replays.append(_send(second, request))
        assert firsts == ["200"] * REPLAYS
        assert replays == ["401 nonce_used"] * REPLAYS
        # At once: the same request to both servers in parallel, exactly one accepts it.
        with ThreadPoolExecutor(max_workers=2) as pool:
            for index in range(REPLAYS):
                request = _signed(ports[0], f"par{index}")
                answers = sorted(pool.map(_send, ports, [request, request]))
                assert answers == ["200", "401 nonce_used"], (index, answers)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
