"""Ready-made requests for the page: the RFC 5849 example, the forum case, one per atlas mistake.

Each mistake preset is a request really sent wrong: the atlas's example, signed with the mistake's
recipe through the one pipeline, on which the diagnosis names exactly that mistake. The secrets
are the RFC's and the atlas's published demo values, so a preset may fill them in.
"""

from __future__ import annotations

import importlib
import shlex
from dataclasses import dataclass
from functools import cache

from ..diagnosis.catalog import BY_ID, CATALOG
from ..model import Credentials, HttpRequest
from ..signer import sign_at


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


# RFC 5849 3.1 / 3.4.1: the request, credentials, timestamp and nonce the RFC signs (published
# test values, so the preset may fill them in), signed as the RFC does: realm "Example", no
# oauth_version. Its signature is the one RFC errata 2550 corrects to.
RFC_URL = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"
RFC_BODY = "c2&a3=2+q"
RFC_FORM = "application/x-www-form-urlencoded"
RFC_CREDENTIALS = Credentials(
    "9djdj82h48djs9d2", "j49sk3j29djd", token="kkk9d7dh3k39sjv7", token_secret="dh893hdasih9"
)
RFC_TIMESTAMP = 137131201
RFC_NONCE = "7d8f3e4a"

# The atlas's demo credentials: a space and a "!" in the secrets, so encoding mistakes show.
DEMO_CREDENTIALS = Credentials(
    "demo-key", "demo secret!", token="demo-token", token_secret="demo token secret"
)
DEMO_TIMESTAMP = 1700000000


def _secrets(credentials: Credentials) -> tuple[str, str]:
    return credentials.consumer_secret.reveal(), credentials.token_secret.reveal()


def _rfc_preset() -> Preset:
    request = HttpRequest("POST", RFC_URL, headers={"Content-Type": RFC_FORM}, body=RFC_BODY)
    trace = sign_at(request, RFC_CREDENTIALS, timestamp=RFC_TIMESTAMP, nonce=RFC_NONCE,
                    version=None, realm="Example")  # fmt: skip
    assert trace.signed_request is not None
    return Preset(
        "rfc5849",
        "The RFC 5849 example (3.1), signed right",
        curl_line(trace.signed_request),
        *_secrets(RFC_CREDENTIALS),
        str(RFC_TIMESTAMP + 30),
    )


def _forum_preset() -> Preset:
    """A signed URL copied out of interactive API docs and replayed an hour later."""
    request = HttpRequest(
        "GET", "https://gallery.example.com/gallery/api/v1/workflows/subscription/"
    )
    trace = sign_at(request, DEMO_CREDENTIALS, timestamp=DEMO_TIMESTAMP, nonce="forumcase",
                    placement="query")  # fmt: skip
    assert trace.signed_url is not None
    return Preset(
        "forum",
        "The forum case: a signed URL copied from interactive docs and replayed",
        trace.signed_url,
        *_secrets(DEMO_CREDENTIALS),
        str(DEMO_TIMESTAMP + 3600),
    )


def _atlas_cases() -> list[tuple[str, HttpRequest, Credentials, float]]:
    """(mistake id, request as sent, credentials, the server's clock) of every atlas example.

    They are the diagnosis vectors (``vectors/diagnosis/*.json``, read by
    ``oauth_debug.vectors.load_diagnosis_cases``) where those exist; a tree from before they
    did makes them with ``oauth_debug.docs_gen``. Looked up by name so that either tree checks.
    """
    vectors = importlib.import_module("oauth_debug.vectors")
    load = getattr(vectors, "load_diagnosis_cases", None)
    if load is not None:
        return [
            (case.id, case.request, case.credentials, case.now)
            for case in load()
            if case.kind == "mistake" and case.credentials is not None
            and case.mistakes == (case.id,)
        ]  # fmt: skip
    docs_gen = importlib.import_module("oauth_debug.docs_gen")
    found = []
    for mistake in CATALOG:
        example = docs_gen._atlas_example(mistake.id)
        if example is not None:
            found.append((mistake.id, example[0], docs_gen.ATLAS_CREDENTIALS, docs_gen.ATLAS_NOW))
    return found


def _mistake_presets() -> list[Preset]:
    order = {mistake.id: index for index, mistake in enumerate(CATALOG)}
    cases = sorted(
        (case for case in _atlas_cases() if case[0] in BY_ID), key=lambda case: order[case[0]]
    )
    return [
        Preset(
            mistake_id,
            f"{mistake_id}: {BY_ID[mistake_id].title}",
            curl_line(request),
            *_secrets(credentials),
            repr(now) if now != int(now) else str(int(now)),
            mistake=mistake_id,
        )
        for mistake_id, request, credentials, now in cases
    ]


@cache
def all_presets() -> tuple[Preset, ...]:
    """Every preset, in the order the page lists them (computed once: they are constants)."""
    return (_rfc_preset(), _forum_preset(), *_mistake_presets())


def preset(preset_id: str) -> Preset | None:
    return next((p for p in all_presets() if p.id == preset_id), None)
