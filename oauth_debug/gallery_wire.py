"""The Gallery Subscription API v1's JSON shapes, defined once: read by the live client, written
by the sandbox.

Each value reads the server's object (``from_json``, keeping it whole as ``.raw``) and writes the
object a Gallery sends (``to_json``). Field names follow the research notes
(/work/shared/research/alteryx-gallery-api.md): a job output is read from the v1 names (``id``,
``name``, ``formats``) and from the newer ones (``availableFormats``, ``fileName``), since servers
differ. Standard library only: the sandbox imports this without the live client's requests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

Raw = Mapping[str, Any]

_NO_RAW: Raw = MappingProxyType({})
"""What ``.raw`` holds for a value built here rather than read from a server (read-only)."""


def _no_raw() -> Raw:
    # A factory: dataclasses refuse an unhashable default, even an immutable one.
    return _NO_RAW


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
    """A workflow (an "app") the key's subscription can run: ``GET workflows/subscription/``."""

    id: str
    name: str
    description: str
    file_name: str
    upload_date: str
    run_count: int
    author: str = ""
    subscription_id: str = ""
    raw: Raw = field(default_factory=_no_raw, repr=False, compare=False)

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
            author=_text(meta, "author"),
            subscription_id=_text(data, "subscriptionId"),
            raw=data,
        )

    def to_json(self) -> dict[str, Any]:
        """The workflow object as a Gallery writes it (the fields not modelled here hold the
        values of a private, runnable, unchained app)."""
        return {
            "id": self.id,
            "subscriptionId": self.subscription_id,
            "public": False,
            "runDisabled": False,
            "packageType": 0,
            "uploadDate": self.upload_date,
            "fileName": self.file_name,
            "metaInfo": {
                "name": self.name,
                "description": self.description,
                "author": self.author,
                "copyright": "",
                "url": "",
                "urlText": "",
                "outputMessage": "",
                "noOutputFilesMessage": "This workflow wrote no files.",
            },
            "isChained": False,
            "version": 1,
            "runCount": self.run_count,
            "workerTag": "",
        }


@dataclass(frozen=True)
class Item:
    """One choice of a list question: ``key`` is the label shown, ``value`` what a job is given."""

    key: str
    value: str

    @classmethod
    def from_json(cls, data: Raw) -> Item:
        return cls(_text(data, "key"), _text(data, "value"))

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "value": self.value}


@dataclass(frozen=True)
class Question:
    """A question a workflow asks before it runs: ``GET workflows/{appId}/questions/``."""

    name: str
    description: str
    type: str
    items: tuple[Item, ...] = ()
    multiple: bool = False
    raw: Raw = field(default_factory=_no_raw, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Raw) -> Question:
        items = data.get("items") or []
        return cls(
            name=_text(data, "name"),
            description=_text(data, "description"),
            type=_text(data, "type"),
            items=tuple(Item.from_json(item) for item in items if isinstance(item, Mapping)),
            multiple=bool(data.get("multiple")),
            raw=data,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "type": self.type,
            "items": [item.to_json() for item in self.items],
            "multiple": self.multiple,
        }


@dataclass(frozen=True)
class JobOutput:
    """A file a finished job produced, and the formats it can be downloaded in."""

    id: str
    name: str
    formats: tuple[str, ...]
    file_name: str
    raw: Raw = field(default_factory=_no_raw, repr=False, compare=False)

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

    def to_json(self) -> dict[str, Any]:
        """Both generations of names, as the sandbox serves them, so either kind of client reads
        the output."""
        return {
            "id": self.id,
            "name": self.name,
            "formats": list(self.formats),
            "availableFormats": list(self.formats),
            "fileName": self.file_name,
        }


@dataclass(frozen=True)
class JobMessage:
    """An engine message: status 1 info, 2 warning, 3 error, 4 complete (research notes)."""

    status: int
    text: str
    tool_id: int = 0
    raw: Raw = field(default_factory=_no_raw, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Raw) -> JobMessage:
        return cls(
            status=_int(data.get("status")),
            text=_text(data, "text"),
            tool_id=_int(data.get("toolId")),
            raw=data,
        )

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "text": self.text, "toolId": self.tool_id}


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
    raw: Raw = field(default_factory=_no_raw, repr=False, compare=False)

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
