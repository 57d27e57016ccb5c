"""The timestamp window: how far a request's oauth_timestamp may lie from the server's clock.

RFC 5849 3.3 leaves the window to the server. One default for every part of the tool (the
diagnosis, the sandbox, the live client's skew warning), so that ``diagnose`` and the sandbox
never disagree about whether the same request is stale.
"""

from __future__ import annotations

DEFAULT_WINDOW_SECONDS = 600.0
"""oauthlib's ``RequestValidator.timestamp_lifetime`` (600 s), the default of the Python
OAuth 1 servers most providers and LTI tools run; Alteryx does not document its own."""

WINDOW_ORIGIN = "600 s, oauthlib's default timestamp_lifetime; RFC 5849 3.3 leaves it to the server"
"""How the default is named in every command's help."""
