"""`gallery` and `request`, registered together for the COMMANDS table of cli/app.py.

The commands live in rooms of their own: cli/gallery_commands.py (the group, its shared options in
cli/gallery_options.py, its session in cli/gallery_session.py) and cli/request_commands.py; their
tables are in render/gallery.py.
"""

from __future__ import annotations

import typer

from . import gallery_commands, request_commands


def register(app: typer.Typer) -> None:
    """Add the `gallery` group and the `request` command to ``app``."""
    gallery_commands.register(app)
    request_commands.register(app)
