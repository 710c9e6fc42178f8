"""Three users' journeys end to end in a real headless browser, at 1440 and 390 px.

- commission: build a reform on Explore -> compare it with the status quo ->
  download the tables (Excel) -> the annual report;
- advocate: write a scenario with a typo in the editor -> fix it -> open it in
  Explore -> share the link -> reopen it in a fresh browser context (a new
  session, nothing stored) and find the same headline numbers;
- teacher: a real system's rules (Canada's preset keeps its own mechanism) ->
  Learn's formulas with their numbers.

Every step fails on an exception box, a clipped table (a grid or table cell
outside its container or the window; at 1440 px also a grid whose columns do
not all fit), overlapping chart text (titles, axis titles, tick labels,
annotations), a cut-off formula, or a console error.  Screenshots of each step
go to ``test-output/screenshots/journey_*``.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from test_browser import ROOT, SCREENSHOTS, _settle, app_url, browser  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

WIDTHS = [1440, 390]
DOWNLOADS = ROOT / "test-output" / "downloads"
#: Streamlit's own client asks for these under a page's path (/compare/_stcore/...) before
#: it finds the server root; the 404s are the framework's, not the app's.
KNOWN_CONSOLE = re.compile(r"Failed to load resource: the server responded with a status of 404")
KNOWN_URLS = re.compile(r"/_stcore/(health|host-config)$")

CHECKS = """
() => {
  const out = {exceptions: [], clipped: [], overlaps: [], formulas: []};
  const box = e => e.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  const wide = vw >= 1000;
  const visible = e => { const b = box(e); return b.width > 0 && b.height > 0; };
  const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  document.querySelectorAll('[data-testid="stException"]').forEach(e =>
    out.exceptions.push(e.innerText.slice(0, 300)));
  document.querySelectorAll('[data-testid="stDataFrame"]').forEach((el, i) => {
    if (!visible(el)) return;
    const b = box(el);
    const parent = el.parentElement.closest('[data-testid="stVerticalBlock"]');
    const pb = parent ? box(parent) : {left: 0, right: vw};
    const scroller = el.querySelector('.dvn-scroller');
    const hidden = scroller ? scroller.scrollWidth - scroller.clientWidth : 0;
    const keyed = el.closest('[class*="st-key-"]');
    const key = keyed ? [...keyed.classList].find(c => c.startsWith('st-key-')).slice(7) : null;
    const outside = b.right > vw + 1 || b.right > pb.right + 1 || b.left < pb.left - 1;
    if (outside || (wide && hidden > 2))
      out.clipped.push({grid: i, key, right: Math.round(b.right), container: Math.round(pb.right),
                        hiddenColumnsPx: hidden, scrollsInside: !outside});
  });
  document.querySelectorAll('[data-testid="stMain"] table').forEach((t, i) => {
    if (t.closest('[data-testid="stDataFrame"]') || !visible(t)) return;
    // a cell is clipped when it lies outside the block and no scrolling box holds it
    // (on a phone a wide table may scroll sideways; at 1440 px it must fit)
    let host = t;
    while (host && host !== document.body && !scrolls(host)) host = host.parentElement;
    const scrollable = host && host !== document.body;
    const limit = Math.min(vw, box(t.parentElement).right);
    t.querySelectorAll('th, td').forEach(c => {
      const b = box(c);
      if (b.width > 0 && b.right > limit + 1 && (wide || !scrollable))
        out.clipped.push({table: i, cell: c.innerText.slice(0, 40), right: Math.round(b.right),
                          limit: Math.round(limit), scrollable});
    });
  });
  document.querySelectorAll('.js-plotly-plot').forEach((plot, p) => {
    if (!visible(plot)) return;
    const texts = [...plot.querySelectorAll(
      '.gtitle, .g-xtitle text, .g-ytitle text, .xtick text, .ytick text, .annotation-text')]
      .filter(t => t.textContent.trim() && visible(t));
    const frame = box(plot);
    texts.forEach(t => { const b = box(t);  // text running past the chart's edge is cut off
      if (b.left < frame.left - 2 || b.right > frame.right + 2)
        out.overlaps.push({chart: p, cutOff: t.textContent.slice(0, 40)}); });
    for (let a = 0; a < texts.length; a++) for (let c = a + 1; c < texts.length; c++) {
      const A = box(texts[a]), B = box(texts[c]);
      const ox = Math.min(A.right, B.right) - Math.max(A.left, B.left);
      const oy = Math.min(A.bottom, B.bottom) - Math.max(A.top, B.top);
      if (ox > 2 && oy > 2)
        out.overlaps.push({chart: p, a: texts[a].textContent.slice(0, 30),
                           b: texts[c].textContent.slice(0, 30)});
    }
  });
  document.querySelectorAll('.katex-display').forEach((k, i) => {
    if (!visible(k)) return;
    let host = k; while (host && !scrolls(host) && host !== document.body) host = host.parentElement;
    const scrollable = host && host !== document.body;
    const limit = Math.min(vw, box(k.parentElement).right);
    const inner = k.querySelector('.katex-html') || k;
    if (box(inner).right > limit + 1 && !scrollable)
      out.formulas.push({formula: i, right: Math.round(box(inner).right), limit: Math.round(limit)});
  });
  return out;
}
"""


class Journey:
    """One browser context (a fresh session) at one width, checking every step."""

    def __init__(self, browser, url: str, name: str, width: int):
        self.context = browser.new_context(viewport={"width": width, "height": 900},
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.url, self.name, self.width, self.step = url, name, width, 0
        self.console: list[str] = []
        self.page.on("console", self._console)
        self.page.on("response", self._response)
        self.failed_urls: list[str] = []

    def _console(self, message) -> None:
        if message.type == "error":
            self.console.append(message.text)

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failed_urls.append(f"{response.status} {response.url}")

    def open(self, path: str = "") -> None:
        self.page.goto(f"{self.url}/{path}", wait_until="domcontentloaded")
        _settle(self.page)

    def check(self, label: str, wide: tuple[str, ...] = ()) -> None:
        """``wide``: keys of the containers of grids with a column per category, mission or indicator (a
        dozen or more) that scroll sideways inside their own frame by design."""
        page = self.page
        _settle(page)
        page.wait_for_timeout(800)  # charts and grids draw after the script ends
        found = page.evaluate(CHECKS)
        self.step += 1
        self.screenshot(f"{self.step:02d}_{label}")
        assert not found["exceptions"], (label, found["exceptions"])
        clipped = [c for c in found["clipped"]
                   if not (c.get("key") in wide and c.get("scrollsInside"))]
        assert not clipped, (label, self.width, clipped)
        assert not found["overlaps"], (label, self.width, found["overlaps"])
        assert not found["formulas"], (label, self.width, found["formulas"])
        unexplained = [u for u in self.failed_urls if not KNOWN_URLS.search(u)]
        assert not unexplained, (label, unexplained)
        errors = [m for m in self.console if not KNOWN_CONSOLE.search(m)]
        assert not errors, (label, errors)

    def screenshot(self, label: str) -> None:
        """The whole page: Streamlit scrolls inside its main block, so the window is made
        as tall as that block for the picture (same width), then put back."""
        height = self.page.evaluate("""() => {
            const main = document.querySelector('[data-testid="stMain"]');
            return main ? main.scrollHeight : document.body.scrollHeight; }""")
        self.page.set_viewport_size({"width": self.width,
                                     "height": max(900, min(int(height) + 40, 12_000))})
        self.page.wait_for_timeout(600)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"journey_{self.name}_{self.width}_"
                                                    f"{label}.png"), full_page=True)
        self.page.set_viewport_size({"width": self.width, "height": 900})

    def metrics(self, count: int = 6) -> list[str]:
        """The headline figures (Explore shows six cards), once all are drawn."""
        self.page.wait_for_function(
            f"() => document.querySelectorAll('[data-testid=\"stMetricValue\"]').length "
            f">= {count}", timeout=60_000)
        _settle(self.page)
        return self.page.locator('[data-testid="stMetricValue"]').all_inner_texts()

    def slider(self, label: str, presses: int, key: str = "ArrowLeft") -> None:
        thumb = (self.page.locator('[data-testid="stSlider"]').filter(has_text=label)
                 .locator('input[type="range"]').first)
        thumb.focus()
        for _ in range(presses):
            thumb.press(key)
        _settle(self.page)

    def click(self, name: str) -> None:
        self.page.get_by_role("button", name=name).first.click()
        self.page.wait_for_timeout(300)
        _settle(self.page)

    def download(self, name: str) -> bytes:
        with self.page.expect_download(timeout=120_000) as info:
            self.page.get_by_role("button", name=name).first.click()
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        target = DOWNLOADS / f"{self.name}_{self.width}_{info.value.suggested_filename}"
        info.value.save_as(str(target))
        return target.read_bytes()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def journey(app_url, browser, request):  # noqa: F811 (the fixtures imported above)
    made = []

    def start(name: str, width: int) -> Journey:
        made.append(Journey(browser, app_url, name, width))
        return made[-1]

    yield start
    for j in made:
        j.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_commission_builds_compares_downloads_and_reports(journey, width):
    j = journey("commission", width)
    j.open()
    j.check("explore")
    before = j.metrics()
    j.slider("Equalisation rate", 5)  # 0.75 -> 0.50: half the gap
    after = j.metrics()
    assert after != before  # the figures follow the widget
    j.check("explore_half_gap")
    name = j.page.get_by_label("Name for your scenario")
    name.fill("commission plan")
    name.press("Enter")
    _settle(j.page)
    j.click("Add to comparison")
    j.page.wait_for_url(re.compile(r"/compare"), timeout=60_000)
    j.page.get_by_text("★ commission plan (yours)").first.wait_for(timeout=60_000)
    j.page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    j.check("compare")
    chosen = j.page.locator('[data-testid="stMultiSelect"]').first.inner_text()
    assert "Status quo" in chosen and "commission plan" in chosen  # names in words
    workbook = j.download("Tables (Excel)")
    names = zipfile.ZipFile(io.BytesIO(workbook)).namelist()
    assert "xl/workbook.xml" in names
    sheets = zipfile.ZipFile(io.BytesIO(workbook)).read("xl/workbook.xml").decode()
    assert 'name="about"' in sheets and 'name="scenario"' in sheets
    report = j.download("Report (HTML)").decode("utf-8")
    assert "<html" in report.lower() and "North East" in report  # the settlement by region
    j.check("compare_downloaded")


ADVOCATE_TEXT = """\
name: advocates_reform
description: Income tax devolved, 60% of each region's gap to the average filled.
dataset: {name: uk_itl1, options: {north_sea: geographic}}
year: 2024-25
devolution: {income_tax: 1.0}
block_grant: identifiable_expenditure
block_grant_adjustment: per_capita
steps:
  - type: {step}
    rate: 0.6
    standard: national_average
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_advocate_writes_fixes_shares_and_the_link_reopens_the_same(journey, width):
    j = journey("advocate", width)
    j.open("editor")
    box = j.page.locator("textarea").first
    box.fill(ADVOCATE_TEXT.replace("{step}", "gap_fil"))
    box.press("Control+Enter")
    _settle(j.page)
    j.page.get_by_text("did you mean", exact=False).first.wait_for(timeout=60_000)
    assert j.page.get_by_text("gap_fill", exact=False).first.is_visible()
    j.check("typo")
    box.fill(ADVOCATE_TEXT.replace("{step}", "gap_fill"))
    box.press("Control+Enter")
    _settle(j.page)
    j.page.get_by_text("Valid:", exact=False).first.wait_for(timeout=60_000)
    j.check("fixed")
    j.click("Open in Explore")
    j.page.wait_for_url(re.compile(r"s=v1\."), timeout=60_000)
    description = "Income tax devolved, 60% of each region's gap"
    j.page.get_by_text(description).first.wait_for(timeout=60_000)
    shown = j.metrics()
    link = j.page.url
    j.check("explore")
    # the link, opened in a fresh context: a new session with nothing stored
    other = journey("advocate_reopened", width)
    other.page.goto(link, wait_until="domcontentloaded")
    _settle(other.page)
    assert other.metrics() == shown
    assert other.page.get_by_text(description).first.is_visible()
    other.check("reopened")


@pytest.mark.parametrize("width", WIDTHS)
def test_teacher_real_system_then_learn_formulas_with_numbers(journey, width):
    j = journey("teacher", width)
    j.open("?scenario=canada_equalization_2025_26")
    j.page.get_by_text("equalises by its own steps", exact=False).first.wait_for(timeout=60_000)
    assert j.page.locator('[data-testid="stSlider"]').filter(
        has_text="Equalisation rate").count() == 0
    j.check("canada_rules")
    j.open("learn")
    j.page.locator(".katex").first.wait_for(timeout=60_000)
    formulas = j.page.locator(".katex-display:visible")
    assert formulas.count() >= 3
    text = " ".join(formulas.all_inner_texts())
    assert re.search(r"\d", text), text  # the formulas carry the numbers, not only symbols
    j.check("learn_formulas")
    j.page.get_by_role("tab", name=re.compile("Real systems")).click()
    _settle(j.page)
    j.page.get_by_text("Published against simulated").wait_for(timeout=60_000)
    j.check("learn_real_systems")


def test_the_checks_find_a_clipped_table_overlapping_text_and_an_exception_box(browser):  # noqa: F811
    """The page checks above can fail: a table cut off at the window's edge, two tick
    labels on top of each other, an axis title past the chart's edge and an exception box
    are each reported."""
    page = browser.new_page(viewport={"width": 390, "height": 600})
    try:
        page.set_content("""
          <div data-testid="stMain"><div style="width: 300px; overflow: hidden">
            <table style="width: 700px"><tr><td>Region</td><td>Far right value</td></tr></table>
          </div>
          <div data-testid="stException">Traceback</div>
          <div class="js-plotly-plot" style="width: 300px"><svg width="300" height="100">
            <g class="xtick"><text x="10" y="50">10,000</text></g>
            <g class="xtick"><text x="20" y="50">15,000</text></g>
            <g class="g-xtitle"><text x="200" y="90">an axis title running past the edge</text>
            </g></svg></div></div>""")
        found = page.evaluate(CHECKS)
    finally:
        page.close()
    assert any(c.get("cell") == "Far right value" for c in found["clipped"])
    assert {"chart": 0, "a": "10,000", "b": "15,000"} in found["overlaps"]
    assert {"chart": 0, "cutOff": "an axis title running past the edge"} in found["overlaps"]
    assert found["exceptions"] == ["Traceback"]


#: Not here: the Need index page, whose tables of 296 authorities hold a column per mission
#: (about 20) and scroll sideways by design (its controls are being reworked separately).
#: Each page: what shows once it is drawn, and the keys of its grids that, like the Need
#: index page's, hold a column per category or indicator and scroll sideways inside their
#: own frame by design (every other grid must show all its columns at 1440 px).
TOUR = {"over_time": (".js-plotly-plot", ()), "data": (".js-plotly-plot", ()),
        "targets": ('[data-testid="stMetric"]', ()), "editor": ("textarea", ()),
        # region x 10 service categories + code, need and assessed spending: 14 columns
        "needs": (".st-key-nd_la_map", ("nd_table_frame",)),
        # the ranked LSOAs (rank, names, ward, rural-urban, residents, each index, fund,
        # probability) and Local Trust's left-behind wards and LSOAs by place
        "neighbourhoods": (".st-key-nb_map", ("nb_table_frame", "nb_left_behind_frame")),
        # rank, tax, score and each of the 11 criteria with its unit: 14 columns
        "taxes": (".st-key-taxes_impact_chart", ("taxes_table_frame",)),
        "income_tax": (".st-key-it_incidence", ())}


@pytest.mark.parametrize("width", WIDTHS)
def test_every_other_page_reads_at_this_width(journey, width):
    """The pages the journeys do not pass through, under the same checks."""
    j = journey("tour", width)
    for path, (selector, wide) in TOUR.items():
        j.open(path)
        j.page.locator(selector).first.wait_for(timeout=90_000)
        if path == "over_time":  # the fan chart and the risk table come last
            j.page.locator('[data-testid="stDataFrame"]').nth(3).wait_for(timeout=90_000)
        j.check(path, wide)
