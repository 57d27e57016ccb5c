"""`oauth-debug gallery ...` meets people well: bad input is refused before a job is submitted,
an interrupted wait can be picked up again, and a refusal leads with the refusal.

Against the sandbox over loopback HTTP, on real time (jobs take 0.2 s), as test_cli_gallery.py.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from oauth_debug.cli import gallery_session
from oauth_debug.cli.app import app
from oauth_debug.live.results import Job
from oauth_debug.sandbox import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    SandboxConfig,
    create_app,
    serve_in_background,
)

SALES = "5c2d9a1e0b7f4a0001a1b2c1"
ANSWERS = ["--answer", "region=S", "--answer", "start=2024-02-01", "--answer", "end=2024-02-10"]


def serve(job_seconds: float) -> Iterator[tuple[Any, dict[str, str]]]:
    served = create_app(SandboxConfig(job_seconds=job_seconds))
    with serve_in_background(served) as server:
        env = {
            "ALTERYX_GALLERY_URL": server.base_url,
            "ALTERYX_API_KEY": DEMO_API_KEY,
            "ALTERYX_API_SECRET": DEMO_API_SECRET,
        }
        yield served, env


@pytest.fixture
def gallery() -> Iterator[tuple[Any, dict[str, str]]]:
    yield from serve(0.2)


@pytest.fixture
def slow_gallery() -> Iterator[tuple[Any, dict[str, str]]]:
    # Long enough that the first poll always finds the job unfinished, even on a busy machine:
    # only then does the client sleep, where the test's Ctrl-C comes.
    yield from serve(3.0)


def invoke(env: dict[str, str], *args: str) -> Any:
    return CliRunner(env=env).invoke(app, ["gallery", *args])


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("where", ["a-file", "a-file/below-it"])
def test_an_output_dir_that_cannot_be_written_is_refused_before_the_job_is_submitted(
    gallery: tuple[Any, dict[str, str]], tmp_path: Path, where: str
) -> None:
    served, env = gallery
    (tmp_path / "a-file").write_text("not a folder")
    result = invoke(env, "run", SALES, *ANSWERS, "--output-dir", str(tmp_path / where))
    assert result.exit_code == 2, result.output
    assert "--output-dir" in result.stderr and "nothing was submitted" in result.stderr
    assert served.state.jobs.all() == []  # no job ran for outputs that had nowhere to go


def test_an_output_dir_that_does_not_exist_yet_is_created(
    gallery: tuple[Any, dict[str, str]], tmp_path: Path
) -> None:
    served, env = gallery
    target = tmp_path / "new" / "out"
    result = invoke(env, "run", SALES, *ANSWERS, "--output-dir", str(target), "-f", "json")
    assert result.exit_code == 0, result.output
    stored = served.state.jobs.all()[0].result.outputs[0]
    assert (target / stored.name).read_bytes() == stored.data


def test_output_to_a_name_with_a_trailing_slash_makes_that_folder(
    gallery: tuple[Any, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served, env = gallery
    job = json.loads(invoke(env, "run", SALES, *ANSWERS, "--wait", "-f", "json").stdout)
    stored = served.state.jobs.get(job["id"]).result.outputs[0]
    monkeypatch.chdir(tmp_path)
    result = invoke(env, "output", job["id"], job["outputs"][0]["id"], "-o", "dl/")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dl").is_dir()
    assert (tmp_path / "dl" / stored.name).read_bytes() == stored.data
    assert result.stdout.strip() == str(Path("dl") / stored.name)
    package = invoke(env, "package", SALES, "-o", "pk/")
    assert package.exit_code == 0 and Path(package.stdout.strip()).parent == Path("pk")
    assert (tmp_path / "pk").is_dir()


def test_an_answer_to_no_question_is_refused_with_the_names_it_has(
    gallery: tuple[Any, dict[str, str]],
) -> None:
    served, env = gallery
    result = invoke(env, "run", SALES, *ANSWERS, "--answer", "regoin=N")
    assert result.exit_code == 2
    err = flat(result.stderr)
    assert "--answer regoin" in err and "its questions are: region, start, end" in err
    assert served.state.jobs.all() == []


def interrupt(seconds: float) -> None:
    raise KeyboardInterrupt  # what Ctrl-C raises in the sleep between two polls


def test_ctrl_c_while_waiting_says_how_to_pick_the_job_up_and_job_wait_does(
    slow_gallery: tuple[Any, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served, env = slow_gallery
    out = tmp_path / "out"
    with monkeypatch.context() as patched:
        patched.setattr(gallery_session, "_pause", interrupt)
        stopped = invoke(env, "run", SALES, *ANSWERS, "--output-dir", str(out))
    assert stopped.exit_code == 130
    (job,) = served.state.jobs.all()
    err = flat(stopped.stderr)
    assert re.search(rf"job {job.id} was (Queued|Running) when the wait stopped", err)
    assert "it keeps running on the server" in err
    assert f"oauth-debug gallery job {job.id} --wait --output-dir {out}" in err
    # The command it names picks the job up: waits, downloads, prints as run --wait does.
    resumed = invoke(env, "job", job.id, "--wait", "--output-dir", str(out))
    assert resumed.exit_code == 0, resumed.output
    assert "Completed" in resumed.stdout and "Success" in resumed.stdout
    stored = served.state.jobs.get(job.id).result.outputs[0]
    assert (out / stored.name).read_bytes() == stored.data
    assert f"downloaded {out / stored.name}" in flat(resumed.stdout)


def test_ctrl_c_with_json_output_gives_scripts_the_job(
    slow_gallery: tuple[Any, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, env = slow_gallery
    monkeypatch.setattr(gallery_session, "_pause", interrupt)
    stopped = invoke(env, "run", SALES, *ANSWERS, "--wait", "-f", "json")
    assert stopped.exit_code == 130
    document = json.loads(stopped.stdout)
    assert document["kind"] == "Interrupted" and document["job"]["status"] in ("Queued", "Running")
    assert "oauth-debug gallery job" in document["error"]


def test_job_wait_exits_1_for_a_failed_job_like_run_wait(
    gallery: tuple[Any, dict[str, str]],
) -> None:
    _, env = gallery
    bad = ["-a", "region=N", "-a", "start=x", "-a", "end=y"]
    queued = json.loads(invoke(env, "run", SALES, *bad, "-f", "json").stdout)
    waited = invoke(env, "job", queued["id"], "--wait")
    assert waited.exit_code == 1
    assert "Error" in waited.stdout and "is not a date" in waited.stdout
    # Without --wait, job stays a look at the job as it is, exit 0 whatever its state.
    assert invoke(env, "job", queued["id"]).exit_code == 0


def test_a_wrong_secret_leads_with_the_refusal(gallery: tuple[Any, dict[str, str]]) -> None:
    env = {**gallery[1], "ALTERYX_API_SECRET": "wrong-secret-value"}
    result = invoke(env, "workflows")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    first = flat(" ".join(lines[:2]))
    assert first.startswith("REFUSED the server refused the request (HTTP 401 Unauthorized):")
    assert "The provided signature(oauth_signature) is invalid." in first
    err = flat(result.stderr)
    assert err.index("REFUSED") < err.index("Our diagnosis") < err.index("VALID")


def test_server_text_in_the_progress_display_is_printed_literally() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with gallery_session.progress_display(True, console) as update:
        update(Job.from_json({"id": "j[bold]1[/bold]", "status": "Queued [/x]"}), 1.0)
    assert "job j[bold]1[/bold]: Queued [/x]" in screen.getvalue()


def test_the_consoles_print_markup_literally() -> None:
    for console in (gallery_session.stderr_console(), gallery_session.stdout_console()):
        with console.capture() as captured:
            console.print("a [/red] b [bold]c[/bold] :smile:")
        assert captured.get() == "a [/red] b [bold]c[/bold] :smile:\n"
