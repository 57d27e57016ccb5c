"""The `sign` and `explain` commands, through typer's CliRunner as a person would run them."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oauth_debug.cli.app import app

runner = CliRunner()

CONSUMER_SECRET = "j49sk3j29djd"
TOKEN_SECRET = "dh893hdasih9"
RFC_ARGS = [
    "POST",
    "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
    "-H",
    "Content-Type: application/x-www-form-urlencoded",
    "--data",
    "c2&a3=2+q",
    "--consumer-key",
    "9djdj82h48djs9d2",
    "--consumer-secret",
    CONSUMER_SECRET,
    "--token",
    "kkk9d7dh3k39sjv7",
    "--token-secret",
    TOKEN_SECRET,
    "--timestamp",
    "137131201",
    "--nonce",
    "7d8f3e4a",
    "--realm",
    "Example",
    "--no-version",
]
RFC_SIGNATURE = "r6/TJjbCOr97/+UU0NsvSne7s5g="
RFC_BASE_STRING = (
    "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D"
    "%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce"
    "%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26"
    "oauth_token%3Dkkk9d7dh3k39sjv7"
)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def assert_no_secret(text: str) -> None:
    assert CONSUMER_SECRET not in text
    assert TOKEN_SECRET not in text


def test_sign_prints_the_rfc_authorization_header_and_a_curl_line() -> None:
    code, out = run("sign", *RFC_ARGS)
    assert code == 0
    header_line = out.splitlines()[0]
    assert header_line == (
        'Authorization: OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", '
        'oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", '
        'oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", '
        'oauth_signature="r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D"'
    )
    curl = next(line for line in out.splitlines() if line.startswith("curl "))
    words = shlex.split(curl)
    assert words[:4] == ["curl", "-X", "POST", RFC_ARGS[1]]
    assert words[-2:] == ["--data-raw", "c2&a3=2+q"]
    assert f"Authorization: {header_line.split(': ', 1)[1]}" in words
    assert_no_secret(out)


def test_sign_json_has_every_promised_key_and_redacts_the_key() -> None:
    code, out = run("sign", *RFC_ARGS, "--format", "json")
    assert code == 0
    document = json.loads(out)
    for key in (
        "parameters",
        "normalized_parameters",
        "base_string_uri",
        "base_string",
        "signature_method",
        "signing_key",
        "digest_hex",
        "signature",
        "authorization_header",
        "signed_url",
    ):
        assert key in document, key
    assert document["signature"] == RFC_SIGNATURE
    assert document["base_string"] == RFC_BASE_STRING
    assert document["base_string_uri"] == "http://example.com/request"
    assert document["digest_hex"] == "afafd32636c23abf7bffe514d0db2f4a77bbb398"
    assert {"name": "a3", "value": "2 q", "source": "body"} in document["parameters"]
    assert {"name": "c@", "value": "", "source": "query"} in document["parameters"]
    assert {"name": "oauth_nonce", "value": "7d8f3e4a", "source": "oauth"} in document["parameters"]
    assert document["signing_key"] == (
        "<consumer secret, encoded: 12 chars>&<token secret, encoded: 12 chars>"
    )
    assert_no_secret(out)


def test_show_secrets_reveals_the_signing_key() -> None:
    code, out = run("sign", *RFC_ARGS, "--format", "json", "--show-secrets")
    assert code == 0
    assert json.loads(out)["signing_key"] == f"{CONSUMER_SECRET}&{TOKEN_SECRET}"


def test_secrets_can_come_from_the_environment() -> None:
    args = [a for a in RFC_ARGS]
    for option in ("--consumer-secret", "--token-secret"):
        index = args.index(option)
        del args[index : index + 2]
    env = {"OAUTH_CONSUMER_SECRET": CONSUMER_SECRET, "OAUTH_TOKEN_SECRET": TOKEN_SECRET}
    code, out = run("sign", *args, "--format", "json", env=env)
    assert code == 0
    assert json.loads(out)["signature"] == RFC_SIGNATURE


def test_query_placement_prints_the_signed_url() -> None:
    code, out = run(
        "sign", "GET", "http://photos.example.net/photos?file=vacation.jpg&size=original",
        "--consumer-key", "dpf43f3p2l4k3l03", "--consumer-secret", "kd94hf93k423kf44",
        "--token", "nnch734d00sl2jdk", "--token-secret", "pfkkdhi9sl3r4s00",
        "--timestamp", "1191242096", "--nonce", "kllo9940pd9333jh", "--placement", "query",
    )  # fmt: skip
    assert code == 0
    url = out.splitlines()[0]
    assert url.startswith("http://photos.example.net/photos?file=vacation.jpg&size=original&")
    # OAuth Core 1.0 Appendix A.5 signature, percent-encoded for the URL.
    assert url.endswith("oauth_signature=tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D")


def test_body_placement_appends_to_the_form_body() -> None:
    code, out = run(
        "sign", "POST", "https://api.example.com/x", "--consumer-key", "k",
        "--consumer-secret", "s", "--timestamp", "1700000000", "--nonce", "n1",
        "--placement", "body", "--data", "a=1", "--format", "json",
    )  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert document["signed_body"].startswith("a=1&oauth_consumer_key=k&")
    assert document["signed_body"].endswith("oauth_signature=" + document["transport_signature"])
    assert document["authorization_header"] is None


def test_plaintext_signature_is_the_key_and_is_redacted() -> None:
    base = ["sign", "GET", "https://api.example.com/", "--consumer-key", "k",
            "--consumer-secret", "ja893SD9", "--signature-method", "PLAINTEXT",
            "--timestamp", "1", "--nonce", "n"]  # fmt: skip
    code, out = run(*base)
    assert code == 0
    assert "ja893SD9" not in out
    assert 'oauth_signature="****"' in out
    code, out = run(*base, "--show-secrets")
    assert 'oauth_signature="ja893SD9%26"' in out


def test_defaults_draw_a_fresh_nonce_and_the_current_time() -> None:
    args = ["sign", "GET", "https://api.example.com/", "--consumer-key", "k",
            "--consumer-secret", "s", "--format", "json"]  # fmt: skip
    before = int(time.time())
    first = json.loads(run(*args)[1])
    second = json.loads(run(*args)[1])
    after = int(time.time())

    def oauth(document: dict[str, object], name: str) -> str:
        params = document["parameters"]
        assert isinstance(params, list)
        return next(str(p["value"]) for p in params if p["name"] == name)

    assert oauth(first, "oauth_nonce") != oauth(second, "oauth_nonce")
    assert before <= int(oauth(first, "oauth_timestamp")) <= after


def test_explain_walks_through_every_step_without_secrets() -> None:
    code, out = run("explain", *RFC_ARGS)
    assert code == 0
    for title in (
        "1. Collect the parameters",
        "Percent-encode each name and value",
        "normalized parameter string",
        "Build the base string URI",
        "Assemble the signature base string",
        "Make the signing key",
        "HMAC-SHA1 digest",
        "Write the signature",
        "Send it",
    ):
        assert title in out, title
    assert "RFC 5849 3.4.1.2" in out
    assert RFC_SIGNATURE in out
    assert "realm travels in the header but is never signed" in out
    assert_no_secret(out)


def test_explain_markdown_is_secret_free_even_with_show_secrets() -> None:
    code, out = run("explain", *RFC_ARGS, "--format", "markdown", "--show-secrets")
    assert code == 0
    assert RFC_BASE_STRING in out
    assert "| `a3` | `2 q` | `form body` |" in out
    assert "safe to share" in out
    assert_no_secret(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["GET", "/no/host"], "has no scheme"),
        (["GET", "https://"], "has no host"),
        (["GET", "https://h:99999/"], "port"),
        (["GET", "https://h/", "-m", "hmac-sha1"], "did you mean 'HMAC-SHA1'"),
        (["GET", "https://h/", "-m", "RSA-SHA1"], "needs an RSA key"),
        (["GET", "https://h/", "-H", "NoColon"], "Name: value"),
        (["GET", "https://h/", "--nonce", ""], "nonce"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["sign", *args, "--consumer-key", "k", "--consumer-secret", "s"])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.output.strip().count("\n") == 0


def test_python_dash_m_runs_the_same_cli() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "oauth_debug", "sign", *RFC_ARGS, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["signature"] == RFC_SIGNATURE


def test_data_from_a_file_drops_line_breaks_as_curl_does(tmp_path: Path) -> None:
    form = tmp_path / "form.txt"
    form.write_bytes(b"a=1&\r\nb=2\n")
    code, out = run("sign", "POST", "https://h.example/x", "--consumer-key", "k",
                    "--consumer-secret", "s", "--timestamp", "1", "--nonce", "n",
                    "--data", f"@{form}", "--format", "json")  # fmt: skip
    assert code == 0
    body = [(p["name"], p["value"]) for p in json.loads(out)["parameters"] if p["source"] == "body"]
    assert body == [("a", "1"), ("b", "2")]


def test_a_body_byte_that_is_not_utf8_is_a_form_error_not_a_crash() -> None:
    code, out = run("sign", "POST", "https://h.example/x", "--consumer-key", "k",
                    "--consumer-secret", "s", "--data", "a=\udcff")  # fmt: skip
    assert code == 2
    assert "not UTF-8" in out and "Traceback" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sign", "GET"], "Missing argument 'url'. (see oauth-debug sign --help)"),
        (["diagnose", "--url", "http://a.example/", "--now", "abc"], "Invalid value for '--now'"),
        (["sign", "GET", "http://a.example/", "--placement", "foo"], "'--placement'"),
        (["nosuch"], "No such command 'nosuch'."),
    ],
)
def test_usage_errors_are_one_line_too(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert result.output.startswith("error: ")
    assert result.output.strip().count("\n") == 0


def test_a_malformed_header_is_not_echoed_whole() -> None:
    # It may be an Authorization header carrying a PLAINTEXT signature: the key itself.
    result = runner.invoke(
        app, ["sign", "GET", "http://h.example/", "--consumer-key", "k",
              "-H", 'Authorization OAuth oauth_signature="my-secret%26"']
    )  # fmt: skip
    assert result.exit_code == 2
    assert "Name: value" in result.output and "my-secret" not in result.output


@pytest.mark.parametrize("command", ["sign", "explain"])
def test_no_consumer_secret_at_all_is_an_error_not_the_key_ampersand(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OAUTH_CONSUMER_SECRET", raising=False)
    code, out = run(command, "GET", "https://h.example/x", "--consumer-key", "k")
    assert code == 2
    assert "--consumer-secret" in out and "OAUTH_CONSUMER_SECRET" in out
    assert "oauth_signature" not in out


def test_an_empty_consumer_secret_given_on_purpose_still_signs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OAUTH_CONSUMER_SECRET", raising=False)
    code, out = run("sign", "GET", "https://h.example/x", "--consumer-key", "k",
                    "--consumer-secret", "", "--timestamp", "1", "--nonce", "n",
                    "--format", "json")  # fmt: skip
    assert code == 0
    assert json.loads(out)["signing_key"] == "&"
