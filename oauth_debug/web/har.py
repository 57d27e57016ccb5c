"""A HAR file (what a browser's devtools "Save all as HAR" writes) read as the request it holds.

HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): ``log.entries[].request`` with
``method``, ``url``, ``headers`` [{name, value}] and ``postData.text``. A HAR holds every request
of a page; the one wanted is the last that carries an oauth_signature (the one refused), else the
last one with any oauth_ parameter, else the last entry.
"""

from __future__ import annotations

import json
from typing import Any

from ..inputs import InputError, ParsedInput, from_parts

# Headers the browser adds or that HTTP/2 turns into pseudo-headers: not part of what was signed.
_SKIPPED = frozenset(("host", "content-length", "connection"))


def looks_like_har(text: str) -> bool:
    return text.lstrip().startswith("{") and '"log"' in text[:2000]


def from_har(text: str) -> ParsedInput:
    """The request of a HAR text (see the module's docstring for which one)."""
    try:
        document = json.loads(text)
        entries = document["log"]["entries"]
        requests = [entry["request"] for entry in entries]
    except (ValueError, KeyError, TypeError):
        raise InputError(
            "this is not a HAR file: expected a JSON object with log.entries[].request",
            kind="har",
        ) from None
    if not requests or not all(isinstance(r, dict) for r in requests):
        raise InputError("the HAR file holds no request", kind="har")
    chosen = _pick(requests)
    try:
        method = str(chosen["method"])
        url = str(chosen["url"])
        headers = [
            (str(h["name"]), str(h["value"]))
            for h in chosen.get("headers", [])
            if not str(h["name"]).startswith(":") and str(h["name"]).lower() not in _SKIPPED
        ]
        post = chosen.get("postData") or {}
        body = post.get("text") if isinstance(post, dict) else None
    except (KeyError, TypeError, AttributeError):
        raise InputError(
            "the HAR entry's request lacks its method, url or headers", kind="har"
        ) from None
    parsed = from_parts(method, url, headers, None if body is None else str(body))
    count = len(requests)
    note = f"read entry {requests.index(chosen) + 1} of the {count} requests in the HAR file"
    return ParsedInput(parsed.request, "har", (note, *parsed.notes))


def _pick(requests: list[dict[str, Any]]) -> dict[str, Any]:
    def text_of(request: dict[str, Any]) -> str:
        return json.dumps(request)

    for marker in ("oauth_signature", "oauth_"):
        carrying = [r for r in requests if marker in text_of(r)]
        if carrying:
            return carrying[-1]
    return requests[-1]
