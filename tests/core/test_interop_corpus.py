"""The interop corpus (vectors/interop/): well-formed, with provenance, and its verdicts true.

The files hold requests signed by independent OAuth 1.0a libraries (interop/generate.py made them;
this module installs nothing). Every request the corpus calls valid must verify with
oauth_debug.verify and with oauthlib; every one it calls wrong must fail both; and the quirk it
names for a wrong one must reproduce the library's signature (its base string too, where the
library exposes one), so the next catalog ids are tested on true labels.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from oauth_debug import SignatureMismatch
from oauth_debug.verify import verify  # the package's ``verify`` can be the submodule (see report)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "vectors" / "interop"
sys.path.insert(0, str(ROOT / "interop"))

import quirks  # noqa: E402 (interop/ is put on the path just above)
import reference  # noqa: E402

RSA_PEM = (ROOT / "vectors" / "keys" / "oauth-wiki-rsa-test-key.pem").read_text(encoding="utf-8")

# The issue-10 ids, the existing catalog ids the corpus uses, and the ones it proposes.
KNOWN_IDS = {
    "duplicates-collapsed",
    "duplicates-indexed",
    "params-not-decoded",
    "plus-not-decoded",
    "utf8-double-encoded",
    "params-sorted-by-name-only",
    "url-requoted-after-signing",
    "params-unsorted",
    "query-in-base-uri",
    "host-case-kept",
    "default-port-kept",
    "query-params-omitted",
    "body-params-omitted",
    "key-not-encoded",
    "params-sorted-as-strings",
    "params-sorted-before-encoding",
    "params-decoded-twice",
}
EXPECTED_LIBRARIES = {
    "oauthlib",
    "authlib",
    "oauth2",
    "rauth",
    "oauth-1.0a",
    "oauth",
    "oauth-sign",
    "ruby-oauth",
    "net-oauth",
    "pecl-oauth",
    "liboauth",
}


def _documents() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.json"))]


DOCUMENTS = _documents()
SIGNED = [
    pytest.param(doc["library"]["name"], entry, id=f"{doc['library']['name']}/{entry['id']}")
    for doc in DOCUMENTS
    for entry in doc["requests"]
    if "sent" in entry
]


def _rsa(entry: dict[str, Any]) -> str | None:
    return RSA_PEM if entry["signature_method"].startswith("RSA") else None


def test_one_file_per_library_with_its_name() -> None:
    names = {doc["library"]["name"] for doc in DOCUMENTS}
    assert names == EXPECTED_LIBRARIES
    for path in CORPUS.glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        assert path.stem == document["library"]["name"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d["library"]["name"])
def test_file_is_well_formed_with_provenance(document: dict[str, Any]) -> None:
    assert document["schema"] == "oauth-debug-interop/1"
    library = document["library"]
    for field in ("name", "version", "ecosystem", "package", "language", "installed_with"):
        assert isinstance(library[field], str) and library[field], field
    assert library["ecosystem"] in {"PyPI", "npm", "Debian"}
    assert (ROOT / library["signer"].split()[0]).is_file()
    provenance = document["provenance"]
    datetime.date.fromisoformat(provenance["generated"])
    assert provenance["command"] == "python3 interop/generate.py"
    assert (ROOT / provenance["rsa_key"]).is_file()
    assert len(provenance["reference"]["oauth_debug_commit"]) == 40
    ids = [entry["id"] for entry in document["requests"]]
    assert len(ids) == len(set(ids))
    signed = [e for e in document["requests"] if "sent" in e]
    summary = document["summary"]
    assert summary["cases"] == len(ids)
    assert summary["signed"] == len(signed)
    assert summary["not_signed"] == sum("not_signed" in e for e in document["requests"])
    for verdict in ("valid", "wrong", "refused"):
        assert summary[verdict] == sum(e["verdict"] == verdict for e in signed)
    for entry in document["requests"]:
        assert set(entry["given"]) == {"method", "url", "content_type", "body"}
        assert set(entry["credentials"]) == {
            "consumer_key",
            "consumer_secret",
            "token",
            "token_secret",
        }
        if "sent" not in entry:
            assert isinstance(entry["not_signed"], str) and entry["not_signed"]
            continue
        sent = entry["sent"]
        assert set(sent) == {"method", "url", "headers", "body"}
        assert all(len(header) == 2 for header in sent["headers"])
        assert entry["timestamp_nonce"].startswith(("fixed", "read back"))
        assert entry["verdict"] in {"valid", "wrong", "refused"}
        assert entry["reference"]["oauth_debug"]["verdict"] == entry["verdict"]
        assert entry["reference"]["oauthlib"]["verdict"] in {"valid", "wrong", "refused"}
        assert ("quirk" in entry) == (entry["verdict"] != "valid")
        changed = entry.get("sent_parameters_changed")
        if changed is not None:
            assert set(changed) == {"dropped", "added"}
            assert changed["dropped"] or changed["added"]
            assert all(len(pair) == 2 for pair in changed["dropped"] + changed["added"])


@pytest.mark.parametrize(("library", "entry"), SIGNED)
def test_stored_verdict_is_what_verify_says(library: str, entry: dict[str, Any]) -> None:
    request = reference.http_request(entry["sent"])
    creds = reference.credentials(entry["credentials"], _rsa(entry))
    if entry["verdict"] == "valid":
        trace = verify(request, creds)
        assert trace.base_string == entry["rfc_base_string"]
    elif entry["verdict"] == "wrong":
        with pytest.raises(SignatureMismatch) as raised:
            verify(request, creds)
        assert raised.value.trace.base_string == entry["rfc_base_string"]
    else:
        assert (
            reference.oauth_debug_verdict(entry["sent"], entry["credentials"], _rsa(entry))
            == (entry["reference"]["oauth_debug"])
        )


# oauthlib checks RSA signatures through PyJWT, which the project's test extras do not install: the
# RSA verdicts of oauthlib were recorded by interop/generate.py (whose scratch venv has PyJWT) and
# are held to verify's by test_oauthlib_agrees_with_verify_on_every_request.
NOT_RSA = [param for param in SIGNED if not param.values[1]["signature_method"].startswith("RSA")]


@pytest.mark.parametrize(("library", "entry"), NOT_RSA)
def test_oauthlib_cross_check_is_reproduced(library: str, entry: dict[str, Any]) -> None:
    again = reference.oauthlib_verdict(entry["sent"], entry["credentials"], _rsa(entry))
    assert again == entry["reference"]["oauthlib"]


@pytest.mark.parametrize(("library", "entry"), SIGNED)
def test_the_corpus_model_without_deviations_is_the_rfc(
    library: str, entry: dict[str, Any]
) -> None:
    """interop/quirks.py is written apart from oauth_debug: with no deviation it must build the
    base string verify builds (RFC 5849 3.4.1), or its quirk labels would mean nothing."""
    case = {**entry["given"], "signature_method": entry["signature_method"]}
    wire = quirks._wire(case, entry["sent"])
    assert quirks.base_string(quirks.RFC_MODEL, wire) == entry["rfc_base_string"]


def test_oauthlib_agrees_with_verify_on_every_request() -> None:
    disagreements = [
        f"{doc['library']['name']}/{e['id']}"
        for doc in DOCUMENTS
        for e in doc["requests"]
        if "sent" in e and e["reference"]["oauthlib"]["verdict"] != e["verdict"]
    ]
    assert disagreements == []


def test_the_reference_signer_signs_everything_right() -> None:
    (oauthlib_doc,) = [d for d in DOCUMENTS if d["library"]["name"] == "oauthlib"]
    assert oauthlib_doc["summary"]["signed"] == oauthlib_doc["summary"]["cases"]
    assert oauthlib_doc["summary"]["valid"] == oauthlib_doc["summary"]["signed"]


WITH_BASE = [
    param
    for param in SIGNED
    if "library_base_string" in param.values[1]
    and param.values[1]["signature_method"] != "PLAINTEXT"
]


@pytest.mark.parametrize(("library", "entry"), WITH_BASE)
def test_library_base_string_matches_rfc_exactly_when_valid(
    library: str, entry: dict[str, Any]
) -> None:
    same = entry["library_base_string"] == entry["rfc_base_string"]
    assert same == (entry["verdict"] == "valid")


WRONG = [param for param in SIGNED if param.values[1]["verdict"] == "wrong"]


@pytest.mark.parametrize(("library", "entry"), WRONG)
def test_named_quirk_reproduces_the_library_signature(library: str, entry: dict[str, Any]) -> None:
    quirk = entry["quirk"]
    assert quirk["ids"], "every wrong request in the corpus has its quirk found"
    assert set(quirk["ids"]) <= KNOWN_IDS
    model = quirks.Model(**quirk["detail"])
    case = {**entry["given"], "signature_method": entry["signature_method"]}
    wire = quirks._wire(case, entry["sent"])
    base = quirks.base_string(model, wire)
    assert base != entry["rfc_base_string"]
    if "library_base_string" in entry:
        assert base == entry["library_base_string"]
    claimed = quirks._claimed(wire)
    assert claimed is not None
    key = quirks._key(model, entry["credentials"])
    assert quirks._signature_matches(entry["signature_method"], base, key, claimed, RSA_PEM)


def test_every_library_quirk_in_the_issue_is_represented() -> None:
    """The corpus is the test data of the next catalog ids: each must occur at least once."""
    found = {
        quirk_id
        for doc in DOCUMENTS
        for e in doc["requests"]
        for quirk_id in e.get("quirk", {}).get("ids", ())
    }
    assert {
        "duplicates-collapsed",
        "duplicates-indexed",
        "params-not-decoded",
        "plus-not-decoded",
        "utf8-double-encoded",
        "params-sorted-by-name-only",
        "url-requoted-after-signing",
    } <= found
