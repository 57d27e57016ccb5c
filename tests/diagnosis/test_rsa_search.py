"""RSA signatures are searched with the public key: the mistake behind a wrong one is named.

Each wrong signature here is made by hand-written signing code (urllib's quote, hashlib-free
``cryptography`` signing, base64), never by the catalog's Recipe transforms, and diagnosed with
the public key only, derived here from the oauth.net wiki test key (vectors/keys/).
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from hypothesis import given, settings
from hypothesis import strategies as st

from oauth_debug import Credentials, HttpRequest, diagnose
from oauth_debug.diagnosis.catalog import variant
from oauth_debug.diagnosis.rsa_match import confirmed
from oauth_debug.diagnosis.rsa_open import public_numbers, recover_digest
from oauth_debug.diagnosis.search import Explanation
from oauth_debug.methods import get_method

ROOT = Path(__file__).resolve().parents[2]
PRIVATE_PEM = (ROOT / "vectors" / "keys" / "oauth-wiki-rsa-test-key.pem").read_bytes()
PRIVATE = serialization.load_pem_private_key(PRIVATE_PEM, password=None)
PUBLIC_PEM = (
    PRIVATE.public_key()  # type: ignore[union-attr]
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode("ascii")
)
PUBLIC = Credentials("ck", token="tok", rsa_key=PUBLIC_PEM)
FORM = "application/x-www-form-urlencoded"
URL = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"
QUERY = [("b5", "=%3D"), ("a3", "a"), ("c@", ""), ("a2", "r b")]
BODY = [("c2", ""), ("a3", "2 q")]
HASHES: dict[str, Any] = {"RSA-SHA1": hashes.SHA1, "RSA-SHA256": hashes.SHA256}


def oauth(method: str) -> list[tuple[str, str]]:
    return [
        ("oauth_consumer_key", "ck"),
        ("oauth_token", "tok"),
        ("oauth_signature_method", method),
        ("oauth_timestamp", "137131201"),
        ("oauth_nonce", "7d8f3e4a"),
    ]


def enc(text: str) -> str:
    return quote(text, safe="~")


def base_string(
    method: str,
    *,
    http_method: str = "POST",
    uri: str = "http://example.com/request",
    encode: Callable[[str], str] = enc,
    sort: bool = True,
    params: list[tuple[str, str]] | None = None,
) -> str:
    """A base string as a script writes it, each step open to one mistake."""
    pairs = [(encode(n), encode(v)) for n, v in (params or QUERY + BODY + oauth(method))]
    joined = "&".join(f"{n}={v}" for n, v in (sorted(pairs) if sort else pairs))
    return "&".join((http_method, encode(uri), encode(joined)))


def rsa_sign(text: str, hash_type: Any = hashes.SHA1) -> bytes:
    signature: bytes = PRIVATE.sign(text.encode(), padding.PKCS1v15(), hash_type())  # type: ignore[union-attr]
    return signature


def request_with(method: str, signature: str) -> HttpRequest:
    header = ", ".join(
        f'{n}="{enc(v)}"' for n, v in [*oauth(method), ("oauth_signature", signature)]
    )
    headers = {"Content-Type": FORM, "Authorization": f"OAuth {header}"}
    return HttpRequest("POST", URL, headers=headers, body="c2&a3=2+q")


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def named(request: HttpRequest) -> tuple[str, ...]:
    result = diagnose(request, PUBLIC, now=137131201)
    assert result.verdict == "explained", result.notes
    return result.mistakes


@pytest.mark.parametrize("method", ["RSA-SHA1", "RSA-SHA256"])
def test_right_rsa_signature_is_valid_with_the_public_key(method: str) -> None:
    request = request_with(method, b64(rsa_sign(base_string(method), HASHES[method])))
    assert diagnose(request, PUBLIC, now=137131201).verdict == "valid"


@pytest.mark.parametrize(
    ("expected", "make"),
    [
        ("method-lowercase", lambda m: b64(rsa_sign(base_string(m, http_method="post")))),
        ("uri-not-encoded", lambda m: b64(rsa_sign(base_string(m).replace(enc(
            "http://example.com/request"), "http://example.com/request")))),
        ("query-in-base-uri", lambda m: b64(rsa_sign(base_string(
            m, uri="http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
            params=BODY + oauth(m))))),
        # joined in the order of the request: query, then the header, then the body
        ("params-unsorted", lambda m: b64(rsa_sign(base_string(
            m, sort=False, params=QUERY + oauth(m) + BODY)))),
        ("hex-digest", lambda m: rsa_sign(base_string(m)).hex()),
        ("urlsafe-base64", lambda m: base64.urlsafe_b64encode(rsa_sign(base_string(m))).decode()),
        ("padding-stripped", lambda m: b64(rsa_sign(base_string(m))).rstrip("=")),
        ("body-params-omitted", lambda m: b64(rsa_sign(base_string(m, params=QUERY + oauth(m))))),
    ],
)  # fmt: skip
def test_rsa_mistake_made_by_hand_is_named(expected: str, make: Callable[[str], str]) -> None:
    assert expected in named(request_with("RSA-SHA1", make("RSA-SHA1")))


def test_rsa_signed_with_another_hash_is_wrong_hash() -> None:
    # Declared RSA-SHA256, signed with SHA-1: the recovered DigestInfo names the hash used.
    signature = b64(rsa_sign(base_string("RSA-SHA256"), hashes.SHA1))
    result = diagnose(request_with("RSA-SHA256", signature), PUBLIC, now=137131201)
    assert result.mistakes == ("wrong-hash",)
    assert result.explanation[0].variant == "RSA-SHA1"


def test_rsa_explanation_shows_the_wrong_base_string() -> None:
    wrong = base_string("RSA-SHA1", http_method="post")
    result = diagnose(request_with("RSA-SHA1", b64(rsa_sign(wrong))), PUBLIC, now=137131201)
    rows = {row.label: row for row in result.explanation[0].comparisons}
    assert rows["base string"].wrong == wrong
    assert rows["base string"].right == base_string("RSA-SHA1")


def test_rsa_search_counts_its_combinations_and_leaves_out_the_key_mistakes() -> None:
    result = diagnose(
        request_with("RSA-SHA1", b64(rsa_sign("nothing explains this"))), PUBLIC, now=137131201
    )
    assert result.verdict == "unexplained"
    assert result.combinations_tried > 1000
    assert not {"key-missing-ampersand", "key-not-encoded"} & set(result.considered)
    assert {"hex-digest", "params-unsorted"} <= set(result.considered)


@settings(max_examples=20, deadline=None)
@given(st.binary(min_size=128, max_size=128))
def test_random_rsa_signature_stays_unexplained(raw: bytes) -> None:
    result = diagnose(request_with("RSA-SHA1", b64(raw)), PUBLIC, now=137131201)
    assert result.verdict == "unexplained"
    assert result.mistakes == ()


def test_recovered_digest_is_the_hash_of_the_signed_text() -> None:
    e, n = public_numbers(get_method("RSA-SHA256"), PUBLIC)
    text = base_string("RSA-SHA256")
    opened = recover_digest(rsa_sign(text, hashes.SHA256), e, n)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(text.encode())
    assert opened == ("sha256", digest.finalize())
    assert recover_digest(b"\x01" * 128, e, n) is None  # s^e mod n holds no PKCS#1 padding
    assert recover_digest(b"\x00" * 127, e, n) is None  # shorter than the modulus (8.2.2 step 1)


# --- the interop corpus: its wrong RSA requests, diagnosed with the public key ------------------

CORPUS = ROOT / "vectors" / "interop"


def _wrong_rsa_entries() -> list[Any]:
    found = []
    for path in sorted(CORPUS.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for entry in document["requests"]:
            if entry.get("verdict") == "wrong" and entry["signature_method"].startswith("RSA"):
                found.append(pytest.param(entry, id=f"{document['library']['name']}/{entry['id']}"))
    return found


WRONG_RSA = _wrong_rsa_entries()


def _sent(entry: dict[str, Any]) -> HttpRequest:
    sent = entry["sent"]
    body = sent["body"]
    return HttpRequest(sent["method"], sent["url"], headers=dict(sent["headers"]), body=body)


def test_the_corpus_holds_wrong_rsa_requests() -> None:
    assert len(WRONG_RSA) == 5


@pytest.mark.parametrize("entry", WRONG_RSA)
def test_wrong_interop_rsa_request_is_searched_and_never_misnamed(entry: dict[str, Any]) -> None:
    """Searched with the public key; when named, the corpus's own quirk is named."""
    credentials = Credentials(entry["credentials"]["consumer_key"], rsa_key=PUBLIC_PEM)
    result = diagnose(_sent(entry), credentials)
    assert result.verdict in ("explained", "unexplained")
    assert result.combinations_tried > 0
    if result.verdict == "explained":
        assert set(result.mistakes) == set(entry["quirk"]["ids"])


# --- keys: a certificate and the private key serve as well as the public key --------------------


def _certificate_pem() -> str:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "oauth-debug test")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(PRIVATE.public_key())  # type: ignore[union-attr,arg-type]
        .serial_number(1)
        .not_valid_before(datetime.datetime(2020, 1, 1))
        .not_valid_after(datetime.datetime(2040, 1, 1))
        .sign(PRIVATE, hashes.SHA256())  # type: ignore[arg-type]
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


@pytest.mark.parametrize("which", ["certificate", "private key"])
def test_rsa_search_works_with_a_certificate_or_the_private_key(which: str) -> None:
    pem = _certificate_pem() if which == "certificate" else PRIVATE_PEM.decode("ascii")
    signature = rsa_sign(base_string("RSA-SHA1", http_method="post")).hex()
    result = diagnose(
        request_with("RSA-SHA1", signature), Credentials("ck", token="tok", rsa_key=pem),
        now=137131201,
    )  # fmt: skip
    assert result.mistakes == ("method-lowercase", "hex-digest")


def test_rsa_sha256_hex_digest_is_named() -> None:
    signature = rsa_sign(base_string("RSA-SHA256"), hashes.SHA256).hex()
    assert named(request_with("RSA-SHA256", signature)) == ("hex-digest",)


def test_a_hash_match_that_does_not_verify_is_dropped() -> None:
    """The final word is cryptography's verify: an explanation over another base string goes."""
    request = request_with("RSA-SHA1", b64(rsa_sign(base_string("RSA-SHA1"))))
    method = get_method("RSA-SHA1")
    wrong = Explanation(("method-lowercase",), (variant("lower", method_case="lower"),))
    claimed = b64(rsa_sign(base_string("RSA-SHA1")))
    assert confirmed(request, PUBLIC, method, claimed, [wrong]) == ()
    lowered = b64(rsa_sign(base_string("RSA-SHA1", http_method="post")))
    assert confirmed(request, PUBLIC, method, lowered, [wrong]) == (wrong,)
