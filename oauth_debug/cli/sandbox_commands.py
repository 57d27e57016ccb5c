"""`sandbox`: serve the local imitation of the Alteryx Gallery API until Ctrl-C."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Annotated

import typer

from ..model import Secret
from ..sandbox import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    SandboxConfig,
    create_app,
    make_server,
)
from ..sandbox.config import DEFAULT_MAX_JOBS
from ..sandbox.server import running
from .options import ShowSecrets


def _shown(value: str, demo: str, show: bool) -> str:
    """Demo values are public and always shown; a secret the person chose is shown on request."""
    return value if value == demo or show else str(Secret(value))


def _stop(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (a service manager, or a test) stops the server as cleanly as Ctrl-C does."""
    raise KeyboardInterrupt


def sandbox(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port to listen on; 0 picks a free one.")
    ] = 8080,
    api_key: Annotated[str, typer.Option("--api-key", help="The OAuth 1 API key.")] = (
        DEMO_API_KEY
    ),
    api_secret: Annotated[
        str, typer.Option("--api-secret", help="The OAuth 1 API secret.", show_default=False)
    ] = DEMO_API_SECRET,
    window: Annotated[
        float, typer.Option("--window", help="Seconds a timestamp may be off, either way.")
    ] = 600,
    job_seconds: Annotated[
        float, typer.Option("--job-seconds", help="How long a job takes (Queued, then Running).")
    ] = 2.0,
    base_path: Annotated[str, typer.Option("--base-path", help="The Gallery's base path.")] = (
        "/gallery"
    ),
    oauth1: Annotated[
        bool,
        typer.Option(
            "--oauth1/--no-oauth1",
            help="--no-oauth1 imitates Server 2022.1+, which only offers OAuth 2 under /webapi/.",
        ),
    ] = True,
    max_jobs: Annotated[
        int,
        typer.Option(
            "--max-jobs",
            min=1,
            help="Jobs kept; past it, the oldest finished ones are forgotten (then answer 404).",
        ),
    ] = DEFAULT_MAX_JOBS,
    show_secrets: ShowSecrets = False,
) -> None:
    """Serve a local Alteryx Gallery API that verifies every signature strictly and answers each
    401 with a diagnosis of the request. Stop it with Ctrl-C.

    The default keys are documented demo keys (demo-key / demo-secret): they are not secrets.
    """
    config = SandboxConfig(
        api_key=api_key,
        api_secret=api_secret,
        base_path=base_path,
        window_seconds=window,
        job_seconds=job_seconds,
        oauth1_enabled=oauth1,
        max_jobs=max_jobs,
    )
    app = create_app(config)
    try:
        server = make_server(app, host, port)
    except OSError as error:
        typer.echo(f"error: cannot listen on {host}:{port}: {error.strerror or error}", err=True)
        raise typer.Exit(2) from None
    where = running(server, app)
    secret = _shown(api_secret, DEMO_API_SECRET, show_secrets)
    lines = [f"Alteryx Gallery sandbox at {where.base_url}"]
    if oauth1:
        lines.append(f"  OAuth 1 API:  {where.base_url}/api/v1/   key {api_key}  secret {secret}")
    else:
        lines.append("  OAuth 1 API:  off (imitating Server 2022.1+)")
    lines.append(
        f"  OAuth 2 API:  {where.url}/webapi/v1/   client id and secret: the same key and "
        f"secret (token: POST {where.url}/webapi/oauth2/token)"
    )
    if api_key == DEMO_API_KEY and api_secret == DEMO_API_SECRET:
        lines.append("  The demo keys are public, documented values: not secrets.")
    auth = "" if oauth1 else " --auth oauth2"  # without OAuth 1 the default would get a 404
    lines.append(f"  Try: oauth-debug gallery workflows --base-url {where.base_url}{auth}")
    lines.append("Press Ctrl-C to stop.")
    # Before the first line: whoever reads it may stop the server at once.
    signal.signal(signal.SIGTERM, _stop)
    try:
        for line in lines:
            typer.echo(line)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        typer.echo("Stopped.")
    finally:
        server.server_close()


SANDBOX_EPILOG = (
    "Examples:\n\n"
    "oauth-debug sandbox\n\n"
    "oauth-debug sandbox --port 0 --api-key my-key --api-secret my-secret --window 300\n\n"
    "then, in another terminal: oauth-debug gallery workflows --base-url "
    "http://127.0.0.1:8080/gallery --api-key demo-key --api-secret demo-secret"
)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("sandbox", epilog=SANDBOX_EPILOG)(sandbox)
