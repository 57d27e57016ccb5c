"""Real records from the real sandbox: students' refused requests, through ``with_log``.

Until the sandbox has its ``request_log`` hook, ``with_log`` wraps it with ``recording_app``,
which reads each answer; once the hook lands the same tests run through the hook.
"""

from __future__ import annotations

import json
from typing import Any

from classroom_client import (
    NOW,
    PATH,
    call,
    environ_for,
    signature_forms,
    student_request,
)

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.redact import REDACTED
from oauth_debug.sandbox import DEMO_API_KEY, DEMO_API_SECRET, SandboxConfig, create_app
from oauth_debug.sandbox.classroom import (
    MemoryRequestLog,
    classroom_app,
    create_classroom,
    recording_app,
    with_log,
)


def room() -> tuple[Any, MemoryRequestLog]:
    log = MemoryRequestLog()
    sandbox = with_log(create_app, SandboxConfig(clock=lambda: NOW), log)
    return classroom_app(sandbox, log), log


def send(app: Any, header: str) -> tuple[int, dict[str, Any]]:
    status, _, body = call(app, environ_for("GET", PATH, authorization=header))
    return status, json.loads(body)


def test_a_refused_request_is_recorded_with_the_mistake_the_401_named() -> None:
    app, log = room()
    status, answer = send(app, student_request("n-amp", key=DEMO_API_SECRET)[1])
    assert status == 401 and answer["diagnosis"]["mistakes"] == ["key-missing-ampersand"]
    (kept,) = log.recent()
    assert (kept.method, kept.path, kept.status) == ("GET", PATH, 401)
    assert kept.consumer_key == DEMO_API_KEY and kept.time == NOW
    assert (kept.verdict, kept.mistakes, kept.refused_because) == (
        "explained",
        ("key-missing-ampersand",),
        "signature",
    )
    # The shared list shows the 401's diagnosis, except the student's own signature: anyone who
    # can reach the sandbox reads the list, and that signature could be replayed.
    assert kept.diagnosis is not None
    assert kept.diagnosis["claimed_signature"] == REDACTED
    assert {**kept.diagnosis, "claimed_signature": None} == {
        **answer["diagnosis"],
        "claimed_signature": None,
    }


def test_each_students_refusal_is_listed_newest_first_and_explained() -> None:
    app, _ = room()
    send(app, student_request("n-1", key=DEMO_API_SECRET)[1])
    send(app, student_request("n-2", unsorted=True)[1])
    send(app, student_request("n-3", consumer_key="someone-else")[1])
    rows = json.loads(call(app, environ_for("GET", "/api/requests"))[2])
    assert [(r["consumer_key"], r["mistakes"]) for r in rows] == [
        ("someone-else", []),
        (DEMO_API_KEY, ["params-unsorted"]),
        (DEMO_API_KEY, ["key-missing-ampersand"]),
    ]
    # no secret for an unknown key, so nothing is checked with one: the check that refused it
    assert (rows[0]["verdict"], rows[0]["refused_because"]) == ("unchecked", "consumer-key")
    page = call(app, environ_for("GET", rows[1]["explanation"]))[2]
    assert '<article class="mistake" data-mistake="params-unsorted">' in page
    assert "The step that went wrong:" in page


def test_no_page_shows_the_students_signature_or_the_secret() -> None:
    app, _ = room()
    keys = (DEMO_API_SECRET, "demo-secret-typo&", DEMO_API_SECRET + "&")
    headers = [student_request(f"n-{n}", key=key)[1] for n, key in enumerate(keys)]
    for header in headers:
        send(app, header)
    rows = json.loads(call(app, environ_for("GET", "/api/requests"))[2])
    pages = [call(app, environ_for("GET", path))[2] for path in ("/requests", "/api/requests")]
    pages += [call(app, environ_for("GET", row["explanation"]))[2] for row in rows]
    for text in pages:
        assert DEMO_API_SECRET not in text
        for header in headers:
            assert not any(form in text for form in signature_forms(header))


def test_a_request_let_through_is_recorded_and_its_body_still_reaches_the_sandbox() -> None:
    app, log = room()
    url = f"http://sandbox.test/gallery/api/v1/workflows/{_first_workflow()}/jobs/"
    body = b'{"questions": [], "priority": "0"}'
    request = HttpRequest("POST", url, headers={"Content-Type": "application/json"}, body=body)
    trace = sign_at(request, Credentials(DEMO_API_KEY, DEMO_API_SECRET), timestamp=NOW, nonce="ok1")
    assert trace.authorization_header is not None
    environ = environ_for("POST", url.split("sandbox.test", 1)[1], authorization=None)
    environ.update(
        HTTP_AUTHORIZATION=trace.authorization_header,
        CONTENT_TYPE="application/json",
        CONTENT_LENGTH=str(len(body)),
    )
    environ["wsgi.input"].write(body)
    environ["wsgi.input"].seek(0)
    status, _, answer = call(app, environ)
    assert status == 200 and json.loads(answer)["status"] == "Queued"
    (kept,) = log.recent()
    assert (kept.status, kept.verdict, kept.consumer_key, kept.diagnosis) == (
        200,
        None,
        DEMO_API_KEY,
        None,
    )


def test_the_classroom_pages_are_not_recorded() -> None:
    app, log = room()
    for path in ("/", "/requests", "/api/requests", "/static/app.css"):
        call(app, environ_for("GET", path))
    assert log.recent() == []


def test_recording_app_records_what_the_sandbox_answers_without_a_diagnosis() -> None:
    log = MemoryRequestLog()
    app = recording_app(create_app(SandboxConfig(clock=lambda: NOW)), log, clock=lambda: 5.0)
    status, _, _ = call(app, environ_for("GET", "/gallery/api/v9/nothing/", query="x=1"))
    (kept,) = log.recent()
    assert (status, kept.status, kept.path, kept.time, kept.verdict) == (
        404,
        404,
        "/gallery/api/v9/nothing/",
        5.0,
        None,
    )


def test_create_classroom_serves_the_sandbox_and_its_requests_page() -> None:
    app = create_classroom(SandboxConfig(clock=lambda: NOW))
    status, _, _ = call(app, environ_for("GET", PATH, authorization=student_request("c1")[1]))
    assert status == 200
    rows = json.loads(call(app, environ_for("GET", "/api/requests"))[2])
    assert [(r["status"], r["consumer_key"]) for r in rows] == [(200, DEMO_API_KEY)]


def _first_workflow() -> str:
    from oauth_debug.sandbox import WORKFLOWS

    return WORKFLOWS[0].id


def test_with_log_uses_the_sandbox_hook_when_it_has_one() -> None:
    """Once create_app takes request_log, with_log hands the log to it and wraps nothing, so each
    request is recorded once (by the sandbox)."""
    given: dict[str, Any] = {}

    def hooked_factory(config: Any, request_log: Any = None) -> Any:
        given.update(config=config, request_log=request_log)
        return create_app(config)

    log = MemoryRequestLog()
    config = SandboxConfig(clock=lambda: NOW)
    app = with_log(hooked_factory, config, log)
    assert given == {"config": config, "request_log": log}
    call(app, environ_for("GET", PATH, authorization=student_request("h1")[1]))
    assert log.recent() == []  # this stand-in sandbox ignores the log; nothing wrapped it
