"""The sandbox's three demo workflows: questions of several types, real output files computed.

Each is a :class:`~oauth_debug.sandbox.published.SandboxWorkflow` (what the Gallery shows, plus a
pure ``run`` function from checked answers to a result); the JSON shapes they are served in are
the wire model's (oauth_debug/gallery_wire.py), the answer checks those of sandbox/answers.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..gallery_wire import Item, JobMessage
from .answers import AnswerError, ask
from .published import (
    COMPLETE,
    FILE_OUTPUT,
    INFO,
    RECORD_COUNT,
    Answers,
    OutputFile,
    RunResult,
    SandboxWorkflow,
)


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _success(workflow_file: str, outputs: Sequence[tuple[OutputFile, int]]) -> RunResult:
    messages = [JobMessage(INFO, f"Started running {workflow_file}")]
    for output, records in outputs:
        messages.append(JobMessage(RECORD_COUNT, f"{records} records were written", 3))
        messages.append(JobMessage(FILE_OUTPUT, f"Output file: {output.name}", 3))
    messages.append(JobMessage(COMPLETE, f"Finished running {workflow_file}"))
    return RunResult("Success", tuple(messages), tuple(output for output, _ in outputs))


# ---- 1. regional sales: a list box and two dates -------------------------------------------

_REGIONS = (Item("North", "N"), Item("South", "S"), Item("East", "E"), Item("West", "W"))
_SALES_QUESTIONS = (
    ask("region", "Sales region", "QuestionListBox", 1, items=_REGIONS),
    ask("start", "First day (YYYY-MM-DD)", "QuestionDate", 2),
    ask("end", "Last day (YYYY-MM-DD)", "QuestionDate", 2),
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
    ask(
        "principal",
        "Amount borrowed",
        "QuestionNumericUpDown",
        1,
        minimum=Decimal(100),
        maximum=Decimal(10_000_000),
    ),
    ask(
        "rate",
        "Yearly interest rate in percent",
        "QuestionNumericUpDown",
        1,
        minimum=Decimal(0),
        maximum=Decimal(30),
    ),
    ask(
        "years",
        "Duration in years",
        "QuestionNumericUpDown",
        1,
        minimum=Decimal(1),
        maximum=Decimal(30),
    ),
    ask(
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
    ask("text", "The text to count words in", "QuestionTextBox", 1),
    ask(
        "min_length",
        "Ignore words shorter than this",
        "QuestionNumericUpDown",
        2,
        default="1",
        minimum=Decimal(1),
        maximum=Decimal(50),
    ),
    ask(
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


WORKFLOWS: tuple[SandboxWorkflow, ...] = (
    SandboxWorkflow(
        "5c2d9a1e0b7f4a0001a1b2c1",
        "Regional Sales",
        "Daily units and revenue of one region between two dates.",
        "RegionalSales.yxwz",
        dt.datetime(2021, 3, 4, 9, 15, 27, 123000, tzinfo=dt.timezone.utc),
        _SALES_QUESTIONS,
        _sales,
    ),
    SandboxWorkflow(
        "5c2d9a1e0b7f4a0001a1b2c2",
        "Loan Schedule",
        "The repayment schedule of a fixed-rate loan.",
        "LoanSchedule.yxwz",
        dt.datetime(2021, 5, 11, 14, 2, 3, 456000, tzinfo=dt.timezone.utc),
        _LOAN_QUESTIONS,
        _loan,
    ),
    SandboxWorkflow(
        "5c2d9a1e0b7f4a0001a1b2c3",
        "Word Frequency",
        "Counts the words of a text.",
        "WordFrequency.yxwz",
        dt.datetime(2020, 11, 30, 18, 45, 0, 789000, tzinfo=dt.timezone.utc),
        _WORD_QUESTIONS,
        _words,
    ),
)
