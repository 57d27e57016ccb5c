"""The server side: verify incoming OAuth 1.0a requests as a provider must, and log why each refused
request was refused (see docs/server.md).

``from oauth_debug.server import RequestVerifier, Refused, MemoryNonces, SQLiteNonces, RedisNonces,
verify_lti_launch``. The adapters are :mod:`oauth_debug.server.wsgi` and
:mod:`oauth_debug.server.asgi`.
"""

from __future__ import annotations

from .lti import verify_lti_launch
from .nonces import MemoryNonces, NonceStore
from .redis_nonces import RedisNonces
from .refusal import REASONS, Reason, Refused
from .sqlite_nonces import SQLiteNonces
from .verifier import Accepted, RequestVerifier

__all__ = [
    "REASONS",
    "Accepted",
    "MemoryNonces",
    "NonceStore",
    "Reason",
    "RedisNonces",
    "Refused",
    "RequestVerifier",
    "SQLiteNonces",
    "verify_lti_launch",
]
