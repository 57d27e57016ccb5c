"""How long does from_curl take on a curl command with one very long word, before and after?

A "Copy as cURL" of an upload holds the whole body in one word (--data-raw '...'), and a signed
GET can carry a long URL. The splitter used to hand the command to shlex.split, which builds each
word one character at a time; it now joins runs found by one regular expression.

Times from_curl (best of a few runs) on four commands: a --data-raw body and a URL, each of
125 KB and 1 MB, and one with a 1 MB unclosed double quote (the error path). "before" is the
splitter of commit 89649fe (the last with shlex), read from git and put in place of the current
one; pass --after-only to skip it (it takes a minute).

    PYTHONPATH=$PWD .venv/bin/python bench/bench_curl.py [--after-only]
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

from oauth_debug.inputs import InputError, curl, from_curl

BEFORE_COMMIT = "89649fe"
SIZES = {"125 KB": 125_000, "1 MB": 1_000_000}


def commands() -> dict[str, str]:
    cases = {}
    for label, size in SIZES.items():
        cases[f"--data-raw of {label}"] = (
            f"curl 'https://api.example.com/v1/items' -H 'Content-Type: text/plain' "
            f"--data-raw '{'x' * size}'"
        )
        cases[f"URL of {label}"] = f"curl 'https://api.example.com/v1/items?q={'y' * size}'"
    cases['unclosed " of 1 MB'] = f'curl "https://api.example.com/?q={"z" * 1_000_000}'
    return cases


def old_splitter() -> Callable[[str], list[str]] | None:
    """split_words as of BEFORE_COMMIT, or None when git cannot show it."""
    root = Path(__file__).resolve().parent.parent
    try:
        source = subprocess.run(
            ["git", "show", f"{BEFORE_COMMIT}:oauth_debug/inputs/shell_words.py"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("old_shell_words")
    module.__dict__["__package__"] = "oauth_debug.inputs"  # its relative import of .result
    exec(compile(source, "old_shell_words.py", "exec"), module.__dict__)
    splitter: Callable[[str], list[str]] = module.split_words
    return splitter


def seconds(text: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        with contextlib.suppress(InputError):  # the unclosed quote: saying so is what is timed
            from_curl(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    cases = commands()
    current = curl.split_words
    after = {name: seconds(text, 3) for name, text in cases.items()}
    before: dict[str, float] = {}
    old = None if "--after-only" in sys.argv else old_splitter()
    if old is not None:
        curl.split_words = old  # type: ignore[assignment]
        try:
            before = {name: seconds(text, 1) for name, text in cases.items()}
        finally:
            curl.split_words = current
    print(f"{'from_curl on':<26}{'before':>14}{'after':>14}")
    for name in cases:
        shown = f"{before[name] * 1000:.1f} ms" if name in before else "-"
        print(f"{name:<26}{shown:>14}{after[name] * 1000:>11.1f} ms")


if __name__ == "__main__":
    main()
