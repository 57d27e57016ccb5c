"""The explainer's JSON API answers exactly what the CLI prints with --format json; bad input is a
400 with {"error"}; the page escapes request text, never echoes a secret, and sends its CSP."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
import typer
from conftest import signed_request
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner
from web_client import NOW, call, post_form, post_json

from oauth_debug import Credentials, HttpRequest
from oauth_debug.cli.app import app as cli_app
from oauth_debug.diagnosis.catalog import CATALOG
from oauth_debug.trace import BaseStringParts
from oauth_debug.web.presets import RFC_BODY, RFC_FORM, RFC_URL, all_presets, preset
from oauth_debug.web.view import base_string_pieces

runner = CliRunner()
SECRET = "Xy7-web-consumer-s3cret"
TOKEN_SECRET = "Qz9-web-token-s3cret"
CREDS = Credentials("web-key", SECRET, token="web-token", token_secret=TOKEN_SECRET)
URL = "https://api.example.com/v1/items?q=blue%20shoes&limit=5"


def cli_json(*args: str) -> dict[str, object]:
    result = runner.invoke(cli_app, list(args))
    assert result.exit_code in (0, 1), result.output
    document: dict[str, object] = json.loads(result.stdout)
    return document


def signed(placement: str = "header", secret: str = SECRET) -> HttpRequest:
    return signed_request(
        HttpRequest("GET", URL),
        Credentials("web-key", secret, token="web-token", token_secret=TOKEN_SECRET),
        timestamp=int(NOW) - 10,
        nonce="abc123",
        placement=placement,
    )


def curl(request: HttpRequest) -> str:
    words = ["curl", request.url]
    for name, value in request.headers:
        words += ["-H", f"{name}: {value}"]
    return shlex.join(words)


@pytest.mark.parametrize("wrong_secret", [False, True], ids=["valid", "wrong-secret"])
def test_diagnose_api_is_the_cli_json_for_a_curl_line(wrong_secret: bool) -> None:
    text = curl(signed(secret="not-the-secret" if wrong_secret else SECRET))
    api = post_json(
        "/api/diagnose",
        {"input": text, "consumer_secret": SECRET, "token_secret": TOKEN_SECRET, "now": NOW},
    )
    assert api.status == 200
    cli = cli_json("diagnose", "--curl", text, "--consumer-secret", SECRET, "--token-secret",
                   TOKEN_SECRET, "--now", str(NOW), "--format", "json")  # fmt: skip
    assert api.json() == cli
    assert api.json()["verdict"] == ("unexplained" if wrong_secret else "valid")


def test_diagnose_api_is_the_cli_json_for_a_mistake_preset_and_a_signed_url() -> None:
    chosen = preset("params-unsorted")
    assert chosen is not None
    fields = {"input": chosen.request, "consumer_secret": chosen.consumer_secret,
              "token_secret": chosen.token_secret, "now": chosen.now}  # fmt: skip
    cli = cli_json("diagnose", "--curl", chosen.request, "--consumer-secret",
                   chosen.consumer_secret, "--token-secret", chosen.token_secret, "--now",
                   chosen.now, "--format", "json")  # fmt: skip
    assert post_json("/api/diagnose", fields).json() == cli
    assert cli["mistakes"] == ["params-unsorted"]
    url = signed("query").url
    cli = cli_json("diagnose", "--url", url, "--consumer-secret", SECRET, "--token-secret",
                   TOKEN_SECRET, "--now", str(NOW), "--format", "json")  # fmt: skip
    # The form's own fields work as the JSON object does.
    form = post_form("/api/diagnose", {"input": url, "consumer_secret": SECRET,
                                       "token_secret": TOKEN_SECRET, "now": str(NOW)})  # fmt: skip
    assert form.json() == cli


def test_json_sent_the_way_curl_d_sends_it_is_read_as_json() -> None:
    # curl -d '{...}' says Content-Type: application/x-www-form-urlencoded.
    body = json.dumps({"input": signed("query").url, "consumer_secret": SECRET,
                       "token_secret": TOKEN_SECRET, "now": NOW}).encode()  # fmt: skip
    reply = call("POST", "/api/diagnose", body, "application/x-www-form-urlencoded")
    assert reply.status == 200
    assert reply.json()["verdict"] == "valid"


def test_explain_api_is_the_cli_json_for_the_rfc_example() -> None:
    rfc = preset("rfc5849")
    assert rfc is not None
    api = post_json("/api/explain", {"input": rfc.request, "consumer_secret": rfc.consumer_secret,
                                     "token_secret": rfc.token_secret})  # fmt: skip
    cli = cli_json("explain", "POST", RFC_URL, "-H", f"Content-Type: {RFC_FORM}", "--data",
                   RFC_BODY, "--consumer-key", "9djdj82h48djs9d2", "--consumer-secret",
                   "j49sk3j29djd", "--token", "kkk9d7dh3k39sjv7", "--token-secret",
                   "dh893hdasih9", "--timestamp", "137131201", "--nonce", "7d8f3e4a",
                   "--realm", "Example", "--no-version", "--format", "json")  # fmt: skip
    assert api.status == 200
    assert api.json() == cli
    assert api.json()["signature"] == "r6/TJjbCOr97/+UU0NsvSne7s5g="


def test_explain_api_signs_an_unsigned_url_with_the_form_fields_as_the_cli_does() -> None:
    fields = {"input": URL, "consumer_key": "k1", "consumer_secret": SECRET, "timestamp": "1234",
              "nonce": "n1", "placement": "query"}  # fmt: skip
    cli = cli_json("explain", "GET", URL, "--consumer-key", "k1", "--consumer-secret", SECRET,
                   "--timestamp", "1234", "--nonce", "n1", "--placement", "query",
                   "--format", "json")  # fmt: skip
    assert post_json("/api/explain", fields).json() == cli


def test_explain_api_for_a_signed_request_is_the_right_signature_of_that_request() -> None:
    # Sent with a wrong secret: explain shows the steps as they should have been.
    right = signed()
    wrong = signed(secret="not-the-secret")
    answer = post_json("/api/explain", {"input": curl(wrong), "consumer_secret": SECRET,
                                        "token_secret": TOKEN_SECRET}).json()  # fmt: skip
    assert answer["authorization_header"] == right.header("Authorization")


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ({"input": ""}, "paste a request"),
        ({"input": "hello world"}, "does not look like a request"),
        ({"input": URL, "now": "soon"}, "now must be a number"),
        ({"input": URL, "consumer_secret": 5.5j}, "consumer_secret must be text"),
        ({"input": URL, "provider": "twitter"}, "unknown provider"),
        ({"input": 'Authorization: OAuth oauth_consumer_key="k"'}, "give the URL"),
        ([1, 2], "JSON object"),
    ],
)
def test_bad_input_is_a_400_with_the_message(document: object, says: str) -> None:
    if isinstance(document, dict) and isinstance(document.get("consumer_secret"), complex):
        reply = call("POST", "/api/diagnose", b'{"input": "x", "consumer_secret": [1]}',
                     "application/json")  # fmt: skip
        says = "consumer_secret must be text"
    else:
        reply = post_json("/api/diagnose", document)
    assert reply.status == 400
    assert says in reply.json()["error"]
    assert list(reply.json()) == ["error"]


def test_a_curl_line_cannot_make_the_server_read_a_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text("file-content-never-read")
    reply = post_json("/api/diagnose", {"input": f"curl https://h/p -d @{secret_file}"})
    assert reply.status == 200
    assert "file-content-never-read" not in reply.text
    assert any("was not read" in note for note in reply.json()["input"]["notes"])


def test_not_json_and_wrong_method_and_unknown_path() -> None:
    assert call("POST", "/api/explain", b"{nope", "application/json").status == 400
    assert call("GET", "/api/explain").status == 405
    assert call("GET", "/nothing").status == 404
    assert call("GET", "/", query="preset=no-such").status == 404


def test_every_answer_carries_the_content_security_policy() -> None:
    for reply in (call("GET", "/"), call("GET", "/static/app.js"), post_json("/api/explain", {})):
        assert reply.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert reply.headers["Cache-Control"] == "no-store"
        assert reply.headers["Referrer-Policy"] == "no-referrer"


def test_request_text_is_escaped_in_the_page() -> None:
    hostile = "https://api.example.com/x?q=<script>alert(1)</script>&oauth_consumer_key=<b>k</b>"
    reply = post_form("/", {"request": hostile, "consumer_secret": SECRET})
    assert reply.status == 200
    assert "<script>alert(1)" not in reply.text
    assert "<b>k</b>" not in reply.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reply.text


def test_the_answer_page_never_holds_the_secrets() -> None:
    request = curl(signed(secret="not-the-secret"))
    for path in ("/", "/fragment"):
        reply = post_form(path, {"request": request, "consumer_secret": SECRET,
                                 "token_secret": TOKEN_SECRET, "now": str(NOW)})  # fmt: skip
        assert 'data-mistake="' in reply.text or "unexplained" in reply.text
        assert SECRET not in reply.text
        assert TOKEN_SECRET not in reply.text


def test_a_secret_in_the_page_url_is_not_read() -> None:
    reply = call("GET", "/", query=f"consumer_secret={SECRET}&request=x")
    assert reply.status == 200
    assert SECRET not in reply.text


def test_mounted_under_a_prefix_the_page_links_under_it() -> None:
    reply = call("GET", "/", script_name="/explain")
    assert 'href="/explain/static/app.css"' in reply.text
    assert 'data-fragment="/explain/fragment"' in reply.text


def test_every_catalog_mistake_has_a_preset_that_the_page_names() -> None:
    ids = {p.mistake for p in all_presets() if p.mistake}
    assert ids == {m.id for m in CATALOG}
    for chosen in all_presets():
        reply = call("GET", "/", query=f"preset={chosen.id}")
        if chosen.mistake:
            assert f'data-mistake="{chosen.mistake}"' in reply.text, chosen.id
    forum = call("GET", "/", query="preset=forum").text
    assert 'data-finding="copied-signed-url"' in forum
    assert 'class="verdict">valid<' in call("GET", "/", query="preset=rfc5849").text


@given(
    method=st.sampled_from(["GET", "POST"]),
    uri=st.text(alphabet="abc%26%3D/:.", max_size=30),
    parameters=st.text(alphabet="abc%2635D=&", max_size=60),
)
def test_base_string_pieces_rejoin_and_only_two_separators_are_raw(
    method: str, uri: str, parameters: str
) -> None:
    parts = BaseStringParts(method, uri, parameters)
    pieces = base_string_pieces(parts)
    assert "".join(p.text for p in pieces) == parts.joined()
    assert [p.text for p in pieces if p.kind == "sep"] == ["&", "&"]
    for piece in pieces:
        if piece.kind == "enc":
            assert piece.text in ("%26", "%3D")
        elif piece.kind in ("uri", "params"):
            assert "%26" not in piece.text and "%3D" not in piece.text


def test_web_command_registers_with_its_options() -> None:
    from oauth_debug.cli.web_commands import register

    holder = typer.Typer()
    register(holder)

    @holder.command("other")
    def other() -> None:  # a second command keeps typer from flattening "web" into the app
        pass

    result = runner.invoke(holder, ["web", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--open"):
        assert option in result.output


@pytest.mark.parametrize("provider", ["netsuite", "mastercard"])
def test_diagnose_api_with_a_provider_is_the_cli_json_with_that_provider(provider: str) -> None:
    text = curl(signed())
    fields = {"input": text, "consumer_secret": SECRET, "token_secret": TOKEN_SECRET, "now": NOW,
              "provider": provider}  # fmt: skip
    api = post_json("/api/diagnose", fields)
    assert api.status == 200
    cli = cli_json("diagnose", "--curl", text, "--consumer-secret", SECRET, "--token-secret",
                   TOKEN_SECRET, "--now", str(NOW), "--format", "json",
                   "--provider", provider)  # fmt: skip
    assert api.json() == cli
    # The profile speaks: its first finding says which one applied.
    ids = [finding["id"] for finding in cli["findings"]]  # type: ignore[index]
    assert any(provider in str(finding).lower() for finding in cli["findings"]), ids  # type: ignore[union-attr]


def test_an_unknown_provider_is_refused_naming_the_known_ones() -> None:
    api = post_json("/api/diagnose", {"input": curl(signed()), "provider": "no-such-api"})
    assert api.status == 400
    assert "netsuite" in api.json()["error"]


def test_the_parameters_field_adds_each_line_to_the_query_encoded_as_a_client_would() -> None:
    fields = {"input": "https://api.example.com/v1/items?q=1",
              "parameters": "name=blue shoes\nx=a&b", "consumer_key": "web-key",
              "consumer_secret": SECRET, "timestamp": "137131201", "nonce": "n"}  # fmt: skip
    api = post_json("/api/explain", fields)
    assert api.status == 200, api.json()
    query = [(p["name"], p["value"]) for p in api.json()["parameters"] if p["source"] == "query"]
    assert query == [("q", "1"), ("name", "blue shoes"), ("x", "a&b")]


def test_the_page_offers_every_provider_profile() -> None:
    from oauth_debug.diagnosis.providers import names

    page = call("GET", "/")
    assert page.status == 200
    body = page.text
    assert 'name="parameters"' in body
    for name in names():
        assert f'<option value="{name}"' in body
