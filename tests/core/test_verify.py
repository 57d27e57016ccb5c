"""verify: recompute the signature of a request as received, in every placement and method."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import signed_request

from oauth_debug import (
    BodyHashMismatch,
    Credentials,
    HttpRequest,
    MissingKeyError,
    MissingParameterError,
    SignatureMismatch,
    UnsupportedSignatureMethodError,
    sign_at,
    verify,
)

FORM = "application/x-www-form-urlencoded"
HMAC_METHODS = ["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"]
RSA_METHODS = ["RSA-SHA1", "RSA-SHA256", "RSA-SHA512"]
KEYS = Credentials("ck", "cs", token="tk", token_secret="ts")


def signed(request: HttpRequest, credentials: Credentials = KEYS, **options: str) -> HttpRequest:
    return signed_request(request, credentials, timestamp="1318622958", nonce="abc123", **options)


def test_rfc_3_4_1_request_as_received(
    rfc_request: HttpRequest, rfc_credentials: Credentials
) -> None:
    # The request of RFC 5849 3.1 as a server receives it, with the errata 2550 signature.
    received = rfc_request.with_header(
        "Authorization",
        'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", '
        'oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", '
        'oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", '
        'oauth_signature="r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D"',
    )
    trace = verify(received, rfc_credentials)
    assert trace.signature == "r6/TJjbCOr97/+UU0NsvSne7s5g="
    assert trace.realm == "Example"
    assert trace.placement == "header"


def test_rfc_printed_signature_is_rejected(
    rfc_request: HttpRequest, rfc_credentials: Credentials
) -> None:
    # The value RFC 5849 prints (before errata 2550) does not match its own request.
    received = rfc_request.with_header(
        "Authorization",
        'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", '
        'oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", '
        'oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", '
        'oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"',
    )
    with pytest.raises(SignatureMismatch) as caught:
        verify(received, rfc_credentials)
    assert caught.value.claimed.reveal() == "bYT5CMsGcbgUdFHObYMEfcx6bsw="
    assert caught.value.expected == "r6/TJjbCOr97/+UU0NsvSne7s5g="
    assert caught.value.trace.base_string_uri == "http://example.com/request"
    # Neither signature is quoted in the message (replayable in the timestamp window): the
    # error carries them, the claimed one as a Secret.
    assert "bYT5CMsGcbgUdFHObYMEfcx6bsw=" not in str(caught.value)
    assert "r6/TJjbCOr97/+UU0NsvSne7s5g=" not in str(caught.value)
    assert "HMAC-SHA1 signature the request claims is not the one computed" in str(caught.value)


@pytest.mark.parametrize("method", HMAC_METHODS)
@pytest.mark.parametrize("placement", ["header", "query", "body"])
def test_signed_requests_verify_in_every_placement(
    rfc_request: HttpRequest, method: str, placement: str
) -> None:
    request = signed(rfc_request, signature_method=method, placement=placement)
    trace = verify(request, KEYS)
    assert trace.placement == placement
    assert trace.signature_method == method
    assert (
        trace.base_string
        == sign_at(
            rfc_request, KEYS, timestamp="1318622958", nonce="abc123", signature_method=method
        ).base_string
    )


@pytest.mark.parametrize("method", RSA_METHODS)
def test_rsa_signatures_verify_with_private_public_or_certificate(
    rsa_key: str, method: str
) -> None:
    from cryptography.hazmat.primitives import serialization

    private = serialization.load_pem_private_key(rsa_key.encode(), password=None)
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    request = signed(
        HttpRequest("GET", "http://h/p?a=1"),
        Credentials("ck", rsa_key=rsa_key),
        signature_method=method,
    )
    for key in (rsa_key, public_pem):
        trace = verify(request, Credentials("ck", rsa_key=key))
        assert trace.signature_method == method
        assert len(trace.digest) == 128


def test_rsa_signature_of_another_request_is_a_mismatch(rsa_key: str) -> None:
    request = signed(
        HttpRequest("GET", "http://h/p?a=1"),
        Credentials("ck", rsa_key=rsa_key),
        signature_method="RSA-SHA1",
    )
    tampered = request.replace(url="http://h/p?a=2")
    with pytest.raises(SignatureMismatch, match="does not verify") as caught:
        verify(tampered, Credentials("ck", rsa_key=rsa_key))
    assert caught.value.trace.base_string.startswith("GET&http%3A%2F%2Fh%2Fp&a%3D2%26")
    assert caught.value.claimed.reveal()


def test_rsa_signature_that_is_not_base64_is_a_mismatch(rsa_key: str) -> None:
    request = HttpRequest(
        "GET",
        "http://h/?oauth_consumer_key=ck&oauth_signature_method=RSA-SHA1&oauth_signature=%21%21",
    )
    with pytest.raises(SignatureMismatch) as caught:
        verify(request, Credentials("ck", rsa_key=rsa_key))
    assert caught.value.claimed.reveal() == "!!"


def test_rsa_verify_without_a_key_is_a_missing_key_error(rsa_key: str) -> None:
    request = signed(
        HttpRequest("GET", "http://h/"),
        Credentials("ck", rsa_key=rsa_key),
        signature_method="RSA-SHA1",
    )
    with pytest.raises(MissingKeyError, match="rsa_key"):
        verify(request, Credentials("ck"))


def test_wrong_secret_is_a_mismatch_carrying_both_signatures(rfc_request: HttpRequest) -> None:
    request = signed(rfc_request)
    with pytest.raises(SignatureMismatch) as caught:
        verify(request, Credentials("ck", "cs", token="tk", token_secret="wrong"))
    mismatch = caught.value
    assert (
        mismatch.claimed.reveal()
        == sign_at(rfc_request, KEYS, timestamp="1318622958", nonce="abc123").signature
    )
    assert mismatch.expected == mismatch.trace.signature != mismatch.claimed.reveal()
    assert mismatch.trace.signing_key.reveal() == "cs&wrong"
    assert "wrong" not in str(mismatch)


def test_plaintext_mismatch_message_reveals_no_secret() -> None:
    request = signed(HttpRequest("GET", "http://h/"), signature_method="PLAINTEXT")
    with pytest.raises(SignatureMismatch) as caught:
        verify(request, Credentials("ck", "other-secret", token="tk", token_secret="ts"))
    assert "cs&ts" not in str(caught.value)
    assert "other-secret" not in str(caught.value)
    assert caught.value.claimed.reveal() == "cs&ts"


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.replace(method="PUT"),
        lambda r: r.replace(url=r.url.replace("example.com", "example.org")),
        lambda r: r.replace(url=r.url.replace("a3=a", "a3=b")),
        lambda r: r.replace(body=b"c2&a3=2+r"),
        lambda r: r.replace(url=r.url.replace("http:", "https:")),
    ],
    ids=["method", "host", "query value", "form body", "scheme"],
)
def test_any_change_to_the_signed_request_fails(
    rfc_request: HttpRequest, change: Callable[[HttpRequest], HttpRequest]
) -> None:
    request = signed(rfc_request)
    with pytest.raises(SignatureMismatch):
        verify(change(request), KEYS)


def test_a_signature_sent_unencoded_in_the_query_fails() -> None:
    # A "+" in the signature arrives as a space when it is not percent-encoded (pitfalls.md, 5).
    for nonce in (f"n{i}" for i in range(40)):
        trace = sign_at(
            HttpRequest("GET", "http://h/"), KEYS, timestamp="1", nonce=nonce, placement="query"
        )
        if "+" in trace.signature:
            break
    else:
        pytest.fail("no signature with '+' among 40 nonces")
    assert trace.signed_url is not None
    raw = trace.signed_url.replace(trace.transport_signature, trace.signature)
    with pytest.raises(SignatureMismatch) as caught:
        verify(HttpRequest("GET", raw), KEYS)
    assert " " in caught.value.claimed.reveal()


def test_missing_signature_is_a_missing_parameter_error() -> None:
    request = HttpRequest(
        "GET", "http://h/", headers={"Authorization": 'OAuth oauth_signature_method="HMAC-SHA1"'}
    )
    with pytest.raises(MissingParameterError, match="no oauth_signature;") as caught:
        verify(request, KEYS)
    assert caught.value.name == "oauth_signature"


def test_request_without_any_oauth_parameters_is_a_missing_parameter_error() -> None:
    with pytest.raises(MissingParameterError):
        verify(HttpRequest("GET", "http://h/?a=1"), KEYS)


def test_missing_signature_method_is_a_missing_parameter_error() -> None:
    request = HttpRequest(
        "GET", "http://h/", headers={"Authorization": 'OAuth oauth_signature="x"'}
    )
    with pytest.raises(MissingParameterError) as caught:
        verify(request, KEYS)
    assert caught.value.name == "oauth_signature_method"


def test_unknown_claimed_method_is_an_error() -> None:
    request = HttpRequest(
        "GET",
        "http://h/",
        headers={"Authorization": 'OAuth oauth_signature_method="hmac-sha1", oauth_signature="x"'},
    )
    with pytest.raises(UnsupportedSignatureMethodError, match="did you mean 'HMAC-SHA1'"):
        verify(request, KEYS)


def test_realm_is_read_back_but_not_signed(rfc_request: HttpRequest) -> None:
    request = signed(rfc_request, realm="Photos")
    trace = verify(request, KEYS)
    assert trace.realm == "Photos"
    assert all(p.name != "realm" for p in trace.parameters)


def test_changed_json_body_is_a_body_hash_mismatch() -> None:
    request = HttpRequest(
        "POST", "http://h/", headers={"Content-Type": "application/json"}, body="{}"
    )
    sent = signed(request)
    with pytest.raises(BodyHashMismatch, match="not the one it was signed with") as caught:
        verify(sent.replace(body='{"a": 1}'), KEYS)
    # Body hash draft; the digests are SHA-1 of "{}" and of the changed body.
    assert caught.value.claimed_hash == "vyGp6PvFo4RvsFtPoIWeCReyIC8="
    assert caught.value.body_hash != caught.value.claimed_hash
    assert isinstance(caught.value, SignatureMismatch)
    assert verify(sent, KEYS).signature == caught.value.claimed.reveal()


def test_body_hash_is_checked_for_rsa_too(rsa_key: str) -> None:
    request = HttpRequest("PUT", "http://h/", headers={"Content-Type": "text/plain"}, body="a")
    keys = Credentials("ck", rsa_key=rsa_key)
    sent = signed(request, keys, signature_method="RSA-SHA256")
    with pytest.raises(BodyHashMismatch):
        verify(sent.replace(body="b"), keys)
