"""`web`: serve the explainer page and its JSON API on this machine until Ctrl-C."""

from __future__ import annotations

import signal
import threading
import webbrowser
from typing import Annotated

import typer
from rich.text import Text

from ..render.console import make_console
from .serving import is_loopback, stop

WEB_EPILOG = (
    "Examples:\n\n"
    "oauth-debug web\n\n"
    "oauth-debug web --port 8765 --open\n\n"
    "then paste a curl line or a signed URL and its secret into the page, or from a script: "
    'curl -s http://127.0.0.1:8765/api/diagnose -d \'{"input": "...", "consumer_secret": '
    '"..."}\'\n\n'
    "The secrets stay in the page's form and the request to this server: they are never "
    "logged, stored or put in a URL."
)


def web(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port to listen on; 0 (default) picks a free one.")
    ] = 0,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in this machine's browser.")
    ] = False,
) -> None:
    """Serve the explainer in a browser: paste a request (curl line, signed URL, raw HTTP,
    Authorization header) and its secrets, and see every step of the signature and the
    diagnosis, updated as you type. The JSON API (POST /api/explain, POST /api/diagnose)
    answers what `explain` and `diagnose` print with --format json. Stop it with Ctrl-C."""
    try:
        from ..web import create_app
    except ImportError as error:  # Jinja2 missing
        typer.echo(f"error: the web page needs Jinja2 ({error}): pip install jinja2", err=True)
        raise typer.Exit(2) from None
    from ..sandbox.server import make_server

    app = create_app()
    try:
        server = make_server(app, host, port)
    except OSError as error:
        typer.echo(f"error: cannot listen on {host}:{port}: {error.strerror or error}", err=True)
        raise typer.Exit(2) from None
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    shown_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    url = f"http://{shown_host}:{bound_port}/"
    signal.signal(signal.SIGTERM, stop)
    try:
        typer.echo(f"oauth-debug explainer at {url}")
        if not is_loopback(bound_host):
            make_console(stderr=True).print(
                Text(
                    f"warning: listening on {bound_host}, not only on this machine: anyone who "
                    "can reach it can use it (secrets typed into the page cross the network "
                    "unencrypted). Use --host 127.0.0.1 unless that is meant.",
                    style="yellow",
                )
            )
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        typer.echo("Press Ctrl-C to stop.")
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        typer.echo("Stopped.")
    finally:
        server.server_close()


def register(app: typer.Typer) -> None:
    """Add `web`."""
    app.command("web", epilog=WEB_EPILOG)(web)
