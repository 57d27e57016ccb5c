"""Tell a found explanation to a person: each mistake with its wrong and right values side by side.

The wrong values come from running the same pipeline with the mistake's recipe (signer.compute);
nothing here computes a signature of its own. Keys are shown as outlines only.
"""

from __future__ import annotations

from ..errors import OAuthDebugError
from ..model import Credentials, HttpRequest
from ..recipe import Recipe
from ..redact import REDACTED
from ..signer import compute, transported
from ..trace import SigningTrace
from ..trace_document import key_outline
from .catalog import BY_ID, Variant
from .model import MistakeExplanation, SideBySide
from .search import Explanation


def explain(
    request: HttpRequest,
    credentials: Credentials,
    expected: SigningTrace,
    found: Explanation,
) -> tuple[tuple[MistakeExplanation, ...], tuple[SideBySide, ...]]:
    """Each mistake of ``found`` on its own, and all of them together, against ``expected``."""
    told = tuple(
        _one(request, credentials, expected, mistake_id, chosen)
        for mistake_id, chosen in zip(found.ids, found.variants, strict=True)
    )
    together = _wrong_trace(request, credentials, expected, found.recipe)
    reproduced = () if together is None else compare(together, expected, everything=True)
    return told, reproduced


def _one(
    request: HttpRequest,
    credentials: Credentials,
    expected: SigningTrace,
    mistake_id: str,
    chosen: Variant,
) -> MistakeExplanation:
    mistake = BY_ID[mistake_id]
    wrong = _wrong_trace(request, credentials, expected, chosen.apply())
    comparisons = () if wrong is None else compare(wrong, expected)
    return MistakeExplanation.of(mistake, chosen.label, comparisons)


def _wrong_trace(
    request: HttpRequest, credentials: Credentials, expected: SigningTrace, recipe: Recipe
) -> SigningTrace | None:
    try:
        return compute(
            request,
            credentials,
            expected.signature_method,
            recipe,
            placement=expected.placement,
            realm=expected.realm,
        )
    except OAuthDebugError:
        return None


def compare(
    wrong: SigningTrace, right: SigningTrace, *, everything: bool = False
) -> tuple[SideBySide, ...]:
    """The values that differ (all of them with ``everything``), wrong beside right."""
    rows: list[SideBySide] = []
    if everything or wrong.base_string != right.base_string:
        rows.append(SideBySide("base string", wrong.base_string, right.base_string))
    if everything or wrong.signing_key != right.signing_key:
        label = "signing key (outline)"
        if wrong.signing_key != right.signing_key and key_outline(wrong) == key_outline(right):
            label = "signing key (outline; the encoded characters differ)"
        rows.append(SideBySide(label, key_outline(wrong), key_outline(right), uses_secret=True))
    sent = transported(wrong.signature, wrong.recipe)
    if everything or sent != right.signature:
        rows.append(
            SideBySide(
                "signature",
                _shown(wrong, sent),
                _shown(right, right.signature),
                uses_secret=True,
            )
        )
    return tuple(rows)


def _shown(trace: SigningTrace, signature: str) -> str:
    # PLAINTEXT's signature is the key itself (3.4.4): never show it.
    return REDACTED if trace.signature_method == "PLAINTEXT" else signature
