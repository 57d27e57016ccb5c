"""The provider profiles: each loads, cites its sources, and is guessed from what gives it away."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oauth_debug import HttpRequest
from oauth_debug.diagnosis.providers import choose, get_profile, guess, names, profiles
from oauth_debug.errors import InvalidOptionError
from oauth_debug.methods import METHODS

ISSUE_PROVIDERS = {
    "alteryx", "netsuite", "woocommerce", "x", "mastercard", "lti", "jira", "magento",
    "schoology", "flickr", "etrade", "trello", "tumblr", "garmin",
}  # fmt: skip


def test_every_provider_the_issue_lists_has_a_profile() -> None:
    assert set(names()) >= ISSUE_PROVIDERS


@pytest.mark.parametrize("name", sorted(ISSUE_PROVIDERS))
def test_a_profile_cites_sources_and_names_real_methods(name: str) -> None:
    profile = get_profile(name)
    assert profile.sources, f"{name} cites no source"
    assert all(len(source) > 10 for source in profile.sources)
    assert set(profile.signature_methods) <= set(METHODS)
    assert set(profile.placements) <= {"header", "query", "body"}
    assert profile.label and profile.title


def test_documented_rules_are_the_researched_ones() -> None:
    netsuite = get_profile("netsuite")
    assert netsuite.signature_methods == ("HMAC-SHA256",)
    assert netsuite.window_seconds == 300
    assert netsuite.nonce_min_length == 6
    assert netsuite.realm_rule == "account-id"
    assert get_profile("woocommerce").window_seconds == 900
    assert get_profile("woocommerce").scheme_rule == "http-only"
    assert get_profile("mastercard").body_hash == "always"
    assert get_profile("schoology").realm_value == "Schoology API"
    assert get_profile("x").json_body_signed is False
    assert get_profile("lti").forbids_oauth_callback is True


def test_aliases_and_case_reach_the_same_profile() -> None:
    assert get_profile("Twitter") is get_profile("x")
    assert get_profile(" NetSuite ") is get_profile("netsuite")


def test_an_unknown_provider_is_bad_input_naming_the_choices() -> None:
    with pytest.raises(InvalidOptionError, match=r"unknown provider 'acme'.*netsuite"):
        get_profile("acme")


@pytest.mark.parametrize(
    ("url", "body", "expected", "reason"),
    [
        ("https://123456-sb1.suitetalk.api.netsuite.com/services/rest/x", None, "netsuite", "host"),
        ("https://sandbox.api.mastercard.com/mdes/x", None, "mastercard", "host"),
        ("https://api.twitter.com/1.1/statuses/update.json", None, "x", "host"),
        ("https://api.x.com/2/tweets", None, "x", "host"),
        ("http://shop.example/wp-json/wc/v3/orders", None, "woocommerce", "path"),
        ("http://dminform/gallery/api/v1/workflows/", None, "alteryx", "path"),
        (
            "https://tool.example/launch",
            b"lti_message_type=basic-lti-launch-request",
            "lti",
            "form field",
        ),
        ("https://api.etrade.com/v1/accounts/list", None, "etrade", "host"),
    ],
)
def test_the_provider_is_guessed_and_the_guess_says_from_what(
    url: str, body: bytes | None, expected: str, reason: str
) -> None:
    headers = (("Content-Type", "application/x-www-form-urlencoded"),) if body else ()
    choice = guess(HttpRequest("POST" if body else "GET", url, headers, body))
    assert choice is not None
    assert choice.profile.name == expected
    assert choice.guessed
    assert choice.reason.startswith(f"the {reason}")
    assert "guessed from" in choice.said


def test_no_guess_for_an_unknown_host_and_a_name_beats_the_guess() -> None:
    request = HttpRequest("GET", "https://api.example.com/v1/items")
    assert guess(request) is None
    named = choose(HttpRequest("GET", "https://api.twitter.com/1.1/x"), "jira")
    assert named is not None and named.profile.name == "jira" and not named.guessed


@given(st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True))
def test_a_host_under_no_profile_domain_is_never_guessed_by_host(label: str) -> None:
    request = HttpRequest("GET", f"https://{label}.example.org/api")
    assert guess(request) is None


def test_profiles_are_read_once() -> None:
    assert profiles() is profiles()


def test_a_malformed_profile_is_refused_with_its_field_named() -> None:
    from oauth_debug.diagnosis.providers import ProfileError, _profile

    good = {"name": "p", "title": "P", "realm": {"rule": "none"}, "body_hash": "none"}
    assert _profile(good).realm_rule == "none"
    with pytest.raises(ProfileError, match=r"realm\.rule"):
        _profile({**good, "realm": {"rule": "sometimes"}})
    with pytest.raises(ProfileError, match="body_hash"):
        _profile({**good, "body_hash": "maybe"})
    with pytest.raises(ProfileError, match="'hosts' must be a list of strings"):
        _profile({**good, "hosts": "api.example.com"})
