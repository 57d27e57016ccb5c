"""RFC 9110 5.6.7 HTTP-dates: one reader for the diagnosis and the live client's skew check."""

from __future__ import annotations

import pytest

from oauth_debug import InvalidOptionError
from oauth_debug.httpdate import http_date_or_none, parse_http_date
from oauth_debug.live.skew import server_time

FORUM_DATE = "Wed, 17 Oct 2018 13:58:43 GMT"  # the Date header of the seed thread's answer
FORUM_EPOCH = 1539784723.0


def test_an_http_date_is_epoch_seconds_for_both_readers() -> None:
    assert parse_http_date(FORUM_DATE) == FORUM_EPOCH
    assert http_date_or_none(FORUM_DATE) == FORUM_EPOCH
    assert server_time(FORUM_DATE) == FORUM_EPOCH


@pytest.mark.parametrize(
    "text", ["yesterday", "", "Wed, 17 Oct 2018 13:58:43 -0000", "Wed, 99 Oct 2018 13:58:43 GMT"]
)
def test_an_unreadable_or_zoneless_date_is_none_or_a_clear_error(text: str) -> None:
    assert http_date_or_none(text) is None
    assert server_time(text) is None
    with pytest.raises(InvalidOptionError, match="is not an HTTP date"):
        parse_http_date(text)
