"""The values the templates draw, cut from the trace and the diagnosis: no HTML here.

The templates escape every value (Jinja2 autoescaping); this module only decides which piece of a
string gets which emphasis, as (text, kind) pieces, so nothing is assembled as markup by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnosis.model import SideBySide
from ..trace import BaseStringParts

_ENCODED_SEPARATORS = re.compile(r"(%26|%3D)")


@dataclass(frozen=True)
class Piece:
    """A run of text and how it is emphasised: "" (plain), "sep" (one of the two raw "&" of
    3.4.1.1), "enc" (a %26 or %3D inside a part), "method", "uri", "params"."""

    text: str
    kind: str = ""


def base_string_pieces(parts: BaseStringParts) -> tuple[Piece, ...]:
    """The base string with its two separating "&" set apart from the %26 and %3D inside.

    RFC 5849 3.4.1.1: METHOD "&" encoded URI "&" encoded parameters. Every "&" and "=" of the
    normalized parameters was encoded once more, so only the two joints are raw.
    """
    pieces = [Piece(parts.method, "method"), Piece("&", "sep")]
    pieces += _encoded(parts.uri, "uri")
    pieces.append(Piece("&", "sep"))
    pieces += _encoded(parts.parameters, "params")
    return tuple(pieces)


def _encoded(text: str, kind: str) -> list[Piece]:
    return [
        Piece(chunk, "enc" if _ENCODED_SEPARATORS.fullmatch(chunk) else kind)
        for chunk in _ENCODED_SEPARATORS.split(text)
        if chunk
    ]


@dataclass(frozen=True)
class MarkedValue:
    """A value cut around its first difference from another: before, the differing character
    (empty when one value is a prefix of the other), after."""

    before: str
    at: str
    after: str
    differs: bool


def marked(text: str, at: int | None) -> MarkedValue:
    if at is None:
        return MarkedValue(text, "", "", False)
    return MarkedValue(text[:at], text[at : at + 1] or " ", text[at + 1 :], True)


@dataclass(frozen=True)
class Comparison:
    """One row of a side-by-side: the label, the wrong and the right value, each marked."""

    label: str
    wrong: MarkedValue
    right: MarkedValue
    first_difference: int | None


def comparison(row: SideBySide) -> Comparison:
    at = row.first_difference
    return Comparison(row.label, marked(row.wrong, at), marked(row.right, at), at)
