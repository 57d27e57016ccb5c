"""ASGI middleware: verify every HTTP request before the application sees it (Starlette, FastAPI).

An accepted request reaches the app with the :class:`~oauth_debug.server.verifier.Accepted` at
``scope["oauth_debug.accepted"]`` (Starlette's ``request.scope``); a refused one is answered here.
The path is the raw one (``scope["raw_path"]``) and the body is received whole, verified, and then
replayed to the app message by message, so the app reads exactly the bytes that were signed.
Other scope types (websocket, lifespan) pass through untouched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from ..errors import OAuthDebugError
from ..model import HttpRequest
from .refusal import Refused
from .verifier import RequestVerifier
from .wsgi import MAX_BODY

SCOPE_KEY = "oauth_debug.accepted"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def request_from_scope(scope: Scope, body: bytes) -> HttpRequest:
    """The HTTP request an ASGI scope describes (the path as the client encoded it)."""
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", [])]
    host = next((v for k, v in headers if k.lower() == "host"), None)
    scheme = scope.get("scheme", "http")
    if not host:
        server = scope.get("server") or ("localhost", None)
        host = (
            server[0]
            if server[1] in (None, 80 if scheme == "http" else 443)
            else f"{server[0]}:{server[1]}"
        )
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if raw else scope.get("root_path", "") + scope.get("path", "/")
    query = scope.get("query_string", b"").decode("latin-1")
    url = f"{scheme}://{host}{path}" + (f"?{query}" if query else "")
    return HttpRequest(scope.get("method", "GET"), url, headers, body)


class OAuth1Middleware:
    """``app = OAuth1Middleware(app, verifier)``: only verified requests reach ``app``."""

    def __init__(self, app: ASGIApp, verifier: RequestVerifier) -> None:
        self.app = app
        self.verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                await _answer(send, 413, [("Content-Type", "text/plain")], b"body too large\n")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        client = scope.get("client")
        try:
            request = request_from_scope(scope, body)
            # The checks are synchronous and short, but a refusal runs the diagnosis: off the
            # event loop, so that one bad client does not stall the others.
            import asyncio

            accepted = await asyncio.get_running_loop().run_in_executor(
                None,
                lambda: self.verifier.check(request, remote_addr=client[0] if client else None),
            )
        except Refused as refused:
            await _answer(send, refused.status, list(refused.headers), refused.body)
            return
        except OAuthDebugError as error:
            text = f"{error}\n".encode()
            await _answer(send, 400, [("Content-Type", "text/plain; charset=utf-8")], text)
            return
        scope[SCOPE_KEY] = accepted
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _answer(send: Send, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    if not any(k == b"content-length" for k, _ in raw):
        raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
