"""How `request` and `gallery` show a failed answer: a diagnosis only for an OAuth refusal.

A 401 (or a 400/403 whose body is an OAuth complaint) is followed by the diagnosis of the request
exactly as it went out. Any other failure is described by what it is (not found, the server failed,
another refusal) and nothing is claimed about the signature: a diagnosis made with the secret we
were given always agrees with itself, so running it on a 404 would only blame the secret.

Everything here prints server text (bodies, URLs) through ``rich.text.Text``: never as markup.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.text import Text

from ..diagnosis import Diagnosis, diagnose
from ..errors import OAuthDebugError
from ..live.answer import classify, read_answer
from ..live.errors import GalleryAuthError, JobWaitTimeout, LiveError, ServerError
from ..live.gallery import GalleryClient
from ..live.response import ServerResponse
from ..model import Credentials, HttpRequest
from ..render.diagnosis import diagnosis_renderable

VALID_BUT_REFUSED = (
    "Our diagnosis of the request as it went out finds its signature correct for the secret "
    "given here. So the server holds another secret for this key (a typo, a trailing space, a "
    "key that was regenerated), or it sees another URL than the one signed (a proxy rewriting "
    "the scheme, host or port), or it refuses the timestamp or nonce. What the server said is "
    "among the findings below."
)


def diagnosis_of(
    request: HttpRequest | None, response: ServerResponse, credentials: Credentials | None
) -> Diagnosis | None:
    """The diagnosis of the request exactly as it went out, read together with the answer.

    With the secret known (the CLI has it) the mistake is named; None when there is no request
    to diagnose, or the diagnosis cannot read it. The answer goes in as its reading, made from
    what was received (live.answer.read_answer), not as text to be parsed again.
    """
    if request is None or _bearer(request):
        return None
    try:
        answer = read_answer(response, request)
        return diagnose(request, credentials=credentials, response=answer)
    except OAuthDebugError:
        return None


def _bearer(request: HttpRequest) -> bool:
    """An OAuth 2 request (``--auth oauth2``): an OAuth 1 diagnosis would only call it unsigned."""
    return any(
        name.lower() == "authorization" and value.strip().lower().startswith("bearer ")
        for name, value in request.headers
    )


def show_failure(
    request: HttpRequest | None,
    response: ServerResponse,
    credentials: Credentials | None,
    console: Console,
    *,
    url: str | None = None,
) -> Diagnosis | None:
    """Say what a failed answer is (on ``console``); for an OAuth refusal, lead with the refusal,
    then print the diagnosis of what was sent and return it. ``url`` names what was asked for
    when there is no request."""
    failed = classify(response, request, url=url)
    if not failed.is_oauth_refusal:
        console.print(Text(failed.headline(), style="red"), soft_wrap=True)
        for hint in failed.hints:
            console.print(Text(hint, style="yellow"))
        return None
    headline = Text("REFUSED  ", style="bold red")
    headline.append(failed.headline())
    console.print(headline)
    diagnosis = diagnosis_of(request, response, credentials)
    if diagnosis is None:
        return None
    if diagnosis.verdict == "valid":
        # We diagnose our own request with the secret we were given: it always agrees with itself.
        # What that tells the person is where else to look.
        console.print(Text(VALID_BUT_REFUSED))
    console.print(diagnosis_renderable(diagnosis))
    return diagnosis


def failure_document(error: LiveError, client: GalleryClient) -> dict[str, Any]:
    """A failure for --format json: what went wrong, with the server's answer, the job as last
    seen, and (for an OAuth refusal) the diagnosis of the request exactly as it went out."""
    document: dict[str, Any] = {"error": str(error), "kind": type(error).__name__}
    document.update({k: v for k, v in error.data.items() if isinstance(v, (str, int, float))})
    if isinstance(error, ServerError):
        document["status"] = error.response.status
        document["server"] = _json_body(error.response.text)
        document["answer"] = classify(error.response, error.request).kind
    if isinstance(error, GalleryAuthError):
        diagnosis = diagnosis_of(error.request, error.response, client.credentials)
        document["diagnosis"] = None if diagnosis is None else diagnosis.to_dict()
    if isinstance(error, JobWaitTimeout):
        document["job"] = dict(error.job.raw)
    return document


def _json_body(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return text[:2000]
