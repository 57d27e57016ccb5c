"""The options every `gallery` subcommand takes, declared once.

They follow the subcommand (``gallery workflows --base-url ...``), as they always have, so they are
options of each subcommand rather than of the group; :func:`with_gallery_options` adds them to a
command's signature and hands the command one :class:`GalleryOptions` instead of eight values.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any

import typer


class AuthChoice(str, Enum):
    oauth1 = "oauth1"
    oauth2 = "oauth2"
    auto = "auto"


class ResultFormat(str, Enum):
    text = "text"
    json = "json"


BaseUrl = Annotated[
    str,
    typer.Option(
        "--base-url",
        envvar="ALTERYX_GALLERY_URL",
        help="The Gallery's base address, e.g. https://host/gallery.",
        show_default=False,
    ),
]
ApiKey = Annotated[
    str,
    typer.Option("--api-key", envvar="ALTERYX_API_KEY", help="API key.", show_default=False),
]
ApiSecret = Annotated[
    str,
    typer.Option(
        "--api-secret",
        envvar="ALTERYX_API_SECRET",
        help="API secret (never printed).",
        show_default=False,
    ),
]
AuthOption = Annotated[
    AuthChoice,
    typer.Option(
        "--auth",
        help="oauth1 (Server up to 2021.4), oauth2 (2022.1 and later, under /webapi/) or auto.",
    ),
]
AdjustClock = Annotated[
    bool,
    typer.Option("--adjust-clock", help="Sign with the server's time (from its Date header)."),
]
TraceOption = Annotated[
    bool, typer.Option("--trace", help="Print the signing trace of each request (stderr).")
]
FormatOption = Annotated[
    ResultFormat, typer.Option("--format", "-f", help="text (a table) or json (for scripts).")
]
TimeoutOption = Annotated[
    float,
    # requests refuses a timeout of 0 or less with a ValueError; say so at the option instead.
    typer.Option("--timeout", min=0.001, help="Seconds to wait for the server on each call."),
]


@dataclass(frozen=True)
class GalleryOptions:
    """The options every gallery command shares."""

    base_url: str
    api_key: str
    api_secret: str
    auth: AuthChoice
    adjust_clock: bool
    trace: bool
    format: ResultFormat
    timeout: float

    @property
    def json(self) -> bool:
        return self.format is ResultFormat.json


# name, type with its typer.Option, default: in the order the help lists them, after the command's
# own arguments and options. "fmt" is left out of the commands whose --format is a file format.
_SHARED: tuple[tuple[str, Any, Any], ...] = (
    ("base_url", BaseUrl, ""),
    ("api_key", ApiKey, ""),
    ("api_secret", ApiSecret, ""),
    ("auth", AuthOption, AuthChoice.oauth1),
    ("adjust_clock", AdjustClock, False),
    ("trace", TraceOption, False),
    ("fmt", FormatOption, ResultFormat.text),
    ("timeout", TimeoutOption, 30.0),
)


def with_gallery_options(
    *, results: bool = True
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the shared options; it is called with ``options`` first, then its own.

    ``results=False`` leaves out --format/-f (result format), for the download commands, whose
    own --format names the file format and whose result is always a path. typer reads the
    command's parameters from its signature, so the wrapper's signature is the command's own
    parameters (``options`` removed) followed by the shared ones.
    """

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        shared = [entry for entry in _SHARED if results or entry[0] != "fmt"]
        names = [name for name, _, _ in shared]
        own = list(inspect.signature(command, eval_str=True).parameters.values())
        if not own or own[0].name != "options":
            raise TypeError(f"{command.__name__} must take options: GalleryOptions first")

        @functools.wraps(command)
        def with_options(**values: Any) -> None:
            given = {name: values.pop(name) for name in names}
            options = GalleryOptions(
                given["base_url"],
                given["api_key"],
                given["api_secret"],
                given["auth"],
                given["adjust_clock"],
                given["trace"],
                given.get("fmt", ResultFormat.text),
                given["timeout"],
            )
            command(options, **values)

        added = [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind
            )
            for name, kind, default in shared
        ]
        parameters = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own[1:]] + added
        signature = inspect.Signature(parameters, return_annotation=None)
        with_options.__signature__ = signature  # type: ignore[attr-defined]
        with_options.__annotations__ = {p.name: p.annotation for p in parameters}
        del with_options.__wrapped__  # typer must read this signature, not the command's
        return with_options

    return decorate
