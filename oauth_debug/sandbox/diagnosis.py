"""What the sandbox adds to each 401: the diagnosis of that very request, as ``oauth-debug
diagnose --format json`` would print it.

The sandbox knows the secret, so the diagnosis can name the exact mistake; this is the teaching
point of the whole tool. What it sends is the diagnosis *for the client*
(:func:`oauth_debug.diagnosis.public.for_client`): the mistake, the base string the sandbox
computed and the one the client's signature fits, but no value computed with the secret, or the
401 would hand out the signature that passes. For an unknown consumer key there is no secret to
use, and none is: the diagnosis then holds only what needs no secret (timestamp, nonce, parameter
findings).
"""

from __future__ import annotations

import logging
from typing import Any

from ..diagnosis import diagnose
from ..errors import OAuthDebugError
from ..model import Credentials, HttpRequest
from .auth import AuthFailure

log = logging.getLogger("oauth_debug.sandbox")


def diagnosis_for(
    request: HttpRequest,
    credentials: Credentials | None,
    now: float,
    window: float,
    failure: AuthFailure | None = None,
) -> dict[str, Any]:
    """``diagnose(request, credentials, now=now, stale_after=window).to_client_dict()``: the JSON
    of ``oauth-debug diagnose --now NOW --window WINDOW`` less what was computed with the secret,
    plus ``refused_because``.

    ``now`` is the sandbox's clock and ``window`` its timestamp window, so a timestamp is judged
    exactly as the sandbox judged it. ``refused_because`` names the check that refused the request
    (a signature can be right and the request still refused, for a used nonce say), and says what
    the verdict means from the sandbox's side, which holds the only right secret.
    """
    try:
        # The signature check's own trace, when it failed: the diagnosis explains it, it does not
        # recompute it (only with the secret it was computed with: the known client's).
        mismatch = None if failure is None or credentials is None else failure.mismatch
        result = diagnose(request, credentials, now=now, stale_after=window, mismatch=mismatch)
        document = result.to_client_dict()
    except OAuthDebugError as error:  # only for input that is no request at all
        document = {
            "verdict": "undiagnosable",
            "summary": f"the request cannot be diagnosed: {error}",
        }
    except Exception:
        # The refusal itself is already decided: a bug in the diagnosis must not turn the 401 into
        # a 500 (the client would then learn nothing at all); it is logged to be fixed.
        log.exception("the diagnosis failed on a refused %s request", request.method)
        document = {
            "verdict": "undiagnosable",
            "summary": "the diagnosis failed on this request (a bug in oauth-debug: see the "
            "sandbox's log)",
        }
    if failure is not None:
        document["refused_because"] = {
            "check": failure.reason,
            "message": failure.message,
            "meaning": _meaning(failure, str(document.get("verdict"))),
        }
    return document


def _meaning(failure: AuthFailure, verdict: str) -> str:
    if not failure.known_client:
        return "the sandbox knows no client with this consumer key: check the key you sign with"
    if failure.reason == "signature" and verdict == "unexplained":
        return (
            "no known mistake turns the sandbox's secret into this signature: the request was "
            "most likely signed with another secret (a typo, a trailing space, another key's)"
        )
    if failure.reason != "signature" and verdict == "valid":
        return (
            f"the signature is right; the request was refused by the {failure.reason} check: "
            f"{failure.message}"
        )
    return f"refused by the {failure.reason} check: {failure.message}"
