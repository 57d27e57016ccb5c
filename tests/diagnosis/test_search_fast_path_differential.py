"""The fast search against a straightforward one: the same diagnosis, to the byte.

The reference below recomputes every combination with the whole signer (``signer.compute``,
one full trace per recipe) and no memo at all; the fast search memoizes stages, encodes pieces
and hashes bytes. Over every hand-written wrong signature of test_diagnose_catalog (each catalog
id made by code a person writes, not by the catalog's recipes), over requests nothing explains
(where every single, pair and triple is tried and counted) and over generated wrong signatures,
the two diagnoses' ``to_dict()`` must be equal.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import inspect
from collections.abc import Iterator, Sequence
from itertools import combinations, product
from typing import Any
from urllib.parse import quote

import pytest
import test_diagnose_catalog as catalog_tests
import test_library_quirks as quirk_tests
from hypothesis import given, settings
from hypothesis import strategies as st

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.diagnosis import diagnose, engine
from oauth_debug.diagnosis import search as fast
from oauth_debug.diagnosis.catalog import CATALOG, Mistake, Variant, context_of, recipe_of
from oauth_debug.errors import OAuthDebugError
from oauth_debug.methods import get_method
from oauth_debug.signer import compute

FORM = "application/x-www-form-urlencoded"


def _combos(inner: Sequence[tuple[Mistake, tuple[Variant, ...]]], size: int) -> Iterator[list]:  # type: ignore[type-arg]
    for chosen in combinations(inner, size):
        touched = [frozenset().union(*(v.fields for v in variants)) for _, variants in chosen]
        if sum(len(t) for t in touched) != len(frozenset().union(*touched)):
            continue  # two mistakes that set the same field never combine
        for variants in product(*(vs for _, vs in chosen)):
            yield [(m, v) for (m, _), v in zip(chosen, variants, strict=True)]


def reference_search(
    request: HttpRequest,
    credentials: Credentials,
    claimed: str,
    *,
    signature_method: str,
    placement: str = "header",
    realm: str | None = None,
) -> fast.SearchResult:
    """The search as plainly as it can be written: one signer.compute per combination."""
    method = get_method(signature_method)
    context = context_of(request, credentials, method.name, placement, realm)
    applicable = [(m, m.variants(context)) for m in CATALOG]
    applicable = [(m, vs) for m, vs in applicable if vs]
    considered = tuple(m.id for m, _ in applicable)
    if method.family == "RSA":
        return fast.SearchResult((), 0, considered)
    output = fast.OUTPUT_FIELDS
    inner = [(m, vs) for m, vs in applicable if not any(v.fields & output for v in vs)]
    outer = [(m, vs) for m, vs in applicable if any(v.fields & output for v in vs)]
    index = fast._claimed_index(claimed, outer, method.family, fast.MAX_MISTAKES)
    lengths = {len(digest) for digest in index}
    found: list[fast.Explanation] = []
    tried = 0
    digests: dict[int, list] = {}  # type: ignore[type-arg]
    for total in range(fast.MAX_MISTAKES + 1):
        for inner_size in range(total + 1):
            outer_size = total - inner_size
            if not any(len(o) == outer_size for combos in index.values() for o in combos):
                continue
            if inner_size not in digests:
                rows = []
                for chosen in _combos(inner, inner_size):
                    recipe = recipe_of(v for _, v in chosen)
                    hash_name = recipe.hash_name or method.hash_name
                    if (
                        method.family == "HMAC"
                        and hashlib.new(hash_name).digest_size not in lengths
                    ):
                        continue
                    try:
                        trace = compute(
                            request, credentials, method.name, recipe,
                            placement=placement, realm=realm,
                        )  # fmt: skip
                    except OAuthDebugError:
                        continue
                    rows.append((chosen, trace.digest))
                digests[inner_size] = rows
                tried += len(rows)
            for chosen, digest in digests[inner_size]:
                for outer_combo in index.get(digest, ()):
                    if len(outer_combo) == outer_size:
                        every = [*chosen, *outer_combo]
                        found.append(
                            fast.Explanation(
                                tuple(m.id for m, _ in every), tuple(v for _, v in every)
                            )
                        )
        if found:
            break
    return fast.SearchResult(tuple(found), tried, considered)


checked: list[tuple[str, ...]] = []
"""The mistakes of every diagnosis both_ways compared (cleared by each test that reads it)."""


def both_ways(request: HttpRequest, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
    """diagnose() by the fast search, checked against the reference search's diagnose()."""
    quick = diagnose(request, *args, **kwargs)  # type: ignore[arg-type]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "search", reference_search)
        plain = diagnose(request, *args, **kwargs)  # type: ignore[arg-type]
    assert quick.to_dict() == plain.to_dict()
    checked.append(quick.mistakes)
    return quick


_META = ("test_every_", "test_catalog_")  # tests about the catalog itself, diagnosing nothing


def _catalog_cases() -> list[tuple[Any, str]]:
    """The hand-made cases of both catalog test files (the library quirks have their own); each
    diagnoses through catalog_tests.named, so patching its diagnose checks them all."""
    return [
        (module, name)
        for module in (catalog_tests, quirk_tests)
        for name, function in vars(module).items()
        if name.startswith("test_") and not name.startswith(_META) and callable(function)
        and not inspect.signature(function).parameters
        and getattr(function, "__module__", "") == module.__name__
    ]  # fmt: skip


def test_every_handmade_wrong_signature_diagnoses_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    checked.clear()
    monkeypatch.setattr(catalog_tests, "diagnose", both_ways)
    for module, case in _catalog_cases():
        before = len(checked)
        getattr(module, case)()
        assert len(checked) > before, f"{case} diagnosed nothing"
    named = {mistake for mistakes in checked for mistake in mistakes}
    assert named == {m.id for m in CATALOG} | {"body-hash-mismatch"}


def _header_request(url: str, signature: str, body: str | None = None) -> HttpRequest:
    header = (
        'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", '
        'oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", '
        'oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", '
        f'oauth_signature="{quote(signature, safe="")}"'
    )
    headers = {"Content-Type": FORM, "Authorization": header}
    return HttpRequest("POST", url, headers=headers, body=body)


RFC_CREDS = Credentials(
    "9djdj82h48djs9d2", "j49sk3j29djd", token="kkk9d7dh3k39sjv7", token_secret="dh893hdasih9"
)
NOTHING = base64.b64encode(hashlib.sha1(b"nothing explains this").digest()).decode()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
        "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b&"
        + "&".join(f"k{i:02d}=v%20{i}%21" for i in range(30)),
        "https://Example.COM:443/a%20path/?x=1&x=1&empty=",
        # An "&" and an "=" inside decoded values (the universe's names and values cannot be
        # encoded joined), non-ASCII, a "+" and a repeated name across sources.
        "http://example.com/r?amp=a%26b&eq=c%3Dd&u=%C3%A9+t&c2=x&"
        + "&".join(f"n{i}=v{i}%2B" for i in range(12)),
    ],
)
def test_an_unexplained_signature_tries_the_same_combinations(url: str) -> None:
    request = _header_request(url, NOTHING, body="c2&a3=2+q")
    result = both_ways(request, RFC_CREDS, now=137131300)
    assert result.verdict == "unexplained"
    assert result.combinations_tried > 1000


def test_plaintext_with_a_wrong_key_diagnoses_alike() -> None:
    creds = Credentials("ck", "cs secret!", token="tok", token_secret="ts")
    trace = sign_at(
        HttpRequest("GET", "http://example.com/p?a=b"), creds, timestamp=1, nonce="n",
        signature_method="PLAINTEXT",
    )  # fmt: skip
    assert trace.signed_request is not None
    checked.clear()
    for secret in ("cs secret! ", "cs%20secret%21", "cs secret!", "other"):
        both_ways(trace.signed_request, Credentials("ck", secret, token="tok", token_secret="ts"))
    assert len(checked) >= 4


@settings(max_examples=25, deadline=None)
@given(
    method=st.sampled_from(["GET", "get", "Post"]),
    uri_text=st.sampled_from(
        ["http://example.com/r", "http://example.com/r/", "http://example.com:80/r"]
    ),
    value=st.text(alphabet="ab +/!*%~é", min_size=0, max_size=6),
    key=st.sampled_from(["cs&ts", "cs", "cs&ts ", "cs &ts"]),
    hash_name=st.sampled_from(["sha1", "sha256"]),
    written=st.sampled_from(["b64", "hex", "unpadded"]),
)
def test_generated_wrong_signatures_diagnose_alike(
    method: str, uri_text: str, value: str, key: str, hash_name: str, written: str
) -> None:
    """A base string assembled by hand from pieces a person may get wrong, then HMACed."""
    params = sorted([("oauth_consumer_key", "ck"), ("oauth_nonce", "n"),
                     ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", "1"),
                     ("oauth_token", "tok"), ("q", value)])  # fmt: skip
    normalized = "&".join(f"{quote(n, safe='~')}={quote(v, safe='~')}" for n, v in params)
    base = "&".join(quote(part, safe="~") for part in (method, uri_text, normalized))
    digest = hmac.new(key.encode(), base.encode(), hash_name).digest()
    signature = {
        "b64": base64.b64encode(digest).decode(),
        "hex": digest.hex(),
        "unpadded": base64.b64encode(digest).decode().rstrip("="),
    }[written]
    oauth = [(n, v) for n, v in params if n != "q"] + [("oauth_signature", signature)]
    header = "OAuth " + ", ".join(f'{n}="{quote(v, safe="~")}"' for n, v in oauth)
    request = HttpRequest("GET", f"http://example.com/r?q={quote(value, safe='~')}",
                          headers={"Authorization": header})  # fmt: skip
    both_ways(request, Credentials("ck", "cs", token="tok", token_secret="ts"), now=2)


def test_a_parameter_one_encoding_cannot_write_fails_only_the_collections_holding_it() -> None:
    from oauth_debug.model import Param
    from oauth_debug.recipe import rfc_with

    request = _header_request("http://example.com/r?a=1", NOTHING)
    stages = fast._Stages(request, RFC_CREDS, get_method("HMAC-SHA1"), [], {20})
    good, bad = Param("a", "1", "query"), Param("b", "\ud800", "query")  # a lone surrogate
    recipe = rfc_with({"lowercase_hex": True})
    key = tuple(getattr(recipe, name) for name in fast._PIECE)
    rows = stages._rows([good, bad], recipe, key)
    assert rows[0][:2] == ("a", "1") and rows[1] is None
    assert isinstance(stages._failed[key], (OAuthDebugError, UnicodeError))
