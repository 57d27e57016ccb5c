"""A transport failure in one line: where we tried to connect, and what went wrong.

requests wraps urllib3's errors, which wrap the socket's: ``str(error)`` of a refused connection
is "HTTPConnectionPool(host=..., port=...): Max retries exceeded with url: ... (Caused by
NewConnectionError(...: [Errno 111] Connection refused))". The person needs "127.0.0.1:9:
connection refused". This walks the chain of causes once and names the innermost one it knows.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import MaxRetryError, NameResolutionError

_DEFAULT_PORTS = {"http": 80, "https": 443}


def host_port(url: str) -> str:
    """``host:port`` of ``url``, the port filled in from the scheme when the URL has none."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:  # a port that is no number: the URL is shown elsewhere anyway
        port = None
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address keeps its brackets
    return f"{shown}:{port}" if port else shown


def _causes(error: BaseException) -> Iterator[BaseException]:
    """``error``, then what it wraps: args (requests, MaxRetryError.reason), then __cause__."""
    seen: set[int] = set()
    stack: list[BaseException] = [error]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        inner: list[BaseException] = []
        if isinstance(item, MaxRetryError) and isinstance(item.reason, BaseException):
            inner.append(item.reason)
        inner += [arg for arg in item.args if isinstance(arg, BaseException)]
        for linked in (item.__cause__, item.__context__):
            if linked is not None:
                inner.append(linked)
        stack.extend(reversed(inner))


def transport_summary(error: BaseException, url: str) -> str:
    """What went wrong reaching ``url``, in words, with host:port: never urllib3's repr chain."""
    where = host_port(url)
    causes = list(_causes(error))
    if any(isinstance(c, ConnectionRefusedError) for c in causes) or any(
        "connection refused" in str(c).lower() for c in causes
    ):
        return f"{where}: connection refused (is the server running, and is the port right?)"
    if any(isinstance(c, (NameResolutionError, socket.gaierror)) for c in causes):
        return f"{where}: the host name could not be resolved (check the spelling and DNS)"
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return f"{where}: connecting timed out (a firewall, or the wrong address)"
    if isinstance(error, requests.exceptions.ReadTimeout):
        return f"{where}: connected, but no answer came in time (raise --timeout?)"
    if isinstance(error, requests.exceptions.SSLError) or any(
        isinstance(c, ssl.SSLError) for c in causes
    ):
        reason = next((c for c in causes if isinstance(c, ssl.SSLError)), error)
        return f"{where}: the TLS handshake failed ({_short(reason)})"
    if any(isinstance(c, ConnectionResetError) for c in causes):
        return f"{where}: the connection was reset by the server"
    return f"{where}: {type(error).__name__} ({_short(error)})"


def _short(error: BaseException, limit: int = 160) -> str:
    """The innermost message, on one line and bounded."""
    text = " ".join(str(getattr(error, "reason", None) or error).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
