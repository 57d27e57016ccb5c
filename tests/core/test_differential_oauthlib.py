"""oauth-debug against oauthlib, the reference Python implementation, in both directions.

1. On generated requests, oauthlib's own RFC 5849 functions, fed the request we signed, compute the
   same base string and signature (HMAC-SHA1/256/512, PLAINTEXT). oauthlib's RSA functions need
   PyJWT, which is not among the test dependencies: RSA is checked against `cryptography` directly
   in test_signer.py and test_verify.py, and its base string is the same as for any method.
2. oauthlib's server-side SignatureOnlyEndpoint accepts requests signed here.
3. Our verify accepts requests signed by requests-oauthlib (header, query and body signature types).
Each known divergence is pinned in a test of its own that says why.
"""

from __future__ import annotations

import string
from types import SimpleNamespace
from urllib.parse import quote

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from oauthlib.oauth1 import (
    SIGNATURE_TYPE_AUTH_HEADER,
    SIGNATURE_TYPE_BODY,
    SIGNATURE_TYPE_QUERY,
    Client,
    RequestValidator,
    SignatureOnlyEndpoint,
)
from oauthlib.oauth1.rfc5849 import signature as oauthlib_signature
from requests_oauthlib import OAuth1

from oauth_debug import Credentials, HttpRequest, sign_at, verify
from oauth_debug.encoding import percent_encode

FORM = "application/x-www-form-urlencoded"
DIFF = settings(max_examples=40, deadline=None)
# oauthlib's endpoint insists on a 10-digit timestamp and (by default) one within 600 s of now;
# the validator below lifts the window, so a fixed 10-digit value keeps the tests clock-free.
TIMESTAMP = "1700000000"
# ... and on a nonce of 20 to 30 "safe" characters.
NONCE = "abcdefghijklmnopqrstuvwx"

# Text oauthlib accepts: its query/body decoder rejects characters outside RFC 3986 (see
# test_divergence_raw_unsafe_characters_in_a_query), so generated values are percent-encoded.
texts = st.text(max_size=10)
# oauth_* names are protocol parameters; one the signer adds too would be a refused duplicate.
names = st.text(min_size=1, max_size=6).filter(lambda name: not name.startswith("oauth_"))
safe_keys = st.text(string.ascii_letters + string.digits, min_size=20, max_size=30)


@st.composite
def requests_(draw: st.DrawFn) -> HttpRequest:
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE"]))
    scheme = draw(st.sampled_from(["http", "https"]))
    host = draw(st.sampled_from(["example.com", "Example.COM:8080", "h:443", "h:80", "[::1]:8443"]))
    path = "/".join(percent_encode(p) for p in draw(st.lists(texts, max_size=3)))
    pairs = draw(st.lists(st.tuples(names, texts), max_size=4))
    encoder = draw(
        st.sampled_from([percent_encode, lambda v: quote(v, safe="").replace("%20", "+")])
    )
    query = "&".join(f"{encoder(n)}={encoder(v)}" for n, v in pairs if not n.startswith("oauth_"))
    url = f"{scheme}://{host}/{path}" + (f"?{query}" if query else "")
    if method != "GET" and draw(st.booleans()):
        body_pairs = draw(st.lists(st.tuples(names, texts), max_size=3))
        body = "&".join(
            f"{encoder(n)}={encoder(v)}" for n, v in body_pairs if not n.startswith("oauth_")
        )
        return HttpRequest(method, url, {"Content-Type": FORM}, body)
    return HttpRequest(method, url)


def oauthlib_base_string(request: HttpRequest) -> str:
    """oauthlib's RFC 5849 3.4.1 functions over a signed request (header placement)."""
    body = (request.body or b"").decode() if request.is_form else None
    params = oauthlib_signature.collect_parameters(
        uri_query=request.url.partition("?")[2],
        body=body,
        headers=dict(request.headers),
        exclude_oauth_signature=True,
        with_realm=False,
    )
    normalized = oauthlib_signature.normalize_parameters(params)
    uri = oauthlib_signature.base_string_uri(request.url)
    return oauthlib_signature.signature_base_string(request.method, uri, normalized)


def oauthlib_signs(base: str, method: str, secret: str, token_secret: str) -> str:
    # The *_with_client functions read only these two attributes of the client.
    client = SimpleNamespace(client_secret=secret, resource_owner_secret=token_secret)
    functions = {
        "HMAC-SHA1": oauthlib_signature.sign_hmac_sha1_with_client,
        "HMAC-SHA256": oauthlib_signature.sign_hmac_sha256_with_client,
        "HMAC-SHA512": oauthlib_signature.sign_hmac_sha512_with_client,
        "PLAINTEXT": oauthlib_signature.sign_plaintext_with_client,
    }
    return functions[method](base, client)  # type: ignore[no-any-return]


@given(
    request=requests_(),
    secret=texts,
    token=st.one_of(st.none(), safe_keys),
    token_secret=texts,
    method=st.sampled_from(["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"]),
    realm=st.one_of(st.none(), st.sampled_from(["Example", "http://sp.example.com/"])),
)
@DIFF
def test_same_base_string_and_signature_as_oauthlib(
    request: HttpRequest,
    secret: str,
    token: str | None,
    token_secret: str,
    method: str,
    realm: str | None,
) -> None:
    keys = Credentials("ck", secret, token=token, token_secret=token_secret)
    trace = sign_at(
        request, keys, timestamp=TIMESTAMP, nonce=NONCE, signature_method=method, realm=realm
    )
    assert trace.signed_request is not None
    assert oauthlib_base_string(trace.signed_request) == trace.base_string
    assert oauthlib_signs(trace.base_string, method, secret, token_secret) == trace.signature


def test_oauthlib_client_sign_gives_the_same_header_signature(rfc_request: HttpRequest) -> None:
    # The RFC 3.4.1 request through oauthlib's Client with fixed timestamp and nonce (it always
    # sends oauth_version=1.0, so we do too).
    client = Client(
        "9djdj82h48djs9d2",
        client_secret="j49sk3j29djd",
        resource_owner_key="kkk9d7dh3k39sjv7",
        resource_owner_secret="dh893hdasih9",
        timestamp="137131201",
        nonce="7d8f3e4a",
        realm="Example",
    )
    _, headers, _ = client.sign(rfc_request.url, "POST", "c2&a3=2+q", {"Content-Type": FORM})
    trace = sign_at(
        rfc_request,
        Credentials(
            "9djdj82h48djs9d2",
            "j49sk3j29djd",
            token="kkk9d7dh3k39sjv7",
            token_secret="dh893hdasih9",
        ),
        timestamp="137131201",
        nonce="7d8f3e4a",
        realm="Example",
    )
    assert f'oauth_signature="{trace.transport_signature}"' in headers["Authorization"]


# --- oauthlib's server verifies what we sign ---------------------------------------------------


class AcceptingValidator(RequestValidator):  # type: ignore[misc]
    """Knows one client and one token; accepts every nonce and any 10-digit timestamp."""

    def __init__(self, keys: Credentials, rsa_public: str | None = None) -> None:
        super().__init__()
        self.keys = keys
        self.rsa_public = rsa_public

    enforce_ssl = False  # the generated URLs use http as well
    timestamp_lifetime = 10**10
    allowed_signature_methods = (
        "HMAC-SHA1",
        "HMAC-SHA256",
        "HMAC-SHA512",
        "RSA-SHA1",
        "RSA-SHA256",
        "RSA-SHA512",
        "PLAINTEXT",
    )

    def check_client_key(self, client_key: str) -> bool:
        return True

    def check_access_token(self, token: str) -> bool:
        return True

    def validate_client_key(self, client_key: str, request: object) -> bool:
        return client_key == self.keys.consumer_key

    def validate_timestamp_and_nonce(self, *args: object, **kwargs: object) -> bool:
        return True

    def get_client_secret(self, client_key: str, request: object) -> str:
        return self.keys.consumer_secret.reveal()

    def get_access_token_secret(self, client_key: str, token: str, request: object) -> str:
        return self.keys.token_secret.reveal()

    def get_rsa_key(self, client_key: str, request: object) -> str:
        assert self.rsa_public is not None
        return self.rsa_public


def _unreserved(text: str) -> str:
    return "".join(char for char in text if percent_encode(char) == char)


def oauthlib_accepts(request: HttpRequest, validator: AcceptingValidator) -> bool:
    endpoint = SignatureOnlyEndpoint(validator)
    valid, _ = endpoint.validate_request(
        request.url,
        request.method,
        (request.body or b"").decode() or None,
        dict(request.headers),
    )
    return bool(valid)


@given(
    request=requests_(),
    secret=texts,
    token=st.one_of(st.none(), safe_keys),
    token_secret=texts,
    method=st.sampled_from(["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"]),
    placement=st.sampled_from(["header", "query", "body"]),
)
@DIFF
def test_oauthlib_endpoint_accepts_our_signed_requests(
    request: HttpRequest,
    secret: str,
    token: str | None,
    token_secret: str,
    method: str,
    placement: str,
) -> None:
    if placement == "body" and request.method == "GET":
        placement = "query"
    token_secret = token_secret if token is not None else ""  # see test_divergence_token_secret...
    if method == "PLAINTEXT" and placement != "header":
        # oauthlib decodes a PLAINTEXT signature from the query or body twice: see
        # test_divergence_plaintext_signature_decoded_twice.
        secret, token_secret = _unreserved(secret), _unreserved(token_secret)
    keys = Credentials("ck", secret, token=token, token_secret=token_secret)
    trace = sign_at(
        request,
        keys,
        timestamp=TIMESTAMP,
        nonce=NONCE,
        signature_method=method,
        placement=placement,
    )
    assert trace.signed_request is not None
    assert oauthlib_accepts(trace.signed_request, AcceptingValidator(keys))
    # ... and rejects them once the secret is wrong, so the acceptance above means something.
    wrong = Credentials("ck", secret + "x", token=token, token_secret=token_secret)
    assert not oauthlib_accepts(trace.signed_request, AcceptingValidator(wrong))


# --- our verify accepts what requests-oauthlib signs -------------------------------------------


@given(
    request=requests_(),
    secret=texts,
    token=st.one_of(st.none(), safe_keys),
    token_secret=texts,
    method=st.sampled_from(["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"]),
    signature_type=st.sampled_from(
        [SIGNATURE_TYPE_AUTH_HEADER, SIGNATURE_TYPE_QUERY, SIGNATURE_TYPE_BODY]
    ),
)
@DIFF
def test_verify_accepts_requests_oauthlib_signatures(
    request: HttpRequest,
    secret: str,
    token: str | None,
    token_secret: str,
    method: str,
    signature_type: str,
) -> None:
    token_secret = token_secret if token is not None else ""  # see test_divergence_token_secret...
    if signature_type == SIGNATURE_TYPE_BODY and not request.is_form:
        signature_type = SIGNATURE_TYPE_AUTH_HEADER  # requests-oauthlib signs only form bodies
    auth = OAuth1(
        "ck",
        client_secret=secret,
        resource_owner_key=token,
        resource_owner_secret=token_secret,
        signature_method=method,
        signature_type=signature_type,
        timestamp=TIMESTAMP,
        nonce=NONCE,
    )
    prepared = auth(
        requests.Request(
            request.method, request.url, headers=dict(request.headers), data=request.body
        ).prepare()
    )
    body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
    received = HttpRequest(prepared.method or "", prepared.url or "", dict(prepared.headers), body)
    keys = Credentials("ck", secret, token=token, token_secret=token_secret)
    trace = verify(received, keys)
    assert trace.signature_method == method


# --- known divergences, each pinned with its reason ---------------------------------------------


def test_divergence_token_secret_without_a_token() -> None:
    """A token secret given without a token: we (and oauthlib's Client) put it into the key
    (3.4.2 joins whatever token secret there is); oauthlib's server looks the token secret up only
    when the request carries oauth_token, so it computes the key "cs&" and rejects the request."""
    keys = Credentials("ck", "cs", token=None, token_secret="ts")
    trace = sign_at(HttpRequest("GET", "http://h/"), keys, timestamp=TIMESTAMP, nonce=NONCE)
    assert trace.signing_key.reveal() == "cs&ts"
    assert trace.signed_request is not None
    assert oauthlib_base_string(trace.signed_request) == trace.base_string
    assert oauthlib_signs(trace.base_string, "HMAC-SHA1", "cs", "ts") == trace.signature
    assert not oauthlib_accepts(trace.signed_request, AcceptingValidator(keys))


@pytest.mark.parametrize("placement", ["query", "body"])
def test_divergence_plaintext_signature_decoded_twice(placement: str) -> None:
    """oauthlib's server percent-decodes oauth_* values from the query and the form body twice
    (oauthlib issue #695). A PLAINTEXT signature is the encoded key, so a secret with any character
    that needs encoding (here ":" -> "%3A") arrives as ":&" instead of "%3A&" and is rejected,
    although the request is right by RFC 5849 3.4.4 and 3.5. The header placement is unaffected."""
    keys = Credentials("ck", ":")
    request = HttpRequest("POST", "http://h/")
    results = {}
    for where in ("header", placement):
        trace = sign_at(
            request,
            keys,
            timestamp=TIMESTAMP,
            nonce=NONCE,
            signature_method="PLAINTEXT",
            placement=where,
        )
        assert trace.signed_request is not None
        assert verify(trace.signed_request, keys).signature == "%3A&"
        results[where] = oauthlib_accepts(trace.signed_request, AcceptingValidator(keys))
    assert results == {"header": True, placement: False}


def test_divergence_raw_unsafe_characters_in_a_query() -> None:
    """oauthlib refuses to decode a query holding characters outside its URL-safe set (a raw "["
    as PHP-style array parameters write it) and raises ValueError. Browsers and curl send such
    URLs as they are, so we decode the "[" as itself (it is not a percent-escape) and sign; the
    base string then holds it encoded, exactly as if the client had written %5B."""
    url = "http://h/?ids[]=1&ids[]=2"
    with pytest.raises(ValueError, match="invalid characters"):
        Client("ck", timestamp=TIMESTAMP, nonce=NONCE).sign(url)
    raw = sign_at(HttpRequest("GET", url), Credentials("ck"), timestamp=TIMESTAMP, nonce=NONCE)
    encoded = sign_at(
        HttpRequest("GET", "http://h/?ids%5B%5D=1&ids%5B%5D=2"),
        Credentials("ck"),
        timestamp=TIMESTAMP,
        nonce=NONCE,
    )
    assert raw.normalized_parameters.startswith("ids%5B%5D=1&ids%5B%5D=2&")
    assert raw.signature == encoded.signature
