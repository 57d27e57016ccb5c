"""The search: which catalog mistakes, up to three, turn the correct computation into the claimed
signature.

The pipeline is run in stages, each memoized on the variants that can change it: the method, the
base string URI and the parameter string depend only on their own Recipe fields, the key only on
the key fields, the digest on (hash, key, base string). A triple of mistakes therefore reuses the
stages its singles and pairs already computed, instead of running the whole signer again.

The output steps (how the digest is written, how the signature travels) are not enumerated at
all: the claimed signature is read back through each of their variants into the raw digest it
would have come from, each reading confirmed by running the real output stages forwards, and every
computed digest is looked up in that small index.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from functools import cache
from itertools import combinations, product

from ..encoding import percent_decode
from ..errors import OAuthDebugError
from ..methods import SignatureMethod, get_method
from ..model import Credentials, HttpRequest, Secret
from ..params import collect, normalize
from ..recipe import Recipe
from ..signer import (
    digest_and_signature,
    encode_digest,
    method_component,
    parameters_component,
    recipe_base_string_uri,
    signing_key,
    transported,
    uri_component,
)
from ..trace import BaseStringParts
from .catalog import CATALOG, Mistake, Variant, context_of, recipe_of

MAX_MISTAKES = 3

ENCODER_FIELDS = frozenset({"lowercase_hex", "space_as_plus", "keep_reserved"})
COLLECT_FIELDS = frozenset(
    {
        "include_query",
        "include_body",
        "include_empty_signature",
        "include_realm",
        "drop_empty",
        "toggle_version",
        "body_as_form",
    }
)
STAGE_FIELDS: dict[str, frozenset[str]] = {
    "method": frozenset({"method_case", "method"}),
    "uri": frozenset(
        {
            "flip_scheme",
            "keep_host_case",
            "port",
            "keep_query",
            "toggle_trailing_slash",
            "uri_encoding",
        }
    )
    | ENCODER_FIELDS,
    "params": COLLECT_FIELDS
    | frozenset({"param_encoding", "sort", "encode_normalized"})
    | ENCODER_FIELDS,
    "key": frozenset({"key_ampersand", "key_encoded", "padded_secret"}) | ENCODER_FIELDS,
    "hash": frozenset({"hash_name"}),
}
OUTPUT_FIELDS = frozenset({"digest_encoding", "transport"})
"""Fields applied after the digest: handled by reading the claimed signature backwards."""


def recipe_fields() -> frozenset[str]:
    """Every Recipe field name (the stage tables above must cover them all; a test checks)."""
    return frozenset(f.name for f in fields(Recipe))


@dataclass(frozen=True)
class Explanation:
    """One set of mistakes whose recipe reproduces the claimed signature."""

    ids: tuple[str, ...]
    variants: tuple[Variant, ...]

    @property
    def recipe(self) -> Recipe:
        return recipe_of(self.variants)


@dataclass(frozen=True)
class SearchResult:
    """The smallest explanations found (all of the same size), and how much was tried."""

    explanations: tuple[Explanation, ...]
    combinations_tried: int
    considered: tuple[str, ...]
    """The catalog ids that could apply to this request."""

    @property
    def best(self) -> Explanation | None:
        return self.explanations[0] if self.explanations else None

    @property
    def ambiguous(self) -> bool:
        return len(self.explanations) > 1


@dataclass(frozen=True)
class _Option:
    """A variant of a mistake, numbered for the caches."""

    mistake: Mistake
    variant: Variant
    stages: frozenset[str]


def search(
    request: HttpRequest,
    credentials: Credentials,
    claimed: str,
    *,
    signature_method: str,
    placement: str = "header",
    realm: str | None = None,
    max_mistakes: int = MAX_MISTAKES,
    catalog: Sequence[Mistake] = CATALOG,
) -> SearchResult:
    """Find the fewest catalog mistakes (up to ``max_mistakes``) that produce ``claimed``.

    ``claimed`` is the signature as the server decoded it from the request. RSA signatures cannot
    be recomputed without the private key, so for them nothing is searched.
    """
    method = get_method(signature_method)
    context = context_of(request, credentials, method.name, placement, realm)
    applicable = [(m, m.variants(context)) for m in catalog]
    applicable = [(m, vs) for m, vs in applicable if vs]
    considered = tuple(m.id for m, _ in applicable)
    if method.family == "RSA":
        return SearchResult((), 0, considered)
    inner = [(m, vs) for m, vs in applicable if not _touches_output(vs)]
    outer = [(m, vs) for m, vs in applicable if _touches_output(vs)]
    index = _claimed_index(claimed, outer, method.family, max_mistakes)
    stages = _Stages(request, credentials, method, inner)
    lengths = {len(digest) for digest in index}
    found: list[Explanation] = []
    tried = 0
    by_size: dict[int, list[tuple[tuple[int, ...], bytes]]] = {}
    for total in range(max_mistakes + 1):
        for inner_size in range(total + 1):
            outer_size = total - inner_size
            if not any(len(o) == outer_size for combos in index.values() for o in combos):
                continue
            if inner_size not in by_size:
                by_size[inner_size] = list(stages.digests(inner_size, lengths))
                tried += len(by_size[inner_size])
            for combo, digest in by_size[inner_size]:
                for outer_combo in index.get(digest, ()):
                    if len(outer_combo) == outer_size:
                        found.append(stages.explanation(combo, outer_combo))
        if found:
            break
    return SearchResult(tuple(found), tried, considered)


def _touches_output(variants: Sequence[Variant]) -> bool:
    return any(v.fields & OUTPUT_FIELDS for v in variants)


OuterCombo = tuple[tuple[Mistake, Variant], ...]


def _claimed_index(
    claimed: str,
    outer: Sequence[tuple[Mistake, tuple[Variant, ...]]],
    family: str,
    max_mistakes: int,
) -> dict[bytes, list[OuterCombo]]:
    """Raw digest -> the output mistakes that write it as ``claimed``.

    Each reading is confirmed by the forward output stages (encode_digest, transported), so the
    inverse functions here only propose; the pipeline decides.
    """
    options = [(m, v) for m, vs in outer for v in vs]
    index: dict[bytes, list[OuterCombo]] = {}
    for size in range(min(2, max_mistakes) + 1):
        for combo in combinations(options, size):
            touched = [v.fields for _, v in combo]
            if len({m.id for m, _ in combo}) < size or _overlap(touched):
                continue
            digest = _read_back(claimed, recipe_of(v for _, v in combo), family)
            if digest is not None:
                index.setdefault(digest, []).append(combo)
    return index


def _overlap(field_sets: Sequence[frozenset[str]]) -> bool:
    seen: set[str] = set()
    for names in field_sets:
        if seen & names:
            return True
        seen |= names
    return False


_HEX = re.compile(r"[0-9a-f]+")
_B64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_B64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")


def _read_back(claimed: str, recipe: Recipe, family: str) -> bytes | None:
    """The digest that ``recipe``'s output stages would have written as ``claimed``, if any."""
    text: str | None = claimed
    if recipe.transport == "not-encoded":
        text = claimed.replace(" ", "+")
    elif recipe.transport == "double-encoded":
        try:
            text = percent_decode(claimed)
        except OAuthDebugError:
            text = None
    if text is None:
        return None
    if family == "PLAINTEXT":
        digest: bytes | None = text.encode("utf-8") if recipe.digest_encoding == "base64" else None
        written = None if digest is None else digest.decode("utf-8")
    else:
        digest = _undigest(text, recipe.digest_encoding)
        written = None if digest is None else encode_digest(digest, recipe)
    if digest is None or written is None or transported(written, recipe) != claimed:
        return None
    return digest


def _undigest(text: str, encoding: str) -> bytes | None:
    try:
        if encoding == "hex":
            return bytes.fromhex(text) if _HEX.fullmatch(text) else None
        if encoding == "urlsafe":
            return base64.urlsafe_b64decode(text) if _B64URL.fullmatch(text) else None
        if encoding == "unpadded":
            padded = text + "=" * (-len(text) % 4)
            return base64.b64decode(padded) if _B64.fullmatch(text) else None
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


class _Stages:
    """The signer's stages, memoized on the variants that can change each one."""

    def __init__(
        self,
        request: HttpRequest,
        credentials: Credentials,
        method: SignatureMethod,
        inner: Sequence[tuple[Mistake, tuple[Variant, ...]]],
    ) -> None:
        self.request = request
        self.credentials = credentials
        self.method = method
        self.options: list[_Option] = []
        self.mistake_options: list[tuple[int, ...]] = []
        for mistake, variants in inner:
            numbers = []
            for chosen in variants:
                stages = frozenset(s for s, names in STAGE_FIELDS.items() if chosen.fields & names)
                numbers.append(len(self.options))
                self.options.append(_Option(mistake, chosen, stages))
            self.mistake_options.append(tuple(numbers))
        self.mistake_fields = [
            frozenset().union(*(v.fields for v in variants)) for _, variants in inner
        ]
        self.members = {
            stage: frozenset(i for i, o in enumerate(self.options) if stage in o.stages)
            for stage in STAGE_FIELDS
        }
        self._recipes: dict[tuple[int, ...], Recipe] = {}
        self._parts: dict[tuple[str, tuple[int, ...]], str | None] = {}
        self._digests: dict[tuple[tuple[int, ...], ...], bytes | None] = {}

    def combos(self, size: int) -> Iterator[tuple[int, ...]]:
        """Every combination of ``size`` mistakes touching disjoint fields, per variant."""
        for chosen in combinations(range(len(self.mistake_options)), size):
            if _overlap([self.mistake_fields[m] for m in chosen]):
                continue
            yield from product(*(self.mistake_options[m] for m in chosen))

    def digests(self, size: int, lengths: set[int]) -> Iterator[tuple[tuple[int, ...], bytes]]:
        """(combo, digest) for every combo of ``size`` mistakes whose digest could match."""
        members = self.members
        for combo in self.combos(size):
            key = tuple(tuple(i for i in combo if i in members[stage]) for stage in STAGE_FIELDS)
            digest = self._digests.get(key, b"")
            if digest == b"":
                digest = self._digest(key, lengths)
                self._digests[key] = digest
            if digest is not None:
                yield combo, digest

    def explanation(self, combo: tuple[int, ...], outer: OuterCombo) -> Explanation:
        chosen = [(self.options[i].mistake, self.options[i].variant) for i in combo]
        chosen += list(outer)
        return Explanation(tuple(m.id for m, _ in chosen), tuple(v for _, v in chosen))

    def _recipe(self, combo: tuple[int, ...]) -> Recipe:
        recipe = self._recipes.get(combo)
        if recipe is None:
            recipe = recipe_of(self.options[i].variant for i in combo)
            self._recipes[combo] = recipe
        return recipe

    def _part(self, stage: str, combo: tuple[int, ...]) -> str | None:
        cached = self._parts.get((stage, combo), "\0")
        if cached != "\0":
            return cached
        recipe = self._recipe(combo)
        value: str | None
        try:
            if stage == "method":
                value = method_component(recipe.method or self.request.method, recipe)
            elif stage == "uri":
                value = uri_component(recipe_base_string_uri(self.request.url, recipe), recipe)
            elif stage == "params":
                normalized = normalize(collect(self.request, recipe), recipe)
                value = parameters_component(normalized, recipe)
            else:
                value = signing_key(self.credentials, recipe).reveal()
        except OAuthDebugError:
            value = None  # this variant cannot be applied to this request
        self._parts[(stage, combo)] = value
        return value

    def _digest(self, key: tuple[tuple[int, ...], ...], lengths: set[int]) -> bytes | None:
        method_combo, uri_combo, params_combo, key_combo, hash_combo = key
        recipe = self._recipe(hash_combo)
        if self.method.family == "HMAC":
            hash_name = recipe.hash_name or self.method.hash_name
            if _digest_size(hash_name) not in lengths:
                return None  # no reading of the claimed signature has this hash's length
        parts = [
            self._part("method", method_combo),
            self._part("uri", uri_combo),
            self._part("params", params_combo),
            self._part("key", key_combo),
        ]
        if any(part is None for part in parts):
            return None
        method_part, uri_part, params_part, key_text = parts
        assert method_part is not None and uri_part is not None and params_part is not None
        base_string = BaseStringParts(method_part, uri_part, params_part).joined()
        digest, _ = digest_and_signature(
            self.method, Secret(key_text or ""), base_string, self.credentials, recipe
        )
        return digest


@cache
def _digest_size(hash_name: str | None) -> int | None:
    return None if hash_name is None else hashlib.new(hash_name).digest_size
