"""The built website in a real browser: headless Chromium opens every page as a reader would.

Runs after `make book` (`make test-site`; .ci/run does both). Needs Chromium: Debian's `chromium`
package, or any Chromium/Chrome named by the environment variable CHROMIUM, and, for the
accessibility check, the `axe-playwright-python` package (it bundles axe-core; nothing is fetched).
The site is served on 127.0.0.1 only, and must work without internet: every file it shows is its
own, the Colab badge too. NNBOOK_SITE names another built site to test (default: _build/html).

Every page is looked at as on a laptop (1300 px wide, light mode) and as on a phone (390 px wide,
dark mode): nothing may be wider than the screen or cut off, and axe-core may find no serious or
critical accessibility problem (issue 15). Two pages are looked at at a time, each in a Chromium
of its own: one page keeps about one core busy.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import queue
import re
import sys
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

from conftest import launch_chromium
from tools.chapters import book
from tools.chapters.book import toc_files

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("NNBOOK_SITE") or ROOT / "_build" / "html")
SCREENSHOTS = ROOT / "_build" / "screenshots"
PAGES = [f"{name}.html" for name in toc_files(ROOT)]
# How pages are looked at: a laptop in light mode, and a phone in dark mode (390 px: an iPhone 12-15).
VIEWS = {"laptop-light": (1300, "light"), "phone-dark": (390, "dark")}
LAPTOP = "laptop-light"
# axe-core's rules: every rule of WCAG 2.2 A and AA and its best practices, and the experimental
# ones (label-content-name-mismatch is one). A page fails on a serious or critical finding.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22a",
            "wcag22aa",
            "best-practice",
            "experimental",
        ],
    },
}
FAILING_IMPACTS = {"serious", "critical"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # one line per file would bury the test report
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):  # a page closed before a file arrived
            return
        super().handle_error(request, client_address)


@pytest.fixture(scope="module")
def site_url():
    if not (SITE / "index.html").exists():
        pytest.fail("no built site in _build/html: run `make book` first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class Visit:
    """One page load, with what the browser reported along the way."""

    def __init__(self, browser, url: str, width: int = 1300, color_scheme: str = "light"):
        self.page = browser.new_page(
            viewport={"width": width, "height": 1000}, color_scheme=color_scheme
        )
        self.errors: list[str] = []
        self.failed_requests: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("requestfailed", lambda r: self.failed_requests.append(r.url))
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
        self.host = urlparse(url).netloc

    def local(self, url: str) -> bool:
        return urlparse(url).netloc in ("", self.host)

    def close(self):
        self.page.close()


@pytest.fixture
def visit(browser):
    opened = []

    def open_page(url, **view):
        opened.append(Visit(browser, url, **view))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_without_errors_and_with_every_image(looked_at, page):
    """The site serves everything it shows, the Colab badge included: offline, nothing fails to load."""
    seen = looked_at(page, LAPTOP)
    assert seen["failed_requests"] == []
    assert seen["errors"] == []
    images = seen["links"]["images"]
    assert all(seen["local"](image["src"]) for image in images), [
        i["src"][:80] for i in images if not seen["local"](i["src"])
    ]
    assert all(image["width"] > 0 for image in images), [
        i["src"][:80] for i in images if not i["width"]
    ]
    unsaid = [
        f"{i['src'].rsplit('/', 1)[-1][:40]}: alt {i['alt']!r}"
        for i in images
        if not says_what_it_shows(i["alt"])
    ]
    assert unsaid == [], (
        f"{page}: images whose alt text does not say what they show (a figure's alt text comes from its cell's opening comment, see tools/chapters/sync.py): {unsaid}"
    )


def says_what_it_shows(alt: str) -> bool:
    """An image's alt text is words, not empty and not a file name (what Sphinx writes by default).

    >>> [says_what_it_shows(a) for a in ["The training loss per epoch.", "", "../_images/3f2a.png", "plot.svg"]]
    [True, False, False, False]
    """
    alt = alt.strip()
    return (
        bool(alt)
        and not re.search(r"\.(png|jpe?g|gif|svg|webp)$", alt, re.IGNORECASE)
        and "_images/" not in alt
    )


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("notebooks/")])
def test_a_chapters_download_is_the_executed_chapter_without_the_test_runs_records(page):
    """The page's download button gives the chapter with its outputs, not the records the test run
    keeps beside them (metadata nnbook: the run's key, times and self-check results)."""
    html = (SITE / page).read_text(encoding="utf-8")
    name = Path(page).with_suffix(".ipynb").name
    assert f'href="../_sources/notebooks/{name}"' in html
    download = json.loads((SITE / "_sources" / "notebooks" / name).read_text(encoding="utf-8"))
    assert any(cell.get("outputs") for cell in download["cells"])
    assert "nnbook" not in download["metadata"]


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("notebooks/")])
def test_chapter_colab_links_point_where_the_config_says(looked_at, page):
    seen = looked_at(page, LAPTOP)["links"]
    expected = book.colab_url(book.repository(ROOT), ROOT / page.replace(".html", ".ipynb"))
    assert len(seen["colab"]) >= 2 and set(seen["colab"]) == {expected}  # the button and the badge
    assert seen["figures"] >= 1, "a chapter page shows at least one figure"


@pytest.mark.parametrize("page", PAGES)
def test_previous_and_next_links_resolve(looked_at, page):
    seen = looked_at(page, LAPTOP)
    links = seen["links"]["navigation"]
    assert links or len(PAGES) == 1, f"{page} has no previous/next navigation"
    for link in links:
        assert seen["local"](link)
        with urllib.request.urlopen(link, timeout=10) as response:  # raises on an HTTP error
            assert response.status == 200, (
                f"{page}: navigation link {link} gives HTTP {response.status}"
            )


def test_search_finds_neuron(site_url, visit):
    seen = visit(f"{site_url}/search.html?q=neuron")
    seen.page.wait_for_selector("#search-results li", timeout=20_000)
    results = seen.page.eval_on_selector_all(
        "#search-results li a", "links => links.map(a => a.href)"
    )
    assert any("01-artificial-neuron" in link for link in results), results


def test_screenshot_of_a_chapter_for_people_to_look_at(site_url, visit):
    seen = visit(f"{site_url}/notebooks/01-artificial-neuron.html")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / "01-artificial-neuron.png"
    seen.page.screenshot(path=str(target), full_page=False)
    title = seen.page.locator("article h1").first.bounding_box()
    height = seen.page.viewport_size["height"]
    assert title and 0 <= title["y"] < height, f"the chapter's title is not in view: {title}"
    from PIL import Image  # Pillow comes with matplotlib

    with Image.open(target) as image:
        grey = np.asarray(image.convert("L"), dtype=float)
    # a rendered page: text and figures on the background, not one flat colour
    assert grey.std() > 10 and (grey < 128).mean() > 0.005, "the screenshot is blank"


# What does not fit, evaluated in the page as the browser laid it out (see the comment at its top).
FITS_JS = r"""
// What does not fit on the page as the browser laid it out: a list of short sentences, empty when
// everything fits. The page is no wider than the window; every piece of text, image or scrolling
// box in the article lies within the main column, or inside a box that scrolls sideways (overflow-x
// auto or scroll); and none is cut off by a box that hides its overflow (hidden or clip) without
// a way to scroll to it. Text drawn for screen readers only (clipped on purpose) is left out.
() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`the page is ${root.scrollWidth} px wide in a ${root.clientWidth} px window`);
  }
  const article = document.querySelector("article.bd-article") || document.querySelector("main");
  if (!article) return problems.concat(["no article or main element"]);
  const column = article.getBoundingClientRect();
  const SLACK = 2;  // px: rounding, and glyphs that overhang their box by a hair
  const overflow = new Map();
  const overflowX = (el) => {
    if (!overflow.has(el)) overflow.set(el, getComputedStyle(el).overflowX);
    return overflow.get(el);
  };
  const outside = (box, outer) => box.left < outer.left - SLACK || box.right > outer.right + SLACK;
  const describe = (el) => {
    const text = (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim();
    const cls = (el.getAttribute("class") || "").trim().split(/\s+/).slice(0, 3).join(".");
    const box = el.getBoundingClientRect();
    return `<${el.tagName.toLowerCase()}${cls ? "." + cls : ""}> at ${Math.round(box.left)}-` +
      `${Math.round(box.right)} px "${text.slice(0, 50)}${text.length > 50 ? "..." : ""}"`;
  };
  const reported = [];
  // Where the piece with this box, inside `parent`, stands: null if it can be seen or scrolled to.
  const verdict = (box, parent) => {
    for (let up = parent; up && up !== article; up = up.parentElement) {
      const mode = overflowX(up);
      if (mode === "auto" || mode === "scroll") return null;
      if ((mode === "hidden" || mode === "clip") && outside(box, up.getBoundingClientRect())) {
        return `cut off by ${describe(up)}`;
      }
    }
    return outside(box, column) ? "outside the main column" : null;
  };
  const check = (box, parent, what) => {
    if (box.width === 0 && box.height === 0) return;
    if (reported.some((el) => el.contains(parent))) return;
    const found = verdict(box, parent);
    if (found) {
      problems.push(`${what} (${Math.round(box.left)}-${Math.round(box.right)} px) is ${found}; ` +
        `column ${Math.round(column.left)}-${Math.round(column.right)} px`);
      reported.push(parent);
    }
  };
  const unseen = "mjx-assistive-mml, .visually-hidden, .sr-only, script, style";
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim() || node.parentElement.closest(unseen)) continue;
    range.selectNodeContents(node);
    check(range.getBoundingClientRect(), node.parentElement, `text in ${describe(node.parentElement)}`);
  }
  for (const el of article.querySelectorAll("img, svg, canvas, video, iframe, table, pre, mjx-container")) {
    if (el.closest(unseen) || el.parentElement.closest("svg")) continue;
    check(el.getBoundingClientRect(), el.parentElement, describe(el));
  }
  return problems;
}
"""


# The images, links and figures of a page, as loaded.
LINKS_JS = """() => ({
  images: [...document.querySelectorAll("img")].map(
    (i) => ({src: i.currentSrc || i.src, width: i.naturalWidth, alt: i.alt})),
  colab: [...document.querySelectorAll("a[href*='colab.research.google.com/github']")].map((a) => a.href),
  figures: [...document.querySelectorAll(".cell_output img")].filter((i) => i.naturalWidth > 0).length,
  navigation: [...document.querySelectorAll(".prev-next-area a")].map((a) => a.href),
})"""


def look_at(browser, site_url: str, page: str, view: str) -> dict:
    """One page in one view, loaded as a reader's browser does: what loading it reported (errors,
    requests that failed, images and links), what does not fit, and axe-core's findings."""
    from axe_playwright_python.sync_playwright import Axe

    width, scheme = VIEWS[view]
    visit = Visit(browser, f"{site_url}/{page}", width=width, color_scheme=scheme)
    try:
        loaded = {  # what loading the page reported, before anything else runs in it
            "errors": list(visit.errors),
            "failed_requests": list(visit.failed_requests),
            "local": visit.local,
            "links": visit.page.evaluate(LINKS_JS),
        }
        # The theme makes a box that scrolls keyboard-focusable once the layout has settled
        # (after a 300 ms debounce): let it, as a reader's browser does, before axe looks.
        visit.page.evaluate("document.fonts.ready")
        visit.page.wait_for_timeout(600)
        return {
            **loaded,
            "misfits": visit.page.evaluate(FITS_JS),
            "violations": Axe().run(visit.page, options=AXE_OPTIONS).response["violations"],
        }
    finally:
        visit.close()


def look_at_each(site_url: str, wanted: list[tuple[str, str]], workers: int = 2) -> dict:
    """:func:`look_at` for each (page, view) wanted, ``workers`` at a time, each worker a thread with
    its own Chromium: one page keeps about one core busy, so two cores look at two pages at once.
    A page that fails to load keeps its error, for its own tests to raise."""
    from playwright.sync_api import sync_playwright

    todo: queue.SimpleQueue = queue.SimpleQueue()
    for job in wanted:
        todo.put(job)

    def work() -> dict:
        seen = {}
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                while True:
                    try:
                        page, view = todo.get_nowait()
                    except queue.Empty:
                        return seen
                    try:
                        seen[page, view] = look_at(browser, site_url, page, view)
                    except Exception as error:  # raised again by that page's tests
                        seen[page, view] = error
            finally:
                browser.close()

    with ThreadPoolExecutor(workers) as pool:
        done = [pool.submit(work) for _ in range(min(workers, len(wanted)))]
        return {key: value for future in done for key, value in future.result().items()}


@pytest.fixture(scope="module")
def looked_at(request, site_url):
    """Each page in each view that this session's tests ask for, loaded once for all of them (two at
    a time: see :func:`look_at_each`)."""
    wanted = sorted(
        {
            (item.callspec.params["page"], item.callspec.params.get("view", LAPTOP))
            for item in request.session.items
            if getattr(item, "module", None) is request.module
            and "looked_at" in item.fixturenames
            and hasattr(item, "callspec")
        },
        key=lambda job: (not job[0].startswith("notebooks/"), job),  # the long chapters first
    )
    seen = look_at_each(site_url, wanted)

    def look(page: str, view: str) -> dict:
        if (page, view) not in seen:  # a test not collected with the others: look now
            seen.update(look_at_each(site_url, [(page, view)], workers=1))
        if isinstance(seen[page, view], Exception):
            raise seen[page, view]
        return seen[page, view]

    return look


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("page", PAGES)
def test_everything_fits_the_screen(looked_at, page, view):
    """Nothing is wider than the window, and no text is cut off: a wide output, table or formula
    scrolls inside its own box (book/_static/nnbook.css), and long inline code wraps."""
    misfits = looked_at(page, view)["misfits"]
    assert misfits == [], (
        f"{page} ({view}): "
        + "; ".join(misfits[:8])
        + (f"; and {len(misfits) - 8} more" if len(misfits) > 8 else "")
    )


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("page", PAGES)
def test_no_serious_accessibility_problem(looked_at, page, view):
    """axe-core finds no serious or critical problem (contrast, names of buttons, scrollable boxes...)."""
    found = [v for v in looked_at(page, view)["violations"] if v["impact"] in FAILING_IMPACTS]
    report = [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}; e.g. {v['nodes'][0]['html'][:120]!r}"
        + (
            f" {v['nodes'][0]['failureSummary'].splitlines()[-1].strip()[:160]}"
            if v["nodes"][0].get("failureSummary")
            else ""
        )
        for v in found
    ]
    assert found == [], f"{page} ({view}): " + " | ".join(report)
