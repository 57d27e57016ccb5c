"""The quirks of real OAuth 1.0a libraries, named by the diagnosis.

Two sources of wrong signatures, neither of them the catalog's own Recipe transforms:
- the interop corpus (vectors/interop/): requests signed by the libraries themselves;
- signing code written out here by hand, the way such a library or script does each step
  (a dict of parameters, decodeURIComponent, a stable sort by name, ...).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

import pytest
from test_diagnose_catalog import (
    FORM,
    OAUTH,
    Pairs,
    b64,
    handmade,
    header_request,
    named,
    rfc3986,
)

from oauth_debug import Credentials, HttpRequest, diagnose
from oauth_debug.diagnosis.catalog import BY_ID
from oauth_debug.verify import claimed_parameters

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "vectors" / "interop"
NEW_IDS = {
    "duplicates-collapsed",
    "duplicates-indexed",
    "params-not-decoded",
    "plus-not-decoded",
    "utf8-double-encoded",
    "params-sorted-by-name-only",
    "url-requoted-after-signing",
    "params-sorted-before-encoding",
}
URL = "http://api.example.com/v1/items"


def joined(pairs: Pairs) -> str:
    return "&".join(f"{name}={value}" for name, value in pairs)


def sorted_encoded(pairs: Pairs) -> str:
    return joined(sorted((rfc3986(n), rfc3986(v)) for n, v in pairs))


# --- the corpus: what the libraries signed ---------------------------------------------------


def _corpus_entries() -> list[tuple[str, dict[str, Any]]]:
    """Every stored HMAC or PLAINTEXT request whose quirk is one of the new ids (RSA is not
    searched yet), except those the wire cannot tell (see the note at the end of this file)."""
    found = []
    for path in sorted(CORPUS.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for entry in document["requests"]:
            ids = set(entry.get("quirk", {}).get("ids", ()))
            if not ids & NEW_IDS or entry["signature_method"].startswith("RSA"):
                continue
            if not ids <= BY_ID.keys():
                continue  # params-decoded-twice (oauth2, one request) is not in the catalog
            if "url-requoted-after-signing" in ids and "host-case-kept" in ids:
                continue  # signed with the host's letters upper-cased: the wire keeps none
            found.append((f"{document['library']['name']}:{entry['id']}", entry))
    return found


CORPUS_ENTRIES = _corpus_entries()


def test_every_new_id_is_in_the_corpus_but_the_requoted_url() -> None:
    seen = {i for _, e in CORPUS_ENTRIES for i in e["quirk"]["ids"]}
    assert seen >= NEW_IDS - {"url-requoted-after-signing"}
    assert len(CORPUS_ENTRIES) >= 45


@pytest.mark.parametrize(
    "entry", [e for _, e in CORPUS_ENTRIES], ids=[name for name, _ in CORPUS_ENTRIES]
)
def test_diagnose_names_the_library_quirk(entry: dict[str, Any]) -> None:
    sent = entry["sent"]
    request = HttpRequest(
        sent["method"], sent["url"], [tuple(h) for h in sent["headers"]], sent["body"]
    )
    secrets = entry["credentials"]
    creds = Credentials(
        secrets["consumer_key"],
        secrets["consumer_secret"],
        secrets["token"],
        secrets["token_secret"],
    )
    # now= the request's own timestamp, so that no clock finding joins the signature's.
    oauth, _, _ = claimed_parameters(request)
    stamp = oauth.get("oauth_timestamp", "")
    result = diagnose(request, creds, now=float(stamp) if stamp.isdigit() else None)
    quirk = entry["quirk"]
    accepted = [set(quirk["ids"]), *(set(a) for a in quirk.get("alternatives", []))]
    assert result.verdict == "explained", result.summary
    # The best explanation, or one as small that produces the same signature (params-not-decoded
    # and params-double-encoded give one base string when the wire holds only RFC escapes).
    assert any(set(ids) in accepted for ids in (result.mistakes, *result.candidates))


# --- by hand: each step written the way the library writes it ---------------------------------


def test_duplicates_collapsed_by_a_dict_keeps_the_last_value() -> None:
    url = URL + "?tag=red&tag=blue"
    params = dict(parse_qsl("tag=red&tag=blue"))  # {'tag': 'blue'}
    sig = handmade("GET", URL, [*OAUTH, *params.items()])
    assert named(header_request("GET", url, sig)) == ("duplicates-collapsed",)


def test_duplicates_collapsed_keeping_the_first_value() -> None:
    url = URL + "?tag=red&tag=blue&tag=green"
    params: dict[str, str] = {}
    for name, value in parse_qsl("tag=red&tag=blue&tag=green"):
        params.setdefault(name, value)  # PHP's first-wins parse of a repeated key
    sig = handmade("GET", URL, [*OAUTH, *params.items()])
    assert named(header_request("GET", url, sig)) == ("duplicates-collapsed",)


def test_duplicates_collapsed_when_the_query_overrides_the_body() -> None:
    url = URL + "?a=1"
    params = {**dict(parse_qsl("a=2&b=3")), **dict(parse_qsl("a=1"))}  # body, then the query
    sig = handmade("POST", URL, [*OAUTH, *params.items()])
    request = header_request("POST", url, sig, body="a=2&b=3", content_type=FORM)
    assert named(request) == ("duplicates-collapsed",)


def test_duplicates_indexed_like_querystring_parse() -> None:
    url = URL + "?id=7&id=9&x=1"
    signed = [("id[0]", "7"), ("id[1]", "9"), ("x", "1")]  # an array written name[i]
    sig = handmade("GET", URL, [*OAUTH, *signed])
    assert named(header_request("GET", url, sig)) == ("duplicates-indexed",)


def _raw_pairs(query: str) -> Pairs:
    return [tuple(piece.split("=", 1)) for piece in query.split("&")]  # type: ignore[misc]


def test_params_not_decoded_signs_the_wire_text() -> None:
    query = "q=red%20shoes&tag=[x]"
    sig = handmade("GET", URL, [*OAUTH, *_raw_pairs(query)])  # split, never unquoted
    assert named(header_request("GET", f"{URL}?{query}", sig)) == ("params-not-decoded",)


def test_params_not_decoded_for_the_names_only() -> None:
    query = "sp%20ace=a%20b&c=%5B"
    # Values through decodeURIComponent, names kept as they are in the URL.
    signed = [(name, unquote(value)) for name, value in _raw_pairs(query)]
    sig = handmade("GET", URL, [*OAUTH, *signed])
    assert named(header_request("GET", f"{URL}?{query}", sig)) == ("params-not-decoded",)


def test_plus_not_decoded_by_decode_uri_component() -> None:
    query = "q=red+shoes&page=2"
    signed = [(unquote(n), unquote(v)) for n, v in _raw_pairs(query)]  # '+' stays a plus
    sig = handmade("GET", URL, [*OAUTH, *signed])
    assert named(header_request("GET", f"{URL}?{query}", sig)) == ("plus-not-decoded",)


def test_utf8_double_encoded_like_bytes_read_as_latin1() -> None:
    query = "city=M%C3%BCnchen"
    value = unquote(query.split("=")[1]).encode("utf-8").decode("latin-1")  # 'MÃ¼nchen'
    sig = handmade("GET", URL, [*OAUTH, ("city", value)])
    assert named(header_request("GET", f"{URL}?{query}", sig)) == ("utf8-double-encoded",)


def test_params_sorted_by_name_only_with_a_stable_sort() -> None:
    query = "b=2&a=9&a=1"
    pairs = [(rfc3986(n), rfc3986(v)) for n, v in [*OAUTH, *parse_qsl(query)]]
    pairs.sort(key=lambda pair: pair[0])  # a=9 stays before a=1
    sig = handmade("GET", URL, [], normalized=joined(pairs))
    assert named(header_request("GET", f"{URL}?{query}", sig)) == ("params-sorted-by-name-only",)


def test_params_sorted_before_encoding() -> None:
    query = "c%40=x&c2=y"  # 'c2' < 'c@' as text, but '%40' < '2' once encoded
    pairs = sorted([*OAUTH, *parse_qsl(query)])
    normalized = joined([(rfc3986(n), rfc3986(v)) for n, v in pairs])
    sig = handmade("GET", URL, [], normalized=normalized)
    assert named(header_request("GET", f"{URL}?{query}", sig)) == ("params-sorted-before-encoding",)


def test_url_requoted_after_signing_a_tilde_escape() -> None:
    # Signed as written (%7E); requests' requote_uri sends the unreserved "~" itself.
    sig = handmade("GET", "http://api.example.com/%7Ebob/items", OAUTH, uri_text=None)
    sent = "http://api.example.com/~bob/items"
    assert named(header_request("GET", sent, sig)) == ("url-requoted-after-signing",)


def test_url_requoted_after_signing_a_tilde() -> None:
    sig = handmade("GET", "http://api.example.com/~bob/items", OAUTH)
    sent = "http://api.example.com/%7Ebob/items"  # an encoder that escapes "~" sent this
    assert named(header_request("GET", sent, sig)) == ("url-requoted-after-signing",)


def _unsorted(*groups: Pairs) -> str:
    return joined([(rfc3986(n), rfc3986(v)) for group in groups for n, v in group])


QUERY = [("q", "red shoes"), ("page", "2")]
BODY = [("colour", "blue"), ("size", "9")]
POST_URL = URL + "?q=red%20shoes&page=2"


def _post(normalized: str) -> HttpRequest:
    sig = handmade("POST", URL, [], normalized=normalized)
    return header_request("POST", POST_URL, sig, body="colour=blue&size=9", content_type=FORM)


def test_params_unsorted_oauth_first_then_query_then_body() -> None:
    assert named(_post(_unsorted(OAUTH, QUERY, BODY))) == ("params-unsorted",)


def test_params_unsorted_oauth_last() -> None:
    assert named(_post(_unsorted(QUERY, BODY, OAUTH))) == ("params-unsorted",)


def test_params_unsorted_body_before_query() -> None:
    assert named(_post(_unsorted(BODY, QUERY, OAUTH))) == ("params-unsorted",)
    assert named(_post(_unsorted(OAUTH, BODY, QUERY))) == ("params-unsorted",)


def test_params_unsorted_in_wire_order() -> None:
    assert named(_post(_unsorted(QUERY, OAUTH, BODY))) == ("params-unsorted",)


def test_query_in_base_uri_before_the_oauth_parameters_were_appended() -> None:
    # The person's URL, query and all, taken as the base string URI; then a library appends
    # the oauth_* parameters to the query (query placement) and sends it.
    mine = "http://api.example.com/v1/items?q=red%20shoes&page=2"
    base = "&".join(["GET", rfc3986(mine), rfc3986(sorted_encoded([*OAUTH, *QUERY]))])
    key = f"{rfc3986('cs-secret')}&{rfc3986('ts-secret')}"
    sig = b64(hmac.new(key.encode(), base.encode(), hashlib.sha1).digest())
    sent = mine + "&" + "&".join(f"{n}={rfc3986(v)}" for n, v in OAUTH)
    sent += "&oauth_signature=" + quote(sig, safe="")
    assert named(HttpRequest("GET", sent, {}, None)) == ("query-in-base-uri",)


def test_a_library_quirk_with_a_mistake_of_hand() -> None:
    # node-oauth's indexed repeats, then the key without its '&' (no token secret).
    url = URL + "?id=7&id=9"
    oauth = [p for p in OAUTH if p[0] != "oauth_token"]
    signed = [*oauth, ("id[0]", "7"), ("id[1]", "9")]
    sig = handmade("GET", URL, signed, key=rfc3986("cs-secret"))
    request = header_request("GET", url, sig, oauth=oauth)
    creds = Credentials("ck", "cs-secret")
    assert named(request, creds) == ("duplicates-indexed", "key-missing-ampersand")
