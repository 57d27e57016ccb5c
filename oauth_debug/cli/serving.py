"""What the commands that serve (``sandbox``, ``web``) share: whether an address is this machine's
only, and a SIGTERM that stops the server as Ctrl-C does."""

from __future__ import annotations

import ipaddress
from types import FrameType


def is_loopback(host: str) -> bool:
    """Whether ``host`` (the bound address, numeric) is reachable from this machine alone."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # not numeric: only the name "localhost" is known to be local
        return host == "localhost"


def stop(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (a service manager, or a test) stops the server as cleanly as Ctrl-C does."""
    raise KeyboardInterrupt
