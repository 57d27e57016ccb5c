"""Provider findings: each provider rule, broken by a request that is right by the RFC."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import signed_request
from hypothesis import given
from hypothesis import strategies as st

from oauth_debug import Credentials, HttpRequest
from oauth_debug.diagnosis.engine import diagnose
from oauth_debug.diagnosis.findings import Finding
from oauth_debug.diagnosis.provider_findings import (
    netsuite_realm,
    provider_findings,
    provider_lines,
    with_provider,
)
from oauth_debug.diagnosis.providers import ProviderChoice, choose, get_profile

CREDENTIALS = Credentials("ck", "cs", token="tk", token_secret="ts")
NETSUITE = "https://123456-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer"
FORM = (("Content-Type", "application/x-www-form-urlencoded"),)
NOW = 1_700_000_000


def signed(request: HttpRequest, **options: Any) -> HttpRequest:
    defaults: dict[str, Any] = {"timestamp": NOW, "nonce": "abcdef123456"}
    defaults.update(options)
    return signed_request(request, CREDENTIALS, **defaults)


def findings_for(request: HttpRequest, provider: str | None = None) -> dict[str, Finding]:
    choice = choose(request, provider)
    assert choice is not None
    return {f.id: f for f in provider_findings(request, choice, now=NOW)}


@pytest.mark.parametrize(
    ("host", "realm"),
    [
        ("123456-sb1.suitetalk.api.netsuite.com", "123456_SB1"),
        ("tstdrv1234567.restlets.api.netsuite.com", "TSTDRV1234567"),
        ("987654.suitetalk.api.netsuite.com", "987654"),
        ("system.netsuite.com", None),
    ],
)
def test_the_netsuite_realm_is_the_account_id_upper_cased_with_underscores(
    host: str, realm: str | None
) -> None:
    assert netsuite_realm(host) == realm


def test_netsuite_realm_written_as_the_host_writes_it_is_an_error() -> None:
    request = signed(
        HttpRequest("GET", NETSUITE), signature_method="HMAC-SHA256", realm="123456-sb1"
    )
    found = findings_for(request)
    assert found["provider-realm"].severity == "error"
    assert found["provider-realm"].data["expected"] == "123456_SB1"
    assert "123456-sb1" in found["provider-realm"].message


def test_netsuite_with_the_right_realm_and_sha256_has_nothing_to_say() -> None:
    request = signed(
        HttpRequest("GET", NETSUITE), signature_method="HMAC-SHA256", realm="123456_SB1"
    )
    assert set(findings_for(request)) == {"provider"}


def test_netsuite_refuses_hmac_sha1_since_2023_1() -> None:
    request = signed(HttpRequest("GET", NETSUITE), realm="123456_SB1")
    finding = findings_for(request)["provider-signature-method"]
    assert finding.severity == "error"
    assert "2023.1" in finding.message and "HMAC-SHA256" in finding.message


def test_netsuite_reads_the_realm_from_the_header_only() -> None:
    request = signed(
        HttpRequest("GET", NETSUITE), signature_method="HMAC-SHA256", placement="query"
    )
    assert findings_for(request)["provider-realm-placement"].data == {"placement": "query"}


def test_netsuite_short_nonce_and_timestamp_outside_five_minutes() -> None:
    request = signed(
        HttpRequest("GET", NETSUITE),
        signature_method="HMAC-SHA256",
        realm="123456_SB1",
        nonce="abc",
        timestamp=NOW - 301,
    )
    found = findings_for(request)
    assert found["provider-nonce-short"].data == {"length": 3, "minimum": 6}
    assert found["provider-timestamp-window"].data["window_seconds"] == 300


def test_mastercard_get_without_a_body_hash_is_told_the_hash_of_the_empty_body() -> None:
    request = signed(
        HttpRequest("GET", "https://sandbox.api.mastercard.com/mdes/x"),
        signature_method="HMAC-SHA256",
    )
    finding = findings_for(request)["provider-body-hash-missing"]
    assert finding.severity == "error"
    # base64(SHA-256(b"")): the body hash draft's value for no body.
    assert finding.data["expected"] == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    assert "GET" in finding.message


def test_mastercard_with_a_body_hash_has_no_body_hash_finding() -> None:
    request = signed(
        HttpRequest("GET", "https://api.mastercard.com/x"),
        signature_method="HMAC-SHA256",
        body_hash=True,
    )
    assert "provider-body-hash-missing" not in findings_for(request)


def test_woocommerce_over_https_is_refused_and_the_proxy_is_named() -> None:
    request = signed(HttpRequest("GET", "https://shop.example/wp-json/wc/v3/orders"))
    finding = findings_for(request)["provider-https-oauth1"]
    assert finding.severity == "error"
    assert "home URL" in finding.message and "proxy" in finding.message
    plain = signed(HttpRequest("GET", "http://shop.example/wp-json/wc/v3/orders"))
    assert "provider-https-oauth1" not in findings_for(plain)


def test_x_v2_json_body_is_never_signed() -> None:
    body = b'{"text": "hello"}'
    request = signed(
        HttpRequest(
            "POST", "https://api.x.com/2/tweets", (("Content-Type", "application/json"),), body
        ),
        body_hash=True,
    )
    finding = findings_for(request)["provider-json-body-unsigned"]
    assert finding.severity == "warning"
    assert "oauth_body_hash" in finding.message
    without = signed(
        HttpRequest(
            "POST", "https://api.x.com/2/tweets", (("Content-Type", "application/json"),), body
        ),
        body_hash=False,
    )
    assert findings_for(without)["provider-json-body-unsigned"].severity == "info"


def test_lti_launch_without_oauth_callback_warns_of_a_tool_adding_its_own() -> None:
    body = b"lti_message_type=basic-lti-launch-request&resource_link_id=1"
    request = signed(
        HttpRequest("POST", "https://tool.example/launch", FORM, body), placement="body"
    )
    finding = findings_for(request)["provider-lti-callback"]
    assert "ltiauthenticator#139" in finding.message
    assert finding.data == {"oauth_callback": None}


def test_lti_launch_with_its_own_callback_value_is_a_warning() -> None:
    body = b"lti_message_type=basic-lti-launch-request"
    request = signed(
        HttpRequest("POST", "https://tool.example/launch", FORM, body),
        placement="body",
        callback="https://tool.example/cb",
    )
    assert findings_for(request)["provider-lti-callback"].severity == "warning"
    fine = signed(
        HttpRequest("POST", "https://tool.example/launch", FORM, body),
        placement="body",
        callback="about:blank",
    )
    assert "provider-lti-callback" not in findings_for(fine)


def test_schoology_wants_its_fixed_realm() -> None:
    request = signed(HttpRequest("GET", "https://api.schoology.com/v1/users/me"))
    assert findings_for(request)["provider-realm"].data["expected"] == "Schoology API"
    right = signed(
        HttpRequest("GET", "https://api.schoology.com/v1/users/me"), realm="Schoology API"
    )
    assert "provider-realm" not in findings_for(right)


def test_jira_refuses_hmac_sha1_as_a_warning() -> None:
    request = signed(HttpRequest("GET", "https://travis.atlassian.net/rest/api/2/project"))
    finding = findings_for(request)["provider-signature-method"]
    assert finding.severity == "warning" and "RSA-SHA1" in finding.message


def test_the_first_finding_says_which_profile_and_whether_guessed() -> None:
    request = signed(
        HttpRequest("GET", NETSUITE), signature_method="HMAC-SHA256", realm="123456_SB1"
    )
    guessed = provider_findings(
        request, ProviderChoice(get_profile("netsuite"), True, "the host h")
    )
    named = provider_findings(request, ProviderChoice(get_profile("netsuite"), False, "named"))
    assert "guessed from the host h" in guessed[0].message
    assert "guessed" not in named[0].message
    assert guessed[0].data["guessed"] is True


def test_diagnose_with_a_provider_adds_its_findings_and_keeps_the_rest() -> None:
    request = signed(HttpRequest("GET", NETSUITE), realm="123456-sb1")
    before = diagnose(request, CREDENTIALS, now=NOW)
    after = with_provider(before, request, choose(request, None), now=NOW)
    assert after.findings[: len(before.findings)] == before.findings
    ids = [f.id for f in after.findings]
    assert "provider-realm" in ids and "provider-signature-method" in ids
    assert after.verdict == before.verdict == "valid"
    assert not after.ok  # a provider error makes the request one the server refuses


def test_provider_lines_are_empty_for_a_guess_with_nothing_to_ask() -> None:
    request = signed(HttpRequest("GET", "http://dminform/gallery/api/v1/workflows/"))
    assert provider_lines(request, None) == ()
    named = provider_lines(request, "alteryx")
    assert len(named) == 1 and named[0].startswith("provider info: checked against")


@given(st.from_regex(r"[0-9]{4,9}(-sb[0-9])?", fullmatch=True))
def test_netsuite_realm_has_no_dash_and_no_lower_case(account: str) -> None:
    realm = netsuite_realm(f"{account}.suitetalk.api.netsuite.com")
    assert realm is not None
    assert "-" not in realm and realm == realm.upper()
    assert realm.replace("_", "-").lower() == account


def test_a_guessed_provider_with_nothing_to_say_adds_nothing_to_the_diagnosis() -> None:
    request = signed(HttpRequest("GET", "http://dminform/gallery/api/v1/workflows/"))
    before = diagnose(request, CREDENTIALS, now=NOW)
    assert with_provider(before, request, choose(request, None), now=NOW) == before
    named = with_provider(before, request, choose(request, "alteryx"), now=NOW)
    assert [f.id for f in named.findings][-1] == "provider"
