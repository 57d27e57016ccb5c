"""Split a copied curl command line into words the way the shell that would run it does.

Browsers offer "Copy as cURL" for bash and for Windows cmd; Postman and Swagger UI print bash. The
standard library's :mod:`shlex` splits POSIX shell words, but two things it does not know are done
here first:

- bash's ANSI-C quoting ``$'...'`` (Chrome uses it for any value with a quote, a newline or a
  non-ASCII character): decoded and re-quoted as a plain single-quoted word;
- backslash-newline continuations (removed, as bash does), and Windows cmd's caret escapes: ``^``
  at the end of a line continues it, ``^X`` is a literal X, and ``^`` + two newlines is a newline
  inside a value (Chrome's "Copy as cURL (cmd)").
"""

from __future__ import annotations

import re
import shlex

from .result import InputError

_CMD_CARET = re.compile(r"\^(\r?\n\r?\n|\r?\n|.)", re.DOTALL)
_CMD_STYLE = re.compile(r'\^\r?\n|\^"')
_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "e": "\x1b",
    "E": "\x1b",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}
_HEX_LENGTHS = {"x": 2, "u": 4, "U": 8}
SHELL_OPERATORS = frozenset({"|", "||", "&&", ";", "&", ">", ">>", "2>", "2>&1", "<"})


def is_cmd_style(text: str) -> bool:
    """Whether the text uses Windows cmd's caret escapes (a ``^`` line end, or ``^"`` quotes)."""
    return _CMD_STYLE.search(text) is not None


def uncaret(text: str) -> str:
    """Undo cmd's caret escaping, leaving the MS C runtime's ``"..."`` quoting for :mod:`shlex`."""

    def replace(match: re.Match[str]) -> str:
        escaped = match.group(1)
        if escaped.strip("\r\n") == "" and escaped.count("\n") == 2:
            return "\n"
        if escaped.strip("\r\n") == "":
            return ""
        return escaped

    return _CMD_CARET.sub(replace, text)


def split_words(text: str) -> list[str]:
    """The shell words of ``text`` (bash or cmd), or an InputError saying where quoting broke."""
    prepared = _prepare_bash(uncaret(text) if is_cmd_style(text) else text)
    try:
        return shlex.split(prepared, comments=False, posix=True)
    except ValueError as error:
        raise InputError(
            f"cannot split the curl command into words ({error}); expected balanced quotes",
            kind="curl",
            text=text,
        ) from None


def _prepare_bash(text: str) -> str:
    """Remove backslash-newlines and rewrite ``$'...'`` words; check that quotes are closed."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in "'\"":
            end = _closing(text, i, char)
            out.append(text[i : end + 1])
            i = end + 1
        elif char == "$" and text.startswith("$'", i):
            value, i = _ansi_c(text, i + 2)
            out.append("'" + value.replace("'", "'\"'\"'") + "'")
        elif char == "\\" and text.startswith(("\\\n", "\\\r\n"), i):
            i += 3 if text[i + 1] == "\r" else 2
        elif char == "\\" and i + 1 < len(text):
            out.append(text[i : i + 2])
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _closing(text: str, start: int, quote: str) -> int:
    """Index of the quote closing the one at ``start`` (double quotes honour backslashes)."""
    i = start + 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i
        i += 1
    raise InputError(
        f"the {quote} quote at position {start} is never closed; expected a matching {quote}",
        kind="curl",
        text=text,
        position=start,
    )


def _ansi_c(text: str, start: int) -> tuple[str, int]:
    """Decode the body of ``$'...'`` from ``start``; return it and the index after the quote."""
    out: list[str] = []
    i = start
    while i < len(text):
        char = text[i]
        if char == "'":
            return "".join(out), i + 1
        if char != "\\" or i + 1 >= len(text):
            out.append(char)
            i += 1
            continue
        kind = text[i + 1]
        if kind in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[kind])
            i += 2
        elif kind in _HEX_LENGTHS:
            digits = re.match(rf"[0-9A-Fa-f]{{1,{_HEX_LENGTHS[kind]}}}", text[i + 2 :])
            if digits is None:
                out.append(text[i : i + 2])
                i += 2
                continue
            code = int(digits.group(0), 16)
            out.append(chr(code) if code <= 0x10FFFF else "\ufffd")
            i += 2 + len(digits.group(0))
        elif kind in "01234567":
            digits = re.match(r"[0-7]{1,3}", text[i + 1 :])
            assert digits is not None
            out.append(chr(int(digits.group(0), 8)))
            i += 1 + len(digits.group(0))
        elif kind == "c" and i + 2 < len(text):
            out.append(chr(ord(text[i + 2]) & 0x1F))
            i += 3
        else:
            out.append(text[i : i + 2])
            i += 2
    raise InputError(
        f"the $' quote at position {start - 2} is never closed; expected a matching '",
        kind="curl",
        text=text,
        position=start - 2,
    )
