"""What is printed is what was signed: request text is data, never rich markup or emoji codes."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from oauth_debug.cli.app import app
from oauth_debug.cli.options import Placement
from oauth_debug.cli.sign_commands import _sign
from oauth_debug.errors import OAuthDebugError
from oauth_debug.trace import SigningTrace

runner = CliRunner()
KEYS = ["--consumer-key", "k", "--consumer-secret", "s", "--timestamp", "1", "--nonce", "n"]


def invoke(*args: str, width: int = 100) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(width), "NO_COLOR": "1"})
    return result.exit_code, result.output


def curl_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("curl ")]
    assert len(lines) == 1, output
    return lines[0]


def test_markup_in_the_query_is_printed_literally() -> None:
    code, out = invoke("sign", "GET", "http://x.example/?q=[red]hi[/red]", *KEYS)
    assert code == 0
    words = shlex.split(curl_line(out))
    assert words[:2] == ["curl", "--globoff"]
    assert words[4] == "http://x.example/?q=[red]hi[/red]"


def test_closing_tag_in_a_body_does_not_raise() -> None:
    code, out = invoke(
        "sign", "POST", "http://x.example/", "-H", "Content-Type: text/plain", "-d", "a[/b]", *KEYS
    )
    assert code == 0, out
    assert shlex.split(curl_line(out))[-1] == "a[/b]"


def test_emoji_codes_are_printed_literally() -> None:
    code, out = invoke("explain", "GET", "http://x.example/?q=:smile:", *KEYS)
    assert code == 0
    assert ":smile:" in out and "\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}" not in out


def test_verify_with_a_closing_tag_in_the_query() -> None:
    code, out = invoke(
        "verify",
        "--url",
        "http://x.example/?q=[/red]&oauth_consumer_key=k&oauth_signature_method=HMAC-SHA1"
        "&oauth_timestamp=1&oauth_nonce=n&oauth_signature=abc",
        "--consumer-secret",
        "s",
    )
    assert code == 1, out
    assert "q=[/red]" in out


def test_the_curl_line_is_never_wrapped() -> None:
    url = "http://x.example/" + "a" * 120
    code, out = invoke("sign", "GET", url, *KEYS, width=40)
    assert code == 0
    assert shlex.split(curl_line(out))[3] == url


# --- the property ---------------------------------------------------------------------------------

_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
# rich's markup and emoji syntax, mixed in so that the search meets it often.
_RICH_SYNTAX = st.sampled_from(["[red]", "[/red]", "[/]", "[b]x[/b]", ":smile:", "[link=x]", "\\["])


def _text(alphabet: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(alphabet, _RICH_SYNTAX), max_size=max_size).map("".join)


_URL_TEXT = _text(_PRINTABLE.filter(lambda c: c not in "#"), 12)
_HEADER_TEXT = _text(_PRINTABLE, 12).map(str.strip)


def _signed_words(trace: SigningTrace) -> list[str]:
    signed = trace.signed_request
    assert signed is not None
    words = ["curl", "-X", signed.method, signed.url]
    # curl globs [..] and {..} in a URL unless told not to (its --globoff): a line that leaves
    # them to curl sends other requests than the one signed.
    if any(char in signed.url for char in "[]{}"):
        words.insert(1, "--globoff")
    for name, value in signed.headers:
        words += ["-H", f"{name}: {value}"]
    if signed.body is not None:
        words += ["--data-raw", signed.body.decode("utf-8")]
    return words


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=_URL_TEXT,
    query=_URL_TEXT,
    header=_HEADER_TEXT,
    body=_text(_PRINTABLE, 16),
)
def test_the_printed_curl_line_is_the_signed_request(
    path: str, query: str, header: str, body: str
) -> None:
    url = f"http://x.example/{path}?q={query}"
    headers = ["Content-Type: text/plain", f"X-Note: {header}"]
    try:
        trace = _sign(
            "POST", url, "k", "s", None, "", "HMAC-SHA1", "1", "n", None, False,
            Placement.header, headers, body, None, None, None, None,
        )  # fmt: skip
    except OAuthDebugError:
        event("refused by the signer")
        return  # a request the signer refuses is not printed at all
    expected = _signed_words(trace)
    args = ["sign", "POST", url, "-H", headers[0], "-H", headers[1], "-d", body, *KEYS]
    code, out = invoke(*args, width=40)
    assert code == 0, out
    assert shlex.split(curl_line(out)) == expected
    code, out = invoke(*args, "--format", "json")
    assert code == 0, out
    assert shlex.split(json.loads(out)["curl"]) == expected


def test_a_binary_body_is_read_from_a_file_not_replaced(tmp_path: Path) -> None:
    body = tmp_path / "body.bin"
    body.write_bytes(bytes(range(256)))
    args = ["sign", "POST", "http://x.example/", "-H", "Content-Type: application/octet-stream"]
    code, out = invoke(*args, "-d", f"@{body}", *KEYS)
    assert code == 0, out
    words = shlex.split(curl_line(out))
    assert words[-2:] == ["--data-binary", "@body.bin"]
    assert "\N{REPLACEMENT CHARACTER}" not in curl_line(out)
    assert "not UTF-8 text" in out


def test_renderables_are_literal_on_any_console() -> None:
    """The renderers build Text, so even a console with markup and emoji on prints request text
    as it is (live commands and library users bring their own consoles)."""
    import io

    from rich.console import Console

    from oauth_debug import Credentials, HttpRequest, sign_at
    from oauth_debug.render.trace_text import trace_renderable

    trace = sign_at(
        HttpRequest("GET", "http://x.example/?[red]q[/red]=:smile:&b=[/]"),
        Credentials("k", "s"),
        timestamp=1,
        nonce="n",
    )
    out = io.StringIO()
    Console(file=out, width=200, markup=True, emoji=True).print(trace_renderable(trace))
    assert "[red]q[/red]" in out.getvalue() and ":smile:" in out.getvalue()


def test_diff_and_diagnose_print_request_text_literally() -> None:
    a = "GET&http%3A%2F%2Fa.example%2F&q%3D[red]x[/red]%26s%3D:smile:"
    b = "GET&http%3A%2F%2Fa.example%2F&q%3D[red]y[/red]%26s%3D:smile:"
    code, out = invoke("diff", a, b)
    assert code == 1 and "[red]x[/red]" in out and ":smile:" in out
    url = (
        "http://x.example/?q=[/red]:smile:&oauth_consumer_key=k&oauth_signature_method=HMAC-SHA1"
        "&oauth_timestamp=1&oauth_nonce=n&oauth_signature=abc"
    )
    args = ["diagnose", "--url", url, "--consumer-secret", "s", "--now", "1"]
    code, out = invoke(*args, width=400)
    base_string = json.loads(invoke(*args, "--format", "json")[1])["base_string"]
    assert code == 1 and base_string in out.splitlines()
