"""Every command and code example in docs/ runs here, and its output is checked.

- A ```console block holds `$ oauth-debug ...` lines, each followed by the output it must print.
  They run through typer's CliRunner on the real app with a fixed width and no colour. In expected
  output a line that is only `...` stands for any number of lines (as in doctest).
- A ```python block is executed; blocks of one page share a namespace, in order, so a page can
  build up an example. Its asserts are the check.
- `<!-- docs-test: sandbox -->` right before a block starts an in-process sandbox first, and the
  documented address http://127.0.0.1:8080 is replaced by the one it really listens on.
- `<!-- docs-test: server -->` marks a console block that starts a long-running server
  (`oauth-debug sandbox`): it runs as a process on a free port, its first lines are compared, and
  it is stopped.
- `$ export NAME=VALUE ...` in a console block sets environment variables for the page's later
  commands.
- A ```sh block is never run; it must be preceded by `<!-- docs-test: not-run: <why> -->`, so that
  nothing goes untested silently (e.g. `make demo`, which the Makefile and CI run anyway).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oauth_debug.cli.app import app

DOCS = Path(__file__).resolve().parents[2] / "docs"
DOCUMENTED_SANDBOX = "http://127.0.0.1:8080"
_FENCE = re.compile(r"^```(\w*)\s*$")
_MARKER = re.compile(r"^<!--\s*docs-test:\s*(.+?)\s*-->$")
# Width and colour pinned so that output is the same on every machine; credentials from the
# environment are cleared so that only what the docs show is used.
CLI_ENV = {
    "COLUMNS": "100",
    "NO_COLOR": "1",
    "TERM": "dumb",
    "OAUTH_CONSUMER_KEY": None,
    "OAUTH_CONSUMER_SECRET": None,
    "OAUTH_TOKEN": None,
    "OAUTH_TOKEN_SECRET": None,
    "ALTERYX_GALLERY_URL": None,
    "ALTERYX_API_KEY": None,
    "ALTERYX_API_SECRET": None,
}


@dataclass(frozen=True)
class Block:
    page: str
    line: int
    language: str
    text: str
    marker: str | None


def doc_blocks(page: Path) -> Iterator[Block]:
    """The fenced blocks of ``page`` with the docs-test marker (if any) on the line before."""
    lines = page.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        start = index
        index += 1
        while index < len(lines) and lines[index].strip() != "```":
            index += 1
        previous = next((lines[i] for i in range(start - 1, -1, -1) if lines[i].strip()), "")
        marker = _MARKER.match(previous.strip())
        yield Block(
            page.name,
            start + 1,
            opening.group(1),
            "\n".join(lines[start + 1 : index]),
            marker.group(1) if marker else None,
        )
        index += 1


def pages() -> list[Path]:
    # The README is the first page people read: its examples run too.
    root = DOCS.parent
    return [root / "README.md", root / "vectors" / "README.md", *sorted(DOCS.glob("*.md"))]


def split_session(text: str) -> list[tuple[str, list[str]]]:
    """A console block as (command, expected output lines); `\\` continues a command line."""
    session: list[tuple[str, list[str]]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        assert line.startswith("$ "), f"output without a command: {line!r}"
        command = line[2:]
        while command.endswith("\\"):
            index += 1
            command = command[:-1] + " " + lines[index].strip()
        index += 1
        output = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index])
            index += 1
        session.append((command, output))
    return session


def line_matches(expected: str, actual: str) -> bool:
    """Equal, or equal with each `...` inside the line standing for any text."""
    if "..." not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(piece) for piece in expected.split("..."))
    return re.fullmatch(pattern, actual) is not None


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line, trailing spaces ignored; a line `...` matches any run of lines."""
    expected = [line.rstrip() for line in expected]
    actual = [line.rstrip() for line in actual]
    while expected and not expected[-1]:
        expected.pop()
    while actual and not actual[-1]:
        actual.pop()
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(matches(rest, actual[skip:]) for skip in range(len(actual) + 1))
    return bool(actual) and line_matches(head, actual[0]) and matches(rest, actual[1:])


def run_console(block: Block, base_url: str | None, env: dict[str, str | None]) -> None:
    runner = CliRunner()
    for command, expected in split_session(block.text):
        if base_url is not None:
            command = command.replace(DOCUMENTED_SANDBOX, base_url)
            expected = [line.replace(DOCUMENTED_SANDBOX, base_url) for line in expected]
        words = shlex.split(command)
        if words[0] == "export":
            env.update(word.split("=", 1) for word in words[1:])  # type: ignore[misc]
            continue
        assert words[0] == "oauth-debug", f"{block.page}:{block.line}: only oauth-debug runs here"
        result = runner.invoke(app, words[1:], env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        actual = result.output.splitlines()
        assert matches(expected, actual), (
            f"{block.page}:{block.line}: `{command}` printed:\n{result.output}"
        )


def run_server(block: Block) -> None:
    """Start the documented server command on a free port, compare its banner, stop it."""
    ((command, expected),) = split_session(block.text)
    words = shlex.split(command)
    assert words[:2] == ["oauth-debug", "sandbox"], f"{block.page}:{block.line}: unknown server"
    process = subprocess.Popen(
        [sys.executable, "-m", "oauth_debug", *words[1:], "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 20
        assert process.stdout is not None
        while time.monotonic() < deadline and len(lines) < 50:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if line.startswith("Press Ctrl-C"):
                break
    finally:
        process.terminate()
        process.wait(timeout=10)
    address = re.search(r"http://127\.0\.0\.1:\d+", lines[0] if lines else "")
    assert address, f"{block.page}:{block.line}: the server printed {lines}"
    expected = [line.replace(DOCUMENTED_SANDBOX, address.group(0)) for line in expected]
    assert matches(expected, lines), f"{block.page}:{block.line}: the server printed {lines}"


@pytest.fixture
def docs_sandbox() -> Iterator[str]:
    """An in-process sandbox with the documented demo keys; jobs finish in a fraction of a
    second so the tutorial's job runs fast."""
    from oauth_debug.sandbox import SandboxConfig, create_app, serve_in_background

    with serve_in_background(create_app(SandboxConfig(job_seconds=0.2))) as server:
        yield server.base_url.removesuffix("/gallery")


def _examples() -> list[tuple[Path, list[Block]]]:
    return [(page, list(doc_blocks(page))) for page in pages()]


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.name)
def test_every_example_on_the_page_runs(
    page: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The docs say "from the repository root": the examples run in a scratch directory that
    # looks like one (files they write, such as job outputs, stay out of the repository).
    tmp_path = request.getfixturevalue("tmp_path")
    (tmp_path / "vectors").symlink_to(DOCS.parent / "vectors")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    env = dict(CLI_ENV)
    base_url: str | None = None
    for block in doc_blocks(page):
        needs_sandbox = block.marker == "sandbox"
        if needs_sandbox and base_url is None:
            base_url = request.getfixturevalue("docs_sandbox")
        url = base_url if needs_sandbox else None
        if block.marker == "server":
            run_server(block)
        elif block.language == "console":
            run_console(block, url, env)
        elif block.language == "python":
            code = block.text if url is None else block.text.replace(DOCUMENTED_SANDBOX, url)
            exec(compile(code, f"{page.name}:{block.line}", "exec"), namespace)
        elif block.language in ("sh", "bash", "shell"):
            assert block.marker and block.marker.startswith("not-run:"), (
                f"{page.name}:{block.line}: a shell block must say why it is not run"
            )


def test_the_docs_have_examples_to_run() -> None:
    # Guards the runner itself: if the fence parsing broke, every page would pass vacuously.
    languages = [block.language for _, blocks in _examples() for block in blocks]
    assert languages.count("console") >= 3
    assert languages.count("python") >= 3


def test_the_session_matcher_treats_ellipsis_as_any_lines() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "..."], ["a"])
    assert not matches(["a", "d"], ["a", "b", "d"])
    assert not matches(["a", "...", "e"], ["a", "b", "d"])
    assert split_session("$ oauth-debug x \\\n  --y 1\nout\n$ oauth-debug z") == [
        ("oauth-debug x  --y 1", ["out"]),
        ("oauth-debug z", []),
    ]
