"""Inputs that are already in pieces: a signed URL, or a method, URL, headers and body.

``from_url`` reads the URL interactive API docs show after "Try it out", with the oauth_*
parameters in its query (RFC 5849 3.5.3), e.g. the Alteryx forum's
``http://dminform:80/gallery/api/v1/workflows/<id>/jobs/?oauth_timestamp=...&oauth_signature=...``.
``from_parts`` reads a request whose Authorization header carries them (3.5.1).
"""

from __future__ import annotations

from ..model import HeaderInput, HttpRequest
from .checks import (
    body_notes,
    check_method,
    check_url,
    method_notes,
    signature_notes,
    space_notes,
)
from .result import InputError, ParsedInput

_QUOTES = (('"', '"'), ("'", "'"), ("<", ">"))


def clean_url(url: str, kind: str) -> tuple[str, list[str]]:
    """Undo what copying does to a URL (quotes, HTML escaping, a fragment); note every change."""
    notes: list[str] = []
    text = url.strip()
    for opening, closing in _QUOTES:
        if len(text) >= 2 and text.startswith(opening) and text.endswith(closing):
            text = text[1:-1].strip()
            notes.append(f"removed the {opening}{closing} around the URL")
            break
    if "&amp;" in text:
        text = text.replace("&amp;", "&")
        notes.append(
            "the URL contained '&amp;' (copied from HTML source); read it as '&', which is what "
            "a browser sends"
        )
    if "#" in text:
        text = text.split("#", 1)[0]
        notes.append("dropped the #fragment: it is never sent, so it is never signed")
    if not text:
        raise InputError(
            "the URL is empty; expected an absolute URL such as https://host/path?oauth_...",
            kind=kind,
            text=url,
        )
    return check_url(text, kind), [*notes, *space_notes(text)]


def from_url(url: str, method: str = "GET") -> ParsedInput:
    """A full URL carrying oauth_* parameters in its query, sent with ``method``."""
    text, notes = clean_url(url, "url")
    request = HttpRequest(check_method(method, "url"), text)
    notes += method_notes(method)
    notes += signature_notes(request)
    return ParsedInput(request, "url", tuple(notes))


def from_parts(
    method: str,
    url: str,
    headers: HeaderInput = None,
    body: bytes | str | None = None,
) -> ParsedInput:
    """A request given as method, URL, headers (an Authorization header, typically) and body."""
    text, notes = clean_url(url, "parts")
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    request = HttpRequest(check_method(method, "parts"), text, headers, body)
    authorization = request.header("Authorization")
    if authorization is not None and not authorization.strip().lower().startswith("oauth"):
        scheme = authorization.strip().partition(" ")[0]
        notes.append(
            f"the Authorization header uses the {scheme!r} scheme, not 'OAuth', so it carries no "
            "OAuth 1.0 parameters"
        )
    notes += method_notes(method)
    notes += body_notes(request)
    notes += signature_notes(request)
    return ParsedInput(request, "parts", tuple(notes))
