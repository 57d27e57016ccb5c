"""No exception other than an OAuthDebugError leaves the public API, whatever the input.

Each bad input the issue lists also has its own test: the specific subclass, the data it carries,
and a message that tells a person what to change.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from oauth_debug import (
    Credentials,
    DuplicateOAuthParameterError,
    FormBodyError,
    HttpRequest,
    InvalidRequestError,
    InvalidURLError,
    MalformedHeaderError,
    MissingKeyError,
    OAuthDebugError,
    SignatureMismatch,
    UnsupportedSignatureMethodError,
    sign_at,
    verify,
)
from oauth_debug.methods import METHODS

FORM = "application/x-www-form-urlencoded"
GARBAGE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- strategies: mostly near-valid, sometimes garbage --------------------------------------------

url_chars = st.sampled_from(list("aZ09-._~:/?#[]@!$&'()*+,;=% \t\né✈\x00\\\"<>{}|^`"))
urls = st.one_of(
    st.text(url_chars, max_size=30),
    st.builds(
        lambda host, path, query: f"https://{host}/{path}{query}",
        st.sampled_from(["example.com", "EXAMPLE.com:8443", "[2001:db8::1]:80"]),
        st.text(url_chars, max_size=10),
        st.text(url_chars, max_size=15).map(lambda q: "?" + q),
    ),
    st.builds(
        lambda scheme, host, port, path, query: f"{scheme}://{host}{port}{path}{query}",
        st.sampled_from(["http", "https", "http", "https", "HTTP", "ftp", "", "h ttp"]),
        st.sampled_from(
            ["example.com", "EXAMPLE.com", "[::1]", "[::1", "", "u:p@h", "h h", "é.com"]
        ),
        st.sampled_from(
            ["", "", "", ":", ":80", ":443", ":65535", ":65536", ":-1", ":x", ":999999"]
        ),
        st.text(url_chars, max_size=10),
        st.text(url_chars, max_size=15).map(lambda q: "?" + q),
    ),
)
header_values = st.one_of(
    st.text(max_size=40),
    st.text(st.sampled_from(list('OAuth realm="=,\\ oauth_nonce%2Zx')), max_size=40),
    st.lists(
        st.tuples(
            st.sampled_from(
                ["realm", "oauth_nonce", "oauth_signature", "oauth_signature_method", "x", ""]
            ),
            st.text(url_chars, max_size=8),
        ),
        max_size=4,
    ).map(lambda pairs: "OAuth " + ", ".join(f'{n}="{v}"' for n, v in pairs)),
)
content_types = st.sampled_from(
    [None, FORM, FORM + "; charset=utf-8", "application/json", "text/plain", "", "form"]
)
bodies = st.one_of(st.none(), st.binary(max_size=20), st.text(url_chars, max_size=20))
methods = st.one_of(st.sampled_from(["GET", "post", "PUT", "HEAD", ""]), st.text(max_size=5))
# Each st.one_of branch is drawn about equally often: valid values get more branches so that a fair
# share of the examples gets through to signing and verification.
signature_methods = st.one_of(
    st.sampled_from(sorted(METHODS)),
    st.sampled_from(["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"]),
    st.sampled_from(["HMAC-SHA1", "HMAC-SHA512", "PLAINTEXT"]),
    st.sampled_from(["hmac-sha1", "RSA", "", " HMAC-SHA1"]),
    st.text(max_size=6),
)
timestamps = st.one_of(
    st.integers(0, 2**40), st.from_regex(r"\A[0-9]{1,10}\Z"), st.text(max_size=6), st.integers()
)
nonces = st.one_of(st.from_regex(r"\A[0-9A-Za-z]{1,12}\Z"), st.just("n"), st.text(max_size=6))


@st.composite
def requests_(draw: st.DrawFn) -> HttpRequest:
    headers: list[tuple[str, str]] = []
    content_type = draw(content_types)
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    if draw(st.booleans()):
        # One line: a header with a line break is refused by HttpRequest itself (tested below).
        value = draw(header_values.filter(lambda v: "\r" not in v and "\n" not in v))
        headers.append(("Authorization", value))
    # The constructor's own garbage handling is tested below; here a request must exist.
    method = draw(methods.filter(lambda m: m.isascii() and m.isalnum()))
    return HttpRequest(method, draw(urls), headers, draw(bodies))


credentials = st.builds(
    Credentials,
    st.text(max_size=8),
    st.text(max_size=8),
    token=st.one_of(st.none(), st.text(max_size=8)),
    token_secret=st.text(max_size=8),
    rsa_key=st.one_of(
        st.none(), st.text(max_size=30), st.just("-----BEGIN PRIVATE KEY-----\nxx\n")
    ),
)


def allowed(call: object, *args: object, **kwargs: object) -> object:
    """Run ``call``; an OAuthDebugError is fine, anything else escapes and fails the test."""
    assert callable(call)
    try:
        return call(*args, **kwargs)
    except OAuthDebugError as error:
        assert str(error), "an error must say what went wrong"
        return error


@GARBAGE
@given(
    request=requests_(),
    keys=credentials,
    timestamp=timestamps,
    nonce=nonces,
    signature_method=signature_methods,
    version=st.one_of(st.none(), st.text(max_size=4)),
    realm=st.one_of(st.none(), st.text(max_size=6)),
    placement=st.sampled_from(["header", "header", "header", "query", "body", "", "cookie"]),
    body_hash=st.sampled_from([None, True, False]),
    callback=st.one_of(st.none(), st.text(max_size=6)),
    verifier=st.one_of(st.none(), st.text(max_size=6)),
)
def test_sign_at_raises_only_oauth_debug_errors(
    request: HttpRequest,
    keys: Credentials,
    timestamp: str | int,
    nonce: str,
    signature_method: str,
    version: str | None,
    realm: str | None,
    placement: str,
    body_hash: bool | None,
    callback: str | None,
    verifier: str | None,
) -> None:
    result = allowed(
        sign_at,
        request,
        keys,
        timestamp=timestamp,
        nonce=nonce,
        signature_method=signature_method,
        version=version,
        realm=realm,
        placement=placement,
        body_hash=body_hash,
        callback=callback,
        verifier=verifier,
    )
    event(type(result).__name__)  # --hypothesis-show-statistics shows how often signing succeeds
    if isinstance(result, OAuthDebugError) or result is None:
        return
    # What we signed, we verify (for the methods that can be checked with these credentials).
    signed = getattr(result, "signed_request", None)
    assert isinstance(signed, HttpRequest)
    outcome = allowed(verify, signed, keys)
    if signature_method in METHODS and not signature_method.startswith("RSA"):
        assert not isinstance(outcome, OAuthDebugError), outcome


@GARBAGE
@given(request=requests_(), keys=credentials)
def test_verify_raises_only_oauth_debug_errors(request: HttpRequest, keys: Credentials) -> None:
    allowed(verify, request, keys)


wrong_types = st.one_of(st.none(), st.integers(), st.binary(max_size=4), st.just(["x"]))


@GARBAGE
@given(
    method=st.one_of(st.text(max_size=4), wrong_types),
    url=st.one_of(urls, wrong_types),
    body=st.one_of(bodies, wrong_types, st.just(bytearray(b"a=1"))),
    key=st.one_of(st.text(max_size=4), wrong_types),
    token=st.one_of(st.text(max_size=4), wrong_types),
    secret=st.one_of(st.text(max_size=4), wrong_types),
)
def test_wrongly_typed_parts_raise_only_oauth_debug_errors(
    method: object, url: object, body: object, key: object, token: object, secret: object
) -> None:
    request = allowed(HttpRequest, method, url, None, body)
    keys = allowed(Credentials, key, secret, token=token, token_secret=secret, rsa_key=secret)
    if isinstance(request, HttpRequest) and isinstance(keys, Credentials):
        allowed(sign_at, request, keys, timestamp="1", nonce="n")
        allowed(verify, request, keys)


@pytest.mark.parametrize(
    ("parts", "named"),
    [
        ((None, "http://h/"), "method must be text, not NoneType"),
        (("GET", b"http://h/"), "url must be text, not bytes"),
        (("GET", "http://h/", None, 5), "body must be bytes, text or None, not int"),
    ],
)
def test_wrongly_typed_request_parts_are_named(parts: tuple[object, ...], named: str) -> None:
    with pytest.raises(InvalidRequestError, match=named):
        HttpRequest(*parts)  # type: ignore[arg-type]


def test_wrongly_typed_consumer_key_is_named() -> None:
    with pytest.raises(InvalidRequestError, match="consumer key must be text"):
        Credentials(None)  # type: ignore[arg-type]


# --- each listed bad input: its subclass and a message that says what to change -------------------


def test_url_without_scheme() -> None:
    with pytest.raises(InvalidURLError, match="has no scheme; write it in full") as caught:
        sign_at(HttpRequest("GET", "api.example.com/x"), Credentials("k"), timestamp="1", nonce="n")
    assert caught.value.component == "scheme"


def test_url_without_host() -> None:
    with pytest.raises(InvalidURLError, match=r"has no host; .*give an absolute URL") as caught:
        sign_at(HttpRequest("GET", "https:///x"), Credentials("k"), timestamp="1", nonce="n")
    assert caught.value.component == "host"


def test_port_out_of_range() -> None:
    with pytest.raises(
        InvalidURLError, match="port that is not a number from 0 to 65535"
    ) as caught:
        sign_at(HttpRequest("GET", "https://h:70000/"), Credentials("k"), timestamp="1", nonce="n")
    assert caught.value.url == "https://h:70000/"


def test_malformed_authorization_header() -> None:
    request = HttpRequest("GET", "http://h/", headers={"Authorization": "OAuth oauth_nonce=abc"})
    with pytest.raises(MalformedHeaderError, match=r'name="percent-encoded value", separated'):
        verify(request, Credentials("k"))


def test_unknown_signature_method() -> None:
    with pytest.raises(UnsupportedSignatureMethodError, match="use one of HMAC-SHA1") as caught:
        sign_at(
            HttpRequest("GET", "http://h/"),
            Credentials("k"),
            timestamp="1",
            nonce="n",
            signature_method="HMAC-MD5",
        )
    assert caught.value.method == "HMAC-MD5"


def test_missing_rsa_key() -> None:
    with pytest.raises(MissingKeyError, match=r"pass Credentials\(..., rsa_key=PEM text\)"):
        sign_at(
            HttpRequest("GET", "http://h/"),
            Credentials("k"),
            timestamp="1",
            nonce="n",
            signature_method="RSA-SHA1",
        )


def test_rsa_key_that_does_not_load() -> None:
    with pytest.raises(MissingKeyError, match="unencrypted PEM private key"):
        sign_at(
            HttpRequest("GET", "http://h/"),
            Credentials("k", rsa_key="not a key"),
            timestamp="1",
            nonce="n",
            signature_method="RSA-SHA256",
        )


def test_undecodable_form_body() -> None:
    request = HttpRequest("POST", "http://h/", headers={"Content-Type": FORM}, body=b"a=%E9")
    with pytest.raises(FormBodyError, match=r"form body does not decode.*UTF-8"):
        sign_at(request, Credentials("k"), timestamp="1", nonce="n")


def test_duplicate_oauth_parameters() -> None:
    request = HttpRequest("GET", "http://h/?oauth_token=a&oauth_token=b")
    with pytest.raises(DuplicateOAuthParameterError, match="may be sent only once") as caught:
        sign_at(request, Credentials("k", token="t"), timestamp="1", nonce="n")
    # The signer's own oauth_token in the header is a third copy.
    assert caught.value.name == "oauth_token"
    assert caught.value.sources == ("query", "query", "oauth")


def test_signature_mismatch_is_an_oauth_debug_error() -> None:
    assert issubclass(SignatureMismatch, OAuthDebugError)


def test_rsa_without_cryptography_names_the_extra(rsa_key: str) -> None:
    # Setting sys.modules["cryptography"] = None makes every import of it fail, as if it were not
    # installed: no mock.patch, and the test's own interpreter is untouched.
    script = textwrap.dedent(
        """
        import sys
        sys.modules["cryptography"] = None
        from oauth_debug import Credentials, HttpRequest, MissingDependencyError, sign_at
        try:
            sign_at(HttpRequest("GET", "http://h/"), Credentials("k", rsa_key=sys.argv[1]),
                    timestamp="1", nonce="n", signature_method="RSA-SHA1")
        except MissingDependencyError as error:
            print(error.extra, error, sep="|")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, rsa_key],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    extra, message = result.stdout.strip().split("|")
    assert extra == "rsa"
    assert "oauth-debug[rsa]" in message
