"""verify_lti_launch on LTI 1.1 basic launches signed by an independent implementation.

The launches are signed by oauthlib's ``Client`` with ``signature_type=BODY``, as LTI consumers
(Moodle, Canvas, the IMS test consumer through PyLTI and lti) sign them: the parameters in a form
body, ``oauth_callback=about:blank``.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qsl

import pytest
from oauthlib.oauth1 import SIGNATURE_TYPE_BODY, Client

from oauth_debug.server import MemoryNonces, Refused, RequestVerifier, verify_lti_launch

KEY, SECRET = "lti-consumer-key", "lti-shared-secret"
LAUNCH_URL = "https://tool.example.edu/lti/launch?course=7"
FORM = "application/x-www-form-urlencoded"

LAUNCH = {
    "lti_message_type": "basic-lti-launch-request",
    "lti_version": "LTI-1p0",
    "resource_link_id": "res-42",
    "user_id": "u-1",
    "roles": "Instructor,urn:lti:role:ims/lis/Learner",
    "context_title": "Café & Crème: 100% theory",
    "lis_person_name_full": "Zoë O'Brien",
}


def oauthlib_launch(
    params: dict[str, str] | None = None, *, secret: str = SECRET, url: str = LAUNCH_URL
) -> list[tuple[str, str]]:
    """The form a platform POSTs, signed by oauthlib, as the tool's framework parses it."""
    client = Client(
        KEY, client_secret=secret, signature_type=SIGNATURE_TYPE_BODY, callback_uri="about:blank"
    )
    _, _, body = client.sign(
        url, "POST", body=dict(params or LAUNCH), headers={"Content-Type": FORM}
    )
    return parse_qsl(body, keep_blank_values=True)


def test_an_oauthlib_signed_launch_is_verified() -> None:
    form = oauthlib_launch()
    assert ("oauth_callback", "about:blank") in form
    launch = verify_lti_launch(form, LAUNCH_URL, {KEY: SECRET}, MemoryNonces())
    assert launch.consumer_key == KEY
    assert launch.params["user_id"] == "u-1"
    assert launch.params["context_title"] == "Café & Crème: 100% theory"
    assert launch.params["course"] == "7"  # the launch URL's query is signed too


def test_a_launch_as_a_dict_and_as_a_multidict_is_verified() -> None:
    from werkzeug.datastructures import MultiDict

    as_dict = dict(oauthlib_launch())
    assert verify_lti_launch(as_dict, LAUNCH_URL, {KEY: SECRET}, MemoryNonces()).consumer_key == KEY
    as_multidict = MultiDict(oauthlib_launch())
    launch = verify_lti_launch(as_multidict, LAUNCH_URL, {KEY: SECRET}, MemoryNonces())
    assert launch.params["resource_link_id"] == "res-42"


def test_a_replayed_launch_is_refused() -> None:
    form, nonces = oauthlib_launch(), MemoryNonces()
    verify_lti_launch(form, LAUNCH_URL, {KEY: SECRET}, nonces)
    with pytest.raises(Refused) as caught:
        verify_lti_launch(form, LAUNCH_URL, {KEY: SECRET}, nonces)
    assert caught.value.reason == "nonce_used"


def test_a_launch_with_the_wrong_secret_is_refused_with_the_uniform_answer() -> None:
    with pytest.raises(Refused) as caught:
        verify_lti_launch(
            oauthlib_launch(secret="wrong"), LAUNCH_URL, {KEY: SECRET}, MemoryNonces()
        )
    refused = caught.value
    assert (refused.reason, refused.status) == ("signature_invalid", 401)
    assert dict(parse_qsl(refused.body.decode()))["oauth_problem"] == "signature_invalid"


def test_the_http_launch_url_behind_a_tls_proxy_is_named_in_the_log() -> None:
    # The platform signed https://...; the tool, behind a load balancer, sees http://.
    form = oauthlib_launch()
    with pytest.raises(Refused) as caught:
        verify_lti_launch(
            form, LAUNCH_URL.replace("https:", "http:"), {KEY: SECRET}, MemoryNonces()
        )
    assert caught.value.log_record["forwarded"]["would_hold_with"] == "other_scheme"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"lti_message_type": None}, "parameter_absent"),
        ({"resource_link_id": None}, "parameter_absent"),
        ({"lti_version": "LTI-2p0"}, "parameter_rejected"),
        ({"lti_message_type": "ContentItemSelectionRequest"}, "parameter_rejected"),
    ],
)
def test_the_lti_parameters_a_basic_launch_requires(
    change: dict[str, str | None], reason: str
) -> None:
    params = {k: v for k, v in {**LAUNCH, **change}.items() if v is not None}
    with pytest.raises(Refused) as caught:
        verify_lti_launch(oauthlib_launch(params), LAUNCH_URL, {KEY: SECRET}, MemoryNonces())
    assert caught.value.reason == reason


def test_a_ready_verifier_can_be_passed() -> None:
    clock_now = time.time()
    verifier = RequestVerifier({KEY: SECRET}, MemoryNonces(), clock=lambda: clock_now, window=60)
    launch = verify_lti_launch(oauthlib_launch(), LAUNCH_URL, {}, MemoryNonces(), verifier=verifier)
    assert launch.consumer_key == KEY
