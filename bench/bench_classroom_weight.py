"""The classroom pages' weight: /requests with N refused requests, and one explanation page.

Run: PYTHONPATH=.:tests/web python bench/bench_classroom_weight.py [N]   (default: 30 students)
Each student's request is signed by hand with the key that lost its "&" (key-missing-ampersand),
sent to the real sandbox in-process, and recorded through ``with_log``.
"""

from __future__ import annotations

import gzip
import json
import sys

from classroom_client import NOW, PATH, call, environ_for, student_request

from oauth_debug.sandbox import DEMO_API_SECRET, SandboxConfig, create_app
from oauth_debug.sandbox.classroom import MemoryRequestLog, classroom_app, with_log


def main() -> None:
    students = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    log = MemoryRequestLog()
    app = classroom_app(with_log(create_app, SandboxConfig(clock=lambda: NOW), log), log)
    for number in range(students):
        header = student_request(f"student-{number}", key=DEMO_API_SECRET)[1]
        assert call(app, environ_for("GET", PATH, authorization=header))[0] == 401
    listing = call(app, environ_for("GET", "/api/requests"))[2]
    first = json.loads(listing)["requests"][0]["explanation"]
    parts = {
        "/requests HTML": call(app, environ_for("GET", "/requests"))[2],
        "/api/requests": listing,
        "explanation HTML": call(app, environ_for("GET", first))[2],
        "CSS": call(app, environ_for("GET", "/static/app.css"))[2],
        "requests.js": call(app, environ_for("GET", "/static/requests.js"))[2],
    }
    for name, text in parts.items():
        data = text.encode("utf-8")
        print(f"{name:17s} {len(data):7d} bytes  ({len(gzip.compress(data)):6d} gzipped)")
    print(f"{students} refused requests listed; no other asset")


if __name__ == "__main__":
    main()
