"""Every page of the URL map, as each role, in a real Chromium at phone width (390 px).

For each role the test signs in, visits every parameter-free GET route of the URL map and every
page reachable by the links that role is shown (so the pages with ids: an event, an application,
a member's file), and on each checks: no request leaves 127.0.0.1, no console error, no
horizontal overflow at 390 px, and axe-core finds no serious or critical violation.
"""
from __future__ import annotations

from collections import deque
from urllib.parse import urlsplit

import pytest
selenium = pytest.importorskip("selenium", reason="browser tests skipped: selenium is not installed")
from selenium.webdriver.common.by import By  # noqa: E402

from tests.browser.conftest import (axe_violations, console_errors, horizontal_overflow, outside_requests,
                                    sign_in)

# Not pages: downloads, feeds, images, the health check, and links that act or sign out.
_NOT_PAGES = (".ics", ".csv", ".json", "/export", "/photo", "/healthz", "/static/", "/logout", "/calendar/")
_MAX_PAGES = 80


def _parameter_free_routes(app) -> list[str]:
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(_NOT_PAGES)
                  and not any(part in rule.rule for part in _NOT_PAGES))


def _links(driver, base: str) -> list[str]:
    hrefs = driver.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.href);")
    found = []
    for href in hrefs:
        url = href.split("#")[0]
        if url.startswith(base) and not any(part in url for part in _NOT_PAGES):
            found.append(url[len(base):] or "/")
    return found


def _route(app, path: str) -> str:
    from werkzeug.exceptions import HTTPException

    try:
        endpoint, _ = app.url_map.bind("127.0.0.1").match(urlsplit(path).path, method="GET")
    except HTTPException:
        return urlsplit(path).path
    return endpoint


def _status(driver) -> int:
    return driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0]; return n && n.responseStatus || 200;")


@pytest.mark.parametrize("role,email", [
    ("visitor", None),
    ("member", "member@demo.club"),
    ("curator", "curator@demo.club"),
    ("admin", "admin@demo.club"),
])
def test_every_page_as_each_role_is_local_quiet_fits_a_phone_and_passes_axe(live, phone, role, email):
    base = live.base_url
    if email:
        sign_in(phone, base, email)
    queue = deque(_parameter_free_routes(live) + ["/"])
    seen: set[str] = set()
    problems: list[str] = []
    while queue and len(seen) < _MAX_PAGES:
        path = queue.popleft()
        key = _route(live, path)  # one page per route: /admin/billing/1 stands for every /admin/billing/<id>
        if key in seen:
            continue
        seen.add(key)
        phone.get_log("browser"), phone.get_log("performance")  # start each page with empty logs
        phone.get(base + path)
        status = _status(phone)
        here = phone.current_url
        for url in outside_requests(phone):
            problems.append(f"{path}: request left 127.0.0.1: {url}")
        for error in console_errors(phone, here, status):
            problems.append(f"{path}: console error: {error}")
        overflow = horizontal_overflow(phone)
        if overflow:
            problems.append(f"{path}: {overflow} px wider than the 390 px screen")
        for violation in axe_violations(phone):
            problems.append(f"{path}: axe: {violation}")
        if status == 200:
            queue.extend(_links(phone, base))
    assert len(seen) >= 8, f"only {len(seen)} pages reached as {role}"
    assert not problems, f"{len(problems)} problems as {role} on {len(seen)} pages:\n" + "\n".join(problems)
