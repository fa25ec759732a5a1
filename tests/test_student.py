"""Student copies (make student): no solution survives, everything else is intact, nothing is ever lost.

Whether a chapter runs without its solutions is shown by running it: a reader's Run All skips the
worked solutions (``RUN_SOLUTIONS = False``), which is what `make test-seeds` runs for one of its
seeds. Here, that no later cell needs a name only a solution sets.
"""

from __future__ import annotations

import ast
import re
import shutil

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from tools import book, student
from tools.book import BookError
from tools.student import exercise_problems, student_copy, write_student_copies

NOTEBOOKS = book.chapter_notebooks()


def names(source: str) -> tuple[set[str], set[str]]:
    """The names a cell binds and the names it reads (IPython magics turned into Python first)."""
    tree = ast.parse(TransformerManager().transform_cell(source))
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return bound, read


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_copy_removes_every_solution_and_keeps_the_rest(path):
    nb = nbformat.read(path, as_version=4)
    solutions = [cell for cell in nb.cells if book.is_solution(cell)]
    assert solutions, f"{path.name}: no exercise solution is tagged 'solution'"
    assert exercise_problems(nb) == []

    copy = student_copy(nb)
    assert [cell.id for cell in copy.cells] == [
        cell.id for cell in nb.cells if not book.is_solution(cell)
    ]
    assert [cell.source for cell in copy.cells] == [
        c.source for c in nb.cells if not book.is_solution(c)
    ]
    solution_sources = {cell.source for cell in solutions}
    assert not any(cell.source in solution_sources for cell in copy.cells)
    assert not any(cell.source.startswith("# @title Exercise") for cell in copy.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_cell_after_a_solution_depends_on_it(path):
    """A student copy runs like the full notebook only if no later cell reads what a solution set."""
    set_by_solutions: dict[str, str] = {}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        bound, read = names(cell.source)
        if book.is_solution(cell):
            set_by_solutions.update(dict.fromkeys(bound, cell.id))
        else:
            leaks = {name: set_by_solutions[name] for name in read & set_by_solutions.keys()}
            assert not leaks, (
                f"{path.name}: cell {cell.id!r} reads names set by solution cells: {leaks}"
            )


def test_make_student_writes_a_copy_per_chapter(tmp_path):
    written = write_student_copies(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in NOTEBOOKS)
    for path in written:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert not any(book.is_solution(cell) for cell in nb.cells)


def test_a_notebook_without_marked_solutions_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Untagged")])
    nbformat.write(nb, tmp_path / "99-untagged.ipynb")
    with pytest.raises(BookError, match=r"99-untagged.ipynb: no cell is tagged 'solution'"):
        write_student_copies(tmp_path / "out", [tmp_path / "99-untagged.ipynb"])


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (
            ["Solution", "hide-cell"],
            "tag 'Solution' is not one the book uses (did you mean 'solution'?)",
        ),
        (["hide-cell"], "tag 'hide-cell' without 'solution'"),
        ([], "has no worked solution"),
    ],
)
def test_a_solution_marked_almost_right_is_refused_not_shipped(tmp_path, tags, message):
    """A solution cell tagged 'Solution', or only 'hide-cell', would reach students: refuse the chapter."""
    source = NOTEBOOKS[0]
    nb = nbformat.read(source, as_version=4)
    next(cell for cell in nb.cells if book.is_solution(cell)).metadata["tags"] = tags
    nbformat.write(nb, tmp_path / source.name)
    with pytest.raises(BookError, match=re.escape(message)):
        write_student_copies(tmp_path / "out", [tmp_path / source.name])
    assert not (tmp_path / "out").exists()


def test_the_chapters_own_folder_is_refused_and_left_intact(tmp_path, root):
    """`--output-dir notebooks` would replace the chapters with their student copies."""
    shutil.copytree(root / "notebooks", tmp_path / "notebooks")
    before = {p.name: p.read_bytes() for p in (tmp_path / "notebooks").glob("*.ipynb")}
    with pytest.raises(BookError, match="that folder holds the chapters themselves"):
        write_student_copies(
            tmp_path / "notebooks" / ".", sorted((tmp_path / "notebooks").glob("*.ipynb"))
        )
    assert {p.name: p.read_bytes() for p in (tmp_path / "notebooks").glob("*.ipynb")} == before


def test_command_refuses_the_source_folder_in_one_line(capsys, root):
    before = {p.name: p.read_bytes() for p in NOTEBOOKS}
    assert student.main(["--output-dir", str(root / "notebooks")]) == 2
    assert "that folder holds the chapters themselves" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in NOTEBOOKS} == before


def test_a_chapter_that_cannot_be_read_leaves_no_half_written_copies(tmp_path):
    good = NOTEBOOKS[0]
    shutil.copy(good, tmp_path / good.name)
    (tmp_path / "99-broken.ipynb").write_text("{ not json", encoding="utf-8")
    with pytest.raises(BookError, match=r"99-broken.ipynb: not a notebook"):
        write_student_copies(tmp_path / "out", [tmp_path / good.name, tmp_path / "99-broken.ipynb"])
    assert not (tmp_path / "out").exists()
