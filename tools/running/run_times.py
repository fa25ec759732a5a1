"""The chapters' stated run times: read them, and rewrite them from `make bench`'s measurements.

Each chapter's overview says "**Run time:** about 40 seconds on a 2-core laptop CPU", and the
preface's chapter map repeats the time in its "run time" column. Both come from `make bench`:

    python -m tools.running.run_times _build/bench.json     # rewrite both from a benchmark's figures

tests/test_run_times.py checks that every chapter states a time and that the two places agree.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

import nbformat

from tools.chapters import model
from tools.chapters.book import ROOT, BookError, chapter_notebooks, read_notebook

PREFACE = Path("book") / "preface.md"
MAX_SECONDS = 24 * 3600  # a wall time of a day or more is no chapter's (the book's budget: 45 s)


def _preface_rows(stem: str = r"notebooks/[^`]+") -> re.Pattern:
    """Chapter-map rows, | {doc}`../notebooks/01-artificial-neuron` | what you build | about 20 s |,
    of the chapters whose path (without .ipynb) matches ``stem``: groups "stem", "time", and the text
    before and after the time, "head" and "tail".
    """
    return re.compile(
        r"^(?P<head>\| \{doc\}`\.\./(?P<stem>"
        + stem
        + r")` \|.*\| about )(?P<time>\d+ (?:s|min))(?P<tail> \|)$",
        re.M,
    )


def format_run_time(seconds: float) -> tuple[str, str]:
    """The time as a chapter states it and as the preface's column does.

    Under 90 s, to the nearest 5 seconds; from 90 s on, to the nearest minute.

    >>> format_run_time(43.2), format_run_time(1.0), format_run_time(131)
    (('45 seconds', '45 s'), ('5 seconds', '5 s'), ('2 minutes', '2 min'))
    """
    if seconds < 0:
        raise ValueError(f"a run time is zero or more seconds; got {seconds}")
    if seconds < 90:
        rounded = max(5, 5 * round(seconds / 5))
        return f"{rounded} seconds", f"{rounded} s"
    minutes = round(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}", f"{minutes} min"


def _markdown_cells(path: Path):
    return [
        cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "markdown"
    ]


def chapter_run_time(path: Path) -> str | None:
    """The run time a chapter notebook states in its overview ("40 seconds"), or None."""
    for cell in _markdown_cells(path):
        stated = model.stated_run_time(cell.source)
        if stated:
            return stated
    return None


def stated_seconds(path: Path) -> float | None:
    """The run time a chapter states, in seconds ("2 minutes" is 120.0), or None if it states none."""
    stated = chapter_run_time(path)
    if stated is None:
        return None
    number, unit = stated.split()
    return float(number) * (60 if unit.startswith("minute") else 1)


def preface_run_times(root: Path = ROOT) -> dict[str, str]:
    """The preface's run-time column: {"notebooks/01-artificial-neuron": "20 s", ...}."""
    text = (root / PREFACE).read_text(encoding="utf-8")
    return {match["stem"]: match["time"] for match in _preface_rows().finditer(text)}


def update(measured: dict[str, float], root: Path = ROOT) -> list[str]:
    """Rewrite each measured chapter's overview and preface row; return what changed."""
    preface_path = root / PREFACE
    preface = preface_path.read_text(encoding="utf-8")
    changed = []
    for notebook, seconds in measured.items():
        in_chapter, in_preface = format_run_time(seconds)
        path = root / notebook
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown" and model.stated_run_time(cell.source):
                new = model.with_run_time(cell.source, in_chapter)
                if new != cell.source:
                    cell.source = new
                    nbformat.write(nb, path)
                    changed.append(f"{notebook}: about {in_chapter}")
                break
        else:
            raise ValueError(
                f"{notebook} states no run time ('**Run time:** about N seconds') to update"
            )
        stem = Path(notebook).with_suffix("").as_posix()
        row = _preface_rows(re.escape(stem))
        if not row.search(preface):
            raise ValueError(f"{PREFACE} has no chapter-map row with a run time for {stem}")
        new_preface = row.sub(lambda m, text=in_preface: m["head"] + text + m["tail"], preface)
        if new_preface != preface:
            preface = new_preface
            changed.append(f"{PREFACE}: {stem} about {in_preface}")
    preface_path.write_text(preface, encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bench_json", type=Path, help="what make bench wrote (_build/bench.json)")
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="the book's folder (default: this one)"
    )
    args = parser.parse_args(argv)
    try:
        results, measured = _read_bench(args.bench_json)
        _check_before_writing(measured, args.root, args.bench_json)  # a bad row: no file changed
        changed = update(measured, root=args.root)
    except (BookError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(
            f"error: {error.filename or args.bench_json}: {(error.strerror or str(error)).lower()}; "
            f"run this from the book's folder (or pass --root) after `make bench`",
            file=sys.stderr,
        )
        return 2
    machine = results.get("machine") or {}
    print(
        f"run times from {args.bench_json} ({machine.get('cpus', '?')} CPUs, Python {machine.get('python', '?')}):"
    )
    print("\n".join(f"  {line}" for line in changed) or "  every stated time already matches")
    return 0


def _read_bench(path: Path) -> tuple[dict, dict[str, float]]:
    """make bench's results and {notebook: seconds}; ValueError, in one line, if it is not one."""
    if not path.exists():
        raise ValueError(f"{path} does not exist; run `make bench` first")
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        where = f" (line {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
        raise ValueError(
            f"{path}: not valid JSON{where}; run `make bench` again to rewrite it"
        ) from None
    if not isinstance(results, dict):
        results = {}  # so the next lines say what a bench file holds
    rows = results.get("notebooks")
    if (
        not isinstance(rows, list)
        or not all(isinstance(row, dict) for row in rows)
        or not all(isinstance(row.get("notebook"), str) and "wall_s" in row for row in rows)
    ):
        raise ValueError(
            f'{path}: not what `make bench` writes (a "notebooks" list of rows with "notebook" '
            f'and "wall_s" in seconds); run `make bench` again to rewrite it'
        )
    if not rows:
        raise ValueError(f"{path}: lists no chapter; run `make bench` again to rewrite it")
    measured: dict[str, float] = {}
    for row in rows:
        notebook, seconds = row["notebook"], row["wall_s"]
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise ValueError(
                f"{path}: {notebook} has no valid wall time ({seconds!r}, not a number of "
                f"seconds); run `make bench` again"
            )
        if notebook in measured:
            raise ValueError(
                f"{path}: lists {notebook} twice (wall times {measured[notebook]:g} s and "
                f"{seconds:g} s); run `make bench` again"
            )
        measured[notebook] = float(seconds)
    return results, measured


def _check_before_writing(measured: dict[str, float], root: Path, bench: Path) -> None:
    """Every measured chapter can be read and states a time, and the preface has its row."""
    preface = preface_run_times(root)
    chapters = {path.resolve(): path for path in chapter_notebooks(root)}
    seen: dict[Path, str] = {}
    for notebook, seconds in measured.items():
        if not math.isfinite(seconds) or not 0 < seconds <= MAX_SECONDS:
            raise ValueError(
                f"{bench}: {notebook} has no valid wall time ({seconds:g} s; a chapter takes "
                f"more than 0 s and less than a day); run `make bench` again"
            )
        resolved = (root / notebook).resolve()
        if resolved in seen:
            raise ValueError(
                f"{bench}: lists {notebook} and {seen[resolved]}, the same chapter; run `make "
                f"bench` again"
            )
        seen[resolved] = notebook
        if (root / notebook).is_file() and resolved not in chapters:
            raise ValueError(
                f"{bench}: lists {notebook}, which is not one of the book's chapters "
                f"(notebooks/NN-name.ipynb in {root}); run `make bench` again"
            )
        if not (root / notebook).is_file():
            raise ValueError(
                f"{bench}: lists {notebook}, which is not in {root}; run `make bench` again (or pass --root)"
            )
        read_notebook(root / notebook)  # BookError naming the file if it is not a notebook
        if chapter_run_time(root / notebook) is None:
            raise ValueError(
                f"{notebook} states no run time ('**Run time:** about N seconds') to update"
            )
        if Path(notebook).with_suffix("").as_posix() not in preface:
            raise ValueError(f"{PREFACE} has no chapter-map row with a run time for {notebook}")


if __name__ == "__main__":
    sys.exit(main())
