"""Every command and format, with distinctive secrets: none of them is printed anywhere.

A PLAINTEXT signature is the key itself (RFC 5849 3.4.4), so signing, verifying and diagnosing
with PLAINTEXT, in every placement, is where a secret would leak first; HMAC runs beside it. The
secrets end in ``SECRET-c`` / ``SECRET-t``, text that percent-encoding leaves alone, so one
substring check finds them raw, encoded once or twice, or inside a key ``c&t``. Without
``--show-secrets`` none may appear on stdout or stderr; the count of cases is the sweep's size.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import signed_request
from typer.testing import CliRunner

from oauth_debug import Credentials, HttpRequest
from oauth_debug.cli.app import app
from oauth_debug.sandbox import SandboxConfig, create_app, serve_in_background

CONSUMER_SECRET = "Zq9#SECRET-c"
TOKEN_SECRET = "Tk7%SECRET-t"
WRONG_SECRET = "Wr0ng#SECRET-w"
MARKERS = ("SECRET-c", "SECRET-t", "SECRET-w")
SECRETS = ["--consumer-secret", CONSUMER_SECRET, "--token-secret", TOKEN_SECRET]
KEYS = ["--consumer-key", "ck-sweep", "--token", "tk-sweep"]
FORMATS = ["text", "json", "markdown"]
METHODS = ["PLAINTEXT", "HMAC-SHA1"]
PLACEMENTS = ["header", "query", "body"]
URL = "https://api.example.com/v1/items?q=blue%20shoes"
FORM = "application/x-www-form-urlencoded"
NOW = 1_700_000_000

runner = CliRunner()


def leaks(*texts: str) -> list[str]:
    return [marker for marker in MARKERS for text in texts if marker in text]


def invoke(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, args, env=env)
    return result.exit_code, result.stdout + result.stderr


def signed(method: str, placement: str, secret: str = CONSUMER_SECRET) -> HttpRequest:
    request = HttpRequest("POST", URL, {"Content-Type": FORM}, "a=1&b=two+words")
    credentials = Credentials("ck-sweep", secret, token="tk-sweep", token_secret=TOKEN_SECRET)
    return signed_request(
        request, credentials, timestamp=NOW, nonce="sweep", signature_method=method,
        placement=placement,
    )  # fmt: skip


def as_options(request: HttpRequest) -> list[str]:
    """The request as --url, -H and --data options of verify and diagnose."""
    options = ["--method", request.method, "--url", request.url]
    for name, value in request.headers:
        options += ["-H", f"{name}: {value}"]
    if request.body is not None:
        options += ["--data", request.body.decode()]
    return options


def as_curl(request: HttpRequest) -> list[str]:
    import shlex

    words = ["curl", "-X", request.method, request.url]
    for name, value in request.headers:
        words += ["-H", f"{name}: {value}"]
    if request.body is not None:
        words += ["--data-raw", request.body.decode()]
    return ["--curl", shlex.join(words)]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("placement", PLACEMENTS)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("command", ["sign", "explain"])
def test_signing_commands_print_no_secret(
    command: str, method: str, placement: str, fmt: str
) -> None:
    code, out = invoke([
        command, "POST", URL, *KEYS, *SECRETS, "--signature-method", method,
        "--placement", placement, "--data", "a=1&b=two+words", "--format", fmt,
        "--timestamp", str(NOW), "--nonce", "sweep",
    ])  # fmt: skip
    assert code == 0, out
    assert leaks(out) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("given", [CONSUMER_SECRET, WRONG_SECRET], ids=["right", "wrong"])
@pytest.mark.parametrize("placement", PLACEMENTS)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("command", ["verify", "diagnose"])
def test_checking_commands_print_no_secret(
    command: str, method: str, placement: str, given: str, fmt: str
) -> None:
    request = signed(method, placement)
    extra = ["--now", str(NOW)] if command == "diagnose" else []
    code, out = invoke([
        command, *as_options(request), "--consumer-secret", given, "--token-secret",
        TOKEN_SECRET, "--format", fmt, *extra,
    ])  # fmt: skip
    assert code in (0, 1), out
    assert leaks(out) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("method", METHODS)
def test_diagnose_of_a_curl_line_without_the_secret_prints_no_secret(method: str, fmt: str) -> None:
    # No secret given: the diagnosis reads the claimed signature, which for PLAINTEXT is the key.
    request = signed(method, "query")
    code, out = invoke(["diagnose", *as_curl(request), "--format", fmt, "--now", str(NOW)])
    assert code in (0, 1), out
    assert leaks(out) == []


class _Refusing(http.server.BaseHTTPRequestHandler):
    """Answers every request 401 with an OAuth problem, echoing nothing it received."""

    def do_GET(self) -> None:
        body = b"oauth_problem=signature_invalid"
        self.send_response(401)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def refusing_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("trace", [[], ["--trace"]], ids=["plain", "trace"])
@pytest.mark.parametrize("placement", ["header", "query"])
@pytest.mark.parametrize("method", METHODS)
def test_request_against_a_refusing_server_prints_no_secret(
    refusing_server: str, method: str, placement: str, trace: list[str]
) -> None:
    code, out = invoke([
        "request", "GET", f"{refusing_server}/api/items?x=1", *KEYS, *SECRETS,
        "--signature-method", method, "--placement", placement, "--include", *trace,
    ])  # fmt: skip
    assert code == 1, out
    assert "401" in out
    assert leaks(out) == []


@pytest.fixture(scope="module")
def sandbox_env() -> Iterator[dict[str, str]]:
    served = create_app(
        SandboxConfig(job_seconds=0.2, api_key="ck-sweep", api_secret=CONSUMER_SECRET)
    )
    with serve_in_background(served) as server:
        yield {"ALTERYX_GALLERY_URL": server.base_url, "ALTERYX_API_KEY": "ck-sweep"}


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("secret", [CONSUMER_SECRET, WRONG_SECRET], ids=["right", "wrong"])
@pytest.mark.parametrize("extra", [[], ["--trace"]], ids=["plain", "trace"])
def test_gallery_prints_no_secret(
    sandbox_env: dict[str, str], secret: str, fmt: str, extra: list[str]
) -> None:
    env = {**sandbox_env, "ALTERYX_API_SECRET": secret}
    code, out = invoke(["gallery", "workflows", "--format", fmt, *extra], env=env)
    assert code == (0 if secret == CONSUMER_SECRET else 1), out
    assert leaks(out) == []


def test_the_sweep_would_see_a_leak() -> None:
    # With --show-secrets the key is printed on purpose: the check finds it there.
    code, out = invoke([
        "sign", "GET", URL, *KEYS, *SECRETS, "--signature-method", "PLAINTEXT",
        "--show-secrets", "--timestamp", str(NOW), "--nonce", "sweep",
    ])  # fmt: skip
    assert code == 0
    assert "SECRET-c" in leaks(out) and "SECRET-t" in leaks(out)


# The key as a PLAINTEXT signature in a URL's query: consumer secret "&" token secret, encoded
# for the key (3.4.2) and once more for the query (3.5.3).
_SIGNATURE = "Zq9%2523SECRET-c%26Tk7%2525SECRET-t"
_PLAINTEXT_QUERY = (
    "oauth_consumer_key=ck-sweep&oauth_token=tk-sweep&oauth_signature_method=PLAINTEXT"
    f"&oauth_timestamp={NOW}&oauth_nonce=n&oauth_signature={_SIGNATURE}"
)
BROKEN_URLS = {
    "no-host": f"http:/h/p?{_PLAINTEXT_QUERY}",
    "port-out-of-range": f"http://h.example:99999/p?{_PLAINTEXT_QUERY}",
    "bad-escape": f"http://h.example/p?x=%zz&{_PLAINTEXT_QUERY}",
    "no-scheme": f"h.example/p?{_PLAINTEXT_QUERY}",
    "space-in-host": f"http://h .example/p?{_PLAINTEXT_QUERY}",
}


@pytest.mark.parametrize("url", BROKEN_URLS.values(), ids=BROKEN_URLS.keys())
@pytest.mark.parametrize("command", ["verify", "diagnose"])
def test_a_broken_signed_url_is_refused_without_echoing_the_key(command: str, url: str) -> None:
    code, out = invoke([command, "--url", url, *SECRETS])
    assert code == 2, out
    assert "Traceback" not in out
    assert leaks(out) == []


@pytest.mark.parametrize("url", BROKEN_URLS.values(), ids=BROKEN_URLS.keys())
@pytest.mark.parametrize("command", ["verify", "diagnose"])
def test_a_broken_signed_url_in_a_curl_line_is_refused_without_echoing_the_key(
    command: str, url: str
) -> None:
    code, out = invoke([command, "--curl", f"curl '{url}'", *SECRETS])
    # curl itself puts http:// before a URL without a scheme, so some of these are read.
    assert code in (0, 1, 2) and "Traceback" not in out, out
    assert leaks(out) == []
