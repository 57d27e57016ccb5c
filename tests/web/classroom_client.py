"""Requests signed the way a student's code signs them, mistakes and all, for the classroom tests.

HMAC over a hand-built base string (hmac/hashlib), never the catalog's own recipes, so that the
diagnosis the classroom shows is checked against mistakes made independently of it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
from typing import Any
from urllib.parse import quote, unquote
from wsgiref.util import setup_testing_defaults

from oauth_debug.sandbox import DEMO_API_KEY, DEMO_API_SECRET

NOW = 1_700_000_000
PATH = "/gallery/api/v1/workflows/subscription/"


def enc(text: str) -> str:
    return quote(text, safe="~")


def student_request(
    nonce: str,
    *,
    host: str = "sandbox.test",
    key: str = DEMO_API_SECRET + "&",
    unsorted: bool = False,
    consumer_key: str = DEMO_API_KEY,
) -> tuple[str, str]:
    """(URL, Authorization header) of a GET signed by hand; ``key`` without its "&" is the
    key-missing-ampersand mistake, ``unsorted`` the params-unsorted one."""
    url = f"http://{host}{PATH}"
    params = [
        ("oauth_timestamp", str(NOW)),
        ("oauth_consumer_key", consumer_key),
        ("oauth_nonce", nonce),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_version", "1.0"),
    ]
    ordered = params if unsorted else sorted(params)
    normalized = "&".join(f"{enc(n)}={enc(v)}" for n, v in ordered)
    base = "&".join(["GET", enc(url), enc(normalized)])
    digest = hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()
    signature = base64.b64encode(digest).decode()
    pairs = [*params, ("oauth_signature", signature)]
    return url, "OAuth " + ", ".join(f'{n}="{enc(v)}"' for n, v in pairs)


def signature_forms(header: str) -> set[str]:
    """The header's signature as sent (encoded once), decoded, and encoded twice (as it shows
    inside a base string): a page that holds any of them holds the signature."""
    sent = header.rsplit('oauth_signature="', 1)[1].rstrip('"')
    return {sent, unquote(sent), enc(sent)}


def environ_for(
    method: str, path: str, *, authorization: str | None = None, query: str = ""
) -> dict[str, Any]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": "sandbox.test",
        "SERVER_NAME": "sandbox.test",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(b""),
    }
    if authorization is not None:
        environ["HTTP_AUTHORIZATION"] = authorization
    setup_testing_defaults(environ)
    return environ


def call(app: Any, environ: dict[str, Any]) -> tuple[int, dict[str, str], str]:
    seen: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen.extend([status, headers])
        return lambda data: None

    body = b"".join(app(environ, start_response)).decode("utf-8")
    return int(seen[0].split()[0]), dict(seen[1]), body
