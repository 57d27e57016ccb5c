"""RFC 5849 3.6 percent-encoding and the strict decoder."""

from __future__ import annotations

import pytest

from oauth_debug import EncodingError
from oauth_debug.encoding import UNRESERVED, percent_decode, percent_encode

# Source: oauth.net wiki "TestCases" page, "Parameter Encoding" table (see research/vectors.md).
WIKI_ENCODING = [
    ("abcABC123", "abcABC123"),
    ("-._~", "-._~"),
    ("%", "%25"),
    ("+", "%2B"),
    ("&=*", "%26%3D%2A"),
    ("\u000a", "%0A"),
    ("\u0020", "%20"),
    ("\u007f", "%7F"),
    ("\u0080", "%C2%80"),
    ("\u3001", "%E3%80%81"),
    ("\u2708", "%E2%9C%88"),
]


@pytest.mark.parametrize(("text", "encoded"), WIKI_ENCODING, ids=[e for _, e in WIKI_ENCODING])
def test_wiki_encoding_table(text: str, encoded: str) -> None:
    assert percent_encode(text) == encoded


def test_only_unreserved_characters_stay_and_hex_is_upper_case() -> None:
    for code in range(128):
        char = chr(code)
        expected = char if char in UNRESERVED else f"%{code:02X}"
        assert percent_encode(char) == expected, char


def test_reserved_characters_that_javascript_leaves_alone_are_encoded() -> None:
    # encodeURIComponent keeps !*'() (research/pitfalls.md, 1); RFC 5849 3.6 does not.
    assert percent_encode("!*'()") == "%21%2A%27%28%29"


def test_slash_is_encoded() -> None:
    # urllib's quote() keeps "/" by default; 3.6 does not.
    assert percent_encode("http://h/p") == "http%3A%2F%2Fh%2Fp"


def test_bytes_are_encoded_as_given() -> None:
    assert percent_encode(b"\xff a") == "%FF%20a"


def test_decode_is_the_inverse_of_encode_for_unicode() -> None:
    text = "r b=%3D&é✈"
    assert percent_decode(percent_encode(text)) == text


def test_decode_accepts_lower_case_hex() -> None:
    assert percent_decode("%e2%9c%88") == "\u2708"


def test_plus_is_literal_unless_form_rule_applies() -> None:
    assert percent_decode("2+q") == "2+q"
    assert percent_decode("2+q", plus_is_space=True) == "2 q"
    assert percent_decode("%2B", plus_is_space=True) == "+"


def test_raw_characters_pass_through_the_decoder() -> None:
    # oauthlib rejects a raw "[" in a query; we keep it (research/peers.md).
    assert percent_decode("a[0]é") == "a[0]é"


@pytest.mark.parametrize("text", ["%", "%2", "a%zz", "100%"])
def test_stray_percent_is_an_encoding_error_that_says_how_to_fix_it(text: str) -> None:
    with pytest.raises(EncodingError) as caught:
        percent_decode(text)
    assert caught.value.text == text
    assert "%25" in str(caught.value)


def test_escapes_that_are_not_utf8_are_an_encoding_error() -> None:
    with pytest.raises(EncodingError, match="not UTF-8") as caught:
        percent_decode("%FF%FE")
    assert caught.value.text == "%FF%FE"


def test_text_that_is_not_unicode_is_an_encoding_error() -> None:
    # A lone surrogate cannot be UTF-8 encoded; the caller learns which text, not a UnicodeError.
    with pytest.raises(EncodingError, match="not valid Unicode") as caught:
        percent_encode("a\udc80b")
    assert caught.value.text == "a\udc80b"


@pytest.mark.parametrize("length", [1, 64, 65, 500])
def test_short_and_long_texts_encode_alike(length: int) -> None:
    # Short texts go through a cache, long ones do not: both must give the 3.6 encoding.
    text = ("a b/é" * length)[:length]
    assert percent_encode(text) == percent_encode(text.encode("utf-8"))
