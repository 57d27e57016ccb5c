"""Renderers never show a secret unless asked: PLAINTEXT signatures are the key itself."""

from __future__ import annotations

import json

from oauth_debug import Credentials, HttpRequest, SigningTrace, sign_at, verify
from oauth_debug.render.trace_json import trace_to_dict
from oauth_debug.render.trace_markdown import trace_to_markdown

SECRET = "s3cr3t-value"
TOKEN_SECRET = "t0ken-s3cret"
CREDENTIALS = Credentials("key", SECRET, token="tok", token_secret=TOKEN_SECRET)


def plaintext_query_trace() -> SigningTrace:
    signed = sign_at(
        HttpRequest("GET", "https://api.example.com/items?a=1"),
        CREDENTIALS,
        timestamp="1700000000",
        nonce="abc",
        signature_method="PLAINTEXT",
        placement="query",
    )
    assert signed.signed_request is not None
    return verify(signed.signed_request, CREDENTIALS)


def test_markdown_of_a_verified_plaintext_url_hides_the_key() -> None:
    trace = plaintext_query_trace()
    text = trace_to_markdown(trace)
    assert SECRET not in text and TOKEN_SECRET not in text
    assert "oauth_signature=****" in text


def test_json_hides_the_key_unless_asked() -> None:
    trace = plaintext_query_trace()
    hidden = json.dumps(trace_to_dict(trace))
    assert SECRET not in hidden and TOKEN_SECRET not in hidden
    shown = trace_to_dict(trace, show_secrets=True)
    assert shown["signing_key"] == f"{SECRET}&{TOKEN_SECRET}"
    assert shown["signature"] == f"{SECRET}&{TOKEN_SECRET}"
