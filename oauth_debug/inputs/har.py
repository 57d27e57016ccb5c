"""Read a HAR 1.2 capture (devtools, Postman, Insomnia, Charles, mitmproxy): requests, answers.

HAR 1.2 (W3C Web Performance group draft, http://www.softwareishard.com/blog/har-12-spec/) is
one JSON object ``{"log": {"entries": [...]}}``; each entry has a ``request`` (method, url,
headers as ``[{"name", "value"}]``, optional ``postData`` with ``mimeType`` and ``text`` or
``params``) and a ``response`` (status, statusText, headers, ``content`` whose ``text`` may be
base64 when ``content.encoding`` says so). Chrome writes HTTP/2 pseudo-headers (``:authority``,
``:path``) among the headers; they are not headers of the request as signed and are left out.

Memory: the document is never parsed whole (:mod:`.har_stream` decodes one entry at a time from
a window refilled from the file), so neither the whole text nor a parsed copy of it is held. A
response body is decoded (base64, UTF-8) only for an entry that carries OAuth 1 parameters, and
only while that entry is in hand (bench/bench_har.py measures the peak).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from ..errors import OAuthDebugError
from ..model import HttpRequest
from ..rules import is_http_token
from ..verify import claimed_parameters
from .direct import from_parts
from .har_stream import har_entries
from .result import ParsedInput


@dataclass(frozen=True)
class HarResponse:
    """The answer a HAR entry recorded, in the parts ``diagnosis.response.read_parts`` takes."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: str


@dataclass(frozen=True)
class HarEntry:
    """One entry of a HAR file: its place in ``log.entries``, and what could be read of it.

    ``parsed`` is None when the request cannot be read (``problem`` says why); ``oauth`` says
    whether the request carries OAuth 1 parameters (only those are diagnosed); ``response`` is
    None when the capture has no answer (status 0: blocked, cancelled, still pending) or when the
    entry has no OAuth 1 (its body is then never decoded). ``started`` is the entry's
    ``startedDateTime`` in epoch seconds, the moment the request left: the clock its timestamp is
    checked against.
    """

    index: int
    method: str
    url: str
    parsed: ParsedInput | None
    oauth: bool
    response: HarResponse | None
    started: float | None
    problem: str | None = None


def read_har(source: str | IO[str]) -> Iterator[HarEntry]:
    """Every entry of a HAR document (its text, or a text stream), each read when it is reached."""
    for index, raw in enumerate(har_entries(source)):
        yield read_entry(index, raw)


def read_entry(index: int, raw: object) -> HarEntry:
    """One HAR entry as a request (with notes) and, when it has OAuth 1, its answer."""
    entry = _mapping(raw)
    request = _mapping(entry.get("request"))
    method = str(request.get("method") or "")
    url = str(request.get("url") or "")
    started = _epoch(entry.get("startedDateTime"))
    try:
        parsed = _request(method, url, request)
    except OAuthDebugError as error:
        return HarEntry(index, method, url, None, False, None, started, str(error))
    oauth = _has_oauth(parsed.request)
    answer = _response(_mapping(entry.get("response"))) if oauth else None
    return HarEntry(index, method, url, parsed, oauth, answer, started)


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _pairs(value: object) -> list[tuple[str, str]]:
    """HAR's ``[{"name": ..., "value": ...}]`` lists as (name, value) pairs."""
    if not isinstance(value, list):
        return []
    return [
        (str(item.get("name", "")), str(item.get("value", "")))
        for item in value
        if isinstance(item, dict)
    ]


def _request(method: str, url: str, request: Mapping[str, Any]) -> ParsedInput:
    notes: list[str] = []
    headers: list[tuple[str, str]] = []
    for name, value in _pairs(request.get("headers")):
        if name.startswith(":"):
            continue  # an HTTP/2 pseudo-header (RFC 9113 8.3): method, path and host are the URL
        if not is_http_token(name):
            notes.append(f"left out the header {name[:40]!r}: not a header name")
            continue
        headers.append((name, value))
    post = _mapping(request.get("postData"))
    body: str | None = None
    if post:
        text = post.get("text")
        if isinstance(text, str):
            body = text
        elif post.get("params"):
            # Some exporters write a form as params only; rebuild it as it was sent (name=value&).
            body = "&".join(f"{n}={v}" for n, v in _pairs(post.get("params")))
            notes.append("the HAR gives the form body as params only; rebuilt as name=value&...")
        mime = post.get("mimeType")
        if (
            isinstance(mime, str)
            and mime
            and not any(n.lower() == "content-type" for n, _ in headers)
        ):
            headers.append(("Content-Type", mime))
            notes.append(f"Content-Type {mime} taken from postData.mimeType (no header recorded)")
    parsed = from_parts(method, url, headers, body)
    return ParsedInput(parsed.request, "har", (*notes, *parsed.notes))


def _has_oauth(request: HttpRequest) -> bool:
    """Whether the request carries OAuth 1 protocol parameters anywhere (RFC 5849 3.5)."""
    authorization = request.header("Authorization")
    if authorization is not None and authorization.strip().lower().startswith("oauth "):
        return True
    try:
        found = claimed_parameters(request)[0]
    except OAuthDebugError:
        return True  # unreadable oauth_* parameters are themselves worth a diagnosis
    return "oauth_signature" in found or "oauth_consumer_key" in found


def _response(response: Mapping[str, Any]) -> HarResponse | None:
    status = response.get("status")
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 999:
        return None  # status 0 or -1: no answer was received
    content = _mapping(response.get("content"))
    text = content.get("text")
    body = ""
    if isinstance(text, str):
        body = _decoded(text) if content.get("encoding") == "base64" else text
    return HarResponse(
        status,
        str(response.get("statusText") or ""),
        tuple(_pairs(response.get("headers"))),
        body,
    )


def _decoded(text: str) -> str:
    try:
        raw = base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError):
        return text
    return raw.decode("utf-8", "replace")


def _epoch(value: object) -> float | None:
    """HAR's ISO 8601 startedDateTime ("2024-03-01T10:00:00.123Z") in epoch seconds."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None  # a local time of an unknown zone says nothing exact
    return moment.timestamp()
