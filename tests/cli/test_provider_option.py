"""--provider on sign, explain, verify, diagnose and request; guessed from the host when absent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from oauth_debug import Credentials, HttpRequest
from oauth_debug.cli.app import app
from oauth_debug.sandbox import DEMO_API_KEY, DEMO_API_SECRET, create_app, serve_in_background
from oauth_debug.signer import sign_at

NETSUITE = "https://123456-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer"
runner = CliRunner()


def netsuite_curl(realm: str) -> str:
    trace = sign_at(
        HttpRequest("GET", NETSUITE),
        Credentials("ck", "cs"),
        timestamp=1_700_000_000,
        nonce="abcdef123",
        signature_method="HMAC-SHA256",
        realm=realm,
    )
    assert trace.signed_request is not None
    auth = trace.signed_request.header("Authorization")
    return f"curl '{NETSUITE}' -H 'Authorization: {auth}'"


@pytest.mark.parametrize("command", ["sign", "explain"])
def test_signing_commands_say_the_guessed_provider_rules_on_stderr(command: str) -> None:
    result = runner.invoke(
        app,
        [command, "GET", NETSUITE, "--consumer-key", "k", "--consumer-secret", "s", "-f", "json"],
    )
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # stdout stays the document
    assert "guessed from the host 123456-sb1.suitetalk.api.netsuite.com" in result.stderr
    assert 'realm="123456_SB1"' in result.stderr
    assert "HMAC-SHA1 since release 2023.1" in result.stderr


def test_sign_with_a_provider_that_has_nothing_to_ask_says_only_which() -> None:
    result = runner.invoke(
        app,
        ["sign", "GET", "https://api.example.com/x", "--consumer-key", "k",
         "--consumer-secret", "s", "--provider", "trello"],
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stderr.strip().startswith("provider info: checked against the rules of Trello")


def test_an_unknown_provider_is_bad_input() -> None:
    result = runner.invoke(
        app,
        ["sign", "GET", "https://api.example.com/x", "--consumer-key", "k",
         "--consumer-secret", "s", "--provider", "acme"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "unknown provider 'acme'" in result.output


def test_diagnose_json_carries_the_provider_findings() -> None:
    result = runner.invoke(
        app,
        ["diagnose", "--curl", netsuite_curl("123456-sb1"), "--consumer-secret", "cs",
         "--now", "1700000000", "-f", "json"],
    )  # fmt: skip
    document = json.loads(result.stdout)
    assert document["verdict"] == "valid"
    realm = next(f for f in document["findings"] if f["id"] == "provider-realm")
    assert realm["data"] == {"realm": "123456-sb1", "expected": "123456_SB1"}
    assert result.exit_code == 1  # valid, but NetSuite refuses it


def test_diagnose_with_the_right_realm_is_ok_and_names_the_profile() -> None:
    result = runner.invoke(
        app,
        ["diagnose", "--curl", netsuite_curl("123456_SB1"), "--consumer-secret", "cs",
         "--now", "1700000000", "-f", "json", "--provider", "netsuite"],
    )  # fmt: skip
    document = json.loads(result.stdout)
    first = next(f for f in document["findings"] if f["id"] == "provider")
    assert first["data"] == {
        "provider": "netsuite",
        "guessed": False,
        "reason": "named with --provider",
    }
    assert result.exit_code == 0, document["findings"]


def test_verify_prints_the_provider_findings_on_stderr() -> None:
    result = runner.invoke(
        app, ["verify", "--curl", netsuite_curl("123456-sb1"), "--consumer-secret", "cs"]
    )
    assert result.exit_code == 0
    assert "provider error:" in result.stderr and "123456_SB1" in result.stderr


@pytest.fixture
def sandbox() -> Iterator[str]:
    with serve_in_background(create_app()) as server:
        yield server.base_url + "/api/v1"


def test_request_with_a_named_provider(sandbox: Any) -> None:
    env = {"OAUTH_CONSUMER_KEY": DEMO_API_KEY, "OAUTH_CONSUMER_SECRET": DEMO_API_SECRET}
    result = CliRunner(env=env).invoke(
        app, ["request", "GET", f"{sandbox}/workflows/subscription/", "--provider", "mastercard"]
    )
    assert result.exit_code == 0, result.output
    assert "Mastercard wants oauth_body_hash on every request" in result.stderr


def test_request_refuses_an_unknown_provider_before_sending() -> None:
    env = {"OAUTH_CONSUMER_KEY": "k", "OAUTH_CONSUMER_SECRET": "s"}
    result = CliRunner(env=env).invoke(
        app, ["request", "GET", "http://127.0.0.1:9/x", "--provider", "acme"]
    )
    assert result.exit_code == 2
    assert "unknown provider" in result.output and "failed" not in result.output
