"""Serving the sandbox with the standard library: a threaded wsgiref server.

``serve_in_background`` is what tests and ``oauth-debug demo`` use: a server on a loopback port
(0 picks a free one) in a daemon thread, stopped and closed when the ``with`` block ends.
``make_server`` is what ``oauth-debug sandbox`` runs in the foreground.

The server is bounded in time and threads: each connection carries one request (wsgiref answers
HTTP/1.0 and closes, so no connection idles between requests), which must arrive whole (line,
headers and body) within ``request_timeout`` of the connection being accepted, whatever pace it
trickles in at; it is answered 408 otherwise. At most ``max_connections`` connections are served
at once, a thread each; one more is answered 503 by the accepting thread and closed at once.
A client that stalls, resets or leaves is logged at debug level, never a traceback on stderr.
"""

from __future__ import annotations

import io
import json
import logging
import re
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any, cast
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from ..errors import InvalidOptionError
from .config import DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT

log = logging.getLogger("oauth_debug.sandbox")

__all__ = [
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_REQUEST_TIMEOUT",
    "RunningServer",
    "ThreadingWSGIServer",
    "make_server",
    "running",
    "serve_in_background",
]

_SIGNATURE_IN_QUERY = re.compile(r"(oauth_signature=)[^&\s]*")
_REFUSAL_WRITE_TIMEOUT = 1.0
"""Seconds to spend writing a 503 or 408 to a client the server is about to drop."""
_LINGER_SECONDS = 0.5
"""How long a finished connection's unread input is drained before the socket is closed."""


class _DeadlineReader(io.RawIOBase):
    """A socket's reading side in which every ``recv`` may take only the time left before one
    deadline.

    A socket timeout bounds each read, not the request: a client sending a byte every 0.3 s
    renews a 30 s timeout forever (a "slow loris") and holds its thread. Giving every read just
    what remains of the request's time bounds the whole request, however it trickles in.
    """

    def __init__(self, sock: socket.socket, deadline: float, write_timeout: float) -> None:
        super().__init__()
        self._sock = sock
        self._deadline = deadline
        self._write_timeout = write_timeout

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive before its deadline")
        self._sock.settimeout(left)
        try:
            return self._sock.recv_into(buffer)
        finally:
            # The socket's timeout also bounds each write of the answer (sendall's total).
            self._sock.settimeout(self._write_timeout)


class _ServerHandler(ServerHandler):
    """wsgiref's handler, with its error report going to the logger instead of stderr."""

    def log_exception(self, exc_info: Any) -> None:
        error = exc_info[1]
        if isinstance(error, OSError):  # the client went away or stalled while being answered
            log.debug("answer not delivered: %r", error)
        else:
            log.error("error serving a request", exc_info=exc_info)


class _QuietHandler(WSGIRequestHandler):
    """One request per connection, read against one deadline; access lines go to the logger
    (debug level: the app logs each request at info), never a traceback to stderr."""

    server: ThreadingWSGIServer

    def setup(self) -> None:
        super().setup()
        timeout = self.server.request_timeout
        self.connection.settimeout(timeout)
        # The whole request (line, headers, body: wsgi.input is this same reader) gets one
        # deadline, counted from the connection's acceptance.
        self.rfile.close()  # the plain reader made by StreamRequestHandler (the socket stays)
        reader = _DeadlineReader(self.connection, time.monotonic() + timeout, timeout)
        self.rfile = io.BufferedReader(reader)

    def handle(self) -> None:
        """wsgiref's ``handle``, with a client that stalls or leaves answered quietly."""
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if len(self.raw_requestline) > 65536:
                self.requestline = self.request_version = self.command = ""
                self.send_error(414)
                return
            if not self.parse_request():  # an error was answered, or the client sent nothing
                return
        except TimeoutError:
            self._too_slow()
            return
        except OSError as error:  # reset or closed before a request arrived: nothing to answer
            log.debug("%s - connection closed before a request: %r", self.address_string(), error)
            return
        handler = _ServerHandler(
            self.rfile,
            cast(IO[bytes], self.wfile),
            self.get_stderr(),
            self.get_environ(),
            multithread=False,
        )
        handler.request_handler = self  # type: ignore[attr-defined]  # wsgiref logs through it
        app = self.server.get_app()
        assert app is not None, "make_server sets the app before serving"
        handler.run(app)

    def _too_slow(self) -> None:
        seconds = self.server.request_timeout
        log.info(
            "%s - cut off: the request did not arrive within %g s", self.address_string(), seconds
        )
        message = f"The request (line, headers and body) did not arrive within {seconds:g} seconds."
        _answer_and_drop(self.connection, 408, "Request Timeout", message)

    def log_message(self, format: str, *args: Any) -> None:
        # The request line may carry a PLAINTEXT signature (the key itself) in its query.
        line = _SIGNATURE_IN_QUERY.sub(r"\1****", format % args)
        log.debug("%s - %s", self.address_string(), line)


def _answer_and_drop(sock: socket.socket, status: int, reason: str, message: str) -> None:
    """Best effort: a short JSON answer, then the connection is closed by the caller."""
    body = json.dumps({"message": message}).encode("utf-8")
    head = (
        f"HTTP/1.0 {status} {reason}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode("ascii")
    try:
        sock.settimeout(_REFUSAL_WRITE_TIMEOUT)
        sock.sendall(head + body)
    except OSError:
        pass  # the client is gone or not reading: closing is all that is left


def _close(sock: socket.socket, linger: float) -> None:
    """Stop sending, read and drop what the client still sends (for ``linger`` seconds at most,
    or what has already arrived when 0), then close."""
    try:
        sock.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + linger
        while True:
            left = deadline - time.monotonic()
            sock.settimeout(left if left > 0 else 0.0)  # 0: only what has already arrived
            if not sock.recv(65536):
                break  # the client closed its side too
            if left <= 0:
                break
    except OSError:
        pass  # already reset, closed or timed out: nothing more to drain
    sock.close()


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """One thread per connection, at most ``max_connections`` of them: a connection beyond the
    cap is answered 503 at once by the accepting thread and closed, so waiting clients cost no
    thread each."""

    daemon_threads = True
    # socketserver's default backlog is 5: twenty clients connecting at once would see SYNs
    # dropped and one-second retransmits.
    request_queue_size = 128
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    max_connections: int = DEFAULT_MAX_CONNECTIONS

    def server_activate(self) -> None:
        super().server_activate()
        self._slots = threading.BoundedSemaphore(self.max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self._refuse(request, client_address)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread started: nothing else will give the slot back
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _refuse(self, request: socket.socket, client_address: Any) -> None:
        log.info(
            "%s - refused with 503: %d connections are being served already",
            client_address[0],
            self.max_connections,
        )
        message = f"The sandbox is serving {self.max_connections} connections already; try again."
        _answer_and_drop(request, 503, "Service Unavailable", message)
        # No lingering here: this is the accepting thread, which must not wait on a client.
        _close(request, linger=0.0)

    def shutdown_request(self, request: Any) -> None:
        """Close a served connection with a "lingering close" (RFC 9112 9.6): closing a socket
        with unread input makes the kernel send a reset, which can destroy the answer (a 400 or
        408 to a client still sending) before the client reads it."""
        _close(request, linger=_LINGER_SECONDS)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver prints a traceback to stderr; a client that leaves is no error.
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            log.debug("%s - connection dropped: %r", client_address[0], error)
        else:
            log.exception("error serving %s", client_address[0])


def make_server(
    app: Any,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    request_timeout: float | None = None,
    max_connections: int | None = None,
) -> ThreadingWSGIServer:
    """A bound, threaded WSGI server for ``app`` (not yet serving).

    ``request_timeout`` is the time a client has to send its whole request, so a stalled or
    trickling client costs one thread for that long at most; ``max_connections`` caps the
    threads. Either one left out is taken from ``app.config`` (a :class:`SandboxConfig`), or is
    the default when the app has none.
    """
    config = getattr(app, "config", None)
    if request_timeout is None:
        request_timeout = float(getattr(config, "request_timeout", DEFAULT_REQUEST_TIMEOUT))
    if max_connections is None:
        max_connections = int(getattr(config, "max_connections", DEFAULT_MAX_CONNECTIONS))
    if request_timeout <= 0 or max_connections < 1:
        raise InvalidOptionError("request_timeout must be > 0 and max_connections at least 1")
    server = ThreadingWSGIServer((host, port), _QuietHandler, bind_and_activate=False)
    server.request_timeout = request_timeout
    server.max_connections = max_connections
    try:
        server.server_bind()
        server.server_activate()
    except BaseException:
        server.server_close()
        raise
    server.set_app(app)
    return server


@dataclass(frozen=True)
class RunningServer:
    """A sandbox being served: where to reach it."""

    host: str
    port: int
    base_path: str

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``"""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The Gallery base address clients are given: ``http://127.0.0.1:PORT/gallery``."""
        return self.url + self.base_path


def running(server: ThreadingWSGIServer, app: Any) -> RunningServer:
    """Where ``server`` (serving ``app``) can be reached."""
    host, port = server.server_address[:2]
    config = getattr(app, "config", None)
    base_path = str(getattr(config, "base_path", "/gallery"))
    return RunningServer(str(host), int(port), base_path)


@contextmanager
def serve_in_background(
    app: Any,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    stop_timeout: float = 5.0,
    request_timeout: float | None = None,
    max_connections: int | None = None,
) -> Iterator[RunningServer]:
    """Serve ``app`` in a daemon thread for the duration of the ``with`` block (``request_timeout``
    and ``max_connections`` as for :func:`make_server`)."""
    server = make_server(
        app, host, port, request_timeout=request_timeout, max_connections=max_connections
    )
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.01},  # shutdown() waits up to one interval
        name="oauth-debug-sandbox",
        daemon=True,
    )
    thread.start()
    try:
        yield running(server, app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(stop_timeout)
