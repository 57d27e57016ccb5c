"""RSA signatures searched with the public key: the catalog as RSA takes it, matches confirmed.

An RSA-SHA1/256/512 signature (RFC 5849 3.4.3, RSASSA-PKCS1-v1_5 of RFC 8017 section 8.2) cannot
be recomputed without the private key, but it can be opened with the public one: the search
compares each candidate's hash with the hash inside the claimed signature (:mod:`.rsa_open`). A
match is confirmed here by a full ``cryptography`` verification of that base string, so nothing
but the real check ever names a mistake.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..errors import OAuthDebugError
from ..methods import SignatureMethod, rsa_verify
from ..model import Credentials, HttpRequest
from ..recipe import Recipe
from ..signer import prepare
from ..trace import SigningTrace
from .catalog import Context, Mistake, Variant, Variants
from .model import MistakeExplanation, SideBySide
from .search import Explanation, _read_back


def confirmed(
    request: HttpRequest,
    credentials: Credentials,
    method: SignatureMethod,
    claimed: str,
    found: Iterable[Explanation],
) -> tuple[Explanation, ...]:
    """The explanations whose base string the claimed signature verifies over (RFC 8017 8.2.2).

    The comparison of hashes proposes; ``cryptography``'s verification decides, with the hash
    and the reading of the signature each explanation names.
    """
    kept = []
    for explanation in found:
        recipe = explanation.recipe
        signature = _read_back(claimed, recipe, "RSA")
        if signature is None:
            continue
        try:
            base_string = prepare(request, recipe).parts.joined()
        except OAuthDebugError:
            continue
        hash_name = recipe.hash_name or method.hash_name
        if rsa_verify(method, credentials, base_string, signature, hash_name=hash_name):
            kept.append(explanation)
    return tuple(kept)


_NO_KEY_STEPS = frozenset({"key"})
"""Steps RSA does not take: 3.4.3 signs with the private key, not the 3.4.2 secrets key."""
_RSA_TOO = frozenset({"output", "hash"})
"""Steps the catalog holds for HMAC that RSA takes too: its signature is base64 of octets
(3.4.3 item 2, as 3.4.2's), and its hash is named by oauth_signature_method."""


def rsa_catalog(catalog: Sequence[Mistake]) -> tuple[Mistake, ...]:
    """The catalog as it applies to an RSA signature.

    Mistakes of the 3.4.2 key cannot change an RSA signature, so they are left out (a search
    would try them for nothing). The output mistakes (hex, URL-safe or unpadded base64) and the
    wrong hash are written for HMAC; for RSA they apply too, the hash named by RSA's own name.
    """
    adapted = []
    for mistake in catalog:
        if mistake.step in _NO_KEY_STEPS:
            continue
        if mistake.step in _RSA_TOO:
            mistake = replace(
                mistake,
                applies=_rsa_family,
                variants_of=_renamed_for_rsa(mistake),
            )
        adapted.append(mistake)
    return tuple(adapted)


def _rsa_family(context: Context) -> bool:
    return context.family == "RSA"


def _renamed_for_rsa(mistake: Mistake) -> Variants:
    hmac_variants = mistake.variants_of

    def variants(context: Context) -> tuple[Variant, ...]:
        return tuple(
            replace(chosen, label=chosen.label.replace("HMAC-", "RSA-"))
            for chosen in hmac_variants(context)
        )

    return variants


def base_string_rows(
    request: HttpRequest,
    expected: SigningTrace,
    explanations: tuple[MistakeExplanation, ...],
    found: Explanation,
) -> tuple[tuple[MistakeExplanation, ...], tuple[SideBySide, ...]]:
    """Side by side for an RSA explanation made with the public key: the base strings.

    :func:`.explain.explain` recomputes each wrong signature, which needs the private key; with
    the public key only the base string each mistake gives is shown (the wrong signature is the
    claimed one, the right one cannot be made without the private key).
    """
    told = []
    for told_one, chosen in zip(explanations, found.variants, strict=True):
        if not told_one.comparisons:
            rows = _base_string_row(request, expected, chosen.apply())
            told_one = replace(told_one, comparisons=rows)
        told.append(told_one)
    return tuple(told), _base_string_row(request, expected, found.recipe, everything=True)


def _base_string_row(
    request: HttpRequest, expected: SigningTrace, recipe: Recipe, *, everything: bool = False
) -> tuple[SideBySide, ...]:
    try:
        wrong = prepare(request, recipe).parts.joined()
    except OAuthDebugError:
        return ()
    if wrong == expected.base_string and not everything:
        return ()
    return (SideBySide("base string", wrong, expected.base_string),)
