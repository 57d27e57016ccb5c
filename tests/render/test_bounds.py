"""Bounded text output: long values and tables are cut (saying so), --full shows them whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.cli.app import app
from oauth_debug.render.bounds import clip

runner = CliRunner()
KEYS = ["--consumer-key", "k", "--consumer-secret", "s", "--timestamp", "1", "--nonce", "n"]
FORM = ["-H", "Content-Type: application/x-www-form-urlencoded"]


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})
    return result.exit_code, result.output


def test_a_long_value_is_cut_and_says_how_much_is_left(tmp_path: Path) -> None:
    body = tmp_path / "body.txt"
    body.write_text("a=" + "x" * 50_000)
    code, out = invoke("explain", "POST", "http://x.example/", *FORM, "-d", f"@{body}", *KEYS)
    assert code == 0
    # the value in the parameter table, and the parameter string, base string and body
    assert "… 49,800 more characters;" in out.replace("│", "")
    assert "… 48,106 more characters; --full shows every value whole" in out
    assert len(out) < 20_000
    code, out = invoke(
        "explain", "POST", "http://x.example/", *FORM, "-d", f"@{body}", *KEYS, "--full"
    )
    assert code == 0 and "more characters" not in out
    assert len(out) > 50_000


def test_a_long_table_shows_its_first_rows(tmp_path: Path) -> None:
    body = "&".join(f"p{i}=v" for i in range(200))
    code, out = invoke("explain", "POST", "http://x.example/", *FORM, "-d", body, *KEYS)
    assert code == 0
    # 200 body parameters and 5 protocol parameters, 50 rows shown in each of the two tables.
    assert out.count("… 155 more parameters (--full)") == 2
    code, out = invoke("explain", "POST", "http://x.example/", *FORM, "-d", body, *KEYS, "--full")
    assert "more parameters" not in out and "p199" in out


def _signed_url(parameters: int, valid: bool) -> str:
    query = "&".join(f"p{i}=v{i}" for i in range(parameters))
    trace = sign_at(
        HttpRequest("GET", f"http://x.example/?{query}"),
        Credentials("k", "s"),
        timestamp=1,
        nonce="n",
        placement="query",
    )
    assert trace.signed_url is not None
    return trace.signed_url if valid else trace.signed_url.replace("oauth_nonce=n", "oauth_nonce=m")


@pytest.mark.parametrize("valid", [True, False])
def test_verify_text_is_bounded(valid: bool) -> None:
    code, out = invoke("verify", "--url", _signed_url(2000, valid), "--consumer-secret", "s")
    assert code == (0 if valid else 1)
    assert "more characters; --full shows every value whole" in out
    assert len(out) < 30_000
    code, out = invoke(
        "verify", "--url", _signed_url(2000, valid), "--consumer-secret", "s", "--full"
    )
    assert "more characters" not in out and "p1999%3Dv1999" in out.replace("\n", "")


def test_diagnose_text_is_bounded() -> None:
    url = _signed_url(2000, True)
    code, out = invoke("diagnose", "--url", url, "--consumer-secret", "s", "--now", "1")
    assert code == 0, out[-2000:]
    assert len(out) < 30_000
    assert "more characters; --full shows every value whole" in out
    _, full = invoke("diagnose", "--url", url, "--consumer-secret", "s", "--now", "1", "--full")
    assert "more characters" not in full and "p1999%3Dv1999" in full.replace("\n", "")


def test_sign_never_cuts_the_curl_line(tmp_path: Path) -> None:
    body = tmp_path / "body.txt"
    body.write_text("a=" + "x" * 5_000)
    args = ["sign", "POST", "http://x.example/", *FORM, "-d", f"@{body}", *KEYS]
    code, out = invoke(*args, "--placement", "body")
    assert code == 0
    travels, _, curl = out.partition("\n\n")
    assert "more characters" in travels
    assert "a=" + "x" * 5_000 in curl


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=3000), st.integers(0, 2500))
def test_clip_keeps_the_start_and_counts_the_rest(value: str, limit: int) -> None:
    shown = clip(value, limit)
    if len(value) <= limit:
        assert shown == value
    else:
        assert shown.startswith(value[:limit])
        assert f"… {len(value) - limit:,} more characters" in shown


@settings(max_examples=100, deadline=None)
@given(parameters=st.integers(0, 400), limit=st.integers(1, 3000))
def test_the_cut_base_string_is_the_start_of_the_base_string(parameters: int, limit: int) -> None:
    from oauth_debug.render.trace_text import base_string_text

    query = "&".join(f"p{i}=v%20{i}" for i in range(parameters))
    trace = sign_at(
        HttpRequest("GET", f"http://x.example/path?{query}"),
        Credentials("k", "s"),
        timestamp=1,
        nonce="n",
    )
    shown = base_string_text(trace, limit).plain
    whole = trace.base_string
    if len(whole) <= limit:
        assert shown == whole
    else:
        kept, _, note = shown.partition("…\n")
        assert kept == whole[:limit]
        assert note.startswith(f"… {len(whole) - limit:,} more characters")
