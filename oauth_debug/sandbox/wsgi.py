"""The WSGI edge: environ in, :class:`Response` out, with the headers every Gallery answer has.

Kept apart from routing and authentication so those stay pure functions of an
:class:`~oauth_debug.model.HttpRequest` (DESIGN.md, principle 4).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any
from urllib.parse import quote

from ..model import HttpRequest
from ..uri import DEFAULT_PORTS

# The CORS headers the real Gallery sends on every answer (research notes, "Errors and headers").
CORS_HEADERS: tuple[tuple[str, str], ...] = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS"),
    ("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization"),
    ("Access-Control-Max-Age", "1728000"),
)

JSON = "application/json"
MAX_BODY = 1 << 20  # a job request is a few hundred bytes; refuse anything absurd
_REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    500: "Internal Server Error",
}


@dataclass(frozen=True)
class Response:
    """One answer: status code, headers (beyond the common ones) and body bytes."""

    status: int
    body: bytes = b""
    content_type: str = JSON
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def status_line(self) -> str:
        return f"{self.status} {_REASONS.get(self.status, 'Unknown')}"


def json_response(status: int, payload: Any, headers: Iterable[tuple[str, str]] = ()) -> Response:
    """A JSON answer (compact, as a .NET server writes it)."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return Response(status, body, JSON, tuple(headers))


def message_response(status: int, message: str) -> Response:
    """The Gallery's error shape for answers that are not 401s: ``{"message": ...}``."""
    return json_response(status, {"message": message})


def wire_headers(response: Response, now: float) -> list[tuple[str, str]]:
    """Every header of ``response``: content type, Date (from the sandbox clock), CORS, extras.

    The Date comes from the sandbox's clock, not the host's, so a client's clock-skew check can be
    tested against a sandbox whose clock is deliberately off.
    """
    headers = [("Date", formatdate(now, usegmt=True)), *CORS_HEADERS]
    if response.status != 204:
        # Exactly "application/json", as the Gallery sends it (JSON is UTF-8 by definition).
        headers += [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(response.body))),
        ]
    return headers + list(response.headers)


def request_url(environ: Mapping[str, Any]) -> str:
    """The absolute URL the client sent, as it wrote it, which is what it signed (3.4.1.2).

    Servers disagree on how much of the path they decode: gunicorn keeps the raw target in
    RAW_URI, others in REQUEST_URI; wsgiref gives only the decoded PATH_INFO, which is encoded
    back (the Gallery's own paths are plain ASCII, so nothing is lost for them).
    """
    scheme = str(environ.get("wsgi.url_scheme", "http"))
    host = environ.get("HTTP_HOST")
    if not host:
        host = str(environ.get("SERVER_NAME", "localhost"))
        port = str(environ.get("SERVER_PORT", ""))
        if port and port != str(DEFAULT_PORTS.get(scheme)):
            host = f"{host}:{port}"
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw and str(raw).startswith("/"):
        return f"{scheme}://{host}{raw}"
    path = str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", ""))
    # PEP 3333: PATH_INFO is bytes decoded as latin-1; undo that before encoding back.
    path = quote(path.encode("latin-1").decode("utf-8", "replace"), safe="/:@!$&'()*+,;=-._~")
    query = str(environ.get("QUERY_STRING", ""))
    return f"{scheme}://{host}{path}" + (f"?{query}" if query else "")


def request_from_environ(environ: Mapping[str, Any]) -> HttpRequest:
    """The WSGI request as this package's :class:`HttpRequest` (headers and body included).

    Raises ValueError when the body is larger than :data:`MAX_BODY`.
    """
    headers: list[tuple[str, str]] = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers.append((key[5:].replace("_", "-").title(), str(value)))
    if environ.get("CONTENT_TYPE"):
        headers.append(("Content-Type", str(environ["CONTENT_TYPE"])))
    body = _read_body(environ)
    return HttpRequest(
        str(environ.get("REQUEST_METHOD", "GET")), request_url(environ), headers, body
    )


def _read_body(environ: Mapping[str, Any]) -> bytes | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise ValueError(f"a request body of {length} bytes is larger than {MAX_BODY}")
    if length <= 0:
        return None
    stream = environ["wsgi.input"]
    data: bytes = stream.read(length)
    return data
