"""The sandbox over real loopback HTTP: every endpoint and shape, strict OAuth 1, jobs driven by
an injected clock, outputs computed from the answers, OAuth 2 and the Server 2022.1 mode."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import time
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import requests
from conftest import signed_request
from requests_oauthlib import OAuth1

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.sandbox import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    RunningServer,
    SandboxApp,
    SandboxConfig,
    create_app,
    serve_in_background,
)

SALES = "5c2d9a1e0b7f4a0001a1b2c1"
LOAN = "5c2d9a1e0b7f4a0001a1b2c2"
WORDS = "5c2d9a1e0b7f4a0001a1b2c3"
TIMEOUT = 10


class Clock:
    """A settable clock: starts at the real time (requests-oauthlib signs with the real time)."""

    def __init__(self) -> None:
        self.now = float(int(time.time()))

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(clock: Clock) -> SandboxApp:
    counter = iter(range(1, 1000))
    return create_app(
        SandboxConfig(clock=clock, job_seconds=2.0, token_source=lambda: f"token-{next(counter)}")
    )


@pytest.fixture
def server(app: SandboxApp) -> Iterator[RunningServer]:
    with serve_in_background(app, host="127.0.0.1", port=0) as running:
        yield running


AUTH = OAuth1(DEMO_API_KEY, DEMO_API_SECRET, signature_type="auth_header")
CREDENTIALS = Credentials(DEMO_API_KEY, DEMO_API_SECRET)


def api(server: RunningServer, path: str) -> str:
    return f"{server.base_url}/api/v1/{path}"


def get(server: RunningServer, path: str, **kwargs: Any) -> requests.Response:
    return requests.get(api(server, path), auth=AUTH, timeout=TIMEOUT, **kwargs)


def run_job(
    server: RunningServer, app_id: str, answers: dict[str, str], priority: str = "0"
) -> Any:
    body = {
        "questions": [{"name": n, "value": v} for n, v in answers.items()],
        "priority": priority,
    }
    response = requests.post(
        api(server, f"workflows/{app_id}/jobs/"), json=body, auth=AUTH, timeout=TIMEOUT
    )
    assert response.status_code == 200, response.text
    return response.json()


def send(request: HttpRequest) -> requests.Response:
    """Send one of our own signed requests exactly as built."""
    return requests.request(
        request.method,
        request.url,
        headers=dict(request.headers),
        data=request.body,
        timeout=TIMEOUT,
    )


def signed(
    server: RunningServer,
    clock: Clock,
    *,
    path: str = "workflows/subscription/",
    credentials: Credentials = CREDENTIALS,
    offset: float = 0,
    nonce: str = "n-0001",
    **options: Any,
) -> HttpRequest:
    return signed_request(
        HttpRequest("GET", api(server, path)),
        credentials,
        timestamp=str(int(clock.now + offset)),
        nonce=nonce,
        **options,
    )


# ---- shapes and headers --------------------------------------------------------------------


def test_every_answer_has_date_cors_and_json_headers(server: RunningServer, clock: Clock) -> None:
    response = get(server, "workflows/subscription/")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, POST, PUT, DELETE, OPTIONS"
    assert response.headers["Access-Control-Allow-Headers"] == "Content-Type, Accept, Authorization"
    assert response.headers["Access-Control-Max-Age"] == "1728000"
    # The Date comes from the sandbox's clock, so clients can measure their skew against it.
    clock.now += 3600
    later = requests.get(api(server, "nowhere"), timeout=TIMEOUT)
    assert later.status_code == 404
    assert time.strftime("%H:%M", time.gmtime(clock.now)) in later.headers["Date"]


def test_preflight_is_answered_without_credentials(server: RunningServer) -> None:
    response = requests.options(api(server, "workflows/subscription/"), timeout=TIMEOUT)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Methods"] == "GET, POST, PUT, DELETE, OPTIONS"


def test_unknown_paths_are_404_with_a_json_message(server: RunningServer) -> None:
    for url in (api(server, "nothing/here/"), f"{server.url}/elsewhere"):
        response = requests.get(url, auth=AUTH, timeout=TIMEOUT)
        assert response.status_code == 404
        assert "No such endpoint" in response.json()["message"]


def test_workflow_list_is_a_bare_array_with_the_gallery_fields(server: RunningServer) -> None:
    workflows = get(server, "workflows/subscription/").json()
    assert isinstance(workflows, list) and len(workflows) >= 3
    first = workflows[0]
    assert set(first) == {
        "id", "subscriptionId", "public", "runDisabled", "packageType", "uploadDate",
        "fileName", "metaInfo", "isChained", "version", "runCount", "workerTag",
    }  # fmt: skip
    assert set(first["metaInfo"]) >= {"name", "description", "author", "outputMessage"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first["uploadDate"])


def test_search_limit_offset_and_sorting(server: RunningServer) -> None:
    # A search term with a space: requests-oauthlib signs it right, the sandbox checks it.
    found = get(server, "workflows/subscription/", params={"search": "loan sch"}).json()
    assert [w["id"] for w in found] == [LOAN]
    by_name = get(server, "workflows/subscription/", params={"sortField": "name"}).json()
    names = [w["metaInfo"]["name"] for w in by_name]
    assert names == sorted(names)
    newest = get(
        server, "workflows/subscription/", params={"sortField": "uploaddate", "direction": "desc"}
    ).json()
    assert [w["uploadDate"] for w in newest] == sorted(
        (w["uploadDate"] for w in newest), reverse=True
    )
    page = get(
        server, "workflows/subscription/", params={"sortField": "name", "limit": "1", "offset": "1"}
    ).json()
    assert [w["metaInfo"]["name"] for w in page] == names[1:2]
    bad = get(server, "workflows/subscription/", params={"limit": "many"})
    assert bad.status_code == 400


def test_questions_of_different_types(server: RunningServer) -> None:
    types = set()
    for app_id in (SALES, LOAN, WORDS):
        questions = get(server, f"workflows/{app_id}/questions/").json()
        for question in questions:
            assert set(question) == {"name", "description", "type", "items", "multiple"}
            types.add(question["type"])
    assert types >= {
        "QuestionListBox", "QuestionDate", "QuestionTextBox",
        "QuestionNumericUpDown", "QuestionBooleanGroup",
    }  # fmt: skip
    region = get(server, f"workflows/{SALES}/questions/").json()[0]
    assert {"key": "North", "value": "N"} in region["items"]
    assert get(server, "workflows/000000000000000000000000/questions/").status_code == 404


def test_trailing_slash_is_optional(server: RunningServer) -> None:
    with_slash = get(server, f"workflows/{SALES}/questions/").json()
    without = get(server, f"workflows/{SALES}/questions").json()
    assert with_slash == without


def test_package_is_a_real_zip(server: RunningServer) -> None:
    response = get(server, f"{WORDS}/package/")
    assert response.status_code == 200
    assert 'filename="WordFrequency.yxzp"' in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "WordFrequency.yxwz" in archive.namelist()
        assert b'name="text"' in archive.read("WordFrequency.yxwz")


# ---- jobs ----------------------------------------------------------------------------------


def test_job_goes_queued_running_completed_by_the_clock(
    server: RunningServer, clock: Clock
) -> None:
    job = run_job(server, SALES, {"region": "E", "start": "2024-02-27", "end": "2024-03-02"}, "2")
    assert set(job) >= {
        "id", "appId", "createDate", "status", "disposition", "outputs", "messages",
        "priority", "workerTag",
    }  # fmt: skip
    assert (job["status"], job["disposition"], job["outputs"]) == ("Queued", "None", [])
    assert job["priority"] == 2
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z", job["createDate"])
    clock.now += 1.0
    assert get(server, f"jobs/{job['id']}/").json()["status"] == "Running"
    clock.now += 1.0
    done = get(server, f"jobs/{job['id']}/").json()
    assert (done["status"], done["disposition"]) == ("Completed", "Success")
    [output] = done["outputs"]
    assert output["name"] == output["fileName"] == "sales_E.csv"
    assert output["formats"] == output["availableFormats"] == ["Raw", "Csv"]
    assert {m["status"] for m in done["messages"]} >= {1, 4, 9, 50}
    assert all(set(m) == {"status", "text", "toolId"} for m in done["messages"])
    download = get(server, f"jobs/{job['id']}/output/{output['id']}/", params={"format": "Csv"})
    assert 'filename="sales_E.csv"' in download.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    # Five days, the 29th of February included, all in region E.
    assert [row["date"] for row in rows] == [
        "2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01", "2024-03-02",
    ]  # fmt: skip
    assert {row["region"] for row in rows} == {"E"}
    assert all(float(row["revenue"]) == pytest.approx(int(row["units"]) * 21.90) for row in rows)


def test_outputs_are_computed_from_the_answers(server: RunningServer, clock: Clock) -> None:
    job = run_job(
        server,
        WORDS,
        {"text": "The cat and the hat. THE end", "min_length": "3", "case_sensitive": "false"},
    )
    clock.now += 2
    done = get(server, f"jobs/{job['id']}/").json()
    words = next(o for o in done["outputs"] if o["name"] == "words.csv")
    body = get(server, f"jobs/{job['id']}/output/{words['id']}/", params={"format": "Raw"}).text
    assert body.splitlines() == ["word,count", "the,3", "and,1", "cat,1", "end,1", "hat,1"]
    stats = next(o for o in done["outputs"] if o["name"] == "stats.json")
    assert stats["formats"] == ["Raw"]
    refused = get(server, f"jobs/{job['id']}/output/{stats['id']}/", params={"format": "Csv"})
    assert refused.status_code == 400 and "Raw" in refused.json()["message"]
    raw = get(server, f"jobs/{job['id']}/output/{stats['id']}/", params={"format": "Raw"})
    assert raw.json() == {"words": 7, "distinct": 5}


def test_loan_schedule_repays_the_principal(server: RunningServer, clock: Clock) -> None:
    job = run_job(
        server, LOAN, {"principal": "12000", "rate": "6", "years": "2", "monthly": "true"}
    )
    clock.now += 2
    done = get(server, f"jobs/{job['id']}/").json()
    schedule = next(o for o in done["outputs"] if o["name"] == "schedule.csv")
    rows = list(
        csv.DictReader(io.StringIO(get(server, f"jobs/{job['id']}/output/{schedule['id']}/").text))
    )
    assert len(rows) == 24
    assert rows[-1]["balance"] == "0.00"
    assert sum(float(row["principal"]) for row in rows) == pytest.approx(12000, abs=0.001)
    assert rows[0]["interest"] == "60.00"  # 12000 * 6% / 12


@pytest.mark.parametrize(
    ("app_id", "answers", "words"),
    [
        (
            SALES,
            {"region": "North", "start": "2024-01-01", "end": "2024-01-02"},
            "answer with its value 'N'",
        ),
        (
            SALES,
            {"region": "N", "start": "2024-01-05", "end": "2024-01-02"},
            "before the first day",
        ),
        (SALES, {"region": "N", "start": "yesterday", "end": "2024-01-02"}, "not a date"),
        (LOAN, {"principal": "12000", "rate": "45", "years": "2"}, "outside the range"),
        (LOAN, {"principal": "lots", "rate": "5", "years": "2"}, "not a number"),
        (
            LOAN,
            {"principal": "12000", "rate": "5", "years": "2", "monthly": "maybe"},
            "true or false",
        ),
        (WORDS, {}, "needs an answer"),
    ],
    ids=["list-label", "date-order", "date-format", "range", "number", "boolean", "missing"],
)
def test_bad_answers_complete_with_disposition_error(
    server: RunningServer, clock: Clock, app_id: str, answers: dict[str, str], words: str
) -> None:
    job = run_job(server, app_id, answers)
    assert job["disposition"] == "None"  # accepted first, as a real Gallery does
    clock.now += 2
    done = get(server, f"jobs/{job['id']}/").json()
    assert (done["status"], done["disposition"], done["outputs"]) == ("Completed", "Error", [])
    errors = [m for m in done["messages"] if m["status"] == 3]
    assert errors and any(words in m["text"] for m in errors), errors


def test_run_rejects_malformed_bodies_and_priorities(server: RunningServer) -> None:
    url = api(server, f"workflows/{SALES}/jobs/")
    not_json = requests.post(
        url, data=b"{oops", headers={"Content-Type": "application/json"}, auth=AUTH, timeout=TIMEOUT
    )
    assert not_json.status_code == 400 and "not JSON" in not_json.json()["message"]
    bad_priority = requests.post(
        url, json={"questions": [], "priority": "9"}, auth=AUTH, timeout=TIMEOUT
    )
    assert bad_priority.status_code == 400 and "priority" in bad_priority.json()["message"]
    unknown = requests.post(
        api(server, "workflows/nope/jobs/"), json={}, auth=AUTH, timeout=TIMEOUT
    )
    assert unknown.status_code == 404


def test_jobs_of_a_workflow_and_app_state_agree(server: RunningServer, app: SandboxApp) -> None:
    ids = [run_job(server, WORDS, {"text": f"run {n}"})["id"] for n in range(3)]
    listed = get(server, f"workflows/{WORDS}/jobs/", params={"sortField": "createdate"}).json()
    assert [job["id"] for job in listed] == ids[::-1]  # newest first
    assert [
        job["id"] for job in get(server, f"workflows/{WORDS}/jobs/", params={"limit": "1"}).json()
    ] == ids[-1:]
    assert [job.id for job in app.state.jobs.for_workflow(WORDS)] == ids
    assert len(set(ids)) == 3
    counts = {w["id"]: w["runCount"] for w in get(server, "workflows/subscription/").json()}
    assert counts[WORDS] == 3 and counts[SALES] == 0


def test_output_of_an_unfinished_job_is_not_there(server: RunningServer) -> None:
    job = run_job(server, WORDS, {"text": "hello"})
    response = get(server, f"jobs/{job['id']}/output/{job['id']}/")
    assert response.status_code == 404 and "not completed" in response.json()["message"]
    assert get(server, "jobs/ffffffffffffffffffffffff/").status_code == 404


# ---- strict OAuth 1 ------------------------------------------------------------------------


@pytest.mark.parametrize("signature_type", ["auth_header", "query"])
def test_requests_oauthlib_works_unchanged(server: RunningServer, signature_type: str) -> None:
    auth = OAuth1(DEMO_API_KEY, DEMO_API_SECRET, signature_type=signature_type)
    listed = requests.get(
        api(server, "workflows/subscription/"),
        params={"search": "sales"},
        auth=auth,
        timeout=TIMEOUT,
    )
    assert listed.status_code == 200 and [w["id"] for w in listed.json()] == [SALES]
    body = {"questions": [{"name": "text", "value": "a b a"}], "priority": "0"}
    run = requests.post(
        api(server, f"workflows/{WORDS}/jobs/"), json=body, auth=auth, timeout=TIMEOUT
    )
    assert run.status_code == 200 and run.json()["status"] == "Queued"


def assert_refused(response: requests.Response, words: str) -> dict[str, Any]:
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["data"] is None
    assert body["exceptionName"] == "UnauthorizedException"
    assert body["innerExceptionMessage"] == ""
    assert words in body["message"]
    assert "diagnosis" in body
    assert DEMO_API_SECRET not in response.text
    return dict(body)


def test_wrong_secret_gets_alteryx_401_with_a_diagnosis(server: RunningServer) -> None:
    response = requests.get(
        api(server, "workflows/subscription/"),
        auth=OAuth1(DEMO_API_KEY, "not-the-secret"),
        timeout=TIMEOUT,
    )
    body = assert_refused(response, "")
    assert body["message"] == "The provided signature(oauth_signature) is invalid."
    assert list(body)[:4] == ["data", "exceptionName", "innerExceptionMessage", "message"]
    # No known mistake turns the right secret into this signature: the secret itself is wrong.
    assert body["diagnosis"]["verdict"] == "unexplained"
    assert body["diagnosis"]["mistakes"] == []


def test_a_timestamp_inside_the_window_is_not_called_stale(
    server: RunningServer, clock: Clock
) -> None:
    # 400 s old: inside the sandbox's 600 s window, past the generic 300 s rule of thumb. The
    # request fails for its secret alone, and the diagnosis must not blame the timestamp.
    wrong = Credentials(DEMO_API_KEY, "not-the-secret")
    body = assert_refused(send(signed(server, clock, credentials=wrong, offset=-400)), "")
    finding_ids = [finding["id"] for finding in body["diagnosis"]["findings"]]
    assert "timestamp-stale" not in finding_ids
    assert body["diagnosis"]["verdict"] == "unexplained"


def test_a_changed_query_invalidates_the_signature(server: RunningServer, clock: Clock) -> None:
    request = signed(server, clock, path="workflows/subscription/?search=loan")
    tampered = request.replace(url=request.url.replace("search=loan", "search=word"))
    assert_refused(send(tampered), "The provided signature(oauth_signature) is invalid.")
    assert send(request).status_code == 200


@pytest.mark.parametrize(
    ("offset", "words"), [(-601, "601 seconds behind"), (601, "601 seconds ahead")]
)
def test_timestamps_outside_the_window_are_refused(
    server: RunningServer, clock: Clock, offset: int, words: str
) -> None:
    body = assert_refused(send(signed(server, clock, offset=offset)), words)
    # The diagnosis holds the timestamp against the sandbox's clock, as the check did.
    expected = "timestamp-stale" if offset < 0 else "timestamp-future"
    assert expected in [finding["id"] for finding in body["diagnosis"]["findings"]]
    # One second closer is inside the window (600 s, both directions).
    inside = offset + (1 if offset < 0 else -1)
    assert send(signed(server, clock, offset=inside, nonce="inside")).status_code == 200


def test_milliseconds_are_named(server: RunningServer, clock: Clock) -> None:
    trace = sign_at(
        HttpRequest("GET", api(server, "workflows/subscription/")),
        CREDENTIALS,
        timestamp=str(int(clock.now * 1000)),
        nonce="ms",
    )
    assert trace.signed_request is not None
    assert_refused(send(trace.signed_request), "milliseconds")


def test_a_replayed_request_is_refused(server: RunningServer, clock: Clock) -> None:
    request = signed(server, clock, nonce="once-only")
    assert send(request).status_code == 200
    assert_refused(send(request), "has already been used")
    # The same nonce from a fresh signature (another timestamp) is a replay too.
    assert_refused(send(signed(server, clock, nonce="once-only", offset=1)), "already been used")


def test_forged_requests_do_not_burn_nonces(server: RunningServer, clock: Clock) -> None:
    wrong = Credentials(DEMO_API_KEY, "guess")
    assert_refused(send(signed(server, clock, credentials=wrong, nonce="shared")), "signature")
    assert send(signed(server, clock, nonce="shared")).status_code == 200


@pytest.mark.parametrize(
    "missing", ["oauth_nonce", "oauth_timestamp", "oauth_signature", "oauth_consumer_key"]
)
def test_missing_parameters_are_named(server: RunningServer, clock: Clock, missing: str) -> None:
    request = signed(server, clock, placement="query")
    url = re.sub(rf"[?&]{missing}=[^&]*", "", request.url).replace(
        "subscription/&", "subscription/?"
    )
    assert_refused(send(request.replace(url=url)), f"required parameter {missing} is missing")


@pytest.mark.parametrize("method", ["HMAC-SHA256", "PLAINTEXT"])
def test_only_hmac_sha1_is_accepted(server: RunningServer, clock: Clock, method: str) -> None:
    assert_refused(
        send(signed(server, clock, signature_method=method)), f"{method!r} is not supported"
    )


def test_oauth_version_must_be_1_0_when_present(server: RunningServer, clock: Clock) -> None:
    assert_refused(send(signed(server, clock, version="2.0")), "version(oauth_version)")
    assert send(signed(server, clock, version=None, nonce="no-version")).status_code == 200


def test_body_hash_is_checked_when_present(server: RunningServer, clock: Clock) -> None:
    body = json.dumps({"questions": [{"name": "text", "value": "hi"}]}).encode()
    request = HttpRequest(
        "POST", api(server, f"workflows/{WORDS}/jobs/"), {"Content-Type": "application/json"}, body
    )
    trace = sign_at(request, CREDENTIALS, timestamp=str(int(clock.now)), nonce="bh-1")
    assert trace.signed_request is not None
    assert "oauth_body_hash" in (trace.signed_request.header("Authorization") or "")
    changed = trace.signed_request.replace(body=body.replace(b"hi", b"ho"))
    assert_refused(send(changed), "body hash(oauth_body_hash) does not match")
    again = sign_at(request, CREDENTIALS, timestamp=str(int(clock.now)), nonce="bh-2")
    assert again.signed_request is not None
    assert send(again.signed_request).status_code == 200


def test_json_body_is_not_signed(server: RunningServer, clock: Clock) -> None:
    body = b'{"questions": [{"name": "text", "value": "hi"}]}'
    request = HttpRequest(
        "POST", api(server, f"workflows/{WORDS}/jobs/"), {"Content-Type": "application/json"}, body
    )
    trace = sign_at(
        request, CREDENTIALS, timestamp=str(int(clock.now)), nonce="nb", body_hash=False
    )
    assert trace.signed_request is not None
    assert send(trace.signed_request.replace(body=body.replace(b"hi", b"ho"))).status_code == 200


def test_unknown_consumer_key_is_refused_without_using_any_secret(
    server: RunningServer, clock: Clock
) -> None:
    stranger = Credentials("someone-else", DEMO_API_SECRET)
    body = assert_refused(
        send(signed(server, clock, credentials=stranger)), "'someone-else' is unknown"
    )
    # No secret belongs to that key, so the diagnosis could not check the signature.
    assert body["diagnosis"]["verdict"] == "unchecked"
    assert body["diagnosis"]["expected"] is None


def test_signature_made_with_quote_url_is_refused(server: RunningServer, clock: Clock) -> None:
    """The classic hand-rolled mistake: urllib's quote(url) keeps the slashes of the URL."""
    url = api(server, "workflows/subscription/")
    params = {
        "oauth_consumer_key": DEMO_API_KEY,
        "oauth_nonce": "quote-url",
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": str(int(clock.now)),
        "oauth_version": "1.0",
    }
    import base64
    import hashlib
    import hmac

    normalized = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    base = "&".join(["GET", quote(url), quote(normalized, safe="")])
    digest = hmac.new(f"{DEMO_API_SECRET}&".encode(), base.encode(), hashlib.sha1).digest()
    signature = base64.b64encode(digest).decode()
    query = "&".join(
        f"{k}={quote(v, safe='')}" for k, v in {**params, "oauth_signature": signature}.items()
    )
    body = assert_refused(requests.get(f"{url}?{query}", timeout=TIMEOUT), "signature")
    assert body["message"] == "The provided signature(oauth_signature) is invalid."
    # The sandbox knows the secret, so its diagnosis names the exact mistake.
    assert body["diagnosis"]["verdict"] == "explained"
    assert body["diagnosis"]["mistakes"] == ["uri-slashes-not-encoded"]


# ---- OAuth 2 and Server 2022.1 ------------------------------------------------------------


def token(server: RunningServer, **form: str) -> requests.Response:
    fields = {
        "grant_type": "client_credentials",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
    }
    return requests.post(
        f"{server.url}/webapi/oauth2/token", data={**fields, **form}, timeout=TIMEOUT
    )


def test_oauth2_token_flow_and_expiry(server: RunningServer, clock: Clock) -> None:
    issued = token(server)
    assert issued.status_code == 200
    assert issued.json() == {"access_token": "token-1", "token_type": "bearer", "expires_in": 3600}
    bearer = {"Authorization": "Bearer token-1"}
    url = f"{server.url}/webapi/v1/workflows/subscription/"
    listed = requests.get(url, headers=bearer, timeout=TIMEOUT)
    assert listed.status_code == 200 and len(listed.json()) >= 3
    run = requests.post(
        f"{server.url}/webapi/v1/workflows/{WORDS}/jobs/",
        json={"questions": [{"name": "text", "value": "x"}]},
        headers=bearer,
        timeout=TIMEOUT,
    )
    assert run.status_code == 200 and run.json()["status"] == "Queued"
    clock.now += 3600
    expired = requests.get(url, headers=bearer, timeout=TIMEOUT)
    assert expired.status_code == 401 and "expired" in expired.json()["message"]
    assert expired.headers["WWW-Authenticate"].startswith("Bearer")


def test_oauth2_token_accepts_basic_and_refuses_wrong_clients(server: RunningServer) -> None:
    basic = requests.post(
        f"{server.url}/webapi/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
        timeout=TIMEOUT,
    )
    assert basic.status_code == 200 and basic.json()["token_type"] == "bearer"
    wrong = token(server, client_secret="nope")
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    assert DEMO_CLIENT_SECRET not in wrong.text
    grant = token(server, grant_type="password")
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
    unknown = requests.get(
        f"{server.url}/webapi/v1/workflows/subscription/",
        headers={"Authorization": "Bearer made-up"},
        timeout=TIMEOUT,
    )
    assert unknown.status_code == 401 and "unknown" in unknown.json()["message"]


def test_oauth1_on_webapi_is_told_to_use_oauth2(server: RunningServer) -> None:
    response = requests.get(
        f"{server.url}/webapi/v1/workflows/subscription/", auth=AUTH, timeout=TIMEOUT
    )
    assert response.status_code == 401
    assert "OAuth 1 is not accepted on /webapi/" in response.json()["message"]


def test_server_2022_mode_has_no_oauth1_api(clock: Clock) -> None:
    app = create_app(SandboxConfig(clock=clock, oauth1_enabled=False))
    with serve_in_background(app) as server:
        gone = requests.get(api(server, "workflows/subscription/"), auth=AUTH, timeout=TIMEOUT)
        assert gone.status_code == 404
        assert "/webapi/" in gone.json()["message"] and "2022.1" in gone.json()["message"]
        issued = token(server).json()["access_token"]
        still = requests.get(
            f"{server.url}/webapi/v1/workflows/{SALES}/questions/",
            headers={"Authorization": f"Bearer {issued}"},
            timeout=TIMEOUT,
        )
        assert still.status_code == 200 and still.json()[0]["name"] == "region"


def test_secrets_never_appear_in_responses_or_reprs(server: RunningServer, app: SandboxApp) -> None:
    assert DEMO_API_SECRET not in repr(app.config)
    assert DEMO_CLIENT_SECRET not in repr(app.config)
    for auth in (OAuth1(DEMO_API_KEY, "x"), OAuth1(DEMO_API_KEY, DEMO_API_SECRET)):
        for _ in range(2):
            response = requests.get(
                api(server, "workflows/subscription/"), auth=auth, timeout=TIMEOUT
            )
            assert DEMO_API_SECRET not in response.text


def test_a_client_that_never_sends_its_announced_body_does_not_keep_a_thread(
    app: SandboxApp,
) -> None:
    """The server's read timeout ends the wait; without one the thread (and the socket) would
    wait for the missing bytes as long as the server lives."""
    with (
        serve_in_background(app, request_timeout=0.2) as running,
        socket.create_connection((running.host, running.port), timeout=TIMEOUT) as client,
    ):
        client.sendall(
            b"POST /gallery/api/v1/workflows/x/jobs/ HTTP/1.1\r\nHost: sandbox.test\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        answer = b""
        while chunk := client.recv(65536):  # ends when the server closes the connection
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400 Bad Request")
    assert b"did not arrive in full" in answer
    assert app.state.statuses == {400: 1} and app.state.jobs.all() == []


def test_the_diagnosis_says_which_check_refused_and_what_it_means(
    server: RunningServer, clock: Clock
) -> None:
    wrong_secret = assert_refused(
        send(signed(server, clock, credentials=Credentials(DEMO_API_KEY, "typo"))), ""
    )["diagnosis"]["refused_because"]
    assert wrong_secret["check"] == "signature"
    assert "signed with another secret" in wrong_secret["meaning"]

    unknown = assert_refused(
        send(signed(server, clock, credentials=Credentials("who-is-this", "x"))), ""
    )["diagnosis"]["refused_because"]
    assert "knows no client with this consumer key" in unknown["meaning"]

    request = signed(server, clock, nonce="once-only")
    assert send(request).status_code == 200
    replayed = assert_refused(send(request), "")["diagnosis"]
    assert replayed["verdict"] == "valid"  # the signature is right ...
    assert replayed["refused_because"]["check"] == "nonce"  # ... the nonce was used
    assert replayed["refused_because"]["meaning"].startswith("the signature is right")
