"""The protocol's rules, each written once: every module that needs one imports it from here.

A rule written twice drifts: the timestamp check had two milliseconds heuristics, the token grammar
two regexes, the placement check three messages. Here each rule is one name with its source cited;
the modules keep their own wording for what they tell a user, but decide by these.
Pure: no clock, no I/O (a caller passes ``now``).
"""

from __future__ import annotations

import re
from typing import Final, Literal, TypeGuard, get_args

from .errors import InvalidOptionError

# ---- HTTP token (RFC 9110 5.6.2, which keeps RFC 7230 3.2.6's grammar) ----------------------

HTTP_TOKEN: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""``token = 1*tchar``: what an HTTP method (RFC 9110 9.1) and a field name (5.1) must be."""


def is_http_token(text: str) -> bool:
    """Whether ``text`` is a whole, non-empty RFC 9110 token."""
    return HTTP_TOKEN.fullmatch(text) is not None


# ---- Whole numbers --------------------------------------------------------------------------


def whole_number(text: str) -> int | None:
    """``text`` as a whole number when it is ASCII digits only (``1*DIGIT``), else None.

    isascii: str.isdigit() also accepts digits such as "²" or "١" that int() refuses or reads
    as a number no protocol means; a timestamp, a Content-Length or a Retry-After is ASCII.
    """
    return int(text) if text.isascii() and text.isdigit() else None


# ---- oauth_timestamp (RFC 5849 3.3) ----------------------------------------------------------

MILLISECOND_FLOOR: Final = 10**11
"""The one milliseconds heuristic: seconds at or above 10**11 lie past the year 5000, so such a
timestamp comes from a clock counting milliseconds (13 digits today) or microseconds (16)."""


def parse_timestamp(text: str) -> int | None:
    """RFC 5849 3.3: "a positive integer" of seconds since 1970-01-01 00:00:00 GMT, or None.

    Only ASCII digits: no sign, no fraction, no spaces (a caller strips what its grammar allows).
    """
    return whole_number(text)


def looks_like_milliseconds(timestamp: int) -> bool:
    """Whether a timestamp counts a finer unit than seconds (see :data:`MILLISECOND_FLOOR`)."""
    return timestamp >= MILLISECOND_FLOOR


def finer_unit(text: str) -> tuple[int, str] | None:
    """For a timestamp counting a finer unit than seconds: (units per second, the unit's name).

    Up to 14 digits it is milliseconds (13 digits until the year 2286), beyond that microseconds;
    None for a timestamp in seconds or one that is not a timestamp at all.
    """
    timestamp = parse_timestamp(text)
    if timestamp is None or not looks_like_milliseconds(timestamp):
        return None
    return (1000, "milliseconds") if len(text) <= 14 else (1_000_000, "microseconds")


def within_window(timestamp: float, reference: float, window: float) -> bool:
    """Whether a timestamp lies within ``window`` seconds of a clock, either way, edges included.

    RFC 5849 3.3 leaves the window to the server; the tool's default is
    :data:`oauth_debug.window.DEFAULT_WINDOW_SECONDS`.
    """
    return abs(timestamp - reference) <= window


# ---- The protocol parameters a signed request carries (RFC 5849 3.1, 3.4.1.3.1) -------------

REQUIRED_PARAMETERS: Final = (
    "oauth_consumer_key",
    "oauth_signature_method",
    "oauth_signature",
    "oauth_timestamp",
    "oauth_nonce",
)
"""REQUIRED in every signed request (3.1). oauth_token is left out: it goes with a token only
(two-legged flows such as the Alteryx Gallery API have none)."""

PLAINTEXT_OPTIONAL: Final = frozenset({"oauth_timestamp", "oauth_nonce"})
"""3.1: "The parameter MAY be omitted when using the PLAINTEXT signature method"."""


def required_parameters(signature_method: str | None, *, token: bool = False) -> tuple[str, ...]:
    """The protocol parameters a request signed with ``signature_method`` must carry (3.1)."""
    optional = PLAINTEXT_OPTIONAL if signature_method == "PLAINTEXT" else frozenset()
    wanted = tuple(name for name in REQUIRED_PARAMETERS if name not in optional)
    return (*wanted, "oauth_token") if token else wanted


# ---- Where the protocol parameters travel (RFC 5849 3.5) ------------------------------------

Placement = Literal["header", "query", "body"]
"""3.5.1 the Authorization header, 3.5.3 the URL query, 3.5.2 a form-encoded body."""

PLACEMENTS: Final[tuple[Placement, ...]] = get_args(Placement)
"""Every placement, in the order a message lists them."""

HEADER_OR_QUERY: Final[tuple[Placement, ...]] = ("header", "query")
"""The placements that leave the body alone: for a client that has sent its body before signing
(httpx builds the body stream first) and a server that refuses parameters in the body."""


def is_placement(
    value: object, allowed: tuple[Placement, ...] = PLACEMENTS
) -> TypeGuard[Placement]:
    """Whether ``value`` is one of the ``allowed`` placements."""
    return isinstance(value, str) and value in allowed


def check_placement(
    value: object, allowed: tuple[Placement, ...] = PLACEMENTS, *, where: str = ""
) -> Placement:
    """``value`` as a placement, or InvalidOptionError naming the ``allowed`` ones.

    ``where`` says what narrows the choice (" with httpx"); it goes after the list.
    """
    if not is_placement(value, allowed):
        raise InvalidOptionError(
            f"placement must be one of {', '.join(allowed)}{where}, got {value!r}",
            option="placement",
        )
    return value
