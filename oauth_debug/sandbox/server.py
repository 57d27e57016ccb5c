"""Serving the sandbox with the standard library: a threaded HTTP/1.1 WSGI server.

``serve_in_background`` is what tests and ``oauth-debug demo`` use: a server on a loopback port
(0 picks a free one) in a daemon thread, stopped and closed when the ``with`` block ends.
``make_server`` is what ``oauth-debug sandbox`` runs in the foreground.

Connections are persistent (HTTP/1.1 keep-alive; what happens on one is in
:mod:`oauth_debug.sandbox.connection`) and the server is bounded in time and threads: each
request must arrive whole (line, headers and body) within ``request_timeout``, counted from the
connection's acceptance for the first request and from its first byte for each later one; it is
answered 408 otherwise. A connection idle between requests for ``idle_timeout`` is closed
quietly. At most ``max_connections`` connections are served at once, a thread each (an idle
keep-alive connection keeps its thread); one more is answered 503 by the accepting thread and
closed at once. A client that stalls, resets or leaves is logged at debug level, never a
traceback on stderr.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidOptionError
from .config import DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT
from .connection import (
    REFUSAL_WRITE_TIMEOUT,
    BadRequest,
    BodyReader,
    DeadlineReader,
    WsgiApp,
    access_line,
    answer_bytes,
    content_length,
    environ_for,
    message_answer,
    read_head,
    run_app,
)

log = logging.getLogger("oauth_debug.sandbox")

__all__ = [
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_REQUEST_TIMEOUT",
    "RunningServer",
    "ThreadingWSGIServer",
    "make_server",
    "running",
    "serve_in_background",
]

DEFAULT_IDLE_TIMEOUT = 5.0
"""Seconds a keep-alive connection may wait for its next request before it is closed."""
_LINGER_SECONDS = 0.5
"""How long a finished connection's unread input is drained before the socket is closed."""
_DRAIN_LIMIT = 65536
"""Body bytes the app left unread that are read and dropped to keep the connection; past it,
the connection is closed instead (reading a large unwanted upload costs more than a connect)."""


class _ConnectionHandler(socketserver.BaseRequestHandler):
    """Serves the requests of one connection in turn until it is to be closed."""

    server: ThreadingWSGIServer
    request: socket.socket

    def handle(self) -> None:
        sock = self.request
        timeout = self.server.request_timeout
        # Answers are written whole, in one send: nothing is gained by delaying them.
        with contextlib.suppress(OSError):  # not TCP (a test's socket pair), or already reset
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = DeadlineReader(sock, time.monotonic() + timeout)
        stream: io.BufferedReader[Any] = io.BufferedReader(reader)
        while self._serve_one(stream, reader):
            if not self._wait_for_next(stream, reader):
                return
            reader.deadline = time.monotonic() + timeout  # this request's own deadline

    def _wait_for_next(self, stream: io.BufferedReader[Any], reader: DeadlineReader) -> bool:
        """Wait up to the idle timeout for the next request's first byte; False to close."""
        reader.deadline = time.monotonic() + self.server.idle_timeout
        reader.expect_wait = True
        if not self.server.mark_idle(self.request):
            return False  # the server is closing
        try:
            return bool(stream.peek(1))  # b"": the client closed its side
        except TimeoutError:
            log.debug("%s - idle keep-alive connection closed", self.client_address[0])
            return False
        except OSError as error:  # reset, or shut down by server_close
            log.debug("%s - idle connection ended: %r", self.client_address[0], error)
            return False
        finally:
            self.server.mark_busy(self.request)

    def _serve_one(self, stream: io.BufferedReader[Any], reader: DeadlineReader) -> bool:
        """Read one request, answer it; True when the connection is to stay open."""
        sock = self.request
        timeout = self.server.request_timeout
        try:
            head = read_head(stream)
            if head is None:
                return False
            length = content_length(head)
        except TimeoutError:
            self._too_slow()
            return False
        except BadRequest as refusal:
            log.info("%s - refused with %d: %s", self.client_address[0], refusal.status, refusal)
            _send_quietly(sock, message_answer(refusal.status, refusal.message))
            return False
        except OSError as error:  # reset or closed before a request arrived: nothing to answer
            log.debug("%s - connection closed before a request: %r", self.client_address[0], error)
            return False
        body = BodyReader(stream, length)
        try:
            if length and head.version == "HTTP/1.1" and "100-continue" in head.tokens("expect"):
                reader.send_all(b"HTTP/1.1 100 Continue\r\n\r\n", timeout)  # RFC 9110 10.1.1
            environ = environ_for(head, body, self.server.address, self.client_address)
            app = self.server.get_app()
            assert app is not None, "make_server sets the app before serving"
            status, headers, data = run_app(app, environ)
        except OSError as error:
            log.debug("%s - client stalled or left mid-request: %r", self.client_address[0], error)
            return False
        keep = head.keep_alive and _drained(body) and not self.server.closing
        head_only = head.method == "HEAD"
        answer, keep = answer_bytes(status, headers, data, close=not keep, head_only=head_only)
        try:
            reader.send_all(answer, timeout)
        except OSError as error:
            log.debug("%s - answer not delivered: %r", self.client_address[0], error)
            return False
        if log.isEnabledFor(logging.DEBUG):  # the line is not even built otherwise
            log.debug("%s - %s", self.client_address[0], access_line(head, status))
        return keep

    def _too_slow(self) -> None:
        seconds = self.server.request_timeout
        log.info(
            "%s - cut off: the request did not arrive within %g s", self.client_address[0], seconds
        )
        message = f"The request (line, headers and body) did not arrive within {seconds:g} seconds."
        # HTTP/1.0: what the client speaks is not known, and the connection closes either way.
        _send_quietly(sock=self.request, data=message_answer(408, message, version="HTTP/1.0"))


def _drained(body: BodyReader) -> bool:
    """Whether the app's unread body (if small) was read to its end, so the next request
    starts where it should; a body cut short by its deadline or a reset is not."""
    if body.left > _DRAIN_LIMIT:
        return False
    try:
        while body.left and body.read(65536):
            pass
    except OSError:
        return False
    return body.left == 0


def _send_quietly(sock: socket.socket, data: bytes, timeout: float = REFUSAL_WRITE_TIMEOUT) -> bool:
    """Write ``data`` whole; False (logged at debug) when the client is gone or not reading."""
    try:
        sock.settimeout(timeout)
        sock.sendall(data)
    except OSError as error:
        log.debug("answer not delivered: %r", error)
        return False
    return True


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


class ThreadingWSGIServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """One thread per connection, at most ``max_connections`` of them: a connection beyond the
    cap is answered 503 at once by the accepting thread and closed, so waiting clients cost no
    thread each."""

    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog is 5: twenty clients connecting at once would see SYNs
    # dropped and one-second retransmits.
    request_queue_size = 128
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    closing = False
    _app: WsgiApp | None = None

    def server_activate(self) -> None:
        super().server_activate()
        self._slots = threading.BoundedSemaphore(self.max_connections)
        self._lock = threading.Lock()
        self._idle: set[socket.socket] = set()
        host, port = self.server_address[:2]
        self.address = (str(host), int(port))

    def set_app(self, app: WsgiApp) -> None:
        self._app = app

    def get_app(self) -> WsgiApp | None:
        return self._app

    def mark_idle(self, sock: socket.socket) -> bool:
        """Note a connection waiting between requests; False when the server is closing."""
        with self._lock:
            if self.closing:
                return False
            self._idle.add(sock)
            return True

    def mark_busy(self, sock: socket.socket) -> None:
        with self._lock:
            self._idle.discard(sock)

    def server_close(self) -> None:
        """Stop listening, and end the keep-alive connections waiting for a next request (one
        being answered finishes its answer, with ``Connection: close``)."""
        super().server_close()
        with self._lock:
            self.closing = True
            idle, self._idle = self._idle, set()
        for sock in idle:
            with contextlib.suppress(OSError):  # already gone
                sock.shutdown(socket.SHUT_RDWR)  # wakes its thread's recv

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
        _send_quietly(request, message_answer(503, message, version="HTTP/1.0"))
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
    idle_timeout: float | None = None,
) -> ThreadingWSGIServer:
    """A bound, threaded WSGI server for ``app`` (not yet serving).

    ``request_timeout`` is the time a client has to send each whole request, so a stalled or
    trickling client costs one thread for that long at most; ``idle_timeout`` is how long a
    keep-alive connection may wait for its next request; ``max_connections`` caps the threads.
    Each one left out is taken from ``app.config`` (a :class:`SandboxConfig`), or is the default
    when the app has none.
    """
    config = getattr(app, "config", None)
    if request_timeout is None:
        request_timeout = float(getattr(config, "request_timeout", DEFAULT_REQUEST_TIMEOUT))
    if max_connections is None:
        max_connections = int(getattr(config, "max_connections", DEFAULT_MAX_CONNECTIONS))
    if idle_timeout is None:
        idle_timeout = float(getattr(config, "idle_timeout", DEFAULT_IDLE_TIMEOUT))
    if request_timeout <= 0 or idle_timeout <= 0 or max_connections < 1:
        raise InvalidOptionError(
            "request_timeout and idle_timeout must be > 0 and max_connections at least 1"
        )
    server = ThreadingWSGIServer((host, port), _ConnectionHandler, bind_and_activate=False)
    server.request_timeout = request_timeout
    server.idle_timeout = idle_timeout
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
    idle_timeout: float | None = None,
) -> Iterator[RunningServer]:
    """Serve ``app`` in a daemon thread for the duration of the ``with`` block (``request_timeout``,
    ``max_connections`` and ``idle_timeout`` as for :func:`make_server`)."""
    server = make_server(
        app,
        host,
        port,
        request_timeout=request_timeout,
        max_connections=max_connections,
        idle_timeout=idle_timeout,
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
