"""The classroom in a real headless Chromium (selenium): a student's refusal, seen by the room.

A student's request is sent over HTTP to the served sandbox (signed by hand with a known
mistake); the browser is the teacher's or the student's, on /requests. With CI set, a missing
browser or driver fails these tests; elsewhere they skip, saying how to install one. They save
the screenshots docs/classroom.md shows (docs/images/web-classroom-*.png).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from classroom_client import NOW, PATH, signature_forms, student_request

from oauth_debug.sandbox import DEMO_API_SECRET, SandboxConfig, create_app
from oauth_debug.sandbox.classroom import MemoryRequestLog, classroom_app, with_log
from oauth_debug.sandbox.server import RunningServer, serve_in_background

# The screenshots the docs show are written into docs/images only when asked for
# (OAUTH_DEBUG_SCREENSHOTS=1 pytest tests/web), so that an ordinary test run leaves the checkout
# as it was; otherwise they go to a scratch folder, still taken, so a page that cannot be drawn
# still fails.
IMAGES = (
    Path(__file__).resolve().parents[2] / "docs" / "images"
    if os.environ.get("OAUTH_DEBUG_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "oauth-debug-screenshots"
)
INSTALL = (
    "no Chromium or chromedriver found: install them (Debian/Ubuntu: sudo apt-get install "
    "chromium chromium-driver) to run the browser tests"
)
WAIT = 15.0


def _need_browser() -> tuple[str, str]:
    names = ("chromium", "chromium-browser", "google-chrome")
    binary = next((found for name in names if (found := shutil.which(name))), None)
    driver = shutil.which("chromedriver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        binary = None
    if binary is None or driver is None:
        if os.environ.get("CI"):
            pytest.fail(INSTALL + " (and pip install -e '.[test]' for selenium)")
        pytest.skip(INSTALL)
    return binary, driver


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    binary, driver_path = _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--window-size=1280,900", "--disable-dev-shm-usage"):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def classroom() -> Iterator[tuple[RunningServer, MemoryRequestLog]]:
    log = MemoryRequestLog()
    sandbox = with_log(create_app, SandboxConfig(clock=lambda: NOW), log)
    with serve_in_background(classroom_app(sandbox, log)) as where:
        yield where, log


def _student_sends(server: RunningServer, nonce: str, **mistake: Any) -> str:
    """A student's refused request over HTTP; returns its Authorization header."""
    host = urlsplit(server.url).netloc
    url, header = student_request(nonce, host=host, **mistake)
    request = urllib.request.Request(url, headers={"Authorization": header})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401
    return header


def _wait(driver: Any, condition: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT, poll_frequency=0.1).until(condition)


def _rows(driver: Any) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(driver.find_elements(By.CSS_SELECTOR, "#requests tbody tr"))


def _screenshot(driver: Any, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(IMAGES / name))


def test_a_students_refusal_appears_and_opens_its_explanation(
    browser: Any, classroom: tuple[RunningServer, MemoryRequestLog]
) -> None:
    from selenium.webdriver.common.by import By

    server, _ = classroom
    header = _student_sends(server, "browser-amp", key=DEMO_API_SECRET)
    browser.get(server.url + "/requests")
    notice = browser.find_element(By.ID, "notice").text
    assert "Anyone who can reach this sandbox sees this list" in notice
    row = next(r for r in _rows(browser) if "key-missing-ampersand" in r.text)
    assert PATH in row.text and "401" in row.text and "demo-key" in row.text
    _screenshot(browser, "web-classroom-requests.png")
    row.find_element(By.LINK_TEXT, "why refused").click()
    mistake = _wait(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "#result .mistake .mistake-id"),
    )[0]
    assert mistake.text == "key-missing-ampersand"
    step = browser.find_element(By.CSS_SELECTOR, "#result .mistake .step").text
    assert step == "The step that went wrong: key"
    assert browser.find_element(By.CSS_SELECTOR, "#result .fixes h4").text == "Python"
    _screenshot(browser, "web-classroom-request.png")
    page = browser.page_source
    assert not any(form in page for form in signature_forms(header))
    assert DEMO_API_SECRET not in page


def test_the_list_updates_without_a_reload(
    browser: Any, classroom: tuple[RunningServer, MemoryRequestLog]
) -> None:
    server, log = classroom
    browser.get(server.url + "/requests")
    before = len(_rows(browser))
    assert before == len(log.recent())
    browser.execute_script("window.notReloaded = true;")
    header = _student_sends(server, "browser-unsorted", unsorted=True)
    _wait(browser, lambda d: len(_rows(d)) == before + 1)
    newest = _rows(browser)[0]
    assert "params-unsorted" in newest.text
    assert browser.execute_script("return window.notReloaded === true;")
    assert not any(form in browser.page_source for form in signature_forms(header))


def test_no_page_asks_another_host_and_none_shows_a_secret_or_signature(
    browser: Any, classroom: tuple[RunningServer, MemoryRequestLog]
) -> None:
    server, log = classroom
    headers = [_student_sends(server, f"browser-leak-{n}", key=k)
               for n, k in enumerate((DEMO_API_SECRET, "a-wrong-secret&"))]  # fmt: skip
    browser.get_log("performance")  # from here on
    pages = ["/requests", "/api/requests"] + [
        f"/requests/{record.request_id}" for record in log.recent()
    ]
    seen = []
    for page in pages:
        browser.get(server.url + page)
        seen.append(browser.page_source)
    hosts = set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            hosts.add(urlsplit(message["params"]["request"]["url"]).netloc)
    assert hosts == {urlsplit(server.url).netloc}
    for text in seen:
        assert DEMO_API_SECRET not in text
        for header in headers:
            assert not any(form in text for form in signature_forms(header))
