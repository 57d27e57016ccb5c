"""The options every `gallery` subcommand shares are declared once and reach each subcommand
alike; the gallery tables are pure renderables."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main
from rich.console import Console
from rich.table import Table

from oauth_debug.cli.gallery_commands import gallery_app
from oauth_debug.cli.gallery_options import GalleryOptions, ResultFormat, with_gallery_options
from oauth_debug.live.results import Job
from oauth_debug.render.gallery import job_table, message_lines, output_lines

SHARED = ["--base-url", "--api-key", "--api-secret", "--auth", "--adjust-clock", "--trace"]


def _options(command: Any) -> dict[str, Any]:
    # typer's parameters need not be the installed click's classes: tell options by their kind.
    return {
        flag: param
        for param in command.params
        if param.param_type_name == "option"
        for flag in param.opts
    }


def test_each_subcommand_has_the_shared_options_after_its_own() -> None:
    group = typer.main.get_group(gallery_app)
    assert sorted(group.commands) == sorted(
        ["workflows", "questions", "run", "job", "jobs", "output", "package"]
    )
    for name, command in group.commands.items():
        flags = _options(command)
        for flag in [*SHARED, "--timeout"]:
            assert flag in flags, (name, flag)
        assert flags["--timeout"].default == 30.0
        assert flags["--base-url"].envvar == "ALTERYX_GALLERY_URL"
        # The shared options come last, in one order, whatever the command's own are.
        names = [param.name for param in command.params]
        assert names[-1] == "timeout" and names.index("base_url") < names.index("timeout")


def test_download_commands_keep_their_own_format_option() -> None:
    group = typer.main.get_group(gallery_app)
    for name in ("output", "package"):
        assert "-f" not in _options(group.commands[name]), name
    assert _options(group.commands["output"])["--format"].name == "file_format"
    assert _options(group.commands["jobs"])["-f"].name == "fmt"


def test_the_command_is_given_one_options_value() -> None:
    seen: list[object] = []

    @with_gallery_options(results=False)
    def command(options: GalleryOptions, app_id: str) -> None:
        seen.append((options, app_id))

    command(
        app_id="a1", base_url="u", api_key="k", api_secret="s", auth="oauth1",
        adjust_clock=True, trace=False, timeout=5.0,
    )  # fmt: skip
    ((options, app_id),) = seen
    assert app_id == "a1" and isinstance(options, GalleryOptions)
    assert (options.base_url, options.adjust_clock, options.timeout) == ("u", True, 5.0)
    assert options.format is ResultFormat.text and not options.json


def test_a_command_without_options_first_is_refused() -> None:
    with pytest.raises(TypeError, match="options: GalleryOptions first"):

        @with_gallery_options()
        def command(app_id: str) -> None:
            del app_id


def test_job_lines_are_text_and_keep_server_markup_literal() -> None:
    job = Job.from_json(
        {"id": "j[b]1", "status": "Completed", "disposition": "Error",
         "outputs": [{"id": "o1", "name": "x[/y].csv", "formats": ["Raw", "Csv"]}],
         "messages": [{"status": 3, "text": "bad [/oops]", "toolId": 7},
                      {"status": 1, "text": "info", "toolId": 1}]}
    )  # fmt: skip
    assert [line.plain for line in output_lines(job)] == ["  output o1: x[/y].csv (Raw, Csv)"]
    assert [(line.plain, line.style) for line in message_lines(job)] == [
        ("  tool 7: bad [/oops]", "red"),
        ("  tool 1: info", "dim"),
    ]
    table = job_table([job])
    assert isinstance(table, Table) and table.row_count == 1
    console = Console(width=120, record=True, markup=False)
    console.print(table)
    assert "j[b]1" in console.export_text()
