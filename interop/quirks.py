"""Find what a library did differently from RFC 5849 when its signature is wrong.

A small model of the ways real code builds the signature base string (how it decodes the query and
form body, what it does with a repeated name, how it sorts, which URL it signs, how it makes the
key), searched exhaustively for the combination that reproduces what the library produced: its own
base string when it exposes one (an exact match), otherwise its signature (recomputed with the
secrets, or checked with the RSA key). The fewest deviations win. The labels are the catalog ids of
issue 10 (and the existing ones where they fit), so the next engineer can test the catalog on them.

This model is the corpus's own, written from RFC 5849 and the libraries' behaviour; it does not use
oauth_debug (whose catalog is what the corpus is there to test).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, unquote_plus, urlsplit

Pair = tuple[str, str]
FORM = "application/x-www-form-urlencoded"


def enc(text: str) -> str:
    """RFC 5849 3.6: UTF-8, then every octet but ALPHA DIGIT - . _ ~ as %XX (upper case)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="-._~")


def _split(text: str) -> list[Pair]:
    pairs = []
    for piece in text.split("&"):
        if piece:
            name, _, value = piece.partition("=")
            pairs.append((name, value))
    return pairs


def _header_pairs(value: str) -> list[Pair]:
    _, _, rest = value.strip().partition(" ")  # the scheme (OAuth) is checked by the caller
    pairs = []
    for item in rest.split(","):
        item = item.strip()
        if not item:
            continue
        name, _, quoted = item.partition("=")
        if name.strip() == "realm":
            continue
        pairs.append((unquote(name.strip()), unquote(quoted.strip().strip('"'))))
    return pairs


DECODERS: dict[str, Callable[[str], str]] = {
    "rfc": unquote_plus,  # 3.4.1.3.1: form decoding, '+' is a space
    "plus-kept": unquote,  # %XX decoded, '+' left a plus
    "none": lambda text: text,  # signed as it is on the wire
    "names-raw": unquote,  # values decoded (no '+'), the query's names as on the wire
    "twice": lambda text: unquote_plus(unquote_plus(text)),  # %253D read as '='
}


@dataclass(frozen=True)
class Model:
    decode: str = "rfc"
    double_utf8: bool = False
    # all | first | last (one value per name) | indexed (the query's repeated names renamed
    # name[0], name[1]: node-oauth) | query-wins (a name in the query drops the body's values)
    duplicates: str = "all"
    # rfc | name-stable | decoded (by the text before encoding) | joined ("n=v" strings) |
    # query-body-oauth | oauth-query-body (unsorted, in these orders)
    sort: str = "rfc"
    url: str = "sent"  # sent | given (the URL before the HTTP library requoted it)
    host_case: bool = False
    default_port: bool = False
    query_in_uri: bool = False
    query: bool = True
    body: bool = True
    key_encoded: bool = True

    def deviations(self) -> int:
        return sum(getattr(self, f) != getattr(RFC_MODEL, f) for f in self.__dataclass_fields__)

    def ids(self, requoted: bool) -> list[str]:
        found = []
        if self.decode in ("none", "names-raw"):
            found.append("params-not-decoded")
        if self.decode == "plus-kept":
            found.append("plus-not-decoded")
        if self.double_utf8:
            found.append("utf8-double-encoded")
        if self.decode == "twice":
            found.append("params-decoded-twice")
        if self.duplicates in ("first", "last", "query-wins"):
            found.append("duplicates-collapsed")
        if self.duplicates == "indexed":
            found.append("duplicates-indexed")
        if self.sort == "name-stable":
            found.append("params-sorted-by-name-only")
        if self.sort == "decoded":
            found.append("params-sorted-before-encoding")
        if self.sort == "joined":
            found.append("params-sorted-as-strings")
        if self.sort in ("query-body-oauth", "oauth-query-body"):
            found.append("params-unsorted")
        if self.url == "given" and requoted:
            found.append("url-requoted-after-signing")
        if self.host_case:
            found.append("host-case-kept")
        if self.default_port:
            found.append("default-port-kept")
        if self.query_in_uri:
            found.append("query-in-base-uri")
        if not self.query:
            found.append("query-params-omitted")
        if not self.body:
            found.append("body-params-omitted")
        if not self.key_encoded:
            found.append("key-not-encoded")
        return found

    def detail(self) -> dict[str, Any]:
        return {
            f: getattr(self, f)
            for f in self.__dataclass_fields__
            if getattr(self, f) != getattr(RFC_MODEL, f)
        }


RFC_MODEL = Model()


MAX_DEVIATIONS = 4


def _all_models() -> list[Model]:
    """Every model with at most MAX_DEVIATIONS deviations, fewest first (stable within a level)."""
    models = [m for m in _product() if m.deviations() <= MAX_DEVIATIONS]
    return sorted(models, key=Model.deviations)


def _product() -> Iterator[Model]:
    for values in itertools.product(
        ("rfc", "plus-kept", "none", "names-raw", "twice"),
        (False, True),
        ("all", "first", "last", "indexed", "query-wins"),
        ("rfc", "name-stable", "decoded", "joined", "query-body-oauth", "oauth-query-body"),
        ("sent", "given"),
        (False, True),
        (False, True),
        (False, True),
        (True, False),
        (True, False),
    ):
        yield Model(*values)


def _decode(model: Model, text: str) -> str:
    value = DECODERS[model.decode](text)
    if model.double_utf8:
        value = value.encode("utf-8", "surrogatepass").decode("latin-1")
    return value


def _decode_name(model: Model, text: str, in_query: bool) -> str:
    return text if model.decode == "names-raw" and in_query else _decode(model, text)


def _index_query(pairs: list[Pair]) -> list[Pair]:
    """node-oauth: querystring.parse makes a repeated query name an array, signed as name[i]."""
    counts: dict[str, int] = {}
    for name, _ in pairs:
        counts[name] = counts.get(name, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for name, value in pairs:
        if counts[name] > 1:
            out.append((f"{name}[{seen.get(name, 0)}]", value))
            seen[name] = seen.get(name, 0) + 1
        else:
            out.append((name, value))
    return out


def _collapse(model: Model, pairs: list[Pair]) -> list[Pair]:
    if model.duplicates == "all":
        return pairs
    if model.duplicates in ("indexed", "query-wins"):
        return pairs  # done per source in base_string
    kept: dict[str, str] = {}
    for name, value in pairs:
        if model.duplicates == "last" or name not in kept:
            kept[name] = value
    return list(kept.items())


def _base_uri(model: Model, url: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme if model.host_case else parts.scheme.lower()
    host = parts.hostname or ""
    if model.host_case:
        host = parts.netloc.rsplit("@", 1)[-1].rsplit(":", 1)[0] if parts.port else parts.netloc
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host
    if port is not None and (port != default or model.default_port):
        netloc += f":{port}"
    elif port is None and model.default_port and default is not None:
        netloc += f":{default}"
    uri = f"{scheme}://{netloc}{parts.path or '/'}"
    if model.query_in_uri and parts.query:
        uri += "?" + parts.query
    return uri


@dataclass(frozen=True)
class Wire:
    """The parts of the request the models read, raw (still percent-encoded)."""

    method: str
    sent_url: str
    given_url: str
    header: list[Pair]  # decoded (header values are always percent-decoded once)
    sent_query: list[Pair]
    given_query: list[Pair]
    body: list[Pair]


def _wire(case: dict[str, Any], sent: dict[str, Any]) -> Wire:
    header = next((v for k, v in sent["headers"] if k.lower() == "authorization"), "")
    content_type = next((v for k, v in sent["headers"] if k.lower() == "content-type"), "")
    is_form = content_type.split(";")[0].strip().lower() == FORM
    # The given URL plus the oauth parameters the library put in the sent query, if any.
    given_query = _split(urlsplit(case["url"]).query)
    sent_query = _split(urlsplit(sent["url"]).query)
    given_query += [p for p in sent_query if p[0].startswith("oauth_")]
    return Wire(
        method=sent["method"],
        sent_url=sent["url"],
        given_url=case["url"],
        header=_header_pairs(header) if header.lower().startswith("oauth ") else [],
        sent_query=sent_query,
        given_query=given_query,
        body=_split(sent["body"] or "") if is_form else [],
    )


def base_string(model: Model, wire: Wire) -> str:
    url = wire.given_url if model.url == "given" else wire.sent_url
    raw_query = wire.given_query if model.url == "given" else wire.sent_query
    query = [(_decode_name(model, n, True), _decode(model, v)) for n, v in raw_query]
    body = [(_decode_name(model, n, False), _decode(model, v)) for n, v in wire.body]
    oauth = [p for p in wire.header]
    # oauth_* parameters travel signed wherever they are; the model's omissions are of the others.
    q_oauth = [p for p in query if p[0].startswith("oauth_")]
    b_oauth = [p for p in body if p[0].startswith("oauth_")]
    query = [p for p in query if not p[0].startswith("oauth_")] if model.query else []
    body = [p for p in body if not p[0].startswith("oauth_")] if model.body else []
    oauth = [p for p in oauth + q_oauth + b_oauth if p[0] != "oauth_signature"]
    if model.duplicates == "indexed":
        query = _index_query(query)
    if model.duplicates == "query-wins":
        in_query = {name for name, _ in query}
        body = [p for p in body if p[0] not in in_query]
    pairs = oauth + query + body if model.sort == "oauth-query-body" else query + body + oauth
    pairs = _collapse(model, pairs)
    if model.sort == "decoded":
        pairs = sorted(pairs)
    encoded = [(enc(n), enc(v)) for n, v in pairs]
    if model.sort == "joined":
        encoded.sort(key=lambda pair: f"{pair[0]}={pair[1]}")
    if model.sort == "rfc":
        encoded.sort()
    elif model.sort == "name-stable":
        encoded.sort(key=lambda pair: pair[0])
    normalized = "&".join(f"{n}={v}" for n, v in encoded)
    return "&".join((enc(wire.method.upper()), enc(_base_uri(model, url)), enc(normalized)))


def _claimed(wire: Wire) -> str | None:
    for name, value in wire.header:
        if name == "oauth_signature":
            return value  # already decoded
    for name, value in wire.sent_query + wire.body:
        if name == "oauth_signature":
            return unquote_plus(value)
    return None


def _key(model: Model, secrets: dict[str, Any]) -> str:
    consumer, token = secrets["consumer_secret"], secrets["token_secret"] or ""
    return f"{enc(consumer)}&{enc(token)}" if model.key_encoded else f"{consumer}&{token}"


def _signature_matches(method: str, base: str, key: str, claimed: str, rsa_pem: str | None) -> bool:
    if method.startswith("HMAC-"):
        digest = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256}[method]
        mac = hmac.new(key.encode("utf-8"), base.encode("utf-8"), digest).digest()
        return hmac.compare_digest(base64.b64encode(mac).decode(), claimed)
    if method == "PLAINTEXT":
        return hmac.compare_digest(key, claimed)
    assert rsa_pem is not None
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    public = serialization.load_pem_private_key(rsa_pem.encode(), password=None).public_key()
    try:
        public.verify(  # type: ignore[union-attr]
            base64.b64decode(claimed), base.encode("utf-8"), padding.PKCS1v15(), hashes.SHA1()
        )
    except Exception:
        return False
    return True


WHAT = {
    "params-not-decoded": "signed query/form names and values as they are on the wire, without "
    "decoding them first (%20 became %2520)",
    "plus-not-decoded": "signed a '+' of the query or form body as a literal plus (%2B), "
    "not a space",
    "utf8-double-encoded": "encoded non-ASCII text to UTF-8 twice before percent-encoding",
    "duplicates-collapsed": "kept one value of a repeated name (a hash map)",
    "duplicates-indexed": "renamed a repeated name name[0], name[1], ... before signing",
    "params-decoded-twice": "percent-decoded the values twice (%253D signed as '=')",
    "params-sorted-by-name-only": "sorted by name only, so a repeated name's values kept "
    "request order",
    "params-unsorted": "joined the parameters unsorted",
    "params-sorted-before-encoding": "sorted the names and values before percent-encoding them "
    "(so 'c2' sorts before 'c@' and non-ASCII names last), not after",
    "params-sorted-as-strings": "sorted the joined 'name=value' strings, not by name then value",
    "url-requoted-after-signing": "signed the URL as given; the HTTP library sent another spelling",
    "host-case-kept": "kept the host's upper-case letters in the base string URI",
    "default-port-kept": "kept the default port in the base string URI",
    "query-in-base-uri": "left the query in the base string URI",
    "query-params-omitted": "left the query parameters out of the signature",
    "body-params-omitted": "left the form body's parameters out of the signature",
    "key-not-encoded": "joined the secrets into the key without percent-encoding them",
}


def find_quirk(case: dict[str, Any], entry: dict[str, Any], rsa_pem: str) -> dict[str, Any]:
    """The smallest model that reproduces the library's output, as catalog ids and a detail."""
    sent = entry["sent"]
    wire = _wire(case, sent)
    requoted = wire.sent_url != wire.given_url and not any(
        p[0].startswith("oauth_") for p in wire.sent_query
    )
    library_base = entry.get("library_base_string")
    claimed = _claimed(wire)
    method = case["signature_method"]
    secrets = case["credentials"]
    if entry.get("verdict") == "refused":
        return {
            "ids": [],
            "what": "the RFC reference refuses the request as sent",
            "found_by": None,
        }
    matches: list[tuple[Model, str]] = []
    for model in MODELS:
        if matches and model.deviations() > matches[0][0].deviations():
            break  # every model that explains it with the fewest deviations is in
        if method == "PLAINTEXT" and model.detail().keys() - {"key_encoded"}:
            continue  # PLAINTEXT signs no base string: only the key can be wrong
        base = base_string(model, wire)
        if library_base is not None and method != "PLAINTEXT" and base != library_base:
            continue
        if claimed is not None and _signature_matches(
            method, base, _key(model, secrets), claimed, rsa_pem
        ):
            how = "library base string and signature" if library_base else "signature"
            matches.append((model, how))
    if not matches:
        return {
            "ids": [],
            "what": "no model in interop/quirks.py reproduces this signature",
            "found_by": None,
        }
    # Among equally small explanations, a dropped source is the least specific one.
    matches.sort(key=lambda match: (not match[0].query) + (not match[0].body))
    best, found_by = matches[0]
    ids = best.ids(requoted)
    return {
        "ids": ids,
        "what": "; ".join(WHAT[i] for i in ids) or "reproduced by the RFC model itself",
        "detail": best.detail(),
        "found_by": found_by,
        "alternatives": [m.ids(requoted) for m, _ in matches[1:]],
    }


MODELS = _all_models()
