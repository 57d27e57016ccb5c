"""What a failed answer is: an OAuth refusal, a missing URL, a failing server, or another refusal.

Only an OAuth refusal is a question for the signature diagnosis. Diagnosing anything else against
the secret we were given can only ever agree with itself ("the signature is correct"), and then
sends people hunting for a wrong secret when the URL is simply wrong or the server is down. The
rule itself lives with the response reader (``diagnosis.response.ServerAnswer.refuses_oauth``);
this module applies it to a live answer and words what the other kinds mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal

from ..diagnosis.response import ServerAnswer, read_parts
from ..errors import OAuthDebugError
from ..model import HttpRequest
from .response import ServerResponse

AnswerKind = Literal["oauth-refusal", "not-found", "server-failure", "client-error"]

EXCERPT_CHARS = 200
"""How much of a body a one-line description quotes: enough to recognise an error page."""

# The value of oauth_signature in a query (RFC 5849 3.5.3). With PLAINTEXT it is the key itself
# (3.4.4), and with any method it lets the signed URL be replayed until its timestamp expires.
_QUERY_SIGNATURE = re.compile(r"([?&]oauth_signature=)[^&#]*", re.IGNORECASE)


def elide_signature(url: str) -> str:
    """``url`` with the value of any ``oauth_signature`` query parameter replaced by ``...``."""
    return _QUERY_SIGNATURE.sub(r"\1...", url)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a body on one line: runs of white space (an HTML page's) become one space."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."


def read_answer(response: ServerResponse, request: HttpRequest | None = None) -> ServerAnswer:
    """What the response reader makes of a live answer (``request`` sharpens some findings).

    Read from the parts received, never from a ``curl -i`` text made of them: writing an answer
    out and parsing it again would drop the reason phrase and split a body that holds an HTTP
    transcript into "responses" of its own.
    """
    return read_parts(
        response.status,
        response.headers,
        response.text,
        reason=response.reason,
        request=request,
        locations=response.redirects,
    )


@dataclass(frozen=True)
class FailedAnswer:
    """A failure status, sorted by what it tells: ``kind`` decides whether to diagnose."""

    kind: AnswerKind
    status: int
    reason: str
    url: str
    """The URL that was asked for, its oauth_signature elided."""
    body_start: str
    """The start of the body on one line (what a 5xx or another refusal is shown with)."""
    message: str | None = None
    """The ``message`` of a JSON error body ({"message": ...}, the Gallery's shape), if any."""
    hints: tuple[str, ...] = ()
    """What the response reader recognised beyond the status (e.g. an OAuth-2-only server)."""

    @property
    def is_oauth_refusal(self) -> bool:
        return self.kind == "oauth-refusal"

    def headline(self) -> str:
        """One line that says what happened and claims nothing the answer does not say."""
        status = f"HTTP {self.status}{f' {self.reason}' if self.reason else ''}"
        text = self.message or self.body_start
        said = f": {text}" if text else " (no body)"
        if self.kind == "oauth-refusal":
            return f"the server refused the request ({status}){said}"
        if self.kind == "not-found":
            # An error page's HTML would only add noise; a JSON message names what is missing.
            also = f" ({self.message})" if self.message else ""
            return f"not found ({status}): the server has nothing at {self.url}{also}"
        if self.kind == "server-failure":
            return f"the server failed ({status}) on {self.url}{said}"
        return f"{status} from {self.url}{said}"

    def lines(self) -> list[str]:
        """The headline, then the hints."""
        return [self.headline(), *self.hints]


def classify(
    response: ServerResponse, request: HttpRequest | None = None, *, url: str | None = None
) -> FailedAnswer:
    """Sort a failure status (400 and up). ``url`` defaults to the request's, then the answer's."""
    try:
        reading: ServerAnswer | None = read_answer(response, request)
    except OAuthDebugError:
        reading = None  # headers the reader cannot parse: the status still tells the kind
    refusal = reading.refuses_oauth if reading is not None else response.status == 401
    kind: AnswerKind
    if refusal:
        kind = "oauth-refusal"
    elif response.status in (404, 410):
        kind = "not-found"
    elif response.status >= 500:
        kind = "server-failure"
    else:
        kind = "client-error"
    hints: tuple[str, ...] = ()
    if reading is not None and kind != "oauth-refusal":
        # A 404 under /gallery/api/, or an answer pointing to /webapi/: an Alteryx Server that
        # dropped OAuth 1. Worth saying as a hint; it is still no verdict on the signature.
        hints = tuple(
            f"a guess from the path and the answer, not a verdict: {f.message}"
            for f in reading.findings
            if f.id == "alteryx-oauth2-only"
        )
    shown = url or (request.url if request is not None else "") or response.url
    return FailedAnswer(
        kind=kind,
        status=response.status,
        reason=_phrase(response.status),
        url=elide_signature(shown),
        body_start=excerpt(response.text),
        message=_json_message(response),
        hints=hints,
    )


def _json_message(response: ServerResponse) -> str | None:
    document = response.json()
    said = document.get("message") if isinstance(document, dict) else None
    return excerpt(said) if isinstance(said, str) and said.strip() else None


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
