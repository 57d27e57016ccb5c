"""Ready-made requests for the page: the RFC 5849 example, the forum case, one per atlas mistake.

Each is a request really sent wrong: the atlas's (oauth_debug.docs_gen) examples are signed with
the mistake's recipe through the one pipeline, and kept only when the diagnosis names exactly that
mistake. The secrets are the atlas's published demo values, so a preset may fill them in.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from functools import cache

from ..model import HttpRequest


@dataclass(frozen=True)
class Preset:
    id: str
    title: str
    request: str
    """The request as a curl line, the way a person would paste it."""
    consumer_secret: str
    token_secret: str
    now: str
    mistake: str | None = None
    """The catalog id the diagnosis names for it (None: the request is right, or only a finding
    is wrong with it)."""


def curl_line(request: HttpRequest) -> str:
    """``request`` as a bash curl line (the page's textarea takes it back with from_curl)."""
    words = ["curl", "-X", request.method, request.url]
    for name, value in request.headers:
        words += ["-H", f"{name}: {value}"]
    if request.body is not None:
        words += ["--data-raw", request.body.decode("utf-8", "replace")]
    return shlex.join(words)


def _rfc_preset() -> Preset:
    from ..docs_gen import RFC_CREDENTIALS, RFC_TIMESTAMP, rfc_trace

    signed = rfc_trace().signed_request
    assert signed is not None
    return Preset(
        "rfc5849",
        "The RFC 5849 example (3.1), signed right",
        curl_line(signed),
        RFC_CREDENTIALS.consumer_secret.reveal(),
        RFC_CREDENTIALS.token_secret.reveal(),
        str(int(RFC_TIMESTAMP) + 30),
    )


def _forum_preset() -> Preset:
    """A signed URL copied out of interactive API docs and replayed an hour later."""
    from ..docs_gen import ATLAS_CREDENTIALS, ATLAS_NOW, ATLAS_TIMESTAMP
    from ..signer import sign_at

    request = HttpRequest(
        "GET", "https://gallery.example.com/gallery/api/v1/workflows/subscription/"
    )
    trace = sign_at(
        request,
        ATLAS_CREDENTIALS,
        timestamp=ATLAS_TIMESTAMP,
        nonce="forumcase",
        placement="query",
    )
    assert trace.signed_url is not None
    return Preset(
        "forum",
        "The forum case: a signed URL copied from interactive docs and replayed",
        trace.signed_url,
        ATLAS_CREDENTIALS.consumer_secret.reveal(),
        ATLAS_CREDENTIALS.token_secret.reveal(),
        str(int(ATLAS_NOW) + 3600),
    )


def _mistake_presets() -> list[Preset]:
    from ..diagnosis.catalog import CATALOG
    from ..docs_gen import ATLAS_CREDENTIALS, ATLAS_NOW, _atlas_example

    presets = []
    for mistake in CATALOG:
        example = _atlas_example(mistake.id)
        if example is None:  # the atlas has no request on which it shows alone
            continue
        presets.append(
            Preset(
                mistake.id,
                f"{mistake.id}: {mistake.title}",
                curl_line(example[0]),
                ATLAS_CREDENTIALS.consumer_secret.reveal(),
                ATLAS_CREDENTIALS.token_secret.reveal(),
                str(ATLAS_NOW),
                mistake=mistake.id,
            )
        )
    return presets


@cache
def all_presets() -> tuple[Preset, ...]:
    """Every preset, in the order the page lists them (computed once: they are constants)."""
    return (_rfc_preset(), _forum_preset(), *_mistake_presets())


def preset(preset_id: str) -> Preset | None:
    return next((p for p in all_presets() if p.id == preset_id), None)
