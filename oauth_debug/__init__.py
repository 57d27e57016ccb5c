"""oauth-debug: OAuth 1.0a signatures made visible, checkable and fixable.

Importing this package does no I/O and imports none of requests, typer or rich: other clients can
use the signer and verifier at no cost.
"""

from __future__ import annotations

from .errors import (
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

__all__ = [
    "RFC",
    "BaseStringParts",
    "Credentials",
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
    "sign_at",
    "verify",
]
