"""The explainer reads every kind of paste: a HAR file, a URL with the form's headers and body, an
RSA-signed request checked with a public key (steps from the diagnosis, no error page)."""

from __future__ import annotations

import json

from typer.testing import CliRunner
from web_client import NOW, post_form, post_json

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.cli.app import app as cli_app
from oauth_debug.web.har import from_har

SECRET = "har-consumer-s3cret"
URL = "https://api.example.com/v1/jobs/"
FORM = "application/x-www-form-urlencoded"


def _signed(secret: str, body: str | None = None) -> HttpRequest:
    request = HttpRequest("POST", URL, headers={"Content-Type": FORM}, body=body or "a=1&b=two")
    trace = sign_at(request, Credentials("har-key", secret), timestamp=int(NOW), nonce="h1")
    assert trace.signed_request is not None
    return trace.signed_request


def _har(*requests: HttpRequest) -> str:
    entries = [
        {
            "request": {
                "method": r.method,
                "url": r.url,
                "headers": [{"name": ":authority", "value": "api.example.com"}]
                + [{"name": n, "value": v} for n, v in r.headers],
                "postData": {"mimeType": FORM, "text": (r.body or b"").decode()},
            }
        }
        for r in requests
    ]
    return json.dumps({"log": {"version": "1.2", "entries": entries}})


def test_a_har_file_is_read_as_its_signed_request() -> None:
    unsigned = HttpRequest("GET", "https://api.example.com/favicon.ico")
    wrong = _signed("not-the-secret")
    parsed = from_har(_har(wrong, unsigned))
    assert parsed.kind == "har"
    assert parsed.request.header("Authorization") == wrong.header("Authorization")
    assert parsed.request.body == wrong.body
    assert parsed.notes[0] == "read entry 1 of the 2 requests in the HAR file"
    answer = post_json("/api/diagnose", {"input": _har(wrong, unsigned),
                                         "consumer_secret": SECRET, "now": NOW}).json()  # fmt: skip
    assert answer["verdict"] == "unexplained"
    assert answer["input"]["kind"] == "har"


def test_a_har_that_is_not_one_is_a_400() -> None:
    reply = post_json("/api/explain", {"input": '{"log": {"entries": "no"}}'})
    assert reply.status == 400
    assert "not a HAR file" in reply.json()["error"]


def test_a_url_with_the_form_headers_and_body_is_the_cli_url_with_h_and_data() -> None:
    signed = _signed(SECRET, "c=3")
    authorization = signed.header("Authorization")
    assert authorization is not None
    fields = {"input": URL, "method": "POST", "headers": f"Content-Type: {FORM}\n"
              f"Authorization: {authorization}", "body": "c=3", "consumer_secret": SECRET,
              "now": str(NOW)}  # fmt: skip
    api = post_form("/api/diagnose", fields)
    cli = CliRunner().invoke(cli_app, ["diagnose", "--url", URL, "-X", "POST", "-H",
                             f"Content-Type: {FORM}", "-H", f"Authorization: {authorization}",
                             "--data", "c=3", "--consumer-secret", SECRET, "--now", str(NOW),
                             "--format", "json"])  # fmt: skip
    assert api.json() == json.loads(cli.stdout)
    assert api.json()["verdict"] == "valid"


def test_an_rsa_request_checked_with_the_public_key_shows_the_diagnosis(rsa_key: str) -> None:
    from cryptography.hazmat.primitives import serialization

    private = serialization.load_pem_private_key(rsa_key.encode(), password=None)
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    trace = sign_at(HttpRequest("GET", URL), Credentials("rsa-key", rsa_key=rsa_key),
                    timestamp=int(NOW), nonce="r1", signature_method="RSA-SHA1")  # fmt: skip
    assert trace.signed_request is not None
    authorization = trace.signed_request.header("Authorization")
    page = post_form("/fragment", {"request": f"Authorization: {authorization}", "url": URL,
                                   "rsa_key": public.decode(), "now": str(NOW)}).text  # fmt: skip
    assert 'class="verdict">valid<' in page
    # Making a signature needs the private key: the page says so and still shows the check.
    assert 'role="alert">RSA-SHA1 signs with an unencrypted PEM private key' in page
    assert page.count('class="step"') == 9  # the steps of the check, from the diagnosis
    assert "BEGIN PUBLIC KEY" not in page
