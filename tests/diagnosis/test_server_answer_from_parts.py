"""A live answer is read from the parts received, never written out as ``curl -i`` text and parsed
again: one reading (diagnosis.response.ServerAnswer), made directly from what the client got."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from oauth_debug.cli.live_failures import diagnosis_of
from oauth_debug.diagnosis.response import ServerAnswer, read_parts, read_response
from oauth_debug.live.answer import classify, read_answer
from oauth_debug.live.response import ServerResponse
from oauth_debug.model import Credentials, HttpRequest

# A debugging server that echoes what it saw: its 401 body holds an HTTP transcript of its own.
ECHO_BODY = b"refused; upstream said:\nHTTP/1.1 200 OK\nContent-Type: text/plain\n\nall fine\n"
GALLERY = "http://h/gallery/api/v1/workflows/subscription/"


def test_a_body_holding_an_http_transcript_stays_the_body_of_the_401() -> None:
    answer = ServerResponse(401, (("Content-Type", "text/plain"),), ECHO_BODY, GALLERY)
    reading = read_answer(answer)
    assert (reading.status, reading.body) == (401, ECHO_BODY.decode())
    assert reading.refuses_oauth
    assert classify(answer).kind == "oauth-refusal"


def test_the_diagnosis_of_a_live_refusal_holds_the_answer_as_received() -> None:
    answer = ServerResponse(401, (), ECHO_BODY, GALLERY, reason="Signature Rejected")
    diagnosis = diagnosis_of(HttpRequest("GET", GALLERY), answer, Credentials("k", "s"))
    assert diagnosis is not None and diagnosis.response is not None
    assert isinstance(diagnosis.response, ServerAnswer)
    assert (diagnosis.response.status, diagnosis.response.reason) == (401, "Signature Rejected")


def test_the_reason_phrase_sent_is_kept_and_the_standard_one_stands_in_for_none() -> None:
    assert read_answer(ServerResponse(401, (), b"", reason="Token Expired")).reason == (
        "Token Expired"
    )
    assert read_answer(ServerResponse(401, (), b"")).reason == "Unauthorized"


def test_a_redirect_to_webapi_followed_by_the_client_is_seen_by_the_reading() -> None:
    # requests followed the redirect; only the final 401 is left, and its history names /webapi/.
    answer = ServerResponse(
        401, (), b"{}", "http://h/webapi/v1/", redirects=("http://h/webapi/v1/workflows/",)
    )
    assert "alteryx-oauth2-only" in [f.id for f in read_answer(answer).findings]


_TOKEN = st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12)
_VALUE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30).map(str.strip)


@given(
    status=st.integers(100, 599),
    headers=st.lists(st.tuples(_TOKEN, _VALUE), max_size=4),
    body=st.text(max_size=200),
)
def test_reading_the_parts_keeps_status_headers_and_body_exactly(
    status: int, headers: list[tuple[str, str]], body: str
) -> None:
    reading = read_parts(status, headers, body)
    assert (reading.status, reading.headers, reading.body) == (status, tuple(headers), body)


@given(body=st.text(st.characters(blacklist_characters="\r\n"), max_size=80))
def test_parts_and_saved_text_of_a_one_block_answer_read_alike(body: str) -> None:
    # The two ways in end in the same reading whenever the text is a faithful copy of the parts.
    text = f"HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\n\r\n{body}"
    from_text = read_response(text)
    from_parts = read_parts(401, (("Content-Type", "text/plain"),), body, reason="Unauthorized")
    assert from_parts == from_text
