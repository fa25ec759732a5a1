"""Student copies (make student): no solution survives, everything else is intact, and they run."""

from __future__ import annotations

import ast

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from tools.execute import execute
from tools.student import is_solution, student_copy, write_student_copies
from tools.sync_notebooks import chapter_notebooks

NOTEBOOKS = chapter_notebooks()


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
    solutions = [cell for cell in nb.cells if is_solution(cell)]
    assert solutions, f"{path.name}: no exercise solution is tagged 'solution'"
    assert all(cell.cell_type == "code" and "hide-cell" in cell.metadata["tags"] for cell in solutions)

    student = student_copy(nb)
    assert [cell.id for cell in student.cells] == [cell.id for cell in nb.cells if not is_solution(cell)]
    assert [cell.source for cell in student.cells] == [c.source for c in nb.cells if not is_solution(c)]
    assert not any("assert check(" in cell.source for cell in student.cells)
    solution_sources = {cell.source for cell in solutions}
    assert not any(cell.source in solution_sources for cell in student.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_cell_after_a_solution_depends_on_it(path):
    """A student copy runs like the full notebook only if no later cell reads what a solution set."""
    set_by_solutions: dict[str, str] = {}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        bound, read = names(cell.source)
        if is_solution(cell):
            set_by_solutions.update(dict.fromkeys(bound, cell.id))
        else:
            leaks = {name: set_by_solutions[name] for name in read & set_by_solutions.keys()}
            assert not leaks, f"{path.name}: cell {cell.id!r} reads names set by solution cells: {leaks}"


def test_make_student_writes_a_copy_per_chapter(tmp_path):
    written = write_student_copies(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in NOTEBOOKS)
    for path in written:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert not any(is_solution(cell) for cell in nb.cells)


def test_a_notebook_without_marked_solutions_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Untagged")])
    nbformat.write(nb, tmp_path / "99-untagged.ipynb")
    with pytest.raises(ValueError, match=r"99-untagged.ipynb has no cell tagged 'solution'"):
        write_student_copies(tmp_path / "out", [tmp_path / "99-untagged.ipynb"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_copy_executes(path):
    """Run a student copy as a learner would, answer cells unanswered: it must not fail."""
    nb = nbformat.read(path, as_version=4)
    exercises = {cell.source.split('check("')[1].split('"')[0] for cell in nb.cells if is_solution(cell)}
    student = student_copy(nb)
    execute(student, path.parent)
    outputs = "".join(o.get("text", "") for c in student.cells if c.cell_type == "code" for o in c.outputs)
    for exercise in sorted(exercises):  # every unanswered check() cell ran, and said so
        assert f"Exercise {exercise}: not the kind of answer expected" in outputs, outputs[-2000:]
