"""Errors of the live side: each carries what was sent, what came back, and what to do next.

All derive from :class:`~oauth_debug.errors.OAuthDebugError`, so the CLI prints them as one line.
Messages never contain a secret: requests are carried as values, and the signing key inside a trace
is a :class:`~oauth_debug.model.Secret`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import OAuthDebugError

if TYPE_CHECKING:
    from ..model import HttpRequest
    from ..trace import SigningTrace
    from .response import ServerResponse
    from .results import Job
    from .skew import ClockSkew


class LiveError(OAuthDebugError):
    """Base class for errors talking to a live server."""

    exit_code = 1
    """A refusal, an unreachable server or a job that failed is a problem found, not bad input."""


class ServerError(LiveError):
    """The server answered with an error status that is no OAuth refusal (see GalleryAuthError):
    a missing URL, a failing server, or another refusal that says nothing about the signature."""

    def __init__(
        self,
        message: str,
        *,
        request: HttpRequest | None,
        response: ServerResponse,
        trace: SigningTrace | None = None,
    ) -> None:
        super().__init__(message, status=response.status)
        self.request = request
        self.response = response
        self.trace = trace

    @property
    def status(self) -> int:
        return self.response.status


class GalleryAuthError(ServerError):
    """An OAuth refusal: a 401, or a 400/403 whose body is a known OAuth error (the rule is
    ``diagnosis.response.ServerAnswer.refuses_oauth``). The server refused our signature (or
    token).

    Carries the request exactly as it went out, our signing trace, the server's answer and, when
    the server's Date header says our clock is off, the measured skew: everything a diagnosis needs.
    """

    def __init__(
        self,
        message: str,
        *,
        request: HttpRequest | None,
        response: ServerResponse,
        trace: SigningTrace | None = None,
        skew: ClockSkew | None = None,
    ) -> None:
        super().__init__(message, request=request, response=response, trace=trace)
        self.skew = skew


class ConnectionFailed(LiveError):
    """The server could not be reached (after the retries that were safe to make)."""

    def __init__(self, message: str, *, url: str, attempts: int, maybe_sent: bool) -> None:
        super().__init__(message, url=url, attempts=attempts, maybe_sent=maybe_sent)
        self.url = url
        self.attempts = attempts
        self.maybe_sent = maybe_sent


class SubmissionUncertain(ConnectionFailed):
    """The job-run POST failed after it may have reached the server: it is deliberately not retried.

    Re-sending could run the job twice; list the workflow's jobs to see whether it was created.
    """

    def __init__(self, message: str, *, url: str, app_id: str) -> None:
        super().__init__(message, url=url, attempts=1, maybe_sent=True)
        self.app_id = app_id


class JobWaitTimeout(LiveError):
    """The job did not complete before the deadline; ``job`` is its last known state."""

    def __init__(self, message: str, *, job: Job, waited: float) -> None:
        super().__init__(message, job_id=job.id, waited=waited)
        self.job = job
        self.waited = waited


class DownloadFailed(LiveError):
    """A download stopped before the whole file arrived; no partial file was left behind."""

    def __init__(self, message: str, *, destination: str, received: int) -> None:
        super().__init__(message, destination=destination, received=received)
        self.destination = destination
        self.received = received


class TokenError(LiveError):
    """The OAuth 2 token endpoint refused the client credentials or answered nonsense."""

    def __init__(self, message: str, *, response: ServerResponse | None = None) -> None:
        super().__init__(message, status=None if response is None else response.status)
        self.response = response


class UnexpectedAnswer(LiveError):
    """A 2xx answer whose body is not the JSON shape the API documents."""

    def __init__(self, message: str, *, body: Any) -> None:
        super().__init__(message)
        self.body = body
