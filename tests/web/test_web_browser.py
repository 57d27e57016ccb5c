"""The explainer in a real headless Chromium (selenium): what a person sees and what leaves.

With CI set, a missing browser or driver fails these tests; elsewhere they skip, saying how to
install one. They save the screenshots the docs show (docs/images/web-*.png).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from oauth_debug.sandbox.server import RunningServer, serve_in_background
from oauth_debug.web import create_app
from oauth_debug.web.presets import preset

# The screenshots the docs show are written into docs/images only when asked for
# (OAUTH_DEBUG_SCREENSHOTS=1 pytest tests/web), so that an ordinary test run leaves the checkout
# as it was; otherwise they go to a scratch folder, still taken, so a page that cannot be drawn
# still fails.
IMAGES = (
    Path(__file__).resolve().parents[2] / "docs" / "images"
    if os.environ.get("OAUTH_DEBUG_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "oauth-debug-screenshots"
)
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
INSTALL = (
    "no Chromium or chromedriver found: install them (Debian/Ubuntu: sudo apt-get install "
    "chromium chromium-driver) to run the browser tests"
)
WAIT = 15.0


def _browser() -> tuple[str, str] | None:
    binary = next((found for name in CHROMIUM if (found := shutil.which(name))), None)
    driver = shutil.which("chromedriver")
    return None if binary is None or driver is None else (binary, driver)


def _need_browser() -> tuple[str, str]:
    found = _browser()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(INSTALL)
        pytest.skip(INSTALL)
    try:
        import selenium  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("selenium is not installed (pip install -e '.[test]')")
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    return found


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture(scope="module")
def server_log() -> Iterator[_Collect]:
    """Everything the server logs, at every level, while these tests run."""
    handler = _Collect()
    logger = logging.getLogger("oauth_debug")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(previous)


@pytest.fixture(scope="module")
def server(server_log: _Collect) -> Iterator[RunningServer]:
    with serve_in_background(create_app()) as where:
        yield where


def _driver(scripts: bool) -> Any:
    binary, driver_path = _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--window-size=1280,1600", "--disable-dev-shm-usage"):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    if not scripts:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    return webdriver.Chrome(service=Service(driver_path), options=options)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = _driver(scripts=True)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def no_script_browser() -> Iterator[Any]:
    driver = _driver(scripts=False)
    yield driver
    driver.quit()


def _wait(driver: Any, condition: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT, poll_frequency=0.05).until(condition)


def _result_has(css: str) -> Any:
    from selenium.webdriver.common.by import By

    def found(driver: Any) -> Any:
        elements = driver.find_elements(By.CSS_SELECTOR, f"#result {css}")
        return elements[0] if elements else False

    return found


def _paste(driver: Any, name: str, text: str) -> None:
    """Type into a field as a paste does: the whole value, then one input event."""
    from selenium.webdriver.common.by import By

    field = driver.find_element(By.NAME, name)
    driver.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        field,
        text,
    )


def _type(driver: Any, name: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    details = driver.find_element(By.TAG_NAME, "details")
    if name not in ("consumer_secret", "token_secret") and not details.get_attribute("open"):
        details.find_element(By.TAG_NAME, "summary").click()  # the fields folded under it
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)


def _requested_urls(driver: Any) -> list[str]:
    """Every URL the page asked the network for, from Chromium's performance log."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _screenshot(driver: Any, name: str, css: str) -> None:
    """The window (1280 x 1200) scrolled to ``css``: what the docs show of the page."""
    from selenium.webdriver.common.by import By

    IMAGES.mkdir(parents=True, exist_ok=True)
    driver.set_window_size(1280, 1200)
    element = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script("arguments[0].scrollIntoView()", element)
    driver.save_screenshot(str(IMAGES / name))
    driver.set_window_size(1280, 1600)


MISTAKE = "params-not-encoded"


def test_paste_a_request_with_a_known_mistake_and_see_it_named(
    browser: Any, server: RunningServer, server_log: _Collect
) -> None:
    from selenium.webdriver.common.by import By

    chosen = preset(MISTAKE)
    assert chosen is not None
    browser.get(server.url + "/")
    browser.get_log("performance")  # start the log of requests from here
    _paste(browser, "request", chosen.request)
    _type(browser, "now", chosen.now)
    _type(browser, "token_secret", chosen.token_secret)
    _type(browser, "consumer_secret", chosen.consumer_secret)
    mistake = _wait(browser, _result_has(f'[data-mistake="{MISTAKE}"] .mistake-id'))
    assert mistake.text == MISTAKE
    base = browser.find_element(By.CSS_SELECTOR, "#result #base-string")
    separators = base.find_elements(By.CSS_SELECTOR, "span.sep")
    assert [s.text for s in separators] == ["&", "&"]
    encoded = {e.text for e in base.find_elements(By.CSS_SELECTOR, "span.enc")}
    assert encoded <= {"%26", "%3D"} and "%26" in encoded
    marks = browser.find_elements(By.CSS_SELECTOR, "#result .mistake mark")
    assert marks, "the first difference is marked"
    _screenshot(browser, "web-diagnosis.png", "#diagnosis-title")
    # The secret went in a POST body to this server only: in no URL, no page, no log.
    urls = [*_requested_urls(browser), browser.current_url]
    assert urls
    for secret in (chosen.consumer_secret, chosen.token_secret):
        assert all(secret not in url and secret.replace(" ", "%20") not in url for url in urls)
        assert all(secret.replace(" ", "+") not in url for url in urls)
        result_html = browser.find_element(By.ID, "result").get_attribute("innerHTML")
        assert secret not in result_html
        assert not any(secret in line for line in server_log.lines)
    stored = browser.execute_script(
        "return [localStorage.length, sessionStorage.length, document.cookie]"
    )
    assert stored == [0, 0, ""]  # nothing kept in the browser's storage
    console = [entry["message"] for entry in browser.get_log("browser")]
    assert not [line for line in console if "Content Security Policy" in line], console
    host = urlsplit(server.url).netloc
    assert all(urlsplit(url).netloc == host for url in urls if url.startswith("http")), urls


def test_edit_a_field_and_the_answer_follows(browser: Any, server: RunningServer) -> None:
    from selenium.webdriver.common.by import By

    chosen = preset("params-unsorted")
    assert chosen is not None
    browser.get(server.url + "/")
    _paste(browser, "request", chosen.request)
    _type(browser, "now", chosen.now)
    _type(browser, "token_secret", chosen.token_secret)
    _type(browser, "consumer_secret", chosen.consumer_secret)
    _wait(browser, _result_has('[data-mistake="params-unsorted"]'))
    # A wrong consumer secret: no known mistake explains the signature any more.
    _type(browser, "consumer_secret", "not the secret")
    verdict = _wait(browser, _result_has(".verdict-unexplained .verdict"))
    assert verdict.text == "unexplained"
    assert not browser.find_elements(By.CSS_SELECTOR, "#result [data-mistake]")


def test_the_permalink_restores_the_request_and_holds_no_secret(
    browser: Any, server: RunningServer
) -> None:
    from selenium.webdriver.common.by import By

    chosen = preset("plus-for-space")
    assert chosen is not None
    browser.get(server.url + "/")
    _paste(browser, "request", chosen.request)
    _type(browser, "consumer_secret", chosen.consumer_secret)
    _type(browser, "now", chosen.now)
    _wait(browser, _result_has(".diagnosis"))
    link = browser.current_url
    assert "#" in link and "request=" in link.split("#", 1)[1]
    assert chosen.consumer_secret.replace(" ", "+") not in link
    assert "consumer_secret" not in link
    browser.get("about:blank")
    browser.get(link)
    _wait(browser, _result_has(".diagnosis"))
    restored = browser.find_element(By.NAME, "request").get_attribute("value")
    assert restored == chosen.request
    assert browser.find_element(By.NAME, "consumer_secret").get_attribute("value") == ""
    assert browser.find_element(By.NAME, "now").get_attribute("value") == chosen.now


@pytest.mark.parametrize(
    "preset_id", ["params-unsorted", "key-not-encoded", "signature-not-percent-encoded"]
)
def test_a_preset_renders_its_mistake(browser: Any, server: RunningServer, preset_id: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/")
    browser.find_element(By.CSS_SELECTOR, f'a[data-preset="{preset_id}"]').click()
    found = _wait(browser, _result_has(f'[data-mistake="{preset_id}"] .mistake-id'))
    assert found.text == preset_id


def test_the_rfc_example_shows_every_step(browser: Any, server: RunningServer) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/?preset=rfc5849")
    verdict = _wait(browser, _result_has(".verdict"))
    assert verdict.text == "valid"
    steps = browser.find_elements(By.CSS_SELECTOR, "#result .steps li.step")
    assert len(steps) == 9
    assert "r6/TJjbCOr97/+UU0NsvSne7s5g=" in browser.find_element(By.ID, "step-8").text
    _screenshot(browser, "web-explainer.png", "#steps-title")


def test_with_scripts_off_the_form_still_answers(
    no_script_browser: Any, server: RunningServer, server_log: _Collect
) -> None:
    from selenium.webdriver.common.by import By

    driver = no_script_browser
    chosen = preset(MISTAKE)
    assert chosen is not None
    driver.get(server.url + "/")
    driver.find_element(By.NAME, "request").send_keys(chosen.request)
    driver.find_element(By.NAME, "consumer_secret").send_keys(chosen.consumer_secret)
    driver.find_element(By.NAME, "token_secret").send_keys(chosen.token_secret)
    driver.find_element(By.TAG_NAME, "summary").click()
    driver.find_element(By.NAME, "now").send_keys(chosen.now)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    mistake = _wait(driver, _result_has(f'[data-mistake="{MISTAKE}"] .mistake-id'))
    assert mistake.text == MISTAKE
    # The answer page gives the request back and the secrets not.
    assert driver.find_element(By.NAME, "request").get_attribute("value") == chosen.request
    page = driver.page_source
    for secret in (chosen.consumer_secret, chosen.token_secret):
        assert secret not in page
        assert secret not in driver.current_url
        assert not any(secret in line for line in server_log.lines)
    assert driver.current_url == server.url + "/"
    _screenshot(driver, "web-form.png", "body")


def test_readable_on_a_phone_in_dark_mode(browser: Any, server: RunningServer) -> None:

    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    browser.set_window_size(390, 844)
    try:
        browser.get(server.url + "/?preset=params-unsorted")
        _wait(browser, _result_has('[data-mistake="params-unsorted"]'))
        # Nothing wider than the phone: long base strings wrap instead of scrolling the page.
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        background = browser.execute_script(
            "return getComputedStyle(document.body).backgroundColor"
        )
        assert background == "rgb(13, 17, 23)"  # the dark palette
        IMAGES.mkdir(parents=True, exist_ok=True)
        browser.execute_script("document.getElementById('result').scrollIntoView()")
        browser.save_screenshot(str(IMAGES / "web-phone-dark.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        browser.set_window_size(1280, 1600)


def test_every_form_control_is_reached_with_the_tab_key(
    browser: Any, server: RunningServer
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server.url + "/")
    browser.find_element(By.TAG_NAME, "summary").click()  # the folded fields, opened
    # Tabbing starts where the person last clicked: the page's title, above every control.
    browser.find_element(By.TAG_NAME, "h1").click()
    reached = []
    for _ in range(40):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused = browser.switch_to.active_element
        reached.append(focused.get_attribute("name") or focused.tag_name)
    expected = {"request", "method", "url", "headers", "body", "consumer_key", "token",
                "signature_method", "placement", "realm", "timestamp", "nonce", "now",
                "consumer_secret", "token_secret", "rsa_key", "button", "a"}  # fmt: skip
    assert expected <= set(reached), (sorted(expected - set(reached)), reached)
    assert reached.index("request") < reached.index("consumer_secret") < reached.index("button")


def test_the_permalink_of_a_plaintext_request_holds_no_key(
    browser: Any, server: RunningServer
) -> None:
    # A PLAINTEXT signature is the key (RFC 5849 3.4.4): the link keeps the request without it.
    from oauth_debug import Credentials, HttpRequest, sign_at

    trace = sign_at(
        HttpRequest("GET", "https://api.example.com/v1/items?q=1"),
        Credentials("pk", "Zq9#SECRET-c", token="tk", token_secret="Tk7#SECRET-t"),
        timestamp=1700000000, nonce="n", signature_method="PLAINTEXT", placement="query",
    )  # fmt: skip
    assert trace.signed_request is not None
    browser.get(server.url + "/")
    _paste(browser, "request", f"curl '{trace.signed_request.url}'")
    _wait(browser, _result_has(".diagnosis"))
    link = browser.current_url
    assert "request=" in link.split("#", 1)[1]
    assert "SECRET" not in link and "%2523" not in link
    assert "oauth_signature%3D****" in link or "oauth_signature=****" in link
