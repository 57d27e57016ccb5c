"""The sandbox app both servers of bench/load_sandbox.py serve, built the same way for each.

Jobs finish at once (``job_seconds=0``) and the store keeps every job of a run, so the bench can
check afterwards that none was lost or duplicated.

    gunicorn -k gthread --threads 8 --pythonpath bench sandbox_wsgi:app    # under gunicorn
    python bench/sandbox_wsgi.py PORT                                      # the built-in server
"""

from __future__ import annotations

import sys

from oauth_debug.sandbox import SandboxConfig, create_app, make_server

app = create_app(SandboxConfig(job_seconds=0.0, max_jobs=1_000_000, max_connections=64))


def main(port: int) -> None:
    server = make_server(app, "127.0.0.1", port)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


if __name__ == "__main__":
    main(int(sys.argv[1]))
