"""What a long-lived sandbox's job store costs: memory after many jobs, and listing workflows.

Creates JOBS finished jobs (default 150,000) in one sandbox, straight through its job store (the
same call the run endpoint makes, without the HTTP around it), and reports:

- the memory the store holds afterwards (tracemalloc: what the jobs allocated and kept);
- the time of one whole ``GET workflows/subscription/`` (signed, through the WSGI app), median
  of REPEATS calls, next to one ``GET workflows/{id}/questions/`` (the same authentication and
  routing, no jobs involved) so the part the jobs cost can be told apart.

Runs against whatever ``oauth_debug`` is first on the path, so the same script measures a tree
before and after a change:

    PYTHONPATH=. .venv/bin/python bench/bench_jobs.py [jobs] [repeats]

Figures depend on the machine; compare them only within one machine.
"""

from __future__ import annotations

import gc
import io
import statistics
import sys
import time
import tracemalloc
from typing import Any

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.sandbox import DEMO_API_KEY, DEMO_API_SECRET, WORKFLOWS, SandboxConfig, create_app

NOW = 1_700_000_000.0
HOST = "sandbox.test"


def environ_for(request: HttpRequest) -> dict[str, Any]:
    """A WSGI environ for a signed GET (header placement), as a server would build it."""
    path, _, query = request.url.split("://", 1)[1].partition("/")[2].partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "PATH_INFO": "/" + path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "HTTP_HOST": HOST,
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
    }
    for name, value in request.headers:
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def timed_get(app: Any, path: str, nonce: str) -> float:
    """Seconds for one signed GET of ``path`` through the app; fails loudly on anything but 200."""
    request = HttpRequest("GET", f"http://{HOST}/gallery/api/v1/{path}")
    trace = sign_at(
        request, Credentials(DEMO_API_KEY, DEMO_API_SECRET), timestamp=int(NOW), nonce=nonce
    )
    assert trace.signed_request is not None
    environ = environ_for(trace.signed_request)
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    start = time.perf_counter()
    b"".join(app(environ, start_response))
    elapsed = time.perf_counter() - start
    if statuses != ["200 OK"]:
        raise SystemExit(f"GET {path} answered {statuses}")
    return elapsed


def main(jobs: int = 150_000, repeats: int = 20) -> int:
    # Jobs finish at once (job_seconds=0) and the clock stands still: every job is evictable.
    app = create_app(SandboxConfig(clock=lambda: NOW, job_seconds=0.0))
    store = app.state.jobs
    words = next(w for w in WORKFLOWS if w.file_name.startswith("WordFrequency"))
    bound = getattr(app.config, "max_jobs", None)

    gc.collect()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    for number in range(jobs):
        store.submit(words, [("text", f"job {number}")], 0)
    gc.collect()
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    kept = len(store.all())

    listing = [timed_get(app, "workflows/subscription/", f"list{n}") for n in range(repeats)]
    questions = [
        timed_get(app, f"workflows/{words.id}/questions/", f"q{n}") for n in range(repeats)
    ]
    print(f"job store: {jobs} jobs submitted, {kept} kept (max_jobs: {bound or 'no bound'})")
    print(f"  memory held by the store: {(after - before) / 1e6:.1f} MB")
    print(
        f"  GET workflows/subscription/ (median of {repeats}): "
        f"{1000 * statistics.median(listing):.2f} ms"
    )
    print(
        f"  GET workflows/{{id}}/questions/ (same auth, no jobs): "
        f"{1000 * statistics.median(questions):.2f} ms"
    )
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    sys.exit(
        main(
            int(arguments[0]) if arguments else 150_000,
            int(arguments[1]) if len(arguments) > 1 else 20,
        )
    )
