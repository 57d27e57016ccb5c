"""The Gallery client end to end over real loopback HTTP against the sandbox.

Time is a settable clock shared by the sandbox (jobs, timestamp window, Date) and the client
(signing, polling): ``sleep`` advances it, so nothing here waits for real. Faults are injected
with WSGI middleware and a tiny TCP proxy, all on 127.0.0.1, all bounded.
"""

from __future__ import annotations

import os
import socket
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from oauth_debug import InvalidOptionError, InvalidURLError
from oauth_debug.live import (
    Backoff,
    ConnectionFailed,
    DownloadFailed,
    GalleryAuthError,
    GalleryClient,
    JobWaitTimeout,
    RetryPolicy,
    ServerError,
    SubmissionUncertain,
    TokenError,
)
from oauth_debug.live.download import write_atomically
from oauth_debug.live.oauth2 import AccessToken
from oauth_debug.live.results import Job, Workflow
from oauth_debug.model import Secret
from oauth_debug.sandbox import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    SandboxConfig,
    create_app,
    serve_in_background,
)

SALES = "5c2d9a1e0b7f4a0001a1b2c1"
SALES_ANSWERS = {"region": "N", "start": "2024-01-01", "end": "2024-01-31"}
START = 1_700_000_000.0


class FakeClock:
    """Epoch seconds that only move when told to (also the client's sleep and monotonic)."""

    def __init__(self, now: float = START) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_client(url: str, clock: FakeClock, **options: Any) -> GalleryClient:
    options.setdefault("timeout", (2.0, 5.0))
    return GalleryClient(
        url,
        options.pop("api_key", DEMO_API_KEY),
        options.pop("api_secret", DEMO_API_SECRET),
        clock=options.pop("client_clock", clock),
        sleep=clock.sleep,
        monotonic=clock,
        **options,
    )


@contextmanager
def sandbox(clock: FakeClock, wrap: Callable[[Any], Any] | None = None, **config: Any) -> Any:
    app = create_app(SandboxConfig(clock=clock, job_seconds=4.0, **config))
    with serve_in_background(wrap(app) if wrap else app) as server:
        yield app, server


@pytest.fixture
def served(clock: FakeClock) -> Iterator[tuple[Any, Any]]:
    with sandbox(clock) as pair:
        yield pair


@pytest.fixture
def client(served: tuple[Any, Any], clock: FakeClock) -> Iterator[GalleryClient]:
    with make_client(served[1].base_url, clock) as gallery:
        yield gallery


# -- every call ----------------------------------------------------------------------------------


def test_workflows_lists_the_sandbox_workflows_with_search_and_limit(client: GalleryClient) -> None:
    names = [w.name for w in client.workflows()]
    assert names == ["Regional Sales", "Loan Schedule", "Word Frequency"]
    assert [w.name for w in client.workflows(search="loan")] == ["Loan Schedule"]
    assert len(client.workflows(limit=2)) == 2
    first = client.workflows()[0]
    assert first.id == SALES and first.raw["id"] == SALES and first.file_name.endswith(".yxwz")


def test_questions_carry_types_and_list_items(client: GalleryClient) -> None:
    questions = {q.name: q for q in client.questions(SALES)}
    assert questions["region"].type == "QuestionListBox"
    assert ("North", "N") in [(i.key, i.value) for i in questions["region"].items]
    assert questions["start"].type == "QuestionDate"


def test_run_wait_download_and_list_jobs(
    client: GalleryClient, served: tuple[Any, Any], clock: FakeClock, tmp_path: Path
) -> None:
    app = served[0]
    job = client.run_job(SALES, SALES_ANSWERS, priority="high")
    assert job.status == "Queued" and job.priority == "2"
    seen: list[str] = []
    done = client.wait_for_job(job.id, on_progress=lambda j, elapsed: seen.append(j.status))
    assert done.succeeded and seen[0] == "Queued" and seen[-1] == "Completed"
    assert "Running" in seen
    assert clock.sleeps[:3] == [0.5, 0.75, 1.125]  # the default backoff, on the fake clock
    output = done.outputs[0]
    path = client.download_output(done.id, output.id, tmp_path)
    stored = app.state.jobs.get(done.id).result.outputs[0]
    assert path == tmp_path / stored.name and path.read_bytes() == stored.data
    assert [j.id for j in client.jobs(SALES)] == [done.id]
    assert client.job(done.id).disposition == "Success"
    package = client.download_package(SALES, tmp_path / "sales.yxzp")
    assert zipfile.is_zipfile(package)


def test_the_json_run_request_carries_no_body_hash(client: GalleryClient) -> None:
    client.run_job(SALES, SALES_ANSWERS)
    trace = client.oauth1.last_trace
    assert trace is not None and trace.request.method == "POST"
    names = [name for name, _ in trace.oauth_parameters]
    assert "oauth_body_hash" not in names
    assert "oauth_signature" in names


def test_a_bad_answer_completes_with_error_messages(client: GalleryClient) -> None:
    job = client.run_job(SALES, {"region": "N", "start": "yesterday", "end": "2024-01-31"})
    done = client.wait_for_job(job.id)
    assert done.done and not done.succeeded and done.disposition == "Error"
    assert any("start" in m.text for m in done.errors)


def test_wait_gives_up_at_the_deadline_with_the_last_state(client: GalleryClient) -> None:
    job = client.run_job(SALES, SALES_ANSWERS)
    with pytest.raises(JobWaitTimeout) as caught:
        client.wait_for_job(job.id, deadline=1.0, poll=Backoff(0.4, 1.0, 0.4))
    assert caught.value.job.status == "Queued" and 1.0 <= caught.value.waited < 1.5


# -- a 401 carries everything a diagnosis needs --------------------------------------------------


def test_wrong_secret_raises_with_request_trace_and_answer(
    served: tuple[Any, Any], clock: FakeClock
) -> None:
    gallery = make_client(served[1].base_url, clock, api_secret="not-the-secret")
    with gallery, pytest.raises(GalleryAuthError) as caught:
        gallery.workflows()
    error = caught.value
    assert error.status == 401 and error.response.json()["exceptionName"] == "UnauthorizedException"
    assert error.request is not None and error.trace is not None
    sent = error.request.header("Authorization") or ""
    assert sent.startswith("OAuth") and error.trace.transport_signature in sent
    assert error.skew is None
    assert "not-the-secret" not in str(error) and "not-the-secret" not in repr(error.trace)


# -- clock skew ----------------------------------------------------------------------------------


def test_skew_beyond_the_window_is_named(served: tuple[Any, Any], clock: FakeClock) -> None:
    ahead = FakeClock(START + 3600)
    gallery = make_client(served[1].base_url, clock, client_clock=ahead)
    with gallery, pytest.raises(GalleryAuthError) as caught:
        gallery.workflows()
    assert caught.value.skew is not None and caught.value.skew.offset == -3600
    assert "ahead of the server" in str(caught.value) and "--adjust-clock" in str(caught.value)


def test_adjust_clock_signs_with_the_server_time(served: tuple[Any, Any], clock: FakeClock) -> None:
    behind = FakeClock(START - 7200)
    notices: list[str] = []
    with make_client(
        served[1].base_url, clock, client_clock=behind, adjust_clock=True, on_notice=notices.append
    ) as gallery:
        assert len(gallery.workflows()) == 3
        assert gallery.clock.offset == 7200
        assert len(gallery.questions(SALES)) == 3  # no second refusal
    assert served[0].state.refusals == {"timestamp": 1}
    assert any("clock adjusted by +7200 s" in n for n in notices)


# -- retries -------------------------------------------------------------------------------------


class FailFirst:
    """WSGI middleware: answer ``status`` to the first ``count`` requests of ``method``."""

    def __init__(self, app: Any, method: str, count: int, status: str = "503 Service Unavailable"):
        self.app, self.method, self.count, self.status = app, method, count, status
        self.authorizations: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] == self.method:
            self.authorizations.append(environ.get("HTTP_AUTHORIZATION", ""))
            if self.count > 0:
                self.count -= 1
                start_response(self.status, [("Content-Type", "text/plain")])
                return [b"gateway says no"]
        return self.app(environ, start_response)  # type: ignore[no-any-return]


def test_get_is_retried_on_503_with_a_fresh_signature(clock: FakeClock) -> None:
    middleware: list[FailFirst] = []

    def wrap(app: Any) -> FailFirst:
        middleware.append(FailFirst(app, "GET", 2))
        return middleware[0]

    with sandbox(clock, wrap) as (_, server), make_client(server.base_url, clock) as gallery:
        assert len(gallery.workflows()) == 3
    seen = middleware[0].authorizations
    assert len(seen) == 3 and len(set(seen)) == 3  # three attempts, three signatures
    assert clock.sleeps == [0.5, 1.0]


def test_get_retries_are_bounded(clock: FakeClock) -> None:
    with sandbox(clock, lambda app: FailFirst(app, "GET", 99)) as (_, server):
        gallery = make_client(server.base_url, clock, retry=RetryPolicy(attempts=2))
        with gallery, pytest.raises(ServerError) as caught:
            gallery.workflows()
    assert caught.value.status == 503 and clock.sleeps == [0.5]


def test_job_post_is_not_retried_on_a_gateway_error(clock: FakeClock) -> None:
    with sandbox(clock, lambda app: FailFirst(app, "POST", 1)) as (app, server):
        with make_client(server.base_url, clock) as gallery, pytest.raises(ServerError):
            gallery.run_job(SALES, SALES_ANSWERS)
        assert app.state.jobs.all() == [] and clock.sleeps == []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_refused_connection_before_the_post_is_retried_once_and_runs_one_job(
    clock: FakeClock,
) -> None:
    """Nothing listens at first (connection refused: the POST never left); the backoff's sleep
    starts the sandbox on that very port, so the retry reaches it."""
    port = free_port()
    app = create_app(SandboxConfig(clock=clock, job_seconds=4.0))
    with ExitStack() as stack:

        def start_server(seconds: float) -> None:
            clock.sleep(seconds)
            stack.enter_context(serve_in_background(app, port=port))

        gallery = GalleryClient(
            f"http://127.0.0.1:{port}/gallery",
            DEMO_API_KEY,
            DEMO_API_SECRET,
            clock=clock,
            sleep=start_server,
            timeout=(2.0, 5.0),
        )
        job = gallery.run_job(SALES, SALES_ANSWERS)
        gallery.close()
    assert [j.id for j in app.state.jobs.all()] == [job.id]
    assert clock.sleeps == [0.5]


class DroppingProxy:
    """A TCP proxy that reads one whole request, then either forwards it (and throws the answer
    away) or not, and closes the client's connection without a byte of answer."""

    def __init__(self, target_port: int, forward: bool, expect: int) -> None:
        self.target_port, self.forward, self.expect = target_port, forward, expect
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(5.0)
        self.port = self.listener.getsockname()[1]
        self.requests = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        for _ in range(self.expect):  # bounded: exactly the connections the test expects
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(5.0)
                request = self._read_request(connection)
                self.requests += 1
                if self.forward:
                    with socket.create_connection(("127.0.0.1", self.target_port), 5.0) as up:
                        up.sendall(request)
                        up.shutdown(socket.SHUT_WR)  # no more requests: the server closes
                        while up.recv(65536):
                            pass

    @staticmethod
    def _read_request(connection: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        while len(body) < length:
            body += connection.recv(65536)
        return head + b"\r\n\r\n" + body

    def close(self) -> None:
        self.listener.close()
        self.thread.join(5.0)


@pytest.mark.parametrize("forward", [True, False], ids=["reached-server", "lost-before-server"])
def test_post_dropped_after_sending_is_not_retried(clock: FakeClock, forward: bool) -> None:
    with sandbox(clock) as (app, server):
        proxy = DroppingProxy(server.port, forward, expect=1)
        try:
            gallery = make_client(f"http://127.0.0.1:{proxy.port}/gallery", clock)
            with pytest.raises(SubmissionUncertain) as caught:
                gallery.run_job(SALES, SALES_ANSWERS)
            gallery.close()
        finally:
            proxy.close()
        assert proxy.requests == 1 and clock.sleeps == []
        assert len(app.state.jobs.all()) == (1 if forward else 0)
    assert f"gallery jobs {SALES}" in str(caught.value)


def test_get_dropped_after_sending_is_retried_then_reported(clock: FakeClock) -> None:
    with sandbox(clock) as (_, server):
        proxy = DroppingProxy(server.port, forward=True, expect=3)
        try:
            gallery = make_client(f"http://127.0.0.1:{proxy.port}/gallery", clock)
            with pytest.raises(ConnectionFailed) as caught:
                gallery.workflows()
            gallery.close()
        finally:
            proxy.close()
    assert proxy.requests == 3 and caught.value.attempts == 3 and caught.value.maybe_sent


# -- atomic downloads ----------------------------------------------------------------------------


class TruncateOutputs:
    """WSGI middleware: announce the whole output file, send half of it, close."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        body = b"".join(self.app(environ, start_response))
        if "/output/" in environ["PATH_INFO"]:
            return [body[: len(body) // 2]]
        return [body]


def test_a_download_cut_mid_stream_leaves_no_file(clock: FakeClock, tmp_path: Path) -> None:
    with (
        sandbox(clock, TruncateOutputs) as (_, server),
        make_client(server.base_url, clock) as gallery,
    ):
        done = gallery.wait_for_job(gallery.run_job(SALES, SALES_ANSWERS).id)
        target = tmp_path / "sales.csv"
        with pytest.raises(DownloadFailed):
            gallery.download_output(done.id, done.outputs[0].id, target)
    assert list(tmp_path.iterdir()) == []


def test_write_atomically_keeps_the_old_file_when_the_stream_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"previous")

    def chunks() -> Iterator[bytes]:
        yield b"new data"
        raise ConnectionResetError("peer went away")

    with pytest.raises(ConnectionResetError):
        write_atomically(chunks(), target)
    assert target.read_bytes() == b"previous" and list(tmp_path.iterdir()) == [target]
    assert write_atomically(iter([b"ab", b"c"]), target, expected_size=3) == 3
    assert target.read_bytes() == b"abc"


# -- OAuth 2 and auto ----------------------------------------------------------------------------

# The sandbox's OAuth 2 client credentials default to its API key and secret, as on a Server.
OAUTH2_ONLY = {"oauth1_enabled": False}


def test_oauth2_fetches_renews_and_retries_a_refused_token(clock: FakeClock) -> None:
    with (
        sandbox(clock, **OAUTH2_ONLY) as (_, server),
        make_client(server.base_url, clock, auth="oauth2") as gallery,
    ):
        assert len(gallery.workflows()) == 3
        assert len(gallery.questions(SALES)) == 3
        assert gallery.tokens.fetches == 1
        clock.now += 3600 - 30  # within the renewal margin of the hour-long token
        gallery.workflows()
        assert gallery.tokens.fetches == 2
        gallery.tokens._token = AccessToken(Secret("revoked"), clock.now + 3600)
        assert len(gallery.jobs(SALES)) == 0
        assert gallery.tokens.fetches == 3


def test_an_oauth2_error_carries_the_request_without_the_bearer_token(clock: FakeClock) -> None:
    tokens = {"token_source": lambda: "live-token-1", **OAUTH2_ONLY}
    with (
        sandbox(clock, **tokens) as (_, server),
        make_client(server.base_url, clock, auth="oauth2") as gallery,
        pytest.raises(ServerError) as caught,
    ):
        gallery.job("000000000000000000000000")
    assert caught.value.status == 404 and caught.value.request is not None
    assert caught.value.request.header("Authorization") == "Bearer ****"
    assert "live-token-1" not in repr(caught.value.request)


def test_auto_moves_to_oauth2_when_oauth1_is_gone(clock: FakeClock) -> None:
    notices: list[str] = []
    with sandbox(clock, **OAUTH2_ONLY) as (app, server):
        with make_client(server.base_url, clock, auth="auto", on_notice=notices.append) as gallery:
            job = gallery.run_job(SALES, SALES_ANSWERS)
            assert gallery.auth_mode == "oauth2"
        assert [j.id for j in app.state.jobs.all()] == [job.id]
    assert len(notices) == 1 and "OAuth 2 client credentials" in notices[0]


def test_auto_keeps_oauth1_when_offered(served: tuple[Any, Any], clock: FakeClock) -> None:
    notices: list[str] = []
    with make_client(served[1].base_url, clock, auth="auto", on_notice=notices.append) as gallery:
        gallery.workflows()
        assert gallery.auth_mode == "oauth1"
    assert notices == [f"auth auto: using OAuth 1 (HMAC-SHA1) under {served[1].base_url}/api/v1/"]


# -- what a server may send that must not escape as anything but an OAuthDebugError ---------------


def test_odd_numbers_in_the_json_read_as_zero_and_stay_in_raw() -> None:
    workflow = Workflow.from_json({"id": "w", "runCount": "many"})
    job = Job.from_json({"id": "j", "messages": [{"status": "3", "toolId": None, "text": "t"}]})
    odd = Job.from_json({"id": "j", "messages": [{"status": 1e400, "toolId": [1]}]})
    assert workflow.run_count == 0 and workflow.raw["runCount"] == "many"
    assert (job.messages[0].status, job.messages[0].tool_id) == (3, 0) and job.errors
    assert (odd.messages[0].status, odd.messages[0].tool_id) == (0, 0)


class TokenEndpoint:
    """A WSGI token endpoint answering ``answer`` (status, extra headers, JSON body); it records
    every request body it receives."""

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body
        self.received: list[bytes] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        self.received.append(environ["wsgi.input"].read(length))
        start_response(self.status, [("Content-Type", "application/json"), *self.headers])
        return [self.body]


def test_a_token_without_a_usable_expires_in_lasts_the_documented_hour(clock: FakeClock) -> None:
    endpoint = TokenEndpoint("200 OK", [], b'{"access_token": "t1", "expires_in": "soon"}')
    with serve_in_background(endpoint) as server:
        gallery = make_client(f"{server.url}/gallery", clock, auth="oauth2")
        with gallery:
            token = gallery.tokens.token()
    assert token.value.reveal() == "t1" and token.expires_at == clock.now + 3600


def test_the_token_request_does_not_follow_a_redirect_with_the_secret(clock: FakeClock) -> None:
    elsewhere = TokenEndpoint("200 OK", [], b'{"access_token": "stolen"}')
    with serve_in_background(elsewhere) as other:
        redirect = TokenEndpoint("307 Temporary Redirect", [("Location", f"{other.url}/t")], b"{}")
        with serve_in_background(redirect) as server:
            gallery = make_client(f"{server.url}/gallery", clock, auth="oauth2")
            with gallery, pytest.raises(TokenError) as caught:
                gallery.tokens.token()
    assert b"client_secret=" in redirect.received[0] and elsewhere.received == []
    assert "HTTP 307" in str(caught.value)


def test_an_unwritable_destination_is_a_download_failure(
    served: tuple[Any, Any], client: GalleryClient, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"a file")
    with pytest.raises(DownloadFailed) as caught:
        client.download_package(SALES, blocker / "sales.yxzp")
    assert caught.value.destination == str(blocker / "sales.yxzp")
    assert "nothing was written" in str(caught.value) and blocker.read_bytes() == b"a file"


def test_a_download_gets_the_mode_of_any_new_file(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        target = tmp_path / "out.csv"
        write_atomically(iter([b"a,b\n"]), target, expected_size=4)
    finally:
        os.umask(previous)
    assert target.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_an_unknown_job_is_not_blamed_on_oauth1_being_gone(client: GalleryClient) -> None:
    with pytest.raises(ServerError) as raised:
        client.job("no-such-job")
    assert "No job with id 'no-such-job'" in str(raised.value)
    assert "2022.1" not in str(raised.value)  # the Gallery answered: its API is there


def test_a_bare_404_under_api_suggests_oauth2(clock: FakeClock) -> None:
    def bare_404(app: Any) -> Any:
        # A web server in front of Server 2022.1+: a plain page, no Gallery JSON.
        def middleware(environ: dict[str, Any], start_response: Any) -> list[bytes]:
            start_response("404 Not Found", [("Content-Type", "text/html")])
            return [b"<html>Not Found</html>"]

        return middleware

    with (
        sandbox(clock, wrap=bare_404) as (_, server),
        make_client(server.base_url, clock, auth="oauth1") as gallery,
        pytest.raises(ServerError) as raised,
    ):
        gallery.workflows()
    assert "Server 2022.1 or later, OAuth 1 is gone" in str(raised.value)


def test_settings_that_cannot_work_are_refused_before_any_request() -> None:
    with pytest.raises(InvalidURLError):
        GalleryClient("gallery.example.com/gallery", "k", "s")
    for timeout in (0, -1, (5, 0)):
        with pytest.raises(InvalidOptionError, match="timeout"):
            GalleryClient("https://h.example/gallery", "k", "s", timeout=timeout)


def test_a_base_url_pasted_with_api_v1_is_the_gallery_base(
    served: tuple[Any, Any], clock: FakeClock
) -> None:
    _, server = served
    with make_client(f"{server.base_url}/api/v1/", clock) as gallery:
        assert gallery.base_url == server.base_url
        assert len(gallery.workflows()) == 3
