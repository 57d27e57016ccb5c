"""The sandbox's settings: one frozen value, so a running app never changes under its clients.

The demo keys below are documented on purpose: the sandbox is a classroom, and its keys are
published in the README so anyone can sign requests against it. They are not secrets, and they
must never be used for anything else.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import InvalidOptionError
from ..model import Credentials, Secret
from ..window import DEFAULT_WINDOW_SECONDS

DEMO_API_KEY = "demo-key"
"""The sandbox's default OAuth 1 consumer key ("API key" in Alteryx's words). Public."""
DEMO_API_SECRET = "demo-secret"
"""The sandbox's default OAuth 1 consumer secret. Public: a documented demo value, not a secret."""
DEMO_CLIENT_ID = DEMO_API_KEY
"""The default OAuth 2 client id: Alteryx's OAuth 2 client credentials are the same API key and
secret a user sees in their profile, so the sandbox's are too. Public."""
DEMO_CLIENT_SECRET = DEMO_API_SECRET
"""The default OAuth 2 client secret (the API secret). Public: a documented demo value."""

DEFAULT_MAX_JOBS = 10_000
"""Jobs a sandbox keeps (about 1.4 KB each): enough for a classroom's day, bounded for a week."""
DEFAULT_REQUEST_TIMEOUT = 30.0
"""Seconds the built-in server gives a client to send its whole request (line, headers, body)."""
DEFAULT_MAX_CONNECTIONS = 64
"""Connections the built-in server serves at once (a thread each); more are answered 503."""

Clock = Callable[[], float]
TokenSource = Callable[[], str]


def _random_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class SandboxConfig:
    """How a sandbox behaves.

    ``clock`` returns seconds since the epoch; None means the system clock. It drives the
    timestamp window, the Date header, job progress and token expiry, so a test that passes a
    settable clock controls all of them without sleeping (DESIGN.md, principle 2).
    ``window_seconds`` is how far a timestamp may be from the clock, in either direction; Alteryx
    does not document its window, so the default is the tool's one window
    (:data:`oauth_debug.window.DEFAULT_WINDOW_SECONDS`), shared by every part of the tool.
    ``job_seconds`` is how long a job takes: Queued for the first half, Running for the second.
    ``oauth1_enabled=False`` imitates Server 2022.1 and later, which removed the OAuth 1 API.
    ``nonce_cache_size`` bounds the in-memory replay store
    (:class:`oauth_debug.server.MemoryNonces`); a state file (:mod:`oauth_debug.sandbox.state`)
    is bounded by the window instead, as its expired rows are purged.
    ``token_source`` makes OAuth 2 access tokens (random by default; tests may count).
    ``max_jobs`` bounds the job store: past it, the oldest finished jobs are forgotten (a queued
    or running job never is; see :class:`oauth_debug.sandbox.jobs.JobStore`).
    ``request_timeout`` and ``max_connections`` are for the built-in server
    (:mod:`oauth_debug.sandbox.server`): one deadline for each whole request, and how many
    connections are served at once. gunicorn has its own settings for both.
    """

    api_key: str = DEMO_API_KEY
    api_secret: str | Secret = field(default=DEMO_API_SECRET, repr=False)
    base_path: str = "/gallery"
    window_seconds: float = DEFAULT_WINDOW_SECONDS
    clock: Clock | None = None
    job_seconds: float = 2.0
    oauth2_client_id: str | None = None
    oauth2_client_secret: str | Secret | None = field(default=None, repr=False)
    token_lifetime: float = 3600
    oauth1_enabled: bool = True
    nonce_cache_size: int = 100_000
    token_source: TokenSource | None = None
    max_jobs: int = DEFAULT_MAX_JOBS
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    max_connections: int = DEFAULT_MAX_CONNECTIONS

    def __post_init__(self) -> None:
        # Secrets travel as Secret from here on (DESIGN.md, principle 7).
        object.__setattr__(self, "api_secret", Secret.of(self.api_secret))
        # OAuth 2 client credentials default to the API key and secret, as on Alteryx Server.
        if self.oauth2_client_id is None:
            object.__setattr__(self, "oauth2_client_id", self.api_key)
        if self.oauth2_client_secret is None:
            object.__setattr__(self, "oauth2_client_secret", self.api_secret)
        object.__setattr__(self, "oauth2_client_secret", Secret.of(self.oauth2_client_secret))
        base = "/" + self.base_path.strip("/") if self.base_path.strip("/") else ""
        object.__setattr__(self, "base_path", base)
        if self.window_seconds <= 0 or self.job_seconds < 0 or self.token_lifetime <= 0:
            raise InvalidOptionError(
                "the sandbox's window_seconds and token_lifetime must be > 0, job_seconds >= 0"
            )
        if self.nonce_cache_size < 1:
            raise InvalidOptionError("the sandbox's nonce_cache_size must be at least 1")
        if self.max_jobs < 1 or self.max_connections < 1:
            raise InvalidOptionError(
                "the sandbox's max_jobs and max_connections must be at least 1"
            )
        if self.request_timeout <= 0:
            raise InvalidOptionError("the sandbox's request_timeout must be > 0")

    def now(self) -> float:
        """The sandbox's idea of the current time."""
        return (self.clock or time.time)()

    def new_token(self) -> str:
        """A fresh OAuth 2 access token."""
        return (self.token_source or _random_token)()

    @property
    def credentials(self) -> Credentials:
        """The one OAuth 1 client the sandbox knows (one-legged: no token, as Alteryx does)."""
        return Credentials(self.api_key, Secret.of(self.api_secret))

    @property
    def client_id(self) -> str:
        """The OAuth 2 client id (the API key unless another was given)."""
        return self.oauth2_client_id or self.api_key

    @property
    def client_secret(self) -> Secret:
        """The OAuth 2 client secret, typed as the Secret it always is after construction."""
        return Secret.of(self.oauth2_client_secret)
