"""A chapter as a student meets it in JupyterLab: opened in a real JupyterLab, in headless Chromium,
and run with *Run > Run All Cells* (issue 15, item 9).

The student sees the lesson and their exercises, and nothing else: no cell shows an error or
anything written to standard error (TensorFlow's log lines included), and the book's check cells
and worked solutions are folded (their code hidden behind a "..." placeholder), as `make sync`
writes them. A screenshot is saved to `_build/screenshots/`, beside the website's.

Marked `browser`, like tests/test_website.py: `make test-site` runs both (needs Chromium; see
that file). JupyterLab runs from this Python environment, token-less, on 127.0.0.1 and a free
port, with its settings in a temporary folder (no news or update checks: nothing goes to the
network), on a copy of the chapter in a temporary folder: running it writes nothing into the
repository. NNBOOK_DATA is passed on to the kernel, as an absolute path. Each chapter has a
server of its own, and Run All waits until the chapter's own notebook is current, fully shown and
its kernel idle (see the `lab` fixture). A Run All that stops (an idle kernel, no cell waiting) fails
within a minute and says why: the page's panels, dialogs and status bar, the server's sessions and
kernels, its log and a screenshot (`_diagnose`).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tools.chapters import book, model

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHAPTERS = ["01-artificial-neuron", "09-convolutional-networks"]
SERVER_START_S = 180  # JupyterLab imports its server extensions: slow on a busy 2-core machine
LAB_OPEN_S = 300  # the JupyterLab page, its extensions and the kernel
RUN_ALL_S = 900  # the whole chapter
IDLE_S = 60  # the kernel not busy, no cell waiting ([*]) and no DONE this long: Run All stopped
DONE = "nnbook-test: Run All reached the last cell"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _lab_settings(folder: Path) -> dict[str, str]:
    """Environment variables that give JupyterLab its own configuration in ``folder``."""
    config, settings = folder / "config", folder / "settings"
    config.mkdir()
    (config / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "IdentityProvider": {"token": ""},
                "ServerApp": {
                    "password": "",
                    "ip": "127.0.0.1",
                    "open_browser": False,
                    "allow_root": True,
                },
                "LabApp": {
                    "news_url": None,
                    "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
                    "extension_manager": "readonly",
                },
            }
        )
    )
    user_settings = {
        # every cell in the page, so that the test sees them all (a student's default renders
        # cells lazily, as they scroll to them; what is folded is the same)
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }
    for name, value in user_settings.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(value))
    return {
        # the students' configuration, as `make lab` gives it: nbgrader's teacher tools are off
        "JUPYTER_CONFIG_PATH": str(ROOT / "tools" / "lab_config"),
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(folder / "workspaces"),
    }


class Lab:
    """A JupyterLab server on a temporary folder holding copies of the chapters."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.notebooks = folder / "notebooks"
        self.notebooks.mkdir()
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "jupyterlab.log"
        env = dict(os.environ, **_lab_settings(folder))
        if env.get("NNBOOK_DATA"):  # the kernel runs in the temporary folder: an absolute path
            env["NNBOOK_DATA"] = str(Path(env["NNBOOK_DATA"]).resolve())
        env.pop("JUPYTER_TOKEN", None)
        with open(self.log, "wb") as log:
            # a session of its own, so that cleaning up reaches the server and what it started
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "jupyterlab",
                    f"--port={self.port}",
                    "--port-retries=0",
                    f"--ServerApp.root_dir={self.notebooks}",
                ],
                cwd=self.notebooks,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._wait_until_up()

    def _wait_until_up(self):
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"JupyterLab stopped (exit code {self.process.returncode}):\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(1)
        pytest.fail(f"JupyterLab did not answer within {SERVER_START_S} s:\n{self.log_tail()}")

    def api(self, path: str):
        """The server's answer to GET ``path`` (``/api/sessions``, ``/api/kernels``), as JSON."""
        with urllib.request.urlopen(f"{self.url}{path}", timeout=10) as response:
            return json.loads(response.read())

    def kernel_state(self, chapter: str) -> str:
        """What the server says the chapter's kernel is doing: idle, busy, starting, ..."""
        try:
            sessions = self.api("/api/sessions")
        except OSError as error:
            return f"unknown ({error})"
        states = [
            (session.get("kernel") or {}).get("execution_state", "no kernel")
            for session in sessions
            if session.get("path", "").endswith(f"{chapter}.ipynb")
        ]
        return ",".join(states) or "no session"

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def add_chapter(self, name: str) -> Path:
        """A copy of the chapter, with one last cell that says when Run All has reached the end."""
        nb = book.read_notebook(ROOT / "notebooks" / f"{name}.ipynb")
        nb.cells.append(nbformat.v4.new_code_cell(f"print({DONE!r})"))
        target = self.notebooks / f"{name}.ipynb"
        nbformat.write(nb, target)
        return target

    def stop(self):
        """Stop the server (which shuts its kernels down), then anything left of its session."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)


# A server of its own for each chapter (a few seconds each). With one server for all, the second
# chapter's page reopened the first chapter's notebook too: JupyterLab restores the workspace it
# saved, and the first chapter's session and kernel were still there. The test then waited on the
# wrong panel's kernel and clicked Run All while the second chapter still had no kernel
# ("No Kernel | Initializing"): JupyterLab moved to its last cell and ran none, and the page stayed
# idle (the hang seen in CI; the old test hung so in 2 of 4 runs here, and in all 4 the status
# bar named chapter 1 when Run All was clicked; the diagnostics of a hang showed chapter 1's
# restored panel, chapter 9 on its last cell with no cell run, its kernel idle since its start).
# Since: 5 runs of 5 passed, on a loaded machine.
@pytest.fixture
def lab(tmp_path_factory):
    pytest.importorskip("jupyterlab", reason="JupyterLab is in the `lab` extra (make installs it)")
    server = Lab(tmp_path_factory.mktemp("jupyterlab"))
    yield server
    server.stop()


# The notebook panel whose tab is `tab`, once it is ready for Run All: its tab is the current one,
# it shows all its `cells`, its kernel has started and is idle, and the status bar (which follows
# the notebook the Run menu acts on) names it, idle too. Its id, or null while it is not ready.
READY_JS = r"""
({tab, cells}) => {
  const text = (el) => (el ? (el.innerText || el.textContent || "").trim() : "");
  const panel = [...document.querySelectorAll(".jp-NotebookPanel")].find(p => {
    const label = document.querySelector(`.lm-TabBar-tab[data-id="${p.id}"] .lm-TabBar-tabLabel`);
    return text(label) === tab;
  });
  if (!panel || panel.classList.contains("lm-mod-hidden")) return null;
  const current = document.querySelector(`.lm-TabBar-tab[data-id="${panel.id}"]`);
  const kernel = text(panel.querySelector(".jp-KernelName, .jp-Toolbar-kernelName"));
  const status = text(document.querySelector("#jp-main-statusbar"));
  const ready = current.classList.contains("lm-mod-current")
    && panel.querySelectorAll(".jp-Notebook .jp-Cell").length === cells
    && kernel && !/No Kernel/.test(kernel)
    && panel.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    && status.includes(tab) && /\| Idle/.test(status);
  return ready ? panel.id : null;
}
"""

# The state of every cell of the notebook panel `id`, in order, as the page shows it.
CELLS_JS = r"""
(id) => [...document.getElementById(id).querySelectorAll(".jp-Notebook .jp-Cell")].map(cell => {
  const input = cell.querySelector(".jp-Cell-inputWrapper .jp-InputArea");
  const prompt = cell.querySelector(".jp-InputArea-prompt");
  return {
    code: cell.classList.contains("jp-CodeCell"),
    inputShown: !!(input && input.offsetParent !== null),
    placeholder: !!cell.querySelector(".jp-InputPlaceholder"),
    prompt: prompt ? prompt.textContent.trim() : "",
    outputs: [...cell.querySelectorAll(".jp-OutputArea-output")].map(out => ({
      mime: out.getAttribute("data-mime-type") || "",
      text: (out.innerText || "").trim().slice(0, 300),
    })),
  };
})
"""
STDERR_MIME = "application/vnd.jupyter.stderr"  # JupyterLab shows stderr and errors with this type


def _shown_problems(cells) -> list[str]:
    return [
        f"cell {i}: {output['text'][:200]!r}"
        for i, cell in enumerate(cells)
        for output in cell["outputs"]
        if output["mime"] == STDERR_MIME
    ]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_run_all_in_jupyterlab_shows_only_the_lesson(lab, browser, chapter):
    from playwright.sync_api import Error as PlaywrightError

    source = book.read_notebook(ROOT / "notebooks" / f"{chapter}.ipynb")
    tab = lab.add_chapter(chapter).name
    (SCREENSHOTS / f"jupyterlab-{chapter}-stuck.png").unlink(missing_ok=True)  # a past run's
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    try:
        page.set_default_timeout(LAB_OPEN_S * 1000)
        page.goto(f"{lab.url}/lab/tree/{tab}", wait_until="domcontentloaded")
        # Run All only once this notebook is ready for it (READY_JS; a Run All clicked before its
        # kernel had started ran no cell), and on this notebook: its tab clicked, as a student
        # would, and the status bar naming it
        ready = {"tab": tab, "cells": len(source.cells) + 1}
        try:
            panel = page.wait_for_function(READY_JS, arg=ready).json_value()
            page.click(f".lm-TabBar-tab[data-id='{panel}']")
            page.wait_for_function(READY_JS, arg=ready)
        except PlaywrightError as error:
            pytest.fail(
                f"{chapter}: the notebook was not ready for Run All within {LAB_OPEN_S} s "
                f"({error.message.splitlines()[0]})\n" + _diagnose(page, lab, chapter, [])
            )
        menus = page.eval_on_selector_all(
            ".lm-MenuBar-itemLabel", "items => items.map(item => item.textContent)"
        )
        assert "Run" in menus and "Nbgrader" not in menus, menus  # a student's JupyterLab
        print(f"{chapter}: before Run All: {json.dumps(page.evaluate(PAGE_STATE_JS))}")
        print(f"{chapter}: sessions: {json.dumps(lab.api('/api/sessions'))}")
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")

        start = time.monotonic()
        deadline, cells, idle_since = start + RUN_ALL_S, [], None
        while True:
            page.wait_for_timeout(2000)
            cells = page.evaluate(CELLS_JS, panel)
            finished = cells and any(DONE in o["text"] for o in cells[-1]["outputs"])
            waiting = any(c["prompt"] == "[*]:" for c in cells)
            stopped = _shown_problems(cells) and not waiting
            if finished or stopped:  # Run All stops at a cell that raises
                break
            now = time.monotonic()
            # only a busy kernel or a cell waiting for it is progress: an idle kernel, or a dead,
            # restarting or unreachable one, with no cell waiting, is a Run All that has stopped
            state = lab.kernel_state(chapter)
            if waiting or state == "busy":
                idle_since = None
            elif idle_since is None:
                idle_since = now
            if idle_since is not None and now - idle_since > IDLE_S:
                ran = sum(c["prompt"][1:-2].isdigit() for c in cells)
                pytest.fail(
                    f"{chapter}: Run All stopped after {ran} cells: the kernel {state}, no cell "
                    f"waiting and no DONE for {IDLE_S} s ({now - start:.0f} s after Run All)\n"
                    + _diagnose(page, lab, chapter, cells)
                )
            if now > deadline:
                pytest.fail(
                    f"{chapter}: Run All did not finish within {RUN_ALL_S} s\n"
                    + _diagnose(page, lab, chapter, cells)
                )
        print(f"{chapter}: Run All took {time.monotonic() - start:.0f} s")

        _screenshot(page, panel, chapter, source)
        cells = cells[:-1]  # the test's own last cell
        assert len(cells) == len(source.cells), (
            "the page shows another number of cells than the notebook has"
        )
        assert _shown_problems(cells) == [], (
            f"{chapter}: cells show errors or standard error output"
        )
        not_run = [
            i
            for i, c in enumerate(cells)
            if c["code"] and c["inputShown"] and not c["prompt"][1:-2].isdigit()
        ]
        assert not_run == [], f"{chapter}: code cells that did not run: {not_run}"
        unfolded = [
            f"cell {i} ({'check' if model.is_check(cell) else 'solution'})"
            for i, (cell, shown) in enumerate(zip(source.cells, cells))
            if (model.is_check(cell) or model.is_solution(cell))
            and (shown["inputShown"] or not shown["placeholder"])
        ]
        assert unfolded == [], f"{chapter}: check and solution cells a student sees unfolded"
        folded = sum(model.is_check(c) or model.is_solution(c) for c in source.cells)
        assert folded > 0, (
            f"{chapter} has no check or solution cell: choose another chapter for this test"
        )
        solved = [
            f"cell {i}: {o['text'][:80]!r}"
            for i, (cell, shown) in enumerate(zip(source.cells, cells))
            if model.is_solution(cell)
            for o in shown["outputs"]
        ]
        assert solved == [], (
            f"{chapter}: worked solutions ran (and showed their answer) in a student's Run All"
        )
    finally:
        page.close()


# What the page shows besides the cells: every notebook panel (its tab, whether it is shown, its
# kernel and execution indicator, its prompts), the current tab, the focused panel, any dialog,
# the status bar and notifications.
PAGE_STATE_JS = r"""
() => {
  const text = (el) => (el ? (el.innerText || el.textContent || "").trim() : null);
  const panels = [...document.querySelectorAll(".jp-NotebookPanel")].map(p => {
    const tab = document.querySelector(`.lm-TabBar-tab[data-id="${p.id}"]`);
    const indicator = p.querySelector(".jp-Notebook-ExecutionIndicator");
    return {
      id: p.id,
      tab: tab ? text(tab.querySelector(".lm-TabBar-tabLabel")) : null,
      currentTab: !!(tab && tab.classList.contains("lm-mod-current")),
      hidden: p.classList.contains("lm-mod-hidden"),
      kernel: text(p.querySelector(".jp-KernelName, .jp-Toolbar-kernelName")),
      indicator: indicator ? indicator.getAttribute("data-status") : null,
      prompts: [...p.querySelectorAll(".jp-CodeCell .jp-InputArea-prompt")].map(
        q => q.textContent.trim()).join(" "),
    };
  });
  const focused = document.activeElement && document.activeElement.closest
    ? document.activeElement.closest(".jp-NotebookPanel") : null;
  return {
    url: location.href,
    title: document.title,
    panels,
    focusedPanel: focused ? focused.id : null,
    activeElement: document.activeElement ? document.activeElement.tagName + "."
      + String(document.activeElement.className).slice(0, 80) : null,
    dialogs: [...document.querySelectorAll(".jp-Dialog")].map(d => text(d)),
    statusBar: text(document.querySelector("#jp-main-statusbar")),
    notifications: [...document.querySelectorAll(".Toastify__toast, .jp-Notification-Toast")]
      .map(t => text(t)),
  };
}
"""


def _diagnose(page, lab, chapter: str, cells) -> str:
    """Why Run All is not finishing, as far as the page and the server tell: the page's state,
    the server's kernels and sessions, the server's log; a screenshot of the moment."""
    lines = [f"prompts: {[c['prompt'] for c in cells if c['code']]}"]
    try:
        lines.append(f"page: {json.dumps(page.evaluate(PAGE_STATE_JS), indent=1)}")
    except Exception as error:  # the page itself may be what is broken
        lines.append(f"page state unavailable: {error!r}")
    for path in ("/api/sessions", "/api/kernels"):
        try:
            lines.append(f"{path}: {json.dumps(lab.api(path))}")
        except OSError as error:
            lines.append(f"{path}: {error!r}")
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"jupyterlab-{chapter}-stuck.png"
        page.screenshot(path=str(target))
        lines.append(f"screenshot: {target}")
    except Exception as error:
        lines.append(f"no screenshot: {error!r}")
    lines.append(f"JupyterLab's log:\n{lab.log_tail(60)}")
    return "\n".join(lines)


def _screenshot(page, panel: str, chapter: str, source) -> None:
    """The first folded check cell, among the lesson's cells around it, as a student sees it."""
    first = next((i for i, cell in enumerate(source.cells) if model.is_check(cell)), 0)
    page.evaluate(
        "([id, i]) => document.getElementById(id).querySelectorAll('.jp-Notebook .jp-Cell')[i]"
        ".scrollIntoView({block: 'center'})",
        [panel, first],
    )
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"jupyterlab-{chapter}.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
