"""LinePrinter writes the bytes make_console() writes, on a terminal or not, for any text."""

from __future__ import annotations

import io
import sys

import pytest
import rich.control
from hypothesis import given
from hypothesis import strategies as st

from oauth_debug.render.console import make_console
from oauth_debug.render.plain import STRIPPED_CONTROL_CODES, LinePrinter, literal_line

# Every kind of character a request can carry, the ones rich strips and tabs included.
ANY_TEXT = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from("\t\r\n\x07\x08\x0b\x0c\x1b[]:&=\"' 漢é\u200b\u0301"),
    )
)


def _console_bytes(text: str, style: str | None = None) -> str:
    """What the console writes for the line, as the commands printed it before LinePrinter."""
    out = io.StringIO()
    make_console(file=out).print(text, style=style, soft_wrap=True)
    return out.getvalue()


def _printer_bytes(text: str, style: str | None = None, *, stderr: bool = False) -> str:
    out = io.StringIO()
    stream = "stderr" if stderr else "stdout"
    saved = getattr(sys, stream)
    setattr(sys, stream, out)
    try:
        LinePrinter(stderr=stderr).print(text, style=style)
    finally:
        setattr(sys, stream, saved)
    return out.getvalue()


def test_the_stripped_control_codes_are_the_ones_rich_strips() -> None:
    assert list(STRIPPED_CONTROL_CODES) == list(rich.control.STRIP_CONTROL_CODES)


@given(ANY_TEXT)
def test_a_plain_line_is_the_consoles_bytes(text: str) -> None:
    assert _printer_bytes(text) == _console_bytes(text)


@given(ANY_TEXT)
def test_a_plain_line_is_the_consoles_bytes_on_a_terminal_too(text: str) -> None:
    # FORCE_COLOR makes rich take any stream for a colour terminal: text without a style still
    # gets no escape code, so the printer need not know whether it writes to one.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FORCE_COLOR", "1")
        assert _printer_bytes(text) == _console_bytes(text)


@given(ANY_TEXT.filter(lambda text: "\t" not in text))
def test_the_printer_writes_a_line_without_a_tab_itself(text: str) -> None:
    line = literal_line(text)
    assert line is not None and line.endswith("\n")
    assert not set(line) & {chr(code) for code in STRIPPED_CONTROL_CODES}


def test_a_tab_is_left_to_rich_which_expands_it_to_its_tab_stop() -> None:
    assert literal_line("a\tb") is None
    assert _printer_bytes("漢\tb") == _console_bytes("漢\tb") == "漢      b\n"


def test_no_text_prints_an_empty_line_as_the_consoles_print_does() -> None:
    out = io.StringIO()
    make_console(file=out).print()
    assert _printer_bytes("") == out.getvalue() == "\n"


def test_a_styled_line_gets_the_consoles_escape_codes_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    printed = _printer_bytes("note: [dim] stays", style="dim")
    assert printed == _console_bytes("note: [dim] stays", style="dim")
    assert printed.startswith("\x1b[2m") and "note: [dim] stays" in printed


def test_stderr_lines_go_to_stderr() -> None:
    assert _printer_bytes("to stderr", stderr=True) == "to stderr\n"


def test_a_character_the_stream_cannot_encode_fails_as_the_console_fails() -> None:
    raw = io.BytesIO()
    ascii_out = io.TextIOWrapper(raw, encoding="ascii")
    saved = sys.stdout
    sys.stdout = ascii_out
    try:
        with pytest.raises(UnicodeEncodeError, match="PYTHONIOENCODING=utf-8"):
            LinePrinter().print("café")
    finally:
        sys.stdout = saved
    ascii_out.flush()
    assert raw.getvalue() == b""  # nothing half-written before the error
