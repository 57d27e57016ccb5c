"""RFC 5849 section 3.6 percent-encoding, and the matching decoders.

3.6: text is first encoded as UTF-8, then every byte outside ALPHA / DIGIT / "-" / "." / "_" / "~"
becomes "%" followed by two *upper-case* hex digits. This is RFC 3986's unreserved set, which is
exactly what :func:`urllib.parse.quote` keeps when ``safe`` is empty (Python 3.7 and later), so the
standard library does the byte work and this module pins the policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, unquote_to_bytes

from .errors import EncodingError
from .redact import redact

UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


# Most names and values of a signature (keys, nonces, timestamps, method names, simple values)
# need no encoding at all: one C-speed regex match says so. Other ASCII text is escaped with one
# str.translate (each special character to its %XX, "%" included, in one pass); non-ASCII text
# goes through quote(), which encodes UTF-8 first.
_NEEDS_NO_ENCODING = re.compile(r"[A-Za-z0-9._~-]*").fullmatch
_ASCII_ESCAPES = {code: f"%{code:02X}" for code in range(128) if chr(code) not in UNRESERVED}


def percent_encode(value: str | bytes) -> str:
    """Encode ``value`` per RFC 5849 3.6 (UTF-8, upper-case hex, only unreserved left alone).

    No cache, here or above: secrets (the signing key, 3.4.2) and request content (a PLAINTEXT
    signature in a form body) pass through it, and a cache would keep them.
    """
    if isinstance(value, bytes):
        return quote(value, safe="")
    if _NEEDS_NO_ENCODING(value):
        return value
    if value.isascii():
        return value.translate(_ASCII_ESCAPES)
    try:
        return quote(value, safe="")
    except UnicodeEncodeError as error:
        reason = (
            f"is not valid Unicode text ({error.reason} at position {error.start}); "
            "OAuth 1.0 percent-encodes UTF-8 (RFC 5849 3.6)"
        )
        raise EncodingError(f"{redact(value)!r} {reason}", text=value, reason=reason) from None


def percent_decode(text: str, *, plus_is_space: bool = False) -> str:
    """Decode percent-escapes in ``text`` to a str, strictly.

    ``plus_is_space`` applies the application/x-www-form-urlencoded rule (3.4.1.3.1: query and
    form values decode "+" to a space). A "%" not followed by two hex digits, or escapes that are
    not UTF-8, raise :class:`EncodingError` naming the text; other characters pass through as they
    are, so a raw "[" or "é" in a query does not stop anyone (oauthlib rejects those).
    """
    if plus_is_space:
        text = text.replace("+", " ")
    if "%" not in text:
        return text
    bad = _BAD_ESCAPE.search(text)
    if bad:
        raise EncodingError(
            f"'%' at position {bad.start()} of {redact(text)!r} is not followed by two hex digits; "
            "encode a literal '%' as %25",
            text=text,
            reason=f"has a '%' at position {bad.start()} that is not followed by two hex digits; "
            "encode a literal '%' as %25",
        )
    # Every "%" now starts a valid escape: the standard library turns them into bytes.
    raw = unquote_to_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        reason = (
            f"has percent-escapes that are not UTF-8 ({error.reason} at byte {error.start}); "
            "OAuth 1.0 encodes text as UTF-8 before percent-encoding (RFC 5849 3.6)"
        )
        raise EncodingError(
            f"the percent-escapes in {redact(text)!r} are not UTF-8 ({error.reason} at byte "
            f"{error.start}); OAuth 1.0 encodes text as UTF-8 before percent-encoding (RFC 5849 "
            "3.6)",
            text=text,
            reason=reason,
        ) from None


def join_pairs(pairs: Iterable[tuple[str, str]]) -> str:
    """RFC 5849 3.4.1.3.2 steps 3-4: ``name=value`` for each encoded pair, joined with "&"."""
    return "&".join(map("=".join, pairs))


def encode_normalized(normalized: str) -> str:
    """3.4.1.1 item 5: an RFC-normalized parameter string percent-encoded (its second encoding).

    Such a string holds only unreserved characters, %XX escapes, "=" and "&" (3.4.1.3.2 joined
    3.6-encoded pairs), so 3.6 encoding it comes down to these three replacements ("%" first).
    """
    return normalized.replace("%", "%25").replace("&", "%26").replace("=", "%3D")
