"""Small validators and note-makers the input readers share.

They keep the readers honest about the same things: what an HTTP method and a header name may look
like (RFC 9110 5.1 and 9.1: both are tokens), whether the URL is one a signature can cover, and
where the request carries its oauth_signature, since that decides what verification will compare.
"""

from __future__ import annotations

import re

from ..model import HttpRequest
from ..params import authorization_params, body_params, query_params
from ..redact import excerpt
from ..rules import is_http_token
from ..signer import FORM
from ..uri import split_url
from .result import InputError

# White space other than the plain space (re's \s is str.isspace() for text patterns).
_NOT_A_SPACE = re.compile(r"[^\S ]")


def check_method(method: str, kind: str) -> str:
    """The method as given, or an InputError when it cannot be an HTTP method."""
    if not is_http_token(method):
        raise InputError(
            f"{method!r} is not an HTTP method; expected a word such as GET or POST",
            kind=kind,
            text=method,
        )
    return method


def method_notes(method: str) -> list[str]:
    """A note when the method is not upper case: servers sign with the upper-cased method."""
    if method != method.upper():
        return [
            f"the method {method!r} is not upper case; the base string uses {method.upper()!r} "
            "(RFC 5849 3.4.1.1), but many servers reject the request itself"
        ]
    return []


def check_url(url: str, kind: str) -> str:
    """The URL as given, or an error naming the part that keeps it from being signed.

    A plain space is let through (``?q=blue shoes`` is what people type, and HTTP clients send it
    as %20, which decodes to the same parameter); other whitespace means a URL broken across lines.
    """
    broken = _NOT_A_SPACE.search(url)
    if broken is not None:
        raise InputError(
            f"the URL contains a line break or tab at position {broken.start()}; expected one "
            "absolute URL (join a URL copied across lines)",
            kind=kind,
            text=url,
            position=broken.start(),
        )
    try:
        url.encode("utf-8")
    except UnicodeEncodeError as error:
        # A lone surrogate: Python's stand-in for a byte that was not UTF-8 (e.g. a Latin-1
        # "é" in a command-line argument). No HTTP client can send it, and the signer cannot
        # encode it (RFC 5849 3.6 encodes UTF-8), so say where it is instead of failing later.
        raise InputError(
            f"the URL holds a character that is not valid UTF-8 text at position {error.start}; "
            "expected a URL in UTF-8 (percent-encode the byte, e.g. %E9, or retype it)",
            kind=kind,
            text=url,
            position=error.start,
        ) from None
    split_url(url)  # raises InvalidURLError naming the missing scheme or host
    return url


def start_of(text: str, length: int = 20) -> str:
    """The start of a malformed header for an error message: redacted, then cut (the header may
    be an Authorization header holding a PLAINTEXT signature, which is the key itself)."""
    return excerpt(text, length)


def parse_header_line(line: str, kind: str, where: str) -> tuple[str, str]:
    """``Name: value`` -> (name, value with surrounding whitespace removed)."""
    name, colon, value = line.partition(":")
    if not colon or not is_http_token(name):
        raise InputError(
            f"{where}: expected a header 'Name: value', got {start_of(line)}",
            kind=kind,
            text=line,
        )
    return name, value.strip(" \t")


def space_notes(url: str) -> list[str]:
    """A note when the URL holds raw spaces: sent as %20, they are signed as %20 (RFC 5849 3.6)."""
    if " " in url:
        return ["the URL contains spaces; read as %20, which is how HTTP clients send them"]
    return []


def signature_notes(request: HttpRequest) -> list[str]:
    """Say where the request carries its oauth_signature (RFC 5849 3.5), or that it has none."""
    places = []
    if any(name == "oauth_signature" for name, _ in authorization_params(request)):
        places.append("the Authorization header")
    if any(p.name == "oauth_signature" for p in query_params(request.url)):
        places.append("the query string")
    if any(p.name == "oauth_signature" for p in body_params(request)):
        places.append("the form body")
    if not places:
        return [
            "the request carries no oauth_signature (in the Authorization header, the query or a "
            "form body): there is nothing to verify"
        ]
    return [f"oauth_signature found in {' and '.join(places)}"]


def body_notes(request: HttpRequest) -> list[str]:
    """Whether the body's parameters are signed: only a form body's are (RFC 5849 3.4.1.3.1)."""
    if not request.body:
        return []
    if request.is_form:
        return ["the body is application/x-www-form-urlencoded, so its parameters are signed"]
    if request.content_type:
        return [
            f"the body is {request.content_type}, so it is not part of the signature "
            "(only application/x-www-form-urlencoded bodies are, RFC 5849 3.4.1.3.1)"
        ]
    return [
        "the body has no Content-Type, so it is not part of the signature; if it was sent as a "
        f"form, add the header 'Content-Type: {FORM}'"
    ]
