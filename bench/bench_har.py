"""How long, and how much memory, does reading a large HAR take (diagnose --har's reading)?

Writes a HAR of N entries (default 3000) as Chrome exports one: every third entry a signed
Gallery GET (half of them refused with a 401 whose JSON body is base64-encoded), the others
images with 8 KB base64 bodies. Then reads it as `diagnose --har` does: the file's bytes parsed
streamed from the file, each entry decoded alone when it is reached, every OAuth 1 entry's answer
read with read_parts, and (with --diagnose) each diagnosed. Reports the file size, the time and
the peak memory traced by tracemalloc during the reading, beside the peak of a naive reading
that decodes every base64 body up front.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_har.py [N] [--diagnose]
"""

from __future__ import annotations

import base64
import gc
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from oauth_debug.diagnosis.engine import diagnose
from oauth_debug.diagnosis.response import read_parts
from oauth_debug.inputs.har import HarEntry, read_har
from oauth_debug.model import Credentials, HttpRequest
from oauth_debug.signer import sign_at

KEY = Credentials("gallery-key", "gallery-secret")
IMAGE = base64.b64encode(bytes(range(256)) * 24).decode()  # 6 KB of bytes, 8 KB of base64
REFUSAL = base64.b64encode(b'{"message":"Invalid signature","exceptionName":"Unauth"}').decode()


def entry(index: int) -> dict[str, object]:
    url = f"https://gallery.example.com/gallery/api/v1/workflows/?offset={index}"
    headers: list[dict[str, str]] = [{"name": ":authority", "value": "gallery.example.com"}]
    status, content = 200, {"size": 6144, "mimeType": "image/png", "text": IMAGE,
                            "encoding": "base64"}  # fmt: skip
    if index % 3 == 0:
        trace = sign_at(
            HttpRequest("GET", url), KEY, timestamp=1709287200 + index, nonce=f"n{index}"
        )
        headers.append({"name": "authorization", "value": trace.authorization_header or ""})
        if index % 2:
            status = 401
            content = {"size": 60, "mimeType": "application/json", "text": REFUSAL,
                       "encoding": "base64"}  # fmt: skip
        else:
            content = {"size": 2, "mimeType": "application/json", "text": "[]"}
    else:
        url = f"https://gallery.example.com/gallery/img/{index}.png"
    return {
        "startedDateTime": "2024-03-01T10:00:00.000Z",
        "request": {"method": "GET", "url": url, "httpVersion": "http/2.0", "headers": headers},
        "response": {"status": status, "statusText": "", "headers": [], "content": content},
    }


def read(path: Path, run_diagnosis: bool) -> tuple[int, int]:
    oauth = answered = 0
    with path.open(encoding="utf-8") as stream:  # as diagnose --har reads it
        for item in read_har(stream):
            if item.oauth and item.parsed is not None:
                oauth, answered = _one(item, run_diagnosis, oauth, answered)
    return oauth, answered


def _one(item: HarEntry, run_diagnosis: bool, oauth: int, answered: int) -> tuple[int, int]:
    if item.parsed is not None:
        oauth += 1
        response = item.response
        answer = None
        if response is not None:
            answer = read_parts(response.status, response.headers, response.body)
            answered += 1
        if run_diagnosis:
            diagnose(item.parsed.request, KEY, now=item.started, response=answer)
    return oauth, answered


def naive(path: Path) -> int:
    """Every body decoded up front and kept: the second copy the reader avoids."""
    document = json.loads(path.read_text(encoding="utf-8"))
    bodies = [
        base64.b64decode(e["response"]["content"]["text"])
        for e in document["log"]["entries"]
        if e["response"]["content"].get("encoding") == "base64"
    ]
    return len(bodies)


def measure(function: object, *args: object) -> tuple[float, int, object]:
    assert callable(function)
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    result = function(*args)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, peak, result


def main() -> None:
    count = int(next((a for a in sys.argv[1:] if a.isdigit()), "3000"))
    run_diagnosis = "--diagnose" in sys.argv
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.har"
        creator = {"name": "WebInspector", "version": "537.36"}
        entries = [entry(i) for i in range(count)]
        document = {"log": {"version": "1.2", "creator": creator, "entries": entries}}
        path.write_text(json.dumps(document))
        del document, entries
        size = path.stat().st_size
        elapsed, peak, (oauth, answered) = measure(read, path, run_diagnosis)  # type: ignore[misc]
        _, naive_peak, _ = measure(naive, path)
    mb = 1024 * 1024
    what = "read and diagnosed" if run_diagnosis else "read (answers read with read_parts)"
    print(f"HAR: {count} entries, {size / mb:.1f} MB, {oauth} with OAuth 1 ({answered} answered)")
    print(f"{what}: {elapsed:.2f} s, peak traced memory {peak / mb:.1f} MB")
    print(f"whole-document json.loads + every base64 body decoded: peak {naive_peak / mb:.1f} MB")


if __name__ == "__main__":
    main()
