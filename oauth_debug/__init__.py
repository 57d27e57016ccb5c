"""oauth-debug: OAuth 1.0a signatures made visible, checkable and fixable.

Importing this package does no I/O and imports none of requests, typer or rich: other clients can
use the signer and verifier at no cost.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Each public name and the module it lives in. Nothing is imported until a name is used: the
# command line's ``--help`` and ``--version`` import this package and need none of it, and a
# program that only signs never loads the diagnosis (PEP 562 module __getattr__).
_PUBLIC = {
    "BodyHashMismatch": "errors",
    "DuplicateOAuthParameterError": "errors",
    "EncodingError": "errors",
    "FormBodyError": "errors",
    "InvalidOptionError": "errors",
    "InvalidRequestError": "errors",
    "InvalidURLError": "errors",
    "MalformedHeaderError": "errors",
    "MissingDependencyError": "errors",
    "MissingKeyError": "errors",
    "MissingParameterError": "errors",
    "OAuthDebugError": "errors",
    "SignatureMismatch": "errors",
    "UnsupportedSignatureMethodError": "errors",
    "Credentials": "model",
    "HttpRequest": "model",
    "Param": "model",
    "Secret": "model",
    "RFC": "recipe",
    "Recipe": "recipe",
    "Signer": "signer",
    "sign_at": "signer",
    "BaseStringParts": "trace",
    "SigningTrace": "trace",
    "diagnose": "diagnosis.engine",
    "Diagnosis": "diagnosis.model",
}

if TYPE_CHECKING:
    from .diagnosis.engine import diagnose
    from .diagnosis.model import Diagnosis
    from .errors import (
        BodyHashMismatch,
        DuplicateOAuthParameterError,
        EncodingError,
        FormBodyError,
        InvalidOptionError,
        InvalidRequestError,
        InvalidURLError,
        MalformedHeaderError,
        MissingDependencyError,
        MissingKeyError,
        MissingParameterError,
        OAuthDebugError,
        SignatureMismatch,
        UnsupportedSignatureMethodError,
    )
    from .model import Credentials, HttpRequest, Param, Secret
    from .recipe import RFC, Recipe
    from .signer import Signer, sign_at
    from .trace import BaseStringParts, SigningTrace
    from .verify import verify


# ``verify`` is both a submodule and the public function in it. Loaded lazily like the rest, it
# would lose to the submodule: the import system binds ``oauth_debug.verify`` to the module once it
# has loaded it, and ``from oauth_debug import verify`` would then give the module. Binding it
# eagerly cost every command line (``--help`` included) the whole signer. So the package's module
# class keeps the name for the function instead: when the import system binds the submodule, the
# function in it is what gets stored (assigning ``__class__`` is how PEP 562's docs customise a
# module's attribute setting).
_PUBLIC["verify"] = "verify"


class _Package(ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        if name == "verify" and isinstance(value, ModuleType):
            value = value.verify
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next lookup is an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])


__all__ = [
    "RFC",
    "BaseStringParts",
    "BodyHashMismatch",
    "Credentials",
    "Diagnosis",
    "DuplicateOAuthParameterError",
    "EncodingError",
    "FormBodyError",
    "HttpRequest",
    "InvalidOptionError",
    "InvalidRequestError",
    "InvalidURLError",
    "MalformedHeaderError",
    "MissingDependencyError",
    "MissingKeyError",
    "MissingParameterError",
    "OAuthDebugError",
    "Param",
    "Recipe",
    "Secret",
    "SignatureMismatch",
    "Signer",
    "SigningTrace",
    "UnsupportedSignatureMethodError",
    "__version__",
    "diagnose",
    "sign_at",
    "verify",
]
