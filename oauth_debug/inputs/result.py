"""What every input reader returns, and the one error they raise.

A person arrives with a URL, a curl command, a proxy log or a header; each reader turns that into
the same :class:`ParsedInput`: the request as it was sent, the kind of input it came from, and
notes on anything the reader assumed or left out (an ignored curl option, a Content-Type curl
added).
The notes matter because they can decide the signature: a body only counts when it is a form.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import OAuthDebugError
from ..model import HttpRequest

InputKind = str  # "url" | "parts" | "curl" | "http"


@dataclass(frozen=True)
class ParsedInput:
    """A request read from what a person has in hand, with the reader's notes in order."""

    request: HttpRequest
    kind: InputKind
    notes: tuple[str, ...] = ()

    def with_notes(self, *more: str) -> ParsedInput:
        """A copy with ``more`` notes appended."""
        return ParsedInput(self.request, self.kind, (*self.notes, *more))


class InputError(OAuthDebugError):
    """Input that cannot be read as a request: the message says what was expected.

    ``text`` is the input (or the part of it at fault), redacted like every error's data (no
    oauth_signature value in clear), ``position`` the character offset of the problem in the
    input as given, when there is one, ``kind`` the reader that failed ("curl", "http", "url",
    "options").
    """

    def __init__(
        self, message: str, *, kind: str, text: str = "", position: int | None = None
    ) -> None:
        super().__init__(message, kind=kind, text=text, position=position)
        self.kind: str = self.data["kind"]
        self.text: str = self.data["text"]
        self.position: int | None = self.data["position"]
