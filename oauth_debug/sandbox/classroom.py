"""The sandbox as a classroom: the explainer at ``/``, the requests it answered at ``/requests``.

A teacher runs one sandbox for a room; each student's refused request is kept as a
:class:`~oauth_debug.sandbox.records.RequestRecord` (never a signature, a secret or a value
computed with one) in a :class:`MemoryRequestLog`, and :func:`classroom_app` serves:

- ``/`` and its API ``/api/explain``, ``/api/diagnose`` (with ``/fragment`` and ``/static/``):
  the explainer, :func:`oauth_debug.web.create_app`, as ``oauth-debug web`` serves it;
- ``/requests``: the recent requests, newest first, kept current by a small script;
- ``/requests/<id>``: one request explained, from its record's client-view diagnosis;
- ``GET /api/requests``: the same list as JSON;
- everything else (the Gallery API under ``/gallery/...``, ``/webapi/...``): the sandbox.

Only those exact paths are the classroom's, so a sandbox whose base path is ``/`` keeps its own
``/api/v1/...``. The pages need Jinja2 (a dependency of oauth-debug); the sandbox alone does
not, which is why ``oauth_debug.sandbox`` does not import this module.

The sandbox hands records to the log through ``create_app(..., request_log=log)``.
:func:`recording_app` is the same thing from outside, for a sandbox without that hook: it reads
each answer's status and, for a 401, the diagnosis the answer carries.
"""

from __future__ import annotations

import inspect
import io
import json
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import OAuthDebugError
from ..verify import claimed_parameters
from .records import RequestLog, RequestRecord
from .wsgi import MAX_BODY, request_from_environ, request_url

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

DEFAULT_MAX_RECORDS = 1000
LISTED = 100
"""How many records ``/requests`` and ``/api/requests`` show unless ``?limit=`` asks otherwise."""

_EXPLAINER_PATHS = frozenset(("/", "/fragment", "/api/explain", "/api/diagnose"))


class MemoryRequestLog:
    """The last ``max_records`` records in memory, newest first; safe from any server thread.

    Bounded so that a sandbox left running for a term does not grow without end: the oldest
    record goes when a new one would pass the bound (the id index goes with it).
    """

    def __init__(self, max_records: int = DEFAULT_MAX_RECORDS) -> None:
        if max_records < 1:
            raise ValueError("max_records must be at least 1")
        self.max_records = max_records
        self._lock = threading.Lock()
        self._records: OrderedDict[str, RequestRecord] = OrderedDict()

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.pop(record.request_id, None)
            self._records[record.request_id] = record
            while len(self._records) > self.max_records:
                self._records.popitem(last=False)

    def recent(self, limit: int = LISTED) -> list[RequestRecord]:
        with self._lock:
            newest = reversed(self._records.values())
            return [record for _, record in zip(range(max(limit, 0)), newest, strict=False)]

    def get(self, request_id: str) -> RequestRecord | None:
        with self._lock:
            return self._records.get(request_id)

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)


def classroom_app(
    sandbox_app: WsgiApp, log: RequestLog, *, explainer: WsgiApp | None = None
) -> WsgiApp:
    """The explainer, the requests pages and the sandbox behind one WSGI callable.

    ``log`` is the one the sandbox writes to; ``explainer`` defaults to
    ``oauth_debug.web.create_app()``. ``SCRIPT_NAME`` is honoured, as the explainer honours it.
    """
    from ..web import create_app
    from ..web.app import SECURITY_HEADERS
    from ..web.requests_page import PUBLIC_NOTICE, record_summary, render_request, render_requests

    shown = explainer if explainer is not None else create_app()

    def send(
        start_response: StartResponse, status: str, kind: str, text: str, *extra: tuple[str, str]
    ) -> list[bytes]:
        body = text.encode("utf-8")
        headers = [("Content-Type", kind), ("Content-Length", str(len(body))), *SECURITY_HEADERS]
        headers += extra
        start_response(status, headers)
        return [body]

    def error(start_response: StartResponse, status: str, message: str) -> list[bytes]:
        return send(start_response, status, "application/json", json.dumps({"error": message}))

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        if path in _EXPLAINER_PATHS or path.startswith("/static/"):
            return shown(environ, start_response)
        trimmed = path.rstrip("/")
        if trimmed not in ("/requests", "/api/requests") and not trimmed.startswith("/requests/"):
            return sandbox_app(environ, start_response)
        if environ.get("REQUEST_METHOD", "GET").upper() not in ("GET", "HEAD"):
            return error(start_response, "405 Method Not Allowed", "use GET")
        base = environ.get("SCRIPT_NAME", "").rstrip("/")
        if trimmed == "/api/requests":
            # The list itself, newest first, as the issue names it; the notice that anyone who
            # can reach the sandbox reads it travels in a header beside it.
            records = log.recent(_limit(environ))
            rows = [record_summary(base, record) for record in records]
            text = json.dumps(rows, indent=2, ensure_ascii=False)
            kind = "application/json; charset=utf-8"
            notice = ("X-Oauth-Debug-Notice", PUBLIC_NOTICE)
            return send(start_response, "200 OK", kind, text, notice)
        if trimmed == "/requests":
            html = render_requests(base, log.recent(_limit(environ)))
            return send(start_response, "200 OK", "text/html; charset=utf-8", html)
        record = log.get(unquote(trimmed[len("/requests/") :]))
        if record is None:
            return error(start_response, "404 Not Found", "no such request (or no longer kept)")
        html = render_request(base, record)
        return send(start_response, "200 OK", "text/html; charset=utf-8", html)

    return app


def _limit(environ: dict[str, Any]) -> int:
    asked = parse_qs(environ.get("QUERY_STRING", "")).get("limit", [""])[-1]
    try:
        limit = int(asked)
    except ValueError:
        return LISTED
    return max(limit, 0)


def recording_app(
    sandbox_app: WsgiApp, log: RequestLog, clock: Callable[[], float] | None = None
) -> WsgiApp:
    """``sandbox_app`` with one record added to ``log`` per request it answers.

    The fallback for a sandbox without the ``request_log`` hook: the record is built from the
    request (method, path without its query, the consumer key it claims) and the answer (its
    status, and for a 401 the client-view diagnosis that the sandbox put in the answer's JSON).
    ``clock`` defaults to the sandbox's own (``sandbox_app.config.now``), then to the host's.
    """
    config = getattr(sandbox_app, "config", None)
    now: Callable[[], float] = clock or getattr(config, "now", None) or time.time

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        consumer_key = _consumer_key(environ)
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            seen["status"] = status
            return start_response(status, headers, *rest)

        body = b"".join(sandbox_app(environ, capture))
        status = int(str(seen.get("status", "500")).split()[0])
        log.add(_record(environ, consumer_key, status, body, now()))
        return [body]

    return app


def _consumer_key(environ: dict[str, Any]) -> str | None:
    """The oauth_consumer_key the request claims; the body is read once and put back."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        return None  # the sandbox refuses it (413) without reading it: so does this
    if length > 0:
        environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(length))
    try:
        claimed = claimed_parameters(request_from_environ(environ))[0]
    except (OAuthDebugError, ValueError, UnicodeError, OSError):
        claimed = {}
    finally:
        if length > 0:
            environ["wsgi.input"].seek(0)
    return claimed.get("oauth_consumer_key")


def _record(
    environ: dict[str, Any], consumer_key: str | None, status: int, body: bytes, at: float
) -> RequestRecord:
    diagnosis = _diagnosis_of(body) if status == 401 else None
    refused = (diagnosis or {}).get("refused_because")
    findings = (diagnosis or {}).get("findings") or []
    try:
        path = urlsplit(request_url(environ)).path or "/"
    except (UnicodeError, ValueError):
        path = "(unreadable path)"
    return RequestRecord(
        request_id=uuid.uuid4().hex[:16],
        time=at,
        method=str(environ.get("REQUEST_METHOD", "GET")),
        path=path,
        consumer_key=consumer_key,
        status=status,
        verdict=None if diagnosis is None else str(diagnosis.get("verdict")),
        mistakes=tuple(str(m) for m in (diagnosis or {}).get("mistakes") or ()),
        findings=tuple(str(f["id"]) for f in findings if isinstance(f, dict) and "id" in f),
        refused_because=str(refused["check"]) if isinstance(refused, dict) else None,
        diagnosis=diagnosis,
    )


def _diagnosis_of(body: bytes) -> dict[str, Any] | None:
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    found = answer.get("diagnosis") if isinstance(answer, dict) else None
    return found if isinstance(found, dict) else None


def create_classroom(config: Any = None, *, max_records: int = DEFAULT_MAX_RECORDS) -> WsgiApp:
    """A sandbox with its classroom, for a WSGI server such as gunicorn::

        gunicorn --workers 1 --threads 8 --bind 0.0.0.0:8080 \\
            'oauth_debug.sandbox.classroom:create_classroom()'

    ``config`` is a :class:`~oauth_debug.sandbox.SandboxConfig` (None: the demo keys). One
    worker, as for the sandbox alone: the log lives in that process's memory.
    """
    from . import create_app

    log = MemoryRequestLog(max_records)
    return classroom_app(with_log(create_app, config, log), log)


def with_log(factory: Callable[..., WsgiApp], config: Any, log: RequestLog) -> WsgiApp:
    """``factory(config, request_log=log)`` when the sandbox has that hook, else the sandbox
    wrapped by :func:`recording_app`: either way, one record per answered request."""
    if "request_log" in inspect.signature(factory).parameters:
        return factory(config, request_log=log)
    return recording_app(factory(config), log)


__all__ = [
    "MemoryRequestLog",
    "classroom_app",
    "create_classroom",
    "recording_app",
    "with_log",
]
