"""Diagnosis: the mistake catalog, the search over it, request findings, server-response readers
and the base-string diff.

The package is called ``diagnosis`` so that ``oauth_debug.diagnose`` can stay what library users
call: the function :func:`~oauth_debug.diagnosis.engine.diagnose` (a package of the same name would
be bound over it on import).
"""

from __future__ import annotations

from .engine import diagnose
from .model import Diagnosis

__all__ = ["Diagnosis", "diagnose"]
