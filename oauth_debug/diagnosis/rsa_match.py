"""RSA signatures searched with the public key: the digest is recovered once, then compared.

An RSA-SHA1/256/512 signature (RFC 5849 3.4.3, RSASSA-PKCS1-v1_5 of RFC 8017 section 8.2) cannot
be recomputed without the private key, but it can be opened with the public one. Verification
(RFC 8017 8.2.2) raises the signature to the public exponent (RSAVP1, step 2) and compares the
result with the EMSA-PKCS1-v1_5 encoding of the message's hash (9.2, step 3). The public
operation does not depend on the message, so the search does it once per reading of the claimed
signature and strips the padding, which leaves the hash the signer signed; each candidate base
string then costs one hash, compared with it. A match is confirmed by a full ``cryptography``
verification of that base string, so nothing but the real check ever names a mistake.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from ..errors import MissingKeyError, OAuthDebugError
from ..methods import SignatureMethod, rsa_public_key, rsa_verify
from ..model import Credentials, HttpRequest
from ..recipe import Recipe
from ..signer import prepare
from ..trace import SigningTrace
from .catalog import Context, Mistake, Variant, Variants
from .model import MistakeExplanation, SideBySide
from .search import Explanation, _read_back

# RFC 8017 9.2, note 1: the DER encoding of DigestInfo up to the hash value, per hash.
DIGEST_INFO_PREFIXES: dict[bytes, str] = {
    bytes.fromhex("3021300906052b0e03021a05000414"): "sha1",
    bytes.fromhex("3031300d060960864801650304020105000420"): "sha256",
    bytes.fromhex("3051300d060960864801650304020305000440"): "sha512",
}
_DIGEST_SIZES = {"sha1": 20, "sha256": 32, "sha512": 64}
_MIN_PADDING = 8  # RFC 8017 9.2 step 5: PS is at least eight 0xff octets

T = TypeVar("T")


def public_numbers(method: SignatureMethod, credentials: Credentials) -> tuple[int, int]:
    """(e, n) of the public key, certificate or private key in ``credentials``."""
    key = rsa_public_key(method, credentials)
    numbers: Any = key.public_numbers() if hasattr(key, "public_numbers") else None
    if not hasattr(numbers, "e") or not hasattr(numbers, "n"):
        raise MissingKeyError(f"{method.name} needs an RSA public key", method=method.name)
    return int(numbers.e), int(numbers.n)


def recover_digest(signature: bytes, e: int, n: int) -> tuple[str, bytes] | None:
    """The (hash name, hash) a PKCS#1 v1.5 signature carries, or None if it carries none.

    RFC 8017 8.2.2: the signature is as long as the modulus (step 1), its integer is below n
    (5.2.2), and s^e mod n (step 2) must be 0x00 0x01 PS 0x00 DigestInfo (9.2 step 5).
    """
    size = (n.bit_length() + 7) // 8
    if len(signature) != size:
        return None
    s = int.from_bytes(signature, "big")
    if s >= n:
        return None
    encoded = pow(s, e, n).to_bytes(size, "big")
    if encoded[:2] != b"\x00\x01":
        return None
    end = encoded.find(b"\x00", 2)
    if end < 2 + _MIN_PADDING or encoded[2:end].strip(b"\xff"):
        return None
    digest_info = encoded[end + 1 :]
    for prefix, hash_name in DIGEST_INFO_PREFIXES.items():
        if (
            digest_info.startswith(prefix)
            and len(digest_info) == len(prefix) + _DIGEST_SIZES[hash_name]
        ):
            return hash_name, digest_info[len(prefix) :]
    return None


def recovered_index(
    index: dict[bytes, list[T]], credentials: Credentials, method: SignatureMethod
) -> dict[bytes, list[T]]:
    """The search's index of claimed readings, keyed by the hash each signature carries.

    ``index`` maps the signature bytes of each reading of the claimed signature (base64, hex...)
    to the output mistakes that read it so; the result maps the hash inside instead, so the
    search compares each candidate's hash of its base string, as it compares an HMAC.
    """
    e, n = public_numbers(method, credentials)
    recovered: dict[bytes, list[T]] = {}
    for signature, combos in index.items():
        opened = recover_digest(signature, e, n)
        if opened is not None:
            recovered.setdefault(opened[1], []).extend(combos)
    return recovered


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
