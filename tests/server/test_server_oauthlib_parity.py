"""RequestVerifier against oauthlib's SignatureOnlyEndpoint, the reference Python provider.

A corpus is generated over placements (header, query, form body), methods (HMAC-SHA1,
HMAC-SHA256), with and without a token, and the kinds of request a provider sees: valid, stale,
future, replayed, wrong signature, unknown key, each required parameter missing, a parameter
duplicated, a wrong version, a wrong body hash, a forgery that spends a real client's nonce.
Both servers see the same requests in the same order, with the same window (300 s) and the same
replay memory; each case's accept/refuse decision must agree, except the divergences pinned below,
each with its reason. ``python tests/server/test_server_oauthlib_parity.py`` prints the counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from oauthlib.oauth1 import RequestValidator, SignatureOnlyEndpoint

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.encoding import percent_encode
from oauth_debug.reading import parse_authorization
from oauth_debug.server import MemoryNonces, Refused, RequestVerifier

WINDOW = 300
KEY, SECRET = "parity-client-key-0001", "parity-secret"
TOKEN, TOKEN_SECRET = "parity-token-000000001", "parity-token-secret"
FORM = "application/x-www-form-urlencoded"
REQUIRED = ("oauth_consumer_key", "oauth_signature_method", "oauth_signature")
REQUIRED += ("oauth_timestamp", "oauth_nonce")

DIVERGENCES = {
    "duplicated_oauth_nonce": "oauthlib reads the Authorization header into a dict, so a parameter "
    "given twice inside the header goes unnoticed (it refuses one repeated across header and "
    "query); RFC 5849 3.1 says each parameter MUST NOT appear more than once, and the verifier "
    "refuses it (parameter_rejected) wherever it is repeated",
    "body_hash_wrong": "oauthlib does not check oauth_body_hash (the body hash draft): it accepts "
    "a JSON body changed after signing; the verifier refuses it (signature_invalid)",
    "forged_then_genuine": "oauthlib records the nonce in validate_timestamp_and_nonce before it "
    "checks the signature, so a forgery burns the real client's nonce and the genuine request is "
    "refused; the verifier records a nonce only once the signature holds (RFC 5849 3.3)",
}


class Validator(RequestValidator):  # type: ignore[misc]
    """One client (and its token), a replay memory, the same window as the verifier."""

    enforce_ssl = False
    timestamp_lifetime = WINDOW
    allowed_signature_methods = ("HMAC-SHA1", "HMAC-SHA256")
    dummy_client = "dummy-client-key-000001"
    dummy_access_token = "dummy-access-token-0001"

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[tuple[str, str, str | None]] = set()

    def check_client_key(self, client_key: str) -> bool:
        return True

    def check_access_token(self, token: str) -> bool:
        return True

    def check_nonce(self, nonce: str) -> bool:
        return True

    def validate_client_key(self, client_key: str, request: object) -> bool:
        return client_key == KEY

    def validate_access_token(self, client_key: str, token: str, request: object) -> bool:
        return token == TOKEN

    def validate_timestamp_and_nonce(
        self,
        client_key: str,
        timestamp: str,
        nonce: str,
        request: object,
        request_token: str | None = None,
        access_token: str | None = None,
    ) -> bool:
        entry = (client_key, nonce, access_token or request_token)
        if entry in self.seen:
            return False
        self.seen.add(entry)
        return True

    def get_client_secret(self, client_key: str, request: object) -> str:
        return SECRET if client_key == KEY else "dummy-secret"

    def get_access_token_secret(self, client_key: str, token: str, request: object) -> str:
        return TOKEN_SECRET if token == TOKEN else "dummy-token-secret"


def lookup(key: str, token: str | None) -> Credentials | None:
    if key != KEY:
        return None
    if token is None:
        return Credentials(KEY, SECRET)
    return Credentials(KEY, SECRET, TOKEN, TOKEN_SECRET) if token == TOKEN else None


def oauthlib_accepts(endpoint: SignatureOnlyEndpoint, request: HttpRequest) -> bool:
    valid, _ = endpoint.validate_request(
        request.url, request.method, (request.body or b"").decode() or None, dict(request.headers)
    )
    return bool(valid)


def verifier_accepts(verifier: RequestVerifier, request: HttpRequest) -> bool:
    try:
        verifier.check(request)
    except Refused:
        return False
    return True


# ---- building the corpus ------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    requests: tuple[HttpRequest, ...]
    """Sent in order to both servers; the decision compared is the one on the last."""


_counter = iter(range(10**9))


def _nonce() -> str:
    return f"parity{next(_counter):08d}{time.time_ns() % 10**8:08d}"  # 22 safe characters


def _sign(
    request: HttpRequest,
    *,
    placement: str,
    method: str,
    token: bool,
    key: str = KEY,
    secret: str = SECRET,
    offset: int = 0,
    nonce: str | None = None,
    version: str | None = "1.0",
    body_hash: bool | None = None,
    token_value: str = TOKEN,
) -> HttpRequest:
    credentials = Credentials(key, secret, *((token_value, TOKEN_SECRET) if token else ()))
    trace = sign_at(
        request,
        credentials,
        timestamp=int(time.time()) + offset,
        nonce=nonce or _nonce(),
        signature_method=method,
        placement=placement,
        version=version,
        body_hash=body_hash,
    )
    assert trace.signed_request is not None
    return trace.signed_request


def _edit_oauth(request: HttpRequest, edit: Callable[[list[tuple[str, str]]], None]) -> HttpRequest:
    """Apply ``edit`` to the protocol parameters wherever they travel (header, query or body)."""
    header = request.header("Authorization")
    if header is not None:
        pairs = parse_authorization(header)
        edit(pairs)
        text = ", ".join(f'{n}="{percent_encode(v)}"' for n, v in pairs)
        return request.with_header("Authorization", f"OAuth {text}")
    if request.is_form and request.body and b"oauth_" in request.body:
        pairs = [tuple(p.split("=", 1)) for p in request.body.decode().split("&")]
        raw = [(n, v) for n, v in pairs]  # already encoded
        edit(raw)
        return request.replace(body="&".join(f"{n}={v}" for n, v in raw))
    base, _, query = request.url.partition("?")
    raw = [tuple(p.split("=", 1)) for p in query.split("&")]
    pairs2 = [(n, v) for n, v in raw]
    edit(pairs2)
    return request.replace(url=base + "?" + "&".join(f"{n}={v}" for n, v in pairs2))


def _drop(name: str) -> Callable[[list[tuple[str, str]]], None]:
    def edit(pairs: list[tuple[str, str]]) -> None:
        pairs[:] = [(n, v) for n, v in pairs if n != name]

    return edit


def _repeat(name: str) -> Callable[[list[tuple[str, str]]], None]:
    def edit(pairs: list[tuple[str, str]]) -> None:
        value = next(v for n, v in pairs if n == name)
        pairs.append((name, value))

    return edit


def corpus() -> list[Case]:
    cases: list[Case] = []
    for placement in ("header", "query", "body"):
        for method in ("HMAC-SHA1", "HMAC-SHA256"):
            for token in (False, True):
                cases += _cases_for(placement, method, token)
    return cases


def _cases_for(placement: str, method: str, token: bool) -> list[Case]:
    cases: list[Case] = []
    label = f"{placement}/{method}/{'token' if token else 'two-legged'}"

    def base() -> HttpRequest:
        if placement == "body":
            return HttpRequest(
                "POST", "http://api.test/items?page=2", {"Content-Type": FORM}, "a=1&b=x"
            )
        return HttpRequest("GET", "http://api.test/items?page=2&q=a%20b")

    def sign(**options: object) -> HttpRequest:
        return _sign(base(), placement=placement, method=method, token=token, **options)  # type: ignore[arg-type]

    def add(kind: str, *requests: HttpRequest) -> None:
        cases.append(Case(f"{label}/{kind}", kind, requests))

    add("valid", sign())
    add("valid_no_version", sign(version=None))
    add("stale", sign(offset=-(WINDOW + 100)))
    add("future", sign(offset=WINDOW + 100))
    add("edge_of_window", sign(offset=-(WINDOW - 30)))
    replayed = sign()
    add("replayed", replayed, replayed)
    add("wrong_signature", sign(secret="not-the-secret"))
    add("unknown_key", sign(key="someone-else-key-0001"))
    add("wrong_version", sign(version="2.0"))
    for name in REQUIRED:
        add(f"missing_{name}", _edit_oauth(sign(), _drop(name)))
    add("duplicated_oauth_nonce", _edit_oauth(sign(), _repeat("oauth_nonce")))
    nonce = _nonce()
    add("forged_then_genuine", sign(secret="forger", nonce=nonce), sign(nonce=nonce))
    if token:
        add("unknown_token", sign(token_value="someone-elses-token-01"))
    if placement == "header":
        json_body = HttpRequest(
            "POST", "http://api.test/items", {"Content-Type": "application/json"}, b"{}"
        )
        good = _sign(json_body, placement="header", method=method, token=token)
        add("body_hash_right", good)
        add("body_hash_wrong", good.replace(body=b'{"changed": true}'))
    return cases


_DECIDED: list[tuple[Case, bool, bool]] = []


def decisions() -> list[tuple[Case, bool, bool]]:
    """Each case with (oauthlib accepts, verifier accepts), every case on fresh servers (computed
    once per run: a refusal runs the diagnosis, and the corpus has 200 cases)."""
    if _DECIDED:
        return _DECIDED
    results = []
    for case in corpus():
        endpoint = SignatureOnlyEndpoint(Validator())
        verifier = RequestVerifier(lookup, MemoryNonces(), window=WINDOW)
        theirs = ours = False
        for request in case.requests:
            theirs = oauthlib_accepts(endpoint, request)
            ours = verifier_accepts(verifier, request)
        results.append((case, theirs, ours))
    _DECIDED.extend(results)
    return results


# ---- the tests ----------------------------------------------------------------------------


def test_the_verifier_decides_as_oauthlib_except_the_pinned_divergences() -> None:
    results = decisions()
    divergent = {case.kind for case, theirs, ours in results if theirs != ours}
    assert divergent == set(DIVERGENCES)
    # Each divergence is one-sided: it goes the same way on every case of its kind.
    for kind in DIVERGENCES:
        ways = {(theirs, ours) for case, theirs, ours in results if case.kind == kind}
        assert len(ways - {(False, False), (True, True)}) == 1, kind
    agreeing = [case for case, theirs, ours in results if theirs == ours]
    assert len(agreeing) >= 100, len(agreeing)
    # The corpus is not all one answer: both accept the valid ones and refuse the broken ones.
    by_kind = {case.kind: ours for case, _, ours in results}
    assert by_kind["valid"] and by_kind["body_hash_right"] and by_kind["edge_of_window"]
    for kind in ("stale", "future", "replayed", "wrong_signature", "unknown_key"):
        assert not by_kind[kind], kind


def _case(kind: str) -> tuple[Case, bool, bool]:
    return next(result for result in decisions() if result[0].kind == kind)


def test_divergence_body_hash_wrong_oauthlib_does_not_check_the_body_hash() -> None:
    case, theirs, ours = _case("body_hash_wrong")
    assert (theirs, ours) == (True, False), DIVERGENCES["body_hash_wrong"]
    verifier = RequestVerifier(lookup, MemoryNonces(), window=WINDOW)
    with pytest.raises(Refused) as caught:
        verifier.check(case.requests[-1])
    assert caught.value.reason == "signature_invalid"
    assert "body-hash-mismatch" in caught.value.log_record["mistakes"]


def test_divergence_duplicated_in_the_header_oauthlib_collapses_the_header_to_a_dict() -> None:
    results = [r for r in decisions() if r[0].kind == "duplicated_oauth_nonce"]
    in_header = {case.name.split("/")[0]: (theirs, ours) for case, theirs, ours in results}
    assert in_header["header"] == (True, False), DIVERGENCES["duplicated_oauth_nonce"]
    assert in_header["query"] == in_header["body"] == (False, False)


def test_divergence_forged_then_genuine_oauthlib_burns_the_nonce_on_a_forgery() -> None:
    _, theirs, ours = _case("forged_then_genuine")
    assert (theirs, ours) == (False, True), DIVERGENCES["forged_then_genuine"]


def test_every_case_on_both_sides_refuses_for_the_reason_its_kind_names() -> None:
    reasons = {
        "stale": "timestamp_refused",
        "future": "timestamp_refused",
        "replayed": "nonce_used",
        "wrong_signature": "signature_invalid",
        "unknown_key": "consumer_key_unknown",
        "unknown_token": "token_rejected",
        "wrong_version": "version_rejected",
        "duplicated_oauth_nonce": "parameter_rejected",
        **{f"missing_{name}": "parameter_absent" for name in REQUIRED},
    }
    for case in corpus():
        if case.kind not in reasons:
            continue
        verifier = RequestVerifier(lookup, MemoryNonces(), window=WINDOW)
        for request in case.requests[:-1]:
            verifier.check(request)
        with pytest.raises(Refused) as caught:
            verifier.check(case.requests[-1])
        assert caught.value.reason == reasons[case.kind], case.name


if __name__ == "__main__":
    results = decisions()
    same = sum(theirs == ours for _, theirs, ours in results)
    print(f"{len(results)} cases, same decision on {same}, {len(results) - same} divergences:")
    for case, theirs, ours in results:
        if theirs != ours:
            print(
                f"  {case.name}: oauthlib {'accepts' if theirs else 'refuses'}, verifier "
                f"{'accepts' if ours else 'refuses'}"
            )
