"""Read a request once: its URL's parts and its parameters by source, kept with the request.

Collecting the parameters (RFC 5849 3.4.1.3.1) needs the URL split, the query and a form body
decoded and the Authorization header parsed. A signature needs them once; a verification, a
diagnosis that tries dozens of recipes and a client that re-signs the same request on a retry
need them again. :func:`read` does the work the first time it is asked about a request and keeps
the result *with that request* (a frozen value beside a frozen value), so it lives exactly as
long as the request does: no cache anywhere else holds request content, which may carry a
PLAINTEXT signature (the key itself).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import NamedTuple

from .encoding import encode_normalized, join_pairs, percent_decode, percent_encode
from .errors import EncodingError, FormBodyError, MalformedHeaderError
from .model import HttpRequest, Param, Source
from .redact import REDACTED, excerpt, hides_value_of, redact
from .uri import UrlParts, base_string_uri, split_url

_MEMO = "_oauth_debug_reading"

SIGNATURE = "oauth_signature"
REALM = "realm"
VERSION = "oauth_version"


def parse_pairs(text: str, source: Source) -> list[Param]:
    """Decode an application/x-www-form-urlencoded string (a query or a form body) into params."""
    params: list[Param] = []
    for piece in text.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        # Most names and many values hold nothing to decode; the decoder is then the identity.
        if "%" in name or "+" in name:
            name = percent_decode(name, plus_is_space=True)
        if "%" in value or "+" in value:
            try:
                value = percent_decode(value, plus_is_space=True)
            except EncodingError as error:
                raise _undecodable(name, error) from None
        params.append(Param(name, value, source))
    return params


def _undecodable(name: str, error: EncodingError) -> EncodingError:
    """The error for a value that does not decode; an oauth_signature's value is not quoted.

    The decoder quotes the text it could not read, but it only sees the value, not that it is a
    signature (for PLAINTEXT, the key itself, 3.4.4): here, where the name is known, it is left out
    whenever redact() would hide it beside that name (:func:`~oauth_debug.redact.hides_value_of`).
    """
    if not hides_value_of(name):
        return error
    return EncodingError(
        f"the {name} value (not shown) {error.reason}",
        text=f"{name}={REDACTED}",
        reason=error.reason,
    )


def query_params(url: str | UrlParts) -> list[Param]:
    """3.4.1.3.1 item 1: the query component's parameters (of a URL, or of its parts)."""
    parts = url if isinstance(url, UrlParts) else split_url(url)
    return parse_pairs(parts.query, "query") if parts.query else []


def body_params(request: HttpRequest) -> list[Param]:
    """3.4.1.3.1 item 3: form-body parameters, only for application/x-www-form-urlencoded."""
    if not request.is_form or not request.body:
        return []
    body = request.body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FormBodyError(
            f"the form body is not UTF-8 text (byte {error.start}); a body sent as "
            "application/x-www-form-urlencoded must be ASCII with percent-escapes",
            position=error.start,
        ) from None
    try:
        return parse_pairs(text, "body")
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


class Run(NamedTuple):
    """A run of sorted, encoded pairs: the pairs, "n=v&..." (3.4.1.3.2) and that encoded (3.6)."""

    pairs: tuple[tuple[str, str], ...]
    joined: str
    component: str


OAUTH_PREFIX = "oauth_"


def _run(pairs: tuple[tuple[str, str], ...]) -> Run:
    joined = join_pairs(pairs)
    return Run(pairs, joined, encode_normalized(joined))


def _around_oauth(own: tuple[tuple[str, str], ...]) -> tuple[Run, Run] | None:
    """``own`` split where the ``oauth_`` names would go, or None when it has some itself.

    Every text starting with "oauth_" sorts at or after "oauth_", and any other text that sorts
    after "oauth_" sorts after all of them (it differs from "oauth_" within its first six
    characters): the names starting with "oauth_" are one contiguous stretch of the sort.
    """
    start = bisect_left(own, (OAUTH_PREFIX,))
    if start < len(own) and own[start][0].startswith(OAUTH_PREFIX):
        return None
    return _run(own[:start]), _run(own[start:])


@dataclass(frozen=True)
class Reading:
    """What a request holds for a signature, each part decoded once."""

    url: UrlParts
    query: tuple[Param, ...]
    """3.4.1.3.1 item 1: the query component's parameters, decoded, in order."""
    header: tuple[Param, ...]
    """item 2: the OAuth Authorization header's parameters, realm included, in order."""
    body: tuple[Param, ...]
    """item 3: the form body's parameters (none unless application/x-www-form-urlencoded)."""
    oauth_names: frozenset[str]
    """The names of the oauth_* parameters the request carries anywhere."""
    oauth_repeated: bool
    """Whether some oauth_* parameter occurs more than once (3.1 forbids it)."""
    base_string_uri: str
    """3.4.1.2, by the RFC."""
    encoded_base_string_uri: str
    """The base string URI percent-encoded (3.4.1.1 item 3), as the base string holds it."""
    own_pairs: tuple[tuple[str, str], ...]
    """The request's own signed parameters (all but realm and oauth_signature), encoded by 3.6
    and sorted (3.4.1.3.2): what an RFC signature adds its protocol parameters to."""
    around_oauth: tuple[Run, Run] | None
    """``own_pairs`` in two runs, the names sorting before every ``oauth_`` name and those
    sorting after, when the request has no parameter whose name starts with ``oauth_`` (else
    None). Sorted protocol parameters, all named ``oauth_...``, go between the two as they are:
    a signer merges nothing and joins and encodes only its own parameters."""
    signed_query: tuple[Param, ...]
    signed_header: tuple[Param, ...]
    signed_body: tuple[Param, ...]
    """The parameters of each source that an RFC signature covers (3.4.1.3.1: no realm from the
    header, no oauth_signature), in request order."""


def read(request: HttpRequest) -> Reading:
    """The :class:`Reading` of ``request``, made the first time and kept with the request."""
    reading: Reading | None = request.__dict__.get(_MEMO)
    if reading is None:
        reading = _read(request)
        # HttpRequest is frozen for its fields; this attribute is no field (not compared, not
        # shown, not copied) and is written once, like functools.cached_property would.
        object.__setattr__(request, _MEMO, reading)
    return reading


def _read(request: HttpRequest) -> Reading:
    parts = split_url(request.url)
    query = tuple(query_params(parts))
    header = tuple(Param(name, value, "oauth") for name, value in authorization_params(request))
    body = tuple(body_params(request))
    signed_query = tuple(p for p in query if p.name != SIGNATURE)
    signed_header = tuple(p for p in header if p.name not in (REALM, SIGNATURE))
    signed_body = tuple(p for p in body if p.name != SIGNATURE)
    everything = (*query, *header, *body)
    encode = percent_encode
    uri = base_string_uri(parts)
    own = tuple(
        sorted(
            (encode(p.name), encode(p.value)) for p in (*signed_query, *signed_header, *signed_body)
        )
    )
    oauth = [p.name for p in everything if p.name.startswith("oauth_")]
    return Reading(
        url=parts,
        query=query,
        header=header,
        body=body,
        oauth_names=frozenset(oauth),
        oauth_repeated=len(oauth) != len(set(oauth)),
        base_string_uri=uri,
        encoded_base_string_uri=encode(uri),
        own_pairs=own,
        around_oauth=_around_oauth(own),
        signed_query=signed_query,
        signed_header=signed_header,
        signed_body=signed_body,
    )
