"""`oauth-debug verify` through typer's CliRunner: exit codes 0/1/2, the JSON shape, and secrets.

Signed requests are made with sign_at at a fixed timestamp and nonce; the Twitter guide request
(tests/data/inputs/postman.curl, mitmproxy.http) carries its published signature.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from oauth_debug import Credentials, HttpRequest, SigningTrace, sign_at
from oauth_debug.cli.app import app

runner = CliRunner()
SAMPLES = Path(__file__).parents[1] / "data" / "inputs"
CONSUMER_SECRET = "kd94hf93k423kf44"
TOKEN_SECRET = "pfkkdhi9sl3r4s00"
CREDENTIALS = Credentials("dpf43f3p2l4k3l03", CONSUMER_SECRET, "nnch734d00sl2jdk", TOKEN_SECRET)
SECRETS = ["--consumer-secret", CONSUMER_SECRET, "--token-secret", TOKEN_SECRET]
# Twitter "Creating a signature" guide credentials (/work/shared/research/vectors.md).
TWITTER_SECRETS = [
    "--consumer-secret",
    "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
    "--token-secret",
    "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
]
JSON_KEYS = {
    "valid",
    "claimed_signature",
    "expected_signature",
    "signature_method",
    "base_string",
    "trace",
    "notes",
}


def signed(placement: str = "query", method: str = "HMAC-SHA1", **request: str) -> SigningTrace:
    return sign_at(
        HttpRequest(
            request.get("method", "GET"),
            request.get("url", "https://gallery.example.com/gallery/api/v1/workflows/?q=a b"),
        ),
        CREDENTIALS,
        timestamp=1539784724,
        nonce="7Ck8g",
        placement=placement,
        signature_method=method,
    )


def invoke(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, ["verify", *args], input=stdin, env=env)


def signed_url(trace: SigningTrace) -> str:
    assert trace.signed_request is not None
    return trace.signed_request.url


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        assert CONSUMER_SECRET not in text
        assert TOKEN_SECRET not in text


def test_valid_signed_url_exits_0_with_the_method_and_base_string() -> None:
    trace = signed()
    result = invoke("--url", signed_url(trace), *SECRETS)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "valid: the HMAC-SHA1 signature matches GET https://gallery.example.com/"
    )
    assert f"base string: {trace.base_string}" in result.stdout
    assert result.stderr == (
        "note: the URL contains spaces; read as %20, which is how HTTP clients send them\n"
        "note: oauth_signature found in the query string\n"
    )
    assert_no_secret(result.output)


def test_wrong_secret_exits_1_with_both_signatures_the_trace_and_a_hint() -> None:
    trace = signed()
    wrong = sign_at(
        HttpRequest("GET", "https://gallery.example.com/gallery/api/v1/workflows/?q=a b"),
        Credentials("dpf43f3p2l4k3l03", "another", "nnch734d00sl2jdk", TOKEN_SECRET),
        timestamp=1539784724,
        nonce="7Ck8g",
        placement="query",
    )
    result = invoke("--url", signed_url(wrong), *SECRETS)
    assert result.exit_code == 1
    assert f"claimed:    {wrong.signature}" in result.stdout
    assert f"recomputed: {trace.signature}" in result.stdout
    assert "Make the signing key" in result.stdout  # the lead's step-by-step trace
    assert "run `oauth-debug diagnose` with the same input options" in result.stdout
    assert_no_secret(result.output)


def test_json_for_a_mismatch_has_every_key_and_redacts_the_key() -> None:
    trace = signed()
    tampered = signed_url(trace).replace("q=a b", "q=a c")
    result = invoke("--url", tampered, *SECRETS, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert set(document) >= JSON_KEYS
    assert document["valid"] is False
    assert document["claimed_signature"] == trace.signature
    assert document["expected_signature"] != trace.signature
    assert document["signature_method"] == "HMAC-SHA1"
    assert "q%3Da%2520c" in document["base_string"]
    assert document["trace"]["base_string"] == document["base_string"]
    assert document["trace"]["secrets_shown"] is False
    assert document["notes"][-1] == "oauth_signature found in the query string"
    assert result.stderr == ""  # notes go into the JSON, not to stderr
    assert_no_secret(result.output)


def test_json_for_a_valid_header_signed_request_from_url_and_header() -> None:
    trace = signed(placement="header", method="HMAC-SHA256")
    authorization = trace.authorization_header
    assert authorization is not None
    result = invoke(
        "--url", trace.request.url, "-H", f"Authorization: {authorization}", *SECRETS, "-f", "json"
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["valid"] is True
    assert document["claimed_signature"] == document["expected_signature"] == trace.signature
    assert document["signature_method"] == "HMAC-SHA256"
    assert document["base_string"] == trace.base_string
    assert document["placement"] == "header"


def test_show_secrets_reveals_the_signing_key() -> None:
    result = invoke("--url", signed_url(signed()), *SECRETS, "-f", "json", "--show-secrets")
    document = json.loads(result.stdout)
    assert document["trace"]["signing_key"] == f"{CONSUMER_SECRET}&{TOKEN_SECRET}"


def test_plaintext_signature_is_the_key_and_is_redacted_everywhere() -> None:
    trace = signed(method="PLAINTEXT")
    for output_format in ("text", "json", "markdown"):
        result = invoke("--url", signed_url(trace), *SECRETS, "-f", output_format)
        assert result.exit_code == 0
        assert_no_secret(result.output)
    shown = invoke("--url", signed_url(trace), *SECRETS, "-f", "json", "--show-secrets")
    assert json.loads(shown.stdout)["claimed_signature"] == f"{CONSUMER_SECRET}&{TOKEN_SECRET}"


def test_plaintext_mismatch_redacts_the_claim_in_text() -> None:
    trace = signed(method="PLAINTEXT")
    result = invoke("--url", signed_url(trace), "--consumer-secret", "other", "-f", "text")
    assert result.exit_code == 1
    assert "claimed:    ****" in result.stdout
    assert_no_secret(result.output)


def test_markdown_mismatch_is_secret_free_and_includes_the_trace() -> None:
    wrong = signed_url(signed()).replace("oauth_nonce=7Ck8g", "oauth_nonce=other")
    result = invoke("--url", wrong, *SECRETS, "--format", "markdown")
    assert result.exit_code == 1
    assert result.stdout.startswith("## oauth-debug verify: invalid\n")
    assert "### OAuth 1.0 signature (HMAC-SHA1), step by step" in result.stdout
    assert "- note: oauth_signature found in the query string" in result.stdout
    assert_no_secret(result.output)


def test_secrets_from_the_environment() -> None:
    env = {"OAUTH_CONSUMER_SECRET": CONSUMER_SECRET, "OAUTH_TOKEN_SECRET": TOKEN_SECRET}
    result = invoke("--url", signed_url(signed()), env=env)
    assert result.exit_code == 0, result.output


def test_postman_curl_of_the_twitter_guide_request_is_valid() -> None:
    result = invoke(
        "--curl", (SAMPLES / "postman.curl").read_text(), *TWITTER_SECRETS, "-f", "json"
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["expected_signature"] == "hCtSmYh+iHYCEqBWrE7C7hYmtUk="
    assert document["notes"][0] == (
        "ignored curl options that do not change what is signed: --location"
    )


def test_proxy_log_from_stdin_needs_the_right_scheme() -> None:
    raw = (SAMPLES / "mitmproxy.http").read_bytes()
    assert invoke("--http", "-", "--scheme", "https", *TWITTER_SECRETS, stdin=raw).exit_code == 0
    # Over plain http the base string URI differs, so the same request does not verify.
    result = invoke("--http", "-", *TWITTER_SECRETS, stdin=raw)
    assert result.exit_code == 1
    assert "pass --scheme https if the request went over TLS" in result.stderr


def test_curl_built_from_a_signed_request_verifies() -> None:
    trace = signed(placement="header", method="HMAC-SHA1")
    signed_request = trace.signed_request
    assert signed_request is not None
    words = ["curl", signed_request.url, "--compressed"]
    for name, value in signed_request.headers:
        words += ["-H", f"{name}: {value}"]
    result = invoke("--curl", " ".join(shlex.quote(w) for w in words), *SECRETS)
    assert result.exit_code == 0, result.output
    assert "note: ignored curl options that do not change what is signed: --compressed" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [],
            "error: give the request with exactly one of --url, --curl or --http (none was given)",
        ),
        (
            ["--curl", "wget https://h/"],
            "error: expected a curl command line starting with 'curl', got 'wget'",
        ),
        (
            ["--url", "https://h/?oauth_signature=x&oauth_signature_method=HMAC-SHA1"],
            "error: verify recomputes the signature and needs --consumer-secret (or "
            "OAUTH_CONSUMER_SECRET); without the secret, `oauth-debug diagnose` checks "
            "what it can",
        ),
        (
            ["--url", "https://h/", "--consumer-secret", "s"],
            "error: the request carries no oauth_signature; verification needs the signed "
            "request exactly as it was sent (header, query or form body)",
        ),
        (
            [
                "--url",
                "https://h/?oauth_signature=x&oauth_signature_method=RSA-SHA1",
                "--consumer-secret",
                "s",
            ],
            "error: the request is signed with RSA-SHA1; verify needs the signer's public "
            "key or certificate: --rsa-key FILE",
        ),
        (
            ["--http", "/nonexistent/request.txt"],
            "error: cannot read --http file '/nonexistent/request.txt': No such file or directory",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == message
    assert "Traceback" not in result.output


def test_help_shows_examples() -> None:
    result = runner.invoke(app, ["verify", "--help"])
    assert result.exit_code == 0
    assert "oauth-debug verify --curl" in result.stdout
    assert "0 valid, 1 invalid, 2 bad input" in result.stdout


def test_rsa_signature_is_checked_with_the_key_file() -> None:
    key_file = Path(__file__).parents[1] / "data" / "oauth-wiki-rsa-test-key.pem"
    trace = sign_at(
        HttpRequest("GET", "https://h.example/p?a=1"),
        Credentials("k", rsa_key=key_file.read_text()),
        timestamp=1539784724,
        nonce="7Ck8g",
        signature_method="RSA-SHA1",
        placement="query",
    )
    url = signed_url(trace)
    assert invoke("--url", url, "--rsa-key", str(key_file)).exit_code == 0
    result = invoke("--url", url.replace("a=1", "a=2"), "--rsa-key", str(key_file), "-f", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["claimed_signature"] == trace.signature
    assert document["expected_signature"] == ""  # RSA is checked, not recomputed
    assert "BEGIN" not in result.output
