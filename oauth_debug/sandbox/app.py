"""The WSGI application: routing, the Gallery's JSON shapes, and Alteryx's answers to failures.

Paths (``{base}`` is the configured base path, ``/gallery`` by default; a trailing slash is
optional everywhere, but a signature covers the path exactly as the client sent it):

OAuth 1.0a, the Gallery API v1 (absent when ``oauth1_enabled=False``, as on Server 2022.1+):
  GET  {base}/api/v1/workflows/subscription/      search, limit, offset, sortField, direction
  GET  {base}/api/v1/workflows/{appId}/questions/
  POST {base}/api/v1/workflows/{appId}/jobs/      {"questions": [...], "priority": "0"}
  GET  {base}/api/v1/workflows/{appId}/jobs/      sortField, direction, limit
  GET  {base}/api/v1/jobs/{jobId}/
  GET  {base}/api/v1/jobs/{jobId}/output/{outputId}/   format=Raw|Csv
  GET  {base}/api/v1/{appId}/package/

OAuth 2 (Server 2021.4 and later), at the host's root, not under {base}:
  POST /webapi/oauth2/token        grant_type=client_credentials, client_id, client_secret
                                   (or HTTP Basic)
  the same endpoints as above under /webapi/v1/..., with ``Authorization: Bearer <token>``.

Every answer carries a Date header from the sandbox's clock and the Gallery's CORS headers;
OPTIONS (a browser's preflight) is answered on any path without authentication. Every request
is logged at info level on the ``oauth_debug.sandbox`` logger: client address, method, path (no
query: it may hold a signature), status and, for a 401, the check that refused it.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ..errors import InvalidRequestError
from ..model import HttpRequest
from ..redact import REDACTED, redact
from ..server import MemoryNonces, SQLiteNonces
from ..verify import claimed_parameters
from .auth import (
    AuthFailure,
    AuthSuccess,
    SandboxVerifier,
    TokenStore,
    basic_credentials,
    bearer_token,
    client_matches,
)
from .config import SandboxConfig
from .diagnosis import diagnosis_for
from .jobs import JobStore, PriorityError, job_to_json, parse_priority, status_at
from .published import SandboxWorkflow
from .records import RequestLog, RequestRecord
from .state import SQLiteJobStore, SQLiteTokenStore, open_state
from .workflows import WORKFLOWS
from .wsgi import (
    Response,
    json_response,
    message_response,
    request_from_environ,
    request_url,
    wire_headers,
)

log = logging.getLogger("oauth_debug.sandbox")

StartResponse = Callable[..., Any]
WEBAPI = "/webapi"
TOKEN_PATH = "/webapi/oauth2/token"


class SandboxState:
    """What a running sandbox holds; every part is safe to use from the server's threads.

    With ``path`` (a state file), the nonces, jobs and OAuth 2 tokens live in that SQLite file
    (:mod:`oauth_debug.sandbox.state`), shared by every worker process that opens it; without,
    in this process's memory (one process only). The counters are per process either way.
    """

    def __init__(self, config: SandboxConfig, path: str | Path | None = None) -> None:
        self.config = config
        self.path = None if path is None else str(path)
        self.workflows: dict[str, SandboxWorkflow] = {
            workflow.id: workflow for workflow in WORKFLOWS
        }
        self.jobs: JobStore | SQLiteJobStore
        self.tokens: TokenStore | SQLiteTokenStore
        self.nonces: MemoryNonces | SQLiteNonces
        if path is None:
            self.jobs = JobStore(config.now, config.job_seconds, config.max_jobs)
            self.nonces = MemoryNonces(config.nonce_cache_size)
            self.tokens = TokenStore(config.token_lifetime)
        else:
            db = open_state(path)
            self.jobs = SQLiteJobStore(
                db, self.workflows, config.now, config.job_seconds, config.max_jobs
            )
            self.nonces = SQLiteNonces(path)
            self.tokens = SQLiteTokenStore(db, config.token_lifetime)
        self.verifier = SandboxVerifier(config, self.nonces)
        self._lock = threading.Lock()
        self._statuses: Counter[int] = Counter()
        self._refusals: Counter[str] = Counter()

    def count(self, status: int, refusal: str | None = None) -> None:
        with self._lock:
            self._statuses[status] += 1
            if refusal:
                self._refusals[refusal] += 1

    @property
    def statuses(self) -> dict[int, int]:
        """Responses sent so far, by HTTP status."""
        with self._lock:
            return dict(self._statuses)

    @property
    def refusals(self) -> dict[str, int]:
        """Authentication refusals so far, by reason (e.g. "signature", "nonce")."""
        with self._lock:
            return dict(self._refusals)


@dataclass(frozen=True)
class Outcome:
    """What the request log needs to know of an answer besides its status."""

    refusal: str | None = None
    """The check that refused the request (an OAuth 1 check, or the bearer token's)."""
    failure: AuthFailure | None = None
    consumer_key: str | None = None
    diagnosis: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    """The client view sent in the 401."""
    signature: str | None = field(default=None, compare=False, repr=False)
    """The signature the refused request claimed: kept out of the request log."""


ANSWERED = Outcome()


@dataclass(frozen=True)
class Call:
    """A routed request: the request itself, its path segments after ``v1`` and its query."""

    request: HttpRequest
    segments: tuple[str, ...]
    query: dict[str, str]
    now: float


class SandboxApp:
    """A WSGI callable imitating the Alteryx Gallery API; ``state`` is there for tests.

    ``state`` is the path of the SQLite state file (see :class:`SandboxState`); ``request_log``
    gets one :class:`~oauth_debug.sandbox.records.RequestRecord` per request answered.
    """

    def __init__(
        self,
        config: SandboxConfig,
        *,
        state: str | Path | None = None,
        request_log: RequestLog | None = None,
    ) -> None:
        self.config = config
        self.state = SandboxState(config, state)
        self.request_log = request_log

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        now = self.config.now()
        try:
            response, outcome = self.handle(environ, now)
        except Exception:  # the server must answer even when the sandbox has a bug
            log.exception(
                "sandbox error on %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
            )
            response, outcome = message_response(500, "An internal error occurred."), ANSWERED
        refusal = outcome.refusal
        self.state.count(response.status, refusal)
        log.info(
            "%s %s %s %d%s",
            environ.get("REMOTE_ADDR", "-"),
            environ.get("REQUEST_METHOD", "-"),
            _logged_path(environ),
            response.status,
            f" refused by the {refusal} check" if refusal else "",
        )
        if self.request_log is not None:
            self._record(environ, now, response.status, outcome)
        headers = wire_headers(response, now)
        failure = outcome.failure
        if failure is not None and failure.request_id:
            # The id of the verifier's log line and of the classroom's record: a student can
            # quote it, and the teacher finds that exact refusal.
            headers.append(("X-Request-Id", failure.request_id))
        start_response(response.status_line, headers)
        return [response.body] if environ.get("REQUEST_METHOD") != "HEAD" else [b""]

    def _record(self, environ: dict[str, Any], now: float, status: int, outcome: Outcome) -> None:
        """One record for the classroom: nothing computed with the secret, no signature."""
        assert self.request_log is not None
        failure = outcome.failure
        diagnosis = None if failure is None else failure.diagnosis
        record = RequestRecord(
            request_id=failure.request_id if failure and failure.request_id else _request_id(),
            time=now,
            method=str(environ.get("REQUEST_METHOD", "-")),
            path=_logged_path(environ),
            consumer_key=outcome.consumer_key,
            status=status,
            verdict=None if outcome.refusal is None else _verdict(outcome),
            mistakes=() if diagnosis is None else tuple(diagnosis.mistakes),
            findings=() if diagnosis is None else tuple(f.id for f in diagnosis.findings),
            refused_because=outcome.refusal,
            diagnosis=_without_signature(outcome.diagnosis, outcome.signature),
        )
        try:
            self.request_log.add(record)
        except Exception:  # the log is the classroom's; the answer goes out regardless
            log.exception("the request log refused a record")

    def handle(self, environ: dict[str, Any], now: float) -> tuple[Response, Outcome]:
        """Route one request; returns the answer and what the logs need of it (for a 401, the
        check that refused it)."""
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            return Response(204, content_type=""), ANSWERED
        try:
            request = request_from_environ(environ)
        except ValueError as error:
            return message_response(413, str(error)), ANSWERED
        except OSError:  # the server's read timeout: fewer body bytes came than announced
            return message_response(
                400, "The request body did not arrive in full (fewer bytes than Content-Length)."
            ), ANSWERED
        url = urlsplit(request.url)
        path = "/" + url.path.strip("/")
        query = {
            name: value
            for name, value in parse_qsl(url.query, keep_blank_values=True)
            if not name.startswith("oauth_")
        }
        api = f"{self.config.base_path}/api"
        if path == api or path.startswith(api + "/"):
            if not self.config.oauth1_enabled:
                return _oauth1_removed(path), ANSWERED
            rest = path[len(api) :].strip("/").split("/")
            return self._oauth1(Call(request, tuple(rest), query, now))
        if path == TOKEN_PATH:
            return self._token(request, now), ANSWERED
        if path.startswith(WEBAPI + "/"):
            rest = path[len(WEBAPI) :].strip("/").split("/")
            return self._oauth2(Call(request, tuple(rest), query, now))
        return _not_found(path, self.config.base_path), ANSWERED

    # ---- authentication ----------------------------------------------------------------

    def _oauth1(self, call: Call) -> tuple[Response, Outcome]:
        handler = self._route(call)
        if isinstance(handler, Response):
            return handler, ANSWERED
        checked = self.state.verifier.check(call.request)
        if isinstance(checked, AuthFailure):
            return self._unauthorized(checked, call.request)
        assert isinstance(checked, AuthSuccess)
        return handler(call), Outcome(consumer_key=checked.consumer_key)

    def _unauthorized(self, failure: AuthFailure, request: HttpRequest) -> tuple[Response, Outcome]:
        """Alteryx's 401 body, plus ``diagnosis``: what went wrong, computed with the secret the
        sandbox knows (never with or for an unknown consumer key, and never showing the secret)."""
        body = _unauthorized_body(failure.message)
        body["diagnosis"] = diagnosis_for(failure)
        outcome = Outcome(
            failure.reason, failure, failure.consumer_key, body["diagnosis"], _claimed(request)
        )
        return json_response(401, body), outcome

    def _oauth2(self, call: Call) -> tuple[Response, Outcome]:
        handler = self._route(call)
        if isinstance(handler, Response):
            return handler, ANSWERED
        header = call.request.header("Authorization")
        token = bearer_token(header)
        if token is None:
            oauth1 = (header or "").lower().startswith("oauth ") or "oauth_signature=" in (
                urlsplit(call.request.url).query
            )
            message = (
                "OAuth 1 is not accepted on /webapi/: get a token from POST /webapi/oauth2/token "
                "(grant_type=client_credentials) and send Authorization: Bearer <token>."
                if oauth1
                else "Authorization: Bearer <token> is required; get a token from "
                "POST /webapi/oauth2/token."
            )
            refusal = "oauth1-on-webapi" if oauth1 else "bearer-missing"
            return _bearer_refusal(message), Outcome(refusal)
        problem = self.state.tokens.problem(token, call.now)
        if problem:
            return _bearer_refusal(problem), Outcome("bearer-invalid")
        return handler(call), Outcome(consumer_key=self.config.client_id)

    def _token(self, request: HttpRequest, now: float) -> Response:
        """RFC 6749 4.4 client credentials grant; client authentication by form or Basic (2.3.1)."""
        if request.method != "POST":
            return message_response(405, "Use POST for /webapi/oauth2/token.")
        form = dict(parse_qsl((request.body or b"").decode("utf-8", "replace")))
        if form.get("grant_type") != "client_credentials":
            return json_response(
                400,
                {
                    "error": "unsupported_grant_type",
                    "error_description": "grant_type must be client_credentials",
                },
            )
        basic = basic_credentials(request.header("Authorization"))
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        if not client_matches(self.config, client_id, secret):
            return json_response(
                401,
                {"error": "invalid_client", "error_description": "unknown client or wrong secret"},
                [("WWW-Authenticate", 'Basic realm="webapi"')],
            )
        issued = self.state.tokens.issue(self.config.new_token(), now)
        return json_response(
            200,
            {
                "access_token": issued.access_token,
                "token_type": "bearer",
                "expires_in": issued.expires_in,
            },
            [("Cache-Control", "no-store")],
        )

    # ---- routing ------------------------------------------------------------------------

    def _route(self, call: Call) -> Callable[[Call], Response] | Response:
        """The handler for a v1 path, or the 404/405 answer when there is none."""
        method = call.request.method.upper()
        segments = call.segments
        if not segments or segments[0] != "v1":
            return _not_found("/".join(segments), self.config.base_path)
        rest = segments[1:]
        routes: dict[str, Callable[[Call], Response]] = {}
        match rest:
            case ("workflows", "subscription"):
                routes = {"GET": self._workflows}
            case ("workflows", _, "questions"):
                routes = {"GET": self._questions}
            case ("workflows", _, "jobs"):
                routes = {"GET": self._workflow_jobs, "POST": self._run}
            case ("jobs", _):
                routes = {"GET": self._job}
            case ("jobs", _, "output", _):
                routes = {"GET": self._output}
            case (_, "package"):
                routes = {"GET": self._package}
            case _:
                return _not_found("/".join(segments), self.config.base_path)
        if method == "HEAD":
            method = "GET"
        if method not in routes:
            return message_response(
                405, f"{call.request.method} is not allowed here; use {', '.join(routes)}."
            )
        return routes[method]

    def _workflow(self, app_id: str) -> SandboxWorkflow | Response:
        workflow = self.state.workflows.get(app_id)
        if workflow is None:
            return message_response(404, f"No workflow with id {app_id!r} in your subscription.")
        return workflow

    # ---- endpoints --------------------------------------------------------------------

    def _workflows(self, call: Call) -> Response:
        search = call.query.get("search", "").lower()
        found = [w for w in self.state.workflows.values() if not search or search in w.name.lower()]
        field = call.query.get("sortField", "").lower()
        descending = call.query.get("direction", "asc").lower() == "desc"
        if field == "name":
            found.sort(key=lambda w: w.name.lower(), reverse=descending)
        elif field == "uploaddate":
            found.sort(key=lambda w: w.upload_date, reverse=descending)
        elif field:
            return message_response(400, f"sortField {field!r} is not one of name, uploaddate.")
        window = _window(call.query)
        if isinstance(window, Response):
            return window
        offset, limit = window
        chosen = found[offset : offset + limit if limit is not None else None]
        # Counted as jobs come and go: no pass over the jobs (the runCount of the jobs kept).
        runs = self.state.jobs.run_counts()
        return json_response(200, [w.to_json(runs.get(w.id, 0)) for w in chosen])

    def _questions(self, call: Call) -> Response:
        workflow = self._workflow(call.segments[2])
        if isinstance(workflow, Response):
            return workflow
        return json_response(200, [question.shown.to_json() for question in workflow.questions])

    def _run(self, call: Call) -> Response:
        workflow = self._workflow(call.segments[2])
        if isinstance(workflow, Response):
            return workflow
        try:
            payload = json.loads(call.request.body or b"{}")
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            return message_response(400, f"The request body is not JSON: {error}.")
        if not isinstance(payload, dict):
            return message_response(
                400, 'The request body must be a JSON object {"questions": [...]}.'
            )
        answers = payload.get("questions") or []
        if not isinstance(answers, list) or not all(
            isinstance(a, dict) and isinstance(a.get("name"), str) for a in answers
        ):
            return message_response(
                400, 'questions must be a list of {"name": ..., "value": ...} objects.'
            )
        try:
            priority = parse_priority(payload.get("priority"))
        except PriorityError as error:
            return message_response(400, str(error))
        job = self.state.jobs.submit(
            workflow, [(a["name"], a.get("value")) for a in answers], priority
        )
        return json_response(200, job_to_json(job, call.now, self.config.job_seconds))

    def _workflow_jobs(self, call: Call) -> Response:
        workflow = self._workflow(call.segments[2])
        if isinstance(workflow, Response):
            return workflow
        jobs = self.state.jobs.for_workflow(workflow.id)
        if call.query.get("direction", "desc").lower() != "asc":
            jobs.reverse()  # newest first, unless asked otherwise
        window = _window(call.query)
        if isinstance(window, Response):
            return window
        offset, limit = window
        chosen = jobs[offset : offset + limit if limit is not None else None]
        seconds = self.config.job_seconds
        return json_response(200, [job_to_json(job, call.now, seconds) for job in chosen])

    def _job(self, call: Call) -> Response:
        job = self.state.jobs.get(call.segments[2])
        if job is None:
            return message_response(404, f"No job with id {call.segments[2]!r}.")
        return json_response(200, job_to_json(job, call.now, self.config.job_seconds))

    def _output(self, call: Call) -> Response:
        job_id, output_id = call.segments[2], call.segments[4]
        job = self.state.jobs.get(job_id)
        if job is None:
            return message_response(404, f"No job with id {job_id!r}.")
        if status_at(job, call.now, self.config.job_seconds) != "Completed":
            return message_response(404, f"Job {job_id} has not completed yet; it has no outputs.")
        index = job.output(output_id)
        if index is None:
            return message_response(404, f"Job {job_id} has no output {output_id!r}.")
        output = job.result.outputs[index]
        wanted = call.query.get("format", "Raw")
        chosen = next((f for f in output.formats if f.lower() == wanted.lower()), None)
        if chosen is None:
            return message_response(
                400,
                f"Format {wanted!r} is not available for {output.name}; "
                f"use one of {', '.join(output.formats)}.",
            )
        kind = (
            "text/csv"
            if chosen == "Csv" or output.name.endswith(".csv")
            else "application/octet-stream"
        )
        return Response(200, output.data, kind, (_attachment(output.name),))

    def _package(self, call: Call) -> Response:
        workflow = self._workflow(call.segments[1])
        if isinstance(workflow, Response):
            return workflow
        name = workflow.file_name.rsplit(".", 1)[0] + ".yxzp"
        return Response(200, workflow.package(), "application/octet-stream", (_attachment(name),))


def _claimed(request: HttpRequest) -> str | None:
    try:
        return claimed_parameters(request)[0].get("oauth_signature")
    except InvalidRequestError:
        return None


def _without_signature(document: Any, signature: str | None) -> Any:
    """The client view for the request log: the client may see its own signature in its 401,
    but a log that others read must not hold one (a signature passes for the window, 3.3)."""
    if isinstance(document, dict):
        return {
            key: REDACTED
            if key == "claimed_signature" and value
            else _without_signature(value, signature)
            for key, value in document.items()
        }
    if isinstance(document, list):
        return [_without_signature(item, signature) for item in document]
    if isinstance(document, str) and signature:
        return redact(document, [signature])
    return document


def _request_id() -> str:
    """An id for a request the verifier did not refuse (it gives refusals theirs)."""
    return secrets.token_hex(8)


def _verdict(outcome: Outcome) -> str:
    """The diagnosis's verdict for a refused request ("undiagnosable" when there is none)."""
    document = outcome.diagnosis or {}
    return str(document.get("verdict") or "undiagnosable")


def _logged_path(environ: dict[str, Any]) -> str:
    """The request's path for the access log, percent-encoded as sent and without the query.

    The query is where a signature travels when it is not in a header (and a PLAINTEXT
    signature is the secret itself), so it never reaches the log; the path alone names the
    endpoint. Encoded, a path cannot break the log line with a newline or control character.
    """
    try:
        return urlsplit(request_url(environ)).path or "/"
    except (UnicodeError, ValueError):
        return "(unreadable path)"


def _window(query: dict[str, str]) -> tuple[int, int | None] | Response:
    """offset and limit, both optional non-negative integers."""
    try:
        offset = int(query.get("offset") or 0)
        limit = int(query["limit"]) if query.get("limit") else None
    except ValueError:
        return message_response(400, "offset and limit must be whole numbers.")
    if offset < 0 or (limit is not None and limit < 0):
        return message_response(400, "offset and limit must not be negative.")
    return offset, limit


def _attachment(name: str) -> tuple[str, str]:
    return ("Content-Disposition", f'attachment; filename="{name}"')


def _unauthorized_body(message: str) -> dict[str, Any]:
    """The shape of the Gallery's 401 (research notes, "Errors and headers")."""
    return {
        "data": None,
        "exceptionName": "UnauthorizedException",
        "innerExceptionMessage": "",
        "message": message,
    }


def _bearer_refusal(message: str) -> Response:
    # RFC 6750 3: a refused bearer request names the scheme in WWW-Authenticate.
    return json_response(
        401,
        _unauthorized_body(message),
        [("WWW-Authenticate", 'Bearer realm="webapi", error="invalid_token"')],
    )


def _not_found(path: str, base: str) -> Response:
    return message_response(
        404,
        f"No such endpoint: /{path.strip('/')}. The API lives under "
        f"{base}/api/v1/ (OAuth 1) and /webapi/v1/ (OAuth 2).",
    )


def _oauth1_removed(path: str) -> Response:
    """What Server 2022.1+ does with the old OAuth 1 paths: they are gone."""
    return message_response(
        404,
        f"No such endpoint: {path}. This server no longer offers the OAuth 1 Gallery API "
        "(removed in Server 2022.1); use the same endpoints under /webapi/ with OAuth 2: "
        "POST /webapi/oauth2/token, then Authorization: Bearer <token>.",
    )


__all__ = ["SandboxApp", "SandboxState"]
