"""Diagnosis: the mistake catalog, the search over it, request findings, server-response readers
and the base-string diff.

``oauth_debug.diagnose`` is both this package and, for library users, the function
:func:`~oauth_debug.diagnose.engine.diagnose`. Python binds a package's name on its parent once the
package is imported, which would hide the function behind the package; so the package itself is
made callable, and ``oauth_debug.diagnose(request, ...)`` works whichever of the two it finds.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from .engine import diagnose
from .model import Diagnosis

__all__ = ["Diagnosis", "diagnose"]


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Diagnosis:
        return diagnose(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
