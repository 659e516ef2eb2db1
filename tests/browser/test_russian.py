"""The club in Russian in a real Chromium at phone width: Russian's longer words must not push any
page wider than the 390 px screen, and every page the role reaches must really be in Russian.

Each role chooses Russian with the footer's switcher (as a person would), then walks every
parameter-free page of the URL map and the pages linked from them, one page per route, like
test_pages.py does in English.
"""
from __future__ import annotations

from collections import deque

import pytest
selenium = pytest.importorskip("selenium", reason="browser tests skipped: selenium is not installed")
from selenium.webdriver.common.by import By  # noqa: E402

from tests.browser.conftest import horizontal_overflow, sign_in, submit_and_wait  # noqa: E402
from tests.browser.test_pages import _MAX_PAGES, _links, _parameter_free_routes, _route, _status  # noqa: E402


def _choose_russian(driver, base: str) -> None:
    driver.get(base + "/")
    submit_and_wait(driver, driver.find_element(By.CSS_SELECTOR, ".language-switch button[value=ru]"))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru"


@pytest.mark.parametrize("role,email", [
    ("visitor", None),
    ("member", "member@demo.club"),
    ("curator", "curator@demo.club"),
    ("admin", "admin@demo.club"),
])
def test_every_page_in_russian_fits_a_phone(live, phone, role, email):
    base = live.base_url
    _choose_russian(phone, base)
    if email:
        sign_in(phone, base, email)
    queue = deque(_parameter_free_routes(live) + ["/"])
    seen: set[str] = set()
    problems: list[str] = []
    while queue and len(seen) < _MAX_PAGES:
        path = queue.popleft()
        key = _route(live, path)
        if key in seen:
            continue
        seen.add(key)
        phone.get(base + path)
        if _status(phone) != 200:
            continue
        if phone.find_element(By.TAG_NAME, "html").get_attribute("lang") != "ru":
            problems.append(f"{path}: not in Russian")
        overflow = horizontal_overflow(phone)
        if overflow:
            problems.append(f"{path}: {overflow} px wider than the 390 px screen in Russian")
        queue.extend(_links(phone, base))
    assert len(seen) >= 4, f"only {len(seen)} pages reached as {role}"
    assert not problems, f"{len(problems)} problems as {role} on {len(seen)} pages:\n" + "\n".join(problems)
