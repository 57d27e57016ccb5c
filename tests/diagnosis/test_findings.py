"""Checks that need no secret (diagnose.findings): each finding fires, and stays quiet."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import signed_request

from oauth_debug import Credentials, HttpRequest, InvalidOptionError, sign_at
from oauth_debug.diagnosis.findings import (
    Finding,
    check_request,
    human_duration,
    oauth_params_of,
    sign_command,
    unsigned_url,
)
from oauth_debug.httpdate import parse_http_date

NOW = 1_795_867_200.0  # Sat, 28 Nov 2026 12:00:00 GMT
FRESH = int(NOW) - 10
CREDS = Credentials("key", "secret")
FORM = "application/x-www-form-urlencoded"

# The seed: shared/seed/forum-thread.txt, a URL copied out of Alteryx's interactive API docs.
FORUM_URL = (
    "http://dminform:80/gallery/api/v1/workflows/<id>/jobs/?oauth_timestamp=1539784724"
    "&oauth_signature_method=HMAC-SHA1&oauth_consumer_key=<Key>&oauth_version=1.0"
    "&oauth_nonce=7Ck8g&oauth_signature=TC1bpIecwPsMPO2Ui1l5O%2FwEhzU%3D"
)
FORUM_DATE = "Wed, 17 Oct 2018 13:58:43 GMT"


def signed(
    url: str = "https://api.example.com/v1/items?q=a",
    *,
    timestamp: int = FRESH,
    method: str = "HMAC-SHA1",
    placement: str = "query",
) -> HttpRequest:
    return signed_request(
        HttpRequest("GET", url),
        CREDS,
        timestamp=str(timestamp),
        nonce="n0nce",
        signature_method=method,
        placement=placement,
    )


def query_request(**params: str) -> HttpRequest:
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in params.items())
    return HttpRequest("GET", f"https://api.example.com/v1/items?{query}")


def complete(**overrides: str) -> dict[str, str]:
    params = {
        "oauth_consumer_key": "key",
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": str(FRESH),
        "oauth_nonce": "n0nce",
        "oauth_signature": "r6/TJjbCOr97/+UU0NsvSne7s5g=",
    }
    params.update(overrides)
    return params


def check(request: HttpRequest, **kwargs: object) -> tuple[Finding, ...]:
    options: dict[str, object] = {
        "now": NOW,
        "server_date": None,
        "signature_valid": None,
        "consumer_secret_known": False,
    }
    options.update(kwargs)
    return check_request(request, **options)  # type: ignore[arg-type]


def ids(findings: tuple[Finding, ...]) -> list[str]:
    return [finding.id for finding in findings]


def only(findings: tuple[Finding, ...], finding_id: str) -> Finding:
    matching = [finding for finding in findings if finding.id == finding_id]
    assert len(matching) == 1, ids(findings)
    return matching[0]


def test_a_freshly_signed_request_has_no_findings() -> None:
    for placement in ("header", "query"):
        assert check(signed(placement=placement)) == ()


def test_forum_case_is_copied_and_stale_with_the_age_in_words() -> None:
    findings = check(HttpRequest("POST", FORUM_URL), server_date=FORUM_DATE)
    assert ids(findings) == ["timestamp-stale", "copied-signed-url"]
    stale = only(findings, "timestamp-stale")
    assert "8 years old" in stale.message
    assert "NTP" in stale.message
    # Against the Date the docs recorded, the timestamp was fine: only the current time flags it.
    assert [c["reference"] for c in stale.data["checks"]] == ["now"]  # type: ignore[attr-defined]
    copied = only(findings, "copied-signed-url")
    assert "8 years ago" in copied.message
    assert "cannot be replayed" in copied.message
    assert copied.severity == "error"
    command = copied.data["command"]
    assert command == (
        "oauth-debug sign POST 'http://dminform:80/gallery/api/v1/workflows/<id>/jobs/' "
        "--consumer-key '<Key>' --consumer-secret \"$OAUTH_CONSUMER_SECRET\" --placement query"
    )
    assert command in copied.message


def test_copied_url_says_a_valid_signature_still_cannot_work() -> None:
    findings = check(
        HttpRequest("POST", FORUM_URL), signature_valid=True, consumer_secret_known=True
    )
    assert "The signature is valid for this URL" in only(findings, "copied-signed-url").message
    without_secret = check(HttpRequest("POST", FORUM_URL))
    assert "Without the consumer secret" in only(without_secret, "copied-signed-url").message


def test_copied_signed_url_not_reported_for_a_fresh_or_unsigned_request() -> None:
    assert "copied-signed-url" not in ids(check(signed(timestamp=FRESH)))
    stale_unsigned = query_request(**complete(oauth_timestamp="1539784724", oauth_signature=""))
    stale_unsigned = HttpRequest("GET", stale_unsigned.url.replace("&oauth_signature=", ""))
    assert "copied-signed-url" not in ids(check(stale_unsigned))
    assert "copied-signed-url" not in ids(check(HttpRequest("POST", FORUM_URL), now=None))


@pytest.mark.parametrize("placement", ["header", "body"])
def test_an_old_signature_outside_the_url_is_stale_but_not_called_copied(placement: str) -> None:
    # A client whose clock is an hour behind signs fresh requests with old timestamps: nothing was
    # copied, and the finding must not say so.
    trace = sign_at(
        HttpRequest("POST", "https://api.example.com/v1/items", headers={"Content-Type": FORM}),
        CREDS,
        timestamp=str(int(NOW) - 3600),
        nonce="n0nce",
        placement=placement,
    )
    assert trace.signed_request is not None
    assert ids(check(trace.signed_request)) == ["timestamp-stale"]
    assert ids(check(signed(timestamp=int(NOW) - 3600))) == ["timestamp-stale", "copied-signed-url"]


def test_sign_command_keeps_other_query_parameters_and_the_method() -> None:
    request = signed(
        "https://h.example/api/v1/jobs/1/output/2/?format=Raw", method="HMAC-SHA256", timestamp=10
    )
    command = sign_command(request, oauth_params_of(request))
    assert "'https://h.example/api/v1/jobs/1/output/2/?format=Raw'" in command
    assert "--signature-method HMAC-SHA256" in command
    assert "--no-version" not in command


def test_unsigned_url_drops_only_oauth_parameters_and_fragment() -> None:
    assert unsigned_url("http://h/p?a=1&oauth_nonce=x&b=%20#frag") == "http://h/p?a=1&b=%20"
    assert unsigned_url("http://h/p?oauth_nonce=x") == "http://h/p"


def test_stale_timestamp_against_now() -> None:
    finding = only(check(signed(timestamp=int(NOW) - 3 * 3600)), "timestamp-stale")
    assert "3 hours old" in finding.message
    assert finding.data["checks"] == [{"reference": "now", "at": NOW, "skew_seconds": 3 * 3600}]


def test_stale_window_is_a_parameter() -> None:
    request = signed(timestamp=int(NOW) - 200)
    assert "timestamp-stale" not in ids(check(request))
    assert "timestamp-stale" in ids(check(request, stale_after=60))


def test_future_timestamp_names_a_hand_added_time_zone() -> None:
    finding = only(check(signed(timestamp=int(NOW) + 4 * 3600 + 20)), "timestamp-future")
    assert "4 hours in the future" in finding.message
    assert "time-zone offset added by hand" in finding.message
    assert finding.severity == "error"


def test_future_timestamp_not_reported_within_the_window() -> None:
    assert "timestamp-future" not in ids(check(signed(timestamp=int(NOW) + 100)))


def test_skew_against_the_server_date_only() -> None:
    # The forum macro added hours by hand: 4 hours ahead of the server's Date header.
    date = "Wed, 17 Oct 2018 13:58:43 GMT"
    request = signed(timestamp=int(parse_http_date(date)) + 4 * 3600)
    finding = only(check(request, now=None, server_date=date), "timestamp-future")
    assert f"the server's clock (Date: {date})" in finding.message
    assert finding.data["checks"][0]["skew_seconds"] == -4 * 3600  # type: ignore[index]


def test_no_skew_against_a_matching_server_date() -> None:
    date = "Sat, 28 Nov 2026 12:00:00 GMT"
    findings = check(signed(timestamp=int(NOW) + 2), now=None, server_date=date)
    assert findings == ()


def test_bad_server_date_is_an_input_error() -> None:
    with pytest.raises(InvalidOptionError, match="not an HTTP date"):
        check(signed(), server_date="yesterday")


def test_milliseconds_timestamp() -> None:
    finding = only(
        check(query_request(**complete(oauth_timestamp="1795867190000"))), "timestamp-milliseconds"
    )
    assert "13 digits" in finding.message
    assert finding.data["seconds"] == 1795867190
    assert "timestamp-future" not in ids(
        check(query_request(**complete(oauth_timestamp="1795867190000")))
    )


def test_seconds_timestamp_is_not_milliseconds() -> None:
    assert "timestamp-milliseconds" not in ids(check(signed()))


def test_malformed_timestamp() -> None:
    assert "timestamp-malformed" in ids(check(query_request(**complete(oauth_timestamp="12.5"))))


@pytest.mark.parametrize(
    ("method", "signature", "hint"),
    [
        ("HMAC-SHA1", "A" * 43 + "=", "HMAC-SHA256 gives"),
        ("HMAC-SHA256", "A" * 27 + "=", "HMAC-SHA1 gives"),
        ("HMAC-SHA1", "ab" * 20, "hex HMAC-SHA1 digest"),
        ("HMAC-SHA1", "A" * 27, "padding stripped"),
        ("HMAC-SHA1", "A" * 26 + "%3D", "percent-encoded once too often"),
    ],
)
def test_signature_length_names_the_likely_cause(method: str, signature: str, hint: str) -> None:
    request = query_request(**complete(oauth_signature_method=method, oauth_signature=signature))
    finding = only(check(request), "signature-length")
    assert hint in finding.message
    assert finding.data["actual"] == len(signature)


def test_signature_length_fits_every_hmac_method() -> None:
    for method in ("HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512"):
        assert "signature-length" not in ids(check(signed(method=method)))


def test_unknown_signature_method() -> None:
    request = query_request(**complete(oauth_signature_method="hmac-sha1"))
    assert "unsupported-signature-method" in ids(check(request))


def test_missing_parameters_are_named() -> None:
    params = complete()
    del params["oauth_nonce"]
    del params["oauth_consumer_key"]
    finding = only(check(query_request(**params)), "missing-parameter")
    assert finding.data["names"] == ["oauth_consumer_key", "oauth_nonce"]
    assert finding.message.startswith("oauth_consumer_key, oauth_nonce are missing")


def test_missing_token_only_when_the_flow_needs_one() -> None:
    assert "missing-parameter" not in ids(check(signed()))
    finding = only(check(signed(), token_required=True), "missing-parameter")
    assert finding.data["names"] == ["oauth_token"]


def test_plaintext_may_omit_timestamp_and_nonce() -> None:
    params = complete(oauth_signature_method="PLAINTEXT", oauth_signature="secret&")
    del params["oauth_nonce"]
    del params["oauth_timestamp"]
    assert "missing-parameter" not in ids(check(query_request(**params)))


def test_an_unsigned_request_is_one_missing_parameter_finding() -> None:
    finding = only(check(HttpRequest("GET", "https://api.example.com/")), "missing-parameter")
    assert "not signed" in finding.message


def test_unsupported_version() -> None:
    finding = only(check(query_request(**complete(oauth_version="1.0a"))), "unsupported-version")
    assert "'1.0a'" in finding.message
    assert "unsupported-version" not in ids(check(query_request(**complete(oauth_version="1.0"))))


def test_duplicate_oauth_parameter_across_places() -> None:
    request = signed(placement="header")
    doubled = request.replace(url=request.url + "&oauth_nonce=again")
    finding = only(check(doubled), "duplicate-oauth-parameter")
    assert finding.data == {"name": "oauth_nonce", "places": ["query", "header"]}


def test_duplicate_oauth_parameter_in_one_place() -> None:
    request = signed()
    doubled = request.replace(url=request.url + "&oauth_timestamp=1")
    finding = only(check(doubled), "duplicate-oauth-parameter")
    assert finding.data["places"] == ["query", "query"]


def test_repeated_non_oauth_parameters_are_fine() -> None:
    assert "duplicate-oauth-parameter" not in ids(check(signed("https://h.example/?a=1&a=2")))


def test_empty_token() -> None:
    finding = only(check(query_request(**complete(oauth_token=""))), "empty-token")
    assert finding.severity == "warning"
    assert "empty-token" not in ids(check(query_request(**complete(oauth_token="t"))))


def test_to_dict_omits_empty_data() -> None:
    assert Finding("x", "info", "m").to_dict() == {"id": "x", "severity": "info", "message": "m"}
    assert Finding("x", "error", "m", {"a": 1}).to_dict()["data"] == {"a": 1}


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 seconds"),
        (1, "1 second"),
        (90, "2 minutes"),
        (3600, "1 hour"),
        (256_082_476, "8 years"),
        (-7200, "2 hours"),
    ],
)
def test_human_duration(seconds: float, words: str) -> None:
    assert human_duration(seconds) == words


def test_sign_command_for_a_form_body_keeps_the_body_without_oauth_parameters() -> None:
    trace = sign_at(
        HttpRequest(
            "POST",
            "https://h.example/p",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            body="q=a+b&x=1",
        ),
        CREDS,
        timestamp="1",
        nonce="n",
        placement="body",
    )
    assert trace.signed_request is not None
    command = sign_command(trace.signed_request, oauth_params_of(trace.signed_request))
    assert command.endswith(
        "-H 'Content-Type: application/x-www-form-urlencoded' --data 'q=a+b&x=1' --placement body"
    )


def test_finding_to_dict_is_json_ready_whatever_its_data_holds() -> None:
    # One serialization serves the diagnosis JSON and the server-response JSON alike.
    finding = Finding("x", "info", "m", {"places": ("query", "header"), "nested": {1: (2,)}})
    assert finding.to_dict() == {
        "id": "x",
        "severity": "info",
        "message": "m",
        "data": {"places": ["query", "header"], "nested": {"1": [2]}},
    }
    assert Finding("y", "error", "n").to_dict() == {"id": "y", "severity": "error", "message": "n"}
