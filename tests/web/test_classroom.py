"""The classroom over fake records and a fake sandbox: the log, the routes, the pages, the JSON.

What the pages must never show is tested with records that carry it: a client signature in the
diagnosis and inside a base string that kept the signed query, and markup in what a client sent.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from classroom_client import call, environ_for
from hypothesis import given
from hypothesis import strategies as st

from oauth_debug.sandbox.classroom import LISTED, MemoryRequestLog, classroom_app
from oauth_debug.sandbox.records import RequestRecord
from oauth_debug.web.requests_page import PUBLIC_NOTICE

SIGNATURE = "tR3+Ty81lMeYAr/Fid0kMTYa/WM="
SIGNATURE_ENCODED = "tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"


def record(request_id: str, **changes: Any) -> RequestRecord:
    values: dict[str, Any] = {
        "request_id": request_id,
        "time": 1_700_000_000.0,
        "method": "GET",
        "path": "/gallery/api/v1/workflows/subscription/",
        "consumer_key": "student-7",
        "status": 401,
        "verdict": "explained",
        "mistakes": ("query-in-base-uri",),
        "findings": ("nonce-short",),
        "refused_because": "signature",
        "diagnosis": diagnosis(),
    }
    values.update(changes)
    return RequestRecord(**values)


def diagnosis() -> dict[str, Any]:
    """A client-view diagnosis as the sandbox sends it, with the client's own signature in it."""
    wrong_uri = f"http%3A%2F%2Fs.test%2Fp%3Foauth_signature%3D{SIGNATURE_ENCODED}"
    return {
        "verdict": "explained",
        "summary": "the signature is wrong, and the mistake is named below: query-in-base-uri",
        "mistakes": ["query-in-base-uri"],
        "findings": [{"id": "nonce-short", "severity": "warning", "message": "a short nonce"}],
        "claimed_signature": SIGNATURE,
        "expected": {
            "base_string": "GET&http%3A%2F%2Fs.test%2Fp&a%3D1",
            "base_string_parts": {
                "method": "GET",
                "uri": "http%3A%2F%2Fs.test%2Fp",
                "parameters": "a%3D1%26b%3D2",
            },
        },
        "explanation": [
            {
                "id": "query-in-base-uri",
                "title": "the query kept in the base string URI",
                "step": "base string URI",
                "what_you_did": "You kept the query in the URI.",
                "rfc": "The base string URI excludes the query.",
                "rfc_section": "3.4.1.2",
                "rfc_document": "RFC 5849",
                "fix": {
                    "python": "url.split('?')[0]",
                    "javascript": "u.split('?')[0]",
                    "vba": 'Split(u, "?")(0)',
                },
                "comparisons": [
                    {
                        "label": "base string URI",
                        "wrong": wrong_uri,
                        "right": "http%3A%2F%2Fs.test%2Fp",
                        "first_difference": 23,
                    },
                ],
            }
        ],
        "refused_because": {"check": "signature", "message": "invalid", "meaning": "fix it"},
        "withheld": "values computed with the server's secret",
        "notes": [],
    }


class FakeSandbox:
    """Answers 418 with the path it got, so a test sees which requests reached the sandbox."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.paths.append(environ["PATH_INFO"])
        start_response("418 I'm a teapot", [("Content-Type", "text/plain")])
        return [b"sandbox"]


def classroom(*records: RequestRecord) -> tuple[Any, FakeSandbox, MemoryRequestLog]:
    log = MemoryRequestLog()
    for one in records:
        log.add(one)
    sandbox = FakeSandbox()
    return classroom_app(sandbox, log), sandbox, log


# ---- the log ---------------------------------------------------------------------------------


def test_the_log_lists_newest_first_and_finds_by_id() -> None:
    log = MemoryRequestLog()
    for name in ("a", "b", "c"):
        log.add(record(name))
    assert [r.request_id for r in log.recent()] == ["c", "b", "a"]
    assert [r.request_id for r in log.recent(2)] == ["c", "b"]
    assert log.get("b") == record("b")
    assert log.get("z") is None


@given(st.lists(st.integers(0, 40), max_size=60), st.integers(1, 8))
def test_the_log_keeps_exactly_the_newest_max_records(ids: list[int], bound: int) -> None:
    log = MemoryRequestLog(bound)
    order: list[str] = []
    for number in ids:
        name = str(number)
        log.add(record(name))
        if name in order:
            order.remove(name)  # a record added again is the newest
        order.append(name)
    kept = order[-bound:][::-1]
    assert [r.request_id for r in log.recent(1000)] == kept
    assert len(log) == len(kept)
    assert all(log.get(name) is None for name in order[:-bound])


def test_the_log_is_safe_from_many_threads() -> None:
    log = MemoryRequestLog(500)

    def add_many(thread: int) -> None:
        for number in range(200):
            log.add(record(f"{thread}-{number}"))

    threads = [threading.Thread(target=add_many, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kept = [r.request_id for r in log.recent(10_000)]
    assert len(kept) == len(set(kept)) == 500
    assert all(log.get(name) is not None for name in kept)
    # newest first for each thread too: its records come in the reverse of the order it added
    for thread in range(6):
        numbers = [int(n.split("-")[1]) for n in kept if n.startswith(f"{thread}-")]
        assert numbers == sorted(numbers, reverse=True)


# ---- the routes ------------------------------------------------------------------------------


def test_the_gallery_api_and_everything_unknown_go_to_the_sandbox() -> None:
    app, sandbox, _ = classroom()
    for path in ("/gallery/api/v1/workflows/subscription/", "/webapi/oauth2/token",
                 "/api/v1/workflows/subscription/", "/requestsx", "/elsewhere"):  # fmt: skip
        status, _, body = call(app, environ_for("GET", path))
        assert (status, body) == (418, "sandbox")
    assert sandbox.paths[-1] == "/elsewhere" and len(sandbox.paths) == 5


def test_the_explainer_is_served_at_the_root_with_its_api() -> None:
    app, sandbox, _ = classroom()
    status, headers, body = call(app, environ_for("GET", "/"))
    assert status == 200 and 'name="request"' in body and 'id="result"' in body
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    environ = environ_for("POST", "/api/explain")
    document = b'{"input": "https://example.com/?oauth_consumer_key=k"}'
    environ.update(CONTENT_TYPE="application/json", CONTENT_LENGTH=str(len(document)))
    environ["wsgi.input"].write(document)
    environ["wsgi.input"].seek(0)
    status, _, body = call(app, environ)
    assert status == 200 and json.loads(body)["base_string_uri"] == "https://example.com/"
    status, headers, _ = call(app, environ_for("GET", "/static/requests.js"))
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert sandbox.paths == []


def test_the_requests_pages_answer_only_get() -> None:
    app, _, _ = classroom(record("a"))
    for path in ("/requests", "/requests/a", "/api/requests"):
        status, _, body = call(app, environ_for("POST", path))
        assert status == 405 and json.loads(body) == {"error": "use GET"}


# ---- GET /api/requests -----------------------------------------------------------------------


def test_api_requests_lists_newest_first_with_every_key_and_a_link() -> None:
    app, _, _ = classroom(record("old", mistakes=()), record("new"))
    status, headers, body = call(app, environ_for("GET", "/api/requests"))
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert headers["X-Oauth-Debug-Notice"] == PUBLIC_NOTICE
    rows = json.loads(body)
    assert [row["id"] for row in rows] == ["new", "old"]
    assert rows[0]["mistakes"] == ["query-in-base-uri"] and rows[1]["mistakes"] == []
    assert rows[0]["findings"] == ["nonce-short"]
    assert {row["explanation"] for row in rows} == {"/requests/new", "/requests/old"}
    assert {"method", "path", "consumer_key", "status", "verdict", "time"} <= rows[0].keys()
    assert "diagnosis" not in rows[0]
    assert SIGNATURE not in body and SIGNATURE_ENCODED not in body


def test_api_requests_honours_limit_and_the_mount_point() -> None:
    app, _, _ = classroom(*(record(str(n)) for n in range(LISTED + 5)))
    rows = json.loads(call(app, environ_for("GET", "/api/requests"))[2])
    assert len(rows) == LISTED
    environ = environ_for("GET", "/api/requests", query="limit=2")
    environ["SCRIPT_NAME"] = "/room"
    rows = json.loads(call(app, environ)[2])
    assert [row["explanation"] for row in rows] == [
        f"/room/requests/{LISTED + 4}",
        f"/room/requests/{LISTED + 3}",
    ]


# ---- the pages -------------------------------------------------------------------------------


def test_the_requests_page_lists_each_request_and_says_it_is_public() -> None:
    app, _, _ = classroom(record("r1"), record("r2", status=200, verdict=None, mistakes=()))
    status, headers, body = call(app, environ_for("GET", "/requests"))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Anyone who can reach this sandbox sees this list" in body
    assert body.index('data-request="r2"') < body.index('data-request="r1"')
    assert '<a href="/requests/r1">why refused</a>' in body
    assert '<code class="mistake-id">query-in-base-uri</code>' in body
    assert "2023-11-14 22:13:20 UTC" in body and "student-7" in body
    assert 'src="/static/requests.js"' in body


def test_what_a_client_sent_is_text_on_every_page() -> None:
    hostile = "<script>alert(1)</script>"
    app, _, _ = classroom(record("x", consumer_key=hostile, path=f"/p/{hostile}"))
    for path in ("/requests", "/requests/x"):
        body = call(app, environ_for("GET", path))[2]
        assert hostile not in body
    # the JSON gives it back as the data it is (application/json, nosniff: no page renders it)
    _, headers, body = call(app, environ_for("GET", "/api/requests"))
    assert json.loads(body)[0]["consumer_key"] == hostile
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in call(app, environ_for("GET", "/requests"))[2]


def test_the_explanation_names_the_step_the_mistake_and_its_fix() -> None:
    app, _, _ = classroom(record("r1"))
    status, _, body = call(app, environ_for("GET", "/requests/r1"))
    assert status == 200
    assert '<article class="mistake" data-mistake="query-in-base-uri">' in body
    assert "<strong>The step that went wrong:</strong> base string URI" in body
    assert "RFC 5849 3.4.1.2" in body and "url.split(&#39;?&#39;)[0]" in body
    assert 'data-finding="nonce-short"' in body and "fix it" in body
    assert '<span class="sep">&amp;</span>' in body and '<span class="enc">%26</span>' in body
    assert "<mark>" in body  # the first difference of the side-by-side
    assert "Anyone who can reach this sandbox" in body


def test_the_explanation_shows_no_signature_even_inside_a_base_string() -> None:
    app, _, _ = classroom(record("r1"))
    body = call(app, environ_for("GET", "/requests/r1"))[2]
    assert SIGNATURE not in body and SIGNATURE_ENCODED not in body
    assert "oauth_signature%3D****" in body  # the mistake stays visible, its value does not


def test_an_accepted_request_has_a_page_with_nothing_to_fix() -> None:
    app, _, _ = classroom(
        record("ok", status=200, verdict=None, mistakes=(), findings=(), diagnosis=None)
    )
    body = call(app, environ_for("GET", "/requests/ok"))[2]
    assert "The sandbox accepted this request: there is nothing to fix." in body
    assert 'class="mistake"' not in body


def test_an_unknown_or_forgotten_request_is_404() -> None:
    app, _, _ = classroom(record("a"))
    status, _, body = call(app, environ_for("GET", "/requests/nope"))
    assert status == 404 and "no such request" in json.loads(body)["error"]
    bounded = MemoryRequestLog(1)
    bounded.add(record("first"))
    bounded.add(record("second"))
    status = call(classroom_app(FakeSandbox(), bounded), environ_for("GET", "/requests/first"))[0]
    assert status == 404


def test_a_limit_that_is_no_number_lists_the_default() -> None:
    app, _, _ = classroom(*(record(str(n)) for n in range(3)))
    for query, count in (("limit=x", 3), ("limit=-4", 0), ("limit=1", 1)):
        body = call(app, environ_for("GET", "/api/requests", query=query))[2]
        assert len(json.loads(body)) == count
