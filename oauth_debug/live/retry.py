"""When a failed call may be sent again, and how long to wait in between.

The rule that matters: a request that may already have reached the server is only repeated when
repeating it is harmless (a GET). A POST that runs a job is repeated only when the failure proves it
never left this machine (the connection was refused, or could not be opened in time).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

RETRY_STATUSES = frozenset({502, 503, 504})
"""Gateway answers: the request did not reach the application (or it was overloaded)."""


@dataclass(frozen=True)
class Backoff:
    """Exponential waits: ``initial``, then times ``factor``, capped at ``maximum`` seconds."""

    initial: float = 0.5
    factor: float = 2.0
    maximum: float = 5.0

    def delays(self) -> Iterator[float]:
        """An endless series of waits; callers bound it by attempts or by a deadline."""
        delay = self.initial
        while True:
            yield min(delay, self.maximum)
            delay *= self.factor


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts a call gets (the first included) and the waits between them."""

    attempts: int = 3
    backoff: Backoff = Backoff()


def never_sent(error: BaseException) -> bool:
    """Whether ``error`` proves the request never left this machine.

    True for a refused or timed-out *connect* (no byte of the request was written). A read timeout,
    a reset or a dropped connection may come after the server read the request: False.
    """
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    if not isinstance(error, requests.exceptions.ConnectionError):
        return False
    if isinstance(error, requests.exceptions.ProxyError):
        return False
    reason: object = error.args[0] if error.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))


def retryable_error(error: BaseException, *, idempotent: bool) -> bool:
    """Whether a transport error may be retried for a call of this kind."""
    if not isinstance(error, requests.exceptions.RequestException):
        return False
    if never_sent(error):
        return True
    return idempotent and isinstance(
        error, (requests.exceptions.ConnectionError, requests.exceptions.Timeout)
    )
