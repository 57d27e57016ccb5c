"""OAuth1Auth for requests and httpx, against a tiny verifying WSGI server on 127.0.0.1.

The server recomputes every signature with this package's verifier (and the sandbox's WSGI ->
HttpRequest reader), so "200" means the signature covered exactly what went over the wire.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pytest
import requests

from oauth_debug import Credentials, Signer
from oauth_debug.errors import InvalidOptionError, OAuthDebugError
from oauth_debug.live import OAuth1Auth
from oauth_debug.live.httpx_auth import OAuth1Auth as HttpxOAuth1Auth
from oauth_debug.sandbox import serve_in_background
from oauth_debug.sandbox.wsgi import request_from_environ
from oauth_debug.verify import claimed_parameters, verify

CREDENTIALS = Credentials("key", "s3cret&more", token="tok", token_secret="tok-secret")


class VerifyingApp:
    """200 with the verified oauth parameters, or 401; /old redirects to /new."""

    def __init__(self) -> None:
        self.seen: list[dict[str, str]] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        if path.startswith("/old"):
            status = "303 See Other" if environ["REQUEST_METHOD"] == "POST" else "302 Found"
            start_response(status, [("Location", "/new?moved=yes"), ("Content-Length", "0")])
            return [b""]
        request = request_from_environ(environ)
        try:
            verify(request, CREDENTIALS)
        except OAuthDebugError as error:
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [str(error).encode()]
        oauth, placement, _ = claimed_parameters(request)
        self.seen.append({**oauth, "placement": placement, "method": request.method, "path": path})
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(self.seen[-1]).encode()]


@pytest.fixture
def server() -> Iterator[tuple[VerifyingApp, str]]:
    app = VerifyingApp()
    with serve_in_background(app) as running:
        yield app, running.url


def counting_signer() -> Signer:
    counter = itertools.count(1)
    return Signer(clock=lambda: 1_700_000_000, nonces=lambda: f"nonce{next(counter)}")


@pytest.mark.parametrize("placement", ["header", "query"])
def test_requests_get_with_query_is_signed_in_each_placement(
    server: tuple[VerifyingApp, str], placement: str
) -> None:
    app, url = server
    auth = OAuth1Auth(CREDENTIALS, placement=placement, signer=counting_signer())
    response = requests.get(f"{url}/items", params={"q": "a b+c", "n": "1"}, auth=auth, timeout=5)
    assert response.status_code == 200, response.text
    assert app.seen[-1]["placement"] == placement and app.seen[-1]["oauth_nonce"] == "nonce1"
    assert auth.last_trace is not None
    assert ("q", "a b+c") in [(p.name, p.value) for p in auth.last_trace.parameters]


def test_form_bodies_are_signed_and_json_bodies_get_a_body_hash(
    server: tuple[VerifyingApp, str],
) -> None:
    app, url = server
    auth = OAuth1Auth(CREDENTIALS, signer=counting_signer())
    form = requests.post(f"{url}/form", data={"x": "1 2"}, auth=auth, timeout=5)
    assert form.status_code == 200 and "oauth_body_hash" not in app.seen[-1]
    assert auth.last_trace is not None
    assert ("x", "1 2", "body") in [(p.name, p.value, p.source) for p in auth.last_trace.parameters]
    body = requests.post(f"{url}/json", json={"a": 1}, auth=auth, timeout=5)
    assert body.status_code == 200 and "oauth_body_hash" in app.seen[-1]


def test_body_placement_puts_the_parameters_in_the_form(server: tuple[VerifyingApp, str]) -> None:
    app, url = server
    auth = OAuth1Auth(CREDENTIALS, placement="body", signer=counting_signer())
    response = requests.post(f"{url}/form", data={"x": "y"}, auth=auth, timeout=5)
    assert response.status_code == 200 and app.seen[-1]["placement"] == "body"


def test_every_request_gets_a_fresh_nonce(server: tuple[VerifyingApp, str]) -> None:
    app, url = server
    auth = OAuth1Auth(CREDENTIALS)
    with requests.Session() as session:
        for _ in range(3):
            assert session.get(f"{url}/again", auth=auth, timeout=5).status_code == 200
    assert len({seen["oauth_nonce"] for seen in app.seen}) == 3


@pytest.mark.parametrize(("method", "final"), [("GET", "GET"), ("POST", "GET")])
def test_same_origin_redirects_are_signed_afresh(
    server: tuple[VerifyingApp, str], method: str, final: str
) -> None:
    app, url = server
    auth = OAuth1Auth(CREDENTIALS, signer=counting_signer())
    response = requests.request(
        method, f"{url}/old", data=b"" if method == "POST" else None, auth=auth, timeout=5
    )
    assert response.status_code == 200, response.text
    assert app.seen[-1]["path"] == "/new" and app.seen[-1]["method"] == final
    assert app.seen[-1]["oauth_nonce"] == "nonce2"  # the first signature went to /old
    assert auth.last_trace is not None
    assert ("moved", "yes", "query") in [
        (p.name, p.value, p.source) for p in auth.last_trace.parameters
    ]


def test_unknown_placement_and_repr_keep_secrets() -> None:
    with pytest.raises(InvalidOptionError):
        OAuth1Auth(CREDENTIALS, placement="cookie")
    assert "s3cret" not in repr(OAuth1Auth(CREDENTIALS))


@pytest.mark.parametrize("placement", ["header", "query"])
def test_httpx_auth_signs_and_follows_redirects(
    server: tuple[VerifyingApp, str], placement: str
) -> None:
    app, url = server
    auth = HttpxOAuth1Auth(CREDENTIALS, placement=placement, signer=counting_signer())
    with httpx.Client(auth=auth, timeout=5) as client:
        first = client.get(f"{url}/items", params={"q": "a b"})
        moved = client.post(f"{url}/old", json={"a": 1})
    assert first.status_code == 200 and moved.status_code == 200, moved.text
    assert app.seen[0]["placement"] == placement and app.seen[-1]["path"] == "/new"
    assert [seen["oauth_nonce"] for seen in app.seen] == ["nonce1", "nonce3"]
    with pytest.raises(InvalidOptionError):
        HttpxOAuth1Auth(CREDENTIALS, placement="body")
