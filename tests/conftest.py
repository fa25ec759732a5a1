"""Shared test set-up: figures render off-screen, the project root is known, one browser, and
nbgrader's slow grading starts in processes of its own as soon as collection ends."""

import os
import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def book_copy(tmp_path, root, monkeypatch):
    """A copy of the book's chapters, configuration and pages (book/) to change or break freely,
    and the tools' book (``tools.chapters.book.ROOT``) while the test runs: a tool the test calls without a
    folder reads and writes the copy, never the book."""
    from tools.chapters import book

    shutil.copytree(
        root / "notebooks",
        tmp_path / "notebooks",
        ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
    )
    shutil.copy(root / "_config.yml", tmp_path / "_config.yml")
    shutil.copytree(
        root / "book", tmp_path / "book", ignore=shutil.ignore_patterns("_build", "__pycache__")
    )
    monkeypatch.setattr(book, "ROOT", tmp_path)
    return tmp_path


# Chromium as the browser tests start it (tests/test_website.py, tests/test_jupyterlab.py): no
# background traffic, since this machine has no network to offer it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]


def launch_chromium(playwright):
    """A headless Chromium started by ``playwright``: Debian's, or the one CHROMIUM names.

    Playwright's objects belong to the thread that made them: a thread that needs its own browser
    calls this with its own ``sync_playwright()``.
    """
    executable = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not executable:
        pytest.fail(
            "no Chromium found: install Debian's `chromium` package or set CHROMIUM=/path/to/chrome"
        )
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the browser tests that share one (see :func:`launch_chromium`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


def _needs_the_graded_class(item) -> bool:
    return "graded_class" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests of nbgrader's graded class (tests/test_assignments.py) run last: the grading, minutes
    of work, starts in the background when collection ends, while the other tests run."""
    items.sort(key=_needs_the_graded_class)  # a stable sort: the others keep their order


def pytest_collection_finish(session):
    graded = [item for item in session.items if _needs_the_graded_class(item)]
    if graded and not session.config.option.collectonly:
        graded[0].module.start_grading(session.config._tmp_path_factory)
