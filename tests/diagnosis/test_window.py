"""The one timestamp window: diagnose and the sandbox judge the same request alike, and a window
that is no positive number is refused in the command line's words."""

from __future__ import annotations

import pytest

from oauth_debug import Credentials, HttpRequest, InvalidOptionError, diagnose, sign_at
from oauth_debug.diagnosis import findings
from oauth_debug.diagnosis.engine import diagnose as engine_diagnose
from oauth_debug.sandbox import SandboxConfig
from oauth_debug.window import DEFAULT_WINDOW_SECONDS

SIGNED_AT = 1_795_867_200
CREDS = Credentials("key", "secret")


def _signed() -> HttpRequest:
    trace = sign_at(
        HttpRequest("GET", "https://api.example.com/v1/items"),
        CREDS,
        timestamp=SIGNED_AT,
        nonce="n1",
    )
    assert trace.signed_request is not None
    return trace.signed_request


def test_the_diagnosis_default_is_the_one_window() -> None:
    assert findings.STALE_AFTER == DEFAULT_WINDOW_SECONDS
    assert SandboxConfig().window_seconds == DEFAULT_WINDOW_SECONDS
    default = engine_diagnose.__kwdefaults__["stale_after"]
    assert default == DEFAULT_WINDOW_SECONDS


def test_a_request_the_sandbox_accepts_is_not_called_stale() -> None:
    # 400 s old: inside the sandbox's 600 s window, so diagnose must not report it stale either.
    result = diagnose(_signed(), CREDS, now=SIGNED_AT + 400)
    assert result.verdict == "valid"
    assert "timestamp-stale" not in {f.id for f in result.findings}
    late = diagnose(_signed(), CREDS, now=SIGNED_AT + DEFAULT_WINDOW_SECONDS + 1)
    assert "timestamp-stale" in {f.id for f in late.findings}


@pytest.mark.parametrize("window", [-5, 0, float("nan"), float("inf"), True, "600"])
def test_a_window_that_is_no_positive_number_is_refused_in_the_users_terms(
    window: object,
) -> None:
    with pytest.raises(InvalidOptionError) as caught:
        diagnose(_signed(), CREDS, now=SIGNED_AT, stale_after=window)  # type: ignore[arg-type]
    message = str(caught.value)
    assert message.startswith("--window must be a positive number of seconds")
    assert "stale_after" not in message


def test_a_negative_window_on_the_command_line_is_refused_in_the_users_terms() -> None:
    from typer.testing import CliRunner

    from oauth_debug.cli.app import app

    url = "https://h.example/x?oauth_consumer_key=k&oauth_signature=x"
    result = CliRunner().invoke(app, ["diagnose", "--url", url, "--window", "-5"])
    assert result.exit_code == 2
    assert "--window must be a positive number of seconds" in result.stderr
    assert "Input should be" not in result.stderr and "stale_after" not in result.stderr
