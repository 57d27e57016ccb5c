"""How the sandbox checks an answer: each question type's parser, and the bounds of its question.

A Gallery shows a question as the wire model's :class:`~oauth_debug.gallery_wire.Question`; what
the sandbox needs beyond that to check an answer (the tool that asks it, a default, a range) is
held beside it in an :class:`AppQuestion`, never in the wire shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ..gallery_wire import Item, Question


@dataclass(frozen=True)
class AppQuestion:
    """A question a sandbox workflow asks: what the API shows (``shown``) and how to check it."""

    shown: Question
    tool_id: int
    default: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    @property
    def name(self) -> str:
        return self.shown.name

    @property
    def type(self) -> str:
        return self.shown.type

    @property
    def description(self) -> str:
        return self.shown.description

    @property
    def items(self) -> tuple[Item, ...]:
        return self.shown.items

    @property
    def multiple(self) -> bool:
        return self.shown.multiple


def ask(
    name: str,
    description: str,
    type: str,
    tool_id: int,
    *,
    items: tuple[Item, ...] = (),
    multiple: bool = False,
    default: str | None = None,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
) -> AppQuestion:
    """A question of a demo workflow, written as the Gallery's question object reads."""
    shown = Question(name, description, type, items, multiple)
    return AppQuestion(shown, tool_id, default, minimum, maximum)


class AnswerError(ValueError):
    """An answer that does not fit its question; becomes an engine error message of the job."""

    def __init__(self, question: AppQuestion, text: str) -> None:
        super().__init__(text)
        self.question = question
        self.text = text


def parse_answer(question: AppQuestion, raw: Any) -> Any:
    """Turn the answer's ``value`` (a string, as the API sends it) into a typed value."""
    if raw is None or (isinstance(raw, str) and raw.strip() == "" and question.default is not None):
        if question.default is None:
            raise AnswerError(question, f"Question {question.name!r} needs an answer")
        raw = question.default
    parser = _PARSERS.get(question.type)
    if parser is None:  # pragma: no cover - every demo question uses a known type
        raise AnswerError(question, f"Question type {question.type} is not supported")
    return parser(question, raw)


def _text(question: AppQuestion, raw: Any) -> str:
    text = str(raw)
    if not text.strip():
        raise AnswerError(question, f"Question {question.name!r} needs a non-empty text")
    return text


def _list(question: AppQuestion, raw: Any) -> Any:
    """List answers take an item's ``value`` (not its label); several values for ``multiple``."""
    if isinstance(raw, list):
        chosen = [str(value) for value in raw]
    elif question.multiple:
        chosen = [part.strip() for part in str(raw).split(",") if part.strip()]
    else:
        chosen = [str(raw)]
    values = {item.value for item in question.items}
    for value in chosen:
        if value in values:
            continue
        label = next((item for item in question.items if item.key == value), None)
        hint = (
            f"; {value!r} is the label of an item, answer with its value {label.value!r}"
            if label
            else f"; choose one of {', '.join(sorted(values))}"
        )
        raise AnswerError(
            question, f"Question {question.name!r}: {value!r} is no item's value{hint}"
        )
    if not chosen or (len(chosen) > 1 and not question.multiple):
        raise AnswerError(question, f"Question {question.name!r} takes exactly one item's value")
    return chosen if question.multiple else chosen[0]


def _date(question: AppQuestion, raw: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise AnswerError(
            question, f"Question {question.name!r}: {raw!r} is not a date (write YYYY-MM-DD)"
        ) from None


def _number(question: AppQuestion, raw: Any) -> Decimal:
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        raise AnswerError(
            question, f"Question {question.name!r}: {raw!r} is not a number"
        ) from None
    if not number.is_finite():
        raise AnswerError(question, f"Question {question.name!r}: {raw!r} is not a finite number")
    low, high = question.minimum, question.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        raise AnswerError(
            question, f"Question {question.name!r}: {raw!r} is outside the range {low} to {high}"
        )
    return number


def _boolean(question: AppQuestion, raw: Any) -> bool:
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise AnswerError(question, f"Question {question.name!r}: {raw!r} is not true or false")


_PARSERS: dict[str, Callable[[AppQuestion, Any], Any]] = {
    "QuestionTextBox": _text,
    "QuestionListBox": _list,
    "QuestionDate": _date,
    "QuestionNumericUpDown": _number,
    "QuestionBooleanGroup": _boolean,
}
