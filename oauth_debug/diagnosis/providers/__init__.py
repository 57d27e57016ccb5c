"""Provider profiles: what one OAuth 1.0a server accepts and how it answers, one JSON file each.

The rules of a provider are data, not code: each ``<name>.json`` beside this module says which
signature methods the provider accepts, where the parameters may travel (RFC 5849 3.5), its realm
rule (3.5.1), its body-hash rule (the oauth_body_hash draft), its timestamp window and nonce rule
(3.3), the answer shapes it gives (read by :mod:`oauth_debug.diagnosis.response`) and the sources
all of that comes from. What no source documents is listed under ``undocumented`` rather than
guessed. :mod:`oauth_debug.diagnosis.provider_findings` turns a profile into findings.

A provider is named (``--provider``) or guessed from the request's host, path or form fields;
a guess is always reported as one (:class:`ProviderChoice`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from ...errors import InvalidOptionError, OAuthDebugError
from ...model import HttpRequest
from ...params import body_params
from ...uri import split_url

RealmRule = Literal["none", "fixed", "account-id"]
BodyHashRule = Literal["none", "always", "non-form"]

HERE = Path(__file__).parent
"""The profiles' folder: read with pathlib (one ``open`` a file) rather than importlib.resources,
whose readers cost a command line ~0.5 ms of imports for files that are always plain files here
(the wheel installs the package unzipped)."""

INDEX_FILE = "index.json"
"""What guessing needs of every profile (its name, hosts, paths and form fields), in one file
generated from the profiles by :mod:`.index` (a test holds it to them): a command that only asks
"does any provider serve this host?" reads one small file instead of all the profiles."""

ALIASES: Mapping[str, str] = {"twitter": "x", "lti11": "lti", "lti1.1": "lti", "e*trade": "etrade"}
"""Other names people give a provider on the command line."""


@dataclass(frozen=True)
class Profile:
    """One provider's rules, read from its JSON file."""

    name: str
    label: str
    """The short name findings use ("NetSuite")."""
    title: str
    hosts: tuple[str, ...]
    """Host names; one starting with "." matches that domain and its subdomains."""
    paths: tuple[str, ...]
    """Path prefixes (or fragments) that only this provider's software serves."""
    body_params: tuple[str, ...]
    """Form-field names that give the provider away (LTI's lti_message_type)."""
    signature_methods: tuple[str, ...]
    placements: tuple[str, ...]
    realm_rule: RealmRule
    realm_value: str | None
    body_hash: BodyHashRule
    window_seconds: float | None
    """The provider's own timestamp window, when documented (None: the tool's default)."""
    nonce_min_length: int | None
    scheme_rule: str | None
    """"http-only" when the provider accepts OAuth 1 signatures only over plain http."""
    json_body_signed: bool
    forbids_oauth_callback: bool
    answers: tuple[str, ...]
    sources: tuple[str, ...]
    undocumented: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label,
            "title": self.title,
            "signature_methods": list(self.signature_methods),
            "placements": list(self.placements),
            "realm": {"rule": self.realm_rule, "value": self.realm_value},
            "body_hash": self.body_hash,
            "window_seconds": self.window_seconds,
            "nonce_min_length": self.nonce_min_length,
            "answers": list(self.answers),
            "sources": list(self.sources),
            "undocumented": list(self.undocumented),
        }


class ProfileError(OAuthDebugError):
    """A provider file that does not hold a profile (a packaging or editing mistake)."""


@dataclass(frozen=True)
class ProviderChoice:
    """The profile in force for one request, and whether it was named or guessed."""

    profile: Profile
    guessed: bool
    reason: str
    """Why: "named with --provider" or what in the request gave the provider away."""

    @property
    def said(self) -> str:
        """How a finding introduces the provider ("NetSuite (guessed from the host ...)")."""
        if not self.guessed:
            return self.profile.label
        return f"{self.profile.label} (guessed from {self.reason}; name it with --provider)"


def _strings(raw: Mapping[str, object], key: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"provider profile field {key!r} must be a list of strings")
    return tuple(value)


def _profile(raw: Mapping[str, object]) -> Profile:
    realm = raw.get("realm")
    nonce = raw.get("nonce")
    window = raw.get("window_seconds")
    if not isinstance(realm, dict) or realm.get("rule") not in ("none", "fixed", "account-id"):
        raise ProfileError(f"provider {raw.get('name')!r}: realm.rule is missing or unknown")
    if raw.get("body_hash") not in ("none", "always", "non-form"):
        raise ProfileError(f"provider {raw.get('name')!r}: body_hash is missing or unknown")
    if window is not None and not isinstance(window, (int, float)):
        raise ProfileError(f"provider {raw.get('name')!r}: window_seconds must be a number")
    min_length = nonce.get("min_length") if isinstance(nonce, dict) else None
    realm_value = realm.get("value")
    return Profile(
        name=str(raw["name"]),
        label=str(raw.get("label") or raw["name"]),
        title=str(raw["title"]),
        hosts=_strings(raw, "hosts"),
        paths=_strings(raw, "paths"),
        body_params=_strings(raw, "body_params"),
        signature_methods=_strings(raw, "signature_methods"),
        placements=_strings(raw, "placements"),
        realm_rule=realm["rule"],
        realm_value=realm_value if isinstance(realm_value, str) else None,
        body_hash=raw["body_hash"],  # type: ignore[arg-type]  # checked above
        window_seconds=None if window is None else float(window),
        nonce_min_length=min_length if isinstance(min_length, int) else None,
        scheme_rule=raw.get("scheme_rule") if isinstance(raw.get("scheme_rule"), str) else None,  # type: ignore[arg-type]
        json_body_signed=raw.get("json_body_signed", True) is not False,
        forbids_oauth_callback=raw.get("forbids_oauth_callback") is True,
        answers=_strings(raw, "answers"),
        sources=_strings(raw, "sources"),
        undocumented=_strings(raw, "undocumented"),
    )


@cache
def _index() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]:
    """Each profile's name, hosts, paths and form fields, in name order (read once)."""
    raw = json.loads((HERE / INDEX_FILE).read_text(encoding="utf-8"))
    return tuple(
        (entry["name"], tuple(entry["hosts"]), tuple(entry["paths"]), tuple(entry["body_params"]))
        for entry in raw["providers"]
    )


@cache
def _load(name: str) -> Profile:
    """The profile in ``<name>.json`` (read once: a profile is the same object on every ask)."""
    profile = _profile(json.loads((HERE / f"{name}.json").read_text(encoding="utf-8")))
    if not profile.sources:
        raise ProfileError(f"provider {profile.name!r} cites no source")
    return profile


@cache
def profiles() -> Mapping[str, Profile]:
    """Every profile shipped, by name (read once)."""
    return {name: _load(name) for name in names()}


def names() -> tuple[str, ...]:
    """The provider names --provider accepts (aliases aside)."""
    return tuple(entry[0] for entry in _index())


def get_profile(name: str) -> Profile:
    """The profile called ``name`` (or one of its aliases); a one-line error otherwise."""
    wanted = name.strip().lower()
    wanted = ALIASES.get(wanted, wanted)
    if wanted not in names():
        raise InvalidOptionError(
            f"unknown provider {name!r}: choose one of {', '.join(names())}", option="provider"
        )
    return _load(wanted)


def _host_matches(host: str, pattern: str) -> bool:
    if pattern.startswith("."):
        return host.endswith(pattern) or host == pattern[1:]
    return host == pattern


def guess(request: HttpRequest) -> ProviderChoice | None:
    """The provider the request's host, path or form fields give away, or None.

    The host is the strongest sign (api.mastercard.com), then a path only that software serves
    (/wp-json/wc/ is WooCommerce), then a form field (lti_message_type is an LTI launch).
    """
    try:
        parts = split_url(request.url)
    except OAuthDebugError:
        return None
    host = parts.host.lower()
    path = (parts.path or "").lower()
    # Matched on the index, so that only the profile guessed (if any) is read.
    every = _index()
    for name, hosts, _, _ in every:
        for pattern in hosts:
            if _host_matches(host, pattern.lower()):
                return ProviderChoice(_load(name), True, f"the host {host}")
    for name, _, paths, _ in every:
        for fragment in paths:
            if fragment.lower() in path:
                return ProviderChoice(_load(name), True, f"the path {fragment}")
    try:
        fields = {p.name for p in body_params(request)}
    except OAuthDebugError:
        fields = set()
    for name, _, _, form_fields in every:
        for field_name in form_fields:
            if field_name in fields:
                return ProviderChoice(_load(name), True, f"the form field {field_name}")
    return None


def choose(request: HttpRequest, name: str | None) -> ProviderChoice | None:
    """The named provider when ``name`` is given, else the guess from the request."""
    if name:
        return ProviderChoice(get_profile(name), False, "named with --provider")
    return guess(request)
