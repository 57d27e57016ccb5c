"""The explainer as a WSGI application: the page at ``/``, its JSON API under ``/api/``.

``create_app()`` gives a plain WSGI callable with no state between requests: a request's text and
secrets live only in the handling of that request (never logged, stored, or put in a URL or a
cookie). It honours ``SCRIPT_NAME``, so it can be mounted under any prefix, and the sandbox can
serve it at its root. The standard library serves it (``oauth-debug web``); any WSGI server can.

Routes:

- ``GET /``: the form (``?preset=ID`` fills it with a preset and shows its answer);
- ``POST /``: the form submitted without scripts: the page with the answer in ``#result``;
- ``POST /fragment``: only the answer's HTML, which the page's script swaps into ``#result``;
- ``POST /api/explain`` and ``POST /api/diagnose``: exactly the JSON of ``explain --format json``
  and ``diagnose --format json`` (a JSON object or form fields in; 400 ``{"error"}`` for bad input);
- ``GET /static/app.css`` and ``/static/app.js``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from ..errors import OAuthDebugError
from ..signer import random_nonce
from .api import (
    Fields,
    diagnose_document,
    diagnose_fields,
    explain_document,
    explain_trace,
    read_request,
)
from .page import Answer, render_answer, render_page
from .presets import preset

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

MAX_BODY_BYTES = 1_000_000
"""The largest form or JSON body accepted (a HAR of a big page is a few MB; a request is not)."""

SECURITY_HEADERS = [
    # Nothing but this server: no CDN, font or external script (and no inline script either).
    ("Content-Security-Policy", "default-src 'self'; base-uri 'none'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    # The page's URL holds the request in its fragment; no other site should learn even the path.
    ("Referrer-Policy", "no-referrer"),
    # Answers are computed with secrets: no cache (browser or proxy) keeps them.
    ("Cache-Control", "no-store"),
]

_STATIC = {
    "app.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    # The classroom's list page (sandbox/classroom.py), served by the same static route.
    "requests.js": "text/javascript; charset=utf-8",
}


class _BadRequest(Exception):
    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def create_app(
    *, clock: Callable[[], float] = time.time, nonce: Callable[[], str] = random_nonce
) -> WsgiApp:
    """The explainer's WSGI application. ``clock`` and ``nonce`` are the edge's time and
    randomness, used only for a request that carries no timestamp or nonce of its own."""

    def answer_of(fields: Fields) -> Answer:
        try:
            parsed = read_request(fields)
        except OAuthDebugError as error:
            return Answer(error=str(error))
        # The steps and the diagnosis each go as far as they can: a public RSA key checks a
        # signature but cannot make one, and an unsigned request has steps but no diagnosis.
        trace, result, problems = None, None, []
        try:
            trace = explain_trace(parsed, fields, clock, nonce)
        except OAuthDebugError as error:
            problems.append(str(error))
        if "oauth_signature" in _claimed(parsed):
            try:
                result = diagnose_fields(parsed, fields, clock)
            except OAuthDebugError as error:
                problems.append(str(error))
        if trace is None and result is not None:
            trace = result.expected
        if trace is None and result is None:
            return Answer(error="; ".join(problems))
        return Answer(parsed=parsed, trace=trace, diagnosis=result, problems=tuple(problems))

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        base = environ.get("SCRIPT_NAME", "").rstrip("/")
        path = environ.get("PATH_INFO", "") or "/"
        method = environ.get("REQUEST_METHOD", "GET").upper()
        try:
            if path.startswith("/static/"):
                return _static(path[len("/static/") :], method, start_response)
            if path == "/":
                if method in ("GET", "HEAD"):
                    chosen = _query(environ).get("preset", "")
                    return _page(base, chosen, None, start_response, answer_of)
                if method == "POST":
                    fields = Fields.of(_form(environ))
                    return _page(base, "", fields, start_response, answer_of)
                raise _BadRequest("405 Method Not Allowed", "use GET or POST")
            if path == "/fragment":
                _require_post(method)
                html = render_answer(answer_of(Fields.of(_form(environ))))
                return _send(start_response, "200 OK", "text/html; charset=utf-8", html)
            if path in ("/api/explain", "/api/diagnose"):
                _require_post(method)
                return _api(path, environ, start_response, clock, nonce)
            raise _BadRequest("404 Not Found", f"nothing at {path[:80]}")
        except _BadRequest as bad:
            document = json.dumps({"error": bad.message})
            return _send(start_response, bad.status, "application/json", document)

    return app


def _claimed(parsed: Any) -> dict[str, str]:
    from ..verify import claimed_parameters

    return claimed_parameters(parsed.request)[0]


def _page(
    base: str,
    chosen: str,
    fields: Fields | None,
    start_response: StartResponse,
    answer_of: Callable[[Fields], Answer],
) -> Iterable[bytes]:
    shown: dict[str, str] = {}
    answer = None
    picked = preset(chosen) if chosen else None
    if chosen and picked is None:
        raise _BadRequest("404 Not Found", f"no preset {chosen[:40]!r}")
    if picked is not None:
        # Preset secrets are published demo values: they may fill the form.
        shown = {
            "input": picked.request,
            "now": picked.now,
            "consumer_secret": picked.consumer_secret,
            "token_secret": picked.token_secret,
        }
        answer = answer_of(Fields.of(shown))
    elif fields is not None:
        answer = answer_of(fields)
        # The answer page gives the request back, never the secrets: they are typed again.
        shown = {k: v for k, v in fields.values.items() if k not in _SECRETS}
    html = render_page(base, shown, answer)
    return _send(start_response, "200 OK", "text/html; charset=utf-8", html)


_SECRETS = frozenset(("consumer_secret", "token_secret", "rsa_key"))


def _api(
    path: str,
    environ: dict[str, Any],
    start_response: StartResponse,
    clock: Callable[[], float],
    nonce: Callable[[], str],
) -> Iterable[bytes]:
    given = _json_or_form(environ)
    try:
        fields = Fields.of(given)
        parsed = read_request(fields)
        if path == "/api/explain":
            document = explain_document(explain_trace(parsed, fields, clock, nonce))
        else:
            document = diagnose_document(diagnose_fields(parsed, fields, clock), parsed)
    except OAuthDebugError as error:
        raise _BadRequest("400 Bad Request", str(error)) from None
    # The CLI's json.dumps, so that the bytes match what `--format json` prints.
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return _send(start_response, "200 OK", "application/json; charset=utf-8", text)


def _require_post(method: str) -> None:
    if method != "POST":
        raise _BadRequest("405 Method Not Allowed", "use POST")


def _body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise _BadRequest("400 Bad Request", "Content-Length is not a number") from None
    if length > MAX_BODY_BYTES:
        raise _BadRequest("413 Content Too Large", f"at most {MAX_BODY_BYTES} bytes")
    data: bytes = environ["wsgi.input"].read(length) if length > 0 else b""
    return data


def _form(environ: dict[str, Any], body: bytes | None = None) -> dict[str, str]:
    """An urlencoded form body (the page's form, and the script's copy of it)."""
    text = (_body(environ) if body is None else body).decode("utf-8", "replace")
    return {name: values[-1] for name, values in parse_qs(text, keep_blank_values=True).items()}


def _json_or_form(environ: dict[str, Any]) -> dict[str, Any]:
    body = _body(environ)
    kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    # `curl -d '{...}'` labels its JSON as a form: a body that opens an object is read as JSON.
    if kind == "application/x-www-form-urlencoded" and not body.lstrip().startswith(b"{"):
        return _form(environ, body)
    try:
        given = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise _BadRequest("400 Bad Request", "the body is not JSON (nor a form)") from None
    if not isinstance(given, dict):
        raise _BadRequest("400 Bad Request", "the body must be a JSON object")
    return given


def _query(environ: dict[str, Any]) -> dict[str, str]:
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    # Only the preset is read from a URL: a secret there would be in logs and history.
    return {"preset": query.get("preset", [""])[-1]}


def _static(name: str, method: str, start_response: StartResponse) -> Iterable[bytes]:
    if name not in _STATIC:
        raise _BadRequest("404 Not Found", "no such file")
    if method not in ("GET", "HEAD"):
        raise _BadRequest("405 Method Not Allowed", "use GET")
    text = (
        resources.files(__package__).joinpath("static").joinpath(name).read_text(encoding="utf-8")
    )
    return _send(start_response, "200 OK", _STATIC[name], text)


def _send(start_response: StartResponse, status: str, kind: str, text: str) -> list[bytes]:
    body = text.encode("utf-8")
    headers = [("Content-Type", kind), ("Content-Length", str(len(body))), *SECURITY_HEADERS]
    start_response(status, headers)
    return [body]
