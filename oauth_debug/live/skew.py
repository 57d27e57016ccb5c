"""Clock skew, read from the server's Date header (RFC 9110 5.6.7).

OAuth 1 servers refuse timestamps outside a window around their own clock (RFC 5849 3.3 leaves the
window to the server; the sandbox uses 10 minutes, Alteryx does not document one). A wrong time
zone or a drifting laptop clock then looks exactly like a wrong signature, so the client measures
the offset on every answer and says so when it exceeds the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..httpdate import http_date_or_none
from ..window import DEFAULT_WINDOW_SECONDS

DEFAULT_WINDOW = DEFAULT_WINDOW_SECONDS


def server_time(date_header: str | None) -> float | None:
    """The server's clock as epoch seconds from a Date header, or None when absent or unreadable."""
    return http_date_or_none(date_header)


@dataclass(frozen=True)
class ClockSkew:
    """How far the server's clock is ahead of ours (negative: behind), in whole seconds."""

    offset: float
    server_date: str
    window: float = DEFAULT_WINDOW

    @property
    def exceeds_window(self) -> bool:
        return abs(self.offset) > self.window

    @property
    def message(self) -> str:
        direction = "behind" if self.offset > 0 else "ahead of"
        minutes = abs(self.offset) / 60
        return (
            f"your clock is {abs(self.offset):.0f} s ({minutes:.1f} min) {direction} the server's "
            f"(server Date: {self.server_date}); OAuth 1 timestamps more than {self.window:.0f} s "
            "off are refused. Fix the system clock, or pass --adjust-clock to sign with the "
            "server's time."
        )


def measure(
    date_header: str | None, local_now: float, window: float = DEFAULT_WINDOW
) -> ClockSkew | None:
    """The skew between a Date header and our clock at the moment the answer arrived."""
    remote = server_time(date_header)
    if remote is None or date_header is None:
        return None
    # The Date header has one-second resolution: round so an exact clock reads as 0, not -0.4.
    return ClockSkew(float(round(remote - local_now)), date_header, window)


class AdjustableClock:
    """A clock that adds an offset to a base clock: signing with the server's time when asked.

    ``adjust_to`` sets the offset from a measured skew; the offset only changes when the measured
    difference is more than ``tolerance`` seconds, so Date's rounding does not make it jitter.
    """

    def __init__(self, base: Callable[[], float], tolerance: float = 2.0) -> None:
        self.base = base
        self.offset = 0.0
        self.tolerance = tolerance

    def __call__(self) -> float:
        return self.base() + self.offset

    def adjust_to(self, skew: ClockSkew) -> bool:
        """Apply the skew (measured against this clock); True when the offset changed."""
        if abs(skew.offset) <= self.tolerance:
            return False
        self.offset += skew.offset
        return True
