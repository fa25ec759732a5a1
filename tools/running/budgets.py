"""The book's run-time and memory budgets, checked against a ``make bench`` result.

    python -m tools.running.budgets _build/bench.json              # on the reference machine
    python -m tools.running.budgets _build/bench.json --baseline _build/bench-baseline.json   # any other

The budgets hold on the reference machine (2 cores), on which commit 2b0985c's ``make bench`` took
216 s. Machines differ in speed, so on another one bench commit 2b0985c too, in the same session
(``git worktree add /tmp/baseline 2b0985c``, ``make bench`` there, and copy its
``_build/bench.json`` to this checkout's ``_build/bench-baseline.json``): every time is then
divided by the machine's factor, the baseline's total over 216 s. Memory is compared as it is.
A run with the worked solutions (``make bench``'s second run, ``"run_solutions": true`` in its
result) is held to the chapter and memory budgets; the book's total budget is a reader's, who runs
every chapter but a solution only now and then, so that run's total is reported, not judged.
``make bench`` runs this after the benchmark, with the baseline when it is there, and
tests/test_budgets.py checks the last result. A timed test in CI would fail on a slow or busy
machine; this is a measurement, run by hand on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from tools.chapters.book import BookError

CHAPTER_S = 45  # each chapter's notebook execution, a reader's Run All
BOOK_S = 240  # all chapters together
PEAK_MIB = 2048  # each chapter's peak resident memory
REFERENCE_COMMIT = "2b0985c"
REFERENCE_TOTAL_S = 216.0  # that commit's make bench on the reference machine


def chapter_times(bench: dict) -> dict[str, tuple[float, float]]:
    """{notebook: (wall seconds, peak MiB)} from a bench result, refusing one that is not."""
    rows = bench.get("notebooks") if isinstance(bench, dict) else None
    if not isinstance(rows, list) or not rows:
        raise BookError("not a make bench result: it has no list of 'notebooks'")
    times = {}
    for row in rows:
        try:
            wall, peak = float(row["wall_s"]), float(row["peak_rss_mib"])
            name = str(row["notebook"])
        except (TypeError, KeyError, ValueError):
            raise BookError(
                "not a make bench result: each of its 'notebooks' needs 'notebook', 'wall_s' and "
                f"'peak_rss_mib'; got {row!r:.120}"
            ) from None
        if not (math.isfinite(wall) and wall > 0 and math.isfinite(peak) and peak > 0):
            raise BookError(f"{name}: a wall time and a peak memory above zero; got {row!r:.120}")
        if name in times:
            raise BookError(f"{name} is listed twice")
        times[name] = (wall, peak)
    return times


def machine_factor(baseline: dict | None) -> float:
    """How much slower this machine is than the reference one: 1 without a baseline."""
    if baseline is None:
        return 1.0
    total = sum(wall for wall, _ in chapter_times(baseline).values())
    return total / REFERENCE_TOTAL_S


def with_solutions(bench: dict) -> bool:
    """Whether the bench result ran the chapters with their worked solutions."""
    return bench.get("run_solutions") is True


def problems(bench: dict, factor: float = 1.0) -> list[str]:
    """Each budget the bench result exceeds, once scaled to the reference machine by ``factor``."""
    if not (math.isfinite(factor) and factor > 0):
        raise BookError(f"the machine's factor is a number above zero; got {factor}")
    found = []
    times = chapter_times(bench)
    for name, (wall, peak) in times.items():
        if wall / factor > CHAPTER_S:
            found.append(
                f"{name}: {wall / factor:.1f} s on the reference machine ({wall:.1f} s here), "
                f"over the {CHAPTER_S} s a chapter may take"
            )
        if peak > PEAK_MIB:
            found.append(f"{name}: a peak of {peak:.0f} MiB, over the {PEAK_MIB} MiB budget")
    total = sum(wall for wall, _ in times.values())
    if not with_solutions(bench) and total / factor > BOOK_S:
        found.append(
            f"the book: {total / factor:.1f} s on the reference machine ({total:.1f} s here), "
            f"over its {BOOK_S} s"
        )
    return found


def report(bench: dict, factor: float = 1.0) -> str:
    """A table of each chapter's time scaled to the reference machine, and the verdict."""
    times = chapter_times(bench)
    lines = [f"machine factor {factor:.2f} (times below divided by it; memory as measured)"]
    for name, (wall, peak) in times.items():
        lines.append(f"  {Path(name).stem:<32} {wall / factor:6.1f} s  {peak:6.0f} MiB")
    total = sum(wall for wall, _ in times.values())
    if with_solutions(bench):
        lines.append(f"  {'the book, solutions included':<32} {total / factor:6.1f} s (not judged)")
        book = "the book's total judged on a reader's run"
    else:
        lines.append(f"  {'the book':<32} {total / factor:6.1f} s")
        book = f"the book under {BOOK_S} s"
    found = problems(bench, factor)
    lines += [f"over budget: {p}" for p in found] or [
        f"within budget: every chapter under {CHAPTER_S} s, {book}, each peak under {PEAK_MIB} MiB"
    ]
    return "\n".join(lines)


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BookError(f"{path}: no such file; run make bench first") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BookError(f"{path}: not a JSON bench result ({error})") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path, help="a make bench result (_build/bench.json)")
    parser.add_argument(
        "--baseline",
        type=Path,
        help=f"make bench of commit {REFERENCE_COMMIT} on this machine, to scale the times",
    )
    args = parser.parse_args(argv)
    try:
        bench = _read(args.bench)
        factor = machine_factor(_read(args.baseline) if args.baseline else None)
        print(report(bench, factor))
        return 1 if problems(bench, factor) else 0
    except BookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
