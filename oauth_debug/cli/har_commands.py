"""`diagnose --har FILE` and `verify --har FILE`: every OAuth 1 request of a HAR capture at once.

Each entry with OAuth 1 parameters is diagnosed (or verified) with its own recorded answer, read
as ``--response`` reads one (``diagnosis.response.read_parts``), and its timestamp is held against
the moment the capture says it was sent (``startedDateTime``) unless --now is given: a capture is
usually read later than it was made, and today's clock would call every one of its timestamps
stale. Entries without OAuth 1 are counted, not diagnosed.

The command functions call :func:`diagnose_har` / :func:`verify_har` and return; everything the
HAR reading needs lives here so the commands keep their own options apart.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import typer
from rich.text import Text

from ..diagnosis.engine import diagnose
from ..diagnosis.model import Diagnosis
from ..diagnosis.response import ServerAnswer, read_parts
from ..errors import InvalidOptionError, OAuthDebugError
from ..inputs import ParsedInput
from ..inputs.har import HarEntry, read_har
from ..model import Credentials
from ..redact import redact
from ..render.bounds import Bounds, clip
from ..render.console import make_console
from ..render.diagnosis import diagnosis_renderable
from ..render.secrets import REDACTED
from ..verify import claimed_parameters
from .options import HarFile as HarFile  # defined there, so that verify need not import this
from .options import OutputFormat


@dataclass(frozen=True)
class Secrets:
    """What the options give to sign with; the keys come from each request."""

    consumer_secret: str
    token_secret: str
    rsa_key: str | None


@dataclass
class _Tally:
    total: int = 0
    without_oauth: int = 0
    unreadable: int = 0
    failed: int = 0


def check_alone(har: Path, others: dict[str, object]) -> None:
    """--har is the request input: no other input option may come with it."""
    given = [name for name, value in others.items() if value not in (None, [], ())]
    if given:
        raise InvalidOptionError(
            f"--har reads every request from the file; drop {', '.join(given)}"
        )


def _entries(path: Path) -> Iterator[HarEntry]:
    try:
        stream = path.open(encoding="utf-8", errors="replace")  # HAR 1.2 is UTF-8
    except OSError as error:
        raise InvalidOptionError(f"cannot read --har {str(path)!r}: {error}") from None
    with stream:
        yield from read_har(stream)


def _answer(entry: HarEntry) -> ServerAnswer | None:
    if entry.response is None or entry.parsed is None:
        return None
    r = entry.response
    return read_parts(r.status, r.headers, r.body, reason=r.reason, request=entry.parsed.request)


def _credentials(entry: HarEntry, secrets: Secrets) -> tuple[Credentials, dict[str, str]]:
    assert entry.parsed is not None
    oauth = claimed_parameters(entry.parsed.request)[0]
    credentials = Credentials(
        oauth.get("oauth_consumer_key", ""),
        secrets.consumer_secret,
        token=oauth.get("oauth_token"),
        token_secret=secrets.token_secret,
        rsa_key=secrets.rsa_key,
    )
    return credentials, oauth


def _line(entry: HarEntry, status: str, verdict: Text, bounds: Bounds) -> Text:
    url = clip(redact(entry.url), bounds.value_chars)
    return Text.assemble(f"#{entry.index} {entry.method} {url} {status} ", verdict)


def _status(answer: ServerAnswer | None) -> str:
    return f"[{answer.status}]" if answer is not None else "[no response]"


def _verdict(result: Diagnosis) -> str:
    """The verdict, the mistakes named, and the findings that alone make a server refuse it."""
    text: str = result.verdict
    if result.mistakes:
        text += ": " + " + ".join(result.mistakes)
    errors = list(dict.fromkeys(f.id for f in result.findings if f.severity == "error"))
    if errors:
        text += f" (refused for: {', '.join(errors)})"
    return text


def _tally_line(tally: _Tally) -> str:
    return (
        f"{tally.total} entries: {tally.total - tally.without_oauth - tally.unreadable} with "
        f"OAuth 1 checked, {tally.failed} failing, {tally.without_oauth} without OAuth 1 (not "
        f"checked), {tally.unreadable} unreadable"
    )


def diagnose_har(
    path: Path,
    secrets: Secrets,
    *,
    now: float | None,
    server_date: str | None,
    window: float,
    output: OutputFormat,
    show_secrets: bool,
    bounds: Bounds,
) -> None:
    """Diagnose every OAuth 1 entry: exit 0 when all hold, 1 when any fails, 2 when none is."""
    tally = _Tally()
    documents: list[dict[str, Any]] = []
    failures: list[tuple[HarEntry, Diagnosis]] = []
    console = make_console()
    for entry in _entries(path):
        tally.total += 1
        if entry.parsed is None:
            tally.unreadable += 1
            if output is OutputFormat.text:
                console.print(
                    _line(entry, "", Text(f"unreadable: {entry.problem}", "red"), bounds),
                    soft_wrap=True,
                )
            continue
        if not entry.oauth:
            tally.without_oauth += 1
            continue
        answer = _answer(entry)
        credentials, oauth = _credentials(entry, secrets)
        moment = now if now is not None else entry.started
        try:
            result = diagnose(
                entry.parsed.request,
                credentials,
                now=time.time() if moment is None else moment,
                server_date=server_date,
                response=answer,
                stale_after=window,
            )
        except OAuthDebugError as error:
            tally.unreadable += 1
            if output is OutputFormat.text:
                console.print(
                    _line(entry, _status(answer), Text(f"error: {error}", "red"), bounds),
                    soft_wrap=True,
                )
            continue
        if show_secrets and result.claimed_signature == REDACTED:
            result = replace(result, claimed_signature=oauth.get("oauth_signature"))
        if not result.ok:
            tally.failed += 1
            failures.append((entry, result))
        if output is OutputFormat.json:
            document = result.to_dict()
            document["entry"] = entry.index
            document["secrets_shown"] = show_secrets
            document["input"] = {"kind": "har", "notes": list(entry.parsed.notes)}
            documents.append(document)
        else:
            style = "green" if result.ok else "bold red"
            console.print(
                _line(entry, _status(answer), Text(_verdict(result), style), bounds), soft_wrap=True
            )
    _finish(tally, documents, output)
    if output is not OutputFormat.json:
        for entry, result in failures:
            console.print()
            console.print(Text(f"#{entry.index} {entry.method} {redact(entry.url)}", "bold"))
            console.print(diagnosis_renderable(result, show_secrets, bounds))
    raise typer.Exit(1 if tally.failed or tally.unreadable else 0)


def _finish(tally: _Tally, documents: list[dict[str, Any]], output: OutputFormat) -> None:
    """Print the JSON list (or the count line) and stop with 2 when nothing had OAuth 1."""
    if output is OutputFormat.json:
        typer.echo(json.dumps(documents, indent=2, ensure_ascii=False))
        typer.echo(_tally_line(tally), err=True)
    else:
        make_console().print(Text(_tally_line(tally), "dim"))
    if tally.total == tally.without_oauth:
        raise InvalidOptionError(
            f"the HAR holds {tally.total} entries and none carries OAuth 1 parameters "
            "(an Authorization: OAuth header, or oauth_signature in the query or a form body)"
        )


def verify_har(
    path: Path,
    check: Callable[[ParsedInput], tuple[bool, dict[str, Any]]],
    *,
    output: OutputFormat,
    bounds: Bounds,
) -> None:
    """Verify every OAuth 1 entry with ``check`` (verify's own: whether the signature holds, and
    its JSON document); exit 0 when all hold, else 1."""
    tally = _Tally()
    documents: list[dict[str, Any]] = []
    console = make_console()
    for entry in _entries(path):
        tally.total += 1
        if entry.parsed is None:
            tally.unreadable += 1
            if output is OutputFormat.text:
                problem = Text(f"unreadable: {entry.problem}", "red")
                console.print(_line(entry, "", problem, bounds), soft_wrap=True)
            continue
        if not entry.oauth:
            tally.without_oauth += 1
            continue
        status = _status(_answer(entry))
        try:
            valid, document = check(entry.parsed)
        except OAuthDebugError as error:
            tally.unreadable += 1
            if output is OutputFormat.text:
                problem = Text(f"error: {error}", "red")
                console.print(_line(entry, status, problem, bounds), soft_wrap=True)
            continue
        if not valid:
            tally.failed += 1
        if output is OutputFormat.json:
            document["entry"] = entry.index
            documents.append(document)
        else:
            verdict = Text("valid", "green") if valid else Text("invalid", "bold red")
            console.print(_line(entry, status, verdict, bounds), soft_wrap=True)
    _finish(tally, documents, output)
    raise typer.Exit(1 if tally.failed or tally.unreadable else 0)
