"""An echoed base string beside the RFC's and beside each mistake's recipe.

"The server computed this; yours differs here; that is mistake X": the server's echo (here in
Mastercard's shape) is compared with what RFC 5849 3.4.1 gives for the request as sent, and with
what the recipe of each mistake the diagnosis named gives.
"""

from __future__ import annotations

import json

from conftest import signed_request

from oauth_debug import Credentials, HttpRequest
from oauth_debug.diagnosis.catalog import BY_ID, context_of
from oauth_debug.diagnosis.engine import diagnose
from oauth_debug.diagnosis.provider_findings import with_provider
from oauth_debug.diagnosis.providers.echo import echo_findings
from oauth_debug.params import render_authorization
from oauth_debug.signer import compute, prepare
from oauth_debug.verify import claimed_parameters

CREDENTIALS = Credentials("ck", "cs")
URL = "https://api.example.com/v1/items?q=blue%20shoes"


def signed() -> HttpRequest:
    return signed_request(
        HttpRequest("GET", URL), CREDENTIALS, timestamp=1_700_000_000, nonce="n0nce1"
    )


def with_mistake(request: HttpRequest, mistake_id: str) -> HttpRequest:
    """The request as a client making ``mistake_id`` signs it (the signature replaced)."""
    oauth, placement, realm = claimed_parameters(request)
    context = context_of(request, CREDENTIALS, "HMAC-SHA1", placement, realm)
    recipe = BY_ID[mistake_id].variants(context)[0].apply()
    wrong = compute(request, CREDENTIALS, "HMAC-SHA1", recipe).signature
    params = [(n, wrong if n == "oauth_signature" else v) for n, v in oauth.items()]
    return HttpRequest(
        request.method, request.url, (("Authorization", render_authorization(params)),)
    )


def mastercard_echo(base_string: str) -> str:
    body = json.dumps(
        {
            "Errors": {
                "Error": [
                    {
                        "Source": "Gateway",
                        "ReasonCode": "AUTHENTICATION_FAILED",
                        "Description": "OAuth signatures did not match. Acceptable signature "
                        f"base string: {base_string}",
                    }
                ]
            }
        }
    )
    return f"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{body}"


def test_the_server_computed_the_rfc_string_and_yours_is_mistake_x() -> None:
    request = with_mistake(signed(), "plus-for-space")
    rfc = prepare(request).parts.joined()
    result = diagnose(request, CREDENTIALS, now=1_700_000_000, response=mastercard_echo(rfc))
    assert result.mistakes == ("plus-for-space",)
    enriched = with_provider(result, request, None)
    echoed = [f for f in enriched.findings if f.id == "echoed-base-string"]
    assert len(echoed) == 1
    assert echoed[0].data["matches"] == "rfc"
    assert echoed[0].data["mistakes"] == [["plus-for-space"]]
    assert "yours differs here" in echoed[0].message
    assert "that is mistake plus-for-space" in echoed[0].message
    assert "q" in echoed[0].message  # the first difference names the parameter


def test_a_server_behind_a_tls_proxy_computed_http() -> None:
    request = signed()
    rfc = prepare(request).parts.joined()
    as_http = rfc.replace("https%3A", "http%3A", 1)
    (finding,) = echo_findings(request, as_http)
    assert finding.severity == "error"
    assert finding.data["matches"] == "mistake"
    assert finding.data["mistake"] == "scheme-mismatch"
    assert "scheme" in finding.message


def test_an_echo_no_mistake_explains_gives_the_first_difference() -> None:
    request = signed()
    other = prepare(request).parts.joined().replace("v1%2Fitems", "v2%2Fthings")
    (finding,) = echo_findings(request, other)
    assert finding.data == {"matches": None}
    assert "no single known mistake" in finding.message
    assert "path" in finding.message


def test_an_echo_equal_to_the_rfc_string_without_a_diagnosis_asks_for_the_secret() -> None:
    request = signed()
    (finding,) = echo_findings(request, prepare(request).parts.joined())
    assert finding.data == {"matches": "rfc"}
    assert "consumer secret" in finding.message
