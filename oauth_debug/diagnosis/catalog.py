"""The catalog of signing mistakes people make, each a named change of one :class:`Recipe` step.

A mistake never re-implements the signer: it names the Recipe fields it changes (its variants),
and the search runs the one pipeline with those changes (DESIGN.md, principle 3). ``applies`` keeps
a mistake out of the search when it cannot change anything for this request (no query, no space,
no non-default port...), so the search stays small and an explanation is never vacuous.

The ids and meanings are those of the diagnosis issue; the evidence behind each is collected in
the project's research notes on pitfalls (public issue trackers, forum threads, vendor docs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from ..encoding import percent_encode
from ..methods import METHODS, get_method
from ..model import Credentials, HttpRequest, Param
from ..params import collect, encode_pairs, sort_encoded
from ..reading import read
from ..recipe import RFC, ParamOrder, Recipe, rfc_with
from ..uri import DEFAULT_PORTS, own_query

Changes = tuple[tuple[str, Any], ...]
"""Recipe field name -> value, as sorted pairs (hashable, so variants can key caches)."""

COMMON_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
RESERVED_KEPT_BY_JS = frozenset("!*'()")
"""What JavaScript's encodeURIComponent leaves alone although RFC 3986 reserves it."""


@dataclass(frozen=True)
class Variant:
    """One concrete way of making a mistake, e.g. method-lowercase as "post" or as "Post"."""

    label: str
    changes: Changes

    def apply(self, recipe: Recipe = RFC) -> Recipe:
        return replace(recipe, **dict(self.changes))

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.changes)


def variant(label: str, **changes: Any) -> Variant:
    return Variant(label, tuple(sorted(changes.items())))


def recipe_of(variants: Iterable[Variant]) -> Recipe:
    """The RFC recipe with every one of ``variants`` applied: several mistakes made at once.

    The search only combines variants that change disjoint fields, so the order does not matter.
    """
    changes: dict[str, Any] = {}
    for chosen in variants:
        changes.update(chosen.changes)
    return rfc_with(changes) if changes else RFC


@dataclass(frozen=True)
class Context:
    """What the applicability checks look at: the request as sent, taken apart once."""

    request: HttpRequest
    signature_method: str
    family: str
    declared_hash: str | None
    scheme: str
    host: str
    port: int | None
    path: str
    parameters: tuple[Param, ...]
    """Collected the RFC way (3.4.1.3.1), oauth_signature excluded."""
    pairs: tuple[tuple[str, str], ...]
    """The parameters' names and values encoded the RFC way (3.4.1.3.2 step 1), in their
    order: encoded once here, for every check that compares encodings."""
    placement: str
    has_realm: bool
    has_token_secret: bool
    # Which characters the secrets hold decides whether an encoding mistake can touch the key;
    # kept out of repr so that a printed context never shows a secret.
    secret_text: str = field(default="", repr=False)

    @property
    def texts(self) -> tuple[str, ...]:
        """Every string a person percent-encodes: names, values, the URI and the secrets."""
        names = tuple(p.name for p in self.parameters) + tuple(p.value for p in self.parameters)
        return (*names, self.path, self.host, self.secret_text)

    def any_text(self, predicate: Callable[[str], bool]) -> bool:
        return any(predicate(text) for text in self.texts)


def context_of(
    request: HttpRequest,
    credentials: Credentials | None,
    signature_method: str,
    placement: str,
    realm: str | None,
) -> Context:
    """Take the request apart once for every applicability check."""
    parts = read(request).url  # split once, with the request (split_url redacts each time)
    method = get_method(signature_method)
    secret_text = ""
    has_token_secret = False
    if credentials is not None:
        secret_text = credentials.consumer_secret.reveal() + credentials.token_secret.reveal()
        has_token_secret = bool(credentials.token_secret)
    return Context(
        request=request,
        signature_method=method.name,
        family=method.family,
        declared_hash=method.hash_name,
        scheme=parts.scheme,
        host=parts.host,
        port=parts.port,
        path=parts.path or "/",
        parameters=(parameters := tuple(collect(request))),
        pairs=tuple(encode_pairs(parameters)),
        placement=placement,
        has_realm=realm is not None,
        has_token_secret=has_token_secret,
        secret_text=secret_text,
    )


Applies = Callable[[Context], bool]
Variants = Callable[[Context], tuple[Variant, ...]]


@dataclass(frozen=True)
class Mistake:
    """One mistake: what the person did, what RFC 5849 says, and how to fix it in code."""

    id: str
    step: str
    """The pipeline step it changes: method, uri, parameters, encoding, key, hash, output,
    transport."""
    title: str
    what_you_did: str
    rfc: str
    rfc_section: str
    fix_python: str
    fix_javascript: str
    fix_vba: str
    """Required, like the other two: the atlas promises every mistake's fix in all three."""
    variants_of: Variants
    applies: Applies = field(default=lambda context: True)
    document: str = "RFC 5849"
    """Where ``rfc`` and ``rfc_section`` come from (the body hash has its own draft)."""
    libraries: tuple[str, ...] = ()
    """OAuth libraries known to make this mistake, as the interop corpus (vectors/interop/)
    measured them."""

    def variants(self, context: Context) -> tuple[Variant, ...]:
        """The variants worth trying for this request (none when the mistake cannot apply)."""
        return self.variants_of(context) if self.applies(context) else ()


def not_searched(context: Context) -> tuple[Variant, ...]:
    """For a mistake that no Recipe change makes: the engine names it from its own check."""
    return ()


def fixed(*variants: Variant) -> Variants:
    """Variants that do not depend on the request."""
    return lambda context: variants


def _other_methods(context: Context) -> tuple[Variant, ...]:
    sent = context.request.method.upper()
    return tuple(variant(m, method=m) for m in COMMON_METHODS if m != sent)


def _other_hashes(context: Context) -> tuple[Variant, ...]:
    hashes = sorted({m.hash_name for m in METHODS.values() if m.hash_name})
    return tuple(
        variant(f"HMAC-{h.upper()}", hash_name=h) for h in hashes if h != context.declared_hash
    )


def _padded_secrets(context: Context) -> tuple[Variant, ...]:
    found = [variant("consumer secret", padded_secret="consumer")]
    if context.has_token_secret:
        found.append(variant("token secret", padded_secret="token"))
    return tuple(found)


def _needs_encoding(text: str) -> bool:
    return percent_encode(text) != text


def _parameters_need_encoding(context: Context) -> bool:
    return any(
        pair != (param.name, param.value)
        for param, pair in zip(context.parameters, context.pairs, strict=True)
    )


def _encoded(context: Context, params: Iterable[Param]) -> list[tuple[str, str]]:
    """encode_pairs(params), for params that are the context's own in another order or number:
    each looked up among the context's encodings (one encode each per request, not per check)."""
    known = dict(zip(((p.name, p.value) for p in context.parameters), context.pairs, strict=True))
    return [known.get((p.name, p.value)) or encode_pairs([p])[0] for p in params]


def _has_query(context: Context) -> bool:
    return any(p.source == "query" and not p.name.startswith("oauth_") for p in context.parameters)


def _has_body_params(context: Context) -> bool:
    return any(p.source == "body" and not p.name.startswith("oauth_") for p in context.parameters)


def _explicit_non_default_port(context: Context) -> bool:
    default = DEFAULT_PORTS.get(context.scheme.lower())
    return context.port is not None and context.port != default


def _default_port_applies(context: Context) -> bool:
    return context.scheme.lower() in DEFAULT_PORTS and not _explicit_non_default_port(context)


_ORDERS: tuple[ParamOrder, ...] = (
    "wire",
    "oauth-query-body",
    "query-body-oauth",
    "oauth-body-query",
    "body-query-oauth",
)
"""The orders unsorting code joins the parameters in: as the request carries them, or the
oauth_* ones first or last with the query before or after the body."""


def _decoded_sort_differs(context: Context) -> bool:
    decoded = sorted(context.parameters, key=lambda param: (param.name, param.value))
    return _encoded(context, decoded) != sorted(context.pairs)


def _unsorted_orders(context: Context) -> tuple[Variant, ...]:
    """One variant per distinct unsorted order of this request's parameters: as on the wire,
    and the groups (oauth_*, query, body) joined in each order code puts them in."""
    rfc = sorted(context.pairs)
    found: list[Variant] = []
    seen: set[tuple[tuple[str, str], ...]] = set()
    for order in _ORDERS:
        pairs = tuple(_encoded(context, collect(context.request, rfc_with({"param_order": order}))))
        if pairs in seen or list(pairs) == rfc:
            continue
        seen.add(pairs)
        label = "request order" if order == "wire" else order.replace("-", ", ")
        found.append(variant(label, sort="none", param_order=order))
    return tuple(found)


def _repeated(names: Iterable[str]) -> bool:
    listed = list(names)
    return len(listed) != len(set(listed))


def _has_repeated_name(context: Context) -> bool:
    return _repeated(p.name for p in context.parameters)


def _collapsed_variants(context: Context) -> tuple[Variant, ...]:
    """One value per repeated name: the first, the last, or the query's over the body's; only
    those that sign other parameters than each other (and than the RFC) for this request."""
    found: list[Variant] = []
    seen = [context.parameters]
    for label, rule in (
        ("first kept", "first"),
        ("last kept", "last"),
        ("the query's values win", "query-wins"),
    ):
        params = tuple(collect(context.request, rfc_with({"duplicates": rule})))
        if params not in seen:
            seen.append(params)
            found.append(variant(label, duplicates=rule))
    return tuple(found)


def _query_name_repeated(context: Context) -> bool:
    return _repeated(p.name for p in context.parameters if p.source == "query")


def _wire_text(context: Context) -> str:
    """The query and the form body as sent, still encoded (what a decoder gets to decode)."""
    query = read(context.request).url.query
    body = context.request.body
    form = body.decode("utf-8", "replace") if body and context.request.is_form else ""
    return query + "&" + form


def _not_decoded_variants(context: Context) -> tuple[Variant, ...]:
    found = [variant("names and values as sent", param_decoding="none")]
    query = read(context.request).url.query
    if any("%" in piece.partition("=")[0] for piece in query.split("&")):
        found.append(variant("query names as sent", param_decoding="names-raw"))
    return tuple(found)


def _has_non_ascii(context: Context) -> bool:
    return any(not (p.name + p.value).isascii() for p in context.parameters if p.source != "oauth")


def _query_own_variants(context: Context) -> tuple[Variant, ...]:
    found = [variant("query kept", keep_query=True)]
    query = read(context.request).url.query
    if own_query(query) != query.strip("&") and own_query(query):
        found.append(variant("query before the oauth_* parameters", query_in_uri="own"))
    return tuple(found)


def _has_own_query(context: Context) -> bool:
    return bool(own_query(read(context.request).url.query))


def _name_only_sort_differs(context: Context) -> bool:
    pairs = list(context.pairs)
    return sort_encoded(pairs, "rfc") != sort_encoded(pairs, "name-only")


def _path_tilde_variants(context: Context) -> tuple[Variant, ...]:
    found = []
    if "~" in context.path:
        found.append(variant("path signed with %7E, sent with ~", signed_path="tilde-encoded"))
    if "%7e" in context.path.lower():
        found.append(variant("path signed with ~, sent with %7E", signed_path="tilde-decoded"))
    return tuple(found)


def _joined_sort_differs(context: Context) -> bool:
    pairs = context.pairs
    return sorted(pairs) != sorted(pairs, key=lambda pair: f"{pair[0]}={pair[1]}")


def _is_hmac(context: Context) -> bool:
    return context.family == "HMAC"


def _transported_in_form(context: Context) -> bool:
    # A "+" turns into a space only where form decoding happens: the query or a form body.
    return context.placement in ("query", "body")


def _json_like_body(context: Context) -> bool:
    request = context.request
    return bool(request.body) and not request.is_form


_PY_ENCODE = "quote(value, safe='')  # from urllib.parse; RFC 3986, upper-case hex"
_JS_ENCODE = (
    "const enc = s => encodeURIComponent(s).replace(/[!'()*]/g, "
    "c => '%' + c.charCodeAt(0).toString(16).toUpperCase());"
)

BODY_HASH_MISMATCH = Mistake(
    # Not a change of the signing pipeline: the signature is right for the claimed
    # oauth_body_hash, and the body is not the one hashed. diagnosis.bodyhash finds it (and
    # which change of the body it was); the search never tries it.
    id="body-hash-mismatch",
    step="body hash",
    title="oauth_body_hash does not match the body sent",
    what_you_did="You sent a body other than the one you hashed into oauth_body_hash: it was "
    "changed after signing (re-serialized as JSON, a trailing newline added or removed, line "
    "ends converted), or hashed with another hash than the signature method's, or as hex.",
    rfc="oauth_body_hash is the base64 of the hash of the exact body bytes sent, with the "
    "signature method's hash (SHA-1 for HMAC-SHA1 and PLAINTEXT), sent on every request whose "
    "body is not form-encoded and never on one that is.",
    rfc_section="3.2, 4.1",
    document="the OAuth Request Body Hash draft (draft-eaton-oauth-bodyhash-00)",
    fix_python="body = json.dumps(data).encode(); body_hash = "
    "base64.b64encode(hashlib.sha1(body).digest()).decode()  # then send data=body itself, "
    "not json=data",
    fix_javascript="const body = JSON.stringify(data); const bodyHash = "
    "crypto.createHash('sha1').update(body).digest('base64');  // fetch(url, { body }): the "
    "same string",
    fix_vba="strHash = Base64Encode(objSha1.ComputeHash_2(Utf8Bytes(strBody)))  ' helpers; "
    "then objHttp.Send strBody: the very string you hashed",
    variants_of=not_searched,
)

CATALOG: tuple[Mistake, ...] = (
    Mistake(
        id="method-lowercase",
        step="method",
        title="HTTP method not upper-cased",
        what_you_did="You put the HTTP method into the base string as you typed it ('post', "
        "'Get') instead of in upper case.",
        rfc="The base string starts with the HTTP request method in uppercase.",
        rfc_section="3.4.1.1",
        fix_python="base = method.upper() + '&' + ...",
        fix_javascript="const base = method.toUpperCase() + '&' + ...;",
        fix_vba='strBase = UCase(strMethod) & "&" & ...',
        variants_of=fixed(
            variant("lower", method_case="lower"), variant("title", method_case="title")
        ),
    ),
    Mistake(
        id="method-mismatch",
        step="method",
        title="signed for another HTTP method",
        what_you_did="You signed the request for one HTTP method and sent it with another "
        "(for example signed for POST, sent as GET).",
        rfc="The method in the base string is the method of the request actually sent.",
        rfc_section="3.4.1.1",
        fix_python="Sign with the same method you pass to requests: "
        "requests.request(method, url, auth=auth) signs what it sends.",
        fix_javascript="Use one variable for both: sign(method, url) and fetch(url, { method }).",
        fix_vba="objHttp.Open strMethod, strUrl, False  ' the same strMethod you signed with",
        variants_of=_other_methods,
    ),
    Mistake(
        id="uri-not-encoded",
        step="uri",
        title="base string URI not percent-encoded",
        what_you_did="You put the URL into the base string as it is (http://host/path) instead "
        "of percent-encoding it.",
        rfc="The base string URI is percent-encoded like every other part of the base string.",
        rfc_section="3.4.1.1",
        fix_python="quote(base_uri, safe='')  # http%3A%2F%2Fhost%2Fpath",
        fix_javascript="encodeURIComponent(baseUri)",
        fix_vba="WorksheetFunction.EncodeURL(strUrl)",
        variants_of=fixed(variant("not encoded", uri_encoding="none")),
    ),
    Mistake(
        id="uri-slashes-not-encoded",
        step="uri",
        title="'/' left unencoded in the base string URI",
        what_you_did="You percent-encoded the URL but left '/' alone (http%3A//host/path): "
        "Python's urllib.parse.quote() keeps '/' unless you pass safe=''.",
        rfc="Every character outside A-Z a-z 0-9 - . _ ~ is encoded, '/' included (%2F).",
        rfc_section="3.4.1.1, 3.6",
        fix_python="quote(base_uri, safe='')  # not quote(base_uri)",
        fix_javascript="encodeURIComponent(baseUri)  // not encodeURI(baseUri)",
        fix_vba="WorksheetFunction.EncodeURL(strUrl)  ' every '/' as %2F; not only "
        'Replace(strUrl, ":", "%3A")',
        variants_of=fixed(variant("slashes kept", uri_encoding="keep-slashes")),
    ),
    Mistake(
        id="query-in-base-uri",
        step="uri",
        title="query string left on the base string URI",
        what_you_did="You used the full URL, query string included, as the base string URI: "
        "the whole URL, or the URL as you had it before the oauth_* parameters were appended "
        "to its query.",
        rfc="The base string URI has no query; query parameters go into the parameter string.",
        rfc_section="3.4.1.2",
        fix_python="base_uri = url.split('?', 1)[0]",
        fix_javascript="const baseUri = url.split('?')[0];",
        fix_vba='strBaseUri = Split(strUrl, "?")(0)',
        variants_of=_query_own_variants,
        applies=_has_own_query,
    ),
    Mistake(
        id="default-port-kept",
        step="uri",
        title="default port written into the base string URI",
        what_you_did="You wrote the scheme's default port into the base string URI "
        "(http://example.com:80/...).",
        rfc="The port is included only when it is not the scheme's default (80 for http, 443 "
        "for https).",
        rfc_section="3.4.1.2",
        fix_python="drop ':80' for http and ':443' for https before encoding the URI",
        fix_javascript="new URL(url) drops the default port: `${u.protocol}//${u.host}"
        "${u.pathname}`",
        fix_vba='If Left(strUrl, 7) = "http://" Then strUrl = Replace(strUrl, ":80/", "/", 1, 1)  '
        '\' ":443/" for https://',
        variants_of=fixed(variant("port kept", port="always")),
        applies=_default_port_applies,
    ),
    Mistake(
        id="port-dropped",
        step="uri",
        title="non-default port left out",
        what_you_did="You left the request's non-default port out of the base string URI.",
        rfc="A port that is not the scheme's default is part of the base string URI.",
        rfc_section="3.4.1.2",
        fix_python="keep 'host:port' from urlsplit(url).netloc (lower-cased) when the port is "
        "not 80/443",
        fix_javascript="use u.host (which keeps a non-default port), not u.hostname",
        fix_vba='strBaseUri = "http://" & strHost & ":" & lngPort & strPath  \' keep a port other '
        "than 80/443",
        variants_of=fixed(variant("port dropped", port="never")),
        applies=_explicit_non_default_port,
    ),
    Mistake(
        id="scheme-mismatch",
        step="uri",
        title="signed with the other scheme",
        what_you_did="You signed with the other scheme (https instead of http, or the reverse), "
        "often because a proxy or load balancer terminates TLS in front of the server.",
        rfc="The scheme is part of the base string URI; the server signs the URL it sees.",
        rfc_section="3.4.1.2",
        fix_python="sign the exact URL the server sees, e.g. 'https://' behind an SSL proxy",
        fix_javascript="sign the exact URL the server sees (its scheme included)",
        fix_vba='strBaseUri = "https://" & strHost & strPath  \' the scheme the server sees, '
        "behind its proxy",
        variants_of=fixed(variant("scheme flipped", flip_scheme=True)),
        applies=lambda context: context.scheme.lower() in DEFAULT_PORTS,
    ),
    Mistake(
        id="host-case-kept",
        step="uri",
        title="upper-case scheme or host kept",
        what_you_did="You kept upper-case letters of the scheme or host in the base string URI.",
        rfc="Scheme and host are lower-cased in the base string URI.",
        rfc_section="3.4.1.2",
        fix_python="parts = urlsplit(url); base = f'{parts.scheme.lower()}://"
        "{parts.netloc.lower()}{parts.path}'",
        fix_javascript="new URL(url) lower-cases scheme and host for you",
        fix_vba='strBaseUri = LCase(strScheme & "://" & strHost) & strPath  \' the path keeps its '
        "case",
        variants_of=fixed(variant("case kept", keep_host_case=True)),
        applies=lambda context: (
            (context.scheme + context.host) != (context.scheme + context.host).lower()
        ),
    ),
    Mistake(
        id="trailing-slash-mismatch",
        step="uri",
        title="path differs by a trailing '/'",
        what_you_did="You signed a path that differs from the one sent by a trailing '/' "
        "(added or removed).",
        rfc="The base string URI carries the path exactly as sent.",
        rfc_section="3.4.1.2",
        fix_python="sign the same URL string you send (one variable for both)",
        fix_javascript="sign the same URL string you send (one variable for both)",
        fix_vba="objHttp.Open strMethod, strUrl, False  ' the strUrl you signed, trailing '/' and "
        "all",
        variants_of=fixed(variant("slash toggled", toggle_trailing_slash=True)),
        applies=lambda context: context.path not in ("", "/"),
    ),
    Mistake(
        id="url-requoted-after-signing",
        step="uri",
        title="the URL signed in one spelling, sent in another",
        what_you_did="You signed the URL as you wrote it and your HTTP library sent it requoted "
        "(requests and httpx turn %7E into ~ and lower-case the host), so the server "
        "signs a different base string URI.",
        rfc="The base string URI is built from the request as the server receives it.",
        rfc_section="3.4.1.2",
        fix_python="sign requests.Request(...).prepare().url (the URL requests will send), or "
        "let requests_oauthlib's OAuth1 sign it",
        fix_javascript="const url = new URL(raw).href;  // sign and send this same normalized "
        "string",
        fix_vba='strUrl = Replace(strUrl, "%7E", "~")  \' sign the exact strUrl that .Open sends',
        variants_of=_path_tilde_variants,
        libraries=("rauth 0.7.3 (PyPI)",),
    ),
    Mistake(
        id="params-not-encoded",
        step="parameters",
        title="parameter string not encoded a second time",
        what_you_did="You put the normalized parameter string into the base string without "
        "percent-encoding it again, so raw '&' and '=' follow the second separator.",
        rfc="The normalized parameter string is itself percent-encoded when it is joined into "
        "the base string: inside it '&' is %26 and '=' is %3D.",
        rfc_section="3.4.1.1",
        fix_python="base = '&'.join([method, quote(uri, safe=''), quote(param_string, safe='')])",
        fix_javascript="[method, enc(uri), enc(paramString)].join('&')",
        fix_vba='... & "&" & WorksheetFunction.EncodeURL(strParams)',
        variants_of=fixed(variant("second encoding skipped", encode_normalized=False)),
    ),
    Mistake(
        id="params-double-encoded",
        step="parameters",
        title="names and values encoded twice",
        what_you_did="You percent-encoded names and values twice before normalizing (a space "
        "shows as %2520 in the normalized string, %252520 in the base string).",
        rfc="Each name and value is percent-encoded once, after decoding what the request carried.",
        rfc_section="3.4.1.3.2",
        fix_python="decode query values first (parse_qsl), then quote(v, safe='') once",
        fix_javascript="decode with URLSearchParams, then encode once",
        fix_vba="WorksheetFunction.EncodeURL(strValue)  ' once, on the value as typed, not on one "
        "already holding %20",
        variants_of=fixed(variant("encoded twice", param_encoding="twice")),
        applies=_parameters_need_encoding,
    ),
    Mistake(
        id="params-unencoded",
        step="parameters",
        title="names and values not encoded before normalizing",
        what_you_did="You joined names and values raw, without percent-encoding each one first.",
        rfc="Each name and value is percent-encoded before the pairs are sorted and joined.",
        rfc_section="3.4.1.3.2",
        fix_python="'&'.join(f'{quote(k, safe=\"\")}={quote(v, safe=\"\")}' for k, v in "
        "sorted_pairs)",
        fix_javascript="pairs.map(([k, v]) => enc(k) + '=' + enc(v)).join('&')",
        fix_vba='strPair = WorksheetFunction.EncodeURL(strName) & "=" & '
        "WorksheetFunction.EncodeURL(strValue)",
        variants_of=fixed(variant("not encoded", param_encoding="none")),
        applies=_parameters_need_encoding,
    ),
    Mistake(
        id="params-unsorted",
        step="parameters",
        title="parameters not sorted",
        what_you_did="You joined the parameters without sorting them: in the order they appear "
        "in the request, or with the oauth_* ones first or last, the query before or after "
        "the body.",
        rfc="Parameters are sorted by encoded name, and by encoded value for equal names.",
        rfc_section="3.4.1.3.2",
        fix_python="pairs.sort()  # on the encoded (name, value) tuples",
        fix_javascript="pairs.sort(([a, x], [b, y]) => a < b ? -1 : a > b ? 1 : x < y ? -1 : "
        "x > y ? 1 : 0)",
        fix_vba="SortPairs arrNames, arrValues  ' helper (VBA has no sort): by encoded name, then "
        "value, with StrComp(a, b, vbBinaryCompare)",
        variants_of=_unsorted_orders,
    ),
    Mistake(
        id="params-sorted-as-strings",
        step="parameters",
        title="parameters sorted as joined strings",
        what_you_did="You sorted the joined 'name=value' strings instead of sorting by name, "
        "then value.",
        rfc="Sort by encoded name; only parameters with equal names are ordered by value.",
        rfc_section="3.4.1.3.2",
        fix_python="pairs.sort()  # sort (name, value) tuples, then join",
        fix_javascript="sort [name, value] pairs by name, then value; join afterwards",
        fix_vba="If StrComp(n1, n2, vbBinaryCompare) = 0 Then compare v1, v2  ' not StrComp(n1 & "
        '"=" & v1, n2 & "=" & v2)',
        variants_of=fixed(variant("joined strings sorted", sort="joined")),
        applies=_joined_sort_differs,
    ),
    Mistake(
        id="duplicates-collapsed",
        step="parameters",
        title="a repeated name signed with one of its values",
        what_you_did="You kept the parameters in a map keyed by name, so a name that occurs "
        "more than once (a=1&a=2, or the same name in the query and the body) was signed with "
        "one value only: the first, the last, or the query's.",
        rfc="Every parameter is signed, a repeated name once per value, sorted by value.",
        rfc_section="3.4.1.3.1, 3.4.1.3.2",
        fix_python="params = parse_qsl(query, keep_blank_values=True)  # a list of pairs, not "
        "dict(parse_qsl(...))",
        fix_javascript="const pairs = [...new URLSearchParams(query)];  // not "
        "Object.fromEntries(...)",
        fix_vba="keep two arrays (arrNames, arrValues) and add each pair; a Scripting.Dictionary "
        "keeps one value per name",
        variants_of=_collapsed_variants,
        applies=_has_repeated_name,
        libraries=(
            "net-oauth 0.28 (Perl)",
            "pecl-oauth 2.0.7 (PHP)",
            "oauth 0.10.2 (npm)",
            "oauth-1.0a 2.2.6 (npm)",
        ),
    ),
    Mistake(
        id="duplicates-indexed",
        step="parameters",
        title="a repeated name signed as name[0], name[1]",
        what_you_did="Your query parser turned a repeated name into an array and the signer "
        "wrote it as name[0]=..., name[1]=... (node's querystring.parse with node-oauth).",
        rfc="A repeated name is signed under its own name, once per value.",
        rfc_section="3.4.1.3.1",
        fix_python="sign the pairs of parse_qsl(query) under their own names",
        fix_javascript="const pairs = [...new URL(url).searchParams];  // a=1&a=2 stays a, a",
        fix_vba='strPair = strName & "=" & strValue  \' the name as sent, never strName & "[" & '
        'i & "]"',
        variants_of=fixed(variant("repeats indexed", duplicates="indexed")),
        applies=_query_name_repeated,
        libraries=("oauth 0.10.2 (npm)",),
    ),
    Mistake(
        id="params-not-decoded",
        step="parameters",
        title="query or form parameters signed without decoding them",
        what_you_did="You signed the query (or form) names and values as they appear on the "
        "wire, so an escape is encoded again: %20 becomes %2520.",
        rfc="Names and values are decoded first, then each is percent-encoded once.",
        rfc_section="3.4.1.3.1, 3.4.1.3.2",
        fix_python="pairs = parse_qsl(urlsplit(url).query, keep_blank_values=True)  # decodes; "
        "then quote(n, safe=''), quote(v, safe='')",
        fix_javascript="for (const [n, v] of new URL(url).searchParams) pairs.push([enc(n), "
        "enc(v)]);",
        fix_vba="strValue = URLDecode(strRawValue)  ' helper: Replace '+' with ' ', then each %XX "
        "byte; encode afterwards",
        variants_of=_not_decoded_variants,
        applies=lambda context: "%" in _wire_text(context),
        libraries=("oauth-1.0a 2.2.6 (npm)",),
    ),
    Mistake(
        id="plus-not-decoded",
        step="parameters",
        title="a '+' in the query or form signed as a plus",
        what_you_did="You decoded the query or form with a URI decoder (decodeURIComponent, "
        "unquote) that leaves '+' alone, so a space sent as '+' was signed as %2B.",
        rfc="Query and form values are application/x-www-form-urlencoded: '+' is a space.",
        rfc_section="3.4.1.3.1",
        fix_python="unquote_plus(value)  # or parse_qsl(); not unquote(value)",
        fix_javascript="decodeURIComponent(v.replace(/\\+/g, ' '))  // or URLSearchParams",
        fix_vba='strValue = URLDecode(Replace(strRawValue, "+", " "))  \' the "+" first',
        variants_of=fixed(variant("'+' kept", param_decoding="plus-kept")),
        applies=lambda context: "+" in _wire_text(context),
        libraries=("oauth-1.0a 2.2.6 (npm)",),
    ),
    Mistake(
        id="utf8-double-encoded",
        step="encoding",
        title="non-ASCII text encoded to UTF-8 twice",
        what_you_did="You encoded text that was already UTF-8 bytes to UTF-8 again (bytes read "
        "as Latin-1 characters), so 'ü' was signed as %C3%83%C2%BC instead of %C3%BC.",
        rfc="Text is encoded as UTF-8 once, then each byte is percent-encoded.",
        rfc_section="3.6",
        fix_python="quote(value, safe='')  # value a str; quote(raw_bytes) if it is bytes, "
        "never raw_bytes.decode('latin-1')",
        fix_javascript="enc(value)  // on the JavaScript string; not on unescape(encodeURIComponent"
        "(value))",
        fix_vba="encode the String itself once: EncodeURL(strValue), not "
        "EncodeURL(StrConv(strUtf8, vbUnicode))",
        variants_of=fixed(variant("UTF-8 twice", utf8_twice=True)),
        applies=_has_non_ascii,
        libraries=("net-oauth 0.28 (Perl)",),
    ),
    Mistake(
        id="params-sorted-by-name-only",
        step="parameters",
        title="sorted by name only",
        what_you_did="You sorted the parameters by name with a stable sort, so the values of a "
        "repeated name kept their request order instead of being sorted too.",
        rfc="Parameters are sorted by encoded name and, for equal names, by encoded value.",
        rfc_section="3.4.1.3.2",
        fix_python="pairs.sort()  # the (name, value) tuples; not sort(key=lambda p: p[0])",
        fix_javascript="pairs.sort(([a, x], [b, y]) => a < b ? -1 : a > b ? 1 : x < y ? -1 : "
        "x > y ? 1 : 0)",
        fix_vba="If StrComp(n1, n2, vbBinaryCompare) = 0 Then compare v1, v2 too  ' not only "
        "the names",
        variants_of=fixed(variant("names only", sort="name-only")),
        applies=_name_only_sort_differs,
        libraries=("ruby-oauth 0.5.4", "rauth 0.7.3 (PyPI)"),
    ),
    Mistake(
        id="params-sorted-before-encoding",
        step="parameters",
        title="sorted before encoding",
        what_you_did="You sorted the names and values as text and percent-encoded them "
        "afterwards, so 'c@' sorts after 'c2' and 'ü' after 'z' (encoded, '%40' comes before "
        "'2' and '%C3%BC' before 'z').",
        rfc="The pairs are sorted after encoding: by encoded name, then by encoded value.",
        rfc_section="3.4.1.3.2",
        fix_python="pairs = sorted((quote(n, safe=''), quote(v, safe='')) for n, v in params)",
        fix_javascript="params.map(([n, v]) => [enc(n), enc(v)]).sort(...)  // encode, then sort",
        fix_vba="encode each name and value with EncodeURL first, then SortPairs the encoded "
        "arrays",
        variants_of=fixed(variant("decoded text sorted", sort="none", param_order="decoded")),
        applies=_decoded_sort_differs,
        libraries=(
            "ruby-oauth 0.5.4",
            "oauth2 1.9.0.post1 (PyPI)",
            "pecl-oauth 2.0.7 (PHP)",
            "rauth 0.7.3 (PyPI)",
        ),
    ),
    Mistake(
        id="plus-for-space",
        step="encoding",
        title="spaces encoded as '+'",
        what_you_did="You encoded spaces as '+' (form encoding, as urllib.parse.urlencode and "
        "quote_plus do), so they reach the base string as %2B instead of %2520.",
        rfc="A space is %20; '+' is only ever the literal plus sign (%2B).",
        rfc_section="3.6",
        fix_python=_PY_ENCODE + "  # not quote_plus() or urlencode()",
        fix_javascript=_JS_ENCODE,
        fix_vba="WorksheetFunction.EncodeURL(strValue)  ' a space as %20; not Replace(strValue, \" "
        '", "+")',
        variants_of=fixed(variant("space as +", space_as_plus=True)),
        applies=lambda context: context.any_text(lambda text: " " in text),
    ),
    Mistake(
        id="lowercase-hex",
        step="encoding",
        title="lower-case hex in percent-encoding",
        what_you_did="Your percent-encoder writes lower-case hex digits (%2f instead of %2F).",
        rfc="Hex digits in percent-encoding are upper case.",
        rfc_section="3.6",
        fix_python=_PY_ENCODE,
        fix_javascript=_JS_ENCODE,
        fix_vba='"%" & Right("0" & Hex(b), 2)  \' VBA\'s Hex() is upper case; not LCase(Hex(b))',
        variants_of=fixed(variant("lower-case hex", lowercase_hex=True)),
    ),
    Mistake(
        id="reserved-not-encoded",
        step="encoding",
        title="! * ' ( ) left unencoded",
        what_you_did="Your encoder leaves ! * ' ( ) alone, as JavaScript's encodeURIComponent "
        "does.",
        rfc="Only A-Z a-z 0-9 - . _ ~ stay as they are; ! * ' ( ) are encoded too.",
        rfc_section="3.6",
        fix_python=_PY_ENCODE,
        fix_javascript=_JS_ENCODE,
        fix_vba='Percent3986(s)  \' helper: keep only A-Z a-z 0-9 - . _ ~ of each UTF-8 byte, "%" '
        '& Right("0" & Hex(b), 2) for the rest',
        variants_of=fixed(variant("!*'() kept", keep_reserved=True)),
        applies=lambda context: context.any_text(
            lambda text: bool(RESERVED_KEPT_BY_JS.intersection(text))
        ),
    ),
    Mistake(
        id="query-params-omitted",
        step="parameters",
        title="query parameters left out",
        what_you_did="You left the URL's query parameters out of the signature.",
        rfc="Every query parameter is signed, together with the OAuth and form-body ones.",
        rfc_section="3.4.1.3.1",
        fix_python="params = parse_qsl(urlsplit(url).query, keep_blank_values=True) + oauth",
        fix_javascript="[...new URL(url).searchParams, ...oauthPairs]",
        fix_vba="add every query pair of strUrl (e.g. limit=5) to the oauth_* pairs you sort and "
        "sign",
        variants_of=fixed(variant("query left out", include_query=False)),
        applies=_has_query,
    ),
    Mistake(
        id="body-params-omitted",
        step="parameters",
        title="form-body parameters left out",
        what_you_did="You left the form-encoded body's parameters out of the signature.",
        rfc="An application/x-www-form-urlencoded body contributes its parameters.",
        rfc_section="3.4.1.3.1",
        fix_python="params += parse_qsl(body, keep_blank_values=True)",
        fix_javascript="[...oauthPairs, ...new URLSearchParams(body)]",
        fix_vba="add every name=value of the form strBody you .Send to the oauth_* pairs you sort "
        "and sign",
        variants_of=fixed(variant("body left out", include_body=False)),
        applies=_has_body_params,
    ),
    Mistake(
        id="oauth-signature-included",
        step="parameters",
        title="an empty oauth_signature signed",
        what_you_did="You included an oauth_signature parameter (empty) in the parameters you "
        "signed.",
        rfc="oauth_signature is never part of the signed parameters.",
        rfc_section="3.4.1.3.1",
        fix_python="params = [(k, v) for k, v in params if k != 'oauth_signature']",
        fix_javascript="pairs.filter(([k]) => k !== 'oauth_signature')",
        fix_vba='strUrl = strUrl & "&oauth_signature=" & WorksheetFunction.EncodeURL(strSig)  \' '
        "only after signing; never in strBaseString",
        variants_of=fixed(variant("empty signature included", include_empty_signature=True)),
    ),
    Mistake(
        id="realm-included",
        step="parameters",
        title="realm signed as a parameter",
        what_you_did="You signed the Authorization header's realm as if it were a parameter.",
        rfc="realm is not a signed parameter.",
        rfc_section="3.4.1.3.1",
        fix_python="leave realm out of the parameter list; it only goes into the header",
        fix_javascript="leave realm out of the parameter list; it only goes into the header",
        fix_vba='objHttp.setRequestHeader "Authorization", "OAuth realm=""Gallery"", ..."  \' '
        "realm here only, not in strBaseString",
        variants_of=fixed(variant("realm signed", include_realm=True)),
        applies=lambda context: context.has_realm,
    ),
    Mistake(
        id="empty-params-dropped",
        step="parameters",
        title="empty parameters left out",
        what_you_did="You left out parameters whose value is empty (Postman does unless 'add "
        "empty params' is on).",
        rfc="A parameter with an empty value is signed as 'name='.",
        rfc_section="3.4.1.3.2",
        fix_python="parse_qsl(query, keep_blank_values=True)",
        fix_javascript="keep entries whose value is '' when building the pairs",
        fix_vba='strPair = strName & "=" & strValue  \' also when strValue = "": do not skip it',
        variants_of=fixed(variant("empty dropped", drop_empty=True)),
        applies=lambda context: any(p.value == "" for p in context.parameters),
    ),
    Mistake(
        id="version-mismatch",
        step="parameters",
        title="oauth_version signed but not sent, or sent but not signed",
        what_you_did="The oauth_version you signed is not the one you sent: signed but left out "
        "of the request, or sent but left out of the signature.",
        rfc="The signature covers exactly the oauth_* parameters the request carries.",
        rfc_section="3.4.1.3.1",
        fix_python="build one dict of oauth_* parameters and use it both to sign and to send",
        fix_javascript="build one object of oauth_* parameters and use it both to sign and send",
        fix_vba='sign and send the same oauth_* pairs: "%26oauth_version%3D1.0" in strBaseString '
        "means oauth_version=1.0 in the request",
        variants_of=fixed(variant("version toggled", toggle_version=True)),
    ),
    Mistake(
        id="body-signed-as-params",
        step="parameters",
        title="a non-form body signed as parameters",
        what_you_did="You signed the body as if it were form parameters, but it is not "
        "application/x-www-form-urlencoded (JSON or XML bodies contribute nothing).",
        rfc="Only an application/x-www-form-urlencoded body contributes parameters.",
        rfc_section="3.4.1.3.1",
        fix_python="sign only the query and oauth_* parameters when the body is JSON",
        fix_javascript="sign only the query and oauth_* parameters when the body is JSON",
        fix_vba="sign only the query and oauth_* pairs when objHttp.Send gets JSON (Content-Type: "
        "application/json)",
        variants_of=fixed(variant("body parsed as form", body_as_form=True)),
        applies=_json_like_body,
    ),
    Mistake(
        id="key-missing-ampersand",
        step="key",
        title="signing key without its '&'",
        what_you_did="You used a key without its '&' separator: the bare consumer secret when "
        "there is no token secret (as WooCommerce's legacy docs once said), or the two secrets "
        "joined directly.",
        rfc="The key is encode(consumer secret) '&' encode(token secret); the '&' is there even "
        "when the token secret is empty.",
        rfc_section="3.4.2",
        fix_python="key = quote(consumer_secret, safe='') + '&' + quote(token_secret or '', "
        "safe='')",
        fix_javascript="const key = enc(consumerSecret) + '&' + enc(tokenSecret || '');",
        fix_vba='strKey = strSecret & "&"',
        variants_of=fixed(variant("no '&'", key_ampersand=False)),
    ),
    Mistake(
        id="key-not-encoded",
        step="key",
        title="secrets not percent-encoded in the key",
        what_you_did="You joined the secrets into the key without percent-encoding them first.",
        rfc="Each secret is percent-encoded before the two are joined with '&'.",
        rfc_section="3.4.2",
        fix_python="key = quote(consumer_secret, safe='') + '&' + quote(token_secret, safe='')",
        fix_javascript="const key = enc(consumerSecret) + '&' + enc(tokenSecret);",
        fix_vba='strKey = WorksheetFunction.EncodeURL(strSecret) & "&" & '
        'WorksheetFunction.EncodeURL(strTokenSecret)  \' just "&" with no token',
        variants_of=fixed(variant("secrets raw", key_encoded=False)),
        applies=lambda context: _needs_encoding(context.secret_text),
    ),
    Mistake(
        id="trailing-space-in-secret",
        step="key",
        title="a trailing space pasted into a secret",
        what_you_did="The secret you signed with has a trailing space (pasted from a web page "
        "or a spreadsheet cell).",
        rfc="The key is built from the secret exactly as issued.",
        rfc_section="3.4.2",
        fix_python="consumer_secret = consumer_secret.strip()",
        fix_javascript="const secret = consumerSecret.trim();",
        fix_vba="strSecret = Trim(strSecret)",
        variants_of=_padded_secrets,
        applies=lambda context: context.secret_text != "",
    ),
    Mistake(
        id="wrong-hash",
        step="hash",
        title="another HMAC hash than the declared method",
        what_you_did="You computed the HMAC with another hash than oauth_signature_method "
        "declares (e.g. SHA-256 while declaring HMAC-SHA1).",
        rfc="HMAC-SHA1 uses SHA-1; use the hash your oauth_signature_method names.",
        rfc_section="3.4.2",
        fix_python="hmac.new(key.encode(), base.encode(), hashlib.sha1)  # for HMAC-SHA1",
        fix_javascript="crypto.createHmac('sha1', key).update(base).digest('base64')",
        fix_vba='Set objHmac = CreateObject("System.Security.Cryptography.HMACSHA1")  \' for '
        "HMAC-SHA1; not HMACSHA256",
        variants_of=_other_hashes,
        applies=_is_hmac,
    ),
    Mistake(
        id="hex-digest",
        step="output",
        title="digest written as hex",
        what_you_did="You wrote the HMAC digest as hex instead of base64.",
        rfc="The signature is the base64 encoding of the digest.",
        rfc_section="3.4.2",
        fix_python="base64.b64encode(mac.digest()).decode()  # not mac.hexdigest()",
        fix_javascript="hmac.digest('base64')  // not digest('hex')",
        fix_vba="strSig = Base64Encode(objHmac.ComputeHash_2(bytBase))  ' helper: MSXML2 element, "
        '.DataType = "bin.base64"; not Hex() of each byte',
        variants_of=fixed(variant("hex", digest_encoding="hex")),
        applies=_is_hmac,
    ),
    Mistake(
        id="urlsafe-base64",
        step="output",
        title="URL-safe base64 alphabet",
        what_you_did="You used the URL-safe base64 alphabet ('-' and '_' instead of '+' and '/').",
        rfc="The signature is base64 with the standard alphabet (RFC 2045), percent-encoded "
        "for transport.",
        rfc_section="3.4.2, 3.6",
        fix_python="base64.b64encode(digest)  # not urlsafe_b64encode",
        fix_javascript="digest('base64')  // not 'base64url'",
        fix_vba='keep \'+\' and \'/\': no Replace(strSig, "+", "-") or Replace(strSig, "/", "_")',
        variants_of=fixed(variant("urlsafe", digest_encoding="urlsafe")),
        applies=_is_hmac,
    ),
    Mistake(
        id="padding-stripped",
        step="output",
        title="base64 padding stripped",
        what_you_did="You removed the trailing '=' padding of the base64 signature.",
        rfc="The signature is complete base64, '=' padding included (percent-encoded as %3D).",
        rfc_section="3.4.2",
        fix_python="keep the '='; quote(signature, safe='') encodes it as %3D",
        fix_javascript="keep the '='; enc(signature) encodes it as %3D",
        fix_vba='keep the \'=\': no Replace(strSig, "=", ""); WorksheetFunction.EncodeURL(strSig) '
        "sends it as %3D",
        variants_of=fixed(variant("unpadded", digest_encoding="unpadded")),
        applies=_is_hmac,
    ),
    Mistake(
        id="signature-not-percent-encoded",
        step="transport",
        title="signature sent without percent-encoding",
        what_you_did="You put the signature into the URL or form body without percent-encoding "
        "it, so each '+' arrived as a space.",
        rfc="Every parameter value is percent-encoded where it travels ('+' is %2B).",
        rfc_section="3.5, 3.6",
        fix_python="params={'oauth_signature': signature}  # let requests encode it",
        fix_javascript="url.searchParams.set('oauth_signature', signature)",
        fix_vba='strUrl & "&oauth_signature=" & WorksheetFunction.EncodeURL(strSig)  '
        "' a '+' must arrive as %2B",
        variants_of=fixed(variant("raw", transport="not-encoded")),
        applies=_transported_in_form,
    ),
    Mistake(
        id="signature-double-encoded",
        step="transport",
        title="signature percent-encoded twice",
        what_you_did="You percent-encoded the signature twice on its way (e.g. encoded it, then "
        "passed it to a library that encodes again), so it arrived still as %2B...",
        rfc="The signature is percent-encoded once when it is placed into the request.",
        rfc_section="3.5, 3.6",
        fix_python="pass the raw signature to requests (params= or the header builder); do not "
        "quote() it first",
        fix_javascript="pass the raw signature to URLSearchParams; do not encode it first",
        fix_vba='"&oauth_signature=" & WorksheetFunction.EncodeURL(strSig)  \' once: not '
        "EncodeURL(EncodeURL(strSig))",
        variants_of=fixed(variant("twice", transport="double-encoded")),
    ),
    BODY_HASH_MISMATCH,
)

BY_ID: dict[str, Mistake] = {mistake.id: mistake for mistake in CATALOG}
