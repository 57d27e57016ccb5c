"""RFC 5849 3.4.1.3 parameter collection and normalization, and the 3.5.1 Authorization header.

Collection (3.4.1.3.1) takes, in this order: the query component, the OAuth Authorization header's
parameters (never ``realm``), and the entity-body when, and only when, it is
application/x-www-form-urlencoded. ``oauth_signature`` is always left out. Query and form values
decode "+" as a space. Duplicates are kept.

Normalization (3.4.1.3.2) percent-encodes every name and value, sorts by encoded name and then by
encoded value, and joins ``name=value`` pairs with "&".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .encoding import percent_decode, percent_encode
from .errors import (
    DuplicateOAuthParameterError,
    EncodingError,
    FormBodyError,
    MalformedHeaderError,
)
from .model import HttpRequest, Param, Source
from .recipe import RFC, Recipe
from .redact import REDACTED, excerpt, redact
from .uri import split_url

SIGNATURE = "oauth_signature"
REALM = "realm"
VERSION = "oauth_version"


def parse_pairs(text: str, source: Source) -> list[Param]:
    """Decode an application/x-www-form-urlencoded string (a query or a form body) into params."""
    params: list[Param] = []
    for piece in text.split("&"):
        if not piece:
            continue
        raw_name, _, raw_value = piece.partition("=")
        name = percent_decode(raw_name, plus_is_space=True)
        try:
            value = percent_decode(raw_value, plus_is_space=True)
        except EncodingError as error:
            raise _undecodable(name, error) from None
        params.append(Param(name, value, source))
    return params


def _undecodable(name: str, error: EncodingError) -> EncodingError:
    """The error for a value that does not decode; an oauth_signature's value is not quoted.

    The decoder quotes the text it could not read, but it only sees the value, not that it is a
    signature (for PLAINTEXT, the key itself, 3.4.4): here, where the name is known, it is left out.
    """
    if name != SIGNATURE:
        return error
    return EncodingError(
        f"the {SIGNATURE} value (not shown) {error.reason}",
        text=f"{SIGNATURE}={REDACTED}",
        reason=error.reason,
    )


def query_params(url: str) -> list[Param]:
    """3.4.1.3.1 item 1: the query component's parameters."""
    return list(_query_params(url))


@lru_cache(maxsize=256)
def _query_params(url: str) -> tuple[Param, ...]:
    # A client signs the same URL many times (polling a job, paging a list); Params are frozen.
    return tuple(parse_pairs(split_url(url).query, "query"))


def body_params(request: HttpRequest) -> list[Param]:
    """3.4.1.3.1 item 3: form-body parameters, only for application/x-www-form-urlencoded."""
    if not request.is_form or not request.body:
        return []
    return list(_form_params(request.body))


@lru_cache(maxsize=64)
def _form_params(body: bytes) -> tuple[Param, ...]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FormBodyError(
            f"the form body is not UTF-8 text (byte {error.start}); a body sent as "
            "application/x-www-form-urlencoded must be ASCII with percent-escapes",
            position=error.start,
        ) from None
    try:
        return tuple(parse_pairs(text, "body"))
    except EncodingError as error:
        raise FormBodyError(f"the form body does not decode: {error}", text=text) from None


# 3.5.1: auth-param = token "=" quoted-string, separated by "," and optional whitespace. A
# quoted-string (RFC 2617) may hold backslash-escaped characters: render_authorization writes a
# realm containing '"' that way, so the parser must read it back.
_AUTH_PARAM = re.compile(r'\s*([^\s=,"]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)', re.DOTALL)
_QUOTED_PAIR = re.compile(r"\\(.)", re.DOTALL)


def parse_authorization(header: str) -> list[tuple[str, str]]:
    """Parse ``OAuth name="value", ...`` (3.5.1) into decoded (name, value) pairs, with realm."""
    text = header.strip()
    scheme, _, rest = text.partition(" ")
    if scheme.lower() != "oauth":
        raise MalformedHeaderError(
            f"the Authorization header starts with {excerpt(scheme, 30)}, not 'OAuth'; an OAuth "
            "1.0 header "
            'reads: OAuth oauth_consumer_key="...", oauth_signature="..."',
            header=header,
            position=0,
        )
    pairs: list[tuple[str, str]] = []
    position = 0
    rest = rest.strip()
    while position < len(rest):
        match = _AUTH_PARAM.match(rest, position)
        if not match:
            raise MalformedHeaderError(
                f"cannot read the Authorization header at {excerpt(rest[position:], 30)}: each "
                'parameter must be name="percent-encoded value", separated by commas (RFC 5849 '
                "3.5.1)",
                header=header,
                position=position + len(scheme) + 1,
            )
        try:
            name = percent_decode(match.group(1))
            value = _QUOTED_PAIR.sub(r"\1", match.group(2))
            # realm is an RFC 2617 quoted-string, not an OAuth parameter: 3.6 encoding applies
            # only to the others (3.5.1), and render_authorization writes realm as given.
            pairs.append((name, value if name == REALM else _decode_value(name, value)))
        except EncodingError as error:
            raise MalformedHeaderError(
                f"Authorization header parameter {redact(match.group(1))!r}: {error}",
                header=header,
            ) from None
        position = match.end()
    return pairs


def _decode_value(name: str, value: str) -> str:
    try:
        return percent_decode(value)
    except EncodingError as error:
        raise _undecodable(name, error) from None


def authorization_params(request: HttpRequest) -> list[tuple[str, str]]:
    """The (name, value) pairs of the request's OAuth Authorization header, if it has one."""
    header = request.header("Authorization")
    if header is None or not header.strip().lower().startswith("oauth"):
        return []
    return parse_authorization(header)


def render_authorization(params: Iterable[tuple[str, str]], realm: str | None = None) -> str:
    """3.5.1: ``OAuth realm="...", name="value", ...`` with names and values percent-encoded.

    realm comes first when given; its value is quoted but, being no OAuth parameter, is written as
    given (RFC 2617 quoted-string), with quotes and backslashes escaped.
    """
    parts = []
    if realm is not None:
        escaped = realm.replace("\\", "\\\\").replace('"', '\\"')
        parts.append(f'realm="{escaped}"')
    parts += [f'{name}="{value}"' for name, value in (_encode_pair(*pair) for pair in params)]
    return "OAuth " + ", ".join(parts)


def collect(
    request: HttpRequest, recipe: Recipe = RFC, protocol: Sequence[Param] = ()
) -> list[Param]:
    """Every parameter the signature covers, in request order, tagged with its source (3.4.1.3.1).

    ``protocol`` holds oauth_* parameters that the signer is about to place (each tagged with the
    source its placement gives it); they are collected exactly as if they were already in the
    request, without writing and re-reading a header. Raises
    :class:`DuplicateOAuthParameterError` when an oauth_* parameter appears twice (3.1).
    """
    header = [Param(n, v, "oauth") for n, v in authorization_params(request)]
    query = query_params(request.url)
    body = body_params(request)
    if protocol:
        lists = {"query": query, "body": body, "oauth": header}
        for param in protocol:
            lists[param.source].append(param)
    _check_duplicates(query, header, body)

    if recipe is RFC:  # the common case, spelled out: query, header (not realm), body
        # Only the header's realm is left out: a query or form parameter called realm is signed.
        signed_header = [p for p in header if p.name != REALM]
        return [p for p in (*query, *signed_header, *body) if p.name != SIGNATURE]

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
    return kept


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
        return [_encode_pair(p.name, p.value) for p in params]
    if recipe.param_encoding == "none":
        return [(p.name, p.value) for p in params]
    encode = recipe.encoder()
    pairs = [(encode(p.name), encode(p.value)) for p in params]
    if recipe.param_encoding == "twice":
        pairs = [(encode(name), encode(value)) for name, value in pairs]
    return pairs


def normalize(params: Iterable[Param], recipe: Recipe = RFC) -> str:
    """3.4.1.3.2: encode, sort by encoded name then encoded value, join with "=" and "&"."""
    pairs = encode_pairs(params, recipe)
    if recipe.sort == "rfc":
        pairs.sort()
    elif recipe.sort == "joined":
        pairs.sort(key=lambda pair: f"{pair[0]}={pair[1]}")
    return "&".join([f"{name}={value}" for name, value in pairs])


@lru_cache(maxsize=4096)
def _encode_pair(name: str, value: str) -> tuple[str, str]:
    # Most parameters of a signature repeat from one request to the next (all but the nonce and
    # the timestamp), so their encodings are kept.
    return percent_encode(name), percent_encode(value)
