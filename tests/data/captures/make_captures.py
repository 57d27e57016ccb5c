# ruff: noqa: E501  (the exporters' field values are long lines, kept whole)
"""Write the HAR captures of this folder (run once; the files are committed, this says how).

The signed requests are made with oauth_debug's own signer at fixed timestamps and nonces, with
consumer key "gallery-key" and secret "gallery-secret" (no token), so tests can check them; the
surrounding JSON is laid out field by field as each exporter writes it (see README.md).
Run: PYTHONPATH=. python tests/data/captures/make_captures.py
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from oauth_debug.model import Credentials, HttpRequest
from oauth_debug.signer import sign_at

HERE = Path(__file__).parent
KEY = Credentials("gallery-key", "gallery-secret")
WHEN = 1709287200  # 2024-03-01T10:00:00Z
FORM = "application/x-www-form-urlencoded"
PNG = base64.b64encode(bytes(range(256)) * 4).decode()  # stands in for an image's bytes


def authorization(method: str, url: str, ts: int, nonce: str, body: str | None = None) -> str:
    headers = [("Content-Type", FORM)] if body is not None else []
    trace = sign_at(HttpRequest(method, url, headers, body), KEY, timestamp=ts, nonce=nonce)
    header = trace.authorization_header
    assert header is not None
    return header


def iso(ts: int, millis: int = 0) -> str:
    from datetime import datetime, timezone

    return (
        datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis:03d}Z"
    )


def chrome_entry(
    method, url, headers, status, text, *, mime="application/json", b64=False, ts=WHEN, post=None
):
    host = url.split("/")[2]
    path = "/" + url.split("/", 3)[3]
    request_headers = [
        {"name": ":authority", "value": host},
        {"name": ":method", "value": method},
        {"name": ":path", "value": path},
        {"name": ":scheme", "value": "https"},
        {"name": "accept", "value": "application/json, text/plain, */*"},
        *({"name": n, "value": v} for n, v in headers),
        {
            "name": "user-agent",
            "value": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
        },
    ]
    query = []
    if "?" in url:
        for pair in url.split("?", 1)[1].split("&"):
            name, _, value = pair.partition("=")
            query.append({"name": name, "value": value})
    content = {"size": len(text), "mimeType": mime, "text": text}
    if b64:
        content["encoding"] = "base64"
    entry = {
        "_initiator": {"type": "script"},
        "_priority": "High",
        "_resourceType": "fetch" if mime == "application/json" else "image",
        "cache": {},
        "connection": "443",
        "pageref": "page_1",
        "request": {
            "method": method,
            "url": url,
            "httpVersion": "http/2.0",
            "headers": request_headers,
            "queryString": query,
            "cookies": [],
            "headersSize": -1,
            "bodySize": 0 if post is None else len(post["text"]),
        },
        "response": {
            "status": status,
            "statusText": "",
            "httpVersion": "http/2.0" if status else "",
            "headers": []
            if not status
            else [
                {"name": "content-type", "value": mime},
                {"name": "date", "value": "Fri, 01 Mar 2024 10:00:01 GMT"},
            ],
            "cookies": [],
            "content": content,
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
            "_transferSize": len(text) + 200,
            "_error": None if status else "net::ERR_CONNECTION_RESET",
        },
        "serverIPAddress": "203.0.113.7",
        "startedDateTime": iso(ts, 120),
        "time": 84.2,
        "timings": {
            "blocked": 1.1,
            "dns": -1,
            "ssl": -1,
            "connect": -1,
            "send": 0.2,
            "wait": 80.3,
            "receive": 2.6,
            "_blocked_queueing": 0.7,
        },
    }
    if post is not None:
        entry["request"]["postData"] = post
    return entry


def chrome() -> dict:
    base = "https://gallery.example.com/gallery/api/v1"
    good = f"{base}/workflows/?limit=5"
    bad = f"{base}/workflows/subscription/?sortField=name"
    posted = f"{base}/workflows/6f2a/jobs/"
    body = "questions=%5B%5D&priority=0"
    entries = [
        chrome_entry(
            "GET",
            "https://gallery.example.com/gallery/app.js",
            [],
            200,
            "console.log(1)",
            mime="application/javascript",
        ),
        chrome_entry(
            "GET",
            good,
            [("authorization", authorization("GET", good, WHEN, "n0nce1"))],
            200,
            '[{"id":"6f2a","name":"Sales"}]',
        ),
        # Signed without its query parameter, as a client that signs the path alone does.
        chrome_entry(
            "GET",
            bad,
            [("authorization", authorization("GET", bad.split("?")[0], WHEN + 2, "n0nce2"))],
            401,
            '{"message":"Invalid signature","exceptionName":"UnauthorizedException"}',
            ts=WHEN + 2,
        ),
        chrome_entry(
            "GET",
            "https://gallery.example.com/gallery/logo.png",
            [],
            200,
            PNG,
            mime="image/png",
            b64=True,
        ),
        chrome_entry(
            "POST",
            posted,
            [
                ("authorization", authorization("POST", posted, WHEN + 4, "n0nce3", body)),
                ("content-type", FORM),
            ],
            0,
            "",
            ts=WHEN + 4,
            post={"mimeType": FORM, "text": body},
        ),
    ]
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "WebInspector", "version": "537.36"},
            "pages": [
                {
                    "startedDateTime": iso(WHEN),
                    "id": "page_1",
                    "title": "https://gallery.example.com/gallery/",
                    "pageTimings": {"onContentLoad": 412.5, "onLoad": 630.1},
                }
            ],
            "entries": entries,
        }
    }


def firefox_entry(url, auth, body, status, text, ts):
    params = [{"name": p.split("=")[0], "value": p.split("=")[1]} for p in body.split("&")]
    return {
        "pageref": "page_1",
        "startedDateTime": iso(ts, 455).replace("Z", "+00:00"),
        "request": {
            "bodySize": len(body),
            "method": "POST",
            "url": url,
            "httpVersion": "HTTP/2",
            "headers": [
                {"name": "Host", "value": "gallery.example.com"},
                {
                    "name": "User-Agent",
                    "value": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0",
                },
                {"name": "Accept", "value": "*/*"},
                {"name": "Content-Type", "value": FORM},
                {"name": "Authorization", "value": auth},
                {"name": "Content-Length", "value": str(len(body))},
            ],
            "cookies": [],
            "queryString": [],
            "headersSize": 612,
            "postData": {"mimeType": FORM, "params": params, "text": body},
        },
        "response": {
            "status": status,
            "statusText": "OK" if status == 200 else "Unauthorized",
            "httpVersion": "HTTP/2",
            "headers": [
                {"name": "content-type", "value": "text/plain; charset=utf-8"},
                {"name": "date", "value": "Fri, 01 Mar 2024 10:00:11 GMT"},
            ],
            "cookies": [],
            "content": {"mimeType": "text/plain; charset=utf-8", "size": len(text), "text": text},
            "redirectURL": "",
            "headersSize": 180,
            "bodySize": len(text) + 180,
        },
        "cache": {},
        "timings": {
            "blocked": 0,
            "dns": 0,
            "connect": 0,
            "ssl": 0,
            "send": 0,
            "wait": 71,
            "receive": 0,
        },
        "time": 71,
        "_securityState": "secure",
        "serverIPAddress": "203.0.113.7",
        "connection": "443",
    }


def firefox() -> dict:
    url = "https://gallery.example.com/gallery/api/v1/workflows/6f2a/jobs/"
    body = "priority=0&questions=%5B%5D"
    good = authorization("POST", url, WHEN + 10, "ffnonce1", body)
    # Signed without the form body's parameters (RFC 5849 3.4.1.3.1 says they are signed).
    bad = authorization("POST", url, WHEN + 11, "ffnonce2")
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "Firefox", "version": "123.0"},
            "browser": {"name": "Firefox", "version": "123.0"},
            "pages": [
                {
                    "startedDateTime": iso(WHEN + 10).replace("Z", "+00:00"),
                    "id": "page_1",
                    "title": "Gallery",
                    "pageTimings": {"onContentLoad": -1, "onLoad": -1},
                }
            ],
            "entries": [
                firefox_entry(url, good, body, 200, '{"id":"job1"}', WHEN + 10),
                firefox_entry(url, bad, body, 401, "oauth_problem=signature_invalid", WHEN + 11),
            ],
        }
    }


if __name__ == "__main__":
    (HERE / "chrome-gallery.har").write_text(json.dumps(chrome(), indent=2) + "\n")
    (HERE / "firefox-gallery.har").write_text(json.dumps(firefox(), indent=2) + "\n")
