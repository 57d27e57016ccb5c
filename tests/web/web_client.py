"""Calling the explainer's WSGI app in-process (no socket): one helper for the test_web_* files."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from oauth_debug.web import create_app

NOW = 1700000030.0

APP = create_app(clock=lambda: NOW, nonce=lambda: "fixednonce")


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


def call(
    method: str,
    path: str,
    body: bytes = b"",
    content_type: str = "application/x-www-form-urlencoded",
    query: str = "",
    app: Any = APP,
    script_name: str = "",
) -> Reply:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, headers

    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": script_name,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    data = b"".join(app(environ, start_response))
    return Reply(int(seen["status"].split()[0]), dict(seen["headers"]), data.decode("utf-8"))


def post_json(path: str, document: Any) -> Reply:
    return call("POST", path, json.dumps(document).encode(), "application/json")


def post_form(path: str, fields: dict[str, str]) -> Reply:
    return call("POST", path, urlencode(fields).encode())
