"""RFC 5849 3.4.1.2: the base string URI."""

from __future__ import annotations

import pytest

from oauth_debug import InvalidURLError
from oauth_debug.uri import base_string_uri, split_url

CASES = [
    # RFC 5849 3.4.1.2, first example: Host "EXAMPLE.COM:80" over http.
    ("http://EXAMPLE.COM:80/r%20v/X?id=123", "http://example.com/r%20v/X"),
    # RFC 5849 3.4.1.2, second example: a non-default port over https stays.
    ("https://www.example.net:8080/?q=1", "https://www.example.net:8080/"),
    # Scheme lower-cased too.
    ("HTTP://Example.com/Path", "http://example.com/Path"),
    # Default ports are dropped only for their own scheme (oauthlib's tests; research/vectors.md).
    ("https://example.com:443/", "https://example.com/"),
    ("https://example.com:80/", "https://example.com:80/"),
    ("http://example.com:443/", "http://example.com:443/"),
    # An empty port is dropped.
    ("http://example.com:/p", "http://example.com/p"),
    # An empty path becomes "/" (oauth.net wiki TestCases: http://example.com).
    ("http://example.com", "http://example.com/"),
    ("http://example.com?x=1", "http://example.com/"),
    # No query, no fragment.
    ("http://example.com/a/b?x=1#frag", "http://example.com/a/b"),
    ("http://example.com/a#frag", "http://example.com/a"),
    # IPv6 hosts keep their brackets; the port rule still applies.
    ("http://[::1]/p", "http://[::1]/p"),
    ("http://[2001:DB8::1]:80/p", "http://[2001:db8::1]/p"),
    ("https://[2001:db8::1]:8443/", "https://[2001:db8::1]:8443/"),
    # User info is never part of the base string URI.
    ("http://user:pw@example.com/p", "http://example.com/p"),
    # The path keeps its case and its percent-escapes as sent.
    ("http://example.com/A%2Fb/C", "http://example.com/A%2Fb/C"),
    # Other schemes have no default port to drop.
    ("ftp://example.com:21/", "ftp://example.com:21/"),
]


@pytest.mark.parametrize(("url", "expected"), CASES, ids=[url for url, _ in CASES])
def test_base_string_uri(url: str, expected: str) -> None:
    assert base_string_uri(url) == expected


@pytest.mark.parametrize(
    ("url", "component"),
    [
        ("example.com/path", "scheme"),
        ("/only/a/path", "scheme"),
        ("http:///path", "host"),
        ("http://:80/path", "host"),
        ("", "url"),
        ("   ", "url"),
        ("http://[::1/p", "url"),
    ],
)
def test_unusable_urls_name_the_faulty_component(url: str, component: str) -> None:
    with pytest.raises(InvalidURLError) as caught:
        base_string_uri(url)
    assert caught.value.component == component
    assert caught.value.url == url


@pytest.mark.parametrize(
    "url", ["http://h:65536/", "http://h:99999/", "http://h:-1/", "http://h:x/"]
)
def test_port_out_of_range_is_an_error(url: str) -> None:
    with pytest.raises(InvalidURLError, match="0 to 65535") as caught:
        base_string_uri(url)
    assert caught.value.component == "port"


def test_missing_scheme_message_shows_the_fix() -> None:
    with pytest.raises(InvalidURLError, match=r"https://example\.com/path"):
        base_string_uri("example.com/path")


def test_split_url_keeps_what_was_sent() -> None:
    parts = split_url("HTTPS://Api.Example.com:8443/v1/x?b=2&a=1")
    assert (parts.scheme, parts.host, parts.port, parts.path, parts.query) == (
        "HTTPS",
        "Api.Example.com",
        8443,
        "/v1/x",
        "b=2&a=1",
    )
