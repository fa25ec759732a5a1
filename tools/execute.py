"""Run a notebook in a fresh kernel, as the book build and a reader do: one helper for the tools and tests.

The cell timeout is the book's own, `execute.timeout` in _config.yml, so a cell that the website
build would stop is stopped here too.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent


def cell_timeout(config_path: Path = ROOT / "_config.yml") -> int:
    """Seconds a cell may run: `execute.timeout` of the book's configuration."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    timeout = (config.get("execute") or {}).get("timeout")
    if not isinstance(timeout, int) or timeout <= 0:
        raise ValueError(f"{config_path.name}: execute.timeout must be a positive number of seconds; got {timeout!r}")
    return timeout


def execute(nb: nbformat.NotebookNode, folder: Path) -> nbformat.NotebookNode:
    """Execute every cell of ``nb`` in a new python3 kernel started in ``folder``; return ``nb`` with outputs.

    Raises nbclient's CellExecutionError, naming the cell, if one fails. The kernel is shut down and
    reaped before this returns.
    """
    import nbclient  # imported here: importing this module stays cheap

    nbclient.NotebookClient(
        nb, timeout=cell_timeout(), kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    return nb
