"""Write student copies of the chapters: the exercise solutions removed, everything else intact.

A solution is a code cell tagged ``solution`` (see ``tools.book``). Student copies keep every other
cell as it is, without outputs, so a teacher can hand them out and publish the full notebooks after
the deadline.

    python -m tools.student                      # make student: into _build/student
    python -m tools.student --output-dir DIR

Every chapter is read and checked before anything is written: a chapter that cannot be read, or
whose exercises and solutions do not pair up, stops the tool with nothing written. It refuses an
output folder that holds the chapters themselves.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools import book
from tools.book import BookError


def student_copy(nb):
    """A copy of ``nb`` without its solution cells and without outputs."""
    import nbformat

    copy = nbformat.from_dict(nb)
    copy.cells = [cell for cell in copy.cells if not book.is_solution(cell)]
    for cell in copy.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return copy


def exercise_problems(nb) -> list[str]:
    """How a chapter's answer cells and worked solutions fail to pair up, one exercise each."""
    problems = [
        f"cell {index}: {problem}"
        for index, cell in enumerate(nb.cells)
        for problem in book.tag_problems(cell)
    ]
    answered = [
        exercise
        for cell in nb.cells
        if book.is_answer(cell)
        for exercise in book.exercise_ids(cell)
    ]
    solved = [
        exercise
        for cell in nb.cells
        if book.is_solution(cell)
        for exercise in book.exercise_ids(cell)
    ]
    problems += [
        f"exercise {e} has no worked solution (a cell tagged 'solution' calling check({e!r}, ...))"
        for e in answered
        if e not in solved
    ]
    problems += [
        f"the solution of exercise {e} has no answer cell before it"
        for e in solved
        if e not in answered
    ]
    problems += [
        f"exercise {e} has {solved.count(e)} solution cells"
        for e in sorted(set(solved))
        if solved.count(e) > 1
    ]
    if not solved and not problems:
        problems.append("no cell is tagged 'solution': are its exercises marked?")
    return problems


def write_student_copies(output_dir: Path, notebooks: list[Path] | None = None) -> list[Path]:
    """Write a student copy of each chapter into ``output_dir``; return the files written."""
    import nbformat

    notebooks = book.chapter_notebooks() if notebooks is None else notebooks
    sources = {path.resolve().parent for path in notebooks}
    if output_dir.resolve() in sources:
        raise BookError(
            f"{output_dir}: that folder holds the chapters themselves; write the student copies elsewhere (default: _build/student)"
        )
    copies = {}
    for path in notebooks:  # everything read and checked before anything is written
        nb = book.read_notebook(path)
        problems = exercise_problems(nb)
        if problems:
            raise BookError(f"{path.name}: {problems[0]}")
        copies[output_dir / path.name] = student_copy(nb)
    output_dir.mkdir(parents=True, exist_ok=True)
    for target, nb in copies.items():
        nbformat.write(nb, target)
    return list(copies)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output-dir", type=Path, default=book.ROOT / "_build" / "student")
    args = parser.parse_args(argv)
    try:
        written = write_student_copies(args.output_dir)
    except (BookError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{len(written)} student notebooks, solutions removed, in {args.output_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
