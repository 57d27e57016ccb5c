"""HTML from the same trace and diagnosis values the CLI prints, through autoescaping templates.

Every value a request brings is data: Jinja2 escapes it (``autoescape`` on for every template,
and no value is marked safe), so a parameter named ``<script>`` prints as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from ..diagnosis.model import VERDICT_TEXT, Diagnosis
from ..diagnosis.providers import names as provider_names
from ..inputs import ParsedInput
from ..methods import METHODS
from ..render.diagnosis import diagnosis_to_markdown
from ..render.steps import trace_steps
from ..render.trace_markdown import trace_to_markdown
from ..rules import PLACEMENTS
from ..trace import SigningTrace
from .presets import all_presets
from .view import base_string_pieces, comparison


@dataclass(frozen=True)
class Answer:
    """What one request to the explainer came to: the steps, the diagnosis, or an error."""

    parsed: ParsedInput | None = None
    trace: SigningTrace | None = None
    diagnosis: Diagnosis | None = None
    error: str | None = None
    """Why nothing could be shown (the request could not be read)."""
    problems: tuple[str, ...] = ()
    """Why a part is missing (e.g. the steps, when only a public RSA key was given)."""


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("oauth_debug.web", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _markdown(answer: Answer) -> str:
    """The forum-safe block: no secret, no signature that would let anyone replay the request."""
    if answer.diagnosis is not None:
        text = diagnosis_to_markdown(answer.diagnosis)
    elif answer.trace is not None:
        text = trace_to_markdown(answer.trace)
    else:
        return ""
    if answer.parsed is not None and answer.parsed.notes:
        text += "\n" + "\n".join(f"_input: {note}_" for note in answer.parsed.notes) + "\n"
    return text


def _context(answer: Answer | None) -> dict[str, Any]:
    if answer is None:
        return {"answer": None}
    steps = () if answer.trace is None else trace_steps(answer.trace)
    diagnosis = answer.diagnosis
    return {
        "answer": answer,
        "steps": steps,
        "pieces": ()
        if answer.trace is None
        else base_string_pieces(answer.trace.base_string_parts),
        "diagnosis": diagnosis,
        "verdict_text": VERDICT_TEXT,
        "mistakes": ()
        if diagnosis is None
        else tuple(
            (m, tuple(comparison(row) for row in m.comparisons)) for m in diagnosis.explanation
        ),
        "reproduced": ()
        if diagnosis is None or len(diagnosis.explanation) < 2
        else tuple(comparison(row) for row in diagnosis.reproduced),
        "markdown": _markdown(answer),
        "notes": () if answer.parsed is None else answer.parsed.notes,
    }


def render_answer(answer: Answer | None) -> str:
    """The inside of ``#result``: what the script swaps in, and what the page includes."""
    return _environment().get_template("result.html").render(_context(answer))


def render_page(base: str, form: Mapping[str, str], answer: Answer | None) -> str:
    """The whole page: the form (filled with ``form``, which never holds a secret unless it is a
    preset's demo value), the presets and the answer."""
    context = _context(answer)
    context.update(
        base=base,
        form=form,
        presets=all_presets(),
        methods=tuple(METHODS),
        placements=PLACEMENTS,
        providers=provider_names(),
    )
    return _environment().get_template("page.html").render(context)
