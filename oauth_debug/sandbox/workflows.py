"""Demo workflows: questions of several types, answers checked, real output files computed.

Each workflow is a frozen description (the shapes of the Gallery's workflow and question objects)
plus a pure ``run`` function from checked answers to a :class:`RunResult`. A wrong answer does not
make the POST fail: as on a real Gallery the job is accepted and completes with disposition
``Error`` and messages saying which question and why (research notes, job object).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from xml.sax.saxutils import escape, quoteattr

# Engine message codes (research notes): 1 info, 2 warning, 3 error, 4 complete, 9 file output,
# 50 record count.
INFO, WARNING, ERROR, COMPLETE, FILE_OUTPUT, RECORD_COUNT = 1, 2, 3, 4, 9, 50


@dataclass(frozen=True)
class Item:
    """One choice of a list question: ``key`` is the label shown, ``value`` what an answer sends."""

    key: str
    value: str


@dataclass(frozen=True)
class Question:
    """A workflow question, as ``GET workflows/{appId}/questions/`` shows it."""

    name: str
    description: str
    type: str
    tool_id: int
    items: tuple[Item, ...] = ()
    multiple: bool = False
    default: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "type": self.type,
            "items": [{"key": item.key, "value": item.value} for item in self.items],
            "multiple": self.multiple,
        }


@dataclass(frozen=True)
class Message:
    """An engine message of a job: ``{"status": code, "text": ..., "toolId": ...}``."""

    status: int
    text: str
    tool_id: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "text": self.text, "toolId": self.tool_id}


@dataclass(frozen=True)
class OutputFile:
    """A file a job wrote. ``formats`` are the ``format=`` values the output endpoint accepts."""

    name: str
    data: bytes
    formats: tuple[str, ...] = ("Raw", "Csv")


@dataclass(frozen=True)
class RunResult:
    """What running a workflow produced: disposition, messages and output files."""

    disposition: str
    messages: tuple[Message, ...]
    outputs: tuple[OutputFile, ...] = ()


class AnswerError(ValueError):
    """An answer that does not fit its question; becomes an engine error message of the job."""

    def __init__(self, question: Question, text: str) -> None:
        super().__init__(text)
        self.question = question
        self.text = text


Answers = Mapping[str, Any]
Runner = Callable[[Answers], RunResult]


@dataclass(frozen=True)
class Workflow:
    """A published workflow (app) with its questions and the function that runs it."""

    id: str
    name: str
    description: str
    file_name: str
    upload_date: dt.datetime
    questions: tuple[Question, ...]
    runner: Runner = field(repr=False, compare=False)
    author: str = "oauth-debug sandbox"

    def to_json(self, run_count: int) -> dict[str, Any]:
        """The workflow object of ``GET workflows/subscription/`` (research notes' fields)."""
        return {
            "id": self.id,
            "subscriptionId": SUBSCRIPTION_ID,
            "public": False,
            "runDisabled": False,
            "packageType": 0,
            "uploadDate": gallery_date(self.upload_date, digits=3),
            "fileName": self.file_name,
            "metaInfo": {
                "name": self.name,
                "description": self.description,
                "author": self.author,
                "copyright": "",
                "url": "",
                "urlText": "",
                "outputMessage": "",
                "noOutputFilesMessage": "This workflow wrote no files.",
            },
            "isChained": False,
            "version": 1,
            "runCount": run_count,
            "workerTag": "",
        }

    def run(self, answers: Sequence[tuple[str, Any]]) -> RunResult:
        """Check ``answers`` against the questions, then run; never raises for a bad answer."""
        given: dict[str, Any] = {}
        warnings: list[Message] = []
        known = {question.name for question in self.questions}
        for name, value in answers:
            if name in known:
                given[name] = value
            else:
                warnings.append(Message(WARNING, f"Ignored an answer to unknown question {name!r}"))
        errors: list[Message] = []
        checked: dict[str, Any] = {}
        for question in self.questions:
            try:
                checked[question.name] = parse_answer(question, given.get(question.name))
            except AnswerError as error:
                errors.append(Message(ERROR, error.text, question.tool_id))
        if errors:
            return RunResult("Error", (*warnings, *errors, _finished(self, "with errors")))
        try:
            result = self.runner(checked)
        except AnswerError as error:
            failure = Message(ERROR, error.text, error.question.tool_id)
            return RunResult("Error", (*warnings, failure, _finished(self, "with errors")))
        return RunResult(result.disposition, (*warnings, *result.messages), result.outputs)

    def package(self) -> bytes:
        """The .yxzp package: a zip holding the app's XML (fixed timestamps: same bytes always)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            stamp = self.upload_date.timetuple()[:6]
            archive.writestr(zipfile.ZipInfo(self.file_name, stamp), _app_xml(self))
            readme = f"{self.name}\n\n{self.description}\n"
            archive.writestr(zipfile.ZipInfo("README.txt", stamp), readme)
        return buffer.getvalue()


SUBSCRIPTION_ID = "5c0f2a3b4d5e6f7a8b9c0d1e"


def gallery_date(moment: dt.datetime, digits: int) -> str:
    """``2018-10-17T13:58:43.9759132Z``: UTC with ``digits`` fractional digits, as the Gallery
    writes them (7 for createDate, .NET ticks; 3 for uploadDate)."""
    utc = moment.astimezone(dt.timezone.utc)
    ticks = f"{utc.microsecond:06d}0"  # .NET ticks are 100 ns: one more digit than Python keeps
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + ticks[:digits] + "Z"


def _finished(workflow: Workflow, how: str) -> Message:
    return Message(COMPLETE, f"Finished running {workflow.file_name} {how}")


def _app_xml(workflow: Workflow) -> str:
    questions = "\n".join(
        f"    <Question name={quoteattr(q.name)} type={quoteattr(q.type)} "
        f"toolId={quoteattr(str(q.tool_id))}>{escape(q.description)}</Question>"
        for q in workflow.questions
    )
    return (
        '<?xml version="1.0"?>\n<AlteryxDocument yxmdVer="2021.3">\n'
        f"  <Properties><MetaInfo><Name>{escape(workflow.name)}</Name>"
        f"<Description>{escape(workflow.description)}</Description></MetaInfo></Properties>\n"
        f"  <Questions>\n{questions}\n  </Questions>\n</AlteryxDocument>\n"
    )


# ---- answers -------------------------------------------------------------------------------


def parse_answer(question: Question, raw: Any) -> Any:
    """Turn the answer's ``value`` (a string, as the API sends it) into a typed value."""
    if raw is None or (isinstance(raw, str) and raw.strip() == "" and question.default is not None):
        if question.default is None:
            raise AnswerError(question, f"Question {question.name!r} needs an answer")
        raw = question.default
    parser = _PARSERS.get(question.type)
    if parser is None:  # pragma: no cover - every demo question uses a known type
        raise AnswerError(question, f"Question type {question.type} is not supported")
    return parser(question, raw)


def _text(question: Question, raw: Any) -> str:
    text = str(raw)
    if not text.strip():
        raise AnswerError(question, f"Question {question.name!r} needs a non-empty text")
    return text


def _list(question: Question, raw: Any) -> Any:
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


def _date(question: Question, raw: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise AnswerError(
            question, f"Question {question.name!r}: {raw!r} is not a date (write YYYY-MM-DD)"
        ) from None


def _number(question: Question, raw: Any) -> Decimal:
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


def _boolean(question: Question, raw: Any) -> bool:
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise AnswerError(question, f"Question {question.name!r}: {raw!r} is not true or false")


_PARSERS: dict[str, Callable[[Question, Any], Any]] = {
    "QuestionTextBox": _text,
    "QuestionListBox": _list,
    "QuestionDate": _date,
    "QuestionNumericUpDown": _number,
    "QuestionBooleanGroup": _boolean,
}


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _success(workflow_file: str, outputs: Sequence[tuple[OutputFile, int]]) -> RunResult:
    messages = [Message(INFO, f"Started running {workflow_file}")]
    for output, records in outputs:
        messages.append(Message(RECORD_COUNT, f"{records} records were written", 3))
        messages.append(Message(FILE_OUTPUT, f"Output file: {output.name}", 3))
    messages.append(Message(COMPLETE, f"Finished running {workflow_file}"))
    return RunResult("Success", tuple(messages), tuple(output for output, _ in outputs))


# ---- 1. regional sales: a list box and two dates -------------------------------------------

_REGIONS = (Item("North", "N"), Item("South", "S"), Item("East", "E"), Item("West", "W"))
_SALES_QUESTIONS = (
    Question("region", "Sales region", "QuestionListBox", 1, items=_REGIONS),
    Question("start", "First day (YYYY-MM-DD)", "QuestionDate", 2),
    Question("end", "Last day (YYYY-MM-DD)", "QuestionDate", 2),
)
MAX_SALES_DAYS = 92


def _sales(answers: Answers) -> RunResult:
    region: str = answers["region"]
    start: dt.date = answers["start"]
    end: dt.date = answers["end"]
    if end < start:
        raise AnswerError(
            _SALES_QUESTIONS[2], f"The last day {end} is before the first day {start}"
        )
    days = (end - start).days + 1
    if days > MAX_SALES_DAYS:
        raise AnswerError(_SALES_QUESTIONS[2], f"At most {MAX_SALES_DAYS} days, got {days}")
    offset = "NSEW".index(region)
    rows = []
    for index in range(days):
        day = start + dt.timedelta(days=index)
        units = (day.toordinal() * 7 + offset * 13) % 50 + 10  # made-up but reproducible
        price = Decimal("19.90") + offset
        rows.append([day.isoformat(), region, units, f"{units * price:.2f}"])
    output = OutputFile(f"sales_{region}.csv", _csv(["date", "region", "units", "revenue"], rows))
    return _success("RegionalSales.yxwz", [(output, days)])


# ---- 2. loan schedule: numbers and a boolean -----------------------------------------------

_LOAN_QUESTIONS = (
    Question(
        "principal",
        "Amount borrowed",
        "QuestionNumericUpDown",
        1,
        minimum=Decimal(100),
        maximum=Decimal(10_000_000),
    ),
    Question(
        "rate",
        "Yearly interest rate in percent",
        "QuestionNumericUpDown",
        1,
        minimum=Decimal(0),
        maximum=Decimal(30),
    ),
    Question(
        "years",
        "Duration in years",
        "QuestionNumericUpDown",
        1,
        minimum=Decimal(1),
        maximum=Decimal(30),
    ),
    Question(
        "monthly",
        "Pay monthly (true) or yearly (false)",
        "QuestionBooleanGroup",
        2,
        default="true",
    ),
)
CENT = Decimal("0.01")


def _loan(answers: Answers) -> RunResult:
    principal: Decimal = answers["principal"]
    yearly_rate: Decimal = answers["rate"] / 100
    years: Decimal = answers["years"]
    if years != years.to_integral_value():
        raise AnswerError(_LOAN_QUESTIONS[2], f"Question 'years': {years} is not a whole number")
    per_year = 12 if answers["monthly"] else 1
    periods = int(years) * per_year
    rate = yearly_rate / per_year
    # The annuity's denominator is 0 for a zero rate, and also for a rate too small to move
    # 1 + rate at Decimal's 28 digits (that was a DivisionByZero, a 500): both loans are
    # interest-free to the cent, so they are paid off evenly.
    discount = 1 - (1 + rate) ** -periods
    payment = principal / periods if discount == 0 else principal * rate / discount
    payment = payment.quantize(CENT, ROUND_HALF_UP)
    balance = principal
    rows: list[list[object]] = []
    total = Decimal(0)
    for period in range(1, periods + 1):
        interest = (balance * rate).quantize(CENT, ROUND_HALF_UP)
        repaid = payment - interest if period < periods else balance
        balance -= repaid
        total += repaid + interest
        rows.append(
            [
                period,
                f"{repaid + interest:.2f}",
                f"{interest:.2f}",
                f"{repaid:.2f}",
                f"{balance:.2f}",
            ]
        )
    schedule = OutputFile(
        "schedule.csv", _csv(["period", "payment", "interest", "principal", "balance"], rows)
    )
    summary = OutputFile(
        "summary.txt",
        f"{periods} payments of {payment:.2f}; total paid {total:.2f}\n".encode(),
        formats=("Raw",),
    )
    return _success("LoanSchedule.yxwz", [(schedule, periods), (summary, 1)])


# ---- 3. word frequency: a text box, a number, a boolean ------------------------------------

_WORD_QUESTIONS = (
    Question("text", "The text to count words in", "QuestionTextBox", 1),
    Question(
        "min_length",
        "Ignore words shorter than this",
        "QuestionNumericUpDown",
        2,
        default="1",
        minimum=Decimal(1),
        maximum=Decimal(50),
    ),
    Question(
        "case_sensitive", "Count 'The' and 'the' apart", "QuestionBooleanGroup", 2, default="false"
    ),
)
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


def _words(answers: Answers) -> RunResult:
    text: str = answers["text"]
    shortest = int(answers["min_length"])
    words = _WORD.findall(text if answers["case_sensitive"] else text.lower())
    counts = Counter(word for word in words if len(word) >= shortest)
    rows = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    output = OutputFile("words.csv", _csv(["word", "count"], rows))
    stats = OutputFile(
        "stats.json",
        json.dumps({"words": sum(counts.values()), "distinct": len(counts)}).encode(),
        formats=("Raw",),
    )
    return _success("WordFrequency.yxwz", [(output, len(rows)), (stats, 1)])


WORKFLOWS: tuple[Workflow, ...] = (
    Workflow(
        "5c2d9a1e0b7f4a0001a1b2c1",
        "Regional Sales",
        "Daily units and revenue of one region between two dates.",
        "RegionalSales.yxwz",
        dt.datetime(2021, 3, 4, 9, 15, 27, 123000, tzinfo=dt.timezone.utc),
        _SALES_QUESTIONS,
        _sales,
    ),
    Workflow(
        "5c2d9a1e0b7f4a0001a1b2c2",
        "Loan Schedule",
        "The repayment schedule of a fixed-rate loan.",
        "LoanSchedule.yxwz",
        dt.datetime(2021, 5, 11, 14, 2, 3, 456000, tzinfo=dt.timezone.utc),
        _LOAN_QUESTIONS,
        _loan,
    ),
    Workflow(
        "5c2d9a1e0b7f4a0001a1b2c3",
        "Word Frequency",
        "Counts the words of a text.",
        "WordFrequency.yxwz",
        dt.datetime(2020, 11, 30, 18, 45, 0, 789000, tzinfo=dt.timezone.utc),
        _WORD_QUESTIONS,
        _words,
    ),
)
