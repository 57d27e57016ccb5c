"""The sandbox's 401 names the mistake but never signs for the client: no value in it, resent as
the signature, gets the request through, and nothing in it tells the secret's length.

Over the WSGI app in-process. The signed-wrong requests are made as a person makes them: HMAC
over a hand-built base string with hmac/hashlib, never with the catalog's own recipes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote
from wsgiref.util import setup_testing_defaults

import pytest

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.diagnosis.public import for_client
from oauth_debug.model import Secret
from oauth_debug.sandbox import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    WORKFLOWS,
    SandboxConfig,
    create_app,
)
from oauth_debug.signer import prepare

NOW = 1_700_000_000
URL = "http://sandbox.test/gallery/api/v1/workflows/subscription/"
DIGEST_LENGTHS = {20, 32, 64}  # SHA-1, SHA-256, SHA-512
TOKEN = re.compile(r"[A-Za-z0-9+/_%=-]{20,}")


def _enc(text: str) -> str:
    return quote(text, safe="~")


def _params(nonce: str, method: str = "HMAC-SHA1") -> list[tuple[str, str]]:
    return [
        ("oauth_consumer_key", DEMO_API_KEY),
        ("oauth_nonce", nonce),
        ("oauth_signature_method", method),
        ("oauth_timestamp", str(NOW)),
        ("oauth_version", "1.0"),
    ]


def _hand_signed(
    nonce: str,
    *,
    http_method: str = "GET",
    key: str = DEMO_API_SECRET + "&",
    method: str = "HMAC-SHA1",
    hash_name: str = "sha1",
) -> HttpRequest:
    """A request signed the way a person's code does it, mistakes and all."""
    params = _params(nonce, method)
    normalized = "&".join(f"{_enc(n)}={_enc(v)}" for n, v in sorted(params))
    base = "&".join([http_method, _enc(URL), _enc(normalized)])
    digest = hmac.new(key.encode(), base.encode(), getattr(hashlib, hash_name)).digest()
    signature = base64.b64encode(digest).decode()
    return _with_signature(params, signature)


def _with_signature(params: list[tuple[str, str]], signature: str) -> HttpRequest:
    pairs = [*params, ("oauth_signature", signature)]
    header = "OAuth " + ", ".join(f'{n}="{_enc(v)}"' for n, v in pairs)
    return HttpRequest("GET", URL, headers=(("Authorization", header),))


def _environ(request: HttpRequest) -> dict[str, Any]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "PATH_INFO": "/" + request.url.split("://", 1)[1].partition("/")[2],
        "QUERY_STRING": "",
        "HTTP_HOST": "sandbox.test",
        "SERVER_NAME": "sandbox.test",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(request.body or b""),
    }
    for name, value in request.headers:
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else "HTTP_" + key] = value
    if request.body:
        environ["CONTENT_LENGTH"] = str(len(request.body))
    setup_testing_defaults(environ)
    return environ


def _send(app: Any, request: HttpRequest) -> tuple[str, list[tuple[str, str]], str]:
    answer: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        answer.extend([status, headers])
        return lambda data: None

    body = b"".join(app(_environ(request), start_response)).decode("utf-8")
    return answer[0], answer[1], body


def _signature_like(headers: list[tuple[str, str]], body: str) -> Iterator[str]:
    """Every token of the answer that could be a signature (base64 or hex of a digest)."""
    texts = [body, json.dumps(json.loads(body))] + [f"{n}: {v}" for n, v in headers]
    seen: set[str] = set()
    for text in texts:
        for token in TOKEN.findall(text.replace("\\/", "/")):
            for form in (token, unquote(token), unquote(unquote(token))):
                value = form.rstrip(".,")
                if value not in seen and _could_be_a_digest(value):
                    seen.add(value)
                    yield value


def _could_be_a_digest(value: str) -> bool:
    if re.fullmatch(r"[0-9a-fA-F]+", value) and len(value) // 2 in DIGEST_LENGTHS:
        return True
    padded = value + "=" * (-len(value) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except ValueError:
        return False
    return len(raw) in DIGEST_LENGTHS


WRONG = {
    "wrong secret": lambda n: _hand_signed(n, key="not-the-secret&"),
    "lower-case method": lambda n: _hand_signed(n, http_method="get"),
    "key without its '&'": lambda n: _hand_signed(n, key=DEMO_API_SECRET),
    "SHA-256 for HMAC-SHA1": lambda n: _hand_signed(n, hash_name="sha256"),
    "HMAC-SHA256 declared": lambda n: _hand_signed(
        n, method="HMAC-SHA256", hash_name="sha256", http_method="get"
    ),
}


@pytest.mark.parametrize("mistake", list(WRONG))
def test_no_value_in_a_401_gets_the_request_through(mistake: str) -> None:
    app = create_app(SandboxConfig(clock=lambda: float(NOW)))
    request = WRONG[mistake]("n-" + mistake.replace(" ", "-"))
    status, headers, body = _send(app, request)
    assert status == "401 Unauthorized"
    oauth = dict(_params("x", "HMAC-SHA1"))
    params = [(n, v) for n, v in _parse_header(request) if n != "oauth_signature"]
    assert oauth.keys() <= dict(params).keys()
    candidates = list(_signature_like(headers, body))
    for candidate in candidates:
        resent_status, _, _ = _send(app, _with_signature(params, candidate))
        assert resent_status != "200 OK", f"the 401 for {mistake!r} signed it: {candidate}"


def _parse_header(request: HttpRequest) -> list[tuple[str, str]]:
    header = request.header("Authorization") or ""
    return [(n, unquote(v)) for n, v in re.findall(r'(\w+)="([^"]*)"', header)]


@pytest.mark.parametrize("mistake", list(WRONG))
def test_the_secrets_length_and_key_appear_nowhere(mistake: str) -> None:
    app = create_app(SandboxConfig(clock=lambda: float(NOW)))
    _, headers, body = _send(app, WRONG[mistake]("len-" + mistake.replace(" ", "-")))
    everything = body + "\n".join(f"{n}: {v}" for n, v in headers)
    assert DEMO_API_SECRET not in everything and _enc(DEMO_API_SECRET) not in everything
    assert not re.search(rf"\b{len(DEMO_API_SECRET)} chars?\b", everything)
    assert "chars>" not in everything
    diagnosis = json.loads(body)["diagnosis"]
    assert diagnosis["expected"] is not None
    assert not {"signing_key", "digest_hex", "signature", "authorization_header"} & set(
        diagnosis["expected"]
    )


def test_the_401_still_names_the_mistake_and_shows_both_base_strings() -> None:
    app = create_app(SandboxConfig(clock=lambda: float(NOW)))
    request = _hand_signed("n-named", http_method="get")
    _, _, body = _send(app, request)
    diagnosis = json.loads(body)["diagnosis"]
    assert diagnosis["verdict"] == "explained"
    assert diagnosis["mistakes"] == ["method-lowercase"]
    right = prepare(request).parts.joined()
    assert diagnosis["base_string"] == right == diagnosis["expected"]["base_string"]
    rows = {row["label"]: row for row in diagnosis["reproduced"]}
    assert set(rows) == {"base string"}
    assert rows["base string"]["right"] == right
    assert rows["base string"]["wrong"] == "get" + right[len("GET") :]
    told = diagnosis["explanation"][0]
    assert told["id"] == "method-lowercase" and told["fix"]["vba"]
    assert [row["label"] for row in told["comparisons"]] == ["base string"]
    assert "not sent to the client" in diagnosis["withheld"]


def test_the_full_diagnosis_still_shows_the_right_signature_to_the_secrets_holder() -> None:
    # The client view is a view: `oauth-debug diagnose` (to_dict) keeps every value.
    from oauth_debug import diagnose

    request = _hand_signed("n-full", http_method="get")
    result = diagnose(request, Credentials(DEMO_API_KEY, Secret(DEMO_API_SECRET)), now=NOW)
    assert result.expected is not None
    assert result.to_dict()["expected"]["signature"] == result.expected.signature
    assert result.expected.signature not in json.dumps(for_client(result))


@pytest.mark.parametrize("secret", ["with space", "bang!", "pl+us&amp", "plain"])
def test_the_considered_list_does_not_depend_on_the_secret(secret: str) -> None:
    # Which mistakes apply can hang on the secret's characters (a space, "!", "&"): the client
    # view lists only what the request decides, so it is the same for every secret.
    config = SandboxConfig(clock=lambda: float(NOW), api_secret=secret)
    app = create_app(config)
    _, _, body = _send(app, _hand_signed("n-considered", key="not-it&"))
    search = json.loads(body)["diagnosis"]["search"]
    plain_app = create_app(SandboxConfig(clock=lambda: float(NOW), api_secret="plain"))
    _, _, plain = _send(plain_app, _hand_signed("n-considered", key="not-it&"))
    assert search == json.loads(plain)["diagnosis"]["search"]
    assert search["combinations_tried"] is None
    assert "method-lowercase" in search["considered"]


def test_a_body_changed_after_signing_is_named_and_nothing_signs_it() -> None:
    app = create_app(SandboxConfig(clock=lambda: float(NOW)))
    url = f"http://sandbox.test/gallery/api/v1/workflows/{WORKFLOWS[0].id}/jobs/"
    data = {"questions": [], "priority": "0"}
    request = HttpRequest("POST", url, {"Content-Type": "application/json"}, json.dumps(data))
    trace = sign_at(request, Credentials(DEMO_API_KEY, DEMO_API_SECRET), timestamp=NOW, nonce="b1")
    assert trace.signed_request is not None
    sent = trace.signed_request.replace(body=json.dumps(data, separators=(",", ":")))
    status, _headers, body = _send(app, sent)
    assert status == "401 Unauthorized"
    diagnosis = json.loads(body)["diagnosis"]
    assert diagnosis["refused_because"]["check"] == "body-hash"
    assert diagnosis["mistakes"] == ["body-hash-mismatch"]
    assert "sent compact" in diagnosis["explanation"][0]["variant"]
    assert "signature" not in diagnosis["expected"]


def test_a_refusal_carries_the_request_id_of_its_record_and_log_line() -> None:
    from oauth_debug.sandbox import create_app
    from oauth_debug.sandbox.classroom import MemoryRequestLog

    log = MemoryRequestLog()
    app = create_app(request_log=log)
    seen: dict[str, object] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": "/gallery/api/v1/workflows/subscription/",
        "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
        "wsgi.url_scheme": "http", "wsgi.input": __import__("io").BytesIO(b""),
        "HTTP_AUTHORIZATION": 'OAuth oauth_consumer_key="demo-key", oauth_signature="x"',
    }  # fmt: skip
    b"".join(app(environ, start_response))
    assert str(seen["status"]).startswith("401")
    headers = seen["headers"]
    assert isinstance(headers, dict)
    (record,) = log.recent()
    assert headers.get("X-Request-Id") == record.request_id != ""
