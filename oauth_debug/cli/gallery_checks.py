"""What a `gallery` command checks before it submits a job: a job must not run for nothing."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import InvalidOptionError
from ..live.gallery import GalleryClient


def parse_answers(answers: Sequence[str] | None) -> list[tuple[str, str]]:
    pairs = []
    for answer in answers or []:
        name, equals, value = answer.partition("=")
        if not equals or not name:
            raise InvalidOptionError(
                f"--answer {answer!r} is not NAME=VALUE (for a list question, give the item's "
                "value; see `oauth-debug gallery questions APP`)",
                option="answer",
            )
        pairs.append((name, value))
    return pairs


def check_output_dir(directory: Path) -> None:
    """Refuse an --output-dir that cannot take the downloads, before the job is submitted.

    Checked by doing it (create the folder, open a file in it): permission bits alone would miss
    a read-only file system, and say nothing about a path that runs through a file.
    """
    shown = str(directory)
    if directory.exists() and not directory.is_dir():
        raise InvalidOptionError(
            f"--output-dir {shown!r} is a file, not a folder; nothing was submitted",
            option="output-dir",
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as error:
        raise InvalidOptionError(
            f"cannot write into --output-dir {shown!r}: {error.strerror or error}; nothing was "
            "submitted",
            option="output-dir",
        ) from None


def check_answer_names(
    client: GalleryClient, app_id: str, answers: Sequence[tuple[str, str]]
) -> None:
    """Refuse an --answer that names no question of the workflow, before the job is submitted:
    the Gallery would run the job without it (or fail it much later)."""
    if not answers:
        return
    names = [question.name for question in client.questions(app_id)]
    unknown = list(dict.fromkeys(name for name, _ in answers if name not in names))
    if not unknown:
        return
    has = f"its questions are: {', '.join(names)}" if names else "it asks no questions"
    raise InvalidOptionError(
        f"--answer {', '.join(unknown)}: workflow {app_id} has no question by that name; {has} "
        f"(see `oauth-debug gallery questions {app_id}`); nothing was submitted",
        option="answer",
    )
