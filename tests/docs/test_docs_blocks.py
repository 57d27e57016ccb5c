"""The live-side docs stand alone where a reader copies from them.

tests/docs/test_docs_examples.py runs a page's python blocks in one namespace, in order, so a block
that uses a module imported only by an earlier block passes there and fails for the reader who
copies that one block (tutorial step 8 used ``requests`` so). Checked here from the code itself.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ["tutorial.md", "library.md", "alteryx.md"]
_BLOCK = re.compile(r"^```python\s*\n(.*?)^```\s*$", re.M | re.S)


def python_blocks(page: str) -> list[str]:
    return _BLOCK.findall((DOCS / page).read_text(encoding="utf-8"))


def imported_modules(tree: ast.AST) -> set[str]:
    """Names bound by ``import x`` / ``import x.y`` (not ``from x import y``) in ``tree``."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def used_as_module(tree: ast.AST) -> set[str]:
    """Names used as ``name.attribute``: how a module is used."""
    return {
        node.value.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
    }


@pytest.mark.parametrize("page", PAGES)
def test_every_block_imports_the_modules_it_uses(page: str) -> None:
    trees = [ast.parse(code) for code in python_blocks(page)]
    modules = set().union(*(imported_modules(tree) for tree in trees))
    assert trees or page == "alteryx.md"
    for number, tree in enumerate(trees, start=1):
        missing = (used_as_module(tree) & modules) - imported_modules(tree)
        assert not missing, f"{page} python block {number} uses {sorted(missing)} unimported"


def test_the_library_page_says_how_to_install_the_httpx_extra() -> None:
    text = (DOCS / "library.md").read_text(encoding="utf-8")
    section = text[text.index("## httpx") :]
    assert "pip install 'oauth-debug[httpx]'" in section.split("\n## ", 1)[0]
