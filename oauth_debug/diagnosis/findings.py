"""Checks on a signed request that need no secret, each reported as a :class:`Finding`.

These catch the mistakes that make a server refuse a request whatever its signature: a timestamp in
milliseconds or far from the server's clock, a signature of the wrong length for its method, a
missing or repeated protocol parameter, a URL copied out of interactive API docs and replayed.

Time is an input (DESIGN.md, principle 2): ``now`` is given by the caller (the CLI passes
``time.time()`` when ``--now`` is absent); nothing here reads the clock.
"""

from __future__ import annotations

import hashlib
import shlex
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal

from ..httpdate import parse_http_date
from ..methods import METHODS
from ..model import HttpRequest
from ..params import authorization_params, body_params, parse_pairs

# The names REQUIRED, PLAINTEXT_OPTIONAL and whole_number are kept here for the modules (and
# tests) that import them from findings; the rules themselves live in oauth_debug.rules.
from ..rules import PLAINTEXT_OPTIONAL as PLAINTEXT_OPTIONAL
from ..rules import REQUIRED_PARAMETERS as REQUIRED
from ..rules import (
    Placement,
    finer_unit,
    looks_like_milliseconds,
    parse_timestamp,
    required_parameters,
    within_window,
)
from ..rules import whole_number as whole_number
from ..uri import split_url
from ..window import DEFAULT_WINDOW_SECONDS

Severity = Literal["error", "warning", "info"]
""""error": this alone makes the server refuse the request; "warning": some servers refuse it;
"info": worth knowing."""

STALE_AFTER = DEFAULT_WINDOW_SECONDS
"""Seconds a timestamp may differ from the server's clock: the tool's one window default
(:data:`oauth_debug.window.DEFAULT_WINDOW_SECONDS`, so diagnose and the sandbox agree). The name is
kept for the modules that import it."""

_PLACE_NAMES = {"query": "the URL query", "header": "the Authorization header", "body": "the body"}


@dataclass(frozen=True)
class Finding:
    """One thing noticed about a request or a server's answer, with the data behind the words."""

    id: str
    severity: Severity
    message: str
    data: Mapping[str, object] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, object]:
        """``{"id", "severity", "message"}``, plus ``"data"`` when there is any (JSON-ready)."""
        out: dict[str, object] = {"id": self.id, "severity": self.severity, "message": self.message}
        if self.data:
            out["data"] = {str(k): _jsonable(v) for k, v in self.data.items()}
        return out


def _jsonable(value: object) -> object:
    # data is free-form; whatever a check put there must still serialize (tuples as lists).
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


@dataclass(frozen=True)
class RawOAuthParam:
    """A protocol parameter as found in the request, before any duplicate check."""

    name: str
    value: str
    place: Placement


def oauth_params_of(request: HttpRequest) -> tuple[RawOAuthParam, ...]:
    """Every oauth_* parameter of the request, from the query, the header and a form body.

    The core's ``params.collect`` refuses duplicates (3.1); here they are kept, so that they can be
    reported instead of stopping the diagnosis.
    """
    found: list[RawOAuthParam] = []
    found += [
        RawOAuthParam(p.name, p.value, "query")
        for p in parse_pairs(split_url(request.url).query, "query")
    ]
    found += [RawOAuthParam(n, v, "header") for n, v in authorization_params(request)]
    found += [RawOAuthParam(p.name, p.value, "body") for p in body_params(request)]
    return tuple(p for p in found if p.name.startswith("oauth_"))


def _first(params: Sequence[RawOAuthParam], name: str) -> RawOAuthParam | None:
    return next((p for p in params if p.name == name), None)


def human_duration(seconds: float) -> str:
    """A duration in the largest whole unit: "8 years", "3 hours", "1 minute", "42 seconds"."""
    seconds = abs(seconds)
    units = (
        ("year", 365.25 * 86400),
        ("month", 30.44 * 86400),
        ("day", 86400.0),
        ("hour", 3600.0),
        ("minute", 60.0),
    )
    for name, size in units:
        if seconds >= size:
            count = round(seconds / size)
            return f"{count} {name}{'s' if count != 1 else ''}"
    count = int(seconds)
    return f"{count} second{'s' if count != 1 else ''}"


def check_request(
    request: HttpRequest,
    *,
    now: float | None,
    server_date: str | None,
    signature_valid: bool | None,
    consumer_secret_known: bool,
    stale_after: float = STALE_AFTER,
    token_required: bool = False,
) -> tuple[Finding, ...]:
    """Every finding about ``request`` that needs no secret.

    ``now`` and ``server_date`` are the clocks the timestamp is held against (either may be None);
    ``signature_valid`` is what verification said (None when it could not run), used to say whether
    a replayed signature was right once. ``token_required`` asks for oauth_token to be present
    (three-legged flows). Raises :class:`InvalidOptionError` when ``server_date`` is not a date.
    """
    params = oauth_params_of(request)
    findings: list[Finding] = []
    findings += _duplicates(params)
    findings += _missing(params, token_required)
    findings += _version(params)
    findings += _empty_token(params)
    findings += _signature_length(params)
    findings += _body_hash_on_form(request, params)
    timestamp = _first(params, "oauth_timestamp")
    if timestamp is not None:
        findings += _timestamp(timestamp.value, now, server_date, stale_after)
        findings += _copied(
            request,
            params,
            timestamp.value,
            now,
            stale_after,
            signature_valid,
            consumer_secret_known,
        )
    return tuple(findings)


def _duplicates(params: Sequence[RawOAuthParam]) -> list[Finding]:
    places: dict[str, list[str]] = {}
    for param in params:
        places.setdefault(param.name, []).append(param.place)
    findings = []
    for name, where in places.items():
        if len(where) < 2:
            continue
        counts = {place: where.count(place) for place in dict.fromkeys(where)}
        spots = ", ".join(
            _PLACE_NAMES[place] + (f" ({count} times)" if count > 1 else "")
            for place, count in counts.items()
        )
        findings.append(
            Finding(
                "duplicate-oauth-parameter",
                "error",
                f"{name} appears {len(where)} times, in {spots}; each oauth_* parameter must be "
                "sent once, in one place (RFC 5849 3.1, 3.5): remove the copies, usually those a "
                "library added when the URL already carried them",
                {"name": name, "places": where},
            )
        )
    return findings


def _missing(params: Sequence[RawOAuthParam], token_required: bool) -> list[Finding]:
    if not params:
        return [
            Finding(
                "missing-parameter",
                "error",
                "the request carries no oauth_* parameters at all: it is not signed. Sign it, e.g. "
                "with `oauth-debug sign METHOD URL --consumer-key K --consumer-secret S`",
                {"names": list(REQUIRED)},
            )
        ]
    present = {p.name for p in params}
    method = _first(params, "oauth_signature_method")
    wanted = required_parameters(method.value if method else None, token=token_required)
    absent = [name for name in wanted if name not in present]
    if not absent:
        return []
    listed = ", ".join(absent)
    verb = "is" if len(absent) == 1 else "are"
    return [
        Finding(
            "missing-parameter",
            "error",
            f"{listed} {verb} missing; every signed request must carry oauth_consumer_key, "
            "oauth_signature_method, oauth_signature, oauth_timestamp and oauth_nonce (RFC 5849 "
            "3.1), plus oauth_token when a token is used",
            {"names": absent},
        )
    ]


def _version(params: Sequence[RawOAuthParam]) -> list[Finding]:
    version = _first(params, "oauth_version")
    if version is None or version.value == "1.0":
        return []
    return [
        Finding(
            "unsupported-version",
            "error",
            f'oauth_version is {version.value!r}; when present it must be exactly "1.0" (RFC 5849 '
            '3.1). Send "1.0" or leave the parameter out (OAuth 1.0a still says "1.0")',
            {"value": version.value},
        )
    ]


def _empty_token(params: Sequence[RawOAuthParam]) -> list[Finding]:
    token = _first(params, "oauth_token")
    if token is None or token.value != "":
        return []
    return [
        Finding(
            "empty-token",
            "warning",
            "oauth_token is present but empty; many servers refuse that. Without a token (a "
            "one-legged flow such as the Alteryx Gallery API) leave oauth_token out entirely "
            "(from the request and from what you sign)",
            {"place": token.place},
        )
    ]


def _body_hash_on_form(request: HttpRequest, params: Sequence[RawOAuthParam]) -> list[Finding]:
    # Body hash draft 4.1: a form-encoded body is signed as parameters (RFC 5849 3.4.1.3.1), so
    # clients must not send oauth_body_hash with one. Servers that ignore it still accept the
    # request (it is signed like any parameter), hence a warning; the hash is not checked.
    found = _first(params, "oauth_body_hash")
    if found is None or not request.is_form:
        return []
    return [
        Finding(
            "body-hash-on-form",
            "warning",
            "oauth_body_hash is sent with a form-encoded body; the OAuth Request Body Hash draft "
            "(4.1) says never to: the form parameters are signed themselves (RFC 5849 "
            "3.4.1.3.1), and a server that follows the draft refuses the request. Leave "
            "oauth_body_hash out (`oauth-debug sign ... --no-body-hash`)",
            {"place": found.place},
        )
    ]


def _signature_length(params: Sequence[RawOAuthParam]) -> list[Finding]:
    method_param = _first(params, "oauth_signature_method")
    signature = _first(params, "oauth_signature")
    if method_param is None or signature is None:
        return []
    method = METHODS.get(method_param.value)
    if method is None:
        return [
            Finding(
                "unsupported-signature-method",
                "error",
                f"oauth_signature_method {method_param.value!r} is not a method of RFC 5849 or its "
                f"SHA-2 siblings; use one of {', '.join(METHODS)} (names are case-sensitive)",
                {"method": method_param.value},
            )
        ]
    expected = method.signature_length
    actual = len(signature.value)
    if expected is None or actual == expected:
        return []
    return [
        Finding(
            "signature-length",
            "error",
            f"oauth_signature has {actual} characters, but {method.name} gives {expected} "
            f"(base64 of its digest){_length_hint(actual, signature.value)}",
            {"method": method.name, "expected": expected, "actual": actual},
        )
    ]


def _length_hint(actual: int, signature: str) -> str:
    """Name what a wrong length most likely comes from (pitfalls: hex, padding, method mix-up)."""
    for other in METHODS.values():
        if other.family == "HMAC" and other.signature_length == actual:
            return (
                f"; {actual} is what {other.name} gives: sign with the declared method or declare "
                f"{other.name}"
            )
    for other in METHODS.values():
        if other.family == "HMAC" and other.hash_name is not None:
            size = hashlib.new(other.hash_name).digest_size
            if 2 * size == actual and all(c in string.hexdigits for c in signature):
                return (
                    f"; it looks like a hex {other.name} digest: encode the raw digest bytes with "
                    "base64 instead (RFC 5849 3.4.2)"
                )
            if (4 * size + 2) // 3 == actual and not signature.endswith("="):
                return (
                    f"; it looks like a {other.name} signature with its trailing '=' padding "
                    "stripped: send the base64 text as it is"
                )
    if "%" in signature:
        return (
            "; it still contains '%' escapes: it was percent-encoded once too often on the way "
            "(encode it exactly once for the URL, body or header)"
        )
    return ""


def _timestamp(
    value: str, now: float | None, server_date: str | None, window: float
) -> list[Finding]:
    timestamp = parse_timestamp(value)
    if timestamp is None:
        return [
            Finding(
                "timestamp-malformed",
                "error",
                f"oauth_timestamp is {value!r}; it must be a positive whole number of seconds "
                "since 1970-01-01 00:00:00 UTC (RFC 5849 3.3)",
                {"value": value},
            )
        ]
    finer = finer_unit(value)
    if finer is not None:
        scale, unit = finer
        return [
            Finding(
                "timestamp-milliseconds",
                "error",
                f"oauth_timestamp {value} has {len(value)} digits: it counts {unit}, but OAuth "
                f"counts whole seconds since the epoch (RFC 5849 3.3); send {timestamp // scale} "
                "(e.g. int(time.time()) in Python, Math.floor(Date.now() / 1000) in JavaScript)",
                {"value": value, "seconds": timestamp // scale, "unit": unit},
            )
        ]
    references: list[tuple[str, str, float]] = []
    if now is not None:
        references.append(("now", "the current time", now))
    if server_date is not None:
        references.append(
            (
                "server-date",
                f"the server's clock (Date: {server_date})",
                parse_http_date(server_date),
            )
        )
    findings: list[Finding] = []
    for finding_id, sign in (("timestamp-stale", 1), ("timestamp-future", -1)):
        flagged = [
            (name, label, at, at - timestamp)
            for name, label, at in references
            if sign * (at - timestamp) > 0 and not within_window(timestamp, at, window)
        ]
        if flagged:
            findings.append(_skew_finding(finding_id, timestamp, flagged, window))
    return findings


def _skew_finding(
    finding_id: str, timestamp: int, flagged: list[tuple[str, str, float, float]], window: float
) -> Finding:
    stale = finding_id == "timestamp-stale"
    parts = []
    for _name, label, _at, age in flagged:
        relation = "before" if stale else "after"
        parts.append(f"{abs(int(age))} s {relation} {label}")
    skew = flagged[0][3]
    advice = (
        "a server accepts only timestamps within a few minutes of its own clock "
        f"(this diagnosis checks a window of {int(window)} s). Take the timestamp from the "
        "clock at the moment of sending; if your clock is off, sync it with NTP. Epoch seconds "
        "are UTC everywhere: never add or subtract time-zone hours by hand"
    )
    hours = abs(skew) / 3600
    if abs(hours - round(hours)) * 3600 <= window and 1 <= round(hours) <= 14:
        advice += (
            f" (the difference is close to {round(hours)} hour{'s' if round(hours) != 1 else ''},"
            " which is what a time-zone offset added by hand looks like)"
        )
    what = "old" if stale else "in the future"
    when = datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    message = (
        f"oauth_timestamp {timestamp} ({when}) is {human_duration(skew)} {what}: "
        + "; ".join(parts)
        + f". {advice[0].upper()}{advice[1:]}"
    )
    checks = [
        {"reference": name, "at": at, "skew_seconds": int(age)} for name, _label, at, age in flagged
    ]
    return Finding(
        finding_id,
        "error",
        message,
        {"timestamp": timestamp, "window": window, "checks": checks},
    )


def _copied(
    request: HttpRequest,
    params: Sequence[RawOAuthParam],
    timestamp_text: str,
    now: float | None,
    window: float,
    signature_valid: bool | None,
    consumer_secret_known: bool,
) -> list[Finding]:
    signature = _first(params, "oauth_signature")
    # Only a signature in the URL is one a person copies along (out of interactive API docs or a
    # browser's address bar); an old timestamp in a header or form body more likely comes from a
    # clock that is off, which timestamp-stale already says without claiming a copy.
    if signature is None or signature.place != "query" or now is None:
        return []
    timestamp = parse_timestamp(timestamp_text)
    if timestamp is None:
        return []
    age = now - timestamp
    if looks_like_milliseconds(timestamp) or age <= window:
        return []
    if signature_valid:
        verdict = "The signature is valid for this URL, and still it cannot work"
    elif signature_valid is False:
        verdict = (
            "The signature does not match this request either, but even a right one would fail"
        )
    elif consumer_secret_known:
        verdict = "Whether or not the signature was right, it cannot work now"
    else:
        verdict = (
            "Without the consumer secret the signature cannot be checked, but even a right one "
            "cannot work now"
        )
    command = sign_command(request, params)
    return [
        Finding(
            "copied-signed-url",
            "error",
            f"this request already carries a signature made {human_duration(age)} ago "
            f"(oauth_timestamp {timestamp}): it was copied, e.g. from interactive API docs, and "
            f"replayed. {verdict}: a server refuses an old timestamp and a nonce it has seen "
            "(RFC 5849 3.3), so a signature cannot be replayed. Every request needs a fresh "
            "timestamp, nonce and signature, computed when it is sent. Make one with: "
            f"{command}",
            {"age_seconds": int(age), "timestamp": timestamp, "command": command},
        )
    ]


def unsigned_url(url: str) -> str:
    """``url`` without its oauth_* query parameters and fragment (other parameters kept as sent)."""
    base, _, rest = url.partition("?")
    base = base.partition("#")[0]
    query = rest.partition("#")[0]
    kept = [
        piece
        for piece in query.split("&")
        if piece and not piece.partition("=")[0].startswith("oauth_")
    ]
    return base + ("?" + "&".join(kept) if kept else "")


def sign_command(request: HttpRequest, params: Sequence[RawOAuthParam]) -> str:
    """The ``oauth-debug sign`` command line that makes a fresh signature for ``request``."""
    key = _first(params, "oauth_consumer_key")
    method = _first(params, "oauth_signature_method")
    token = _first(params, "oauth_token")
    signature = _first(params, "oauth_signature")
    words = ["oauth-debug", "sign", request.method.upper(), unsigned_url(request.url)]
    words += ["--consumer-key", key.value if key is not None else "KEY"]
    quoted = [shlex.quote(word) for word in words]
    quoted.append('--consumer-secret "$OAUTH_CONSUMER_SECRET"')
    if token is not None and token.value:
        quoted += ["--token", shlex.quote(token.value), '--token-secret "$OAUTH_TOKEN_SECRET"']
    if method is not None and method.value != "HMAC-SHA1":
        quoted += ["--signature-method", shlex.quote(method.value)]
    if _first(params, "oauth_version") is None:
        quoted.append("--no-version")
    if request.is_form and request.body:
        body = unsigned_url("?" + request.body.decode("utf-8", "replace"))[1:]
        quoted += ["-H", shlex.quote("Content-Type: application/x-www-form-urlencoded")]
        quoted += ["--data", shlex.quote(body)]
    place = signature.place if signature is not None else "header"
    if place != "header":
        quoted += ["--placement", place]
    return " ".join(quoted)
