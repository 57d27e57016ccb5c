"""The diagnosis cases of vectors/diagnosis/ (the atlas's examples, as data other implementations
can read): each one, run through ``diagnose``, concludes what the case says it must."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oauth_debug.diagnosis import diagnose
from oauth_debug.diagnosis.catalog import CATALOG
from oauth_debug.vectors import (
    DiagnosisCase,
    VectorFileError,
    load_diagnosis_cases,
    load_files,
    vectors_directory,
)

CASES = load_diagnosis_cases()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_diagnosis_concludes_what_the_case_records(case: DiagnosisCase) -> None:
    found = diagnose(case.request, case.credentials, now=case.now, response=case.response)
    assert found.verdict == case.verdict
    assert found.mistakes == case.mistakes
    assert tuple(f.id for f in found.findings) == case.findings


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_each_case_shows_what_it_is_named_for(case: DiagnosisCase) -> None:
    assert case.path.stem == case.id
    assert case.provenance and case.description
    if case.kind == "mistake":
        # A mistake case is signed wrongly in exactly this way, and the secret is there to see it.
        assert case.mistakes == (case.id,) and case.credentials is not None
    else:
        assert case.kind == "finding" and case.id in case.findings


def test_every_catalog_mistake_has_a_case() -> None:
    assert {c.id for c in CASES if c.kind == "mistake"} == {m.id for m in CATALOG}


def test_the_signature_vectors_loader_leaves_the_diagnosis_cases_alone() -> None:
    names = {vector_file.path.parent.name for vector_file in load_files()}
    assert names == {vectors_directory().name}
    assert (vectors_directory() / "diagnosis" / f"{CASES[0].id}.json").is_file()


def test_a_case_that_does_not_follow_the_format_is_refused_by_name(tmp_path: Path) -> None:
    good = json.loads(CASES[0].path.read_text(encoding="utf-8"))
    del good["expected"]
    (tmp_path / "broken.json").write_text(json.dumps(good), encoding="utf-8")
    with pytest.raises(VectorFileError, match=r"broken\.json.*expected"):
        load_diagnosis_cases(tmp_path)
