"""The seeded set of requests every library signs (the input of the interop corpus).

Each case is the request as an application hands it to an OAuth library: a method, the URL as the
application wrote it (query text included, spelled the way people spell it: ``+`` or ``%20`` for a
space, ``~`` raw or as ``%7E``), an optional form body as text, the signature method, the secrets,
and a fixed timestamp and nonce. The decoded query and form pairs (RFC 5849 3.4.1.3.1:
``application/x-www-form-urlencoded`` decoding, so ``+`` is a space) ride along for the libraries
that take parameters separately from the URL.

Hand-picked cases cover each feature once; a seeded generator (``SEED``) adds mixed ones, so a
rerun makes the same corpus. Nothing here imports oauth_debug: the cases are the libraries' input.
"""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import parse_qsl, quote

SEED = 5849
TIMESTAMP = "1700000000"
NONCE = "interopnonce0123456789"
API = "https://api.example.com/1/items"
RSA_KEY_PATH = "vectors/keys/oauth-wiki-rsa-test-key.pem"

MAIN = {
    "consumer_key": "interop-consumer-key",
    "consumer_secret": "kd94hf93k423kf44",
    "token": "nnch734d00sl2jdk",
    "token_secret": "pfkkdhi9sl3r4s00",
}
# Secrets that need percent-encoding in the key (RFC 5849 3.4.2): '&', space, '+', '~', '/', '='.
AWKWARD = {
    "consumer_key": "interop-consumer-key",
    "consumer_secret": "s3cr&t +~",
    "token": "nnch734d00sl2jdk",
    "token_secret": "tok/en=secret",
}
TWO_LEGGED = {
    "consumer_key": "interop-consumer-key",
    "consumer_secret": "kd94hf93k423kf44",
    "token": None,
    "token_secret": "",
}

FORM = "application/x-www-form-urlencoded"

# (id, method, url, body, content type, what it exercises)
HAND_PICKED: list[tuple[str, str, str, str | None, str | None, str]] = [
    ("get-plain", "GET", API + "?a=1&b=2", None, None, "a simple query"),
    ("get-no-query", "GET", API, None, None, "no parameters but the oauth ones"),
    ("get-space-pct20", "GET", API + "?q=hello%20world", None, None, "a space as %20"),
    ("get-space-plus", "GET", API + "?q=hello+world", None, None, "a space as + in the query"),
    ("get-plus-pct2b", "GET", API + "?q=1%2B1", None, None, "a literal plus, as %2B"),
    ("get-tilde-raw", "GET", API + "?t=~user", None, None, "~ unencoded (unreserved)"),
    ("get-tilde-pct7e", "GET", API + "?t=%7Euser", None, None, "~ spelled %7E"),
    ("get-subdelims-enc", "GET", API + "?r=%21%2A%27%28%29", None, None, "!*'() encoded"),
    ("get-subdelims-raw", "GET", API + "?r=!*'()", None, None, "!*'() raw in the query"),
    (
        "get-gendelims-enc",
        "GET",
        API + "?s=%3A%2F%3F%23%5B%5D%40%26%3D%24%2C%3B",
        None,
        None,
        "gen-delims and others encoded",
    ),
    (
        "get-non-ascii",
        "GET",
        API + "?n=caf%C3%A9&j=%E6%97%A5%E6%9C%AC&e=%F0%9F%98%80",
        None,
        None,
        "UTF-8 text: Latin-1 range, CJK, an emoji",
    ),
    ("get-repeated", "GET", API + "?a=2&a=1&a=3", None, None, "a repeated name, values unsorted"),
    (
        "get-repeated-mixed",
        "GET",
        API + "?b=1&a=z&c=&a=y&a=z",
        None,
        None,
        "a repeated name among others, a repeated pair",
    ),
    ("get-empty-values", "GET", API + "?e=&f=x&g", None, None, "empty values, a name without '='"),
    ("get-brackets", "GET", API + "?ids%5B%5D=1&ids%5B%5D=2", None, None, "PHP-style array names"),
    ("get-name-case", "GET", API + "?B=1&a=2&A=3&b=4", None, None, "names differing in case"),
    ("get-name-prefix", "GET", API + "?a=1&ab=2&a-b=3&a_b=4", None, None, "names with prefixes"),
    ("get-path-space", "GET", API + "/a%20b?x=1", None, None, "an encoded space in the path"),
    ("get-port", "GET", "https://api.example.com:8443/1/items?x=1", None, None, "a port kept"),
    ("get-default-port", "GET", "http://api.example.com:80/1/items?x=1", None, None, ":80 dropped"),
    ("get-host-case", "GET", "https://API.Example.COM/1/Items?x=1", None, None, "host case"),
    ("post-form", "POST", API, "a=1&b=hello%20world", FORM, "a form body"),
    ("post-form-plus", "POST", API, "q=hello+world&r=1%2B1", FORM, "+ and %2B in a form body"),
    ("post-form-repeated", "POST", API, "a=3&a=1&b=", FORM, "a repeated name in a form body"),
    ("post-form-non-ascii", "POST", API, "n=caf%C3%A9&j=%E6%97%A5", FORM, "UTF-8 in a form body"),
    ("post-query-and-form", "POST", API + "?q=1&z=a%20b", "b=2&a=1", FORM, "query and form"),
    (
        "post-query-form-same-name",
        "POST",
        API + "?a=2",
        "a=1",
        FORM,
        "one name in both the query and the form body",
    ),
    ("post-json", "POST", API + "?x=1", '{"a": 1, "b": "two"}', "application/json", "JSON body"),
    (
        "post-rfc-3.1",
        "POST",
        "https://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
        "c2&a3=2+q",
        FORM,
        "the request of RFC 5849 3.1 (with this corpus's secrets)",
    ),
    ("get-awkward-secrets", "GET", API + "?a=1", None, None, "secrets that need encoding"),
    ("get-two-legged", "GET", API + "?a=1", None, None, "no token (two-legged)"),
]

# Cases signed with the other methods too (where the library supports them).
OTHER_METHODS = ("HMAC-SHA256", "PLAINTEXT", "RSA-SHA1")
OTHER_METHOD_CASES = ("get-plain", "get-space-pct20", "post-form", "post-rfc-3.1")

# Alphabets for the seeded cases: each piece is a decoded text and how it is written on the wire.
_PIECES = [
    ("a", "a"),
    ("Z9", "Z9"),
    (" ", "%20"),
    (" ", "+"),
    ("+", "%2B"),
    ("~", "~"),
    ("~", "%7E"),
    ("-._", "-._"),
    ("!", "%21"),
    ("*", "%2A"),
    ("&", "%26"),
    ("=", "%3D"),
    ("/", "%2F"),
    (":", "%3A"),
    ("%", "%25"),
    ("é", "%C3%A9"),
    ("ü", "%C3%BC"),
    ("日", "%E6%97%A5"),
    ("€", "%E2%82%AC"),
]
_NAMES = ["a", "b", "q", "Name", "x_y", "z-1", "sp ace", "ñ"]


def _wire_name(name: str) -> str:
    return quote(name, safe="-._~")


def _seeded_pairs(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(wire name, wire value) pairs; names repeat, values may be empty."""
    pairs = []
    for _ in range(count):
        name = _wire_name(rng.choice(_NAMES))
        value = "".join(rng.choice(_PIECES)[1] for _ in range(rng.randint(0, 4)))
        pairs.append((name, value))
    return pairs


def _seeded() -> list[tuple[str, str, str, str | None, str | None, str]]:
    rng = random.Random(SEED)
    made = []
    for number in range(10):
        method = "POST" if number % 2 else "GET"
        query = "&".join(f"{n}={v}" for n, v in _seeded_pairs(rng, rng.randint(1, 4)))
        url = API + ("?" + query if query else "")
        body = None
        content_type = None
        if method == "POST":
            body = "&".join(f"{n}={v}" for n, v in _seeded_pairs(rng, rng.randint(1, 4)))
            content_type = FORM
        made.append((f"seeded-{number:02d}", method, url, body, content_type, f"seed {SEED}"))
    return made


def _credentials(case_id: str) -> dict[str, Any]:
    if case_id == "get-awkward-secrets":
        return AWKWARD
    if case_id == "get-two-legged":
        return TWO_LEGGED
    return MAIN


def decoded_pairs(text: str) -> list[list[str]]:
    """Form decoding (RFC 5849 3.4.1.3.1): split on '&', '+' is a space, %XX is UTF-8."""
    return [[n, v] for n, v in parse_qsl(text, keep_blank_values=True, errors="strict")]


def all_cases() -> list[dict[str, Any]]:
    """Every case, in a fixed order, as JSON-ready dicts (the signers' stdin)."""
    cases = []
    for case_id, method, url, body, content_type, comment in HAND_PICKED + _seeded():
        base, _, query = url.partition("?")
        for signature_method in ("HMAC-SHA1", *OTHER_METHODS):
            if signature_method != "HMAC-SHA1" and case_id not in OTHER_METHOD_CASES:
                continue
            suffix = "" if signature_method == "HMAC-SHA1" else "-" + signature_method.lower()
            cases.append(
                {
                    "id": case_id + suffix,
                    "comment": comment,
                    "method": method,
                    "url": url,
                    "base_url": base,
                    "query": decoded_pairs(query),
                    "body": body,
                    "content_type": content_type,
                    "form": decoded_pairs(body) if content_type == FORM and body else [],
                    "signature_method": signature_method,
                    "credentials": _credentials(case_id),
                    "timestamp": TIMESTAMP,
                    "nonce": NONCE,
                }
            )
    return cases
