"""`gallery`: the Alteryx Gallery Subscription API v1 (workflows, questions, jobs, outputs).

Results go to stdout (a table, or JSON with --format json); notices, signing traces, progress and
diagnoses go to stderr, so a script can pipe the JSON. An OAuth refusal (a 401, or a 400/403 whose
body is an OAuth error) is followed by the diagnosis of the request exactly as it went out; any
other failure says what it is (cli/live_failures.py). The API secret is never printed. The options
every subcommand shares are declared once (cli/gallery_options.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ..render.gallery import job_table, questions_table, workflows_table
from .gallery_checks import check_answer_names, check_output_dir, parse_answers
from .gallery_options import GalleryOptions, with_gallery_options
from .gallery_session import (
    emit_json,
    gallery_client,
    job_dict,
    print_job,
    report_job,
    stderr_console,
    stdout_console,
    wait_and_download,
)

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


# -- gallery commands -----------------------------------------------------------------------------


# The waiting options of `run` and `job`, declared once: `job JOB --wait` picks up a job exactly
# as `run --wait` would have finished it.
OutputDir = Annotated[
    Path | None,
    typer.Option(
        "--output-dir", help="Download the outputs here (implies --wait).", show_default=False
    ),
]
DownloadFormat = Annotated[
    str, typer.Option("--output-format", help="Format of downloaded outputs.")
]
WaitDeadline = Annotated[
    float, typer.Option("--deadline", help="Seconds to wait for the job at most.")
]
# Where `download` and `package` write, declared once. Kept as text: Path("dl/") would lose the
# slash that says "a folder".
DownloadTarget = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="File or directory (default: here); a trailing / names a folder, created if missing.",
        show_default=False,
    ),
]


@gallery_app.command(
    "workflows", epilog=gallery_epilog("workflows --search Sales", "workflows --format json")
)
@with_gallery_options()
def workflows_command(
    options: GalleryOptions,
    search: Annotated[str | None, typer.Option(help="Text to search for.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    offset: Annotated[int | None, typer.Option(help="Skip this many.")] = None,
) -> None:
    """List the workflows your key may run."""
    with gallery_client(options) as client:
        found = client.workflows(search=search, limit=limit, offset=offset)
    if options.json:
        emit_json([dict(w.raw) for w in found])
    else:
        stdout_console().print(workflows_table(found))


@gallery_app.command("questions", epilog=gallery_epilog("questions APP_ID"))
@with_gallery_options()
def questions_command(
    options: GalleryOptions,
    app_id: Annotated[str, typer.Argument(metavar="APP", help="The workflow (app) id.")],
) -> None:
    """The questions a workflow asks (answer them with `gallery run APP --answer NAME=VALUE`)."""
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
@with_gallery_options()
def run_command(
    options: GalleryOptions,
    app_id: Annotated[str, typer.Argument(metavar="APP", help="The workflow (app) id.")],
    answer: Annotated[
        list[str] | None,
        typer.Option("--answer", "-a", help="NAME=VALUE (repeatable).", show_default=False),
    ] = None,
    priority: Annotated[
        str | None, typer.Option(help="low, medium, high, critical (or 0-3).", show_default=False)
    ] = None,
    wait: Annotated[bool, typer.Option("--wait", help="Wait until the job completes.")] = False,
    output_dir: OutputDir = None,
    output_format: DownloadFormat = "Raw",
    deadline: WaitDeadline = 600.0,
) -> None:
    """Run a workflow with answers; optionally wait for it and download its outputs.

    Answers are checked against the workflow's questions, and --output-dir for being writable,
    before the job is submitted. Exits 1 when the job completes with a disposition other than
    Success; Ctrl-C while waiting prints the command that picks the job up again (exit 130).
    """
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
@with_gallery_options()
def job_command(
    options: GalleryOptions,
    job_id: Annotated[str, typer.Argument(metavar="JOB", help="The job id.")],
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait until the job completes (as run --wait).")
    ] = False,
    output_dir: OutputDir = None,
    output_format: DownloadFormat = "Raw",
    deadline: WaitDeadline = 600.0,
) -> None:
    """A job's status, disposition, messages and outputs.

    With --wait (or --output-dir) it waits like `run --wait`, with the same output and exit codes:
    the way to pick up a job whose wait was interrupted.
    """
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
@with_gallery_options()
def jobs_command(
    options: GalleryOptions,
    app_id: Annotated[str, typer.Argument(metavar="APP", help="The workflow (app) id.")],
) -> None:
    """The jobs of a workflow."""
    with gallery_client(options) as client:
        found = client.jobs(app_id)
    if options.json:
        emit_json([job_dict(j) for j in found])
    else:
        stdout_console().print(job_table(found))


@gallery_app.command(
    "output", epilog=gallery_epilog("output JOB_ID OUTPUT_ID --format Csv -o results.csv")
)
@with_gallery_options(results=False)
def output_command(
    options: GalleryOptions,
    job_id: Annotated[str, typer.Argument(metavar="JOB", help="The job id.")],
    output_id: Annotated[str, typer.Argument(metavar="OUTPUT", help="The output id.")],
    file_format: Annotated[
        str, typer.Option("--format", help="The file format to ask for (Raw, Csv...).")
    ] = "Raw",
    output: DownloadTarget = None,
) -> None:
    """Download one output of a job (written atomically: all of it, or nothing)."""
    with gallery_client(options) as client:
        # The text as typed: Path("dl/") would lose the slash that says "a folder".
        path = client.download_output(job_id, output_id, output or Path.cwd(), format=file_format)
    typer.echo(str(path))


@gallery_app.command("package", epilog=gallery_epilog("package APP_ID -o workflow.yxzp"))
@with_gallery_options(results=False)
def package_command(
    options: GalleryOptions,
    app_id: Annotated[str, typer.Argument(metavar="APP", help="The workflow (app) id.")],
    output: DownloadTarget = None,
) -> None:
    """Download a workflow's package (.yxzp)."""
    with gallery_client(options) as client:
        path = client.download_package(app_id, output or Path.cwd())
    typer.echo(str(path))


def register(app: typer.Typer) -> None:
    """Add the `gallery` group to ``app``."""
    app.add_typer(gallery_app, name="gallery")
