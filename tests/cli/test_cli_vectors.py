"""`oauth-debug vectors`: the shipped vectors as a table, JSON or markdown."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from oauth_debug.cli.app import app
from oauth_debug.vectors import load_cases

runner = CliRunner()


def test_every_vector_passes_and_the_table_says_so() -> None:
    result = runner.invoke(app, ["vectors"], env={"COLUMNS": "200"})
    count = len(load_cases())
    assert result.exit_code == 0
    assert f"{count} of {count} vectors pass" in result.output
    assert "FAIL" not in result.output


def test_json_lists_each_case_with_its_outcome() -> None:
    result = runner.invoke(app, ["vectors", "--format", "json"])
    document = json.loads(result.output)
    assert {case["id"] for case in document} == {case.id for case in load_cases()}
    rfc = next(case for case in document if case["id"] == "rfc5849-3.4.1-hmac-sha1")
    assert rfc["passed"] is True and rfc["missing_extra"] is None


def test_without_the_rsa_extra_rsa_cases_are_not_run_and_not_failures() -> None:
    code = (
        "import sys; sys.modules['cryptography'] = None\n"
        "from oauth_debug.cli.app import app\n"
        "app(['vectors', '--format', 'markdown'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "not run: they need pip install 'oauth-debug[rsa]'" in done.stdout
    assert "| needs [rsa] |" in done.stdout
    assert "**FAIL**" not in done.stdout
