"""The built-in server keeps HTTP/1.1 connections alive, over real loopback sockets: several
requests on one connection, ``Connection: close`` and HTTP/1.0 honoured, an idle connection
closed quietly after the idle timeout, each request's own deadline, each answer in one send.

Every wait is bounded (socket timeouts, GIVE_UP seconds at most); nothing asserts on speed.
"""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Iterator
from typing import Any
from wsgiref.validate import validator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oauth_debug.sandbox import RunningServer, SandboxConfig, create_app, serve_in_background
from oauth_debug.sandbox.connection import BodyReader, answer_bytes, content_length, read_head

DEADLINE = 1.0
IDLE = 0.5
SLACK = 2.0  # a loaded, shared machine: closed within IDLE + SLACK, not "never"
GIVE_UP = 6.0
OPTIONS = b"OPTIONS /gallery/api/v1/workflows/subscription/ HTTP/1.1\r\nHost: t\r\n\r\n"
MISSING = b"GET /elsewhere HTTP/1.1\r\nHost: t\r\n\r\n"


@pytest.fixture
def server() -> Iterator[RunningServer]:
    app = create_app(SandboxConfig(request_timeout=DEADLINE))
    with serve_in_background(app, idle_timeout=IDLE) as running:
        yield running


def _connect(server: RunningServer) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=GIVE_UP)


class _Answers:
    """Reads HTTP answers one at a time from a socket, framed by their Content-Length."""

    def __init__(self, sock: socket.socket) -> None:
        self.stream = sock.makefile("rb")

    def next(self) -> tuple[bytes, dict[str, str], bytes]:
        status = self.stream.readline()
        headers: dict[str, str] = {}
        while (line := self.stream.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        body = self.stream.read(int(headers.get("content-length", "0")))
        return status.rstrip(), headers, body


def _closed_by_server(sock: socket.socket) -> bytes:
    """What the server sends before closing (b"" for a plain close); fails if it never does."""
    sock.settimeout(GIVE_UP)
    data = b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
    except ConnectionResetError:
        pass  # closed by a reset: still closed
    return data


def test_two_requests_on_one_connection_are_both_answered(server: RunningServer) -> None:
    with _connect(server) as client:
        answers = _Answers(client)
        client.sendall(OPTIONS)
        first = answers.next()
        client.sendall(MISSING)  # the same connection, after the first answer
        second = answers.next()
    assert first[0] == b"HTTP/1.1 204 No Content" and "connection" not in first[1]
    assert second[0] == b"HTTP/1.1 404 Not Found" and b"/elsewhere" in second[2]


def test_pipelined_requests_are_answered_in_order(server: RunningServer) -> None:
    with _connect(server) as client:
        answers = _Answers(client)
        client.sendall(MISSING + OPTIONS + MISSING)  # sent before any answer was read
        statuses = [answers.next()[0] for _ in range(3)]
    missing, options = b"HTTP/1.1 404 Not Found", b"HTTP/1.1 204 No Content"
    assert statuses == [missing, options, missing]


def test_connection_close_is_honoured(server: RunningServer) -> None:
    with _connect(server) as client:
        client.sendall(MISSING.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
        answer = _closed_by_server(client)
    assert answer.startswith(b"HTTP/1.1 404 Not Found\r\n")
    assert b"\r\nConnection: close\r\n" in answer
    assert answer.endswith(b"}")  # the whole JSON body, then the server hung up


def test_an_http_1_0_client_is_answered_and_closed(server: RunningServer) -> None:
    with _connect(server) as client:
        client.sendall(b"GET /elsewhere HTTP/1.0\r\n\r\n")
        answer = _closed_by_server(client)
    assert answer.startswith(b"HTTP/1.1 404 Not Found\r\n")
    assert b"\r\nConnection: close\r\n" in answer


def test_an_idle_connection_is_closed_quietly_after_the_idle_timeout(
    server: RunningServer, capfd: pytest.CaptureFixture[str]
) -> None:
    with _connect(server) as client:
        answers = _Answers(client)
        client.sendall(OPTIONS)
        assert answers.next()[0] == b"HTTP/1.1 204 No Content"
        answered = time.monotonic()
        leftover = _closed_by_server(client)
        idled = time.monotonic() - answered
    assert leftover == b""  # no 408 for a connection that asked nothing more
    assert IDLE * 0.9 <= idled < IDLE + SLACK
    time.sleep(0.1)  # the handler thread logs and ends
    assert "Traceback" not in capfd.readouterr().err


def test_a_later_request_gets_its_own_deadline_from_its_first_byte(server: RunningServer) -> None:
    with _connect(server) as client:
        answers = _Answers(client)
        client.sendall(OPTIONS)
        assert answers.next()[0] == b"HTTP/1.1 204 No Content"
        started = time.monotonic()
        client.settimeout(0.2)
        answer = b""
        for byte in b"GET /elsewhere HTTP/1.1\r\nX-Slow: " + b"a" * 100:
            try:
                client.sendall(bytes([byte]))
                answer = client.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                break
            if answer or time.monotonic() - started > GIVE_UP:
                break
        elapsed = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.0 408 Request Timeout"), answer
    assert DEADLINE * 0.9 <= elapsed < DEADLINE + SLACK


def test_each_answer_is_written_in_one_send(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sends: list[bytes] = []

    def spying(name: str) -> Any:
        original = getattr(socket.socket, name)

        def spy(self: socket.socket, data: Any, *args: Any) -> Any:
            if self.getsockname()[1] == server.port:  # the server's side of a connection
                sends.append(bytes(data))
            return original(self, data, *args)

        return spy

    for name in ("send", "sendall"):  # every way a socket writes a buffer
        monkeypatch.setattr(socket.socket, name, spying(name))
    with _connect(server) as client:
        answers = _Answers(client)
        client.sendall(MISSING + MISSING)
        bodies = [answers.next()[2] for _ in range(2)]
    assert len(sends) == 2
    for sent, body in zip(sends, bodies, strict=True):
        assert sent.startswith(b"HTTP/1.1 404 Not Found\r\n") and sent.endswith(b"\r\n\r\n" + body)


def test_a_body_the_app_did_not_read_does_not_become_the_next_request(
    server: RunningServer,
) -> None:
    with _connect(server) as client:
        answers = _Answers(client)
        smuggled = b"GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n"
        head = f"POST /elsewhere HTTP/1.1\r\nHost: t\r\nContent-Length: {len(smuggled)}\r\n\r\n"
        client.sendall(head.encode() + smuggled + OPTIONS)
        first, second = answers.next(), answers.next()
    assert first[0] == b"HTTP/1.1 404 Not Found" and b"/elsewhere" in first[2]
    assert second[0] == b"HTTP/1.1 204 No Content"  # the OPTIONS, not /smuggled


def test_a_chunked_body_is_refused_and_the_connection_closed(server: RunningServer) -> None:
    with _connect(server) as client:
        client.sendall(
            b"POST /elsewhere HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\nhello\r\n0\r\n\r\n" + MISSING
        )
        answer = _closed_by_server(client)
    assert answer.startswith(b"HTTP/1.1 411 Length Required\r\n")
    assert answer.count(b"HTTP/1.1") == 1  # the request after the chunked body is not served


def test_stopping_the_server_ends_idle_keep_alive_connections() -> None:
    app = create_app(SandboxConfig(request_timeout=DEADLINE))
    with serve_in_background(app, idle_timeout=GIVE_UP * 10) as running:
        client = _connect(running)
        answers = _Answers(client)
        client.sendall(OPTIONS)
        assert answers.next()[0] == b"HTTP/1.1 204 No Content"
    stopped = time.monotonic()
    try:
        assert _closed_by_server(client) == b""
    finally:
        client.close()
    assert time.monotonic() - stopped < SLACK  # not after the (minute-long) idle timeout


# -- the framing rules, without sockets ----------------------------------------------------------

_TOKEN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12).filter(
    lambda name: name.strip("-") == name and name not in {"content-length", "transfer-encoding"}
)
_VALUE = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=30)


@settings(max_examples=200, deadline=None)
@given(
    requests=st.lists(
        st.tuples(st.lists(st.tuples(_TOKEN, _VALUE), max_size=5), st.binary(max_size=64)),
        min_size=1,
        max_size=4,
    )
)
def test_requests_back_to_back_are_read_one_by_one_exactly(
    requests: list[tuple[list[tuple[str, str]], bytes]],
) -> None:
    wire = b""
    for headers, body in requests:
        lines = ["POST /x HTTP/1.1", *(f"{n}: {v}" for n, v in headers)]
        lines.append(f"Content-Length: {len(body)}")
        wire += ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
    stream = io.BufferedReader(io.BytesIO(wire))  # type: ignore[arg-type]
    for headers, body in requests:
        head = read_head(stream)
        assert head is not None
        assert [(n, v) for n, v in head.headers if n != "content-length"] == headers
        reader = BodyReader(stream, content_length(head))
        assert reader.read(10**6) == body  # asking for more never reads into the next request
        assert reader.read() == b"" and reader.left == 0
    assert read_head(stream) is None


@given(body=st.binary(max_size=100), declared=st.integers(min_value=0, max_value=120))
def test_an_answer_is_held_to_the_length_the_app_declared(body: bytes, declared: int) -> None:
    headers = [("Content-Type", "text/plain"), ("Content-Length", str(declared))]
    wire, keep = answer_bytes("200 OK", headers, body, close=False, head_only=False)
    head, _, sent = wire.partition(b"\r\n\r\n")
    assert sent == body[:declared]
    assert head.count(b"Content-Length") == 1
    # A body shorter than announced can only be told to the client by closing the connection.
    assert keep == (len(body) >= declared)
    assert (b"Connection: close" in head) == (not keep)


def test_the_environ_and_input_the_server_gives_meet_pep_3333() -> None:
    """wsgiref.validate checks every environ key, wsgi.input and the app's answer as served."""
    app = create_app(SandboxConfig(request_timeout=DEADLINE))
    validated = validator(app)
    with serve_in_background(validated, idle_timeout=IDLE) as running, _connect(running) as client:
        answers = _Answers(client)
        body = b'{"questions": []}'
        client.sendall(
            OPTIONS
            + f"POST /gallery/api/v1/workflows/x/jobs/ HTTP/1.1\r\nHost: t\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
            + MISSING.replace(b"GET", b"HEAD")
        )
        statuses = [answers.next()[0] for _ in range(2)]
        head_answer = answers.stream.readline()
    # 401: unsigned; a validator failure would have been a 500 (the server's own answer).
    assert statuses == [b"HTTP/1.1 204 No Content", b"HTTP/1.1 401 Unauthorized"]
    assert head_answer == b"HTTP/1.1 404 Not Found\r\n"
