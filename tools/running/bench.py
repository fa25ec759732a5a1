"""Benchmark the book: each notebook's wall time and peak memory, and `import helpers` time.

    python -m tools.running.bench --output _build/bench.json      # make bench
    python -m tools.running.bench --with-solutions --no-mnist-recipes --no-autograde \
        --output _build/bench-solutions.json               # make bench, second: as make test runs

Each notebook runs in its own child process (a fresh kernel, as a reader's Run All: seed 42, the
worked solutions skipped), so the peak memory is that notebook's alone: the kernel's maximum
resident set size, read from the operating system once the kernel has exited. Results go to a JSON
file and are printed as a table, with two more measurements (each can be skipped):

- chapter 7's two MNIST recipes, trained in a child process of their own on the chapter's data
  (``tools.running.mnist_recipes``): the article's as the article prints it (batch 32, Keras's default
  training loop, 10 epochs) and the chapter's fast one; their times, test accuracies and ratio.
  The chapter itself trains the article's recipe for one epoch only.
- what ``nbgrader autograde`` takes for one submission of the slowest chapter benched
  (``tools.course.assignments.time_autograde``), a teacher's cost per student.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tools.chapters import book
from tools.running.kernel import RunConfig, configure, execute

ROOT = book.ROOT
READER = RunConfig(seed=42, run_solutions=False)  # what Run All does in a reader's notebook
#: ``--with-solutions``: the chapter as ``make test`` runs it, its worked solutions included (a
#: build exercise's solution trains a model), the run the budgets hold too.
WITH_SOLUTIONS = RunConfig(seed=42, run_solutions=True)


def run_notebook(path: Path, config: RunConfig = READER) -> dict:
    """Execute one notebook in a fresh kernel; return its wall time and the kernel's peak memory."""
    nb = configure(book.read_notebook(path), config, path.name)
    start = time.perf_counter()
    execute(
        nb, path.parent
    )  # starts the kernel, runs every cell, shuts the kernel down and reaps it
    wall = time.perf_counter() - start
    # ru_maxrss of reaped children: the kernel, the biggest child this process had (KiB on Linux).
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if sys.platform == "darwin":  # macOS reports bytes
        peak_kib //= 1024
    return {
        "notebook": path.relative_to(ROOT).as_posix(),
        "wall_s": round(wall, 1),
        "peak_rss_mib": round(peak_kib / 1024),
    }


def import_time(module: str = "helpers", repeats: int = 5) -> float:
    """Median seconds for a fresh interpreter to import ``module`` (the import alone)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
            ).stdout
        )
        for _ in range(repeats)
    ]
    return statistics.median(runs)


def loader_times() -> dict[str, float]:
    """Seconds each dataset loader takes, verification of the file included."""
    import pandas  # noqa: F401 (imported first, so the times measure reading and verifying only)

    from helpers import datasets

    loaders = {
        "load_titanic": datasets.load_titanic,
        "load_churn": datasets.load_churn,
        "load_house_prices": datasets.load_house_prices,
        "load_mnist": datasets.load_mnist,
        "make_loan_applications": datasets.make_loan_applications,
    }
    times = {}
    for name, loader in loaders.items():
        start = time.perf_counter()
        loader()
        times[name] = round(time.perf_counter() - start, 3)
    return times


def explanation_time(repeats: int = 5) -> float:
    """Median seconds of one SHAP explanation of a book-sized tabular Keras model.

    The model is chapter 8's size: 10 features, Dense 16 (ReLU), 8 (ReLU), 1 (sigmoid), with 100
    background rows. Imports and the first call are done before timing, as in a notebook.
    """
    import keras
    import matplotlib.pyplot as plt
    import numpy as np

    from helpers.explain import explain_prediction

    keras.utils.set_random_seed(0)
    X = np.random.default_rng(0).normal(size=(200, 10)).astype("float32")
    model = keras.Sequential(
        [
            keras.Input(shape=(10,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    names = [f"feature {i}" for i in range(10)]
    runs = []
    for row in range(repeats + 1):  # row 0 is the warm-up: shap and matplotlib imports
        start = time.perf_counter()
        explanation = explain_prediction(model, X[row], X[100:], names, task="classification")
        runs.append(time.perf_counter() - start)
        plt.close(explanation.figure)
    return statistics.median(runs[1:])


def _child(args: list[str], what: str) -> dict | None:
    """Run ``python -m tools.running.bench ARGS`` in a child process; the JSON of its last line, or None."""
    child = subprocess.run(
        [sys.executable, "-m", "tools.running.bench", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if child.returncode != 0:
        print(child.stderr, file=sys.stderr)
        print(f"{what} failed; fix it (make test shows where) and run again", file=sys.stderr)
        return None
    return json.loads(child.stdout.strip().splitlines()[-1])


def slowest(rows: list[dict]) -> str | None:
    """The notebook of the row with the longest wall time (None if there is none)."""
    return max(rows, key=lambda row: row["wall_s"])["notebook"] if rows else None


def autograde_time(notebook: str) -> dict:
    """``tools.course.assignments.time_autograde`` on one chapter (a path relative to the book's folder)."""
    from tools.course.assignments import time_autograde

    return {"notebook": notebook, **time_autograde(ROOT / notebook)}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "bench.json")
    parser.add_argument(
        "--no-mnist-recipes",
        action="store_true",
        help="skip training chapter 7's two recipes (the article's takes minutes)",
    )
    parser.add_argument(
        "--no-autograde",
        action="store_true",
        help="skip timing nbgrader autograde on one submission of the slowest chapter benched",
    )
    parser.add_argument(
        "--with-solutions",
        action="store_true",
        help="run the chapters' worked solutions too, as make test does (what they add to a "
        "chapter's time counts against its budget)",
    )
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # internal: the child's job
    parser.add_argument("--mnist-recipes", action="store_true", help=argparse.SUPPRESS)  # internal
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapter notebook")
    return parser


def _measure_helpers(with_solutions: bool) -> dict:
    """The machine, and the figures measured in this process: importing the helpers, loading the
    datasets, one explanation."""
    return {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "nnbook_data": os.environ.get("NNBOOK_DATA", ""),
        },
        "import_helpers_s": round(import_time(), 3),
        "loaders_s": loader_times(),
        "explain_prediction_s": round(explanation_time(), 3),
        "run_solutions": with_solutions,
        "notebooks": [],
    }


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)

    if args.one:
        config = WITH_SOLUTIONS if args.with_solutions else READER
        print(json.dumps(run_notebook(args.one.resolve(), config)))
        return 0
    if args.mnist_recipes:
        from tools.running import mnist_recipes

        print(json.dumps(mnist_recipes.both(seed=READER.seed)))
        return 0

    results = _measure_helpers(args.with_solutions)
    solutions = ["--with-solutions"] if args.with_solutions else []
    for path in args.notebooks or book.chapter_notebooks():
        row = _child(["--one", str(path), *solutions], f"{path}: the notebook")
        if row is None:
            return 1
        results["notebooks"].append(row)
    if not args.no_mnist_recipes:
        # One child process trains both, one after the other, on the same data (seed 42).
        recipes = _child(["--mnist-recipes"], "chapter 7's recipes (tools.running.mnist_recipes)")
        if recipes is None:
            return 1
        results["mnist_recipes"] = recipes
    if not args.no_autograde and results["notebooks"]:
        results["autograde"] = autograde_time(slowest(results["notebooks"]))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(report(results, args.output))
    return 0


def report(results: dict, output: Path) -> str:
    """The table bench prints: every figure of ``results``, one per line."""
    lines = [f"{'notebook':<50} {'wall time':>10} {'peak memory':>12}"]
    for row in results["notebooks"]:
        lines.append(f"{row['notebook']:<50} {row['wall_s']:>9.1f}s {row['peak_rss_mib']:>8} MiB")
    lines.append(f"{'import helpers':<50} {results['import_helpers_s']:>9.3f}s")
    lines.append(
        f"{'explain_prediction() (10 features, Dense 16-8-1)':<50} {results['explain_prediction_s']:>9.3f}s"
    )
    for name, seconds in results["loaders_s"].items():
        lines.append(f"{name + '()':<50} {seconds:>9.3f}s")
    if "mnist_recipes" in results:
        m = results["mnist_recipes"]
        for recipe, label in (
            ("article", "the article's recipe"),
            ("fast", "the chapter's recipe"),
        ):
            r = m[recipe]
            lines.append(
                f"chapter 7, {label} (batch {r['batch_size']}, {r['epochs']} epochs): fit "
                f"{r['fit_s']:.1f}s ({r['cpu_s']:.1f}s of processor time), "
                f"test accuracy {r['test_acc']:.4f}"
            )
        goal = m["goal"]
        lines.append(
            f"chapter 7, time ratio: {m['fit_time_ratio']:.2f} on the clock,"
            f" {m['processor_time_ratio']:.2f} in processor time; goal (test accuracy"
            f" >= {goal['min_test_acc']}, ratio <= {goal['max_time_ratio']}):"
            f" {'met' if goal['met'] else 'NOT met'}"
        )
    if "autograde" in results:
        a = results["autograde"]
        lines.append(
            f"nbgrader autograde, one submission of {a['notebook']}: {a['autograde_s']:.1f}s"
            f" (generate_feedback {a['generate_feedback_s']:.1f}s, score {a['score']:g}"
            f" of {a['max_score']:g})"
        )
    lines.append(
        f"(on {results['machine']['cpus']} CPUs, Python {results['machine']['python']}; written to {output})"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
