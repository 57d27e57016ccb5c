"""Digits that str.isdigit() accepts but int() refuses ("²") never escape as a ValueError."""

from __future__ import annotations

from oauth_debug import HttpRequest, diagnose
from oauth_debug.diagnosis.response import read_response

SUPERSCRIPT_TWO = "%C2%B2"


def test_a_superscript_timestamp_in_a_signed_url_is_diagnosed() -> None:
    request = HttpRequest(
        "GET",
        f"http://h.example/x?oauth_consumer_key=k&oauth_signature_method=HMAC-SHA1"
        f"&oauth_timestamp={SUPERSCRIPT_TWO}&oauth_nonce=n&oauth_signature=abc",
    )
    found = diagnose(request, None, now=1_700_000_000)
    assert found.verdict == "unchecked"
    assert "copied-signed-url" not in [finding.id for finding in found.findings]


def test_a_superscript_acceptable_timestamp_range_is_quoted_as_given() -> None:
    response = read_response(
        "HTTP/1.1 401 Unauthorized\n\n"
        "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=\u00b2-5"
    )
    message = response.findings[0].message
    assert "acceptable timestamps: \u00b2-5" in message
