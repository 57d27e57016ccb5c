"""The result of a diagnosis: a frozen value that every renderer (text, markdown, JSON) reads.

The value does not know its renderers: :mod:`oauth_debug.render.diagnosis` draws it for a terminal
(``diagnosis_renderable``) and writes it for a forum (``diagnosis_to_markdown``), and it imports
this module, never the other way round (tests/core/test_layers.py checks the import graph).

Nothing in it holds a secret in the clear: keys appear only as outlines (their shape and length),
and a PLAINTEXT signature, which *is* the key (RFC 5849 3.4.4), is redacted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..trace import SigningTrace
from ..trace_document import trace_document
from .basediff import BaseStringDiff, first_offset
from .findings import Finding

if TYPE_CHECKING:
    from .catalog import Mistake
    from .response import ServerAnswer

Verdict = Literal["valid", "explained", "unexplained", "unsigned", "unchecked"]

VERDICT_TEXT: dict[str, str] = {
    "valid": "the signature is correct for this request",
    "explained": "the signature is wrong, and the mistake is named below",
    "unexplained": "the signature is wrong, and no known mistake (up to three together) "
    "explains it",
    "unsigned": "the request carries no oauth_signature",
    "unchecked": "the signature could not be recomputed (no secret given, or the request cannot "
    "be signed as it is)",
}

BODY_HASH_ONLY_TEXT = (
    "the signature is right, but the body is not the one oauth_body_hash was computed over"
)
"""The summary when the body hash is the only mistake: "explained" says the signature is wrong."""


@dataclass(frozen=True)
class SideBySide:
    """One value as the person computed it and as RFC 5849 computes it."""

    label: str
    wrong: str
    right: str
    uses_secret: bool = False
    """Whether either value was computed with a secret (a signature, a key outline): such rows
    are left out of what a server tells its client (:func:`~.public.for_client`)."""

    @property
    def first_difference(self) -> int | None:
        """Index of the first differing character (None when equal)."""
        return first_offset(self.wrong, self.right)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "wrong": self.wrong,
            "right": self.right,
            "first_difference": self.first_difference,
        }


@dataclass(frozen=True)
class MistakeExplanation:
    """One named mistake of the best explanation, told for a person to fix."""

    id: str
    title: str
    step: str
    variant: str
    what_you_did: str
    rfc: str
    rfc_section: str
    fix_python: str
    fix_javascript: str
    fix_vba: str
    comparisons: tuple[SideBySide, ...]
    """What this mistake alone changes, wrong beside right."""
    rfc_document: str = "RFC 5849"
    """The document ``rfc_section`` is a section of."""

    @classmethod
    def of(
        cls, mistake: Mistake, variant: str, comparisons: tuple[SideBySide, ...]
    ) -> MistakeExplanation:
        """The catalog entry's texts, with the variant that applied and its comparisons."""
        return cls(
            id=mistake.id,
            title=mistake.title,
            step=mistake.step,
            variant=variant,
            what_you_did=mistake.what_you_did,
            rfc=mistake.rfc,
            rfc_section=mistake.rfc_section,
            fix_python=mistake.fix_python,
            fix_javascript=mistake.fix_javascript,
            fix_vba=mistake.fix_vba,
            comparisons=comparisons,
            rfc_document=mistake.document,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "step": self.step,
            "variant": self.variant,
            "what_you_did": self.what_you_did,
            "rfc": self.rfc,
            "rfc_section": self.rfc_section,
            "rfc_document": self.rfc_document,
            "fix": {
                "python": self.fix_python,
                "javascript": self.fix_javascript,
                "vba": self.fix_vba,
            },
            "comparisons": [c.to_dict() for c in self.comparisons],
        }


@dataclass(frozen=True, repr=False)
class Diagnosis:
    """What is wrong with a signed request, why, and how to fix it."""

    verdict: Verdict
    mistakes: tuple[str, ...]
    """Catalog ids of the best explanation (empty unless the verdict is "explained")."""
    candidates: tuple[tuple[str, ...], ...]
    """Other id sets, as small as the best, that produce the same signature."""
    findings: tuple[Finding, ...]
    expected: SigningTrace | None
    """The correct computation (None when it could not be done: no secret, unsigned)."""
    claimed_signature: str | None
    """The oauth_signature as the server decodes it (redacted for PLAINTEXT)."""
    explanation: tuple[MistakeExplanation, ...] = ()
    reproduced: tuple[SideBySide, ...] = ()
    """All the best explanation's mistakes together, wrong beside right."""
    signature_method: str | None = None
    base_string: str | None = None
    """The correct base string (it needs no secret, so it is there even when "unchecked")."""
    response: ServerAnswer | None = None
    server_diff: BaseStringDiff | None = None
    """Our base string against the one the server's answer says it expected."""
    considered: tuple[str, ...] = ()
    combinations_tried: int = 0
    notes: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return bool(self.candidates)

    @property
    def has_error_finding(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    @property
    def ok(self) -> bool:
        """True only for a valid signature with no finding that alone makes a server refuse it."""
        return self.verdict == "valid" and not self.has_error_finding

    @property
    def summary(self) -> str:
        """One sentence: the verdict, and the mistakes or the worst finding."""
        text = VERDICT_TEXT[self.verdict]
        if self.verdict == "explained" and self.mistakes == ("body-hash-mismatch",):
            text = BODY_HASH_ONLY_TEXT
        if self.mistakes:
            text += ": " + " + ".join(self.mistakes)
        errors = [f for f in self.findings if f.severity == "error"]
        if self.verdict == "valid" and errors:
            text += ", but the server will still refuse it: " + errors[0].message
        return text

    def __repr__(self) -> str:
        # Not the dataclass repr: the expected trace and the side-by-side rows hold the right
        # signature for the request (replayable within the window) and, for PLAINTEXT, the key.
        findings = tuple(finding.id for finding in self.findings)
        return (
            f"Diagnosis(verdict={self.verdict!r}, mistakes={self.mistakes!r}, "
            f"findings={findings!r})"
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``diagnose --format json`` (a server sends
        :func:`~oauth_debug.diagnosis.public.for_client` instead: this one holds the right
        signature)."""
        return {
            "verdict": self.verdict,
            "summary": self.summary,
            "mistakes": list(self.mistakes),
            "candidates": [list(ids) for ids in self.candidates],
            "ambiguous": self.ambiguous,
            "findings": [f.to_dict() for f in self.findings],
            "expected": None if self.expected is None else trace_document(self.expected),
            "claimed_signature": self.claimed_signature,
            "signature_method": self.signature_method,
            "base_string": self.base_string,
            "explanation": [m.to_dict() for m in self.explanation],
            "reproduced": [c.to_dict() for c in self.reproduced],
            "response": None if self.response is None else self.response.to_dict(),
            "server_base_string_diff": None
            if self.server_diff is None
            else self.server_diff.to_dict(),
            "search": {
                "considered": list(self.considered),
                "combinations_tried": self.combinations_tried,
            },
            "notes": list(self.notes),
        }
