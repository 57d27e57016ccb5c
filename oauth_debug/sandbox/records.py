"""What the sandbox remembers of each request it answered, for its classroom page.

The sandbox (``sandbox/app.py``) hands one :class:`RequestRecord` per request to the
:class:`RequestLog` it was given; the classroom (``/requests`` and ``GET /api/requests``) lists
them. A record holds only what anyone who can reach the sandbox may see: never a signature, a
secret or anything computed with one (the diagnosis is the client view, ``diagnosis.public``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class RequestRecord:
    """One answered request, as the classroom shows it."""

    request_id: str
    time: float
    """Seconds since 1970 (UTC), when the sandbox answered."""
    method: str
    path: str
    """The path without its query (a query may carry a signature)."""
    consumer_key: str | None
    status: int
    verdict: str | None
    """The diagnosis's verdict for a refused request; None for one that was let through."""
    mistakes: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    refused_because: str | None = None
    """The check that refused it (the sandbox's reason code), when it was refused."""
    diagnosis: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    """The client view of the diagnosis (nothing computed with the secret), for its explanation."""


class RequestLog(Protocol):
    """Where the sandbox puts its records; newest first when listed."""

    def add(self, record: RequestRecord) -> None: ...

    def recent(self, limit: int = 100) -> list[RequestRecord]: ...

    def get(self, request_id: str) -> RequestRecord | None: ...
