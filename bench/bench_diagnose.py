"""How close is a full diagnosis search to its floor, when nothing explains the signature?

A claimed signature that no mistake produces makes the search try every single, pair and triple
of applicable mistakes before it answers "unexplained". Whatever the search does, it has to make
one HMAC and write it out for each combination it reports (``combinations_tried``): that is the
floor, measured here as exactly that work (``hmac.digest`` and base64, over the request's own
base string, already encoded). The issue's target: a search at most 3x its floor.

Two requests: the RFC 5849 3.4.1 example (query, form body, realm, empty values, spaces: most
catalog mistakes apply) and the same request with 1,000 more query parameters. The search, its
floor and the whole diagnose() are timed interleaved, round by round, and the medians compared;
every run starts with empty caches (the caches live inside one search). Times are this process's
CPU time (time.process_time), so that other work on a shared machine is not counted.

    PYTHONPATH=. .venv/bin/python bench/bench_diagnose.py [rounds]
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import statistics
import sys
import time
from collections.abc import Callable

from oauth_debug import Credentials, HttpRequest
from oauth_debug.diagnosis import diagnose
from oauth_debug.diagnosis.search import SearchResult, search
from oauth_debug.signer import compute, signing_key

URL = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"
FORM = "application/x-www-form-urlencoded"
CREDENTIALS = Credentials(
    "9djdj82h48djs9d2", "j49sk3j29djd", token="kkk9d7dh3k39sjv7", token_secret="dh893hdasih9"
)
# A well-formed HMAC-SHA1 signature (28 base64 characters) that no catalog mistake produces.
UNEXPLAINED = base64.b64encode(hashlib.sha1(b"nothing explains this").digest()).decode()
HEADER = (
    'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", '
    'oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", '
    'oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", '
    f'oauth_signature="{UNEXPLAINED.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")}"'
)
MANY = "&".join(f"k{i:04d}=value%20{i}" for i in range(1000))
REQUESTS = {
    "RFC 5849 3.4.1": URL,
    "1,000 parameters": f"{URL}&{MANY}",
}


def request_for(url: str) -> HttpRequest:
    # A new request each time: a request keeps its own reading, and each run must start cold.
    headers = {"Content-Type": FORM, "Authorization": HEADER}
    return HttpRequest("POST", url, headers=headers, body="c2&a3=2+q")


def searched(url: str) -> SearchResult:
    request = request_for(url)
    return search(request, CREDENTIALS, UNEXPLAINED, signature_method="HMAC-SHA1", realm="Example")


def floor_for(url: str, combinations: int) -> Callable[[], object]:
    """One HMAC-SHA1 and one base64 per combination, over the request's base string."""
    trace = compute(request_for(url), CREDENTIALS, "HMAC-SHA1", realm="Example")
    key = signing_key(CREDENTIALS).reveal().encode("utf-8")
    message = trace.base_string.encode("utf-8")

    def floor() -> object:
        digest, encode = hmac.digest, base64.b64encode
        return [encode(digest(key, message, "sha1")) for _ in range(combinations)]

    return floor


def timed(action: Callable[[], object]) -> float:
    start = time.process_time()
    action()
    return (time.process_time() - start) * 1000


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    cases = []
    for name, url in REQUESTS.items():
        result = searched(url)
        assert result.explanations == (), "the benchmark signature must explain nothing"
        verdict = diagnose(request_for(url), CREDENTIALS, now=137131300).verdict
        assert verdict == "unexplained", verdict
        actions: dict[str, Callable[[], object]] = {
            "search": lambda url=url: searched(url),  # type: ignore[misc]
            "floor": floor_for(url, result.combinations_tried),
            "diagnose": lambda url=url: diagnose(request_for(url), CREDENTIALS, now=137131300),  # type: ignore[misc]
        }
        cases.append((name, result, actions, {key: [] for key in actions}))
    for _ in range(rounds):  # interleaved: a slow moment of the machine hits every figure alike
        for _, _, actions, times in cases:
            for key, action in actions.items():
                times[key].append(timed(action))
    print(f"claimed signature {UNEXPLAINED} (unexplained); medians of {rounds} interleaved rounds")
    worst = 0.0
    for name, result, _, times in cases:
        median = {key: statistics.median(values) for key, values in times.items()}
        ratio = median["search"] / median["floor"]
        worst = max(worst, ratio)
        print(f"{name}: {len(result.considered)} mistakes apply, "
              f"{result.combinations_tried} combinations tried")  # fmt: skip
        print(f"  full search, nothing explained : {median['search']:8.2f} ms")
        print(f"  floor (HMAC + base64 each)     : {median['floor']:8.2f} ms")
        print(f"  search / floor                 : {ratio:8.2f}x   (target <= 3x)")
        print(f"  whole diagnose()               : {median['diagnose']:8.2f} ms")
    if worst > 3:
        raise SystemExit(f"a full search is {worst:.2f}x its floor, over the 3x target")


if __name__ == "__main__":
    main()
