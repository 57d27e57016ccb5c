"""`oauth-debug gallery ...` through typer's CliRunner, against a sandbox over loopback HTTP.

The CLI signs with the system clock, so the sandbox runs on real time here (jobs take 0.2 s);
the skew tests give the sandbox a clock that is an hour off instead.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from oauth_debug.cli.app import app
from oauth_debug.sandbox import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    SandboxConfig,
    create_app,
    serve_in_background,
)

SALES = "5c2d9a1e0b7f4a0001a1b2c1"
ANSWERS = ["--answer", "region=S", "--answer", "start=2024-02-01", "--answer", "end=2024-02-10"]


@contextmanager
def sandbox(**config: Any) -> Iterator[tuple[Any, dict[str, str]]]:
    served = create_app(SandboxConfig(job_seconds=0.2, **config))
    with serve_in_background(served) as server:
        env = {
            "ALTERYX_GALLERY_URL": server.base_url,
            "ALTERYX_API_KEY": DEMO_API_KEY,
            "ALTERYX_API_SECRET": DEMO_API_SECRET,
        }
        yield served, env


@pytest.fixture
def gallery() -> Iterator[tuple[Any, dict[str, str]]]:
    with sandbox() as pair:
        yield pair


def invoke(env: dict[str, str], *args: str) -> Any:
    return CliRunner(env=env).invoke(app, ["gallery", *args])


def test_workflows_as_json_and_as_a_table(gallery: tuple[Any, dict[str, str]]) -> None:
    _, env = gallery
    as_json = invoke(env, "workflows", "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)[0]["metaInfo"]["name"] == "Regional Sales"
    table = invoke(env, "workflows", "--search", "word")
    assert "Word Frequency" in table.stdout and "Regional Sales" not in table.stdout


def test_questions_show_list_choices(gallery: tuple[Any, dict[str, str]]) -> None:
    result = invoke(gallery[1], "questions", SALES)
    assert result.exit_code == 0 and "QuestionListBox" in result.stdout
    assert "North=N" in result.stdout


def test_run_wait_download_then_job_jobs_and_output(
    gallery: tuple[Any, dict[str, str]], tmp_path: Path
) -> None:
    served, env = gallery
    run = invoke(env, "run", SALES, *ANSWERS, "--output-dir", str(tmp_path), "-f", "json")
    assert run.exit_code == 0, run.output
    job = json.loads(run.stdout)
    assert job["disposition"] == "Success" and job["status"] == "Completed"
    stored = served.state.jobs.get(job["id"]).result.outputs[0]
    assert Path(job["downloaded"][0]).read_bytes() == stored.data
    status = json.loads(invoke(env, "job", job["id"], "--format", "json").stdout)
    assert status["outputs"][0]["fileName"] == stored.name
    assert {"appId", "workerTag", "createDate", "messages"} <= set(status)  # the API's object
    listed = invoke(env, "jobs", SALES, "--format", "json")
    assert [j["id"] for j in json.loads(listed.stdout)] == [job["id"]]
    target = tmp_path / "again.csv"
    output = invoke(env, "output", job["id"], job["outputs"][0]["id"], "--output", str(target))
    assert output.exit_code == 0 and target.read_bytes() == stored.data
    package = invoke(env, "package", SALES, "--output", str(tmp_path))
    assert package.exit_code == 0 and Path(package.stdout.strip()).suffix == ".yxzp"


def test_a_job_that_errors_exits_1_with_its_messages(gallery: tuple[Any, dict[str, str]]) -> None:
    result = invoke(
        gallery[1], "run", SALES, "-a", "region=N", "-a", "start=x", "-a", "end=y", "--wait"
    )
    assert result.exit_code == 1
    assert "Error" in result.stdout and "is not a date" in result.stdout


def test_a_bad_answer_argument_is_a_one_line_error(gallery: tuple[Any, dict[str, str]]) -> None:
    result = invoke(gallery[1], "run", SALES, "--answer", "region")
    assert result.exit_code == 2 and "is not NAME=VALUE" in result.stderr
    assert gallery[0].state.jobs.all() == []


def test_wrong_secret_shows_the_diagnosis_and_never_the_secret(
    gallery: tuple[Any, dict[str, str]],
) -> None:
    env = {**gallery[1], "ALTERYX_API_SECRET": "wrong-secret-value"}
    result = invoke(env, "workflows", "--trace")
    assert result.exit_code == 1
    assert "error: the server refused the request (HTTP 401" in result.stderr
    # The diagnosis of what went out: right for the secret given, so the server's secret differs.
    assert "the signature is correct for this request, but the server will still" in " ".join(
        result.stderr.split()
    )
    assert "Assemble the signature base string" in result.stderr  # --trace
    assert "wrong-secret-value" not in result.output + result.stderr


def test_a_refusal_says_where_else_to_look_and_is_json_for_scripts(
    gallery: tuple[Any, dict[str, str]],
) -> None:
    env = {**gallery[1], "ALTERYX_API_SECRET": "wrong-secret-value"}
    text = " ".join(invoke(env, "workflows").stderr.split())
    assert "the server holds another secret for this key" in text
    assert "sandbox-diagnosis" in text and "verdict unexplained" in text
    result = invoke(env, "workflows", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["status"] == 401
    assert document["server"]["exceptionName"] == "UnauthorizedException"
    assert document["server"]["diagnosis"]["verdict"] == "unexplained"  # the sandbox's view
    assert document["diagnosis"]["verdict"] == "valid"  # ours: right for the secret we were given
    assert "wrong-secret-value" not in result.stdout + result.stderr


def test_missing_settings_are_named() -> None:
    result = CliRunner(env={"ALTERYX_GALLERY_URL": None}).invoke(app, ["gallery", "jobs", SALES])
    assert result.exit_code == 2 and "--base-url" in result.stderr


def test_skew_is_reported_and_adjust_clock_fixes_it() -> None:
    with sandbox(clock=lambda: time.time() + 3600) as (_, env):
        refused = invoke(env, "workflows")
        assert refused.exit_code == 1
        assert "behind the server" in refused.stderr and "--adjust-clock" in refused.stderr
        adjusted = invoke(env, "workflows", "--adjust-clock", "-f", "json")
        assert adjusted.exit_code == 0, adjusted.output
        assert len(json.loads(adjusted.stdout)) == 3
        # Date has whole seconds: the measured offset is 3600 s give or take the one being cut.
        assert re.search(r"clock adjusted by \+(3599|3600|3601) s", adjusted.stderr)


def test_auto_says_which_authentication_it_chose() -> None:
    with sandbox(oauth1_enabled=False) as (_, env):
        result = invoke(env, "workflows", "--auth", "auto", "-f", "json")
        oauth1 = invoke(env, "workflows", "--auth", "oauth1")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 3
    assert "OAuth 2 client credentials" in result.stderr
    assert oauth1.exit_code == 1 and "--auth oauth2" in oauth1.stderr


def test_the_progress_display_shows_each_status_while_waiting() -> None:
    import io

    from rich.console import Console

    from oauth_debug.cli.gallery_session import progress_display
    from oauth_debug.live.results import Job

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80)
    with progress_display(True, console) as update:
        for status in ("Queued", "Running"):
            update(Job.from_json({"id": "j1", "status": status, "disposition": "None"}), 1.0)
    assert "job j1: Queued" in screen.getvalue()
    assert "job j1: Running" in screen.getvalue()
    with progress_display(False, console) as quiet:
        quiet(Job.from_json({"id": "j2", "status": "Queued"}), 0.0)
    assert "j2" not in screen.getvalue()


def test_every_failure_is_json_for_scripts_and_exits_1(
    gallery: tuple[Any, dict[str, str]],
) -> None:
    missing = invoke(gallery[1], "job", "no-such-job", "--format", "json")
    assert missing.exit_code == 1  # the server answered: a problem found, not bad input
    document = json.loads(missing.stdout)
    assert document["kind"] == "ServerError" and document["status"] == 404
    assert "No job with id" in document["server"]["message"]
    unreachable = invoke(
        {**gallery[1], "ALTERYX_GALLERY_URL": "http://127.0.0.1:9/gallery"},
        "workflows",
        "-f",
        "json",
    )
    assert unreachable.exit_code == 1
    assert json.loads(unreachable.stdout)["kind"] == "ConnectionFailed"


def test_ids_in_tables_are_never_broken_over_two_lines(
    gallery: tuple[Any, dict[str, str]],
) -> None:
    # At 80 columns (a pipe, a small terminal) an id must still be copyable in one piece.
    narrow = {**gallery[1], "COLUMNS": "80"}
    listed = invoke(narrow, "workflows")
    assert SALES in listed.stdout
    run = invoke(narrow, "run", SALES, *ANSWERS, "--wait")
    job_id = json.loads(invoke(gallery[1], "jobs", SALES, "-f", "json").stdout)[0]["id"]
    assert job_id in run.stdout


def test_oauth2_and_priority_from_the_command_line() -> None:
    with sandbox(oauth1_enabled=False) as (served, env):
        listed = invoke(env, "workflows", "--auth", "oauth2", "-f", "json")
        assert listed.exit_code == 0, listed.stderr
        assert len(json.loads(listed.stdout)) == 3
        run = invoke(
            env, "run", SALES, *ANSWERS, "--priority", "high", "--auth", "oauth2", "-f", "json"
        )
        assert run.exit_code == 0, run.stderr
        job = json.loads(run.stdout)
        assert served.state.jobs.get(job["id"]) is not None
        assert str(job["priority"]) == "2"  # high: "0".."3" for low..critical
