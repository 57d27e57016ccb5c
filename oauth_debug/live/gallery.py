"""A client for the Alteryx Gallery Subscription API v1, signing with the pure signer.

OAuth 1 (servers up to 2021.4) under ``{base}/api/v1/``; OAuth 2 client credentials (2022.1 and
later) under ``{host}/webapi/v1/``; ``auth="auto"`` tries OAuth 1 and moves to OAuth 2 when the
server does not offer it. Every call has a timeout. GETs are retried on connection errors and
502/503/504, each attempt freshly signed; the job-run POST is retried only when the failure proves
the request never left this machine, so no job runs twice because of a retry.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit

import requests

from ..errors import InvalidOptionError
from ..model import Credentials, Secret
from ..rules import whole_number
from ..signer import Signer, random_nonce
from ..trace import SigningTrace
from ..uri import split_url
from .answer import classify, elide_signature, excerpt
from .auth import OAuth1Auth, to_http_request
from .download import write_atomically
from .errors import (
    ConnectionFailed,
    DownloadFailed,
    GalleryAuthError,
    JobWaitTimeout,
    ServerError,
    SubmissionUncertain,
    UnexpectedAnswer,
)
from .oauth2 import BearerAuth, TokenSource
from .response import ServerResponse
from .results import Job, Question, Workflow
from .retry import RETRY_STATUSES, Backoff, RetryPolicy, never_sent, retryable_error
from .skew import DEFAULT_WINDOW, AdjustableClock, ClockSkew, measure
from .transport import transport_summary

AuthMode = Literal["oauth1", "oauth2", "auto"]
AUTH_MODES = ("oauth1", "oauth2", "auto")
Answers = Mapping[str, str] | Sequence[tuple[str, str]] | Sequence[Mapping[str, str]]
ProgressCallback = Callable[[Job, float], None]

DEFAULT_TIMEOUT = (5.0, 30.0)
"""(connect, read) seconds: a dead server fails fast, a slow download still finishes."""
DEFAULT_POLL = Backoff(initial=0.5, factor=1.5, maximum=5.0)
MAX_POLLS = 10_000
DEFAULT_RETRY = RetryPolicy()
PRIORITIES = {"low": "0", "medium": "1", "high": "2", "critical": "3"}
_CHUNK = 64 * 1024
_FILENAME = re.compile(r"""filename\*?=(?:UTF-8'')?["']?([^"';]+)""", re.IGNORECASE)


def priority_value(priority: str | int | None) -> str | None:
    """ "low".."critical" or 0..3 -> the string the API takes ("0".."3", since Server 2018.3)."""
    if priority is None:
        return None
    text = str(priority).strip().lower()
    if text in PRIORITIES:
        return PRIORITIES[text]
    if text in PRIORITIES.values():
        return text
    raise InvalidOptionError(
        f"priority must be low, medium, high, critical or 0-3, got {priority!r}", option="priority"
    )


def answer_list(answers: Answers) -> list[dict[str, str]]:
    """The ``questions`` array of a run request: [{"name": ..., "value": ...}, ...]."""
    if isinstance(answers, Mapping):
        return [{"name": str(k), "value": str(v)} for k, v in answers.items()]
    result: list[dict[str, str]] = []
    for answer in answers:
        if isinstance(answer, Mapping):
            result.append({"name": str(answer["name"]), "value": str(answer["value"])})
        else:
            name, value = answer
            result.append({"name": str(name), "value": str(value)})
    return result


def _segment(value: str) -> str:
    return quote(str(value), safe="")


def _server_message(response: ServerResponse) -> str:
    body = response.json()
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return excerpt(response.text)


class GalleryClient:
    """The Subscription API v1 of an Alteryx Gallery (or of the sandbox).

    ``base_url`` is the Gallery's base address, e.g. ``https://host/gallery``. ``clock`` (epoch
    seconds), ``sleep`` and ``monotonic`` are injected so that tests neither wait nor depend on the
    machine's time. ``adjust_clock`` signs with the server's time once its Date header shows a skew.
    ``on_trace`` receives each OAuth 1 signing trace; ``on_notice`` each one-line notice (the
    authentication chosen by ``auto``, a clock skew).
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_secret: str | Secret,
        session: requests.Session | None = None,
        clock: Callable[[], float] | None = None,
        *,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        auth: AuthMode = "oauth1",
        adjust_clock: bool = False,
        retry: RetryPolicy = DEFAULT_RETRY,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        nonces: Callable[[], str] = random_nonce,
        skew_window: float = DEFAULT_WINDOW,
        placement: str = "header",
        webapi_url: str | None = None,
        on_trace: Callable[[SigningTrace], None] | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> None:
        if auth not in AUTH_MODES:
            raise InvalidOptionError(
                f"auth must be one of {', '.join(AUTH_MODES)}, got {auth!r}", option="auth"
            )
        self.base_url = _gallery_base(base_url)
        _check_timeout(timeout)
        parts = urlsplit(self.base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.webapi_url = (webapi_url or f"{self.origin}/webapi").rstrip("/")
        self.session = session or requests.Session()
        self._owns_session = session is None
        self.timeout = timeout
        self.auth_mode: Literal["oauth1", "oauth2"] | None = None if auth == "auto" else auth
        self.adjust_clock = adjust_clock
        self.retry = retry
        self.sleep = sleep
        self.monotonic = monotonic
        self.skew_window = skew_window
        self.on_trace = on_trace
        self.on_notice = on_notice
        self.clock = AdjustableClock(clock or time.time)
        self.credentials = Credentials(api_key, api_secret)
        # No oauth_body_hash on the JSON run request: the Gallery API does not sign JSON bodies,
        # and the clients known to work against it (Alteryx's own sample, requests-oauthlib)
        # send none; whether a real server would fold an unknown oauth_* parameter into its base
        # string is not documented, so we do not find out on someone's production job.
        self.oauth1 = OAuth1Auth(
            self.credentials,
            placement=placement,
            signer=Signer(self.clock, nonces),
            body_hash=False,
        )
        self.tokens = TokenSource(
            f"{self.webapi_url}/oauth2/token",
            api_key,
            self.credentials.consumer_secret,
            session=self.session,
            clock=self.clock,
            timeout=timeout,
        )
        self.bearer = BearerAuth(self.tokens)
        self.last_skew: ClockSkew | None = None
        self.notices: list[str] = []

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> GalleryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"GalleryClient({self.base_url!r}, api_key={self.credentials.consumer_key!r})"

    # -- the API -----------------------------------------------------------------------------

    def workflows(
        self, search: str | None = None, limit: int | None = None, offset: int | None = None
    ) -> list[Workflow]:
        """GET /v1/workflows/subscription/: the workflows this key may run."""
        params = {"search": search, "limit": limit, "offset": offset}
        data = self._json("GET", "workflows/subscription/", params=params)
        return [Workflow.from_json(item) for item in self._array(data)]

    def questions(self, app_id: str) -> list[Question]:
        """GET /v1/workflows/{appId}/questions/."""
        data = self._json("GET", f"workflows/{_segment(app_id)}/questions/")
        return [Question.from_json(item) for item in self._array(data)]

    def run_job(self, app_id: str, answers: Answers = (), priority: str | int | None = None) -> Job:
        """POST /v1/workflows/{appId}/jobs/: queue a job. Never re-sent once it may have arrived."""
        body: dict[str, Any] = {"questions": answer_list(answers)}
        level = priority_value(priority)
        if level is not None:
            body["priority"] = level
        data = self._json(
            "POST", f"workflows/{_segment(app_id)}/jobs/", json_body=body, app_id=app_id
        )
        return Job.from_json(self._object(data))

    def job(self, job_id: str) -> Job:
        """GET /v1/jobs/{jobId}/."""
        return Job.from_json(self._object(self._json("GET", f"jobs/{_segment(job_id)}/")))

    def jobs(self, app_id: str) -> list[Job]:
        """GET /v1/workflows/{appId}/jobs/."""
        data = self._json("GET", f"workflows/{_segment(app_id)}/jobs/")
        return [Job.from_json(item) for item in self._array(data)]

    def wait_for_job(
        self,
        job_id: str,
        deadline: float = 300.0,
        poll: Backoff = DEFAULT_POLL,
        on_progress: ProgressCallback | None = None,
    ) -> Job:
        """Poll the job until it is Completed; raise JobWaitTimeout after ``deadline`` seconds.

        The waits grow by ``poll`` and never overshoot the deadline; ``on_progress(job, elapsed)``
        is called after every poll.
        """
        start = self.monotonic()
        delays = poll.delays()
        job = self.job(job_id)
        for _ in range(MAX_POLLS):
            elapsed = self.monotonic() - start
            if on_progress is not None:
                on_progress(job, elapsed)
            if job.done:
                return job
            remaining = deadline - elapsed
            if remaining <= 0:
                break
            self.sleep(min(next(delays), remaining))
            job = self.job(job_id)
        waited = self.monotonic() - start
        raise JobWaitTimeout(
            f"job {job_id} is still {job.status} after {waited:.1f} s (deadline {deadline:g} s); "
            "it keeps running on the server: check it later with `oauth-debug gallery job "
            f"{job_id}`",
            job=job,
            waited=waited,
        )

    def download_output(
        self, job_id: str, output_id: str, destination: str | Path, format: str = "Raw"
    ) -> Path:
        """GET /v1/jobs/{jobId}/output/{outputId}/?format=...: stream the file to disk atomically.

        ``destination`` is a file, or a directory (the server's file name is used): one that
        exists, or any text ending in "/", which names a folder and is created when missing.
        """
        path = f"jobs/{_segment(job_id)}/output/{_segment(output_id)}/"
        return self._download(path, {"format": format}, destination, f"{output_id}.dat")

    def download_package(self, app_id: str, destination: str | Path) -> Path:
        """GET /v1/{appId}/package/: the workflow package (.yxzp), streamed to disk atomically."""
        return self._download(f"{_segment(app_id)}/package/", None, destination, f"{app_id}.yxzp")

    # -- plumbing ----------------------------------------------------------------------------

    def api_url(self, mode: Literal["oauth1", "oauth2"], path: str) -> str:
        root = f"{self.base_url}/api/v1" if mode == "oauth1" else f"{self.webapi_url}/v1"
        return f"{root}/{path}"

    def _download(
        self,
        path: str,
        params: Mapping[str, str] | None,
        destination: str | Path,
        fallback: str,
    ) -> Path:
        folder = _names_folder(destination)
        target = Path(destination)
        response = self._call("GET", path, params=params, stream=True)
        try:
            if folder or target.is_dir():
                target = target / self._file_name(response, fallback)
            destination = target
            length = response.headers.get("Content-Length") or ""
            expected = whole_number(length)
            try:
                write_atomically(response.iter_content(_CHUNK), destination, expected_size=expected)
            except requests.RequestException as error:
                raise DownloadFailed(
                    f"the download of {destination.name} broke off ({error}); nothing was written",
                    destination=str(destination),
                    received=0,
                ) from None
            except OSError as error:  # after RequestException, which is an OSError too
                # The disk, not the server: no space, no permission, a file where a folder is.
                raise DownloadFailed(
                    f"cannot write {destination}: {error.strerror or error}; nothing was written",
                    destination=str(destination),
                    received=0,
                ) from None
        finally:
            response.close()
        return destination

    @staticmethod
    def _file_name(response: requests.Response, fallback: str) -> str:
        match = _FILENAME.search(response.headers.get("Content-Disposition", ""))
        # Only the last path component: a server must not choose where we write.
        name = Path(match.group(1).strip()).name if match else ""
        return name if name not in ("", ".", "..") else fallback

    def _json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        app_id: str | None = None,
    ) -> Any:
        response = self._call(method, path, params=params, json_body=json_body, app_id=app_id)
        try:
            return response.json()
        except ValueError:
            raise UnexpectedAnswer(
                f"{method} {response.url} answered HTTP {response.status_code} with a body that is "
                "not JSON",
                body=response.text[:500],
            ) from None

    @staticmethod
    def _array(data: Any) -> list[Mapping[str, Any]]:
        if not isinstance(data, list):
            raise UnexpectedAnswer("expected a JSON array from the server", body=data)
        return [item for item in data if isinstance(item, Mapping)]

    @staticmethod
    def _object(data: Any) -> Mapping[str, Any]:
        if not isinstance(data, Mapping):
            raise UnexpectedAnswer("expected a JSON object from the server", body=data)
        return data

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        stream: bool = False,
        app_id: str | None = None,
    ) -> requests.Response:
        """Send with the chosen authentication; raise the typed error for any failure status."""
        query = {k: v for k, v in (params or {}).items() if v is not None}
        if self.auth_mode is None:
            response = self._exchange("oauth1", method, path, query, json_body, stream, app_id)
            if self._offers_oauth1(response):
                self._choose("oauth1", f"OAuth 1 (HMAC-SHA1) under {self.base_url}/api/v1/")
            else:
                response.close()
                self._choose(
                    "oauth2",
                    f"OAuth 2 client credentials under {self.webapi_url}/ (the server answered "
                    f"HTTP {response.status_code} to OAuth 1 under {self.base_url}/api/v1/, as "
                    "Server 2022.1 and later do)",
                )
                response = self._exchange("oauth2", method, path, query, json_body, stream, app_id)
        else:
            response = self._exchange(
                self.auth_mode, method, path, query, json_body, stream, app_id
            )
        if response.status_code >= 400:
            self._raise_for(response)
        return response

    @staticmethod
    def _offers_oauth1(response: requests.Response) -> bool:
        """Whether an OAuth 1 attempt reached an OAuth 1 API (anything but 'not here')."""
        if response.status_code in (404, 410):
            return False
        return not (response.status_code == 401 and "webapi" in response.text.lower())

    def _choose(self, mode: Literal["oauth1", "oauth2"], description: str) -> None:
        self.auth_mode = mode
        self._notify(f"auth auto: using {description}")

    def _notify(self, message: str) -> None:
        self.notices.append(message)
        if self.on_notice is not None:
            self.on_notice(message)

    def _exchange(
        self,
        mode: Literal["oauth1", "oauth2"],
        method: str,
        path: str,
        params: Mapping[str, Any],
        json_body: Any,
        stream: bool,
        app_id: str | None,
    ) -> requests.Response:
        """One call with its safe retries; returns the last response, whatever its status."""
        url = self.api_url(mode, path)
        idempotent = method.upper() in ("GET", "HEAD")
        delays = self.retry.backoff.delays()
        attempt = 0
        renewed = adjusted = False
        while True:
            attempt += 1
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params or None,
                    json=json_body,
                    auth=self.oauth1 if mode == "oauth1" else self.bearer,
                    timeout=self.timeout,
                    stream=stream,
                )
            except requests.RequestException as error:
                if attempt < self.retry.attempts and retryable_error(error, idempotent=idempotent):
                    self.sleep(next(delays))
                    continue
                raise self._transport_error(error, method, url, attempt, app_id) from None
            if mode == "oauth1" and self.on_trace is not None and self.oauth1.last_trace:
                self.on_trace(self.oauth1.last_trace)
            skew = self._observe(response)
            if response.status_code in RETRY_STATUSES and idempotent:
                if attempt < self.retry.attempts:
                    response.close()
                    self.sleep(next(delays))
                    continue
            elif response.status_code == 401:
                # A 401 means the server refused the request before acting on it: sending it
                # again (with a new token, or signed with the server's time) cannot run a job twice.
                if mode == "oauth2" and not renewed:
                    renewed = True
                    self.tokens.invalidate()
                    response.close()
                    continue
                if (
                    mode == "oauth1"
                    and self.adjust_clock
                    and not adjusted
                    and skew is not None
                    and self.clock.adjust_to(skew)
                ):
                    adjusted = True
                    self._notify(
                        f"clock adjusted by {skew.offset:+.0f} s to the server's Date header; "
                        "signing again"
                    )
                    response.close()
                    continue
            return response

    def _observe(self, response: requests.Response) -> ClockSkew | None:
        """Measure the clock skew from the Date header (and adopt it when asked to)."""
        skew = measure(response.headers.get("Date"), self.clock(), self.skew_window)
        if skew is None:
            return None
        self.last_skew = skew
        if skew.exceeds_window and response.status_code != 401:
            # The server accepted us anyway (its window is wider than ours): still worth saying.
            self._notify(skew.message)
        if self.adjust_clock and response.status_code != 401 and self.clock.adjust_to(skew):
            self._notify(f"clock adjusted by {skew.offset:+.0f} s to the server's Date header")
        return skew

    def _transport_error(
        self,
        error: requests.RequestException,
        method: str,
        url: str,
        attempts: int,
        app_id: str | None,
    ) -> ConnectionFailed:
        sent = not never_sent(error)
        what = transport_summary(error, url)
        if method.upper() == "POST" and app_id is not None and sent:
            return SubmissionUncertain(
                f"the job-run request to {url} failed after it may have reached the server "
                f"({what}); it was NOT sent again, so no job runs twice. Check whether the job "
                f"exists: `oauth-debug gallery jobs {app_id}`",
                url=url,
                app_id=app_id,
            )
        tries = f" ({attempts} attempts)" if attempts > 1 else ""
        return ConnectionFailed(
            f"{method.upper()} {elide_signature(url)} failed{tries}: {what}",
            url=url,
            attempts=attempts,
            maybe_sent=sent,
        )

    def _raise_for(self, response: requests.Response) -> None:
        answer = ServerResponse.from_requests(response)
        sent = to_http_request(response.request)
        if self.auth_mode == "oauth2":
            # The bearer token is as good as the secret while it lives (oauth2.AccessToken): the
            # request an error carries keeps the scheme, which is all its readers look at.
            sent = sent.with_header("Authorization", "Bearer ****")
        trace = self.oauth1.last_trace if self.auth_mode == "oauth1" else None
        message = _server_message(answer)
        where = f"{sent.method} {elide_signature(sent.url.split('?', 1)[0])}"
        failed = classify(answer, sent)
        if failed.is_oauth_refusal:
            # A 401, or a 400/403 whose body is an OAuth complaint: the one kind a signature
            # diagnosis explains (diagnosis.response.ServerAnswer.refuses_oauth).
            skew = self.last_skew if self.last_skew and self.last_skew.exceeds_window else None
            hint = f"; {skew.message}" if skew else ""
            raise GalleryAuthError(
                f"the server refused the request (HTTP {response.status_code}: "
                f"{message or 'no message'}){hint}",
                request=sent,
                response=answer,
                trace=trace,
                skew=skew,
            )
        hint = ""
        # A Gallery answers an unknown id with its JSON error: the API is there. A bare 404 page
        # under /api/, or one pointing to /webapi/, is what Server 2022.1 and later give.
        gone = not _gallery_json(answer) or "/webapi/" in (message or "")
        if response.status_code == 404 and self.auth_mode == "oauth1" and gone:
            hint = (
                "; if this is Alteryx Server 2022.1 or later, OAuth 1 is gone: use OAuth 2 "
                "(auth='oauth2' or 'auto'; on the command line --auth oauth2)"
            )
        said = message or "no message"
        if failed.kind == "not-found":
            text = f"{where}: not found (HTTP {response.status_code}): {said}{hint}"
        elif failed.kind == "server-failure":
            text = f"the server failed (HTTP {response.status_code}) on {where}: {said}"
        else:
            text = f"{where} answered HTTP {response.status_code}: {said}"
        raise ServerError(
            text,
            request=sent,
            response=answer,
            trace=trace,
        )


def _names_folder(destination: str | Path) -> bool:
    """Whether ``destination`` is text ending in a path separator ("dl/"): a folder, as in a shell.

    ``Path("dl/")`` drops the slash, so this is read from the text the caller gave.
    """
    if not isinstance(destination, str):
        return False
    separators = {"/", os.sep} | ({os.altsep} if os.altsep else set())
    return destination.endswith(tuple(separators))


def _gallery_base(base_url: str) -> str:
    """The Gallery's base address: absolute, without a trailing "/", and without the "/api/v1"
    that is easy to paste from the API docs (the client adds it to every path)."""
    if not isinstance(base_url, str):
        raise InvalidOptionError(f"base_url must be text, not {type(base_url).__name__}")
    split_url(base_url)  # an InvalidURLError naming what is missing, before any request
    base = base_url.rstrip("/")
    for suffix in ("/api/v1", "/api"):
        if base.lower().endswith(suffix):
            return base[: -len(suffix)]
    return base


def _check_timeout(timeout: object) -> None:
    values = timeout if isinstance(timeout, tuple) else (timeout,)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise InvalidOptionError(
                f"timeout must be seconds greater than 0 (or a (connect, read) pair), not "
                f"{timeout!r}",
                option="timeout",
            )


def _gallery_json(answer: ServerResponse) -> bool:
    """Whether an answer is one of the Gallery API's own JSON errors ({"message": ...}, with
    exceptionName on some), rather than a web server's page for a path it does not have."""
    document = answer.json()
    return isinstance(document, dict) and bool({"message", "exceptionName"} & set(document))
