"""The one redaction of the package: what replaces a secret, and how text that echoes a request
loses its signatures before it is shown.

A PLAINTEXT signature *is* the signing key, encode(consumer secret) & encode(token secret)
(RFC 5849 3.4.4), and an HMAC or RSA signature is a credential too: with its nonce and timestamp
it can be replayed for as long as the server's timestamp window lasts (3.3). So every error
message, ``.data`` value and repr that echoes a URL, a header or a body passes through
:func:`redact`, which elides every ``oauth_signature`` value it finds there, however the request
carries it (a query or form ``oauth_signature=...``, an Authorization header's
``oauth_signature="..."``, 3.5.1-3.5.3), the password of a URL's userinfo, the credentials of a
written-out Basic or Bearer Authorization header, and any secret the caller names.

This module imports nothing from the package, so every other module (errors included) can use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol
from urllib.parse import quote, quote_plus

REDACTED = "****"
"""What a secret or a signature is shown as, everywhere (the one marker of the package)."""

# The parameter name as written, with other case, or with any of its characters percent-encoded
# (oauth%5Fsignature, oauth_%73ignature): the reader decodes names before it compares them
# (3.4.1.3.1), so a server takes each of these for oauth_signature.
_NAME = "".join(
    f"(?:{re.escape(char)}|%{ord(char.lower()):02x}|%{ord(char.upper()):02x})"
    for char in "oauth_signature"
)
_SIGNATURE = re.compile(
    # name="value" (3.5.1 header) or "name": "value" (a JSON body): the value ends at the quote
    # that opened it, a backslash escaping the next character (an RFC 2617 quoted-string).
    rf"(?P<quoted_head>{_NAME}[\"']?\s*[=:]\s*(?P<quote>[\"']))"
    r"(?P<quoted>(?:\\.|(?!(?P=quote)).)*)"
    # name=value (3.5.2 form body, 3.5.3 query), or name%3Dvalue inside an encoded URL: the value
    # ends at the next quote, white space or "&" that starts another name=value pair. Not at any
    # "&": a PLAINTEXT key written unencoded is "consumer&token" (3.4.4), and its token half would
    # be left behind; not at "#" either ("Zq9#SECRET&" would lose its end as a fragment).
    rf"|(?P<bare_head>{_NAME}\s*(?:=|%3d))(?P<bare>(?:[^&\s\"']|&(?![^&=\s\"']+=))*)",
    re.IGNORECASE | re.DOTALL,
)

# The password of a URL's userinfo (https://user:password@host/), which RFC 3986 3.2.1 deprecates
# and people still paste.
_PASSWORD = re.compile(r"(://[^/?#@\s:]*:)[^/?#@\s]+(@)")

# The credentials of a Basic or Bearer Authorization header written out ("Authorization: Bearer
# x" in a curl -H or a raw request): a password or a token, never something to echo.
_CREDENTIALS = re.compile(r"((?:proxy-)?authorization\s*:\s*(?:basic|bearer)\s+)[^\s'\"]+", re.I)


class _Revealable(Protocol):
    def reveal(self) -> str: ...


def _elide(match: re.Match[str]) -> str:
    if match.group("quoted_head") is not None:
        head, value = match.group("quoted_head"), match.group("quoted")
    else:
        head, value = match.group("bare_head"), match.group("bare")
    # An empty signature stays visible: "the signature is empty" is itself a finding.
    return f"{head}{REDACTED}" if value else match.group(0)


def hides_value_of(name: str) -> bool:
    """Whether :func:`redact` elides the value of a ``name=value`` pair (a query or form pair).

    For a caller that holds the value apart from its name (a decoder's error quotes the value
    alone): it hides the value exactly when redact would have hidden it beside its name, which is
    more names than ``oauth_signature`` itself ("?oauth_signature" after a doubled "?").
    """
    probe = f"{name}=x"
    return _SIGNATURE.sub(_elide, probe) != probe


def redact(text: str, secrets: Iterable[str | _Revealable] = ()) -> str:
    """``text`` with every oauth_signature value, and each of ``secrets``, replaced by REDACTED.

    ``secrets`` may be strings or :class:`~oauth_debug.model.Secret` values; each is replaced as
    given, percent-encoded once and twice (RFC 5849 3.6, as it travels in a signature or a URL)
    and form-encoded, longest first so that no encoded form is left half replaced.
    """
    if "%" in text or "ignature" in text.lower():
        text = _SIGNATURE.sub(_elide, text)
    if "@" in text:
        text = _PASSWORD.sub(rf"\g<1>{REDACTED}\g<2>", text)
    if "uthorization" in text or "UTHORIZATION" in text:
        text = _CREDENTIALS.sub(rf"\g<1>{REDACTED}", text)
    forms: set[str] = set()
    for secret in secrets:
        value = secret if isinstance(secret, str) else secret.reveal()
        if value:
            once = quote(value, safe="")
            forms.update((value, once, quote(once, safe=""), quote_plus(value, safe="")))
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, REDACTED)
    return text


def excerpt(text: str, length: int = 60) -> str:
    """The redacted start of ``text`` for a one-line message: a repr, cut at ``length``.

    Redaction comes first, so that a cut cannot leave part of a signature behind.
    """
    shown = redact(text)
    if len(shown) <= length:
        return repr(shown)
    return repr(shown[:length]) + "..."
