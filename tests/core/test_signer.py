"""The signer against every published vector, and the options of sign_at and Signer.

Sources of the expected values are named per test; all are listed in research/vectors.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
from dataclasses import replace

import pytest

from oauth_debug import (
    RFC,
    Credentials,
    HttpRequest,
    InvalidOptionError,
    Secret,
    Signer,
    sign_at,
    verify,
)
from oauth_debug.methods import hmac_digest
from oauth_debug.params import parse_authorization
from oauth_debug.signer import compute, place, signing_key

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def oauth_header(request: HttpRequest | None) -> dict[str, str]:
    assert request is not None
    header = request.header("Authorization")
    assert header is not None
    return dict(parse_authorization(header))


# --- RFC 5849 3.4.1 -------------------------------------------------------------------------


def test_rfc_3_4_1_every_intermediate(
    rfc_request: HttpRequest, rfc_credentials: Credentials
) -> None:
    trace = sign_at(
        rfc_request,
        rfc_credentials,
        timestamp="137131201",
        nonce="7d8f3e4a",
        version=None,
        realm="Example",
    )
    assert trace.normalized_parameters == (
        "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2"
        "&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201"
        "&oauth_token=kkk9d7dh3k39sjv7"
    )
    assert trace.base_string_uri == "http://example.com/request"
    assert trace.base_string == (
        "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D"
        "%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce"
        "%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26"
        "oauth_token%3Dkkk9d7dh3k39sjv7"
    )
    assert trace.signing_key.reveal() == "j49sk3j29djd&dh893hdasih9"
    # RFC errata 2550: the RFC's printed bYT5CMsGcbgUdFHObYMEfcx6bsw= does not reproduce.
    assert trace.signature == "r6/TJjbCOr97/+UU0NsvSne7s5g="
    assert trace.transport_signature == "r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D"
    assert base64.b64encode(trace.digest).decode() == trace.signature
    assert trace.digest_hex == trace.digest.hex()
    assert trace.authorization_header == (
        'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", '
        'oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", '
        'oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", '
        'oauth_signature="r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D"'
    )
    assert trace.request == rfc_request
    assert trace.oauth_parameters[-1] == ("oauth_signature", trace.signature)
    assert trace.realm == "Example"
    assert trace.recipe is RFC


# Source: oauthlib's signature tests, the same base string under other keys (research/vectors.md).
OAUTHLIB_KEYS = Credentials(
    "9djdj82h48djs9d2",
    "ECrDNoq1VYzzzzzzzzzyAK7TwZNtPnkqatqZZZZ",
    token="kkk9d7dh3k39sjv7",
    token_secret="just-a-string    asdasd",
)


@pytest.mark.parametrize(
    ("method", "signature"),
    [
        ("HMAC-SHA1", "wsdNmjGB7lvis0UJuPAmjvX/PXw="),
        ("HMAC-SHA256", "wdfdHUKXHbOnOGZP8WFAWMSAmWzN3EVBWWgXGlC/Eo4="),
        (
            "HMAC-SHA512",
            "u/vlyZFDxOWOZ9UUXwRBJHvq8/T4jCA74ocRmn2ECnjUBTAeJiZIRU8hDTjS88Tz1fGONffMpdZxUkUTW3k1kg==",
        ),
        ("PLAINTEXT", "ECrDNoq1VYzzzzzzzzzyAK7TwZNtPnkqatqZZZZ&just-a-string%20%20%20%20asdasd"),
    ],
)
def test_oauthlib_vectors_over_the_rfc_base_string(
    rfc_request: HttpRequest, method: str, signature: str
) -> None:
    # oauthlib signs the RFC base string with HMAC-SHA1 as the declared method for every digest:
    # we get the same base string by replaying the recipe's hash over the HMAC-SHA1 pipeline.
    if method.startswith("HMAC"):
        recipe = replace(RFC, hash_name=method.split("-")[1].lower())
        request = place(
            rfc_request,
            [
                ("oauth_consumer_key", "9djdj82h48djs9d2"),
                ("oauth_token", "kkk9d7dh3k39sjv7"),
                ("oauth_signature_method", "HMAC-SHA1"),
                ("oauth_timestamp", "137131201"),
                ("oauth_nonce", "7d8f3e4a"),
            ],
            "header",
            "Example",
        )
        trace = compute(request, OAUTHLIB_KEYS, "HMAC-SHA1", recipe)
    else:
        trace = sign_at(
            rfc_request,
            OAUTHLIB_KEYS,
            timestamp="137131201",
            nonce="7d8f3e4a",
            signature_method=method,
        )
    assert trace.signature == signature


# --- RFC 5849 1.2: the three requests of the printing-service story -------------------------

PHOTOS = Credentials("dpf43f3p2l4k3l03", "kd94hf93k423kf44")


def test_rfc_1_2_temporary_credentials() -> None:
    trace = sign_at(
        HttpRequest("POST", "https://photos.example.net/initiate"),
        PHOTOS,
        timestamp=137131200,
        nonce="wIjqoS",
        version=None,
        realm="Photos",
        callback="http://printer.example.com/ready",
    )
    assert trace.base_string == (
        "POST&https%3A%2F%2Fphotos.example.net%2Finitiate&oauth_callback%3Dhttp%253A%252F%252F"
        "printer.example.com%252Fready%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D"
        "wIjqoS%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131200"
    )
    assert trace.signing_key.reveal() == "kd94hf93k423kf44&"
    assert trace.signature == "74KNZJeDHnMBp0EMJ9ZHt/XKycU="


def test_rfc_1_2_the_scheme_is_signed() -> None:
    # research/vectors.md: request 1 over http gives another signature.
    trace = sign_at(
        HttpRequest("POST", "http://photos.example.net/initiate"),
        PHOTOS,
        timestamp=137131200,
        nonce="wIjqoS",
        version=None,
        realm="Photos",
        callback="http://printer.example.com/ready",
    )
    assert trace.signature == "mIPx9sQqO97OuihOwUEyB7c4/GI="


def test_rfc_1_2_token_credentials() -> None:
    trace = sign_at(
        HttpRequest("POST", "https://photos.example.net/token"),
        Credentials(
            "dpf43f3p2l4k3l03",
            "kd94hf93k423kf44",
            token="hh5s93j4hdidpola",
            token_secret="hdhd0244k9j7ao03",
        ),
        timestamp="137131201",
        nonce="walatlh",
        version=None,
        realm="Photos",
        verifier="hfdp7dh39dks9884",
    )
    assert trace.signing_key.reveal() == "kd94hf93k423kf44&hdhd0244k9j7ao03"
    assert trace.signature == "gKgrFCywp7rO0OXSjdot/IHF7IU="
    assert oauth_header(trace.signed_request)["oauth_verifier"] == "hfdp7dh39dks9884"


PHOTOS_TOKEN = Credentials(
    "dpf43f3p2l4k3l03",
    "kd94hf93k423kf44",
    token="nnch734d00sl2jdk",
    token_secret="pfkkdhi9sl3r4s00",
)
PHOTOS_GET = HttpRequest("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original")


def test_rfc_1_2_protected_resource() -> None:
    trace = sign_at(
        PHOTOS_GET,
        PHOTOS_TOKEN,
        timestamp="137131202",
        nonce="chapoH",
        version=None,
        realm="Photos",
    )
    assert trace.signature == "MdpQcU8iPSUjWoN/UDMsK2sui9I="


def test_oauth_core_1_0_appendix_a5() -> None:
    trace = sign_at(PHOTOS_GET, PHOTOS_TOKEN, timestamp="1191242096", nonce="kllo9940pd9333jh")
    assert trace.base_string == (
        "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key"
        "%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3D"
        "HMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26"
        "oauth_version%3D1.0%26size%3Doriginal"
    )
    assert trace.signature == "tR3+Ty81lMeYAr/Fid0kMTYa/WM="


def test_rfc_2_1_plaintext() -> None:
    trace = sign_at(
        HttpRequest("POST", "https://photos.example.net/initiate"),
        Credentials("jd83jd92dhsh93js", "ja893SD9"),
        timestamp="1",
        nonce="n",
        signature_method="PLAINTEXT",
    )
    assert trace.signature == "ja893SD9&"
    assert 'oauth_signature="ja893SD9%26"' in (trace.authorization_header or "")
    assert trace.digest == b"ja893SD9&"


@pytest.mark.parametrize(
    ("version", "signature"),
    [("1", "tnnArxj06cWHq44gCs1OSKk/jLY="), ("1.1", "hCtSmYh+iHYCEqBWrE7C7hYmtUk=")],
)
def test_twitter_guide(version: str, signature: str) -> None:
    # Twitter "Creating a signature" guide; copies of it mix the two API versions' URLs.
    trace = sign_at(
        HttpRequest(
            "POST",
            f"https://api.twitter.com/{version}/statuses/update.json?include_entities=true",
            headers={"Content-Type": FORM},
            body="status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21",
        ),
        Credentials(
            "xvz1evFS4wEEPTGEFPHBog",
            "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
            token_secret="LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
        ),
        timestamp="1318622958",
        nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
    )
    assert trace.normalized_parameters.endswith(
        "&status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"
    )
    assert trace.signature == signature


def test_wiki_base_strings_with_and_without_path() -> None:
    # oauth.net wiki TestCases: both give GET&http%3A%2F%2Fexample.com%2F&n%3Dv (params only).
    for url in ("http://example.com/?n=v", "http://example.com?n=v"):
        trace = sign_at(HttpRequest("GET", url), Credentials("k"), timestamp="1", nonce="n")
        assert trace.base_string.startswith("GET&http%3A%2F%2Fexample.com%2F&n%3Dv%26oauth_")


@pytest.mark.parametrize(
    ("key", "signature"),
    [("cs&", "egQqG5AJep5sJ7anhXju1unge2I="), ("cs&ts", "VZVjXceV7JgPq/dOTnNmEfO0Fv8=")],
)
def test_wiki_hmac_sha1(key: str, signature: str) -> None:
    # oauth.net wiki TestCases: HMAC-SHA1 over the text "bs".
    assert base64.b64encode(hmac_digest("sha1", key, "bs")).decode() == signature


# --- 3.4.2 / 3.4.3 the key and the RSA method ------------------------------------------------


@pytest.mark.parametrize(
    ("consumer", "token", "key"),
    [
        ("cs", "", "cs&"),
        ("", "", "&"),
        ("", "ts", "&ts"),
        ("c s&", "t=s+", "c%20s%26&t%3Ds%2B"),
        ("é", "✈", "%C3%A9&%E2%9C%88"),
    ],
)
def test_signing_key_always_has_the_ampersand_and_encodes_both_secrets(
    consumer: str, token: str, key: str
) -> None:
    assert signing_key(Credentials("k", consumer, token_secret=token)).reveal() == key


WIKI_RSA_SIGNATURE = (
    "jvTp/wX1TYtByB1m+Pbyo0lnCOLIsyGCH7wke8AUs3BpnwZJtAuEJkvQL2/9n4s5wUmUl4aCI4BwpraNx4RtEXMe5qg5T1LV"
    "TGliMRpKasKsW//e+RinhejgCuzoH26dyF8iY2ZZ/5D1ilgeijhV/vBka5twt399mXwaYdCwFYE="
)


def test_wiki_rsa_sha1(rsa_key: str) -> None:
    # oauth.net wiki TestCases, RSA-SHA1 (note the deliberate typo "vacaction").
    trace = sign_at(
        HttpRequest("GET", "http://photos.example.net/photos?file=vacaction.jpg&size=original"),
        Credentials("dpf43f3p2l4k3l03", rsa_key=rsa_key),
        timestamp="1196666512",
        nonce="13917289812797014437",
        signature_method="RSA-SHA1",
    )
    assert trace.base_string == (
        "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacaction.jpg%26oauth_consumer_key"
        "%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D13917289812797014437%26oauth_signature_method%3D"
        "RSA-SHA1%26oauth_timestamp%3D1196666512%26oauth_version%3D1.0%26size%3Doriginal"
    )
    assert trace.signature == WIKI_RSA_SIGNATURE
    assert len(trace.digest) == 128  # a 1024-bit key


@pytest.mark.parametrize("method", ["RSA-SHA256", "RSA-SHA512"])
def test_rsa_sha2_signatures_check_with_the_public_key(rsa_key: str, method: str) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    trace = sign_at(
        PHOTOS_GET,
        Credentials("k", rsa_key=rsa_key),
        timestamp="1",
        nonce="n",
        signature_method=method,
    )
    private = serialization.load_pem_private_key(rsa_key.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    algorithm = hashes.SHA256() if method.endswith("256") else hashes.SHA512()
    # Raises InvalidSignature (failing the test) unless the signature is PKCS#1 v1.5 over the base
    # string with the method's own hash.
    private.public_key().verify(
        trace.digest, trace.base_string.encode(), padding.PKCS1v15(), algorithm
    )
    assert trace.signature == base64.b64encode(trace.digest).decode()


@pytest.mark.parametrize(
    ("method", "hash_name"),
    [("HMAC-SHA1", "sha1"), ("HMAC-SHA256", "sha256"), ("HMAC-SHA512", "sha512")],
)
def test_hmac_methods_use_their_hash(method: str, hash_name: str) -> None:
    credentials = Credentials("k", "cs", token="t", token_secret="ts")
    trace = sign_at(PHOTOS_GET, credentials, timestamp="1", nonce="n", signature_method=method)
    expected = hmac.new(b"cs&ts", trace.base_string.encode(), hash_name).digest()
    assert trace.digest == expected
    assert "oauth_signature_method%3D" + method in trace.base_string


# --- options: version, realm, callback, body hash --------------------------------------------


def test_version_none_leaves_oauth_version_out() -> None:
    with_version = sign_at(PHOTOS_GET, PHOTOS_TOKEN, timestamp="1", nonce="n")
    without = sign_at(PHOTOS_GET, PHOTOS_TOKEN, timestamp="1", nonce="n", version=None)
    assert oauth_header(with_version.signed_request)["oauth_version"] == "1.0"
    assert "oauth_version" not in oauth_header(without.signed_request)
    assert "oauth_version" not in without.normalized_parameters


def test_realm_is_sent_but_not_signed() -> None:
    plain = sign_at(PHOTOS_GET, PHOTOS_TOKEN, timestamp="1", nonce="n")
    with_realm = sign_at(PHOTOS_GET, PHOTOS_TOKEN, timestamp="1", nonce="n", realm="R")
    assert plain.signature == with_realm.signature
    assert (with_realm.authorization_header or "").startswith('OAuth realm="R", ')


def test_no_token_means_no_oauth_token_parameter() -> None:
    trace = sign_at(PHOTOS_GET, PHOTOS, timestamp="1", nonce="n")
    assert "oauth_token" not in dict(trace.oauth_parameters)


def test_empty_token_is_still_sent() -> None:
    # Credentials(token="") is a token that happens to be empty, not "no token".
    trace = sign_at(PHOTOS_GET, Credentials("k", token=""), timestamp="1", nonce="n")
    assert dict(trace.oauth_parameters)["oauth_token"] == ""


# Source of the digests: research/vectors.md, "Body hash extension".
def test_body_hash_is_automatic_for_a_json_body() -> None:
    request = HttpRequest("POST", "http://h/", headers={"Content-Type": JSON}, body="{}")
    trace = sign_at(
        request, Credentials("k"), timestamp="1", nonce="n", signature_method="HMAC-SHA256"
    )
    assert dict(trace.oauth_parameters)["oauth_body_hash"] == (
        "RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o="
    )
    assert "oauth_body_hash%3DRBNvo1WzZ4oRRq0W9%252Bhknp" in trace.base_string


def test_body_hash_uses_sha1_for_hmac_sha1() -> None:
    request = HttpRequest(
        "PUT", "http://h/", headers={"Content-Type": "text/plain"}, body="Hello World!"
    )
    trace = sign_at(request, Credentials("k"), timestamp="1", nonce="n")
    assert dict(trace.oauth_parameters)["oauth_body_hash"] == "Lve95gjOVATpfV8EL5X4nxwjKHE="


def test_body_hash_is_never_automatic_for_a_form_body_or_no_body(rfc_request: HttpRequest) -> None:
    for request in (rfc_request, PHOTOS_GET, HttpRequest("POST", "http://h/", body=b"")):
        trace = sign_at(request, Credentials("k"), timestamp="1", nonce="n")
        assert "oauth_body_hash" not in dict(trace.oauth_parameters)


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("HMAC-SHA1", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="),
        ("HMAC-SHA256", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
        ("PLAINTEXT", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="),
    ],
)
def test_body_hash_forced_on_an_empty_body(method: str, expected: str) -> None:
    trace = sign_at(
        PHOTOS_GET,
        Credentials("k"),
        timestamp="1",
        nonce="n",
        signature_method=method,
        body_hash=True,
    )
    assert dict(trace.oauth_parameters)["oauth_body_hash"] == expected


def test_body_hash_forced_off() -> None:
    request = HttpRequest("POST", "http://h/", headers={"Content-Type": JSON}, body="{}")
    trace = sign_at(request, Credentials("k"), timestamp="1", nonce="n", body_hash=False)
    assert "oauth_body_hash" not in dict(trace.oauth_parameters)


def test_body_hash_can_be_forced_on_a_form_body(rfc_request: HttpRequest) -> None:
    trace = sign_at(rfc_request, Credentials("k"), timestamp="1", nonce="n", body_hash=True)
    body_digest = base64.b64encode(hashlib.sha1(b"c2&a3=2+q").digest()).decode()
    assert dict(trace.oauth_parameters)["oauth_body_hash"] == body_digest


# --- placements (3.5.1 header, 3.5.2 form body, 3.5.3 query) ---------------------------------


def test_query_placement_appends_encoded_parameters_and_drops_the_fragment() -> None:
    request = HttpRequest("GET", "http://h/p?a=1#frag")
    trace = sign_at(request, Credentials("k"), timestamp="1", nonce="n n", placement="query")
    assert trace.signed_url == (
        "http://h/p?a=1&oauth_consumer_key=k&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1"
        f"&oauth_nonce=n%20n&oauth_version=1.0&oauth_signature={trace.transport_signature}"
    )
    assert trace.authorization_header is None
    assert trace.placement == "query"


def test_query_placement_without_a_query() -> None:
    trace = sign_at(
        HttpRequest("GET", "http://h/"),
        Credentials("k"),
        timestamp="1",
        nonce="n",
        placement="query",
    )
    assert (trace.signed_url or "").startswith("http://h/?oauth_consumer_key=k&")


def test_query_placement_ignores_realm() -> None:
    trace = sign_at(
        PHOTOS_GET, Credentials("k"), timestamp="1", nonce="n", placement="query", realm="R"
    )
    assert trace.realm is None
    assert "realm" not in (trace.signed_url or "")


def test_placement_does_not_change_the_signature(rfc_request: HttpRequest) -> None:
    signatures = {
        sign_at(rfc_request, Credentials("k", "s"), timestamp="1", nonce="n", placement=p).signature
        for p in ("header", "query", "body")
    }
    assert len(signatures) == 1


def test_body_placement_extends_a_form_body(rfc_request: HttpRequest) -> None:
    trace = sign_at(rfc_request, Credentials("k"), timestamp="1", nonce="n", placement="body")
    assert trace.signed_request is not None
    body = (trace.signed_request.body or b"").decode()
    assert body.startswith("c2&a3=2+q&oauth_consumer_key=k&")
    assert body.endswith(f"&oauth_signature={trace.transport_signature}")
    assert trace.signed_request.url == rfc_request.url


def test_body_placement_on_an_empty_post_declares_a_form_body() -> None:
    trace = sign_at(
        HttpRequest("POST", "http://h/"),
        Credentials("k"),
        timestamp="1",
        nonce="n",
        placement="body",
    )
    assert trace.signed_request is not None
    assert trace.signed_request.header("Content-Type") == FORM
    assert (trace.signed_request.body or b"").startswith(b"oauth_consumer_key=k&")


def test_body_placement_on_a_json_body_is_an_error() -> None:
    request = HttpRequest("POST", "http://h/", headers={"Content-Type": JSON}, body="{}")
    with pytest.raises(InvalidOptionError, match="header placement") as caught:
        sign_at(request, Credentials("k"), timestamp="1", nonce="n", placement="body")
    assert caught.value.data["option"] == "placement"


def test_body_placement_on_a_get_is_an_error() -> None:
    with pytest.raises(InvalidOptionError, match="GET has none"):
        sign_at(PHOTOS_GET, Credentials("k"), timestamp="1", nonce="n", placement="body")


def test_unknown_placement_is_an_error() -> None:
    with pytest.raises(InvalidOptionError, match="header, query, body"):
        sign_at(PHOTOS_GET, Credentials("k"), timestamp="1", nonce="n", placement="cookie")


@pytest.mark.parametrize(("name", "value"), [("timestamp", ""), ("nonce", ""), ("nonce", " n")])
def test_empty_or_padded_timestamp_and_nonce_are_errors(name: str, value: str) -> None:
    options = {"timestamp": "1", "nonce": "n", name: value}
    with pytest.raises(InvalidOptionError, match=name):
        sign_at(PHOTOS_GET, Credentials("k"), **options)


def test_signing_is_pure(rfc_request: HttpRequest, rfc_credentials: Credentials) -> None:
    first = sign_at(rfc_request, rfc_credentials, timestamp="5", nonce="x")
    second = sign_at(rfc_request, rfc_credentials, timestamp="5", nonce="x")
    assert first == second


# --- Signer: injected clock and nonce source ---------------------------------------------------


def test_signer_takes_time_and_nonces_from_its_sources() -> None:
    times = iter([1700000000.9, 1700000001.2])
    counter = itertools.count(1)
    signer = Signer(clock=lambda: next(times), nonces=lambda: f"nonce{next(counter)}")
    first = signer.sign(PHOTOS_GET, PHOTOS_TOKEN)
    second = signer.sign(PHOTOS_GET, PHOTOS_TOKEN, signature_method="PLAINTEXT", placement="query")
    assert dict(first.oauth_parameters)["oauth_timestamp"] == "1700000000"  # 3.3: whole seconds
    assert dict(first.oauth_parameters)["oauth_nonce"] == "nonce1"
    assert dict(second.oauth_parameters)["oauth_timestamp"] == "1700000001"
    assert dict(second.oauth_parameters)["oauth_nonce"] == "nonce2"
    assert second.placement == "query"
    assert first == sign_at(PHOTOS_GET, PHOTOS_TOKEN, timestamp="1700000000", nonce="nonce1")


def test_default_signer_draws_fresh_nonces() -> None:
    signer = Signer()
    nonces = {
        dict(signer.sign(PHOTOS_GET, PHOTOS).oauth_parameters)["oauth_nonce"] for _ in range(3)
    }
    assert len(nonces) == 3


# --- secrets never print -----------------------------------------------------------------------


def test_secrets_never_appear_in_repr_or_str(rsa_key: str) -> None:
    credentials = Credentials(
        "key", "consumer-SECRET", token="tok", token_secret="token-SECRET", rsa_key=rsa_key
    )
    trace = sign_at(PHOTOS_GET, credentials, timestamp="1", nonce="n")
    rsa_trace = sign_at(
        PHOTOS_GET, credentials, timestamp="1", nonce="n", signature_method="RSA-SHA1"
    )
    for value in (credentials, trace, rsa_trace, trace.signing_key, rsa_trace.signing_key):
        for text in (repr(value), str(value)):
            assert "SECRET" not in text
            assert "PRIVATE" not in text
            assert "MII" not in text
    assert repr(Secret("x")) == "Secret('****')"
    assert str(Secret("x")) == "****"
    assert credentials.consumer_secret.reveal() == "consumer-SECRET"


def test_plaintext_trace_holds_the_key_only_as_secret_and_digest() -> None:
    # PLAINTEXT's signature *is* the key, which is sent on the wire by design (3.4.4): the trace
    # shows it as the signature, but the signing key field stays redacted.
    trace = sign_at(PHOTOS_GET, PHOTOS, timestamp="1", nonce="n", signature_method="PLAINTEXT")
    assert str(trace.signing_key) == "****"
    assert trace.signature == "kd94hf93k423kf44&"
    assert "kd94hf93k423kf44" not in repr(trace)
    assert "signature='****'" in repr(trace)


@pytest.mark.parametrize(
    ("url", "signed_prefix"),
    [
        ("https://example.com/", "https://example.com/?oauth_consumer_key="),
        ("https://example.com/?", "https://example.com/?oauth_consumer_key="),
        ("https://example.com/??", "https://example.com/??&oauth_consumer_key="),
        ("https://example.com/?a=1", "https://example.com/?a=1&oauth_consumer_key="),
        ("https://example.com/?a=1&", "https://example.com/?a=1&oauth_consumer_key="),
    ],
)
def test_query_placement_joins_the_existing_query_and_verifies(
    url: str, signed_prefix: str
) -> None:
    # Found by hypothesis: a query that is a lone "?" must stay a parameter of its own.
    credentials = Credentials("ck", "cs")
    trace = sign_at(HttpRequest("GET", url), credentials, timestamp=1, nonce="n", placement="query")
    assert trace.signed_request is not None and trace.signed_url is not None
    assert trace.signed_url.startswith(signed_prefix)
    assert verify(trace.signed_request, credentials).signature == trace.signature


def test_query_placement_on_a_url_with_trailing_space_verifies() -> None:
    # Found by hypothesis: "https://example.com/? " signed with the query placement appended
    # "&oauth_..." after the space, which verification then read as a parameter named " ".
    from oauth_debug import verify

    request = HttpRequest("GET", "https://example.com/? ")
    keys = Credentials("k", "s")
    trace = sign_at(request, keys, timestamp=1, nonce="n", placement="query")
    assert trace.signed_request is not None
    assert trace.signed_request.url.startswith("https://example.com/?oauth_consumer_key=k&")
    assert verify(trace.signed_request, keys).signature == trace.signature


def test_a_trace_made_without_init_has_every_field_and_refuses_a_missing_one() -> None:
    from dataclasses import fields

    from oauth_debug.trace import SigningTrace

    trace = sign_at(HttpRequest("GET", "https://h.example/?b=2&a=1"), Credentials("k", "s"),
                    timestamp=1, nonce="n")  # fmt: skip
    assert {f.name for f in fields(SigningTrace)} <= set(vars(trace))
    assert trace.sorted_pairs == tuple(sorted(trace.sorted_pairs))
    assert "&".join(f"{n}={v}" for n, v in trace.sorted_pairs) == trace.normalized_parameters
    values = {f.name: getattr(trace, f.name) for f in fields(SigningTrace)}
    del values["recipe"]
    with pytest.raises(TypeError, match="recipe"):
        SigningTrace.of(**values)
