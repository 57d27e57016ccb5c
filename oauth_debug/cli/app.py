"""The typer application; each command group lives in a module of its own and registers itself.

A command's module is imported only when that command runs (or its help is asked for): ``sign``
needs neither requests nor the sandbox nor the diagnosis search, and a person waits for every
module a command line imports. The top-level help lists the commands from :data:`COMMANDS`
without importing any of them.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple

import typer
import typer.core
import typer.main

from .. import __version__
from .collector import resume
from .help_format import HelpGroup, use_whole_command_help


class CommandEntry(NamedTuple):
    """Where a command lives, and the one line the top-level help shows for it."""

    module: str
    summary: str


COMMANDS: dict[str, CommandEntry] = {
    "sign": CommandEntry("sign_commands", "Sign a request and print it ready to paste."),
    "explain": CommandEntry("explain_commands", "Walk through every step of the signature."),
    "vectors": CommandEntry("sign_commands", "Run the published and edge-case test vectors."),
    "verify": CommandEntry("check_commands", "Recompute a request's signature and compare it."),
    "diagnose": CommandEntry("diagnose_commands", "Name the mistake behind a refused signature."),
    "diff": CommandEntry("diff_commands", "Compare two signature base strings."),
    "request": CommandEntry("request_commands", "Sign and send any request, curl-like."),
    "sandbox": CommandEntry(
        "sandbox_commands", "Serve a local Alteryx Gallery that explains 401s."
    ),
    "demo": CommandEntry("demo_commands", "Run the whole story against a local sandbox."),
    "web": CommandEntry("web_commands", "Serve the explainer page and its JSON API."),
    "gallery": CommandEntry(
        "gallery_commands", "Talk to an Alteryx Gallery: workflows, jobs, outputs."
    ),
}
"""Every command, in the order the help lists them. A test holds each against its module."""


def _command_name(info: Any) -> str | None:
    """The name typer gives a registered command: its own, or its function's (``_`` as ``-``)."""
    if info.name:
        return str(info.name)
    callback = info.callback
    return None if callback is None else typer.main.get_command_name(callback.__name__)


def load_command(name: str) -> Any:
    """The click command ``name``, built from its module's ``register`` (None if unknown)."""
    entry = COMMANDS.get(name)
    if entry is None:
        return None
    module = importlib.import_module(f"{__package__}.{entry.module}")
    # The module registers its commands on an app of its own, from which this one is taken.
    holder = typer.Typer(add_completion=False, rich_markup_mode=None)
    module.register(holder)
    # Only the command asked for is built: typer turns every parameter of every command it is
    # given into a click parameter, and `sign` shares its module with `vectors`.
    holder.registered_commands = [
        info for info in holder.registered_commands if _command_name(info) == name
    ]
    use_whole_command_help(holder)
    command = typer.main.get_group(holder).commands.get(name)
    _resume_collection_on_run(command)
    return command


def _resume_collection_on_run(command: Any) -> None:
    """Make ``command`` (and each sub-command of a group) turn the collector back on as its own
    code starts: the end of starting, which main() paused it for (collector.py)."""
    callback = getattr(command, "callback", None)
    if callback is not None:
        command.callback = _resuming(callback)
    for child in getattr(command, "commands", {}).values():
        _resume_collection_on_run(child)


def _resuming(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        resume()
        return callback(*args, **kwargs)

    return run


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
        # Imported here, not at the top: ``--help`` and ``--version`` never reach invoke, and
        # need none of the core that the errors module pulls in.
        from ..errors import OAuthDebugError

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

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return list(COMMANDS)

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        return load_command(cmd_name)

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        """The command list from :data:`COMMANDS`: listing them must not import them."""
        rows = [(name, entry.summary) for name, entry in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


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
