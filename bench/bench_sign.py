"""How fast is sign_at (with its full trace) next to oauthlib, and next to the bare floor?

Measures, in one run on one machine, on the RFC 5849 3.4.1 request with the same inputs:
  1. oauth_debug.sign_at: the whole pipeline, returning every intermediate step;
  2. oauthlib.oauth1.Client.sign with fixed timestamp and nonce;
  3. the floor: hmac + base64 over the finished base string (what any signer must at least do).
Prints each per-call time (best of several timeit repeats) and the ratios. Only ratios within one
run mean anything; the issue's target is oauthlib / sign_at >= 10.

    .venv/bin/python bench/bench_sign.py
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import itertools
import sys
import timeit
from collections.abc import Callable
from urllib.parse import quote

from oauthlib.oauth1 import Client

from oauth_debug import Credentials, HttpRequest, sign_at

URL = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"
FORM = "application/x-www-form-urlencoded"
BODY = "c2&a3=2+q"
EXPECTED = "r6/TJjbCOr97/+UU0NsvSne7s5g="  # RFC 5849 3.4.1, as corrected by errata 2550

REQUEST = HttpRequest("POST", URL, headers={"Content-Type": FORM}, body=BODY)
CREDENTIALS = Credentials(
    "9djdj82h48djs9d2", "j49sk3j29djd", token="kkk9d7dh3k39sjv7", token_secret="dh893hdasih9"
)
CLIENT = Client(
    "9djdj82h48djs9d2",
    client_secret="j49sk3j29djd",
    resource_owner_key="kkk9d7dh3k39sjv7",
    resource_owner_secret="dh893hdasih9",
    timestamp="137131201",
    nonce="7d8f3e4a",
    realm="Example",
)
# oauthlib always sends oauth_version=1.0; sign_at below does too, so both sign the same request.


# Each call gets a fresh nonce, in both signers, as in real use: the signer's caches of encoded
# names and keys may help it, a cache of whole base strings may not.
OUR_NONCES = itertools.count(10_000_000)
THEIR_NONCES = itertools.count(10_000_000)


def ours() -> str:
    nonce = f"{next(OUR_NONCES):x}"
    trace = sign_at(REQUEST, CREDENTIALS, timestamp="137131201", nonce=nonce, realm="Example")
    return trace.signature


def theirs() -> str:
    CLIENT.nonce = f"{next(THEIR_NONCES):x}"
    _, headers, _ = CLIENT.sign(URL, "POST", BODY, {"Content-Type": FORM})
    return headers["Authorization"]


BASE_STRING = sign_at(
    REQUEST, CREDENTIALS, timestamp="137131201", nonce="7d8f3e4a", realm="Example"
).base_string.encode()
KEY = b"j49sk3j29djd&dh893hdasih9"


def floor() -> str:
    return base64.b64encode(hmac.new(KEY, BASE_STRING, hashlib.sha1).digest()).decode()


MINIMAL_NONCES = itertools.count(10_000_000)
_encode = functools.lru_cache(maxsize=4096)(functools.partial(quote, safe=""))
_QUERY_AND_BODY = [
    ("b5", "=%3D"),
    ("a3", "a"),
    ("c@", ""),
    ("a2", "r b"),
    ("c2", ""),
    ("a3", "2 q"),
]


def minimal(nonce: str | None = None) -> str:
    """A reference, not a product: the least a Python signer does for this request, written by
    hand for it alone (parameters pre-decoded, no URL parsing, no checks, no trace objects, cached
    encodings). It shows how close to the bare pipeline a full trace can get at all."""
    protocol = [
        ("oauth_consumer_key", "9djdj82h48djs9d2"),
        ("oauth_token", "kkk9d7dh3k39sjv7"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "137131201"),
        ("oauth_nonce", nonce or f"{next(MINIMAL_NONCES):x}"),
        ("oauth_version", "1.0"),
    ]
    pairs = sorted((_encode(n), _encode(v)) for n, v in _QUERY_AND_BODY + protocol)
    normalized = "&".join([f"{n}={v}" for n, v in pairs])
    encoded = normalized.replace("%", "%25").replace("&", "%26").replace("=", "%3D")
    base = "POST&" + _encode("http://example.com/request") + "&" + encoded
    signature = base64.b64encode(hmac.digest(KEY, base.encode(), "sha1")).decode()
    protocol.append(("oauth_signature", signature))
    return 'OAuth realm="Example", ' + ", ".join(
        [f'{_encode(n)}="{_encode(v)}"' for n, v in protocol]
    )


def per_call(function: Callable[[], object], repeats: int = 7) -> float:
    """Best per-call seconds over ``repeats`` timeit runs, each sized to take ~0.2 s."""
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    number = max(1, number)
    return min(timer.repeat(repeat=repeats, number=number)) / number


def main() -> int:
    # Same inputs, same answer: check before timing, or the comparison means nothing.
    signature = sign_at(
        REQUEST, CREDENTIALS, timestamp="137131201", nonce="7d8f3e4a", realm="Example"
    ).signature
    CLIENT.nonce = "7d8f3e4a"
    _, headers, _ = CLIENT.sign(URL, "POST", BODY, {"Content-Type": FORM})
    header = headers["Authorization"]
    assert floor() == signature, "the floor signs another base string"
    assert (
        f'oauth_signature="{signature.replace("/", "%2F").replace("+", "%2B").replace("=", "%3D")}"'
        in header
    ), "oauthlib signs another request"
    ours_header = sign_at(
        REQUEST, CREDENTIALS, timestamp="137131201", nonce="7d8f3e4a", realm="Example"
    ).authorization_header
    assert minimal("7d8f3e4a") == ours_header, "the minimal reference signs another request"
    rfc = sign_at(REQUEST, CREDENTIALS, timestamp="137131201", nonce="7d8f3e4a", version=None)
    assert rfc.signature == EXPECTED

    times = {"sign_at (full trace)": per_call(ours), "oauthlib Client.sign": per_call(theirs)}
    times["floor (hmac + base64)"] = per_call(floor)
    times["minimal hand-written"] = per_call(minimal)
    print(f"Python {sys.version.split()[0]}, RFC 5849 3.4.1 request, HMAC-SHA1, best of 7")
    for name, seconds in times.items():
        print(f"  {name:<24} {seconds * 1e6:9.2f} us/call")
    ratio_oauthlib = times["oauthlib Client.sign"] / times["sign_at (full trace)"]
    ratio_floor = times["sign_at (full trace)"] / times["floor (hmac + base64)"]
    print(f"  oauthlib / sign_at       {ratio_oauthlib:9.1f}x  (target >= 10x)")
    print(f"  sign_at / floor          {ratio_floor:9.1f}x")
    ratio_minimal = times["oauthlib Client.sign"] / times["minimal hand-written"]
    print(f"  oauthlib / minimal       {ratio_minimal:9.1f}x  (the ceiling for any Python signer)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
