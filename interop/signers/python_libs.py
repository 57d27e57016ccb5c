"""Sign the corpus cases with one Python library: ``python python_libs.py LIBRARY < cases.json``.

Runs in the scratch venv (interop/.cache/venv), never in the project's. Prints a JSON list, one
entry per case: the request as sent (method, URL, headers, body), how the timestamp and nonce were
set, the library's own base string where it exposes one, or ``error`` when the library cannot sign
the case (an unsupported method, say). Libraries that send through ``requests`` (authlib's
OAuth1Auth, rauth) are captured at requests' transport adapter, after requests has prepared the
URL, so the URL is the one that would go on the wire.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import requests
from requests.adapters import BaseAdapter

RSA_KEY = Path(sys.argv[2]).read_text() if len(sys.argv) > 2 else None


class Capture(BaseAdapter):
    """A transport adapter that keeps the prepared request and answers 200 without any network."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.sent.append(request)
        response = requests.Response()
        response.status_code = 200
        response._content = b""
        response.request = request
        return response

    def close(self) -> None:
        pass


def _session(session: requests.Session) -> Capture:
    capture = Capture()
    session.mount("https://", capture)
    session.mount("http://", capture)
    return capture


def _sent(prepared: requests.PreparedRequest) -> dict[str, Any]:
    body = prepared.body
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    keep = {"authorization", "content-type"}
    headers = [[k, v if isinstance(v, str) else v.decode()] for k, v in prepared.headers.items()]
    return {
        "method": prepared.method,
        "url": prepared.url,
        "headers": [h for h in headers if h[0].lower() in keep],
        "body": body or None,
    }


class Unsupported(Exception):
    pass


def _headers(case: dict[str, Any]) -> dict[str, str]:
    return {"Content-Type": case["content_type"]} if case["content_type"] else {}


def sign_oauthlib(case: dict[str, Any]) -> dict[str, Any]:
    import oauthlib.oauth1

    creds = case["credentials"]
    client = oauthlib.oauth1.Client(
        creds["consumer_key"],
        client_secret=creds["consumer_secret"],
        resource_owner_key=creds["token"],
        resource_owner_secret=creds["token_secret"] if creds["token"] else None,
        signature_method=case["signature_method"],
        rsa_key=RSA_KEY if case["signature_method"].startswith("RSA") else None,
        nonce=case["nonce"],
        timestamp=case["timestamp"],
    )
    body = case["body"] if case["content_type"] else None
    uri, headers, body = client.sign(case["url"], case["method"], body, _headers(case))
    return {
        "method": case["method"],
        "url": uri,
        "headers": [[k, v] for k, v in headers.items()],
        "body": body,
        "timestamp_nonce": "fixed (Client(nonce=, timestamp=))",
    }


def sign_authlib(case: dict[str, Any]) -> dict[str, Any]:
    from authlib.integrations.requests_client import OAuth1Auth
    from authlib.oauth1.rfc5849 import client_auth

    if case["signature_method"] not in ("HMAC-SHA1", "PLAINTEXT", "RSA-SHA1"):
        raise Unsupported(f"authlib's client has no {case['signature_method']}")
    # authlib's sign() takes no nonce or timestamp: it calls these two module functions.
    client_auth.generate_nonce = lambda: case["nonce"]
    client_auth.generate_timestamp = lambda: case["timestamp"]
    creds = case["credentials"]
    auth = OAuth1Auth(
        creds["consumer_key"],
        client_secret=creds["consumer_secret"],
        token=creds["token"],
        token_secret=creds["token_secret"] if creds["token"] else None,
        signature_method=case["signature_method"],
        rsa_key=RSA_KEY if case["signature_method"].startswith("RSA") else None,
    )
    session = requests.Session()
    capture = _session(session)
    body = case["body"].encode() if case["body"] is not None else None
    session.request(case["method"], case["url"], data=body, headers=_headers(case), auth=auth)
    sent = _sent(capture.sent[0])
    sent["timestamp_nonce"] = "fixed (client_auth.generate_nonce/generate_timestamp replaced)"
    return sent


def sign_oauth2(case: dict[str, Any]) -> dict[str, Any]:
    import oauth2

    methods = {
        "HMAC-SHA1": oauth2.SignatureMethod_HMAC_SHA1,
        "PLAINTEXT": oauth2.SignatureMethod_PLAINTEXT,
    }
    if case["signature_method"] not in methods:
        raise Unsupported(f"oauth2 has no {case['signature_method']}")
    creds = case["credentials"]
    consumer = oauth2.Consumer(creds["consumer_key"], creds["consumer_secret"])
    token = oauth2.Token(creds["token"], creds["token_secret"]) if creds["token"] else None
    is_form = case["content_type"] == "application/x-www-form-urlencoded"
    parameters: dict[str, Any] = {
        "oauth_timestamp": case["timestamp"],
        "oauth_nonce": case["nonce"],
    }
    if is_form and case["body"]:
        # oauth2 takes the form's parameters as a mapping; lists keep repeated names.
        parameters.update(parse_qs(case["body"], keep_blank_values=True))
    body = (case["body"] or "").encode()
    request = oauth2.Request.from_consumer_and_token(
        consumer,
        token,
        http_method=case["method"],
        http_url=case["url"],
        parameters=parameters,
        body=body,
        is_form_encoded=is_form,
    )
    method = methods[case["signature_method"]]()
    request.sign_request(method, consumer, token)
    base = method.signing_base(request, consumer, token)[1]
    headers = [["Authorization", request.to_header()["Authorization"]]]
    if case["content_type"]:
        headers.append(["Content-Type", case["content_type"]])
    return {
        "method": case["method"],
        "url": case["url"],
        "headers": headers,
        "body": case["body"],
        "timestamp_nonce": "fixed (oauth_timestamp and oauth_nonce given as parameters)",
        "library_base_string": base.decode() if isinstance(base, bytes) else base,
    }


def sign_rauth(case: dict[str, Any]) -> dict[str, Any]:
    from rauth import OAuth1Session
    from rauth.oauth import HmacSha1Signature, PlaintextSignature

    methods = {"HMAC-SHA1": HmacSha1Signature, "PLAINTEXT": PlaintextSignature}
    if case["signature_method"] not in methods:
        raise Unsupported(
            f"rauth has no {case['signature_method']}"
            + (
                " here (its RSA-SHA1 needs PyCrypto: with pycryptodome it fails on RSA._RSAobj)"
                if case["signature_method"] == "RSA-SHA1"
                else ""
            )
        )
    creds = case["credentials"]
    session = OAuth1Session(
        creds["consumer_key"],
        creds["consumer_secret"],
        access_token=creds["token"],
        access_token_secret=creds["token_secret"] if creds["token"] else None,
        signature=methods[case["signature_method"]],
    )
    capture = _session(session)
    # rauth makes its own timestamp and nonce (an oauth_nonce in params is signed twice): read
    # back. The query goes in as rauth's params string, which rauth itself turns into a dict.
    kwargs: dict[str, Any] = {"headers": _headers(case), "header_auth": True}
    query = case["url"].partition("?")[2]
    if query:
        kwargs["params"] = query
    if case["body"] is not None:
        kwargs["data"] = case["body"]
    session.request(case["method"], case["base_url"], **kwargs)
    sent = _sent(capture.sent[0])
    sent["timestamp_nonce"] = "read back (rauth makes its own)"
    return sent


SIGNERS = {
    "oauthlib": (sign_oauthlib, "oauthlib"),
    "authlib": (sign_authlib, "Authlib"),
    "oauth2": (sign_oauth2, "oauth2"),
    "rauth": (sign_rauth, "rauth"),
}


def main() -> None:
    sign, distribution = SIGNERS[sys.argv[1]]
    out = []
    for case in json.load(sys.stdin):
        try:
            entry = sign(case)
        except Unsupported as error:
            entry = {"error": str(error)}
        except Exception as error:  # the library refused the case: recorded, not hidden
            entry = {"error": f"{type(error).__name__}: {error}"}
        entry["id"] = case["id"]
        out.append(entry)
    json.dump({"version": version(distribution), "requests": out}, sys.stdout)


if __name__ == "__main__":
    main()
