"""A fuzzed corpus of signing inputs with the outputs oauth-debug 0.1.0 gave for them.

The signer is rewritten for speed from time to time; this corpus holds every rewrite to the
outputs of the release before it, far beyond what the published vectors cover: mixed-case hosts
and default ports, reserved and non-ASCII characters in path, query and form, repeated names, ``+``
and ``%20``, empty values, JSON and text bodies (body hash), every signature method, the three
placements, realm, token, callback and verifier.

    .venv/bin/python bench/sign_regression.py write   # regenerate (only from a released signer)
    .venv/bin/python bench/sign_regression.py check   # sign every case again and compare

``tests/core/test_sign_regression.py`` runs the check on every test run, and ``bench/bench_sign.py``
runs it before timing anything.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

from oauth_debug import Credentials, HttpRequest, OAuthDebugError, sign_at

CORPUS = Path(__file__).parent / "data" / "sign-outputs-0.1.0.json"
RSA_KEY = Path(__file__).parents[1] / "vectors" / "keys" / "oauth-wiki-rsa-test-key.pem"
SEED = 20261204
COUNT = 600

_HOSTS = ["example.com", "API.Example.COM", "h.example:8080", "h.example:443", "127.0.0.1"]
_PIECES = ["a", "Z9", "-._~", "%20", "+", "%2B", "%25", "caf%C3%A9", "%E2%9C%88", "!*'()",
           "%3D", "%26", "a%2Fb", "%7E", "", "x y".replace(" ", "%20"), "%5B%5D"]  # fmt: skip
_TEXT = ["a", "r b", "=%3D", "é", "✈", "&", "+", " ", "", "~", "a/b", "\u3001", "\x7f"]
_METHODS = ["HMAC-SHA1", "HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT", "RSA-SHA1"]


def _piece(rng: random.Random) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 3)))


def _query(rng: random.Random, pairs: int) -> str:
    names = [_piece(rng) or "n" for _ in range(max(1, pairs // 2 + 1))]
    return "&".join(
        f"{rng.choice(names)}" + ("" if rng.random() < 0.1 else f"={_piece(rng)}")
        for _ in range(pairs)
    )


def make_case(rng: random.Random) -> dict[str, Any]:
    """One random signing input, as plain JSON data."""
    scheme = rng.choice(["http", "https"])
    path = "/" + "/".join(_piece(rng) or "p" for _ in range(rng.randint(0, 3)))
    query = _query(rng, rng.randint(0, 6))
    url = f"{scheme}://{rng.choice(_HOSTS)}{path}" + (
        f"?{query}" if query or rng.random() < 0.05 else ""
    )
    kind = rng.choice(["none", "form", "form", "json", "text"])
    headers: list[list[str]] = []
    body: str | None = None
    if kind == "form":
        headers.append(["Content-Type", "application/x-www-form-urlencoded"])
        body = _query(rng, rng.randint(0, 5))
    elif kind == "json":
        headers.append(["Content-Type", "application/json"])
        body = json.dumps({rng.choice(_TEXT): rng.choice(_TEXT)}, ensure_ascii=rng.random() < 0.5)
    elif kind == "text":
        headers.append(["Content-Type", "text/plain; charset=utf-8"])
        body = "".join(rng.choice(_TEXT) for _ in range(rng.randint(0, 8)))
    method = rng.choice(["GET", "POST", "PUT", "DELETE", "PATCH"]) if body is None else "POST"
    placements = ["header", "query"] + (["body"] if kind == "form" else [])
    with_token = rng.random() < 0.6
    return {
        "method": method,
        "url": url,
        "headers": headers,
        "body": body,
        "consumer_key": rng.choice(["9djdj82h48djs9d2", "key with space", "ké"]),
        "consumer_secret": rng.choice(["j49sk3j29djd", "s&c=ret", "sécret", ""]),
        "token": rng.choice(["kkk9d7dh3k39sjv7", "t~k%"]) if with_token else None,
        "token_secret": rng.choice(["dh893hdasih9", "t s", ""]) if with_token else "",
        "signature_method": rng.choice(_METHODS),
        "timestamp": str(rng.randint(1, 2_000_000_000)),
        "nonce": "".join(rng.choice("abcdef0123456789") for _ in range(rng.randint(1, 32))),
        "placement": rng.choice(placements),
        "realm": rng.choice([None, "Example", "http://sp.example.com/"]),
        "version": rng.choice(["1.0", None]),
        "callback": rng.choice([None, None, "oob", "http://client.example/cb?x=1"]),
        "verifier": rng.choice([None, None, "hfdp7dh39dks9884"]),
    }


def sign_case(case: dict[str, Any]) -> dict[str, str | None]:
    """The outputs that a release promises for ``case``: the base string and what goes on the wire
    (or the class of the error it refused the input with)."""
    try:
        return _signed(case)
    except OAuthDebugError as error:
        return {"error": type(error).__name__}


def _signed(case: dict[str, Any]) -> dict[str, str | None]:
    rsa = RSA_KEY.read_text() if case["signature_method"].startswith("RSA-") else None
    credentials = Credentials(
        case["consumer_key"],
        case["consumer_secret"],
        token=case["token"],
        token_secret=case["token_secret"],
        rsa_key=rsa,
    )
    request = HttpRequest(
        case["method"], case["url"], [tuple(h) for h in case["headers"]], case["body"]
    )
    trace = sign_at(
        request,
        credentials,
        timestamp=case["timestamp"],
        nonce=case["nonce"],
        signature_method=case["signature_method"],
        version=case["version"],
        realm=case["realm"],
        placement=case["placement"],
        callback=case["callback"],
        verifier=case["verifier"],
    )
    signed = trace.signed_request
    assert signed is not None
    return {
        "base_string": trace.base_string,
        "signature": trace.signature,
        "url": signed.url,
        "authorization": dict(signed.headers).get("Authorization"),
        "body": signed.body.decode("utf-8", "surrogateescape") if signed.body is not None else None,
    }


def write() -> None:
    rng = random.Random(SEED)
    cases = [make_case(rng) for _ in range(COUNT)]
    document = {
        "source": "oauth-debug 0.1.0 (commit 7987715, the first landing), bench/sign_regression.py "
        f"with seed {SEED}: fuzzed inputs and the outputs that release gave for them",
        "cases": [{"input": case, "output": sign_case(case)} for case in cases],
    }
    CORPUS.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(cases)} cases to {CORPUS}")


def check() -> list[int]:
    """The indexes of the stored cases whose outputs differ today (empty when all agree)."""
    document = json.loads(CORPUS.read_text(encoding="utf-8"))
    return [
        index
        for index, case in enumerate(document["cases"])
        if sign_case(case["input"]) != case["output"]
    ]


if __name__ == "__main__":
    if sys.argv[1:] == ["write"]:
        write()
    else:
        differ = check()
        print(
            f"{len(differ)} of {COUNT} stored cases differ" + (f": {differ[:10]}" if differ else "")
        )
        sys.exit(1 if differ else 0)
