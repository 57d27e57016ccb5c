"""The vector files: every case runs and every recorded intermediate matches; the files are sound
(sources, results, unique ids, real error classes); the runner can fail; and our own edge cases
still agree with oauthlib, recomputed on every run (the divergences pinned with their reasons)."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from oauthlib.oauth1.rfc5849 import signature as oauthlib_signature
from oauthlib.oauth1.rfc5849 import utils as oauthlib_utils

from oauth_debug import errors
from oauth_debug.vectors import (
    KINDS,
    RESULTS,
    VectorCase,
    VectorFileError,
    load_cases,
    load_files,
    run_all,
    run_case,
    vectors_directory,
)

FORM = "application/x-www-form-urlencoded"
CASES = load_cases()
BY_ID = {case.id: case for case in CASES}
OWN_SIGN = [c for c in CASES if "own" in c.flags and c.kind == "sign" and c.result == "valid"]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(case: VectorCase) -> None:
    result = run_case(case)
    assert result.error is None, result.error
    for check in result.checks:
        assert check.ok, f"{check.name}: expected {check.expected!r}, got {check.actual!r}"
    assert {check.name for check in result.checks} == set(case.expected)
    assert result.passed


def test_run_all_passes_every_case() -> None:
    results = run_all()
    assert len(results) == len(CASES) > 80
    assert [r.id for r in results if not r.passed] == []


# ------------------------------------------------------------------------------ the files


def test_ids_are_unique_across_files() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case_is_well_formed(case: VectorCase) -> None:
    assert case.source["document"]
    assert case.source["section"]
    assert case.result in RESULTS
    assert case.kind in KINDS, f"unknown kind {case.kind!r}"
    assert case.comment
    assert case.expected
    if "own" in case.flags:
        assert case.derivation, "our own cases say how their values were derived"
    if case.kind == "sign":
        assert case.input["timestamp"] and case.input["nonce"], "sign cases pin time and nonce"


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.result == "invalid"], ids=lambda c: str(c.id)
)
def test_invalid_case_names_an_existing_error_class(case: VectorCase) -> None:
    assert set(case.expected) == {"error"}
    error_class = getattr(errors, case.expected["error"])
    assert issubclass(error_class, errors.OAuthDebugError)


def test_every_file_is_documented_in_the_readme() -> None:
    readme = (vectors_directory() / "README.md").read_text(encoding="utf-8")
    for vector_file in load_files():
        assert f"{vector_file.name}.json" in readme
    for kind in KINDS:
        assert f"`{kind}`" in readme


def test_the_erratum_is_recorded_with_the_printed_value() -> None:
    case = BY_ID["rfc5849-3.4.1-hmac-sha1"]
    assert case.source["erratum"]["id"] == "2550"
    assert case.source["erratum"]["printed"] == "bYT5CMsGcbgUdFHObYMEfcx6bsw="
    assert case.expected["signature"] == case.source["erratum"]["corrected"]


def test_the_scheme_lesson_differs_from_the_rfc_request_only_by_scheme() -> None:
    https, http = BY_ID["rfc5849-1.2-initiate"], BY_ID["rfc5849-1.2-initiate-over-http"]
    assert dict(https.input, url=http.input["url"]) == dict(http.input)
    assert http.expected["signature"] != https.expected["signature"]


def test_vectors_directory_is_the_checkout_one() -> None:
    assert (vectors_directory() / "rfc5849-3.4.1.json").is_file()
    assert (vectors_directory() / "keys" / "oauth-wiki-rsa-test-key.pem").is_file()


def test_a_file_without_source_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps({"cases": []}))
    with pytest.raises(VectorFileError, match="source"):
        load_files(tmp_path)


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(VectorFileError, match=r"bad\.json"):
        load_files(tmp_path)


# ------------------------------------------------------------------------- the runner can fail


def test_a_corrupted_signature_fails() -> None:
    case = BY_ID["rfc5849-3.4.1-hmac-sha1"]
    corrupted = dataclasses.replace(
        case, expected={**case.expected, "signature": "bYT5CMsGcbgUdFHObYMEfcx6bsw="}
    )
    result = run_case(corrupted)
    assert not result.passed
    assert [check.name for check in result.failures] == ["signature"]
    assert result.failures[0].actual == "r6/TJjbCOr97/+UU0NsvSne7s5g="
    assert "bYT5CMsGcbgUdFHObYMEfcx6bsw=" in result.detail


def test_a_corrupted_input_fails_on_the_base_string() -> None:
    case = BY_ID["oauth-core-1.0-a.5-photos"]
    corrupted = dataclasses.replace(case, input={**case.input, "nonce": "kllo9940pd9333ji"})
    failed = {check.name for check in run_case(corrupted).failures}
    assert failed == {"base_string", "signature", "transport_signature"}


def test_an_invalid_case_with_the_wrong_error_class_fails() -> None:
    case = BY_ID["edge-invalid-no-host"]
    result = run_case(dataclasses.replace(case, expected={"error": "EncodingError"}))
    assert not result.passed
    assert result.checks[0].actual == "InvalidURLError"


def test_an_invalid_case_that_raises_nothing_fails() -> None:
    case = BY_ID["rfc5849-3.4.1.2-default-port"]
    result = run_case(dataclasses.replace(case, result="invalid", expected={"error": "X"}))
    assert not result.passed
    assert result.error is not None and "nothing was raised" in result.error


def test_a_valid_case_that_raises_fails_with_the_message() -> None:
    case = BY_ID["rfc5849-3.4.1.2-default-port"]
    result = run_case(dataclasses.replace(case, input={"url": "http:///x"}))
    assert not result.passed
    assert result.error is not None and result.error.startswith("raised InvalidURLError")


def test_an_unknown_kind_fails_loudly() -> None:
    case = dataclasses.replace(BY_ID["wiki-encode-plus"], kind="decode")
    result = run_case(case)
    assert not result.passed
    assert result.error is not None and "unknown kind 'decode'" in result.error


def test_a_crash_becomes_a_failed_result() -> None:
    case = dataclasses.replace(BY_ID["rfc5849-3.4.1.2-default-port"], input={})
    result = run_case(case)
    assert not result.passed
    assert result.error is not None and result.error.startswith("crashed: KeyError")


def test_a_value_the_kind_does_not_compute_fails() -> None:
    case = BY_ID["wiki-encode-plus"]
    result = run_case(dataclasses.replace(case, expected={**case.expected, "signature": "x"}))
    assert not result.passed
    assert result.failures[0].name == "signature"


def test_rsa_without_cryptography_fails_naming_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives", None)
    result = run_case(BY_ID["wiki-rsa-sha1-signature"])
    assert not result.passed
    assert result.error is not None and "'rsa' extra" in result.error


# ------------------------------------------------------------- own cases, recomputed with oauthlib


def _oauthlib_header(pairs: list[tuple[str, str]]) -> str:
    escape = oauthlib_utils.escape
    return "OAuth " + ", ".join(f'{escape(name)}="{escape(value)}"' for name, value in pairs)


def oauthlib_values(given: dict[str, Any]) -> dict[str, Any]:
    """The intermediates of a sign case computed by oauthlib's signature module (and hashlib)."""
    headers = given.get("headers") or {}
    body = given.get("body")
    credentials = given["credentials"]
    method = given["signature_method"]
    is_form = any(
        name.lower() == "content-type" and value.split(";")[0].strip().lower() == FORM
        for name, value in headers.items()
    )
    oauth = [("oauth_consumer_key", credentials["consumer_key"])]
    if credentials.get("token") is not None:
        oauth.append(("oauth_token", credentials["token"]))
    oauth += [
        ("oauth_signature_method", method),
        ("oauth_timestamp", given["timestamp"]),
        ("oauth_nonce", given["nonce"]),
    ]
    if given["version"] is not None:
        oauth.append(("oauth_version", given["version"]))
    wants_hash = given.get("body_hash")
    if wants_hash is None:
        wants_hash = bool(body) and not is_form
    if wants_hash:
        hash_name = {"HMAC-SHA256": "sha256", "HMAC-SHA512": "sha512"}.get(method, "sha1")
        digest = hashlib.new(hash_name, (body or "").encode("utf-8")).digest()
        oauth.append(("oauth_body_hash", base64.b64encode(digest).decode("ascii")))
    collect = oauthlib_signature.collect_parameters
    query = urlsplit(given["url"]).query
    params = collect(uri_query=query) if query else []
    params += collect(headers={"Authorization": _oauthlib_header(oauth)})
    if is_form and body:
        params += collect(body=body)
    normalized = oauthlib_signature.normalize_parameters(params)
    uri = oauthlib_signature.base_string_uri(given["url"])
    base_string = oauthlib_signature.signature_base_string(given["method"], uri, normalized)
    values = {
        "normalized_parameters": normalized,
        "base_string_uri": uri,
        "base_string": base_string,
    }
    secret, token_secret = (
        credentials.get("consumer_secret", ""),
        credentials.get("token_secret", ""),
    )
    if method == "PLAINTEXT":
        values["signature"] = oauthlib_signature.sign_plaintext(secret, token_secret)
    elif method.startswith("HMAC"):
        algorithm = {"HMAC-SHA1": "SHA-1", "HMAC-SHA256": "SHA-256", "HMAC-SHA512": "SHA-512"}
        values["signature"] = oauthlib_signature._sign_hmac(
            algorithm[method], base_string, secret, token_secret
        )
    if wants_hash:
        values["oauth_body_hash"] = dict(oauth)["oauth_body_hash"]
    return values


@pytest.mark.parametrize(
    "case",
    [c for c in OWN_SIGN if "oauthlib-divergence" not in c.flags],
    ids=lambda c: str(c.id),
)
def test_own_case_agrees_with_oauthlib(case: VectorCase) -> None:
    reference = oauthlib_values(dict(case.input))
    compared = [name for name in reference if name in case.expected]
    assert {"base_string", "signature"} & set(compared) or "rsa" in case.flags
    for name in compared:
        assert reference[name] == case.expected[name], name
    if "oauth_body_hash" in case.expected and case.expected["oauth_body_hash"] is None:
        assert "oauth_body_hash" not in reference


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if "own" in c.flags and c.kind == "base_string_uri"],
    ids=lambda c: str(c.id),
)
def test_own_base_string_uri_agrees_with_oauthlib(case: VectorCase) -> None:
    if case.result == "valid":
        assert (
            oauthlib_signature.base_string_uri(case.input["url"])
            == case.expected["base_string_uri"]
        )
    else:
        with pytest.raises(ValueError):
            oauthlib_signature.base_string_uri(case.input["url"])


def _raw_json(case_id: str) -> dict[str, Any]:
    document = json.loads((vectors_directory() / "edge-cases.json").read_text(encoding="utf-8"))
    return next(raw for raw in document["cases"] if raw["id"] == case_id)


def test_divergence_raw_unicode_query() -> None:
    """oauthlib's strict decoder refuses a raw 'é'; percent-encoded, the request agrees exactly."""
    case = BY_ID["edge-raw-unicode-query"]
    raw = _raw_json(case.id)
    with pytest.raises(ValueError, match="invalid characters"):
        oauthlib_values(dict(case.input))
    reference = oauthlib_values(dict(case.input, **raw["cross_check"]["input_override"]))
    assert reference["base_string"] == case.expected["base_string"]
    assert reference["signature"] == case.expected["signature"]


def test_divergence_uncompressed_ipv6_host() -> None:
    """oauthlib rewrites 2001:0db8::0001 as 2001:db8::1; the Host header a client sends does not."""
    case = BY_ID["edge-ipv6-uncompressed"]
    assert _raw_json(case.id)["cross_check"]["divergence"]
    reference = oauthlib_values(dict(case.input))
    assert reference["base_string_uri"] == "http://[2001:db8::1]/r"
    assert case.expected["base_string_uri"] == "http://[2001:0db8::0001]/r"
    rewritten = case.expected["base_string"].replace("2001%3A0db8%3A%3A0001", "2001%3Adb8%3A%3A1")
    assert reference["base_string"] == rewritten


@pytest.mark.parametrize("case", [c for c in OWN_SIGN if "rsa" in c.flags], ids=lambda c: str(c.id))
def test_own_rsa_signature_verifies_with_cryptography(case: VectorCase) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    pem = (vectors_directory() / case.input["credentials"]["rsa_key_file"]).read_bytes()
    public_key: Any = serialization.load_pem_private_key(pem, password=None).public_key()
    algorithm = {"RSA-SHA256": hashes.SHA256(), "RSA-SHA512": hashes.SHA512()}
    public_key.verify(
        base64.b64decode(case.expected["signature"]),
        case.expected["base_string"].encode("utf-8"),
        padding.PKCS1v15(),
        algorithm[case.input["signature_method"]],
    )
    assert oauthlib_values(dict(case.input))["base_string"] == case.expected["base_string"]
