"""oauth_body_hash against the body sent: diagnose never calls a changed body valid, names the
mistake body-hash-mismatch, and says which usual change of the body (or of its hash) it was.

Every wrong body hash here is made the way a person's code makes it: hashlib over the body they
had before the last change (json.dumps variants, newlines, line ends), never with the
diagnosis's own list of changes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from oauth_debug import Credentials, HttpRequest, diagnose, sign_at
from oauth_debug.cli.app import app
from oauth_debug.diagnosis.bodyhash import check_body_hash

SECRET = "cs-secret"
CREDS = Credentials("ck", SECRET)
URL = "https://api.example.com/v1/jobs"
NOW = 1_700_000_000
JSON = "application/json"
DATA = {"name": "Ann", "tags": ["a", "b"], "n": 1}


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def enc(text: str) -> str:
    return quote(text, safe="")


def hand_signed(
    sent: bytes,
    body_hash: str | None,
    *,
    method: str = "HMAC-SHA1",
    key: str = SECRET + "&",
    content_type: str = JSON,
) -> HttpRequest:
    """A person's signer: the oauth_* pairs (with the body hash they computed), the base string
    and the HMAC written out; the request then carries ``sent`` as its body."""
    oauth = [
        ("oauth_consumer_key", "ck"),
        ("oauth_signature_method", method),
        ("oauth_timestamp", str(NOW)),
        ("oauth_nonce", "n0nce"),
        ("oauth_version", "1.0"),
    ]
    if body_hash is not None:
        oauth.append(("oauth_body_hash", body_hash))
    signed = list(oauth)
    if content_type != JSON:  # a form body is signed as parameters
        from urllib.parse import parse_qsl

        signed += parse_qsl(sent.decode(), keep_blank_values=True)
    normalized = "&".join(f"{k}={v}" for k, v in sorted((enc(k), enc(v)) for k, v in signed))
    base = "&".join(["POST", enc(URL), enc(normalized)])
    digestmod = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256}[method]
    signature = b64(hmac.new(key.encode(), base.encode(), digestmod).digest())
    fields = ", ".join(f'{k}="{enc(v)}"' for k, v in [*oauth, ("oauth_signature", signature)])
    headers = {"Authorization": "OAuth " + fields, "Content-Type": content_type}
    return HttpRequest("POST", URL, headers, sent)


def sha1_b64(body: bytes) -> str:
    return b64(hashlib.sha1(body).digest())


Case = tuple[bytes, Callable[[bytes], str], str, str]
"""(body sent, how the person computed the body hash, change id, words the variant says)."""

COMPACT = json.dumps(DATA, separators=(",", ":")).encode()
SPACED = json.dumps(DATA).encode()
CASES: dict[str, tuple[bytes, Callable[[], str], str, str]] = {
    "newline added after hashing": (
        SPACED + b"\n",
        lambda: sha1_b64(SPACED),
        "trailing-newline-added",
        "without the trailing newline",
    ),
    "newline removed after hashing": (
        SPACED,
        lambda: sha1_b64(SPACED + b"\n"),
        "trailing-newline-removed",
        "with a trailing newline",
    ),
    "LF sent as CRLF": (
        b"line one\r\nline two\r\n",
        lambda: sha1_b64(b"line one\nline two\n"),
        "lf-became-crlf",
        "hashed with LF line ends, and sent with CRLF",
    ),
    "CRLF sent as LF": (
        b"line one\nline two",
        lambda: sha1_b64(b"line one\r\nline two"),
        "crlf-became-lf",
        "hashed with CRLF line ends, and sent with LF",
    ),
    "hashed json.dumps, sent compact": (
        COMPACT,
        lambda: sha1_b64(json.dumps(DATA).encode()),
        "json-reserialized",
        "hashed with a space after each ',' and ':', as json.dumps(data) writes it, and sent "
        "compact",
    ),
    "hashed compact, sent json.dumps": (
        SPACED,
        lambda: sha1_b64(json.dumps(DATA, separators=(",", ":")).encode()),
        "json-reserialized",
        "hashed compact",
    ),
    "hashed indent=2, sent compact": (
        COMPACT,
        lambda: sha1_b64(json.dumps(DATA, indent=2).encode()),
        "json-reserialized",
        "indented by 2, as json.dumps(data, indent=2)",
    ),
    "hashed the empty body": (
        SPACED,
        lambda: sha1_b64(b""),
        "empty-body",
        "the empty body was hashed",
    ),
    "hashed with SHA-256 for HMAC-SHA1": (
        SPACED,
        lambda: b64(hashlib.sha256(SPACED).digest()),
        "hash-sha256",
        "hashed with SHA-256 instead of SHA-1",
    ),
    "hashed with SHA-512 for HMAC-SHA1": (
        SPACED,
        lambda: b64(hashlib.sha512(SPACED).digest()),
        "hash-sha512",
        "hashed with SHA-512 instead of SHA-1",
    ),
    "written as hex": (
        SPACED,
        lambda: hashlib.sha1(SPACED).hexdigest(),
        "hash-hex",
        "written as hex",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_usual_change_is_named(case: str) -> None:
    sent, person_hash, change_id, words = CASES[case]
    request = hand_signed(sent, person_hash())
    result = diagnose(request, CREDS, now=NOW)
    assert result.verdict == "explained"
    assert result.mistakes == ("body-hash-mismatch",)
    assert not result.ok
    (told,) = result.explanation
    assert words in told.variant, told.variant
    assert told.rfc_document.endswith("(draft-eaton-oauth-bodyhash-00)")
    assert told.rfc_section == "3.2, 4.1"
    rows = {row.label: row for row in told.comparisons}
    assert rows["oauth_body_hash"].wrong == person_hash()
    assert rows["oauth_body_hash"].right == sha1_b64(sent)
    report = check_body_hash(request, "HMAC-SHA1")
    assert report is not None and report.change is not None
    assert report.change.ids == (change_id,)


def test_sha1_hash_on_an_hmac_sha256_request_is_named() -> None:
    request = hand_signed(SPACED, sha1_b64(SPACED), method="HMAC-SHA256")
    result = diagnose(request, CREDS, now=NOW)
    assert result.mistakes == ("body-hash-mismatch",)
    assert "hashed with SHA-1 instead of SHA-256" in result.explanation[0].variant


def test_a_body_changed_beyond_the_usual_ways_is_still_named() -> None:
    request = hand_signed(b'{"name": "Bob"}', sha1_b64(b'{"name": "Ann"}'))
    result = diagnose(request, CREDS, now=NOW)
    assert result.mistakes == ("body-hash-mismatch",)
    assert "changed after it was hashed" in result.explanation[0].variant
    assert [row.label for row in result.explanation[0].comparisons] == ["oauth_body_hash"]


def test_a_wrong_signature_and_a_changed_body_are_both_named() -> None:
    request = hand_signed(COMPACT, sha1_b64(SPACED), key=SECRET)  # the key without its '&'
    result = diagnose(request, CREDS, now=NOW)
    assert result.verdict == "explained"
    assert result.mistakes == ("key-missing-ampersand", "body-hash-mismatch")
    assert "body-hash-mismatch" not in {f.id for f in result.findings}


def test_without_the_secret_the_mismatch_is_an_error_finding() -> None:
    request = hand_signed(COMPACT, sha1_b64(SPACED))
    result = diagnose(request, Credentials("ck", ""), now=NOW)
    assert result.verdict == "unchecked"
    (finding,) = [f for f in result.findings if f.id == "body-hash-mismatch"]
    assert finding.severity == "error"
    assert finding.data["claimed_hash"] == sha1_b64(SPACED)
    assert finding.data["body_hash"] == sha1_b64(COMPACT)
    assert finding.data["change"] == ["json-reserialized"]
    assert not result.ok


def test_with_the_wrong_secret_the_mismatch_is_still_reported() -> None:
    request = hand_signed(COMPACT, sha1_b64(SPACED), key="another-secret&")
    result = diagnose(request, CREDS, now=NOW)
    assert result.verdict == "unexplained"
    assert "body-hash-mismatch" in {f.id for f in result.findings}


def test_a_right_body_hash_stays_valid() -> None:
    result = diagnose(hand_signed(SPACED, sha1_b64(SPACED)), CREDS, now=NOW)
    assert result.verdict == "valid" and result.ok
    assert result.findings == ()


def test_a_json_body_without_a_body_hash_is_judged_as_before() -> None:
    # Many servers (the Alteryx Gallery among them) sign JSON bodies without oauth_body_hash.
    result = diagnose(hand_signed(SPACED, None), CREDS, now=NOW)
    assert result.verdict == "valid" and result.ok
    assert not any("body" in f.id for f in result.findings)


def test_a_body_hash_on_a_form_body_is_a_warning_not_a_mismatch() -> None:
    form = "application/x-www-form-urlencoded"
    request = hand_signed(b"a=1&b=2", sha1_b64(b"something else"), content_type=form)
    result = diagnose(request, CREDS, now=NOW)
    assert result.verdict == "valid"  # the form parameters are signed; the hash is not checked
    assert [(f.id, f.severity) for f in result.findings] == [("body-hash-on-form", "warning")]
    assert check_body_hash(request, "HMAC-SHA1") is None


def test_the_brief_case_on_the_command_line(tmp_path: Path) -> None:
    """Sign a JSON POST, change one byte of the body, diagnose the raw HTTP: never VALID."""
    request = HttpRequest("POST", URL, {"Content-Type": JSON}, '{"amount": 100}')
    trace = sign_at(request, CREDS, timestamp=NOW, nonce="cli1")
    assert trace.authorization_header is not None
    raw = (
        "POST /v1/jobs HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\n"
        f"Authorization: {trace.authorization_header}\r\n\r\n" + '{"amount": 900}'
    )
    path = tmp_path / "request.http"
    path.write_bytes(raw.encode())
    args = ["diagnose", "--http", str(path), "--scheme", "https", "--consumer-secret", SECRET]
    result = CliRunner().invoke(app, [*args, "--now", str(NOW), "--format", "json"])
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    assert document["verdict"] == "explained"
    assert document["mistakes"] == ["body-hash-mismatch"]
    assert document["explanation"][0]["rfc_document"].startswith("the OAuth Request Body Hash")
    text = CliRunner().invoke(app, [*args, "--now", str(NOW)])
    assert text.exit_code == 1 and "VALID" not in text.output.split("\n")[0]


def test_rsa_body_hash_mismatch_is_named(rsa_key: str) -> None:
    request = HttpRequest("POST", URL, {"Content-Type": JSON}, SPACED)
    creds = Credentials("ck", rsa_key=rsa_key)
    trace = sign_at(request, creds, timestamp=NOW, nonce="r1", signature_method="RSA-SHA1")
    assert trace.signed_request is not None
    changed = trace.signed_request.replace(body=SPACED + b"\n")
    result = diagnose(changed, creds, now=NOW)
    assert result.mistakes == ("body-hash-mismatch",)
    assert "without the trailing newline" in result.explanation[0].variant


@settings(max_examples=60, deadline=None)
@given(
    body=st.binary(max_size=200),
    extra=st.binary(min_size=1, max_size=3),
    method=st.sampled_from(["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"]),
)
def test_a_changed_body_is_never_valid(body: bytes, extra: bytes, method: str) -> None:
    request = HttpRequest("POST", URL, {"Content-Type": "application/octet-stream"}, body)
    trace = sign_at(
        request, CREDS, timestamp=NOW, nonce="h1", signature_method=method, body_hash=True
    )
    assert trace.signed_request is not None
    assert diagnose(trace.signed_request, CREDS, now=NOW).verdict == "valid"
    changed = diagnose(trace.signed_request.replace(body=body + extra), CREDS, now=NOW)
    assert changed.verdict == "explained"
    assert changed.mistakes == ("body-hash-mismatch",)
