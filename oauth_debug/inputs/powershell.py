"""Read Chrome's and Edge's "Copy as PowerShell" (an ``Invoke-WebRequest`` call) into a request.

DevTools writes, one option per line continued with a backtick::

    $session = New-Object Microsoft.PowerShell.Commands.WebRequestSession
    $session.UserAgent = "Mozilla/5.0 ..."
    Invoke-WebRequest -UseBasicParsing -Uri "https://host/path?a=1" `
    -Method "POST" `
    -WebSession $session `
    -Headers @{
    "authority"="host"
      "method"="POST"
      "authorization"="OAuth oauth_consumer_key=`"key`", ..."
    } `
    -ContentType "application/x-www-form-urlencoded" `
    -Body "a=1&b=2"

Its strings are PowerShell double-quoted strings in which DevTools escapes a backtick, ``$`` and
``"`` with a backtick and writes a character outside printable ASCII as ``$([char]NNN)``; a body
with such characters comes as ``([System.Text.Encoding]::UTF8.GetBytes("..."))``. The rules read
here are PowerShell's (about_Quoting_Rules, about_Special_Characters): backtick escapes, ``""``
inside double quotes, ``''`` inside single quotes, a backtick at a line end continuing the line.
The header names ``authority``, ``method``, ``path`` and ``scheme`` are HTTP/2 pseudo-headers
(RFC 9113 8.3) that DevTools lists without their colon: they are the URL, not headers, and are
left out. Everything else a PowerShell line can do is beyond this reader: it says what it skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import HttpRequest
from .checks import body_notes, check_method, method_notes, signature_notes
from .direct import clean_url
from .result import InputError, ParsedInput

_COMMANDS = frozenset({"invoke-webrequest", "invoke-restmethod", "iwr", "irm"})
_PSEUDO_HEADERS = frozenset({"authority", "method", "path", "scheme"})
_SIGNALS = re.compile(r"\b(?:Invoke-WebRequest|Invoke-RestMethod)\b|^\s*iwr\s", re.I | re.M)

_TOKEN = re.compile(
    r"(?P<continuation>`\r?\n)"
    r"|(?P<newline>\r?\n|;)"
    r"|(?P<space>[ \t]+)"
    r'|"(?P<double>(?:`.|""|\$\((?:[^()"]|\([^()]*\))*\)|[^"`])*)"'
    r"|'(?P<single>(?:''|[^'])*)'"
    r"|(?P<hash>@\{)"
    r"|(?P<punct>[{}()=])"
    r"|(?P<bare>[^\s\"'`=;(){}]+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
_BACKTICK = {"0": "\0", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "n": "\n", "r": "\r",
             "t": "\t", "v": "\v"}  # fmt: skip
_DOUBLE_PART = re.compile(r"`u\{([0-9A-Fa-f]{1,6})\}|`(.)|\"\"|\$\(\[char\]\s*(\d+)\s*\)", re.S)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int


def looks_like_powershell(text: str) -> bool:
    """Whether ``text`` is a PowerShell web request rather than a curl command line."""
    return _SIGNALS.search(text) is not None


def _unquote_double(body: str) -> str:
    """A PowerShell double-quoted string's value (about_Quoting_Rules, about_Special_Characters)."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return chr(int(match.group(1), 16))
        if match.group(2) is not None:
            return _BACKTICK.get(match.group(2), match.group(2))
        if match.group(3) is not None:
            return chr(int(match.group(3)))
        return '"'

    value = _DOUBLE_PART.sub(replace, body)
    # DevTools writes UTF-16 code units ($([char]55357)$([char]56832) for one emoji), which
    # PowerShell strings hold as such: pair them up into the characters they stand for.
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match is not None  # "other" matches any character
        kind = match.lastgroup or "other"
        position = match.end()
        if kind in ("continuation", "space"):
            continue
        if kind == "double":
            tokens.append(_Token("string", _unquote_double(match.group(kind)), match.start()))
        elif kind == "single":
            tokens.append(_Token("string", match.group(kind).replace("''", "'"), match.start()))
        elif kind == "other" and match.group(0) in "\"'":
            raise InputError(
                f"the {match.group(0)} quote at position {match.start()} is never closed",
                kind="powershell",
                text=text,
                position=match.start(),
            )
        else:
            tokens.append(_Token(kind, match.group(0), match.start()))
    return tokens


@dataclass
class _Call:
    """The parameters of the Invoke-WebRequest call, gathered before the request is built."""

    values: dict[str, object] = field(default_factory=dict)
    positional: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def from_powershell(text: str) -> ParsedInput:
    """The request a PowerShell ``Invoke-WebRequest`` call sends, with notes on what was skipped."""
    tokens = _tokens(text)
    start = next(
        (i for i, t in enumerate(tokens) if t.kind == "bare" and t.text.lower() in _COMMANDS),
        None,
    )
    if start is None:
        raise InputError(
            "expected a PowerShell Invoke-WebRequest call (Copy as PowerShell)",
            kind="powershell",
            text=text,
        )
    call = _read_call(tokens, start + 1)
    return _build(call, text)


def _read_call(tokens: list[_Token], index: int) -> _Call:
    call = _Call()
    while index < len(tokens) and tokens[index].kind != "newline":
        token = tokens[index]
        index += 1
        if token.kind == "bare" and token.text.startswith("-") and len(token.text) > 1:
            name = token.text[1:].lower()
            if index < len(tokens) and _is_value(tokens[index]):
                value, index = _value(tokens, index)
                call.values[name] = value
            else:
                call.values[name] = True
        elif token.kind in ("string", "bare"):
            call.positional.append(token.text)
        else:
            value, index = _value(tokens, index - 1)
    return call


def _is_value(token: _Token) -> bool:
    if token.kind == "bare":
        return not token.text.startswith("-")
    return token.kind in ("string", "hash") or token.text == "("


def _value(tokens: list[_Token], index: int) -> tuple[object, int]:
    """A string, a bare word, a ``@{...}`` hashtable, or the first string of ``(...)``."""
    token = tokens[index]
    if token.kind == "hash":
        return _hashtable(tokens, index + 1)
    if token.text == "(":
        depth, first, expression = 0, None, []
        while index < len(tokens):
            inner = tokens[index]
            expression.append(inner.text)
            if inner.text == "(":
                depth += 1
            elif inner.text == ")":
                depth -= 1
                if depth == 0:
                    break
            elif inner.kind == "string" and first is None:
                first = inner.text
            index += 1
        return (first if first is not None else "".join(expression)), index + 1
    return token.text, index + 1


def _hashtable(tokens: list[_Token], index: int) -> tuple[list[tuple[str, str]], int]:
    pairs: list[tuple[str, str]] = []
    while index < len(tokens) and tokens[index].text != "}":
        token = tokens[index]
        if token.kind == "newline":
            index += 1
            continue
        if index + 2 < len(tokens) and tokens[index + 1].text == "=":
            value, index = _value(tokens, index + 2)
            pairs.append((token.text, str(value)))
        else:
            index += 1
    return pairs, index + 1


def _build(call: _Call, text: str) -> ParsedInput:
    notes = ["read as PowerShell (Copy as PowerShell): backtick escapes undone"]
    uri = call.values.get("uri", call.positional[0] if call.positional else None)
    if not isinstance(uri, str) or not uri:
        raise InputError(
            'the Invoke-WebRequest call has no -Uri; expected -Uri "https://host/path"',
            kind="powershell",
            text=text,
        )
    url, url_notes = clean_url(uri, "powershell")
    notes += url_notes
    method_value = call.values.get("method", "GET")
    method = check_method(str(method_value).upper(), "powershell")
    headers: list[tuple[str, str]] = []
    raw_headers = call.values.get("headers", [])
    dropped = []
    for name, value in raw_headers if isinstance(raw_headers, list) else []:
        if name.lower() in _PSEUDO_HEADERS:
            dropped.append(name)
        else:
            headers.append((name, value))
    if dropped:
        notes.append(
            f"left out {', '.join(dropped)}: HTTP/2 pseudo-headers DevTools lists without their "
            "colon (they are the URL, RFC 9113 8.3)"
        )
    content_type = call.values.get("contenttype")
    if isinstance(content_type, str):
        headers = [(n, v) for n, v in headers if n.lower() != "content-type"]
        headers.append(("Content-Type", content_type))
    body_value = call.values.get("body")
    body = body_value.encode("utf-8", "surrogatepass") if isinstance(body_value, str) else None
    skipped = sorted(set(call.values) - {"uri", "method", "headers", "contenttype", "body"})
    if skipped:
        notes.append(
            "ignored parameters that do not change what is signed: "
            + ", ".join(f"-{name}" for name in skipped)
        )
    request = HttpRequest(method, url, headers, body)
    notes += method_notes(method)
    notes += body_notes(request)
    notes += signature_notes(request)
    return ParsedInput(request, "powershell", tuple(notes))
