"""The server's log line for a refused request: one JSON object per refusal, through ``logging``.

It says why the request was refused in the words of the diagnosis (the mistakes it named, its
findings, the base string the server computed), so that an operator can tell a client what to fix
without asking them for their code. It never holds a secret or a signature: the fields are picked
(the diagnosis's expected signature, digest and key are not among them), and the finished line is
passed through :func:`oauth_debug.redact.redact` with the request's secrets and claimed signature
as well, so that nothing a check echoed slips through.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..redact import redact

if TYPE_CHECKING:
    from ..diagnosis.model import Diagnosis

LOGGER_NAME = "oauth_debug.server"
logger = logging.getLogger(LOGGER_NAME)


def diagnosis_fields(diagnosis: Diagnosis | None) -> dict[str, Any]:
    """The secret-free part of a diagnosis that goes into the log line."""
    if diagnosis is None:
        return {"verdict": None, "summary": None, "mistakes": [], "findings": []}
    return {
        "verdict": diagnosis.verdict,
        "summary": diagnosis.summary,
        "mistakes": list(diagnosis.mistakes),
        "candidates": [list(ids) for ids in diagnosis.candidates],
        "findings": [
            {"id": f.id, "severity": f.severity, "message": f.message} for f in diagnosis.findings
        ],
    }


def _scrubbed(value: Any, secrets: list[str]) -> Any:
    # Each text value is redacted, not the serialized line: a one-letter secret elided from the
    # line would also be elided from the JSON's own keys and punctuation.
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, Mapping):
        return {str(key): _scrubbed(item, secrets) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrubbed(item, secrets) for item in value]
    return value


def log_line(record: Mapping[str, Any], secrets: Iterable[str]) -> str:
    """The record as one line of JSON, with every secret and signature in it elided."""
    clean = _scrubbed(record, [secret for secret in secrets if secret])
    return json.dumps(clean, ensure_ascii=True, separators=(",", ":"))


def emit(record: Mapping[str, Any], secrets: Iterable[str]) -> str:
    """Log ``record`` at WARNING on the "oauth_debug.server" logger; return the line logged.

    The line is the message, so any handler prints it as is; ``extra`` carries the same object
    (as ``record.oauth_debug``) for a structured handler that wants the fields.
    """
    line = log_line(record, secrets)
    if logger.isEnabledFor(logging.WARNING):
        logger.warning(line, extra={"oauth_debug": json.loads(line)})
    return line
