"""The explainer in the browser: `oauth-debug web` serves it, the sandbox can mount it.

:func:`create_app` is the WSGI application (the page at ``/``, the JSON API under ``/api/``); it
needs Jinja2 (a dependency of oauth-debug).
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Importing oauth_debug.web must not import Jinja2 until the app is asked for (PEP 562).
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
