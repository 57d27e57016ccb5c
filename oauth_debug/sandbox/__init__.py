"""The sandbox: a local imitation of the Alteryx Gallery API that verifies strictly and explains
every rejection.

Use it from Python::

    from oauth_debug.sandbox import SandboxConfig, create_app, serve_in_background
    from oauth_debug.window import DEFAULT_WINDOW_SECONDS
    app = create_app(SandboxConfig(window_seconds=DEFAULT_WINDOW_SECONDS, job_seconds=2.0))
    with serve_in_background(app, host="127.0.0.1", port=0) as server:
        print(server.base_url)   # http://127.0.0.1:PORT/gallery

from the command line (the standard library's threaded WSGI server)::

    oauth-debug sandbox --port 8080

or under gunicorn, for a classroom (``create_app()`` with no argument uses the demo keys)::

    gunicorn --workers 1 --threads 8 --bind 127.0.0.1:8080 'oauth_debug.sandbox:create_app()'

Keep one worker process: jobs, the nonce replay cache and OAuth 2 tokens live in memory, so
several processes would each see only their own (threads share them safely). The job store keeps
at most ``max_jobs`` finished jobs; the built-in server's request deadline and connection cap
(``request_timeout``, ``max_connections``) do not apply under gunicorn, which has its own.

Each request is logged at info level on the ``oauth_debug.sandbox`` logger (never its query,
where a signature may travel); ``oauth-debug sandbox`` prints that log on stderr.

The demo keys (``demo-key`` / ``demo-secret``, OAuth 2 client ``demo-client`` /
``demo-client-secret``) are documented, public values: not secrets. The paths are listed in
:mod:`oauth_debug.sandbox.app`.
"""

from __future__ import annotations

from .app import SandboxApp, SandboxState
from .config import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    SandboxConfig,
)
from .server import RunningServer, make_server, serve_in_background
from .workflows import WORKFLOWS


def create_app(config: SandboxConfig | None = None) -> SandboxApp:
    """The sandbox's WSGI application; without a config, the demo keys and default settings."""
    return SandboxApp(config or SandboxConfig())


__all__ = [
    "DEMO_API_KEY",
    "DEMO_API_SECRET",
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "WORKFLOWS",
    "RunningServer",
    "SandboxApp",
    "SandboxConfig",
    "SandboxState",
    "create_app",
    "make_server",
    "serve_in_background",
]
