"""Regenerate the interop corpus: install independent OAuth 1.0a signers, sign the seeded cases
with each, judge every signed request by the RFC reference, and write vectors/interop/<lib>.json.

    python3 interop/generate.py                 # install (apt, npm, pip), sign, judge, write
    python3 interop/generate.py --no-install    # reuse what interop/.cache and apt already hold
    python3 interop/generate.py --only rauth    # one library (repeatable)

Run as root from the repository root (apt-get installs the Debian packages). npm installs into
interop/.cache/node_modules and pip into the scratch venv interop/.cache/venv, never into the
project's environment. The verdicts come from oauth_debug.verify (this tree) and oauthlib's
SignatureOnlyEndpoint, both run inside the scratch venv; the quirk behind each wrong signature is
found by interop/quirks.py. The test suite reads the written files and installs nothing.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "interop"
CACHE = HERE / ".cache"
VENV = CACHE / "venv"
VENV_PYTHON = VENV / "bin" / "python"
OUT = ROOT / "vectors" / "interop"
SCHEMA = "oauth-debug-interop/1"
FORM = "application/x-www-form-urlencoded"

APT = [
    "ruby-oauth",
    "libnet-oauth-perl",
    "php-oauth",
    "php-cli",
    "liboauth-dev",
    "pkg-config",
    "gcc",
]
NPM = ["oauth-1.0a", "oauth", "oauth-sign"]
PIP = ["oauthlib", "authlib", "oauth2", "rauth", "requests", "cryptography", "pyjwt"]

# name -> (ecosystem, package, how installed, how the signer runs and what it calls)
LIBRARIES: dict[str, dict[str, str]] = {
    "oauthlib": {
        "ecosystem": "PyPI",
        "package": "oauthlib",
        "language": "Python",
        "installed_with": "pip install oauthlib (scratch venv interop/.cache/venv)",
        "signer": "interop/signers/python_libs.py oauthlib",
        "used_as": "oauthlib.oauth1.Client(nonce=, timestamp=).sign(uri, method, body, headers)",
    },
    "authlib": {
        "ecosystem": "PyPI",
        "package": "Authlib",
        "language": "Python",
        "installed_with": "pip install authlib (scratch venv)",
        "signer": "interop/signers/python_libs.py authlib",
        "used_as": "requests.Session().request(..., auth=authlib OAuth1Auth), captured at the "
        "transport adapter",
    },
    "oauth2": {
        "ecosystem": "PyPI",
        "package": "oauth2",
        "language": "Python",
        "installed_with": "pip install oauth2 (scratch venv)",
        "signer": "interop/signers/python_libs.py oauth2",
        "used_as": "oauth2.Request.from_consumer_and_token(...).sign_request(...); to_header()",
    },
    "rauth": {
        "ecosystem": "PyPI",
        "package": "rauth",
        "language": "Python",
        "installed_with": "pip install rauth (scratch venv)",
        "signer": "interop/signers/python_libs.py rauth",
        "used_as": "rauth.OAuth1Session.request(method, url, params=query text, data=body text, "
        "header_auth=True), captured at requests' transport adapter",
    },
    "oauth-1.0a": {
        "ecosystem": "npm",
        "package": "oauth-1.0a",
        "language": "JavaScript (Node.js)",
        "installed_with": "npm install --prefix interop/.cache oauth-1.0a",
        "signer": "interop/signers/node_libs.js oauth-1.0a",
        "used_as": "OAuth({consumer, signature_method, hash_function}).authorize({url, method, "
        "data: querystring.parse(form)}, token); toHeader()",
    },
    "oauth": {
        "ecosystem": "npm",
        "package": "oauth",
        "language": "JavaScript (Node.js)",
        "installed_with": "npm install --prefix interop/.cache oauth",
        "signer": "interop/signers/node_libs.js oauth",
        "used_as": "new OAuth(...).get/post(url, token, secret, body), captured where it calls "
        "http(s).request",
    },
    "oauth-sign": {
        "ecosystem": "npm",
        "package": "oauth-sign",
        "language": "JavaScript (Node.js)",
        "installed_with": "npm install --prefix interop/.cache oauth-sign",
        "signer": "interop/signers/node_libs.js oauth-sign",
        "used_as": "oauth-sign's sign() fed as the request library's lib/oauth.js feeds it "
        "(useQuerystring: querystring.parse of query and form)",
    },
    "ruby-oauth": {
        "ecosystem": "Debian",
        "package": "ruby-oauth",
        "language": "Ruby",
        "installed_with": "apt-get install ruby-oauth",
        "signer": "interop/signers/ruby_oauth.rb",
        "used_as": "OAuth::Consumer#create_signed_request(method, path, token, {nonce:, "
        "timestamp:}, body, headers)",
    },
    "net-oauth": {
        "ecosystem": "Debian",
        "package": "libnet-oauth-perl",
        "language": "Perl",
        "installed_with": "apt-get install libnet-oauth-perl",
        "signer": "interop/signers/perl_net_oauth.pl",
        "used_as": "Net::OAuth->request('protected resource')->new(request_url => URL, "
        "extra_params => {form}, ...)->sign; to_authorization_header",
    },
    "pecl-oauth": {
        "ecosystem": "Debian",
        "package": "php-oauth",
        "language": "PHP",
        "installed_with": "apt-get install php-oauth php-cli",
        "signer": "interop/signers/php_pecl_oauth.php",
        "used_as": "new OAuth(...); setTimestamp; setNonce; getRequestHeader(method, url, [form])",
    },
    "liboauth": {
        "ecosystem": "Debian",
        "package": "liboauth-dev",
        "language": "C",
        "installed_with": "apt-get install liboauth-dev; gcc interop/signers/liboauth_sign.c "
        "$(pkg-config --libs oauth)",
        "signer": "interop/signers/liboauth_sign.c (compiled to interop/.cache/liboauth_sign)",
        "used_as": "oauth_sign_url2(url with every parameter, &postargs for a form POST, ...)",
    },
}


def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    print("+", " ".join(command), file=sys.stderr)
    return subprocess.run(command, check=True, text=True, **kwargs)


def install() -> None:
    """Debian packages, npm packages and the scratch venv (each in its own place)."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "install", "-y", "--no-install-recommends", *APT], env=env)
    CACHE.mkdir(exist_ok=True)
    run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(CACHE), *NPM])
    if not VENV_PYTHON.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    run([str(VENV_PYTHON), "-m", "pip", "install", "-q", *PIP])
    compile_liboauth()


def compile_liboauth() -> None:
    flags = subprocess.run(
        ["pkg-config", "--cflags", "--libs", "oauth"], check=True, text=True, capture_output=True
    ).stdout.split()
    run(
        [
            "gcc",
            "-O1",
            "-Wall",
            "-o",
            str(CACHE / "liboauth_sign"),
            str(HERE / "signers" / "liboauth_sign.c"),
            *flags,
        ]
    )


def _tsv(cases: list[dict[str, Any]]) -> str:
    rows = []
    for case in cases:
        creds = case["credentials"]
        rows.append(
            "\t".join(
                [
                    case["id"],
                    case["method"],
                    case["url"],
                    case["body"] or "-",
                    case["content_type"] or "-",
                    case["signature_method"],
                    creds["consumer_key"],
                    creds["consumer_secret"],
                    creds["token"] or "-",
                    creds["token_secret"] or "-",
                    case["timestamp"],
                    case["nonce"],
                ]
            )
        )
    return "\n".join(rows) + "\n"


def _liboauth(cases: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """Turn the C signer's lines into the common shape (its output URL and body are as sent)."""
    done = run([str(CACHE / "liboauth_sign"), key], input=_tsv(cases), capture_output=True)
    lines = done.stdout.splitlines()
    version = lines[0].split("\t")[1]
    by_id = {case["id"]: case for case in cases}
    out = []
    for line in lines[1:]:
        case_id, rest = line.split("\t", 1)
        if rest.startswith("!"):
            out.append({"id": case_id, "error": rest[1:]})
            continue
        url, body = rest.split("\t")
        case = by_id[case_id]
        headers = []
        if body != "-":
            headers.append(["Content-Type", "application/x-www-form-urlencoded"])
        elif case["content_type"]:
            headers.append(["Content-Type", case["content_type"]])
        sent_body = body if body != "-" else case["body"]
        out.append(
            {
                "id": case_id,
                "method": case["method"],
                "url": url,
                "headers": headers,
                "body": sent_body,
                "timestamp_nonce": "fixed (oauth_timestamp and oauth_nonce in the URL given)",
            }
        )
    return {"version": version, "requests": out}


def sign_with(library: str, cases: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """Run one library's signer on the cases; returns {version, requests}."""
    text = json.dumps(cases)
    if library == "liboauth":
        return _liboauth(cases, key)
    if library in ("oauthlib", "authlib", "oauth2", "rauth"):
        command = [str(VENV_PYTHON), str(HERE / "signers" / "python_libs.py"), library, key]
    elif library in ("oauth-1.0a", "oauth", "oauth-sign"):
        command = ["node", str(HERE / "signers" / "node_libs.js"), library, key]
    elif library == "ruby-oauth":
        command = ["ruby", str(HERE / "signers" / "ruby_oauth.rb"), key]
    elif library == "net-oauth":
        command = ["perl", str(HERE / "signers" / "perl_net_oauth.pl"), key]
    elif library == "pecl-oauth":
        command = ["php", str(HERE / "signers" / "php_pecl_oauth.php"), key]
    else:
        raise SystemExit(f"unknown library {library}")
    env = dict(os.environ, NODE_PATH=str(CACHE / "node_modules"))
    done = run(command, input=text, capture_output=True, env=env)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _parameters(url: str, content_type: str | None, body: str | None) -> list[tuple[str, str]]:
    """The non-oauth parameters of a request, decoded as RFC 5849 3.4.1.3.1 decodes them."""
    from urllib.parse import parse_qsl, urlsplit

    texts = [urlsplit(url).query]
    if (content_type or "").split(";")[0].strip().lower() == FORM and body:
        texts.append(body)
    pairs = [p for text in texts for p in parse_qsl(text, keep_blank_values=True)]
    return sorted(p for p in pairs if not p[0].startswith("oauth_"))


def changed_parameters(case: dict[str, Any], sent: dict[str, Any]) -> dict[str, Any] | None:
    """What the library changed in the parameters it sent (a quirk a valid signature can hide)."""
    content_type = next((v for k, v in sent["headers"] if k.lower() == "content-type"), None)
    given = _parameters(case["url"], case["content_type"], case["body"])
    out = _parameters(sent["url"], content_type, sent["body"])
    if given == out:
        return None
    dropped, added = list(given), []
    for pair in out:
        if pair in dropped:
            dropped.remove(pair)
        else:
            added.append(pair)
    return {"dropped": [list(p) for p in dropped], "added": [list(p) for p in added]}


def judge(
    signed: dict[str, Any], cases: list[dict[str, Any]], key_pem: str
) -> list[dict[str, Any]]:
    """Each signed request with its case, both reference verdicts and the quirk found."""
    from quirks import find_quirk
    from reference import oauth_debug_verdict, oauthlib_verdict

    by_id = {case["id"]: case for case in cases}
    entries = []
    for item in signed["requests"]:
        case = by_id[item["id"]]
        entry: dict[str, Any] = {
            "id": case["id"],
            "comment": case["comment"],
            "signature_method": case["signature_method"],
            "given": {
                "method": case["method"],
                "url": case["url"],
                "content_type": case["content_type"],
                "body": case["body"],
            },
            "credentials": case["credentials"],
        }
        if "error" in item:
            entry["not_signed"] = item["error"]
            entries.append(entry)
            continue
        sent = {k: item[k] for k in ("method", "url", "headers", "body")}
        entry["sent"] = sent
        entry["timestamp_nonce"] = item["timestamp_nonce"]
        changed = changed_parameters(case, sent)
        if changed is not None:
            entry["sent_parameters_changed"] = changed
        if item.get("library_base_string") is not None:
            entry["library_base_string"] = item["library_base_string"]
        rsa = key_pem if case["signature_method"].startswith("RSA") else None
        ours = oauth_debug_verdict(sent, case["credentials"], rsa)
        entry["verdict"] = ours["verdict"]
        entry["reference"] = {
            "oauth_debug": {k: v for k, v in ours.items() if k != "rfc_base_string"},
            "oauthlib": oauthlib_verdict(sent, case["credentials"], rsa),
        }
        if "rfc_base_string" in ours:
            entry["rfc_base_string"] = ours["rfc_base_string"]
        if entry["verdict"] != "valid":
            entry["quirk"] = find_quirk(case, entry, key_pem)
        entries.append(entry)
    return entries


def commit() -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], text=True, capture_output=True, check=False
    )
    return done.stdout.strip() or "unknown"


def write(library: str, version: str, entries: list[dict[str, Any]], today: str) -> Path:
    from cases import NONCE, RSA_KEY_PATH, SEED, TIMESTAMP
    from reference import oauthlib_version

    signed = [e for e in entries if "sent" in e]
    document = {
        "schema": SCHEMA,
        "library": {"name": library, "version": version, **LIBRARIES[library]},
        "provenance": {
            "generated": today,
            "command": "python3 interop/generate.py",
            "cases": "interop/cases.py",
            "seed": SEED,
            "timestamp": TIMESTAMP,
            "nonce": NONCE,
            "rsa_key": RSA_KEY_PATH,
            "reference": {"oauth_debug_commit": commit(), "oauthlib": oauthlib_version()},
        },
        "summary": {
            "cases": len(entries),
            "signed": len(signed),
            "not_signed": len(entries) - len(signed),
            "valid": sum(e["verdict"] == "valid" for e in signed),
            "wrong": sum(e["verdict"] == "wrong" for e in signed),
            "refused": sum(e["verdict"] == "refused" for e in signed),
        },
        "requests": entries,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{library}.json"
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-install", action="store_true", help="skip apt, npm and pip")
    parser.add_argument("--only", action="append", choices=sorted(LIBRARIES), help="one library")
    args = parser.parse_args()
    if os.environ.get("INTEROP_IN_VENV") != "1":
        # Re-run inside the scratch venv, with this tree's oauth_debug first on the path.
        if not args.no_install:
            install()
        env = dict(os.environ, INTEROP_IN_VENV="1", PYTHONPATH=f"{ROOT}{os.pathsep}{HERE}")
        argv = [str(VENV_PYTHON), __file__, "--no-install"]
        for name in args.only or []:
            argv += ["--only", name]
        raise SystemExit(subprocess.call(argv, env=env, cwd=ROOT))
    from cases import RSA_KEY_PATH, all_cases

    cases = all_cases()
    key_path = str(ROOT / RSA_KEY_PATH)
    key_pem = Path(key_path).read_text(encoding="utf-8")
    today = datetime.date.today().isoformat()
    for library in args.only or list(LIBRARIES):
        signed = sign_with(library, cases, key_path)
        entries = judge(signed, cases, key_pem)
        path = write(library, signed["version"], entries, today)
        print(f"{library} {signed['version']}: wrote {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
