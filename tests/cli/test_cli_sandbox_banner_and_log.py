"""What a person meets running `oauth-debug sandbox`: a hint that works when pasted, one log line
per request on stderr (never a signature), a warning when it listens beyond loopback, and the
tool's one timestamp window named in --help."""

from __future__ import annotations

import logging
import os
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
from requests_oauthlib import OAuth1
from typer.testing import CliRunner

from oauth_debug.cli.app import app
from oauth_debug.sandbox import SandboxConfig, create_app, serve_in_background
from oauth_debug.window import DEFAULT_WINDOW_SECONDS, WINDOW_ORIGIN

TIMEOUT = 20
WORDS = "5c2d9a1e0b7f4a0001a1b2c3"
# Nothing from the test runner's environment may make a pasted command work by accident.
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("ALTERYX_", "OAUTH_"))}


@contextmanager
def sandbox_process(*options: str) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """`oauth-debug sandbox --port 0 OPTIONS` running, with its banner read up to Ctrl-C."""
    process = subprocess.Popen(
        [sys.executable, "-m", "oauth_debug", "sandbox", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=CLEAN_ENV,
    )
    try:
        assert process.stdout is not None
        banner: list[str] = []
        while not banner or not banner[-1].startswith("Press Ctrl-C"):
            line = process.stdout.readline()
            assert line, f"the sandbox stopped early: {banner}"
            banner.append(line.rstrip("\n"))
        yield process, banner
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate(timeout=TIMEOUT)


def stop(process: subprocess.Popen[str]) -> str:
    """Stop the sandbox; what it wrote on stderr."""
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, err
    return err


def pasted(line: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the banner's `Try:` command as a shell would, after a paste."""
    words = shlex.split(line.split("Try:", 1)[1])
    assert words[0] == "oauth-debug", line
    return subprocess.run(
        [sys.executable, "-m", "oauth_debug", *words[1:]],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env or CLEAN_ENV,
    )


def base_url_of(banner: list[str]) -> str:
    match = re.search(r"(http://127\.0\.0\.1:\d+/gallery)", banner[0])
    assert match, banner
    return match.group(1)


def test_the_hint_works_pasted_and_each_request_is_logged_on_stderr_without_signatures() -> None:
    with sandbox_process("--job-seconds", "0", "--max-jobs", "1") as (process, banner):
        (hint,) = [line for line in banner if "Try:" in line]
        result = pasted(hint)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Word Frequency" in result.stdout  # the workflow list came back
        base = base_url_of(banner)
        in_query = OAuth1("demo-key", "demo-secret", signature_type="query")
        listed = requests.get(f"{base}/api/v1/workflows/subscription/", auth=in_query, timeout=9)
        assert listed.status_code == 200
        signature = re.search(r"oauth_signature=([^&]+)", listed.request.url or "")
        assert signature
        wrong = OAuth1("demo-key", "not-the-secret", signature_type="query")
        refused = requests.get(f"{base}/api/v1/workflows/subscription/", auth=wrong, timeout=9)
        assert refused.status_code == 401
        # --max-jobs 1: the first job is forgotten once the second is accepted.
        jobs = [
            requests.post(
                f"{base}/api/v1/workflows/{WORDS}/jobs/",
                json={"questions": [{"name": "text", "value": "a b"}]},
                auth=OAuth1("demo-key", "demo-secret"),
                timeout=9,
            ).json()["id"]
            for _ in range(2)
        ]
        first = requests.get(
            f"{base}/api/v1/jobs/{jobs[0]}/", auth=OAuth1("demo-key", "demo-secret"), timeout=9
        )
        assert first.status_code == 404
        err = stop(process)
    lines = err.splitlines()
    assert any("GET /gallery/api/v1/workflows/subscription/ 200" in line for line in lines), err
    assert any(
        "GET /gallery/api/v1/workflows/subscription/ 401 refused by the signature check" in line
        for line in lines
    ), err
    assert any(f"GET /gallery/api/v1/jobs/{jobs[0]}/ 404" in line for line in lines), err
    assert "oauth_signature" not in err and signature.group(1) not in err
    assert "demo-secret" not in err and "warning" not in err and "Traceback" not in err


def test_a_hidden_secret_is_not_in_the_hint_which_works_with_the_environment_variable() -> None:
    options = ("--api-key", "my key", "--api-secret", "hunter2")
    with sandbox_process(*options) as (process, banner):
        (index,) = [n for n, line in enumerate(banner) if "Try:" in line]
        hint = banner[index]
        assert "hunter2" not in "\n".join(banner)
        assert "ALTERYX_API_SECRET" in banner[index + 1]
        result = pasted(hint, {**CLEAN_ENV, "ALTERYX_API_SECRET": "hunter2"})
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Word Frequency" in result.stdout
        stop(process)


def test_listening_beyond_loopback_warns_that_refusals_are_explained_to_anyone() -> None:
    with sandbox_process("--host", "0.0.0.0") as (process, banner):
        (hint,) = [line for line in banner if "Try:" in line]
        assert "--base-url http://127.0.0.1:" in hint  # where this machine reaches it
        err = stop(process)
    assert "warning: listening on 0.0.0.0" in err
    assert "anyone who can reach it gets every refusal explained" in " ".join(err.split())


def test_sandbox_help_names_the_one_window_default() -> None:
    result = CliRunner().invoke(app, ["sandbox", "--help"], terminal_width=250)
    assert result.exit_code == 0
    text = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.stdout).split())
    assert WINDOW_ORIGIN in text
    assert "--max-jobs" in text and "--max-connections" in text
    assert SandboxConfig().window_seconds == DEFAULT_WINDOW_SECONDS


def test_each_request_is_one_info_line_with_the_refusing_check(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="oauth_debug.sandbox")
    sandbox = create_app(SandboxConfig())
    with serve_in_background(sandbox, host="127.0.0.1", port=0) as server:
        url = f"{server.base_url}/api/v1/workflows/subscription/?search=loan"
        plaintext = OAuth1(
            "demo-key", "demo-secret", signature_method="PLAINTEXT", signature_type="query"
        )
        assert requests.get(url, auth=plaintext, timeout=9).status_code == 401
        assert requests.get(f"{server.url}/nowhere%0Aforged", timeout=9).status_code == 404
    lines = [r.getMessage() for r in caplog.records if r.name == "oauth_debug.sandbox"]
    assert [line.split(" ", 1)[1] for line in lines if r" GET " in line] == [
        "GET /gallery/api/v1/workflows/subscription/ 401 refused by the signature-method check",
        "GET /nowhere%0Aforged 404",
    ]
    assert all(r.levelno == logging.INFO for r in caplog.records if " GET " in r.getMessage())
    assert not any("demo-secret" in line or "search=" in line for line in lines)


def test_the_sandbox_serves_the_explainer_and_lists_each_refusal_in_its_classroom() -> None:
    import json
    import urllib.error
    import urllib.request

    with sandbox_process() as (process, banner):
        root = base_url_of(banner).removesuffix("/gallery")
        assert any(f"{root}/requests" in line for line in banner), banner
        with urllib.request.urlopen(f"{root}/", timeout=TIMEOUT) as page:
            html = page.read().decode()
        assert "<textarea" in html and 'name="request"' in html and 'id="result"' in html
        # A refused Gallery call (no signature at all), then the classroom's list of it.
        try:
            urllib.request.urlopen(
                f"{root}/gallery/api/v1/workflows/subscription/", timeout=TIMEOUT
            )
        except urllib.error.HTTPError as refused:
            assert refused.code == 401
        with urllib.request.urlopen(f"{root}/api/requests", timeout=TIMEOUT) as listing:
            rows = json.loads(listing.read())
        assert [(r["method"], r["path"], r["status"]) for r in rows][:1] == [
            ("GET", "/gallery/api/v1/workflows/subscription/", 401)
        ]
        stop(process)
