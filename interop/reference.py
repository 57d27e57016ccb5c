"""The RFC reference verdicts of one signed request: oauth_debug.verify, cross-checked by oauthlib.

``oauth_debug.verify`` gives the verdict stored in the corpus ("valid", "wrong" or "refused", with
the RFC 5849 base string of the request as sent). oauthlib's ``SignatureOnlyEndpoint`` is asked the
same question with a validator that accepts every key, nonce and timestamp, so that only the
signature (and oauthlib's own reading of the request) decides.
"""

from __future__ import annotations

import logging
from typing import Any

import oauthlib
from oauthlib.oauth1 import RequestValidator, SignatureOnlyEndpoint

from oauth_debug import Credentials, HttpRequest, OAuthDebugError, SignatureMismatch

# Not ``from oauth_debug import verify``: once any module has imported the submodule
# oauth_debug.verify, the package attribute ``verify`` is that module, not the function.
from oauth_debug.verify import verify


def http_request(sent: dict[str, Any]) -> HttpRequest:
    return HttpRequest(
        sent["method"], sent["url"], [tuple(h) for h in sent["headers"]], sent["body"]
    )


def credentials(secrets: dict[str, Any], rsa_pem: str | None) -> Credentials:
    return Credentials(
        secrets["consumer_key"],
        secrets["consumer_secret"],
        secrets["token"],
        secrets["token_secret"],
        rsa_key=rsa_pem,
    )


def oauth_debug_verdict(
    sent: dict[str, Any], secrets: dict[str, Any], rsa_pem: str | None
) -> dict[str, Any]:
    """verify() on the request as sent: the verdict, and the base string the RFC gives for it."""
    try:
        trace = verify(http_request(sent), credentials(secrets, rsa_pem))
    except SignatureMismatch as mismatch:
        return {"verdict": "wrong", "rfc_base_string": mismatch.trace.base_string}
    except OAuthDebugError as error:
        return {"verdict": "refused", "error": f"{type(error).__name__}: {error}"}
    return {"verdict": "valid", "rfc_base_string": trace.base_string}


class _Trusting(RequestValidator):  # type: ignore[misc]
    """Accepts every client, token, nonce and timestamp: only the signature is judged."""

    def __init__(self, secrets: dict[str, Any], rsa_pem: str | None) -> None:
        super().__init__()
        self._secrets = secrets
        self._rsa = rsa_pem

    enforce_ssl = False
    timestamp_lifetime = 10**11
    allowed_signature_methods = (
        "HMAC-SHA1",
        "HMAC-SHA256",
        "HMAC-SHA512",
        "RSA-SHA1",
        "RSA-SHA256",
        "RSA-SHA512",
        "PLAINTEXT",
    )
    dummy_client = "dummy-client"
    dummy_access_token = "dummy-token"

    def check_client_key(self, client_key: str) -> bool:
        return True

    def check_access_token(self, request_token: str) -> bool:
        return True

    def check_nonce(self, nonce: str) -> bool:
        return True

    def validate_client_key(self, client_key: str, request: Any) -> bool:
        return True

    def validate_access_token(self, client_key: str, token: str, request: Any) -> bool:
        return True

    def validate_timestamp_and_nonce(self, *args: Any, **kwargs: Any) -> bool:
        return True

    def get_client_secret(self, client_key: str, request: Any) -> str:
        return str(self._secrets["consumer_secret"])

    def get_access_token_secret(self, client_key: str, token: str, request: Any) -> str:
        return str(self._secrets["token_secret"])

    def get_rsa_key(self, client_key: str, request: Any) -> str | None:
        return self._rsa


class _Reasons(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def oauthlib_verdict(
    sent: dict[str, Any], secrets: dict[str, Any], rsa_pem: str | None
) -> dict[str, Any]:
    """oauthlib's SignatureOnlyEndpoint on the same request: valid, wrong, or refused (and why)."""
    public = None
    if rsa_pem is not None:
        from cryptography.hazmat.primitives import serialization

        key = serialization.load_pem_private_key(rsa_pem.encode(), password=None)
        public = (
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
    endpoint = SignatureOnlyEndpoint(_Trusting(secrets, public))
    reasons = _Reasons()
    logger = logging.getLogger("oauthlib")
    logger.addHandler(reasons)
    logger.setLevel(logging.DEBUG)
    try:
        body = sent["body"]
        ok, _ = endpoint.validate_request(
            sent["url"], sent["method"], body, {k: v for k, v in sent["headers"]}
        )
    except Exception as error:  # oauthlib raising instead of answering is itself data
        return {"verdict": "refused", "error": f"{type(error).__name__}: {error}"}
    finally:
        logger.removeHandler(reasons)
    if ok:
        return {"verdict": "valid"}
    refused = [m for m in reasons.messages if m.startswith("Exception caught")]
    if refused:
        return {"verdict": "refused", "error": refused[0]}
    return {"verdict": "wrong"}


def oauthlib_version() -> str:
    return str(oauthlib.__version__)
