"""A Markdown block is for sharing: no replayable signature in it, and no secret's length."""

from __future__ import annotations

import re
from dataclasses import replace

from typer.testing import CliRunner

from oauth_debug import RFC, Credentials, HttpRequest, sign_at
from oauth_debug.cli.app import app
from oauth_debug.signer import compute, place

runner = CliRunner()
SECRET = "sup3r-s3cret-value"
TOKEN_SECRET = "t0k3n"
CREDS = Credentials("ck", SECRET, token="tok", token_secret=TOKEN_SECRET)
URL = "http://dminform/gallery/api/v1/workflows/"


def _signed() -> tuple[str, str]:
    """(query-signed URL, its signature)."""
    trace = sign_at(HttpRequest("GET", URL), CREDS, timestamp=1, nonce="n", placement="query")
    assert trace.signed_url is not None
    return trace.signed_url, trace.signature


def _assert_shareable(text: str, signature: str) -> None:
    assert SECRET not in text and TOKEN_SECRET not in text
    assert signature not in text
    assert signature.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D") not in text
    assert not re.search(r"\d+ chars", text), text


def test_sign_markdown_elides_the_signature_everywhere() -> None:
    _, signature = _signed()
    args = ["GET", URL, "--consumer-key", "ck", "--consumer-secret", SECRET, "--token", "tok"]
    args += ["--token-secret", TOKEN_SECRET, "--timestamp", "1", "--nonce", "n"]
    for command in ("sign", "explain"):
        result = runner.invoke(app, [command, *args, "--format", "markdown"])
        assert result.exit_code == 0, result.output
        _assert_shareable(result.output, signature)
        assert 'oauth_signature="<elided>"' in result.output
        assert "<consumer secret>&<token secret>" in result.output


def test_verify_markdown_of_a_valid_url_elides_its_signature() -> None:
    url, signature = _signed()
    secrets = ["--consumer-secret", SECRET, "--token-secret", TOKEN_SECRET]
    result = runner.invoke(app, ["verify", "--url", url, *secrets, "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "oauth_signature=<elided>" in result.output
    assert signature not in result.output


def test_diagnose_markdown_has_no_correct_signature_and_no_lengths() -> None:
    request = HttpRequest("GET", URL)
    trace = sign_at(request, CREDS, timestamp=1, nonce="n", placement="query")
    unsigned = place(request, trace.oauth_parameters[:-1], "query")
    wrong = compute(unsigned, CREDS, "HMAC-SHA1", replace(RFC, key_ampersand=False))
    sent = place(
        request, [*trace.oauth_parameters[:-1], ("oauth_signature", wrong.signature)], "query"
    )
    secrets = ["--consumer-secret", SECRET, "--token-secret", TOKEN_SECRET]
    result = runner.invoke(
        app, ["diagnose", "--url", sent.url, *secrets, "--now", "1", "--format", "markdown"]
    )
    assert "key-missing-ampersand" in result.output, result.output
    _assert_shareable(result.output, trace.signature)
    assert "<key without '&'>" in result.output
    assert "<consumer secret>&<token secret>" in result.output
    assert wrong.signature in result.output  # the wrong one is harmless and helps


def test_diagnose_markdown_without_the_secret_elides_the_unchecked_claim() -> None:
    url, signature = _signed()
    result = runner.invoke(app, ["diagnose", "--url", url, "--now", "1", "--format", "markdown"])
    assert "unchecked" in result.output
    assert signature not in result.output
    assert f"`<elided>` ({len(signature)} characters)" in result.output
