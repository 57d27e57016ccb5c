"""The WSGI and ASGI middleware in front of real Flask and Starlette apps, over loopback HTTP.

Flask runs under werkzeug's ``make_server`` and Starlette under uvicorn, each in a thread; the
client is ``requests``, signing with this package's signer (header and form-body placements), so
each request crosses a real socket, a real HTTP parser and the framework's own request object.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl

import pytest
import requests

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.server import MemoryNonces, RequestVerifier
from oauth_debug.server import asgi as oauth_asgi
from oauth_debug.server import wsgi as oauth_wsgi

KEY, SECRET = "adapter-key", "adapter-secret"
FORM = "application/x-www-form-urlencoded"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def new_verifier() -> RequestVerifier:
    return RequestVerifier({KEY: SECRET}, MemoryNonces())


def send(
    base: str,
    method: str,
    path: str,
    *,
    secret: str = SECRET,
    form: str | None = None,
    nonce: str | None = None,
) -> requests.Response:
    headers = {"Content-Type": FORM} if form is not None else {}
    unsigned = HttpRequest(method, base + path, headers, form)
    trace = sign_at(
        unsigned,
        Credentials(KEY, secret),
        timestamp=int(time.time()),
        nonce=nonce or f"n{time.time_ns()}",
        placement="body" if form is not None else "header",
    )
    signed = trace.signed_request
    assert signed is not None
    return requests.request(
        signed.method, signed.url, headers=dict(signed.headers), data=signed.body, timeout=10
    )


# ---- Flask (WSGI) -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flask_base() -> Iterator[str]:
    from flask import Flask, jsonify, request
    from werkzeug.serving import make_server

    app = Flask("adapter-test")

    @app.route("/items/<name>", methods=["GET", "POST"])
    def item(name: str):  # type: ignore[no-untyped-def]
        accepted = request.environ["oauth_debug.accepted"]
        return jsonify(
            name=name,
            consumer_key=accepted.consumer_key,
            form=request.form.to_dict(),
            args=request.args.to_dict(),
        )

    app.wsgi_app = oauth_wsgi.OAuth1Middleware(app.wsgi_app, new_verifier())  # type: ignore[method-assign]
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_flask_gets_the_accepted_key_and_its_form_unchanged(flask_base: str) -> None:
    answer = send(flask_base, "POST", "/items/caf%C3%A9?x=1%202", form="a=1&b=%20two+words")
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert (document["name"], document["consumer_key"], document["args"]) == (
        "café",
        KEY,
        {"x": "1 2"},
    )
    # The app reads the body the middleware verified: the client's own parameters, decoded,
    # beside the protocol parameters that travelled in it.
    form = document["form"]
    assert (form["a"], form["b"], form["oauth_consumer_key"]) == ("1", " two words", KEY)


def test_flask_refusals_are_answered_by_the_middleware(flask_base: str) -> None:
    wrong = send(flask_base, "GET", "/items/a", secret="wrong")
    assert wrong.status_code == 401
    assert dict(parse_qsl(wrong.text))["oauth_problem"] == "signature_invalid"
    assert wrong.headers["WWW-Authenticate"].startswith("OAuth realm=")
    assert wrong.headers["X-Request-Id"] in wrong.text
    nonce = f"replay{time.time_ns()}"
    assert send(flask_base, "GET", "/items/a", nonce=nonce).status_code == 200
    replay = send(flask_base, "GET", "/items/a", nonce=nonce)
    assert (replay.status_code, dict(parse_qsl(replay.text))["oauth_problem"]) == (
        401,
        "nonce_used",
    )
    unsigned = requests.get(flask_base + "/items/a", timeout=10)
    assert unsigned.status_code == 400
    assert dict(parse_qsl(unsigned.text))["oauth_problem"] == "parameter_absent"


# ---- Starlette (ASGI) ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def starlette_base() -> Iterator[str]:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def item(request: Request) -> JSONResponse:
        accepted = request.scope["oauth_debug.accepted"]
        # The body the middleware verified, replayed to the app (python-multipart, which
        # request.form() needs, is not a test dependency).
        form = dict(parse_qsl((await request.body()).decode()))
        return JSONResponse(
            {
                "name": request.path_params["name"],
                "consumer_key": accepted.consumer_key,
                "b": form.get("b"),
            }
        )

    app = Starlette(routes=[Route("/items/{name}", item, methods=["GET", "POST"])])
    wrapped = oauth_asgi.OAuth1Middleware(app, new_verifier())
    port = free_port()
    config = uvicorn.Config(
        wrapped, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_starlette_gets_the_accepted_key_and_reads_the_body(starlette_base: str) -> None:
    answer = send(starlette_base, "POST", "/items/caf%C3%A9?x=%7E", form="a=1&b=%20two+words")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"name": "café", "consumer_key": KEY, "b": " two words"}


def test_starlette_refusals_are_answered_by_the_middleware(starlette_base: str) -> None:
    wrong = send(starlette_base, "GET", "/items/a", secret="wrong")
    assert wrong.status_code == 401
    assert dict(parse_qsl(wrong.text))["oauth_problem"] == "signature_invalid"
    stale = requests.get(
        starlette_base + "/items/a",
        headers={
            "Authorization": 'OAuth oauth_consumer_key="adapter-key", oauth_nonce="n", '
            'oauth_signature="x", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1"'
        },
        timeout=10,
    )
    assert stale.status_code == 401
    assert dict(parse_qsl(stale.text))["oauth_problem"] == "timestamp_refused"


def test_the_asgi_middleware_passes_other_scope_types_through() -> None:
    seen: list[str] = []

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        seen.append(str(scope["type"]))

    wrapped = oauth_asgi.OAuth1Middleware(app, new_verifier())  # type: ignore[arg-type]
    asyncio.run(wrapped({"type": "lifespan"}, None, None))  # type: ignore[arg-type]
    assert seen == ["lifespan"]


def test_the_wsgi_request_keeps_the_raw_path_when_the_server_gives_it() -> None:
    environ = {
        "REQUEST_METHOD": "GET",
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "h.test",
        "PATH_INFO": "/a b",
        "RAW_URI": "/a%20b?q=%7E",
        "QUERY_STRING": "q=%7E",
    }
    assert oauth_wsgi.request_from_environ(environ, b"").url == "http://h.test/a%20b?q=%7E"
    del environ["RAW_URI"]
    assert oauth_wsgi.request_from_environ(environ, b"").url == "http://h.test/a%20b?q=%7E"
    assert json.dumps(environ)  # the environ was not changed into something else
