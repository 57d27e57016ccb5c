"""The built-in server over real loopback sockets: one deadline for each whole request, a cap on
connections served at once, and no traceback when a client stalls or leaves.

Every wait here is bounded (socket timeouts and a few seconds of wall clock at most); nothing
asserts on speed beyond "cut off at the deadline, not long after".
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from oauth_debug.sandbox import RunningServer, SandboxConfig, create_app, serve_in_background

DEADLINE = 1.0
SLACK = 2.0  # a loaded, shared machine: cut off within DEADLINE + SLACK, not "never"
GIVE_UP = 6.0  # the longest a test waits for anything


@pytest.fixture
def server() -> Iterator[RunningServer]:
    app = create_app(SandboxConfig(request_timeout=DEADLINE))
    with serve_in_background(app, host="127.0.0.1", port=0) as running:
        yield running


def _connect(server: RunningServer) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=GIVE_UP)


def _trickle(client: socket.socket, data: bytes, every: float = 0.2) -> tuple[float, bytes]:
    """Send ``data`` one byte at a time until the server answers or hangs up; return the seconds
    that took and what it sent (b"" for a hang-up). Gives up after GIVE_UP seconds."""
    start = time.monotonic()
    client.settimeout(every)
    for byte in data:
        if time.monotonic() - start > GIVE_UP:
            break
        try:
            client.sendall(bytes([byte]))
            chunk = client.recv(4096)
        except TimeoutError:
            continue  # nothing from the server yet: keep trickling
        except OSError:  # reset or broken pipe: the server hung up
            return time.monotonic() - start, b""
        elapsed = time.monotonic() - start
        return elapsed, chunk + (_rest(client) if chunk else b"")  # written in several parts
    return time.monotonic() - start, b""


def _rest(client: socket.socket) -> bytes:
    """Everything the server still sends before it closes (bounded by GIVE_UP)."""
    client.settimeout(GIVE_UP)
    data = b""
    try:
        while chunk := client.recv(4096):
            data += chunk
    except OSError:
        pass  # reset after the answer: what arrived is what there is
    return data


def test_a_slow_loris_sending_headers_is_cut_off_at_the_deadline(server: RunningServer) -> None:
    client = _connect(server)
    endless = b"GET /gallery/api/v1/workflows/subscription/ HTTP/1.1\r\n" + b"X-Slow: " + b"a" * 200
    try:
        elapsed, answer = _trickle(client, endless)
    finally:
        client.close()
    # Each byte arrived well within any per-read timeout; only a whole-request deadline stops it.
    assert DEADLINE * 0.9 <= elapsed < DEADLINE + SLACK
    assert answer == b"" or answer.startswith(b"HTTP/1.0 408 Request Timeout"), answer


def test_a_slow_body_is_cut_off_at_the_same_deadline(server: RunningServer) -> None:
    client = _connect(server)
    head = (
        f"POST /gallery/api/v1/workflows/x/jobs/ HTTP/1.1\r\nHost: {server.host}\r\n"
        "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n"
    ).encode()
    try:
        client.sendall(head)
        elapsed, answer = _trickle(client, b"{" + b" " * 199)
    finally:
        client.close()
    assert elapsed < DEADLINE + SLACK
    # The app's answer to an HTTP/1.1 request, and the connection is not kept: the rest of the
    # body would be read as the next request.
    assert answer.startswith(b"HTTP/1.1 400"), answer
    assert b"\r\nConnection: close\r\n" in answer
    assert b"did not arrive in full" in answer


def _handler_threads(besides: frozenset[threading.Thread] = frozenset()) -> int:
    """Server threads serving a connection now, other than ``besides`` (another test's)."""
    return sum(
        "process_request" in thread.name and thread not in besides
        for thread in threading.enumerate()
    )


def _wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + GIVE_UP
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


def test_connections_beyond_the_cap_get_503_without_a_thread_each() -> None:
    app = create_app(SandboxConfig(request_timeout=GIVE_UP, max_connections=2))
    with serve_in_background(app, host="127.0.0.1", port=0) as server:
        before = frozenset(threading.enumerate())
        held = [_connect(server), _connect(server)]  # idle: each holds a served slot
        _wait_for(lambda: _handler_threads(before) == 2, "two served connections")
        refused = [_connect(server) for _ in range(8)]
        try:
            for client in refused:
                answer = client.recv(4096)
                assert answer.startswith(b"HTTP/1.0 503 Service Unavailable"), answer
                assert b"serving 2 connections already" in answer
            assert _handler_threads(before) == 2  # the 503s took no thread
        finally:
            for client in refused:
                client.close()
        for client in held:
            client.close()  # their slots come back as their threads end
        _wait_for(lambda: _handler_threads(before) == 0, "the slots to be given back")
        answer = requests.options(f"{server.base_url}/api/v1/workflows/subscription/", timeout=5)
        assert answer.status_code == 204


def test_clients_that_stall_or_leave_leave_no_traceback(
    server: RunningServer, capfd: pytest.CaptureFixture[str]
) -> None:
    # Connects and closes; sends half a request line and closes; resets (SO_LINGER 0); idles
    # until the deadline; trickles past it.
    _connect(server).close()
    half = _connect(server)
    half.sendall(b"GET /gall")
    half.close()
    reset = _connect(server)
    reset.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    reset.close()
    idle = _connect(server)
    idle_answer = idle.recv(4096)  # once the deadline passed with nothing sent
    idle.close()
    loris = _connect(server)
    _trickle(loris, b"GET / HTTP/1.1\r\nX: " + b"b" * 100)
    loris.close()
    # The server still answers, and nothing went to stderr (socketserver printed tracebacks).
    assert requests.get(f"{server.url}/elsewhere", timeout=5).status_code == 404
    time.sleep(0.2)  # let the handler threads of the closed connections finish
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err
    assert "Exception occurred" not in captured.err
    assert idle_answer.startswith(b"HTTP/1.0 408 Request Timeout"), idle_answer
