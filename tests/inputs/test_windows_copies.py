"""--curl reads the three copies Chrome and Edge offer: cURL (bash), cURL (cmd), PowerShell.

The copies are written here by the escaping rules of Chromium DevTools' network panel
(front_end/panels/network/NetworkLogView.ts: escapeStringPosix for bash, escapeStringWin for cmd,
and the PowerShell generator's backtick escape with $([char]N) for characters outside printable
ASCII), so each test holds the reader to what the browser writes.
"""

from __future__ import annotations

import re

from conftest import signed_request
from hypothesis import assume, given
from hypothesis import strategies as st

from oauth_debug.inputs import from_curl
from oauth_debug.inputs.powershell import from_powershell, looks_like_powershell
from oauth_debug.model import Credentials, HttpRequest
from oauth_debug.verify import verify

FORM = "application/x-www-form-urlencoded"


def bash(text: str) -> str:
    """Chrome's escapeStringPosix."""
    if re.search(r"[\x00-\x1f\x7f-\x9f!]|'", text):
        inner = (
            text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
        )
        inner = re.sub(r"[\x00-\x1f\x7f-\x9f!]", lambda m: f"\\u{ord(m.group(0)):04x}", inner)
        return f"$'{inner}'"
    return f"'{text}'"


def cmd(text: str) -> str:
    """Chrome's escapeStringWin: ^" around, \\ and " backslashed, the rest caret-escaped."""
    inner = text.replace("\\", "\\\\").replace('"', '\\"')
    inner = re.sub(r"[^a-zA-Z0-9\s_\-:=+~'/.',?;()*`]", lambda m: "^" + m.group(0), inner)
    inner = re.sub(r"%(?=[a-zA-Z0-9_])", "%^", inner)
    inner = re.sub(r"\r?\n", "^\n\n", inner)
    return f'^"{inner}^"'


def powershell(text: str) -> str:
    """Chrome's PowerShell string: `, $ and " backtick-escaped; non-printable-ASCII as [char]."""
    inner = re.sub(r"[`$\"]", lambda m: "`" + m.group(0), text)
    units = inner.encode("utf-16-le", "surrogatepass")
    pieces = []
    for index in range(0, len(units), 2):
        unit = int.from_bytes(units[index : index + 2], "little")
        pieces.append(chr(unit) if 0x20 <= unit <= 0x7E else f"$([char]{unit})")
    return '"' + "".join(pieces) + '"'


def curl_copy(request: HttpRequest, quote: object, joiner: str) -> str:
    assert callable(quote)
    parts = [f"curl {quote(request.url)}"]
    if request.method != "GET":
        parts.append(f"-X {quote(request.method)}")
    parts += [f"-H {quote(f'{name}: {value}')}" for name, value in request.headers]
    if request.body is not None:
        parts.append(f"--data-raw {quote(request.body.decode())}")
    return joiner.join(parts)


def powershell_copy(request: HttpRequest) -> str:
    headers = [(n, v) for n, v in request.headers if n.lower() != "content-type"]
    lines = [
        "$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession",
        '$session.UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/122.0.0.0"',
        f"Invoke-WebRequest -UseBasicParsing -Uri {powershell(request.url)} `",
    ]
    if request.method != "GET":
        lines.append(f"-Method {powershell(request.method)} `")
    lines.append("-WebSession $session `")
    entries = [("authority", "api.example.com"), ("method", request.method), *headers]
    table = "\n  ".join(f"{powershell(n)}={powershell(v)}" for n, v in entries)
    lines.append(f"-Headers @{{\n{table}\n}}" + (" `" if request.body is not None else ""))
    if request.body is not None:
        body = request.body.decode()
        lines.append(f"-ContentType {powershell(request.content_type or FORM)} `")
        if re.search(r"[^\x20-\x7e]", body):
            lines.append(f"-Body ([System.Text.Encoding]::UTF8.GetBytes({powershell(body)}))")
        else:
            lines.append(f"-Body {powershell(body)}")
    return "\n".join(lines)


KEY = Credentials("key", "secret")


def signed(body: str) -> HttpRequest:
    request = HttpRequest(
        "POST", "https://api.example.com/v1/items?q=a%20b&x=%7B1%7D", [("Content-Type", FORM)], body
    )
    return signed_request(request, KEY, timestamp=1709287200, nonce="abc123")


SAMPLE = signed("name=Jos%C3%A9&note=100%25+%22sure%22&t=%5E")


def test_three_copies_of_one_signed_request_read_alike_and_verify() -> None:
    copies = {
        "bash": curl_copy(SAMPLE, bash, " \\\n  "),
        "cmd": curl_copy(SAMPLE, cmd, " ^\n  "),
        "powershell": powershell_copy(SAMPLE),
    }
    for form, text in copies.items():
        request = from_curl(text).request
        assert request.method == "POST", form
        assert request.url == SAMPLE.url, form
        assert request.body == SAMPLE.body, form
        assert request.header("Authorization") == SAMPLE.header("Authorization"), form
        assert request.is_form, form
        verify(request, KEY)  # raises SignatureMismatch if anything was misread


def test_powershell_copy_is_told_apart_and_drops_the_pseudo_headers() -> None:
    parsed = from_curl(powershell_copy(SAMPLE))
    assert parsed.kind == "powershell"
    names = {name.lower() for name, _ in parsed.request.headers}
    assert "authority" not in names and "method" not in names
    assert any("pseudo-headers" in note for note in parsed.notes)
    assert any("-websession" in note for note in parsed.notes)


def test_a_bash_copy_that_names_invoke_webrequest_in_a_value_is_still_powershell_free() -> None:
    assert not looks_like_powershell("curl 'https://h/p' -H 'X-Note: run it via powershell'")


def test_powershell_utf8_body_and_astral_characters() -> None:
    text = "name=😀é"
    request = from_powershell(
        'Invoke-WebRequest -Uri "https://h/p" -Method "POST" -ContentType '
        f'"text/plain" -Body ([System.Text.Encoding]::UTF8.GetBytes({powershell(text)}))'
    ).request
    assert request.body == text.encode()
    assert request.content_type == "text/plain"


def test_powershell_single_quotes_and_bare_method() -> None:
    request = from_powershell(
        "iwr -Uri 'https://h/p?it''s=1' -Method put -Headers @{'X-A'='b'; 'X-C'='d'}"
    ).request
    assert request.method == "PUT"
    assert request.url == "https://h/p?it's=1"
    assert request.headers == (("X-A", "b"), ("X-C", "d"))


values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85")
    | st.sampled_from(list("\"'%^&\\`$!{}[]|<> \t\n")),
    max_size=40,
)


@given(values.filter(lambda v: "\n" not in v))  # a header is one line
def test_cmd_copy_of_any_header_value_reads_back(value: str) -> None:
    assume(value.strip(" \t"))  # curl reads "X-Value:" alone as "remove the header"
    text = f"curl {cmd('https://h/p')} ^\n  -H {cmd('X-Value: ' + value)}"
    request = from_curl(text).request
    assert request.header("X-Value") == value.strip(" \t")


@given(values)
def test_cmd_copy_of_any_body_reads_back(value: str) -> None:
    plain = cmd("Content-Type: text/plain")  # not a form, so any text is a body
    text = f"curl {cmd('https://h/p')} ^\n  -H {plain} ^\n  --data-raw {cmd(value)}"
    assert from_curl(text).request.body == value.encode("utf-8")


@given(values)
def test_powershell_copy_of_any_body_reads_back(value: str) -> None:
    text = f'Invoke-WebRequest -Uri "https://h/p" `\n-Method "POST" `\n-Body {powershell(value)}'
    assert from_powershell(text).request.body == value.encode("utf-8")


def test_a_quoted_semicolon_is_a_value_not_a_shell_operator() -> None:
    # Chrome leaves ';' unescaped in both copies: --data-raw ';' and --data-raw ^";^".
    for text in (
        "curl 'https://h/p' -H 'Content-Type: text/plain' --data-raw ';'",
        f"curl {cmd('https://h/p')} -H {cmd('Content-Type: text/plain')} --data-raw {cmd(';')}",
    ):
        assert from_curl(text).request.body == b";"
    parsed = from_curl("curl 'https://h/p' ; echo done")
    assert any("shell operator ';'" in note for note in parsed.notes)
