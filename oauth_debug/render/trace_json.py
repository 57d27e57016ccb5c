"""A SigningTrace as a JSON-ready dict: the shape `sign --format json` and `explain --format json`
print, and that other commands embed (diagnosis `expected`, verify `trace`).

The document is a value of the core (:func:`oauth_debug.trace_document.trace_document`), since
the diagnosis embeds it; the name the commands know is kept here."""

from __future__ import annotations

from ..trace_document import trace_document as trace_to_dict

__all__ = ["trace_to_dict"]
