"""`oauth-debug demo` does every step against a real sandbox and exits 0 only when all worked."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from oauth_debug.cli.app import app


def test_demo_runs_every_step_and_keeps_the_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--output-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for step in ("1. list", "2. run", "3. the signing trace", "4. wait", "5. download", "6. a"):
        assert step in result.stdout
    assert "demo complete" in result.stdout and "HTTP 401" in result.stdout
    assert "uri-slashes-not-encoded" in result.stdout  # the sandbox named the mistake
    (output,) = tmp_path.iterdir()
    assert output.name == "sales_N.csv" and output.read_text().startswith("date,region")
    assert "demo-secret" not in result.stdout
