"""Per library: requests signed, valid and wrong per RFC, and how many wrong ones diagnose() names.

    PYTHONPATH=. python interop/report.py            # the table (Markdown)
    PYTHONPATH=. python interop/report.py --detail   # and one line per wrong request

Reads only the stored files under vectors/interop/ and runs this tree's oauth_debug.diagnose on
every request the RFC reference calls wrong (with the secrets, and ``now`` at the request's own
timestamp so that no clock finding interferes). "named" counts the diagnoses that explain the
signature with some catalog ids; "as the corpus" counts those whose ids are exactly the quirk the
corpus found (interop/quirks.py), or one of its equally small alternatives. Installs nothing,
needs no network.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "vectors" / "interop"


def load_corpus() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.json"))]


def _timestamp(entry: dict[str, Any]) -> float | None:
    from reference import http_request

    from oauth_debug.verify import claimed_parameters

    oauth, _, _ = claimed_parameters(http_request(entry["sent"]))
    stamp = oauth.get("oauth_timestamp")
    return float(stamp) if stamp and stamp.isdigit() else None


def diagnose_entry(entry: dict[str, Any], rsa_pem: str) -> tuple[str, tuple[str, ...]]:
    """Today's diagnosis of one stored request: its verdict and mistake ids."""
    from reference import credentials, http_request

    from oauth_debug import diagnose

    rsa = rsa_pem if entry["signature_method"].startswith("RSA") else None
    result = diagnose(
        http_request(entry["sent"]), credentials(entry["credentials"], rsa), now=_timestamp(entry)
    )
    return result.verdict, tuple(result.mistakes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--detail", action="store_true", help="one line per wrong request")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "interop"))
    rsa_pem = (ROOT / "vectors" / "keys" / "oauth-wiki-rsa-test-key.pem").read_text()
    rows = []
    details = []
    totals = [0] * 6
    for document in load_corpus():
        library = document["library"]
        signed = [e for e in document["requests"] if "sent" in e]
        wrong = [e for e in signed if e["verdict"] == "wrong"]
        named = exact = 0
        for entry in wrong:
            verdict, ids = diagnose_entry(entry, rsa_pem)
            found = entry.get("quirk", {})
            quirk = tuple(found.get("ids", ()))
            # Equally small explanations the corpus found (e.g. a body value dropped = collapsed).
            accepted = [set(quirk), *(set(a) for a in found.get("alternatives", []))]
            named += verdict == "explained"
            exact += verdict == "explained" and set(ids) in accepted
            details.append(
                f"| {library['name']} | {entry['id']} | {', '.join(quirk) or '-'} | {verdict} | "
                f"{', '.join(ids) or '-'} |"
            )
        valid = sum(e["verdict"] == "valid" for e in signed)
        counts = [len(signed), valid, len(wrong), len(signed) - valid - len(wrong), named, exact]
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
        rows.append(f"| {library['name']} {library['version']} | " + " | ".join(map(str, counts)))
    print("| library | signed | valid per RFC | wrong per RFC | refused | named | as the corpus |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(row + " |")
    print("| **all** | " + " | ".join(map(str, totals)) + " |")
    if args.detail:
        print()
        print("| library | request | corpus quirk | diagnosis | diagnosis ids |")
        print("|---|---|---|---|---|")
        print("\n".join(details))


if __name__ == "__main__":
    main()
