"""oauth_debug.server.RequestVerifier: each check in its place, the uniform answer, the log line.

Every request here is signed by this package's signer at a fixed clock, so the verdicts do not
depend on the time the tests run.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qsl

import pytest
from conftest import signed_request
from hypothesis import given, settings
from hypothesis import strategies as st

from oauth_debug import Credentials, HttpRequest, OAuthDebugError, sign_at
from oauth_debug.server import REASONS, MemoryNonces, Refused, RequestVerifier
from oauth_debug.server.log import LOGGER_NAME

NOW = 1_700_000_000
KEY = "client-key"
SECRET = "kd94hf93k423kf44-secret"
TOKEN = "tok-nnch734d00sl2jdk"
TOKEN_SECRET = "pfkkdhi9sl3r4s00-token"
FORM = "application/x-www-form-urlencoded"
URL = "https://api.example.com/v1/items?page=2"


def verifier(**options: object) -> RequestVerifier:
    options.setdefault("clock", lambda: float(NOW))
    return RequestVerifier({KEY: SECRET}, MemoryNonces(), **options)  # type: ignore[arg-type]


def signed(
    request: HttpRequest | None = None,
    key: str = KEY,
    secret: str = SECRET,
    *,
    timestamp: int = NOW,
    nonce: str = "nonce-1",
    **options: object,
) -> HttpRequest:
    request = request or HttpRequest("GET", URL)
    return signed_request(
        request, Credentials(key, secret), timestamp=str(timestamp), nonce=nonce, **options
    )


def refusal(check: RequestVerifier, request: HttpRequest, **kwargs: object) -> Refused:
    with pytest.raises(Refused) as caught:
        check.check(request, **kwargs)  # type: ignore[arg-type]
    return caught.value


def body_without_id(refused: Refused) -> bytes:
    return refused.body.replace(refused.request_id.encode(), b"<id>")


# ---- accepted -----------------------------------------------------------------------------


def test_a_valid_request_is_accepted_with_its_key_token_and_trace() -> None:
    def lookup(key: str, token: str | None) -> Credentials | None:
        if key == KEY and token == TOKEN:
            return Credentials(KEY, SECRET, TOKEN, TOKEN_SECRET)
        return None

    request = sign_at(
        HttpRequest("GET", URL),
        Credentials(KEY, SECRET, TOKEN, TOKEN_SECRET),
        timestamp=str(NOW),
        nonce="n",
    ).signed_request
    assert request is not None
    accepted = RequestVerifier(lookup, MemoryNonces(), clock=lambda: NOW).check(request)
    assert (accepted.consumer_key, accepted.token, accepted.url) == (KEY, TOKEN, URL)
    assert accepted.trace.base_string.startswith("GET&https%3A%2F%2Fapi.example.com%2Fv1%2Fitems&")


def test_the_reason_codes_are_the_nine_of_the_contract() -> None:
    assert set(REASONS) == {
        "signature_invalid",
        "timestamp_refused",
        "nonce_used",
        "parameter_absent",
        "parameter_rejected",
        "signature_method_rejected",
        "version_rejected",
        "consumer_key_unknown",
        "token_rejected",
    }
    assert issubclass(Refused, OAuthDebugError)


# ---- each check ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["oauth_consumer_key", "oauth_signature", "oauth_timestamp", "oauth_nonce"]
)
def test_a_required_parameter_absent_is_parameter_absent(name: str) -> None:
    request = signed(placement="query")
    url = "&".join(p for p in request.url.split("&") if not p.split("?")[-1].startswith(name + "="))
    refused = refusal(verifier(), request.replace(url=url))
    assert (refused.reason, refused.status) == ("parameter_absent", 400)
    assert dict(parse_qsl(refused.body.decode()))["oauth_parameters_absent"] == name


def test_an_oauth_parameter_given_twice_is_parameter_rejected() -> None:
    request = signed()
    twice = request.replace(url=URL + "&oauth_nonce=other")
    refused = refusal(verifier(), twice)
    assert (refused.reason, refused.status) == ("parameter_rejected", 400)
    assert "oauth_nonce given more than once" in refused.log_record["message"]


def test_an_unreadable_authorization_header_is_parameter_rejected() -> None:
    request = HttpRequest("GET", URL, {"Authorization": 'OAuth oauth_consumer_key="a'})
    assert refusal(verifier(), request).reason == "parameter_rejected"


def test_a_version_other_than_1_0_is_version_rejected() -> None:
    refused = refusal(verifier(), signed(version="2.0"))
    assert (refused.reason, refused.status) == ("version_rejected", 400)


def test_no_version_at_all_is_accepted() -> None:
    assert verifier().check(signed(version=None)).consumer_key == KEY


def test_a_method_outside_the_allow_list_is_signature_method_rejected() -> None:
    assert refusal(verifier(), signed(signature_method="PLAINTEXT")).reason == (
        "signature_method_rejected"
    )
    check = verifier(methods=["HMAC-SHA256"])
    assert refusal(check, signed()).reason == "signature_method_rejected"
    assert check.check(signed(signature_method="HMAC-SHA256")).consumer_key == KEY


def test_plaintext_is_accepted_when_listed() -> None:
    check = verifier(methods=["PLAINTEXT"])
    assert check.check(signed(signature_method="PLAINTEXT")).consumer_key == KEY


@pytest.mark.parametrize("offset", [-301, 301, -10_000])
def test_a_timestamp_outside_the_window_either_way_is_timestamp_refused(offset: int) -> None:
    refused = refusal(verifier(window=300), signed(timestamp=NOW + offset))
    assert (refused.reason, refused.status) == ("timestamp_refused", 401)
    fields = dict(parse_qsl(refused.body.decode()))
    assert fields["oauth_acceptable_timestamps"] == f"{NOW - 300}-{NOW + 300}"


@pytest.mark.parametrize("offset", [-300, 0, 300])
def test_a_timestamp_at_the_edge_of_the_window_is_accepted(offset: int) -> None:
    assert verifier(window=300).check(signed(timestamp=NOW + offset)).consumer_key == KEY


def test_a_timestamp_in_milliseconds_or_not_digits_is_timestamp_refused() -> None:
    assert refusal(verifier(), signed(timestamp=NOW * 1000)).reason == "timestamp_refused"
    request = signed(placement="query")
    url = request.url.replace(f"oauth_timestamp={NOW}", "oauth_timestamp=%C2%B2")
    assert refusal(verifier(), request.replace(url=url)).reason == "timestamp_refused"


def test_a_wrong_secret_is_signature_invalid() -> None:
    refused = refusal(verifier(), signed(secret="wrong"))
    assert (refused.reason, refused.status) == ("signature_invalid", 401)


def test_an_unknown_key_and_an_unknown_token_are_told_apart_in_the_log_only() -> None:
    def lookup(key: str, token: str | None) -> Credentials | None:
        # Asked with token None, a lookup says whether it knows the consumer key at all.
        if key == KEY and token is None:
            return Credentials(KEY, SECRET)
        if key == KEY and token == TOKEN:
            return Credentials(KEY, SECRET, TOKEN, TOKEN_SECRET)
        return None

    check = RequestVerifier(lookup, MemoryNonces(), clock=lambda: NOW)
    other_token = sign_at(
        HttpRequest("GET", URL), Credentials(KEY, SECRET, "nope", "x"), timestamp=NOW, nonce="a"
    ).signed_request
    unknown_key = signed(key="nobody")
    bad_secret = signed(secret="wrong", nonce="b")
    assert other_token is not None
    answers = [refusal(check, r) for r in (other_token, unknown_key, bad_secret)]
    assert [a.reason for a in answers] == [
        "token_rejected",
        "consumer_key_unknown",
        "signature_invalid",
    ]
    assert len({body_without_id(a) for a in answers}) == 1
    assert len({a.status for a in answers}) == 1
    assert len({a.header("WWW-Authenticate") for a in answers}) == 1


def test_the_nonce_is_recorded_only_after_the_signature_holds() -> None:
    nonces = MemoryNonces()
    check = RequestVerifier({KEY: SECRET}, nonces, clock=lambda: NOW)
    forged = signed(secret="wrong", nonce="shared")
    assert refusal(check, forged).reason == "signature_invalid"
    assert len(nonces) == 0  # the forgery burnt nothing
    assert check.check(signed(nonce="shared")).consumer_key == KEY
    assert refusal(check, signed(nonce="shared")).reason == "nonce_used"


def test_a_nonce_is_per_consumer_key() -> None:
    check = RequestVerifier({KEY: SECRET, "other": "s2"}, MemoryNonces(), clock=lambda: NOW)
    assert check.check(signed(nonce="same")).consumer_key == KEY
    assert check.check(signed(key="other", secret="s2", nonce="same")).consumer_key == "other"


def test_the_body_hash_is_checked_against_the_body() -> None:
    request = signed(
        HttpRequest("POST", URL, {"Content-Type": "application/json"}, b'{"a": 1}'),
        body_hash=True,
    )
    assert verifier().check(request).consumer_key == KEY
    refused = refusal(verifier(), request.replace(body=b'{"a": 2}'))
    assert refused.reason == "signature_invalid"
    assert "body is not the one signed" in refused.log_record["message"]
    assert "body-hash-mismatch" in refused.log_record["mistakes"]


def test_a_form_body_is_collected_as_signed() -> None:
    form = HttpRequest("POST", URL, {"Content-Type": FORM}, b"a=1&b=%20x+y&c=%2B")
    request = signed(form, placement="body")
    assert verifier().check(request).consumer_key == KEY
    # The same parameters decoded and re-encoded differently still verify (3.4.1.3.1 decodes).
    assert (
        verifier().check(request.replace(body=request.body.replace(b"+y", b"%20y"))).token is None
    )
    # A changed value does not.
    tampered = request.replace(body=request.body.replace(b"a=1", b"a=2"))
    assert refusal(verifier(), tampered).reason == "signature_invalid"


# ---- the answer ---------------------------------------------------------------------------


def test_the_uniform_answer_for_unknown_key_and_bad_signature_is_byte_identical() -> None:
    check = verifier(realm="Example")
    unknown = refusal(check, signed(key="no-such-key", nonce="u"))
    wrong = refusal(check, signed(secret="not-the-secret", nonce="w"))
    assert (unknown.reason, wrong.reason) == ("consumer_key_unknown", "signature_invalid")
    assert unknown.request_id != wrong.request_id
    assert body_without_id(unknown) == body_without_id(wrong)
    strip = {"x-request-id", "content-length"}
    assert [h for h in unknown.headers if h[0].lower() not in strip] == [
        h for h in wrong.headers if h[0].lower() not in strip
    ]
    assert (
        unknown.header("WWW-Authenticate")
        == 'OAuth realm="Example", oauth_problem="signature_invalid"'
    )
    assert unknown.request_id.encode() in unknown.body
    assert unknown.header("X-Request-Id") == unknown.request_id
    assert b"no-such-key" not in unknown.body and b"unknown" not in unknown.body


def test_explain_to_client_names_the_reason_and_sends_the_client_diagnosis() -> None:
    check = verifier(explain_to_client=True)
    unknown = json.loads(refusal(check, signed(key="nobody")).body)
    assert unknown["oauth_problem"] == "consumer_key_unknown"
    wrong = json.loads(refusal(check, signed(secret="wrong", nonce="x")).body)
    assert wrong["oauth_problem"] == "signature_invalid"
    assert wrong["diagnosis"]["withheld"].startswith("values computed with the server's secret")
    assert wrong["diagnosis"]["expected"] is not None
    assert "signature" not in wrong["diagnosis"]["expected"]


# ---- the log ------------------------------------------------------------------------------


def test_one_json_log_line_per_refusal_with_the_diagnosis_and_no_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    request = signed(
        HttpRequest("GET", "https://api.example.com/v1/items?q=a b".replace(" ", "%20")),
        secret=SECRET + " ",  # a trailing space, a mistake the catalog names
    )
    request = request.replace(url=request.url)
    with caplog.at_level(logging.WARNING, logger=LOGGER_NAME):
        refused = refusal(verifier(), request)
    lines = [r for r in caplog.records if r.name == LOGGER_NAME]
    assert len(lines) == 1
    record = json.loads(lines[0].getMessage())
    assert record == refused.log_record
    assert record["reason"] == "signature_invalid"
    assert record["request_id"] == refused.request_id
    assert record["consumer_key"] == KEY
    assert record["base_string"].startswith("GET&https%3A%2F%2Fapi.example.com%2Fv1%2Fitems&")
    assert isinstance(record["mistakes"], list) and isinstance(record["findings"], list)
    text = lines[0].getMessage()
    claimed = dict(parse_qsl(request.header("Authorization").replace('"', "").replace(", ", "&")))
    for forbidden in (SECRET, claimed["oauth_signature"].strip()):
        assert forbidden not in text


def test_the_log_names_the_mistake_the_diagnosis_found(caplog: pytest.LogCaptureFixture) -> None:
    # Signed over http, received over https: the diagnosis names the scheme mistake.
    request = signed(HttpRequest("GET", "http://api.example.com/v1/items"))
    received = request.replace(url="https://api.example.com/v1/items")
    with caplog.at_level(logging.WARNING, logger=LOGGER_NAME):
        refused = refusal(verifier(), received)
    assert refused.log_record["verdict"] == "explained"
    assert refused.log_record["mistakes"], refused.log_record
    assert refused.log_record["forwarded"]["would_hold_with"] == "other_scheme"


# ---- proxies ------------------------------------------------------------------------------


def _behind_proxy(headers: dict[str, str]) -> HttpRequest:
    client = signed(HttpRequest("GET", "https://tool.example.edu/launch"))
    server_side = client.replace(url="http://10.0.0.5:8000/launch")
    for name, value in headers.items():
        server_side = server_side.with_header(name, value)
    return server_side


@pytest.mark.parametrize(
    "headers",
    [
        {"Forwarded": 'for=198.51.100.7;proto=https;host="tool.example.edu"'},
        {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "tool.example.edu"},
        {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "tool.example.edu",
            "X-Forwarded-Port": "443",
        },
    ],
)
def test_forwarded_headers_are_honoured_from_a_trusted_proxy(headers: dict[str, str]) -> None:
    check = verifier(trusted_proxies=["10.0.0.0/8"])
    accepted = check.check(_behind_proxy(headers), remote_addr="10.1.2.3")
    assert accepted.url == "https://tool.example.edu/launch" or accepted.url.startswith(
        "https://tool.example.edu:443/"
    )


def test_forwarded_headers_from_an_untrusted_peer_are_ignored_and_the_log_says_so() -> None:
    check = verifier(trusted_proxies=["10.0.0.0/8"])
    request = _behind_proxy({"X-Forwarded-Proto": "https", "X-Forwarded-Host": "tool.example.edu"})
    refused = refusal(check, request, remote_addr="203.0.113.9")
    assert refused.reason == "signature_invalid"
    forwarded = refused.log_record["forwarded"]
    assert (forwarded["honoured"], forwarded["would_hold_with"]) == (False, "forwarded")
    assert "not in trusted_proxies" in forwarded["advice"]


def test_a_forwarded_element_written_by_the_client_is_not_the_one_used() -> None:
    # The client prepends its own element; the trusted proxy appends the true one.
    request = _behind_proxy(
        {
            "Forwarded": "for=1.2.3.4;host=evil.example, "
            "for=198.51.100.7;proto=https;host=tool.example.edu"
        }
    )
    accepted = verifier(trusted_proxies=["10.0.0.5"]).check(request, remote_addr="10.0.0.5")
    assert accepted.url == "https://tool.example.edu/launch"


def test_trusted_proxies_must_be_addresses() -> None:
    with pytest.raises(OAuthDebugError, match="not an IP address"):
        verifier(trusted_proxies=["proxy.internal"])


# ---- invariants ---------------------------------------------------------------------------


@settings(max_examples=40)
@given(
    key=st.text(min_size=1, max_size=20),
    secret=st.text(max_size=20),
    offset=st.integers(-1000, 1000),
)
def test_a_request_is_accepted_only_with_the_right_key_secret_and_time(
    key: str, secret: str, offset: int
) -> None:
    check = verifier(window=300)
    request = signed(key=key, secret=secret, timestamp=NOW + offset)
    right = key == KEY and secret == SECRET and abs(offset) <= 300
    try:
        accepted = check.check(request)
    except Refused as refused:
        assert not right
        assert refused.status in (400, 401)
        assert SECRET not in json.dumps(refused.log_record)
    else:
        assert right and accepted.consumer_key == KEY


def test_a_plaintext_signature_which_is_the_secret_never_reaches_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # PLAINTEXT's signature is encode(secret)&encode(token secret) (RFC 5849 3.4.4): a replay and
    # a near-miss are both logged, and neither line may carry it.
    check = verifier(methods=["PLAINTEXT"], explain_to_client=True)
    request = signed(signature_method="PLAINTEXT", nonce="p")
    check.check(request)
    with caplog.at_level(logging.WARNING, logger=LOGGER_NAME):
        replay = refusal(check, request)
        near = refusal(check, signed(secret=SECRET + "x", signature_method="PLAINTEXT", nonce="q"))
    assert (replay.reason, near.reason) == ("nonce_used", "signature_invalid")
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == LOGGER_NAME)
    assert logged.count('"event":"oauth1_refused"') == 2
    assert SECRET not in logged and SECRET not in json.dumps([replay.log_record, near.log_record])
    assert SECRET.encode() not in replay.body and SECRET.encode() not in near.body


@settings(max_examples=60)
@given(
    url=st.sampled_from(["https://api.example.com/x", "http://h/?a=%zz", "nohost", "http:///p"]),
    header=st.text(max_size=80).map(lambda t: "OAuth " + t.replace("\r", "").replace("\n", "")),
    body=st.binary(max_size=40),
)
def test_any_request_is_accepted_or_refused_never_crashed_on(
    url: str, header: str, body: bytes
) -> None:
    request = HttpRequest("POST", url, {"Authorization": header, "Content-Type": FORM}, body)
    with pytest.raises(Refused) as caught:
        verifier().check(request)
    assert caught.value.status == 400 or caught.value.reason == "timestamp_refused"


@pytest.mark.parametrize("explain", [False, True], ids=["uniform", "explained"])
@pytest.mark.parametrize("change", ["stale", "wrong-secret", "replayed"], ids=lambda change: change)
def test_a_real_refusal_shows_no_plaintext_key_anywhere(
    explain: bool, change: str, caplog: pytest.LogCaptureFixture
) -> None:
    # A PLAINTEXT signature is the key (3.4.4): refused for any reason, it appears in none of the
    # refusal's str, repr, body, headers, log record or log line.
    # The dict lookup holds the consumer secret only: a two-legged PLAINTEXT key is "secret&".
    secret = "Zq9#SECRET-c"
    lookup = {KEY: secret}
    signer_secret = "Wr0ng#SECRET-w" if change == "wrong-secret" else secret
    at = NOW - 10_000 if change == "stale" else NOW
    request = signed_request(
        HttpRequest("GET", "https://api.example.com/v1/items?q=1"),
        Credentials(KEY, signer_secret),
        timestamp=int(at), nonce="n-leak", signature_method="PLAINTEXT", placement="query",
    )  # fmt: skip
    check = RequestVerifier(
        lookup, MemoryNonces(), clock=lambda: NOW, methods={"PLAINTEXT"},  # type: ignore[arg-type]
        explain_to_client=explain,
    )  # fmt: skip
    if change == "replayed":
        check.check(request)
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    with pytest.raises(Refused) as refused:
        check.check(request)
    error = refused.value
    shown = " ".join([
        str(error), repr(error), error.body.decode(), repr(error.headers),
        json.dumps(error.log_record, default=str), caplog.text, repr(error.data),
    ])  # fmt: skip
    assert "SECRET-c" not in shown and "SECRET-t" not in shown and "%2523" not in shown
