"""`demo`: the whole story in one command, against a sandbox on a free loopback port.

It lists the workflows, runs a job with answers, shows the signing trace of the run request, waits
with a progress display, downloads the output, then sends one hand-built request with a classic
mistake (the base string URI encoded with ``quote(url)``, which leaves "/" unencoded) and shows the
sandbox's diagnosis of its 401. Every step is checked; the exit code is 0 only when all worked.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import requests
import typer
from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from ..errors import InvalidOptionError, OAuthDebugError
from ..live.gallery import GalleryClient
from ..live.response import ServerResponse
from ..live.retry import Backoff
from ..model import Credentials, HttpRequest
from ..recipe import RFC
from ..render.console import make_console
from ..render.gallery import workflows_table
from ..signer import compute, place, random_nonce, sign_at
from .gallery_session import download_outputs, print_job, progress_display, show_trace
from .live_failures import show_failure

DEMO_WORKFLOW = "Regional Sales"
DEMO_ANSWERS = {"region": "N", "start": "2024-01-01", "end": "2024-03-31"}
JOB_SECONDS = 1.5
"""How long a sandbox job takes in the demo: long enough to see the progress display."""
DEADLINE = 20.0
EXPECTED_MISTAKE = "uri-slashes-not-encoded"
"""The catalog id of the mistake the demo makes on purpose."""


class DemoFailed(OAuthDebugError):
    """One step of the demo did not do what it should; ``step`` names it."""

    exit_code = 1  # a step that failed is a problem found, not bad input

    def __init__(self, step: str, message: str) -> None:
        super().__init__(f"demo failed at step '{step}': {message}", step=step)
        self.step = step


def check(condition: bool, step: str, message: str) -> None:
    if not condition:
        raise DemoFailed(step, message)


@contextmanager
def step(console: Console, title: str) -> Iterator[None]:
    """A titled step; any package error inside it becomes a DemoFailed naming the step."""
    console.print(Rule(Text(title, style="bold"), align="left"))
    try:
        yield
    except DemoFailed:
        raise
    except OAuthDebugError as error:
        raise DemoFailed(title, str(error)) from None


def mistaken_request(base_url: str, credentials: Credentials) -> HttpRequest:
    """GET the workflow list, signed over a base string whose URI was encoded keeping "/".

    The protocol parameters are the RFC's (sign_at); only the signature is recomputed with the
    one step done wrong, through the same pipeline (``Recipe(uri_encoding="keep-slashes")``).
    """
    request = HttpRequest("GET", f"{base_url}/api/v1/workflows/subscription/")
    correct = sign_at(
        request, credentials, timestamp=int(time.time()), nonce=random_nonce(), placement="query"
    )
    protocol = [pair for pair in correct.oauth_parameters if pair[0] != "oauth_signature"]
    mistake = replace(RFC, uri_encoding="keep-slashes")
    wrong = compute(
        place(request, protocol, "query"), credentials, "HMAC-SHA1", mistake, placement="query"
    )
    return place(request, [*protocol, ("oauth_signature", wrong.signature)], "query")


def run_demo(output_dir: Path, console: Console) -> None:
    """Every step against a fresh sandbox; raises DemoFailed at the first that goes wrong."""
    from ..sandbox import (
        DEMO_API_KEY,
        DEMO_API_SECRET,
        SandboxConfig,
        create_app,
        serve_in_background,
    )

    config = SandboxConfig(job_seconds=JOB_SECONDS)
    with serve_in_background(create_app(config), host="127.0.0.1", port=0) as server:
        console.print(
            Text.assemble(
                "sandbox serving at ", (server.base_url, "bold"), f" (demo key {DEMO_API_KEY})"
            )
        )
        with GalleryClient(
            server.base_url, DEMO_API_KEY, DEMO_API_SECRET, timeout=(2.0, 10.0)
        ) as client:
            with step(console, "1. list the workflows (GET, OAuth 1 in the Authorization header)"):
                workflows = client.workflows()
                console.print(workflows_table(workflows))
                chosen = next((w for w in workflows if w.name == DEMO_WORKFLOW), None)
                check(chosen is not None, "list", f"no workflow called {DEMO_WORKFLOW!r}")
                assert chosen is not None
            with step(console, f"2. run {DEMO_WORKFLOW!r} with answers {DEMO_ANSWERS}"):
                job = client.run_job(chosen.id, DEMO_ANSWERS, priority="low")
                check(bool(job.id), "run", "the run call returned no job id")
                console.print(Text.assemble("job ", (job.id, "bold"), f" is {job.status}"))
            with step(console, "3. the signing trace of that run request (RFC 5849 3.4)"):
                trace = client.oauth1.last_trace
                check(trace is not None, "trace", "the client kept no trace")
                assert trace is not None
                show_trace(trace, console)
            with step(console, "4. wait for the job"):
                with progress_display(True) as on_progress:
                    job = client.wait_for_job(
                        job.id,
                        deadline=DEADLINE,
                        poll=Backoff(0.2, 1.5, 1.0),
                        on_progress=on_progress,
                    )
                print_job(job, console)
                check(job.succeeded, "wait", f"the job ended {job.status}/{job.disposition}")
                check(bool(job.outputs), "wait", "the job produced no output")
            with step(console, f"5. download the output into {output_dir}"):
                paths = download_outputs(client, job, output_dir, "Raw")
                for path in paths:
                    check(path.stat().st_size > 0, "download", f"{path} is empty")
                    head = path.read_text("utf-8", "replace").splitlines()[:3]
                    console.print(
                        Text.assemble((str(path), "green"), f" ({path.stat().st_size} bytes)")
                    )
                    console.print("\n".join(f"  {line}" for line in head))
        with step(console, "6. a classic mistake: the base string URI encoded with quote(url)"):
            credentials = Credentials(DEMO_API_KEY, DEMO_API_SECRET)
            sent = mistaken_request(server.base_url, credentials)
            console.print(
                "signed with the path's '/' left as '/' instead of '%2F' in the base string; "
                "sending it:"
            )
            console.print(f"  GET {sent.url}", soft_wrap=True)
            try:
                response = requests.get(sent.url, timeout=(2.0, 10.0))
            except requests.RequestException as error:
                raise DemoFailed("mistake", f"the request did not go out: {error}") from None
            answer = ServerResponse.from_requests(response)
            check(answer.status == 401, "mistake", f"expected a 401, got HTTP {answer.status}")
            body = answer.json()
            check(
                isinstance(body, dict) and body.get("exceptionName") == "UnauthorizedException",
                "mistake",
                f"the 401 body is not Alteryx's UnauthorizedException: {answer.text[:200]}",
            )
            assert isinstance(body, dict)
            diagnosis: Any = body.get("diagnosis")
            check(isinstance(diagnosis, dict), "mistake", "the sandbox's 401 has no diagnosis")
            check(
                diagnosis.get("verdict") == "explained"
                and EXPECTED_MISTAKE in diagnosis.get("mistakes", []),
                "mistake",
                f"the sandbox did not name the mistake: {diagnosis.get('summary')}",
            )
            console.print(f"HTTP 401: {body.get('message')}")
            console.print(
                Text.assemble(("the sandbox's diagnosis:", "bold"), f" {diagnosis['summary']}")
            )
            # The same diagnosis, recomputed here with the demo secret, in full.
            show_failure(sent, answer, credentials, console)


def register(app: typer.Typer) -> None:
    """Add the `demo` command to ``app``."""

    @app.command(
        "demo",
        epilog=(
            "Examples:\n\n"
            "oauth-debug demo\n\n"
            "oauth-debug demo --output-dir demo-output\n\n"
            "It needs no keys, network or environment variables: the sandbox runs on a free "
            "loopback port with the documented demo keys."
        ),
    )
    def demo(
        output_dir: Annotated[
            Path | None,
            typer.Option(
                "--output-dir",
                help="Keep the downloaded output here (default: a temporary directory).",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        """Run the whole story against a local sandbox: list, run, trace, wait, download, diagnose.

        Exits 0 only when every step worked.
        """
        console = make_console()
        if output_dir is not None:
            # Checked before the sandbox starts: a bad --output-dir is bad input (exit 2), not a
            # demo step that failed after five that worked.
            try:
                output_dir.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise InvalidOptionError(
                    f"cannot create --output-dir {str(output_dir)!r}: {error.strerror or error}"
                ) from None
        if output_dir is not None:
            run_demo(output_dir, console)
        else:
            with tempfile.TemporaryDirectory(prefix="oauth-debug-demo-") as temporary:
                run_demo(Path(temporary), console)
        console.print(Rule(Text("demo complete: every step worked", style="bold green")))
