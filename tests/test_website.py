"""The built website in a real browser: headless Chromium opens every page as a reader would.

Runs after `make book` (`make test-site`; .ci/run does both). Needs Chromium: Debian's `chromium`
package, or any Chromium/Chrome named by the environment variable CHROMIUM. The site is served on
127.0.0.1 only, and must work without internet: every file it shows is its own, the Colab badge too.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tools import book
from tools.book import toc_files

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM_ARGS = [  # no background traffic: this machine has no network to offer it
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update",
]
PAGES = [f"{name}.html" for name in toc_files(ROOT)]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # one line per file would bury the test report
        pass


@pytest.fixture(scope="module")
def site_url():
    if not (SITE / "index.html").exists():
        pytest.fail("no built site in _build/html: run `make book` first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.fail("no Chromium found: install Debian's `chromium` package or set CHROMIUM=/path/to/chrome")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """One page load, with what the browser reported along the way."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page(viewport={"width": 1300, "height": 1000})
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

    def open_page(url):
        opened.append(Visit(browser, url))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_without_errors_and_with_every_image(site_url, visit, page):
    """The site serves everything it shows, the Colab badge included: offline, nothing fails to load."""
    seen = visit(f"{site_url}/{page}")
    assert seen.failed_requests == []
    assert seen.errors == []
    images = seen.page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => ({src: i.currentSrc || i.src, width: i.naturalWidth}))"
    )
    assert all(seen.local(image["src"]) for image in images), [i["src"][:80] for i in images if not seen.local(i["src"])]
    assert all(image["width"] > 0 for image in images), [i["src"][:80] for i in images if not i["width"]]


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("notebooks/")])
def test_chapter_colab_links_point_where_the_config_says(site_url, visit, page):
    seen = visit(f"{site_url}/{page}")
    expected = book.colab_url(book.repository(ROOT), ROOT / page.replace(".html", ".ipynb"))
    links = seen.page.eval_on_selector_all(
        "a[href*='colab.research.google.com/github']", "links => links.map(a => a.href)"
    )
    assert len(links) >= 2 and set(links) == {expected}  # the launch button and the badge
    figures = seen.page.eval_on_selector_all(".cell_output img", "imgs => imgs.filter(i => i.naturalWidth > 0).length")
    assert figures >= 1, "a chapter page shows at least one figure"


@pytest.mark.parametrize("page", PAGES)
def test_previous_and_next_links_resolve(site_url, visit, page):
    seen = visit(f"{site_url}/{page}")
    links = seen.page.eval_on_selector_all(".prev-next-area a", "links => links.map(a => a.href)")
    assert links or len(PAGES) == 1, f"{page} has no previous/next navigation"
    for link in links:
        assert seen.local(link)
        response = seen.page.request.get(link)
        assert response.ok, f"{page}: navigation link {link} gives HTTP {response.status}"


def test_search_finds_neuron(site_url, visit):
    seen = visit(f"{site_url}/search.html?q=neuron")
    seen.page.wait_for_selector("#search-results li", timeout=20_000)
    results = seen.page.eval_on_selector_all("#search-results li a", "links => links.map(a => a.href)")
    assert any("01-artificial-neuron" in link for link in results), results


def test_screenshot_of_a_chapter_for_people_to_look_at(site_url, visit):
    seen = visit(f"{site_url}/notebooks/01-artificial-neuron.html")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / "01-artificial-neuron.png"
    seen.page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000
