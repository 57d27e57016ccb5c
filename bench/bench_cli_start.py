"""How long does a person wait for the command line to start?

Runs, interleaved, in one run on one machine, each as a fresh process (what a person types):
  1. ``oauth-debug sign GET ... --timestamp 1 --nonce n`` (signs and prints);
  2. ``oauth-debug verify --url ... --consumer-secret s`` (reads, verifies and prints);
  3. ``oauth-debug --help``;
  4. a minimal typer app of the same shape: one command with the options ``sign`` has, which
     prints one line; and the same minimal app's ``--help``.
Prints the median of each and the ratios to the minimal app. The issue's target: sign, verify and
--help within 1.3x of the minimal app. Only ratios within one run mean anything.

    .venv/bin/python bench/bench_cli_start.py [rounds]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL_APP = '''
from typing import Annotated, Optional
import typer

app = typer.Typer(add_completion=False, rich_markup_mode=None)

@app.command()
def sign(
    method: str,
    url: str,
    consumer_key: Annotated[str, typer.Option("--consumer-key", envvar="OAUTH_CONSUMER_KEY")] = "",
    consumer_secret: Annotated[Optional[str], typer.Option("--consumer-secret")] = None,
    token: Annotated[Optional[str], typer.Option("--token")] = None,
    token_secret: Annotated[str, typer.Option("--token-secret")] = "",
    signature_method: Annotated[str, typer.Option("--signature-method", "-m")] = "HMAC-SHA1",
    timestamp: Annotated[Optional[str], typer.Option("--timestamp")] = None,
    nonce: Annotated[Optional[str], typer.Option("--nonce")] = None,
    realm: Annotated[Optional[str], typer.Option("--realm")] = None,
    no_version: Annotated[bool, typer.Option("--no-version")] = False,
    placement: Annotated[str, typer.Option("--placement")] = "header",
    header: Annotated[Optional[list[str]], typer.Option("--header", "-H")] = None,
    data: Annotated[Optional[str], typer.Option("--data", "-d")] = None,
    format: Annotated[str, typer.Option("--format", "-f")] = "text",
    show_secrets: Annotated[bool, typer.Option("--show-secrets")] = False,
) -> None:
    """Sign a request."""
    print(method, url)

app()
'''

URL = "https://api.example.com/v1/items?q=blue"
SIGNED = (
    "https://api.example.com/v1/items?q=blue&oauth_consumer_key=k&oauth_nonce=n"
    "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1&oauth_version=1.0"
    "&oauth_signature=AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D"
)


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    tool = [sys.executable, "-m", "oauth_debug"]
    with tempfile.TemporaryDirectory() as folder:
        minimal = Path(folder) / "minimal_app.py"
        minimal.write_text(MINIMAL_APP)
        cases = {
            "oauth-debug sign": [*tool, "sign", "GET", URL, "--consumer-key", "k",
                                 "--consumer-secret", "s", "--timestamp", "1", "--nonce", "n"],
            "oauth-debug verify": [*tool, "verify", "--url", SIGNED, "--consumer-secret", "s"],
            "oauth-debug --help": [*tool, "--help"],
            "minimal app": [sys.executable, str(minimal), "GET", URL, "--consumer-key", "k"],
            "minimal app --help": [sys.executable, str(minimal), "--help"],
        }  # fmt: skip
        times: dict[str, list[float]] = {name: [] for name in cases}
        for argv in cases.values():  # warm the file cache and the bytecode once
            _time(argv)
        for _ in range(rounds):
            for name, argv in cases.items():
                times[name].append(_time(argv))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"{name:<22} {value * 1000:7.1f} ms (median of {rounds})")
    floor, help_floor = medians["minimal app"], medians["minimal app --help"]
    for name, base in (
        ("oauth-debug sign", floor),
        ("oauth-debug verify", floor),
        ("oauth-debug --help", help_floor),
    ):
        print(f"{name:<22} {medians[name] / base:5.2f}x the minimal app  (target <= 1.3x)")


if __name__ == "__main__":
    main()
