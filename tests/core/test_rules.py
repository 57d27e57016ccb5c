"""Each protocol rule in oauth_debug.rules, and the modules that decide by it.

The rules were written two or three times before (the timestamp with two milliseconds heuristics,
the token grammar twice, the placement check three times); these tests pin the one version.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oauth_debug import HttpRequest, InvalidOptionError, InvalidRequestError, sign_at
from oauth_debug.diagnosis.findings import check_request
from oauth_debug.inputs.raw_http import from_http
from oauth_debug.inputs.result import InputError
from oauth_debug.model import Credentials
from oauth_debug.rules import (
    HEADER_OR_QUERY,
    MILLISECOND_FLOOR,
    PLACEMENTS,
    PLAINTEXT_OPTIONAL,
    REQUIRED_PARAMETERS,
    check_placement,
    finer_unit,
    is_http_token,
    is_placement,
    looks_like_milliseconds,
    parse_timestamp,
    required_parameters,
    whole_number,
    within_window,
)
from oauth_debug.signer import PLACEMENTS as SIGNER_PLACEMENTS

# RFC 9110 5.6.2, spelled out as the RFC lists tchar (not copied from the module's regex).
TCHAR = set("!#$%&'*+-.^_`|~") | set(string.digits) | set(string.ascii_letters)
CREDENTIALS = Credentials("key", "secret")


# ---- HTTP token ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["GET", "PROPFIND", "X-Custom_1", "a.b", "~!#$%&'*+-.^_`|"])
def test_tokens(text: str) -> None:
    assert is_http_token(text)


@pytest.mark.parametrize("text", ["", "GE T", "GET\n", "(GET)", "a:b", "caf\u00e9", '"x"', "a/b"])
def test_not_tokens(text: str) -> None:
    assert not is_http_token(text)


@given(st.text(max_size=12))
def test_a_token_is_one_or_more_tchar(text: str) -> None:
    assert is_http_token(text) == (text != "" and set(text) <= TCHAR)


def test_request_and_input_readers_share_the_token_grammar() -> None:
    # HttpRequest refuses a method with a space; the raw-HTTP reader refuses the same method.
    with pytest.raises(InvalidRequestError, match="not an HTTP method name"):
        HttpRequest("GE T", "https://h.example/")
    with pytest.raises(InputError, match="is not an HTTP method"):
        from_http("G(ET / HTTP/1.1\nHost: h.example\n\n")


# ---- Whole numbers and the timestamp (RFC 5849 3.3) -----------------------------------------


@given(st.integers(min_value=0, max_value=10**20))
def test_whole_number_reads_ascii_digits(number: int) -> None:
    assert whole_number(str(number)) == number
    assert parse_timestamp(str(number)) == number


@pytest.mark.parametrize(
    "text", ["", "-1", "+1", " 1", "1 ", "1.5", "1e9", "\u00b2", "\u0661\u0662"]
)
def test_whole_number_refuses_anything_else(text: str) -> None:
    assert whole_number(text) is None
    assert parse_timestamp(text) is None


@given(st.text(min_size=1, max_size=8).filter(lambda t: not (t.isascii() and t.isdigit())))
def test_text_with_a_non_digit_is_no_timestamp(text: str) -> None:
    assert parse_timestamp(text) is None


def test_the_milliseconds_floor() -> None:
    assert MILLISECOND_FLOOR == 10**11
    assert not looks_like_milliseconds(10**11 - 1)
    assert looks_like_milliseconds(10**11)
    assert not looks_like_milliseconds(1_795_867_190)  # 2026 in seconds
    assert looks_like_milliseconds(1_795_867_190_000)  # the same moment in milliseconds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1795867190", None),
        ("99999999999", None),
        ("100000000000", (1000, "milliseconds")),
        ("1795867190000", (1000, "milliseconds")),
        ("17958671900000", (1000, "milliseconds")),
        ("179586719000000", (1_000_000, "microseconds")),
        ("1795867190000000", (1_000_000, "microseconds")),
        ("1795867190000x", None),
    ],
)
def test_finer_unit(text: str, expected: tuple[int, str] | None) -> None:
    assert finer_unit(text) == expected


@given(
    st.integers(min_value=0, max_value=2**40),
    st.integers(min_value=-(2**20), max_value=2**20),
    st.integers(min_value=1, max_value=2**16),
)
def test_the_window_is_symmetric_and_closed(reference: int, offset: int, window: int) -> None:
    inside = within_window(reference + offset, reference, window)
    assert inside == (abs(offset) <= window)
    assert within_window(reference - offset, reference, window) == inside


def test_diagnosis_decides_milliseconds_by_the_floor() -> None:
    def finding_ids(timestamp: str) -> list[str]:
        request = HttpRequest(
            "GET",
            "https://h.example/x?oauth_consumer_key=k&oauth_signature_method=HMAC-SHA1"
            f"&oauth_timestamp={timestamp}&oauth_nonce=n&oauth_signature=abc",
        )
        found = check_request(
            request,
            now=1_795_867_190,
            server_date=None,
            signature_valid=None,
            consumer_secret_known=False,
        )
        return [f.id for f in found]

    assert "timestamp-milliseconds" in finding_ids(str(MILLISECOND_FLOOR))
    below = finding_ids(str(MILLISECOND_FLOOR - 1))
    assert "timestamp-milliseconds" not in below and "timestamp-future" in below


def test_the_signer_takes_the_same_timestamps() -> None:
    request = HttpRequest("GET", "https://h.example/")
    trace = sign_at(request, CREDENTIALS, timestamp="0123", nonce="n")
    assert dict(trace.oauth_parameters)["oauth_timestamp"] == "0123"
    with pytest.raises(InvalidOptionError, match=r"RFC 5849 3\.3"):
        sign_at(request, CREDENTIALS, timestamp="\u00b2", nonce="n")


# ---- Required protocol parameters (RFC 5849 3.1) ----------------------------------------------


def test_the_required_parameters() -> None:
    assert REQUIRED_PARAMETERS == (
        "oauth_consumer_key",
        "oauth_signature_method",
        "oauth_signature",
        "oauth_timestamp",
        "oauth_nonce",
    )
    assert required_parameters("HMAC-SHA1") == REQUIRED_PARAMETERS
    assert required_parameters(None) == REQUIRED_PARAMETERS
    assert required_parameters("HMAC-SHA1", token=True) == (*REQUIRED_PARAMETERS, "oauth_token")


def test_plaintext_may_leave_out_timestamp_and_nonce() -> None:
    assert {"oauth_timestamp", "oauth_nonce"} == PLAINTEXT_OPTIONAL
    assert required_parameters("PLAINTEXT") == (
        "oauth_consumer_key",
        "oauth_signature_method",
        "oauth_signature",
    )
    # Method names are case-sensitive (3.4): "plaintext" is no PLAINTEXT and gets no exemption.
    assert required_parameters("plaintext") == REQUIRED_PARAMETERS


# ---- Placement (RFC 5849 3.5) ----------------------------------------------------------------


def test_the_placements() -> None:
    assert PLACEMENTS == ("header", "query", "body")
    assert SIGNER_PLACEMENTS is PLACEMENTS
    assert HEADER_OR_QUERY == ("header", "query")


@pytest.mark.parametrize("placement", ["header", "query", "body"])
def test_a_placement_passes(placement: str) -> None:
    assert is_placement(placement)
    assert check_placement(placement) == placement


@pytest.mark.parametrize("value", ["Header", "url", "", None, 3, b"header"])
def test_anything_else_is_refused_with_the_list(value: object) -> None:
    assert not is_placement(value)
    with pytest.raises(InvalidOptionError) as caught:
        check_placement(value)
    assert str(caught.value) == f"placement must be one of header, query, body, got {value!r}"
    assert caught.value.data == {"option": "placement"}


def test_a_narrower_choice_names_itself() -> None:
    assert check_placement("query", HEADER_OR_QUERY, where=" with httpx") == "query"
    with pytest.raises(InvalidOptionError) as caught:
        check_placement("body", HEADER_OR_QUERY, where=" with httpx")
    assert str(caught.value) == "placement must be one of header, query with httpx, got 'body'"


def test_the_signer_and_compute_check_placement_by_the_rule() -> None:
    from oauth_debug.signer import compute

    request = HttpRequest("GET", "https://h.example/")
    with pytest.raises(InvalidOptionError, match="placement must be one of header, query, body"):
        sign_at(request, CREDENTIALS, timestamp=1, nonce="n", placement="url")
    signed = sign_at(request, CREDENTIALS, timestamp=1, nonce="n", placement="query")
    assert signed.signed_request is not None and signed.placement == "query"
    with pytest.raises(InvalidOptionError, match="got 'url'"):
        compute(signed.signed_request, CREDENTIALS, "HMAC-SHA1", placement="url")
    again = compute(signed.signed_request, CREDENTIALS, "HMAC-SHA1", placement="query")
    assert again.signature == signed.signature and again.placement == "query"


def test_a_content_length_is_a_whole_number() -> None:
    head = "POST /x HTTP/1.1\nHost: h.example\nContent-Type: text/plain\n"
    assert from_http(head + "Content-Length: 2\n\nhi!").request.body == b"hi"
    with pytest.raises(InputError, match="is not a number of bytes"):
        from_http(head + "Content-Length: \u00b2\n\nhi")
