"""OAuth 1 for requests: an ``AuthBase`` that signs each prepared request with the pure signer.

requests' whole auth seam is ``AuthBase.__call__(prepared) -> prepared`` (DESIGN.md, 4): this module
converts the prepared request to an :class:`~oauth_debug.model.HttpRequest`, runs the one signer,
and writes the signed header, URL or form body back. requests calls the auth once per
``Session.request``, so every attempt of a retry loop gets a fresh timestamp and nonce. Redirects do
not pass through the auth again in requests, so a response hook re-signs the redirected request
(same origin only: a signed request is not handed to another host).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.auth import AuthBase
from requests.structures import CaseInsensitiveDict

from ..model import Credentials, HttpRequest
from ..rules import check_placement
from ..signer import Signer
from ..trace import SigningTrace

MAX_REDIRECTS = 10
_BODY_HEADERS = ("content-type", "content-length", "transfer-encoding")


def to_http_request(prepared: requests.PreparedRequest) -> HttpRequest:
    """The prepared request as the signer sees it (a streamed body is left out: unreadable)."""
    body = prepared.body if isinstance(prepared.body, (bytes, str)) else None
    return HttpRequest(
        prepared.method or "GET",
        prepared.url or "",
        list(prepared.headers.items()),
        body,
    )


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _redirect_method(status: int, method: str) -> str:
    """As requests does: 303 makes anything but HEAD a GET; 301/302 make a POST a GET."""
    if status == 303 and method != "HEAD":
        return "GET"
    if status in (301, 302) and method == "POST":
        return "GET"
    return method


class OAuth1Auth(AuthBase):
    """Signs requests made with requests (RFC 5849); ``last_trace`` holds the latest signature.

    ``placement`` is where the protocol parameters travel: the Authorization header (3.5.1), the
    query (3.5.3) or a form body (3.5.2). Query parameters and form bodies are signed; other bodies
    (JSON) are not, and get an oauth_body_hash per the signer's default (``body_hash``).
    ``signer`` supplies the clock and the nonces (inject fixed ones in tests, or an
    :class:`~oauth_debug.live.skew.AdjustableClock` to sign with the server's time).
    """

    def __init__(
        self,
        credentials: Credentials,
        signature_method: str = "HMAC-SHA1",
        placement: str = "header",
        realm: str | None = None,
        signer: Signer | None = None,
        *,
        body_hash: bool | None = None,
        follow_redirects: bool = True,
    ) -> None:
        self.credentials = credentials
        self.signature_method = signature_method
        self.placement = check_placement(placement)
        self.realm = realm
        self.signer = signer or Signer()
        self.body_hash = body_hash
        self.follow_redirects = follow_redirects
        self.last_trace: SigningTrace | None = None

    def __repr__(self) -> str:
        # Credentials hold Secrets; this stays redacted even so.
        return (
            f"OAuth1Auth(consumer_key={self.credentials.consumer_key!r}, "
            f"signature_method={self.signature_method!r}, placement={self.placement!r})"
        )

    def sign(self, request: HttpRequest) -> SigningTrace:
        """Sign an unsigned request now (fresh timestamp and nonce) and remember the trace."""
        trace = self.signer.sign(
            request,
            self.credentials,
            signature_method=self.signature_method,
            realm=self.realm,
            placement=self.placement,
            body_hash=self.body_hash,
        )
        self.last_trace = trace
        return trace

    def __call__(self, prepared: requests.PreparedRequest) -> requests.PreparedRequest:
        unsigned = to_http_request(prepared)
        apply(prepared, self.sign(unsigned))
        if self.follow_redirects:
            prepared.register_hook("response", self._redirect_hook(unsigned))  # type: ignore[no-untyped-call]
        return prepared

    def _redirect_hook(self, unsigned: HttpRequest) -> Any:
        def hook(response: requests.Response, **send_options: Any) -> requests.Response:
            return self._follow(response, unsigned, send_options)

        return hook

    def _follow(
        self, response: requests.Response, unsigned: HttpRequest, send_options: dict[str, Any]
    ) -> requests.Response:
        """Follow same-origin redirects here, signing each hop afresh (bounded)."""
        history: list[requests.Response] = []
        while response.is_redirect and len(history) < MAX_REDIRECTS:
            target = urljoin(response.url, response.headers["location"]).split("#", 1)[0]
            if _origin(target) != _origin(response.url):
                break  # requests follows it and strips the Authorization header; we sign nothing
            method = _redirect_method(response.status_code, unsigned.method.upper())
            prepared = response.request.copy()
            prepared.prepare_url(target, None)  # requests' own URL normalization, then signed
            unsigned = unsigned.replace(method=method, url=prepared.url)
            if method != response.request.method and method == "GET":
                unsigned = unsigned.replace(
                    headers=[(k, v) for k, v in unsigned.headers if k.lower() not in _BODY_HEADERS],
                    drop_body=True,
                )
            prepared.method = method
            prepared.headers = CaseInsensitiveDict(unsigned.headers)
            prepared.body = unsigned.body
            apply(prepared, self.sign(unsigned))
            response.content  # noqa: B018  (read it so the connection goes back to the pool)
            response.close()
            history.append(response)
            following = response.connection.send(prepared, **send_options)
            following.history = [*history]
            following.request = prepared
            response = following
        return response


def apply(prepared: requests.PreparedRequest, trace: SigningTrace) -> None:
    """Write the signed request of ``trace`` into ``prepared`` (only what signing changed)."""
    signed = trace.signed_request
    assert signed is not None, "a trace from signing always carries the signed request"
    if trace.placement == "header":
        prepared.headers["Authorization"] = signed.header("Authorization") or ""
    elif trace.placement == "query":
        prepared.url = signed.url  # already percent-encoded: no second pass through requests
    else:
        prepared.body = signed.body
        prepared.headers["Content-Type"] = signed.header("Content-Type") or ""
        prepared.prepare_content_length(signed.body)
