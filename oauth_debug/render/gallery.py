"""The Gallery's results as rich renderables: pure functions of the values, nothing printed here.

`gallery` and `demo` print these; every cell holds server text, so each is a plain string or a
``Text`` (never markup) and the consoles of render.console print it literally.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from ..live.results import Job, Question, Workflow

ERROR_MESSAGE = 3
"""The engine message status of an error (1 info, 2 warning, 3 error, 4 complete)."""


def workflows_table(workflows: Sequence[Workflow]) -> Table:
    """One row per workflow: id, name, file, runs, description."""
    table = Table(title=f"{len(workflows)} workflow(s)")
    # Ids are copied into the next command: never broken over two lines.
    table.add_column("id", no_wrap=True)
    table.add_column("name", no_wrap=True)
    for column in ("file", "runs", "description"):
        table.add_column(column, overflow="fold")
    for w in workflows:
        table.add_row(w.id, w.name, w.file_name, str(w.run_count), w.description)
    return table


def questions_table(questions: Sequence[Question]) -> Table:
    """One row per question, with the choices of a list question as label=value."""
    table = Table(title=f"{len(questions)} question(s)")
    table.add_column("name", no_wrap=True)  # typed back as --answer NAME=VALUE
    for column in ("type", "choices (label=value)", "description"):
        table.add_column(column, overflow="fold")
    for q in questions:
        choices = ", ".join(f"{i.key}={i.value}" for i in q.items)
        table.add_row(
            q.name, q.type + (" (multiple)" if q.multiple else ""), choices, q.description
        )
    return table


def job_table(jobs: Sequence[Job]) -> Table:
    """One row per job: id, status, disposition, created (to the second)."""
    table = Table(title=f"{len(jobs)} job(s)")
    # Job ids are copied into `job` and `output`: never broken over two lines. Output ids are
    # listed under the table (output_lines), where a narrow terminal cannot squeeze them.
    table.add_column("id", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("disposition", no_wrap=True)
    table.add_column("created", no_wrap=True)
    for j in jobs:
        created = j.create_date[:19].replace("T", " ")  # to the second; the JSON has it all
        table.add_row(j.id, j.status, j.disposition, created)
    return table


def output_lines(job: Job) -> list[Text]:
    """A line per output file: its id (typed into `gallery output`), name and formats. Print
    them with soft_wrap=True: an id broken over two lines cannot be copied."""
    lines = []
    for output in job.outputs:
        formats = ", ".join(output.formats)
        lines.append(Text(f"  output {output.id}: {output.file_name or output.name} ({formats})"))
    return lines


def message_lines(job: Job) -> list[Text]:
    """A line per engine message, errors in red."""
    return [
        Text(
            f"  tool {message.tool_id}: {message.text}",
            style="red" if message.status == ERROR_MESSAGE else "dim",
        )
        for message in job.messages
    ]
