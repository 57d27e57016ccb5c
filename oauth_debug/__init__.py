"""oauth-debug: OAuth 1.0a signatures made visible, checkable and fixable.

Importing this package does no I/O and imports none of requests, typer or rich: other clients can
use the signer and verifier at no cost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .diagnosis.engine import diagnose
    from .diagnosis.model import Diagnosis


def __getattr__(name: str) -> Any:
    # The diagnosis is loaded on first use, so that signing alone stays a small import.
    if name in ("diagnose", "Diagnosis"):
        from .diagnosis import engine, model

        return engine.diagnose if name == "diagnose" else model.Diagnosis
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
