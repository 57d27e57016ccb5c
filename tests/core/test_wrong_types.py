"""Wrongly typed arguments to the public API end in an OAuthDebugError that names them."""

from __future__ import annotations

from typing import Any

import pytest

from oauth_debug import (
    Credentials,
    HttpRequest,
    InvalidOptionError,
    InvalidRequestError,
    diagnose,
    sign_at,
    verify,
)

REQUEST = HttpRequest("GET", "https://api.example.com/items")
SIGNED = HttpRequest(
    "GET", "https://api.example.com/items?oauth_signature=a&oauth_signature_method=HMAC-SHA1"
)
CREDENTIALS = Credentials("key", "secret")


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"nonce": 5}, "nonce"),
        ({"version": 5}, "version"),
        ({"signature_method": None}, "signature_method"),
        ({"realm": b"r"}, "realm"),
        ({"timestamp": None}, "timestamp"),
        ({"timestamp": True}, "timestamp"),
        ({"timestamp": "12:00"}, "timestamp"),
        ({"body_hash": "yes"}, "body_hash"),
    ],
)
def test_sign_at_names_the_wrong_option(options: dict[str, Any], named: str) -> None:
    arguments: dict[str, Any] = {"timestamp": 1, "nonce": "n", **options}
    with pytest.raises(InvalidOptionError) as raised:
        sign_at(REQUEST, CREDENTIALS, **arguments)
    assert named in str(raised.value)


@pytest.mark.parametrize("headers", [5, [("only-a-name",)]])
def test_headers_of_the_wrong_shape(headers: Any) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        HttpRequest("GET", "https://api.example.com/", headers=headers)
    assert raised.value.data["part"] == "headers"


def test_request_and_credentials_of_the_wrong_type() -> None:
    with pytest.raises(InvalidRequestError, match="expected an HttpRequest"):
        sign_at("GET /", CREDENTIALS, timestamp=1, nonce="n")  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError, match="expected Credentials"):
        verify(SIGNED, ("key", "secret"))  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError, match="expected an HttpRequest"):
        diagnose(None)  # type: ignore[arg-type]


def test_diagnose_checks_its_clock_and_reads_a_response_given_as_bytes() -> None:
    with pytest.raises(InvalidOptionError, match="now must be a finite number"):
        diagnose(SIGNED, now="today")  # type: ignore[arg-type]
    found = diagnose(SIGNED, response=b"HTTP/1.1 401 Unauthorized\r\n\r\nno")
    assert found.response is not None and found.response.status == 401


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"now": float("inf")}, "now must be a finite number"),
        ({"now": float("nan")}, "now must be a finite number"),
        ({"stale_after": float("nan")}, "--window must be a positive number of seconds"),
        ({"stale_after": 0}, "--window must be a positive number of seconds"),
        ({"stale_after": -5}, "--window must be a positive number of seconds"),
        ({"server_date": "yesterday"}, "is not an HTTP date"),
    ],
)
def test_diagnose_refuses_clocks_it_cannot_use(options: dict[str, Any], message: str) -> None:
    # SIGNED carries no oauth_timestamp: the server date is checked all the same.
    with pytest.raises(InvalidOptionError, match=message):
        diagnose(SIGNED, **options)


def test_no_line_break_can_enter_a_header() -> None:
    with pytest.raises(InvalidRequestError, match="line break"):
        HttpRequest("GET", "https://api.example.com/", headers={"X": "a\r\nInjected: 1"})
    with pytest.raises(InvalidRequestError, match="line break"):
        REQUEST.with_header("X", "a\nb")
    with pytest.raises(InvalidOptionError, match="control character"):
        sign_at(REQUEST, CREDENTIALS, timestamp=1, nonce="n", realm="x\r\nInjected: 1")
