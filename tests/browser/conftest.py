"""The browser tests' set-up: the club served live on 127.0.0.1, and a real Chromium to drive it.

The app is the test app's twin on the same test database (so the suite's per-test cleaning
applies), served by werkzeug's ``make_server`` in a thread on a free port, with CSRF on as in
production. Selenium drives the system's Chromium through the system's chromedriver
(Debian: ``chromium chromium-driver``); Selenium Manager is never asked to find or download a
driver (``Service(executable_path=…)``, ``SE_AVOID_STATS=true``), so the tests reach nothing but
127.0.0.1. Without a browser every test here is skipped, saying why.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("CLUB_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CLUB_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"  # axe-core, MPL-2.0; a test tool, never served
PHONE_WIDTH = 390

os.environ["SE_AVOID_STATS"] = "true"  # Selenium Manager must not report usage to the internet


def _why_no_browser() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -r requirements-dev.lock)"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.exists(path) or shutil.which(path)):
            return f"no browser: {path} is missing (Debian: apt-get install chromium chromium-driver)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _why_no_browser()
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.browser)
            if reason and os.environ.get("CLUB_REQUIRE_BROWSER"):  # CI (.ci/run): a missing browser fails the run
                raise pytest.UsageError(f"CLUB_REQUIRE_BROWSER is set, but {reason}")
            if reason:
                item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


def pytest_terminal_summary(terminalreporter):
    reason = _why_no_browser()
    if reason:
        terminalreporter.write_line(f"browser tests (tests/browser/) skipped: {reason}", yellow=True)


@pytest.fixture(scope="session")
def live_app(app, tmp_path_factory):
    """A second app on the test database, for serving to a browser at http://127.0.0.1:<port>."""
    from werkzeug.serving import make_server

    from club import create_app

    server_holder: dict = {}
    live = create_app({
        "TESTING": True,
        "CLUB_ENV": "testing",
        "SECRET_KEY": "browser-test-secret-key",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "WTF_CSRF_ENABLED": True,
        "MAIL_BACKEND": "outbox",
        "MAIL_OUTBOX_DIR": app.config["MAIL_OUTBOX_DIR"],
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("browser-uploads")),
        "STRIPE_SECRET_KEY": "",
        "STRIPE_WEBHOOK_SECRET": "",
        "PUBLIC_URL": "http://127.0.0.1",  # replaced below, once the port is known
    })
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request in the test output
    server = make_server("127.0.0.1", 0, live, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    live.config["PUBLIC_URL"] = base
    live.config["BASE_URL"] = base
    server_holder["server"] = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live.base_url = base
    yield live
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def live(live_app):
    """The live app with the demo club in an emptied database (the suite's cleaning runs first)."""
    from club.demo import seed

    with live_app.app_context():
        seed()
    return live_app


def _options(phone: bool):
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--disable-extensions",
                "--disable-domain-reliability", "--metrics-recording-only", "--no-pings",
                "--window-size=1280,900"):
        options.add_argument(arg)
    if phone:  # headless Chromium refuses windows under 500 px; emulate a phone's viewport instead
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": PHONE_WIDTH, "height": 844, "pixelRatio": 1.0}})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return options


def _driver(phone: bool):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    service = Service(executable_path=CHROMEDRIVER)  # never Selenium Manager
    driver = webdriver.Chrome(service=service, options=_options(phone))
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def browser():
    """Chromium at 1280 px."""
    driver = _driver(phone=False)
    yield driver
    driver.quit()


@pytest.fixture
def phone():
    """Chromium emulating a 390 px wide phone."""
    driver = _driver(phone=True)
    yield driver
    driver.quit()


# --- What every page must satisfy -------------------------------------------------------------

def requests_made(driver) -> list[str]:
    """Every URL the browser asked for since the last call (Chrome's performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def outside_requests(driver) -> list[str]:
    """Requests that left 127.0.0.1: from the performance log and from ``performance.getEntries()``."""
    urls = requests_made(driver)
    urls += driver.execute_script("return performance.getEntries().map(e => e.name)"
                                  ".filter(n => /^[a-z]+:/.test(n));")
    return sorted({u for u in urls if not _local(u)})


def _local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    return parts.hostname == "127.0.0.1"


def console_errors(driver, page_url: str, expected_status: int = 200) -> list[str]:
    """Console errors; the page's own non-200 status (a 403 page visited on purpose) is not one."""
    errors = []
    for entry in driver.get_log("browser"):
        if entry["level"] != "SEVERE":
            continue
        message = entry["message"]
        if expected_status != 200 and message.startswith(page_url) and "Failed to load resource" in message:
            continue
        errors.append(message)
    return errors


def horizontal_overflow(driver) -> int:
    """How far the page is wider than its viewport, in CSS pixels (0 is right)."""
    return driver.execute_script(
        "return Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth);")


def axe_violations(driver, impacts=("serious", "critical")) -> list[str]:
    """axe-core's serious and critical violations on the current page, one line each."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));")
    lines = []
    for violation in result:
        if violation.get("impact") in impacts:
            targets = ", ".join(" ".join(n.get("target", [])) for n in violation.get("nodes", [])[:5])
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines


def sign_in(driver, base: str, email: str, password: str | None = None) -> None:
    from selenium.webdriver.common.by import By

    from club.core.demo import DEMO_PASSWORD

    driver.get(base + "/login")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(password or DEMO_PASSWORD)
    submit_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "/login" not in driver.current_url.split("?")[0], f"sign-in failed for {email}"


def submit_and_wait(driver, button) -> None:
    """Click a submit button and wait until the next page has replaced this one."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.__before_submit = true;")  # gone once the next page has loaded
    button.click()
    WebDriverWait(driver, 15).until(lambda d: d.execute_script(
        "return !window.__before_submit && document.readyState === 'complete';"))
