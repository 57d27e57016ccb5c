"""The diagnosis explains the mismatch it is handed instead of computing it again, and takes its
redaction marker from the core."""

from __future__ import annotations

import ast
import base64
import hmac
from pathlib import Path
from urllib.parse import quote

import pytest

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.diagnosis import diagnose, engine
from oauth_debug.errors import InvalidOptionError, SignatureMismatch
from oauth_debug.sandbox.auth import AuthFailure, SandboxVerifier
from oauth_debug.sandbox.config import SandboxConfig
from oauth_debug.sandbox.diagnosis import diagnosis_for
from oauth_debug.server import MemoryNonces
from oauth_debug.verify import verify

CREDS = Credentials("dpf43f3p2l4k3l03", "kd94hf93k423kf44", token="nnch734d00sl2jdk")
NOW = 1191242100


def _signed_lowercase_get(creds: Credentials = CREDS, timestamp: int = 1191242096) -> HttpRequest:
    """Signed with the method lower-cased in the base string (method-lowercase), sent as GET."""
    request = HttpRequest("GET", "http://photos.example.net/photos?size=original&file=vacation.jpg")
    trace = sign_at(request, creds, timestamp=timestamp, nonce="kllo9940pd9333jh")
    assert trace.signed_request is not None and trace.base_string.startswith("GET&")
    key = f"{creds.consumer_secret.reveal()}&{creds.token_secret.reveal()}".encode()
    wrong = hmac.digest(key, ("get" + trace.base_string[3:]).encode(), "sha1")
    signature = quote(base64.b64encode(wrong).decode(), safe="")
    header = trace.signed_request.header("Authorization")
    assert header is not None
    start = header.index('oauth_signature="') + len('oauth_signature="')
    end = header.index('"', start)
    return trace.signed_request.with_header(
        "Authorization", header[:start] + signature + header[end:]
    )


def _mismatch(request: HttpRequest, creds: Credentials = CREDS) -> SignatureMismatch:
    with pytest.raises(SignatureMismatch) as caught:
        verify(request, creds)
    return caught.value


def _no_compute(*_args: object, **_kwargs: object) -> object:
    raise AssertionError("the diagnosis recomputed the signature it was handed")


def test_diagnose_explains_the_mismatch_it_is_given_without_recomputing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request = _signed_lowercase_get()
    error = _mismatch(request)
    fresh = diagnose(request, CREDS, now=NOW).to_dict()
    monkeypatch.setattr(engine, "compute", _no_compute)
    given = diagnose(request, CREDS, now=NOW, mismatch=error)
    assert given.verdict == "explained" and given.mistakes == ("method-lowercase",)
    assert given.expected is error.trace
    assert given.to_dict() == fresh
    assert diagnose(request, CREDS, now=NOW, mismatch=error.trace).to_dict() == fresh


def test_a_mismatch_of_another_request_is_refused() -> None:
    other = _mismatch(_signed_lowercase_get(timestamp=1191242097))
    with pytest.raises(InvalidOptionError, match="another request"):
        diagnose(_signed_lowercase_get(), CREDS, now=NOW, mismatch=other)
    with pytest.raises(InvalidOptionError, match="SignatureMismatch or a SigningTrace"):
        diagnose(_signed_lowercase_get(), CREDS, now=NOW, mismatch="wrong")  # type: ignore[arg-type]


def test_the_sandbox_shows_the_verifiers_diagnosis_without_diagnosing_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = SandboxConfig(clock=lambda: NOW)
    creds = config.credentials
    request = _signed_lowercase_get(creds, timestamp=NOW)
    failure = SandboxVerifier(config, MemoryNonces()).check(request)
    assert isinstance(failure, AuthFailure) and failure.reason == "signature"
    assert failure.diagnosis is not None and failure.diagnosis.mistakes == ("method-lowercase",)
    expected = diagnosis_for(failure)
    monkeypatch.setattr(engine, "compute", _no_compute)
    monkeypatch.setattr(engine, "diagnose", _no_compute)
    document = diagnosis_for(failure)
    assert document == expected
    assert document["verdict"] == "explained" and document["mistakes"] == ["method-lowercase"]
    assert document["refused_because"]["check"] == "signature"


def test_the_failure_does_not_show_the_diagnosis() -> None:
    config = SandboxConfig(clock=lambda: NOW)
    request = _signed_lowercase_get(config.credentials, timestamp=NOW)
    failure = SandboxVerifier(config, MemoryNonces()).check(request)
    assert isinstance(failure, AuthFailure) and failure.diagnosis is not None
    assert "diagnosis" not in repr(failure) and "method-lowercase" not in repr(failure)
    assert failure == AuthFailure(
        "signature",
        failure.message,
        consumer_key=failure.consumer_key,
        request_id=failure.request_id,
    )


@pytest.mark.parametrize("module", ["engine", "explain", "search", "catalog", "public"])
def test_the_diagnosis_takes_redacted_from_the_core(module: str) -> None:
    path = Path(engine.__file__).with_name(f"{module}.py")
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and any(a.name == "REDACTED" for a in node.names):
            assert node.module == "redact" and node.level == 2, f"{module}: {node.module}"


def test_the_stages_are_read_from_the_recipe_fields_own_metadata() -> None:
    from dataclasses import fields

    from oauth_debug.diagnosis.search import OUTPUT_FIELDS, STAGE_FIELDS
    from oauth_debug.recipe import STAGES, Recipe, stage_fields

    declared = {f.name: f.metadata["stages"] for f in fields(Recipe)}
    assert all(stages and set(stages) <= set(STAGES) for stages in declared.values())
    assert stage_fields()["output"] == OUTPUT_FIELDS == {"digest_encoding", "transport"}
    for stage, names in STAGE_FIELDS.items():
        assert names == {name for name, stages in declared.items() if stage in stages}
    # The encoder's fields are read wherever text is percent-encoded (3.6), and nowhere else.
    assert {n for n, s in declared.items() if len(s) > 1} == {
        "lowercase_hex", "space_as_plus", "keep_reserved"
    }  # fmt: skip
    assert declared["keep_reserved"] == ("uri", "params", "key")
