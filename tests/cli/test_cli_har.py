"""`diagnose --har`, `verify --har` over the Chrome and Firefox captures of tests/data."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from oauth_debug.cli.app import app

CAPTURES = Path(__file__).parent.parent / "data" / "captures"
runner = CliRunner()
SECRET = ["--consumer-secret", "gallery-secret"]


def test_diagnose_har_text_has_one_line_per_oauth_entry_then_the_failures() -> None:
    har = str(CAPTURES / "chrome-gallery.har")
    result = runner.invoke(app, ["diagnose", "--har", har, *SECRET], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("#1 GET https://gallery.example.com/gallery/api/v1/workflows/")
    assert lines[0].endswith("[200] valid")
    assert "[401] explained: query-params-omitted (refused for: alteryx-unauthorized)" in lines[1]
    assert "[no response]" in lines[2]
    assert "5 entries: 3 with OAuth 1 checked, 1 failing, 2 without OAuth 1" in result.stdout
    assert "What you did" in result.stdout  # the failure's details follow the summary


def test_diagnose_har_json_is_a_list_of_diagnoses_with_entry_indexes() -> None:
    har = str(CAPTURES / "firefox-gallery.har")
    result = runner.invoke(app, ["diagnose", "--har", har, *SECRET, "--format", "json"])
    documents = json.loads(result.stdout)
    assert [d["entry"] for d in documents] == [0, 1]
    assert documents[0]["verdict"] == "valid"
    assert documents[1]["mistakes"] == ["body-params-omitted"]
    assert documents[1]["response"]["status"] == 401
    assert result.exit_code == 1


def test_diagnose_har_holds_timestamps_against_the_capture_time_not_today() -> None:
    # The capture is from 2024: with today's clock its timestamps would all be stale.
    har = str(CAPTURES / "firefox-gallery.har")
    result = runner.invoke(app, ["diagnose", "--har", har, *SECRET, "--format", "json"])
    ids = {f["id"] for f in json.loads(result.stdout)[0]["findings"]}
    assert not any("stale" in i for i in ids)
    later = runner.invoke(app, ["diagnose", "--har", har, *SECRET, "--format", "json",
                                "--now", "1800000000"])  # fmt: skip
    ids_later = {f["id"] for f in json.loads(later.stdout)[0]["findings"]}
    assert any("stale" in i for i in ids_later)


def test_verify_har_marks_each_entry_valid_or_invalid() -> None:
    har = str(CAPTURES / "firefox-gallery.har")
    result = runner.invoke(app, ["verify", "--har", har, *SECRET], env={"COLUMNS": "200"})
    lines = result.stdout.splitlines()
    assert lines[0].endswith("[200] valid")
    assert lines[1].endswith("[401] invalid")
    assert result.exit_code == 1


def test_verify_har_json_keeps_verify_keys_and_adds_the_entry() -> None:
    har = str(CAPTURES / "chrome-gallery.har")
    result = runner.invoke(app, ["verify", "--har", har, *SECRET, "--format", "json"])
    documents = json.loads(result.stdout)
    assert [(d["entry"], d["valid"]) for d in documents] == [(1, True), (2, False), (4, True)]
    assert "base_string" in documents[0]


def test_har_with_no_oauth_entry_is_bad_input(tmp_path: Path) -> None:
    har = tmp_path / "plain.har"
    entry = {"request": {"method": "GET", "url": "https://a.example/", "headers": []}}
    har.write_text(json.dumps({"log": {"entries": [entry]}}))
    result = runner.invoke(app, ["diagnose", "--har", str(har), *SECRET])
    assert result.exit_code == 2
    assert "none carries OAuth 1" in result.output


def test_har_with_another_input_option_is_refused() -> None:
    har = str(CAPTURES / "chrome-gallery.har")
    result = runner.invoke(app, ["diagnose", "--har", har, "--url", "https://a.example/"])
    assert result.exit_code == 2
    assert "--url" in result.output
