"""Write student copies of the chapters: the exercise solutions removed, everything else intact.

A solution is a code cell tagged ``solution`` (see ``tools.chapters.model``). Student copies keep every other
cell as it is, without outputs, so a teacher can hand them out and publish the full notebooks after
the deadline.

    python -m tools.course.student_copies                      # make student: into _build/student
    python -m tools.course.student_copies --output-dir DIR
    python -m tools.course.student_copies --force              # replace copies already there (edited ones too)

Every chapter is read and checked before anything is written: a chapter that cannot be read, or
whose exercises and solutions do not pair up, stops the tool with nothing written. It refuses an
output folder that holds the chapters themselves, or that is a file, and it never replaces a copy
already in the output folder (a teacher may have edited it) unless told ``--force``.

When `_config.yml` names a branch (main), which moves, the copies' Colab setup cell and badge are
pinned to the commit checked out here, so that a copy handed out today installs the same helpers
mid-semester; a book frozen at a release tag (`make sync REF=v1.0`) keeps its tag.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

from tools.chapters import book, model, sync
from tools.chapters.book import BookError
from tools.chapters.model import exercise_problems


def student_copy(nb):
    """A copy of ``nb`` without its solution cells and without outputs."""
    import nbformat

    copy = nbformat.from_dict(nb)
    copy.cells = [cell for cell in copy.cells if not model.is_solution(cell)]
    for cell in copy.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return copy


def _output_folder_problem(output_dir: Path) -> str | None:
    """Why ``output_dir`` cannot hold the copies (a file, or below a file), or None."""
    for folder in (output_dir, *output_dir.parents):
        if folder.exists() and not folder.is_dir():
            what = "is a file" if folder == output_dir else f"is below {folder}, which is a file"
            return f"{output_dir}: {what}, not a folder; give --output-dir a folder (default: _build/student)"
        if folder.exists():
            return None
    return None


def write_student_copies(
    output_dir: Path,
    notebooks: list[Path] | None = None,
    *,
    force: bool = False,
    pin: str | None = None,
) -> list[Path]:
    """Write a student copy of each chapter into ``output_dir``; return the files written.

    A copy already there that differs from the new one (a teacher's edited copy) is replaced only
    with ``force``. ``pin`` is a commit (or tag) for the copies' Colab install and badge instead of
    `_config.yml`'s branch.
    """
    import nbformat

    notebooks = book.chapter_notebooks() if notebooks is None else notebooks
    sources = {path.resolve().parent for path in notebooks}
    if output_dir.resolve() in sources:
        raise BookError(
            f"{output_dir}: that folder holds the chapters themselves; write the student copies elsewhere (default: _build/student)"
        )
    problem = _output_folder_problem(output_dir)
    if problem:
        raise BookError(problem)
    repo = book.repository() if pin else None
    copies = {}
    for path in notebooks:  # everything read and checked before anything is written
        nb = book.read_notebook(path)
        problems = exercise_problems(nb)
        if problems:
            raise BookError(f"{path.name}: {problems[0]}")
        if pin:
            pinned = dataclasses.replace(repo, branch=pin)
            nb = sync.synced(nb, pinned, path, path.resolve().parent.parent)
        copies[output_dir / path.name] = student_copy(nb)
    replaced = [
        target
        for target, nb in copies.items()
        if target.exists() and target.read_text(encoding="utf-8") != nbformat.writes(nb) + "\n"
    ]
    if replaced and not force:
        others = f" (and {len(replaced) - 1} more)" if len(replaced) > 1 else ""
        raise BookError(
            f"{replaced[0]}{others}: a student copy is already there and differs (a copy you may "
            f"have edited); pass --force to replace it, or choose another --output-dir"
        )
    output_dir.mkdir(parents=True, exist_ok=True)
    for target, nb in copies.items():
        nbformat.write(nb, target)
    return list(copies)


def commit_pin(root: Path = book.ROOT) -> tuple[str | None, str]:
    """The commit to pin student copies to, and a line that says what the copies install.

    None when `_config.yml` names a tag (the book is frozen), or when git cannot say which commit
    holds these helpers (no git, not a checkout, or helpers changed since the last commit).
    """
    branch = book.repository(root).branch
    git = shutil.which("git")

    def run(*args: str) -> str | None:
        done = subprocess.run(
            [git, "-C", str(root), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else None

    unpinned = (
        f"note: the copies install the helpers from {branch}, which moves: freeze a course with "
        f"`make sync REF=<tag>` (book/teaching.md)"
    )
    if git is None or run("rev-parse", "--git-dir") is None:
        return None, unpinned + " (no git checkout here to pin a commit)"
    if run("show-ref", "--verify", f"refs/tags/{branch}") is not None:
        return None, f"the copies install the helpers of the tag {branch}"
    commit = run("rev-parse", "HEAD")
    changed = run("status", "--porcelain", "--", "helpers", "pyproject.toml")
    if commit is None or changed:
        return None, unpinned + " (the helpers here have uncommitted changes: commit them to pin)"
    return commit, (
        f"note: {branch} moves, so the copies install the helpers of commit {commit[:12]}, checked "
        f"out here: push it before handing them out"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output-dir", type=Path, default=book.ROOT / "_build" / "student")
    parser.add_argument(
        "--force", action="store_true", help="replace copies already in the output folder"
    )
    args = parser.parse_args(argv)
    try:
        pin, note = commit_pin(book.ROOT)
        written = write_student_copies(args.output_dir, force=args.force, pin=pin)
    except BookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        print(f"error: {error.filename or args.output_dir}: {reason}", file=sys.stderr)
        return 2
    print(f"{len(written)} student notebooks, solutions removed, in {args.output_dir}")
    print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
