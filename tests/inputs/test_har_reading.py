"""inputs.har: HAR 1.2 entries as requests and recorded answers (Chrome and Firefox layouts)."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest

from oauth_debug.inputs import InputError
from oauth_debug.inputs.har import read_entry, read_har
from oauth_debug.inputs.har_stream import har_entries

CAPTURES = Path(__file__).parent.parent / "data" / "captures"


def _entry(request: dict[str, object], response: dict[str, object] | None = None) -> dict:
    return {
        "startedDateTime": "2024-03-01T10:00:00.000Z",
        "request": {"method": "GET", "headers": [], **request},
        "response": response or {"status": 0, "headers": [], "content": {}},
    }


def test_chrome_export_drops_pseudo_headers_and_counts_oauth_entries() -> None:
    entries = list(read_har((CAPTURES / "chrome-gallery.har").read_text()))
    assert [e.oauth for e in entries] == [False, True, True, False, True]
    signed = entries[1].parsed
    assert signed is not None
    names = [name for name, _ in signed.request.headers]
    assert not any(name.startswith(":") for name in names)
    assert "authorization" in names
    assert signed.kind == "har"


def test_chrome_export_keeps_the_recorded_answer_and_no_answer_for_status_0() -> None:
    entries = list(read_har((CAPTURES / "chrome-gallery.har").read_text()))
    refused = entries[2].response
    assert refused is not None and refused.status == 401
    assert "UnauthorizedException" in refused.body
    assert entries[4].response is None  # net::ERR_CONNECTION_RESET: nothing was answered
    assert entries[3].response is None  # no OAuth 1: its base64 image is never decoded


def test_firefox_export_reads_the_form_body_and_its_offset_time() -> None:
    entries = list(read_har((CAPTURES / "firefox-gallery.har").read_text()))
    first = entries[0].parsed
    assert first is not None
    assert first.request.body == b"priority=0&questions=%5B%5D"
    assert first.request.is_form
    assert entries[0].started == pytest.approx(1709287210.455)


def test_base64_response_body_of_an_oauth_entry_is_decoded() -> None:
    text = "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1-2 é"
    raw = _entry(
        {"url": "https://api.example.com/r?oauth_consumer_key=k&oauth_signature=x"},
        {
            "status": 401,
            "statusText": "Unauthorized",
            "headers": [{"name": "Content-Type", "value": "text/plain"}],
            "content": {"text": base64.b64encode(text.encode()).decode(), "encoding": "base64"},
        },
    )
    entry = read_entry(7, raw)
    assert entry.index == 7
    assert entry.response is not None
    assert entry.response.body == text
    assert entry.response.reason == "Unauthorized"


def test_params_only_post_data_is_rebuilt_and_its_mime_type_becomes_the_content_type() -> None:
    raw = _entry(
        {
            "method": "POST",
            "url": "https://api.example.com/r",
            "postData": {
                "mimeType": "application/x-www-form-urlencoded",
                "params": [{"name": "a", "value": "1"}, {"name": "oauth_signature", "value": "s"}],
            },
        }
    )
    entry = read_entry(0, raw)
    assert entry.parsed is not None
    assert entry.parsed.request.body == b"a=1&oauth_signature=s"
    assert entry.parsed.request.is_form
    assert entry.oauth
    assert any("postData.mimeType" in note for note in entry.parsed.notes)


def test_an_entry_whose_url_cannot_be_read_is_kept_with_its_problem() -> None:
    entry = read_entry(3, _entry({"url": "not a url"}))
    assert entry.parsed is None
    assert entry.problem
    assert not entry.oauth


def test_entries_are_decoded_one_at_a_time_before_the_rest_is_read() -> None:
    # The first entry comes out although the text after it is broken: nothing was parsed whole.
    first = json.dumps(_entry({"url": "https://a.example/"}))
    entries = har_entries('{"log": {"version": "1.2", "entries": [' + first + ", {broken")
    assert next(entries)["request"]["url"] == "https://a.example/"
    with pytest.raises(InputError, match="not JSON"):
        next(entries)


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_a_stream_read_in_small_windows_gives_the_same_entries(chunk: int) -> None:
    # Windows smaller than one entry, than one key, than one character of structure.
    text = (CAPTURES / "chrome-gallery.har").read_text()
    whole = [e["request"]["url"] for e in json.loads(text)["log"]["entries"]]
    streamed = [e["request"]["url"] for e in har_entries(io.StringIO(text), chunk=chunk)]
    assert streamed == whole


def test_keys_named_entries_elsewhere_are_not_taken_for_the_log_entries() -> None:
    decoy = {"entries": [{"request": {"url": "https://decoy.example/"}}]}
    text = json.dumps(
        {"x": decoy, "log": {"creator": decoy, "entries": [_entry({"url": "https://a.example/"})]}}
    )
    assert [e.url for e in read_har(text)] == ["https://a.example/"]


def test_an_unusual_layout_falls_back_to_a_whole_parse() -> None:
    text = '{"log": {"entries": [{"request": {"url": "https://a.example/", "method": "GET"}}]}}'
    assert [e.url for e in read_har(text)] == ["https://a.example/"]
    assert list(read_har('{"log": {"entries": []}}')) == []


@pytest.mark.parametrize(
    "text", ["not json", "[]", json.dumps({"log": {}}), '{"log": {"entries": 3}}']
)
def test_what_is_no_har_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match="HAR"):
        list(read_har(text))
