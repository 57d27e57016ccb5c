"""`verify` prints the request as it was received: the renderers decide what to hide from
``--show-secrets`` and the request's own text (where its oauth_signature travels, RFC 5849 3.5),
instead of a trace whose request was rewritten by searching for the signature's characters."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from oauth_debug.cli.app import app

runner = CliRunner()

# A PLAINTEXT request signed with the wrong key "k&" (consumer secret "k", no token secret): the
# same two characters occur in "kind=k&", a parameter the server signs.
QUERY = (
    "kind=k&oauth_consumer_key=ck&oauth_nonce=n&oauth_signature_method=PLAINTEXT"
    "&oauth_timestamp=1&oauth_version=1.0"
)
URL = f"http://example.com/p?{QUERY}&oauth_signature=k%26"


def verify_json(*extra: str) -> dict[str, object]:
    result = runner.invoke(
        app, ["verify", "--url", URL, "--consumer-secret", "right", "--format", "json", *extra]
    )
    assert result.exit_code == 1, result.output
    document: dict[str, object] = json.loads(result.output)
    return document


def test_the_url_shown_is_the_request_with_only_its_signature_redacted() -> None:
    document = verify_json()
    assert document["url"] == f"http://example.com/p?{QUERY}&oauth_signature=****"
    # The parameters shown are the ones the base string was computed from.
    assert "kind%3Dk%26oauth_consumer_key%3Dck" in str(document["base_string"])
    assert document["claimed_signature"] == "****"


def test_show_secrets_shows_the_request_as_received() -> None:
    document = verify_json("--show-secrets")
    assert document["url"] == URL
    assert document["claimed_signature"] == "k&"


def test_the_text_output_names_the_request_with_its_other_parameters_intact() -> None:
    result = runner.invoke(
        app,
        ["verify", "--url", URL, "--consumer-secret", "right", "--full"],
        env={"COLUMNS": "400"},
    )
    assert result.exit_code == 1, result.output
    assert "kind=k&oauth_consumer_key=ck" in result.output
    assert "oauth_version=1.0&oauth_signature=****" in result.output
    assert "oauth_signature=k%26" not in result.output
