"""The search lists its explanations in the catalog's order: by mistakes first, then variants.

``diagnose`` takes its best explanation and its candidates from that order, so it is part of what
a user sees. A catalog where one mistake's two variants each pair with two other mistakes is the
case where ordering by option numbers alone (variant before second mistake) gives another order.
"""

from __future__ import annotations

from dataclasses import replace

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.diagnosis import search as fast
from oauth_debug.diagnosis.catalog import CATALOG, fixed, recipe_of, variant
from oauth_debug.signer import compute


def test_explanations_are_ordered_by_mistakes_then_variants() -> None:
    base = CATALOG[0]
    first = replace(
        base,
        id="first",
        variants_of=fixed(variant("v1", lowercase_hex=True), variant("v2", lowercase_hex=True)),
        applies=lambda context: True,
    )
    second = replace(
        base, id="second", variants_of=fixed(variant("s", method="PUT")), applies=lambda c: True
    )
    third = replace(
        base, id="third", variants_of=fixed(variant("t", method="PUT")), applies=lambda c: True
    )
    credentials = Credentials("ck", "cs", token="tk", token_secret="ts")
    request = sign_at(
        HttpRequest("GET", "https://api.example.com/p?q=%C3%A9"), credentials,
        timestamp=1, nonce="n",
    ).signed_request  # fmt: skip
    assert request is not None
    claimed = compute(
        request,
        credentials,
        "HMAC-SHA1",
        recipe_of([variant("x", lowercase_hex=True, method="PUT")]),
    ).signature
    result = fast.search(
        request, credentials, claimed, signature_method="HMAC-SHA1", catalog=[first, second, third]
    )
    listed = [(e.ids, tuple(v.label for v in e.variants)) for e in result.explanations]
    assert listed == [
        (("first", "second"), ("v1", "s")),
        (("first", "second"), ("v2", "s")),
        (("first", "third"), ("v1", "t")),
        (("first", "third"), ("v2", "t")),
    ]
