"""Diagnosis: the mistake catalog, the search over it, request findings, server-response readers
and the base-string diff.

The package is called ``diagnosis`` so that ``oauth_debug.diagnose`` can stay what library users
call: the function :func:`~oauth_debug.diagnosis.engine.diagnose` (a package of the same name would
be bound over it on import).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import diagnose
    from .model import Diagnosis

# Loaded on first use: importing one submodule (the provider profiles a command guesses from the
# host, say) must not load the engine and its search (PEP 562).
_PUBLIC = {"diagnose": "engine", "Diagnosis": "model"}


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)


__all__ = ["Diagnosis", "diagnose"]
