"""The one redaction of the core (oauth_debug.redact), and the input messages a person meets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oauth_debug import (
    HttpRequest,
    InvalidURLError,
    OAuthDebugError,
    SignatureMismatch,
    sign_at,
    verify,
)
from oauth_debug.inputs import InputError, from_curl, request_from_options
from oauth_debug.model import Credentials, Secret
from oauth_debug.recipe import Recipe
from oauth_debug.redact import REDACTED, excerpt, redact
from oauth_debug.uri import split_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://h/p?a=1&oauth_signature=abc%2B&b=2", "https://h/p?a=1&oauth_signature=****&b=2"),
        (
            'OAuth oauth_nonce="n", oauth_signature="a\\"b", x="1"',
            'OAuth oauth_nonce="n", oauth_signature="****", x="1"',
        ),
        ("oauth_signature=Zq9#SECRET&x=1", "oauth_signature=****&x=1"),
        ('{"oauth_signature": "abc"}', '{"oauth_signature": "****"}'),
        ("a=1&OAUTH%5Fsignature=abc", "a=1&OAUTH%5Fsignature=****"),
        (
            "next=http%3A%2F%2Fh%2F%3Foauth_signature%3Dabc",
            "next=http%3A%2F%2Fh%2F%3Foauth_signature%3D****",
        ),
        (
            "curl 'https://h/?oauth_signature=abc' -H 'X: y'",
            "curl 'https://h/?oauth_signature=****' -H 'X: y'",
        ),
        ("https://user:pa55@h/p", "https://user:****@h/p"),
        ('oauth_signature=&oauth_signature=""', 'oauth_signature=&oauth_signature=""'),
        (
            "the request carries no oauth_signature; give one",
            "the request carries no oauth_signature; give one",
        ),
    ],
)
def test_redact_elides_every_signature_value(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_redact_elides_named_secrets_in_each_encoding() -> None:
    text = "a Zq9#SECRET b Zq9%23SECRET c Zq9%2523SECRET d Zq9%23SECRET"
    assert redact(text, [Secret("Zq9#SECRET")]) == "a **** b **** c **** d ****"
    assert redact("key=x", ["", Secret("")]) == "key=x"  # an empty secret replaces nothing


@given(st.text(st.sampled_from(list("oauth_signature=&\"'\\ %5F3D:#xy")), max_size=60))
def test_redact_is_idempotent_and_leaves_no_value(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


def test_excerpt_redacts_before_it_cuts() -> None:
    text = "Authorization: OAuth oauth_signature=" + "S" * 80
    shown = excerpt(text, 40)
    assert "S" not in shown and shown.endswith("...")


def test_the_core_marker_is_the_one_secrets_and_traces_print() -> None:
    assert str(Secret("x")) == REDACTED
    trace = sign_at(
        HttpRequest("GET", "https://h/"),
        Credentials("k", "x"),
        timestamp="1",
        nonce="n",
        signature_method="PLAINTEXT",
    )
    assert f"signature={REDACTED!r}" in repr(trace)


def test_error_data_and_attributes_are_redacted() -> None:
    url = "http://h:99999/p?oauth_signature=Zq9%2523SECRET%26"
    with pytest.raises(InvalidURLError) as caught:
        split_url(url)
    assert caught.value.url == "http://h:99999/p?oauth_signature=****"
    assert caught.value.data["url"] == caught.value.url
    assert caught.value.component == "port"


def test_an_error_message_is_one_line() -> None:
    assert str(OAuthDebugError("first line\nsecond line")) == "first line second line"

    def unreadable(path: str) -> bytes:
        raise FileNotFoundError(2, "No such file or directory")

    with pytest.raises(InputError) as caught:  # the file name holds a newline ($'...\n...')
        from_curl("curl -d @$'a\\nb' https://h/", reader=unreadable)
    assert "\n" not in str(caught.value)
    assert "cannot read the file" in str(caught.value)


# --- the input messages a person meets ------------------------------------------------------------


@pytest.mark.parametrize("url", ["://x", "//x", ":x/p"])
def test_a_url_without_scheme_gets_a_sensible_suggestion(url: str) -> None:
    with pytest.raises(InvalidURLError) as caught:
        split_url(url)
    assert caught.value.component == "scheme"
    assert "e.g. https://x" in str(caught.value)
    assert "https://:" not in str(caught.value) and "https:////" not in str(caught.value)


def test_a_url_without_scheme_keeps_its_suggestion() -> None:
    with pytest.raises(InvalidURLError) as caught:
        split_url("api.example.com/v1?a=1")
    assert "e.g. https://api.example.com/v1?a=1" in str(caught.value)


def test_a_url_with_nothing_like_a_host_gets_a_template() -> None:
    with pytest.raises(InvalidURLError) as caught:
        split_url("?a=1")
    assert str(caught.value).endswith("e.g. https://host/path")


def test_an_empty_curl_command_is_called_empty() -> None:
    with pytest.raises(InputError) as caught:
        request_from_options(curl="")
    assert "curl command given with --curl is empty" in str(caught.value)
    assert "none was given" not in str(caught.value)


@pytest.mark.parametrize(
    ("options", "said"),
    [({"url": " "}, "the URL given with --url is empty"), ({"http": ""}, "--http names no file")],
)
def test_an_empty_input_option_is_called_empty(options: dict[str, str], said: str) -> None:
    with pytest.raises(InputError) as caught:
        request_from_options(**options)
    assert said in str(caught.value)


def test_no_input_option_at_all_is_still_none_given() -> None:
    with pytest.raises(InputError) as caught:
        request_from_options()
    assert "(none was given)" in str(caught.value)


def test_an_hmac_mismatch_message_quotes_neither_signature() -> None:
    request = HttpRequest("GET", "https://h/p")
    credentials = Credentials("k", "right")
    sent = sign_at(request, credentials, timestamp="1", nonce="n").signed_request
    assert sent is not None
    with pytest.raises(SignatureMismatch) as caught:
        verify(sent, Credentials("k", "wrong"))
    mismatch = caught.value
    assert mismatch.claimed.reveal() not in str(mismatch)
    assert mismatch.expected not in str(mismatch)
    assert "HMAC-SHA1" in str(mismatch)


def test_a_trace_repr_elides_a_signature_its_base_string_kept() -> None:
    # verify with the keep-query mistake: the base string URI then holds the signed URL's query.
    url = "https://h/p?oauth_consumer_key=k&oauth_signature_method=PLAINTEXT&oauth_signature=x%26"
    recipe = Recipe(keep_query=True)
    with pytest.raises(SignatureMismatch) as caught:
        verify(HttpRequest("GET", url), Credentials("k", "Zq9#SECRET"), recipe=recipe)
    assert "oauth_signature%3Dx" in caught.value.trace.base_string
    assert "oauth_signature%3D****" in repr(caught.value.trace)
    parts = caught.value.trace.base_string_parts
    assert "oauth_signature%3Dx" in parts.uri
    assert "oauth_signature%3D****" in repr(parts) and "x%2526" not in repr(parts)


def test_other_credentials_are_elided_too() -> None:
    assert (
        redact("-H 'Authorization: Bearer tok3n' -H 'X: y'")
        == "-H 'Authorization: Bearer ****' -H 'X: y'"
    )
    assert (
        redact("Proxy-Authorization: Basic dXNlcjpwYXNz\r\n")
        == "Proxy-Authorization: Basic ****\r\n"
    )
    request = HttpRequest("GET", "https://h/", {"Authorization": "Bearer tok3n"})
    assert "tok3n" not in repr(request) and "Bearer ****" in repr(request)


def test_an_unquoted_plaintext_key_loses_its_token_half_too() -> None:
    # consumer secret & token secret (3.4.4), written without quotes in a header.
    text = (
        'OAuth oauth_consumer_key="k", oauth_signature=Zq9SECRET-c&TOKEN-SECRET-t, oauth_nonce="x"'
    )
    shown = redact(text)
    assert "SECRET" not in shown and 'oauth_nonce="x"' in shown
    # ...while the next pair of a query still ends the value.
    assert redact("?oauth_signature=abc&oauth_nonce=n") == "?oauth_signature=****&oauth_nonce=n"


@pytest.mark.parametrize("name", ["oauth_%73ignature", "oauth%5Fsignature", "%6Fauth_signature"])
def test_a_percent_encoded_name_is_a_signature_as_the_reader_decodes_it(name: str) -> None:
    from oauth_debug.reading import parse_pairs

    query = f"{name}=Zq9%2523SECRET-c%26&x=1"
    assert parse_pairs(query, "query")[0].name == "oauth_signature"
    assert redact(f"https://h/?{query}") == f"https://h/?{name}=****&x=1"


def test_the_sandbox_access_line_elides_the_signature_however_its_name_is_written() -> None:
    from oauth_debug.sandbox.connection import Head, access_line

    target = (
        "/gallery/api/v1/?oauth_signature_method=PLAINTEXT&oauth%5Fsignature=Zq9%2523SECRET-c%26"
    )
    line = access_line(Head("GET", target, "HTTP/1.1", ()), "401 Unauthorized")
    assert "SECRET" not in line and line.endswith(" 401")
