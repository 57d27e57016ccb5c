"""Verification: recompute the signature of a request as received and compare in constant time.

Raises :class:`SignatureMismatch` carrying the recomputed trace and the claimed signature, instead
of returning a bare bool (DESIGN.md, principle 5).
"""

from __future__ import annotations

import base64
import binascii
import hmac

from .errors import (
    BodyHashMismatch,
    InvalidRequestError,
    MissingParameterError,
    SignatureMismatch,
)
from .methods import SignatureMethod, body_hash, get_method, rsa_verify
from .model import Credentials, HttpRequest, Secret
from .params import authorization_params, body_params, query_params
from .recipe import RFC, Recipe
from .rules import Placement
from .signer import Prepared, assemble, check_inputs, compute_prepared, method_key, prepare
from .trace import SigningTrace


def claimed_parameters(request: HttpRequest) -> tuple[dict[str, str], Placement, str | None]:
    """The oauth_* parameters a request carries, where they travel, and the header's realm.

    Returns (name -> value, placement, realm). Duplicates are rejected by the collector.
    """
    header = authorization_params(request)
    realm = next((value for name, value in header if name == "realm"), None)
    places: tuple[tuple[Placement, list[tuple[str, str]]], ...] = (
        ("header", [(n, v) for n, v in header if n != "realm"]),
        ("query", [(p.name, p.value) for p in query_params(request.url)]),
        ("body", [(p.name, p.value) for p in body_params(request)]),
    )
    found: dict[str, str] = {}
    placement: Placement = "header"
    for place_name, pairs in places:
        oauth = {n: v for n, v in pairs if n.startswith("oauth_")}
        if "oauth_signature" in oauth:
            placement = place_name
        found.update(oauth)
    return found, placement, realm


def verify(
    request: HttpRequest,
    credentials: Credentials,
    *,
    recipe: Recipe = RFC,
) -> SigningTrace:
    """Check the signature a request carries; return the trace, or raise SignatureMismatch.

    The oauth_* parameters may travel in the Authorization header, the query or a form body.
    HMAC and PLAINTEXT signatures are recomputed and compared with :func:`hmac.compare_digest`;
    RSA signatures are checked with the public key (or certificate) in ``credentials.rsa_key``.
    """
    check_inputs(request, credentials)
    if credentials is None:
        raise InvalidRequestError("verify needs the Credentials to check with", part="credentials")
    oauth, placement, realm = claimed_parameters(request)
    prepared = prepare(request, recipe)  # validates the request (and rejects duplicates) first
    for required in ("oauth_signature", "oauth_signature_method"):
        if required not in oauth:
            raise MissingParameterError(
                f"the request carries no {required}; verification needs the signed request "
                "exactly as it was sent (header, query or form body)",
                name=required,
            )
    claimed = oauth["oauth_signature"]
    method = get_method(oauth["oauth_signature_method"])
    if method.family == "RSA":
        return _verify_rsa(request, credentials, method, oauth, prepared, placement, realm, recipe)
    trace = compute_prepared(request, prepared, credentials, method, recipe, placement, realm)
    if not hmac.compare_digest(trace.signature.encode("utf-8"), claimed.encode("utf-8")):
        if method.family == "PLAINTEXT":
            # The PLAINTEXT signature is the key (3.4.4): a message must not print either one.
            message = (
                "signature mismatch: the PLAINTEXT signature the request claims is not "
                "encode(consumer secret) & encode(token secret) of the given credentials"
            )
        else:
            # Neither signature is quoted either: the computed one is valid for this request,
            # and both can be replayed within the timestamp window (3.3); the error carries them.
            message = (
                f"signature mismatch: the {method.name} signature the request claims is not the "
                "one computed for the request as sent (compare .claimed.reveal() with .expected, "
                "and .trace.base_string with the server's)"
            )
        raise SignatureMismatch(message, trace=trace, claimed=Secret(claimed))
    _check_body_hash(request, oauth, trace, claimed)
    return trace


def _check_body_hash(
    request: HttpRequest, oauth: dict[str, str], trace: SigningTrace, claimed: str
) -> None:
    """Body hash draft: a non-form body is signed only through oauth_body_hash, so check it too."""
    claimed_hash = oauth.get("oauth_body_hash")
    if claimed_hash is None or request.is_form:
        return
    actual = body_hash(get_method(trace.signature_method), request.body)
    if not hmac.compare_digest(actual.encode("utf-8"), claimed_hash.encode("utf-8")):
        raise BodyHashMismatch(
            f"the signature is right, but the body is not the one it was signed with: "
            f"oauth_body_hash is {claimed_hash!r}, the body received hashes to {actual!r}",
            trace=trace,
            claimed=Secret(claimed),
            claimed_hash=claimed_hash,
            body_hash=actual,
        )


def _verify_rsa(
    request: HttpRequest,
    credentials: Credentials,
    method: SignatureMethod,
    oauth: dict[str, str],
    prepared: Prepared,
    placement: Placement,
    realm: str | None,
    recipe: Recipe,
) -> SigningTrace:
    """RSA cannot be recomputed without the private key: check the claim with the public key."""
    claimed = oauth["oauth_signature"]
    try:
        digest = base64.b64decode(claimed, validate=True)
    except (binascii.Error, ValueError):
        digest = b""
    valid = bool(digest) and rsa_verify(method, credentials, prepared.parts.joined(), digest)
    key = method_key(method, credentials, recipe)
    trace = assemble(
        request,
        prepared,
        method.name,
        key,
        digest,
        claimed if valid else "",
        placement,
        realm,
        recipe,
    )
    if not valid:
        raise SignatureMismatch(
            f"the {method.name} signature does not verify with the given key over the base "
            "string of the request as sent",
            trace=trace,
            claimed=Secret(claimed),
        )
    _check_body_hash(request, oauth, trace, claimed)
    return trace
