"""`diagnose --show-secrets`: the signing key and PLAINTEXT signatures in full; else redacted."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.cli.app import app

runner = CliRunner()
SECRET = "c0nsumer-secret"
TOKEN_SECRET = "t0ken-secret"
CREDS = Credentials("ck", SECRET, token="tok", token_secret=TOKEN_SECRET)
KEY = f"{SECRET}&{TOKEN_SECRET}"


def _run(*extra: str, method: str = "PLAINTEXT") -> tuple[int, str]:
    trace = sign_at(
        HttpRequest("GET", "http://x.example/a"),
        CREDS,
        timestamp=1,
        nonce="n",
        placement="query",
        signature_method=method,
    )
    assert trace.signed_url is not None
    args = ["diagnose", "--url", trace.signed_url, "--consumer-secret", SECRET]
    result = runner.invoke(app, [*args, "--token-secret", TOKEN_SECRET, "--now", "1", *extra])
    return result.exit_code, result.output


def test_default_is_redacted_in_text_and_json() -> None:
    for extra in (
        [],
        ["--format", "json"],
        ["--format", "markdown"],
        ["--show-secrets", "-f", "markdown"],
    ):
        code, out = _run(*extra)
        assert code == 0, out
        assert SECRET not in out and TOKEN_SECRET not in out


def test_show_secrets_prints_the_key_and_the_plaintext_signature() -> None:
    code, out = _run("--show-secrets")
    assert code == 0, out
    assert f"claimed signature:  {KEY}" in out
    assert f"correct signature:  {KEY}" in out
    assert f"signing key:        {KEY}" in out
    code, out = _run("--show-secrets", "--format", "json")
    document = json.loads(out)
    assert document["secrets_shown"] is True
    assert document["claimed_signature"] == KEY
    assert document["expected"]["signing_key"] == KEY
    assert document["expected"]["signature"] == KEY


def test_show_secrets_with_hmac_shows_the_key() -> None:
    code, out = _run("--show-secrets", method="HMAC-SHA1")
    assert code == 0, out
    assert f"signing key:        {KEY}" in out
