"""The search: which catalog mistakes, up to three, turn the correct computation into the claimed
signature.

The pipeline is run in stages, each memoized on the variants that can change it: the method, the
base string URI and the parameter string depend only on their own Recipe fields, the key only on
the key fields, the digest on (hash, key, base string). Which fields a stage reads is said once,
by each Recipe field's metadata (recipe.stage_fields). A triple of mistakes therefore reuses the
stages its singles and pairs already computed, instead of running the whole signer again, and the
stages are the signer's own step functions. For a combination that does not match, nothing but
its digest is made: no trace, no written signature (explain() recomputes the one that matches).

The combinations of one size are handled as columns (their option masks, then each stage's
result by the options touching it), so that the per-combination work is C-level lookups and the
Python-level work is per distinct stage result and per distinct (key, base string, hash): the
parameter strings of a request with many parameters are written from one encoding of its
universe of parameters, each distinct collection, order and encoding once.

The output steps (how the digest is written, how the signature travels) are not enumerated at
all: the claimed signature is read back through each of their variants into the raw digest it
would have come from, each reading confirmed by running the real output stages forwards, and every
computed digest is looked up in that small index.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from itertools import combinations, compress, islice, product, repeat
from operator import attrgetter, contains, itemgetter, le, not_
from typing import Any

from ..encoding import percent_decode
from ..errors import OAuthDebugError
from ..methods import SignatureMethod, get_method
from ..model import Credentials, HttpRequest, Param
from ..params import collect, encode_pairs, order_group, sort_encoded
from ..reading import read
from ..recipe import Recipe, rfc_with, stage_fields, step_fields, table_encoder
from ..signer import (
    encode_digest,
    method_component,
    parameters_component,
    recipe_base_string_uri,
    signing_key,
    transported,
    uri_component,
)
from .catalog import CATALOG, Mistake, Variant, context_of, recipe_of
from .rsa_open import recovered_index

MAX_MISTAKES = 3

_BY_STAGE = stage_fields()
STAGE_FIELDS: dict[str, frozenset[str]] = {
    stage: names for stage, names in _BY_STAGE.items() if stage != "output"
}
"""Stage -> the Recipe fields it reads, as the fields' own metadata says (recipe.stage_fields)."""
OUTPUT_FIELDS = _BY_STAGE["output"]
"""Fields applied after the digest: handled by reading the claimed signature backwards."""
ENCODER_FIELDS = STAGE_FIELDS["uri"] & STAGE_FIELDS["params"] & STAGE_FIELDS["key"]
COLLECT_FIELDS = frozenset(step_fields("collect"))


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

    ``claimed`` is the signature as the server decoded it from the request. An RSA signature is
    searched with the public key in ``credentials`` (see :mod:`.rsa_open`).
    """
    method = get_method(signature_method)
    context = context_of(request, credentials, method.name, placement, realm)
    applicable = [(m, m.variants(context)) for m in catalog]
    applicable = [(m, vs) for m, vs in applicable if vs]
    considered = tuple(m.id for m, _ in applicable)
    inner = [(m, vs) for m, vs in applicable if not _touches_output(vs)]
    outer = [(m, vs) for m, vs in applicable if _touches_output(vs)]
    index = _matched_index(
        _claimed_index(claimed, outer, method.family, max_mistakes), credentials, method
    )
    lengths = {len(digest) for digest in index}
    stages = _Stages(request, credentials, method, inner, lengths)
    found: list[Explanation] = []
    tried = 0
    by_size: dict[int, list[tuple[tuple[int, ...], bytes]]] = {}
    for total in range(max_mistakes + 1):
        for inner_size in range(total + 1):
            outer_size = total - inner_size
            if not any(len(o) == outer_size for combos in index.values() for o in combos):
                continue
            if inner_size not in by_size:
                counted, by_size[inner_size] = stages.matches(inner_size, index)
                tried += counted
            for combo, digest in by_size[inner_size]:
                for outer_combo in index.get(digest, ()):
                    if len(outer_combo) == outer_size:
                        found.append(stages.explanation(combo, outer_combo))
        if found:
            break
    return SearchResult(tuple(found), tried, considered)


def _matched_index(
    index: dict[bytes, list[OuterCombo]], credentials: Credentials, method: SignatureMethod
) -> dict[bytes, list[OuterCombo]]:
    """The index keyed by what a combination's digest is compared with (see _prototype_function):
    the raw digest for HMAC and PLAINTEXT; for RSA the hash inside each signature (rsa_open)."""
    if method.family != "RSA":
        return index
    return recovered_index(index, credentials, method)


class _Constant:
    """3.4.4 PLAINTEXT's "MAC": the key itself, whatever the base string (the prototype protocol
    of the hash objects below, so the search's loop has one shape for every family)."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    def copy(self) -> _Constant:
        return self

    def update(self, data: bytes) -> None:
        pass

    def digest(self) -> bytes:
        return self.key


def _prototype_function(family: str) -> Callable[[bytes, bytes, str], Any]:
    """A hash object already fed a key and the base string's start (its method and URI
    components and their "&"s), to be ``.copy()``-ed and fed each parameter string.

    3.4.2 HMAC keyed once per (key, start, hash), not once per base string: a copy of a keyed
    object costs about half of ``hmac.digest`` with a key, and the base string's start is hashed
    once instead of being joined to every parameter string; 3.4.3 RSA: the hash of the base
    string, compared with the hash recovered from the claimed signature; 3.4.4 PLAINTEXT: the key.
    """
    if family == "HMAC":
        return hmac_new
    if family == "RSA":
        return lambda key, start, hash_name: _HASHES[hash_name](start)
    return lambda key, start, hash_name: _Constant(key)


try:  # the C HMAC object that hmac.new wraps in a Python class: its copy() has no Python frame
    from _hashlib import hmac_new
except ImportError:  # pragma: no cover - a Python built without OpenSSL
    hmac_new = hmac.new  # type: ignore[assignment]

_HASHES = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


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


_UNSET: Any = object()
_START_STAGES = ("key", "method", "uri", "hash")
"""The stages a MAC prototype is keyed by (the base string's start, the key, the hash)."""
_COLLECT = step_fields("collect")
_SORT = step_fields("sort")
_PIECE = tuple(sorted(STAGE_FIELDS["params"] - COLLECT_FIELDS - frozenset(_SORT)))
"""The params fields that say how one parameter is written into the parameter string: the
encoder, how often it is applied (3.4.1.3.2 step 1) and the second encoding (3.4.1.1 item 5)."""
# A stage's memo keys, read off a recipe in one C call each (attrgetter of several names makes
# a tuple).
_COLLECT_KEY = attrgetter(*_COLLECT)
_PIECE_KEY = attrgetter(*_PIECE)
_THIRD = itemgetter(2)
_NAME = attrgetter("name")
_VALUE = attrgetter("value")


class _Stages:
    """The signer's stages, memoized twice over.

    Per combination, each stage is looked up by the options of the combination that touch it
    (an int mask, for all the combinations of a size at once, by C-level maps: matches). The
    first time, the stage is computed by the signer's own step functions and memoized by the
    values of the Recipe fields it reads (the fields' metadata says which), so combinations that
    set those fields alike share one computation. A digest is then a copy of a keyed prototype
    fed one parameter string already encoded, once per distinct work; nothing else (no recipe,
    no trace, no written signature) is made for a combination that does not match.

    Everything here lives as long as one search and goes with it: it holds request text and
    secrets (a PLAINTEXT signature is the key), which no cache beyond one diagnosis may keep.
    """

    def __init__(
        self,
        request: HttpRequest,
        credentials: Credentials,
        method: SignatureMethod,
        inner: Sequence[tuple[Mistake, tuple[Variant, ...]]],
        lengths: set[int],
    ) -> None:
        self.request = request
        self.credentials = credentials
        self.method = method
        self.lengths = lengths
        self.reading = read(request)
        self.options: list[_Option] = []
        self.mistake_options: list[tuple[int, ...]] = []
        self.mistake_masks: list[int] = []
        field_bit = {name: 1 << i for i, name in enumerate(sorted(recipe_fields()))}
        self.mistake_of: list[int] = []
        """Option number -> the number of its mistake, in catalog order."""
        for number, (mistake, variants) in enumerate(inner):
            numbers = []
            mask = 0
            for chosen in variants:
                stages = frozenset(s for s, names in STAGE_FIELDS.items() if chosen.fields & names)
                numbers.append(len(self.options))
                self.options.append(_Option(mistake, chosen, stages))
                self.mistake_of.append(number)
                for name in chosen.fields:
                    mask |= field_bit[name]
            self.mistake_options.append(tuple(numbers))
            self.mistake_masks.append(mask)
        # A combination is also an int with one bit per option; masked with the options that
        # touch a stage, it names what the stage depends on (the same int for the same inputs).
        self._touching = {
            stage: sum(1 << i for i, o in enumerate(self.options) if stage in o.stages)
            for stage in STAGE_FIELDS
        }
        self._start_options = 0
        for stage in _START_STAGES:
            self._start_options |= self._touching[stage]
        # The params stage by its steps' options alike: which parameters (collect), how each
        # is written (piece) and how they are sorted, each looked up by its own options.
        self._step_options = [
            sum(1 << i for i, o in enumerate(self.options) if o.variant.fields & names)
            for names in (COLLECT_FIELDS, frozenset(_PIECE), frozenset(_SORT))
        ]
        self._steps: list[dict[int, Any]] = [{}, {}, {}]
        self._parts: dict[str, dict[int, Any]] = {stage: {} for stage in STAGE_FIELDS}
        # Stage results are ids of their octets (self._texts), so that combinations whose key
        # and base string are the same text share one digest (self._digests).
        self._ids: dict[bytes, int] = {}
        self._texts: list[bytes] = []
        self._digests: dict[tuple[int, int], bytes | None] = {}
        """(start, parameter string) -> the digest when it is wanted, else None."""
        self._hits: set[tuple[int, int]] = set()
        """The works whose digest is wanted."""
        self._prototype = _prototype_function(method.family)
        self._variant_bits = [[1 << i for i in numbers] for numbers in self.mistake_options]
        self._start_numbers: dict[tuple[int, int, int, str], int] = {}
        """(key, method, uri, hash) -> its number, the index of its prototype in:"""
        self._prototypes: list[Any] = []
        """Hash objects fed the key and the base string's start (method & URI &)."""
        self._starts: dict[int, int | None] = {}
        """The options touching a start -> its number (None: a stage cannot be made)."""
        self._recipes: dict[tuple[int, ...], Recipe] = {}
        self._collections: dict[tuple[Any, ...], _Collection | OAuthDebugError] = {}
        """Collect fields' values -> the collection (or collect's error)."""
        self._wire: dict[tuple[Any, ...], tuple[tuple[int, ...], int, int]] = {}
        """The same, for the collect fields with param_order "wire": collect's own places, and
        the number of their multiset, and their extent."""
        self._order_ranks: dict[str, tuple[int, ...]] = {}
        """param_order -> each universe place's rank in it (_reordered)."""
        self._plain_pieces: dict[tuple[Any, ...], list[bytes]] = {}
        """Encoding -> its rows' pieces, in universe order (the unsorted strings join them)."""
        self._distinct: dict[tuple[int, ...], _Collection] = {}
        self._multisets: dict[tuple[int, ...], int] = {}
        self._written: dict[tuple[Any, ...], int] = {}
        """(collection, encoding, sort) -> the parameter string's id, -1 for one that cannot be
        written (a collection is numbered by its multiset when 3.4.1.3.2 sorts it)."""
        self._universe: list[Param] = []
        self._groups: list[str] = []
        """Each universe place's group, as params._ordered names it."""
        self._places: dict[Param, int] = {}
        self._ranks: dict[tuple[Any, ...], tuple[int, tuple[bytes, ...]]] = {}
        """Encoding -> the number of its order of the universe, and its pieces in that order."""
        self._orders: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        """Order number -> the universe's places in it, and each place's rank."""
        self._sorted: dict[tuple[int, int], Callable[[Sequence[Any]], tuple[Any, ...]]] = {}
        """(multiset, order number) -> what picks the multiset's ranks, in order."""
        self._collect_memo: dict[Any, Any] = {}
        self._separators: dict[tuple[Any, ...], bytes] = {}
        self._tables: dict[tuple[Any, ...], list[Any]] = {}
        self._failed: dict[tuple[Any, ...], Exception] = {}
        self._memoized: dict[tuple[Any, ...], Recipe] = {}
        self._encoders: dict[tuple[Any, ...], Callable[[str], str]] = {}

    def matches(
        self, size: int, wanted: Container[bytes]
    ) -> tuple[int, list[tuple[tuple[int, ...], bytes]]]:
        """How many combos of ``size`` mistakes have a digest (the combinations tried), and
        (combo, digest) for those whose digest is ``wanted`` (a key of the claimed index).

        Combinations often share their key and base string (a mistake that changes nothing
        here, or two that write the same text), so each distinct (key, base string, hash) is
        hashed once; ``combinations_tried`` still counts every combination considered.

        The combinations are handled as columns, not one by one: their masks, then per stage
        the masks' touching options (each new one computed once) and the stage's result, all
        by C-level maps; only the distinct work left is a Python loop, one MAC each.
        """
        masks = self._masks(size)
        # Two columns: the combinations' starts (key, method and URI components, hash: what a
        # MAC prototype is keyed by) and their parameter strings, each by the options that
        # touch it, each new one computed once.
        starts, params_parts = self._starts, self._parts["params"]
        start_inputs = list(map(self._start_options.__and__, masks))
        for options in dict.fromkeys(start_inputs).keys() - starts.keys():
            starts[options] = self._start(options)
        params_inputs = list(map(self._touching["params"].__and__, masks))
        missing = dict.fromkeys(params_inputs).keys() - params_parts.keys()
        # Every collection first, so that the universe has grown before any encoding writes
        # or ranks its rows (once per size, not once per new parameter).
        collect_options = self._step_options[0]
        for options in missing:
            self._collection_at(options & collect_options)
        for options in missing:
            params_parts[options] = self._parameter_string(options)
        # (start, parameter string) by ids: equal texts have one id, so this is the distinct
        # work, found without hashing a long base string per combination.
        works: list[tuple[Any, Any]] = list(
            zip(
                map(starts.__getitem__, start_inputs),
                map(params_parts.__getitem__, params_inputs),
                strict=True,
            )
        )
        # A combination one of whose stages is None is a variant that cannot apply here (or a
        # hash of a length no reading of the claimed signature has): not tried.
        applies = list(map(not_, map(contains, works, repeat(None))))
        tried = sum(applies)
        done, hits = self._digests, self._hits
        todo = set(compress(works, applies))
        todo.difference_update(done)
        prototypes, texts = self._prototypes, self._texts
        for work in todo:
            start, params = work
            mac = prototypes[start].copy()
            mac.update(texts[params])
            made = mac.digest()
            if made in wanted:
                hits.add(work)
                done[work] = made
            else:
                done[work] = None
        if hits.isdisjoint(works):
            return tried, []
        found = [
            (self._combo(mask), done[work])
            for mask, work in zip(masks, works, strict=True)
            if work in hits
        ]
        # The catalog's order: by the mistakes a combination makes (in catalog order), then by
        # their variants. Options are numbered by mistake, then variant, so a combination's
        # mistakes come first and its option numbers break the ties.
        mistake_of = self.mistake_of
        found.sort(key=lambda item: (tuple(mistake_of[i] for i in item[0]), item[0]))
        return tried, found  # type: ignore[return-value]

    def _start(self, options: int) -> int | None:
        """The number of a combination's start (its key, method and URI components and hash,
        looked up by the options touching each stage), or None when one of them cannot be
        made; its MAC prototype is keyed the first time a start is met."""
        values = []
        for stage in _START_STAGES:
            parts = self._parts[stage]
            touching = options & self._touching[stage]
            value = parts.get(touching, _UNSET)
            if value is _UNSET:
                value = parts[touching] = self._computed(stage, touching)
            if value is None:
                return None
            values.append(value)
        key, method, uri, hash_name = values
        start = (key, method, uri, hash_name)
        number = self._start_numbers.get(start)
        if number is None:
            number = self._start_numbers[start] = len(self._prototypes)
            texts = self._texts
            self._prototypes.append(
                self._prototype(texts[key], texts[method] + b"&" + texts[uri] + b"&", hash_name)
            )
        return number

    def _masks(self, size: int) -> list[int]:
        """Every combination of ``size`` mistakes that set no field twice, as its options' bits.

        In no particular order: a combination's options, ascending, say which mistakes and
        variants it holds, and matches() sorts what it finds by them. Pairs are built once and
        each is extended by every later mistake that sets none of its fields.
        """
        fields_of, variants = self.mistake_masks, self._variant_bits
        count = len(fields_of)
        if size == 0:
            return [0]
        if size == 1:
            return [bit for bits in variants for bit in bits]
        masks: list[int] = []
        if size > 3:  # beyond the search's default: every choice of mistakes, checked
            for chosen in combinations(range(count), size):
                seen = 0
                for number in chosen:
                    if seen & fields_of[number]:
                        break
                    seen |= fields_of[number]
                else:
                    masks += map(sum, product(*[variants[m] for m in chosen]))
            return masks
        for first in range(count):
            for second in range(first + 1, count):
                if fields_of[first] & fields_of[second]:
                    continue
                pairs = [a | b for a in variants[first] for b in variants[second]]
                if size == 2:
                    masks += pairs
                    continue
                taken = fields_of[first] | fields_of[second]
                thirds = [
                    bit
                    for third in range(second + 1, count)
                    if not taken & fields_of[third]
                    for bit in variants[third]
                ]
                masks += [pair | bit for pair in pairs for bit in thirds]
        return masks

    def _combo(self, mask: int) -> tuple[int, ...]:
        """The option numbers of a mask, in order."""
        return tuple(i for i in range(mask.bit_length()) if mask >> i & 1)

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

    def _computed(self, stage: str, options: int) -> Any:
        """A start stage's result (key, method, URI, hash) for the combinations whose options
        touching it are ``options`` (a mask): they agree on every Recipe field the stage reads.
        None: a variant that cannot be applied to this request. (The parameter string has its
        own lookups, by step: _parameter_string.)"""
        recipe = self._recipe(self._combo(options))
        if stage == "hash":
            # 3.4.2's hash, or None when no reading of the claimed signature has its length.
            if self.method.family == "PLAINTEXT":
                return ""  # PLAINTEXT uses no hash
            hash_name = recipe.hash_name or self.method.hash_name
            return hash_name if _digest_size(hash_name) in self.lengths else None
        try:
            return self._intern(self._compute(stage, recipe))
        except OAuthDebugError:
            return None

    def _intern(self, text: bytes) -> int:
        """The id of a stage's octets: equal texts, however computed, share one id."""
        number = self._ids.get(text)
        if number is None:
            number = self._ids[text] = len(self._texts)
            self._texts.append(text)
        return number

    def _compute(self, stage: str, recipe: Recipe) -> bytes:
        """A stage by the signer's own step functions (those :func:`signer.prepare` runs), as
        UTF-8 octets (3.4.2: the key and the base string are octet strings)."""
        if stage == "method":
            text = method_component(recipe.method or self.request.method, recipe)
        elif stage == "uri":
            uri = recipe_base_string_uri(self.reading.url, recipe)
            text = uri_component(uri, _Memoized.of(recipe, self._encoders))
        else:
            text = signing_key(self.credentials, recipe).reveal()
        return text.encode("utf-8")

    def _parameter_string(self, options: int) -> int | None:
        """3.4.1.1 item 5: the normalized parameter string (3.4.1.3.2), percent-encoded, as the
        id of its octets (None: a variant that cannot be applied to this request).

        Collecting is memoized by the collect fields, and every parameter any collection holds
        gets a place in one list (the universe). Each encoding writes the whole universe once, a
        row per parameter (its encoded name and value, and its piece of the component); a
        collection then only picks its rows, sorts them and joins their pieces. Collections that
        pick the same places (two recipes that collect alike here) are one collection, and one
        that is sorted by 3.4.1.3.2 is written once per encoding whatever order it came in. The
        three steps are looked up by the options that touch each, so most combinations build
        no recipe at all.
        """
        collect_options, piece_options, sort_options = self._step_options
        _, by_piece, by_sort = self._steps
        collection = self._collection_at(options & collect_options)
        if collection is None:
            return None
        piece = by_piece.get(options & piece_options)
        if piece is None:
            recipe = self._recipe(self._combo(options & piece_options))
            piece = by_piece[options & piece_options] = (_PIECE_KEY(recipe), recipe)
        sort = by_sort.get(options & sort_options)
        if sort is None:
            recipe = self._recipe(self._combo(options & sort_options))
            sort = by_sort[options & sort_options] = recipe.sort
        piece_key, piece_recipe = piece
        written_as = (collection.multiset if sort == "rfc" else collection.number, piece_key, sort)
        written = self._written.get(written_as)
        if written is None:
            try:
                written = self._intern(self._write(collection, piece_recipe, piece_key, sort))
            except OAuthDebugError:
                written = -1
            self._written[written_as] = written
        return None if written < 0 else written

    def _collection_at(self, options: int) -> _Collection | None:
        """The collection of the collect options ``options`` (None: collect refuses this
        request read this way)."""
        by_collect = self._steps[0]
        collection = by_collect.get(options, _UNSET)
        if collection is _UNSET:
            try:
                collection = self._collection(self._recipe(self._combo(options)))
            except OAuthDebugError:
                collection = None
            by_collect[options] = collection
        return collection  # type: ignore[no-any-return]

    def _write(
        self, collection: _Collection, recipe: Recipe, piece_key: tuple[Any, ...], sort: str
    ) -> bytes:
        """The parameter string of ``collection`` written by ``recipe``'s piece fields (the
        encoding) and sorted by ``sort``."""
        table = self._tables.setdefault(piece_key, [])
        # Rows as far as this collection reaches: the universe grows in the order collections
        # first meet their parameters, so an encoding combined only with the request's own
        # reading never writes the parameters another decoding made.
        if len(table) < collection.extent:
            table += self._rows(self._universe[len(table) : collection.extent], recipe, piece_key)
        separator = self._separators.get(piece_key)
        if separator is None:
            separator = parameters_component("&", recipe).encode("utf-8")
            self._separators[piece_key] = separator
        failed = self._failed.get(piece_key)
        if sort == "rfc" and failed is None:
            # 3.4.1.3.2 step 2 by rank: the encoding's rows are sorted once, and a collection
            # sorts its rows' ranks (ints) instead of its rows. Rows that tie are equal, pieces
            # and all, so which of them comes first changes no octet.
            number, pieces = self._ranked(piece_key, table)
            order = self._sorted.get((collection.multiset, number))
            if order is None:
                ranks = self._orders[number][1]
                order = self._sorted[collection.multiset, number] = _picker(
                    sorted(collection.pick(ranks))
                )
            return separator.join(order(pieces))
        if sort == "none" and failed is None:  # sort_encoded's "none" keeps collect's order
            plain = self._plain_pieces.setdefault(piece_key, [])
            if len(plain) < len(table):
                plain += map(_THIRD, table[len(plain) :])
            return separator.join(collection.pick(plain))
        rows: Sequence[Any] = collection.pick(table)
        if failed is not None and None in rows:
            raise failed  # a parameter of this collection cannot be written this way
        # 3.4.1.3.2 step 2, params.sorted_pairs's own rule: by encoded name, then value (equal
        # pairs have equal pieces, so the third item never decides).
        rows = sort_encoded(rows, sort)  # type: ignore[arg-type]
        return separator.join(map(_THIRD, rows))

    def _collection(self, recipe: Recipe) -> _Collection:
        """3.4.1.3.1 for ``recipe``: the places of the parameters it collects, in its order.

        The order a recipe groups its parameters in (param_order, collect's last step) only
        permutes what it collects in request order, so collect runs once per other collect
        fields and each order is made from that by a stable sort of places (_reordered).
        """
        collect_key = _COLLECT_KEY(recipe)
        collection = self._collections.get(collect_key)
        if collection is not None:
            if isinstance(collection, OAuthDebugError):
                raise collection
            return collection
        order = recipe.param_order
        wire_recipe = (
            recipe if order == "wire" else rfc_with({**vars(recipe), "param_order": "wire"})
        )
        wire_key = _COLLECT_KEY(wire_recipe)
        try:
            wire = self._wire.get(wire_key)
            if wire is None:
                # Tuples, not lists, for what the search keeps: the collector untracks a tuple
                # of ints, where it walks every list of places again at each collection.
                placed = tuple(self._placed(wire_recipe))
                multiset = self._multisets.setdefault(tuple(sorted(placed)), len(self._multisets))
                wire = self._wire[wire_key] = (placed, multiset, max(placed, default=-1) + 1)
        except OAuthDebugError as error:
            self._collections[collect_key] = error
            raise
        # An order permutes the places: the same multiset, the same extent.
        known, multiset, extent = wire
        if order != "wire":
            known = tuple(self._reordered(known, order))
        collection = self._distinct.get(known)
        if collection is None:
            collection = _Collection(
                number=len(self._distinct),
                multiset=multiset,
                positions=known,
                pick=_picker(known),
                extent=extent,
            )
            self._distinct[known] = collection
        self._collections[collect_key] = collection
        return collection

    def _placed(self, recipe: Recipe) -> list[int]:
        """collect()'s parameters for ``recipe``, as places in the universe."""
        params = collect(self.request, recipe, memo=self._collect_memo)
        # A row reads only a parameter's name and value, and an order its group (which its
        # name and source say), so equal Params (a Param is a named tuple: equal by value; the
        # same query read under two decodings, a version parameter made again by each
        # collection toggling it) share a place in the universe, and each encoding writes them
        # once.
        places, universe = self._places, self._universe
        known: list[int | None] = list(map(places.get, params))
        if None not in known:
            return known  # type: ignore[return-value]
        at = known.index(None)  # a C scan to each parameter not placed yet, mostly one or two
        while True:
            param = params[at]
            place = places.get(param)
            if place is None:
                place = places[param] = len(universe)
                universe.append(param)
                self._groups.append(order_group(param))
            known[at] = place
            try:
                at = known.index(None, at + 1)
            except ValueError:
                return known  # type: ignore[return-value]

    def _reordered(self, positions: Sequence[int], order: str) -> list[int]:
        """params._ordered over places: "decoded" sorts by decoded name and value; any other
        order is its groups (an oauth_* parameter is "oauth" wherever it was sent) one after
        the other, request order within: a stable sort by the group's rank."""
        ranks = self._order_ranks.get(order)
        if ranks is None or len(ranks) != len(self._universe):  # made again as it grows
            ranks = self._order_ranks[order] = self._ranks_in(order)
        return sorted(positions, key=ranks.__getitem__)

    def _ranks_in(self, order: str) -> tuple[int, ...]:
        """Each universe place's rank in ``order``; places that the order does not tell apart
        (one group; the same decoded name and value) have the same rank, so that the stable
        sort keeps them in collect's order, as params._ordered does."""
        if order != "decoded":
            rank = {group: number for number, group in enumerate(order.split("-"))}
            return tuple([rank[group] for group in self._groups])
        texts = [(param.name, param.value) for param in self._universe]
        numbered = {text: number for number, text in enumerate(sorted(set(texts)))}
        return tuple([numbered[text] for text in texts])

    def _ranked(
        self, piece_key: tuple[Any, ...], table: list[Any]
    ) -> tuple[int, tuple[bytes, ...]]:
        """The number of the universe's order in 3.4.1.3.2 (by encoded name, then value) for
        this encoding, and the pieces in that order; made again when the universe has grown.

        Encodings mostly keep the same order (one that only writes the hex in lower case, or
        the normalized string once more, sorts the rows alike): an order already made for the
        universe is checked (one pass) before one is sorted anew, and a number names it, so
        that a collection's rows are ranked once per order, not once per encoding.
        """
        ranked = self._ranks.get(piece_key)
        if ranked is None or len(ranked[1]) != len(table):  # rows [0, len(table)) all exist
            number = None
            for known, (order, _) in self._orders.items():
                if len(order) == len(table):
                    rows = _picker(order)(table)
                    if all(map(le, rows, islice(rows, 1, None))):
                        number = known
                        break
            if number is None:
                fresh = sorted(range(len(table)), key=table.__getitem__)
                ranks = [0] * len(table)
                for rank, position in enumerate(fresh):
                    ranks[position] = rank
                number = len(self._orders)
                self._orders[number] = (tuple(fresh), tuple(ranks))
            order = self._orders[number][0]
            ranked = self._ranks[piece_key] = (number, tuple(map(_THIRD, _picker(order)(table))))
        return ranked

    def _rows(self, params: list[Param], recipe: Recipe, piece_key: tuple[Any, ...]) -> list[Any]:
        """(encoded name, encoded value, piece as UTF-8) per parameter, None for one that this
        encoding cannot write (the error is kept, raised for a collection that holds it)."""
        # The signer's own steps, with the recipe's encoder remembering what it encoded.
        memo = self._memoized.get(piece_key)
        if memo is None:
            memo = self._memoized[piece_key] = _Memoized.of(recipe, self._encoders)
        try:
            names, values = _encoded_pairs(params, memo)
            pieces = _pieces(names, values, memo)
            return list(zip(names, values, map(str.encode, pieces), strict=True))
        except (OAuthDebugError, UnicodeError):
            pass
        rows: list[Any] = []
        for param in params:  # one by one, to know which parameter cannot be written
            try:
                rows += self._rows_of_one(param, memo)
            except (OAuthDebugError, UnicodeError) as error:
                self._failed.setdefault(piece_key, error)
                rows.append(None)
        return rows

    @staticmethod
    def _rows_of_one(param: Param, memo: Recipe) -> list[Any]:
        pairs = encode_pairs([param], memo)
        return [(*pairs[0], parameters_component(f"{pairs[0][0]}={pairs[0][1]}", memo).encode())]


@dataclass(frozen=True)
class _Collection:
    """One distinct collection of a search: its places in the universe, in its order."""

    number: int
    multiset: int
    """The same number for every collection of the same places in any order."""
    positions: tuple[int, ...]
    pick: Callable[[Sequence[Any]], tuple[Any, ...]]
    extent: int
    """One past its last place: how far an encoding's rows must reach."""


def _picker(positions: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A function picking ``positions`` out of a list, as a tuple (operator.itemgetter's speed)."""
    if len(positions) > 1:
        return itemgetter(*positions)
    if positions:
        only = positions[0]
        return lambda table: (table[only],)
    return lambda table: ()


def _encoded_pairs(params: Sequence[Param], recipe: Recipe) -> tuple[list[str], list[str]]:
    """params.encode_pairs (3.4.1.3.2 step 1) for a whole universe: the names, and the values,
    each encoded in one call (see _encoded_all); raises as encode_pairs would."""
    names = list(map(_NAME, params))
    values = list(map(_VALUE, params))
    if recipe.param_encoding == "none":
        return names, values
    encode = recipe.encoder()
    for _ in range(2 if recipe.param_encoding == "twice" else 1):
        names, values = _encoded_all(names, encode), _encoded_all(values, encode)
    return names, values


def _encoded_all(texts: list[str], encode: Callable[[str], str]) -> list[str]:
    """``[encode(text) for text in texts]``, in one call of ``encode`` where it can be.

    Percent-encoding works character by character, so the texts joined by "&" are encoded at
    once and cut at the encoded "&": every "&" of the joined text is a separator when no text
    holds one, and an encoder writes "%26" only where its input had an "&" (any other "%" of
    its output starts the escape of another character). Otherwise, text by text.
    """
    joined = "&".join(texts)
    if texts and joined.count("&") == len(texts) - 1:
        parts = encode(joined).split(encode("&"))
        if len(parts) == len(texts):
            return parts
    return [encode(text) for text in texts]


def _pieces(names: list[str], values: list[str], recipe: Recipe) -> list[str]:
    """``parameters_component(f"{name}={value}")`` of each pair (3.4.1.1 item 5, piece by piece).

    Percent-encoding works character by character, so the joined pairs are encoded in one call
    and cut at the encoded "&": every "&" of the joined text is a separator when no pair holds
    one, and an encoder writes an "&" (as "%26", or as itself when nothing is encoded) only
    where its input had one. A pair with an "&" in it (unencoded parameters) is encoded alone.
    """
    texts = list(map("=".join, zip(names, values, strict=True)))
    joined = "&".join(texts)
    if joined.count("&") == len(texts) - 1:
        pieces = parameters_component(joined, recipe).split(parameters_component("&", recipe))
        if len(pieces) == len(texts):
            return pieces
    return [parameters_component(text, recipe) for text in texts]


@dataclass(frozen=True)
class _Memoized(Recipe):
    """A recipe whose encoder remembers what it has encoded, for one search.

    The search writes the same names and values under many recipes (and a value encoded once is
    the text the twice-encoding recipe encodes again), so the signer's own steps are run with this
    recipe instead of a second encoder. The memo lives in the search's stages and goes with them:
    it holds request text, which no cache beyond one diagnosis may keep.
    """

    encoders: dict[tuple[Any, ...], Callable[[str], str]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(cls, recipe: Recipe, encoders: dict[tuple[Any, ...], Callable[[str], str]]) -> Recipe:
        values = {f.name: getattr(recipe, f.name) for f in fields(Recipe)}
        return cls(**values, encoders=encoders)

    def encoder(self, extra_safe: str = "") -> Callable[[str], str]:
        key = (self.lowercase_hex, self.space_as_plus, self.keep_reserved, extra_safe)
        encode = self.encoders.get(key)
        if encode is None:
            encode = self.encoders[key] = _remembering(table_encoder(*key))
        return encode


def _remembering(encode: Callable[[str], str]) -> Callable[[str], str]:
    memo: dict[str, str] = {}

    def remembered(text: str) -> str:
        done = memo.get(text)
        if done is None:
            done = memo[text] = encode(text)
        return done

    return remembered


@cache
def _digest_size(hash_name: str | None) -> int | None:
    return None if hash_name is None else hashlib.new(hash_name).digest_size
