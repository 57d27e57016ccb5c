"""Two signature base strings, decoded, aligned, and their first difference named.

A base string (RFC 5849 3.4.1.1) is ``METHOD & encode(URI) & encode(normalized parameters)``. Two
of them, say the server's and yours, are hard to compare by eye: the interesting part is inside the
twice-encoded parameter string. This module takes both apart, aligns the parameters by name and
says in one sentence where they first differ, naming the part (method, URI component, or
parameter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..encoding import percent_decode
from ..errors import EncodingError, OAuthDebugError
from ..uri import DEFAULT_PORTS
from .findings import Finding

RowStatus = Literal["same", "only-a", "only-b", "different-value", "different-encoding"]


class MalformedBaseStringError(OAuthDebugError):
    """Text that cannot be read as a signature base string."""

    def __init__(self, message: str, *, text: str, part: str) -> None:
        super().__init__(message, text=text, part=part)
        self.text = text
        self.part = part


@dataclass(frozen=True)
class DecodedBaseString:
    """A base string taken apart: method, URI and parameters, decoded.

    ``encoded_parameters`` holds each pair as it appears in the normalized parameter string (still
    encoded once), so that two spellings of the same value can be told apart.
    """

    raw: str
    method: str
    uri: str
    parameters: tuple[tuple[str, str], ...]
    encoded_parameters: tuple[tuple[str, str], ...]
    uri_encoded: bool
    """False when the URI part has a raw ":" or "/" (it should be percent-encoded, 3.4.1.1)."""
    parameters_encoded: bool
    """False when the parameter part has a raw "&" or "=" (its second encoding was skipped)."""
    notes: tuple[Finding, ...] = ()

    @property
    def uri_parts(self) -> dict[str, str]:
        """scheme, host, port (explicit or ""), path and query of the decoded URI."""
        return _uri_parts(self.uri)

    def to_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "uri": self.uri,
            "uri_parts": self.uri_parts,
            "parameters": [{"name": n, "value": v} for n, v in self.parameters],
            "uri_encoded": self.uri_encoded,
            "parameters_encoded": self.parameters_encoded,
        }


@dataclass(frozen=True)
class ParamRow:
    """One parameter occurrence aligned across both base strings (None where one lacks it)."""

    name: str
    a_value: str | None
    b_value: str | None
    a_encoded: str | None
    b_encoded: str | None
    status: RowStatus
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "name": self.name,
            "a": self.a_value,
            "b": self.b_value,
            "status": self.status,
        }
        if self.a_encoded != self.b_encoded:
            out["a_encoded"] = self.a_encoded
            out["b_encoded"] = self.b_encoded
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class BaseStringDiff:
    """The comparison of base strings A and B."""

    a: DecodedBaseString
    b: DecodedBaseString
    rows: tuple[ParamRow, ...]
    uri_differences: tuple[str, ...]
    """Names of the URI components that differ: scheme, host, port, path, query."""
    order_differs: bool
    """The parameters both share come in another order."""
    first_offset: int | None
    """Index of the first differing character of the raw strings (None when identical)."""
    first_difference: str
    """One sentence naming where A and B first differ, with both values."""
    first_part: str | None
    """"method", "uri:<component>", "parameters-encoding" or "parameter:<name>"; None if equal."""
    notes: tuple[Finding, ...] = field(default=())

    @property
    def identical(self) -> bool:
        return self.a.raw == self.b.raw

    @property
    def summary(self) -> str:
        """Every difference in a line: method, URI components, parameters."""
        if self.identical:
            return "the base strings are identical"
        pieces = []
        if self.a.method != self.b.method:
            pieces.append("method")
        pieces += [f"URI {component}" for component in self.uri_differences]
        if self.a.uri == self.b.uri and self.a.raw.split("&")[1:2] != self.b.raw.split("&")[1:2]:
            pieces.append("URI encoding")
        if self.a.parameters_encoded != self.b.parameters_encoded:
            pieces.append("parameter string encoding")
        changed = [row for row in self.rows if row.status != "same"]
        for status, label in (
            ("only-a", "only in A"),
            ("only-b", "only in B"),
            ("different-value", "different value"),
            ("different-encoding", "encoded differently"),
        ):
            names = sorted({row.name for row in changed if row.status == status})
            if names:
                pieces.append(f"{label}: {', '.join(names)}")
        if self.order_differs:
            pieces.append("parameter order")
        if not pieces:
            pieces.append("spelling only")
        return "differences: " + "; ".join(pieces)

    def to_dict(self) -> dict[str, object]:
        return {
            "identical": self.identical,
            "first_offset": self.first_offset,
            "first_part": self.first_part,
            "first_difference": self.first_difference,
            "summary": self.summary,
            "uri_differences": list(self.uri_differences),
            "order_differs": self.order_differs,
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "parameters": [row.to_dict() for row in self.rows],
            "notes": [note.to_dict() for note in self.notes],
        }


def parse_base_string(text: str) -> DecodedBaseString:
    """Split ``text`` on its two separating "&" and decode each part (RFC 5849 3.4.1.1).

    A parameter part that was never encoded (raw "&" and "=" after the second separator) is read
    as it stands and reported in ``notes``; only text without two separators, or with escapes that
    do not decode, raises :class:`MalformedBaseStringError`.
    """
    raw = text.strip()
    method, sep1, rest = raw.partition("&")
    uri_text, sep2, param_text = rest.partition("&")
    if not sep1 or not sep2 or not method:
        raise MalformedBaseStringError(
            f"{_clip(raw)!r} is not a signature base string: expected METHOD&encoded-URI&"
            "encoded-parameters, e.g. GET&https%3A%2F%2Fapi.example.com%2F&a%3D1 "
            "(RFC 5849 3.4.1.1)",
            text=raw,
            part="separators",
        )
    notes: list[Finding] = []
    uri_encoded = not any(c in uri_text for c in ":/?")
    if not uri_encoded:
        notes.append(
            Finding(
                "base-string-uri-not-encoded",
                "error",
                f"the URI part {_clip(uri_text)!r} is not fully percent-encoded (raw ':', '/' or "
                "'?'); it must be encoded like every part of the base string (RFC 5849 3.4.1.1, "
                "3.6)",
            )
        )
    uri = _decode(uri_text, raw, "URI")
    parameters_encoded = not any(c in param_text for c in "&=")
    if parameters_encoded:
        normalized = _decode(param_text, raw, "parameters")
    else:
        normalized = param_text
        notes.append(
            Finding(
                "base-string-parameters-not-encoded",
                "error",
                "the parameter part has raw '&' or '=' after the second separator: the normalized "
                "parameter string was put in without its second percent-encoding ('&' must read "
                "%26 and '=' %3D there; RFC 5849 3.4.1.1)",
            )
        )
    encoded: list[tuple[str, str]] = []
    decoded: list[tuple[str, str]] = []
    for piece in normalized.split("&") if normalized else []:
        name, _, value = piece.partition("=")
        encoded.append((name, value))
        decoded.append((_decode(name, raw, "parameter name"), _decode(value, raw, "parameter")))
    return DecodedBaseString(
        raw=raw,
        method=method,
        uri=uri,
        parameters=tuple(decoded),
        encoded_parameters=tuple(encoded),
        uri_encoded=uri_encoded,
        parameters_encoded=parameters_encoded,
        notes=tuple(notes),
    )


def _decode(text: str, raw: str, part: str) -> str:
    try:
        return percent_decode(text)
    except EncodingError as error:
        raise MalformedBaseStringError(
            f"the {part} part of the base string does not decode: {error}", text=raw, part=part
        ) from None


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _uri_parts(uri: str) -> dict[str, str]:
    """The URI's components as written (no case folding: a case difference is a difference)."""
    scheme, colon, rest = uri.partition("://")
    if not colon:
        scheme, rest = "", uri
    authority, slash, tail = rest.partition("/")
    path_and_query = slash + tail
    path, _, query = path_and_query.partition("?")
    hostport = authority.rpartition("@")[2]
    if hostport.startswith("[") and "]" in hostport:
        host, _, after = hostport[1:].partition("]")
        port = after[1:] if after.startswith(":") else ""
    elif ":" in hostport:
        host, _, port = hostport.rpartition(":")
    else:
        host, port = hostport, ""
    return {"scheme": scheme, "host": host, "port": port, "path": path, "query": query}


def diff_base_strings(a: str, b: str) -> BaseStringDiff:
    """Compare base strings ``a`` and ``b`` (for instance the server's and yours)."""
    left, right = parse_base_string(a), parse_base_string(b)
    rows = _align(left, right)
    uri_differences = _uri_differences(left, right)
    shared = {n for n, _ in left.parameters} & {n for n, _ in right.parameters}
    order_a = [n for n, _ in left.parameters if n in shared]
    order_b = [n for n, _ in right.parameters if n in shared]
    first_part, sentence = _first_difference(left, right, rows, uri_differences)
    notes = tuple(_side(note, "A") for note in left.notes) + tuple(
        _side(note, "B") for note in right.notes
    )
    return BaseStringDiff(
        a=left,
        b=right,
        rows=rows,
        uri_differences=uri_differences,
        order_differs=order_a != order_b,
        first_offset=first_offset(left.raw, right.raw),
        first_difference=sentence,
        first_part=first_part,
        notes=notes,
    )


def _side(note: Finding, side: str) -> Finding:
    return Finding(note.id, note.severity, f"{side}: {note.message}", {"side": side})


def first_offset(a: str, b: str) -> int | None:
    """Index of the first character where ``a`` and ``b`` differ (None when they are equal)."""
    if a == b:
        return None
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))


def _align(left: DecodedBaseString, right: DecodedBaseString) -> tuple[ParamRow, ...]:
    """Rows in A's order, then B's extras; the k-th occurrence of a name meets the k-th."""

    def grouped(side: DecodedBaseString) -> dict[str, list[tuple[str, str]]]:
        groups: dict[str, list[tuple[str, str]]] = {}
        for (name, value), (_, enc_value) in zip(
            side.parameters, side.encoded_parameters, strict=True
        ):
            groups.setdefault(name, []).append((value, enc_value))
        return groups

    groups_a, groups_b = grouped(left), grouped(right)
    names = list(groups_a) + [n for n in groups_b if n not in groups_a]
    rows: list[ParamRow] = []
    for name in names:
        values_a, values_b = groups_a.get(name, []), groups_b.get(name, [])
        for index in range(max(len(values_a), len(values_b))):
            a_item = values_a[index] if index < len(values_a) else None
            b_item = values_b[index] if index < len(values_b) else None
            rows.append(_row(name, a_item, b_item))
    return tuple(rows)


def _row(name: str, a: tuple[str, str] | None, b: tuple[str, str] | None) -> ParamRow:
    if a is None or b is None:
        present = a or b
        assert present is not None
        status: RowStatus = "only-b" if a is None else "only-a"
        return ParamRow(
            name,
            None if a is None else a[0],
            None if b is None else b[0],
            None if a is None else a[1],
            None if b is None else b[1],
            status,
        )
    (a_value, a_enc), (b_value, b_enc) = a, b
    if a_value == b_value:
        status = "same" if a_enc == b_enc else "different-encoding"
        note = "" if status == "same" else _encoding_note(a_enc, b_enc)
    else:
        status, note = "different-value", _value_note(a_value, b_value)
    return ParamRow(name, a_value, b_value, a_enc, b_enc, status, note)


def _encoding_note(a_enc: str, b_enc: str) -> str:
    if a_enc.upper() == b_enc.upper():
        return "same value, but one side writes lower-case hex digits (3.6 wants upper case)"
    return (
        "same value, encoded differently: only A-Z a-z 0-9 - . _ ~ stay as they are, everything "
        "else is %XX (RFC 5849 3.6)"
    )


def _value_note(a_value: str, b_value: str) -> str:
    """Say which known encoding mistake turns one value into the other, when one does."""
    for first, second, side in ((a_value, b_value, "B"), (b_value, a_value, "A")):
        if second.replace("+", " ") == first and "+" in second and " " in first:
            return f"{side} has '+' where the other has a space: spaces form-encoded as '+'"
        try:
            once_more = percent_decode(second)
        except EncodingError:
            once_more = second
        if once_more == first and second != first:
            return f"{side}'s value is percent-encoded once too often"
    return ""


def _uri_differences(left: DecodedBaseString, right: DecodedBaseString) -> tuple[str, ...]:
    a_parts, b_parts = left.uri_parts, right.uri_parts
    components = ("scheme", "host", "port", "path", "query")
    return tuple(c for c in components if a_parts[c] != b_parts[c])


def _first_difference(
    left: DecodedBaseString,
    right: DecodedBaseString,
    rows: tuple[ParamRow, ...],
    uri_differences: tuple[str, ...],
) -> tuple[str | None, str]:
    # The parts come in the order they are written, so the first differing part found here is the
    # one where the raw strings first differ.
    if left.raw == right.raw:
        return None, "the base strings are identical"
    if left.method != right.method:
        hint = ""
        if left.method.upper() == right.method.upper():
            hint = " (the method must be upper case, RFC 5849 3.4.1.1)"
        return "method", f"the method differs: A has {left.method!r}, B has {right.method!r}{hint}"
    if left.uri != right.uri:
        return _uri_sentence(left, right, uri_differences)
    a_uri_raw, b_uri_raw = left.raw.split("&")[1], right.raw.split("&")[1]
    if a_uri_raw != b_uri_raw:
        return (
            "uri:encoding",
            f"the URI is the same but encoded differently: A has {_clip(a_uri_raw)!r}, B has "
            f"{_clip(b_uri_raw)!r} (3.4.1.1: the whole URI is percent-encoded, '/' and ':' too)",
        )
    if left.parameters_encoded != right.parameters_encoded:
        bare = "A" if not left.parameters_encoded else "B"
        return (
            "parameters-encoding",
            f"{bare}'s parameter string is not percent-encoded (raw '&' and '=' after the second "
            "separator, where the other has %26 and %3D): the normalized parameters must be "
            "encoded again when they go into the base string (RFC 5849 3.4.1.1)",
        )
    return _parameter_sentence(left, right, rows)


def _uri_sentence(
    left: DecodedBaseString, right: DecodedBaseString, differing: tuple[str, ...]
) -> tuple[str, str]:
    if not differing:
        return "uri", f"the URI differs: A has {left.uri!r}, B has {right.uri!r}"
    component = differing[0]
    a_value, b_value = left.uri_parts[component], right.uri_parts[component]
    extra = ""
    if component == "port":
        default = DEFAULT_PORTS.get(left.uri_parts["scheme"].lower())
        if default is not None and str(default) in (a_value, b_value) and "" in (a_value, b_value):
            extra = (
                f" ({default} is the default port for this scheme and must be left out, 3.4.1.2)"
            )
        elif "" in (a_value, b_value):
            extra = " (a port other than the default must be written, 3.4.1.2)"
    elif component in ("scheme", "host") and a_value.lower() == b_value.lower():
        extra = " (scheme and host are lower-cased, 3.4.1.2)"
    elif component == "path" and a_value.rstrip("/") == b_value.rstrip("/"):
        extra = " (a trailing '/' makes another URI: sign the path exactly as requested)"
    elif component == "query":
        extra = " (the query belongs in the parameters, never in the base string URI, 3.4.1.2)"
    return (
        f"uri:{component}",
        f"the URI's {component} differs: A has {_show(a_value)}, B has {_show(b_value)}{extra}",
    )


def _show(value: str | None) -> str:
    return "none" if not value else repr(value)


def _parameter_sentence(
    left: DecodedBaseString, right: DecodedBaseString, rows: tuple[ParamRow, ...]
) -> tuple[str, str]:
    names_a = {n for n, _ in left.parameters}
    names_b = {n for n, _ in right.parameters}
    pairs_a, pairs_b = left.encoded_parameters, right.encoded_parameters
    for index in range(max(len(pairs_a), len(pairs_b))):
        a_pair = pairs_a[index] if index < len(pairs_a) else None
        b_pair = pairs_b[index] if index < len(pairs_b) else None
        if a_pair == b_pair:
            continue
        a_name = left.parameters[index][0] if a_pair is not None else None
        b_name = right.parameters[index][0] if b_pair is not None else None
        if a_name is not None and a_name == b_name:
            row = next(r for r in rows if r.name == a_name and r.status != "same")
            return f"parameter:{a_name}", _row_sentence(row)
        if a_name is not None and a_name not in names_b:
            return (
                f"parameter:{a_name}",
                f"parameter {a_name} is only in A (value {_show(left.parameters[index][1])})",
            )
        if b_name is not None and b_name not in names_a:
            return (
                f"parameter:{b_name}",
                f"parameter {b_name} is only in B (value {_show(right.parameters[index][1])})",
            )
        if a_name is None or b_name is None:
            name = a_name or b_name or ""
            side = "A" if a_name is not None else "B"
            return f"parameter:{name}", f"{side} has one more {name} parameter than the other"
        return (
            f"parameter:{a_name}",
            f"the parameters are in another order: at position {index + 1} A has {a_name}, B has "
            f"{b_name} (sort by encoded name, then encoded value, RFC 5849 3.4.1.3.2)",
        )
    return "parameters", "the parameter strings differ only in spelling"


def _row_sentence(row: ParamRow) -> str:
    base = (
        f"parameter {row.name} differs: A has {_show(row.a_encoded)}, B has {_show(row.b_encoded)}"
        if row.status == "different-encoding"
        else f"parameter {row.name} differs: A has {_show(row.a_value)}, B has {_show(row.b_value)}"
    )
    return base + (f" ({row.note})" if row.note else "")
