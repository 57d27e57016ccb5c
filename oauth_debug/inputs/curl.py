"""Read a curl command line, as browser devtools, Postman or Swagger UI print it, into a request.

Chrome and Edge offer three copies of a request: "Copy as cURL (bash)", "Copy as cURL (cmd)" (its
``^"`` quotes and ``^`` line ends are undone by :mod:`.shell_words`) and "Copy as PowerShell" (an
``Invoke-WebRequest`` call, read by :mod:`.powershell`); :func:`from_curl` tells them apart itself,
so a person pastes whichever they copied.

Only what changes the signature is interpreted: the method, the URL, the headers and the body (and
whether the body is a form, since only a form body is signed, RFC 5849 3.4.1.3.1). Everything else
curl can do (compression, TLS, cookies jars, redirects, output) is ignored with a note, so a person
can see that nothing they pasted was silently lost. Option behaviour follows curl's manual page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from ..encoding import percent_encode
from ..model import HttpRequest
from ..redact import excerpt
from ..rules import is_http_token
from ..signer import FORM
from .checks import (
    body_notes,
    check_method,
    method_notes,
    signature_notes,
    start_of,
)
from .direct import clean_url
from .powershell import from_powershell, looks_like_powershell
from .result import InputError, ParsedInput
from .shell_words import SHELL_OPERATORS, split_marked

Reader = Callable[[str], bytes]
"""Reads the file named in ``-d @file`` (the caller decides whether and where files are read)."""

# Options interpreted here, by canonical name.
_LONG = {
    "--request": "X",
    "--header": "H",
    "--data": "d",
    "--data-ascii": "d",
    "--data-binary": "data-binary",
    "--data-raw": "data-raw",
    "--data-urlencode": "data-urlencode",
    "--json": "json",
    "--url": "url",
    "--url-query": "url-query",
    "--get": "G",
    "--head": "I",
    "--user": "u",
    "--form": "F",
    "--form-string": "F",
    "--upload-file": "T",
}
_SHORT = {"X": "X", "H": "H", "d": "d", "G": "G", "I": "I", "u": "u", "F": "F", "T": "T"}
_TAKES_VALUE = {
    "X", "H", "d", "data-binary", "data-raw", "data-urlencode", "json", "url", "url-query",
    "u", "F", "T",
}  # fmt: skip


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Options that do not change what is signed; these take a value, which is skipped with them.
_IGNORED_LONG_WITH_VALUE = _names(
    """--user-agent --cookie --cookie-jar --referer --output --max-time --connect-timeout --proxy
    --proxy-user --write-out --cacert --capath --cert --cert-type --key --key-type --pass --retry
    --retry-delay --retry-max-time --limit-rate --range --resolve --connect-to --interface
    --config --proxy-header --dump-header --trace --trace-ascii --stderr --max-redirs
    --oauth2-bearer --aws-sigv4 --time-cond --continue-at --local-port --dns-servers --ciphers
    --tls-max --expect100-timeout --keepalive-time --speed-limit --speed-time --max-filesize
    --unix-socket --abstract-unix-socket --netrc-file --output-dir --noproxy --preproxy
    --socks4 --socks4a --socks5 --socks5-hostname --proxy-cacert --proxy-cert --proxy-key
    --pinnedpubkey --crlfile --hsts --alt-svc --etag-save --etag-compare --doh-url --proto
    --proto-redir --proto-default --happy-eyeballs-timeout-ms --login-options --service-name
    --sasl-authzid --quote --telnet-option --tftp-blksize --ftp-port --mail-from --mail-rcpt
    --mail-auth --create-file-mode --variable --retry-all-errors-max --parallel-max
    --request-target --rate --ip-tos --vlan-priority"""
)
_IGNORED_SHORT_WITH_VALUE = frozenset("AbcemoxUwEKDYyzCrQtP")
_IGNORED_SHORT_FLAGS = frozenset("sSvLikfgjnNqO46RZ#0123lBaMpJV")
_IGNORED_LONG_FLAGS = _names(
    """--compressed --insecure --silent --show-error --verbose --location --location-trusted
    --include --fail --fail-with-body --fail-early --globoff --junk-session-cookies --netrc
    --netrc-optional --no-buffer --no-keepalive --no-sessionid --no-progress-meter --progress-bar
    --remote-name --remote-name-all --remote-header-name --remote-time --http0.9 --http1.0
    --http1.1 --http2 --http2-prior-knowledge --http3 --http3-only --ipv4 --ipv6 --tlsv1
    --tlsv1.0 --tlsv1.1 --tlsv1.2 --tlsv1.3 --sslv2 --sslv3 --ssl --ssl-reqd --ssl-no-revoke
    --ssl-revoke-best-effort --ssl-allow-beast --tcp-nodelay --tcp-fastopen --raw --tr-encoding
    --parallel --parallel-immediate --create-dirs --disable --disable-eprt --disable-epsv
    --digest --basic --ntlm --ntlm-wb --negotiate --anyauth --proxy-insecure --proxytunnel
    --path-as-is --suppress-connect-headers --styled-output --no-styled-output --xattr --list-only
    --append --use-ascii --crlf --manual --help --version --retry-connrefused --retry-all-errors
    --cert-status --false-start --doh-insecure --doh-cert-status --haproxy-protocol
    --no-alpn --no-npn --compressed-ssh --ignore-content-length --skip-existing
    --remove-on-error --clobber --no-clobber"""
)


@dataclass
class _Command:
    """What the options said, gathered before the request is built (mutable while parsing)."""

    method: str | None = None
    urls: list[str] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    removed_headers: set[str] = field(default_factory=set)
    data: list[bytes] | None = None
    json: bool = False
    get: bool = False
    head: bool = False
    multipart: bool = False
    upload: bool = False
    url_query: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def from_curl(text: str, reader: Reader | None = None) -> ParsedInput:
    """The request a curl command line sends, with notes on everything assumed or ignored.

    A PowerShell ``Invoke-WebRequest`` copy is read as such (kind "powershell").
    """
    if looks_like_powershell(text):
        return from_powershell(text)
    marked = split_marked(text)
    notes: list[str] = []
    if marked and marked[0] == ("$", False):  # a pasted shell prompt
        marked = marked[1:]
    for index, (word, quoted) in enumerate(marked):
        if word in SHELL_OPERATORS and not quoted:  # a quoted ';' is a value, not an operator
            notes.append(f"ignored everything from the shell operator {word!r} on")
            marked = marked[:index]
            break
    words = [word for word, _ in marked]
    if not words:
        raise InputError(
            "the curl command is empty; expected a command line such as curl 'https://host/path'",
            kind="curl",
            text=text,
        )
    program = PurePath(words[0].replace("\\", "/")).name.lower()
    if program not in ("curl", "curl.exe"):
        raise InputError(
            f"expected a curl command line starting with 'curl', got {excerpt(words[0], 40)}",
            kind="curl",
            text=text,
        )
    command = _Command(notes=notes)
    _read_options(words[1:], command, reader)
    return _build(command, text)


def _read_options(words: list[str], command: _Command, reader: Reader | None) -> None:
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if word.startswith("--") and len(word) > 2:
            name = _LONG.get(word)
            if name is None:
                i = _skip_long(word, words, i, command)
                continue
            if name in _TAKES_VALUE:
                if i >= len(words):
                    raise _missing_value(word)
                _apply(name, word, words[i], command, reader)
                i += 1
            else:
                _apply(name, word, "", command, reader)
        elif word.startswith("-") and len(word) > 1:
            i = _read_short_cluster(word, words, i, command, reader)
        else:
            command.urls.append(word)


def _skip_long(word: str, words: list[str], i: int, command: _Command) -> int:
    """Skip an ignored long option (and its value); note an unknown one."""
    if word in _IGNORED_LONG_WITH_VALUE:
        command.ignored.append(word)
        return i + 1
    if word in _IGNORED_LONG_FLAGS or word.startswith("--no-"):
        command.ignored.append(word)
        return i
    command.notes.append(
        f"unknown curl option {word} ignored; if it takes a value, that value was read as a URL"
    )
    return i


def _read_short_cluster(
    word: str, words: list[str], i: int, command: _Command, reader: Reader | None
) -> int:
    """``-sSL``, ``-XPOST``, ``-H 'A: b'``: flags may share a dash; a value ends the cluster."""
    j = 1
    while j < len(word):
        letter = word[j]
        rest = word[j + 1 :]
        name = _SHORT.get(letter)
        if (name is not None and name in _TAKES_VALUE) or letter in _IGNORED_SHORT_WITH_VALUE:
            if rest:
                value = rest
            elif i < len(words):
                value = words[i]
                i += 1
            else:
                raise _missing_value(f"-{letter}")
            if name is not None:
                _apply(name, f"-{letter}", value, command, reader)
            else:
                command.ignored.append(f"-{letter}")
            return i
        if name is not None:
            _apply(name, f"-{letter}", "", command, reader)
        elif letter in _IGNORED_SHORT_FLAGS:
            command.ignored.append(f"-{letter}")
        else:
            command.notes.append(f"unknown curl option -{letter} ignored")
        j += 1
    return i


def _missing_value(option: str) -> InputError:
    return InputError(
        f"curl option {option} needs a value, but the command ends there", kind="curl", text=option
    )


def _apply(name: str, option: str, value: str, command: _Command, reader: Reader | None) -> None:
    """Record what one interpreted option says."""
    if name == "X":
        command.method = check_method(value, "curl")
    elif name == "H":
        _header(option, value, command, reader)
    elif name in ("d", "data-binary", "data-raw", "data-urlencode", "json"):
        _data(name, option, value, command, reader)
    elif name == "url":
        command.urls.append(value)
    elif name == "url-query":
        command.url_query.append(value)
    elif name == "G":
        command.get = True
    elif name == "I":
        command.head = True
    elif name == "u":
        command.notes.append(
            f"{option} sends HTTP Basic credentials, which OAuth 1.0 does not use; ignored "
            "(its value is not shown)"
        )
    elif name == "F":
        command.multipart = True
    elif name == "T":
        command.upload = True


def _header(option: str, value: str, command: _Command, reader: Reader | None) -> None:
    """curl's -H forms: 'Name: value', 'Name:' (remove curl's own), 'Name;' (empty), @file."""
    if value.startswith("@"):
        if reader is None:
            command.notes.append(f"{option} @{value[1:]} reads headers from a file; not read here")
            return
        for line in _read(reader, value[1:], option).decode("utf-8", "replace").splitlines():
            if line.strip():
                _header(option, line, command, None)
        return
    name, colon, rest = value.partition(":")
    if not colon and value.endswith(";") and is_http_token(value[:-1]):
        command.headers.append((value[:-1], ""))
        return
    if not colon or not is_http_token(name):
        raise InputError(
            f"curl {option} {start_of(value)}: expected a header 'Name: value'",
            kind="curl",
            text=value,
        )
    rest = rest.strip(" \t")
    if not rest:
        command.removed_headers.add(name.lower())
        command.notes.append(f"{option} '{name}:' removes the {name} header curl would send")
        return
    command.headers.append((name, rest))


def _data(name: str, option: str, value: str, command: _Command, reader: Reader | None) -> None:
    """The -d family: which ones read @files, strip newlines, or percent-encode (curl(1))."""
    part: bytes | None
    if name == "data-raw":
        part = value.encode("utf-8", "surrogatepass")
    elif name == "data-urlencode":
        part = _urlencoded(option, value, command, reader)
    elif value.startswith("@"):
        part = _data_file(name, option, value[1:], command, reader)
    else:
        part = value.encode("utf-8", "surrogatepass")
    if name == "json":
        command.json = True
    if command.data is None:
        command.data = []
    if part is not None:
        command.data.append(part)


def _data_file(
    name: str, option: str, path: str, command: _Command, reader: Reader | None
) -> bytes | None:
    if reader is None:
        command.notes.append(
            f"{option} @{path} sends a file's content; it was not read here, so the body lacks it"
        )
        return None
    content = _read(reader, path, option)
    if name == "d":  # -d @file strips carriage returns and newlines; --data-binary keeps them
        command.notes.append(f"read {option} @{path} (newlines removed, as curl -d does)")
        return content.replace(b"\r", b"").replace(b"\n", b"")
    command.notes.append(f"read {option} @{path}")
    return content


def _urlencoded(option: str, value: str, command: _Command, reader: Reader | None) -> bytes | None:
    """--data-urlencode: 'content', '=content', 'name=content', '@file', 'name@file'."""
    if "=" in value and ("@" not in value or value.index("=") < value.index("@")):
        prefix, _, content = value.partition("=")
        encoded = percent_encode(content.encode("utf-8", "surrogatepass"))
        return f"{prefix}={encoded}".encode() if prefix else encoded.encode()
    if "@" in value:
        prefix, _, path = value.partition("@")
        raw = _data_file("data-binary", option, path, command, reader)
        if raw is None:
            return None
        encoded = percent_encode(raw)
        return f"{prefix}={encoded}".encode() if prefix else encoded.encode()
    return percent_encode(value.encode("utf-8", "surrogatepass")).encode()


def _read(reader: Reader, path: str, option: str) -> bytes:
    try:
        return reader(path)
    except OSError as error:
        raise InputError(
            f"curl {option} @{path}: cannot read the file ({error.strerror or error})",
            kind="curl",
            text=path,
        ) from None


def _build(command: _Command, text: str) -> ParsedInput:
    """Turn the gathered options into the request curl would send."""
    notes = command.notes
    if not command.urls:
        raise InputError(
            "the curl command has no URL; expected curl [options] 'https://host/path'",
            kind="curl",
            text=text,
        )
    if len(command.urls) > 1:
        notes.append(f"the command names {len(command.urls)} URLs; only the first is read")
    url = command.urls[0]
    if "://" not in url:
        url = f"http://{url}"
        notes.append("the URL has no scheme; curl assumes http://")
    url, url_notes = clean_url(url, "curl")
    notes += url_notes
    body = b"&".join(command.data) if command.data is not None else None
    extra_query = list(command.url_query)
    if command.get and body is not None:
        extra_query.append(body.decode("utf-8", "surrogateescape"))
        notes.append("-G/--get moves the data into the query string")
        body = None
    if extra_query:
        joined = "&".join(extra_query)
        url = f"{url}{'&' if '?' in url else '?'}{joined}"
    headers = [(n, v) for n, v in command.headers if n.lower() not in command.removed_headers]
    implied = _implied_headers(command, body, headers, notes)
    headers += implied
    method = command.method or _default_method(command, body)
    request = HttpRequest(method, url, headers, body)
    if command.ignored:
        notes.append(
            "ignored curl options that do not change what is signed: "
            + ", ".join(dict.fromkeys(command.ignored))
        )
    if command.multipart:
        notes.append(
            "-F/--form sends a multipart body, which is never part of an OAuth 1.0 signature; "
            "its body is not reconstructed"
        )
    if command.upload:
        notes.append("-T/--upload-file sends a file as the body; it was not read")
    notes += method_notes(method)
    if not implied:  # otherwise the note on the implied Content-Type already says it
        notes += body_notes(request)
    notes += signature_notes(request)
    return ParsedInput(request, "curl", tuple(notes))


def _implied_headers(
    command: _Command, body: bytes | None, given: list[tuple[str, str]], notes: list[str]
) -> list[tuple[str, str]]:
    """The Content-Type (and Accept) curl adds for data when none is given (curl(1), -d, --json)."""
    names = {name.lower() for name, _ in given} | command.removed_headers
    if command.multipart and "content-type" not in names:
        return [("Content-Type", "multipart/form-data")]
    if body is None or "content-type" in names:
        return []
    if command.json:
        added = [("Content-Type", "application/json")]
        if "accept" not in names:
            added.append(("Accept", "application/json"))
        notes.append("--json sends Content-Type: application/json, so the body is not signed")
        return added
    notes.append(
        f"curl -d sends Content-Type: {FORM} when no Content-Type header is given, so the body's "
        "parameters are part of the signature (RFC 5849 3.4.1.3.1)"
    )
    return [("Content-Type", FORM)]


def _default_method(command: _Command, body: bytes | None) -> str:
    if command.head:
        return "HEAD"
    if command.get:
        return "GET"
    if body is not None or command.multipart:
        return "POST"
    if command.upload:
        return "PUT"
    return "GET"
