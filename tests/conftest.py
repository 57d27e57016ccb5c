"""Shared fixtures: the RFC 5849 3.4.1 example request and the oauth.net wiki RSA test key.

Keep this file small: fixtures used by one module belong in that module.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from oauth_debug import Credentials, HttpRequest, sign_at

DATA = Path(__file__).parent / "data"

# No per-example deadline: this machine is shared and noisy, and speed is measured in bench/.
# In CI the examples are derived from each test's name (derandomize), so a run is reproducible;
# on a developer's machine they are random, which keeps finding new cases.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

FORM = "application/x-www-form-urlencoded"

# RFC 5849 section 3.4.1 (the request of section 3.1); the signature is the one RFC errata 2550
# corrects to (the RFC prints bYT5CMsGcbgUdFHObYMEfcx6bsw=, which does not reproduce).
RFC_SIGNATURE = "r6/TJjbCOr97/+UU0NsvSne7s5g="


@pytest.fixture
def rfc_request() -> HttpRequest:
    """RFC 5849 3.4.1: parameters in the query and the form body."""
    return HttpRequest(
        "POST",
        "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
        headers={"Content-Type": FORM},
        body=b"c2&a3=2+q",
    )


@pytest.fixture
def rfc_credentials() -> Credentials:
    """RFC 5849 3.4.1: client and token credentials of the example."""
    return Credentials(
        "9djdj82h48djs9d2", "j49sk3j29djd", token="kkk9d7dh3k39sjv7", token_secret="dh893hdasih9"
    )


def signed_request(
    request: HttpRequest,
    credentials: Credentials,
    *,
    timestamp: int | str,
    nonce: str,
    **options: Any,
) -> HttpRequest:
    """``request`` as :func:`~oauth_debug.sign_at` sends it, with a fixed timestamp and nonce.

    The one signing helper of the test modules (``from conftest import signed_request``): each
    keeps only its own defaults (URL, credentials, clock) in a thin ``signed()`` of its own.
    """
    trace = sign_at(request, credentials, timestamp=timestamp, nonce=nonce, **options)
    assert trace.signed_request is not None  # sign_at always places the signature
    return trace.signed_request


def wiki_rsa_key() -> str:
    """The oauth.net wiki TestCases RSA private key (public test key; see tests/data/README.md)."""
    return (DATA / "oauth-wiki-rsa-test-key.pem").read_text()


@pytest.fixture(scope="session")
def rsa_key() -> str:
    return wiki_rsa_key()
