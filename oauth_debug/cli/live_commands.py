"""`gallery` (the Alteryx Gallery Subscription API v1) and `request` (any OAuth 1 API, curl-like).

Results go to stdout (a table, or JSON with --format json); notices, signing traces, progress and
diagnoses go to stderr, so a script can pipe the JSON. A 401 is followed by the diagnosis of the
request exactly as it went out. The API secret is never printed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import requests
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..diagnosis import Diagnosis, diagnose
from ..errors import InvalidOptionError, OAuthDebugError
from ..live.auth import OAuth1Auth
from ..live.errors import GalleryAuthError, JobWaitTimeout, LiveError, ServerError
from ..live.gallery import GalleryClient
from ..live.response import ServerResponse
from ..live.results import Job, Question, Workflow
from ..model import Credentials, HttpRequest
from ..render.diagnosis import diagnosis_renderable
from ..render.secrets import scrub
from ..trace import SigningTrace
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
        f"{GALLERY_ENV} A refused request (401) is followed by the diagnosis of exactly what "
        "was sent; --auth oauth2 talks to Server 2022.1 and later. The settings (--base-url, "
        "--auth, --format...) go after the subcommand. Exit codes: 0 done, 1 the server refused "
        "or failed, was unreachable, or the job failed, 2 bad input."
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
    return Console(stderr=True, highlight=False)


def stdout_console() -> Console:
    return Console(highlight=False)


def show_trace(trace: SigningTrace, console: Console) -> None:
    """The signing trace of one request, every step (the lead's renderer, secrets redacted)."""
    from ..render.trace_text import trace_renderable

    console.print(trace_renderable(trace))


@contextmanager
def gallery_client(options: GalleryOptions) -> Iterator[GalleryClient]:
    """A client from the options; a 401 inside the block prints its diagnosis before failing."""
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
        on_notice=lambda message: errors.print(f"[yellow]note:[/yellow] {escape(message)}"),
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


def failure_document(error: LiveError, client: GalleryClient) -> dict[str, Any]:
    """A failure for --format json: what went wrong, with the server's answer, the job as last
    seen, and (for a 401) the diagnosis of the request exactly as it went out."""
    document: dict[str, Any] = {"error": str(error), "kind": type(error).__name__}
    document.update({k: v for k, v in error.data.items() if isinstance(v, (str, int, float))})
    if isinstance(error, ServerError):
        document["status"] = error.response.status
        document["server"] = _json_body(error.response.text)
    if isinstance(error, GalleryAuthError):
        diagnosis = diagnosis_of(error.request, error.response, client.credentials)
        document["diagnosis"] = None if diagnosis is None else diagnosis.to_dict()
    if isinstance(error, JobWaitTimeout):
        document["job"] = dict(error.job.raw)
    return document


def _json_body(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return text[:2000]


# -- diagnosis of a refused request ---------------------------------------------------------------


def diagnosis_of(
    request: HttpRequest | None, response: ServerResponse, credentials: Credentials | None
) -> Diagnosis | None:
    """The diagnosis of the request exactly as it went out, read together with the answer.

    With the secret known (the CLI has it) the mistake is named; None when there is no request
    to diagnose, or the diagnosis cannot read it.
    """
    if request is None or _bearer(request):
        return None
    try:
        return diagnose(request, credentials=credentials, response=response_text(response))
    except OAuthDebugError:
        return None


def _bearer(request: HttpRequest) -> bool:
    """An OAuth 2 request (``--auth oauth2``): an OAuth 1 diagnosis would only call it unsigned."""
    return any(
        name.lower() == "authorization" and value.strip().lower().startswith("bearer ")
        for name, value in request.headers
    )


def response_text(response: ServerResponse) -> str:
    """The answer as raw HTTP text (``curl -i``), the form the diagnosis reads responses in."""
    lines = [f"HTTP/1.1 {response.status}"]
    lines += [f"{name}: {value}" for name, value in response.headers]
    return "\r\n".join(lines) + "\r\n\r\n" + response.text


def show_failure(
    request: HttpRequest | None,
    response: ServerResponse,
    credentials: Credentials | None,
    console: Console,
) -> Diagnosis | None:
    """Print the diagnosis of a refused request (on ``console``) and return it."""
    diagnosis = diagnosis_of(request, response, credentials)
    if diagnosis is None:
        # The body is the server's text: a "[/...]" in it must not be read as rich markup.
        console.print(f"[red]HTTP {response.status}[/red]: {escape(response.text[:500])}")
        return None
    if diagnosis.verdict == "valid":
        # We diagnose our own request with the secret we were given: it always agrees with itself.
        # What that tells the person is where else to look.
        console.print(
            f"[red]HTTP {response.status}[/red]: the server refused a request whose signature is "
            "correct for exactly what was sent, with the secret given here. So the server holds "
            "another secret for this key (a typo, a trailing space, a key that was regenerated), "
            "or it sees another URL than the one signed (a proxy rewriting the scheme, host or "
            "port), or it refuses the timestamp or nonce. What the server said is among the "
            "findings below.",
            highlight=False,
        )
    console.print(diagnosis_renderable(diagnosis))
    return diagnosis


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
        console.print(escape(line), highlight=False, soft_wrap=True)
    for message in job.messages:
        style = "red" if message.status == 3 else "dim"
        text = escape(f"tool {message.tool_id}: {message.text}")
        console.print(f"  [{style}]{text}[/]")


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
        TextColumn("{task.description}"),
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

    Exits 1 when the job completes with a disposition other than Success.
    """
    options = GalleryOptions(base_url, api_key, api_secret, auth, adjust_clock, trace, fmt, timeout)
    answers = parse_answers(answer)
    out = stdout_console()
    note = stderr_console()
    downloaded: list[Path] = []
    with gallery_client(options) as client:
        job = client.run_job(app_id, answers, priority=priority)
        if not options.json:
            note.print(f"job [bold]{escape(job.id)}[/bold] queued ({escape(job.status)})")
        if wait or output_dir is not None:
            with progress_display(not options.json) as on_progress:
                job = client.wait_for_job(job.id, deadline=deadline, on_progress=on_progress)
            if output_dir is not None and job.succeeded:
                downloaded = download_outputs(client, job, output_dir, output_format)
    if options.json:
        emit_json({**job_dict(job), "downloaded": [str(p) for p in downloaded]})
    else:
        print_job(job, out)
        for path in downloaded:
            out.print(f"downloaded {escape(str(path))}")
    if job.done and not job.succeeded:
        raise typer.Exit(1)


@gallery_app.command("job", epilog=gallery_epilog("job JOB_ID --format json"))
def job_command(
    job_id: Annotated[str, typer.Argument(metavar="JOB", help="The job id.")],
    base_url: BaseUrl = "",
    api_key: ApiKey = "",
    api_secret: ApiSecret = "",
    auth: AuthOption = AuthChoice.oauth1,
    adjust_clock: AdjustClock = False,
    trace: TraceOption = False,
    fmt: FormatOption = ResultFormat.text,
    timeout: TimeoutOption = 30.0,
) -> None:
    """A job's status, disposition, messages and outputs."""
    options = GalleryOptions(base_url, api_key, api_secret, auth, adjust_clock, trace, fmt, timeout)
    with gallery_client(options) as client:
        job = client.job(job_id)
    if options.json:
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
        Path | None,
        typer.Option(
            "--output", "-o", help="File or directory (default: here).", show_default=False
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
        path = client.download_output(job_id, output_id, output or Path.cwd(), format=file_format)
    typer.echo(str(path))


@gallery_app.command("package", epilog=gallery_epilog("package APP_ID -o workflow.yxzp"))
def package_command(
    app_id: Annotated[str, typer.Argument(metavar="APP", help="The workflow (app) id.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File or directory (default: here).", show_default=False
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
    """Sign and send any request to an OAuth 1 API, curl-like; a 4xx gets a diagnosis.

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
        # requests names the URL it tried, query included: with --placement query and PLAINTEXT
        # that query carries the signature, which is the key itself (RFC 5849 3.4.4).
        detail = f"{type(error).__name__}: {error}"
        if auth.last_trace is not None:
            detail = scrub(detail, auth.last_trace, show_secrets) or detail
        raise LiveError(f"{method.upper()} {url} failed: {detail}") from None
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
    if 400 <= answer.status < 500 and sent is not None:
        show_failure(sent.signed_request, answer, credentials, errors)
    if answer.status >= 400:
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
    "download_outputs",
    "job_dict",
    "print_job",
    "progress_display",
    "register",
    "show_failure",
    "show_trace",
    "workflows_table",
]
