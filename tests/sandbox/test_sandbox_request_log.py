"""The request log hook: one RequestRecord per request answered, with the refusal's check and the
diagnosis's client view, and never a signature or a secret in it."""

from __future__ import annotations

import base64
import hmac
import json
import logging
from dataclasses import asdict
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sandbox_calls import BASE, NOW, Clock, call, run_job, signed

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.sandbox import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    RequestRecord,
    SandboxApp,
    SandboxConfig,
    create_app,
)


class ListLog:
    """The RequestLog protocol in a list (the classroom page has its own)."""

    def __init__(self) -> None:
        self.records: list[RequestRecord] = []

    def add(self, record: RequestRecord) -> None:
        self.records.append(record)

    def recent(self, limit: int = 100) -> list[RequestRecord]:
        return self.records[::-1][:limit]

    def get(self, request_id: str) -> RequestRecord | None:
        return next((r for r in self.records if r.request_id == request_id), None)


def _app(clock: Clock, log: ListLog, tmp_path: Path | None = None) -> SandboxApp:
    state = None if tmp_path is None else tmp_path / "state.sqlite"
    return create_app(SandboxConfig(clock=clock), state=state, request_log=log)


def _with_secret(secret: str, clock: Clock, nonce: str) -> HttpRequest:
    request = HttpRequest("GET", f"{BASE}/workflows/subscription/?search=a")
    trace = sign_at(
        request,
        Credentials(DEMO_API_KEY, secret),
        timestamp=str(int(clock.now)),
        nonce=nonce,
        placement="query",
    )
    assert trace.signed_request is not None
    return trace.signed_request


def test_one_record_per_request_with_what_refused_it(tmp_path: Path) -> None:
    clock, log = Clock(), ListLog()
    app = _app(clock, log, tmp_path)
    good = signed("GET", f"{BASE}/workflows/subscription/", "n-good", clock)
    assert call(app, good)[0] == 200
    status, body = call(app, _with_secret("typo", clock, "n-typo"))
    assert status == 401
    assert call(app, good)[0] == 401  # the replay
    assert call(app, HttpRequest("GET", "http://sandbox.test/nowhere"))[0] == 404
    assert run_job(app, "n-job", clock)[0] == 200

    assert [r.status for r in log.records] == [200, 401, 401, 404, 200]
    accepted, wrong, replay, missing, job = log.records
    assert (accepted.method, accepted.path, accepted.consumer_key) == (
        "GET",
        "/gallery/api/v1/workflows/subscription/",
        DEMO_API_KEY,
    )
    assert accepted.verdict is None and accepted.refused_because is None
    assert accepted.diagnosis is None and accepted.time == clock.now
    assert wrong.path == "/gallery/api/v1/workflows/subscription/"  # no query
    assert wrong.refused_because == "signature" and wrong.verdict == "unexplained"
    # The client view the 401 carried, less the signature the client sent (a log is read by others).
    assert wrong.diagnosis == {**body["diagnosis"], "claimed_signature": "****"}
    assert body["diagnosis"]["claimed_signature"]
    assert wrong.consumer_key == DEMO_API_KEY
    assert replay.refused_because == "nonce" and replay.verdict == "valid"
    assert missing.consumer_key is None and missing.refused_because is None
    assert job.method == "POST" and job.path.endswith("/jobs/")
    assert len({r.request_id for r in log.records}) == 5
    assert log.get(wrong.request_id) is wrong


def test_a_refusal_record_names_the_diagnosis_mistakes_and_findings() -> None:
    clock, log = Clock(), ListLog()
    app = _app(clock, log)
    # Signed with the method lower-cased in the base string: a mistake the diagnosis names.
    trace = sign_at(
        HttpRequest("GET", f"{BASE}/workflows/subscription/"),
        Credentials(DEMO_API_KEY, DEMO_API_SECRET),
        timestamp=str(int(NOW)),
        nonce="lower",
    )
    assert trace.signed_request is not None
    wrong = hmac.digest(
        f"{DEMO_API_SECRET}&".encode(), ("get" + trace.base_string[3:]).encode(), "sha1"
    )
    header = trace.signed_request.header("Authorization")
    assert header is not None
    start = header.index('oauth_signature="') + len('oauth_signature="')
    signature = quote(base64.b64encode(wrong).decode(), safe="")
    header = header[:start] + signature + header[header.index('"', start) :]
    sent = trace.signed_request.with_header("Authorization", header)
    status, body = call(app, sent)
    (record,) = log.records
    assert record.mistakes == ("method-lowercase",)
    assert status == 401 and record.refused_because == body["diagnosis"]["refused_because"]["check"]
    assert list(record.mistakes) == body["diagnosis"]["mistakes"]
    assert list(record.findings) == [f["id"] for f in body["diagnosis"].get("findings", [])]


@settings(max_examples=30, deadline=None)
@given(
    secret=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=4, max_size=20).map(
        lambda text: "s3cret:" + text
    ),
    placement=st.sampled_from(["header", "query"]),
)
def test_no_record_holds_a_signature_or_a_secret(secret: str, placement: str) -> None:
    clock, log = Clock(), ListLog()
    config = SandboxConfig(clock=clock, api_secret=secret + "-server")
    app = create_app(config, request_log=log)
    requests = [
        _signed(config.api_secret.reveal(), clock, "right", placement),
        _signed(secret, clock, "wrong", placement),
        _signed(config.api_secret.reveal(), clock, "right", placement),  # replayed
    ]
    signatures = []
    for request in requests:
        call(app, request)
        signatures.append(_signature(request))
    text = json.dumps([asdict(record) for record in log.records]) + repr(log.records)
    for value in [secret, config.api_secret.reveal(), *signatures]:
        for form in {value, quote(value, safe=""), quote(value)}:
            assert form not in text
    assert [r.status for r in log.records] == [200, 401, 401]


def _signed(secret: str, clock: Clock, nonce: str, placement: str) -> HttpRequest:
    request = HttpRequest("GET", f"{BASE}/workflows/subscription/")
    trace = sign_at(
        request,
        Credentials(DEMO_API_KEY, secret),
        timestamp=str(int(clock.now)),
        nonce=nonce,
        placement=placement,  # type: ignore[arg-type]
    )
    assert trace.signed_request is not None
    return trace.signed_request


def _signature(request: HttpRequest) -> str:
    from oauth_debug.verify import claimed_parameters

    return claimed_parameters(request)[0]["oauth_signature"]


def test_a_log_that_fails_does_not_fail_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(ListLog):
        def add(self, record: RequestRecord) -> None:
            raise RuntimeError("the classroom is closed")

    clock = Clock()
    app = create_app(SandboxConfig(clock=clock), request_log=Broken())
    logged: list[str] = []
    monkeypatch.setattr(
        logging.getLogger("oauth_debug.sandbox"), "exception", lambda text, *a: logged.append(text)
    )
    assert call(app, signed("GET", f"{BASE}/workflows/subscription/", "b", clock))[0] == 200
    assert logged == ["the request log refused a record"]
