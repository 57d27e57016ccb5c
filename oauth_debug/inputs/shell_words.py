"""Split a copied curl command line into words the way the shell that would run it does.

Browsers offer "Copy as cURL" for bash and for Windows cmd; Postman and Swagger UI print bash. The
words are those :func:`shlex.split` (POSIX mode, no comments) gives, plus what shlex does not know:

- bash's ANSI-C quoting ``$'...'`` (Chrome uses it for any value with a quote, a newline or a
  non-ASCII character), decoded;
- backslash-newline continuations (removed, as bash does), and Windows cmd's caret escapes: ``^``
  at the end of a line continues it, ``^X`` is a literal X, and ``^`` + two newlines is a newline
  inside a value (Chrome's "Copy as cURL (cmd)").

The split is one pass of a regular expression over *runs* (a stretch of plain characters, a whole
quoted string, one escape), whose pieces are joined per word, so it takes time linear in the
length of the command. shlex reads and appends one character at a time: 16 s for a 1 MB body.
"""

from __future__ import annotations

import re

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
    """Undo cmd's caret escaping, leaving the MS C runtime's ``"..."`` quoting to the split."""

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
    return [word for word, _ in split_marked(text)]


def split_marked(text: str) -> list[tuple[str, bool]]:
    """Each shell word of ``text`` with whether any of it was quoted or escaped.

    A shell reads ``;``, ``|`` or ``&&`` as an operator only when it stands unquoted: ``';'``
    (a body Chrome copies as ``--data-raw ';'``) is a word like any other.
    """
    return _split(uncaret(text) if is_cmd_style(text) else text, text)


# One run outside quotes. Exactly one alternative matches at any position and each consumes at
# least one character, so a scan of the whole text is linear.
_RUN = re.compile(
    r"(?P<space>[ \t\r\n]+)"  # shlex's word separators (other white space is a character)
    r"""|(?P<plain>[^ \t\r\n'"\\$]+|\$(?!'))"""  # characters that stand for themselves
    r"|'(?P<single>[^']*)'"  # single quotes: everything literal up to the next one
    # Double quotes, in which a backslash escapes: written as an "unrolled loop", whose two parts
    # cannot match the same text, so an unclosed quote fails in linear time (no backtracking).
    r'|"(?P<double>[^"\\]*(?:\\.[^"\\]*)*)"'
    r"|(?P<continuation>\\\r?\n)"  # backslash-newline: the line goes on (bash)
    r"|\\(?P<escaped>.)"  # a backslash outside quotes: the next character, literally
    r"|(?P<ansi>\$')"  # bash's ANSI-C quoting, decoded by _ansi_c
    r"""|(?P<open>['"])"""  # a quote that is never closed
    r"|(?P<trailing>\\)",  # a backslash that ends the text
    re.DOTALL,
)
# POSIX: inside double quotes a backslash escapes only a double quote and a backslash; before
# any other character it stays (shlex keeps it; bash does too, "$" and "`" aside).
_DOUBLE_ESCAPE = re.compile(r'\\(["\\])')


def _split(text: str, given: str) -> list[tuple[str, bool]]:
    """The words of ``text`` (cmd's carets already undone), each with whether it was quoted;
    ``given`` is the text as pasted."""
    words: list[tuple[str, bool]] = []
    pieces: list[str] = []
    quoted = False  # a word of quotes only ('' or "") is a word all the same: the empty one
    position = 0
    while position < len(text):
        run = _RUN.match(text, position)
        assert run is not None  # the alternatives cover every character
        kind = run.lastgroup
        position = run.end()
        if kind == "space":
            if pieces or quoted:
                words.append(("".join(pieces), quoted))
            pieces, quoted = [], False
        elif kind == "plain":
            pieces.append(run.group(kind))
        elif kind == "escaped" or kind == "single":
            pieces.append(run.group(kind))
            quoted = True
        elif kind == "double":
            body = run.group(kind)
            pieces.append(_DOUBLE_ESCAPE.sub(r"\1", body) if "\\" in body else body)
            quoted = True
        elif kind == "ansi":
            value, position = _ansi_c(text, position)
            pieces.append(value)
            quoted = True
        elif kind == "open":
            raise _unclosed(run.group(kind), run.start(), text)
        elif kind == "trailing":
            raise InputError(
                "cannot split the curl command into words (No escaped character); expected "
                "balanced quotes",
                kind="curl",
                text=given,
            )
        # a continuation adds nothing
    if pieces or quoted:
        words.append(("".join(pieces), quoted))
    return words


def _unclosed(quote: str, start: int, text: str) -> InputError:
    return InputError(
        f"the {quote} quote at position {start} is never closed; expected a matching {quote}",
        kind="curl",
        text=text,
        position=start,
    )


# Inside $'...': a run without backslash or quote, the closing quote, or one escape (bash(1),
# QUOTING: \xHH, \uHHHH and \UHHHHHHHH take up to 2, 4 and 8 hex digits, \nnn up to 3 octal).
_ANSI_RUN = re.compile(
    r"(?P<plain>[^\\']+)"
    r"|(?P<close>')"
    r"|\\(?P<hex>[xuU])(?P<digits>[0-9A-Fa-f]*)"
    r"|\\(?P<octal>[0-7]{1,3})"
    r"|\\c(?P<control>.)"
    r"|\\(?P<other>.)"
    r"|(?P<lone>\\)",
    re.DOTALL,
)


def _ansi_c(text: str, start: int) -> tuple[str, int]:
    """Decode the body of ``$'...'`` from ``start``; return it and the index after the quote."""
    out: list[str] = []
    position = start
    while position < len(text):
        run = _ANSI_RUN.match(text, position)
        assert run is not None
        kind = run.lastgroup
        position = run.end()
        if kind == "close":
            return "".join(out), position
        if kind == "digits" or kind == "hex":
            letter, digits = run.group("hex"), run.group("digits")
            used = digits[: _HEX_LENGTHS[letter]]
            if used:
                code = int(used, 16)
                out.append(chr(code) if code <= 0x10FFFF else "\ufffd")
            else:
                out.append("\\" + letter)
            out.append(digits[len(used) :])
        elif kind == "octal":
            out.append(chr(int(run.group(kind), 8)))
        elif kind == "control":
            out.append(chr(ord(run.group(kind)) & 0x1F))
        elif kind == "other":
            other = run.group(kind)
            out.append(_SIMPLE_ESCAPES.get(other, "\\" + other))
        else:  # plain text, or a backslash that ends the text (the quote is then unclosed)
            out.append(run.group(0))
    raise _unclosed_ansi(start, text)


def _unclosed_ansi(start: int, text: str) -> InputError:
    return InputError(
        f"the $' quote at position {start - 2} is never closed; expected a matching '",
        kind="curl",
        text=text,
        position=start - 2,
    )
