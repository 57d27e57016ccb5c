"""How long does the body hash check take when the body does not fit its oauth_body_hash?

The check tries every usual change of the body (newlines, line ends, JSON re-serializations) with
every hash and both digest encodings before it answers "no usual change": the worst case, timed
here on JSON bodies of growing size (JSON bodies above 256 KiB are not re-serialized).

    .venv/bin/python bench/bench_body_hash.py [runs]
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from oauth_debug import HttpRequest
from oauth_debug.diagnosis.bodyhash import check_body_hash


def request_of(size: int) -> HttpRequest:
    items = [{"id": i, "name": f"item {i}", "tags": ["a", "b"]} for i in range(size // 40 + 1)]
    body = json.dumps({"items": items})
    header = 'OAuth oauth_consumer_key="k", oauth_body_hash="AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D"'
    return HttpRequest(
        "POST",
        "https://api.example.com/v1/jobs",
        {"Content-Type": "application/json", "Authorization": header},
        body,
    )


def main(runs: int) -> None:
    for size in (1_000, 100_000, 180_000, 1_000_000):
        request = request_of(size)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            report = check_body_hash(request, "HMAC-SHA1")
            times.append(time.perf_counter() - start)
            assert report is not None and report.change is None  # the worst case: nothing fits
        body = len(request.body or b"")
        print(
            f"body {body:>9,} bytes: median {statistics.median(times) * 1000:8.2f} ms "
            f"(min {min(times) * 1000:.2f}, max {max(times) * 1000:.2f}, {runs} runs)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
