"""Read what a server answered and say what its answer means.

The answer comes either as text (``curl -i`` saved it: :func:`read_response`) or as the parts a
live client received (:func:`read_parts`: status, reason, headers, body, never written out as text
and parsed again). Both end in one reading, a :class:`ServerAnswer`.

Servers explain a refused signature in a handful of shapes, each recognised here and turned into
:class:`~oauth_debug.diagnosis.findings.Finding` values:

- Alteryx Gallery API: HTTP 401 with ``{"exceptionName": "UnauthorizedException", ...}`` JSON
  (shape from the Gallery API docs and forum posts, see shared/research/alteryx-gallery-api.md);
- OAuth Problem Reporting (the oauth.net extension used by many OAuth 1.0 servers):
  ``oauth_problem=...`` in a form-encoded body or in the WWW-Authenticate header;
- Twitter's API v1.1: ``{"errors": [{"code": 32, ...}]}`` (32: could not authenticate you; 135:
  timestamp out of bounds), as listed on Twitter's "response codes" page;
- the server's own expected base string in the body (Khan Academy API, Schoology);
- a 404 under ``/gallery/api/`` or a pointer to ``/webapi/``: an Alteryx Server of release 2022.1
  or later, which has no OAuth 1 any more.

The response's Date header is kept (parsed or dropped) so that the diagnosis can hold the request's
timestamp against the server's clock.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http import HTTPStatus

from ..encoding import percent_decode
from ..errors import EncodingError, OAuthDebugError
from ..httpdate import parse_http_date
from ..model import HttpRequest
from ..rules import HTTP_TOKEN, whole_number
from ..uri import split_url
from .findings import Finding, Severity, oauth_params_of
from .providers.answers import provider_answer

# RFC 9112 2.1 / RFC 9113 8.3.2 as curl -i prints it: "HTTP/1.1 401 Unauthorized", "HTTP/2 401".
_STATUS_LINE = re.compile(r"HTTP/(\d(?:\.\d)?)[ \t]+(\d{3})(?:[ \t]+(.*))?")
# RFC 9110 5.1: field-name = token; field-value after ":" and optional whitespace.
_HEADER_LINE = re.compile(rf"({HTTP_TOKEN.pattern}):[ \t]*(.*)")
# A base string (RFC 5849 3.4.1.1): METHOD & encoded URI & encoded parameters.
_BASE_STRING = re.compile(r"(?<![A-Za-z])[A-Za-z]+&https?%3A%2F%2F[^\s\"'<>&]*&[^\s\"'<>]*", re.I)
# An oauth_* field outside a form body: up to a comma, "&", white space or markup.
_PROBLEM_FIELD = re.compile(r"(?<![A-Za-z0-9_])(oauth_[a-z_]+)=([^&,\s<>\"']*)")
_UNFORM = re.compile(r"[,<>\s]")
_AUTH_PARAM = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"([^"]*)"|([^\s,]*))')

# OAuth Problem Reporting (wiki.oauth.net/ProblemReporting): the defined oauth_problem values, each
# with what it asks of the client (wording ours).
PROBLEMS: dict[str, str] = {
    "version_rejected": "the server does not accept this oauth_version; send 1.0 or none",
    "parameter_absent": "a required parameter is missing (see oauth_parameters_absent)",
    "parameter_rejected": "the server refuses a parameter (see oauth_parameters_rejected)",
    "timestamp_refused": "the timestamp is outside the server's window: use the current time",
    "nonce_used": "this nonce was already used: send a fresh random nonce with every request "
    "(a replayed or copied signed URL always fails this way)",
    "signature_method_rejected": "the server does not accept this oauth_signature_method",
    "signature_invalid": "the server computed another signature: run `oauth-debug diagnose` "
    "with the consumer secret to name the mistake",
    "consumer_key_unknown": "the server does not know this consumer key: check for typos and "
    "for a key from another server or environment",
    "consumer_key_rejected": "the consumer key is known but permanently refused",
    "consumer_key_refused": "the consumer key is temporarily refused (rate limit or suspension)",
    "token_used": "the token was already used (a one-time token)",
    "token_expired": "the token has expired: obtain a new one",
    "token_revoked": "the token was revoked",
    "token_rejected": "the token is not valid for this server",
    "verifier_invalid": "the oauth_verifier does not match the one the server issued",
    "additional_authorization_required": "the token lacks the rights for this resource",
    "permission_unknown": "the server does not know the permission asked for",
    "permission_denied": "the user refused the permission asked for",
    "user_refused": "the user refused access",
}

# Twitter API v1.1 error codes that concern OAuth 1.0 (developer.twitter.com "response codes").
TWITTER_CODES: dict[int, str] = {
    32: "Twitter could not authenticate the request: the signature, the consumer key or the "
    "token is wrong (error 32 is Twitter's answer to a bad signature)",
    135: "Twitter says the timestamp is out of bounds: the request's oauth_timestamp is too far "
    "from Twitter's clock; use the current time (and check the machine's clock with NTP)",
    89: "Twitter says the token is invalid or expired",
    215: "Twitter says the authentication data is bad (usually no or malformed OAuth parameters)",
}


class MalformedResponseError(OAuthDebugError):
    """Text that is not an HTTP response as ``curl -i`` saves it."""

    def __init__(self, message: str, *, line: int, text: str) -> None:
        super().__init__(message, line=line, text=text)
        self.line = line
        self.text = text


@dataclass(frozen=True)
class ServerAnswer:
    """One HTTP response as read here, and what it says about the request's signature.

    Not the live client's received value (``live.response.ServerResponse``, bytes and all): this
    is its reading, findings included, whichever way the answer arrived.
    """

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: str
    date: str | None
    """The Date header when it parses as an HTTP-date (for the skew check), else None."""
    findings: tuple[Finding, ...]
    expected_base_string: str | None
    """The base string the server says it expected, when its body carries one."""
    server_kind: str | None
    """"alteryx", "twitter" or "oauth-problem-reporting" when the shape tells, else None."""

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive), or None."""
        return _first_header(self.headers, name)

    @property
    def refuses_oauth(self) -> bool:
        """Whether this answer is an OAuth refusal, the only kind a signature diagnosis explains.

        A 401 is one by definition (RFC 5849 3.2: a request that fails verification "SHOULD" get
        401 Unauthorized). A 400 or 403 is one only when its body or WWW-Authenticate says so in a
        shape read here: servers answer 400 for a missing or duplicated parameter and some answer
        403 for a bad signature, but both statuses mean many other things too. Anything else (a
        404, a 5xx) says nothing about the signature, whatever a diagnosis of it would find.
        """
        if self.status == 401:
            return True
        if self.status not in (400, 403):
            return False
        return any(_speaks_oauth(finding) for finding in self.findings)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready summary (the body is left out: it may be large)."""
        return {
            "status": self.status,
            "reason": self.reason,
            "date": self.date,
            "server_kind": self.server_kind,
            "expected_base_string": self.expected_base_string,
            "findings": [finding.to_dict() for finding in self.findings],
        }


# Findings that only an OAuth complaint produces. "alteryx-error" (any other Gallery exception)
# and "http-error" (no shape recognised) are left out on purpose: they say nothing about OAuth.
_OAUTH_FINDINGS = frozenset(
    {
        "oauth-problem",
        "alteryx-unauthorized",
        "sandbox-diagnosis",
        "twitter-error-32",
        "twitter-error-135",
        "expected-base-string",
        "mastercard-error",
        "ims-invalid-signature",
        "woocommerce-error",
        "netsuite-invalid-login",
        "twitter-v2-unauthorized",
        "tumblr-error",
    }
)


def _speaks_oauth(finding: Finding) -> bool:
    # Twitter's other OAuth codes (89, 215) share the id "twitter-error" with codes that have
    # nothing to do with OAuth; the known ones are the errors (see _twitter).
    known_twitter = finding.id == "twitter-error" and finding.data.get("code") in TWITTER_CODES
    return finding.id in _OAUTH_FINDINGS or known_twitter


def _first_header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    wanted = name.lower()
    return next((v for k, v in headers if k.lower() == wanted), None)


@dataclass(frozen=True)
class _Block:
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: str


def read_response(text: str, *, request: HttpRequest | None = None) -> ServerAnswer:
    """Parse ``text`` (saved by ``curl -i``; CRLF or LF) and recognise what the server said.

    With ``curl -i -L`` several responses follow each other; the last is the answer. ``request``
    (optional) is the request that got this answer: its URL and timestamp sharpen some findings.
    Raises :class:`MalformedResponseError` for text that is no such response.
    """
    blocks = _split_blocks(text.replace("\r\n", "\n").replace("\r", "\n"))
    # A redirect that curl -L followed says where it went: keep every Location it passed.
    locations = tuple(v for b in blocks for k, v in b.headers if k.lower() == "location")
    return _interpret(blocks[-1], request, locations)


def read_parts(
    status: int,
    headers: Sequence[tuple[str, str]],
    body: str,
    *,
    reason: str = "",
    request: HttpRequest | None = None,
    locations: Sequence[str] = (),
) -> ServerAnswer:
    """Read an answer from the parts a client received, as :func:`read_response` reads its text.

    Nothing is written out and parsed again: a body that happens to hold an HTTP transcript stays
    body, a header value stays as received, and the server's own reason phrase is kept (the
    standard phrase stands in when it sent none). ``locations`` are the Location headers of the
    redirects the client followed before this answer.
    """
    block = _Block(status, reason.strip() or _phrase(status), tuple(headers), body)
    own = tuple(v for k, v in block.headers if k.lower() == "location")
    return _interpret(block, request, (*locations, *own))


def _split_blocks(text: str) -> list[_Block]:
    lines = text.split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines) or not _STATUS_LINE.fullmatch(lines[index].strip()):
        shown = lines[index][:60] if index < len(lines) else ""
        raise MalformedResponseError(
            f"expected a response saved by `curl -i`, starting with a status line such as "
            f"'HTTP/1.1 401 Unauthorized', got {shown!r} on line {index + 1}",
            line=index + 1,
            text=shown,
        )
    blocks: list[_Block] = []
    while True:
        status_match = _STATUS_LINE.fullmatch(lines[index].strip())
        assert status_match is not None  # checked before entering and by _next_block
        headers, index = _read_headers(lines, index + 1)
        next_start = _next_block(lines, index)
        body = "\n".join(lines[index:next_start])
        status = int(status_match.group(2))
        reason = (status_match.group(3) or "").strip() or _phrase(status)
        blocks.append(_Block(status, reason, headers, body))
        if next_start >= len(lines):
            return blocks
        index = next_start


def _read_headers(lines: list[str], index: int) -> tuple[tuple[tuple[str, str], ...], int]:
    """Header lines up to the blank line; returns them and the index of the body's first line."""
    headers: list[tuple[str, str]] = []
    while index < len(lines) and lines[index].strip():
        line = lines[index]
        if line[0] in " \t" and headers:  # obsolete line folding (RFC 9112 5.2)
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
        else:
            match = _HEADER_LINE.fullmatch(line.rstrip())
            if not match:
                raise MalformedResponseError(
                    f"line {index + 1} is not a header 'Name: value': {line[:60]!r} (save the "
                    "response with `curl -i` and keep it unchanged)",
                    line=index + 1,
                    text=line[:60],
                )
            headers.append((match.group(1), match.group(2).strip()))
        index += 1
    return tuple(headers), min(index + 1, len(lines))


def _next_block(lines: list[str], index: int) -> int:
    """Where the next response of a ``curl -i -L`` transcript starts (len(lines) when none).

    A status line counts only when the lines after it read as headers: a body that merely
    mentions "HTTP/1.1 200" stays body.
    """
    for start in range(index, len(lines)):
        if not _STATUS_LINE.fullmatch(lines[start].strip()):
            continue
        following = start + 1
        while following < len(lines) and lines[following].strip():
            if not _HEADER_LINE.fullmatch(lines[following].rstrip()):
                break
            following += 1
        else:
            return start
    return len(lines)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _interpret(
    block: _Block, request: HttpRequest | None, locations: tuple[str, ...]
) -> ServerAnswer:
    findings: list[Finding] = []
    kinds: list[str] = []
    headers = block.headers
    date = _checked_date(_first_header(headers, "Date"), findings)
    document = _json(block.body)

    alteryx = _alteryx(document)
    if alteryx is not None:
        findings.append(alteryx)
        kinds.append("alteryx")
    provider = provider_answer(block.body, document, request)
    findings += provider.findings
    kinds += provider.kinds
    twitter = [] if "tumblr" in provider.kinds else _twitter(document)
    if twitter:
        findings += twitter
        kinds.append("twitter")
    problem = _oauth_problem(block, request)
    if problem is not None:
        findings.append(problem)
        kinds.append("oauth-problem-reporting")
    oauth2_only = _alteryx_oauth2_only(block, request, locations)
    if oauth2_only is not None:
        findings.append(oauth2_only)
        kinds.insert(0, "alteryx")
    # The oauth-debug sandbox's own diagnosis holds the right base string, and already says what
    # differs; reading it back as "the server's expected base string" would only repeat it.
    by_sandbox = alteryx is not None and alteryx.id == "sandbox-diagnosis"
    problem_echo = _problem_fields(block).get("oauth_signature_base_string")  # Jira's echo
    expected = (
        None
        if by_sandbox
        else provider.base_string or problem_echo or _expected_base_string(block.body, document)
    )
    if expected is not None:
        findings.append(
            Finding(
                "expected-base-string",
                "info",
                f"the server says which base string it expected: {expected}; compare it with "
                "yours (oauth-debug diff '<expected>' '<yours>' names the first difference)",
                {"base_string": expected},
            )
        )
    if block.status >= 400 and not findings:
        findings.append(_unexplained(block))
    return ServerAnswer(
        status=block.status,
        reason=block.reason,
        headers=headers,
        body=block.body,
        date=date,
        findings=tuple(findings),
        expected_base_string=expected,
        server_kind=kinds[0] if kinds else None,
    )


def _checked_date(value: str | None, findings: list[Finding]) -> str | None:
    if value is None:
        return None
    try:
        parse_http_date(value)
    except OAuthDebugError:
        findings.append(
            Finding(
                "response-date-unreadable",
                "info",
                f"the Date header {value[:60]!r} is not an HTTP date, so the server's clock is "
                "unknown; give it with --server-date if you know it",
                {"date": value},
            )
        )
        return None
    return value


def _json(body: str) -> object:
    stripped = body.strip()
    if not stripped.startswith(("{", "[")):
        return None
    try:
        return json.loads(stripped)
    except (ValueError, RecursionError):
        return None


def _alteryx(document: object) -> Finding | None:
    if not isinstance(document, dict) or not isinstance(document.get("exceptionName"), str):
        return None
    name = document["exceptionName"]
    said = document.get("message")
    said_text = f" ({said})" if isinstance(said, str) and said else ""
    sandbox = document.get("diagnosis")
    if name == "UnauthorizedException" and isinstance(sandbox, dict):
        # The oauth-debug sandbox adds its own diagnosis of the request to Alteryx's 401 body.
        mistakes = sandbox.get("mistakes") or []
        named = ", ".join(str(m) for m in mistakes) if isinstance(mistakes, list) else ""
        refused = sandbox.get("refused_because")
        meaning = refused.get("meaning") if isinstance(refused, dict) else None
        return Finding(
            "sandbox-diagnosis",
            "error",
            f"the oauth-debug sandbox refused the request{said_text} and says why: verdict "
            f"{sandbox.get('verdict')!s}"
            + (f", mistakes: {named}" if named else "")
            + (f"; {meaning}" if isinstance(meaning, str) else ""),
            {"verdict": sandbox.get("verdict"), "mistakes": mistakes},
        )
    if name == "UnauthorizedException":
        return Finding(
            "alteryx-unauthorized",
            "error",
            f"the Alteryx Gallery API refused the signature{said_text}. It never says why: run "
            "`oauth-debug diagnose` on the same request with --consumer-secret to name the "
            "mistake. Usual causes: a space or a '+' in a query value, the base URL or scheme "
            "differing from what the server sees behind its proxy, a trailing space in the "
            "secret, and a signed URL copied from the interactive docs (stale and already used)",
            {"exceptionName": name, "message": said if isinstance(said, str) else None},
        )
    return Finding(
        "alteryx-error",
        "warning",
        f"the Alteryx Gallery API answered with {name}{said_text}",
        {"exceptionName": name, "message": said if isinstance(said, str) else None},
    )


def _twitter(document: object) -> list[Finding]:
    if not isinstance(document, dict) or not isinstance(document.get("errors"), list):
        return []
    findings = []
    for error in document["errors"]:
        if not isinstance(error, dict):
            continue
        code = error.get("code")
        if not isinstance(code, int) or isinstance(code, bool):
            continue
        said = error.get("message")
        known = TWITTER_CODES.get(code)
        if known is None:
            message = f"Twitter answered with error {code}" + (
                f": {said}" if isinstance(said, str) else ""
            )
        else:
            message = known + (f' ("{said}")' if isinstance(said, str) else "")
        finding_id = f"twitter-error-{code}" if code in (32, 135) else "twitter-error"
        severity: Severity = "error" if code in TWITTER_CODES else "warning"
        findings.append(Finding(finding_id, severity, message, {"code": code}))
    return findings


def _problem_fields(block: _Block) -> dict[str, str]:
    """oauth_problem and its companions, from a form-encoded body or WWW-Authenticate."""
    fields: dict[str, str] = {}
    for name, value in block.headers:
        if name.lower() == "www-authenticate" and "oauth_problem" in value:
            for match in _AUTH_PARAM.finditer(value):
                fields.setdefault(match.group(1), _lenient(match.group(2) or match.group(3) or ""))
    if "oauth_problem=" in block.body:
        for piece in block.body.strip().split("&"):
            field_name, _, value = piece.partition("=")
            if field_name.strip().startswith("oauth_"):
                fields.setdefault(field_name.strip(), _lenient(value.strip()))
        if _UNFORM.search(fields.get("oauth_problem", ",")):
            # Not a form body: E*TRADE writes "oauth_problem=timestamp_refused,
            # oauth_acceptable_timestamps=..." (pyetrade#55), often inside an HTML error page
            # (pyetrade#4); read every oauth_*=value wherever it stands.
            for match in _PROBLEM_FIELD.finditer(block.body):
                fields[match.group(1)] = _lenient(match.group(2))
    return fields


def _lenient(text: str) -> str:
    try:
        return percent_decode(text, plus_is_space=True)
    except EncodingError:
        return text


def _oauth_problem(block: _Block, request: HttpRequest | None) -> Finding | None:
    fields = _problem_fields(block)
    problem = fields.get("oauth_problem")
    if not problem:
        return None
    meaning = PROBLEMS.get(problem, "a problem name the extension does not define")
    message = f"the server reports oauth_problem={problem}: {meaning}"
    data: dict[str, object] = {"problem": problem}
    for extra in ("oauth_parameters_absent", "oauth_parameters_rejected", "oauth_problem_advice"):
        if fields.get(extra):
            message += f"; {extra}: {fields[extra]}"
            data[extra] = fields[extra]
    window = fields.get("oauth_acceptable_timestamps")
    if window:
        data["oauth_acceptable_timestamps"] = window
        message += _timestamp_window(window, request, data)
    versions = fields.get("oauth_acceptable_versions")
    if versions:
        data["oauth_acceptable_versions"] = versions
        message += f"; acceptable versions: {versions}"
    return Finding("oauth-problem", "error", message, data)


def _timestamp_window(window: str, request: HttpRequest | None, data: dict[str, object]) -> str:
    low_text, _, high_text = window.partition("-")
    low, high = whole_number(low_text.strip()), whole_number(high_text.strip())
    if low is None or high is None:  # no "-" leaves high_text empty, which is no number
        return f"; acceptable timestamps: {window}"
    text = f"; the server accepts timestamps from {low} to {high}"
    sent = _request_timestamp(request)
    if sent is None:
        return text
    data["request_timestamp"] = sent
    if sent < low:
        text += f", and the request's {sent} is {low - sent} s too early (too old)"
    elif sent > high:
        text += f", and the request's {sent} is {sent - high} s too late (in the future)"
    else:
        text += f", and the request's {sent} is inside that range"
    return text + (
        "; take the timestamp from a clock synced with NTP at the moment of sending, in UTC epoch "
        "seconds"
    )


def _request_timestamp(request: HttpRequest | None) -> int | None:
    if request is None:
        return None
    try:
        params = oauth_params_of(request)
    except OAuthDebugError:
        return None
    value = next((p.value for p in params if p.name == "oauth_timestamp"), None)
    return None if value is None else whole_number(value)


def _alteryx_oauth2_only(
    block: _Block, request: HttpRequest | None, locations: tuple[str, ...]
) -> Finding | None:
    location = next((v for v in locations if "/webapi/" in v.lower()), "")
    path = ""
    if request is not None:
        try:
            path = split_url(request.url).path
        except OAuthDebugError:
            path = ""
    gallery_404 = block.status == 404 and (
        "/gallery/api/" in path.lower() or "/gallery/api/" in block.body.lower()
    )
    webapi = bool(location) or (block.status >= 400 and "/webapi/" in block.body.lower())
    if not gallery_404 and not webapi:
        return None
    return Finding(
        "alteryx-oauth2-only",
        "error",
        "this looks like Alteryx Server 2022.1 or later, where the OAuth 1 Gallery API "
        "(/gallery/api/...) no longer exists: no OAuth 1 signature can succeed there. Use OAuth 2 "
        "client credentials instead: POST {host}/webapi/oauth2/token with form fields "
        "grant_type=client_credentials, client_id=<API key>, client_secret=<API secret>, then send "
        "'Authorization: Bearer <access_token>' to the same endpoints under /webapi/ (tokens last "
        "60 minutes)",
        {"status": block.status, "location": location or None},
    )


def _strings(document: object) -> Iterator[str]:
    """Every string inside a parsed JSON document (bounded by the document's size)."""
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _expected_base_string(body: str, document: object) -> str | None:
    candidates = list(_strings(document)) if document is not None else []
    candidates.append(body)
    if "&amp;" in body:
        candidates.append(html.unescape(body))
    for text in candidates:
        match = _BASE_STRING.search(text)
        if match:
            return match.group(0).rstrip(".,;)")
    return None


def _unexplained(block: _Block) -> Finding:
    www = _first_header(block.headers, "WWW-Authenticate")
    hint = f" (WWW-Authenticate: {www})" if www else ""
    said = f"the server answered {block.status} {block.reason}{hint}"
    if block.status in (404, 410) or block.status >= 500:
        # Not a refusal (ServerAnswer.refuses_oauth): checking the signature would not help.
        meaning = (
            "the URL does not exist there (check the host, path and base address)"
            if block.status < 500
            else "the server failed to answer (retry later, or ask its operators)"
        )
        return Finding(
            "http-error",
            "info",
            f"{said}: {meaning}; this status says nothing about the signature",
            {"status": block.status},
        )
    return Finding(
        "http-error",
        "info",
        f"the server answered {block.status} {block.reason}{hint} without saying why in a shape "
        "this tool knows; run `oauth-debug diagnose` with the consumer secret to check the "
        "signature",
        {"status": block.status},
    )
