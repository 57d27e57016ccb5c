"""RFC 5849 3.4.1.3 parameter collection and normalization; 3.5.1 header rendering and parsing."""

from __future__ import annotations

import pytest

from oauth_debug import (
    DuplicateOAuthParameterError,
    FormBodyError,
    HttpRequest,
    MalformedHeaderError,
    Param,
)
from oauth_debug.params import collect, normalize, parse_authorization, render_authorization

FORM = "application/x-www-form-urlencoded"


def names_values(params: list[Param]) -> list[tuple[str, str, str]]:
    return [(p.name, p.value, p.source) for p in params]


def test_rfc_example_collects_every_source_decoded(rfc_request: HttpRequest) -> None:
    # RFC 5849 3.4.1.3.1: the decoded parameters of the example (header parameters added here).
    request = rfc_request.with_header(
        "Authorization",
        'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", '
        'oauth_signature="ignored%3D"',
    )
    assert names_values(collect(request)) == [
        ("b5", "=%3D", "query"),
        ("a3", "a", "query"),
        ("c@", "", "query"),
        ("a2", "r b", "query"),
        ("oauth_consumer_key", "9djdj82h48djs9d2", "oauth"),
        ("c2", "", "body"),
        ("a3", "2 q", "body"),
    ]


def test_realm_and_oauth_signature_are_not_collected() -> None:
    request = HttpRequest(
        "GET",
        "http://h/?oauth_signature=x",
        headers={"Authorization": 'OAuth realm="r", oauth_nonce="n"'},
    )
    assert names_values(collect(request)) == [("oauth_nonce", "n", "oauth")]


def test_non_oauth_authorization_header_is_ignored() -> None:
    request = HttpRequest("GET", "http://h/?a=1", headers={"Authorization": "Bearer abc"})
    assert names_values(collect(request)) == [("a", "1", "query")]


@pytest.mark.parametrize(
    "content_type",
    [FORM, "application/x-www-form-urlencoded; charset=utf-8", "Application/X-WWW-Form-URLEncoded"],
)
def test_form_body_is_collected(content_type: str) -> None:
    request = HttpRequest("POST", "http://h/", headers={"Content-Type": content_type}, body="a=1+2")
    assert names_values(collect(request)) == [("a", "1 2", "body")]


@pytest.mark.parametrize("content_type", [None, "application/json", "text/plain", "multipart/x"])
def test_other_bodies_contribute_no_parameters(content_type: str | None) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    request = HttpRequest("POST", "http://h/", headers=headers, body="a=1&b=2")
    assert collect(request) == []


def test_plus_decodes_to_space_in_query_and_form_but_percent_2b_stays_plus() -> None:
    request = HttpRequest(
        "POST", "http://h/?q=a+b&r=a%2Bb", headers={"Content-Type": FORM}, body="s=c+d&t=%2B"
    )
    assert [p.value for p in collect(request)] == ["a b", "a+b", "c d", "+"]


def test_duplicates_are_kept() -> None:
    request = HttpRequest("GET", "http://h/?a=1&a=1&a=2")
    assert [p.value for p in collect(request)] == ["1", "1", "2"]


def test_name_without_equals_has_an_empty_value() -> None:
    assert names_values(collect(HttpRequest("GET", "http://h/?name&x="))) == [
        ("name", "", "query"),
        ("x", "", "query"),
    ]


@pytest.mark.parametrize(
    ("where", "request_"),
    [
        ("query twice", HttpRequest("GET", "http://h/?oauth_nonce=a&oauth_nonce=b")),
        (
            "header and query",
            HttpRequest(
                "GET", "http://h/?oauth_nonce=a", headers={"Authorization": 'OAuth oauth_nonce="b"'}
            ),
        ),
        (
            "query and body",
            HttpRequest(
                "POST",
                "http://h/?oauth_token=a",
                headers={"Content-Type": FORM},
                body="oauth_token=b",
            ),
        ),
    ],
)
def test_duplicate_oauth_parameters_are_an_error(where: str, request_: HttpRequest) -> None:
    with pytest.raises(DuplicateOAuthParameterError, match="only once") as caught:
        collect(request_)
    assert caught.value.name in ("oauth_nonce", "oauth_token")
    assert len(caught.value.sources) == 2


def test_form_body_that_is_not_utf8_is_an_error() -> None:
    request = HttpRequest("POST", "http://h/", headers={"Content-Type": FORM}, body=b"a=\xff")
    with pytest.raises(FormBodyError, match="not UTF-8"):
        collect(request)


def test_form_body_with_a_stray_percent_is_an_error() -> None:
    request = HttpRequest("POST", "http://h/", headers={"Content-Type": FORM}, body=b"a=100%")
    with pytest.raises(FormBodyError, match="%25"):
        collect(request)


# Source: oauth.net wiki "TestCases", "Normalize Request Parameters" (research/vectors.md).
WIKI_NORMALIZATION = [
    ("name", "name="),
    ("a=b", "a=b"),
    ("a=b&c=d", "a=b&c=d"),
    ("a=x!y&a=x+y", "a=x%20y&a=x%21y"),
    ("x!y=a&x=a", "x=a&x%21y=a"),
]


@pytest.mark.parametrize(("query", "expected"), WIKI_NORMALIZATION)
def test_wiki_normalization(query: str, expected: str) -> None:
    assert normalize(collect(HttpRequest("GET", f"http://h/?{query}"))) == expected


def test_rfc_example_normalized_parameters(rfc_request: HttpRequest) -> None:
    # RFC 5849 3.4.1.3.2, with the example's five oauth_* header parameters.
    request = rfc_request.with_header(
        "Authorization",
        'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", '
        'oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", '
        'oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="x"',
    )
    assert normalize(collect(request)) == (
        "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2"
        "&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201"
        "&oauth_token=kkk9d7dh3k39sjv7"
    )


def test_sort_is_by_encoded_name_then_encoded_value_not_by_decoded_text() -> None:
    # Decoded, "a b" < "a+b" < "a-b"; encoded, "a%20b" < "a%2Bb" < "a-b" too, but "é" (%C3%A9)
    # sorts before "z" once encoded, and after it decoded.
    params = [Param("k", value, "query") for value in ("z", "é", "a-b", "a+b", "a b")]
    assert normalize(params) == "k=%C3%A9&k=a%20b&k=a%2Bb&k=a-b&k=z"


def test_sort_by_name_comes_before_value() -> None:
    params = [Param("b", "1", "query"), Param("a", "2", "query"), Param("a", "10", "query")]
    assert normalize(params) == "a=10&a=2&b=1"


def test_render_authorization_puts_realm_first_and_encodes_values() -> None:
    header = render_authorization(
        [("oauth_consumer_key", "key"), ("oauth_signature", "a+b/c=")], realm="Photos"
    )
    assert (
        header == 'OAuth realm="Photos", oauth_consumer_key="key", oauth_signature="a%2Bb%2Fc%3D"'
    )


def test_render_authorization_without_realm() -> None:
    assert render_authorization([("oauth_nonce", "a b")]) == 'OAuth oauth_nonce="a%20b"'


def test_render_escapes_quotes_in_realm() -> None:
    assert render_authorization([], realm='a"b') == 'OAuth realm="a\\"b"'


def test_parse_authorization_decodes_and_keeps_realm() -> None:
    header = 'OAuth realm="Example",oauth_nonce="7d8f%20", \t oauth_signature="r6%2FT%3D"'
    assert parse_authorization(header) == [
        ("realm", "Example"),
        ("oauth_nonce", "7d8f "),
        ("oauth_signature", "r6/T="),
    ]


def test_parse_authorization_scheme_is_case_insensitive() -> None:
    assert parse_authorization('oauth oauth_nonce="n"') == [("oauth_nonce", "n")]


@pytest.mark.parametrize(
    "header",
    [
        'Bearer oauth_nonce="n"',
        "OAuth oauth_nonce=n",
        'OAuth oauth_nonce="n" oauth_token="t"',
        'OAuth oauth_nonce="n',
        'OAuth ="n"',
        'OAuth oauth_nonce="%zz"',
        "OAuth ,,,",
    ],
)
def test_malformed_headers_are_an_error(header: str) -> None:
    with pytest.raises(MalformedHeaderError) as caught:
        parse_authorization(header)
    assert caught.value.header == header


def test_malformed_header_message_shows_the_expected_shape() -> None:
    with pytest.raises(MalformedHeaderError, match='name="percent-encoded value"'):
        parse_authorization("OAuth oauth_nonce=n")


def test_render_then_parse_round_trip_with_awkward_values() -> None:
    pairs = [("oauth_token", 'a"b,c=d é'), ("oauth_nonce", "")]
    assert parse_authorization(render_authorization(pairs, realm="R")) == [("realm", "R"), *pairs]


def test_realm_with_quotes_and_backslashes_survives_render_and_parse() -> None:
    realm = 'say "hi" \\ bye'
    assert parse_authorization(render_authorization([], realm=realm)) == [("realm", realm)]


def test_a_realm_parameter_outside_the_header_is_signed() -> None:
    # 3.4.1.3.1 excludes realm from the Authorization header only; found by the oauthlib
    # differential test after collection got a fast path.
    request = HttpRequest(
        "POST",
        "http://example.com/?realm=q",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": 'OAuth realm="h", oauth_nonce="n"',
        },
        body=b"realm=b",
    )
    assert [(p.name, p.value, p.source) for p in collect(request)] == [
        ("realm", "q", "query"),
        ("oauth_nonce", "n", "oauth"),
        ("realm", "b", "body"),
    ]
