"""The providers index: generated from the profiles, up to date, and enough to guess from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oauth_debug import HttpRequest
from oauth_debug.diagnosis import providers
from oauth_debug.diagnosis.providers.index import GUESS_FIELDS, index_document, index_text


def test_the_shipped_index_is_the_one_the_profiles_generate() -> None:
    shipped = (providers.HERE / providers.INDEX_FILE).read_text(encoding="utf-8")
    assert shipped == index_text(), (
        "index.json is out of date: run python -m oauth_debug.diagnosis.providers.index"
    )


def test_each_index_entry_is_its_profile_file_and_holds_its_guess_fields() -> None:
    profiles = providers.profiles()
    entries = index_document()["providers"]
    profile_files = {p.stem for p in providers.HERE.glob("*.json")} - {"index"}
    assert [e["name"] for e in entries] == sorted(profile_files)
    for entry in entries:
        profile = profiles[entry["name"]]
        assert tuple(entry["hosts"]) == profile.hosts
        assert tuple(entry["paths"]) == profile.paths
        assert tuple(entry["body_params"]) == profile.body_params


def test_a_new_profile_file_changes_the_index(tmp_path: Path) -> None:
    raw = {"name": "acme", "hosts": ["api.acme.test"], "title": "Acme"}
    (tmp_path / "acme.json").write_text(json.dumps(raw), encoding="utf-8")
    (tmp_path / "index.json").write_text("{}", encoding="utf-8")  # never indexed itself
    document = index_document(tmp_path)
    assert document["providers"] == [
        {"name": "acme", "hosts": ["api.acme.test"], "paths": [], "body_params": []}
    ]
    assert set(document["providers"][0]) == {"name", *GUESS_FIELDS}


@pytest.fixture
def fresh_caches() -> None:
    for cached in (providers._load, providers.profiles, providers._index):
        cached.cache_clear()


@pytest.mark.usefixtures("fresh_caches")
def test_a_host_no_provider_serves_reads_no_profile() -> None:
    assert providers.guess(HttpRequest("GET", "https://api.example.com/v1/items")) is None
    assert providers._load.cache_info().currsize == 0


@pytest.mark.usefixtures("fresh_caches")
def test_a_guess_reads_only_the_profile_it_names() -> None:
    choice = providers.guess(HttpRequest("GET", "https://api.twitter.com/1.1/x"))
    assert choice is not None and choice.profile.name == "x"
    assert providers._load.cache_info().currsize == 1
    assert providers.get_profile("twitter") is choice.profile is providers.profiles()["x"]
