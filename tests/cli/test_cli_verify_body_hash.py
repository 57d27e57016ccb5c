"""verify on a body changed after signing: the signature holds, the oauth_body_hash does not."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.cli.app import app

runner = CliRunner()
CREDENTIALS = Credentials("k", "s")
BODY = b'{"a":1}'


def tampered_args() -> list[str]:
    """A JSON POST signed with its body hash, then one byte of the body changed."""
    trace = sign_at(
        HttpRequest("POST", "http://x.example/jobs", [("Content-Type", "application/json")], BODY),
        CREDENTIALS,
        timestamp=1,
        nonce="n",
    )
    assert any(name == "oauth_body_hash" for name, _ in trace.oauth_parameters)
    return [
        "verify",
        "--url",
        "http://x.example/jobs",
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "-H",
        f"Authorization: {trace.authorization_header}",
        "--data",
        '{"a":2}',
        "--consumer-secret",
        "s",
    ]


def test_text_says_the_body_hash_is_wrong_and_shows_both_hashes() -> None:
    result = runner.invoke(app, tampered_args(), env={"COLUMNS": "100"})
    assert result.exit_code == 1, result.output
    out = result.output
    assert "body hash" in out and "signature is right" in out
    hashes = re.findall(r"[A-Za-z0-9+/]{27}=", out)
    assert "n4nHQM60bXQYySSnisV5QdXpZSA=" in hashes  # the hash of {"a":1}, claimed
    assert len(set(hashes) - {"n4nHQM60bXQYySSnisV5QdXpZSA="}) >= 1


def test_json_names_the_body_hash_mismatch() -> None:
    result = runner.invoke(app, [*tampered_args(), "--format", "json"])
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    assert document["valid"] is False
    assert document["signature_matches"] is True
    assert document["claimed_signature"] == document["expected_signature"]
    assert document["body_hash_matches"] is False
    assert document["claimed_body_hash"] == "n4nHQM60bXQYySSnisV5QdXpZSA="
    assert document["body_hash"] not in (None, document["claimed_body_hash"])


def test_json_of_an_intact_request_has_the_new_keys() -> None:
    args = tampered_args()
    args[args.index('{"a":2}')] = BODY.decode()
    document = json.loads(runner.invoke(app, [*args, "--format", "json"]).output)
    assert document["valid"] is True
    assert document["signature_matches"] is True
    assert document["body_hash_matches"] is True
    assert document["claimed_body_hash"] == document["body_hash"] == "n4nHQM60bXQYySSnisV5QdXpZSA="
