"""LTI 1.1 basic launches: a learning platform POSTs a form signed with OAuth 1.0a (the parameters
in the body, ``oauth_callback=about:blank``), and the tool must verify it before trusting who the
user is. Every OAuth check is :class:`~oauth_debug.server.verifier.RequestVerifier`'s; this module
adds what the LTI 1.1 specification requires of the launch itself (section 4.6 of the IMS LTI 1.1
Implementation Guide: ``lti_message_type``, ``lti_version``, ``resource_link_id``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..encoding import percent_encode
from ..model import Credentials, HttpRequest, Secret
from .nonces import NonceStore
from .verifier import Accepted, RequestVerifier, _Refusal

if TYPE_CHECKING:
    from ..trace import SigningTrace

FORM = "application/x-www-form-urlencoded"
MESSAGE_TYPE = "basic-lti-launch-request"
VERSIONS = ("LTI-1p0",)
"""LTI 1.1 launches say LTI-1p0: 1.1 changed no launch parameter's meaning (LTI 1.1 guide, 4.6)."""
REQUIRED_LTI = ("lti_message_type", "lti_version", "resource_link_id")


@dataclass(frozen=True)
class LtiLaunch:
    """A verified launch: who launched (the consumer key) and the launch's parameters."""

    accepted: Accepted = field(repr=False)
    params: Mapping[str, str]
    """Every non-OAuth parameter of the form (user_id, roles, context_id, ...), first value each."""

    @property
    def consumer_key(self) -> str:
        return self.accepted.consumer_key

    @property
    def trace(self) -> SigningTrace:
        return self.accepted.trace


def _pairs(form: Any) -> list[tuple[str, str]]:
    """The (name, value) pairs of a form as frameworks hand it over: a dict, a dict of lists, a
    MultiDict (werkzeug's, Starlette's, Django's QueryDict) or pairs; every value is kept."""
    if hasattr(form, "multi_items"):  # Starlette FormData
        return [(str(k), str(v)) for k, v in form.multi_items()]
    if hasattr(form, "lists"):  # werkzeug MultiDict, Django QueryDict
        return [(str(k), str(v)) for k, values in form.lists() for v in values]
    items = form.items() if isinstance(form, Mapping) else form
    pairs: list[tuple[str, str]] = []
    for name, value in items:
        if isinstance(value, (list, tuple)):
            pairs.extend((str(name), str(v)) for v in value)
        else:
            pairs.append((str(name), str(value)))
    return pairs


def launch_request(form: Any, url: str) -> HttpRequest:
    """The POST the platform sent, rebuilt from the parsed form (the signature covers the decoded
    parameters, 3.4.1.3.1, so any re-encoding of them yields the same base string)."""
    body = "&".join(f"{percent_encode(n)}={percent_encode(v)}" for n, v in _pairs(form))
    return HttpRequest("POST", url, {"Content-Type": FORM}, body)


def _lti_policy(params: dict[str, str]) -> None:
    missing = [name for name in REQUIRED_LTI if not params.get(name)]
    if missing:
        raise _Refusal(
            "parameter_absent",
            f"the LTI launch carries no {', '.join(missing)} (LTI 1.1 requires "
            f"{', '.join(REQUIRED_LTI)})",
            oauth_parameters_absent="&".join(missing),
        )
    if params["lti_message_type"] != MESSAGE_TYPE or params["lti_version"] not in VERSIONS:
        raise _Refusal(
            "parameter_rejected",
            f"lti_message_type {params['lti_message_type']!r:.40} / lti_version "
            f"{params['lti_version']!r:.20}: a basic launch is {MESSAGE_TYPE} / "
            f"{', '.join(VERSIONS)}",
            oauth_parameters_rejected="lti_message_type&lti_version",
        )


def verify_lti_launch(
    form: Any,
    url: str,
    lookup: Callable[[str, str | None], Credentials | None] | Mapping[str, str | Secret],
    nonces: NonceStore,
    *,
    remote_addr: str | None = None,
    verifier: RequestVerifier | None = None,
    **options: Any,
) -> LtiLaunch:
    """Verify an LTI 1.1 basic launch; return the :class:`LtiLaunch` or raise ``Refused``.

    ``form`` is the POSTed form as the framework parsed it, ``url`` the launch URL exactly as the
    platform was configured with (behind a proxy: the public https URL, or pass ``remote_addr``
    and ``trusted_proxies=``). ``options`` go to :class:`RequestVerifier` (``window``, ``clock``,
    ``trusted_proxies``...); or pass a ready ``verifier``, whose lookup and nonces are then used.
    """
    if verifier is None:
        verifier = RequestVerifier(lookup, nonces, **options)
    accepted, params = verifier._check_with(launch_request(form, url), remote_addr, _lti_policy)
    return LtiLaunch(accepted, dict(params))
