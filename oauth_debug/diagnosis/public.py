"""A diagnosis as a server may tell it to the client it refused: everything that names and explains
the mistake, nothing that was computed with the secret.

``Diagnosis.to_dict`` is for the person who holds the secret (``oauth-debug diagnose``): it shows
the right signature, its digest and the signing key's outline. A server that sent that to whoever
asked would sign for them: a request refused for a wrong secret could be resent with the
signature from the 401 and pass. So the sandbox answers with :func:`for_client`, which keeps the
same keys (a client reads both alike) and withholds by kind, not by a list of edge cases:

- from the expected trace, only the steps before the key (RFC 5849 3.4.1: the base string and its
  parts, which need no secret), never the key, digest or signature (3.4.2);
- from every wrong-beside-right comparison, only the rows not marked ``uses_secret``;
- the key outline, whose length is the secret's length, goes with the key;
- the search's ``considered`` list is told as the request alone decides it: whether a mistake
  applies can depend on the characters of the secret (a space, ``!*'()``, anything that needs
  percent-encoding), so the list the search really used says something about the secret, and
  so does its count of combinations, which is withheld (null).

The client's own ``claimed_signature`` stays: it is what the client sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..trace_document import secret_free_document

if TYPE_CHECKING:
    from ..trace import SigningTrace
    from .model import Diagnosis, MistakeExplanation, SideBySide

WITHHELD = (
    "values computed with the server's secret (the right signature, its digest, the signing key "
    "and its length, which mistakes its characters make possible) are not sent to the client: "
    "run `oauth-debug diagnose` with your own secret to see them"
)


def for_client(diagnosis: Diagnosis) -> dict[str, Any]:
    """``diagnosis.to_dict()`` without any value computed with a secret, plus ``"withheld"``."""
    document = diagnosis.to_dict()
    document["expected"] = None if diagnosis.expected is None else public_trace(diagnosis.expected)
    document["explanation"] = [_public_mistake(m) for m in diagnosis.explanation]
    document["reproduced"] = _public_rows(diagnosis.reproduced)
    document["search"] = {
        "considered": _considered_without_secret(diagnosis),
        "combinations_tried": None,
    }
    document["withheld"] = WITHHELD
    return document


def _considered_without_secret(diagnosis: Diagnosis) -> list[str]:
    """The considered catalog ids that apply to the request whatever the secret is."""
    trace = diagnosis.expected
    if trace is None or not diagnosis.considered:
        return []
    from .catalog import CATALOG, context_of

    context = context_of(trace.request, None, trace.signature_method, trace.placement, trace.realm)
    public = {mistake.id for mistake in CATALOG if mistake.variants(context)}
    return [mistake_id for mistake_id in diagnosis.considered if mistake_id in public]


def public_trace(trace: SigningTrace) -> dict[str, Any]:
    """The secret-free steps of ``trace``: what the server computed before it used its key."""
    return secret_free_document(trace)


def _public_mistake(mistake: MistakeExplanation) -> dict[str, Any]:
    told = mistake.to_dict()
    told["comparisons"] = _public_rows(mistake.comparisons)
    return told


def _public_rows(rows: tuple[SideBySide, ...]) -> list[dict[str, Any]]:
    return [row.to_dict() for row in rows if not row.uses_secret]
