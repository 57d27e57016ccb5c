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

or under gunicorn, for a classroom (``create_app()`` with no config uses the demo keys), with a
state file that every worker process shares::

    gunicorn -w 4 --bind 127.0.0.1:8080 'oauth_debug.sandbox:create_app(state="sandbox.sqlite")'

With ``state`` (``oauth-debug sandbox --state FILE``), the used nonces, the jobs and the OAuth 2
tokens live in that SQLite file (:mod:`oauth_debug.sandbox.state`): every worker refuses a nonce
any worker accepted, lists every job, and jobs survive a restart. Without it they live in the
process's memory, so keep one worker process (threads share them safely); the sandbox says so
when it starts. The job store keeps
at most ``max_jobs`` finished jobs; the built-in server's request deadline and connection cap
(``request_timeout``, ``max_connections``) do not apply under gunicorn, which has its own.

Each request is logged at info level on the ``oauth_debug.sandbox`` logger (never its query,
where a signature may travel); ``oauth-debug sandbox`` prints that log on stderr.

The demo keys (``demo-key`` / ``demo-secret``, OAuth 2 client ``demo-client`` /
``demo-client-secret``) are documented, public values: not secrets. The paths are listed in
:mod:`oauth_debug.sandbox.app`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .app import SandboxApp, SandboxState
from .config import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    SandboxConfig,
)
from .records import RequestLog, RequestRecord
from .server import RunningServer, make_server, serve_in_background
from .workflows import WORKFLOWS

IN_MEMORY = (
    "state in memory: run one worker process (for several, give a state file: "
    "--state FILE, or create_app(state=PATH))"
)
"""What the sandbox says when it starts without a state file."""

_log = logging.getLogger("oauth_debug.sandbox")


def create_app(
    config: SandboxConfig | None = None,
    *,
    state: str | Path | None = None,
    request_log: RequestLog | None = None,
) -> SandboxApp:
    """The sandbox's WSGI application; without a config, the demo keys and default settings.

    ``state`` is the SQLite file shared by worker processes (created when missing); without it,
    the state is in memory and a warning says so. ``request_log`` gets a record per request.
    """
    if state is None:
        _log.warning("sandbox %s", IN_MEMORY)
    return SandboxApp(config or SandboxConfig(), state=state, request_log=request_log)


__all__ = [
    "DEMO_API_KEY",
    "DEMO_API_SECRET",
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "IN_MEMORY",
    "WORKFLOWS",
    "RequestLog",
    "RequestRecord",
    "RunningServer",
    "SandboxApp",
    "SandboxConfig",
    "SandboxState",
    "create_app",
    "make_server",
    "serve_in_background",
]
