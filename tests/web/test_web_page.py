"""The page's markup: every control labelled, no external asset, the form contract, and `web`
serving it from the command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from web_client import call

ROOT = Path(__file__).resolve().parents[2]


class _Controls(HTMLParser):
    """Collects the form controls, the ids that labels point at, and controls inside a label."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.open_labels = 0
        self.assets: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if given.get("for"):
                self.label_for.add(str(given["for"]))
        if tag in ("input", "select", "textarea") and given.get("type") != "hidden":
            self.controls.append({**given, "tag": tag, "in_label": str(self.open_labels > 0)})
        if tag in ("link", "script", "img") and (given.get("href") or given.get("src")):
            self.assets.append(str(given.get("href") or given.get("src")))
        if tag == "script" and not given.get("src"):
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1


def _parsed(html: str) -> _Controls:
    parser = _Controls()
    parser.feed(html)
    return parser


def test_every_control_is_labelled_and_the_form_contract_holds() -> None:
    page = call("GET", "/", query="preset=params-unsorted").text
    parsed = _parsed(page)
    assert len(parsed.controls) >= 15
    for control in parsed.controls:
        labelled = control["in_label"] == "True" or control.get("id") in parsed.label_for
        assert labelled, control
    named = {(c["tag"], c.get("name")) for c in parsed.controls}
    assert ("textarea", "request") in named
    assert ("input", "consumer_secret") in named
    assert ("input", "token_secret") in named
    assert 'id="result"' in page


def test_the_page_loads_only_its_own_assets_and_no_inline_script() -> None:
    parsed = _parsed(call("GET", "/").text)
    assert sorted(parsed.assets) == ["/static/app.css", "/static/app.js"]
    assert parsed.inline_scripts == 0  # the CSP (default-src 'self') would refuse one
    css = call("GET", "/static/app.css").text
    assert "url(" not in css and "@import" not in css


def test_the_web_command_prints_its_url_and_serves_the_page() -> None:
    program = textwrap.dedent(
        """
        import typer
        from oauth_debug.cli.web_commands import register
        app = typer.Typer()
        register(app)
        app(["--port", "0"])
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("oauth-debug explainer at http://127.0.0.1:"), first
        url = first.split(" at ", 1)[1].strip()
        assert process.stdout.readline().strip() == "Press Ctrl-C to stop."
        with urllib.request.urlopen(url, timeout=10) as answer:
            page = answer.read().decode()
            policy = answer.headers["Content-Security-Policy"]
        assert '<textarea id="request" name="request"' in page
        assert policy.startswith("default-src 'self'")
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    assert "Stopped." in out
    assert "Traceback" not in err
