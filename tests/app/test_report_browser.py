"""The annual report in a real headless browser: the statutory_guarantee_90 report and the
roadmap scenario's report, opened from file:// in Debian's Chromium (Playwright), render
their charts without a JavaScript error, and show their benchmarks (the 90% guarantee met
at 90.000, and its VAT impact assessment) and the roadmap's sections. Screenshots go to
test-output/screenshots/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simulator.analysis import build_report
from simulator.scenario import load_scenario

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
#: scenario -> (least number of plotly charts, texts that must be visible)
REPORTS = {
    "statutory_guarantee_90": (2, ["90.000", "Reproduce this report", "Data edition",
                                   "Regional impact: VAT: yield +5%"]),
    "roadmap_income_tax_2030": (6, ["The roadmap", "Cumulative gain or loss against no change",
                                    "Outcome benchmarks", "Risk: resources per head"]),
}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("FISCALSIM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} not found")
        pytest.skip(f"{CHROMIUM} not found; apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("name", list(REPORTS))
def test_report_renders(browser, tmp_path, name):
    least, texts = REPORTS[name]
    path = tmp_path / f"{name}.html"
    path.write_text(build_report(load_scenario(ROOT / "scenarios" / f"{name}.yaml")),
                    encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_selector(".js-plotly-plot .main-svg", state="visible", timeout=30_000)
        assert page.locator(".js-plotly-plot").count() >= least
        body = page.locator("body").inner_text()
        for text in texts:
            assert text in body, text
        # the guarantee row: met, at the precision compared
        if name == "statutory_guarantee_90":
            row = page.locator("table.bench tr", has_text="Lowest resources per head, index")
            assert "90.000" in row.inner_text() and "yes" in row.inner_text()
            # its declared impact assessment: a visible section with a row per region
            section = page.locator("section#impact-1")
            assert section.is_visible() and section.locator("tbody tr").count() == 12
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"report_{name}.png"), full_page=True)
        assert not errors, errors
    finally:
        page.close()
