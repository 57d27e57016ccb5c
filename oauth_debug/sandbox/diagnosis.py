"""What the sandbox adds to each 401: the diagnosis of that very request, as ``oauth-debug
diagnose --format json`` would print it.

The sandbox knows the secret, so the diagnosis can name the exact mistake; this is the teaching
point of the whole tool. What it sends is the diagnosis *for the client*
(:func:`oauth_debug.diagnosis.public.for_client`): the mistake, the base string the sandbox
computed and the one the client's signature fits, but no value computed with the secret, or the
401 would hand out the signature that passes. For an unknown consumer key there is no secret to
use, and none is: the diagnosis then holds only what needs no secret (timestamp, nonce, parameter
findings). The diagnosis is the one :class:`oauth_debug.server.RequestVerifier` made when it
refused the request: it is not computed twice.
"""

from __future__ import annotations

from typing import Any

from ..diagnosis.public import for_client
from .auth import AuthFailure


def diagnosis_for(failure: AuthFailure) -> dict[str, Any]:
    """The client view of the verifier's diagnosis of the refused request (what ``oauth-debug
    diagnose --now NOW --window WINDOW --format json`` prints, less what was computed with the
    secret), plus ``refused_because``.

    The verifier diagnosed with the sandbox's clock and window, so a timestamp is judged exactly
    as it was refused, and with the secret only for the known client. ``refused_because`` names
    the check that refused the request (a signature can be right and the request still refused,
    for a used nonce say), and says what the verdict means from the sandbox's side, which holds
    the only right secret.
    """
    document: dict[str, Any]
    if failure.diagnosis is not None:
        document = for_client(failure.diagnosis)
    else:  # input no diagnosis can read, or a diagnosis bug (logged by the verifier)
        document = {
            "verdict": "undiagnosable",
            "summary": "the request cannot be diagnosed (see the sandbox's log)",
        }
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
