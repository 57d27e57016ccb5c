"""How long does a person wait for the command line to start?

Runs, interleaved, in one run on one machine, each as a fresh process (what a person types):
  1. ``oauth-debug sign GET ... --timestamp 1 --nonce n`` (signs and prints);
  2. ``oauth-debug verify --url ... --consumer-secret s`` (reads, verifies and prints);
  3. ``oauth-debug --help``;
  4. a minimal typer app of the same shape: one command with the options ``sign`` has (all 22,
     of the same types), which prints one line; and the same minimal app's ``--help``;
  5. that minimal app with the cyclic collector paused while it starts, as oauth-debug's main()
     pauses it: the like-for-like floor, against which a ratio counts only what oauth-debug
     imports and does beyond typer (against the plain minimal app, the pause's own gain counts
     too);
  6. the same verify with FORCE_COLOR=1, as on a terminal that takes colour: every run here
     writes to a pipe, where verify draws its panels without rich (cli/verify_text.py); a person
     at a colour terminal gets rich's styled panels, and this is what they wait for.
Prints the median of each and the ratios to the minimal app. The issue's target: sign, verify and
--help within 1.3x of the minimal app. Only ratios within one run mean anything.

Each run's CPU time (user + system, of the child alone) is measured beside its wall time: on a
machine shared with other work, a run that waits for a core pays in wall time, not in CPU time,
so the CPU ratios are the steadier ones (they leave out only time spent waiting on the disk).

    .venv/bin/python bench/bench_cli_start.py [rounds]
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL_APP = '''
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional
import typer

app = typer.Typer(add_completion=False, rich_markup_mode=None)

class Placement(str, Enum):
    header = "header"
    query = "query"
    body = "body"

class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"

@app.command()
def sign(
    method: str,
    url: str,
    consumer_key: Annotated[str, typer.Option("--consumer-key", envvar="OAUTH_CONSUMER_KEY")] = "",
    consumer_secret: Annotated[Optional[str], typer.Option("--consumer-secret", envvar="OAUTH_CONSUMER_SECRET")] = None,
    token: Annotated[Optional[str], typer.Option("--token", envvar="OAUTH_TOKEN")] = None,
    token_secret: Annotated[str, typer.Option("--token-secret", envvar="OAUTH_TOKEN_SECRET")] = "",
    signature_method: Annotated[str, typer.Option("--signature-method", "-m")] = "HMAC-SHA1",
    timestamp: Annotated[Optional[str], typer.Option("--timestamp")] = None,
    nonce: Annotated[Optional[str], typer.Option("--nonce")] = None,
    realm: Annotated[Optional[str], typer.Option("--realm")] = None,
    no_version: Annotated[bool, typer.Option("--no-version")] = False,
    placement: Annotated[Placement, typer.Option("--placement")] = Placement.header,
    header: Annotated[Optional[list[str]], typer.Option("--header", "-H")] = None,
    data: Annotated[Optional[str], typer.Option("--data", "-d")] = None,
    rsa_key: Annotated[Optional[Path], typer.Option("--rsa-key")] = None,
    callback: Annotated[Optional[str], typer.Option("--callback")] = None,
    verifier: Annotated[Optional[str], typer.Option("--verifier")] = None,
    body_hash: Annotated[Optional[bool], typer.Option("--body-hash/--no-body-hash")] = None,
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
    show_secrets: Annotated[bool, typer.Option("--show-secrets")] = False,
    full: Annotated[bool, typer.Option("--full")] = False,
    provider: Annotated[Optional[str], typer.Option("--provider")] = None,
) -> None:
    """Sign a request."""
    print(method, url)

app()
'''  # noqa: E501
"""The 22 parameters of ``sign``, with their types (two enums, a path, a flag pair): typer
builds a converter per parameter on every run, so "the same options" means these, not a subset."""

URL = "https://api.example.com/v1/items?q=blue"
SIGNED = (
    "https://api.example.com/v1/items?q=blue&oauth_consumer_key=k&oauth_nonce=n"
    "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1&oauth_version=1.0"
    "&oauth_signature=AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D"
)


_DOC_LINE = '    """Sign a request."""\n'
MINIMAL_APP_PAUSED = "import gc\ngc.disable()\n" + MINIMAL_APP.replace(
    _DOC_LINE, _DOC_LINE + "    gc.freeze()\n    gc.enable()\n"
)
"""The minimal app, the collector paused until its command runs (oauth_debug/cli/collector.py)."""
assert MINIMAL_APP_PAUSED.count("gc.freeze()") == 1


def _child_env(cache: Path) -> dict[str, str]:
    """The environment each run gets: bytecode cached, as an installed package has it.

    With PYTHONDONTWRITEBYTECODE set (as in a shell that keeps a source tree free of
    __pycache__), every run would compile every module of oauth-debug from source, while the
    minimal app, one small file, barely pays for it: the ratio would measure the compiler. The
    cache goes to a temporary folder (PYTHONPYCACHEPREFIX), so the tree stays clean; the warm-up
    run fills it.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The wall time and the CPU time of one run."""
    cpu, start = _cpu_of_children(), time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    return time.perf_counter() - start, _cpu_of_children() - cpu


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    tool = [sys.executable, "-m", "oauth_debug"]
    with tempfile.TemporaryDirectory() as folder:
        minimal = Path(folder) / "minimal_app.py"
        minimal.write_text(MINIMAL_APP)
        paused = Path(folder) / "minimal_app_paused.py"
        paused.write_text(MINIMAL_APP_PAUSED)
        env = _child_env(Path(folder) / "pycache")
        cases = {
            "oauth-debug sign": [*tool, "sign", "GET", URL, "--consumer-key", "k",
                                 "--consumer-secret", "s", "--timestamp", "1", "--nonce", "n"],
            "oauth-debug verify": [*tool, "verify", "--url", SIGNED, "--consumer-secret", "s"],
            "oauth-debug --help": [*tool, "--help"],
            "minimal app": [sys.executable, str(minimal), "GET", URL, "--consumer-key", "k"],
            "minimal app --help": [sys.executable, str(minimal), "--help"],
            "minimal app, paused": [sys.executable, str(paused), "GET", URL, "--consumer-key", "k"],
            "oauth-debug verify, colour": [*tool, "verify", "--url", SIGNED,
                                           "--consumer-secret", "s"],
        }  # fmt: skip
        colour = {**env, "FORCE_COLOR": "1"}
        envs = {name: colour if name.endswith(", colour") else env for name in cases}
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for name, argv in cases.items():  # warm the file cache and the bytecode once
            _time(argv, envs[name])
        for _ in range(rounds):
            for name, argv in cases.items():
                times[name].append(_time(argv, envs[name]))
    wall = {name: statistics.median(w for w, _ in values) for name, values in times.items()}
    cpu = {name: statistics.median(c for _, c in values) for name, values in times.items()}
    for name in cases:
        print(
            f"{name:<26} {wall[name] * 1000:7.1f} ms (median of {rounds}), "
            f"CPU {cpu[name] * 1000:6.1f} ms"
        )
    for label, medians in (("", wall), ("CPU ", cpu)):
        for name, base in (
            ("oauth-debug sign", "minimal app"),
            ("oauth-debug verify", "minimal app"),
            ("oauth-debug --help", "minimal app --help"),
        ):
            ratio = medians[name] / medians[base]
            print(f"{name:<26} {ratio:5.2f}x the minimal app {label:<4}(target <= 1.3x)")
    for name in ("oauth-debug sign", "oauth-debug verify", "oauth-debug verify, colour"):
        ratio = cpu[name] / cpu["minimal app, paused"]
        print(f"{name:<26} {ratio:5.2f}x the minimal app with the same pause, CPU")


if __name__ == "__main__":
    main()
