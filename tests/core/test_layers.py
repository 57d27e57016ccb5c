"""The package's layers, read from its source: no import cycle, and the core and the diagnosis
never reach up into the edges (render, live, sandbox, cli).

Every import counts, wherever it is written: at the top, inside a function (a lazy import is still
a dependency, only a later one) and under ``if TYPE_CHECKING:`` (a cycle there still means two
modules that cannot be understood one without the other).
"""

from __future__ import annotations

import ast
from pathlib import Path

import oauth_debug

PACKAGE = Path(oauth_debug.__file__).parent

CORE = [
    "errors",
    "model",
    "encoding",
    "uri",
    "params",
    "reading",
    "methods",
    "recipe",
    "trace",
    "trace_document",
    "signer",
    "verify",
    "redact",
    "window",
    "httpdate",
    "vectors",
]
"""The modules of oauth_debug/*.py that make up the core: the RFC 5849 steps and their values."""

EDGES = ("render", "live", "sandbox", "cli")
"""The packages at the edges: what prints, what talks to a network, what serves, the commands."""

PENDING: set[tuple[str, str]] = set()
"""Edges in files this change does not own, each named with the change that removes it. The test
fails when one of them is gone, so that the list only ever shrinks."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The package modules ``name`` imports, named relative to oauth_debug ("" the package)."""
    path = MODULES[name]
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    package = [p for p in package if p]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                prefix = ".".join(["oauth_debug", *base, *([node.module] if node.module else [])])
            else:
                prefix = node.module or ""
            submodules = [f"{prefix}.{a.name}" for a in node.names]
            targets = [t for t in submodules if _local(t) in MODULES] or [prefix]
        for target in targets:
            local = _local(target)
            if local is not None and local in MODULES and local != name:
                found.add(local)
    return found


def _local(dotted: str) -> str | None:
    if dotted == "oauth_debug":
        return ""
    if dotted.startswith("oauth_debug."):
        return dotted[len("oauth_debug.") :]
    return None


GRAPH = {name: imports_of(name) for name in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def without_pending(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    return {
        name: {t for t in targets if (name, t) not in PENDING} for name, targets in graph.items()
    }


def test_the_reader_sees_lazy_and_type_checking_imports() -> None:
    # errors.py imports redact at the top, render/diagnosis.py imports sidebyside inside a
    # function: if the walk missed either kind, it would prove nothing.
    assert "redact" in GRAPH["errors"]
    assert "render.sidebyside" in GRAPH["render.diagnosis"]
    assert "diagnosis.model" in GRAPH["diagnosis.public"]  # under TYPE_CHECKING only
    assert "render.diagnosis" in GRAPH["cli.diagnose_commands"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_in_the_package() -> None:
    assert cycles(without_pending(GRAPH)) == []


def test_the_core_and_the_diagnosis_import_nothing_from_the_edges() -> None:
    lower = [name for name in MODULES if name in CORE or name.split(".")[0] == "diagnosis"]
    assert set(CORE) <= set(MODULES), "a core module was renamed: update CORE"
    reaching_up = sorted(
        (name, target)
        for name in lower
        for target in without_pending(GRAPH)[name]
        if target.split(".")[0] in EDGES
    )
    assert reaching_up == []


def test_every_pending_edge_still_exists() -> None:
    # When a pending edge is removed, take it off PENDING: the exceptions only shrink.
    assert sorted(edge for edge in PENDING if edge[1] not in GRAPH[edge[0]]) == []


RFC_STEPS = ("encoding", "params", "uri", "signer", "recipe", "methods", "reading")
"""The modules that encode, collect, sort, split and sign (RFC 5849 3.4-3.6)."""


def test_the_renderers_format_values_and_run_no_rfc_step() -> None:
    # A renderer that imported these would encode, sort or split again, beside the trace's own
    # values (render/steps.py re-encoded the pairs and re-split the URL with the RFC rules,
    # whatever the trace's recipe): it reads the trace (sorted_pairs, uri_changes) instead.
    reaching = sorted(
        (name, target)
        for name in MODULES
        if name.split(".")[0] == "render"
        for target in GRAPH[name]
        if target in RFC_STEPS
    )
    assert reaching == []


def test_the_trace_document_is_the_cores_and_render_re_exports_it() -> None:
    from oauth_debug import trace_document
    from oauth_debug.render import secrets, trace_json

    assert trace_json.trace_to_dict is trace_document.trace_document
    assert secrets.key_outline is trace_document.key_outline
    assert secrets.scrub is trace_document.scrub
    assert not any(t.split(".")[0] in EDGES for t in GRAPH["trace_document"])


def test_the_diagnosis_value_does_not_know_its_renderers() -> None:
    assert not any(t.startswith("render.diagnosis") for t in GRAPH["diagnosis.model"])


def test_the_documentation_generator_is_not_in_the_package() -> None:
    # docs/generate.py (its examples, its mistaken signer) is the repository's, not the wheel's.
    assert not any(name.split(".")[-1] in ("docs_gen", "generate") for name in MODULES)
    assert (PACKAGE.parent / "docs" / "generate.py").is_file()


def test_the_wheel_takes_the_package_and_the_vectors_not_the_docs() -> None:
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["oauth_debug"]
    # vectors/ (with its diagnosis/ cases, which load_diagnosis_cases reads) ships; docs/ does not.
    assert wheel["force-include"] == {"vectors": "oauth_debug/_vectors"}
