"""Server-response readers (diagnose.response) over every shape in tests/data/responses."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oauth_debug import HttpRequest, OAuthDebugError
from oauth_debug.diagnosis.response import MalformedResponseError, ServerAnswer, read_response

RESPONSES = Path(__file__).parents[1] / "data" / "responses"


def load(name: str, request: HttpRequest | None = None) -> ServerAnswer:
    return read_response((RESPONSES / name).read_text(encoding="utf-8"), request=request)


def ids(response: ServerAnswer) -> list[str]:
    return [finding.id for finding in response.findings]


def test_alteryx_unauthorized() -> None:
    response = load("alteryx-unauthorized.http")
    assert (response.status, response.reason) == (401, "Unauthorized")
    assert response.server_kind == "alteryx"
    assert response.date == "Wed, 17 Oct 2018 14:20:05 GMT"
    assert ids(response) == ["alteryx-unauthorized"]
    finding = response.findings[0]
    assert "The provided signature(oauth_signature) is invalid." in finding.message
    assert finding.severity == "error"
    assert response.header("access-control-max-age") == "1728000"


def test_the_sandbox_401_is_read_with_its_own_diagnosis() -> None:
    text = (
        "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n"
        '{"data":null,"exceptionName":"UnauthorizedException","innerExceptionMessage":"",'
        '"message":"The provided signature(oauth_signature) is invalid.",'
        '"diagnosis":{"verdict":"explained","mistakes":["plus-for-space"]}}'
    )
    response = read_response(text)
    assert "alteryx-unauthorized" not in ids(response)
    finding = next(f for f in response.findings if f.id == "sandbox-diagnosis")
    assert finding.severity == "error"
    assert "verdict explained, mistakes: plus-for-space" in finding.message
    assert finding.data["mistakes"] == ["plus-for-space"]
    assert response.expected_base_string is None  # the sandbox's diagnosis already says it


def test_other_alteryx_exception_is_not_called_unauthorized() -> None:
    text = (
        'HTTP/1.1 400 Bad Request\n\n{"data":null,"exceptionName":"ArgumentException",'
        '"innerExceptionMessage":"","message":"Invalid app id"}'
    )
    assert ids(read_response(text)) == ["alteryx-error"]


def test_oauth_problem_timestamp_refused_compared_with_the_request() -> None:
    request = HttpRequest("GET", "http://api.example.com/x?oauth_timestamp=1539784724")
    response = load("oauth-problem-timestamp.http", request)
    assert response.server_kind == "oauth-problem-reporting"
    finding = response.findings[0]
    assert finding.id == "oauth-problem"
    assert finding.data["problem"] == "timestamp_refused"
    assert finding.data["oauth_acceptable_timestamps"] == "1539798831-1539799431"
    assert "the request's 1539784724 is 14107 s too early" in finding.message


def test_oauth_problem_timestamp_window_without_a_request() -> None:
    finding = load("oauth-problem-timestamp.http").findings[0]
    assert "accepts timestamps from 1539798831 to 1539799431" in finding.message
    assert "request_timestamp" not in finding.data


def test_oauth_problem_in_www_authenticate() -> None:
    response = load("oauth-problem-header.http")
    finding = response.findings[0]
    assert finding.data["problem"] == "parameter_absent"
    assert finding.data["oauth_parameters_absent"] == "oauth_nonce&oauth_timestamp"
    assert response.body == ""


@pytest.mark.parametrize("problem", ["nonce_used", "signature_invalid", "consumer_key_unknown"])
def test_oauth_problem_names_in_a_body(problem: str) -> None:
    response = read_response(f"HTTP/1.1 401 Unauthorized\n\noauth_problem={problem}")
    assert response.findings[0].data["problem"] == problem
    assert problem in response.findings[0].message


@pytest.mark.parametrize(("name", "code"), [("twitter-32.http", 32), ("twitter-135.http", 135)])
def test_twitter_errors(name: str, code: int) -> None:
    response = load(name)
    assert response.status == 401
    assert response.reason == "Unauthorized"  # HTTP/2 prints no reason: filled from the code
    assert response.server_kind == "twitter"
    assert ids(response) == [f"twitter-error-{code}"]
    assert response.date == "Sat, 28 Nov 2026 12:00:00 GMT"


def test_other_twitter_code_is_generic() -> None:
    text = 'HTTP/2 401\n\n{"errors":[{"code":89,"message":"Invalid or expired token."}]}'
    assert ids(read_response(text)) == ["twitter-error"]


def test_expected_base_string_in_text() -> None:
    response = load("expected-base-string.http")
    assert response.expected_base_string == (
        "GET&http%3A%2F%2Fapi.example.com%2Fv1%2Fuser&oauth_consumer_key%3Dkey%26oauth_nonce%3D"
        "abc%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1795867200%26oauth_version"
        "%3D1.0"
    )
    assert ids(response) == ["expected-base-string"]


def test_expected_base_string_in_json() -> None:
    response = load("expected-base-string-json.http")
    assert response.expected_base_string is not None
    assert response.expected_base_string.startswith("POST&https%3A%2F%2Fapi.example.com%2Fv1%2F")


def test_expected_base_string_in_html() -> None:
    text = "HTTP/1.1 401 Unauthorized\n\n<p>Base string: GET&amp;http%3A%2F%2Fh%2F&amp;a%3D1</p>"
    assert read_response(text).expected_base_string == "GET&http%3A%2F%2Fh%2F&a%3D1"


def test_alteryx_gallery_404_means_oauth2_only() -> None:
    response = load("alteryx-2022-gallery-404.http")
    finding = response.findings[0]
    assert finding.id == "alteryx-oauth2-only"
    assert "2022.1" in finding.message
    assert "POST {host}/webapi/oauth2/token" in finding.message
    assert "Bearer" in finding.message


def test_gallery_404_known_from_the_request_url() -> None:
    request = HttpRequest("GET", "https://h.example/gallery/api/v1/workflows/subscription/")
    response = read_response("HTTP/1.1 404 Not Found\n\nnot here", request=request)
    assert ids(response) == ["alteryx-oauth2-only"]


def test_a_404_elsewhere_is_not_oauth2_only() -> None:
    request = HttpRequest("GET", "https://h.example/api/v1/other")
    response = read_response("HTTP/1.1 404 Not Found\n\nnot here", request=request)
    assert "alteryx-oauth2-only" not in ids(response)


def test_curl_follow_transcript_takes_the_last_response_and_its_redirects() -> None:
    response = load("alteryx-redirect-webapi.http")
    assert response.status == 401
    assert response.date == "Sat, 28 Nov 2026 12:00:01 GMT"
    finding = response.findings[0]
    assert finding.id == "alteryx-oauth2-only"
    assert finding.data["location"] == (
        "https://server.example.com/webapi/v1/workflows/subscription/"
    )


def test_crlf_and_100_continue() -> None:
    text = (
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 401 Unauthorized\r\nDate: Sat, 28 Nov 2026 "
        "12:00:00 GMT\r\n\r\noauth_problem=nonce_used"
    )
    response = read_response(text)
    assert response.status == 401
    assert response.body == "oauth_problem=nonce_used"
    assert response.findings[0].data["problem"] == "nonce_used"


def test_a_status_line_inside_a_body_stays_body() -> None:
    text = "HTTP/1.1 400 Bad Request\n\nline one\nHTTP/1.1 200 OK\nnot a header line\n"
    response = read_response(text)
    assert response.status == 400
    assert "HTTP/1.1 200 OK" in response.body


def test_folded_header_is_joined() -> None:
    response = read_response("HTTP/1.1 200 OK\nX-Long: one\n two\n\n")
    assert response.header("X-Long") == "one two"
    assert response.findings == ()


def test_unrecognised_401_is_reported_as_such() -> None:
    response = read_response('HTTP/1.1 401 Unauthorized\nWWW-Authenticate: OAuth realm="x"\n\n')
    assert ids(response) == ["http-error"]
    assert 'WWW-Authenticate: OAuth realm="x"' in response.findings[0].message


def test_unreadable_date_is_dropped_with_a_note() -> None:
    response = read_response("HTTP/1.1 200 OK\nDate: tomorrow\n\n{}")
    assert response.date is None
    assert ids(response) == ["response-date-unreadable"]


@pytest.mark.parametrize(
    "text",
    ["", '{"errors": []}', "HTTP/1.1 401 Unauthorized\nthis is no header\n\nbody", "HTTP/x 200"],
)
def test_malformed_response_is_one_line_error(text: str) -> None:
    with pytest.raises(MalformedResponseError) as caught:
        read_response(text)
    assert "\n" not in str(caught.value)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.builds(
            lambda head, body: f"HTTP/1.1 {head}\n{body}",
            st.text(max_size=40),
            st.text(max_size=120),
        ),
        st.builds(
            lambda status, body: f"HTTP/2 {status}\n\n{body}",
            st.integers(100, 599),
            st.text(alphabet='oauth_problem=&-0123456789{}"[]:,errorscode%GET ', max_size=80),
        ),
    )
)
def test_any_text_gives_a_response_or_an_oauth_debug_error(text: str) -> None:
    try:
        response = read_response(text)
    except OAuthDebugError as error:
        assert str(error)
    else:
        assert 100 <= response.status <= 999
        assert all(finding.id for finding in response.findings)
