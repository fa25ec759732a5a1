"""Write student copies of the chapters: the exercise solutions removed, everything else intact.

A solution is a code cell tagged ``solution`` (chapters also tag it ``hide-cell`` so the website
folds it away). Student copies keep every other cell as it is, without outputs, so a teacher can
hand them out and publish the full notebooks after the deadline.

    python tools/student.py                      # make student: into _build/student
    python tools/student.py --output-dir DIR
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.sync_notebooks import chapter_notebooks  # noqa: E402 (needs the path above)

SOLUTION_TAG = "solution"


def is_solution(cell: nbformat.NotebookNode) -> bool:
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def student_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without its solution cells and without outputs."""
    copy = nbformat.from_dict(nb)
    copy.cells = [cell for cell in copy.cells if not is_solution(cell)]
    for cell in copy.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return copy


def write_student_copies(output_dir: Path, notebooks: list[Path] | None = None) -> list[Path]:
    """Write a student copy of each chapter into ``output_dir``; return the files written."""
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks or chapter_notebooks():
        nb = nbformat.read(path, as_version=4)
        if not any(is_solution(cell) for cell in nb.cells):
            raise ValueError(f"{path.name} has no cell tagged {SOLUTION_TAG!r}: are its exercises marked?")
        target = output_dir / path.name
        nbformat.write(student_copy(nb), target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output-dir", type=Path, default=ROOT / "_build" / "student")
    args = parser.parse_args(argv)
    written = write_student_copies(args.output_dir)
    print(f"{len(written)} student notebooks, solutions removed, in {args.output_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
