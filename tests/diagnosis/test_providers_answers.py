"""Each provider's answer shape, written as the provider writes it, read by read_response.

The bodies are the ones quoted in the sources each profile cites (issue threads where people
pasted what the server said); keys and signatures are shortened.
"""

from __future__ import annotations

import json

import pytest

from oauth_debug import HttpRequest
from oauth_debug.diagnosis.response import ServerAnswer, read_response


def answer(status: str, body: str, content_type: str = "application/json") -> str:
    return f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n\r\n{body}"


def ids(read: ServerAnswer) -> list[str]:
    return [f.id for f in read.findings]


def by_id(read: ServerAnswer, finding_id: str) -> dict[str, object]:
    return dict(next(f for f in read.findings if f.id == finding_id).data)


MASTERCARD_ECHO = (
    "POST&https%3A%2F%2Fsandbox.api.mastercard.com%2Fmdes%2Fdigitization%2Fstatic%2F1%2F0%2F"
    "delete&oauth_body_hash%3D5FDt0rM69jVreY5dwNJCGcrHeVDSe5tJuYQvFgDNElE%3D%26oauth_consumer_key"
    "%3Dck%26oauth_nonce%3DO9WTR2xqUpBdSKVL%26oauth_signature_method%3DRSA-SHA256%26"
    "oauth_timestamp%3D1638619140%26oauth_version%3D1.0"
)


def test_mastercard_authentication_failed_echoes_its_base_string() -> None:
    # Mastercard/oauth1-signer-python#37
    body = json.dumps(
        {
            "Errors": {
                "Error": [
                    {
                        "Source": "Gateway",
                        "ReasonCode": "AUTHENTICATION_FAILED",
                        "Description": "OAuth signatures did not match. Acceptable signature "
                        f"base string: {MASTERCARD_ECHO}",
                        "Recoverable": False,
                        "Details": None,
                    }
                ]
            }
        }
    )
    read = read_response(answer("401 Unauthorized", body))
    assert read.server_kind == "mastercard"
    assert by_id(read, "mastercard-error")["reason_code"] == "AUTHENTICATION_FAILED"
    assert read.expected_base_string == MASTERCARD_ECHO


def test_mastercard_403_variant_is_an_oauth_refusal() -> None:
    # Mastercard/oauth1-signer-nodejs#28: a 403 with the same echo.
    body = json.dumps(
        {
            "Errors": {
                "Error": {
                    "Source": "OAuth.Signature",
                    "ReasonCode": "INVALID_SIGNATURE",
                    "Description": "OAuth Signature parameter failed verification. Acceptable "
                    f"signature base string: {MASTERCARD_ECHO}",
                }
            }
        }
    )
    read = read_response(answer("403 Forbidden", body))
    assert read.refuses_oauth
    assert read.expected_base_string == MASTERCARD_ECHO


def test_mastercard_invalid_body_hash_says_both_hashes() -> None:
    # Mastercard/client-encryption-python#11, with the received hash percent-encoded as in
    # oauth1-signer-csharp#24.
    description = (
        "The provided oauth_body_hash does not match the SHA256 hash of the request payload. "
        "Calculated: 8gvc07EIynBEDNsawysKl3cd+LbHDylpYlDiaX0Rbz8=, Received: "
        "01NcCrM7J5FOzJrJiGs%2B5%2BUMnkZ5S5iveHoxY3inu%2BA%3D"
    )
    body = json.dumps(
        {
            "Errors": {
                "Error": [
                    {
                        "Source": "Gateway",
                        "ReasonCode": "INVALID_BODY_HASH",
                        "Description": description,
                        "Recoverable": False,
                        "Details": None,
                    }
                ]
            }
        }
    )
    data = by_id(read_response(answer("400 Bad Request", body)), "mastercard-error")
    assert data["calculated"] == "8gvc07EIynBEDNsawysKl3cd+LbHDylpYlDiaX0Rbz8="
    assert data["received"] == "01NcCrM7J5FOzJrJiGs+5+UMnkZ5S5iveHoxY3inu+A="


def test_jira_echo_is_read_from_its_encoded_oauth_signature_base_string() -> None:
    # jira-node/node-jira-client#44: the base string percent-encoded once more, form-encoded.
    body = (
        "oauth_problem=signature_invalid&oauth_signature=ivO30fq%2BLc7E%3D&"
        "oauth_signature_base_string=GET%26https%253A%252F%252Ftravis.atlassian.net%252Frest"
        "%252Fapi%252Flatest%252Fproject%252FGP%26oauth_consumer_key%253Dck%2526oauth_nonce"
        "%253D5962%2526oauth_signature_method%253DRSA-SHA1%2526oauth_timestamp%253D1459272339"
        "%2526oauth_token%253DEQL3%2526oauth_version%253D1.0&oauth_signature_method=RSA-SHA1"
    )
    read = read_response(answer("401 Unauthorized", body, "text/plain"))
    assert read.expected_base_string == (
        "GET&https%3A%2F%2Ftravis.atlassian.net%2Frest%2Fapi%2Flatest%2Fproject%2FGP&"
        "oauth_consumer_key%3Dck%26oauth_nonce%3D5962%26oauth_signature_method%3DRSA-SHA1%26"
        "oauth_timestamp%3D1459272339%26oauth_token%3DEQL3%26oauth_version%3D1.0"
    )
    assert by_id(read, "oauth-problem")["problem"] == "signature_invalid"


FLICKR_ECHO = (
    "GET&https%3A%2F%2Fapi.flickr.com%2Fservices%2Frest&format%3Djson%26method%3D"
    "flickr.test.login%26oauth_consumer_key%3Dck%26oauth_nonce%3Dn%26oauth_signature_method%3D"
    "HMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dt%26oauth_version%3D1.0"
)


def test_flickr_debug_sbs_is_read_whole() -> None:
    # flickrapi#147: debug_sbs= is followed by the raw base string, "&" and all.
    body = f"oauth_problem=signature_invalid&debug_sbs={FLICKR_ECHO}"
    read = read_response(answer("401 Unauthorized", body, "text/plain"))
    assert read.server_kind == "flickr"
    assert read.expected_base_string == FLICKR_ECHO
    assert by_id(read, "oauth-problem")["problem"] == "signature_invalid"


def test_schoology_signature_base_string_was() -> None:
    echo = "GET&https%3A%2F%2Fapi.schoology.com%2Fv1%2Fusers%2Fme&oauth_consumer_key%3Dck"
    body = f"Invalid OAuth signature. The signature base string was {echo}"
    read = read_response(answer("401 Unauthorized", body, "text/plain"))
    assert read.server_kind == "schoology"
    assert read.expected_base_string == echo


def test_ims_test_provider_ours_and_yours_empty() -> None:
    # andyfmiller/LtiSamples#2: the IMS simple provider's message, the signature not received.
    body = (
        "Could not establish context: Invalid signature ours= TpVZ7AJ1SrJDtIynxAYpIjVlNqI= yours="
    )
    read = read_response(answer("200 OK", body, "text/html"))
    data = by_id(read, "ims-invalid-signature")
    assert data == {"ours": "TpVZ7AJ1SrJDtIynxAYpIjVlNqI=", "yours": ""}
    message = next(f.message for f in read.findings if f.id == "ims-invalid-signature")
    assert "received none" in message


def test_ims_yours_compared_with_the_request_that_got_the_answer() -> None:
    request = HttpRequest(
        "POST",
        "https://tool.example/launch",
        (("Content-Type", "application/x-www-form-urlencoded"),),
        b"oauth_consumer_key=ck&oauth_signature_method=HMAC-SHA1&oauth_signature=AAAA%3D",
    )
    body = "Invalid signature ours= BBBB= yours=CCCC="
    read = read_response(answer("401 Unauthorized", body, "text/html"), request=request)
    message = next(f.message for f in read.findings if f.id == "ims-invalid-signature")
    assert "this request carries 'AAAA='" in message


def test_etrade_comma_separated_timestamp_window() -> None:
    # jessecooper/pyetrade#55
    request = HttpRequest(
        "GET", "https://api.etrade.com/oauth/request_token?oauth_timestamp=1636660000"
    )
    body = "oauth_problem=timestamp_refused,oauth_acceptable_timestamps=1636665132-1636668732"
    read = read_response(answer("401 Unauthorized", body, "text/plain"), request=request)
    data = by_id(read, "oauth-problem")
    assert data["problem"] == "timestamp_refused"
    assert data["oauth_acceptable_timestamps"] == "1636665132-1636668732"
    assert data["request_timestamp"] == 1636660000


def test_etrade_html_error_page_carries_the_problem() -> None:
    # jessecooper/pyetrade#4: Tomcat's error report with the problem inside markup.
    body = (
        "<html><head><title> - Error report</title></head><body><h1>HTTP Status 401 - "
        "oauth_problem=signature_invalid</h1><p><b>message</b> <u>oauth_problem=signature_"
        "invalid</u></p></body></html>"
    )
    read = read_response(answer("401 Unauthorized", body, "text/html"))
    assert by_id(read, "oauth-problem")["problem"] == "signature_invalid"


@pytest.mark.parametrize(
    ("message", "meaning"),
    [
        ("Invalid signature - provided signature does not match.", "home URL"),
        ("Invalid timestamp.", "15-minute"),
        ("Invalid nonce - nonce has already been used.", "fresh one"),
        ("Consumer key is invalid.", "ck_"),
    ],
)
def test_woocommerce_rest_authentication_error(message: str, meaning: str) -> None:
    body = json.dumps(
        {
            "code": "woocommerce_rest_authentication_error",
            "message": message,
            "data": {"status": 401},
        }
    )
    read = read_response(answer("401 Unauthorized", body))
    finding = next(f for f in read.findings if f.id == "woocommerce-error")
    assert meaning in finding.message
    assert finding.data["message"] == message
    assert read.server_kind == "woocommerce"


def test_woocommerce_legacy_api_error_list_is_not_taken_for_twitter() -> None:
    body = json.dumps(
        {
            "errors": [
                {"code": "woocommerce_api_authentication_error", "message": "Invalid timestamp."}
            ]
        }
    )
    read = read_response(answer("401 Unauthorized", body))
    assert ids(read) == ["woocommerce-error"]


def test_netsuite_rest_invalid_login() -> None:
    body = json.dumps(
        {
            "type": "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2",
            "title": "Unauthorized",
            "status": 401,
            "o:errorDetails": [
                {
                    "detail": "Invalid login attempt. For more details, see the Login Audit Trail "
                    "in the NetSuite UI at Setup > Users/Roles > User Management > View Login "
                    "Audit Trail.",
                    "o:errorCode": "INVALID_LOGIN",
                }
            ],
        }
    )
    read = read_response(answer("401 Unauthorized", body))
    finding = next(f for f in read.findings if f.id == "netsuite-invalid-login")
    assert finding.data == {"code": "INVALID_LOGIN"}
    assert "realm" in finding.message and "Login Audit Trail" in finding.message
    assert "twitter-v2-unauthorized" not in ids(read)


def test_netsuite_restlet_invalid_login_attempt() -> None:
    body = json.dumps(
        {"error": {"code": "INVALID_LOGIN_ATTEMPT", "message": "Invalid login attempt."}}
    )
    read = read_response(answer("401 Unauthorized", body))
    assert by_id(read, "netsuite-invalid-login") == {"code": "INVALID_LOGIN_ATTEMPT"}
    assert read.server_kind == "netsuite"


@pytest.mark.parametrize(
    ("code", "finding_id"),
    [
        (32, "twitter-error-32"),
        (135, "twitter-error-135"),
        (89, "twitter-error"),
        (215, "twitter-error"),
    ],
)
def test_x_v1_codes(code: int, finding_id: str) -> None:
    body = json.dumps({"errors": [{"code": code, "message": "m"}]})
    read = read_response(answer("401 Unauthorized", body))
    assert by_id(read, finding_id) == {"code": code}
    assert next(f for f in read.findings if f.id == finding_id).severity == "error"


def test_x_v2_about_blank_problem() -> None:
    body = json.dumps(
        {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
    )
    read = read_response(answer("401 Unauthorized", body, "application/problem+json"))
    assert ids(read) == ["twitter-v2-unauthorized"]
    assert read.server_kind == "twitter"


@pytest.mark.parametrize("problem", ["signature_invalid", "timestamp_refused"])
def test_magento_oauth_problems(problem: str) -> None:
    read = read_response(answer("401 Unauthorized", f"oauth_problem={problem}", "text/plain"))
    assert by_id(read, "oauth-problem")["problem"] == problem


def test_tumblr_1016_is_tumblr_not_twitter() -> None:
    body = json.dumps(
        {
            "meta": {"status": 401, "msg": "Unauthorized"},
            "response": [],
            "errors": [{"title": "Unauthorized", "code": 1016, "detail": "Unable to authorize"}],
        }
    )
    read = read_response(answer("401 Unauthorized", body))
    assert ids(read) == ["tumblr-error"]
    assert read.server_kind == "tumblr"
