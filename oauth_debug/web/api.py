"""What the explainer computes, as pure functions of the fields a person gave (no I/O, no clock).

One function per answer, each calling what the CLI calls, so that ``POST /api/explain`` and
``POST /api/diagnose`` answer exactly what ``explain --format json`` and ``diagnose --format json``
print for the same request:

- :func:`explain_trace` signs the request again with the protocol parameters it carries (or the
  form's, for a request not signed yet) through :func:`oauth_debug.signer.sign_at`, as
  ``oauth-debug explain METHOD URL --timestamp T --nonce N ...`` does;
- :func:`diagnose_fields` runs :func:`oauth_debug.diagnosis.engine.diagnose` on it, with the
  request's own keys and the form's secrets, as ``oauth-debug diagnose`` does.

Secrets arrive in :class:`Fields` and leave only as :class:`~oauth_debug.model.Secret` inside
:class:`~oauth_debug.model.Credentials`: nothing here writes, logs or returns them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..diagnosis.engine import diagnose
from ..diagnosis.findings import unsigned_url
from ..diagnosis.model import Diagnosis
from ..diagnosis.provider_findings import with_provider
from ..diagnosis.providers import choose
from ..diagnosis.providers import names as provider_names
from ..encoding import percent_encode
from ..errors import InvalidOptionError
from ..inputs import InputError, ParsedInput, from_curl, from_http, from_parts, from_url
from ..inputs.checks import parse_header_line
from ..model import Credentials, HttpRequest
from ..render.trace_json import trace_to_dict
from ..rules import PLACEMENTS
from ..trace import SigningTrace
from ..verify import claimed_parameters
from ..window import DEFAULT_WINDOW_SECONDS
from .har import from_har, looks_like_har

TEXT_FIELDS = (
    "input",
    "method",
    "url",
    "parameters",
    "headers",
    "body",
    "scheme",
    "consumer_key",
    "token",
    "signature_method",
    "placement",
    "realm",
    "timestamp",
    "nonce",
    "now",
    "provider",
)
"""Every field the form and the JSON API take besides the secrets (all text)."""
SECRET_FIELDS = ("consumer_secret", "token_secret", "rsa_key")
"""The fields that hold secrets: never echoed into a page, a URL or a log."""
PLAIN_RFC = ("", "rfc5849")
"""No provider: the plain RFC 5849 rules (the profile guessed from the host, if any, still speaks,
as it does on the command line)."""

_REQUEST_LINE = re.compile(r"^[A-Za-z]+[ \t]+\S+[ \t]+HTTP/\d", re.ASCII)


@dataclass(frozen=True, repr=False)
class Fields:
    """What the page's form (or a JSON body) gave, every value as text ("" when not given)."""

    values: Mapping[str, str]

    def __repr__(self) -> str:
        # Secrets are never shown, not even in a debugging repr.
        return f"Fields({sorted(k for k, v in self.values.items() if v)})"

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    @classmethod
    def of(cls, given: Mapping[str, Any]) -> Fields:
        """Fields from a JSON object or a parsed form: text only; "request" is the form's name for
        "input". Anything else is bad input (an :class:`InvalidOptionError`)."""
        values: dict[str, str] = {}
        for name in (*TEXT_FIELDS, *SECRET_FIELDS, "request"):
            value = given.get(name)
            if value is None:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = repr(value) if isinstance(value, float) else str(value)
            if not isinstance(value, str):
                raise InvalidOptionError(f"{name} must be text, not {type(value).__name__}")
            values[name] = value
        if "input" not in values and "request" in values:
            values["input"] = values["request"]
        values.pop("request", None)
        return cls(values)

    def credentials(self, consumer_key: str, token: str | None) -> Credentials:
        rsa_key = self.get("rsa_key").strip() or None
        return Credentials(
            consumer_key,
            self.get("consumer_secret"),
            token=token,
            token_secret=self.get("token_secret"),
            rsa_key=rsa_key,
        )


def read_request(fields: Fields) -> ParsedInput:
    """The request in the ``input`` text, whichever of the four kinds a person pasted.

    A curl line (bash, cmd or PowerShell quoting), a raw HTTP request (its scheme from the
    ``scheme`` field), a HAR file's text, a signed URL (sent with ``method``, GET by default) or
    an Authorization header (sent to ``url`` with ``method``); a URL or a header takes the
    ``headers`` ("Name: value" lines) and ``body`` fields too. Files are never read: curl's
    ``-d @file`` is noted, not followed.
    """
    _check_provider(fields)
    text = fields.get("input").strip()
    if not text:
        raise InputError(
            "paste a request: a curl line, a signed URL, a raw HTTP request or an Authorization "
            "header",
            kind="web",
        )
    method = fields.get("method").strip().upper() or "GET"
    words = text.split(None, 2)
    if words[0] == "$" and len(words) > 1:  # a pasted shell prompt
        words = words[1:]
    if words[0].lower() in ("curl", "curl.exe"):
        return from_curl(text, reader=None)
    if _REQUEST_LINE.match(text):
        return from_http(text, fields.get("scheme").strip() or "http")
    if looks_like_har(text):
        return from_har(text)
    headers = [
        parse_header_line(line, "web", "headers")
        for line in fields.get("headers").splitlines()
        if line.strip()
    ]
    body = fields.get("body") or None
    if text.lower().startswith(("authorization:", "oauth ")):
        value = text.split(":", 1)[1].strip() if text.lower().startswith("authorization:") else text
        url = _with_parameters(fields.get("url").strip(), fields.get("parameters"))
        if not url:
            raise InputError(
                "an Authorization header alone does not say where it went: give the URL too",
                kind="web",
            )
        return from_parts(method, url, [*headers, ("Authorization", value)], body)
    if text.lstrip("'\"<").lower().startswith(("http://", "https://")):
        parameters = fields.get("parameters")
        if headers or body is not None or parameters.strip():
            return from_parts(method, _with_parameters(text, parameters), headers, body)
        return from_url(text, method)
    raise InputError(
        "this does not look like a request: expected a curl line, a URL starting with http:// "
        "or https://, a raw HTTP request (GET /path HTTP/1.1 ...) or an Authorization header",
        kind="web",
        text=text[:80],
    )


def _with_parameters(url: str, lines: str) -> str:
    """``url`` with the form's parameters (one ``name=value`` a line, as a person types them,
    not yet encoded) added to its query, each percent-encoded (RFC 5849 3.6) as a client would."""
    pairs = [line.partition("=") for line in lines.splitlines() if line.strip()]
    if not url or not pairs:
        return url
    added = "&".join(
        f"{percent_encode(name.strip())}={percent_encode(value)}" for name, _, value in pairs
    )
    base, mark, query = url.partition("?")
    joined = f"{query}&{added}" if query else added
    return f"{base}?{joined}" if mark or joined else base


def _check_provider(fields: Fields) -> None:
    named = fields.get("provider").strip().lower()
    if named not in PLAIN_RFC and named not in provider_names():
        raise InvalidOptionError(
            f"unknown provider {fields.get('provider')[:40]!r}: one of "
            f"{', '.join(provider_names())}, or none for the plain RFC 5849 rules"
        )


def _provider_of(fields: Fields) -> str | None:
    named = fields.get("provider").strip().lower()
    return None if named in PLAIN_RFC else named


def now_of(fields: Fields, clock: Callable[[], float]) -> float:
    """The ``now`` field in epoch seconds, or the clock's time when it is empty."""
    text = fields.get("now").strip()
    if not text:
        return clock()
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InvalidOptionError(f"now must be a number of seconds since 1970, not {text[:40]!r}")
    return value


def _without_protocol(request: HttpRequest) -> HttpRequest:
    """``request`` as it was before signing: no oauth_* in the query or a form body, no
    Authorization header (RFC 5849 3.5 puts them in exactly one of those places)."""
    unsigned = request.replace(url=unsigned_url(request.url))
    if unsigned.header("Authorization") is not None:
        unsigned = unsigned.without_header("Authorization")
    if request.is_form and request.body:
        body = unsigned_url("?" + request.body.decode("utf-8", "replace"))[1:]
        unsigned = unsigned.replace(body=body)
    return unsigned


@dataclass(frozen=True)
class SigningOptions:
    """The options ``oauth-debug explain`` would be given to sign this request again."""

    request: HttpRequest
    consumer_key: str
    token: str | None
    signature_method: str
    timestamp: str
    nonce: str
    version: str | None
    realm: str | None
    placement: str
    body_hash: bool | None
    callback: str | None
    verifier: str | None


def signing_options(
    parsed: ParsedInput, fields: Fields, clock: Callable[[], float], nonce: Callable[[], str]
) -> SigningOptions:
    """The request's own protocol parameters; the form's fields for those it does not carry."""
    oauth, placement, realm = claimed_parameters(parsed.request)
    key = oauth.get("oauth_consumer_key") or fields.get("consumer_key").strip()
    if not key:
        raise InvalidOptionError(
            "the request carries no oauth_consumer_key: give the consumer key to sign it "
            "(RFC 5849 3.1 requires it)",
            option="consumer-key",
        )
    chosen = fields.get("placement").strip() or placement
    if chosen not in PLACEMENTS:
        raise InvalidOptionError(f"placement must be one of {', '.join(PLACEMENTS)}")
    given_timestamp = fields.get("timestamp").strip()
    return SigningOptions(
        request=_without_protocol(parsed.request),
        consumer_key=key,
        token=oauth.get("oauth_token") or fields.get("token").strip() or None,
        signature_method=oauth.get("oauth_signature_method")
        or fields.get("signature_method").strip()
        or "HMAC-SHA1",
        timestamp=oauth.get("oauth_timestamp") or given_timestamp or str(int(clock())),
        nonce=oauth.get("oauth_nonce") or fields.get("nonce").strip() or nonce(),
        # A request signed without oauth_version (it is optional, 3.1) is signed again without.
        version=oauth.get("oauth_version") if oauth else "1.0",
        realm=realm if realm is not None else (fields.get("realm").strip() or None),
        placement=chosen,
        body_hash=("oauth_body_hash" in oauth) if oauth else None,
        callback=oauth.get("oauth_callback"),
        verifier=oauth.get("oauth_verifier"),
    )


def explain_trace(
    parsed: ParsedInput, fields: Fields, clock: Callable[[], float], nonce: Callable[[], str]
) -> SigningTrace:
    """Every step of the request's signature, computed as RFC 5849 3.4 says."""
    from ..signer import sign_at

    options = signing_options(parsed, fields, clock, nonce)
    return sign_at(
        options.request,
        fields.credentials(options.consumer_key, options.token),
        timestamp=options.timestamp,
        nonce=options.nonce,
        signature_method=options.signature_method,
        version=options.version,
        realm=options.realm,
        placement=options.placement,
        body_hash=options.body_hash,
        callback=options.callback,
        verifier=options.verifier,
    )


def explain_document(trace: SigningTrace) -> dict[str, Any]:
    """The JSON object ``explain --format json`` prints (secrets redacted)."""
    return trace_to_dict(trace, show_secrets=False)


def diagnose_fields(parsed: ParsedInput, fields: Fields, clock: Callable[[], float]) -> Diagnosis:
    """The diagnosis ``oauth-debug diagnose`` gives: the request's keys, the form's secrets."""
    oauth, _, _ = claimed_parameters(parsed.request)
    credentials = fields.credentials(oauth.get("oauth_consumer_key", ""), oauth.get("oauth_token"))
    now = now_of(fields, clock)
    result = diagnose(parsed.request, credentials, now=now, stale_after=DEFAULT_WINDOW_SECONDS)
    # As `diagnose --provider` does: the named profile, or the one guessed from the host.
    choice = choose(parsed.request, _provider_of(fields))
    return with_provider(result, parsed.request, choice, now=now)


def diagnose_document(result: Diagnosis, parsed: ParsedInput) -> dict[str, Any]:
    """The JSON object ``diagnose --format json`` prints (without --show-secrets).

    The same keys as oauth_debug.cli.diagnose_commands._print adds to Diagnosis.to_dict; a test
    holds the two against each other.
    """
    document = result.to_dict()
    document["secrets_shown"] = False
    document["input"] = {"kind": parsed.kind, "notes": list(parsed.notes)}
    return document
