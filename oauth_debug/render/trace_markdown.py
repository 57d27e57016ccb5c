"""A trace as Markdown that is safe to paste into a forum question: never any secret, nor a
secret's length, nor a valid signature (with which anyone could replay the request)."""

from __future__ import annotations

from ..trace import SigningTrace
from .secrets import elide_signatures, request_url
from .steps import trace_steps


def _cell(text: str) -> str:
    return "`" + text.replace("`", "'").replace("|", "\\|") + "`" if text else "(empty)"


def trace_to_markdown(trace: SigningTrace) -> str:
    """Every step of ``trace`` in Markdown; secrets are always redacted here."""
    lines = [
        f"### OAuth 1.0 signature ({trace.signature_method}), step by step",
        "",
        f"Request: `{trace.request.method} "
        f"{elide_signatures(request_url(trace, show_secrets=False), trace)}`",
        "",
    ]
    for step in trace_steps(trace, shared=True):
        lines += [f"**{step.number}. {step.title}** (RFC 5849 {step.section})", ""]
        lines += [step.explanation, ""]
        if step.rows:
            lines.append("| " + " | ".join(step.columns) + " |")
            lines.append("|" + "---|" * len(step.columns))
            lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in step.rows]
            lines.append("")
        if step.value:
            lines += ["```", step.value, "```", ""]
        lines += [f"_{note}_" for note in step.notes]
        if step.notes:
            lines.append("")
    lines.append(
        "_Secrets are redacted and oauth_signature is elided (it would let anyone replay the "
        "request): this block is safe to share._"
    )
    return "\n".join(lines) + "\n"
