"""Any text in, a ParsedInput or an OAuthDebugError out: the readers never raise anything else.

Three generators: arbitrary text, soups of curl-ish words (quotes, continuations, options that take
values, $'' and ^ escapes), and soups of HTTP-ish lines (request lines, headers, folds, bodies).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from oauth_debug.diagnosis import diagnose
from oauth_debug.errors import OAuthDebugError
from oauth_debug.inputs import ParsedInput, from_curl, from_http, from_url

CURL_WORDS = [
    "curl", "-X", "POST", "-XPUT", "-H", "'A: b'", "-HX;", "'X:'", "-d", "a=1", "-d@f",
    "--data-urlencode", "'a=b c'", "n@f", "--data-raw", "--data-binary", "@-", "--json", "'{}'",
    "-G", "-I", "-F", "-T", "-u", "u:p", "--url", "http://h/p?q=1", "https://h:99999/",
    "'http://[::1'", "h/p", "%zz", "-sSL", "--compressed", "--frobnicate", "$'a\\'b\\n\\x41'",
    "$'", "'", '"', '"x\\"y"', "\\\n", "^\n", '^"', "^^", "|", ";", "$", "\t", "\r\n",
    "'Authorization: OAuth oauth_signature=\"a%2B\"'", "'Authorization: OAuth x'",
]  # fmt: skip
HTTP_LINES = [
    "GET / HTTP/1.1", "POST http://h/p?a=1 HTTP/1.1", "GET /p", "OPTIONS * HTTP/1.1",
    "HTTP/1.1 401 Unauthorized", "Host: h", "Host: ", "Host: h:80", "Content-Length: 3",
    "Content-Length: x", "Transfer-Encoding: chunked", " folded", "\tmore", "", ":authority: a",
    ":scheme: https", "Content-Type: application/x-www-form-urlencoded", "a=b&c=%zz", "5",
    "hello", "0", "zz;x", "Authorization: OAuth oauth_signature=\"s\", oauth_nonce=\"n\"",
    "Authorization: OAuth broken", "GET /%zz?%E9 HTTP/1.1", "Name Without Colon",
]  # fmt: skip


def assert_reads_or_explains(reader: Callable[..., ParsedInput], *args: Any) -> None:
    try:
        parsed = reader(*args)
    except OAuthDebugError as error:
        assert str(error)  # a message a person can read
    else:
        assert isinstance(parsed, ParsedInput)
        assert parsed.request.url
        # What a reader lets through, the diagnosis must take too (base string, findings).
        try:
            diagnose(parsed.request, now=0)
        except OAuthDebugError as error:
            assert str(error)


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text(text: str) -> None:
    assert_reads_or_explains(from_curl, text)
    assert_reads_or_explains(from_curl, "curl " + text)
    assert_reads_or_explains(from_http, text)
    assert_reads_or_explains(from_http, "POST / HTTP/1.1\nHost: h\n" + text)
    assert_reads_or_explains(from_url, text)


# Lone surrogates: Python reads a command-line byte that is not UTF-8 as one ("\udce9" for a
# Latin-1 "é"). Hypothesis's text() never draws them, so they are mixed in by hand.
SURROGATE_SOUP = st.lists(st.sampled_from(["\udce9", "\ud800"]) | st.characters(), max_size=20)


@settings(max_examples=150, deadline=None)
@given(SURROGATE_SOUP.map("".join))
def test_text_with_lone_surrogates(text: str) -> None:
    assert_reads_or_explains(from_url, "http://h/" + text)
    assert_reads_or_explains(from_curl, "curl 'http://h/" + text.replace("'", "") + "'")
    assert_reads_or_explains(from_http, "GET /" + text + " HTTP/1.1\nHost: h\n\n")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(CURL_WORDS), max_size=14), st.sampled_from([" ", "", " \\\n  "]))
def test_curl_word_soup(words: list[str], separator: str) -> None:
    assert_reads_or_explains(from_curl, separator.join(words))
    assert_reads_or_explains(from_curl, "curl " + separator.join(words))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(HTTP_LINES), max_size=12),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["http", "https"]),
)
def test_http_line_soup(lines: list[str], newline: str, scheme: str) -> None:
    text = newline.join(lines)
    assert_reads_or_explains(from_http, text, scheme)
    assert_reads_or_explains(from_http, text.encode("utf-8"), scheme)
