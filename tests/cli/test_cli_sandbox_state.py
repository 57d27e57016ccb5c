"""`oauth-debug sandbox --state FILE`: the banner names where the state lives, and a job created
before a restart is still there after it; without --state the banner says it is in memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from requests_oauthlib import OAuth1

from oauth_debug.sandbox import DEMO_API_KEY, DEMO_API_SECRET, IN_MEMORY

TIMEOUT = 20
WORDS = "5c2d9a1e0b7f4a0001a1b2c3"
AUTH = OAuth1(DEMO_API_KEY, DEMO_API_SECRET)


@contextmanager
def sandbox(*options: str) -> Iterator[tuple[str, list[str]]]:
    """The sandbox on a free port; its base URL and banner."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALTERYX_", "OAUTH_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "oauth_debug", "sandbox", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        banner: list[str] = []
        while not banner or not banner[-1].startswith("Press Ctrl-C"):
            line = process.stdout.readline()
            assert line, f"the sandbox stopped early: {banner}"
            banner.append(line.rstrip("\n"))
        base = banner[0].split(" at ", 1)[1]
        yield base, banner
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate(timeout=TIMEOUT)


def test_a_job_outlives_the_sandbox_process_with_a_state_file(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.sqlite"
    with sandbox("--state", str(state)) as (base, banner):
        assert f"  State:        {state} (SQLite)" in banner
        run = requests.post(
            f"{base}/api/v1/workflows/{WORDS}/jobs/",
            json={"questions": [{"name": "text", "value": "kept"}]},
            auth=AUTH,
            timeout=TIMEOUT,
        )
        assert run.status_code == 200
        job_id = run.json()["id"]
    with sandbox("--state", str(state)) as (base, _):
        again = requests.get(f"{base}/api/v1/jobs/{job_id}/", auth=AUTH, timeout=TIMEOUT)
        assert again.status_code == 200 and again.json()["id"] == job_id


def test_without_a_state_file_the_banner_says_the_state_is_in_memory() -> None:
    with sandbox() as (_, banner):
        assert f"  State:        {IN_MEMORY}" in banner
