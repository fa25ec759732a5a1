"""Executed chapters, kept so that one execution serves the tests and the website.

`pytest notebooks` (through :mod:`tools.running.pytest_plugin`) writes each executed chapter to
`_build/executed/<environment>/<run>/<chapter>.ipynb`, with the key of what produced it: the
chapter's code cells, the helpers' sources, the versions of Python and of the libraries, and the run
configuration. `make book` takes the outputs from these copies when their key matches what it
would run now (:func:`fresh_copy`; the prose is always the chapter's current text), and runs the
chapter itself otherwise: the website never shows an output that the current code, data and
libraries would not produce.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

from tools.chapters import book
from tools.running.kernel import RunConfig, configure, execute, stdout_text

# One folder per Python environment (.venv, .venv-oldest): their runs differ and both are kept.
EXECUTED = book.ROOT / "_build" / "executed" / Path(sys.prefix).name.lstrip(".")
LIBRARIES = (
    "tensorflow",
    "keras",
    "numpy",
    "pandas",
    "scikit-learn",
    "shap",
    "matplotlib",
    "ipykernel",
)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def execution_key(nb, run_config: RunConfig, root: Path = book.ROOT) -> str:
    """A digest of everything a chapter's outputs depend on, but the machine and the data files.

    That is its code cells (not its prose), the helpers, the library versions and the run. The data
    files are verified by their SHA-256 at every load, so they cannot differ unnoticed.
    """
    digest = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            digest.update(b"\0cell\0" + cell.source.encode())
    for source in sorted((root / "helpers").rglob("*.py")):
        digest.update(source.relative_to(root).as_posix().encode() + source.read_bytes())
    versions = [f"python={platform.python_version()}"] + [
        f"{name}={_version(name)}" for name in LIBRARIES
    ]
    digest.update(f"{';'.join(versions)};{run_config}".encode())
    return digest.hexdigest()


def copy_path(path: Path, run_config: RunConfig) -> Path:
    return EXECUTED / run_config.name / path.name


# Run after a chapter's last cell, then taken out of the copy: what ``check`` said, as data
# (helpers.exercises.CHECKS), with the execution count IPython gives a cell while it runs.
PROBE = """\
import json as _nnbook_json
import sys as _nnbook_sys

print(_nnbook_json.dumps({
    "count": get_ipython().execution_count,
    "checks": getattr(_nnbook_sys.modules.get("helpers.exercises._core"), "CHECKS", []),
}, default=str))
"""


def start_chapter_process() -> None:
    """Ready a fresh process to run chapters (:func:`execute_and_keep`): seconds sooner.

    nbformat validates notebooks with jsonschema, which imports rfc3987_syntax when it can, for
    its ``iri`` format: that import builds a parser, 2 to 3 s of a loaded machine, in every new
    process. No notebook schema uses the format; marked absent, jsonschema goes without it.
    """
    sys.modules.setdefault("rfc3987_syntax", None)


def execute_and_keep(path: Path, run_config: RunConfig, target: Path | None = None):
    """Execute one chapter with ``run_config``, every cell even after a failure; keep and return the copy.

    The copy goes to ``target``, by default :func:`copy_path`. Its metadata (``nnbook``) holds
    what produced it (``key``), its run time, and what each ``check`` in it said (:func:`said`).
    The chapter runner calls this in a process of its own (:mod:`tools.running.pytest_plugin`).
    """
    import nbformat

    nb = configure(book.read_notebook(path), run_config, path.name)
    key = execution_key(nb, run_config)
    start = time.perf_counter()
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    execute(nb, path.parent, allow_errors=True)
    probe = nb.cells.pop()
    nb.metadata["nnbook"] = {
        "run": run_config.name,
        "key": key,
        "seconds": round(time.perf_counter() - start, 1),
        "checks": _checks(nb, probe),
    }
    target = target or copy_path(path, run_config)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return nb


def _checks(nb, probe) -> list[dict] | None:
    """What ``check`` said in the executed ``nb``, in order, each record with the index of the cell
    that called it (None if that cell is not known); None if the probe could not tell."""
    try:
        said = json.loads(stdout_text(probe).strip().splitlines()[-1])
        # IPython's count inside a running cell may run one ahead of the one the notebook shows
        offset = said["count"] - probe.execution_count
    except (ValueError, IndexError, KeyError, TypeError):
        return None
    cells = {
        cell.execution_count: index
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and cell.execution_count is not None
    }
    return [
        {
            "exercise": record["exercise"],
            "right": record["right"],
            "measured": record["measured"],
            "cell": None if record["count"] is None else cells.get(record["count"] - offset),
        }
        for record in said["checks"]
    ]


def said(nb, index: int) -> dict[str, dict] | None:
    """What ``check`` said in the ``index``-th cell of a notebook :func:`execute_and_keep` ran, by
    exercise (its last verdict there): ``{"04.1": {"right": True, "measured": "...", ...}}``;
    None if the run kept no record (its kernel could not be asked after the last cell).
    """
    checks = nb.metadata.get("nnbook", {}).get("checks")
    if checks is None:
        return None
    return {record["exercise"]: record for record in checks if record["cell"] == index}


def fresh_copy(path: Path, run_config: RunConfig):
    """The chapter as it is now, with the outputs of its kept execution if running it now would give
    the same; else None.
    """
    import nbformat

    copy = copy_path(path, run_config)
    if not copy.exists():
        return None
    try:
        executed = nbformat.read(copy, as_version=4)
    except Exception:  # a copy cut short by an interrupted run: run the chapter again
        return None
    nb = configure(book.read_notebook(path), run_config, path.name)
    if executed.metadata.get("nnbook", {}).get("key") != execution_key(nb, run_config):
        return None
    ran = iter(cell for cell in executed.cells if cell.cell_type == "code")
    for cell in nb.cells:
        if cell.cell_type == "code":
            done = next(ran)
            cell.outputs, cell.execution_count = done.outputs, done.execution_count
    nb.metadata["nnbook"] = executed.metadata["nnbook"]
    return nb
