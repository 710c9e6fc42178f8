"""In a real browser: each page has its own browser title, and the teacher's question
("Canada's, Germany's, Australia's and Switzerland's rules on the UK") draws on Compare
with the countries named and the gains-and-losses chart, without an exception box.

Reuses the server and browser fixtures of ``test_browser.py`` (skips without Chromium)."""

from __future__ import annotations

import pytest

from simulator.presentation.glossary import PAGE_TITLES
from test_browser import _settle, app_url, browser  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

PATHS = {"explore": "", "compare": "compare", "over_time": "over_time",
         "need_index": "need_index", "targets": "targets", "learn": "learn",
         "editor": "editor", "data": "data", "needs": "needs",
         "neighbourhoods": "neighbourhoods", "taxes": "taxes", "income_tax": "income_tax"}


def test_every_page_has_its_own_title(app_url, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    titles = {}
    try:
        for name, path in PATHS.items():
            page.goto(f"{app_url}/{path}", wait_until="domcontentloaded")
            page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
            _settle(page)
            page.wait_for_function("t => document.title === t", arg=PAGE_TITLES[name],
                                   timeout=30_000)
            titles[name] = page.title()
    finally:
        page.close()
    assert titles == PAGE_TITLES
    assert len(set(titles.values())) == len(PATHS)


def test_teacher_compares_real_systems_on_the_uk(app_url, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{app_url}/compare?scenarios=canada_rules_on_uk,germany_rules_on_uk,"
                  "australia_rules_on_uk,switzerland_rules_on_uk", wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot", state="visible", timeout=60_000)
        _settle(page)
        errors = page.locator('[data-testid="stException"]')
        assert errors.count() == 0, errors.first.inner_text()
        body = page.locator('[data-testid="stMain"]').inner_text()
        for country in ("Canada", "Germany", "Australia", "Switzerland"):
            assert f"Under {country}'s rules on the UK" in body
        assert "Who gains and who loses" in page.locator(".js-plotly-plot").first.inner_text()
        assert "devolved tax" not in body and "is not in the dataset" not in body
    finally:
        page.close()
