"""The body hash check: does oauth_body_hash fit the body the request carries, and if not, which
usual change of the body (or of how it was hashed) explains the hash the client sent.

The OAuth Request Body Hash draft (draft-eaton-oauth-bodyhash-00) signs a body that is not
form-encoded only through ``oauth_body_hash = base64(hash(body))`` over the exact bytes sent
(section 3.2), with the signature method's hash, and never on a form-encoded request (4.1). The
signature covers the claimed hash like any other parameter, so a body changed after signing
leaves the signature right: only this check sees it. It needs no secret.

The hash itself is the core's (:func:`oauth_debug.methods.body_hash`); what is added here is the
list of changes people make between hashing a body and sending it, each tried once.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..methods import METHODS, SignatureMethod, body_hash
from ..model import HttpRequest
from .catalog import BODY_HASH_MISMATCH
from .findings import Finding, oauth_params_of
from .model import MistakeExplanation, SideBySide

MISTAKE_ID = BODY_HASH_MISMATCH.id

MAX_REWRITTEN_BODY = 256 * 1024
"""JSON bodies up to 256 KiB are re-serialized to look for the variant that was hashed (json.dumps
with indent runs in pure Python: bench/bench_body_hash.py measures the worst case)."""


@dataclass(frozen=True)
class BodyChange:
    """How the body that was hashed differs from the body sent (or how it was hashed)."""

    ids: tuple[str, ...]
    """Short names of the changes, e.g. ("trailing-newline-added",) or ("json-compact",
    "hash-sha256")."""
    label: str
    """The changes in words, for a person."""
    hashed: bytes
    """The body that gives the claimed hash."""


@dataclass(frozen=True)
class BodyHashReport:
    """An oauth_body_hash that does not fit the body."""

    claimed: str
    actual: str
    """What the signature method's hash of the body as sent gives (draft 3.2)."""
    hash_name: str
    body: bytes
    change: BodyChange | None
    """The usual change that reproduces the claimed hash, when one does."""

    def comparisons(self) -> tuple[SideBySide, ...]:
        """The claimed hash beside the right one, and the body hashed beside the body sent."""
        rows = [SideBySide("oauth_body_hash", self.claimed, self.actual)]
        if self.change is not None and self.change.hashed != self.body:
            rows.append(SideBySide("body hashed", _text(self.change.hashed), _text(self.body)))
        return tuple(rows)

    def explanation(self) -> MistakeExplanation:
        """The catalog's body-hash-mismatch, told for this request."""
        mistake = BODY_HASH_MISMATCH
        variant = (
            self.change.label
            if self.change is not None
            else "the body was changed after it was hashed (no usual change of it, or of how it "
            "was hashed, gives the claimed hash)"
        )
        return MistakeExplanation.of(mistake, variant, self.comparisons())

    def finding(self) -> Finding:
        """The mismatch as an error finding, for when the signature check cannot name it."""
        because = f": {self.change.label}" if self.change is not None else ""
        return Finding(
            MISTAKE_ID,
            "error",
            f"oauth_body_hash is {self.claimed!r}, but the body sent hashes to {self.actual!r} "
            f"({hash_title(self.hash_name)}, base64){because}. The server refuses a body that "
            "is not the one hashed and signed (OAuth Request Body Hash draft 3.2): hash exactly "
            "the bytes you send, after the last change to them",
            {
                "claimed_hash": self.claimed,
                "body_hash": self.actual,
                "hash": self.hash_name,
                "change": None if self.change is None else list(self.change.ids),
            },
        )


def check_body_hash(request: HttpRequest, signature_method: str | None) -> BodyHashReport | None:
    """The mismatch of ``request``'s oauth_body_hash with its body, or None when it fits (or there
    is none to check: no oauth_body_hash, a form-encoded body, an unknown method)."""
    claimed = next((p.value for p in oauth_params_of(request) if p.name == "oauth_body_hash"), None)
    method = METHODS.get(signature_method or "")
    if claimed is None or method is None or request.is_form:
        return None
    body = request.body or b""
    actual = body_hash(method, body)
    if actual == claimed:
        return None
    written = _Writer(method)
    change = next(
        (found for found, hash_name, encoding in _changes(body, method)
         if written(found.hashed, hash_name, encoding) == claimed),
        None,
    )  # fmt: skip
    return BodyHashReport(claimed, actual, method.body_hash_name, body, change)


class _Writer:
    """oauth_body_hash of a candidate body with a hash, written as base64 or hex; each digest is
    computed once (both encodings of it are tried)."""

    def __init__(self, declared: SignatureMethod) -> None:
        self._declared = declared
        self._done: dict[tuple[bytes, str], str] = {}  # bytes cache their own hash

    def __call__(self, hashed: bytes, hash_name: str, encoding: str) -> str:
        value = self._done.get((hashed, hash_name))
        if value is None:
            value = body_hash(_method_with_hash(hash_name) or self._declared, hashed)
            self._done[(hashed, hash_name)] = value
        return base64.b64decode(value).hex() if encoding == "hex" else value


def _changes(body: bytes, method: SignatureMethod) -> Iterator[tuple[BodyChange, str, str]]:
    """(the body that may have been hashed, the hash, how the digest was written), fewest
    changes first; each yields a BodyChange whose ids and label name all of them."""
    declared = method.body_hash_name
    hashes = [declared, *sorted({m.body_hash_name for m in METHODS.values()} - {declared})]
    bodies = list(_bodies(body))
    # Fewest changes first: the body alone, the hash alone, the digest's encoding alone, then
    # the pairs.
    ranked: list[tuple[int, BodyChange, str, str]] = []
    for changed in [BodyChange((), "", body), *bodies]:
        for hash_name in hashes:
            for encoding in ("base64", "hex"):
                extra_ids: list[str] = []
                extra_words: list[str] = []
                if hash_name != declared:
                    extra_ids.append(f"hash-{hash_name}")
                    extra_words.append(
                        f"hashed with {hash_title(hash_name)} instead of "
                        f"{hash_title(declared)}, the signature method's hash"
                    )
                if encoding == "hex":
                    extra_ids.append("hash-hex")
                    extra_words.append("the digest written as hex instead of base64")
                ids = changed.ids + tuple(extra_ids)
                if not ids:
                    continue
                label = "; ".join(w for w in (changed.label, *extra_words) if w)
                ranked.append(
                    (len(ids), BodyChange(ids, label, changed.hashed), hash_name, encoding)
                )
    ranked.sort(key=lambda entry: entry[0])  # stable: the order above within a size
    for _size, change, hash_name, encoding in ranked:
        yield change, hash_name, encoding


def hash_title(hash_name: str) -> str:
    """ "sha256" as people write it: "SHA-256"."""
    return hash_name.upper().replace("SHA", "SHA-")


def _method_with_hash(hash_name: str) -> SignatureMethod | None:
    return next((m for m in METHODS.values() if m.body_hash_name == hash_name), None)


def _bodies(body: bytes) -> Iterator[BodyChange]:
    """The bodies a person may have hashed instead of the one sent, each one change away."""
    if body:
        yield BodyChange(("empty-body",), "the empty body was hashed, not the body sent", b"")
    if body.endswith(b"\r\n"):
        yield BodyChange(
            ("trailing-newline-added",),
            "the body was hashed without the trailing CRLF that the body sent ends with",
            body[:-2],
        )
    elif body.endswith(b"\n"):
        yield BodyChange(
            ("trailing-newline-added",),
            "the body was hashed without the trailing newline that the body sent ends with",
            body[:-1],
        )
    else:
        for newline, name in ((b"\n", "newline"), (b"\r\n", "CRLF")):
            yield BodyChange(
                ("trailing-newline-removed",),
                f"the body was hashed with a trailing {name} that the body sent lacks",
                body + newline,
            )
    if b"\r\n" in body:
        yield BodyChange(
            ("lf-became-crlf",),
            "the body was hashed with LF line ends, and sent with CRLF",
            body.replace(b"\r\n", b"\n"),
        )
    elif b"\n" in body:
        yield BodyChange(
            ("crlf-became-lf",),
            "the body was hashed with CRLF line ends, and sent with LF",
            body.replace(b"\n", b"\r\n"),
        )
    yield from _json_bodies(body)


def _json_bodies(body: bytes) -> Iterator[BodyChange]:
    """The same JSON value written the other usual ways (json.dumps options, JSON.stringify)."""
    if not body or len(body) > MAX_REWRITTEN_BODY:
        return
    try:
        data: Any = json.loads(body.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are both ValueErrors
        return
    styles = list(_json_styles(data))
    sent = next((how for written, how in styles if written == body), "written another way")
    seen = {body}
    for written, how in styles:
        if written not in seen:
            seen.add(written)
            yield BodyChange(
                ("json-reserialized",),
                f"the JSON was hashed {how}, and sent {sent}",
                written,
            )


def _json_styles(data: Any) -> Iterator[tuple[bytes, str]]:
    """``data`` written each usual way, with the way in words (the first of equal writings)."""
    for look, arguments, javascript, options in _JSON_STYLES:
        for ascii_only in (True, False):
            written = json.dumps(data, ensure_ascii=ascii_only, **options).encode("utf-8")
            call = f"json.dumps(data{arguments}{'' if ascii_only else ', ensure_ascii=False'})"
            # JSON.stringify never escapes non-ASCII text: it matches ensure_ascii=False.
            if javascript and (not ascii_only or written.isascii()):
                call += f" or {javascript}"
            yield written, f"{look}, as {call} writes it"


_JSON_STYLES: tuple[tuple[str, str, str | None, dict[str, Any]], ...] = (
    ("with a space after each ',' and ':'", "", None, {}),
    ("compact", ", separators=(',', ':')", "JSON.stringify(data)", {"separators": (",", ":")}),
    ("indented by 2", ", indent=2", "JSON.stringify(data, null, 2)", {"indent": 2}),
    ("indented by 4", ", indent=4", "JSON.stringify(data, null, 4)", {"indent": 4}),
    ("with sorted keys", ", sort_keys=True", None, {"sort_keys": True}),
    (
        "compact with sorted keys",
        ", sort_keys=True, separators=(',', ':')",
        None,
        {"sort_keys": True, "separators": (",", ":")},
    ),
)
"""The usual ways to write JSON: Python's default (what requests' json= sends), compact (what
JavaScript writes), indented, and with sorted keys."""


def _text(body: bytes) -> str:
    return body.decode("utf-8", "replace")
