"""The search's shared work: each distinct (key, base string, hash) is hashed once, and every
parameter string it computes is the one the signer's own steps write.

The search keeps its stage results as ids of their text and its parameters as places in one
universe (equal Params share one), so these tests check the octets against signer.prepare's
steps, on a request with enough parameters, and no oauth_version (each collection toggling it
makes a new Param, freed after it: a search that placed parameters by object identity would write
another parameter's row here once an id is reused).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import pytest

from oauth_debug import Credentials, HttpRequest
from oauth_debug.diagnosis import search as fast
from oauth_debug.diagnosis.catalog import recipe_of
from oauth_debug.errors import OAuthDebugError
from oauth_debug.params import collect, join_pairs, sorted_pairs
from oauth_debug.signer import parameters_component

FORM = "application/x-www-form-urlencoded"
CREDENTIALS = Credentials("ck", "cs", token="tok", token_secret="ts")
NOTHING = base64.b64encode(hashlib.sha1(b"no mistake makes this").digest()).decode()


def _request(count: int) -> HttpRequest:
    query = "&".join(f"k{i:03d}=v%20{i}" for i in range(count))
    header = (
        'OAuth oauth_consumer_key="ck", oauth_token="tok", oauth_signature_method="HMAC-SHA1", '
        'oauth_timestamp="1", oauth_nonce="n", '
        f'oauth_signature="{NOTHING.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")}"'
    )
    return HttpRequest("POST", f"http://example.com/r?a=1&{query}",
                       headers={"Authorization": header, "Content-Type": FORM},
                       body="b=2+x&c=")  # fmt: skip


def _searched(request: HttpRequest) -> tuple[fast.SearchResult, Any]:
    made: list[Any] = []
    original = fast._Stages.__init__

    def keep(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fast._Stages, "__init__", keep)
        result = fast.search(request, CREDENTIALS, NOTHING, signature_method="HMAC-SHA1")
    return result, made[-1]


def _options(mask: int) -> tuple[int, ...]:
    return tuple(i for i in range(mask.bit_length()) if mask >> i & 1)


def test_every_parameter_string_the_search_computes_is_the_signers() -> None:
    request = _request(300)
    result, stages = _searched(request)
    assert result.explanations == ()
    checked = 0
    for mask, text in stages._parts["params"].items():
        recipe = recipe_of(stages.options[i].variant for i in _options(mask))
        try:
            pairs = sorted_pairs(collect(request, recipe), recipe)
            expected: bytes | None = parameters_component(join_pairs(pairs), recipe).encode()
        except (OAuthDebugError, UnicodeError):
            expected = None
        assert (None if text is None else stages._texts[text]) == expected, recipe
        checked += 1
    assert checked > 100  # the collections, encodings and sorts of pairs and triples


class _Recorded:
    """A keyed HMAC prototype that records each (key, base string, hash) it finishes."""

    def __init__(self, made: list[tuple[bytes, bytes, str]], key: bytes, start: bytes, name: str):
        self.made, self.key, self.text, self.name = made, key, start, name

    def copy(self) -> _Recorded:
        return _Recorded(self.made, self.key, self.text, self.name)

    def update(self, data: bytes) -> None:
        self.text += data

    def digest(self) -> bytes:
        self.made.append((self.key, self.text, self.name))
        return hmac.digest(self.key, self.text, self.name)


def test_each_distinct_key_and_base_string_is_hashed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[tuple[bytes, bytes, str]] = []
    starts: list[tuple[bytes, bytes, str]] = []

    def keyed(key: bytes, start: bytes, hash_name: str) -> _Recorded:
        starts.append((key, start, hash_name))
        return _Recorded(made, key, start, hash_name)

    monkeypatch.setattr(fast, "hmac_new", keyed)
    result, _ = _searched(_request(20))
    assert len(made) == len(set(made))  # nothing hashed twice
    assert len(starts) == len(set(starts))  # each key and base string start keyed once
    assert all(start.endswith(b"&") for _, start, _ in starts)  # method & URI &
    # Combinations share work (a mistake that changes nothing here), and are still counted.
    assert len(made) < result.combinations_tried


def test_the_combinations_enumerated_are_every_choice_of_disjoint_mistakes() -> None:
    """_masks builds triples from pairs, in no particular order: the same combinations as every
    choice of mistakes that set no field twice, each variant of each, once."""
    from itertools import combinations, product

    _, stages = _searched(_request(5))
    fields_of, options = stages.mistake_masks, stages.mistake_options
    for size in range(5):
        expected = []
        for chosen in combinations(range(len(fields_of)), size):
            touched = [fields_of[m] for m in chosen]
            if sum(bin(t).count("1") for t in touched) != bin(sum(touched)).count("1"):
                continue
            for combo in product(*(options[m] for m in chosen)):
                expected.append(sum(1 << i for i in combo))
        made = stages._masks(size)
        assert len(made) == len(set(made))
        assert sorted(made) == sorted(expected)
        assert size < 2 or len(expected) > 10
