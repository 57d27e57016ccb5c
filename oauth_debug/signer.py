"""The signer: one pure pipeline from a request to a :class:`SigningTrace` (RFC 5849 3.4).

``sign_at`` takes the timestamp and nonce as arguments and touches neither clock nor randomness;
:class:`Signer` supplies them from injected sources (DESIGN.md, principle 2, after Fernet's
``encrypt_at_time``). ``compute`` is the pipeline itself, shared with verification, diagnosis and
the sandbox; a :class:`~oauth_debug.recipe.Recipe` says how each step is done.
"""

from __future__ import annotations

import base64
import re
import secrets
import time
from binascii import b2a_base64
from collections.abc import Callable, Sequence
from typing import NamedTuple

from .encoding import encode_normalized, percent_encode
from .errors import EncodingError, InvalidOptionError, InvalidRequestError
from .methods import KeyedMac, SignatureMethod, get_method, hmac_digest, rsa_sign
from .methods import body_hash as compute_body_hash
from .model import SIGNER_MEMO, Credentials, HttpRequest, Param, Secret, Source
from .params import (
    collect,
    join_pairs,
    render_authorization,
    render_encoded_authorization,
    sorted_pairs,
)
from .reading import OAUTH_PREFIX, Reading, read
from .recipe import RFC, Recipe
from .rules import PLACEMENTS as PLACEMENTS  # re-exported: live/auth.py imports it here
from .rules import Placement, check_placement, parse_timestamp
from .trace import BaseStringParts, SigningTrace
from .uri import UrlParts, base_string_uri, split_url

FORM = "application/x-www-form-urlencoded"


class Prepared(NamedTuple):
    """Steps 3.4.1.1 to 3.4.1.3: everything before the key is used.

    A named tuple, as immutable as a frozen dataclass and built once per signature for a fraction
    of the cost (it never leaves the package: the trace carries its values).
    """

    parameters: tuple[Param, ...]
    pairs: tuple[tuple[str, str], ...]
    """The parameters encoded and sorted (3.4.1.3.2 steps 1-2), as the normalized string joins
    them."""
    normalized: str
    uri: str
    parts: BaseStringParts


def prepare(
    request: HttpRequest,
    recipe: Recipe = RFC,
    protocol: Sequence[Param] = (),
) -> Prepared:
    """Collect and normalize the parameters and build the base string (3.4.1).

    ``protocol``: oauth_* parameters about to be placed, collected as if already there. The
    request is read once (:func:`oauth_debug.reading.read`) for the parameters and the base
    string URI alike.
    """
    reading = read(request)
    if (
        recipe is RFC
        and not reading.oauth_repeated
        and reading.oauth_names.isdisjoint([p.name for p in protocol])
    ):
        encode = percent_encode
        encoded = [(encode(p.name), encode(p.value)) for p in protocol]
        sources = {p.source for p in protocol}
        source = sources.pop() if len(sources) == 1 else None
        named = all(name.startswith(OAUTH_PREFIX) for name, _ in encoded)
        return _prepare_rfc(request, reading, protocol, encoded, source, named)
    params = tuple(collect(request, recipe, protocol))
    pairs = tuple(sorted_pairs(params, recipe))
    normalized = join_pairs(pairs)
    uri = recipe_base_string_uri(reading.url, recipe)
    parts = BaseStringParts(
        method_component(recipe.method or request.method, recipe),
        uri_component(uri, recipe),
        parameters_component(normalized, recipe),
    )
    return Prepared(params, pairs, normalized, uri, parts)


def _prepare_rfc(
    request: HttpRequest,
    reading: Reading,
    protocol: Sequence[Param],
    encoded: list[tuple[str, str]],
    source: Source | None,
    oauth_named: bool,
) -> Prepared:
    """:func:`prepare` by the RFC, over what the reading decoded and encoded once.

    The RFC's collection (the rule :func:`~oauth_debug.params.collect` applies) where only the
    protocol parameters about to be placed are new, with ``encoded`` their 3.6 encodings. The
    caller has checked that none of them is in the request already; ``source`` is the one
    source of them all, when they have one; ``oauth_named``: every name starts with ``oauth_``.
    """
    query, header, body = reading.signed_query, reading.signed_header, reading.signed_body
    if protocol:
        # Protocol parameters about to be placed sit at the end of their source (3.5).
        if source == "oauth":
            header = (*header, *protocol)
        elif source == "query":
            query = (*query, *protocol)
        elif source == "body":
            body = (*body, *protocol)
        else:
            lists = {"query": [*query], "oauth": [*header], "body": [*body]}
            for param in protocol:
                lists[param.source].append(param)
            query, header, body = (tuple(lists[s]) for s in ("query", "oauth", "body"))
    around = reading.around_oauth
    if encoded and around is not None and oauth_named:
        # The request's own pairs sort around the oauth_ names (Reading.around_oauth): the
        # protocol pairs are sorted, joined and encoded alone and go between the two runs.
        before, after = around
        ordered = sorted(encoded)
        pairs = (*before.pairs, *ordered, *after.pairs)
        normalized = join_pairs(ordered)
        component = encode_normalized(normalized)
        if before.pairs:
            normalized = f"{before.joined}&{normalized}"
            component = f"{before.component}%26{component}"
        if after.pairs:
            normalized = f"{normalized}&{after.joined}"
            component = f"{component}%26{after.component}"
    else:
        pairs = tuple(sorted([*reading.own_pairs, *encoded])) if encoded else reading.own_pairs
        normalized = join_pairs(pairs)
        component = encode_normalized(normalized)
    parts = BaseStringParts(request.method.upper(), reading.encoded_base_string_uri, component)
    return Prepared((*query, *header, *body), pairs, normalized, reading.base_string_uri, parts)


def recipe_base_string_uri(url: str | UrlParts, recipe: Recipe = RFC) -> str:
    """3.4.1.2 with the recipe's URI policies (a stage of its own, so a search can reuse it)."""
    if recipe is RFC:
        return base_string_uri(url)
    return base_string_uri(
        url,
        keep_case=recipe.keep_host_case,
        flip_scheme=recipe.flip_scheme,
        port_rule=recipe.port,
        keep_query=recipe.keep_query,
        toggle_trailing_slash=recipe.toggle_trailing_slash,
        query_in_uri=recipe.query_in_uri,
        signed_path=recipe.signed_path,
    )


def parameters_component(normalized: str, recipe: Recipe = RFC) -> str:
    """3.4.1.1 item 5: the normalized parameter string, percent-encoded (its second encoding)."""
    if recipe is RFC:
        return encode_normalized(normalized)
    return recipe.encoder()(normalized) if recipe.encode_normalized else normalized


def method_component(method: str, recipe: Recipe = RFC) -> str:
    """3.4.1.1 item 1: the HTTP request method in upper case."""
    if recipe.method_case == "lower":
        return method.lower()
    if recipe.method_case == "title":
        return method.capitalize()
    return method.upper()


def uri_component(uri: str, recipe: Recipe = RFC) -> str:
    """3.4.1.1 item 3: the base string URI, percent-encoded (3.6)."""
    if recipe is RFC:
        return percent_encode(uri)
    if recipe.uri_encoding == "none":
        return uri
    return recipe.encoder("/" if recipe.uri_encoding == "keep-slashes" else "")(uri)


def signing_key(credentials: Credentials, recipe: Recipe = RFC) -> Secret:
    """3.4.2: encode(client secret) "&" encode(token secret); the "&" is there even when empty."""
    consumer = credentials.consumer_secret.reveal()
    token = credentials.token_secret.reveal()
    if recipe is RFC and consumer.isascii() and token.isascii():
        # ASCII always encodes (3.6); other text may hold a lone surrogate, handled below.
        return Secret(f"{percent_encode(consumer)}&{percent_encode(token)}")
    if recipe.padded_secret == "consumer":
        consumer += " "
    elif recipe.padded_secret == "token":
        token += " "
    if recipe.key_encoded:
        encode = recipe.encoder()
        try:
            consumer, token = encode(consumer), encode(token)
        except (EncodingError, UnicodeEncodeError):
            # The encoder quotes the text it cannot encode; here that text is a secret.
            raise InvalidRequestError(
                "a consumer or token secret is not valid Unicode text (it holds a lone "
                "surrogate, a byte that was not UTF-8); OAuth 1.0 encodes the secrets as UTF-8 "
                "(RFC 5849 3.4.2, 3.6): retype it",
                part="credentials",
            ) from None
    separator = "&" if recipe.key_ampersand else ""
    return Secret(f"{consumer}{separator}{token}")


class RfcKey(NamedTuple):
    """The 3.4.2 signing key of one set of credentials, and HMACs keyed with it."""

    key: Secret
    mac: KeyedMac


def rfc_key(credentials: Credentials) -> RfcKey:
    """The credentials' RFC signing key, made the first time and kept with the credentials.

    A client signs many requests with one set of credentials: the key is the same for each, and
    so are its keyed HMACs. They are kept *with the credentials* (the secrets they come from), so
    they live exactly as long as those do; no cache elsewhere holds a secret (encoding.py).
    """
    memo: RfcKey | None = credentials.__dict__.get(SIGNER_MEMO)
    if memo is None:
        key = signing_key(credentials)
        memo = RfcKey(key, KeyedMac(key.reveal().encode("utf-8")))
        # Credentials is frozen for its fields; this attribute is none (not compared, not shown,
        # not pickled: Credentials.__getstate__), written once, as functools.cached_property does.
        object.__setattr__(credentials, SIGNER_MEMO, memo)
    return memo


def encode_digest(digest: bytes, recipe: Recipe = RFC) -> str:
    """3.4.2 last step: base64 (RFC 2045) of the digest; the recipe may name a wrong writing."""
    if recipe is RFC:
        return b2a_base64(digest, newline=False).decode("ascii")  # base64.b64encode, one call less
    if recipe.digest_encoding == "hex":
        return digest.hex()
    if recipe.digest_encoding == "urlsafe":
        return base64.urlsafe_b64encode(digest).decode("ascii")
    text = base64.b64encode(digest).decode("ascii")
    return text.rstrip("=") if recipe.digest_encoding == "unpadded" else text


def transported(signature: str, recipe: Recipe = RFC) -> str:
    """The signature as a server decodes it from the wire, given how the person transported it."""
    if recipe.transport == "not-encoded":
        return signature.replace("+", " ")
    if recipe.transport == "double-encoded":
        return percent_encode(signature)
    return signature


def digest_and_signature(
    method: SignatureMethod,
    key: Secret,
    base_string: str,
    credentials: Credentials,
    recipe: Recipe = RFC,
) -> tuple[bytes, str]:
    """3.4.2-3.4.4: the raw digest and the written signature for one method."""
    if method.family == "PLAINTEXT":
        text = key.reveal()
        return text.encode("utf-8"), text
    if method.family == "RSA":
        digest = rsa_sign(method, credentials, base_string)
    else:
        assert method.hash_name is not None
        memo = rfc_key(credentials) if recipe is RFC else None
        if memo is not None and memo.key is key:
            # The RFC key of these very credentials (method_key gave it): its keyed HMAC.
            digest = memo.mac.digest(method.hash_name, base_string.encode("utf-8"))
        else:
            digest = hmac_digest(recipe.hash_name or method.hash_name, key.reveal(), base_string)
    return digest, encode_digest(digest, recipe)


def compute(
    request: HttpRequest,
    credentials: Credentials,
    signature_method: str,
    recipe: Recipe = RFC,
    *,
    placement: str = "header",
    realm: str | None = None,
) -> SigningTrace:
    """Run the whole pipeline over a request that already carries its oauth_* parameters.

    ``placement`` is text from the caller (a CLI option, a catalog entry), so it is checked here,
    once, and travels on as a :data:`~oauth_debug.rules.Placement`.
    """
    method = get_method(signature_method)
    checked = check_placement(placement)
    return compute_prepared(
        request, prepare(request, recipe), credentials, method, recipe, checked, realm
    )


def compute_prepared(
    request: HttpRequest,
    prepared: Prepared,
    credentials: Credentials,
    method: SignatureMethod,
    recipe: Recipe,
    placement: Placement,
    realm: str | None,
) -> SigningTrace:
    """:func:`compute` from 3.4.2 on, for a caller that has already prepared the request."""
    key = method_key(method, credentials, recipe)
    digest, signature = digest_and_signature(
        method, key, prepared.parts.joined(), credentials, recipe
    )
    return assemble(
        request, prepared, method.name, key, digest, signature, placement, realm, recipe
    )


def method_key(method: SignatureMethod, credentials: Credentials, recipe: Recipe = RFC) -> Secret:
    """The key the method signs with: the RSA private key (3.4.3), else the 3.4.2 key."""
    if method.family == "RSA":
        return credentials.rsa_key or Secret("")
    return rfc_key(credentials).key if recipe is RFC else signing_key(credentials, recipe)


def assemble(
    request: HttpRequest,
    prepared: Prepared,
    signature_method: str,
    key: Secret,
    digest: bytes,
    signature: str,
    placement: Placement,
    realm: str | None,
    recipe: Recipe = RFC,
    *,
    signed_request: HttpRequest | None = None,
    oauth_parameters: tuple[tuple[str, str], ...] | None = None,
) -> SigningTrace:
    """Put the steps together into one frozen trace."""
    if oauth_parameters is None:
        oauth_parameters = tuple(
            (p.name, p.value) for p in prepared.parameters if p.name.startswith("oauth_")
        )
    return SigningTrace.of(
        request=request,
        parameters=prepared.parameters,
        normalized_parameters=prepared.normalized,
        base_string_uri=prepared.uri,
        base_string_parts=prepared.parts,
        signature_method=signature_method,
        signing_key=key,
        digest=digest,
        signature=signature,
        oauth_parameters=oauth_parameters,
        placement=placement,
        realm=realm,
        signed_request=signed_request,
        recipe=recipe,
        sorted_pairs=prepared.pairs,
    )


def sign_at(
    request: HttpRequest,
    credentials: Credentials,
    *,
    timestamp: str | int,
    nonce: str,
    signature_method: str = "HMAC-SHA1",
    version: str | None = "1.0",
    realm: str | None = None,
    placement: str = "header",
    body_hash: bool | None = None,
    callback: str | None = None,
    verifier: str | None = None,
) -> SigningTrace:
    """Sign ``request`` at a given timestamp with a given nonce, and return every step.

    Pure: the same arguments always give the same trace. ``version=None`` leaves oauth_version out;
    ``body_hash=None`` adds oauth_body_hash only for a body that is not form-encoded; ``realm`` goes
    into the Authorization header only (3.5.1), so it is ignored for the query and body placements.
    """
    method, timestamp_text, placement = _checked_options(
        request, credentials, timestamp, nonce, signature_method, placement, body_hash,
        version, realm, callback, verifier,
    )  # fmt: skip
    # The protocol parameters in the order they are written (3.1), as sent and 3.6-encoded: each
    # is encoded once, for the base string and for the header alike. Their names are oauth_ and
    # lower-case letters, which 3.6 leaves as they are.
    protocol = [("oauth_consumer_key", credentials.consumer_key)]
    if credentials.token is not None:
        protocol.append(("oauth_token", credentials.token))
    protocol += (
        ("oauth_signature_method", signature_method),
        ("oauth_timestamp", timestamp_text),
        ("oauth_nonce", nonce),
    )
    if version is not None:
        protocol.append(("oauth_version", version))
    if callback is not None:
        protocol.append(("oauth_callback", callback))
    if verifier is not None:
        protocol.append(("oauth_verifier", verifier))
    if _wants_body_hash(request, body_hash):
        protocol.append(("oauth_body_hash", compute_body_hash(method, request.body)))
    encode = percent_encode
    encoded = [(name, encode(value)) for name, value in protocol]
    header_realm = realm if placement == "header" else None
    # Collect the protocol parameters where the placement will put them (3.5), instead of
    # writing them into the request and parsing them back: same parameters, half the work.
    source = _PLACEMENT_SOURCE[placement]
    unsigned = request
    if placement == "header" and request.header("Authorization") is not None:
        unsigned = request.without_header("Authorization")  # the new header replaces it
    new = tuple.__new__  # what Param(...) calls, without its Python-level __new__
    params = [new(Param, (name, value, source)) for name, value in protocol]
    reading = read(unsigned)
    if reading.oauth_names and (
        reading.oauth_repeated or not reading.oauth_names.isdisjoint([n for n, _ in protocol])
    ):
        prepared = prepare(unsigned, RFC, params)  # raises the duplicate's error (3.1)
    else:
        prepared = _prepare_rfc(unsigned, reading, params, encoded, source, oauth_named=True)
    key = method_key(method, credentials)
    digest, signature = digest_and_signature(method, key, prepared.parts.joined(), credentials)
    signed_pairs = (*protocol, ("oauth_signature", signature))
    if placement == "header":
        encoded.append(("oauth_signature", _encoded_signature(method, signature)))
        signed = request.with_header(
            "Authorization", render_encoded_authorization(encoded, header_realm), checked=True
        )
    else:
        signed = place(request, signed_pairs, placement, header_realm)
    return assemble(
        request,
        prepared,
        signature_method,
        key,
        digest,
        signature,
        placement,
        header_realm,
        signed_request=signed,
        oauth_parameters=signed_pairs,
    )


def _encoded_signature(method: SignatureMethod, signature: str) -> str:
    """The signature 3.6-encoded for the wire: base64 needs only "+", "/" and "=" escaped."""
    if method.family == "PLAINTEXT":
        return percent_encode(signature)
    return signature.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


_PLACEMENT_SOURCE: dict[Placement, Source] = {"header": "oauth", "query": "query", "body": "body"}


def _wants_body_hash(request: HttpRequest, forced: bool | None) -> bool:
    if forced is not None:
        return forced
    return bool(request.body) and not request.is_form


def check_inputs(request: object, credentials: object) -> None:
    """The request and credentials are of this package's types (a clear error, not a crash)."""
    if not isinstance(request, HttpRequest):
        raise InvalidRequestError(
            f"expected an HttpRequest, not {type(request).__name__}", part="request"
        )
    if credentials is not None and not isinstance(credentials, Credentials):
        raise InvalidRequestError(
            f"expected Credentials, not {type(credentials).__name__}", part="credentials"
        )


def _checked_options(
    request: object,
    credentials: object,
    timestamp: object,
    nonce: object,
    signature_method: object,
    placement: object,
    body_hash: object,
    version: object,
    realm: object,
    callback: object,
    verifier: object,
) -> tuple[SignatureMethod, str, Placement]:
    """Refuse what cannot be signed, naming the option; return the method, timestamp, placement.

    Called on every signature: the common case (every option of the type it should be) is
    checked with a few isinstance calls, and only a wrong one goes through the slower path that
    names it.
    """
    if not (isinstance(request, HttpRequest) and isinstance(credentials, Credentials)):
        check_inputs(request, credentials)  # names the wrong one
        raise InvalidRequestError(
            "signing needs Credentials (a consumer key and secret), not None", part="credentials"
        )
    if not (
        isinstance(signature_method, str)
        and isinstance(nonce, str)
        and isinstance(placement, str)
        and (version is None or isinstance(version, str))
        and (realm is None or isinstance(realm, str))
        and (callback is None or isinstance(callback, str))
        and (verifier is None or isinstance(verifier, str))
    ):
        _check_types(
            signature_method=signature_method, nonce=nonce, placement=placement,
            version=version, realm=realm, callback=callback, verifier=verifier,
        )  # fmt: skip
    if body_hash is not None and not isinstance(body_hash, bool):
        raise InvalidOptionError(
            f"body_hash must be True, False or None, not {body_hash!r:.40}", option="body_hash"
        )
    if isinstance(timestamp, str):
        timestamp_text = timestamp
    elif isinstance(timestamp, int) and not isinstance(timestamp, bool):
        timestamp_text = str(timestamp)
    else:
        raise InvalidOptionError(
            f"the timestamp must be whole seconds as int or str, not {type(timestamp).__name__}",
            option="timestamp",
        )
    assert isinstance(request, HttpRequest) and isinstance(signature_method, str)
    assert isinstance(nonce, str) and isinstance(placement, str)
    method = get_method(signature_method)
    checked_placement = _check_placement(request, placement)
    _check_value("timestamp", timestamp_text)
    if parse_timestamp(timestamp_text) is None:
        raise InvalidOptionError(
            f"the timestamp must be a whole number of seconds since 1970-01-01 UTC (RFC 5849 "
            f"3.3), got {timestamp_text!r}",
            option="timestamp",
        )
    _check_value("nonce", nonce)
    if isinstance(realm, str) and _CONTROL_CHARACTER.search(realm):
        raise InvalidOptionError(
            f"the realm {realm!r:.40} contains a control character; it goes into the "
            "Authorization header as a quoted string (RFC 5849 3.5.1), which is one line",
            option="realm",
        )
    return method, timestamp_text, checked_placement


_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


def _check_types(**options: object) -> None:
    """Options are text (or None where the signature allows it): say which one is not."""
    optional = {"version", "realm", "callback", "verifier"}
    for name, value in options.items():
        if isinstance(value, str) or (value is None and name in optional):
            continue
        raise InvalidOptionError(
            f"the {name} must be text, not {type(value).__name__} {value!r:.40}", option=name
        )


def _check_value(name: str, value: str) -> str:
    if not value or value.strip() != value:
        raise InvalidOptionError(
            f"the {name} must be a non-empty string without surrounding spaces, got {value!r}",
            option=name,
        )
    return value


def _check_placement(request: HttpRequest, value: str) -> Placement:
    """One of :data:`~oauth_debug.rules.PLACEMENTS`, and one this request can take (3.5.2)."""
    placement = check_placement(value)
    if placement == "body":
        if request.body and not request.is_form:
            raise InvalidOptionError(
                "placement 'body' puts the OAuth parameters into a form body, but this request's "
                f"body is {request.content_type or 'of no declared type'}; use the header "
                "placement (RFC 5849 3.5.2 allows the body only for "
                "application/x-www-form-urlencoded)",
                option="placement",
            )
        if request.method.upper() in ("GET", "HEAD"):
            raise InvalidOptionError(
                f"placement 'body' needs a request with a body; {request.method.upper()} has "
                "none, so use the header or query placement",
                option="placement",
            )
    return placement


def place(
    request: HttpRequest,
    pairs: Sequence[tuple[str, str]],
    placement: str,
    realm: str | None = None,
) -> HttpRequest:
    """Put the protocol parameters where ``placement`` says (3.5.1 header, 3.5.2 body, 3.5.3).

    Typed ``str`` for the callers that hold a placement as text; anything but "header" and
    "query" goes into the body, as the signer's checked placement only ever can.
    """
    if placement == "header":
        return request.with_header("Authorization", render_authorization(pairs, realm))
    encoded = "&".join(f"{percent_encode(n)}={percent_encode(v)}" for n, v in pairs)
    if placement == "query":
        # Surrounding whitespace goes, as split_url drops it: a "? " query is no parameter.
        url = request.url.strip().split("#", 1)[0]
        split_url(url)  # fail early, with the URL error, on a URL that cannot be signed
        _, mark, query = url.partition("?")
        separator = "?" if not mark else ("" if query == "" or query.endswith("&") else "&")
        return request.replace(url=f"{url}{separator}{encoded}")
    body = (request.body or b"").decode("utf-8", "replace")
    joined = f"{body}&{encoded}" if body else encoded
    placed = request.replace(body=joined.encode("utf-8"))
    return placed if request.is_form else placed.with_header("Content-Type", FORM)


Clock = Callable[[], float]
NonceSource = Callable[[], str]


def system_clock() -> float:
    """The default clock: the system time (the signer keeps whole seconds)."""
    return time.time()


def random_nonce() -> str:
    """The default nonce source: 128 random bits from :mod:`secrets`, URL-safe."""
    return secrets.token_hex(16)


class Signer:
    """Signs with a timestamp and nonce drawn from injected sources.

    ``clock`` returns seconds since the epoch (floats are truncated to whole seconds, as 3.3
    requires); ``nonces`` returns a fresh nonce per call. Tests pass fixed or counting sources.
    """

    def __init__(self, clock: Clock = system_clock, nonces: NonceSource = random_nonce) -> None:
        self.clock = clock
        self.nonces = nonces

    def sign(
        self,
        request: HttpRequest,
        credentials: Credentials,
        *,
        signature_method: str = "HMAC-SHA1",
        version: str | None = "1.0",
        realm: str | None = None,
        placement: str = "header",
        body_hash: bool | None = None,
        callback: str | None = None,
        verifier: str | None = None,
    ) -> SigningTrace:
        """Sign at the clock's time with a fresh nonce; the options are those of :func:`sign_at`."""
        return sign_at(
            request,
            credentials,
            timestamp=str(int(self.clock())),
            nonce=self.nonces(),
            signature_method=signature_method,
            version=version,
            realm=realm,
            placement=placement,
            body_hash=body_hash,
            callback=callback,
            verifier=verifier,
        )
