"""`explain --postman COLLECTION --request NAME` shows what Postman signs, every step."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from oauth_debug.cli.app import app

COLLECTION = str(
    Path(__file__).parent.parent / "data" / "captures" / "postman-oauth1.postman_collection.json"
)
runner = CliRunner()


def test_explain_postman_json_has_the_trace_and_postmans_choices() -> None:
    result = runner.invoke(
        app, ["explain", "--postman", COLLECTION, "--request", "Queue a job", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["postman"]["request"] == "Workflows/Queue a job"
    assert document["placement"] == "body"
    assert document["signature_method"] == "HMAC-SHA256"
    assert "oauth_token=&" in document["signed_body"]
    assert any("addParamsToHeader false" in n for n in document["postman"]["notes"])


def test_explain_postman_text_lists_the_options_then_the_steps() -> None:
    result = runner.invoke(
        app, ["explain", "--postman", COLLECTION, "--request", "List workflows"],
        env={"COLUMNS": "120"},
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout.startswith("What Postman signs for 'Workflows/List workflows':")
    assert "1. Collect the parameters" in result.stdout


def test_explain_without_method_and_url_or_postman_is_bad_input() -> None:
    result = runner.invoke(app, ["explain"])
    assert result.exit_code == 2
    assert "METHOD and URL" in result.output
    result = runner.invoke(app, ["explain", "--postman", COLLECTION])
    assert result.exit_code == 2
    assert "--request" in result.output


def test_explain_with_method_and_url_still_signs_as_before() -> None:
    result = runner.invoke(
        app,
        ["explain", "GET", "https://a.example/r", "--consumer-key", "k", "--consumer-secret", "s",
         "--timestamp", "1", "--nonce", "n", "-f", "json"],
    )  # fmt: skip
    assert result.exit_code == 0
    assert json.loads(result.stdout)["base_string"].startswith("GET&https%3A%2F%2Fa.example%2Fr&")
