"""`sandbox`: serve the local imitation of the Alteryx Gallery API until Ctrl-C."""

from __future__ import annotations

import logging
import shlex
import signal
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ..model import Secret
from ..render.console import make_console
from ..sandbox import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    IN_MEMORY,
    SandboxApp,
    SandboxConfig,
    make_server,
)
from ..sandbox.classroom import MemoryRequestLog, classroom_app
from ..sandbox.config import DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_JOBS, DEFAULT_REQUEST_TIMEOUT
from ..sandbox.server import DEFAULT_IDLE_TIMEOUT, RunningServer, running
from ..window import DEFAULT_WINDOW_SECONDS, WINDOW_ORIGIN
from .options import ShowSecrets
from .serving import is_loopback, stop


def _shown(value: str, demo: str, show: bool) -> str:
    """Demo values are public and always shown; a secret the person chose is shown on request."""
    return value if value == demo or show else str(Secret(value))


# What the wildcard addresses are reached at from this machine, for a hint that works pasted.
_WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1"}


def _exposure_warning(host: str) -> Text:
    """What listening beyond loopback means for a server that explains every refusal."""
    return Text(
        f"warning: listening on {host}, not only on this machine: anyone who can reach it gets "
        "every refusal explained (the diagnosis shows how their request differs from a correctly "
        "signed one). Use --host 127.0.0.1 unless everyone on this network should see that.",
        style="yellow",
    )


def _try_line(where: RunningServer, api_key: str, secret: str, shown: bool, oauth1: bool) -> str:
    """A command to paste into another terminal: the gallery client with this sandbox's keys.

    The secret is given when it may be shown (the demo secret, or --show-secrets); otherwise
    the command reads it from ALTERYX_API_SECRET, which the person sets to the secret they chose.
    """
    host = _WILDCARDS.get(where.host, where.host)
    base_url = RunningServer(host, where.port, where.base_path).base_url
    words = ["oauth-debug", "gallery", "workflows", "--base-url", base_url, "--api-key", api_key]
    if shown:
        words += ["--api-secret", secret]
    if not oauth1:
        words += ["--auth", "oauth2"]  # without OAuth 1 the default would get a 404
    line = "  Try: " + shlex.join(words)
    if shown:
        return line
    return line + "\n       (with ALTERYX_API_SECRET set to your API secret, not printed here)"


@contextmanager
def _request_log() -> Iterator[None]:
    """The sandbox's log (one line per request, and the server's cut-offs and refusals) on
    stderr at info level while the command runs, so the banner on stdout stays clean."""
    logger = logging.getLogger("oauth_debug.sandbox")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    # The verifier's JSON line per refusal (oauth_debug.server) is for a provider's log; here the
    # access line names the check and the 401 itself carries the diagnosis, so it stays quiet
    # instead of reaching stderr through logging's last-resort handler.
    server_log = logging.getLogger("oauth_debug.server")
    quiet = logging.NullHandler()
    server_log.addHandler(quiet)
    propagates, server_log.propagate = server_log.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
        server_log.removeHandler(quiet)
        server_log.propagate = propagates


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
        float,
        typer.Option(
            "--window", help=f"Seconds a timestamp may be off, either way ({WINDOW_ORIGIN})."
        ),
    ] = DEFAULT_WINDOW_SECONDS,
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
    max_connections: Annotated[
        int,
        typer.Option(
            "--max-connections", min=1, help="Connections served at once; more are answered 503."
        ),
    ] = DEFAULT_MAX_CONNECTIONS,
    request_timeout: Annotated[
        float,
        typer.Option(
            "--request-timeout",
            min=0.001,
            help="Seconds a client has to send its whole request (line, headers and body).",
        ),
    ] = DEFAULT_REQUEST_TIMEOUT,
    idle_timeout: Annotated[
        float,
        typer.Option(
            "--idle-timeout",
            min=0.001,
            help="Seconds a kept-alive connection may wait for its next request before it is "
            "closed.",
        ),
    ] = DEFAULT_IDLE_TIMEOUT,
    state: Annotated[
        Path | None,
        typer.Option(
            "--state",
            dir_okay=False,
            help="SQLite file for the nonces, jobs and OAuth 2 tokens (created when missing): "
            "shared by every process that opens it, kept across restarts. Without it, in memory.",
        ),
    ] = None,
    show_secrets: ShowSecrets = False,
) -> None:
    """Serve a local Alteryx Gallery API that verifies every signature strictly and answers each
    401 with a diagnosis of the request. Stop it with Ctrl-C.

    The default keys are documented demo keys (demo-key / demo-secret): they are not secrets.
    Each request is logged on stderr (method, path without its query, status, the check that
    refused it).
    """
    config = SandboxConfig(
        api_key=api_key,
        api_secret=api_secret,
        base_path=base_path,
        window_seconds=window,
        job_seconds=job_seconds,
        oauth1_enabled=oauth1,
        max_jobs=max_jobs,
        max_connections=max_connections,
        request_timeout=request_timeout,
    )
    log = MemoryRequestLog()
    try:
        app = SandboxApp(config, state=state, request_log=log)
    except sqlite3.Error as error:
        typer.echo(f"error: cannot use the state file {state}: {error}", err=True)
        raise typer.Exit(2) from None
    # The explainer at the root and the requests it received at /requests (the classroom), the
    # Gallery API everywhere else.
    served = classroom_app(app, log)
    try:
        server = make_server(served, host, port, idle_timeout=idle_timeout)
    except OSError as error:
        typer.echo(f"error: cannot listen on {host}:{port}: {error.strerror or error}", err=True)
        raise typer.Exit(2) from None
    where = running(server, app)
    secret = _shown(api_secret, DEMO_API_SECRET, show_secrets)
    secret_shown = api_secret == DEMO_API_SECRET or show_secrets
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
    lines.append(f"  State:        {state} (SQLite)" if state else f"  State:        {IN_MEMORY}")
    lines.append(f"  Explainer:    {where.url}/   every step of a signature, in the browser")
    lines.append(
        f"  Classroom:    {where.url}/requests   the requests it received, each refusal "
        "explained (anyone who can reach the sandbox sees this list)"
    )
    lines.append(_try_line(where, api_key, api_secret, secret_shown, oauth1))
    # Before the first line: whoever reads it may stop the server at once.
    signal.signal(signal.SIGTERM, stop)
    try:
        for line in lines:
            typer.echo(line)
        if not is_loopback(where.host):
            make_console(stderr=True).print(_exposure_warning(where.host))
        # Last: whoever waits for this line knows everything above has been printed.
        typer.echo("Press Ctrl-C to stop.")
        with _request_log():
            server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        typer.echo("Stopped.")
    finally:
        server.server_close()


SANDBOX_EPILOG = (
    "Examples:\n\n"
    "oauth-debug sandbox\n\n"
    "oauth-debug sandbox --port 0 --api-key my-key --api-secret my-secret --window 300\n\n"
    "oauth-debug sandbox --state sandbox.sqlite   (jobs and nonces kept in a file)\n\n"
    "then, in another terminal: oauth-debug gallery workflows --base-url "
    "http://127.0.0.1:8080/gallery --api-key demo-key --api-secret demo-secret"
)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("sandbox", epilog=SANDBOX_EPILOG)(sandbox)
