"""The base-string diff (oauth_debug.diagnosis.basediff) on realistic pairs of base strings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oauth_debug import Credentials, HttpRequest, OAuthDebugError, sign_at
from oauth_debug.diagnosis.basediff import (
    MalformedBaseStringError,
    diff_base_strings,
    parse_base_string,
)

# RFC 5849 3.4.1.1: the example base string (section 3.1's request).
RFC = (
    "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D"
    "%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a"
    "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh"
    "3k39sjv7"
)


def test_rfc_base_string_is_produced_by_the_signer(
    rfc_request: HttpRequest, rfc_credentials: Credentials
) -> None:
    trace = sign_at(rfc_request, rfc_credentials, timestamp="137131201", nonce="7d8f3e4a")
    # The signer adds oauth_version; the RFC example has none: exactly one parameter apart.
    result = diff_base_strings(RFC, trace.base_string)
    assert result.first_difference == "parameter oauth_version is only in B (value '1.0')"


def test_parse_decodes_every_part() -> None:
    decoded = parse_base_string(RFC)
    assert decoded.method == "POST"
    assert decoded.uri == "http://example.com/request"
    assert decoded.parameters[:5] == (
        ("a2", "r b"),
        ("a3", "2 q"),
        ("a3", "a"),
        ("b5", "=%3D"),
        ("c@", ""),
    )
    assert decoded.encoded_parameters[0] == ("a2", "r%20b")
    assert decoded.uri_encoded and decoded.parameters_encoded
    assert decoded.notes == ()


def test_identical() -> None:
    result = diff_base_strings(RFC, RFC)
    assert result.identical
    assert result.first_offset is None
    assert result.first_part is None
    assert result.summary == "the base strings are identical"
    assert all(row.status == "same" for row in result.rows)


def test_lower_case_method() -> None:
    result = diff_base_strings(RFC, "post" + RFC[4:])
    assert result.first_offset == 0
    assert result.first_part == "method"
    assert "A has 'POST', B has 'post'" in result.first_difference
    assert "upper case" in result.first_difference


def test_plus_for_space_against_percent_2520() -> None:
    result = diff_base_strings(RFC, RFC.replace("a2%3Dr%2520b", "a2%3Dr%252Bb"))
    assert result.first_part == "parameter:a2"
    assert result.first_difference.startswith("parameter a2 differs: A has 'r b', B has 'r+b'")
    assert "spaces form-encoded as '+'" in result.first_difference
    assert RFC[result.first_offset or 0 :].startswith("0b%26a3")  # inside a2's value


def test_double_encoded_value() -> None:
    result = diff_base_strings(RFC, RFC.replace("a2%3Dr%2520b", "a2%3Dr%252520b"))
    row = next(r for r in result.rows if r.name == "a2")
    assert row.status == "different-value"
    assert row.note == "B's value is percent-encoded once too often"


def test_missing_parameter() -> None:
    result = diff_base_strings(RFC, RFC.replace("%26oauth_nonce%3D7d8f3e4a", ""))
    assert result.first_part == "parameter:oauth_nonce"
    assert result.first_difference == "parameter oauth_nonce is only in A (value '7d8f3e4a')"
    assert [r.status for r in result.rows if r.name == "oauth_nonce"] == ["only-a"]
    assert result.summary == "differences: only in A: oauth_nonce"


def test_different_port() -> None:
    result = diff_base_strings(RFC, RFC.replace("example.com%2F", "example.com%3A8080%2F", 1))
    assert result.uri_differences == ("port",)
    assert result.first_part == "uri:port"
    assert "A has none, B has '8080'" in result.first_difference


def test_default_port_kept() -> None:
    result = diff_base_strings(RFC, RFC.replace("example.com%2F", "example.com%3A80%2F", 1))
    assert "80 is the default port" in result.first_difference


def test_scheme_and_host_case() -> None:
    https = diff_base_strings(RFC, RFC.replace("http%3A", "https%3A", 1))
    assert https.first_part == "uri:scheme"
    upper = diff_base_strings(RFC, RFC.replace("example.com", "Example.com", 1))
    assert upper.first_part == "uri:host"
    assert "lower-cased" in upper.first_difference


def test_trailing_slash_and_query_in_uri() -> None:
    slash = diff_base_strings(RFC, RFC.replace("%2Frequest", "%2Frequest%2F", 1))
    assert slash.first_part == "uri:path"
    assert "trailing '/'" in slash.first_difference
    query = diff_base_strings(RFC, RFC.replace("%2Frequest", "%2Frequest%3Fa3%3Da", 1))
    assert query.first_part == "uri:query"


def test_slashes_not_encoded_in_the_uri() -> None:
    other = RFC.replace("http%3A%2F%2Fexample.com%2Frequest", "http%3A//example.com/request")
    result = diff_base_strings(RFC, other)
    assert result.first_part == "uri:encoding"
    assert [note.id for note in result.notes] == ["base-string-uri-not-encoded"]
    assert result.notes[0].data == {"side": "B"}


def test_reordered_parameters() -> None:
    other = RFC.replace("a2%3Dr%2520b%26a3%3D2%2520q", "a3%3D2%2520q%26a2%3Dr%2520b")
    result = diff_base_strings(RFC, other)
    assert result.order_differs
    assert result.first_part == "parameter:a2"
    assert "another order: at position 1 A has a2, B has a3" in result.first_difference
    assert all(row.status == "same" for row in result.rows)
    assert result.summary == "differences: parameter order"


def test_unencoded_parameter_string_is_a_note_not_a_failure() -> None:
    method, uri, params = RFC.split("&")
    raw_params = params.replace("%26", "&").replace("%3D", "=").replace("%25", "%")
    result = diff_base_strings(RFC, f"{method}&{uri}&{raw_params}")
    assert not result.b.parameters_encoded
    assert result.b.parameters == parse_base_string(RFC).parameters
    assert result.first_part == "parameters-encoding"
    assert result.first_difference.startswith("B's parameter string is not percent-encoded")
    assert [note.id for note in result.notes] == ["base-string-parameters-not-encoded"]
    assert all(row.status == "same" for row in result.rows)


def test_lower_case_hex_is_a_different_encoding_of_the_same_value() -> None:
    result = diff_base_strings(RFC, RFC.replace("b5%3D%253D", "b5%3D%253d"))
    row = next(r for r in result.rows if r.name == "b5")
    assert row.status == "different-encoding"
    assert (row.a_encoded, row.b_encoded) == ("%3D%253D", "%3d%253D")
    assert "lower-case hex" in result.first_difference


def test_forum_base_string_without_second_encoding() -> None:
    # shared/seed/forum-thread.txt: the asker's base string, raw "&" and "=" in the parameters.
    theirs = (
        "GET&http%3A%2F%2Fgallery.example.com%2Fgallery%2Fapi%2F&oauth_consumer_key=key&"
        "oauth_nonce=n&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1539870497&"
        "oauth_version=1.0&size=original"
    )
    decoded = parse_base_string(theirs)
    assert dict(decoded.parameters)["size"] == "original"
    assert not decoded.parameters_encoded


def test_to_dict_keys() -> None:
    document = diff_base_strings(RFC, "GET" + RFC[4:]).to_dict()
    assert set(document) == {
        "identical",
        "first_offset",
        "first_part",
        "first_difference",
        "summary",
        "uri_differences",
        "order_differs",
        "a",
        "b",
        "parameters",
        "notes",
    }
    assert document["first_part"] == "method"
    assert document["a"]["method"] == "POST"  # type: ignore[index]


@pytest.mark.parametrize(
    "text",
    ["", "GET", "GET&http%3A%2F%2Fh%2F", "&http%3A%2F%2Fh%2F&a", "GET&http%3A%2F%2Fh%2F&a%3D%ZZ"],
)
def test_malformed_base_string(text: str) -> None:
    with pytest.raises(MalformedBaseStringError) as caught:
        parse_base_string(text)
    assert "\n" not in str(caught.value)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.text(max_size=120),
        st.text(alphabet="GETPOST&%=23ADFhtp:/.a1+", max_size=80),
    )
)
def test_any_text_parses_or_raises_an_oauth_debug_error(text: str) -> None:
    try:
        decoded = parse_base_string(text)
    except OAuthDebugError as error:
        assert str(error)
    else:
        assert decoded.method
        assert diff_base_strings(text, text).identical
