"""Text against JSON output on large inputs: text must cost at most a few times JSON.

Runs the real typer app in-process (CliRunner) and prints, per case, the seconds for
``--format text`` and ``--format json``, the ratio text/JSON and the size of each output.

    PYTHONPATH=. python bench/bench_render.py            # every case
    PYTHONPATH=. python bench/bench_render.py --skip-5mb # without the 5 MB body

The cases are those of the issue: explain on a 5 MB form body, explain with 10,000 parameters,
verify --url with 10,000 parameters (valid: the base string is printed; invalid: the whole trace).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.cli.app import app

KEYS = ["--consumer-key", "k", "--consumer-secret", "s", "--timestamp", "1", "--nonce", "n"]
FORM = ["-H", "Content-Type: application/x-www-form-urlencoded"]


def _timed(args: list[str]) -> tuple[float, int, int]:
    runner = CliRunner()
    start = time.perf_counter()
    result = runner.invoke(app, args, env={"COLUMNS": "100", "NO_COLOR": "1"})
    elapsed = time.perf_counter() - start
    if result.exit_code not in (0, 1):
        raise SystemExit(f"{args[:3]} failed: {result.output[-500:]}")
    return elapsed, len(result.output), result.exit_code


def explain_5mb(directory: Path) -> list[str]:
    body = directory / "body.txt"
    body.write_text("a=" + "x" * 5_000_000)
    return ["explain", "POST", "http://x.example/", *FORM, "-d", f"@{body}", *KEYS]


def explain_10k(directory: Path) -> list[str]:
    body = directory / "params.txt"
    body.write_text("&".join(f"p{i}=v{i}" for i in range(10_000)))
    return ["explain", "POST", "http://x.example/", *FORM, "-d", f"@{body}", *KEYS]


def verify_10k(directory: Path, valid: bool = True) -> list[str]:
    query = "&".join(f"p{i}=v{i}" for i in range(10_000))
    trace = sign_at(
        HttpRequest("GET", f"http://x.example/?{query}"),
        Credentials("k", "s"),
        timestamp=1,
        nonce="n",
        placement="query",
    )
    assert trace.signed_url is not None
    url = trace.signed_url if valid else trace.signed_url.replace("oauth_nonce=n", "oauth_nonce=m")
    return ["verify", "--url", url, "--consumer-secret", "s"]


CASES: list[tuple[str, Callable[[Path], list[str]]]] = [
    ("explain, 5 MB form body", explain_5mb),
    ("explain, 10,000 parameters", explain_10k),
    ("verify --url, 10,000 params, valid", verify_10k),
    ("verify --url, 10,000 params, invalid", lambda d: verify_10k(d, valid=False)),
]


def main() -> None:
    skip = "--skip-5mb" in sys.argv
    columns = ("text s", "json s", "text/json", "text chars", "json chars")
    print(f"{'case':38} " + " ".join(f"{c:>10}" for c in columns))
    with tempfile.TemporaryDirectory() as temporary:
        # One small run of each format first: the lazy imports should not count against either.
        for output in ("text", "json"):
            _timed(["explain", "GET", "http://x.example/", *KEYS, "--format", output])
        for name, make in CASES:
            if skip and "5 MB" in name:
                continue
            args = make(Path(temporary))
            text, text_size, _ = _timed(args)
            json_, json_size, _ = _timed([*args, "--format", "json"])
            print(
                f"{name:38} {text:10.2f} {json_:10.2f} {text / json_:10.2f} {text_size:10,} "
                f"{json_size:10,}",
                flush=True,
            )


if __name__ == "__main__":
    main()
