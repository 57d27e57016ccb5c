"""The sandbox's parts without a server: the replay store and its bound, WSGI conformance (what
gunicorn relies on), answer parsing and the request URL a signature is checked against."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import quote
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.sandbox import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    WORKFLOWS,
    SandboxConfig,
    create_app,
)
from oauth_debug.sandbox.wsgi import request_url
from oauth_debug.server import MemoryNonces

NOW = 1_700_000_000.0


def _environ(request: HttpRequest) -> dict[str, Any]:
    path, _, query = request.url.split("://", 1)[1].partition("/")[2].partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "PATH_INFO": "/" + path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "HTTP_HOST": "sandbox.test",
        "SERVER_NAME": "sandbox.test",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(request.body or b""),
    }
    for name, value in request.headers:
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE",) else f"HTTP_{key}"] = value
    if request.body:
        environ["CONTENT_LENGTH"] = str(len(request.body))
    setup_testing_defaults(environ)
    return environ


def test_the_app_is_a_conforming_wsgi_application() -> None:
    """wsgiref's validator checks what gunicorn and other servers expect of a WSGI app."""
    app = create_app(SandboxConfig(clock=lambda: NOW))
    request = HttpRequest("GET", "http://sandbox.test/gallery/api/v1/workflows/subscription/")
    trace = sign_at(
        request, Credentials(DEMO_API_KEY, DEMO_API_SECRET), timestamp=str(int(NOW)), nonce="w1"
    )
    assert trace.signed_request is not None
    seen: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen.append(status)
        return lambda data: None

    result = validator(app)(_environ(trace.signed_request), start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()  # type: ignore[attr-defined]
    assert seen == ["200 OK"]
    assert len(json.loads(body)) == 3


def test_create_app_without_arguments_uses_the_demo_keys() -> None:
    app = create_app()  # what gunicorn 'oauth_debug.sandbox:create_app()' calls
    assert app.config.api_key == DEMO_API_KEY
    assert app.config.credentials.consumer_secret.reveal() == DEMO_API_SECRET
    assert app.config.base_path == "/gallery"


def test_request_url_prefers_the_raw_target_and_keeps_the_port() -> None:
    base = {
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "h:8080",
        "PATH_INFO": "/a b/",
        "QUERY_STRING": "x=1",
    }
    assert request_url(base) == "http://h:8080/a%20b/?x=1"
    assert request_url({**base, "RAW_URI": "/a%20b/?x=1"}) == "http://h:8080/a%20b/?x=1"
    no_host = {"wsgi.url_scheme": "http", "SERVER_NAME": "h", "SERVER_PORT": "80", "PATH_INFO": "/"}
    assert request_url(no_host) == "http://h/"


def _answer(app: Any, request: HttpRequest) -> tuple[str, Any]:
    seen: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen.append(status)
        return lambda data: None

    body = b"".join(app(_environ(request), start_response))
    return seen[0], json.loads(body)


@pytest.mark.parametrize("timestamp", ["²", "١٧٠٠٠٠٠٠٠٠"], ids=["superscript", "arabic-indic"])
def test_a_timestamp_of_non_ascii_digits_is_refused_not_crashed_on(timestamp: str) -> None:
    """str.isdigit() accepts these; int() raised on "²" (a 500). RFC 5849 3.3: ASCII digits."""
    app = create_app(SandboxConfig(clock=lambda: NOW))
    url = (
        "http://sandbox.test/gallery/api/v1/workflows/subscription/?oauth_consumer_key="
        f"{DEMO_API_KEY}&oauth_signature_method=HMAC-SHA1&oauth_signature=x"
        f"&oauth_timestamp={quote(timestamp)}&oauth_nonce=n1"
    )
    status, body = _answer(app, HttpRequest("GET", url))
    assert status == "401 Unauthorized"
    assert "is not a whole number of seconds" in body["message"]
    assert "verdict" in body["diagnosis"]  # a diagnosis that fails still leaves the 401 a 401
    assert app.state.refusals == {"timestamp": 1}


def test_a_loan_at_a_rate_too_small_for_28_digits_is_paid_off_evenly() -> None:
    """1 + 1E-28/12 rounds to 1, so the annuity formula divided by zero (a 500 for the POST)."""
    loan = next(w for w in WORKFLOWS if w.file_name == "LoanSchedule.yxwz")
    result = loan.run([("principal", "1200"), ("rate", "1E-28"), ("years", "1")])
    assert result.disposition == "Success"
    summary = next(o for o in result.outputs if o.name == "summary.txt")
    assert summary.data == b"12 payments of 100.00; total paid 1200.00\n"


def _signed(nonce: str, timestamp: float = NOW) -> HttpRequest:
    request = HttpRequest("GET", "http://sandbox.test/gallery/api/v1/workflows/subscription/")
    trace = sign_at(
        request,
        Credentials(DEMO_API_KEY, DEMO_API_SECRET),
        timestamp=str(int(timestamp)),
        nonce=nonce,
    )
    assert trace.signed_request is not None
    return trace.signed_request


def test_the_sandbox_keeps_nonces_in_the_servers_bounded_store() -> None:
    app = create_app(SandboxConfig(clock=lambda: NOW, nonce_cache_size=3))
    assert isinstance(app.state.nonces, MemoryNonces)
    assert _answer(app, _signed("n1"))[0] == "200 OK"
    status, body = _answer(app, _signed("n1"))
    assert status == "401 Unauthorized" and "already been used" in body["message"]
    assert body["diagnosis"]["refused_because"]["check"] == "nonce"
    for index in range(2, 6):  # fills the store past its bound: n1 is dropped from it ...
        assert _answer(app, _signed(f"n{index}", NOW + index))[0] == "200 OK"
    assert len(app.state.nonces) == 3
    # ... and its replay is still refused: its expiry is below the store's floor.
    assert _answer(app, _signed("n1"))[0] == "401 Unauthorized"
    assert app.state.refusals == {"nonce": 2}
