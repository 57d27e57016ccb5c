"""OAuth 2 client credentials for Alteryx Server 2022.1 and later (which removed OAuth 1).

The token endpoint is ``{host}/webapi/oauth2/token``; the client posts the form fields
``grant_type=client_credentials``, ``client_id`` and ``client_secret`` (RFC 6749 4.4) and sends the
token as ``Authorization: Bearer`` (RFC 6750 2.1). Tokens last about an hour; they are renewed a
margin before they expire, and once more when the server refuses one early (a 401).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from requests.auth import AuthBase

from ..model import Secret
from .errors import TokenError
from .response import ServerResponse

DEFAULT_LIFETIME = 3600.0


@dataclass(frozen=True)
class AccessToken:
    """A bearer token (a Secret: it is as good as the password while it lives)."""

    value: Secret
    expires_at: float
    token_type: str = "Bearer"


class TokenSource:
    """Fetches, caches and renews the client-credentials token; thread-safe."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: Secret,
        *,
        session: requests.Session,
        clock: Callable[[], float],
        timeout: float | tuple[float, float],
        margin: float = 60.0,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.session = session
        self.clock = clock
        self.timeout = timeout
        self.margin = margin
        self.fetches = 0
        self._token: AccessToken | None = None
        self._lock = threading.Lock()

    def token(self) -> AccessToken:
        """The current token, fetched anew when there is none or it expires within the margin."""
        with self._lock:
            if self._token is None or self._token.expires_at - self.margin <= self.clock():
                self._token = self._fetch()
            return self._token

    def invalidate(self) -> None:
        """Forget the token (the server refused it): the next call fetches a new one."""
        with self._lock:
            self._token = None

    def _fetch(self) -> AccessToken:
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret.reveal(),
        }
        try:
            # No redirects: a 307/308 would carry the client secret in the form to wherever the
            # Location points. A token endpoint that redirects gets a TokenError instead.
            response = self.session.post(
                self.token_url, data=form, timeout=self.timeout, allow_redirects=False
            )
        except requests.RequestException as error:
            raise TokenError(f"cannot reach the token endpoint {self.token_url}: {error}") from None
        self.fetches += 1
        answer = ServerResponse.from_requests(response)
        body = answer.json()
        if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            detail = (
                body.get("error_description") or body.get("error")
                if isinstance(body, dict)
                else None
            )
            raise TokenError(
                f"the token endpoint {self.token_url} answered HTTP {response.status_code}"
                + (f" ({detail})" if detail else "")
                + "; check the API key and secret (OAuth 2 client credentials)",
                response=answer,
            )
        return AccessToken(
            Secret(str(body["access_token"])),
            self.clock() + _lifetime(body.get("expires_in")),
            str(body.get("token_type") or "Bearer"),
        )


def _lifetime(expires_in: Any) -> float:
    """RFC 6749 5.1: ``expires_in`` is seconds and only RECOMMENDED; when it is absent or not a
    positive number (a string "3600" is read as one), assume the hour Alteryx documents (research
    notes: tokens last 60 minutes)."""
    try:
        seconds = float(expires_in)
    except (TypeError, ValueError):
        return DEFAULT_LIFETIME
    return seconds if 0 < seconds < float("inf") else DEFAULT_LIFETIME


class BearerAuth(AuthBase):
    """requests auth that sends the token source's current token (RFC 6750 2.1)."""

    def __init__(self, source: TokenSource) -> None:
        self.source = source

    def __call__(self, prepared: requests.PreparedRequest) -> requests.PreparedRequest:
        prepared.headers["Authorization"] = f"Bearer {self.source.token().value.reveal()}"
        return prepared
