"""3.4.1.2 with a path written with characters an HTTP client escapes before sending."""

from __future__ import annotations

import pytest

from oauth_debug import InvalidURLError
from oauth_debug.uri import base_string_uri


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.com/a b", "http://example.com/a%20b"),
        ("http://example.com/caf\u00e9", "http://example.com/caf%C3%A9"),
        ("http://example.com/r%20v/X", "http://example.com/r%20v/X"),
        ("http://example.com/a:b@c;d=e", "http://example.com/a:b@c;d=e"),
    ],
)
def test_path_is_escaped_as_a_client_would_send_it(url: str, expected: str) -> None:
    assert base_string_uri(url) == expected


def test_a_path_that_is_not_text_is_an_invalid_url() -> None:
    # A lone surrogate (what a non-UTF-8 byte on a command line becomes) cannot be UTF-8 encoded.
    with pytest.raises(InvalidURLError) as raised:
        base_string_uri("http://example.com/a\udc80b")
    assert raised.value.component == "path"
