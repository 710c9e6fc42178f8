"""Speed as the user sees it: the app in a real headless browser (Chromium).

Case (e), Explore: ``streamlit run`` on a free port, then in Debian's Chromium
(Playwright, never a downloaded browser):

- first page drawn: from ``goto`` in a fresh browser context (a new session)
  until the script has finished and the charts and headline figures are on
  screen (server already up, its caches cold for this session only);
- run after a widget change: the equalisation-rate slider moved one step with
  the keyboard, until the script has re-run (Streamlit's own "running" flag
  back to "not running"), measured in the page with ``performance.now()``
  from the key press; the time until the headline figures changed is given
  beside it.

Case (f), Targets: the same for the Targets page's "every region at least"
slider moved between two values (after the first visit of each, the solver's
results come from the cache: the page's promise is that a widget change
reuses them).

Memory: the server's peak resident set (VmHWM), the browser's not included.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchmarks.cases import CaseResult, Config
from benchmarks.timing import Timing

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("FISCALSIM_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

#: Records, in the page, every change of Streamlit's script state and of the headline
#: figures, with performance.now(); a key press starts a measurement.
OBSERVE = """() => {
  window.__runs = []; window.__figures = []; window.__t0 = null; window.__before = null;
  const figures = () => [...document.querySelectorAll(
      '[data-testid="stMetricValue"]')].map(e => e.innerText).join('|');
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => window.__runs.push(
      [app.getAttribute('data-test-script-state'), performance.now()]))
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  new MutationObserver(() => {
      if (window.__t0 !== null && !window.__figures.length && figures() !== window.__before)
        window.__figures.push(performance.now()); })
    .observe(document.querySelector('[data-testid="stMain"]'),
             {subtree: true, characterData: true, childList: true});
  document.addEventListener('keydown', () => { window.__t0 = performance.now();
    window.__before = figures(); window.__runs = []; window.__figures = []; }, true);
}"""
DONE = """() => { const r = window.__runs; if (window.__t0 === null) return false;
  const started = r.findIndex(x => x[0] === 'running');
  return started >= 0 && r.slice(started).some(x => x[0] === 'notRunning'); }"""
TIMES = """() => { const r = window.__runs; const started = r.findIndex(x => x[0] === 'running');
  const done = r.slice(started).find(x => x[0] === 'notRunning');
  const seen = window.__figures.filter(t => t > window.__t0);
  return [done[1] - window.__t0, seen.length ? seen[0] - window.__t0 : null]; }"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("localhost", 0))
        return sock.getsockname()[1]


class Server:
    """``streamlit run streamlit_app.py`` on localhost until closed."""

    def __init__(self) -> None:
        self.port = _free_port()
        streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent))
        command = ([streamlit] if streamlit else [sys.executable, "-m", "streamlit"]) + [
            "run", "streamlit_app.py", "--server.address", "localhost", "--server.port",
            str(self.port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none"]
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep
               + os.environ.get("PYTHONPATH", "")}
        started = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, env=env)
        self.url = f"http://localhost:{self.port}"
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.perf_counter() - started > 120:
                self.close()
                raise RuntimeError("streamlit not healthy after 120 s")
            time.sleep(0.2)
        self.startup = time.perf_counter() - started

    def peak_rss(self) -> int:
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _first_page(browser, url: str, ready: str) -> tuple[float, object, object]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(ready, state="visible", timeout=120_000)
    page.wait_for_selector(IDLE, timeout=120_000)
    return time.perf_counter() - started, context, page


def _changes(page, slider_label: str, count: int, keys: tuple[str, str]) -> list[tuple]:
    """``count`` slider moves, alternating ``keys``: (run, figures changed) seconds each."""
    page.evaluate(OBSERVE)
    thumb = (page.locator('[data-testid="stSlider"]').filter(has_text=slider_label)
             .locator('input[type="range"]').first)
    thumb.focus()
    times = []
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for k in range(count):
        thumb.press(keys[k % 2])
        try:
            page.wait_for_function(DONE, timeout=30_000)
        except PlaywrightTimeout:  # the key press was lost (the slider not yet live): again,
            thumb.press(keys[k % 2])  # timed from this press (keydown resets the clock)
            page.wait_for_function(DONE, timeout=120_000)
        run, seen = page.evaluate(TIMES)
        times.append((run / 1e3, None if seen is None else seen / 1e3))
        page.wait_for_selector(IDLE, timeout=120_000)
    return times


def _timing(values: list[float], warmup: int) -> Timing:
    runs = tuple(values[warmup:]) or tuple(values)
    return Timing(median=statistics.median(runs), runs=runs, number=1, warmup=warmup)


def _browser_case(config: Config, *, key: str, path: str, ready: str, slider: str,
                  target: float, title: str, size: str, keys=("ArrowLeft", "ArrowRight"),
                  first_target: float | None = None) -> CaseResult:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} not found: apt-get install chromium")
    server = Server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            first, context, page = _first_page(browser, f"{server.url}/{path}", ready)
            context.close()
            # a second visit: another session, the server's caches warm
            again, context, page = _first_page(browser, f"{server.url}/{path}", ready)
            count = 4 if config.quick else max(config.repeat, 10) + 2
            moves = _changes(page, slider, count, keys)
            context.close()
            browser.close()
    finally:
        peak = server.peak_rss()
        server.close()
    warmup = 2 if len(moves) > 3 else 0
    runs = [m[0] for m in moves]
    seen = [m[1] for m in moves[warmup:] if m[1] is not None]
    context_lines = [("server start until healthy", server.startup),
                     ("first page drawn (fresh session, server caches cold)", first),
                     ("first page drawn (fresh session, server caches warm)", again)]
    if seen:
        context_lines.append(("widget change until the headline figures on screen changed "
                              "(median)",
                              statistics.median(seen)))
    notes = []
    if first_target is not None:
        notes.append(f"first page target < {first_target:g} s: "
                     f"{'met' if again < first_target else 'MISSED'} "
                     f"(cold {first:.2f} s, warm {again:.2f} s)")
    notes.append("memory: the server's peak resident set (VmHWM), the browser's not included")
    return CaseResult(key=key, title=title, size=size,
                      timed="in Chromium: key press on the slider until Streamlit's script "
                            "state is back to 'not running' (performance.now in the page)",
                      target=target, engine=_timing(runs, warmup), peak_bytes=peak,
                      context=context_lines, notes=notes)


def case_e(config: Config) -> CaseResult:
    """The app in a browser: Explore (ITL1), one step of the equalisation-rate slider."""
    return _browser_case(
        config, key="e", path="", ready=".js-plotly-plot", slider="Equalisation rate",
        target=1.0, title="browser: Explore page, run after a widget change",
        size="uk_itl1, income_tax_gap_fill_75, equalisation rate moved one step (0.05) and "
             "back; 1440 x 900 window")


def case_f(config: Config) -> CaseResult:
    """The app in a browser: Targets, the minimum-share slider between two values."""
    return _browser_case(
        config, key="f", path="targets", ready='[data-testid="stMetric"]',
        slider="Every region at least", target=0.5, first_target=3.0,
        title="browser: Targets page, widget change with cached results",
        size="income_tax_gap_fill_75, 'every region at least' moved between 89% and 90% "
             "(each value solved once, then reused from the cache)")
