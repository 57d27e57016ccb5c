"""Does the verifier's answer tell an unknown consumer key from a wrong secret by its timing?

Signs REPEATS requests of each kind (a key the verifier does not know; the right key with a wrong
secret), each with a fresh nonce, and times ``RequestVerifier.check`` on each until it raises
``Refused``, interleaving the two kinds so that the machine's load falls on both alike. Reports
the median of each and their ratio (the issue's target: within 1.5x). Also checks that their
bodies are byte-identical apart from the request id.

    PYTHONPATH=. .venv/bin/python bench/bench_uniform_answer.py [repeats]

Figures depend on the machine; compare them only within one machine.
"""

from __future__ import annotations

import logging
import statistics
import sys
import time

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.server import MemoryNonces, Refused, RequestVerifier

NOW = 1_700_000_000
KEY, SECRET = "bench-consumer-key", "bench-consumer-secret-0123456789"


def signed(key: str, secret: str, index: int) -> HttpRequest:
    request = HttpRequest("GET", f"https://api.example.com/v1/items?page={index}&q=a%20b")
    trace = sign_at(request, Credentials(key, secret), timestamp=NOW, nonce=f"nonce-{index}")
    assert trace.signed_request is not None
    return trace.signed_request


def timed(verifier: RequestVerifier, request: HttpRequest) -> tuple[float, Refused]:
    start = time.perf_counter()
    try:
        verifier.check(request)
    except Refused as refused:
        return time.perf_counter() - start, refused
    raise AssertionError("the request was accepted")


def main(repeats: int) -> None:
    logging.getLogger("oauth_debug.server").setLevel(logging.ERROR)  # the lines are not timed here
    verifier = RequestVerifier({KEY: SECRET}, MemoryNonces(), clock=lambda: float(NOW))
    unknown = [signed("not-a-known-key-000", SECRET, i) for i in range(repeats)]
    wrong = [signed(KEY, "not-the-secret-0123456789abcdef", i) for i in range(repeats)]
    timed(verifier, unknown[0]), timed(verifier, wrong[0])  # warm the imports and caches
    times: dict[str, list[float]] = {"unknown key": [], "wrong secret": []}
    bodies: dict[str, set[bytes]] = {"unknown key": set(), "wrong secret": set()}
    for first, second in zip(unknown, wrong, strict=True):
        for kind, request in (("unknown key", first), ("wrong secret", second)):
            elapsed, refused = timed(verifier, request)
            times[kind].append(elapsed)
            bodies[kind].add(refused.body.replace(refused.request_id.encode(), b"<id>"))
    medians = {kind: statistics.median(values) * 1000 for kind, values in times.items()}
    for kind, median in medians.items():
        print(f"{kind:>13}: median {median:.2f} ms over {repeats} requests")
    slow, fast = max(medians.values()), min(medians.values())
    print(f"ratio (slower / faster): {slow / fast:.2f}x (target: within 1.5x)")
    identical = bodies["unknown key"] == bodies["wrong secret"] and len(bodies["unknown key"]) == 1
    print(f"bodies byte-identical apart from the request id: {identical}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
