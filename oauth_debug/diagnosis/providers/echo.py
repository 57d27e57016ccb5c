"""A base string the server echoed, put beside the RFC's and beside each known mistake's.

Mastercard, Jira, Flickr, Schoology and others answer a refused signature with the base string
they computed (RFC 5849 3.4.1.1). Three readings are possible: the server's string is the RFC's
for this request (so the client's recipe is wrong, and the diagnosis names how); it is the
string one catalogued mistake produces (so the server, or a proxy before it, saw or built the
request that way: a scheme rewritten by TLS termination, a port dropped); or neither, and the
first difference is all there is to say.
"""

from __future__ import annotations

from ...errors import OAuthDebugError
from ...model import HttpRequest
from ...signer import prepare
from ...verify import claimed_parameters
from ..basediff import diff_base_strings
from ..catalog import BY_ID, CATALOG, context_of, recipe_of
from ..findings import Finding
from ..model import Diagnosis


def _base(request: HttpRequest, ids: tuple[str, ...]) -> str | None:
    """The base string of ``request`` as the recipe with mistakes ``ids`` builds it."""
    try:
        oauth, placement, realm = claimed_parameters(request)
        context = context_of(
            request, None, oauth.get("oauth_signature_method") or "HMAC-SHA1", placement, realm
        )
        variants = []
        for mistake_id in ids:
            mistake = BY_ID.get(mistake_id)
            options = mistake.variants(context) if mistake is not None else ()
            if not options:
                return None
            variants.append(options[0])
        return prepare(request, recipe_of(variants)).parts.joined()
    except OAuthDebugError:
        return None


def _single_mistake_matching(request: HttpRequest, echoed: str) -> tuple[str, str] | None:
    """(mistake id, variant label) of one catalogued mistake whose base string is ``echoed``."""
    try:
        oauth, placement, realm = claimed_parameters(request)
        context = context_of(
            request, None, oauth.get("oauth_signature_method") or "HMAC-SHA1", placement, realm
        )
    except OAuthDebugError:
        return None
    for mistake in CATALOG:
        for chosen in mistake.variants(context):
            try:
                if prepare(request, chosen.apply()).parts.joined() == echoed:
                    return mistake.id, chosen.label
            except OAuthDebugError:
                continue
    return None


def echo_findings(
    request: HttpRequest, echoed: str, diagnosis: Diagnosis | None = None
) -> tuple[Finding, ...]:
    """Findings that say what the server's ``echoed`` base string means for ``request``."""
    rfc = _base(request, ())
    if rfc is None:
        return ()
    found: list[Finding] = []
    if echoed == rfc:
        message = (
            "the server computed the RFC 5849 base string of this request (the two are "
            "identical), so the difference is on your side"
        )
        data: dict[str, object] = {"matches": "rfc"}
        named: list[list[str]] = []
        if diagnosis is not None:
            for ids in (diagnosis.mistakes, *diagnosis.candidates):
                if not ids:
                    continue
                yours = _base(request, ids)
                if yours is None or yours == echoed:
                    continue
                try:
                    where = diff_base_strings(echoed, yours).first_difference
                except OAuthDebugError:
                    continue
                message += (
                    f"; the server computed this, yours differs here: {where}; that is "
                    f"mistake {' + '.join(ids)}"
                )
                named.append(list(ids))
        if named:
            data["mistakes"] = named
        else:
            message += (
                "; give the consumer secret to diagnose to name the mistake"
                if diagnosis is None or diagnosis.verdict != "explained"
                else "; the mistakes named change only the key or the output, not the base string"
            )
        found.append(Finding("echoed-base-string", "info", message, data))
        return tuple(found)
    try:
        where = diff_base_strings(echoed, rfc).first_difference
    except OAuthDebugError:
        where = "(the server's text does not read as a base string)"
    matching = _single_mistake_matching(request, echoed)
    if matching is not None:
        mistake_id, label = matching
        found.append(
            Finding(
                "echoed-base-string",
                "error",
                f"the server computed another base string than the RFC's for this request: "
                f"{where}. It is exactly what mistake {mistake_id} ({label}) gives: the server "
                "(or a proxy in front of it) saw or built the request that way, so sign what "
                "the server sees",
                {"matches": "mistake", "mistake": mistake_id, "variant": label},
            )
        )
    else:
        found.append(
            Finding(
                "echoed-base-string",
                "error",
                f"the server computed another base string than the RFC's for this request, and "
                f"no single known mistake gives it: {where}",
                {"matches": None},
            )
        )
    return tuple(found)
