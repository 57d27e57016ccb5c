"""`gallery` (the Alteryx Gallery Subscription API v1) and `request` (any OAuth 1 API, curl-like).

Results go to stdout (a table, or JSON with --format json); notices, signing traces, progress and
diagnoses go to stderr, so a script can pipe the JSON. An OAuth refusal (a 401, or a 400/403 whose
body is an OAuth error) is followed by the diagnosis of the request exactly as it went out; any
other failure says what it is (cli/live_failures.py). The API secret is never printed. Every
console comes from render.console.make_console: server text prints literally.
"""

from __future__ import annotations

import json
import shlex
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import requests
import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..errors import InvalidOptionError
from ..live.answer import elide_signature
from ..live.auth import OAuth1Auth
from ..live.errors import GalleryAuthError, LiveError
from ..live.gallery import GalleryClient
from ..live.response import ServerResponse
from ..live.results import Job, Question, Workflow
from ..live.transport import transport_summary
from ..render.console import make_console
from ..render.secrets import scrub
from ..trace import SigningTrace
from .live_failures import diagnosis_of, failure_document, show_failure
from .options import (
    ConsumerKey,
    Headers,
    Placement,
    RsaKeyFile,
    ShowSecrets,
    SigningConsumerSecret,
    Token,
    TokenSecret,
    credentials_from,
    parse_header,
    read_data,
)


class AuthChoice(str, Enum):
    oauth1 = "oauth1"
    oauth2 = "oauth2"
    auto = "auto"


class ResultFormat(str, Enum):
    text = "text"
    json = "json"


BaseUrl = Annotated[
    str,
    typer.Option(
        "--base-url",
        envvar="ALTERYX_GALLERY_URL",
        help="The Gallery's base address, e.g. https://host/gallery.",
        show_default=False,
    ),
]
ApiKey = Annotated[
    str,
    typer.Option("--api-key", envvar="ALTERYX_API_KEY", help="API key.", show_default=False),
]
ApiSecret = Annotated[
    str,
    typer.Option(
        "--api-secret",
        envvar="ALTERYX_API_SECRET",
        help="API secret (never printed).",
        show_default=False,
    ),
]
AuthOption = Annotated[
    AuthChoice,
    typer.Option(
        "--auth",
        help="oauth1 (Server up to 2021.4), oauth2 (2022.1 and later, under /webapi/) or auto.",
    ),
]
AdjustClock = Annotated[
    bool,
    typer.Option("--adjust-clock", help="Sign with the server's time (from its Date header)."),
]
TraceOption = Annotated[
    bool, typer.Option("--trace", help="Print the signing trace of each request (stderr).")
]
FormatOption = Annotated[
    ResultFormat, typer.Option("--format", "-f", help="text (a table) or json (for scripts).")
]
TimeoutOption = Annotated[
    float,
    # requests refuses a timeout of 0 or less with a ValueError; say so at the option instead.
    typer.Option("--timeout", min=0.001, help="Seconds to wait for the server on each call."),
]

GALLERY_ENV = (
    "The Gallery and its keys may come from ALTERYX_GALLERY_URL, ALTERYX_API_KEY and "
    "ALTERYX_API_SECRET instead of the options."
)


def gallery_epilog(*examples: str) -> str:
    """The examples of one gallery command, then where the options may come from instead."""
    lines = "\n\n".join(f"oauth-debug gallery {example}" for example in examples)
    return (
        f"{'Examples' if len(examples) > 1 else 'Example'}, with the Gallery and keys in the "
        "environment (for `oauth-debug sandbox`: ALTERYX_GALLERY_URL=http://127.0.0.1:8080/gallery "
        f"ALTERYX_API_KEY=demo-key ALTERYX_API_SECRET=demo-secret):\n\n{lines}\n\n"
        "Each option may be given instead: --base-url, --api-key, --api-secret."
    )


gallery_app = typer.Typer(
    help=(
        "Talk to an Alteryx Gallery (Subscription API v1): list workflows, run jobs, download "
        "outputs. Try it against `oauth-debug sandbox`."
    ),
    epilog=(
        "Example, with a sandbox running in another terminal (`oauth-debug sandbox`):\n\n"
        "export ALTERYX_GALLERY_URL=http://127.0.0.1:8080/gallery ALTERYX_API_KEY=demo-key "
        "ALTERYX_API_SECRET=demo-secret\n\n"
        "oauth-debug gallery workflows\n\n"
        f"{GALLERY_ENV} A refused request (401, or a 400/403 with an OAuth error) is followed "
        "by the diagnosis of exactly what was sent; other failures say what they are (not "
        "found, the server failed); --auth oauth2 talks to Server 2022.1 and later. The "
        "settings (--base-url, --auth, --format...) go after the subcommand. Exit codes: 0 "
        "done, 1 the server refused or failed, was unreachable, or the job failed, 2 bad "
        "input, 130 a wait interrupted (Ctrl-C; `gallery job JOB --wait` picks it up)."
    ),
    no_args_is_help=True,
)


@dataclass(frozen=True)
class GalleryOptions:
    """The options every gallery command shares."""

    base_url: str
    api_key: str
    api_secret: str
    auth: AuthChoice
    adjust_clock: bool
    trace: bool
    format: ResultFormat
    timeout: float

    @property
    def json(self) -> bool:
        return self.format is ResultFormat.json


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


def workflows_table(workflows: Sequence[Workflow]) -> Table:
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
    table = Table(title=f"{len(jobs)} job(s)")
    # Job ids are copied into `job` and `output`: never broken over two lines. Output ids are
    # listed under the table (print_job; `job JOB` for one of many), where a narrow terminal
    # cannot squeeze them.
    table.add_column("id", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("disposition", no_wrap=True)
    table.add_column("created", no_wrap=True)
    for j in jobs:
        created = j.create_date[:19].replace("T", " ")  # to the second; the JSON has it all
        table.add_row(j.id, j.status, j.disposition, created)
    return table


def print_job(job: Job, console: Console) -> None:
    console.print(job_table([job]))
    for output in job.outputs:
        formats = ", ".join(output.formats)
        line = f"  output {output.id}: {output.file_name or output.name} ({formats})"
        console.print(Text(line), soft_wrap=True)
    for message in job.messages:
        style = "red" if message.status == 3 else "dim"
        console.print(Text(f"  tool {message.tool_id}: {message.text}", style=style))


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


# -- gallery commands -----------------------------------------------------------------------------


@gallery_app.command(
    "workflows", epilog=gallery_epilog("workflows --search Sales", "workflows --format json")
)
def workflows_command(
    search: Annotated[str | None, typer.Option(help="Text to search for.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    offset: Annotated[int | None, typer.Option(help="Skip this many.")] = None,
    base_url: BaseUrl = "",
    api_key: ApiKey = "",
    api_secret: ApiSecret = "",
    auth: AuthOption = AuthChoice.oauth1,
    adjust_clock: AdjustClock = False,
    trace: TraceOption = False,
    fmt: FormatOption = ResultFormat.text,
    timeout: TimeoutOption = 30.0,
) -> None:
    """List the workflows your key may run."""
    options = GalleryOptions(base_url, api_key, api_secret, auth, adjust_clock, trace, fmt, timeout)
    with gallery_client(options) as client:
        found = client.workflows(search=search, limit=limit, offset=offset)
    if options.json:
        emit_json([dict(w.raw) for w in found])
    else:
        stdout_console().print(workflows_table(found))


@gallery_app.command("questions", epilog=gallery_epilog("questions APP_ID"))
def questions_command(
    app_id: Annotated[str, typer.Argument(metavar="APP", help="The workflow (app) id.")],
    base_url: BaseUrl = "",
    api_key: ApiKey = "",
    api_secret: ApiSecret = "",
    auth: AuthOption = AuthChoice.oauth1,
    adjust_clock: AdjustClock = False,
    trace: TraceOption = False,
    fmt: FormatOption = ResultFormat.text,
    timeout: TimeoutOption = 30.0,
) -> None:
    """The questions a workflow asks (answer them with `gallery run APP --answer NAME=VALUE`)."""
    options = GalleryOptions(base_url, api_key, api_secret, auth, adjust_clock, trace, fmt, timeout)
    with gallery_client(options) as client:
        found = client.questions(app_id)
    if options.json:
        emit_json([dict(q.raw) for q in found])
    else:
        stdout_console().print(questions_table(found))


@gallery_app.command(
    "run",
    epilog=gallery_epilog(
        "run APP_ID --answer region=N --answer start=2024-01-01 --wait --output-dir out"
    ),
)
def run_command(
    app_id: Annotated[str, typer.Argument(metavar="APP", help="The workflow (app) id.")],
    answer: Annotated[
        list[str] | None,
        typer.Option("--answer", "-a", help="NAME=VALUE (repeatable).", show_default=False),
    ] = None,
    priority: Annotated[
        str | None, typer.Option(help="low, medium, high, critical (or 0-3).", show_default=False)
    ] = None,
    wait: Annotated[bool, typer.Option("--wait", help="Wait until the job completes.")] = False,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir", help="Download the outputs here (implies --wait).", show_default=False
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--output-format", help="Format of downloaded outputs.")
    ] = "Raw",
    deadline: Annotated[
        float, typer.Option("--deadline", help="Seconds to wait for the job at most.")
    ] = 600.0,
    base_url: BaseUrl = "",
    api_key: ApiKey = "",
    api_secret: ApiSecret = "",
    auth: AuthOption = AuthChoice.oauth1,
    adjust_clock: AdjustClock = False,
    trace: TraceOption = False,
    fmt: FormatOption = ResultFormat.text,
    timeout: TimeoutOption = 30.0,
) -> None:
    """Run a workflow with answers; optionally wait for it and download its outputs.

    Answers are checked against the workflow's questions, and --output-dir for being writable,
    before the job is submitted. Exits 1 when the job completes with a disposition other than
    Success; Ctrl-C while waiting prints the command that picks the job up again (exit 130).
    """
    options = GalleryOptions(base_url, api_key, api_secret, auth, adjust_clock, trace, fmt, timeout)
    answers = parse_answers(answer)
    if output_dir is not None:
        check_output_dir(output_dir)  # before the POST: a job must not run for nothing
    downloaded: list[Path] = []
    with gallery_client(options) as client:
        check_answer_names(client, app_id, answers)
        job = client.run_job(app_id, answers, priority=priority)
        if not options.json:
            queued = Text("job ")
            queued.append(job.id, style="bold")
            queued.append(f" queued ({job.status})")
            stderr_console().print(queued)
        if wait or output_dir is not None:
            job, downloaded = wait_and_download(
                client,
                job,
                options,
                deadline=deadline,
                output_dir=output_dir,
                output_format=output_format,
            )
    report_job(job, downloaded, options)


@gallery_app.command(
    "job", epilog=gallery_epilog("job JOB_ID --format json", "job JOB_ID --wait --output-dir out")
)
def job_command(
    job_id: Annotated[str, typer.Argument(metavar="JOB", help="The job id.")],
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait until the job completes (as run --wait).")
    ] = False,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir", help="Download the outputs here (implies --wait).", show_default=False
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--output-format", help="Format of downloaded outputs.")
    ] = "Raw",
    deadline: Annotated[
        float, typer.Option("--deadline", help="Seconds to wait for the job at most.")
    ] = 600.0,
    base_url: BaseUrl = "",
    api_key: ApiKey = "",
    api_secret: ApiSecret = "",
    auth: AuthOption = AuthChoice.oauth1,
    adjust_clock: AdjustClock = False,
    trace: TraceOption = False,
    fmt: FormatOption = ResultFormat.text,
    timeout: TimeoutOption = 30.0,
) -> None:
    """A job's status, disposition, messages and outputs.

    With --wait (or --output-dir) it waits like `run --wait`, with the same output and exit codes:
    the way to pick up a job whose wait was interrupted.
    """
    options = GalleryOptions(base_url, api_key, api_secret, auth, adjust_clock, trace, fmt, timeout)
    if output_dir is not None:
        check_output_dir(output_dir)
    downloaded: list[Path] = []
    with gallery_client(options) as client:
        job = client.job(job_id)
        if wait or output_dir is not None:
            job, downloaded = wait_and_download(
                client,
                job,
                options,
                deadline=deadline,
                output_dir=output_dir,
                output_format=output_format,
            )
    if wait or output_dir is not None:
        report_job(job, downloaded, options)
    elif options.json:
        emit_json(job_dict(job))
    else:
        print_job(job, stdout_console())


@gallery_app.command("jobs", epilog=gallery_epilog("jobs APP_ID"))
def jobs_command(
    app_id: Annotated[str, typer.Argument(metavar="APP", help="The workflow (app) id.")],
    base_url: BaseUrl = "",
    api_key: ApiKey = "",
    api_secret: ApiSecret = "",
    auth: AuthOption = AuthChoice.oauth1,
    adjust_clock: AdjustClock = False,
    trace: TraceOption = False,
    fmt: FormatOption = ResultFormat.text,
    timeout: TimeoutOption = 30.0,
) -> None:
    """The jobs of a workflow."""
    options = GalleryOptions(base_url, api_key, api_secret, auth, adjust_clock, trace, fmt, timeout)
    with gallery_client(options) as client:
        found = client.jobs(app_id)
    if options.json:
        emit_json([job_dict(j) for j in found])
    else:
        stdout_console().print(job_table(found))


@gallery_app.command(
    "output", epilog=gallery_epilog("output JOB_ID OUTPUT_ID --format Csv -o results.csv")
)
def output_command(
    job_id: Annotated[str, typer.Argument(metavar="JOB", help="The job id.")],
    output_id: Annotated[str, typer.Argument(metavar="OUTPUT", help="The output id.")],
    file_format: Annotated[
        str, typer.Option("--format", help="The file format to ask for (Raw, Csv...).")
    ] = "Raw",
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File or directory (default: here); a trailing / names a folder, created if "
            "missing.",
            show_default=False,
        ),
    ] = None,
    base_url: BaseUrl = "",
    api_key: ApiKey = "",
    api_secret: ApiSecret = "",
    auth: AuthOption = AuthChoice.oauth1,
    adjust_clock: AdjustClock = False,
    trace: TraceOption = False,
    timeout: TimeoutOption = 30.0,
) -> None:
    """Download one output of a job (written atomically: all of it, or nothing)."""
    options = GalleryOptions(
        base_url, api_key, api_secret, auth, adjust_clock, trace, ResultFormat.text, timeout
    )
    with gallery_client(options) as client:
        # The text as typed: Path("dl/") would lose the slash that says "a folder".
        path = client.download_output(job_id, output_id, output or Path.cwd(), format=file_format)
    typer.echo(str(path))


@gallery_app.command("package", epilog=gallery_epilog("package APP_ID -o workflow.yxzp"))
def package_command(
    app_id: Annotated[str, typer.Argument(metavar="APP", help="The workflow (app) id.")],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File or directory (default: here); a trailing / names a folder, created if "
            "missing.",
            show_default=False,
        ),
    ] = None,
    base_url: BaseUrl = "",
    api_key: ApiKey = "",
    api_secret: ApiSecret = "",
    auth: AuthOption = AuthChoice.oauth1,
    adjust_clock: AdjustClock = False,
    trace: TraceOption = False,
    timeout: TimeoutOption = 30.0,
) -> None:
    """Download a workflow's package (.yxzp)."""
    options = GalleryOptions(
        base_url, api_key, api_secret, auth, adjust_clock, trace, ResultFormat.text, timeout
    )
    with gallery_client(options) as client:
        path = client.download_package(app_id, output or Path.cwd())
    typer.echo(str(path))


# -- request --------------------------------------------------------------------------------------


def request_command(
    method: Annotated[str, typer.Argument(help="HTTP method, e.g. GET.", show_default=False)],
    url: Annotated[str, typer.Argument(help="The full URL, query included.", show_default=False)],
    header: Headers = None,
    data: Annotated[
        str | None,
        typer.Option(
            "--data", "-d", help="Request body, or @file, or @- for stdin.", show_default=False
        ),
    ] = None,
    placement: Annotated[
        Placement, typer.Option("--placement", help="Where the OAuth parameters travel.")
    ] = Placement.header,
    signature_method: Annotated[
        str, typer.Option("--signature-method", "-m", help="HMAC-SHA1, HMAC-SHA256, RSA-SHA1...")
    ] = "HMAC-SHA1",
    realm: Annotated[
        str | None, typer.Option("--realm", help="realm (header only).", show_default=False)
    ] = None,
    include: Annotated[
        bool, typer.Option("--include", "-i", help="Print the response status and headers.")
    ] = False,
    trace: TraceOption = False,
    consumer_key: ConsumerKey = "",
    consumer_secret: SigningConsumerSecret = None,
    token: Token = None,
    token_secret: TokenSecret = "",
    rsa_key: RsaKeyFile = None,
    show_secrets: ShowSecrets = False,
    timeout: TimeoutOption = 30.0,
) -> None:
    """Sign and send any request to an OAuth 1 API, curl-like; a refusal gets a diagnosis.

    The response body goes to stdout. Exits 1 when the server answers 400 or above or cannot be
    reached, 2 on bad input.
    """
    if not consumer_key:
        raise InvalidOptionError("missing --consumer-key (or OAUTH_CONSUMER_KEY)")
    credentials = credentials_from(
        consumer_key,
        consumer_secret,
        token,
        token_secret,
        rsa_key,
        signature_method=signature_method,
    )
    headers = dict(parse_header(h) for h in header or [])
    body = read_data(data)
    auth = OAuth1Auth(credentials, signature_method, placement=placement.value, realm=realm)
    errors = stderr_console()
    try:
        response = requests.request(
            method.upper(), url, headers=headers, data=body, auth=auth, timeout=timeout
        )
    except requests.RequestException as error:
        # One line: where and what (transport_summary), not urllib3's chain of reprs. With
        # --placement query the URL that went out differs from the one typed: it is added, with
        # its signature scrubbed (with PLAINTEXT that is the key itself, RFC 5849 3.4.4) unless
        # --show-secrets asks for it.
        detail = f"{elide_signature(url)} failed: {transport_summary(error, url)}"
        went_out = error.request.url if error.request is not None else None
        if went_out and went_out != url:
            detail += f"; sent as {went_out}"
        if auth.last_trace is not None:
            detail = scrub(detail, auth.last_trace, show_secrets) or detail
        raise LiveError(f"{method.upper()} {detail}") from None
    sent = auth.last_trace
    if trace and sent is not None:
        from ..render.trace_text import trace_renderable

        errors.print(trace_renderable(sent, show_secrets=show_secrets))
    answer = ServerResponse.from_requests(response)
    if include:
        typer.echo(f"HTTP {answer.status} {response.reason}")
        for name, value in answer.headers:
            typer.echo(f"{name}: {value}")
        typer.echo("")
    typer.echo(answer.text, nl=not answer.text.endswith("\n"))
    if answer.status >= 400:
        # Diagnosed only when it is an OAuth refusal; otherwise said for what it is.
        request = sent.signed_request if sent is not None else None
        show_failure(request, answer, credentials, errors, url=url)
        raise typer.Exit(1)


REQUEST_EPILOG = (
    "Examples:\n\n"
    "oauth-debug request GET 'https://api.example.com/v1/items?q=blue shoes' "
    "--consumer-key KEY --consumer-secret SECRET --include\n\n"
    "oauth-debug request POST http://127.0.0.1:8080/gallery/api/v1/workflows/APP_ID/jobs/ "
    "-H 'Content-Type: application/json' --data '{\"questions\": []}' "
    "--consumer-key demo-key --consumer-secret demo-secret --trace\n\n"
    "Keys and secrets may come from OAUTH_CONSUMER_KEY, OAUTH_CONSUMER_SECRET, OAUTH_TOKEN and "
    "OAUTH_TOKEN_SECRET instead."
)


def register(app: typer.Typer) -> None:
    """Add the `gallery` group and the `request` command to ``app``."""
    app.add_typer(gallery_app, name="gallery")
    app.command("request", epilog=REQUEST_EPILOG)(request_command)


# Keep names that the demo reuses importable from one place.
__all__ = [
    "GalleryOptions",
    "diagnosis_of",
    "download_outputs",
    "failure_document",
    "job_dict",
    "print_job",
    "progress_display",
    "register",
    "show_failure",
    "show_trace",
    "workflows_table",
]
