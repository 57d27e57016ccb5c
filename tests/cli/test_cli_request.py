"""`oauth-debug request METHOD URL`: sign and send anything, curl-like, against the sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from oauth_debug.cli.app import app
from oauth_debug.sandbox import DEMO_API_KEY, DEMO_API_SECRET, create_app, serve_in_background

SALES = "5c2d9a1e0b7f4a0001a1b2c1"
KEYS = {"OAUTH_CONSUMER_KEY": DEMO_API_KEY, "OAUTH_CONSUMER_SECRET": DEMO_API_SECRET}


@pytest.fixture
def sandbox() -> Iterator[tuple[Any, str]]:
    served = create_app()
    with serve_in_background(served) as server:
        yield served, server.base_url + "/api/v1"


def request(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner(env=env or KEYS).invoke(app, ["request", *args])


@pytest.mark.parametrize("placement", ["header", "query"])
def test_get_is_signed_and_the_body_printed(sandbox: tuple[Any, str], placement: str) -> None:
    url = f"{sandbox[1]}/workflows/subscription/?limit=2"
    result = request("GET", url, "--placement", placement, "-i")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("HTTP 200")
    assert len(json.loads(result.stdout.split("\n\n", 1)[1])) == 2


def test_post_with_json_data_runs_exactly_one_job(sandbox: tuple[Any, str]) -> None:
    body = {"questions": [{"name": "text", "value": "to be or not to be"}]}
    result = request(
        "POST",
        f"{sandbox[1]}/workflows/5c2d9a1e0b7f4a0001a1b2c3/jobs/",
        "-H",
        "Content-Type: application/json",
        "--data",
        json.dumps(body),
        "--trace",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "Queued"
    assert len(sandbox[0].state.jobs.all()) == 1
    assert "oauth_body_hash" in result.stderr  # the trace shows the JSON body's hash


def test_a_401_is_diagnosed_on_what_was_sent(sandbox: tuple[Any, str]) -> None:
    env = {**KEYS, "OAUTH_CONSUMER_SECRET": "the-wrong-one"}
    result = request("GET", f"{sandbox[1]}/workflows/subscription/", env=env)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["exceptionName"] == "UnauthorizedException"
    # The diagnosis of what went out: right for the secret given, so the server's secret differs.
    assert "the signature is correct for this request, but the server will still" in " ".join(
        result.stderr.split()
    )
    assert "the-wrong-one" not in result.output + result.stderr


def test_missing_consumer_key_is_a_one_line_error(sandbox: tuple[Any, str]) -> None:
    result = request("GET", f"{sandbox[1]}/workflows/subscription/", env={"X": "1"})
    assert result.exit_code == 2 and "--consumer-key" in result.stderr


def test_unreachable_server_is_a_one_line_error() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = request("GET", f"http://127.0.0.1:{port}/x", "--timeout", "2")
    assert result.exit_code == 1 and result.stderr.startswith("error: GET http://127.0.0.1")
