"""`oauth-debug sandbox` as a person runs it: it prints where to go and which keys to use, serves
real requests, and stops cleanly on Ctrl-C (SIGINT)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import requests
from requests_oauthlib import OAuth1


def test_sandbox_command_serves_and_stops_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "oauth_debug", "sandbox", "--port", "0", "--job-seconds", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/gallery)", first)
        assert match, first
        lines = [process.stdout.readline() for _ in range(5)]
        assert "key demo-key  secret demo-secret" in lines[0]
        assert "not secrets" in "".join(lines)
        response = requests.get(
            f"{match.group(1)}/api/v1/workflows/subscription/",
            auth=OAuth1("demo-key", "demo-secret"),
            timeout=10,
        )
        assert response.status_code == 200 and len(response.json()) == 3
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "Stopped." in out
    assert "Traceback" not in err


def test_a_chosen_secret_is_not_printed() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "oauth_debug", "sandbox", "--port", "0", "--api-secret", "hunter2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        head = process.stdout.readline() + process.stdout.readline()
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)
    assert "hunter2" not in head + out
    assert "secret ****" in head
    assert process.returncode == 0
