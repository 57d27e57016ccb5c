"""Calling the sandbox's WSGI app in-process with signed requests: shared by its state-file and
request-log tests."""

from __future__ import annotations

import io
import json
from typing import Any

from conftest import signed_request

from oauth_debug import Credentials, HttpRequest
from oauth_debug.sandbox import DEMO_API_KEY, DEMO_API_SECRET, SandboxApp

NOW = 1_700_000_000.0
BASE = "http://sandbox.test/gallery/api/v1"
WORDS = "5c2d9a1e0b7f4a0001a1b2c3"


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def environ_of(request: HttpRequest) -> dict[str, Any]:
    rest = request.url.split("://", 1)[1]
    path, _, query = ("/" + rest.partition("/")[2]).partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "HTTP_HOST": "sandbox.test",
        "SERVER_NAME": "sandbox.test",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(request.body or b""),
        "CONTENT_LENGTH": str(len(request.body or b"")),
    }
    for name, value in request.headers:
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    return environ


def call(app: SandboxApp, request: HttpRequest) -> tuple[int, Any]:
    seen: list[str] = []
    body = b"".join(app(environ_of(request), lambda status, headers, exc=None: seen.append(status)))
    return int(seen[0].split()[0]), json.loads(body) if body else None


def signed(method: str, url: str, nonce: str, clock: Clock, body: Any = None) -> HttpRequest:
    raw = None if body is None else json.dumps(body).encode()
    headers = () if raw is None else (("Content-Type", "application/json"),)
    request = HttpRequest(method, url, headers=headers, body=raw)
    return signed_request(
        request,
        Credentials(DEMO_API_KEY, DEMO_API_SECRET),
        timestamp=str(int(clock.now)),
        nonce=nonce,
    )


def run_job(app: SandboxApp, nonce: str, clock: Clock) -> tuple[int, Any]:
    body = {"questions": [{"name": "text", "value": f"words of {nonce}"}]}
    return call(app, signed("POST", f"{BASE}/workflows/{WORDS}/jobs/", nonce, clock, body))
