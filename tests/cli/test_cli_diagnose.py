"""`oauth-debug diagnose` through typer's CliRunner: exit codes, JSON keys, formats, no secrets."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner

from oauth_debug import RFC, Credentials, HttpRequest, sign_at
from oauth_debug.cli.app import app
from oauth_debug.signer import place

SECRET = "sup3r-s3cret-value"
CREDS = Credentials("ck", SECRET)
URL = "http://dminform:80/gallery/api/v1/workflows/wf1/jobs/"
SIGNED_AT = 1539784724
runner = CliRunner()


def signed_url(recipe_changes: dict[str, object] | None = None) -> str:
    """A query-signed URL; with ``recipe_changes`` its signature is made with that mistake."""
    request = HttpRequest("GET", URL)
    trace = sign_at(request, CREDS, timestamp=SIGNED_AT, nonce="7Ck8g", placement="query")
    assert trace.signed_url is not None
    if not recipe_changes:
        return trace.signed_url
    from oauth_debug.signer import compute

    unsigned = place(request, trace.oauth_parameters[:-1], "query")
    wrong = compute(unsigned, CREDS, "HMAC-SHA1", replace(RFC, **recipe_changes))  # type: ignore[arg-type]
    return place(request, [*trace.oauth_parameters[:-1], ("oauth_signature", wrong.signature)],
                 "query").url  # fmt: skip


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["diagnose", *args])
    return result.exit_code, result.output


def test_valid_and_fresh_exits_0() -> None:
    code, out = run("--url", signed_url(), "--consumer-secret", SECRET, "--now", str(SIGNED_AT))
    assert code == 0, out
    assert "VALID" in out


def test_valid_but_stale_exits_1_and_says_why() -> None:
    code, out = run("--url", signed_url(), "--consumer-secret", SECRET, "--now", "1700000000")
    assert code == 1
    assert "copied-signed-url" in out and "timestamp-stale" in out


def test_window_sets_how_old_a_timestamp_may_be() -> None:
    url, secret = signed_url(), ("--consumer-secret", SECRET)
    seven_hundred_seconds_later = str(SIGNED_AT + 700)
    code, out = run("--url", url, *secret, "--now", seven_hundred_seconds_later)
    assert code == 1 and "timestamp-stale" in out  # the default window is 600 s
    code, out = run("--url", url, *secret, "--now", seven_hundred_seconds_later, "--window", "800")
    assert code == 0 and "timestamp-stale" not in out


def test_the_default_window_is_the_shared_600_seconds() -> None:
    url, secret = signed_url(), ("--consumer-secret", SECRET)
    code, out = run("--url", url, *secret, "--now", str(SIGNED_AT + 400))
    assert code == 0 and "timestamp-stale" not in out
    code, out = run("--url", url, *secret, "--now", str(SIGNED_AT + 700))
    assert code == 1 and "timestamp-stale" in out
    shown = runner.invoke(app, ["diagnose", "--help"], env={"COLUMNS": "200"}).output
    help_text = " ".join(shown.replace("│", " ").split())
    assert "600" in help_text and "oauthlib's default timestamp_lifetime" in help_text


def test_explained_json_has_the_keys_and_no_secret() -> None:
    url = signed_url({"uri_encoding": "keep-slashes"})
    code, out = run(
        "--url", url, "--consumer-secret", SECRET, "--now", str(SIGNED_AT), "--format", "json"
    )
    assert code == 1
    document = json.loads(out)
    assert {"verdict", "mistakes", "candidates", "findings", "expected"} <= set(document)
    assert document["verdict"] == "explained"
    assert document["mistakes"] == ["uri-slashes-not-encoded"]
    assert document["expected"]["base_string"].startswith("GET&http%3A%2F%2Fdminform%2F")
    assert all({"id", "severity", "message"} <= set(f) for f in document["findings"])
    assert document["input"]["kind"] == "url"
    assert SECRET not in out


def test_text_and_markdown_never_show_the_secret() -> None:
    url = signed_url({"key_ampersand": False})
    for output in ("text", "markdown"):
        code, out = run(
            "--url", url, "--consumer-secret", SECRET, "--now", str(SIGNED_AT), "-f", output
        )
        assert code == 1
        assert "key-missing-ampersand" in out
        assert SECRET not in out


def test_markdown_marks_the_first_difference() -> None:
    url = signed_url({"method_case": "title"})
    code, out = run(
        "--url", url, "--consumer-secret", SECRET, "--now", str(SIGNED_AT), "-f", "markdown"
    )
    assert code == 1
    assert "yours: Get&http%3A%2F%2Fdminform" in out
    assert "RFC:   GET&http%3A%2F%2Fdminform" in out
    assert "^ first difference" in out


def test_without_secret_is_unchecked_and_exits_1_for_a_stale_url() -> None:
    code, out = run("--url", signed_url(), "--now", "1700000000", "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert document["verdict"] == "unchecked"
    assert "timestamp-stale" in [f["id"] for f in document["findings"]]


def test_unexplained_exits_1() -> None:
    code, out = run("--url", signed_url(), "--consumer-secret", "another-secret", "--now",
                    str(SIGNED_AT), "--format", "json")  # fmt: skip
    assert code == 1
    assert json.loads(out)["verdict"] == "unexplained"


def test_response_file_is_read(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(
        "HTTP/1.1 401 Unauthorized\nDate: Tue, 14 Nov 2023 22:13:20 GMT\n"
        "Content-Type: application/json\n\n"
        '{"message":"The provided signature(oauth_signature) is invalid.",'
        '"exceptionName":"UnauthorizedException","data":null,"innerExceptionMessage":""}\n'
    )
    code, out = run("--url", signed_url(), "--consumer-secret", SECRET, "--now", str(SIGNED_AT),
                    "--response", str(answer), "--format", "json")  # fmt: skip
    assert code == 1
    document = json.loads(out)
    ids = [f["id"] for f in document["findings"]]
    assert "alteryx-unauthorized" in ids
    assert "timestamp-stale" in ids  # the response's Date is the server's clock
    assert document["response"]["status"] == 401


def test_bad_input_exits_2_with_one_line() -> None:
    code, out = run("--url", "not a url", "--consumer-secret", SECRET)
    assert code == 2
    assert out.startswith("error: ")
    assert len(out.strip().splitlines()) == 1


def test_missing_response_file_exits_2(tmp_path: Path) -> None:
    code, out = run("--url", signed_url(), "--response", str(tmp_path / "nope.txt"))
    assert code == 2
    assert "--response" in out


def test_help_has_examples() -> None:
    result = runner.invoke(app, ["diagnose", "--help"])
    assert result.exit_code == 0
    assert "oauth-debug diagnose --url" in result.output
    assert "--server-date" in result.output
