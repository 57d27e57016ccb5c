"""The cyclic collector is paused while a command line starts, and on again once the command runs.

main() pauses it; the command's own code freezes what starting made and turns it back on
(oauth_debug/cli/collector.py says why). A process that runs the app without main (a test runner)
is left as it was.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys

from typer.testing import CliRunner

from oauth_debug.cli.app import app

PROBE = (
    "import atexit, gc, sys\n"
    "atexit.register(lambda: print(gc.isenabled(), gc.get_freeze_count() > 0))\n"
    "sys.argv = ['oauth-debug', *sys.argv[1:]]\n"
    "from oauth_debug.cli import main\n"
    "main()\n"
)


def _collector_at_exit(*argv: str, env: dict[str, str] | None = None) -> tuple[str, int]:
    """(enabled, anything frozen) as the process leaves, and its exit code."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    return result.stdout.strip().splitlines()[-1], result.returncode


def test_a_command_that_ran_has_the_collector_on_and_its_start_frozen() -> None:
    state, code = _collector_at_exit(
        "sign", "GET", "https://h/x", "--consumer-key", "k", "--consumer-secret", "s"
    )
    assert (state, code) == ("True True", 0)


def test_a_sub_command_of_a_group_turns_it_back_on_too() -> None:
    # No gallery URL: the command's own code refuses (exit 2), after the collector is back.
    state, code = _collector_at_exit(
        "gallery", "jobs", "5c2d9a1e0b7f4a0001a1b2c1", env={"ALTERYX_GALLERY_URL": ""}
    )
    assert (state, code) == ("True True", 2)


def test_help_exits_before_any_command_runs_and_leaves_it_paused() -> None:
    state, code = _collector_at_exit("sign", "--help")
    assert (state, code) == ("False False", 0)


def test_the_app_run_without_main_leaves_the_collector_alone() -> None:
    frozen = gc.get_freeze_count()
    result = CliRunner().invoke(
        app, ["sign", "GET", "https://h/x", "--consumer-key", "k", "--consumer-secret", "s"]
    )
    assert result.exit_code == 0, result.output
    assert gc.isenabled() and gc.get_freeze_count() == frozen
