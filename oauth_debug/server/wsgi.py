"""WSGI middleware (PEP 3333): verify every request before the application sees it.

Works under any WSGI framework (Flask, Django, Bottle): an accepted request reaches the app with the
:class:`~oauth_debug.server.verifier.Accepted` at ``environ["oauth_debug.accepted"]``; a refused one
is answered here. The request is rebuilt as the client sent it: the raw path from ``RAW_URI`` or
``REQUEST_URI`` when the server provides it (PATH_INFO is already percent-decoded, and the
signature covers the encoded path, RFC 5849 3.4.1.2), and the body read once and handed on
unchanged, so a form body is verified as the client signed it and the app still reads it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import OAuthDebugError
from ..model import HttpRequest
from .refusal import Refused
from .verifier import RequestVerifier

ENVIRON_KEY = "oauth_debug.accepted"
MAX_BODY = 10 * 1024 * 1024
"""The largest body read for verification (10 MiB); a longer one is refused unread (413)."""

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def request_from_environ(environ: dict[str, Any], body: bytes) -> HttpRequest:
    """The HTTP request a WSGI environ describes, with its path as the client encoded it."""
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST")
    if not host:
        host = environ.get("SERVER_NAME", "localhost")
        port = environ.get("SERVER_PORT", "")
        if port and port != ("443" if scheme == "https" else "80"):
            host = f"{host}:{port}"
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw and raw.startswith("/"):
        target = raw
    else:
        # PEP 3333: PATH_INFO is the decoded path as latin-1 text; encoding it again is the best
        # a server without RAW_URI allows (the client's own escapes may have differed).
        from urllib.parse import quote

        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        path = quote(path.encode("latin-1").decode("utf-8", "replace"), safe="/:@!$&'()*+,;=~-._")
        query = environ.get("QUERY_STRING", "")
        target = path + (f"?{query}" if query else "")
    headers = [
        (name[5:].replace("_", "-").title(), str(value))
        for name, value in environ.items()
        if name.startswith("HTTP_")
    ]
    if environ.get("CONTENT_TYPE"):
        headers.append(("Content-Type", environ["CONTENT_TYPE"]))
    return HttpRequest(
        environ.get("REQUEST_METHOD", "GET"), f"{scheme}://{host}{target}", headers, body
    )


def _read_body(environ: dict[str, Any]) -> bytes | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        return None
    stream = environ.get("wsgi.input")
    return stream.read(length) if stream is not None and length > 0 else b""


class OAuth1Middleware:
    """``app = OAuth1Middleware(app, verifier)``: only verified requests reach ``app``."""

    def __init__(self, app: WSGIApp, verifier: RequestVerifier) -> None:
        self.app = app
        self.verifier = verifier

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        body = _read_body(environ)
        if body is None:
            start_response("413 Content Too Large", [("Content-Type", "text/plain")])
            return [b"the body is too large to verify\n"]
        environ["wsgi.input"] = io.BytesIO(body)  # the app reads the very bytes verified
        environ["CONTENT_LENGTH"] = str(len(body))
        try:
            request = request_from_environ(environ, body)
            accepted = self.verifier.check(request, remote_addr=environ.get("REMOTE_ADDR"))
        except Refused as refused:
            start_response(_status_line(refused.status), list(refused.headers))
            return [refused.body]
        except OAuthDebugError as error:  # a request line no HttpRequest can hold
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [f"{error}\n".encode()]
        environ[ENVIRON_KEY] = accepted
        return self.app(environ, start_response)


def _status_line(status: int) -> str:
    from http import HTTPStatus

    return f"{status} {HTTPStatus(status).phrase}"
