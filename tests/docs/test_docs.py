"""The generated docs and pictures are current, and every link between the docs resolves."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_generator() -> object:
    """docs/generate.py, which is a script of the repository, not a module of the package."""
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


docs_gen: Any = _load_generator()
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("relative", sorted(docs_gen.GENERATED), ids=str)
def test_generated_file_is_current(relative: str) -> None:
    committed = (ROOT / relative).read_text(encoding="utf-8")
    assert committed == docs_gen.GENERATED[relative](), (
        f"{relative} is stale: run `.venv/bin/python docs/generate.py` and commit it"
    )


def test_generation_is_deterministic() -> None:
    # Two renderings in one process must agree, or the staleness check above could never pass.
    assert docs_gen.explain_svg() == docs_gen.explain_svg()


def test_anatomy_shows_the_rfc_values_of_every_step() -> None:
    text = docs_gen.anatomy_markdown()
    for value in (
        "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2",
        "http://example.com/request",
        "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q",
        "j49sk3j29djd&dh893hdasih9",
        "afafd32636c23abf7bffe514d0db2f4a77bbb398",
        "r6/TJjbCOr97/+UU0NsvSne7s5g=",
        "r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D",
    ):
        assert value in text


def test_explain_picture_shows_the_base_string_in_colour() -> None:
    svg = docs_gen.explain_svg()
    assert svg.startswith("<svg")
    assert "r6/TJjbCOr97/+UU0NsvSne7s5g=" in svg
    # The two separating "&" get their own style class (a red background), unlike the %26.
    assert len(set(re.findall(r"-(r\d+)\"", svg))) > 5


def _markdown_files() -> list[Path]:
    return sorted((ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("page", _markdown_files(), ids=lambda page: page.name)
def test_relative_links_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for target in _LINK.findall(text):
        if "://" in target or target.startswith("mailto:"):
            continue
        assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def _finding_ids_in_source() -> set[str]:
    """Every id the diagnosis can report: the literal first argument of each Finding(...) call
    in the request checks and the server-answer readers (the Twitter ids are made from codes)."""
    import ast

    import oauth_debug.diagnosis.bodyhash as bodyhash_module
    import oauth_debug.diagnosis.findings as findings_module
    import oauth_debug.diagnosis.response as response_module

    ids = set()
    made_at_run_time = []
    for module in (findings_module, response_module, bodyhash_module):
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Finding"
                and node.args
            ):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                ids.add(first.value)
            else:
                made_at_run_time.append(ast.unparse(first))
    # Three ids are made at run time: findings.py picks timestamp-stale or timestamp-future,
    # response.py makes the Twitter ids from the error code, and bodyhash.py reports its catalog
    # id. Another one must be added here with every value it can take, or this test cannot see it.
    assert made_at_run_time == ["finding_id", "finding_id", "MISTAKE_ID"], made_at_run_time
    made = {"timestamp-stale", "timestamp-future", "body-hash-mismatch"}
    return ids | made | {"twitter-error-32", "twitter-error-135", "twitter-error"}


def test_atlas_has_a_section_for_every_catalog_mistake() -> None:
    from oauth_debug.diagnosis.catalog import CATALOG

    atlas = (ROOT / "docs" / "atlas.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^### (\S+)$", atlas, flags=re.MULTILINE))
    missing = {mistake.id for mistake in CATALOG} - headings
    assert not missing, f"mistakes without an atlas section: {sorted(missing)}"
    assert "(No small example request shows this mistake on its own.)" not in atlas


def test_atlas_has_an_example_for_every_finding_the_diagnosis_reports() -> None:
    from oauth_debug.diagnosis.catalog import CATALOG

    # body-hash-mismatch is a finding when the signature cannot be checked and a named mistake
    # when it can: its catalog section documents both.
    documented = set(docs_gen.FINDING_FIXES) | {m.id for m in CATALOG}
    undocumented = _finding_ids_in_source() - documented
    assert not undocumented, f"findings without an atlas example: {sorted(undocumented)}"


@pytest.mark.parametrize("finding_id", sorted(docs_gen.FINDING_FIXES))
def test_each_finding_example_really_produces_its_finding(finding_id: str) -> None:
    # The atlas's example is the finding's case in vectors/diagnosis/, read by the generator.
    case = docs_gen.diagnosis_cases()[finding_id]
    assert finding_id in {f.id for f in docs_gen.case_diagnosis(case).findings}


def test_the_atlas_documents_every_diagnosis_case() -> None:
    from oauth_debug.diagnosis.catalog import CATALOG

    cases = docs_gen.diagnosis_cases()
    assert set(cases) == set(docs_gen.FINDING_FIXES) | {m.id for m in CATALOG}
    # The atlas's introduction names the secrets and the clock of the mistake cases.
    for mistake in CATALOG:
        assert cases[mistake.id].credentials == docs_gen.ATLAS_CREDENTIALS, mistake.id
        assert cases[mistake.id].now == docs_gen.ATLAS_NOW, mistake.id


def _atlas_sections() -> dict[str, str]:
    """Each '### id' section of the committed atlas (mistakes and findings), by id."""
    atlas = (ROOT / "docs" / "atlas.md").read_text(encoding="utf-8")
    sections = re.split(r"^### (\S+)\n", atlas, flags=re.MULTILINE)
    return dict(zip(sections[1::2], sections[2::2], strict=True))


def test_every_atlas_section_gives_the_fix_in_python_javascript_and_vba() -> None:
    # Issue 5 promises every mistake and every finding "the fix in Python, JavaScript and VBA
    # terms"; a row with an empty cell would keep the promise only in form.
    from oauth_debug.diagnosis.catalog import CATALOG

    sections = _atlas_sections()
    expected = {m.id for m in CATALOG} | set(docs_gen.FINDING_FIXES)
    assert set(sections) == expected
    incomplete = {
        section_id: language
        for section_id, text in sections.items()
        for language in ("Python", "JavaScript", "VBA")
        if not re.search(rf"^\| {language} \| `[^`]+` \|$", text, flags=re.MULTILINE)
    }
    assert not incomplete, f"atlas sections without a fix in some language: {incomplete}"
