"""A new user's mistakes on the command line, and secrets that must not reach any output.

Each test runs a command the way a person would get it wrong and asserts one line on stderr, the
documented exit code and no traceback; the leak tests use distinctive secret values and look for
them in everything the command printed.
"""

from __future__ import annotations

import io
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from oauth_debug.cli.app import app
from oauth_debug.cli.gallery_session import print_job
from oauth_debug.cli.live_failures import diagnosis_of, show_failure
from oauth_debug.live.response import ServerResponse
from oauth_debug.live.results import Job
from oauth_debug.model import Credentials, HttpRequest

CONSUMER_SECRET = "CSzq1-review"
TOKEN_SECRET = "TSzq2-review"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def closed_port() -> int:
    """A loopback port that nothing listens on: bound once to pick it, then closed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_request_to_a_closed_port_does_not_print_a_plaintext_signature() -> None:
    # requests names the URL it tried, query included; with --placement query and PLAINTEXT the
    # query carries oauth_signature=<consumer secret>&<token secret>, i.e. the key.
    url = f"http://127.0.0.1:{closed_port()}/api/items"
    code, out, err = invoke(
        "request", "GET", url, "--consumer-key", "ck", "--consumer-secret", CONSUMER_SECRET,
        "--token", "tk", "--token-secret", TOKEN_SECRET,
        "--signature-method", "PLAINTEXT", "--placement", "query", "--timeout", "5",
    )  # fmt: skip
    assert code == 1
    line = one_error_line(err)
    assert line.startswith(f"error: GET {url} failed: ")
    assert "oauth_signature=****" in line
    assert CONSUMER_SECRET not in out + err
    assert TOKEN_SECRET not in out + err


def test_request_to_a_closed_port_elides_the_key_even_with_show_secrets() -> None:
    # No error carries a signature in clear (oauth_debug.redact): --show-secrets shows the key in
    # the trace a person asked for, not in an error message that may end up in a log.
    url = f"http://127.0.0.1:{closed_port()}/api/items"
    code, _, err = invoke(
        "request", "GET", url, "--consumer-key", "ck", "--consumer-secret", CONSUMER_SECRET,
        "--signature-method", "PLAINTEXT", "--placement", "query", "--show-secrets",
    )  # fmt: skip
    assert code == 1
    line = one_error_line(err)
    assert "oauth_signature=****" in line
    assert CONSUMER_SECRET not in line


@pytest.mark.parametrize(
    "command", [["request", "GET", "http://127.0.0.1:9/x"], ["gallery", "workflows"]]
)
@pytest.mark.parametrize("timeout", ["0", "-1"])
def test_a_timeout_of_zero_or_less_is_refused_as_bad_input(
    command: list[str], timeout: str
) -> None:
    # requests raises ValueError for it: before the fix, a traceback.
    env = {"ALTERYX_GALLERY_URL": "http://127.0.0.1:9/gallery", "ALTERYX_API_KEY": "k",
           "ALTERYX_API_SECRET": "s", "OAUTH_CONSUMER_KEY": "k"}  # fmt: skip
    result = CliRunner(env=env).invoke(app, [*command, "--timeout", timeout])
    assert result.exit_code == 2
    assert "Invalid value for '--timeout'" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_sandbox_port_out_of_range_is_bad_input_not_a_traceback() -> None:
    result = CliRunner().invoke(app, ["sandbox", "--port", "99999"])
    assert result.exit_code == 2
    assert "Invalid value for '--port'" in result.stderr
    assert isinstance(result.exception, SystemExit)


def test_sign_without_a_consumer_key_is_bad_input() -> None:
    code, out, err = invoke("sign", "GET", "http://example.com/", "--consumer-secret", "s")
    assert code == 2
    assert out == ""
    assert one_error_line(err).startswith("error: missing --consumer-key (or OAUTH_CONSUMER_KEY)")


def test_demo_with_an_output_dir_that_cannot_be_made_is_bad_input(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    code, _, err = invoke("demo", "--output-dir", str(blocker / "out"))
    assert code == 2
    assert one_error_line(err).startswith(f"error: cannot create --output-dir '{blocker / 'out'}'")


def test_vectors_markdown_is_a_markdown_table() -> None:
    code, out, _ = invoke("vectors", "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("vectors pass")
    assert lines[2] == "| file | case | kind | expected | outcome |"
    assert lines[3] == "|---|---|---|---|---|"
    assert any(line.startswith("| rfc5849-1.2 |") and line.endswith("| pass |") for line in lines)


@pytest.mark.parametrize(
    "command",
    [
        ["vectors"], ["request"], ["gallery"], ["gallery", "workflows"], ["gallery", "questions"],
        ["gallery", "run"], ["gallery", "job"], ["gallery", "jobs"], ["gallery", "output"],
        ["gallery", "package"], ["sandbox"], ["demo"],
    ],
)  # fmt: skip
def test_every_command_help_shows_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"oauth-debug {' '.join(command)}" in result.stdout


@pytest.mark.parametrize("command", [["gallery", "workflows"], ["gallery", "run"]])
def test_gallery_help_names_its_environment_variables(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=200)
    for name in ("ALTERYX_GALLERY_URL", "ALTERYX_API_KEY", "ALTERYX_API_SECRET"):
        assert name in result.stdout


def test_a_server_body_with_markup_is_printed_as_text() -> None:
    # rich would read "[/x]" as a closing tag and raise MarkupError.
    console = Console(file=io.StringIO(), width=200)
    answer = ServerResponse(401, (), b'{"message": "refused [/x] [bold]no[/bold]"}')
    assert show_failure(None, answer, None, console) is None
    output = console.file.getvalue()  # type: ignore[attr-defined]
    # The headline quotes the JSON body's message (no longer the raw body), markup and all.
    assert "HTTP 401 Unauthorized): refused [/x] [bold]no[/bold]" in output


def test_job_messages_with_markup_are_printed_as_text() -> None:
    job = Job.from_json(
        {"id": "j1", "status": "Completed", "disposition": "Error",
         "messages": [{"status": 3, "text": "bad answer [/oops]", "toolId": 7}]}
    )  # fmt: skip
    console = Console(file=io.StringIO(), width=200)
    print_job(job, console)
    assert "tool 7: bad answer [/oops]" in console.file.getvalue()  # type: ignore[attr-defined]


def test_an_oauth2_request_gets_no_oauth1_diagnosis() -> None:
    # An OAuth 1 diagnosis of a bearer request could only say "not signed: sign it".
    bearer = HttpRequest("GET", "http://h/webapi/v1/workflows/", {"Authorization": "Bearer t0k"})
    answer = ServerResponse(401, (), b"{}")
    assert diagnosis_of(bearer, answer, Credentials("k", "s")) is None
    unsigned = HttpRequest("GET", "http://h/gallery/api/v1/workflows/subscription/")
    diagnosis = diagnosis_of(unsigned, answer, Credentials("k", "s"))
    assert diagnosis is not None and diagnosis.verdict == "unsigned"


def test_sandbox_banner_calls_only_the_demo_keys_public() -> None:
    # A chosen secret is redacted, and the banner must not call it a public demo value.
    process = subprocess.Popen(
        [sys.executable, "-m", "oauth_debug", "sandbox", "--port", "0", "--api-key", "mine",
         "--api-secret", CONSUMER_SECRET],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        banner = []
        for line in process.stdout:
            banner.append(line)
            if line.startswith("Press Ctrl-C"):
                break
    finally:
        process.send_signal(signal.SIGTERM)
        rest, err = process.communicate(timeout=20)
    text = "".join(banner) + rest + err
    assert "key mine  secret ****" in text
    assert "demo keys are public" not in text
    assert CONSUMER_SECRET not in text
