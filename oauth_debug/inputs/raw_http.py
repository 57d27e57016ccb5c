"""Read a raw HTTP/1.x request, as a proxy (mitmproxy, Fiddler, Charles, Burp) logs it.

RFC 9112 gives the shape: a request line ``METHOD target HTTP/1.1``, header lines, an empty line,
the body. Logs differ in small ways that are all accepted here: LF or CRLF line ends, leading empty
lines (RFC 9112 2.2 lets a server skip them), obsolete folded header lines (joined with one space,
RFC 9112 5.2), an absolute-form target (RFC 9112 3.2.2: proxies see those), HTTP/2 pseudo-headers.
The wire does not say whether TLS was used, so the scheme of an origin-form target comes from the
caller; it is part of the signed base string URI (RFC 5849 3.4.1.2), so a note says it was assumed.
"""

from __future__ import annotations

import re

from ..model import HttpRequest
from ..redact import excerpt
from ..rules import whole_number
from .checks import body_notes, check_method, method_notes, parse_header_line, signature_notes
from .direct import clean_url
from .result import InputError, ParsedInput

SCHEMES = ("http", "https")
_VERSION = re.compile(r"HTTP/\d(\.\d)?")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_BAD_HOST_CHARS = frozenset(" \t/?#@\\\"'<>")


def from_http(text: str | bytes, scheme: str = "http") -> ParsedInput:
    """The request a raw HTTP message describes; ``scheme`` is used for an origin-form target."""
    if scheme.lower() not in SCHEMES:
        raise InputError(
            f"the scheme must be http or https, got {scheme!r}", kind="http", text=scheme
        )
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    lines, body = _split_head(raw)
    notes: list[str] = []
    method, target = _request_line(lines[0], notes)
    headers, pseudo = _header_lines(lines[1:], notes)
    request_scheme = scheme.lower()
    if "scheme" in pseudo:
        request_scheme = pseudo["scheme"].lower()
        notes.append(f"the :scheme pseudo-header gives the scheme {request_scheme}")
    url = _target_url(target, headers, pseudo, request_scheme, notes)
    url, url_notes = clean_url(url, "http")
    notes += url_notes
    request = HttpRequest(method, url, headers, _body(body, headers, notes))
    notes += method_notes(method)
    notes += body_notes(request)
    notes += signature_notes(request)
    return ParsedInput(request, "http", tuple(notes))


def _split_head(raw: bytes) -> tuple[list[str], bytes | None]:
    """Head lines (request line first, decoded) and the bytes after the empty line, if any."""
    lines: list[str] = []
    position = 0
    while position < len(raw):
        end = raw.find(b"\n", position)
        stop = len(raw) if end < 0 else end
        line = raw[position:stop].rstrip(b"\r").decode("utf-8", "replace")
        position = len(raw) if end < 0 else end + 1
        if line.strip() == "":
            if lines:
                return lines, raw[position:]
            continue  # empty lines before the request line are skipped (RFC 9112 2.2)
        lines.append(line)
    if not lines:
        raise InputError(
            "the HTTP request is empty; expected a request line such as 'GET /path HTTP/1.1', "
            "header lines, an empty line and the body",
            kind="http",
        )
    return lines, None


def _request_line(line: str, notes: list[str]) -> tuple[str, str]:
    words = line.split()
    if words and words[0].upper().startswith("HTTP/"):
        raise InputError(
            f"{excerpt(line)} is a response's status line; expected the request, starting with a "
            "request line such as 'GET /path HTTP/1.1'",
            kind="http",
            text=line,
        )
    if len(words) not in (2, 3) or (len(words) == 3 and not _VERSION.fullmatch(words[2])):
        raise InputError(
            f"expected a request line 'METHOD target HTTP/1.1', got {excerpt(line)}",
            kind="http",
            text=line,
        )
    if len(words) == 2:
        notes.append("the request line has no HTTP version; read it as HTTP/1.1")
    return check_method(words[0], "http"), words[1]


def _header_lines(
    lines: list[str], notes: list[str]
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Header pairs in order (folded lines joined) and any HTTP/2 pseudo-headers by name."""
    headers: list[tuple[str, str]] = []
    pseudo: dict[str, str] = {}
    for number, line in enumerate(lines, start=2):
        where = f"line {number} of the HTTP request"
        if line[0] in " \t":
            if not headers:
                raise InputError(
                    f"{where} is indented but follows no header; expected 'Name: value'",
                    kind="http",
                    text=line,
                )
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}".strip())
            note = f"joined the folded (indented) continuation lines of the {name} header"
            if note not in notes:
                notes.append(note)
        elif line.startswith(":"):
            name, value = parse_header_line(line[1:], "http", where)
            pseudo[name.lower()] = value
        else:
            headers.append(parse_header_line(line, "http", where))
    if pseudo:
        notes.append("read the HTTP/2 pseudo-headers " + ", ".join(f":{n}" for n in pseudo))
    return headers, pseudo


def _target_url(
    target: str,
    headers: list[tuple[str, str]],
    pseudo: dict[str, str],
    scheme: str,
    notes: list[str],
) -> str:
    """RFC 9112 3.2: absolute-form carries its own authority; origin-form needs the Host header."""
    hosts = [value for name, value in headers if name.lower() == "host"]
    if len(set(hosts)) > 1:
        raise InputError(
            f"the request has {len(hosts)} different Host headers; expected one (RFC 9112 3.2)",
            kind="http",
            text=", ".join(hosts),
        )
    if _ABSOLUTE.match(target):
        authority = target.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0]
        if hosts and hosts[0].lower() != authority.lower():
            notes.append(
                f"the absolute-form target names {authority!r} but the Host header says "
                f"{hosts[0]!r}; the target wins (RFC 9112 3.2.2)"
            )
        return target
    if not target.startswith("/"):
        raise InputError(
            f"the request target {excerpt(target)} cannot carry a signed request; expected a path "
            "such as /api/v1/items?x=1 or an absolute URL",
            kind="http",
            text=target,
        )
    host = hosts[0] if hosts else pseudo.get("authority")
    if host is None:
        raise InputError(
            "the request has no Host header, which gives the host of the signed URL; expected "
            "a line such as 'Host: api.example.com' (or an absolute URL in the request line)",
            kind="http",
        )
    if not host or any(char in _BAD_HOST_CHARS for char in host):
        raise InputError(
            f"the Host header {excerpt(host)} is not a host[:port]; expected e.g. "
            "'Host: api.example.com'",
            kind="http",
            text=host,
        )
    notes.append(
        f"the host comes from the Host header and the scheme is {scheme}://"
        + ("" if scheme == "https" else "; pass --scheme https if the request went over TLS")
        + " (both are part of the signed URI)"
    )
    return f"{scheme}://{host}{target}"


def _body(body: bytes | None, headers: list[tuple[str, str]], notes: list[str]) -> bytes | None:
    """The body, cut to Content-Length, de-chunked, or with an editor's trailing newline removed."""
    if body is None:
        return None
    values = {name.lower(): value for name, value in headers}
    if "chunked" in values.get("transfer-encoding", "").lower():
        notes.append("decoded the chunked transfer coding of the body")
        return _dechunk(body) or None
    length_text = values.get("content-length")
    if length_text is not None:
        length = whole_number(length_text.strip())
        if length is None:
            raise InputError(
                f"Content-Length {length_text!r} is not a number of bytes",
                kind="http",
                text=length_text,
            )
        if length < len(body):
            notes.append(f"ignored {len(body) - length} bytes after the Content-Length")
        elif length > len(body):
            notes.append(
                f"the body has {len(body)} bytes but Content-Length says {length}: the log "
                "may be cut short"
            )
        return body[:length] or None
    stripped = body.rstrip(b"\r\n")
    if stripped != body and stripped:
        notes.append("removed the line break at the end of the body (no Content-Length given)")
    return stripped or None


def _dechunk(data: bytes) -> bytes:
    """RFC 9112 7.1: size line (hex, optional extensions), data, CRLF; a zero size ends it."""
    out = bytearray()
    position = 0
    while position < len(data):
        end = data.find(b"\n", position)
        if end < 0:
            end = len(data)
        size_text = data[position:end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise InputError(
                f"chunked body: expected a hexadecimal chunk size, got {size_text[:20]!r}",
                kind="http",
                position=position,
            ) from None
        if size < 0:
            raise InputError(
                "chunked body: a chunk size cannot be negative", kind="http", position=position
            )
        if size == 0:
            break
        start = end + 1
        out += data[start : start + size]
        position = start + size
        if data.startswith(b"\r\n", position):
            position += 2
        elif data.startswith(b"\n", position):
            position += 1
    return bytes(out)
