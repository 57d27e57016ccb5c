"""What the Subscription API v1 returns, as frozen values that keep the raw JSON (``.raw``).

Field names follow the research notes (/work/shared/research/alteryx-gallery-api.md): a job output
is read from the v1 names (``id``, ``name``, ``formats``) and from the newer ones
(``availableFormats``, ``fileName``), since servers differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Raw = Mapping[str, Any]


def _text(data: Raw, *names: str) -> str:
    for name in names:
        value = data.get(name)
        if value is not None:
            return str(value)
    return ""


def _int(value: Any) -> int:
    """A count or code the server sent, or 0 when it is missing or not a whole number.

    These fields are informative: a server that writes "12" or null (servers differ) must not make
    reading a job fail with a ValueError; ``.raw`` keeps what was sent.
    """
    try:
        return int(value or 0)
    except (TypeError, ValueError, OverflowError):
        return 0


def _mapping(value: Any) -> Raw:
    return value if isinstance(value, Mapping) else {}


@dataclass(frozen=True)
class Workflow:
    """A workflow (an "app") the key's subscription can run."""

    id: str
    name: str
    description: str
    file_name: str
    upload_date: str
    run_count: int
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Raw) -> Workflow:
        meta = _mapping(data.get("metaInfo"))
        return cls(
            id=_text(data, "id"),
            name=_text(meta, "name") or _text(data, "fileName"),
            description=_text(meta, "description"),
            file_name=_text(data, "fileName"),
            upload_date=_text(data, "uploadDate"),
            run_count=_int(data.get("runCount")),
            raw=data,
        )


@dataclass(frozen=True)
class QuestionItem:
    """One choice of a list question: the label shown (key) and the value a job is given."""

    key: str
    value: str


@dataclass(frozen=True)
class Question:
    """A question a workflow asks before it runs (an analytic app's input)."""

    name: str
    description: str
    type: str
    items: tuple[QuestionItem, ...]
    multiple: bool
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Raw) -> Question:
        items = data.get("items") or []
        return cls(
            name=_text(data, "name"),
            description=_text(data, "description"),
            type=_text(data, "type"),
            items=tuple(
                QuestionItem(_text(item, "key"), _text(item, "value"))
                for item in items
                if isinstance(item, Mapping)
            ),
            multiple=bool(data.get("multiple")),
            raw=data,
        )


@dataclass(frozen=True)
class JobOutput:
    """A file a finished job produced, and the formats it can be downloaded in."""

    id: str
    name: str
    formats: tuple[str, ...]
    file_name: str
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Raw) -> JobOutput:
        formats = data.get("formats") or data.get("availableFormats") or []
        return cls(
            id=_text(data, "id"),
            name=_text(data, "name", "fileName"),
            formats=tuple(str(f) for f in formats),
            file_name=_text(data, "fileName", "name"),
            raw=data,
        )


@dataclass(frozen=True)
class JobMessage:
    """An engine message: status 1 info, 2 warning, 3 error, 4 complete (research notes)."""

    status: int
    text: str
    tool_id: int
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Raw) -> JobMessage:
        return cls(
            status=_int(data.get("status")),
            text=_text(data, "text"),
            tool_id=_int(data.get("toolId")),
            raw=data,
        )


@dataclass(frozen=True)
class Job:
    """A job: Queued -> Running -> Completed, with a disposition once completed."""

    id: str
    app_id: str
    status: str
    disposition: str
    create_date: str
    priority: str
    outputs: tuple[JobOutput, ...]
    messages: tuple[JobMessage, ...]
    raw: Raw = field(repr=False, compare=False)

    @property
    def done(self) -> bool:
        return self.status.lower() == "completed"

    @property
    def succeeded(self) -> bool:
        return self.done and self.disposition.lower() == "success"

    @property
    def errors(self) -> tuple[JobMessage, ...]:
        return tuple(m for m in self.messages if m.status == 3)

    @classmethod
    def from_json(cls, data: Raw) -> Job:
        return cls(
            id=_text(data, "id"),
            app_id=_text(data, "appId"),
            status=_text(data, "status"),
            disposition=_text(data, "disposition"),
            create_date=_text(data, "createDate"),
            priority=_text(data, "priority"),
            outputs=tuple(
                JobOutput.from_json(o) for o in data.get("outputs") or [] if isinstance(o, Mapping)
            ),
            messages=tuple(
                JobMessage.from_json(m)
                for m in data.get("messages") or []
                if isinstance(m, Mapping)
            ),
            raw=data,
        )
