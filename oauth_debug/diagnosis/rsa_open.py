"""Opening an RSA signature with the public key: the hash it carries (RFC 8017 8.2.2, 9.2).

Verification (RFC 8017 8.2.2) raises the signature to the public exponent (RSAVP1, step 2) and
compares the result with the EMSA-PKCS1-v1_5 encoding of the message's hash (9.2, step 3). The
public operation does not depend on the message, so the search does it once per reading of the
claimed signature and strips the padding, which leaves the hash the signer signed; each candidate
base string then costs one hash. The search imports this module; :mod:`.rsa_match` builds on both.
"""

from __future__ import annotations

from typing import Any, TypeVar

from ..errors import MissingKeyError
from ..methods import SignatureMethod, rsa_public_key
from ..model import Credentials

# RFC 8017 9.2, note 1: the DER encoding of DigestInfo up to the hash value, per hash.
DIGEST_INFO_PREFIXES: dict[bytes, str] = {
    bytes.fromhex("3021300906052b0e03021a05000414"): "sha1",
    bytes.fromhex("3031300d060960864801650304020105000420"): "sha256",
    bytes.fromhex("3051300d060960864801650304020305000440"): "sha512",
}
_DIGEST_SIZES = {"sha1": 20, "sha256": 32, "sha512": 64}
_MIN_PADDING = 8  # RFC 8017 9.2 step 5: PS is at least eight 0xff octets

T = TypeVar("T")


def public_numbers(method: SignatureMethod, credentials: Credentials) -> tuple[int, int]:
    """(e, n) of the public key, certificate or private key in ``credentials``."""
    key = rsa_public_key(method, credentials)
    numbers: Any = key.public_numbers() if hasattr(key, "public_numbers") else None
    if not hasattr(numbers, "e") or not hasattr(numbers, "n"):
        raise MissingKeyError(f"{method.name} needs an RSA public key", method=method.name)
    return int(numbers.e), int(numbers.n)


def recover_digest(signature: bytes, e: int, n: int) -> tuple[str, bytes] | None:
    """The (hash name, hash) a PKCS#1 v1.5 signature carries, or None if it carries none.

    RFC 8017 8.2.2: the signature is as long as the modulus (step 1), its integer is below n
    (5.2.2), and s^e mod n (step 2) must be 0x00 0x01 PS 0x00 DigestInfo (9.2 step 5).
    """
    size = (n.bit_length() + 7) // 8
    if len(signature) != size:
        return None
    s = int.from_bytes(signature, "big")
    if s >= n:
        return None
    encoded = pow(s, e, n).to_bytes(size, "big")
    if encoded[:2] != b"\x00\x01":
        return None
    end = encoded.find(b"\x00", 2)
    if end < 2 + _MIN_PADDING or encoded[2:end].strip(b"\xff"):
        return None
    digest_info = encoded[end + 1 :]
    for prefix, hash_name in DIGEST_INFO_PREFIXES.items():
        if (
            digest_info.startswith(prefix)
            and len(digest_info) == len(prefix) + _DIGEST_SIZES[hash_name]
        ):
            return hash_name, digest_info[len(prefix) :]
    return None


def recovered_index(
    index: dict[bytes, list[T]], credentials: Credentials, method: SignatureMethod
) -> dict[bytes, list[T]]:
    """The search's index of claimed readings, keyed by the hash each signature carries.

    ``index`` maps the signature bytes of each reading of the claimed signature (base64, hex...)
    to the output mistakes that read it so; the result maps the hash inside instead, so the
    search compares each candidate's hash of its base string, as it compares an HMAC.
    """
    e, n = public_numbers(method, credentials)
    recovered: dict[bytes, list[T]] = {}
    for signature, combos in index.items():
        opened = recover_digest(signature, e, n)
        if opened is not None:
            recovered.setdefault(opened[1], []).extend(combos)
    return recovered
