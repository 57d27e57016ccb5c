"""Nonces in Redis: one store for providers that run on several machines.

``SET key 1 NX EX ttl`` records a key only when it is absent, and Redis runs each command alone,
so of two servers recording the same nonce exactly one is told OK; the key expires by itself when
a request carrying it could no longer pass the timestamp window. The client is a ``redis.Redis``
(``pip install 'oauth-debug[redis]'``); this module does not import the package itself, so it can
be imported without it.
"""

from __future__ import annotations

import math
from typing import Any

from .nonces import nonce_key


class RedisNonces:
    """A :class:`~oauth_debug.server.nonces.NonceStore` in Redis, under keys ``prefix + sha256``."""

    def __init__(self, client: Any, prefix: str = "oauth-debug:") -> None:
        self.client = client
        self.prefix = prefix

    def use(
        self, consumer_key: str, token: str | None, nonce: str, *, now: float, expires_at: float
    ) -> bool:
        # EX takes whole seconds, at least 1; rounding up keeps the nonce at least as long as the
        # window lets its request pass.
        ttl = max(1, math.ceil(expires_at - now))
        key = self.prefix + nonce_key(consumer_key, token, nonce)
        return bool(self.client.set(key, b"1", nx=True, ex=ttl))
