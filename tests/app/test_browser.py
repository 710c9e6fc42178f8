"""The app in a real headless browser: every page renders, no exception box.

Starts ``streamlit run streamlit_app.py`` on a free localhost port, opens each
page in Debian's Chromium through Playwright (never a downloaded browser) and
saves a screenshot per page under ``test-output/screenshots/``.

Without /usr/bin/chromium the test skips (install it with
``apt-get install chromium``), unless FISCALSIM_REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
STARTUP_SECONDS = 90
#: screenshot name -> (url path and query, CSS selector of its main element: plotly
#: charts, the editor box, or the solver's figures)
PAGES = {
    "explore": ("", ".js-plotly-plot"),
    "explore_local_authorities": ("?scenario=england_la_targeted_fund", ".js-plotly-plot"),
    "compare": ("compare", ".js-plotly-plot"),
    "over_time": ("over_time", ".js-plotly-plot"),
    "need_index": ("need_index", ".js-plotly-plot"),
    "need_index_boundaries": ("need_index?map=Boundaries&measure=health_index",
                              ".js-plotly-plot"),
    "needs": ("needs", ".js-plotly-plot"),
    "targets": ("targets", '[data-testid="stMetric"]'),
    "learn": ("learn", ".js-plotly-plot"),
    "learn_real_systems": ("learn?system=canada_equalization_2025_26", ".js-plotly-plot"),
    "editor": ("editor", "textarea"),
    "data": ("data", ".js-plotly-plot"),
    "taxes": ("taxes", ".js-plotly-plot"),
    "neighbourhoods": ("neighbourhoods", ".js-plotly-plot"),
}
#: maps whose regions must all be drawn: screenshot name -> least number of areas
MAPS = {"explore": 12, "explore_local_authorities": 296, "need_index": 296,
        "need_index_boundaries": 296, "needs": 12 + 296,
        "neighbourhoods": 12}  # North East's 12 authorities


def _missing(reason: str) -> None:
    message = f"{reason}; install it with `apt-get install chromium` to run the browser tests"
    if os.environ.get("FISCALSIM_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " (FISCALSIM_REQUIRE_BROWSER=1 makes this a failure)")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("localhost", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} not found")
    port = _free_port()
    log_path = ROOT / "test-output" / "streamlit-browser-test.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent))
    command = ([streamlit] if streamlit else [sys.executable, "-m", "streamlit"]) + [
        "run", "streamlit_app.py", "--server.address", "localhost", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy after {STARTUP_SECONDS} s:\n"
                            f"{log_path.read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api") if os.environ.get(
        "FISCALSIM_REQUIRE_BROWSER") != "1" else __import__("playwright.sync_api",
                                                            fromlist=["sync_playwright"])
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _settle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           timeout=60_000)
    page.wait_for_load_state("networkidle")


def _screenshot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main block, so the window
    is first made as tall as that block's content."""
    height = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]');
        return main ? main.scrollHeight : document.body.scrollHeight; }""")
    page.set_viewport_size({"width": 1400, "height": max(1000, min(int(height) + 40, 10_000))})
    page.wait_for_timeout(1000)  # plotly redraws at the new size
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders(app_url, browser, name):
    path, selector = PAGES[name]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{app_url}/{path}", wait_until="domcontentloaded")
        page.wait_for_selector(selector, state="visible", timeout=60_000)
        _settle(page)
        if name in MAPS:  # the choropleth drew its regions from the GeoJSON
            page.wait_for_selector(".choroplethlayer path", timeout=30_000)
            assert page.locator(".choroplethlayer path").count() >= MAPS[name]
        if name == "learn_real_systems":  # the real systems' tab, with its formulas
            page.get_by_role("tab", name="Real systems").click()
            page.get_by_text("Published against simulated").wait_for(timeout=30_000)
            assert page.locator(".katex:visible").count() >= 5
        _screenshot(page, name)
        errors = page.locator('[data-testid="stException"]')
        assert errors.count() == 0, errors.first.inner_text()
        assert page.locator(selector).count() >= 1
    finally:
        page.close()
