"""Help that reads at any width and whose example commands paste whole.

The help is click's plain formatter (not typer's rich panels): rich's option tables cut option
names and environment variables to fit (``--signature-meth…``, ``OAUTH_CONSUMER_K…``) and, at 60
columns, show ``--consumer…`` twice. click's formatter wraps descriptions instead and never cuts.

click rewraps every paragraph to the terminal's width, which would break an example command over
two lines; pasted, it runs half a command. A paragraph that is a command (it starts with
``oauth-debug``, ``curl``, ``gunicorn``, ``python``, ``pip`` or ``$``) is marked with click's
``\\b`` (no rewrap) so it is printed as written. And a line is never broken at a hyphen, which
would split ``--show-secrets`` into ``--show-`` and ``secrets``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import typer
import typer.core

_COMMAND = re.compile(r"(?:oauth-debug|curl|gunicorn|python3?|pip|\$)\s")
_NO_REWRAP = "\b"


def keep_commands_whole(text: str) -> str:
    """``text`` with each paragraph that is a command marked so that click never rewraps it."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(
        f"{_NO_REWRAP}\n{paragraph}"
        if _COMMAND.match(paragraph.lstrip()) and not paragraph.startswith(_NO_REWRAP)
        else paragraph
        for paragraph in paragraphs
    )


# A stand-in for "-" while click wraps a line: not whitespace and one column wide, so the wrapper
# measures the same text but finds no hyphen to break at. Restored as the text is written.
_HELD_HYPHEN = "\x1f"

_Formatter: type[Any] = typer.core.TyperCommand.context_class.formatter_class
_Context: type[Any] = typer.core.TyperCommand.context_class


class _UnbrokenHyphens(_Formatter):  # type: ignore[misc]
    """click's help formatter, except that it never breaks a line at a hyphen."""

    def write_text(self, text: str) -> None:
        super().write_text(text.replace("-", _HELD_HYPHEN))

    def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        held = [
            (term.replace("-", _HELD_HYPHEN), text.replace("-", _HELD_HYPHEN))
            for term, text in rows
        ]
        super().write_dl(held, *args, **kwargs)

    def write(self, string: str) -> None:
        super().write(string.replace(_HELD_HYPHEN, "-"))


class _HelpContext(_Context):  # type: ignore[misc]
    formatter_class = _UnbrokenHyphens


class _WholeCommands:
    """Mixin for click commands and groups: examples in the help and epilog are never rewrapped."""

    help: str | None
    epilog: str | None
    context_class: type[Any] = _HelpContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.help:
            self.help = keep_commands_whole(self.help)
        if self.epilog:
            self.epilog = keep_commands_whole(self.epilog)


class HelpCommand(_WholeCommands, typer.core.TyperCommand):
    """A command whose help keeps its example commands whole."""


class HelpGroup(_WholeCommands, typer.core.TyperGroup):
    """A command group whose help keeps its example commands whole."""


def _typers(app: typer.Typer) -> Iterator[typer.Typer]:
    yield app
    for group in app.registered_groups:
        if group.typer_instance is not None:
            yield from _typers(group.typer_instance)


def use_whole_command_help(app: typer.Typer) -> None:
    """Give every command and sub-group of ``app`` that chose no class of its own the help above.

    Done once over the registered commands, so that no command module has to remember it.
    """
    for typer_app in _typers(app):
        for command in typer_app.registered_commands:
            if command.cls in (None, typer.core.TyperCommand):
                command.cls = HelpCommand
        if typer_app is not app and typer_app.info.cls in (None, typer.core.TyperGroup):
            typer_app.info.cls = HelpGroup
