"""A failed answer is diagnosed as a signature problem only when it is an OAuth refusal.

The servers here are real loopback ``http.server`` instances that answer whatever status and body a
path asks for: a 404 page, a 500, a 400 with oauth_problem, a 403 in Twitter's shape.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from oauth_debug.cli.app import app
from oauth_debug.diagnosis.response import read_response
from oauth_debug.live.answer import classify, elide_signature, excerpt
from oauth_debug.live.response import ServerResponse

KEYS = {"OAUTH_CONSUMER_KEY": "ck", "OAUTH_CONSUMER_SECRET": "cs"}

# path -> (status, content type, body)
ANSWERS: dict[str, tuple[int, str, bytes]] = {
    "/broken": (500, "text/plain", b"Traceback [/red] boom [bold]x[/bold]\n  in handler"),
    "/conflict": (409, "text/plain", b"already there [/oops]"),
    "/problem": (400, "application/x-www-form-urlencoded", b"oauth_problem=signature_invalid"),
    "/bad": (400, "text/plain", b"the field 'q' is required"),
    "/twitter": (
        403,
        "application/json",
        json.dumps({"errors": [{"code": 32, "message": "Could not authenticate you."}]}).encode(),
    ),
    "/forbidden": (403, "text/html", b"<html><h1>Forbidden</h1> outside office hours</html>"),
    "/gallery/api/v1/workflows/subscription/": (500, "text/html", b"<h1>Internal error</h1>"),
}


class Answering(BaseHTTPRequestHandler):
    """Answers the paths in ANSWERS as listed; any other path gets http.server's own 404 page."""

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path not in ANSWERS:
            self.send_error(404, "File not found")
            return
        status, kind, body = ANSWERS[path]
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answering)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def request(*args: str) -> Any:
    return CliRunner(env=KEYS).invoke(app, ["request", *args])


def flat(text: str) -> str:
    return " ".join(text.split())


SIGNATURE_CLAIMS = ("VALID", "signature is correct", "another secret", "2022.1")


def test_a_404_says_not_found_with_the_url_and_nothing_about_the_signature(server: str) -> None:
    url = f"{server}/nothing-here?q=1"
    result = request("GET", url)
    assert result.exit_code == 1
    err = flat(result.stderr)
    assert f"not found (HTTP 404 Not Found): the server has nothing at {url}" in err
    for claim in SIGNATURE_CLAIMS:
        assert claim not in err


def test_a_500_says_the_server_failed_with_the_body_start_printed_literally(server: str) -> None:
    result = request("GET", f"{server}/broken")
    assert result.exit_code == 1
    err = flat(result.stderr)
    assert "the server failed (HTTP 500 Internal Server Error)" in err
    # The body's start, on one line, markup and all (rich would eat "[bold]" or raise on "[/red]").
    assert "Traceback [/red] boom [bold]x[/bold] in handler" in err
    for claim in SIGNATURE_CLAIMS:
        assert claim not in err


def test_another_4xx_states_status_and_body_without_a_verdict(server: str) -> None:
    for path, said in (("/conflict", "already there [/oops]"), ("/bad", "'q' is required")):
        result = request("GET", f"{server}{path}")
        assert result.exit_code == 1
        err = flat(result.stderr)
        assert f"from {server}{path}" in err and said in err
        for claim in SIGNATURE_CLAIMS:
            assert claim not in err


def test_a_403_that_is_no_oauth_error_gets_no_diagnosis(server: str) -> None:
    err = flat(request("GET", f"{server}/forbidden").stderr)
    assert "HTTP 403 Forbidden from" in err and "outside office hours" in err
    assert "REFUSED" not in err and "VALID" not in err


@pytest.mark.parametrize("path", ["/problem", "/twitter"])
def test_a_400_or_403_with_an_oauth_error_is_diagnosed(server: str, path: str) -> None:
    err = flat(request("GET", f"{server}{path}").stderr)
    assert err.startswith("REFUSED the server refused the request (HTTP 4")
    assert "correct signature:" in err  # the diagnosis of what was sent follows


def test_the_gallery_commands_apply_the_same_rule(server: str) -> None:
    env = {
        "ALTERYX_GALLERY_URL": f"{server}/gallery",
        "ALTERYX_API_KEY": "k",
        "ALTERYX_API_SECRET": "s",
    }
    failed = CliRunner(env=env).invoke(app, ["gallery", "workflows"])
    assert failed.exit_code == 1
    err = flat(failed.stderr)
    assert "the server failed (HTTP 500) on GET" in err and "<h1>Internal error</h1>" in err
    assert "VALID" not in err and "REFUSED" not in err
    as_json = CliRunner(env=env).invoke(app, ["gallery", "workflows", "-f", "json"])
    document = json.loads(as_json.stdout)
    assert document["answer"] == "server-failure" and "diagnosis" not in document
    missing = CliRunner(env={**env, "ALTERYX_GALLERY_URL": f"{server}/nowhere"}).invoke(
        app, ["gallery", "jobs", "APP"]
    )
    assert missing.exit_code == 1
    assert "/nowhere/api/v1/workflows/APP/jobs/: not found (HTTP 404)" in flat(missing.stderr)
    assert "VALID" not in missing.stderr


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_refused_connection_is_one_line_naming_host_and_port() -> None:
    port = closed_port()
    env = {
        **KEYS,
        "ALTERYX_GALLERY_URL": f"http://127.0.0.1:{port}/gallery",
        "ALTERYX_API_KEY": "k",
        "ALTERYX_API_SECRET": "s",
    }
    for command in (["request", "GET", f"http://127.0.0.1:{port}/x"], ["gallery", "workflows"]):
        result = CliRunner(env=env).invoke(app, command)
        assert result.exit_code == 1
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, result.stderr
        assert f"127.0.0.1:{port}: connection refused" in lines[0]
        assert "HTTPConnectionPool" not in lines[0] and "Max retries" not in lines[0]


# -- the rule itself --------------------------------------------------------------------------


def answer(status: int, body: str, *headers: tuple[str, str]) -> ServerResponse:
    return ServerResponse(status, tuple(headers), body.encode())


def test_the_oauth_shapes_that_make_a_400_or_403_a_refusal() -> None:
    refusals = [
        answer(400, "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_nonce"),
        answer(403, "", ("WWW-Authenticate", 'OAuth realm="x", oauth_problem="nonce_used"')),
        answer(403, '{"errors": [{"code": 215, "message": "Bad Authentication data."}]}'),
        answer(400, '{"exceptionName": "UnauthorizedException", "message": "no"}'),
        answer(400, "expected GET&http%3A%2F%2Fh%2Fp&oauth_nonce%3D1"),
    ]
    for refused in refusals:
        assert classify(refused).kind == "oauth-refusal", refused
    others = [
        answer(400, '{"errors": [{"code": 34, "message": "Sorry, that page does not exist"}]}'),
        answer(403, '{"exceptionName": "ForbiddenException", "message": "not yours"}'),
        answer(400, "q is required"),
    ]
    for other in others:
        assert classify(other).kind == "client-error", other


@given(
    status=st.integers(min_value=402, max_value=599).filter(lambda s: s != 403),
    body=st.sampled_from(
        [
            "oauth_problem=signature_invalid",
            '{"exceptionName": "UnauthorizedException"}',
            '{"errors": [{"code": 32}]}',
            "GET&http%3A%2F%2Fh%2Fp&a%3D1",
            "",
        ]
    ),
)
def test_no_status_but_401_400_and_403_is_ever_a_refusal(status: int, body: str) -> None:
    # Whatever the body says, a 404 or a 5xx says nothing about the signature.
    text = f"HTTP/1.1 {status} X\r\n\r\n{body}"
    assert read_response(text).refuses_oauth is False
    expected = (
        "not-found"
        if status in (404, 410)
        else "server-failure"
        if status >= 500
        else "client-error"
    )
    assert classify(answer(status, body)).kind == expected


def test_a_401_is_always_a_refusal() -> None:
    assert read_response("HTTP/1.1 401 Unauthorized\r\n\r\n").refuses_oauth is True


def test_the_url_shown_never_carries_the_signature() -> None:
    url = "http://h/p?a=1&oauth_signature=cs%26ts&b=2"
    assert elide_signature(url) == "http://h/p?a=1&oauth_signature=...&b=2"
    assert elide_signature("http://h/p?OAUTH_SIGNATURE=x") == "http://h/p?OAUTH_SIGNATURE=..."
    failed = classify(answer(404, ""), url=url)
    assert "cs%26ts" not in failed.headline() and "oauth_signature=..." in failed.headline()


@given(st.text(max_size=400))
def test_an_excerpt_is_one_bounded_line(text: str) -> None:
    short = excerpt(text, 50)
    assert "\n" not in short and len(short) <= 50
    assert short == " ".join(text.split()) or short.endswith("...")


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_the_reader_does_not_send_a_404_or_5xx_to_the_signature(status: int) -> None:
    (finding,) = read_response(f"HTTP/1.1 {status} X\r\n\r\n<html>page</html>").findings
    assert finding.id == "http-error"
    assert "says nothing about the signature" in finding.message
    assert "oauth-debug diagnose" not in finding.message


def test_host_port_fills_in_the_scheme_default() -> None:
    from oauth_debug.live.transport import host_port

    assert host_port("http://example.com/x") == "example.com:80"
    assert host_port("https://example.com/x") == "example.com:443"
    assert host_port("http://[::1]:8080/x") == "[::1]:8080"


def test_a_name_that_does_not_resolve_is_said_so() -> None:
    import requests

    from oauth_debug.live.transport import transport_summary

    error = requests.exceptions.ConnectionError(OSError("x"))
    error.__cause__ = socket.gaierror(-2, "Name or service not known")
    summary = transport_summary(error, "https://no-such-host.invalid/api")
    assert summary.startswith("no-such-host.invalid:443: the host name could not be resolved")
