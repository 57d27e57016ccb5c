"""Help that a person can read at any width: nothing cut, examples whole, -h and --version."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from oauth_debug import __version__
from oauth_debug.cli.app import COMMANDS, app, load_command

runner = CliRunner()


def _command_paths() -> list[tuple[str, ...]]:
    """Every command and sub-command of the app, as the words that name it."""
    paths: list[tuple[str, ...]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        children = getattr(command, "commands", None)
        if children is None:
            paths.append(path)
            return
        for name, child in children.items():
            walk(child, (*path, name))

    for name in COMMANDS:
        walk(load_command(name), (name,))
    return paths


def _options_of(path: tuple[str, ...]) -> list[tuple[list[str], str | None]]:
    command = load_command(path[0])
    for word in path[1:]:
        command = command.commands[word]
    return [
        (list(param.opts) + list(param.secondary_opts), getattr(param, "envvar", None))
        for param in command.params
        if param.param_type_name == "option"
    ]


COMMAND_PATHS = _command_paths()


def test_every_listed_command_loads_from_its_module_and_every_registered_one_is_listed() -> None:
    registered: set[str] = set()
    for module in {entry.module for entry in COMMANDS.values()}:
        holder = typer.Typer()
        __import__(f"oauth_debug.cli.{module}", fromlist=["register"]).register(holder)
        registered |= set(typer.main.get_group(holder).commands)
    assert registered == set(COMMANDS)
    assert all(load_command(name) is not None for name in COMMANDS)
    assert load_command("no-such-command") is None


def test_the_top_level_help_imports_no_command_module() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from oauth_debug.cli.app import app\n"
        "out = CliRunner().invoke(app, ['--help']).output\n"
        "assert 'diagnose' in out, out\n"
        "loaded = sorted(m for m in sys.modules if m.endswith('_commands') or m == 'requests')\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_walk_finds_the_commands_and_the_gallery_group() -> None:
    assert ("sign",) in COMMAND_PATHS and ("diagnose",) in COMMAND_PATHS
    assert ("gallery", "run") in COMMAND_PATHS


@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p))
def test_help_names_every_option_and_variable_whole(path: tuple[str, ...], columns: int) -> None:
    # click's test runner forces 80 columns unless the context is given a width.
    result = runner.invoke(
        app, [*path, "--help"], terminal_width=columns, env={"COLUMNS": str(columns)}
    )
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    words = set(re.findall(r"[\w-]+", result.output))
    for names, envvar in _options_of(path):
        for name in names:
            assert name in words, f"{name} is cut or missing in {' '.join(path)} --help"
        if isinstance(envvar, str):
            assert envvar in words, f"{envvar} is cut in {' '.join(path)} --help"
    for line in result.output.splitlines():
        assert len(line) <= columns or line.lstrip().startswith("oauth-debug "), line


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p))
def test_example_commands_in_help_are_never_broken_over_lines(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"], terminal_width=60)
    lines = result.output.splitlines()
    for number, line in enumerate(lines):
        if line.lstrip().startswith("oauth-debug "):
            following = lines[number + 1] if number + 1 < len(lines) else ""
            # A broken example would continue on the next line; a whole one ends its paragraph.
            assert not following.strip() or following.lstrip().startswith("oauth-debug "), (
                f"{line!r} continues on {following!r}"
            )


def test_a_boolean_flag_shows_no_value_placeholder() -> None:
    result = runner.invoke(app, ["sign", "--help"], terminal_width=80)
    # The option's own line: two spaces of indent, the flag, then straight to its description.
    flag_line = next(line for line in result.output.splitlines() if line.startswith("  --show-"))
    assert "<bool>" not in result.output
    assert re.match(r"  --show-secrets\s+Print secrets", flag_line), flag_line


def test_dash_h_is_help_everywhere() -> None:
    top = runner.invoke(app, ["-h"])
    sub = runner.invoke(app, ["gallery", "run", "-h"])
    assert top.exit_code == 0 and "Usage: oauth-debug" in top.output
    assert sub.exit_code == 0 and "Usage: oauth-debug gallery run" in sub.output


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"oauth-debug {__version__}"


def _modules_loaded_by(argv: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """The modules under ``prefixes`` that running ``oauth-debug argv`` imports, fresh."""
    code = (
        "import json, sys\n"
        "from oauth_debug.cli.app import app\n"
        f"sys.argv = ['oauth-debug', *{argv!r}]\n"
        "try:\n"
        "    app()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"names = sorted(m for m in sys.modules if m.startswith({prefixes!r}))\n"
        "print(json.dumps(names), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    names: list[str] = json.loads(result.stderr.strip().splitlines()[-1])
    return names


def test_the_top_level_help_imports_none_of_the_core() -> None:
    # A person typing --help waits for every module it imports: it needs typer and the
    # command table, not the signer, the verifier or the errors (which bring the redactor).
    loaded = _modules_loaded_by(["--help"], ("oauth_debug.",))
    assert [m for m in loaded if not m.startswith("oauth_debug.cli")] == []


SIGN_ARGV = ["sign", "GET", "https://h/x", "--consumer-key", "k", "--consumer-secret", "s",
             "--timestamp", "1", "--nonce", "n"]  # fmt: skip
VERIFY_ARGV = ["verify", "--url", "https://h/x?oauth_consumer_key=k&oauth_nonce=n"
               "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1&oauth_signature=AAAA",
               "--consumer-secret", "s"]  # fmt: skip
OTHER_PATHS = (
    "oauth_debug.render.trace_json",
    "oauth_debug.render.trace_markdown",
    "oauth_debug.inputs.postman",
    "oauth_debug.inputs.har",
    "oauth_debug.cli.har_commands",
    "oauth_debug.vectors",
)


def test_sign_as_text_imports_no_other_format_nor_the_postman_or_har_readers() -> None:
    loaded = _modules_loaded_by(SIGN_ARGV, ("oauth_debug.",))
    assert "oauth_debug.signer" in loaded  # the probe sees what ran
    assert [m for m in loaded if m in OTHER_PATHS or m == "oauth_debug.render.trace_text"] == []


def test_verify_as_text_imports_no_other_format_nor_the_har_reader() -> None:
    loaded = _modules_loaded_by(VERIFY_ARGV, ("oauth_debug.",))
    assert "oauth_debug.verify" in loaded
    assert [m for m in loaded if m in OTHER_PATHS] == []


def test_sign_as_json_loads_its_renderer_when_asked() -> None:
    loaded = _modules_loaded_by([*SIGN_ARGV, "--format", "json"], ("oauth_debug.render",))
    assert "oauth_debug.render.trace_json" in loaded
    assert "oauth_debug.render.trace_markdown" not in loaded


# What the signing and verifying commands need beyond typer: the core and plain lines. rich (about
# 16 ms of imports) draws only panels, tables and styled notes; the provider findings bring the
# diagnosis's vocabulary and matter only to a request a provider's profile applies to.
PROVIDER_FINDINGS = ("oauth_debug.diagnosis.findings", "oauth_debug.diagnosis.provider_findings")


def test_sign_as_text_imports_no_rich_and_no_provider_findings() -> None:
    loaded = _modules_loaded_by(SIGN_ARGV, ("oauth_debug.", "rich"))
    assert "oauth_debug.signer" in loaded and "oauth_debug.render.plain" in loaded
    assert [m for m in loaded if m == "rich" or m.startswith("rich.")] == []
    assert [m for m in loaded if m in PROVIDER_FINDINGS] == []
    # explain's Postman options live apart from sign, which shares its signing body.
    assert "oauth_debug.cli.postman_commands" not in loaded


def test_verify_loads_the_provider_findings_only_when_a_profile_applies() -> None:
    plain = _modules_loaded_by(VERIFY_ARGV, ("oauth_debug.diagnosis",))
    assert "oauth_debug.diagnosis.providers" in plain  # the guess ran
    assert [m for m in plain if m in PROVIDER_FINDINGS] == []
    named = _modules_loaded_by([*VERIFY_ARGV, "--provider", "netsuite"], ("oauth_debug.diagnosis",))
    assert set(PROVIDER_FINDINGS) <= set(named)


def test_verify_as_json_imports_no_rich() -> None:
    loaded = _modules_loaded_by([*VERIFY_ARGV, "--format", "json"], ("oauth_debug.", "rich"))
    assert "oauth_debug.verify" in loaded
    assert [m for m in loaded if m == "rich" or m.startswith("rich.")] == []
