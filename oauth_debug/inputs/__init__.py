"""Turn what a person has in hand into the request that was sent.

Four kinds of input, one result (:class:`ParsedInput`: the request, its kind, and notes):

- :func:`from_url`: a URL with the oauth_* parameters in its query, as interactive API docs show it;
- :func:`from_parts`: a method, URL, headers (the Authorization header) and body;
- :func:`from_curl`: a curl command line from browser devtools, Postman or Swagger UI (bash or
  Windows cmd), or Chrome's "Copy as PowerShell" (:mod:`.powershell`), told apart by itself;
- :func:`from_http`: a raw HTTP request as a proxy logs it.

Captures of many requests have readers of their own: :mod:`.har` (a HAR 1.2 export, each entry
with its recorded answer, streamed by :mod:`.har_stream`) and :mod:`.postman` (what Postman signs
for a request of a collection whose auth is OAuth 1.0).

Any text in gives a ParsedInput or an :class:`~oauth_debug.errors.OAuthDebugError` (mostly
:class:`InputError`) out. The readers are pure; :func:`request_from_options`, the function every
command calls with its options, is the only one that reads files or standard input.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .curl import from_curl
    from .direct import from_parts, from_url
    from .options import request_from_options
    from .raw_http import from_http
    from .result import InputError, ParsedInput

# Each name is imported from its module when first used (PEP 562), not here: a command that reads
# a URL need not load the curl, PowerShell and raw-HTTP readers, and a person waits for every
# module a command line imports.
_PUBLIC = {
    "from_curl": "curl",
    "from_parts": "direct",
    "from_url": "direct",
    "request_from_options": "options",
    "from_http": "raw_http",
    "InputError": "result",
    "ParsedInput": "result",
}


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "InputError",
    "ParsedInput",
    "from_curl",
    "from_http",
    "from_parts",
    "from_url",
    "request_from_options",
]
