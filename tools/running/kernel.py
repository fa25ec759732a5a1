"""Run a chapter notebook in a fresh kernel, as the book build and a reader do, and read what failed.

One module for every tool and test that runs a notebook:

- :class:`RunConfig` says how: the training seed (``SEED`` in the setup cell) and whether the
  worked solutions run (``RUN_SOLUTIONS``). A reader's notebook says ``SEED = 42`` and
  ``RUN_SOLUTIONS = False``; :func:`configure` hands those two values to the chapter model
  (``tools.chapters.model``), which sets them in the setup cell and changes nothing else, so another seed
  trains along another path through the same chapter.
- :func:`execute` runs every cell with the book's own cell timeout (`execute.timeout` in
  `_config.yml`).
- :func:`failures` lists the cells that failed, each with the line that raised: for a check cell,
  the assertion that did not hold.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from tools.chapters import book
from tools.chapters.model import Chapter, role

_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colours in a traceback
MAX_SEED = 2**32 - 1  # what NumPy's and Keras's seeding accept


@dataclass(frozen=True)
class RunConfig:
    """How a chapter runs: its training seed, and whether its worked solutions run."""

    seed: int = 42
    run_solutions: bool = True

    @property
    def name(self) -> str:
        """A short name for reports and folders: ``seed-42`` or ``seed-7-no-solutions``."""
        return f"seed-{self.seed}" + ("" if self.run_solutions else "-no-solutions")

    @classmethod
    def from_name(cls, name: str) -> RunConfig:
        """The run a name describes: ``seed-7`` runs the worked solutions, ``seed-7-no-solutions`` does not."""
        match = re.fullmatch(r"seed-(\d+)(-no-solutions)?", name.strip())
        if not match:
            raise ValueError(
                f"a run is named seed-N or seed-N-no-solutions (N a whole number); got {name!r}"
            )
        if int(match[1]) > MAX_SEED:  # keras.utils.set_random_seed refuses it, in every chapter
            raise ValueError(f"a training seed is at most 2**32 - 1 = {MAX_SEED}; got {name!r}")
        return cls(seed=int(match[1]), run_solutions=not match[2])


def configure(nb, config: RunConfig, name: str = "notebook"):
    """``nb`` with its setup cell set to ``config``'s seed and solutions (changed in place, and returned)."""
    Chapter(nb, name).configure(seed=config.seed, run_solutions=config.run_solutions)
    return nb


def execute(nb, folder: Path, allow_errors: bool = False):
    """Execute every cell of ``nb`` in a new python3 kernel started in ``folder``; return ``nb`` with outputs.

    With ``allow_errors`` every cell runs even after one fails (read them with :func:`failures`);
    without it, nbclient's CellExecutionError names the first failing cell. The kernel is shut down
    and reaped before this returns. Its environment is this process's.
    """
    import nbclient  # imported here: importing this module stays cheap

    # A kernel started from inside pytest does not capture what compiled code writes to its file
    # descriptors (ipykernel checks PYTEST_CURRENT_TEST); a reader's kernel does, so ours must too.
    env = {name: value for name, value in os.environ.items() if name != "PYTEST_CURRENT_TEST"}
    nbclient.NotebookClient(
        nb,
        timeout=book.cell_timeout(),
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(folder)}},
    ).execute(env=env)
    return nb


@dataclass(frozen=True)
class RaisedCell:
    """A cell that raised: where it is, what raised, and the line that raised (for a check, the assertion)."""

    index: int
    role: str  # "check", "solution", "answer" or "lesson"
    error: str  # "AssertionError: ..." (the exception's name and message)
    line: str  # the source line that raised, as IPython marked it in the traceback

    def describe(self) -> str:
        where = f"cell {self.index} ({self.role})"
        return f"{where}: {self.line or self.error}" + (f"  [{self.error}]" if self.line else "")


def _raising_line(traceback: list[str]) -> str:
    """The line IPython marks with an arrow in the cell's own frame (the first frame of the traceback)."""
    for frame in traceback:
        for line in _ANSI.sub("", frame).splitlines():
            match = re.match(r"\s*-+>\s*\d+\s(.*)", line)
            if match:
                return match[1].strip()
    return ""


def cell_error(cell, index: int = -1) -> RaisedCell | None:
    """The error an executed cell (the ``index``-th of its notebook) raised, or None."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            message = _ANSI.sub(
                "", f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
            ).strip()
            return RaisedCell(
                index=index,
                role=role(cell),
                error=message,
                line=_raising_line(output.get("traceback", [])),
            )
    return None


def stderr_text(cell) -> str:
    """What a cell wrote to standard error (warnings, log lines)."""
    return "".join(
        o.get("text", "")
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    )


def stdout_text(cell) -> str:
    return "".join(
        o.get("text", "")
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )


def failures(nb) -> list[RaisedCell]:
    """Every cell of an executed notebook that raised, in order."""
    errors = (
        cell_error(cell, index) for index, cell in enumerate(nb.cells) if cell.cell_type == "code"
    )
    return [error for error in errors if error]
