"""The typer application; each command group lives in a module of its own and registers itself."""

from __future__ import annotations

from typing import Annotated, Any

import typer
import typer.core

from .. import __version__
from ..errors import OAuthDebugError
from . import (
    check_commands,
    demo_commands,
    diagnose_commands,
    diff_commands,
    live_commands,
    sandbox_commands,
    sign_commands,
)
from .help_format import HelpGroup, use_whole_command_help

# typer exports BadParameter but not its base class, the usage error every mistyped option,
# missing argument or unknown command raises; take it from the public class's ancestry.
_UsageError: type[Exception] = next(
    cls for cls in typer.BadParameter.__mro__ if cls.__name__ == "UsageError"
)


class GuardedGroup(HelpGroup):
    """Turns any OAuthDebugError, and any usage error in a command's options, into one line on
    stderr and exit code 2 (no traceback, no box).

    Done at the group so that typer's CliRunner in the tests sees exactly what a person sees.
    """

    # typer types ctx with its vendored click Context, which it does not export.
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except OAuthDebugError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(error.exit_code) from None
        except _UsageError as error:
            failed = getattr(error, "ctx", None)
            command = getattr(failed, "command_path", None) or "oauth-debug"
            format_message = getattr(error, "format_message", None)
            message = format_message() if callable(format_message) else str(error)
            typer.echo(f"error: {message} (see {command} --help)", err=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=GuardedGroup,
    name="oauth-debug",
    help=(
        "Make OAuth 1.0a signatures visible, checkable and fixable.\n\n"
        "See every step of a signature:\n\n"
        "oauth-debug explain GET https://api.example.com/path --consumer-key K "
        "--consumer-secret S\n\n"
        "Have the mistake behind a 401 named:\n\n"
        "oauth-debug diagnose --url '<the signed URL that got a 401>' --consumer-secret S\n\n"
        "Every command takes -h / --help, with examples."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # click's plain help: typer's rich panels cut option names at narrow widths (help_format).
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"oauth-debug {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Options of oauth-debug itself (the commands have their own)."""


sign_commands.register(app)
check_commands.register(app)
diagnose_commands.register(app)
diff_commands.register(app)
live_commands.register(app)
sandbox_commands.register(app)
demo_commands.register(app)
use_whole_command_help(app)
