"""For the build exercises' tests: a chapter's own functions and worked solutions, run outside it."""

from __future__ import annotations

import ast

import numpy as np

from tools.chapters import book, model
from tools.course import assignments


def chapter_namespace(path, functions: tuple[str, ...], **extra) -> dict:
    """A namespace holding the chapter's functions named ``functions`` (their ``def``s only, not
    the cells around them), NumPy as ``np``, and ``extra``."""
    namespace = {"np": np, **extra}
    for cell in book.read_notebook(path).cells:
        if cell.cell_type != "code" or model.is_solution(cell) or "def " not in cell.source:
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # a cell with IPython's syntax (the setup cell): no function here
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in functions:
                exec(compile(ast.Module([node], []), str(path), "exec"), namespace)
    missing = [name for name in functions if name not in namespace]
    assert not missing, f"{path.name} defines no {missing}"
    return namespace


def worked_solution(path, exercise_id: str, namespace: dict):
    """The function the worked solution of ``exercise_id`` defines, run in ``namespace`` after the
    answer cell's task numbers (``TOLERANCE, MAX_EPOCHS = 1e-6, 10_000``)."""
    nb = book.read_notebook(path)
    for exercise in assignments.chapter_exercises(nb, path.name):
        if exercise.id == exercise_id:
            tree = ast.parse(exercise.header)
            numbers = [node for node in tree.body if isinstance(node, ast.Assign)]
            exec(compile(ast.Module(numbers, []), "answer cell", "exec"), namespace)
            exec(exercise.solution, namespace)
            return namespace[exercise.name]
    raise AssertionError(f"{path.name} has no exercise {exercise_id}")


def stub(path, exercise_id: str, namespace: dict):
    """The function stub of the answer cell of ``exercise_id``, as the student finds it."""
    nb = book.read_notebook(path)
    for exercise in assignments.chapter_exercises(nb, path.name):
        if exercise.id == exercise_id:
            exec(exercise.header, namespace)
            return namespace[exercise.name]
    raise AssertionError(f"{path.name} has no exercise {exercise_id}")
