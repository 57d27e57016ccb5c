"""One client connection of the built-in server: HTTP/1.1 requests read and answered in turn.

A connection is persistent (RFC 9112 section 9.3) unless the client says ``Connection: close``,
speaks HTTP/1.0 without asking for keep-alive, or a request cannot be framed safely (a body not
read to its end, a ``Transfer-Encoding`` the server does not decode, a malformed head). Request
bodies are framed by ``Content-Length`` only (RFC 9112 section 6.3); every answer carries one,
and is written as one buffer (status line, headers and body joined), so a small answer leaves in
one send and one TCP segment, not a header segment followed by a body segment.

Time is bounded per request: the first request must arrive whole within ``request_timeout`` of
the connection's acceptance; each later one gets ``idle_timeout`` for its first byte (the
connection is then closed quietly, as every keep-alive server does) and ``request_timeout`` from
that byte for the rest. The application is a plain WSGI callable (PEP 3333).
"""

from __future__ import annotations

import io
import json
import logging
import math
import select
import socket
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from ..redact import redact
from ..rules import whole_number

log = logging.getLogger("oauth_debug.sandbox")

WsgiApp = Callable[..., Iterable[bytes]]

MAX_LINE = 65536
"""The longest request line or header line read (longer: 414 or 431)."""
MAX_HEADERS = 100
"""The most header lines in one request (more: 431)."""
REFUSAL_WRITE_TIMEOUT = 1.0
"""Seconds to spend writing a 503 or 408 to a client the server is about to drop."""

_REASONS = {
    100: "Continue",
    400: "Bad Request",
    408: "Request Timeout",
    411: "Length Required",
    414: "URI Too Long",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
    505: "HTTP Version Not Supported",
}
_NO_BODY = frozenset({204, 304})


class DeadlineReader(io.RawIOBase):
    """A connection's socket, read so that every ``recv`` may take only the time left before
    ``deadline`` (which the connection moves forward for each request), and written whole
    within a timeout.

    A socket timeout bounds each read, not the request: a client sending a byte every 0.3 s
    renews a 30 s timeout forever (a "slow loris") and holds its thread. Giving every read just
    what remains of the request's time bounds the whole request, however it trickles in.

    The socket stays non-blocking and is waited on (``poll``) only when nothing has arrived
    yet, rather than given a new timeout before each read: with a timeout, every read costs a
    mode change, a poll and the read, each a system call that drops the GIL and must win it
    back from the threads serving other connections. Here a request that is already in the
    kernel's buffer, the usual case on a kept-alive connection, is read in one call.
    """

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        sock.setblocking(False)
        self._sock = sock
        self.deadline = deadline
        self.expect_wait = False
        """Set between requests: the next read is to wait first, as nothing has been sent yet."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while True:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request did not arrive before its deadline")
            if self.expect_wait:
                # A client waits for an answer before its next request, so a read at once
                # would mostly find nothing: poll first, and spare that call (and the GIL).
                self.expect_wait = False
                if not _ready(self._sock, left, write=False):
                    raise TimeoutError("the request did not arrive before its deadline")
            try:
                return self._sock.recv_into(buffer)
            except BlockingIOError:
                pass  # nothing yet: wait for it, at most until the deadline
            if not _ready(self._sock, left, write=False):
                raise TimeoutError("the request did not arrive before its deadline")

    def send_all(self, data: bytes, timeout: float) -> None:
        """Write ``data`` whole within ``timeout`` seconds (TimeoutError otherwise)."""
        view = memoryview(data)
        deadline = time.monotonic() + timeout
        while view:
            try:
                view = view[self._sock.send(view) :]
                continue
            except BlockingIOError:
                pass  # the send buffer is full: the client is not reading yet
            left = deadline - time.monotonic()
            if left <= 0 or not _ready(self._sock, left, write=True):
                raise TimeoutError("the client did not take the answer in time")


def _ready(sock: socket.socket, seconds: float, *, write: bool) -> bool:
    """Whether ``sock`` became readable (or writable) within ``seconds``: ``poll`` where there
    is one (any descriptor number), ``select`` elsewhere (Windows)."""
    if hasattr(select, "poll"):
        waiter = select.poll()
        waiter.register(sock, select.POLLOUT if write else select.POLLIN)
        return bool(waiter.poll(math.ceil(seconds * 1000)))
    watched = [sock]
    readable, writable, _ = select.select(
        [] if write else watched, watched if write else [], [], seconds
    )
    return bool(readable or writable)


class BodyReader:
    """``wsgi.input``: the request body and nothing past it, whatever the app asks for, so a
    next request on the same connection is never read as this one's body."""

    def __init__(self, stream: io.BufferedReader, length: int) -> None:
        self._stream = stream
        self.left = length

    def read(self, size: int | None = -1) -> bytes:
        wanted = self.left if size is None or size < 0 else min(size, self.left)
        data = self._stream.read(wanted) if wanted else b""
        self.left -= len(data)
        if len(data) < wanted:  # the client closed early: nothing more will come
            self.left = 0
        return data

    def readline(self, size: int | None = -1) -> bytes:
        wanted = self.left if size is None or size < 0 else min(size, self.left)
        data = self._stream.readline(wanted) if wanted else b""
        self.left -= len(data)
        return data

    def readlines(self, hint: int = -1) -> list[bytes]:
        lines = []
        while line := self.readline():
            lines.append(line)
        return lines

    def __iter__(self) -> BodyReader:
        return self

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line


class BadRequest(Exception):
    """A request head the server answers itself (status and message), then hangs up."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Head:
    """A parsed request line and header section."""

    method: str
    target: str
    version: str
    headers: tuple[tuple[str, str], ...]

    def get(self, name: str) -> str | None:
        """The field's values joined with commas (RFC 9110 section 5.3), or None."""
        values = [value for key, value in self.headers if key == name]
        return ", ".join(values) if values else None

    def tokens(self, name: str) -> set[str]:
        return {word.strip().lower() for word in (self.get(name) or "").split(",")}

    @property
    def keep_alive(self) -> bool:
        """Whether the client lets the connection stay open (RFC 9112 section 9.3)."""
        options = self.tokens("connection")
        if "close" in options:
            return False
        return self.version == "HTTP/1.1" or "keep-alive" in options


def read_head(stream: io.BufferedReader) -> Head | None:
    """The next request's head, or None when the client closed before sending one.

    Blank lines before a request line are skipped (RFC 9112 section 2.2). Raises
    :class:`BadRequest` for a head the server must refuse, TimeoutError past the deadline.
    """
    line = stream.readline(MAX_LINE + 1)
    while line in (b"\r\n", b"\n"):
        line = stream.readline(MAX_LINE + 1)
    if not line:
        return None
    if len(line) > MAX_LINE:
        raise BadRequest(414, "The request line is too long.")
    words = line.decode("latin-1").split()
    if len(words) != 3:
        raise BadRequest(400, "The request line is not METHOD TARGET HTTP-VERSION.")
    method, target, version = words
    if not version.startswith("HTTP/1."):
        raise BadRequest(505, f"{version} is not served here; use HTTP/1.1.")
    headers: list[tuple[str, str]] = []
    while True:
        line = stream.readline(MAX_LINE + 1)
        if not line:
            raise BadRequest(400, "The connection closed in the middle of the request head.")
        if line in (b"\r\n", b"\n"):
            break
        if len(line) > MAX_LINE or len(headers) >= MAX_HEADERS:
            raise BadRequest(431, "The request's header section is too large.")
        name, colon, value = line.decode("latin-1").partition(":")
        if not colon or not name or name != name.strip():
            # RFC 9112 section 5.1: no whitespace between a field name and its colon.
            raise BadRequest(400, f"A header line is malformed: {name[:40]!r}.")
        headers.append((name.lower(), value.strip()))
    return Head(method, target, version, tuple(headers))


def content_length(head: Head) -> int:
    """The body's length, framed by Content-Length only (RFC 9112 section 6.3)."""
    if head.get("transfer-encoding") is not None:
        raise BadRequest(411, "Send the body with a Content-Length; chunked bodies are not read.")
    values = {value.strip() for value in (head.get("content-length") or "").split(",")} - {""}
    if not values:
        return 0
    length = whole_number(values.pop()) if len(values) == 1 else None
    if length is None:
        raise BadRequest(400, "The Content-Length header is not one whole number.")
    return length


def environ_for(
    head: Head,
    body: BodyReader,
    server_address: tuple[str, int],
    client_address: tuple[str, int],
) -> dict[str, Any]:
    """The PEP 3333 environ for one request; REQUEST_URI keeps the target exactly as sent, which
    is what the client signed (RFC 5849 section 3.4.1.2)."""
    target = head.target
    if "://" in target.split("?", 1)[0]:  # absolute form: keep the path and query
        rest = target.split("://", 1)[1]
        target = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    path, _, query = target.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": head.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "REQUEST_URI": target,
        "SERVER_NAME": server_address[0],
        "SERVER_PORT": str(server_address[1]),
        "SERVER_PROTOCOL": head.version,
        "REMOTE_ADDR": client_address[0],
        "REMOTE_PORT": str(client_address[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in head.headers:
        if name == "content-type":
            environ["CONTENT_TYPE"] = value
        elif name == "content-length":
            environ["CONTENT_LENGTH"] = value
        else:
            key = "HTTP_" + name.upper().replace("-", "_")
            environ[key] = f"{environ[key]}, {value}" if key in environ else value
    return environ


def declared_length(headers: Iterable[tuple[str, str]]) -> int | None:
    """The Content-Length the app set, or None when it set none (or an unreadable one)."""
    for name, value in headers:
        if name.lower() == "content-length":
            length = whole_number(value.strip())
            if length is not None:
                return length
    return None


def answer_bytes(
    status: str, headers: Iterable[tuple[str, str]], body: bytes, *, close: bool, head_only: bool
) -> tuple[bytes, bool]:
    """Status line, headers and body as one buffer, and whether the connection may stay open.

    An app that sets Content-Length is held to it (PEP 3333): a longer body is cut to it, and a
    shorter one is sent as it is and the connection closed, which is how the client learns the
    answer was cut short. Without one, the server counts the body.
    """
    code = int(status.split(None, 1)[0])
    headers = list(headers)
    bodiless = head_only or code in _NO_BODY or code < 200
    declared = declared_length(headers)
    intact = True
    if not bodiless and declared is not None:
        intact = len(body) >= declared
        body = body[:declared]
    lines = [f"HTTP/1.1 {status}"]
    for name, value in headers:
        if name.lower() == "connection":
            continue  # the server decides whether the connection stays open
        lines.append(f"{name}: {value}")
    if not bodiless and declared is None:
        lines.append(f"Content-Length: {len(body)}")
    if close or not intact:
        lines.append("Connection: close")
    text = "\r\n".join(lines) + "\r\n\r\n"
    return text.encode("latin-1") + (b"" if bodiless else body), not close and intact


def message_answer(status: int, message: str, *, version: str = "HTTP/1.1") -> bytes:
    """A short JSON answer from the server itself, after which it closes the connection."""
    body = json.dumps({"message": message}).encode("utf-8")
    head = (
        f"{version} {status} {_REASONS.get(status, 'Error')}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


def run_app(app: WsgiApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """Call the WSGI app and collect its whole answer (the sandbox's answers are small)."""
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        if started and exc_info is None:
            raise AssertionError("start_response was called twice without exc_info")
        started[:] = [(status, list(headers))]
        return chunks.append

    chunks: list[bytes] = []
    try:
        result = app(environ, start_response)
        try:
            chunks.extend(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
    except OSError:
        raise  # the client stalled or left while its body was read: the connection handles it
    except Exception:
        log.error("error serving a request", exc_info=True)
        body = json.dumps({"message": "An internal error occurred."}).encode("utf-8")
        return "500 Internal Server Error", [("Content-Type", "application/json")], body
    if not started:
        raise RuntimeError("the WSGI app returned without calling start_response")
    status, headers = started[0]
    return status, headers, b"".join(chunks)


def access_line(head: Head, status: str) -> str:
    """What the debug log says about a request: never a signature from its query."""
    line = f'"{head.method} {head.target} {head.version}" {status.split(None, 1)[0]}'
    return redact(line)
