"""Read a request of a Postman collection (v2.1, v2.0) whose auth is OAuth 1.0: what Postman signs.

Postman never shows its base string; its OAuth 1.0 options are a recipe, read here into the
arguments of :func:`oauth_debug.signer.sign_at` so that `explain` can show every step.

Sources for the fields (collection v2.1: ``auth.type == "oauth1"`` and ``auth.oauth1`` a list of
``{"key", "value", "type"}``; v2.0: an object of the same keys):
- Postman's "OAuth 1.0" documentation, https://learning.postman.com/docs/sending-requests/
  authorization/oauth-10/ (add authorization to the headers or to the body/URL, empty parameters
  added to the signature, body hash, encoding the header's values, realm, nonce, timestamp);
- postman-runtime's authorizer, lib/authorizer/oauth1.js (7.x, as published on npm): the option
  names (consumerKey, consumerSecret, token, tokenSecret, signatureMethod, timestamp, nonce,
  version, realm, callback, verifier, addParamsToHeader, addEmptyParamsToSign, includeBodyHash,
  disableHeaderEncoding), parameters to the URL for a request without a form body and to the form
  body otherwise when addParamsToHeader is off;
- the v2.1 layout as Postman exports it (e.g. insomnia-importers' fixture
  src/importers/fixtures/postman/oauth1_0-auth-v2_1-input.json).

``{{name}}`` variables are replaced from the collection's ``variable`` list; one that is not
defined there (an environment's) is left as written, with a note.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..encoding import percent_encode
from ..model import Credentials, HttpRequest
from ..signer import FORM
from .checks import check_method
from .direct import clean_url
from .result import InputError

_VARIABLE = re.compile(r"\{\{([^{}]+)\}\}")
_RAW_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html",
    "text": "text/plain",
    "javascript": "application/javascript",
}


@dataclass(frozen=True)
class PostmanRecipe:
    """What Postman signs for one request, as arguments of ``sign_at``, with notes on each choice.

    ``timestamp`` and ``nonce`` are None when the collection leaves them empty: Postman makes
    them at send time, so the caller supplies stand-ins (and says so).
    """

    name: str
    request: HttpRequest
    credentials: Credentials
    signature_method: str
    timestamp: str | None
    nonce: str | None
    version: str | None
    realm: str | None
    placement: str
    body_hash: bool
    callback: str | None
    verifier: str | None
    header_encoded: bool
    notes: tuple[str, ...] = field(default=())

    def sign_options(self) -> dict[str, Any]:
        """The keyword arguments of ``sign_at`` other than the timestamp and the nonce."""
        return {
            "signature_method": self.signature_method,
            "version": self.version,
            "realm": self.realm,
            "placement": self.placement,
            "body_hash": self.body_hash,
            "callback": self.callback,
            "verifier": self.verifier,
        }


def _collection(text: str) -> Mapping[str, Any]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise InputError(f"the Postman collection is not JSON: {error}", kind="postman") from None
    if not isinstance(document, dict) or not isinstance(document.get("item"), list):
        raise InputError(
            'expected a Postman collection (v2.1 or v2.0): a JSON object with "info" and "item"',
            kind="postman",
        )
    return document


def _walk(
    items: list[Any], inherited: object, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Mapping[str, Any], object]]:
    """Every request item with its folder path and the auth it inherits (folders pass theirs)."""
    for item in items:
        if not isinstance(item, dict):
            continue
        name = str(item.get("name", ""))
        if isinstance(item.get("item"), list):
            auth = item.get("auth") or inherited
            yield from _walk(item["item"], auth, (*path, name))
        elif isinstance(item.get("request"), (dict, str)):
            yield (*path, name), item, inherited


def request_names(text: str) -> list[str]:
    """The names of the collection's requests, folders joined with "/"."""
    return ["/".join(path) for path, _, _ in _walk(_collection(text)["item"], None, ())]


def read_postman(text: str, name: str) -> PostmanRecipe:
    """The OAuth 1.0 recipe of the request called ``name`` (or "folder/name") in a collection."""
    document = _collection(text)
    variables = {
        str(v.get("key")): str(v.get("value", ""))
        for v in document.get("variable", []) or []
        if isinstance(v, dict) and not v.get("disabled")
    }
    found = [
        (path, item, inherited)
        for path, item, inherited in _walk(document["item"], document.get("auth"), ())
        if name in ("/".join(path), path[-1])
    ]
    if not found:
        known = ", ".join(repr(n) for n in request_names(text)[:20]) or "none"
        raise InputError(
            f"no request called {name!r} in the collection; its requests: {known}",
            kind="postman",
            text=name,
        )
    if len(found) > 1:
        raise InputError(
            f"{len(found)} requests are called {name!r}; name one with its folders, "
            + ", ".join(repr("/".join(p)) for p, _, _ in found),
            kind="postman",
            text=name,
        )
    path, item, inherited = found[0]
    return _recipe("/".join(path), item, inherited, variables)


class _Resolver:
    """Replaces ``{{name}}`` from the collection's variables and remembers the ones missing."""

    def __init__(self, variables: Mapping[str, str]) -> None:
        self.variables = variables
        self.missing: list[str] = []

    def __call__(self, value: object) -> str:
        text = "" if value is None else str(value)

        def replace(match: re.Match[str]) -> str:
            key = match.group(1).strip()
            if key in self.variables:
                return self.variables[key]
            if key not in self.missing:
                self.missing.append(key)
            return match.group(0)

        return _VARIABLE.sub(replace, text)


def _auth_options(auth: object, resolve: _Resolver) -> dict[str, object]:
    if not isinstance(auth, dict) or auth.get("type") != "oauth1":
        kind = auth.get("type") if isinstance(auth, dict) else "none"
        raise InputError(
            f"the request's auth is {kind!r}, not OAuth 1.0 (type 'oauth1'); nothing to explain",
            kind="postman",
        )
    raw = auth.get("oauth1")
    options: dict[str, object] = {}
    if isinstance(raw, list):  # v2.1: [{"key": ..., "value": ..., "type": ...}]
        for entry in raw:
            if isinstance(entry, dict) and "key" in entry:
                options[str(entry["key"])] = entry.get("value")
    elif isinstance(raw, dict):  # v2.0: {"consumerKey": ..., ...}
        options.update(raw)
    return {k: resolve(v) if isinstance(v, str) else v for k, v in options.items()}


def _flag(options: Mapping[str, object], key: str, default: bool) -> bool:
    value = options.get(key, default)
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _recipe(
    name: str, item: Mapping[str, Any], inherited: object, variables: Mapping[str, str]
) -> PostmanRecipe:
    resolve = _Resolver(variables)
    request = item["request"]
    if isinstance(request, str):
        request = {"url": request, "method": "GET"}
    auth = request.get("auth")
    if auth is None or (isinstance(auth, dict) and auth.get("type") == "inherit"):
        auth = inherited
    options = _auth_options(auth, resolve)
    notes: list[str] = []
    http = _http_request(request, resolve, notes)

    def text(key: str) -> str:
        value = options.get(key)
        return "" if value is None else str(value)

    add_empty = _flag(options, "addEmptyParamsToSign", False)
    in_header = _flag(options, "addParamsToHeader", True)

    def optional(key: str) -> str | None:
        # Empty values are signed (and sent) only with addEmptyParamsToSign.
        value = text(key)
        return value if value or add_empty else None

    placement = "header"
    if not in_header:
        placement = "body" if http.is_form and http.method.upper() != "GET" else "query"
    notes.append(
        f"addParamsToHeader {str(in_header).lower()}: the oauth_* parameters travel in the "
        + {"header": "Authorization header", "query": "URL query", "body": "form body"}[placement]
        + " (RFC 5849 3.5)"
    )
    notes.append(
        f"addEmptyParamsToSign {str(add_empty).lower()}: oauth_* parameters left empty are "
        + ("signed and sent as empty" if add_empty else "left out")
    )
    body_hash = _flag(options, "includeBodyHash", False)
    if body_hash and http.is_form:
        body_hash = False
        notes.append("includeBodyHash is set, but a form body is signed as parameters: no hash")
    elif body_hash:
        notes.append("includeBodyHash true: oauth_body_hash is the hash of the body as sent")
    header_encoded = not _flag(options, "disableHeaderEncoding", False)
    if not header_encoded and placement == "header":
        notes.append(
            "disableHeaderEncoding true: Postman writes the header's values unencoded, so a '+', "
            "'/' or '=' of the signature reaches the server raw (RFC 5849 3.5.1 encodes them)"
        )
    signature_method = text("signatureMethod") or "HMAC-SHA1"
    timestamp, nonce = text("timestamp") or None, text("nonce") or None
    for key, value in (("timestamp", timestamp), ("nonce", nonce)):
        if value is None:
            notes.append(f"{key} left empty in the collection: Postman makes one at send time")
    realm = text("realm") or None
    if realm is not None and placement != "header":
        notes.append("realm is set, but only the Authorization header carries a realm (3.5.1)")
    if resolve.missing:
        notes.append(
            "variables not defined in the collection (an environment's?) were left as written: "
            + ", ".join("{{" + key + "}}" for key in resolve.missing)
        )
    token = text("token")
    credentials = Credentials(
        text("consumerKey"),
        text("consumerSecret"),
        token=token if token or add_empty else None,
        token_secret=text("tokenSecret"),
        rsa_key=text("privateKey") or None,
    )
    return PostmanRecipe(
        name=name,
        request=http,
        credentials=credentials,
        signature_method=signature_method,
        timestamp=timestamp,
        nonce=nonce,
        version=optional("version") if "version" in options else "1.0",
        realm=realm if placement == "header" else None,
        placement=placement,
        body_hash=body_hash,
        callback=optional("callback"),
        verifier=optional("verifier"),
        header_encoded=header_encoded,
        notes=tuple(notes),
    )


def _pairs(value: object, resolve: _Resolver) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        return []
    return [
        (resolve(entry.get("key")), resolve(entry.get("value")))
        for entry in value
        if isinstance(entry, dict) and not entry.get("disabled")
    ]


def _http_request(request: Mapping[str, Any], resolve: _Resolver, notes: list[str]) -> HttpRequest:
    url_value = request.get("url")
    raw_url = url_value.get("raw") if isinstance(url_value, dict) else url_value
    url, url_notes = clean_url(resolve(raw_url), "postman")
    notes += url_notes
    method = check_method(str(request.get("method") or "GET").upper(), "postman")
    headers = _pairs(request.get("header"), resolve)
    names = {name.lower() for name, _ in headers}
    body_spec = request.get("body")
    body: bytes | None = None
    if isinstance(body_spec, dict) and not body_spec.get("disabled"):
        mode = body_spec.get("mode")
        if mode == "urlencoded":
            pairs = _pairs(body_spec.get("urlencoded"), resolve)
            body = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in pairs).encode()
            if "content-type" not in names:
                headers.append(("Content-Type", FORM))
        elif mode == "raw":
            body = resolve(body_spec.get("raw")).encode("utf-8", "surrogatepass")
            language = (body_spec.get("options") or {}).get("raw", {}).get("language", "text")
            if "content-type" not in names and body:
                headers.append(("Content-Type", _RAW_TYPES.get(str(language), "text/plain")))
        elif mode in ("formdata", "file", "graphql"):
            notes.append(f"a {mode} body is never part of an OAuth 1.0 signature; not rebuilt")
    return HttpRequest(method, url, headers, body or None)
