"""Serving the sandbox with the standard library: a threaded wsgiref server.

``serve_in_background`` is what tests and ``oauth-debug demo`` use: a server on a loopback port
(0 picks a free one) in a daemon thread, stopped and closed when the ``with`` block ends.
``make_server`` is what ``oauth-debug sandbox`` runs in the foreground.
"""

from __future__ import annotations

import logging
import re
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

log = logging.getLogger("oauth_debug.sandbox")


DEFAULT_REQUEST_TIMEOUT = 30.0
"""Seconds a connection may sit idle while the request (line, headers or body) is read."""


_SIGNATURE_IN_QUERY = re.compile(r"(oauth_signature=)[^&\s]*")


class _QuietHandler(WSGIRequestHandler):
    """Access lines go to the logger (debug level), not to stderr for every request."""

    def setup(self) -> None:
        super().setup()
        # socketserver's default read timeout is None: a client that announces a body and never
        # sends it would hold a server thread forever.
        self.connection.settimeout(getattr(self.server, "request_timeout", DEFAULT_REQUEST_TIMEOUT))

    def log_message(self, format: str, *args: Any) -> None:
        # The request line may carry a PLAINTEXT signature (the key itself) in its query.
        line = _SIGNATURE_IN_QUERY.sub(r"\1****", format % args)
        log.debug("%s - %s", self.address_string(), line)


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """One thread per connection, so concurrent clients (and slow ones) do not queue."""

    daemon_threads = True
    # socketserver's default backlog is 5: twenty clients connecting at once would see SYNs
    # dropped and one-second retransmits.
    request_queue_size = 128
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT


def make_server(
    app: Any,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
) -> ThreadingWSGIServer:
    """A bound, threaded WSGI server for ``app`` (not yet serving).

    ``request_timeout`` bounds each read from a client, so a stalled client costs one thread for
    that long, not for the life of the server.
    """
    server = ThreadingWSGIServer((host, port), _QuietHandler)
    server.request_timeout = request_timeout
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
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
) -> Iterator[RunningServer]:
    """Serve ``app`` in a daemon thread for the duration of the ``with`` block."""
    server = make_server(app, host, port, request_timeout=request_timeout)
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
