"""pytest runs the chapters: each notebook once per run, every code cell reported as a test of its own.

    pytest notebooks                           # every chapter with SEED = 42, worked solutions included
    pytest notebooks --runs seed-1,seed-2      # the same chapters along other training paths
    pytest notebooks --runs seed-3-no-solutions   # as a student's Run All: the solutions skipped

Each chapter is executed once per run configuration (:class:`tools.running.kernel.RunConfig`), in a fresh
kernel, two chapters at a time on a 2-core machine, starting as soon as collection ends. The
chapters run in worker processes of their own, started then and given the notebook, the run
configuration and the copy's path as data: nothing a test does in this process meanwhile (setting
an environment variable, patching a module) reaches a running chapter. A cell's
test then fails if the cell raised (for a check cell: an assertion of the prose did not hold), if
it wrote to standard error, if it shows a figure without alt text, or, for a worked solution, if
its ``check`` did not find the answer right (the record ``check`` keeps, read from the kernel
after the last cell: :func:`tools.running.copies.said`).
Every cell runs even after one fails, so one run reports every failing check.

The executed notebooks are kept in `_build/executed/` with a key of what produced them (the
notebook, the helpers, the library versions, the run configuration), so that `make book` can show
the outputs of the run the tests just checked instead of running every chapter again; a summary
of failing cells, by chapter, run and cell, ends the report and is saved as `report.json` there.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import pytest

from tools.chapters import book, model
from tools.chapters.model import role
from tools.running import copies, run_times
from tools.running.copies import execute_and_keep, said
from tools.running.kernel import RunConfig, cell_error, stderr_text, stdout_text


def pytest_addoption(parser):
    group = parser.getgroup("chapters", "running the chapter notebooks")
    group.addoption(
        "--runs",
        default="seed-42",
        help="how to run each chapter, comma-separated: seed-N (training seed N, with the worked solutions) "
        "or seed-N-no-solutions (as a student's Run All); default: seed-42",
    )
    group.addoption(
        "--notebook-workers",
        type=int,
        default=min(4, os.cpu_count() or 1),
        help="chapters run at once",
    )


def _configs(config) -> list[RunConfig]:
    """The runs ``--runs`` names, each once; a UsageError (one line) if it names none or one twice."""
    given = config.getoption("--runs")
    names = [name.strip() for name in given.split(",") if name.strip()]
    if not names:
        raise pytest.UsageError(
            f"--runs names no run ({given!r}); give seed-N or seed-N-no-solutions, "
            "comma-separated, e.g. --runs seed-1,seed-2-no-solutions"
        )
    try:
        configs = [RunConfig.from_name(name) for name in names]
    except ValueError as error:
        raise pytest.UsageError(f"--runs: {error}") from None
    twice = [run.name for i, run in enumerate(configs) if run in configs[:i]]
    if twice:
        raise pytest.UsageError(f"--runs names {twice[0]} twice ({given!r}); name each run once")
    workers = config.getoption("--notebook-workers")
    if workers < 1:
        raise pytest.UsageError(
            f"--notebook-workers: at least 1 chapter runs at a time; got {workers}"
        )
    return configs


def pytest_configure(config):
    config.pluginmanager.register(ChapterScheduler(config), "chapter-scheduler")


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix == ".ipynb" and file_path.parent.name == "notebooks":
        return ChapterFile.from_parent(parent, path=file_path)
    return None


class ChapterFile(pytest.File):
    def collect(self):
        scheduler: ChapterScheduler = self.config.pluginmanager.get_plugin("chapter-scheduler")
        for run_config in scheduler.configs:
            yield ChapterRunCells.from_parent(self, name=run_config.name, run_config=run_config)


class ChapterRunCells(pytest.Collector):
    def __init__(self, *, run_config: RunConfig, **kwargs):
        super().__init__(**kwargs)
        self.run_config = run_config

    def collect(self):
        try:
            nb = book.read_notebook(self.path)
        except book.BookError as error:
            raise self.CollectError(str(error)) from None
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                yield CellItem.from_parent(
                    self, name=f"cell {index} ({role(cell)})", index=index, cell=cell
                )


class CellFailed(Exception):
    """A cell of a chapter did not do what the book needs of it."""


class CellItem(pytest.Item):
    def __init__(self, *, index: int, cell, **kwargs):
        super().__init__(**kwargs)
        self.index, self.source, self.role = index, cell.source, role(cell)
        self.exercises = model.exercise_ids(cell)
        self.alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")

    def runtest(self):
        scheduler: ChapterScheduler = self.config.pluginmanager.get_plugin("chapter-scheduler")
        run_config = self.parent.run_config
        nb = scheduler.result(self.path, run_config)
        cell = nb.cells[self.index]
        error = cell_error(cell, self.index)
        if error:
            raise CellFailed(
                f"{error.error}" + (f"\n  raised by: {error.line}" if error.line else "")
            )
        if self.role == "solution" and run_config.run_solutions:
            self.check_solution(said(nb, self.index), stdout_text(cell))
        if (
            any("image/png" in output.get("data", {}) for output in cell.get("outputs", []))
            and not self.alt
        ):
            raise CellFailed(
                "the cell shows a figure but says nothing of it: start the cell with "
                "'# extra code: draws <what the figure shows>' (or '# figure: ...'), its alt text on the website"
            )
        stderr = stderr_text(cell)
        if stderr:
            raise CellFailed(
                f"the cell wrote to standard error, which readers see in red:\n{stderr[-1500:]}"
            )

    def check_solution(self, records: dict[str, dict] | None, printed: str) -> None:
        """Fail unless ``check`` found each of the worked solution's exercises right (``records``,
        by exercise, from :func:`tools.running.copies.said`)."""
        if records is None:
            raise CellFailed(
                "the run kept no record of what check() said (the kernel could not be asked "
                f"after the last cell); the cell printed:\n{printed[-1500:]}"
            )
        wrong = {
            exercise: _not_right(records.get(exercise))
            for exercise in self.exercises
            if not records.get(exercise, {}).get("right")
        }
        if wrong:
            raise CellFailed(
                f"the worked solution's check() did not find {sorted(wrong)} right ("
                + "; ".join(f"{exercise}: {why}" for exercise, why in wrong.items())
                + f"); it printed:\n{printed[-1500:]}"
            )

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CellFailed):
            lines = self.source.splitlines()
            shown = "\n".join(f"  | {line}" for line in lines[:12]) + (
                "\n  | ..." if len(lines) > 12 else ""
            )
            return f"{self.path.name}, {self.parent.name}, cell {self.index} ({self.role}):\n{shown}\n{excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.parent.name}::{self.name}"


def _not_right(record: dict | None) -> str:
    """Why a worked solution's exercise is not right, from its record (None: not checked)."""
    if record is None:
        return "check() was not called"
    return "not right" + (f": {record['measured']}" if record["measured"] else "")


class ChapterScheduler:
    """Executes each (chapter, run) the collected cells need, a few at a time, in the background."""

    def __init__(self, config):
        self.config = config
        self.configs = _configs(config)
        self.futures: dict[tuple[Path, RunConfig], Future] = {}
        self.pool: ProcessPoolExecutor | None = None

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session):
        if session.config.option.collectonly:  # --collect-only lists the cells, and runs nothing
            return
        wanted = []
        for item in session.items:
            if isinstance(item, CellItem) and (item.path, item.parent.run_config) not in wanted:
                wanted.append((item.path, item.parent.run_config))
        if not wanted:
            return
        wanted.sort(
            key=_expected_seconds, reverse=True
        )  # the longest first: two workers finish together
        workers = self.config.getoption("--notebook-workers")
        if workers > 1:
            one_thread_each()
        # Fresh interpreters (not forks of this one, whose threads may hold locks), each started
        # by the first submissions below, before any test runs: their environment is this one's
        # now, and no test can change it or their modules later. The copies' paths are data.
        self.pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=copies.start_chapter_process,
        )
        for path, run_config in wanted:
            self.futures[path, run_config] = self.pool.submit(
                execute_and_keep, path, run_config, copies.copy_path(path, run_config)
            )

    def result(self, path: Path, run_config: RunConfig):
        return self.futures[path, run_config].result()

    def pytest_sessionfinish(self, session):
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def pytest_terminal_summary(self, terminalreporter):
        finished = [
            (key, future.result())
            for key, future in self.futures.items()
            if future.done() and not future.cancelled() and not future.exception()
        ]
        if not finished:
            return
        report, lines = [], []
        for (path, run_config), nb in sorted(
            finished, key=lambda pair: (pair[0][0].name, pair[0][1].seed)
        ):
            failed = [
                {"cell": index, "role": role(cell), "error": error.error, "line": error.line}
                for index, cell in enumerate(nb.cells)
                if cell.cell_type == "code" and (error := cell_error(cell, index))
            ]
            report.append(
                {
                    "chapter": path.stem,
                    "run": run_config.name,
                    "seconds": nb.metadata["nnbook"]["seconds"],
                    "failed": failed,
                }
            )
            lines += [
                f"  {path.stem}  {run_config.name}  cell {f['cell']} ({f['role']}): {f['line'] or f['error']}"
                for f in failed
            ]
        out = copies.EXECUTED / "report.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        terminalreporter.section("chapters")
        for entry in report:
            terminalreporter.write_line(
                f"{entry['chapter']:<28} {entry['run']:<22} {entry['seconds']:>6.1f} s  {len(entry['failed'])} failing cell(s)"
            )
        if lines:
            terminalreporter.write_line("Cells that raised, by chapter, run and cell:")
            for line in lines:
                terminalreporter.write_line(line)
        terminalreporter.write_line(f"executed notebooks and report.json in {copies.EXECUTED}")


# TensorFlow's thread pools (and oneDNN's OpenMP one): one thread each.
THREAD_SETTINGS = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS")


def one_thread_each() -> None:
    """Kernels started from now on (and TensorFlow, if this process has not yet imported it) use
    one thread each, unless the environment says otherwise.

    Chapters run side by side, one per core: each TensorFlow sizing its pools to every core would
    have the kernels fight over the cores. Measured with chapters 3, 6 and 7 on two workers, the
    kernels used 15 % less processor time with one thread each, in the same clock time. The
    numbers a chapter prints may differ in the last digits (sums are added in another order), as
    on another machine; its checks hold all the same.
    """
    for name in THREAD_SETTINGS:
        os.environ.setdefault(name, "1")


def _expected_seconds(key: tuple[Path, RunConfig]) -> float:
    """How long a chapter took when it last ran here (this run, or seed 42's), or else the run time
    its overview states (from `make bench`): on a fresh clone, chapter 7 must not start last."""
    path, run_config = key
    for run in (run_config, RunConfig()):
        try:
            copy = copies.copy_path(path, run).read_text(encoding="utf-8")
            return json.loads(copy)["metadata"]["nnbook"]["seconds"]
        except (OSError, ValueError, KeyError):
            continue
    stated = run_times.stated_seconds(path)
    return stated if stated is not None else 0.0
