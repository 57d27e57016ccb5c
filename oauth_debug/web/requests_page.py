"""The classroom's pages: the list of requests a sandbox answered, and one refusal explained.

Both are drawn from :class:`~oauth_debug.sandbox.records.RequestRecord` values through the same
autoescaping Jinja2 environment as the explainer (``page._environment``). A record holds the
*client view* of its diagnosis (``diagnosis.public.for_client``): these pages can show nothing
computed with the sandbox's secret because they are never given it. They also leave out the one
value a record's diagnosis does carry that would let someone replay a request: the client's own
``claimed_signature``. Who can reach the sandbox can read these pages, and the pages say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from ..diagnosis.model import VERDICT_TEXT, SideBySide
from ..redact import redact
from ..sandbox.records import RequestRecord
from ..trace import BaseStringParts
from .page import _environment
from .view import Comparison, Piece, base_string_pieces, comparison

PUBLIC_NOTICE = (
    "Anyone who can reach this sandbox sees this list and every explanation it links to. "
    "No signature, secret or value computed with a secret is ever shown here."
)

POLL_SECONDS = 2.0
"""How often the page's script asks ``/api/requests`` for the list again."""


def explanation_path(base: str, record: RequestRecord) -> str:
    """The explanation page of ``record``, under the classroom's mount point ``base``."""
    return f"{base}/requests/{quote(record.request_id, safe='')}"


def when(record: RequestRecord) -> str:
    """The record's time in UTC, to the second (the same text the page's script writes)."""
    return datetime.fromtimestamp(record.time, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def record_summary(base: str, record: RequestRecord) -> dict[str, Any]:
    """One row of ``GET /api/requests``: what the list shows, and the link to its explanation.

    Built from the record's fields alone: the diagnosis document stays behind its own page.
    """
    return {
        "id": record.request_id,
        "time": record.time,
        "time_text": when(record),
        "method": record.method,
        "path": redact(record.path),
        "consumer_key": record.consumer_key,
        "status": record.status,
        "verdict": record.verdict,
        "mistakes": list(record.mistakes),
        "findings": list(record.findings),
        "refused_because": record.refused_because,
        "explanation": explanation_path(base, record),
    }


def render_requests(base: str, records: Sequence[RequestRecord]) -> str:
    """The ``/requests`` page: the newest requests first; its script keeps it current."""
    rows = [record_summary(base, record) for record in records]
    return (
        _environment()
        .get_template("requests.html")
        .render(
            base=base,
            rows=rows,
            notice=PUBLIC_NOTICE,
            poll_ms=int(POLL_SECONDS * 1000),
        )
    )


def render_request(base: str, record: RequestRecord) -> str:
    """The ``/requests/<id>`` page: which step went wrong and how to fix it."""
    document = shown_diagnosis(record)
    return (
        _environment()
        .get_template("request.html")
        .render(
            base=base,
            record=record,
            time_text=when(record),
            notice=PUBLIC_NOTICE,
            verdict=document.get("verdict", record.verdict),
            verdict_text=VERDICT_TEXT,
            summary=document.get("summary"),
            refused=document.get("refused_because") or None,
            mistakes=_mistakes(document),
            findings=_dicts(document.get("findings")),
            pieces=_pieces(document),
            notes=[str(note) for note in document.get("notes") or ()],
            withheld=document.get("withheld"),
            has_diagnosis=bool(document),
        )
    )


def shown_diagnosis(record: RequestRecord) -> dict[str, Any]:
    """The record's diagnosis as these pages may show it: without the client's own signature.

    The client view already holds nothing computed with the secret; what it still holds is what
    the client sent, and a signature with its nonce and timestamp is a credential (RFC 5849 3.3):
    ``claimed_signature`` goes, and every string passes through the package's one
    :func:`~oauth_debug.redact.redact`, told that signature too, so that a base string which
    kept the signed query in its URI (a mistake a diagnosis replays) shows it only as "****".
    """
    document = dict(record.diagnosis or {})
    claimed = document.pop("claimed_signature", None)
    known = [claimed] if isinstance(claimed, str) and claimed else []
    scrubbed: dict[str, Any] = _scrub(document, known)
    return scrubbed


def _scrub(value: Any, known: list[str]) -> Any:
    if isinstance(value, str):
        return redact(value, known)
    if isinstance(value, dict):
        return {key: _scrub(item, known) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item, known) for item in value]
    return value


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value or () if isinstance(item, dict)]


def _comparisons(rows: Any) -> tuple[Comparison, ...]:
    """The client view's rows as the explainer's marked comparisons (compare.html draws them)."""
    return tuple(
        comparison(SideBySide(str(row.get("label", "")), str(row["wrong"]), str(row["right"])))
        for row in _dicts(rows)
        if "wrong" in row and "right" in row
    )


def _mistakes(document: dict[str, Any]) -> list[tuple[dict[str, Any], tuple[Comparison, ...]]]:
    return [
        (mistake, _comparisons(mistake.get("comparisons")))
        for mistake in _dicts(document.get("explanation"))
    ]


def _pieces(document: dict[str, Any]) -> tuple[Piece, ...]:
    """The sandbox's base string (RFC 5849 3.4.1.1, computed from the request alone), with its
    two separating "&" set apart, as the explainer draws it."""
    expected = document.get("expected")
    parts = expected.get("base_string_parts") if isinstance(expected, dict) else None
    if not isinstance(parts, dict):
        return ()
    return base_string_pieces(
        BaseStringParts(
            str(parts.get("method", "")),
            str(parts.get("uri", "")),
            str(parts.get("parameters", "")),
        )
    )
