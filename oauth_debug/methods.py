"""Signature methods (RFC 5849 3.4.2 HMAC-SHA1, 3.4.3 RSA-SHA1, 3.4.4 PLAINTEXT) and their SHA-2
siblings, keyed by the name that goes into oauth_signature_method.

A method turns (base string, signing key, credentials) into raw digest bytes, and knows how those
bytes are written out: base64 for the MAC and RSA methods, the key itself for PLAINTEXT. RSA uses
the optional ``cryptography`` package (the ``rsa`` extra), imported only when an RSA method runs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Literal

from .errors import MissingDependencyError, MissingKeyError, UnsupportedSignatureMethodError
from .model import Credentials
from .redact import REDACTED

Family = Literal["HMAC", "RSA", "PLAINTEXT"]


@dataclass(frozen=True)
class SignatureMethod:
    """One oauth_signature_method: its family and the hash it uses (None for PLAINTEXT)."""

    name: str
    family: Family
    hash_name: str | None

    @property
    def signature_length(self) -> int | None:
        """Characters in a base64 signature of this method (None when it varies: RSA, PLAINTEXT)."""
        if self.family != "HMAC" or self.hash_name is None:
            return None
        size = hashlib.new(self.hash_name).digest_size
        return 4 * ((size + 2) // 3)

    @property
    def body_hash_name(self) -> str:
        """The hash for oauth_body_hash: the method's own; SHA-1 for PLAINTEXT (body hash draft)."""
        return self.hash_name or "sha1"


METHODS: dict[str, SignatureMethod] = {
    method.name: method
    for method in (
        SignatureMethod("HMAC-SHA1", "HMAC", "sha1"),
        SignatureMethod("HMAC-SHA256", "HMAC", "sha256"),
        SignatureMethod("HMAC-SHA512", "HMAC", "sha512"),
        SignatureMethod("PLAINTEXT", "PLAINTEXT", None),
        SignatureMethod("RSA-SHA1", "RSA", "sha1"),
        SignatureMethod("RSA-SHA256", "RSA", "sha256"),
        SignatureMethod("RSA-SHA512", "RSA", "sha512"),
    )
}


def get_method(name: str) -> SignatureMethod:
    """Look a method up by its exact oauth_signature_method name (the names are case-sensitive)."""
    try:
        return METHODS[name]
    except (KeyError, TypeError):  # TypeError: an unhashable value is no method name either
        hint = ""
        for known in METHODS:
            if isinstance(name, str) and known.lower() == name.strip().lower():
                hint = f" (did you mean {known!r}? method names are case-sensitive)"
        raise UnsupportedSignatureMethodError(
            f"unknown signature method {name!r}{hint}; use one of {', '.join(METHODS)}",
            method=name,
        ) from None


try:
    # OpenSSL's HMAC object itself, which hmac.HMAC wraps in Python: its copy() costs a third of
    # the wrapper's. Private to CPython, hence the fallback; both give the same digests.
    from _hashlib import hmac_new as _new_hmac
except ImportError:  # pragma: no cover - a Python built without OpenSSL's HMAC
    _new_hmac = hmac.new  # type: ignore[assignment]


class KeyedMac:
    """HMACs keyed with one signing key, made once per hash and copied for each message.

    HMAC (RFC 2104 section 2) first hashes the key into an inner and an outer pad; a keyed HMAC's
    copy starts from those two states, which saves about a third of an HMAC over a base string of
    a few hundred bytes. It holds the key, so it prints nothing of it and goes wherever the
    :class:`~oauth_debug.model.Credentials` it was made from go (never into a shared cache).
    """

    __slots__ = ("_key", "_keyed")

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._keyed: dict[str, Any] = {}  # hash name -> keyed HMAC (either kind)

    def digest(self, hash_name: str, message: bytes) -> bytes:
        """The HMAC of ``message`` with this key and ``hash_name`` (what hmac.digest returns)."""
        keyed = self._keyed.get(hash_name)
        if keyed is None:
            keyed = self._keyed[hash_name] = _new_hmac(self._key, digestmod=hash_name)
        mac = keyed.copy()
        mac.update(message)
        return mac.digest()

    def __repr__(self) -> str:
        return f"KeyedMac({REDACTED})"


def hmac_digest(hash_name: str, key: str, base_string: str) -> bytes:
    """HMAC over the UTF-8 base string with the UTF-8 key (3.4.2: both are octet strings)."""
    return hmac.digest(key.encode("utf-8"), base_string.encode("utf-8"), hash_name)


def body_hash(method: SignatureMethod, body: bytes | None) -> str:
    """oauth_body_hash: base64 of the hash of the raw body (the OAuth Request Body Hash draft)."""
    digest = hashlib.new(method.body_hash_name, body or b"").digest()
    return base64.b64encode(digest).decode("ascii")


def _cryptography() -> Any:
    try:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
        from cryptography.x509 import load_pem_x509_certificate
    except ImportError:
        raise MissingDependencyError(
            "RSA signature methods need the 'cryptography' package: pip install 'oauth-debug[rsa]'",
            extra="rsa",
        ) from None
    return hashes, serialization, padding, load_pem_x509_certificate


def _hash_object(hashes: Any, hash_name: str) -> Any:
    return {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha512": hashes.SHA512}[hash_name]()


def _require_pem(credentials: Credentials, method: SignatureMethod) -> bytes:
    if credentials.rsa_key is None or not credentials.rsa_key:
        raise MissingKeyError(
            f"{method.name} needs an RSA key: pass Credentials(..., rsa_key=PEM text) "
            "or --rsa-key FILE",
            method=method.name,
        )
    return credentials.rsa_key.reveal().encode("utf-8")


def rsa_sign(method: SignatureMethod, credentials: Credentials, base_string: str) -> bytes:
    """RSASSA-PKCS1-v1_5 over the base string (3.4.3) with the private key in the credentials."""
    hashes, serialization, padding, _ = _cryptography()
    pem = _require_pem(credentials, method)
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise MissingKeyError(
            f"{method.name} signs with an unencrypted PEM private key; this key does not load "
            f"({error})",
            method=method.name,
        ) from None
    if not hasattr(key, "sign") or not hasattr(key, "key_size"):
        raise MissingKeyError(f"{method.name} needs an RSA private key", method=method.name)
    assert method.hash_name is not None
    signature: bytes = key.sign(
        base_string.encode("utf-8"), padding.PKCS1v15(), _hash_object(hashes, method.hash_name)
    )
    return signature


def rsa_public_key(method: SignatureMethod, credentials: Credentials) -> Any:
    """The RSA public key in the credentials: a PEM public key, certificate or private key."""
    _, serialization, _, load_certificate = _cryptography()
    pem = _require_pem(credentials, method)
    try:
        if b"CERTIFICATE" in pem:
            return load_certificate(pem).public_key()
        if b"PRIVATE KEY" in pem:
            return serialization.load_pem_private_key(pem, password=None).public_key()
        return serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as error:
        raise MissingKeyError(
            f"{method.name} verification needs a PEM public key, certificate or private key; "
            f"this one does not load ({error})",
            method=method.name,
        ) from None


def rsa_verify(
    method: SignatureMethod,
    credentials: Credentials,
    base_string: str,
    signature: bytes,
    *,
    hash_name: str | None = None,
) -> bool:
    """Check an RSA signature with the public key, certificate or private key in the credentials.

    ``hash_name`` overrides the method's hash (the diagnosis confirms a signature made with
    another hash than the one oauth_signature_method names).
    """
    hashes, _, padding, _ = _cryptography()
    public_key = rsa_public_key(method, credentials)
    chosen = hash_name or method.hash_name
    assert chosen is not None
    try:
        public_key.verify(
            signature,
            base_string.encode("utf-8"),
            padding.PKCS1v15(),
            _hash_object(hashes, chosen),
        )
    except Exception:  # cryptography raises InvalidSignature; any failure means "not valid"
        return False
    return True
