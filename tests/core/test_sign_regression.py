"""The signer against the outputs of the previous release on a fuzzed corpus (bench/data)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[2] / "bench" / "sign_regression.py"
_spec = importlib.util.spec_from_file_location("sign_regression", BENCH)
assert _spec is not None and _spec.loader is not None
sign_regression = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sign_regression)


def test_the_corpus_is_the_size_its_generator_says_and_covers_every_method() -> None:
    cases = json.loads(sign_regression.CORPUS.read_text(encoding="utf-8"))["cases"]
    assert len(cases) == sign_regression.COUNT
    methods = {case["input"]["signature_method"] for case in cases}
    assert methods == set(sign_regression._METHODS)
    assert {case["input"]["placement"] for case in cases} == {"header", "query", "body"}


def test_every_stored_case_signs_as_the_previous_release_signed_it() -> None:
    assert sign_regression.check() == []


def test_the_check_notices_a_changed_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = json.loads(sign_regression.CORPUS.read_text(encoding="utf-8"))
    document["cases"] = document["cases"][:3]
    document["cases"][1]["output"]["signature"] += "x"
    changed = tmp_path / "corpus.json"
    changed.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(sign_regression, "CORPUS", changed)
    assert sign_regression.check() == [1]
