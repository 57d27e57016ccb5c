"""The HTTP-date of a Date header (RFC 9110 5.6.7, "Wed, 17 Oct 2018 13:58:43 GMT").

One reader for the two places that hold a timestamp against a server's clock: the diagnosis (a
``--server-date`` or a saved answer's Date header) and the live client (clock skew on every answer).
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from .errors import InvalidOptionError


def http_date_or_none(text: str | None) -> float | None:
    """The date as epoch seconds; None when absent or unreadable. A date without a time zone is
    unreadable: an HTTP-date is always GMT, and a naive one would be read in local time."""
    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment.timestamp()


def parse_http_date(text: str) -> float:
    """The date as epoch seconds, or an error that says what an HTTP-date looks like."""
    seconds = http_date_or_none(text)
    if seconds is None:
        raise InvalidOptionError(
            f"{text!r} is not an HTTP date; copy the server's Date header, e.g. "
            "'Wed, 17 Oct 2018 13:58:43 GMT'",
            text=text,
        )
    return seconds
