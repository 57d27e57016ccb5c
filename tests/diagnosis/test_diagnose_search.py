"""The search and the library function: verdicts, fewest mistakes first, ambiguity, no false
explanation, the forum seed case, the server's answer, and the lazy public exports."""

from __future__ import annotations

import base64
import importlib
import json
import subprocess
import sys
from dataclasses import replace

from conftest import signed_request
from hypothesis import given, settings
from hypothesis import strategies as st

import oauth_debug
from oauth_debug import RFC, Credentials, HttpRequest, sign_at
from oauth_debug.diagnosis import Diagnosis, diagnose
from oauth_debug.diagnosis.catalog import BY_ID, CATALOG, context_of, recipe_of
from oauth_debug.diagnosis.search import OUTPUT_FIELDS, STAGE_FIELDS, recipe_fields, search
from oauth_debug.signer import compute

SECRET = "kd94hf93k423kf44"
CREDS = Credentials("dpf43f3p2l4k3l03", SECRET)
FORM = "application/x-www-form-urlencoded"


def signed(
    url: str = "http://photos.example.net/photos?size=original&file=vacation.jpg",
    method: str = "GET",
    placement: str = "header",
    timestamp: int = 1191242096,
    creds: Credentials = CREDS,
) -> HttpRequest:
    return signed_request(
        HttpRequest(method, url), creds, timestamp=timestamp, nonce="kllo9940pd9333jh",
        placement=placement,
    )  # fmt: skip


def with_signature(request: HttpRequest, signature: str) -> HttpRequest:
    """The same header-signed request carrying another oauth_signature."""
    header = request.header("Authorization")
    assert header is not None
    start = header.index('oauth_signature="') + len('oauth_signature="')
    end = header.index('"', start)
    encoded = signature.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    return request.with_header("Authorization", header[:start] + encoded + header[end:])


# --- verdicts -----------------------------------------------------------------------------------


def test_correct_signature_is_valid_with_no_mistakes() -> None:
    result = diagnose(signed(), CREDS, now=1191242100)
    assert result.verdict == "valid"
    assert result.mistakes == () and result.candidates == ()
    assert result.ok
    assert result.expected is not None and result.expected.signature == result.claimed_signature


def test_unsigned_request() -> None:
    result = diagnose(HttpRequest("GET", "http://photos.example.net/photos"), CREDS)
    assert result.verdict == "unsigned"
    assert result.expected is None and not result.ok


def test_no_secret_means_unchecked_but_the_base_string_is_there() -> None:
    result = diagnose(signed(), None, now=1191242100)
    assert result.verdict == "unchecked"
    assert result.base_string is not None
    assert result.base_string.startswith("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3D")
    assert result.to_dict()["expected"] is None


def test_duplicate_oauth_parameter_is_unchecked_with_its_finding() -> None:
    request = signed()
    request = request.replace(url=request.url + "&oauth_nonce=again")
    result = diagnose(request, CREDS, now=1191242100)
    assert result.verdict == "unchecked"
    assert "duplicate-oauth-parameter" in [f.id for f in result.findings]


# --- the forum seed: valid for its URL, and stale -----------------------------------------------


SEED_URL = "http://dminform:80/gallery/api/v1/workflows/wf1/jobs/"
SEED_NOW = 1700000000.0  # five years after the docs signed it (2018-10-17)


def seed_request() -> HttpRequest:
    return signed(url=SEED_URL, method="POST", placement="query", timestamp=1539784724)


def test_seed_valid_but_stale_with_the_secret() -> None:
    result = diagnose(seed_request(), CREDS, now=SEED_NOW)
    assert result.verdict == "valid"
    ids = [f.id for f in result.findings]
    assert "timestamp-stale" in ids and "copied-signed-url" in ids
    copied = next(f for f in result.findings if f.id == "copied-signed-url")
    assert "valid for this URL" in copied.message
    assert not result.ok  # the server still refuses it: exit code 1
    assert "the server will still refuse it" in result.summary


def test_seed_without_the_secret_says_the_same_about_time() -> None:
    result = diagnose(seed_request(), None, now=SEED_NOW)
    assert result.verdict == "unchecked"
    ids = [f.id for f in result.findings]
    assert "timestamp-stale" in ids and "copied-signed-url" in ids


def test_seed_response_date_feeds_the_skew_check() -> None:
    answer = (
        "HTTP/1.1 401 Unauthorized\r\nDate: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
        "Content-Type: application/json\r\n\r\n"
        '{"message":"The provided signature(oauth_signature) is invalid.",'
        '"exceptionName":"UnauthorizedException","data":null,"innerExceptionMessage":""}'
    )
    result = diagnose(seed_request(), CREDS, response=answer)
    ids = [f.id for f in result.findings]
    assert "timestamp-stale" in ids and "alteryx-unauthorized" in ids
    assert result.response is not None and result.response.status == 401
    assert result.to_dict()["response"]["status"] == 401


def test_server_expected_base_string_is_compared_with_ours() -> None:
    request = signed()
    assert request.header("Authorization") is not None
    ours = compute(request, CREDS, "HMAC-SHA1").base_string
    theirs = ours.replace("GET&", "POST&", 1)
    answer = f"HTTP/1.1 401 Unauthorized\n\nsignature_invalid, expected base string: {theirs}\n"
    result = diagnose(request, CREDS, now=1191242100, response=answer)
    assert result.server_diff is not None
    assert not result.server_diff.identical
    assert "method" in result.server_diff.summary


# --- the search ---------------------------------------------------------------------------------


def test_fewest_mistakes_win_and_ambiguity_is_said() -> None:
    # Without a token secret, "bare consumer secret" is key-missing-ampersand; nothing else in the
    # catalog gives that key, so the answer is single and unambiguous.
    request = signed()
    wrong = compute(request, CREDS, "HMAC-SHA1", replace(RFC, key_ampersand=False)).signature
    result = diagnose(with_signature(request, wrong), CREDS)
    assert result.mistakes == ("key-missing-ampersand",)
    assert not result.ambiguous


def test_a_no_op_mistake_never_joins_an_explanation() -> None:
    # With the URI left unencoded there is no hex left to lower-case: "uri-not-encoded +
    # lowercase-hex" gives the same signature as the single, and must not be offered.
    request = signed(url="http://photos.example.net/photos")
    wrong = compute(request, CREDS, "HMAC-SHA1", replace(RFC, uri_encoding="none")).signature
    result = diagnose(with_signature(request, wrong), CREDS)
    assert result.mistakes == ("uri-not-encoded",)
    assert result.candidates == ()


def test_ambiguous_when_two_mistakes_give_the_same_signature() -> None:
    # The only query parameter is empty: leaving the query out and dropping empty parameters
    # sign the same thing, so both are named, the first as best and the other as candidate.
    request = signed(url="http://photos.example.net/photos?filter=")
    wrong = compute(request, CREDS, "HMAC-SHA1", replace(RFC, drop_empty=True)).signature
    result = diagnose(with_signature(request, wrong), CREDS)
    assert result.ambiguous
    assert {result.mistakes, *result.candidates} == {
        ("query-params-omitted",),
        ("empty-params-dropped",),
    }
    assert result.to_dict()["ambiguous"] is True


def test_output_mistakes_are_read_back_not_enumerated() -> None:
    request = signed()
    right = compute(request, CREDS, "HMAC-SHA1")
    hexed = right.digest.hex()
    found = search(with_signature(request, hexed), CREDS, hexed, signature_method="HMAC-SHA1")
    assert [e.ids for e in found.explanations] == [("hex-digest",)]
    # Found among singles: the RFC computation read back through hex, and no pair was tried.
    assert found.combinations_tried < 50


def test_mistakes_touching_the_same_field_never_combine() -> None:
    request = signed()
    result = search(request, CREDS, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=", signature_method="HMAC-SHA1")
    assert result.explanations == ()
    assert "uri-not-encoded" in result.considered and "uri-slashes-not-encoded" in result.considered


def test_inapplicable_mistakes_are_skipped() -> None:
    context = context_of(signed(url="http://photos.example.net/photos"), CREDS, "HMAC-SHA1",
                         "header", None)  # fmt: skip
    applicable = {m.id for m in CATALOG if m.variants(context)}
    for skipped in (
        "port-dropped", "query-params-omitted", "query-in-base-uri", "reserved-not-encoded",
        "plus-for-space", "empty-params-dropped", "body-params-omitted", "realm-included",
        "key-not-encoded", "signature-not-percent-encoded", "body-signed-as-params",
    ):  # fmt: skip
        assert skipped not in applicable
    assert {"method-lowercase", "uri-slashes-not-encoded", "wrong-hash"} <= applicable


def test_every_recipe_field_belongs_to_exactly_one_stage_or_the_output() -> None:
    encoder = {"lowercase_hex", "space_as_plus", "keep_reserved"}
    seen: list[str] = []
    for names in STAGE_FIELDS.values():
        seen += [name for name in names if name not in encoder]
    seen += list(OUTPUT_FIELDS) + sorted(encoder)
    assert sorted(seen) == sorted(recipe_fields())


def test_rsa_signature_that_opens_to_no_hash_is_unexplained(rsa_key: str) -> None:
    creds = Credentials("dpf43f3p2l4k3l03", rsa_key=rsa_key)
    trace = sign_at(HttpRequest("GET", "http://photos.example.net/photos"), creds,
                    timestamp=1191242096, nonce="n", signature_method="RSA-SHA1")  # fmt: skip
    assert trace.signed_request is not None
    assert diagnose(trace.signed_request, creds, now=1191242100).verdict == "valid"
    broken = with_signature(trace.signed_request, base64.b64encode(b"x" * 128).decode())
    result = diagnose(broken, creds, now=1191242100)
    assert result.verdict == "unexplained"
    assert any("RSA" in note for note in result.notes)


def test_plaintext_key_mistake_is_named_and_never_shown() -> None:
    trace = sign_at(HttpRequest("GET", "https://photos.example.net/initiate"), CREDS,
                    timestamp=1, nonce="n", signature_method="PLAINTEXT")  # fmt: skip
    assert trace.signed_request is not None
    request = with_signature(trace.signed_request, SECRET)  # the bare secret, no "&"
    result = diagnose(request, CREDS)
    assert result.mistakes == ("key-missing-ampersand",)
    assert SECRET not in json.dumps(result.to_dict())


# --- properties ---------------------------------------------------------------------------------

_text = st.text(st.characters(min_codepoint=32, max_codepoint=0x24F), max_size=8)


@settings(max_examples=25, deadline=None)
@given(
    params=st.lists(
        st.tuples(st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True), _text), max_size=4
    ),
    method=st.sampled_from(["GET", "POST", "DELETE"]),
    secret=_text.filter(bool),  # no secret at all is "unchecked", tested above
    token_secret=_text,
)
def test_a_correct_signature_is_always_valid(
    params: list[tuple[str, str]], method: str, secret: str, token_secret: str
) -> None:
    from urllib.parse import urlencode

    url = "https://api.example.com/v1/x" + ("?" + urlencode(params) if params else "")
    creds = Credentials("ck", secret, token="tk", token_secret=token_secret)
    trace = sign_at(HttpRequest(method, url), creds, timestamp=1700000000, nonce="n")
    assert trace.signed_request is not None
    result = diagnose(trace.signed_request, creds, now=1700000001)
    assert result.verdict == "valid"
    assert result.mistakes == ()


@settings(max_examples=10, deadline=None)
@given(digest=st.binary(min_size=20, max_size=20))
def test_a_random_signature_is_never_explained(digest: bytes) -> None:
    request = signed(url="http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b")
    claimed = base64.b64encode(digest).decode()
    result = diagnose(with_signature(request, claimed), CREDS)
    assert result.verdict == "unexplained"
    assert result.mistakes == () and result.explanation == ()
    assert result.combinations_tried > 1000  # every single, pair and triple was tried


# --- public API ---------------------------------------------------------------------------------


def test_library_exports_and_star_import_in_a_fresh_interpreter() -> None:
    code = (
        "import sys\n"
        "import oauth_debug\n"
        "assert 'oauth_debug.diagnosis' not in sys.modules\n"
        "assert not {'rich', 'typer', 'requests'} & set(sys.modules)\n"
        "from oauth_debug import *\n"
        "assert callable(diagnose) and diagnose.__name__ == 'diagnose', diagnose\n"
        "assert Diagnosis.__name__ == 'Diagnosis'\n"
        "import oauth_debug.diagnosis.catalog\n"
        "assert oauth_debug.diagnose is diagnose, 'the subpackage must not hide the function'\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ok", done.stderr


def test_the_function_is_reachable_after_a_submodule_was_imported() -> None:
    importlib.import_module("oauth_debug.diagnosis.catalog")  # binds .diagnosis, not .diagnose

    result = oauth_debug.diagnose(signed(), CREDS, now=1191242100)
    assert isinstance(result, Diagnosis) and result.verdict == "valid"
    assert oauth_debug.Diagnosis is Diagnosis


def test_to_dict_is_json_with_the_required_keys_and_no_secret() -> None:
    request = signed()
    wrong = compute(request, CREDS, "HMAC-SHA1", replace(RFC, method_case="lower")).signature
    document = diagnose(with_signature(request, wrong), CREDS, now=1191242100).to_dict()
    text = json.dumps(document)
    assert SECRET not in text
    assert {"verdict", "mistakes", "candidates", "findings", "expected"} <= set(document)
    assert document["verdict"] == "explained" and document["mistakes"] == ["method-lowercase"]
    assert document["expected"]["signing_key"].startswith("<consumer secret")
    comparison = document["explanation"][0]["comparisons"][0]
    assert comparison["label"] == "base string" and comparison["first_difference"] == 0


def test_a_diagnosis_renders_with_rich_and_as_markdown() -> None:
    from rich.console import Console

    from oauth_debug.render.diagnosis import diagnosis_renderable, diagnosis_to_markdown

    request = signed()
    wrong = compute(request, CREDS, "HMAC-SHA1", replace(RFC, port="always")).signature
    result = diagnose(with_signature(request, wrong), CREDS, now=1191242100)
    console = Console(record=True, width=120)
    # The value does not know its renderers (no import cycle): the render functions draw it.
    console.print(diagnosis_renderable(result))
    drawn = console.export_text()
    assert "default-port-kept" in drawn and "first difference" in drawn
    assert "http%3A%2F%2Fphotos.example.net%3A80%2Fphotos" in drawn
    markdown = diagnosis_to_markdown(result)
    assert markdown.startswith("### OAuth 1.0 diagnosis: explained")
    assert SECRET not in drawn + markdown


def test_recipe_of_applies_every_variant_once_and_nothing_is_the_rfc() -> None:
    assert recipe_of(()) is RFC
    context = context_of(signed(), CREDS, "HMAC-SHA1", "header", None)
    lower = BY_ID["method-lowercase"].variants(context)[0]
    hex_digest = BY_ID["hex-digest"].variants(context)[0]
    combined = recipe_of((lower, hex_digest))
    assert combined == hex_digest.apply(lower.apply())
    assert (combined.method_case, combined.digest_encoding) == ("lower", "hex")
