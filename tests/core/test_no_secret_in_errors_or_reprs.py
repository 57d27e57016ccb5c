"""No secret, and no oauth_signature value, in any error, repr or error data.

A PLAINTEXT signature is the signing key itself (RFC 5849 3.4.4): encode(consumer secret) "&"
encode(token secret). These tests place a distinctive secret, as a PLAINTEXT signature, in URLs,
Authorization headers and form bodies, and look for it, in every encoding it travels in, in
everything an error or a value shows: str(), repr(), ``.args``, ``.data`` and text attributes.

Only the public API is used, so the same file can be run against an older tree to count its leaks.
"""

from __future__ import annotations

import inspect
import pkgutil
import typing
from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import oauth_debug
from oauth_debug import Credentials, HttpRequest, OAuthDebugError, sign_at, verify
from oauth_debug.inputs import from_curl, from_http, from_parts, from_url, request_from_options
from oauth_debug.model import Param, Secret
from oauth_debug.uri import split_url

SECRET = "Zq9#SECRET"
# The secret as a person types it, as 3.6 encodes it into the key, and as the key travels in a
# query or body (encoded once more, 3.5.2-3.5.3).
FORMS = (SECRET, "Zq9%23SECRET", "Zq9%2523SECRET")
KEY = "Zq9%23SECRET&"  # the PLAINTEXT signature: encode(consumer secret) & (no token secret)
WIRE = "Zq9%2523SECRET%26"  # that signature percent-encoded, as it is sent
FORM = "application/x-www-form-urlencoded"

URL = f"https://api.example.com/v1/items?oauth_signature_method=PLAINTEXT&oauth_signature={WIRE}"
HEADER = (
    f'OAuth oauth_consumer_key="k", oauth_signature_method="PLAINTEXT", oauth_signature="{WIRE}"'
)
BODY = f"a=1&oauth_signature_method=PLAINTEXT&oauth_signature={WIRE}"
CARRIERS = (URL, HEADER, BODY, f"oauth_signature={SECRET}&", f"oauth_signature={KEY}")


def leaks(text: str) -> list[str]:
    return [form for form in FORMS if form in text]


def shown(error: BaseException) -> str:
    """Everything an error shows: str, repr, args, data and its text attributes."""
    parts = [str(error), repr(error), repr(error.args)]
    if isinstance(error, OAuthDebugError):
        parts.append(repr(error.data))
        parts += [f"{value}" for value in error.data.values()]
    if type(error).__module__ in CORE_MODULES:
        # Attributes too (url, text, header...): the core reads them back from the redacted data.
        for name, value in vars(error).items():
            if name != "trace" and isinstance(value, (str, tuple, Secret)):
                parts.append(f"{name}={value!r}")
    return "\n".join(parts)


CORE_MODULES = {"oauth_debug.errors", "oauth_debug.inputs.result", "oauth_debug.vectors"}


# --- every error class, constructed with secret-bearing text -------------------------------------


def _import_everything() -> None:
    for module in pkgutil.walk_packages(oauth_debug.__path__, "oauth_debug."):
        if module.name.endswith("__main__"):  # runs the command line when imported
            continue
        try:
            import_module(module.name)
        except ImportError:  # an optional extra that is not installed
            continue


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


_import_everything()
ERROR_CLASSES = sorted(
    {OAuthDebugError, *_subclasses(OAuthDebugError)}, key=lambda c: f"{c.__module__}.{c.__name__}"
)


def _trace() -> Any:
    request = HttpRequest("GET", "https://api.example.com/v1/items")
    return sign_at(
        request, Credentials("k", SECRET), timestamp="1", nonce="n", signature_method="PLAINTEXT"
    )


def _argument(parameter: inspect.Parameter, hints: dict[str, Any], carrier: str) -> Any:
    hint = str(hints.get(parameter.name, parameter.annotation))
    if "SigningTrace" in hint:
        return _trace()
    if "Secret" in hint:
        return Secret(KEY)
    if "ServerResponse" in hint:
        from oauth_debug.live.response import ServerResponse

        return ServerResponse(401, (("WWW-Authenticate", HEADER),), BODY.encode(), URL)
    if "HttpRequest" in hint:
        return HttpRequest("POST", URL, {"Authorization": HEADER, "Content-Type": FORM}, BODY)
    if hint in ("int", "int | None"):
        return 3
    if "tuple" in hint:
        return (carrier,)
    if parameter.default is None and "str" not in hint:
        return None
    return carrier


def _construct(cls: type, carrier: str) -> BaseException | None:
    init = cls.__init__  # type: ignore[misc]
    try:
        hints = typing.get_type_hints(init)
    except Exception:
        hints = {}
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for parameter in list(inspect.signature(init).parameters.values())[1:]:
        if parameter.kind is parameter.VAR_KEYWORD:
            kwargs["text"] = carrier
            continue
        if parameter.kind is parameter.VAR_POSITIONAL:
            continue
        value = _argument(parameter, hints, carrier)
        if parameter.kind is parameter.KEYWORD_ONLY:
            kwargs[parameter.name] = value
        else:
            args.append(value)
    try:
        made: BaseException = cls(*args, **kwargs)
    except (TypeError, AttributeError):  # a constructor this sweep cannot fill in
        return None
    return made


@pytest.mark.parametrize("carrier", CARRIERS, ids=["url", "header", "body", "raw", "key"])
@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda c: c.__name__)
def test_no_error_class_shows_a_signature_it_was_given(cls: type, carrier: str) -> None:
    error = _construct(cls, carrier)
    if error is None:
        # Only an error of another package whose arguments are values this sweep cannot make
        # (a live Job); every error of the core and the readers is constructed.
        assert cls.__module__ not in CORE_MODULES, f"the sweep cannot construct {cls.__name__}"
        error = cls.__new__(cls)
        OAuthDebugError.__init__(error, f"failed: {carrier}", text=carrier)
    assert leaks(shown(error)) == []


def test_the_sweep_covers_the_errors_of_the_core_and_the_readers() -> None:
    names = {cls.__name__ for cls in ERROR_CLASSES}
    assert {
        "InvalidURLError",
        "EncodingError",
        "MalformedHeaderError",
        "SignatureMismatch",
    } <= names
    assert {"BodyHashMismatch", "InputError", "VectorFileError", "FormBodyError"} <= names


# --- errors raised by the readers and the core, for requests that carry the secret ---------------

PLAIN = Credentials("k", SECRET)


def _verify_url(url: str) -> Callable[[], object]:
    return lambda: verify(HttpRequest("GET", url), PLAIN)


def _verify_header(header: str) -> Callable[[], object]:
    return lambda: verify(HttpRequest("GET", "https://h/p", {"Authorization": header}), PLAIN)


def _verify_body(body: str) -> Callable[[], object]:
    return lambda: verify(HttpRequest("POST", "https://h/p", {"Content-Type": FORM}, body), PLAIN)


QUERY = f"oauth_signature_method=PLAINTEXT&oauth_consumer_key=k&oauth_signature={WIRE}"
RAISING: dict[str, Callable[[], object]] = {
    "no host": _verify_url(f"http:/h/p?{QUERY}"),
    "port out of range": _verify_url(f"http://h:99999/p?{QUERY}"),
    "no scheme": _verify_url(f"h/p?{QUERY}"),
    "unclosed IPv6 bracket": _verify_url(f"http://[::1/p?{QUERY}"),
    "space in host": _verify_url(f"http://h x/p?{QUERY}"),
    "bad escape in the signature": _verify_url(f"http://h/p?{QUERY}%zz"),
    "bad escape elsewhere": _verify_url(f"http://h/p?a=%zz&{QUERY}"),
    "non-UTF-8 escape in the signature": _verify_url(f"http://h/p?{QUERY}%FF"),
    "mismatch": _verify_url(f"http://h/p?{QUERY.replace('SECRET', 'SECRET%2523SECRET')}"),
    "header without scheme": _verify_header(f'oauth_signature="{WIRE}"'),
    "header unclosed quote": _verify_header(f'OAuth oauth_signature="{WIRE}'),
    "header unquoted": _verify_header(f"OAuth oauth_signature={WIRE}, oauth_nonce=1"),
    "header bad escape": _verify_header(f'OAuth oauth_signature="{WIRE}%zz"'),
    "header duplicate": _verify_header(f'OAuth oauth_signature="{WIRE}", oauth_signature="x"'),
    "body bad escape": _verify_body(f"oauth_signature={WIRE}%zz"),
    "header line break": lambda: HttpRequest("GET", URL, {"Authorization": HEADER + "\r\nX: y"}),
    "headers not pairs": lambda: HttpRequest("GET", URL, [(HEADER, "x", "y")]),  # type: ignore[list-item]
    "secret not Unicode": lambda: sign_at(
        HttpRequest("GET", "https://h/"),
        Credentials("k", SECRET + "\udc80"),
        timestamp="1",
        nonce="n",
        signature_method="PLAINTEXT",
    ),
    "url with a tab": lambda: from_url(URL + "\tx"),
    "url without host": lambda: from_url(f"http:///p?{QUERY}"),
    "parts without host": lambda: from_parts("GET", "http:///p", {"Authorization": HEADER}),
    "parts bad method": lambda: from_parts("G T", URL),
    "curl unclosed quote": lambda: from_curl(f"curl '{URL}"),
    "curl unclosed ANSI-C quote": lambda: from_curl(f"curl $'{URL}"),
    "curl bad header": lambda: from_curl(f"curl '{URL}' -H 'Authorization {HEADER}'"),
    "curl not curl": lambda: from_curl(f"wget '{URL}'"),
    "curl without host": lambda: from_curl(f"curl 'http:///p?{QUERY}'"),
    "http bad request line": lambda: from_http(f"GET /p?{QUERY} HTTP/1.1 x\nHost: h\n\n"),
    "http status line": lambda: from_http(f"HTTP/1.1 401 {URL}\n\n"),
    "http bad target": lambda: from_http(f"GET p?{QUERY} HTTP/1.1\nHost: h\n\n"),
    "http bad host": lambda: from_http(f"GET /p HTTP/1.1\nHost: h/?{QUERY}\n\n"),
    "http bad header line": lambda: from_http(f"GET /p HTTP/1.1\nHost: h\n{QUERY}\n\n"),
    "http two hosts": lambda: from_http(f"GET /p HTTP/1.1\nHost: a?{QUERY}\nHost: b\n\n"),
    "http folded first": lambda: from_http(f"GET /p HTTP/1.1\n {HEADER}\n\n"),
    "http chunk size": lambda: from_http(
        f"POST /p HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n{QUERY}\n"
    ),
    "options bad -H": lambda: request_from_options(url=URL, headers=[f"Authorization {HEADER}"]),
    "options data with curl": lambda: request_from_options(curl=f"curl {URL}", data=BODY),
    "split_url": lambda: split_url(f"http://h:x/?{QUERY}"),
}


@pytest.mark.parametrize("call", RAISING.values(), ids=RAISING.keys())
def test_no_raised_error_shows_the_secret(call: Callable[[], object]) -> None:
    with pytest.raises(OAuthDebugError) as caught:
        call()
    assert leaks(shown(caught.value)) == []


# --- reprs of the public values ------------------------------------------------------------------


def _reprs() -> dict[str, object]:
    request = HttpRequest("POST", URL, {"Authorization": HEADER, "Content-Type": FORM}, BODY)
    trace = sign_at(
        HttpRequest("POST", URL.split("?")[0], {"Content-Type": FORM}, "a=1"),
        Credentials("k", SECRET),
        timestamp="1",
        nonce="n",
        signature_method="PLAINTEXT",
        placement="query",
    )
    return {
        "HttpRequest": request,
        "Credentials": Credentials("k", SECRET, "t", SECRET, SECRET),
        "Secret": Secret(SECRET),
        "SigningTrace": trace,
        "signed request": trace.signed_request,
        "Param": Param("oauth_signature", KEY, "query"),
        "params": tuple(trace.parameters),
        "UrlParts": split_url(URL),
        "ParsedInput": from_url(URL),
        "ParsedInput from curl": from_curl(f"curl '{URL}' -H 'Authorization: {HEADER}'"),
    }


@pytest.mark.parametrize("name", list(_reprs()))
def test_no_repr_shows_the_secret(name: str) -> None:
    value = _reprs()[name]
    assert leaks(repr(value)) == []
    assert leaks(str(value)) == []


def test_a_large_body_is_shown_by_its_length() -> None:
    request = HttpRequest("POST", "https://h/", {"Content-Type": "text/plain"}, b"x" * 5_000_000)
    text = repr(request)
    assert len(text) < 500
    assert "5000000" in text


# --- random requests carrying the secret that a reader or the core refuses -----------------------

junk = st.text(st.sampled_from(list("aZ09-._~:/?#[]@!$&'()*+,;=% \t\n\"<>\\é%zF")), max_size=12)
signature_values = st.sampled_from([WIRE, KEY, "Zq9%23SECRET%26", f"{SECRET}&", "Zq9%2523SECRET"])


@st.composite
def signed_urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "", "h ttp", "HTTP"]))
    host = draw(st.sampled_from(["h", "", "[::1", "h h", "example.com", "u:p@h"]))
    port = draw(st.sampled_from(["", ":80", ":99999", ":x", ":"]))
    pairs = draw(st.lists(st.tuples(junk, junk).map("=".join), max_size=3))
    pairs.insert(draw(st.integers(0, len(pairs))), f"oauth_signature={draw(signature_values)}")
    return f"{scheme}://{host}{port}/{draw(junk)}?{'&'.join(pairs)}{draw(junk)}"


@st.composite
def signed_headers(draw: st.DrawFn) -> str:
    quote = draw(st.sampled_from(['"', "", "'"]))
    close = draw(st.sampled_from([quote, "", '"']))
    signature = f"oauth_signature={quote}{draw(signature_values)}{close}"
    others = draw(st.lists(junk, max_size=2))
    others.insert(draw(st.integers(0, len(others))), signature)
    return draw(st.sampled_from(["OAuth ", "", "oauth ", "Bearer "])) + ", ".join(others)


def _attempts(url: str, header: str, body: str) -> list[Callable[[], object]]:
    form = {"Content-Type": FORM}
    return [
        lambda: verify(HttpRequest("GET", url), PLAIN),
        lambda: verify(HttpRequest("GET", "https://h/", {"Authorization": header}), PLAIN),
        lambda: verify(HttpRequest("POST", "https://h/", form, body), PLAIN),
        lambda: sign_at(HttpRequest("POST", url, form, body), PLAIN, timestamp="1", nonce="n"),
        lambda: from_url(url),
        lambda: from_parts("POST", url, {"Authorization": header, **form}, body),
        lambda: from_curl(f"curl '{url}' -H 'Authorization: {header}' --data-raw '{body}'"),
        lambda: from_curl(f'curl "{url}" -H "{header}"'),
        lambda: from_http(f"POST {url} HTTP/1.1\nAuthorization: {header}\n\n{body}"),
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    url=signed_urls(),
    header=signed_headers(),
    body=signed_urls().map(lambda u: u[u.find("?") + 1 :]),
)
def test_a_refused_request_never_shows_its_plaintext_signature(
    url: str, header: str, body: str
) -> None:
    for attempt in _attempts(url, header, body):
        try:
            attempt()
        except OAuthDebugError as error:
            assert leaks(shown(error)) == [], (url, header, body)
