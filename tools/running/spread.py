"""How far each checked number moves between training seeds: the evidence behind every band.

    python -m tools.running.spread --chapters 03,04 --seeds 20      # make spread CHAPTERS=03,04 SEEDS=20
    .venv-oldest/bin/python -m tools.running.spread --chapters 03 --seeds 5 --first-seed 101   # oldest versions

Each chapter runs once per training seed (seeds ``first-seed`` .. ``first-seed + seeds - 1``, the
worked solutions included), in a fresh kernel, two at a time. Every ``assert`` of its check cells
and worked solutions is run as a recording: each quantity it compares (an expression that is not a
literal number) is evaluated and kept, the assertion is tested, and the cell goes on, so one run
shows every assertion that would fail. Each exercise's answer comes from the record ``check``
keeps (``helpers.exercises.RESULTS``).

The report, ``spread/<chapter>.md`` (and the runs themselves, ``spread/<chapter>.json``), lists
for each assertion its source, the minimum and maximum of each quantity over all recorded runs, and
the seeds where it failed. Runs of another environment (the oldest versions) are kept beside the
others, so one report covers both. It is committed: how each band was chosen, for every reader to
see. It takes hours for the whole book (outside CI).
"""

from __future__ import annotations

import argparse
import ast
import datetime
import json
import os
import platform
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

from tools.chapters import book, model
from tools.chapters.book import BookError
from tools.course.assignments import select_chapters
from tools.running.kernel import RunConfig, configure, execute, failures, stdout_text

REPORTS = book.ROOT / "spread"
MARKER = "NNBOOK-SPREAD "

# Defined in the kernel before the chapter's first cell: records each assertion instead of
# stopping at the first that fails. Names start with an underscore and "spread", out of the way.
RECORDER = """\
import json as _spread_json
import math as _spread_math

_spread_records = {}


def _spread_assert(key, quantities, test):
    record = _spread_records.setdefault(key, {"values": {}, "failed": False, "error": None})
    for source, evaluate in quantities:
        try:
            value = evaluate()
            value = float(value.item() if hasattr(value, "item") else value)
        except Exception:
            continue
        if _spread_math.isfinite(value):
            record["values"].setdefault(source, []).append(value)
    try:
        held = bool(test())
    except Exception as error:
        held, record["error"] = False, f"{type(error).__name__}: {error}"[:200]
    record["failed"] = record["failed"] or not held
"""

REPORTER = """\
from helpers.exercises import RESULTS as _spread_results


def _spread_plain(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


print("{marker}" + _spread_json.dumps({{
    "asserts": _spread_records,
    "exercises": {{
        key: {{"right": v.right, "value": _spread_plain(v.value), "measured": v.measured}}
        for key, v in _spread_results.items()
    }},
}}))
"""


def _is_literal(node: ast.expr) -> bool:
    """An expression of literals only (``0.85``, ``-1``, ``100 + 1``): a bound, not a quantity."""
    return not any(
        isinstance(n, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)) for n in ast.walk(node)
    )


def _quantities(test: ast.expr) -> list[ast.expr]:
    """The expressions an assertion compares with something: the sides of each comparison."""
    found = []
    for node in ast.walk(test):
        if isinstance(node, ast.Compare):
            found += [side for side in [node.left, *node.comparators] if not _is_literal(side)]
    return found


class _Recording(ast.NodeTransformer):
    """Turns each ``assert`` into a call of ``_spread_assert`` that records and goes on."""

    def __init__(self, cell: int, source: str):
        self.cell, self.source, self.count = cell, source, 0
        self.asserts: dict[str, str] = {}

    def visit_Assert(self, node: ast.Assert) -> ast.stmt:
        key = f"{self.cell}.{self.count}"
        self.count += 1
        self.asserts[key] = ast.get_source_segment(self.source, node) or ast.unparse(node)
        pairs = ", ".join(
            f"({ast.unparse(q)!r}, lambda: {ast.unparse(q)})" for q in _quantities(node.test)
        )
        call = f"_spread_assert({key!r}, [{pairs}], lambda: {ast.unparse(node.test)})"
        return ast.copy_location(ast.parse(call).body[0], node)


def recording(nb, name: str):
    """``nb`` with every assert of its check and solution cells recorded instead of raised, the
    recorder defined first and the report printed last; and {key: assert source}."""
    import nbformat

    asserts: dict[str, str] = {}
    for index, cell in enumerate(nb.cells):
        if not (model.is_check(cell) or model.is_solution(cell)):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError as error:
            raise BookError(f"{name}, cell {index}: not valid Python ({error.msg})") from None
        transformer = _Recording(index, cell.source)
        tree = ast.fix_missing_locations(transformer.visit(tree))
        cell.source = ast.unparse(tree)
        asserts.update(transformer.asserts)
    nb.cells.insert(0, nbformat.v4.new_code_cell(RECORDER))
    nb.cells.append(nbformat.v4.new_code_cell(REPORTER.format(marker=MARKER)))
    return nb, asserts


def run_seed(path: Path, seed: int) -> dict:
    """One recorded run of a chapter with training seed ``seed`` (its worked solutions included)."""
    nb = configure(book.read_notebook(path), RunConfig(seed=seed, run_solutions=True), path.name)
    nb, asserts = recording(nb, path.name)
    execute(nb, path.parent, allow_errors=True)
    printed = [line for line in stdout_text(nb.cells[-1]).splitlines() if line.startswith(MARKER)]
    found = json.loads(printed[-1][len(MARKER) :]) if printed else {"asserts": {}, "exercises": {}}
    errors = [
        # cell indexes as in the chapter: the recorder cell went first
        {"cell": f.index - 1, "error": f.error, "line": f.line}
        for f in failures(nb)
        if 0 < f.index < len(nb.cells) - 1
    ]
    return {"seed": seed, **found, "errors": errors, "sources": asserts}


def environment() -> str:
    """The libraries a run trained with, in a few words."""
    names = ("tensorflow", "keras", "numpy", "scikit-learn", "shap")
    versions = []
    for name in names:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return f"Python {platform.python_version()}, " + ", ".join(versions)


def _number(value: float) -> str:
    if value == 0 or 1e-3 <= abs(value) < 1e6:
        return f"{value:.6g}"
    return f"{value:.3g}"


def _escape(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(chapter: str, data: dict) -> str:
    """The markdown report of a chapter's recorded runs, every environment together."""
    runs = [run for env in data["environments"].values() for run in env["runs"]]
    sources: dict[str, str] = {}
    for run in runs:
        sources.update(run["sources"])
    lines = [
        f"# Spread of the checked numbers: {chapter}",
        "",
        "Written by `make spread` (`tools/running/spread.py`): each run is the chapter with one training "
        "seed, its worked solutions included. For each assertion of its check cells and worked "
        "solutions: the smallest and largest value of each quantity it compares, over every run "
        "below, and the seeds where it failed. A band in the book is this spread plus a margin.",
        "",
    ]
    for name, env in data["environments"].items():
        seeds = sorted(run["seed"] for run in env["runs"])
        lines.append(f"- {name}: {len(seeds)} runs, seeds {_seed_list(seeds)} ({env['date']})")
    lines += [
        "",
        "## Assertions",
        "",
        "| cell | assertion | quantity | min | max | failed with seeds |",
    ]
    lines.append("|---|---|---|---|---|---|")
    lines += _assertion_rows(runs, sources)
    lines += ["", "## Exercises (the worked solutions' answers)", ""]
    lines += ["| exercise | min | max | right in every run |", "|---|---|---|---|"]
    lines += _exercise_rows(runs)
    errors = _error_lines(runs)
    if errors:
        lines += ["", "## Cells that raised", "", *errors]
    return "\n".join(lines) + "\n"


def _assertion_rows(runs: list[dict], sources: dict[str, str]) -> list[str]:
    """One table row per quantity an assertion compares: its smallest and largest value over
    ``runs``, and the seeds where the assertion failed."""
    lines = []
    for key in sorted(sources, key=lambda k: tuple(int(p) for p in k.split("."))):
        values: dict[str, list[float]] = {}
        failed = []
        for run in runs:
            record = run["asserts"].get(key)
            if record is None:
                continue
            for quantity, found in record["values"].items():
                values.setdefault(quantity, []).extend(found)
            if record["failed"]:
                failed.append(run["seed"])
        cell = key.split(".")[0]
        rows = sorted(values.items()) or [("", [])]
        for quantity, found in rows:
            low = _number(min(found)) if found else ""
            high = _number(max(found)) if found else ""
            lines.append(
                f"| {cell} | `{_escape(sources[key])}` | `{_escape(quantity)}` | {low} | {high} "
                f"| {_seed_list(sorted(set(failed))) or 'none'} |"
            )
    return lines


def _exercise_rows(runs: list[dict]) -> list[str]:
    """One table row per exercise: the smallest and largest answer of its worked solution, and
    the seeds where it was not right."""
    answers: dict[str, list] = {}
    for run in runs:
        for exercise, result in run["exercises"].items():
            answers.setdefault(exercise, []).append(result)
    lines = []
    for exercise, results in sorted(answers.items()):
        values = [r["value"] for r in results if r["value"] is not None]
        wrong = [run["seed"] for run in runs if not run["exercises"].get(exercise, {}).get("right")]
        lines.append(
            f"| {exercise} | {_number(min(values)) if values else ''} | "
            f"{_number(max(values)) if values else ''} | "
            f"{'yes' if not wrong else 'no: seeds ' + _seed_list(wrong)} |"
        )
    return lines


def _error_lines(runs: list[dict]) -> list[str]:
    """One line per cell that raised in some run: the seeds, and the error."""
    errors = sorted(
        {(e["cell"], e["error"][:120]) for run in runs for e in run["errors"]},
        key=lambda pair: pair[0],
    )
    lines = []
    for cell, error in errors:
        seeds = [r["seed"] for r in runs if any(e["cell"] == cell for e in r["errors"])]
        lines.append(f"- cell {cell}, seeds {_seed_list(seeds)}: {_escape(error)}")
    return lines


def _seed_list(seeds: list[int]) -> str:
    """``[1, 2, 3, 5]`` as ``1-3, 5``."""
    parts: list[str] = []
    for seed in seeds:
        if parts and parts[-1].split("-")[-1] == str(seed - 1):
            parts[-1] = parts[-1].split("-")[0] + f"-{seed}"
        else:
            parts.append(str(seed))
    return ", ".join(parts)


def record(path: Path, seeds: list[int], workers: int) -> dict:
    """Run ``path`` once per seed; merge the runs into its JSON record and rewrite its report."""
    if workers > 1:
        from tools.running.pytest_plugin import one_thread_each

        one_thread_each()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        runs = list(pool.map(lambda seed: run_seed(path, seed), seeds))
    out = REPORTS / f"{path.stem}.json"
    data = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {"environments": {}}
    env = data["environments"].setdefault(environment(), {"runs": []})
    env["runs"] = [run for run in env["runs"] if run["seed"] not in seeds] + runs
    env["runs"].sort(key=lambda run: run["seed"])
    env["date"] = datetime.date.today().isoformat()
    REPORTS.mkdir(exist_ok=True)
    out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (REPORTS / f"{path.stem}.md").write_text(render(path.stem, data), encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapters", help="comma-separated chapter numbers (03,04); default: all")
    parser.add_argument("--seeds", type=int, default=20, help="how many training seeds (20)")
    parser.add_argument("--first-seed", type=int, default=1, help="the first seed (1)")
    parser.add_argument(
        "--workers", type=int, default=min(2, os.cpu_count() or 1), help="runs at once"
    )
    args = parser.parse_args(argv)
    if args.seeds < 1 or args.first_seed < 0 or args.workers < 1:
        print(
            "error: --seeds and --workers must be at least 1, --first-seed at least 0",
            file=sys.stderr,
        )
        return 2
    try:
        chapters = select_chapters(args.chapters)
    except BookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    status = 0
    for path in chapters:
        data = record(path, seeds, args.workers)
        runs = data["environments"][environment()]["runs"]
        failing = sorted({key for run in runs for key, r in run["asserts"].items() if r["failed"]})
        errors = sum(len(run["errors"]) for run in runs)
        print(
            f"{path.stem}: {len(runs)} runs in this environment; "
            f"{len(failing)} assertions failed in some run, {errors} cells raised; "
            f"report: {(REPORTS / f'{path.stem}.md').relative_to(book.ROOT)}"
        )
        status = status or int(bool(failing or errors))
    return status


if __name__ == "__main__":
    sys.exit(main())
