"""What a provider's own rules say about a signed request, as findings (no secret needed).

RFC 5849 leaves much to the server: which signature methods it accepts (3.4), where the
parameters may travel (3.5), what the realm is (3.5.1), how wide the timestamp window is and what a
nonce must look like (3.3). Each provider fixes those in its own way (see
:mod:`oauth_debug.diagnosis.providers`); a request can be right by the RFC and still be refused
for one of them. These checks hold a request against one profile.

The engine (``diagnose()``) knows no provider; :func:`with_provider` adds these findings to a
finished :class:`~oauth_debug.diagnosis.model.Diagnosis`, so the CLI can apply a profile without
the engine changing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import OAuthDebugError
from ..methods import METHODS, body_hash
from ..model import HttpRequest
from ..rules import whole_number
from ..uri import split_url
from ..verify import claimed_parameters
from .findings import Finding
from .providers import Profile, ProviderChoice, choose

if TYPE_CHECKING:
    from .model import Diagnosis

NETSUITE_SHA1_SINCE = "2023.1"
"""The NetSuite release from which TBA refuses HMAC-SHA1 (shared/research/providers.md)."""


def netsuite_realm(host: str) -> str | None:
    """The realm NetSuite wants for ``host``: its account id, upper-cased, "-" written "_".

    ``123456-sb1.suitetalk.api.netsuite.com`` -> ``123456_SB1`` (netsuite-php#121,
    netsuite-sdk-py#29). None for a host that carries no account id (``system.netsuite.com``).
    """
    labels = host.lower().split(".")
    if len(labels) < 3 or labels[0] in ("system", "www", "rest", "api"):
        return None
    return labels[0].upper().replace("-", "_")


def provider_findings(
    request: HttpRequest, choice: ProviderChoice, *, now: float | None = None
) -> tuple[Finding, ...]:
    """Every finding ``choice``'s profile gives for ``request`` (the first says which profile)."""
    profile = choice.profile
    found = [
        Finding(
            "provider",
            "info",
            f"checked against the rules of {profile.title}"
            + (
                f" (guessed from {choice.reason}; name it with --provider)"
                if choice.guessed
                else ""
            ),
            {"provider": profile.name, "guessed": choice.guessed, "reason": choice.reason},
        )
    ]
    try:
        oauth, placement, realm = claimed_parameters(request)
        parts = split_url(request.url)
    except OAuthDebugError:
        return tuple(found)  # the generic findings already say why the request cannot be read
    said = profile.label
    found += _method(profile, said, oauth.get("oauth_signature_method"))
    found += _placement(profile, said, placement)
    found += _realm(profile, said, realm, placement, parts.host)
    found += _body_hash(profile, said, request, oauth)
    found += _nonce(profile, said, oauth.get("oauth_nonce"))
    found += _window(profile, said, oauth.get("oauth_timestamp"), now)
    if profile.scheme_rule == "http-only" and parts.scheme == "https":
        found.append(
            Finding(
                "provider-https-oauth1",
                "error",
                f"{said} accepts OAuth 1 signatures only over plain http; over https it expects "
                "HTTP Basic authentication with the consumer key and secret instead. It also "
                "rebuilds the base string URI from its own home URL and is_ssl(), so behind a "
                "TLS-terminating proxy it may sign http:// while you signed https:// (or the "
                "reverse)",
                {"scheme": parts.scheme},
            )
        )
    if not profile.json_body_signed and request.body and not request.is_form:
        found.append(
            Finding(
                "provider-json-body-unsigned",
                "warning" if "oauth_body_hash" in oauth else "info",
                f"{said} never signs a JSON body: the base string holds only the query and the "
                "oauth_* parameters"
                + (
                    "; drop oauth_body_hash, which it does not expect"
                    if "oauth_body_hash" in oauth
                    else ""
                ),
                {"content_type": request.content_type},
            )
        )
    if profile.forbids_oauth_callback:
        found += _lti_callback(said, oauth.get("oauth_callback"))
    return tuple(found)


def _method(profile: Profile, said: str, method: str | None) -> list[Finding]:
    if method is None or method.upper() in profile.signature_methods:
        return []
    if profile.name == "netsuite" and method.upper() == "HMAC-SHA1":
        message = (
            f"{said} refuses HMAC-SHA1 since release {NETSUITE_SHA1_SINCE}: sign with "
            "HMAC-SHA256 (and send a 44-character signature)"
        )
        severity = "error"
    else:
        message = (
            f"{said} accepts {', '.join(profile.signature_methods)}, not {method}: sign with "
            f"{profile.signature_methods[0]}"
        )
        severity = "warning"
    return [
        Finding(
            "provider-signature-method",
            severity,  # type: ignore[arg-type]
            message,
            {"method": method, "accepted": list(profile.signature_methods)},
        )
    ]


def _placement(profile: Profile, said: str, placement: str) -> list[Finding]:
    if placement in profile.placements:
        return []
    return [
        Finding(
            "provider-placement",
            "warning",
            f"{said} reads the OAuth parameters from {' or '.join(profile.placements)}, not "
            f"from the {placement} (RFC 5849 3.5 lets each server choose)",
            {"placement": placement, "accepted": list(profile.placements)},
        )
    ]


def _realm(
    profile: Profile, said: str, realm: str | None, placement: str, host: str
) -> list[Finding]:
    if profile.realm_rule == "fixed" and profile.realm_value is not None:
        if realm == profile.realm_value:
            return []
        return [
            Finding(
                "provider-realm",
                "warning",
                f'{said} expects realm="{profile.realm_value}" in the Authorization header, '
                + ("and the request has none" if realm is None else f'not realm="{realm}"'),
                {"realm": realm, "expected": profile.realm_value},
            )
        ]
    if profile.realm_rule != "account-id":
        return []
    wanted = netsuite_realm(host)
    found: list[Finding] = []
    if placement != "header":
        found.append(
            Finding(
                "provider-realm-placement",
                "error",
                f"{said} reads the realm from the Authorization header only (first, before the "
                f"oauth_* parameters); the parameters travel in the {placement} here",
                {"placement": placement},
            )
        )
    if wanted is not None and realm != wanted:
        shown = "no realm" if realm is None else f'realm="{realm}"'
        found.append(
            Finding(
                "provider-realm",
                "error",
                f'{said} wants realm="{wanted}": the account id of the host {host}, upper-cased '
                f"and with '_' where the host has '-'; the request has {shown}",
                {"realm": realm, "expected": wanted},
            )
        )
    return found


def _body_hash(
    profile: Profile, said: str, request: HttpRequest, oauth: dict[str, str]
) -> list[Finding]:
    if "oauth_body_hash" in oauth:
        return []
    method = METHODS.get((oauth.get("oauth_signature_method") or "").upper())
    if profile.body_hash == "always":
        wanted = "" if method is None else body_hash(method, request.body)
        # body_hash of no body is the hash of b"" (47DEQpj8... for SHA-256).
        empty = f" (here: {wanted})" if wanted and not request.body else ""
        return [
            Finding(
                "provider-body-hash-missing",
                "error",
                f"{said} wants oauth_body_hash on every request, a GET's too: the base64 hash "
                f"of the body, of the empty body when there is none{empty}"
                + (f"; for this body: {wanted}" if request.body and wanted else ""),
                {"method": request.method, "expected": wanted or None},
            )
        ]
    if profile.body_hash == "non-form" and request.body and not request.is_form:
        return [
            Finding(
                "provider-body-hash-missing",
                "warning",
                f"{said} signs a non-form body (an outcomes XML message) with oauth_body_hash, "
                "and this request has none",
                {"content_type": request.content_type},
            )
        ]
    return []


def _nonce(profile: Profile, said: str, nonce: str | None) -> list[Finding]:
    minimum = profile.nonce_min_length
    if nonce is None or minimum is None or len(nonce) >= minimum:
        return []
    return [
        Finding(
            "provider-nonce-short",
            "error",
            f"{said} refuses a nonce shorter than {minimum} characters; this one has {len(nonce)}",
            {"length": len(nonce), "minimum": minimum},
        )
    ]


def _window(profile: Profile, said: str, timestamp: str | None, now: float | None) -> list[Finding]:
    window = profile.window_seconds
    sent = None if timestamp is None else whole_number(timestamp)
    if window is None or sent is None or now is None or abs(now - sent) <= window:
        return []
    return [
        Finding(
            "provider-timestamp-window",
            "error",
            f"{said} accepts a timestamp within {window:g} s of its clock; this one is "
            f"{abs(now - sent):.0f} s away",
            {"window_seconds": window, "skew": now - sent},
        )
    ]


def _lti_callback(said: str, callback: str | None) -> list[Finding]:
    if callback is None:
        return [
            Finding(
                "provider-lti-callback",
                "info",
                f"{said}: the launch has no oauth_callback, so a tool that adds its own "
                "(oauth_callback=about:blank) before checking computes another base string "
                "(ltiauthenticator#139); the tool must check exactly the fields it received",
                {"oauth_callback": None},
            )
        ]
    if callback != "about:blank":
        return [
            Finding(
                "provider-lti-callback",
                "warning",
                f"{said}: a launch's oauth_callback is 'about:blank'; this one is {callback!r}",
                {"oauth_callback": callback},
            )
        ]
    return []


def with_provider(
    diagnosis: Diagnosis,
    request: HttpRequest,
    choice: ProviderChoice | None,
    *,
    now: float | None = None,
) -> Diagnosis:
    """``diagnosis`` with the profile's findings and the echoed base string's comparison added."""
    extra: list[Finding] = []
    if choice is not None:
        found = provider_findings(request, choice, now=now)
        # A guess whose rules find nothing is not worth a line; a named provider always is.
        if not choice.guessed or len(found) > 1:
            extra += found
    server = diagnosis.response
    if server is not None and server.expected_base_string:
        from .providers.echo import echo_findings  # the catalog and the diff, only for an echo

        extra += echo_findings(request, server.expected_base_string, diagnosis)
    if not extra:
        return diagnosis
    return replace(diagnosis, findings=_merged(diagnosis.findings, extra))


def _merged(first: Sequence[Finding], more: Sequence[Finding]) -> tuple[Finding, ...]:
    seen = {(f.id, f.message) for f in first}
    return (*first, *(f for f in more if (f.id, f.message) not in seen))


def provider_lines(
    request: HttpRequest | None, name: str | None, *, now: float | None = None
) -> tuple[str, ...]:
    """What ``--provider`` (or the guess) adds to a command that does not diagnose: one line per
    finding that asks for a change, after the line saying which profile applied. Nothing when no
    provider is named or guessed, or when its rules find nothing to say."""
    if request is None:
        return ()
    choice = choose(request, name)
    if choice is None:
        return ()
    found = provider_findings(request, choice, now=now)
    asking = [f for f in found if f.severity != "info"]
    if not asking and choice.guessed:
        return ()
    shown = [found[0], *asking] if asking else [found[0]]
    return tuple(f"provider {f.severity}: {f.message}" for f in shown)
