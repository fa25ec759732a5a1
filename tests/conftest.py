"""Shared test set-up: figures render off-screen, the project root is known, one browser."""

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
