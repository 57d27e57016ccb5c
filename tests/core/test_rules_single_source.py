"""No copy of a protocol rule outside oauth_debug/rules.py: the package source is grepped for them.

Each pattern below is how a copy of one rule looked (or would look) when it was written again: the
tchar class of the token regex, str.isdigit() for a timestamp or a length, a milliseconds
threshold, the required-parameter tuple, a placement tuple or a membership check, a placement typed
as plain str. A new copy fails this test; the fix is to import the rule from oauth_debug.rules.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "oauth_debug"
RULES = PACKAGE / "rules.py"

COPIES: dict[str, re.Pattern[str]] = {
    # RFC 9110 5.6.2 tchar as a regex character class ("^_`|~0-9": a message listing the
    # characters in prose has no range).
    "token regex": re.compile(r"\^_`\|~0-9"),
    # ASCII-digit checks: rules.whole_number / rules.parse_timestamp.
    "isdigit": re.compile(r"\.isdigit\(\)"),
    # Milliseconds heuristics: rules.looks_like_milliseconds / rules.finer_unit.
    "milliseconds threshold": re.compile(
        r"10\s*\*\*\s*1[1-3]\b|\b1e1[1-3]\b|\b100_?000_?000_?000\b|now\s*\*\s*100\b"
    ),
    # The required-parameter tuple: rules.REQUIRED_PARAMETERS.
    "required parameters": re.compile(r'"oauth_consumer_key",\s*"oauth_signature_method"'),
    # Placement tuples and checks: rules.PLACEMENTS / rules.check_placement.
    "placement tuple": re.compile(r'\bPLACEMENTS\s*=|\(\s*"header",\s*"query"'),
    "placement check": re.compile(r"\bplacement not in\b"),
    # The placement type: rules.Placement, a Literal.
    "placement type": re.compile(
        r"\bPlacement\s*=\s*str\b|Literal\[\s*(?:\"(?:header|query|body)\",\s*){2}"
        r"\"(?:header|query|body)\"\s*\]"
    ),
}

# Copies in modules this branch does not own, each to be replaced as its line says (see the
# branch's report); remove an entry when its replacement lands. Only these exact (file, rule)
# pairs are tolerated, so no new copy can hide behind them.
PENDING: dict[tuple[str, str], str] = {}


def copies_in(text: str) -> set[str]:
    """The names of the rules whose old copies appear in ``text``."""
    return {name for name, pattern in COPIES.items() if pattern.search(text)}


def test_the_patterns_catch_the_old_copies() -> None:
    # The copies as they stood on main before oauth_debug.rules, one per rule.
    old = {
        "token regex": '_TOKEN = re.compile(r"[!#$%&\'*+\\-.^_`|~0-9A-Za-z]+")',
        "isdigit": "if not (timestamp_text.isascii() and timestamp_text.isdigit()):",
        "milliseconds threshold": 'hint = " (is it in milliseconds?)" if int(raw) > now * 100',
        "required parameters": 'REQUIRED = (\n  "oauth_consumer_key",\n  "oauth_signature_method"',
        "placement tuple": 'PLACEMENTS = ("header", "query", "body")',
        "placement check": "if placement not in PLACEMENTS:",
        "placement type": 'Placement = str  # "header" | "query" | "body"',
    }
    assert set(old) == set(COPIES)
    for name, text in old.items():
        assert copies_in(text) == {name}, name
    assert copies_in("_MILLISECOND_FLOOR = 10**11") == {"milliseconds threshold"}
    assert copies_in('place: Literal["query", "header", "body"]') == {"placement type"}
    assert copies_in('_LINE = re.compile(r"([!#$%&\'*+\\-.^_`|~0-9A-Za-z]+):(.*)")') == {
        "token regex"
    }


def test_the_patterns_leave_the_rules_module_uses_alone() -> None:
    uses = [
        "timestamp = parse_timestamp(value)",
        "if looks_like_milliseconds(timestamp) or age <= window:",
        "placement = check_placement(value)",
        "wanted = required_parameters(method.value if method else None, token=token_required)",
        "if not is_http_token(method):",
        "placement: Placement = 'header'",
        # A message that lists tchar in prose, and model.Source (the parameter sources).
        "letters, digits and !#$%&'*+-.^_`|~, no spaces",
        'Source = Literal["query", "body", "oauth"]',
    ]
    assert [copies_in(text) for text in uses] == [set()] * len(uses)


def package_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != RULES)


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_copies_a_rule(path: Path) -> None:
    where = path.relative_to(PACKAGE).as_posix()
    found = copies_in(path.read_text(encoding="utf-8"))
    assert {name for name in found if (where, name) not in PENDING} == set()


def test_the_rules_module_holds_each_rule() -> None:
    assert copies_in(RULES.read_text(encoding="utf-8")) >= {
        "token regex",
        "isdigit",
        "milliseconds threshold",
        "required parameters",
    }


def test_the_package_is_scanned() -> None:
    # A wrong PACKAGE path would make the scan vacuous.
    names = {p.relative_to(PACKAGE).as_posix() for p in package_modules()}
    assert {"signer.py", "diagnosis/findings.py", "sandbox/auth.py", "inputs/checks.py"} <= names
