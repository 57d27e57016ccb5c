"""The steps renderer formats the trace's values: it does not encode, sort or split again.

A trace replaying a mistake (a recipe) holds the pairs and the URI as that recipe made them; the
steps must show those, not what RFC 5849 would have made (render/steps.py used to re-encode the
parameters and re-split the URL with the RFC rules).
"""

from __future__ import annotations

import dataclasses

from oauth_debug import Credentials, HttpRequest
from oauth_debug.recipe import rfc_with
from oauth_debug.render.steps import HAND_MADE_NOTE, Step, trace_steps
from oauth_debug.signer import compute
from oauth_debug.trace import SigningTrace, uri_changes

CREDENTIALS = Credentials("key", "secret")
REQUEST = HttpRequest(
    "GET",
    "HTTP://Example.COM:80/a?b=x%2Fy&c=1",
    headers={
        "Authorization": 'OAuth oauth_consumer_key="key", oauth_nonce="n", '
        'oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_version="1.0"'
    },
)


def _step(trace: SigningTrace, title: str) -> Step:
    return next(s for s in trace_steps(trace) if s.title.startswith(title))


def test_step_two_shows_the_pairs_the_recipe_encoded() -> None:
    trace = compute(REQUEST, CREDENTIALS, "HMAC-SHA1", rfc_with({"lowercase_hex": True}))
    rows = _step(trace, "Percent-encode").rows
    assert ("b", "x%2fy") in rows
    assert rows == trace.sorted_pairs


def test_step_two_of_a_hand_made_trace_says_it_has_no_pairs() -> None:
    trace = dataclasses.replace(compute(REQUEST, CREDENTIALS, "HMAC-SHA1"), sorted_pairs=())
    step = _step(trace, "Percent-encode")
    assert step.rows == ()
    assert step.notes == (HAND_MADE_NOTE,)


def test_the_uri_notes_follow_the_recipe() -> None:
    rfc = compute(REQUEST, CREDENTIALS, "HMAC-SHA1")
    kept = compute(
        REQUEST,
        CREDENTIALS,
        "HMAC-SHA1",
        rfc_with({"keep_host_case": True, "port": "always", "keep_query": True}),
    )
    assert _step(rfc, "Build the base string URI").notes == (
        "The scheme and host were lower-cased.",
        ":80 is the default port for http: left out.",
        "The query string is not part of the URI: its parameters were collected.",
    )
    assert kept.base_string_uri == "HTTP://Example.COM:80/a?b=x%2Fy&c=1"
    assert _step(kept, "Build the base string URI").notes == ()


def test_uri_changes_of_an_rfc_trace() -> None:
    trace = compute(
        HttpRequest("GET", "https://h.example:443", headers=REQUEST.headers),
        CREDENTIALS,
        "HMAC-SHA1",
    )
    changes = uri_changes(trace)
    assert (changes.lowered, changes.dropped_port, changes.query_left_out, changes.empty_path) == (
        False,
        443,
        False,
        True,
    )
    assert changes.scheme == "https"
