"""Readers for the answers particular providers give to a refused OAuth 1.0a request.

Each reader recognises one documented shape (the source is named beside it) and turns it into
findings, and where the provider echoes its own signature base string (RFC 5849 3.4.1.1), returns
that string so the diagnosis can put it beside the request's. The generic shapes (OAuth Problem
Reporting, Twitter v1.1 codes, Alteryx) stay in :mod:`oauth_debug.diagnosis.response`, which calls
:func:`provider_answer` first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ...encoding import percent_decode
from ...errors import EncodingError, OAuthDebugError
from ...model import HttpRequest
from ...verify import claimed_parameters
from ..findings import Finding

# Mastercard/oauth1-signer-python#37, oauth1-signer-nodejs#28: "... Acceptable signature base
# string: POST&https%3A%2F%2F...".
_MASTERCARD_ECHO = re.compile(r"Acceptable signature base string:\s*(\S+)")
# Mastercard/oauth1-signer-csharp#24: INVALID_BODY_HASH "... Calculated: X, Received: Y".
_MASTERCARD_HASHES = re.compile(
    r"Calculated:\s*([A-Za-z0-9+/=]+),?\s*Received:\s*([A-Za-z0-9+/=%]*)"
)
# Flickr (flickrapi#147): "oauth_problem=signature_invalid&debug_sbs=GET&https%3A..." with the
# base string written raw, its own "&" included, to the end of the body.
_FLICKR_ECHO = re.compile(r"debug_sbs=(\S+)")
# Schoology (shared/research/providers.md): "... signature base string was <base string>".
_SCHOOLOGY_ECHO = re.compile(r"signature base string was:?\s*[\"']?([^\s\"']+)", re.I)
# IMS LTI test provider (LtiSamples#2): "Invalid signature ours=<ours> yours=<yours>".
_IMS = re.compile(r"Invalid signature\s+ours=\s*(\S*)\s+yours=\s*(\S*)", re.I)
_LOOKS_BASE = re.compile(r"[A-Za-z]+&https?%3A%2F%2F", re.I)

# WooCommerce class-wc-rest-authentication.php messages (shared/research/providers.md), each with
# what it asks of the client (wording ours).
WOOCOMMERCE_MESSAGES: dict[str, str] = {
    "Invalid signature - provided signature does not match.": "WooCommerce computed another "
    "signature: it signs over plain http with the base URI rebuilt from its home URL, sorts by "
    "strcmp before encoding and keys HMAC with 'consumer_secret&'",
    "Invalid timestamp.": "the timestamp is outside WooCommerce's 15-minute window",
    "Invalid nonce - nonce has already been used.": "WooCommerce keeps nonces for 15 minutes: "
    "send a fresh one with every request",
    "Consumer key is invalid.": "WooCommerce does not know this consumer key (ck_...)",
}
WOOCOMMERCE_CODES = (
    "woocommerce_rest_authentication_error",
    "woocommerce_api_authentication_error",
)

# X/Twitter API v2 (shared/research/providers.md): an RFC 7807 problem of type about:blank.
NETSUITE_CODES: dict[str, str] = {
    "INVALID_LOGIN": "NetSuite refused the token-based login (REST). It never says why; the "
    "usual causes are the realm (the account id upper-cased, '_' for '-'), HMAC-SHA1 (refused "
    "since 2023.1), a timestamp more than 5 minutes off and a nonce shorter than 6 characters; "
    "the Login Audit Trail in NetSuite shows the reason",
    "INVALID_LOGIN_ATTEMPT": "NetSuite refused the token-based login (RESTlet). It never says "
    "why; check the realm, the signature method (HMAC-SHA256), the timestamp and the nonce, and "
    "read the Login Audit Trail",
}


@dataclass(frozen=True)
class ProviderAnswer:
    """What the provider-specific readers found in one answer."""

    findings: tuple[Finding, ...] = ()
    kinds: tuple[str, ...] = ()
    base_string: str | None = None
    """The base string the provider says it computed, when it echoes one."""


def _once_decoded(text: str) -> str:
    """An echoed base string that arrived percent-encoded once more (METHOD%26...) decoded."""
    text = text.rstrip(".,;)")
    if "&" not in text and "%26" in text:
        try:
            return percent_decode(text)
        except EncodingError:
            return text
    return text


def _mastercard(body: str, document: object) -> ProviderAnswer | None:
    if not isinstance(document, dict):
        return None
    errors = document.get("Errors")
    listed = errors.get("Error") if isinstance(errors, dict) else None
    if isinstance(listed, dict):
        listed = [listed]
    if not isinstance(listed, list):
        return None
    findings = []
    echoed = None
    for error in listed:
        if not isinstance(error, dict) or not isinstance(error.get("ReasonCode"), str):
            continue
        code = error["ReasonCode"]
        described = error.get("Description")
        said = described if isinstance(described, str) else ""
        data: dict[str, object] = {"reason_code": code, "source": error.get("Source")}
        message = f"Mastercard refused the request: {code}"
        match = _MASTERCARD_ECHO.search(said)
        if match:
            echoed = _once_decoded(match.group(1))
            message += " and says which base string it computed (compared below)"
        hashes = _MASTERCARD_HASHES.search(said)
        if hashes:
            received = _lenient(hashes.group(2))
            data["calculated"], data["received"] = hashes.group(1), received
            message += (
                f": the body hash it calculated is {hashes.group(1)}, the one received "
                f"{received or '(none)'}; hash exactly the bytes sent"
            )
        elif said and not match:
            message += f" ({said[:200]})"
        findings.append(Finding("mastercard-error", "error", message, data))
    if not findings:
        return None
    return ProviderAnswer(tuple(findings), ("mastercard",), echoed)


def _woocommerce(body: str, document: object) -> ProviderAnswer | None:
    items: list[object] = []
    if isinstance(document, dict):
        items.append(document)
        if isinstance(document.get("errors"), list):  # the legacy API's list
            items += document["errors"]
    found = []
    for item in items:
        if not isinstance(item, dict) or item.get("code") not in WOOCOMMERCE_CODES:
            continue
        said_raw = item.get("message")
        said = said_raw if isinstance(said_raw, str) else ""
        meaning = WOOCOMMERCE_MESSAGES.get(said, "WooCommerce refused the OAuth 1 request")
        found.append(
            Finding(
                "woocommerce-error",
                "error",
                f'WooCommerce answered {item["code"]} "{said}": {meaning}',
                {"code": item["code"], "message": said},
            )
        )
    return ProviderAnswer(tuple(found), ("woocommerce",)) if found else None


def _netsuite(body: str, document: object) -> ProviderAnswer | None:
    if not isinstance(document, dict):
        return None
    codes: list[tuple[str, str]] = []
    details = document.get("o:errorDetails")
    if isinstance(details, list):
        for detail in details:
            if isinstance(detail, dict) and isinstance(detail.get("o:errorCode"), str):
                said = detail.get("detail")
                codes.append((detail["o:errorCode"], said if isinstance(said, str) else ""))
    error = document.get("error")
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        said = error.get("message")
        codes.append((error["code"], said if isinstance(said, str) else ""))
    found = [
        Finding(
            "netsuite-invalid-login",
            "error",
            NETSUITE_CODES[code] + (f' ("{said}")' if said else ""),
            {"code": code},
        )
        for code, said in codes
        if code in NETSUITE_CODES
    ]
    return ProviderAnswer(tuple(found), ("netsuite",)) if found else None


def _x_v2(body: str, document: object) -> ProviderAnswer | None:
    if not isinstance(document, dict) or document.get("type") != "about:blank":
        return None
    if document.get("status") != 401 or "o:errorDetails" in document:
        return None
    return ProviderAnswer(
        (
            Finding(
                "twitter-v2-unauthorized",
                "error",
                "an RFC 7807 problem of type about:blank, 401 Unauthorized: X's API v2 answers "
                "a refused OAuth 1.0a request this way and says no more; check the signature "
                "with the secrets, and remember that v2 signs no JSON body",
                {"title": document.get("title"), "detail": document.get("detail")},
            ),
        ),
        ("twitter",),
    )


def _tumblr(body: str, document: object) -> ProviderAnswer | None:
    if not isinstance(document, dict) or not isinstance(document.get("meta"), dict):
        return None
    errors = document.get("errors")
    codes = (
        [e.get("code") for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []
    )
    if 1016 not in codes:
        return None
    return ProviderAnswer(
        (
            Finding(
                "tumblr-error",
                "error",
                "Tumblr answered error 1016: it could not authorize the OAuth request (the "
                "signature, the consumer key or the token is wrong)",
                {"code": 1016},
            ),
        ),
        ("tumblr",),
    )


def _ims(body: str, request: HttpRequest | None) -> ProviderAnswer | None:
    match = _IMS.search(body)
    if match is None:
        return None
    ours, yours = match.group(1), match.group(2)
    data: dict[str, object] = {"ours": ours, "yours": yours}
    if _LOOKS_BASE.match(ours):
        # Some builds print the base string they built as "ours".
        return ProviderAnswer(
            (
                Finding(
                    "ims-invalid-signature",
                    "error",
                    "the LTI tool provider says the signature is invalid and shows the base "
                    "string it built (compared below)",
                    data,
                ),
            ),
            ("ims-lti",),
            _once_decoded(ours),
        )
    sent = _claimed(request)
    message = f"the LTI tool provider computed the signature {ours!r}" + (
        f", and received {yours!r}"
        if yours
        else ", and received none: the oauth_signature field did not reach it (LtiSamples#2: "
        "a malformed hidden form field)"
    )
    if sent is not None and yours:
        message += (
            "; the one received is the one this request carries"
            if sent in (yours, _lenient(yours))
            else f"; this request carries {sent!r}, so it is not the request that was refused"
        )
    return ProviderAnswer((Finding("ims-invalid-signature", "error", message, data),), ("ims-lti",))


def _lenient(text: str) -> str:
    try:
        return percent_decode(text)
    except EncodingError:
        return text


def _claimed(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    try:
        return claimed_parameters(request)[0].get("oauth_signature")
    except OAuthDebugError:
        return None


def _echoes(body: str) -> ProviderAnswer | None:
    """Flickr's debug_sbs= or Schoology's "signature base string was": the echo is the answer."""
    for kind, pattern in (("flickr", _FLICKR_ECHO), ("schoology", _SCHOOLOGY_ECHO)):
        match = pattern.search(body)
        if match:
            return ProviderAnswer((), (kind,), _once_decoded(match.group(1)))
    return None


_JSON_READERS: tuple[Callable[[str, object], ProviderAnswer | None], ...] = (
    _mastercard,
    _woocommerce,
    _netsuite,
    _x_v2,
    _tumblr,
)


def provider_answer(body: str, document: object, request: HttpRequest | None) -> ProviderAnswer:
    """Every provider-specific reading of an answer's ``body`` (``document``: its JSON or None)."""
    findings: list[Finding] = []
    kinds: list[str] = []
    echoed: str | None = None
    for reader in _JSON_READERS:
        got = reader(body, document)
        if got is not None:
            findings += got.findings
            kinds += got.kinds
            echoed = echoed or got.base_string
    ims = _ims(body, request)
    if ims is not None:
        findings += ims.findings
        kinds += ims.kinds
        echoed = echoed or ims.base_string
    echo = _echoes(body)
    if echo is not None:
        kinds += echo.kinds
        echoed = echoed or echo.base_string
    return ProviderAnswer(tuple(findings), tuple(kinds), echoed)
