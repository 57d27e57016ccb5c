"""OAuth 1 for httpx: the same signer behind httpx's ``auth_flow`` generator.

httpx is an optional dependency (the ``httpx`` extra); only this module imports it. httpx runs the
auth flow once per ``send``, and a client that follows redirects itself would resend our stale
signature; so leave ``follow_redirects=False`` (httpx's default) and this flow follows same-origin
redirects, signing each hop with a fresh timestamp and nonce.
"""

from __future__ import annotations

from collections.abc import Generator

from ..errors import MissingDependencyError
from ..model import Credentials, HttpRequest
from ..rules import HEADER_OR_QUERY, check_placement
from ..signer import Signer
from ..trace import SigningTrace

try:
    import httpx
except ImportError as error:  # pragma: no cover - exercised only without the extra
    raise MissingDependencyError(
        "the httpx integration needs httpx: pip install 'oauth-debug[httpx]'", extra="httpx"
    ) from error

MAX_REDIRECTS = 10


class OAuth1Auth(httpx.Auth):
    """Signs httpx requests (RFC 5849) in the Authorization header or the query.

    A form body placement is not offered here: httpx builds its body stream before auth runs.
    """

    requires_request_body = True

    def __init__(
        self,
        credentials: Credentials,
        signature_method: str = "HMAC-SHA1",
        placement: str = "header",
        realm: str | None = None,
        signer: Signer | None = None,
        *,
        body_hash: bool | None = None,
    ) -> None:
        self.credentials = credentials
        self.signature_method = signature_method
        self.placement = check_placement(placement, HEADER_OR_QUERY, where=" with httpx")
        self.realm = realm
        self.signer = signer or Signer()
        self.body_hash = body_hash
        self.last_trace: SigningTrace | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        origin = request.url.copy_with(path="/", query=None, fragment=None)
        response = yield self._sign(request)
        # With follow_redirects=False (httpx's default) httpx hands each redirect back here as
        # next_request; this flow follows same-origin ones itself, so every hop is signed afresh.
        for _ in range(MAX_REDIRECTS):
            following = response.next_request
            if (
                following is None
                or following.url.copy_with(path="/", query=None, fragment=None) != origin
            ):
                return
            response = yield self._sign(following)

    def _sign(self, request: httpx.Request) -> httpx.Request:
        unsigned = HttpRequest(
            request.method,
            str(request.url),
            [(k, v) for k, v in request.headers.multi_items() if k.lower() != "authorization"],
            request.content,
        )
        trace = self.signer.sign(
            unsigned,
            self.credentials,
            signature_method=self.signature_method,
            realm=self.realm,
            placement=self.placement,
            body_hash=self.body_hash,
        )
        self.last_trace = trace
        signed = trace.signed_request
        assert signed is not None
        if self.placement == "header":
            request.headers["Authorization"] = signed.header("Authorization") or ""
        else:
            request.url = httpx.URL(signed.url)
        return request
