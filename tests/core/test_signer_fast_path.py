"""The signer's fast path gives what the general pipeline gives, and keeps no secret elsewhere.

sign_at sorts, joins and encodes only its protocol parameters, between the two runs of the
request's own pairs that the reading keeps (``Reading.around_oauth``); the RFC key and its keyed
HMACs are kept with the Credentials (``signer.rfc_key``). Each test here compares against the
general path (``prepare`` with the RFC's sort over every pair, ``hmac.digest``), so a wrong split
or a stale key would show.
"""

from __future__ import annotations

import copy
import hmac
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.encoding import encode_normalized, join_pairs, percent_encode
from oauth_debug.errors import DuplicateOAuthParameterError
from oauth_debug.methods import KeyedMac
from oauth_debug.params import render_authorization, render_encoded_authorization
from oauth_debug.reading import OAUTH_PREFIX, read
from oauth_debug.signer import rfc_key, signing_key
from oauth_debug.trace import SigningTrace

FORM = "application/x-www-form-urlencoded"

# Names around "oauth_" in the sort: just before and after it, sharing its first letters, and
# names that start with it (which the split must refuse).
_NAMES = st.sampled_from(
    [
        "a",
        "o",
        "oauth",
        "oauth_",
        "oauth_z",
        "oauth`",
        "oauth^",
        "oauthx",
        "oauu",
        "p",
        "z",
        "~",
        "OAUTH_x",
        "%",
        "b%20c",
        "0",
    ]
)
_VALUES = st.text(alphabet="ab =&%+~é", max_size=4)


@st.composite
def _requests(draw: st.DrawFn) -> HttpRequest:
    query = draw(st.lists(st.tuples(_NAMES, _VALUES), max_size=5))
    body = draw(st.lists(st.tuples(_NAMES, _VALUES), max_size=3))

    def form(pairs: list[tuple[str, str]]) -> str:
        return "&".join(f"{percent_encode(n)}={percent_encode(v)}" for n, v in pairs)

    url = "https://api.example.com/r" + (f"?{form(query)}" if query else "")
    return HttpRequest("POST", url, headers={"Content-Type": FORM}, body=form(body))


@settings(max_examples=300, deadline=None)
@given(_requests())
def test_the_split_around_oauth_names_keeps_the_rfc_order(request: HttpRequest) -> None:
    reading = read(request)
    prefixed = any(name.startswith(OAUTH_PREFIX) for name, _ in reading.own_pairs)
    if prefixed:
        assert reading.around_oauth is None
        return
    assert reading.around_oauth is not None
    before, after = reading.around_oauth
    assert (*before.pairs, *after.pairs) == reading.own_pairs
    protocol = [("oauth_nonce", "n"), ("oauth_consumer_key", "k"), ("oauth_version", "1.0")]
    # Every own name sorts entirely before or after every oauth_ name, as the split claims.
    assert all((name, value) < min(protocol) for name, value in before.pairs)
    assert all((name, value) > max(protocol) for name, value in after.pairs)
    assert before.joined == join_pairs(before.pairs)
    assert after.component == encode_normalized(after.joined)


@settings(max_examples=300, deadline=None)
@given(_requests(), st.sampled_from(["header", "query", "body"]))
def test_sign_at_normalizes_exactly_as_a_full_sort_does(
    request: HttpRequest, placement: str
) -> None:
    credentials = Credentials("ck", "cs", token="t", token_secret="ts")
    if read(request).oauth_repeated:  # 3.1: refused, on the fast path as on the general one
        with pytest.raises(DuplicateOAuthParameterError):
            sign_at(request, credentials, timestamp=1, nonce="n0", placement=placement)
        return
    trace = sign_at(request, credentials, timestamp=1, nonce="n0", realm="R", placement=placement)
    everything = sorted((percent_encode(p.name), percent_encode(p.value)) for p in trace.parameters)
    assert list(trace.sorted_pairs) == everything
    assert trace.normalized_parameters == "&".join(f"{n}={v}" for n, v in everything)
    assert trace.base_string_parts.parameters == percent_encode(trace.normalized_parameters)


def test_a_request_with_an_oauth_prefixed_parameter_of_its_own_is_sorted_in() -> None:
    request = HttpRequest("GET", "https://h.example/?oauth_extra=1&a=2&z=3")
    assert read(request).around_oauth is None
    trace = sign_at(request, Credentials("k", "s"), timestamp=1, nonce="n")
    names = [name for name, _ in trace.sorted_pairs]
    assert names == sorted(names)
    assert names.index("oauth_extra") > names.index("oauth_consumer_key")
    assert names.index("oauth_extra") < names.index("oauth_nonce")


@pytest.mark.parametrize("hash_name", ["sha1", "sha256", "sha512"])
def test_a_keyed_mac_gives_what_hmac_digest_gives(hash_name: str) -> None:
    mac = KeyedMac(b"c%20s&t")
    for message in (b"", b"POST&x&y", b"a" * 1000):
        assert mac.digest(hash_name, message) == hmac.digest(b"c%20s&t", message, hash_name)
    assert "c%20s" not in repr(mac)


def test_the_rfc_key_is_kept_with_its_credentials_only() -> None:
    credentials = Credentials("k", "secret one", token="t", token_secret="secret two")
    first = rfc_key(credentials)
    assert first is rfc_key(credentials)
    assert first.key == signing_key(credentials)
    other = Credentials("k", "secret three")
    assert rfc_key(other).key == signing_key(other) != first.key
    # Not a field: not compared, and neither pickled nor copied with the credentials.
    assert credentials == Credentials("k", "secret one", token="t", token_secret="secret two")
    restored = pickle.loads(pickle.dumps(credentials))
    assert restored == credentials and "_oauth_debug_rfc_key" not in vars(restored)
    assert "_oauth_debug_rfc_key" not in vars(copy.copy(credentials))
    trace = sign_at(HttpRequest("GET", "https://h.example/"), restored, timestamp=1, nonce="n")
    again = sign_at(HttpRequest("GET", "https://h.example/"), credentials, timestamp=1, nonce="n")
    assert trace.signature == again.signature


def test_the_keyed_path_is_taken_only_for_the_credentials_own_key() -> None:
    from oauth_debug.methods import get_method
    from oauth_debug.model import Secret
    from oauth_debug.signer import digest_and_signature

    credentials = Credentials("k", "s")
    base = "GET&https%3A%2F%2Fh.example%2F&a%3D1"
    foreign = Secret("another&key")
    digest, _ = digest_and_signature(get_method("HMAC-SHA1"), foreign, base, credentials)
    assert digest == hmac.digest(b"another&key", base.encode(), "sha1")


@pytest.mark.parametrize(
    ("pairs", "realm"),
    [([], None), ([], 'a "b" \\c'), ([("a", "1")], None), ([("a", "1"), ("b", "")], "R")],
)
def test_the_header_is_written_as_before(pairs: list[tuple[str, str]], realm: str | None) -> None:
    written = render_encoded_authorization(pairs, realm)
    parts = []
    if realm is not None:
        parts.append('realm="{}"'.format(realm.replace("\\", "\\\\").replace('"', '\\"')))
    parts += [f'{name}="{value}"' for name, value in pairs]
    assert written == "OAuth " + ", ".join(parts)
    assert render_authorization([("a b", "c/d")]) == 'OAuth a%20b="c%2Fd"'


def test_a_trace_refuses_a_field_it_does_not_have() -> None:
    trace = sign_at(HttpRequest("GET", "https://h.example/"), Credentials("k", "s"),
                    timestamp=1, nonce="n")  # fmt: skip
    values = dict(vars(trace))
    values.pop("_oauth_debug_reading", None)
    values["signatur"] = "x"
    with pytest.raises(TypeError, match="signatur"):
        SigningTrace.of(**values)


def test_signing_without_credentials_is_an_error_naming_them() -> None:
    from oauth_debug.errors import InvalidRequestError

    with pytest.raises(InvalidRequestError, match="Credentials") as caught:
        sign_at(HttpRequest("GET", "https://h.example/"), None, timestamp=1, nonce="n")  # type: ignore[arg-type]
    assert caught.value.data["part"] == "credentials"


@given(st.binary(min_size=1, max_size=64))
def test_a_base64_signature_is_written_for_the_wire_as_percent_encode_writes_it(
    digest: bytes,
) -> None:
    import base64

    from oauth_debug.methods import get_method
    from oauth_debug.signer import _encoded_signature

    signature = base64.b64encode(digest).decode()
    for name in ("HMAC-SHA1", "RSA-SHA256"):
        assert _encoded_signature(get_method(name), signature) == percent_encode(signature)
    key = "c s&t~é"
    assert _encoded_signature(get_method("PLAINTEXT"), key) == percent_encode(key)


def test_a_subclass_keeps_its_own_state_through_a_copy() -> None:
    class Labelled(Credentials):
        pass

    credentials = Labelled("k", "s")
    object.__setattr__(credentials, "label", "mine")
    rfc_key(credentials)
    copied = copy.copy(credentials)
    assert vars(copied).get("label") == "mine" and "_oauth_debug_rfc_key" not in vars(copied)
