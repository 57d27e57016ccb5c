"""A workflow as the sandbox publishes it: questions, a pure run function, a package; and what a
run produces (disposition, engine messages, output files).

A wrong answer does not make the POST fail: as on a real Gallery the job is accepted and completes
with disposition ``Error`` and messages saying which question and why (research notes, job
object). The JSON the API serves of all this is the wire model's (oauth_debug/gallery_wire.py).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..gallery_wire import JobMessage, Workflow
from .answers import AnswerError, AppQuestion, parse_answer

# Engine message codes (research notes): 1 info, 2 warning, 3 error, 4 complete, 9 file output,
# 50 record count.
INFO, WARNING, ERROR, COMPLETE, FILE_OUTPUT, RECORD_COUNT = 1, 2, 3, 4, 9, 50


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
    messages: tuple[JobMessage, ...]
    outputs: tuple[OutputFile, ...] = ()


Answers = Mapping[str, Any]
Runner = Callable[[Answers], RunResult]


@dataclass(frozen=True)
class SandboxWorkflow:
    """A workflow the sandbox publishes: what the API shows of it, its questions, and the pure
    function that runs it (the wire model's :class:`~oauth_debug.gallery_wire.Workflow` is what
    ``to_json`` writes)."""

    id: str
    name: str
    description: str
    file_name: str
    upload_date: dt.datetime
    questions: tuple[AppQuestion, ...]
    runner: Runner = field(repr=False, compare=False)
    author: str = "oauth-debug sandbox"

    def to_json(self, run_count: int) -> dict[str, Any]:
        """The workflow object of ``GET workflows/subscription/`` (research notes' fields)."""
        return self.shown(run_count).to_json()

    def shown(self, run_count: int) -> Workflow:
        """What the API shows of this workflow, once it has run ``run_count`` times."""
        return Workflow(
            id=self.id,
            name=self.name,
            description=self.description,
            file_name=self.file_name,
            upload_date=gallery_date(self.upload_date, digits=3),
            run_count=run_count,
            author=self.author,
            subscription_id=SUBSCRIPTION_ID,
        )

    def run(self, answers: Sequence[tuple[str, Any]]) -> RunResult:
        """Check ``answers`` against the questions, then run; never raises for a bad answer."""
        given: dict[str, Any] = {}
        warnings: list[JobMessage] = []
        known = {question.name for question in self.questions}
        for name, value in answers:
            if name in known:
                given[name] = value
            else:
                warnings.append(
                    JobMessage(WARNING, f"Ignored an answer to unknown question {name!r}")
                )
        errors: list[JobMessage] = []
        checked: dict[str, Any] = {}
        for question in self.questions:
            try:
                checked[question.name] = parse_answer(question, given.get(question.name))
            except AnswerError as error:
                errors.append(JobMessage(ERROR, error.text, question.tool_id))
        if errors:
            return RunResult("Error", (*warnings, *errors, _finished(self, "with errors")))
        try:
            result = self.runner(checked)
        except AnswerError as error:
            failure = JobMessage(ERROR, error.text, error.question.tool_id)
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


def _finished(workflow: SandboxWorkflow, how: str) -> JobMessage:
    return JobMessage(COMPLETE, f"Finished running {workflow.file_name} {how}")


def _app_xml(workflow: SandboxWorkflow) -> str:
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
