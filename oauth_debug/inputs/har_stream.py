"""Decode the items of a HAR's ``log.entries`` one at a time, from a text or a stream.

A capture of thousands of entries with base64 bodies is tens of megabytes; parsing it whole holds
the text and a parsed copy of every body side by side. Here only the structure before the entries
array is scanned (``log`` and its keys before ``entries``: ``version``, ``creator``, ``pages``),
then each entry is decoded alone with the C decoder (``JSONDecoder.raw_decode``) from a window of
the text that is refilled from the stream as it is used up: the memory held is about one entry and
one chunk, whatever the size of the file. A layout this scan does not find (``entries`` before
``log`` is closed by a key it cannot see, say) is parsed whole instead, with the same result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, Any

from .result import InputError

# The structure of the document up to its entries: whole strings (keys among them), brackets, and
# a quote whose string is not complete yet in the window (more text is needed).
_STRUCTURE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]]|"')
_COLON = re.compile(r"\s*:")
_SPACE = re.compile(r"\s*")
_DECODER = json.JSONDecoder()
CHUNK = 1 << 20
"""Characters read from the stream at a time (doubled while one entry does not fit)."""


class _Window:
    """The part of the document not consumed yet, refilled from the stream."""

    def __init__(self, source: str | IO[str], chunk: int) -> None:
        self.stream = None if isinstance(source, str) else source
        self.text = source if isinstance(source, str) else ""
        self.position = 0
        self.chunk = chunk
        self.ended = self.stream is None

    def more(self) -> bool:
        """Read the next chunk (dropping what was consumed); False at the end of the stream."""
        if self.ended or self.stream is None:
            return False
        piece = self.stream.read(self.chunk)
        if not piece:
            self.ended = True
            return False
        self.text = self.text[self.position :] + piece
        self.position = 0
        self.chunk *= 2  # one entry larger than the window: grow, so the retries stay linear
        return True

    def skip_space(self) -> str:
        """The next character after white space ("" at the end of the document)."""
        while True:
            end = _SPACE.match(self.text, self.position)
            assert end is not None  # \s* always matches
            self.position = end.end()
            if self.position < len(self.text) or not self.more():
                return self.text[self.position : self.position + 1]


def har_entries(source: str | IO[str], chunk: int = CHUNK) -> Iterator[Any]:
    """The items of ``log.entries``, in order; InputError when the document is no HAR."""
    window = _Window(source, chunk)
    while (start := _entries_start(window.text)) is None or start < 0:
        if not window.more():
            yield from _parsed_entries(window.text)  # not found by the scan: parse it whole
            return
    window.position = start
    if window.skip_space() == "]":
        return
    while True:
        try:
            item, window.position = _DECODER.raw_decode(window.text, window.position)
        except ValueError as error:
            if window.more():
                continue  # the entry goes on past the window
            raise InputError(f"the HAR file is not JSON: {error}", kind="har") from None
        window.chunk = chunk  # the next entry starts with the usual window again
        yield item
        following = window.skip_space()
        if following == ",":
            window.position += 1
            window.skip_space()
        elif following == "]":
            return
        else:
            raise InputError(
                "the HAR file is not JSON: expected ',' or ']' after an entry", kind="har"
            )


def _entries_start(text: str) -> int | None:
    """Where the items of ``{"log": {"entries": [`` begin; None when the document has no such
    array, -1 when the text ends before the scan can tell."""
    path: list[str | None] = []  # for each open object or array, the key whose value it is
    key: str | None = None
    for match in _STRUCTURE.finditer(text):
        token = match.group(0)
        if token == '"':
            return -1  # a string that the window cuts
        if token in ("{", "["):
            if token == "[" and key == "entries" and path == [None, "log"]:
                return match.end()
            path.append(key)
            key = None
        elif token in ("}", "]"):
            if not path:
                return None
            path.pop()
            key = None
            if not path:
                return None  # the document ended without log.entries
        elif len(path) <= 2 and _COLON.match(text, match.end()) is not None:
            key = json.loads(token)  # a key of the document or of log: its value comes next
        else:
            key = None
    return -1


def _parsed_entries(text: str) -> Iterator[Any]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise InputError(f"the HAR file is not JSON: {error}", kind="har") from None
    log = document.get("log") if isinstance(document, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise InputError(
            'expected a HAR 1.2 file: a JSON object {"log": {"entries": [...]}}', kind="har"
        )
    entries.reverse()
    while entries:
        yield entries.pop()
