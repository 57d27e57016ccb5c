"""The one place where command-line input options become a request (the CLI edge of inputs).

Every command that takes a request (verify, diagnose, ...) passes its --url/--method/-H/--data/
--curl/--http/--scheme values here, so each input kind is read the same way everywhere. This is the
only function of the package that reads files or standard input, and only those it is told to.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from ..signer import FORM
from .checks import check_method, parse_header_line
from .direct import from_parts, from_url
from .result import InputError, ParsedInput

STDIN = "-"
_EMPTY = {
    "--url": "the URL given with --url is empty; expected an absolute URL such as "
    "https://host/path?oauth_...",
    "--curl": "the curl command given with --curl is empty; expected a command line such as "
    "curl 'https://host/path' (if it came from $(pbpaste), the clipboard was empty)",
    "--http": "--http names no file; expected the path of a file holding the raw HTTP request, "
    "or - for standard input",
}


def request_from_options(
    url: str | None = None,
    method: str | None = None,
    headers: Sequence[str] | None = None,
    curl: str | None = None,
    http: str | None = None,
    scheme: str | None = None,
    data: str | None = None,
    stdin: IO[Any] | None = None,
) -> ParsedInput:
    """Read the request from exactly one of ``url``, ``curl`` or ``http`` (a path, or "-").

    ``method`` and ``headers`` ("Name: value" lines) complete a URL and override or extend what a
    curl command or raw request says; ``data`` (text, "@file" or "@-") is the body of a --url
    request; ``scheme`` is the scheme of a raw request's origin-form target (default http).
    """
    # An option given as "" is given: `--curl "$(pbpaste)"` with an empty clipboard should hear
    # that the command is empty, not that no option was given.
    options = (("--url", url), ("--curl", curl), ("--http", http))
    given = [name for name, value in options if value is not None]
    if len(given) != 1:
        said = "none was" if not given else " and ".join(given) + " were"
        raise InputError(
            f"give the request with exactly one of --url, --curl or --http ({said} given)",
            kind="options",
        )
    for name, value in options:
        if value is not None and not value.strip():
            raise InputError(_EMPTY[name], kind="options", text=value)
    pairs = [parse_header_line(line, "options", "-H/--header") for line in headers or ()]
    if data is not None and url is None:
        raise InputError(
            "--data goes with --url; a curl command or a raw request carries its own body",
            kind="options",
            text=data,
        )
    if url is not None:
        parsed = _from_url_options(url, method, pairs, data, stdin)
    else:
        # Each reader is loaded by the option that needs it: verify --url, the usual case, then
        # starts without the shell-word, PowerShell and raw-HTTP readers.
        if curl is not None:
            from .curl import from_curl

            parsed = from_curl(curl, reader=lambda path: _read_path(path, stdin, "--curl"))
        else:
            from .raw_http import from_http

            assert http is not None
            parsed = from_http(_read_path(http, stdin, "--http"), scheme or "http")
        parsed = _override(parsed, method, pairs)
    if scheme is not None and http is None:
        parsed = parsed.with_notes("--scheme only applies to --http; ignored")
    return parsed


def _from_url_options(
    url: str,
    method: str | None,
    pairs: list[tuple[str, str]],
    data: str | None,
    stdin: IO[Any] | None,
) -> ParsedInput:
    body = None if data is None else _read_data(data, stdin)
    notes: list[str] = []
    chosen = method or "GET"
    if method is None and body is not None:
        chosen = "POST"
        notes.append("--data given without --method: sent as POST")
    if body is not None and not any(name.lower() == "content-type" for name, _ in pairs):
        # The same default as curl -d and `oauth-debug sign --data`, so their requests verify.
        pairs = [*pairs, ("Content-Type", FORM)]
        notes.append(
            f"--data without a Content-Type header is read as {FORM} (as curl -d sends it), so "
            "its parameters are signed; add -H 'Content-Type: ...' if it was sent otherwise"
        )
    if pairs or body is not None:
        parsed = from_parts(chosen, url, pairs, body)
    else:
        parsed = from_url(url, chosen)
    return ParsedInput(parsed.request, parsed.kind, (*notes, *parsed.notes))


def _override(parsed: ParsedInput, method: str | None, pairs: list[tuple[str, str]]) -> ParsedInput:
    """--method and -H given with --curl/--http replace the method and add or replace headers."""
    request = parsed.request
    notes: list[str] = []
    if method is not None and method != request.method:
        notes.append(f"--method {method} replaces the method {request.method} of the input")
        request = request.replace(method=check_method(method, "options"))
    for name, value in pairs:
        if request.header(name) is not None:
            notes.append(f"-H {name} replaces the {name} header of the input")
        request = request.with_header(name, value)
    return ParsedInput(request, parsed.kind, (*parsed.notes, *notes))


def _read_data(data: str, stdin: IO[Any] | None) -> bytes:
    """--data BODY, --data @file or --data @- (standard input)."""
    if data.startswith("@"):
        return _read_path(data[1:], stdin, "--data")
    return data.encode("utf-8", "surrogatepass")


def _read_path(path: str, stdin: IO[Any] | None, option: str) -> bytes:
    """A file's bytes, or standard input's for "-"; a one-line InputError when it cannot be read."""
    if path == STDIN:
        if stdin is None:
            raise InputError(f"{option} - reads standard input, but none was given", kind="options")
        content = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
        return content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    try:
        return Path(path).read_bytes()
    except (OSError, ValueError) as error:
        # ValueError: a path no file system accepts (an embedded NUL byte).
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise InputError(
            f"cannot read {option} file {path!r}: {reason}",
            kind="options",
            text=path,
        ) from None
