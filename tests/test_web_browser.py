"""The web interface in a real browser: Debian's headless Chromium driven by selenium, one browser
session for all tests (and one more with JavaScript off), axe-core run in every view.

Skipped with a reason when Chromium is not installed, except where SEARCHKIT_BROWSER_TESTS=required
(CI sets it): there a missing browser fails the run. Set SEARCHKIT_SCREENSHOT=PATH to save the
README's screenshot of the results page there.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from searchkit import Index
from searchkit.render import plain_citation

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
REQUIRED = os.environ.get("SEARCHKIT_BROWSER_TESTS") == "required"

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    if REQUIRED:
        raise RuntimeError(
            "SEARCHKIT_BROWSER_TESTS=required but /usr/bin/chromium or /usr/bin/chromedriver is missing;"
            " install them with: apt-get install -y chromium chromium-driver"
        )
    pytest.skip(
        "no Chromium: apt-get install -y chromium chromium-driver to run the browser tests",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run"
).split()


@pytest.fixture(scope="module")
def server(bundled_index: Path) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread of this process."""
    import uvicorn

    from searchkit.web import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(bundled_index), log_level="warning", http="h11"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def make_browser(javascript: bool) -> tuple[WebDriver, str]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="searchkit-chromium-")
    for flag in [*FLAGS, f"--user-data-dir={profile}", "--window-size=1280,900"]:
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(0)
    return driver, profile


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[WebDriver]:
    driver, profile = make_browser(javascript=True)
    origin = server
    # axe-core in every page from the start: sent to the browser once, not once per view.
    driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": AXE.read_text(encoding="utf-8")}
    )
    driver.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def no_js_browser(server: str) -> Iterator[WebDriver]:
    driver, profile = make_browser(javascript=False)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait_for(driver: WebDriver, condition: Any, timeout: float = 10) -> Any:
    # htmx swaps the page under our feet: an element found a moment ago may be gone; look again.
    waiting = WebDriverWait(
        driver, timeout, poll_frequency=0.05, ignored_exceptions=[StaleElementReferenceException]
    )
    return waiting.until(condition)


def summary(driver: WebDriver) -> str:
    return str(driver.find_element(By.ID, "summary").text)


def wait_summary(driver: WebDriver, expected: str) -> None:
    wait_for(driver, lambda d: d.find_elements(By.ID, "summary") and summary(d) == expected)


def axe_violations(driver: WebDriver) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands (WCAG 2.x A and AA, and best practices)."""
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)),"
        " e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));"
    )
    violations: list[dict[str, Any]] = json.loads(result)
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']}: {v['help']} at {[n.get('target') for n in v.get('nodes', [])][:3]}" for v in violations
    )


def test_type_a_query_press_enter_then_facet_remove_page_read_and_go_back(
    browser: WebDriver, server: str, bundled_index: Path
) -> None:
    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    assert browser.switch_to.active_element == box  # the empty search page puts the cursor in the box
    box.send_keys("coalition" + Keys.ENTER)
    wait_summary(browser, "5 of 5 paragraphs")
    assert "q=coalition" in browser.current_url
    marks = [m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, "ol.hits mark")]
    assert marks and all(m.startswith("coalition") for m in marks)

    # A facet narrows the search; the active filter is shown and removes it again.
    browser.find_element(By.PARTIAL_LINK_TEXT, "L. D. Trotsky").click()
    wait_summary(browser, "1 of 1 paragraph")
    assert "speaker=L.+D.+Trotsky" in browser.current_url
    browser.find_element(By.CSS_SELECTOR, "section.active a.remove").click()
    wait_summary(browser, "5 of 5 paragraphs")
    assert "speaker" not in browser.current_url

    # Paging, and the back button.
    browser.get(server + "/search?q=coalition&n=2")
    browser.find_element(By.CSS_SELECTOR, "nav.pages a[rel=next]").click()
    wait_summary(browser, "3–4 of 5 paragraphs")
    assert "page=2" in browser.current_url
    browser.back()
    wait_summary(browser, "2 of 5 paragraphs")
    assert "page=" not in browser.current_url

    # The reading view: the cited paragraph is marked and scrolled into view; next hit steps on.
    hits = Index(bundled_index).search("coalition", limit=5).hits
    browser.find_elements(By.CSS_SELECTOR, "ol.hits h3 a")[1].click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "article.target"))
    target = browser.find_element(By.CSS_SELECTOR, "article.target")
    assert target.get_attribute("id") == f"p{hits[1].paragraph}"
    assert in_view(browser, target)
    browser.find_element(By.CSS_SELECTOR, "nav.hitnav a[rel=next]").click()
    wait_for(browser, lambda d: f"id={hits[2].id.replace(':', '%3A')}" in d.current_url)
    wait_for(
        browser,
        lambda d: (
            d.find_element(By.CSS_SELECTOR, "article.target").get_attribute("id") == f"p{hits[2].paragraph}"
        ),
    )
    browser.back()
    wait_for(browser, lambda d: f"id={hits[1].id.replace(':', '%3A')}" in d.current_url)
    browser.back()
    wait_summary(browser, "2 of 5 paragraphs")


def test_options_suggestion_explanation_concordance_export_collection_help(
    browser: WebDriver, server: str, bundled_index: Path
) -> None:
    from selenium.webdriver.support.ui import Select

    from searchkit.kwic import kwic
    from searchkit.render import json_hits

    # Filters and options: Old Style dates, newest first, 20 a page, any-words mode.
    browser.get(server + "/search?q=coalition")
    browser.find_element(By.CSS_SELECTOR, "details.options summary").click()
    browser.find_element(By.ID, "from").send_keys("1917-10-20")
    browser.find_element(By.ID, "to").send_keys("1917-10-26")
    Select(browser.find_element(By.ID, "calendar")).select_by_value("julian")
    Select(browser.find_element(By.ID, "sort")).select_by_value("date-desc")
    Select(browser.find_element(By.ID, "n")).select_by_value("20")
    browser.find_element(By.CSS_SELECTOR, "details.options button[type=submit]").click()
    wait_summary(browser, "1 of 1 paragraph")  # Trotsky's speech, 26 October Old Style
    for part in ("calendar=julian", "sort=date-desc", "n=20", "from=1917-10-20"):
        assert part in browser.current_url
    browser.get(server + "/search?q=coalition")
    browser.find_element(By.CSS_SELECTOR, "details.options summary").click()
    browser.find_element(By.ID, "q").clear()
    browser.find_element(By.ID, "q").send_keys("what did Trotsky say about a coalition?")
    browser.find_element(By.ID, "any").click()
    browser.find_element(By.CSS_SELECTOR, "details.options button[type=submit]").click()
    wait_for(browser, lambda d: "any=1" in d.current_url and d.find_elements(By.ID, "summary"))
    expected = Index(bundled_index).search("what did Trotsky say about a coalition?", any_words=True)
    first = browser.find_element(By.CSS_SELECTOR, "ol.hits .cid").text
    assert first == expected.hits[0].id

    # Did you mean, then how the query was understood.
    browser.get(server + "/search?q=coalision")
    browser.find_element(By.CSS_SELECTOR, ".suggestion a").click()
    wait_summary(browser, "5 of 5 paragraphs")
    browser.find_element(By.LINK_TEXT, "How was this understood?").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "section.explain pre"))
    assert browser.find_element(By.CSS_SELECTOR, "section.explain pre").text.startswith("Query: coalition")

    # The concordance, sorted by the right context.
    browser.find_element(By.LINK_TEXT, "Concordance").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "table.kwic tbody tr"))
    browser.find_element(By.LINK_TEXT, "right context").click()
    wait_for(browser, lambda d: "order=right" in d.current_url)
    cites = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "table.kwic tbody tr td:first-child")]
    assert cites == [ln.cite for ln in kwic(bundled_index, "coalition", width=50, sort="right")]

    # The export link gives the CLI's JSON Lines.
    browser.get(server + "/search?q=coalition")
    href = browser.find_element(By.LINK_TEXT, "JSON Lines").get_attribute("href")
    body = browser.execute_async_script(
        "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);",
        href,
    )
    assert body == "".join(f"{line}\n" for line in json_hits(Index(bundled_index).search("coalition").hits))

    # The collection page and the help page, from the site navigation.
    browser.find_element(By.LINK_TEXT, "Collection").click()
    wait_for(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "The collection")
    assert browser.find_element(By.CSS_SELECTOR, "dl.stats dd").text == "9"
    browser.find_element(By.LINK_TEXT, "Help").click()
    wait_for(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Writing a query")
    browser.find_element(By.LINK_TEXT, '"Soviet power"').click()
    wait_summary(browser, "2 of 2 paragraphs")


def in_view(driver: WebDriver, element: Any) -> bool:
    return bool(
        driver.execute_script(
            "const r = arguments[0].getBoundingClientRect();"
            " return r.top >= 0 && r.top < window.innerHeight;",
            element,
        )
    )


def test_copy_citation_copies_the_plain_citation(
    browser: WebDriver, server: str, bundled_index: Path
) -> None:
    hit = Index(bundled_index).search("coalition", limit=1).hits[0]
    browser.get(server + "/search?q=coalition")
    button = browser.find_element(By.CSS_SELECTOR, "ol.hits button.copy")
    assert button.is_displayed()
    button.click()
    status = browser.find_element(By.CSS_SELECTOR, "ol.hits .copied")
    wait_for(browser, lambda d: status.text == "Citation copied")
    copied = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        " navigator.clipboard.readText().then(done, e => done('error: ' + e));"
    )
    assert copied == plain_citation(hit)


def test_everything_works_with_javascript_off(no_js_browser: WebDriver, server: str) -> None:
    d = no_js_browser
    d.get(server + "/")
    box = d.find_element(By.ID, "q")
    box.send_keys("coalition" + Keys.ENTER)
    wait_summary(d, "5 of 5 paragraphs")
    assert not d.find_element(By.CSS_SELECTOR, "ol.hits button.copy").is_displayed()  # nothing to copy with
    d.find_element(By.PARTIAL_LINK_TEXT, "V. I. Lenin").click()
    wait_summary(d, "2 of 2 paragraphs")
    d.find_element(By.CSS_SELECTOR, "section.active a.remove").click()
    wait_summary(d, "5 of 5 paragraphs")
    d.find_element(By.CSS_SELECTOR, "summary").click()  # the filters, in a <details>
    d.find_element(By.ID, "speaker").send_keys("trotsky")
    d.find_element(By.CSS_SELECTOR, "details.options button[type=submit]").click()
    wait_summary(d, "1 of 1 paragraph")
    d.find_elements(By.CSS_SELECTOR, "ol.hits h3 a")[0].click()
    wait_for(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "article.target"))
    assert in_view(d, d.find_element(By.CSS_SELECTOR, "article.target"))
    d.back()
    wait_summary(d, "1 of 1 paragraph")


VIEWS = [
    "/",
    "/search?q=coalition",
    "/search?q=coalition&speaker=lenin&explain=1&n=2",
    "/search?q=coalision",
    "/read?id=lenin-opposition-resolution:6&q=coalition&rank=4",
    "/read?id=alpha-coalition-terms",
    "/kwic?q=coalition&order=left",
    "/collection",
    "/help",
    "/search?q=%28coalition",
    "/nowhere",
]


def test_no_accessibility_violations_in_any_view(browser: WebDriver, server: str) -> None:
    found = {}
    for url in VIEWS:
        browser.get(server + url)
        for details in browser.find_elements(By.CSS_SELECTOR, "details:not([open]) summary"):
            details.click()  # check the filters form too
        violations = axe_violations(browser)
        if violations:
            found[url] = describe(violations)
    assert not found, "\n".join(f"{url}:\n{text}" for url, text in found.items())


def test_readable_at_phone_width(browser: WebDriver, server: str) -> None:
    browser.set_window_size(390, 844)
    try:
        for url in VIEWS[1:2] + VIEWS[4:5] + VIEWS[7:8]:
            browser.get(server + url)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at phone width"
        assert not axe_violations(browser)
    finally:
        browser.set_window_size(1280, 900)


def test_keyboard_reaches_the_page_with_visible_focus(browser: WebDriver, server: str) -> None:
    browser.get(server + "/search?q=coalition")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    first = browser.switch_to.active_element
    assert first.text == "Skip to content" and first.is_displayed()
    first.send_keys(Keys.ENTER)
    for _ in range(4):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        focused = browser.switch_to.active_element
        outline = browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", focused)
        assert outline not in ("none", ""), focused.get_attribute("outerHTML")[:80]


def test_screenshot_of_the_results_page(browser: WebDriver, server: str, tmp_path: Path) -> None:
    browser.set_window_size(1200, 1000)
    browser.get(server + "/search?q=coalition")
    wait_summary(browser, "5 of 5 paragraphs")
    shot = tmp_path / "web.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    target = os.environ.get("SEARCHKIT_SCREENSHOT")
    if target:
        shutil.copyfile(shot, target)
    browser.set_window_size(1280, 900)
