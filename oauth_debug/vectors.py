"""Load the test vectors in ``vectors/*.json`` and run them through the core functions.

A vector file records a published (or our own, cross-checked) example with every intermediate its
source gives; ``vectors/README.md`` documents the schema for implementers in other languages. Each
case ``kind`` maps onto one RFC 5849 step of this package, so running a case exercises exactly the
code a signature uses (no second pipeline).

The runner never raises for a bad case: any exception becomes a failed :class:`CaseResult` that
carries the message, so ``oauth-debug vectors`` can always print its whole table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from . import errors
from .encoding import percent_decode, percent_encode
from .errors import MissingDependencyError, OAuthDebugError
from .methods import body_hash, get_method
from .model import Credentials, HttpRequest, Param
from .params import normalize, parse_authorization
from .signer import digest_and_signature, prepare, sign_at, signing_key
from .trace import SigningTrace
from .uri import base_string_uri

KINDS = ("sign", "base_string", "base_string_uri", "encode", "normalize", "signature", "body_hash")
RESULTS = ("valid", "invalid")


class VectorFileError(OAuthDebugError):
    """A vector file that cannot be read or does not follow the schema (vectors/README.md)."""

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(message, path=path)
        self.path: str = self.data["path"]


@dataclass(frozen=True)
class VectorFile:
    """One ``vectors/*.json`` file: where its cases come from, and the cases."""

    name: str
    path: Path
    source: Mapping[str, Any]
    description: str
    notes: tuple[str, ...]
    cases: tuple[VectorCase, ...]


@dataclass(frozen=True)
class VectorCase:
    """One case: an input for one RFC step and the values the source gives for it."""

    id: str
    file: str
    kind: str
    result: str
    comment: str
    input: Mapping[str, Any]
    expected: Mapping[str, Any]
    source: Mapping[str, Any]
    """The file's source, overlaid with the case's own ``source`` (e.g. a section or erratum)."""
    flags: tuple[str, ...] = ()
    derivation: str | None = None
    directory: Path = field(default=Path("."), compare=False)
    """The vectors directory, against which ``rsa_key_file`` paths are resolved."""


class Check(NamedTuple):
    """One recorded value compared with what this package computes."""

    name: str
    expected: Any
    actual: Any
    ok: bool


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case: every check, and the error when the run did not get that far."""

    id: str
    file: str
    kind: str
    result: str
    passed: bool
    checks: tuple[Check, ...]
    error: str | None = None
    """For a failure without checks (crash, missing extra, unexpected or missing error)."""
    missing_extra: str | None = None
    """The extra this case needs and this installation lacks (e.g. "rsa"): not run, not passed."""

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check.ok)

    @property
    def detail(self) -> str:
        """One line for a table: what failed first, or what was checked."""
        if self.error is not None:
            return self.error
        if self.failures:
            first = self.failures[0]
            return f"{first.name}: expected {first.expected!r}, got {first.actual!r}"
        return ", ".join(check.name for check in self.checks)


# ------------------------------------------------------------------------------------ locating


def vectors_directory() -> Path:
    """Where the vector files are: inside an installed wheel, or in the source checkout.

    The wheel carries them at ``oauth_debug/_vectors`` (pyproject force-includes ``vectors``
    there); an editable install or a checkout has them in ``vectors/`` beside the package.
    """
    packaged = Path(str(resources.files("oauth_debug"))) / "_vectors"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "vectors"


# ------------------------------------------------------------------------------------- loading


def load_files(directory: Path | str | None = None) -> list[VectorFile]:
    """Read every ``*.json`` vector file of ``directory`` (default: :func:`vectors_directory`)."""
    root = Path(directory) if directory is not None else vectors_directory()
    if not root.is_dir():
        raise VectorFileError(f"no vectors directory at {root}", path=str(root))
    return [_load_file(path, root) for path in sorted(root.glob("*.json"))]


def load_cases(directory: Path | str | None = None) -> list[VectorCase]:
    """Every case of every file, in file order."""
    return [case for vector_file in load_files(directory) for case in vector_file.cases]


def _load_file(path: Path, root: Path) -> VectorFile:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise VectorFileError(f"cannot read {path.name}: {error}", path=str(path)) from None
    if not isinstance(document, dict) or not isinstance(document.get("cases"), list):
        raise VectorFileError(f"{path.name} has no 'cases' list", path=str(path))
    source = document.get("source")
    if not isinstance(source, dict) or "document" not in source:
        raise VectorFileError(f"{path.name} does not name its source document", path=str(path))
    cases = tuple(_load_case(raw, path, root, source) for raw in document["cases"])
    return VectorFile(
        name=path.stem,
        path=path,
        source=source,
        description=str(document.get("description", "")),
        notes=tuple(str(note) for note in document.get("notes", [])),
        cases=cases,
    )


# ----------------------------------------------------------------------- diagnosis cases

DIAGNOSIS_SCHEMA = "oauth-debug-diagnosis/1"


@dataclass(frozen=True)
class DiagnosisCase:
    """One ``vectors/diagnosis/*.json`` case: a request as it was sent, the secrets (or none),
    the server's clock, maybe the server's answer, and what a diagnosis must conclude.

    The format is in vectors/README.md. :func:`load_files` reads the top directory only, so these
    files, which have no ``cases`` list, never reach the signature vectors.
    """

    id: str
    kind: str
    """"mistake" (a catalog id the signature shows) or "finding" (one the request shows)."""
    description: str
    provenance: str
    request: HttpRequest
    credentials: Credentials | None
    """None: the case is diagnosed without the secret."""
    now: float
    response: str | None
    verdict: str
    mistakes: tuple[str, ...]
    findings: tuple[str, ...]
    path: Path = field(default=Path("."), compare=False)


def load_diagnosis_cases(directory: Path | str | None = None) -> list[DiagnosisCase]:
    """Every case of ``<vectors>/diagnosis/*.json``, by file name."""
    root = Path(directory) if directory is not None else vectors_directory() / "diagnosis"
    if not root.is_dir():
        raise VectorFileError(f"no diagnosis cases at {root}", path=str(root))
    return [_load_diagnosis_case(path) for path in sorted(root.glob("*.json"))]


def _load_diagnosis_case(path: Path) -> DiagnosisCase:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or raw.get("schema") != DIAGNOSIS_SCHEMA:
            raise ValueError(f"not a {DIAGNOSIS_SCHEMA} object")
        request, secrets, expected = raw["request"], raw["secrets"], raw["expected"]
        return DiagnosisCase(
            id=str(raw["id"]),
            kind=str(raw["kind"]),
            description=str(raw["description"]),
            provenance=str(raw["provenance"]),
            request=HttpRequest(
                request["method"],
                request["url"],
                [(str(name), str(value)) for name, value in request["headers"]],
                request["body"],
            ),
            credentials=None
            if secrets is None
            else Credentials(
                secrets["consumer_key"],
                secrets["consumer_secret"],
                token=secrets.get("token"),
                token_secret=secrets.get("token_secret", ""),
            ),
            now=float(raw["now"]),
            response=raw.get("response"),
            verdict=str(expected["verdict"]),
            mistakes=tuple(str(i) for i in expected["mistakes"]),
            findings=tuple(str(i) for i in expected["findings"]),
            path=path,
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise VectorFileError(f"cannot read {path.name}: {error}", path=str(path)) from None


def _load_case(raw: Any, path: Path, root: Path, file_source: Mapping[str, Any]) -> VectorCase:
    if not isinstance(raw, dict):
        raise VectorFileError(f"{path.name}: a case is not an object", path=str(path))
    missing = [key for key in ("id", "kind", "result", "input", "expected") if key not in raw]
    if missing:
        label = raw.get("id", "?")
        raise VectorFileError(
            f"{path.name}: case {label} lacks {', '.join(missing)}", path=str(path)
        )
    return VectorCase(
        id=str(raw["id"]),
        file=path.stem,
        kind=str(raw["kind"]),
        result=str(raw["result"]),
        comment=str(raw.get("comment", "")),
        input=raw["input"],
        expected=raw["expected"],
        source={**file_source, **raw.get("source", {})},
        flags=tuple(raw.get("flags", ())),
        derivation=raw.get("derivation"),
        directory=root,
    )


# ------------------------------------------------------------------------------------- running


def run_all(directory: Path | str | None = None) -> list[CaseResult]:
    """Run every case of every file."""
    return [run_case(case) for case in load_cases(directory)]


def run_case(case: VectorCase) -> CaseResult:
    """Run one case; never raises (a crash is a failed result carrying its message)."""
    runner = _RUNNERS.get(case.kind)
    if runner is None:
        return _failed(case, f"unknown kind {case.kind!r}; known kinds: {', '.join(KINDS)}")
    if case.result not in RESULTS:
        return _failed(case, f"unknown result {case.result!r}; use valid or invalid")
    try:
        actual = runner(case)
    except MissingDependencyError as error:
        return replace(
            _failed(case, f"needs the '{error.extra}' extra: {error}"), missing_extra=error.extra
        )
    except OAuthDebugError as error:
        return _invalid_outcome(case, error)
    except Exception as error:  # the runner must survive any case; report, do not crash
        return _failed(case, f"crashed: {type(error).__name__}: {error}")
    if case.result == "invalid":
        return _failed(case, f"expected {case.expected.get('error')}, but nothing was raised")
    checks = tuple(_check(name, expected, actual) for name, expected in case.expected.items())
    passed = bool(checks) and all(check.ok for check in checks)  # a case that checks nothing fails
    return CaseResult(case.id, case.file, case.kind, case.result, passed, checks)


def _invalid_outcome(case: VectorCase, error: OAuthDebugError) -> CaseResult:
    raised = type(error).__name__
    if case.result != "invalid":
        return _failed(case, f"raised {raised}: {error}")
    wanted = str(case.expected.get("error", ""))
    expected_class = getattr(errors, wanted, None)
    ok = isinstance(expected_class, type) and isinstance(error, expected_class)
    check = Check("error", wanted, raised, ok)
    return CaseResult(case.id, case.file, case.kind, case.result, ok, (check,))


def _failed(case: VectorCase, message: str) -> CaseResult:
    return CaseResult(case.id, case.file, case.kind, case.result, False, (), message)


_MISSING = object()


def _check(name: str, expected: Any, actual: Mapping[str, Any]) -> Check:
    value = actual.get(name, _MISSING)
    if value is _MISSING:
        return Check(name, expected, f"<{name} is not computed for this kind>", False)
    if name in _UNORDERED:
        return Check(name, expected, value, _pairs(expected) == _pairs(value))
    return Check(name, expected, value, expected == value)


# Lists whose order is the implementation's choice: compared as multisets.
_UNORDERED = frozenset({"parameters", "authorization_parameters"})


def _pairs(items: Any) -> list[tuple[str, ...]]:
    return sorted(tuple(str(part) for part in item) for item in items)


# ------------------------------------------------------------------------------ kind -> RFC step


def _credentials(case: VectorCase) -> Credentials:
    given: Mapping[str, Any] = case.input.get("credentials", {})
    rsa_key = None
    if given.get("rsa_key_file"):
        rsa_key = (case.directory / str(given["rsa_key_file"])).read_text(encoding="utf-8")
    return Credentials(
        str(given.get("consumer_key", "")),
        str(given.get("consumer_secret", "")),
        token=given.get("token"),
        token_secret=str(given.get("token_secret", "")),
        rsa_key=rsa_key,
    )


def _request(case: VectorCase) -> HttpRequest:
    given = case.input
    return HttpRequest(
        str(given["method"]), str(given["url"]), given.get("headers"), given.get("body")
    )


def _trace_values(trace: SigningTrace) -> dict[str, Any]:
    """The values of a sign case, under the names the vector files use."""
    oauth = dict(trace.oauth_parameters)
    values: dict[str, Any] = {
        "parameters": [[p.name, p.value, p.source] for p in trace.parameters],
        "normalized_parameters": trace.normalized_parameters,
        "base_string_uri": trace.base_string_uri,
        "base_string": trace.base_string,
        "signature": trace.signature,
        "transport_signature": trace.transport_signature,
        "digest_hex": trace.digest_hex,
        "oauth_body_hash": oauth.get("oauth_body_hash"),
        "signed_url": trace.signed_url,
    }
    if trace.signature_method.split("-")[0] != "RSA":
        values["signing_key"] = trace.signing_key.reveal()
    header = trace.authorization_header
    if header is not None:
        values["authorization_header"] = header
        values["authorization_parameters"] = [list(pair) for pair in parse_authorization(header)]
    if trace.signed_request is not None and trace.signed_request.body is not None:
        values["signed_body"] = trace.signed_request.body.decode("utf-8", "replace")
    return values


def _run_sign(case: VectorCase) -> dict[str, Any]:
    """A whole request through :func:`sign_at` (3.4 and 3.5)."""
    given = case.input
    trace = sign_at(
        _request(case),
        _credentials(case),
        timestamp=str(given["timestamp"]),
        nonce=str(given["nonce"]),
        signature_method=str(given.get("signature_method", "HMAC-SHA1")),
        version=given.get("version", "1.0"),
        realm=given.get("realm"),
        placement=str(given.get("placement", "header")),
        body_hash=given.get("body_hash"),
        callback=given.get("callback"),
        verifier=given.get("verifier"),
    )
    return _trace_values(trace)


def _run_base_string(case: VectorCase) -> dict[str, Any]:
    """A request that already carries its parameters, through 3.4.1 (as a server would)."""
    prepared = prepare(_request(case))
    return {
        "parameters": [[p.name, p.value, p.source] for p in prepared.parameters],
        "normalized_parameters": prepared.normalized,
        "base_string_uri": prepared.uri,
        "base_string": prepared.parts.joined(),
    }


def _run_base_string_uri(case: VectorCase) -> dict[str, Any]:
    """3.4.1.2 alone."""
    return {"base_string_uri": base_string_uri(str(case.input["url"]))}


def _run_encode(case: VectorCase) -> dict[str, Any]:
    """3.6 percent-encoding; the decoder must give the text back."""
    encoded = percent_encode(str(case.input["text"]))
    return {"encoded": encoded, "decoded": percent_decode(encoded)}


def _run_normalize(case: VectorCase) -> dict[str, Any]:
    """3.4.1.3.2 over decoded (name, value) pairs."""
    pairs: Sequence[Sequence[str]] = case.input["parameters"]
    params = [Param(str(name), str(value), "query") for name, value in pairs]
    return {"normalized_parameters": normalize(params)}


def _run_signature(case: VectorCase) -> dict[str, Any]:
    """3.4.2-3.4.4: a given base string and key material to a signature."""
    method = get_method(str(case.input["signature_method"]))
    credentials = _credentials(case)
    key = signing_key(credentials)
    base_string = str(case.input.get("base_string", ""))
    digest, signature = digest_and_signature(method, key, base_string, credentials)
    values: dict[str, Any] = {
        "signature": signature,
        "transport_signature": percent_encode(signature),
        "digest_hex": digest.hex(),
    }
    if method.family != "RSA":
        values["signing_key"] = key.reveal()
    return values


def _run_body_hash(case: VectorCase) -> dict[str, Any]:
    """oauth_body_hash of a raw body under a signature method's hash."""
    method = get_method(str(case.input.get("signature_method", "HMAC-SHA1")))
    body = str(case.input.get("body", "")).encode("utf-8")
    return {"oauth_body_hash": body_hash(method, body)}


_RUNNERS: dict[str, Callable[[VectorCase], dict[str, Any]]] = {
    "sign": _run_sign,
    "base_string": _run_base_string,
    "base_string_uri": _run_base_string_uri,
    "encode": _run_encode,
    "normalize": _run_normalize,
    "signature": _run_signature,
    "body_hash": _run_body_hash,
}
