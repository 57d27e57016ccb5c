"""A `gallery` command's session: the client made from the options, its consoles, waiting for a
job and printing it. Results go to stdout, notices, traces and progress to stderr."""

from __future__ import annotations

import json
import shlex
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from ..errors import InvalidOptionError
from ..live.errors import GalleryAuthError, LiveError
from ..live.gallery import GalleryClient
from ..live.results import Job
from ..render.console import make_console
from ..render.gallery import job_table, message_lines, output_lines
from ..trace import SigningTrace
from .gallery_options import GalleryOptions
from .live_failures import failure_document, show_failure


def stderr_console() -> Console:
    return make_console(stderr=True)


def stdout_console() -> Console:
    return make_console()


def _pause(seconds: float) -> None:
    """The client's sleep between polls and retries: a module name, so a test can replace it
    (to raise KeyboardInterrupt, as Ctrl-C does) without touching time.sleep for everyone."""
    time.sleep(seconds)


def _notice(console: Console, message: str) -> None:
    line = Text("note: ", style="yellow")
    line.append(message)
    console.print(line)


def show_trace(trace: SigningTrace, console: Console) -> None:
    """The signing trace of one request, every step (the lead's renderer, secrets redacted)."""
    from ..render.trace_text import trace_renderable

    console.print(trace_renderable(trace))


@contextmanager
def gallery_client(options: GalleryOptions) -> Iterator[GalleryClient]:
    """A client from the options; an OAuth refusal inside the block prints the refusal and its
    diagnosis before failing (other failures are one line, from the error itself)."""
    missing = [
        flag
        for flag, value in (
            ("--base-url / ALTERYX_GALLERY_URL", options.base_url),
            ("--api-key / ALTERYX_API_KEY", options.api_key),
            ("--api-secret / ALTERYX_API_SECRET", options.api_secret),
        )
        if not value
    ]
    if missing:
        raise InvalidOptionError(f"missing {', '.join(missing)}")
    errors = stderr_console()
    client = GalleryClient(
        options.base_url,
        options.api_key,
        options.api_secret,
        timeout=options.timeout,
        auth=options.auth.value,
        adjust_clock=options.adjust_clock,
        on_trace=(lambda trace: show_trace(trace, errors)) if options.trace else None,
        on_notice=lambda message: _notice(errors, message),
        sleep=_pause,
    )
    try:
        yield client
    except LiveError as error:
        if options.json:
            # Scripts get every failure as JSON on stdout too, not only prose on stderr.
            typer.echo(json.dumps(failure_document(error, client), indent=2, ensure_ascii=False))
        elif isinstance(error, GalleryAuthError):
            show_failure(error.request, error.response, client.credentials, errors)
        raise
    finally:
        client.close()


# -- output --------------------------------------------------------------------------------------


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=True, default=str))


def job_dict(job: Job) -> dict[str, Any]:
    """A job for --format json: the server's own object (appId, workerTag... included), as the
    other list commands print their items."""
    return dict(job.raw)


def print_job(job: Job, console: Console) -> None:
    """A job's row, then its output files and engine messages."""
    console.print(job_table([job]))
    for line in output_lines(job):
        console.print(line, soft_wrap=True)
    for line in message_lines(job):
        console.print(line)


@contextmanager
def progress_display(
    enabled: bool, console: Console | None = None
) -> Iterator[Callable[[Job, float], None]]:
    """A rich spinner (on stderr unless ``console`` is given) while a job runs; yields the
    client's on_progress callback, which shows the job's status as it changes."""
    if not enabled:
        yield lambda job, elapsed: None
        return
    with Progress(
        SpinnerColumn(),
        # The description holds the server's job id and status: never read as markup.
        TextColumn("{task.description}", markup=False),
        TimeElapsedColumn(),
        console=console or stderr_console(),
        transient=True,
    ) as progress:
        task = progress.add_task("waiting for the job", total=None)

        def update(job: Job, elapsed: float) -> None:
            progress.update(task, description=f"job {job.id}: {job.status}", refresh=True)

        yield update


def download_outputs(
    client: GalleryClient, job: Job, directory: Path, output_format: str
) -> list[Path]:
    """Every output of a finished job, downloaded (atomically) into ``directory``."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidOptionError(
            f"cannot create the output directory {str(directory)!r}: {error.strerror or error}"
        ) from None
    paths = []
    for output in job.outputs:
        fmt = (
            output_format
            if not output.formats or output_format in output.formats
            else (output.formats[0])
        )
        paths.append(client.download_output(job.id, output.id, directory, format=fmt))
    return paths


def resume_command(job_id: str, output_dir: Path | None, output_format: str) -> str:
    """The command that picks a job up again after an interrupted wait."""
    words = ["oauth-debug", "gallery", "job", job_id, "--wait"]
    if output_dir is not None:
        words += ["--output-dir", str(output_dir)]
        if output_format != "Raw":
            words += ["--output-format", output_format]
    return shlex.join(words)


def wait_and_download(
    client: GalleryClient,
    job: Job,
    options: GalleryOptions,
    *,
    deadline: float,
    output_dir: Path | None,
    output_format: str,
) -> tuple[Job, list[Path]]:
    """Wait for ``job`` (a spinner on stderr), then download its outputs when it succeeded.

    Ctrl-C stops the waiting, not the job: it says so, with the job's last known status and the
    command that picks it up again, and exits 130 (the shell's code for SIGINT).
    """
    last = [job]

    try:
        with progress_display(not options.json) as show:

            def on_progress(seen: Job, elapsed: float) -> None:
                last[0] = seen
                show(seen, elapsed)

            job = client.wait_for_job(job.id, deadline=deadline, on_progress=on_progress)
            last[0] = job
        downloaded = (
            download_outputs(client, job, output_dir, output_format)
            if output_dir is not None and job.succeeded
            else []
        )
    except KeyboardInterrupt:
        seen = last[0]
        again = resume_command(seen.id, output_dir, output_format)
        message = (
            f"interrupted: job {seen.id} was {seen.status} when the wait stopped; it keeps "
            f"running on the server. Pick it up again with: {again}"
        )
        if options.json:
            emit_json({"error": message, "kind": "Interrupted", "job": job_dict(seen)})
        stderr_console().print(Text(message, style="yellow"), soft_wrap=True)
        raise typer.Exit(130) from None
    return job, downloaded


def report_job(job: Job, downloaded: Sequence[Path], options: GalleryOptions) -> None:
    """Print a job (and what was downloaded); exit 1 when it completed without success."""
    if options.json:
        emit_json({**job_dict(job), "downloaded": [str(p) for p in downloaded]})
    else:
        out = stdout_console()
        print_job(job, out)
        for path in downloaded:
            out.print(Text(f"downloaded {path}"), soft_wrap=True)
    if job.done and not job.succeeded:
        raise typer.Exit(1)
