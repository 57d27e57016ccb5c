"""The command line: the only place in the package that prints for a person or exits the process."""

from __future__ import annotations


def main() -> None:
    """Console entry point (``oauth-debug`` and ``python -m oauth_debug``)."""
    from .collector import pause

    pause()  # until the command's own code starts: collector.py says why
    from .app import app

    app()
