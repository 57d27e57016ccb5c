"""`oauth-debug diff`: exit codes, the three formats, and where the base strings come from."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from oauth_debug.cli.app import app

A = "GET&http%3A%2F%2Fapi.example.com%2Fv1&oauth_consumer_key%3Dkey%26oauth_nonce%3Dabc"
B_PORT = "GET&http%3A%2F%2Fapi.example.com%3A8080%2Fv1&oauth_consumer_key%3Dkey%26oauth_nonce%3Dabc"
B_NONCE = "GET&http%3A%2F%2Fapi.example.com%2Fv1&oauth_consumer_key%3Dkey%26oauth_nonce%3Dxyz"

runner = CliRunner()


def test_identical_exits_0() -> None:
    result = runner.invoke(app, ["diff", A, A])
    assert result.exit_code == 0, result.output
    assert "Identical base strings." in result.output


def test_different_exits_1_and_names_the_parameter() -> None:
    result = runner.invoke(app, ["diff", A, B_NONCE])
    assert result.exit_code == 1, result.output
    assert "parameter oauth_nonce differs" in " ".join(result.output.split())


def test_json_keys_and_first_difference() -> None:
    result = runner.invoke(app, ["diff", A, B_PORT, "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["first_part"] == "uri:port"
    assert document["uri_differences"] == ["port"]
    assert document["identical"] is False
    assert document["first_offset"] == A.index("%2Fv1") + 1  # "%2F" against "%3A"
    assert {"a", "b", "parameters", "summary", "first_difference", "notes"} <= set(document)
    assert document["b"]["uri_parts"]["port"] == "8080"


def test_markdown_table() -> None:
    result = runner.invoke(app, ["diff", A, B_NONCE, "-f", "markdown"])
    assert result.exit_code == 1
    assert "| `oauth_nonce` | `abc` | `xyz` | differs |" in result.output
    assert "**First difference**" in result.output


def test_two_files(tmp_path: Path) -> None:
    first, second = tmp_path / "server.txt", tmp_path / "mine.txt"
    first.write_text(A + "\n")
    second.write_text(B_PORT + "\n")
    result = runner.invoke(
        app, ["diff", "--from-file", str(first), "--from-file", str(second), "-f", "json"]
    )
    assert result.exit_code == 1
    assert json.loads(result.output)["first_part"] == "uri:port"


def test_one_file_with_two_lines(tmp_path: Path) -> None:
    both = tmp_path / "both.txt"
    both.write_text(f"\n{A}\n\n{A}\n")
    result = runner.invoke(app, ["diff", "-F", str(both)])
    assert result.exit_code == 0, result.output


def test_standard_input() -> None:
    result = runner.invoke(app, ["diff", "--from-file", "-"], input=f"{A}\n{B_NONCE}\n")
    assert result.exit_code == 1


def test_bad_base_string_exits_2_with_one_line() -> None:
    result = runner.invoke(app, ["diff", "not a base string", A])
    assert result.exit_code == 2
    assert result.output.startswith("error: 'not a base string' is not a signature base string")
    assert result.output.count("\n") == 1


def test_missing_and_mixed_inputs_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["diff", A]).exit_code == 2
    one_line = tmp_path / "one.txt"
    one_line.write_text(A)
    only_one = runner.invoke(app, ["diff", "-F", str(one_line)])
    assert only_one.exit_code == 2
    assert "holds 1 non-empty lines" in only_one.output
    mixed = runner.invoke(app, ["diff", A, "-F", str(one_line)])
    assert mixed.exit_code == 2
    missing = runner.invoke(app, ["diff", "-F", str(tmp_path / "absent.txt")])
    assert missing.exit_code == 2
    assert "cannot read --from-file" in missing.output


def test_help_has_an_example() -> None:
    result = runner.invoke(app, ["diff", "--help"])
    assert result.exit_code == 0
    assert "oauth-debug diff --from-file server.txt --from-file mine.txt" in result.output
