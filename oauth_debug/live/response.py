"""The server's answer as a frozen value: errors and diagnoses carry it after the socket closed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import requests


@dataclass(frozen=True)
class ServerResponse:
    """Status, headers (as pairs, repeats kept) and body bytes of one HTTP response."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    url: str = ""
    reason: str = ""
    """The reason phrase the server sent ("" when none, or unknown)."""
    redirects: tuple[str, ...] = ()
    """The Location of each redirect followed on the way to this answer, in order."""

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body parsed as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    @classmethod
    def from_requests(
        cls, response: requests.Response, *, body: bytes | None = None
    ) -> ServerResponse:
        """Freeze a requests response; ``body`` overrides reading it (for streamed responses)."""
        content = response.content if body is None else body
        return cls(
            status=response.status_code,
            headers=tuple((str(k), str(v)) for k, v in response.headers.items()),
            body=content or b"",
            url=str(response.url or ""),
            reason=str(response.reason or ""),
            redirects=tuple(
                str(hop.headers["Location"])
                for hop in response.history
                if "Location" in hop.headers
            ),
        )
