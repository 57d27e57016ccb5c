"""Ids in tables are never cut: below the width a table needs, the rows print as a list."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from oauth_debug.cli.app import app
from oauth_debug.render.console import make_console
from oauth_debug.render.fit import Column, table_or_list
from oauth_debug.vectors import run_all

runner = CliRunner()


@pytest.mark.parametrize("width", [60, 200])
def test_every_vector_id_is_printed_whole(width: int) -> None:
    result = runner.invoke(app, ["vectors"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    words = {word.strip("│┃ ") for line in result.output.splitlines() for word in line.split()}
    missing = [r.id for r in run_all() if r.id not in words]
    assert missing == []
    assert "…" not in result.output
    assert all(len(line) <= width for line in result.output.splitlines())


def test_a_wide_console_gets_the_table() -> None:
    result = runner.invoke(app, ["vectors"], env={"COLUMNS": "200"})
    assert "┃ case" in result.output


@settings(max_examples=100, deadline=None)
@given(
    ids=st.lists(st.text("abcdefghij-", min_size=1, max_size=40), min_size=1, max_size=5),
    width=st.integers(20, 120),
)
def test_ids_are_whole_at_any_width(ids: list[str], width: int) -> None:
    import io

    out = io.StringIO()
    console = make_console(file=out, width=width)
    rows = [(identifier, "some words that may wrap here") for identifier in ids]
    console.print(table_or_list([Column("id", is_id=True), Column("what")], rows))
    words = {word.strip("│┃ ") for line in out.getvalue().splitlines() for word in line.split()}
    assert set(ids) <= words or max(map(len, ids)) > width


@pytest.mark.parametrize("width", [40, 60, 100])
def test_diff_never_cuts_a_parameter_name(width: int) -> None:
    a = "GET&http%3A%2F%2Fa.example%2F&oauth_signature_method%3DHMAC-SHA1%26b%3D1"
    b = "GET&http%3A%2F%2Fa.example%2F&oauth_signature_method%3DHMAC-SHA1%26b%3D2"
    result = runner.invoke(app, ["diff", a, b], env={"COLUMNS": str(width)})
    assert result.exit_code == 1
    words = {word.strip("│┃ ") for line in result.output.splitlines() for word in line.split()}
    assert "oauth_signature_method" in words
    assert "…" not in result.output
