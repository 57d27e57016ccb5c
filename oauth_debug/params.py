"""RFC 5849 3.4.1.3 parameter collection and normalization, and the 3.5.1 Authorization header.

Collection (3.4.1.3.1) takes, in this order: the query component, the OAuth Authorization header's
parameters (never ``realm``), and the entity-body when, and only when, it is
application/x-www-form-urlencoded. ``oauth_signature`` is always left out. Query and form values
decode "+" as a space. Duplicates are kept.

Normalization (3.4.1.3.2) percent-encodes every name and value, sorts by encoded name and then by
encoded value, and joins ``name=value`` pairs with "&".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any, TypeVar

from .encoding import join_pairs, percent_decode, percent_encode
from .errors import DuplicateOAuthParameterError
from .model import HttpRequest, Param, Source
from .reading import (
    REALM,
    SIGNATURE,
    VERSION,
    authorization_params,
    body_params,
    parse_authorization,
    parse_pairs,
    query_params,
    read,
)
from .recipe import RFC, ParamOrder, Recipe, SortRule

__all__ = [  # the readers live in oauth_debug.reading; these names are kept here too
    "REALM",
    "SIGNATURE",
    "VERSION",
    "authorization_params",
    "body_params",
    "collect",
    "encode_pairs",
    "join_pairs",
    "normalize",
    "parse_authorization",
    "parse_pairs",
    "query_params",
    "render_authorization",
    "render_encoded_authorization",
    "rfc_collection",
    "sorted_pairs",
]


def render_authorization(params: Iterable[tuple[str, str]], realm: str | None = None) -> str:
    """3.5.1: ``OAuth realm="...", name="value", ...`` with names and values percent-encoded.

    realm comes first when given; its value is quoted but, being no OAuth parameter, is written as
    given (RFC 2617 quoted-string), with quotes and backslashes escaped.
    """
    encode = percent_encode
    return render_encoded_authorization([(encode(n), encode(v)) for n, v in params], realm)


def render_encoded_authorization(
    encoded: Iterable[tuple[str, str]], realm: str | None = None
) -> str:
    """:func:`render_authorization` for pairs already percent-encoded (the signer has encoded
    the protocol parameters for the base string, and reuses those encodings here)."""
    pairs = list(encoded)
    # name="value", ...: '="' between name and value, '", ' between pairs, one closing quote.
    written = '", '.join(map('="'.join, pairs)) + '"' if pairs else ""
    if realm is None:
        return "OAuth " + written
    escaped = realm.replace("\\", "\\\\").replace('"', '\\"')
    return f'OAuth realm="{escaped}", {written}' if written else f'OAuth realm="{escaped}"'


def collect(
    request: HttpRequest,
    recipe: Recipe = RFC,
    protocol: Sequence[Param] = (),
    memo: dict[Any, Any] | None = None,
) -> list[Param]:
    """Every parameter the signature covers, in request order, tagged with its source (3.4.1.3.1).

    ``memo``: a dict a caller collecting under many recipes keeps for one request (the search),
    so that a parameter read again or renamed by a recipe is the same object every time.

    ``protocol`` holds oauth_* parameters that the signer is about to place (each tagged with the
    source its placement gives it); they are collected exactly as if they were already in the
    request, without writing and re-reading a header. The request is read once
    (:func:`oauth_debug.reading.read`), however many recipes collect from it. Raises
    :class:`DuplicateOAuthParameterError` when an oauth_* parameter appears twice (3.1).
    """
    reading = read(request)
    header, query, body = list(reading.header), list(reading.query), list(reading.body)
    key: tuple[str, bool] | None = None
    if recipe is not RFC and (recipe.param_decoding != "rfc" or recipe.utf8_twice):
        key = (recipe.param_decoding, recipe.utf8_twice)
        reread = None if memo is None else memo.get(key)
        if reread is None:
            reread = _reread(request, recipe)
            if memo is not None:
                memo[key] = reread
        query, body = list(reread[0]), list(reread[1])
    if protocol:
        lists = {"query": query, "body": body, "oauth": header}
        for param in protocol:
            lists[param.source].append(param)
    if memo is None or protocol:
        _check_duplicates(query, header, body)
    else:
        # The lists depend only on the decoding (no protocol parameters added), so a search
        # collecting under many recipes checks each reading once; a failed check raises again.
        checked = ("checked", key)
        if checked not in memo:
            _check_duplicates(query, header, body)
            memo[checked] = True

    if recipe is RFC:
        return rfc_collection(query, header, body)

    if recipe.body_as_form and request.body and not request.is_form:
        body = parse_pairs(request.body.decode("utf-8", "replace"), "body")
    collected: list[Param] = []
    # A person who leaves out "the query" or "the body" still sends their oauth_* parameters
    # there, so those stay; only the request's own parameters go.
    collected += query if recipe.include_query else _protocol_only(query)
    if recipe.include_realm:
        collected += [p for p in header if p.name == REALM]
    collected += [p for p in header if p.name != REALM]
    collected += body if recipe.include_body else _protocol_only(body)
    kept = [p for p in collected if p.name != SIGNATURE]
    if recipe.include_empty_signature:
        kept.append(Param(SIGNATURE, "", _oauth_source(collected)))
    if recipe.drop_empty:
        kept = [p for p in kept if p.value != ""]
    if recipe.toggle_version:
        kept = _toggle_version(kept, _oauth_source(collected))
    if recipe.duplicates != "all":
        kept = _duplicates(kept, recipe.duplicates, {} if memo is None else memo)
    if recipe.param_order != "wire":
        kept = _ordered(kept, recipe.param_order)
    return kept


def _reread(request: HttpRequest, recipe: Recipe) -> tuple[list[Param], list[Param]]:
    """The query and form body read again with the recipe's decoding (3.4.1.3.1 decodes each
    name and value, "+" as a space, and 3.6 encodes text to UTF-8 once)."""
    reading = read(request)
    query = _decoded_pairs(reading.url.query, "query", recipe)
    body: list[Param] = []
    if request.is_form and request.body:
        body = _decoded_pairs(request.body.decode("utf-8"), "body", recipe)
    return query, body


def _decoded_pairs(text: str, source: Source, recipe: Recipe) -> list[Param]:
    decoding = recipe.param_decoding
    params = []
    for piece in text.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        if decoding == "rfc":
            name = percent_decode(name, plus_is_space=True)
            value = percent_decode(value, plus_is_space=True)
        elif decoding in ("plus-kept", "names-raw"):
            # JavaScript's decodeURIComponent: escapes decoded, a "+" stays a plus.
            if decoding == "plus-kept" or source != "query":
                name = percent_decode(name)
            value = percent_decode(value)
        if recipe.utf8_twice:
            # Text already UTF-8 read back as Latin-1 characters, which 3.6 encodes again.
            name = name.encode("utf-8").decode("latin-1")
            value = value.encode("utf-8").decode("latin-1")
        params.append(Param(name, value, source))
    return params


def _duplicates(params: list[Param], rule: str, memo: dict[Any, Any]) -> list[Param]:
    """What a map from names makes of repeated names (3.4.1.3.1 keeps every one)."""
    if rule == "indexed":
        # node-oauth: querystring.parse gives a repeated query name an array, signed as name[i].
        counts: dict[str, int] = {}
        for param in params:
            if param.source == "query":
                counts[param.name] = counts.get(param.name, 0) + 1
        seen: dict[str, int] = {}
        renamed = []
        for param in params:
            if param.source == "query" and counts[param.name] > 1:
                number = seen.get(param.name, 0)
                seen[param.name] = number + 1
                renamed_as = ("indexed", id(param), number)
                if renamed_as not in memo:
                    memo[renamed_as] = Param(f"{param.name}[{number}]", param.value, param.source)
                param = memo[renamed_as]
            renamed.append(param)
        return renamed
    if rule == "query-wins":
        in_query = {p.name for p in params if p.source == "query"}
        return [p for p in params if p.source != "body" or p.name not in in_query]
    kept: dict[str, Param] = {}
    for param in params:
        if rule == "last" or param.name not in kept:
            kept[param.name] = param
    return list(kept.values())


def _ordered(params: list[Param], order: ParamOrder) -> list[Param]:
    """The parameters grouped in ``order`` (e.g. "oauth-query-body"), request order within;
    or sorted by their decoded names and values ("decoded": "c2" before "c@", as text)."""
    if order == "decoded":
        return sorted(params, key=lambda param: (param.name, param.value))
    # A stable sort by group, done as one pass into the groups' lists: request order within.
    groups: dict[str, list[Param]] = {group: [] for group in order.split("-")}
    for param in params:
        groups[order_group(param)].append(param)
    return [param for group in groups.values() for param in group]


def order_group(param: Param) -> str:
    """The group a parameter order (e.g. "oauth-query-body") puts ``param`` in: an oauth_*
    parameter is in the "oauth" group wherever it was sent, any other in its source's."""
    return "oauth" if param.name.startswith("oauth_") else param.source


def rfc_collection(
    query: Sequence[Param], header: Sequence[Param], body: Sequence[Param]
) -> list[Param]:
    """3.4.1.3.1 as the RFC says: the query, the header's parameters (not realm), the form body;
    never oauth_signature. Only the header's realm is left out: a query or form parameter called
    realm is signed."""
    signed_header = [p for p in header if p.name != REALM]
    return [p for p in (*query, *signed_header, *body) if p.name != SIGNATURE]


def _protocol_only(params: Sequence[Param]) -> list[Param]:
    return [p for p in params if p.name.startswith("oauth_")]


def _oauth_source(params: Sequence[Param]) -> Source:
    for param in params:
        if param.name.startswith("oauth_"):
            return param.source
    return "oauth"


def _toggle_version(params: list[Param], source: Source) -> list[Param]:
    if any(p.name == VERSION for p in params):
        return [p for p in params if p.name != VERSION]
    return [*params, Param(VERSION, "1.0", source)]


def _check_duplicates(
    query: Sequence[Param], header: Sequence[Param], body: Sequence[Param]
) -> None:
    everything = (*query, *header, *body)
    names = [p.name for p in everything if p.name.startswith("oauth_")]
    if len(names) == len(set(names)):
        return
    seen: dict[str, list[str]] = {}
    for param in everything:
        if param.name.startswith("oauth_"):
            seen.setdefault(param.name, []).append(param.source)
    for name, sources in seen.items():
        if len(sources) > 1:
            places = " and ".join(_place(source) for source in sources)
            raise DuplicateOAuthParameterError(
                f"{name} appears {len(sources)} times ({places}); each oauth_* parameter may be "
                "sent only once, in one place (RFC 5849 3.1, 3.5)",
                name=name,
                sources=tuple(sources),
            )


def _place(source: str) -> str:
    return {"oauth": "Authorization header", "query": "query", "body": "form body"}[source]


def encode_pairs(params: Iterable[Param], recipe: Recipe = RFC) -> list[tuple[str, str]]:
    """3.4.1.3.2 step 1: percent-encode every name and value (per the recipe's encoding)."""
    if recipe is RFC:
        encode: Callable[[str], str] = percent_encode
        return [(encode(p.name), encode(p.value)) for p in params]
    if recipe.param_encoding == "none":
        return [(p.name, p.value) for p in params]
    encode = recipe.encoder()
    pairs = [(encode(p.name), encode(p.value)) for p in params]
    if recipe.param_encoding == "twice":
        pairs = [(encode(name), encode(value)) for name, value in pairs]
    return pairs


def sorted_pairs(params: Iterable[Param], recipe: Recipe = RFC) -> list[tuple[str, str]]:
    """3.4.1.3.2 steps 1-2: encode, then sort by encoded name and then encoded value."""
    return sort_encoded(encode_pairs(params, recipe), recipe.sort)


Row = TypeVar("Row", bound=tuple[Any, ...])


def sort_encoded(rows: Sequence[Row], sort: SortRule) -> list[Row]:
    """3.4.1.3.2 step 2 over rows that start with the encoded name and value: by name, then by
    value. The other rules are those of code that sorts otherwise: the joined "name=value"
    strings, the names alone (a stable sort, so a repeated name keeps its values' request order),
    or not at all."""
    if sort == "rfc":
        return sorted(rows)
    if sort == "joined":
        return sorted(rows, key=lambda row: f"{row[0]}={row[1]}")
    if sort == "name-only":
        return sorted(rows, key=itemgetter(0))
    return list(rows)


def normalize(params: Iterable[Param], recipe: Recipe = RFC) -> str:
    """3.4.1.3.2: encode, sort by encoded name then encoded value, join with "=" and "&"."""
    return join_pairs(sorted_pairs(params, recipe))
