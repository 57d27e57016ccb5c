"""How each signing step is done: RFC 5849 by default, one named deviation per field.

The signer runs one pipeline (collect, normalize, base string URI, base string, key, digest, output,
transport) and asks a :class:`Recipe` how to do each step. ``Recipe()`` is the RFC. A mistake people
make is a :func:`dataclasses.replace` of one field, so the diagnosis can enumerate mistakes without
a second copy of the pipeline (DESIGN.md, principle 3).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import quote, quote_plus

from .encoding import percent_encode

MethodCase = Literal["upper", "lower", "title"]
PortRule = Literal["rfc", "always", "never"]
UriEncoding = Literal["rfc", "none", "keep-slashes"]
ParamEncoding = Literal["once", "twice", "none"]
SortRule = Literal["rfc", "none", "joined", "name-only"]
ParamDecoding = Literal["rfc", "plus-kept", "none", "names-raw"]
Duplicates = Literal["all", "first", "last", "indexed", "query-wins"]
ParamOrder = Literal[
    "wire",
    "oauth-query-body",
    "oauth-body-query",
    "query-body-oauth",
    "body-query-oauth",
    "query-oauth-body",
    "body-oauth-query",
    "decoded",
]
QueryInUri = Literal["none", "own"]
SignedPath = Literal["sent", "tilde-encoded", "tilde-decoded"]
DigestEncoding = Literal["base64", "hex", "urlsafe", "unpadded"]
Transport = Literal["rfc", "not-encoded", "double-encoded"]
PaddedSecret = Literal["none", "consumer", "token"]

_HEX_ESCAPE = re.compile(r"%[0-9A-F]{2}")

STAGES = ("method", "uri", "params", "key", "hash", "output")
"""The pipeline's stages, in order: the three base string components (3.4.1.1), the key and the
MAC's hash (3.4.2), and how the signature is written out and sent (3.4.2 last step, 3.5)."""
ENCODING = ("uri", "params", "key")
"""The stages that percent-encode (3.6), and so read the encoder's fields."""


def _read_by(*stages: str, step: str | None = None) -> dict[str, Any]:
    """A field's metadata: the stages whose result depends on it (and, within a stage, which
    step reads it, where a caller memoizes steps): the one place that says so."""
    return {"stages": stages, "step": step}


@dataclass(frozen=True)
class Recipe:
    """Step policies. Every default is what RFC 5849 requires; the section is named per field."""

    # 3.4.1.1: the HTTP method, upper-cased; ``method`` overrides the one the request was sent with.
    method_case: MethodCase = field(default="upper", metadata=_read_by("method"))
    method: str | None = field(default=None, metadata=_read_by("method"))
    # 3.4.1.2: the base string URI.
    flip_scheme: bool = field(default=False, metadata=_read_by("uri"))
    keep_host_case: bool = field(default=False, metadata=_read_by("uri"))
    port: PortRule = field(default="rfc", metadata=_read_by("uri"))
    keep_query: bool = field(default=False, metadata=_read_by("uri"))
    # 3.4.1.2 again, for code that appends the oauth_* parameters to the URL's query after it has
    # taken the base string URI: "own" keeps the query the person had before (keep_query wins).
    query_in_uri: QueryInUri = field(default="none", metadata=_read_by("uri"))
    # 3.4.1.2: the path as signed, when an HTTP library requoted it before sending (requests and
    # httpx turn %7E into ~; older encoders turned ~ into %7E).
    signed_path: SignedPath = field(default="sent", metadata=_read_by("uri"))
    toggle_trailing_slash: bool = field(default=False, metadata=_read_by("uri"))
    uri_encoding: UriEncoding = field(default="rfc", metadata=_read_by("uri"))
    # 3.6: how the person percent-encodes, wherever they do.
    lowercase_hex: bool = field(default=False, metadata=_read_by(*ENCODING))
    space_as_plus: bool = field(default=False, metadata=_read_by(*ENCODING))
    keep_reserved: bool = field(default=False, metadata=_read_by(*ENCODING))
    # 3.4.1.3.1: which parameters are collected.
    include_query: bool = field(default=True, metadata=_read_by("params", step="collect"))
    include_body: bool = field(default=True, metadata=_read_by("params", step="collect"))
    include_empty_signature: bool = field(
        default=False, metadata=_read_by("params", step="collect")
    )
    include_realm: bool = field(default=False, metadata=_read_by("params", step="collect"))
    drop_empty: bool = field(default=False, metadata=_read_by("params", step="collect"))
    toggle_version: bool = field(default=False, metadata=_read_by("params", step="collect"))
    # 3.4.1.3.1: a body that is not application/x-www-form-urlencoded parsed as parameters anyway.
    body_as_form: bool = field(default=False, metadata=_read_by("params", step="collect"))
    # 3.4.1.3.1: query and form names and values are decoded ("+" is a space) before encoding.
    # "plus-kept" decodes %XX but leaves "+"; "none" signs the wire text; "names-raw" decodes
    # the values but not the query's names.
    param_decoding: ParamDecoding = field(
        default="rfc", metadata=_read_by("params", step="collect")
    )
    # 3.6: text is UTF-8 encoded once; True encodes the query's and body's non-ASCII twice.
    utf8_twice: bool = field(default=False, metadata=_read_by("params", step="collect"))
    # 3.4.1.3.1: repeated names are all kept. A hash map keeps the first or the last value,
    # "indexed" renames the query's repeats name[0], name[1], and "query-wins" drops a body
    # parameter whose name the query has.
    duplicates: Duplicates = field(default="all", metadata=_read_by("params", step="collect"))
    # 3.4.1.3.2 sorts the encoded pairs; code that does not joins the groups in some order, or
    # sorts the decoded text before encoding it ("decoded"). Only read when sort is "none";
    # "wire" is the order the request carries them in.
    param_order: ParamOrder = field(default="wire", metadata=_read_by("params", step="collect"))
    # 3.4.1.3.2: normalization.
    param_encoding: ParamEncoding = field(default="once", metadata=_read_by("params"))
    sort: SortRule = field(default="rfc", metadata=_read_by("params", step="sort"))
    encode_normalized: bool = field(default=True, metadata=_read_by("params"))
    # 3.4.2: the key.
    key_ampersand: bool = field(default=True, metadata=_read_by("key"))
    key_encoded: bool = field(default=True, metadata=_read_by("key"))
    # 3.4.2: a secret pasted with a trailing space (the secret as used is not the one issued).
    padded_secret: PaddedSecret = field(default="none", metadata=_read_by("key"))
    # 3.4.2: the MAC's hash; None means the one the declared method names.
    hash_name: str | None = field(default=None, metadata=_read_by("hash"))
    # 3.4.2 (last step): how the digest is written out.
    digest_encoding: DigestEncoding = field(default="base64", metadata=_read_by("output"))
    # 3.5: how the signature travels (what the server decodes from the URL or form body).
    transport: Transport = field(default="rfc", metadata=_read_by("output"))

    def encoder(self, extra_safe: str = "") -> Callable[[str], str]:
        """The percent-encoder this recipe uses (3.6 unless a mistake changes it)."""
        return _encoder(self.lowercase_hex, self.space_as_plus, self.keep_reserved, extra_safe)


RFC = Recipe()
"""The recipe RFC 5849 prescribes."""


_NAMES = frozenset(f.name for f in fields(Recipe))


def rfc_with(changes: dict[str, Any]) -> Recipe:
    """``dataclasses.replace(RFC, **changes)``, made by copying RFC's values instead of running
    ``__init__`` over every field: a diagnosis builds hundreds of recipes per search."""
    unknown = changes.keys() - _NAMES
    if unknown:
        raise TypeError(f"Recipe has no field {sorted(unknown)[0]!r}")
    recipe = object.__new__(Recipe)
    # A frozen dataclass's values live in its __dict__ (no __slots__, no __post_init__ here).
    recipe.__dict__.update(RFC.__dict__)
    recipe.__dict__.update(changes)
    return recipe


def stage_fields() -> dict[str, frozenset[str]]:
    """Stage name -> the Recipe fields its result depends on, from each field's metadata."""
    return {
        stage: frozenset(f.name for f in fields(Recipe) if stage in f.metadata["stages"])
        for stage in STAGES
    }


def step_fields(step: str) -> tuple[str, ...]:
    """The Recipe fields one step reads (e.g. "collect"), in declaration order."""
    return tuple(f.name for f in fields(Recipe) if f.metadata["step"] == step)


@lru_cache(maxsize=64)
def _encoder(
    lowercase_hex: bool, space_as_plus: bool, keep_reserved: bool, extra_safe: str
) -> Callable[[str], str]:
    if not (lowercase_hex or space_as_plus or keep_reserved or extra_safe):
        return percent_encode
    return table_encoder(lowercase_hex, space_as_plus, keep_reserved, extra_safe)


def quoted_encoder(
    lowercase_hex: bool, space_as_plus: bool, keep_reserved: bool, extra_safe: str
) -> Callable[[str], str]:
    """The encoder a recipe's flags describe, written with urllib's quote: the reference.

    3.6 unless a flag says otherwise: quote_plus writes a space as "+", ``keep_reserved`` leaves
    RFC 2396's "!*'()" alone (JavaScript's encodeURIComponent), ``lowercase_hex`` writes %xx.
    """
    safe = extra_safe + ("!*'()" if keep_reserved else "")
    if not (lowercase_hex or space_as_plus or safe):
        return percent_encode

    def encode(value: str) -> str:
        text = quote_plus(value, safe=safe) if space_as_plus else quote(value, safe=safe)
        if lowercase_hex:
            text = _HEX_ESCAPE.sub(lambda match: match.group(0).lower(), text)
        return text

    return encode


_ALWAYS_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
"""What urllib.parse.quote never escapes (RFC 3986's unreserved set, 3.6's too)."""
LONG_TEXT = 128
"""From this length on, a text is encoded by replacements rather than by translate."""


@lru_cache(maxsize=64)
def table_encoder(
    lowercase_hex: bool, space_as_plus: bool, keep_reserved: bool, extra_safe: str
) -> Callable[[str], str]:
    """:func:`quoted_encoder` for the same flags, made one ``str.translate`` for ASCII text.

    quote is a Python loop over the UTF-8 octets, and a diagnosis writes every name and value of
    a request under each encoding it tries, thousands of them for a request with many
    parameters. For ASCII text each character's escape is fixed by the flags alone (quote keeps
    the unreserved and the safe characters and writes any other octet as %XX; quote_plus writes
    a space as "+"; the lower-case rule lowers every %XX quote wrote, the only "%"s of its
    output), so one table per encoder does it; other text goes through the quoted encoder,
    errors and all.
    """
    reference = quoted_encoder(lowercase_hex, space_as_plus, keep_reserved, extra_safe)
    if "%" in extra_safe or not extra_safe.isascii():
        # quote ignores a non-ASCII safe character and keeps a "%" it is told to keep, which the
        # lower-case rule then rewrites: no table says that; the reference does.
        return reference
    safe = _ALWAYS_SAFE + extra_safe + ("!*'()" if keep_reserved else "")
    digits = "%{:02x}" if lowercase_hex else "%{:02X}"
    table = {
        code: "+" if space_as_plus and code == 32 else digits.format(code)
        for code in range(128)
        if chr(code) not in safe
    }
    plain = re.compile(f"[{re.escape(safe)}]*").fullmatch
    # A long text (a joined parameter string, a URI with its query) holds few distinct special
    # characters: one str.replace each (C's memchr speed, where translate does a dict lookup per
    # character) writes it ten times faster. "%" goes first, as the escapes write "%"s; a space
    # last, as quote_plus's "+" for it must not be escaped again.
    specials = sorted(table, key=lambda code: (code != 37, code == 32))
    escapes = [(chr(code), table[code]) for code in specials]

    def encoded(text: str) -> str:
        if len(text) < LONG_TEXT:
            if plain(text):
                return text
            return text.translate(table) if text.isascii() else reference(text)
        if not text.isascii():
            return reference(text)
        for char, escape in escapes:
            if char in text:
                text = text.replace(char, escape)
        return text

    return encoded
