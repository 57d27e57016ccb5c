"""The explainer page's weight: bytes of HTML, CSS and script for a request with a full diagnosis.

Run: PYTHONPATH=. python bench/bench_web_weight.py [PRESET_ID]   (default: params-not-encoded)
The HTML is the page as the no-script form submit renders it (the whole answer server-rendered);
the script adds nothing but the fragment it swaps in, which is the same answer.
"""

from __future__ import annotations

import gzip
import io
import sys
from urllib.parse import urlencode

from oauth_debug.web import create_app
from oauth_debug.web.presets import preset


def fetch(app: object, method: str, path: str, body: bytes = b"") -> bytes:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    return b"".join(app(environ, lambda status, headers: None))  # type: ignore[operator]


def main() -> None:
    chosen = preset(sys.argv[1] if len(sys.argv) > 1 else "params-not-encoded")
    assert chosen is not None
    app = create_app()
    form = urlencode(
        {
            "request": chosen.request,
            "consumer_secret": chosen.consumer_secret,
            "token_secret": chosen.token_secret,
            "now": chosen.now,
        }
    ).encode()
    parts = {
        "HTML": fetch(app, "POST", "/", form),
        "CSS": fetch(app, "GET", "/static/app.css"),
        "script": fetch(app, "GET", "/static/app.js"),
    }
    assert b'data-mistake="' in parts["HTML"], "the page must carry the full diagnosis"
    for name, data in parts.items():
        print(f"{name:7s} {len(data):7d} bytes  ({len(gzip.compress(data)):6d} gzipped)")
    total = sum(len(data) for data in parts.values())
    zipped = sum(len(gzip.compress(data)) for data in parts.values())
    print(f"total   {total:7d} bytes  ({zipped:6d} gzipped), preset {chosen.id}, no other asset")


if __name__ == "__main__":
    main()
