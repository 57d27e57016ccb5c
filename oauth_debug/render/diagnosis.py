"""A Diagnosis as rich text (for a terminal) and Markdown (to paste into a forum question); its
JSON is :meth:`Diagnosis.to_dict`, which the CLI prints.

Both read the same frozen Diagnosis; none holds a secret (keys appear only as outlines). The
Markdown is meant to be shared, so it also leaves out what a terminal may show: the secrets'
lengths and the correct signature (with which anyone could replay the request). Rich is imported
only by :func:`diagnosis_renderable`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..diagnosis.basediff import BaseStringDiff
from ..diagnosis.model import Diagnosis, MistakeExplanation, SideBySide
from .bounds import Bounds, clip
from .secrets import ELIDED, REDACTED, shared_outline

if TYPE_CHECKING:
    from rich.console import RenderableType

VERDICT_STYLE = {
    "valid": "bold green",
    "explained": "bold red",
    "unexplained": "bold red",
    "unsigned": "bold yellow",
    "unchecked": "bold yellow",
}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def marked(comparison: SideBySide, width: int = 36) -> tuple[str, str, str]:
    """(wrong, right, caret line) around the first difference, clipped to ``width`` each side.

    Long base strings differ somewhere in the middle; showing the neighbourhood with a caret is
    what makes the difference visible at a glance.
    """
    at = comparison.first_difference
    if at is None:
        return comparison.wrong, comparison.right, ""
    if max(len(comparison.wrong), len(comparison.right)) <= 2 * width + 8:
        return comparison.wrong, comparison.right, " " * at + "^"
    start = max(0, at - width)
    prefix = "..." if start else ""
    wrong = (
        prefix
        + comparison.wrong[start : at + width]
        + ("..." if len(comparison.wrong) > at + width else "")
    )
    right = (
        prefix
        + comparison.right[start : at + width]
        + ("..." if len(comparison.right) > at + width else "")
    )
    caret = " " * (len(prefix) + at - start) + "^"
    return wrong, right, caret


# --- Markdown -------------------------------------------------------------------------------------


def diagnosis_to_markdown(diagnosis: Diagnosis) -> str:
    """The diagnosis as Markdown; secret-free by construction."""
    lines = [f"### OAuth 1.0 diagnosis: {diagnosis.verdict}", "", diagnosis.summary + ".", ""]
    correct = None if diagnosis.expected is None else diagnosis.expected.signature
    if diagnosis.claimed_signature is not None:
        lines += [f"Claimed signature: {_shared_claim(diagnosis.claimed_signature, correct)}"]
    if diagnosis.expected is not None and diagnosis.signature_method != "PLAINTEXT":
        lines += [f"Correct signature: `{ELIDED}` (it would let anyone replay the request)"]
    lines.append("")
    if diagnosis.candidates:
        others = "; ".join(" + ".join(ids) for ids in diagnosis.candidates)
        lines += [f"_Ambiguous: these produce the same signature too: {others}._", ""]
    for mistake in diagnosis.explanation:
        lines += _mistake_markdown(mistake, correct)
    if diagnosis.reproduced and len(diagnosis.explanation) > 1:
        lines += ["#### All mistakes together", ""]
        lines += _comparisons_markdown(diagnosis.reproduced, correct)
    if diagnosis.findings:
        lines += ["#### Findings", ""]
        lines += [f"- **{f.severity}** `{f.id}`: {f.message}" for f in diagnosis.findings]
        lines.append("")
    if diagnosis.server_diff is not None:
        lines += [
            "#### The server's expected base string against ours",
            "",
            _server_diff_text(diagnosis.server_diff),
            "",
        ]
    if diagnosis.base_string and not diagnosis.explanation:
        lines += ["Correct base string:", "", "```", diagnosis.base_string, "```", ""]
    lines += [f"_{note}_" for note in diagnosis.notes]
    lines += [
        "",
        "_Secrets are redacted and the correct signature is elided: this block is safe to share._",
    ]
    return "\n".join(lines) + "\n"


def _shared_claim(claimed: str, correct: str | None) -> str:
    """A claim known to be wrong opens nothing and helps to compare; one that is right, or that
    could not be checked (no secret), might replay the request: only its length is shown."""
    if claimed == REDACTED or (correct is not None and claimed != correct):
        return f"`{claimed}`"
    return f"`{ELIDED}` ({len(claimed)} characters)"


def _mistake_markdown(mistake: MistakeExplanation, correct: str | None) -> list[str]:
    lines = [
        f"#### `{mistake.id}`: {mistake.title} ({mistake.variant})",
        "",
        f"- **What you did:** {mistake.what_you_did}",
        f"- **{mistake.rfc_document} {mistake.rfc_section}:** {mistake.rfc}",
        f"- **Fix (Python):** `{mistake.fix_python}`",
        f"- **Fix (JavaScript):** `{mistake.fix_javascript}`",
    ]
    lines.append(f"- **Fix (VBA):** `{mistake.fix_vba}`")
    lines.append("")
    return lines + _comparisons_markdown(mistake.comparisons, correct)


def _comparisons_markdown(comparisons: tuple[SideBySide, ...], correct: str | None) -> list[str]:
    lines: list[str] = []
    for original in comparisons:
        comparison = _shared(original, correct)
        wrong, right, caret = marked(comparison)
        lines += [f"{comparison.label}:", "", "```", f"yours: {wrong}", f"RFC:   {right}"]
        if caret:
            lines.append("       " + caret + " first difference")
        elif original.first_difference is not None:
            lines.append("       (they differ in what this shared block leaves out)")
        lines += ["```", ""]
    return lines


def _shared(comparison: SideBySide, correct: str | None) -> SideBySide:
    """``comparison`` as a shared block may show it: outlines without lengths, and the correct
    signature elided."""
    wrong, right = shared_outline(comparison.wrong), shared_outline(comparison.right)
    if correct is not None:
        wrong = ELIDED if wrong == correct else wrong
        right = ELIDED if right == correct else right
    return SideBySide(comparison.label, wrong, right)


# --- rich text ------------------------------------------------------------------------------------


def diagnosis_renderable(
    diagnosis: Diagnosis, show_secrets: bool = False, bounds: Bounds | None = None
) -> RenderableType:
    """The diagnosis for a terminal: verdict, each mistake with its diff and fix, findings.

    With ``show_secrets`` the signing key and a PLAINTEXT signature (the key, RFC 5849 3.4.4)
    are printed in full; by default the key is an outline and PLAINTEXT signatures are redacted.
    Long values are cut to ``bounds`` (the default :class:`Bounds`; ``Bounds.full()`` for all).
    """
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    bounds = bounds or Bounds()
    parts: list[RenderableType] = []
    head = Text()
    head.append(f"{diagnosis.verdict.upper()}", style=VERDICT_STYLE[diagnosis.verdict])
    head.append(f"  {diagnosis.summary}")
    parts.append(head)
    if diagnosis.claimed_signature is not None:
        parts.append(Text(f"claimed signature:  {diagnosis.claimed_signature}"))
    expected = diagnosis.expected
    if expected is not None and (show_secrets or diagnosis.signature_method != "PLAINTEXT"):
        parts.append(Text(f"correct signature:  {expected.signature}"))
    if expected is not None and show_secrets and not expected.signature_method.startswith("RSA"):
        parts.append(Text(f"signing key:        {expected.signing_key.reveal()}"))
    if diagnosis.candidates:
        others = "; ".join(" + ".join(ids) for ids in diagnosis.candidates)
        parts.append(Text(f"ambiguous: these produce the same signature too: {others}", "yellow"))
    for mistake in diagnosis.explanation:
        parts.append(_mistake_panel(mistake))
    if diagnosis.reproduced and len(diagnosis.explanation) > 1:
        parts.append(
            Panel(
                Group(*_comparison_texts(diagnosis.reproduced)),
                title=Text("all mistakes together"),
                title_align="left",
            )
        )
    for finding in diagnosis.findings:
        line = Text()
        line.append(f"{finding.severity:<8}", style=SEVERITY_STYLE.get(finding.severity, ""))
        line.append(f"{finding.id}: ", style="bold")
        line.append(clip(finding.message, bounds.value_chars))
        parts.append(line)
    if diagnosis.server_diff is not None:
        parts.append(
            Panel(
                Text(clip(_server_diff_text(diagnosis.server_diff), bounds.value_chars)),
                title=Text("the server's expected base string against ours"),
                title_align="left",
            )
        )
    if diagnosis.base_string and not diagnosis.explanation:
        parts.append(Text("correct base string:", style="dim"))
        parts.append(Text(clip(diagnosis.base_string, bounds.value_chars), style="green"))
    parts += [Text(note, style="italic dim") for note in diagnosis.notes]
    return Group(*parts)


def _mistake_panel(mistake: MistakeExplanation) -> RenderableType:
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    body: list[RenderableType] = [
        Text.assemble(("What you did: ", "bold"), mistake.what_you_did),
        Text.assemble((f"{mistake.rfc_document} {mistake.rfc_section}: ", "bold"), mistake.rfc),
        *_comparison_texts(mistake.comparisons),
        Text.assemble(("Fix (Python):     ", "bold green"), mistake.fix_python),
        Text.assemble(("Fix (JavaScript): ", "bold green"), mistake.fix_javascript),
    ]
    body.append(Text.assemble(("Fix (VBA):        ", "bold green"), mistake.fix_vba))
    # A str title would be parsed as markup (a mistake's variant may quote request text).
    title = Text.assemble(
        (mistake.id, "bold red"), f": {mistake.title} ", (f"({mistake.variant})", "dim")
    )
    return Panel(Group(*body), title=title, title_align="left")


def _comparison_texts(comparisons: tuple[SideBySide, ...]) -> list[RenderableType]:
    from rich.text import Text

    from .sidebyside import SideBySideText

    texts: list[RenderableType] = []
    for comparison in comparisons:
        wrong, right, caret = marked(comparison)
        texts.append(Text(comparison.label, style="dim"))
        # Cut into chunks that fit, so that the caret stays under the difference when it wraps.
        texts.append(SideBySideText(wrong, right, len(caret) - 1 if caret else None))
    return texts


def _server_diff_text(diff: BaseStringDiff) -> str:
    if diff.identical:
        return "the server expects exactly the base string computed here: they agree"
    return f"{diff.first_difference}\n{diff.summary}"
