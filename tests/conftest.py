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


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for all the browser tests: Debian's, or the one CHROMIUM names."""
    from playwright.sync_api import sync_playwright

    executable = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not executable:
        pytest.fail(
            "no Chromium found: install Debian's `chromium` package or set CHROMIUM=/path/to/chrome"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
