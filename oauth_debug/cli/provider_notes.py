"""The provider lines of a command that does not diagnose (sign, verify, request), loading the
provider rules' findings only for a request that a provider's profile applies to.

Most requests match no profile (no ``--provider``, a host no provider serves), and for those the
answer is "nothing to add". Finding that out needs the profiles alone
(:func:`oauth_debug.diagnosis.providers.choose`); the findings module it would otherwise import
brings the whole vocabulary of the diagnosis with it, some 7 ms of a person's wait on each run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import HttpRequest


def provider_lines(
    request: HttpRequest | None, name: str | None, *, now: float | None = None
) -> tuple[str, ...]:
    """:func:`oauth_debug.diagnosis.provider_findings.provider_lines`, the same lines and errors
    (an unknown ``--provider`` is refused by ``choose`` either way)."""
    if request is None:
        return ()
    from ..diagnosis.providers import choose

    if choose(request, name) is None:
        return ()
    from ..diagnosis.provider_findings import provider_lines as lines_of

    return lines_of(request, name, now=now)
