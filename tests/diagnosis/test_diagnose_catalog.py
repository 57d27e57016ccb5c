"""Every catalog mistake, made the way a person makes it, must be named by the diagnosis.

Each wrong signature here comes from hand-written signing code (urllib, hmac, hashlib, base64, as
found in scripts and forum answers), never from the catalog's own Recipe transforms: the test
holds the catalog to the mistakes people actually make.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, quote_plus, urlencode

import pytest

from oauth_debug import Credentials, HttpRequest, diagnose
from oauth_debug.diagnosis.catalog import CATALOG

FORM = "application/x-www-form-urlencoded"
CONSUMER_SECRET = "cs-secret"
TOKEN_SECRET = "ts-secret"
OAUTH = [
    ("oauth_consumer_key", "ck"),
    ("oauth_token", "tok"),
    ("oauth_signature_method", "HMAC-SHA1"),
    ("oauth_timestamp", "1700000000"),
    ("oauth_nonce", "n0nce"),
    ("oauth_version", "1.0"),
]

Pairs = list[tuple[str, str]]


def rfc3986(text: str) -> str:
    """What a careful person writes: quote with nothing safe (upper-case hex)."""
    return quote(text, safe="")


def encode_uri_component(text: str) -> str:
    """JavaScript's encodeURIComponent, written out in Python (it keeps A-Z a-z 0-9 -_.!~*'())."""
    keep = "-_.!~*'()"
    out = []
    for char in text:
        if char.isascii() and (char.isalnum() or char in keep):
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out)


def lower_hex(text: str) -> str:
    """An encoder with lower-case hex digits (e.g. a hand-written one using '%02x')."""
    return "".join(
        char if char.isascii() and (char.isalnum() or char in "-._~") else f"%{ord(char):02x}"
        for char in text
    )


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def handmade(
    method: str,
    uri: str,
    params: Pairs,
    *,
    consumer_secret: str = CONSUMER_SECRET,
    token_secret: str = TOKEN_SECRET,
    encode: Callable[[str], str] = rfc3986,
    method_text: str | None = None,
    uri_text: str | None = None,
    normalized: str | None = None,
    param_text: Callable[[str], str] | None = None,
    key: str | None = None,
    digestmod: Callable[[], object] = hashlib.sha1,
    write: Callable[[bytes], str] = b64,
) -> str:
    """A person's signer, one line per step, with the step they got wrong passed in."""
    if normalized is None:
        pairs = sorted((encode(k), encode(v)) for k, v in params)
        normalized = "&".join(f"{k}={v}" for k, v in pairs)
    base = "&".join(
        [
            method.upper() if method_text is None else method_text,
            encode(uri) if uri_text is None else uri_text,
            encode(normalized) if param_text is None else param_text(normalized),
        ]
    )
    if key is None:
        key = f"{encode(consumer_secret)}&{encode(token_secret)}"
    digest = hmac.new(key.encode(), base.encode(), digestmod).digest()  # type: ignore[arg-type]
    return write(digest)


def header_request(
    method: str,
    url: str,
    signature: str,
    *,
    oauth: Pairs | None = None,
    body: str | None = None,
    content_type: str | None = None,
    realm: str | None = None,
) -> HttpRequest:
    """The request as sent, with an Authorization header written out by hand."""
    pairs = [*(OAUTH if oauth is None else oauth), ("oauth_signature", signature)]
    fields = [f'realm="{realm}"'] if realm is not None else []
    fields += [f'{k}="{quote(v, safe="")}"' for k, v in pairs]
    headers = {"Authorization": "OAuth " + ", ".join(fields)}
    if content_type:
        headers["Content-Type"] = content_type
    return HttpRequest(method, url, headers, body)


def credentials(
    consumer_secret: str = CONSUMER_SECRET, token_secret: str = TOKEN_SECRET
) -> Credentials:
    return Credentials("ck", consumer_secret, token="tok", token_secret=token_secret)


def named(request: HttpRequest, creds: Credentials | None = None) -> tuple[str, ...]:
    result = diagnose(request, creds or credentials())
    assert result.verdict == "explained", result.summary
    return result.mistakes


URL = "http://api.example.com/v1/items"
QUERY_URL = "http://api.example.com/v1/items?q=red%20shoes&page=2"
QUERY_PARAMS = [("q", "red shoes"), ("page", "2")]


def test_method_lowercase() -> None:
    sig = handmade("post", URL, OAUTH, method_text="post")
    assert named(header_request("POST", URL, sig)) == ("method-lowercase",)


def test_method_titlecase_from_the_forum() -> None:
    # The Alteryx forum: "Case matters (Get does not work but GET does)".
    sig = handmade("Get", URL, OAUTH, method_text="Get")
    assert named(header_request("GET", URL, sig)) == ("method-lowercase",)


def test_method_mismatch() -> None:
    sig = handmade("POST", URL, OAUTH)  # signed for POST, then sent with requests.get
    assert named(header_request("GET", URL, sig)) == ("method-mismatch",)


def test_uri_not_encoded() -> None:
    sig = handmade("GET", URL, OAUTH, uri_text=URL)
    assert named(header_request("GET", URL, sig)) == ("uri-not-encoded",)


def test_uri_slashes_not_encoded_by_python_quote() -> None:
    sig = handmade("GET", URL, OAUTH, uri_text=quote(URL))  # quote() keeps "/" by default
    assert named(header_request("GET", URL, sig)) == ("uri-slashes-not-encoded",)


def test_query_in_base_uri() -> None:
    sig = handmade("GET", QUERY_URL, OAUTH + QUERY_PARAMS)  # the full URL, query included
    assert named(header_request("GET", QUERY_URL, sig)) == ("query-in-base-uri",)


def test_default_port_kept() -> None:
    sig = handmade("GET", "http://api.example.com:80/v1/items", OAUTH)
    assert named(header_request("GET", URL, sig)) == ("default-port-kept",)


def test_port_dropped() -> None:
    sent = "http://api.example.com:8080/v1/items"
    sig = handmade("GET", URL, OAUTH)
    assert named(header_request("GET", sent, sig)) == ("port-dropped",)


def test_scheme_mismatch_behind_a_tls_proxy() -> None:
    sig = handmade("GET", "https://api.example.com/v1/items", OAUTH)
    assert named(header_request("GET", URL, sig)) == ("scheme-mismatch",)


def test_host_case_kept() -> None:
    sent = "http://API.Example.com/v1/items"
    sig = handmade("GET", sent, OAUTH)
    assert named(header_request("GET", sent, sig)) == ("host-case-kept",)


def test_trailing_slash_mismatch() -> None:
    sig = handmade("GET", URL + "/", OAUTH)
    assert named(header_request("GET", URL, sig)) == ("trailing-slash-mismatch",)


def test_params_not_encoded_like_the_forum_question() -> None:
    # The forum's base string: "...&oauth_consumer_key=<key>&oauth_nonce=..." with raw & and =.
    sig = handmade("GET", URL, OAUTH, param_text=lambda normalized: normalized)
    assert named(header_request("GET", URL, sig)) == ("params-not-encoded",)


def test_params_double_encoded() -> None:
    # Values taken from the URL still encoded ("red%20shoes"), then encoded again.
    raw_query = [("q", "red%20shoes"), ("page", "2")]
    sig = handmade("GET", URL, OAUTH + raw_query)
    assert named(header_request("GET", QUERY_URL, sig)) == ("params-double-encoded",)


def test_params_unencoded() -> None:
    params = OAUTH + QUERY_PARAMS
    normalized = "&".join(f"{k}={v}" for k, v in sorted(params))  # joined raw
    sig = handmade("GET", URL, params, normalized=normalized)
    assert named(header_request("GET", QUERY_URL, sig)) == ("params-unencoded",)


def test_params_unsorted() -> None:
    params = QUERY_PARAMS + OAUTH  # the order they appear in the request
    normalized = "&".join(f"{rfc3986(k)}={rfc3986(v)}" for k, v in params)
    sig = handmade("GET", URL, params, normalized=normalized)
    assert named(header_request("GET", QUERY_URL, sig)) == ("params-unsorted",)


def test_params_sorted_as_strings() -> None:
    # "a=x" sorts after "a-b=y" as strings ("=" > "-"), but before it by name.
    url = "http://api.example.com/v1/items?a=x&a-b=y"
    params = [*OAUTH, ("a", "x"), ("a-b", "y")]
    joined = sorted(f"{rfc3986(k)}={rfc3986(v)}" for k, v in params)
    sig = handmade("GET", URL, params, normalized="&".join(joined))
    assert named(header_request("GET", url, sig)) == ("params-sorted-as-strings",)


def test_plus_for_space_with_urlencode() -> None:
    # urlencode() writes spaces as "+" (the alteryx-gallery-py way), then quote_plus everywhere.
    params = OAUTH + QUERY_PARAMS
    normalized = urlencode(sorted(params))
    sig = handmade(
        "GET", URL, params, normalized=normalized, encode=lambda s: quote_plus(s, safe="")
    )
    assert named(header_request("GET", QUERY_URL, sig)) == ("plus-for-space",)


def test_lowercase_hex() -> None:
    sig = handmade("GET", URL, OAUTH, encode=lower_hex)
    assert named(header_request("GET", URL, sig)) == ("lowercase-hex",)


def test_reserved_not_encoded_by_encode_uri_component() -> None:
    url = "http://api.example.com/v1/items?q=it%27s%20%28new%29%21"
    params = [*OAUTH, ("q", "it's (new)!")]
    sig = handmade("GET", URL, params, encode=encode_uri_component)
    assert named(header_request("GET", url, sig)) == ("reserved-not-encoded",)


def test_query_params_omitted() -> None:
    sig = handmade("GET", URL, OAUTH)
    assert named(header_request("GET", QUERY_URL, sig)) == ("query-params-omitted",)


def test_body_params_omitted() -> None:
    sig = handmade("POST", URL, OAUTH)
    request = header_request("POST", URL, sig, body="name=Ann&city=Oslo", content_type=FORM)
    assert named(request) == ("body-params-omitted",)


def test_oauth_signature_included() -> None:
    sig = handmade("GET", URL, [*OAUTH, ("oauth_signature", "")])
    assert named(header_request("GET", URL, sig)) == ("oauth-signature-included",)


def test_realm_included() -> None:
    sig = handmade("GET", URL, [*OAUTH, ("realm", "Photos")])
    assert named(header_request("GET", URL, sig, realm="Photos")) == ("realm-included",)


def test_empty_params_dropped_like_postman() -> None:
    url = "http://api.example.com/v1/items?filter=&page=2"
    sig = handmade("GET", URL, [*OAUTH, ("page", "2")])
    assert named(header_request("GET", url, sig)) == ("empty-params-dropped",)


def test_version_signed_but_not_sent() -> None:
    sent = [p for p in OAUTH if p[0] != "oauth_version"]
    sig = handmade("GET", URL, OAUTH)
    assert named(header_request("GET", URL, sig, oauth=sent)) == ("version-mismatch",)


def test_version_sent_but_not_signed() -> None:
    signed = [p for p in OAUTH if p[0] != "oauth_version"]
    sig = handmade("GET", URL, signed)
    assert named(header_request("GET", URL, sig)) == ("version-mismatch",)


def test_body_signed_as_params_for_json() -> None:
    body = '{"name": "Ann"}'
    sig = handmade("POST", URL, [*OAUTH, (body, "")])  # parse_qsl(body) gives one odd pair
    request = header_request("POST", URL, sig, body=body, content_type="application/json")
    assert named(request) == ("body-signed-as-params",)


def test_body_hash_mismatch() -> None:
    # The client hashed json.dumps(data), signed, and another layer sent the JSON compact.
    hashed, sent = '{"name": "Ann"}', '{"name":"Ann"}'
    oauth = [*OAUTH, ("oauth_body_hash", b64(hashlib.sha1(hashed.encode()).digest()))]
    sig = handmade("POST", URL, oauth)  # right: the signature covers the claimed hash
    request = header_request(
        "POST", URL, sig, oauth=oauth, body=sent, content_type="application/json"
    )
    assert named(request) == ("body-hash-mismatch",)


def test_key_missing_ampersand_without_token() -> None:
    oauth = [p for p in OAUTH if p[0] != "oauth_token"]
    sig = handmade("GET", URL, oauth, key=CONSUMER_SECRET)  # WooCommerce legacy: no "&"
    request = header_request("GET", URL, sig, oauth=oauth)
    assert named(request, Credentials("ck", CONSUMER_SECRET)) == ("key-missing-ampersand",)


def test_key_missing_ampersand_with_token() -> None:
    sig = handmade("GET", URL, OAUTH, key=CONSUMER_SECRET + TOKEN_SECRET)
    assert named(header_request("GET", URL, sig)) == ("key-missing-ampersand",)


def test_key_not_encoded() -> None:
    consumer, token = "s&cr=t+1", "t/k n"
    sig = handmade("GET", URL, OAUTH, key=f"{consumer}&{token}")
    request = header_request("GET", URL, sig)
    assert named(request, credentials(consumer, token)) == ("key-not-encoded",)


def test_trailing_space_in_secret() -> None:
    sig = handmade("GET", URL, OAUTH, consumer_secret=CONSUMER_SECRET + " ")
    assert named(header_request("GET", URL, sig)) == ("trailing-space-in-secret",)


def test_wrong_hash() -> None:
    sig = handmade("GET", URL, OAUTH, digestmod=hashlib.sha256)  # declares HMAC-SHA1
    assert named(header_request("GET", URL, sig)) == ("wrong-hash",)


def test_hex_digest() -> None:
    sig = handmade("GET", URL, OAUTH, write=lambda digest: digest.hex())
    assert named(header_request("GET", URL, sig)) == ("hex-digest",)


def _with_plus_and_slash(make: Callable[[str], str]) -> tuple[str, str]:
    """A nonce whose correct signature holds both '+' and '/' (bounded search)."""
    for attempt in range(500):
        nonce = f"n{attempt}"
        oauth = [(k, nonce if k == "oauth_nonce" else v) for k, v in OAUTH]
        signature = handmade("GET", URL, oauth)
        if "+" in signature and "/" in signature:
            return nonce, make(nonce)
    raise AssertionError("no nonce in 500 gives a signature with '+' and '/'")


def _oauth(nonce: str) -> Pairs:
    return [(k, nonce if k == "oauth_nonce" else v) for k, v in OAUTH]


def test_urlsafe_base64() -> None:
    def make(nonce: str) -> str:
        return handmade(
            "GET", URL, _oauth(nonce), write=lambda d: base64.urlsafe_b64encode(d).decode()
        )

    nonce, sig = _with_plus_and_slash(make)
    assert named(header_request("GET", URL, sig, oauth=_oauth(nonce))) == ("urlsafe-base64",)


def test_padding_stripped() -> None:
    sig = handmade("GET", URL, OAUTH, write=lambda d: b64(d).rstrip("="))
    assert named(header_request("GET", URL, sig)) == ("padding-stripped",)


def _query_request(nonce: str, written_signature: str) -> HttpRequest:
    query = "&".join(f"{k}={rfc3986(v)}" for k, v in _oauth(nonce))
    return HttpRequest("GET", f"{URL}?{query}&oauth_signature={written_signature}")


def test_signature_not_percent_encoded_in_url() -> None:
    nonce, sig = _with_plus_and_slash(lambda n: handmade("GET", URL, _oauth(n)))
    request = _query_request(nonce, sig)  # pasted raw: "+" will arrive as a space
    assert named(request) == ("signature-not-percent-encoded",)


def test_signature_double_encoded() -> None:
    nonce, sig = _with_plus_and_slash(lambda n: handmade("GET", URL, _oauth(n)))
    request = _query_request(nonce, rfc3986(rfc3986(sig)))
    assert named(request) == ("signature-double-encoded",)


# --- combinations -------------------------------------------------------------------------------


def test_pair_urlencode_and_bare_consumer_secret() -> None:
    oauth = [p for p in OAUTH if p[0] != "oauth_token"]
    params = oauth + QUERY_PARAMS
    sig = handmade(
        "GET",
        URL,
        params,
        normalized=urlencode(sorted(params)),
        encode=lambda s: quote_plus(s, safe=""),
        key=CONSUMER_SECRET,
    )
    request = header_request("GET", QUERY_URL, sig, oauth=oauth)
    assert set(named(request, Credentials("ck", CONSUMER_SECRET))) == {
        "plus-for-space",
        "key-missing-ampersand",
    }


def test_pair_lowercase_method_and_hex_digest() -> None:
    sig = handmade("get", URL, OAUTH, method_text="get", write=lambda d: d.hex())
    assert set(named(header_request("GET", URL, sig))) == {"method-lowercase", "hex-digest"}


def test_pair_the_forum_vba_without_second_encoding_and_port_kept() -> None:
    # The forum URL carried ":80"; its VBA code also leaves "&" and "=" raw in the parameters.
    sent = "http://dminform:80/gallery/api/v1/workflows/"
    sig = handmade(
        "GET",
        "http://dminform:80/gallery/api/v1/workflows/",
        OAUTH,
        param_text=lambda normalized: normalized,
    )
    assert set(named(header_request("GET", sent, sig))) == {
        "params-not-encoded",
        "default-port-kept",
    }


def test_triple_quote_url_sha256_and_no_padding() -> None:
    sig = handmade(
        "GET",
        URL,
        OAUTH,
        uri_text=quote(URL),
        digestmod=hashlib.sha256,
        write=lambda d: b64(d).rstrip("="),
    )
    assert set(named(header_request("GET", URL, sig))) == {
        "uri-slashes-not-encoded",
        "wrong-hash",
        "padding-stripped",
    }


def test_every_catalog_id_has_a_test_here() -> None:
    # Each single-mistake test asserts ``named(...) == ("<id>",)``.
    # The library quirks (issue 10) have theirs in test_library_quirks.py, next to this file.
    here = Path(__file__)
    source = here.read_text(encoding="utf-8")
    source += (here.parent / "test_library_quirks.py").read_text(encoding="utf-8")
    missing = [m.id for m in CATALOG if f'("{m.id}",)' not in source]
    assert missing == []


def test_catalog_ids_are_unique_and_cover_the_issue_table() -> None:
    ids = [m.id for m in CATALOG]
    assert len(ids) == len(set(ids))
    issue_table = {
        "method-lowercase", "method-mismatch", "uri-not-encoded", "uri-slashes-not-encoded",
        "query-in-base-uri", "default-port-kept", "port-dropped", "scheme-mismatch",
        "host-case-kept", "trailing-slash-mismatch", "params-not-encoded", "params-double-encoded",
        "params-unencoded", "params-unsorted", "params-sorted-as-strings", "plus-for-space",
        "lowercase-hex", "reserved-not-encoded", "query-params-omitted", "body-params-omitted",
        "oauth-signature-included", "realm-included", "empty-params-dropped", "version-mismatch",
        "key-missing-ampersand", "key-not-encoded", "hex-digest", "urlsafe-base64",
        "padding-stripped", "wrong-hash", "signature-not-percent-encoded",
        "signature-double-encoded",
    }  # fmt: skip
    assert issue_table <= set(ids)


@pytest.mark.parametrize("mistake", CATALOG, ids=lambda m: m.id)
def test_every_mistake_carries_its_rfc_and_fixes(mistake: object) -> None:
    from oauth_debug.diagnosis.catalog import Mistake

    assert isinstance(mistake, Mistake)
    assert re.fullmatch(r"[\d.]+(, [\d.]+)*", mistake.rfc_section)
    assert mistake.what_you_did and mistake.rfc and mistake.fix_python and mistake.fix_javascript
