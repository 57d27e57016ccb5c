"""The replay check of RFC 5849 3.3: a nonce is accepted once per consumer key, token and timestamp
window, and the store that remembers it.

A store answers one question, atomically: "record this nonce for this key and token until this
time, or say it was already seen". The verifier asks it only after the signature holds, so a forged
request can neither fill the store nor burn a real client's nonce. Three stores share the protocol:
:class:`MemoryNonces` (one process), :class:`~oauth_debug.server.sqlite_nonces.SQLiteNonces` (the
worker processes of one machine) and :class:`~oauth_debug.server.redis_nonces.RedisNonces` (many
machines).
"""

from __future__ import annotations

import hashlib
import heapq
import threading
from typing import Protocol, runtime_checkable


@runtime_checkable
class NonceStore(Protocol):
    """Where used nonces are remembered until a request carrying them could no longer pass."""

    def use(
        self, consumer_key: str, token: str | None, nonce: str, *, now: float, expires_at: float
    ) -> bool:
        """Record the nonce until ``expires_at`` and return True, or return False when it was
        recorded before and has not expired (a replay). Atomic: of two concurrent calls with the
        same nonce, exactly one returns True.

        ``expires_at`` is the request's timestamp plus the window: a function of the request
        alone, so that a replay asks with the same expiry as the original.
        ``now`` is the verifier's clock (epoch seconds), passed in rather than read here so that a
        store and the verifier never disagree about the time (a test clock, a skewed host)."""
        ...


def nonce_key(consumer_key: str, token: str | None, nonce: str) -> str:
    """One fixed-length key for (consumer key, token, nonce).

    Hashed so that a store holds no client text (an attacker picks nonces) and every key has the
    same length; the parts are length-prefixed so that ("ab", "c") and ("a", "bc") differ.
    """
    parts = (consumer_key, "" if token is None else "t" + token, nonce)
    joined = "\x00".join(f"{len(part)}:{part}" for part in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


class MemoryNonces:
    """Nonces in this process's memory, bounded: for tests and single-process servers.

    When it holds ``max_entries`` live nonces, the one expiring soonest is dropped and its expiry
    becomes a floor: a nonce whose entry would expire at or before the floor is then refused, since
    the store can no longer tell whether it is a replay. A replay is never accepted, at any load.
    """

    def __init__(self, max_entries: int = 100_000) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._max = max_entries
        self._lock = threading.Lock()
        self._expiry: dict[str, float] = {}
        self._heap: list[tuple[float, str]] = []
        self._floor = float("-inf")

    def __len__(self) -> int:
        with self._lock:
            return len(self._expiry)

    def use(
        self, consumer_key: str, token: str | None, nonce: str, *, now: float, expires_at: float
    ) -> bool:
        key = nonce_key(consumer_key, token, nonce)
        with self._lock:
            self._purge(now)
            if expires_at <= self._floor or key in self._expiry:
                return False
            while len(self._expiry) >= self._max:
                dropped, old = heapq.heappop(self._heap)
                if self._expiry.get(old) == dropped:
                    del self._expiry[old]
                    self._floor = max(self._floor, dropped)
            self._expiry[key] = expires_at
            heapq.heappush(self._heap, (expires_at, key))
        return True

    def _purge(self, now: float) -> None:
        # Strictly before now: a request whose timestamp + window is exactly now still passes the
        # window (|offset| <= window), so its entry must still be there to refuse its replay.
        while self._heap and self._heap[0][0] < now:
            expiry, key = heapq.heappop(self._heap)
            if self._expiry.get(key) == expiry:
                del self._expiry[key]
