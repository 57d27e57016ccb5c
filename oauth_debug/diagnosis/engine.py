"""``diagnose()``: from a signed request (and whatever else the person has) to a :class:`Diagnosis`.

Order of work: read the server's answer, check what needs no secret (findings), recompute the
correct signature, and only when it differs search the catalog for the mistakes behind it. Pure:
the clock is the ``now`` argument (the CLI passes the current time).
"""

from __future__ import annotations

import hmac
from dataclasses import replace
from math import isfinite

from ..errors import (
    BodyHashMismatch,
    InvalidOptionError,
    InvalidRequestError,
    OAuthDebugError,
    SignatureMismatch,
    UnsupportedSignatureMethodError,
)
from ..httpdate import parse_http_date
from ..methods import SignatureMethod, get_method
from ..model import Credentials, HttpRequest
from ..recipe import RFC
from ..redact import REDACTED
from ..signer import check_inputs, compute, prepare
from ..trace import SigningTrace
from ..verify import claimed_parameters, verify
from .basediff import BaseStringDiff, diff_base_strings
from .bodyhash import MISTAKE_ID as BODY_HASH_ID
from .bodyhash import BodyHashReport, check_body_hash
from .catalog import CATALOG
from .explain import explain
from .findings import STALE_AFTER, Finding, check_request
from .model import Diagnosis, MistakeExplanation, SideBySide, Verdict
from .response import ServerAnswer, read_response
from .rsa_match import base_string_rows, confirmed, rsa_catalog
from .search import SearchResult, search


def diagnose(
    request: HttpRequest,
    credentials: Credentials | None = None,
    now: float | None = None,
    server_date: str | None = None,
    response: str | bytes | ServerAnswer | None = None,
    *,
    stale_after: float = STALE_AFTER,
    mismatch: SignatureMismatch[SigningTrace] | SigningTrace | None = None,
) -> Diagnosis:
    """Say whether ``request``'s signature is right, and if not, which known mistakes made it.

    ``credentials`` without any secret (or None) still gives every finding that needs none, with
    the verdict "unchecked". ``now`` (epoch seconds) and ``server_date`` (an HTTP-date) are the
    clocks the timestamp is held against, and ``stale_after`` the server's window in seconds
    (:data:`~oauth_debug.window.DEFAULT_WINDOW_SECONDS` by default, the sandbox's too; pass the
    server's own when it is known). ``response`` is the server's answer, as ``curl -i`` saves it,
    or an already read :class:`ServerAnswer`; its Date header serves as ``server_date`` when
    none is given. ``mismatch`` is what a verification of this very request with these very
    credentials already computed (the :class:`SignatureMismatch` it raised, or the
    :class:`SigningTrace` it returned): its trace is the expected signature, so it is not computed
    again. Raises :class:`OAuthDebugError` only for input that is no request at all (e.g. a URL
    without host), or for a ``mismatch`` that belongs to another request.
    """
    check_inputs(request, credentials)
    known_trace = _known_trace(request, mismatch)
    if now is not None and not _finite_number(now):
        raise InvalidOptionError(f"--now must be a finite number of seconds, not {now!r:.40}")
    if not _finite_number(stale_after) or stale_after <= 0:
        # Said in the command line's words: the CLI passes --window straight through.
        raise InvalidOptionError(
            f"--window must be a positive number of seconds (how far the server lets "
            f"oauth_timestamp be from its clock), not {stale_after!r:.40}"
        )
    if server_date is not None:
        if not isinstance(server_date, str):
            raise InvalidOptionError(
                f"server_date must be an HTTP-date string, not {server_date!r:.40}"
            )
        parse_http_date(server_date)  # a malformed date is bad input, timestamp or not
    if isinstance(response, bytes):
        response = response.decode("utf-8", "replace")  # what curl -i saved, read as bytes
    if response is not None and not isinstance(response, (str, ServerAnswer)):
        raise InvalidOptionError(
            f"response must be the text of a saved answer or a ServerAnswer, not "
            f"{type(response).__name__}"
        )
    server = read_response(response, request=request) if isinstance(response, str) else response
    if server_date is None and server is not None:
        server_date = server.date
    oauth, placement, realm = claimed_parameters(request)
    claimed = oauth.get("oauth_signature")
    method_name = oauth.get("oauth_signature_method")
    known = _secret_known(credentials, method_name)
    notes: list[str] = []

    base_string = _base_string(request, notes) if known_trace is None else known_trace.base_string
    state = _Outcome("unsigned" if claimed is None else "unchecked")
    if claimed is not None and method_name is not None and base_string is not None:
        if not known:
            notes.append(
                "give the consumer secret (and the token secret, if any) to check the signature "
                "and name the mistake"
            )
        else:
            assert credentials is not None
            state = _check(
                request, credentials, claimed, method_name, placement, realm, notes, mismatch
            )

    findings = check_request(
        request,
        now=now,
        server_date=server_date,
        signature_valid=state.valid,
        consumer_secret_known=known,
        stale_after=stale_after,
    )
    body = check_body_hash(request, method_name)
    if body is not None:
        findings += _with_body_hash(state, body)
    if server is not None:
        findings += server.findings
    return Diagnosis(
        verdict=state.verdict,
        mistakes=state.mistakes,
        candidates=state.candidates,
        findings=_unique(findings),
        expected=state.expected,
        claimed_signature=_shown_claim(claimed, method_name),
        explanation=state.explanation,
        reproduced=state.reproduced,
        signature_method=method_name,
        base_string=base_string,
        response=server,
        server_diff=_server_diff(base_string, server),
        considered=state.considered,
        combinations_tried=state.tried,
        notes=tuple(notes),
    )


class _Outcome:
    """What the signature check found (a mutable scratchpad, turned into the frozen Diagnosis)."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict: Verdict = verdict
        self.expected: SigningTrace | None = None
        self.mistakes: tuple[str, ...] = ()
        self.candidates: tuple[tuple[str, ...], ...] = ()
        self.explanation: tuple[MistakeExplanation, ...] = ()
        self.reproduced: tuple[SideBySide, ...] = ()
        self.considered: tuple[str, ...] = ()
        self.tried = 0

    @property
    def valid(self) -> bool | None:
        if self.verdict == "valid":
            return True
        if self.verdict in ("explained", "unexplained"):
            return False
        return None


def _with_body_hash(state: _Outcome, body: BodyHashReport) -> tuple[Finding, ...]:
    """Name a body that does not fit its oauth_body_hash (body hash draft 3.2).

    The signature covers the claimed hash, not the body, so a right signature proves nothing
    about the body: a "valid" or explained signature becomes an explanation that includes
    body-hash-mismatch. When the signature could not be checked, or no mistake explains it,
    the mismatch is a finding instead (it needs no secret).
    """
    if state.verdict not in ("valid", "explained"):
        return (body.finding(),)
    state.verdict = "explained"
    state.mistakes += (BODY_HASH_ID,)
    state.candidates = tuple((*ids, BODY_HASH_ID) for ids in state.candidates)
    state.explanation += (body.explanation(),)
    state.reproduced += body.comparisons()
    return ()


def _finite_number(value: object) -> bool:
    # bool is an int to Python, but True is no number of seconds.
    return not isinstance(value, bool) and isinstance(value, (int, float)) and isfinite(value)


def _secret_known(credentials: Credentials | None, method_name: str | None) -> bool:
    if credentials is None:
        return False
    if method_name is not None and method_name.upper().startswith("RSA"):
        return credentials.rsa_key is not None and bool(credentials.rsa_key)
    return bool(credentials.consumer_secret) or bool(credentials.token_secret)


def _known_trace(
    request: HttpRequest, mismatch: SignatureMismatch[SigningTrace] | SigningTrace | None
) -> SigningTrace | None:
    """The RFC trace a verification of ``request`` computed, checked to be of ``request``."""
    if mismatch is None:
        return None
    if isinstance(mismatch, SignatureMismatch):
        trace = mismatch.trace
    elif isinstance(mismatch, SigningTrace):
        trace = mismatch
    else:
        raise InvalidOptionError(
            f"mismatch must be a SignatureMismatch or a SigningTrace, not {type(mismatch).__name__}"
        )
    # The trace stands in for the RFC recomputation of this request: one of another request, or
    # of a recipe other than the RFC's, would explain a signature that was never asked about.
    if (trace.request is not request and trace.request != request) or trace.recipe != RFC:
        raise InvalidOptionError(
            "mismatch must come from verifying this request by RFC 5849 (verify(request, "
            "credentials)); this one was computed for another request or recipe"
        )
    return trace


def _base_string(request: HttpRequest, notes: list[str]) -> str | None:
    try:
        return prepare(request).parts.joined()
    except InvalidRequestError as error:
        # Duplicated oauth_* parameters or an undecodable body: reported as findings; the
        # signature cannot be recomputed until the request is fixed.
        notes.append(f"the signature cannot be recomputed: {error}")
        return None


def _check(
    request: HttpRequest,
    credentials: Credentials,
    claimed: str,
    method_name: str,
    placement: str,
    realm: str | None,
    notes: list[str],
    mismatch: SignatureMismatch[SigningTrace] | SigningTrace | None = None,
) -> _Outcome:
    try:
        method = get_method(method_name)
    except UnsupportedSignatureMethodError as error:
        notes.append(str(error))
        return _Outcome("unchecked")
    outcome = _Outcome("unexplained")
    if method.family == "RSA":
        rsa_expected = _rsa_expected(request, credentials, mismatch, outcome, notes)
        if rsa_expected is None:
            return outcome
        expected = rsa_expected
    else:
        known = _known_trace(request, mismatch)
        if known is not None and known.signature_method == method.name:
            expected = known  # the verification's trace: the same pipeline, already run
        else:
            expected = compute(request, credentials, method.name, placement=placement, realm=realm)
        outcome.expected = expected
        if hmac.compare_digest(expected.signature.encode("utf-8"), claimed.encode("utf-8")):
            outcome.verdict = "valid"
            return outcome
    try:
        result = _search(request, credentials, claimed, method, placement, realm)
    except OAuthDebugError as error:  # an RSA key that opens no signature (not an RSA key)
        notes.append(f"the catalog was not searched: {error}")
        return outcome
    outcome.considered = result.considered
    outcome.tried = result.combinations_tried
    best = result.best
    if best is None:
        secrets = "RSA public key is the one" if method.family == "RSA" else "secrets are the ones"
        notes.append(
            f"no combination of up to three known mistakes gives the claimed signature: check "
            f"that the {secrets} this consumer key was issued with, and that nothing "
            "(a proxy, a client library) changed the request after it was signed"
        )
        return outcome
    outcome.verdict = "explained"
    outcome.mistakes = best.ids
    seen = {best.ids}
    others = []
    for other in result.explanations[1:]:
        if other.ids not in seen:
            seen.add(other.ids)
            others.append(other.ids)
    outcome.candidates = tuple(others)
    outcome.explanation, outcome.reproduced = explain(request, credentials, expected, best)
    if method.family == "RSA" and not outcome.reproduced:
        # Made with the public key: explain() cannot sign the wrong base strings, so show them.
        outcome.explanation, outcome.reproduced = base_string_rows(
            request, expected, outcome.explanation, best
        )
    return outcome


def _rsa_expected(
    request: HttpRequest,
    credentials: Credentials,
    mismatch: SignatureMismatch[SigningTrace] | SigningTrace | None,
    outcome: _Outcome,
    notes: list[str],
) -> SigningTrace | None:
    """Verify an RSA signature (3.4.3) with the public key; the RFC trace when it does not verify.

    None when there is nothing to search: the signature verifies (``outcome`` says "valid"), or
    the key cannot check it (a note says why).
    """
    try:
        if isinstance(mismatch, SignatureMismatch):
            raise mismatch  # what verify raised for this request: not checked again
        outcome.expected = mismatch or verify(request, credentials)
        outcome.verdict = "valid"
    except BodyHashMismatch as body_mismatch:
        # The signature verifies; the body hash is checked (and named) by the caller.
        outcome.expected = body_mismatch.trace
        outcome.verdict = "valid"
    except SignatureMismatch as wrong:
        trace: SigningTrace = wrong.trace
        outcome.expected = trace
        return trace
    except OAuthDebugError as error:
        notes.append(f"the RSA signature could not be checked with the key given ({error})")
    return None


def _search(
    request: HttpRequest,
    credentials: Credentials,
    claimed: str,
    method: SignatureMethod,
    placement: str,
    realm: str | None,
) -> SearchResult:
    """The catalog search; for RSA with the catalog as RSA takes it, each match re-verified."""
    if method.family != "RSA":
        return search(
            request, credentials, claimed, signature_method=method.name, placement=placement,
            realm=realm,
        )  # fmt: skip
    result = search(
        request,
        credentials,
        claimed,
        signature_method=method.name,
        placement=placement,
        realm=realm,
        catalog=rsa_catalog(CATALOG),
    )
    kept = confirmed(request, credentials, method, claimed, result.explanations)
    return replace(result, explanations=kept)


def _shown_claim(claimed: str | None, method_name: str | None) -> str | None:
    # A PLAINTEXT signature is the key (RFC 5849 3.4.4): never echo it.
    if claimed is not None and method_name == "PLAINTEXT":
        return REDACTED
    return claimed


def _server_diff(base_string: str | None, server: ServerAnswer | None) -> BaseStringDiff | None:
    if base_string is None or server is None or not server.expected_base_string:
        return None
    try:
        return diff_base_strings(base_string, server.expected_base_string)
    except OAuthDebugError:
        return None


def _unique(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for finding in findings:
        if (finding.id, finding.message) not in seen:
            seen.add((finding.id, finding.message))
            kept.append(finding)
    return tuple(kept)
