"""What the sandbox adds to each 401: the diagnosis of that very request, as ``oauth-debug
diagnose --format json`` would print it.

The sandbox knows the secret, so the diagnosis can name the exact mistake; this is the teaching
point of the whole tool. For an unknown consumer key there is no secret to use, and none is.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..errors import OAuthDebugError
from ..model import Credentials, HttpRequest


def diagnosis_for(
    request: HttpRequest, credentials: Credentials | None, now: float
) -> dict[str, Any]:
    """``diagnose(request, credentials, now=now).to_dict()``, or a note saying why there is none.

    The diagnosis package is looked up at call time so the sandbox keeps working (with a
    placeholder) in a build where it is absent.
    """
    try:
        diagnose = importlib.import_module("oauth_debug.diagnosis").diagnose
    except (ImportError, AttributeError):
        return {
            "available": False,
            "summary": "this build has no diagnosis; run oauth-debug explain on the request",
        }
    try:
        result: dict[str, Any] = diagnose(request, credentials=credentials, now=now).to_dict()
    except OAuthDebugError as error:
        return {"available": False, "summary": f"the request cannot be diagnosed: {error}"}
    return result
