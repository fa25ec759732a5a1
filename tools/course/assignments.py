"""Coursework for nbgrader: each chapter's exercises as an autograded assignment, written from the chapter.

    python -m tools.course.assignments --course-dir DIR                     # every chapter (make assignments)
    python -m tools.course.assignments --course-dir DIR --chapters 01,05    # some chapters
    python -m tools.course.assignments --course-dir DIR --chapters my/05-loan-approval-saving.ipynb  # your copy
    python -m tools.course.assignments --course-dir DIR --course-seed 7     # a graded variant (see below)
    python -m tools.course.assignments --course-dir DIR --validate          # then run each with its solutions
    python -m tools.course.assignments --course-dir DIR --answer-timeout 120  # students' cells stopped sooner
    python -m tools.course.assignments --course-dir DIR --force             # replace files you had changed
    python -m tools.course.assignments --course-dir DIR --check-submissions # before autograde: misnamed files

Run it from the book's folder (a clone of its repository): ``tools`` is not part of the installed
``nnbook`` package. It writes an nbgrader course folder: ``source/<chapter>/<chapter>.ipynb`` (one
assignment per chapter, named like the notebook), ``nbgrader_config.py`` (the cell timeouts, the
code stub, feedback pages that work offline, an exporter of one CSV row per student and exercise:
see ``tools.course.files``) and ``feedback_page/mathjax.js``. From there on it is plain nbgrader:
``nbgrader generate_assignment``, ``collect``, ``autograde``, ``generate_feedback``, ``export``
(see the teachers' page, `book/teaching.md`).

**The chapters stay the single source.** Nothing is written twice: the generator reads each
exercise from the chapter's structure (``tools.chapters.book``): the answer cell that calls
``check("NN.K", name)`` after ``name = None`` (or, for a build exercise, after the stub of the
function ``name`` that the student completes), and the worked solution tagged ``solution``, whose
code sits under ``if RUN_SOLUTIONS:`` and ends with ``check("NN.K", value)``. In the assignment:

- the answer cell becomes an autograded answer cell (``solution: true``): its ``# Your answer``
  comment, the task's numbers (``BATCH_SIZE, EPOCHS = 64, 5``) and its ``name = None`` line, then
  the worked solution, dedented, between ``### BEGIN SOLUTION`` and ``### END SOLUTION``, its
  final ``check`` turned into ``name = value`` and its ``assert`` statements left out (they test
  the book, and a variant's data can break them);
- a locked test cell with points follows it: a visible test that the answer is given, and of the
  right kind (``answer_problem``), then a hidden test (``### BEGIN HIDDEN TESTS``) that grades it
  with ``helpers.exercises.graded``: the line ``check`` would print, hint included, is what the
  student's feedback shows. For a build exercise (the answer is the student's code), ``graded`` runs
  the exercise's grader on held-out data it draws itself, which the student's notebook never
  loads, and the feedback says what it measured. ``nbgrader generate_assignment`` removes the
  solution and the hidden tests from the students' release and ``nbgrader autograde`` puts the
  tests back;
- the worked solution cells, the check cells (the book's own tests) and the Colab badge (it opens
  the book's copy, with its solutions) are left out; every other cell is a locked read-only cell.
  A cell at the top and the ``## Exercises`` introduction say how the assignment works.

Every exercise a chapter (or a teacher's copy of it) asks must be one the book's registry knows
(``helpers.exercises``), once: the grading needs its kind and tolerance.

**Practice, or a graded variant.** By default the hidden tests grade against the book's registry:
the right answers are the book's, so they are on its website, and such an assignment grades
practice, not an exam. With ``--course-seed N``, a **variant** (``tools.course.variants``): every literal
seed of the chapter is re-drawn from ``N``, and every number of a task that its exercise registers
as a variant (``Exercise.variants``) is drawn from the values listed, in the answer cell and in the
task's text. The tool then runs each variant with its worked solutions (about as long as the
chapter itself) and writes the answers they give into the hidden tests, with the tolerance the
book declares; an answer that depends on training is accepted within the spread measured over
training seeds, plus the book's margin, of the recomputed value (``variant_answer``). Grading never
runs a worked solution: it only compares. A build exercise's hidden test passes the course seed
(the held-out data) and the variant's numbers to its grader. In the variant, ``check`` says what it
can judge without the right answers (``assignment_mode``).

``--validate`` runs each assignment with its solutions (as ``nbgrader validate`` would) and
reports every failing cell; for a variant, it also reports, per chapter, the share of points whose
answer the variant changes (the published answer, or the book's worked solution for a build
exercise, no longer scores), and fails below three quarters.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import json
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.chapters import book, model
from tools.chapters.book import BookError
from tools.chapters.model import (
    Chapter,
    call_to_check,
    parse,
    plain_python,
    reseed,
)
from tools.course import files, variants

NBGRADER_SCHEMA = 3
POINTS = 1  # per exercise
MIN_CHANGED_SHARE = 0.75  # of a variant's points, whose answer the variant must change
PROBE = "@@nnbook-probe "  # marks what a validation run's probe cells print

ASSIGNMENT_NOTE = """\
**This notebook is an assignment.** It is chapter {chapter} of *Neural Networks in Python*, with
its exercises graded. Read and run the lesson as usual (its cells are read-only); the exercises at
the end are scored automatically when your teacher collects the notebook.{variant}"""

VARIANT_NOTE = """

Your course runs a **variant** of this chapter: some of its random choices differ from the book's
(the data split, the synthetic data, the chosen examples, the training seed), and so do some of the
numbers its exercises ask you to use. The numbers the text states come from the book's version, so
yours may differ a little, and the right answers differ: the book's worked solutions, on its
website, do not answer this variant."""

EXERCISES_INTRO = """\
Each exercise is followed by an answer cell: write your code where it says `# YOUR CODE HERE`, and
set the variable the cell names to your answer (replace `None`). The cell after it is graded when
your notebook is collected; now it only checks that you gave an answer, of the right kind.
{check} Before you submit, restart the kernel and run the whole notebook from the top (*Kernel,
Restart Kernel and Run All Cells*): it is graded as it runs, top to bottom, and an answer cell (or a
cell you add) that runs longer than {timeout} seconds is stopped."""

CHECK_PRACTICE = """\
For a self-check before that, give your answer to `check` in a cell of your own, as the book does:
`check("01.2", your_answer)` says at once whether it is right."""

CHECK_VARIANT = """\
`check` cannot tell you whether an answer is right here: the right answers of this variant are
not the book's. It still says whether an answer is of the right kind, and runs the code of an
exercise that asks for a function on the book's own test data."""

MODE_CELL = """\
# This notebook is a graded variant: its right answers are not the book's, so
# check() says only what it can judge without them (see the note at the top).
from helpers.exercises import assignment_mode

assignment_mode(variant=True, tasks={tasks!r})"""


# --- reading an exercise from a chapter --------------------------------------------------------


@dataclass(frozen=True)
class ExerciseInChapter:
    """One exercise of a chapter: its answer cell, the name of its answer, and its worked solution."""

    id: str  # "01.2"
    answer_index: int  # the answer cell's index in the chapter
    name: str  # the variable the answer cell gives to check()
    header: str  # the answer cell without its check() line: the "# Your answer" comment and `name = None` (or a function's stub)
    solution: str  # the worked solution, dedented, asserts left out, ending with `name = value`
    # the task's text: (cell index, offset where the task starts in it), in order
    task_cells: tuple[tuple[int, int], ...] = ()
    book_task: dict = field(default_factory=dict)  # the task's numbers in the book
    task: dict = field(default_factory=dict)  # the task's numbers in this assignment

    @property
    def grade_id(self) -> str:
        return "exercise-" + self.id.replace(".", "-")  # nbgrader ids: letters, digits and hyphens

    @property
    def registered(self):
        from helpers.exercises import EXERCISES

        return EXERCISES[self.id]


def _statement_lists(tree: ast.AST):
    for node in ast.walk(tree):
        for attribute in ("body", "orelse", "finalbody"):
            statements = getattr(node, attribute, None)
            if isinstance(statements, list) and statements and isinstance(statements[0], ast.stmt):
                yield statements
        for handler in getattr(node, "handlers", []) or []:
            yield handler.body


def without_asserts(source: str, what: str) -> str:
    """``source`` without its ``assert`` statements (a block left empty keeps a ``pass``).

    An assert that shares a line with another statement is left as it is.
    """
    tree = parse(source, what)
    lines = source.splitlines()
    edits = []  # (first line, last line, replacement lines), 0-based and inclusive
    for statements in _statement_lists(tree):
        asserts = [s for s in statements if isinstance(s, ast.Assert)]
        for node in asserts:
            before = lines[node.lineno - 1][: node.col_offset]
            after = lines[node.end_lineno - 1][node.end_col_offset :].strip()
            if before.strip() or (after and not after.startswith("#")):
                continue
            empties_a_block = statements is not tree.body and len(asserts) == len(statements)
            replacement = [before + "pass"] if empties_a_block and node is statements[0] else []
            edits.append((node.lineno - 1, node.end_lineno - 1, replacement))
    for first, last, replacement in sorted(edits, reverse=True):
        lines[first : last + 1] = replacement
    text = "\n".join(lines).strip("\n") + "\n"
    parse(text, what)
    return text


def answer_solution(solution: str, exercise_id: str, name: str, what: str) -> str:
    """The worked solution as the answer cell's solution: asserts out, its final ``check`` now ``name = value``."""
    code = without_asserts(solution, what)
    tree = parse(code, what)
    last = tree.body[-1] if tree.body else None
    called = call_to_check(last) if last is not None else None
    if called is None or called[0] != exercise_id:
        raise BookError(
            f"{what}: the worked solution must end with check({exercise_id!r}, <the answer>)"
        )
    expression = ast.get_source_segment(code, called[1])
    lines = code.splitlines()
    head = "\n".join(lines[: last.lineno - 1]).rstrip("\n")
    assignment = "" if expression == name else f"{name} = {expression}"
    return "\n".join(part for part in (head, assignment) if part).strip("\n") + "\n"


def _registry_problems(nb, name: str, answered: list[tuple[int, str]]) -> list[str]:
    """Exercises the registry does not know, or that two answer cells answer."""
    from helpers.exercises import EXERCISES

    problems = []
    for exercise_id in sorted({e for _, e in answered}):
        cells = [index for index, e in answered if e == exercise_id]
        if len(cells) > 1:
            problems.append(
                f"exercise {exercise_id} has {len(cells)} answer cells (cells "
                f"{', '.join(map(str, cells))}); nbgrader needs one graded cell per exercise: "
                "give each exercise its own id, or delete the copy"
            )
        if exercise_id not in EXERCISES:
            chapter = sorted(e for e in EXERCISES if e[:2] == exercise_id[:2])
            problems.append(
                f"exercise {exercise_id} is not one the book knows"
                + (f" (chapter {exercise_id[:2]} has {', '.join(chapter)})" if chapter else "")
                + ": its grading would fail for every student. For an exercise of your own, "
                "register it in helpers/exercises/chapterNN.py of your copy of the book, or make "
                "its cell a manually graded answer (nbgrader's Create Assignment toolbar)"
            )
    return problems


def chapter_exercises(nb, name: str) -> list[ExerciseInChapter]:
    """Every exercise of a chapter, in order, each paired with its worked solution (BookError if one
    is not, if two cells answer one exercise, or if the book's registry does not know it)."""
    chapter = Chapter(nb, name)
    answers = chapter.of_kind("answer")
    problems = chapter.exercise_problems()
    answered = [(cell.index, exercise) for cell in answers for exercise in cell.exercise_ids]
    problems += _registry_problems(nb, name, answered)
    if problems:
        raise BookError(f"{name}: {problems[0]}")
    solutions = {e: cell for cell in chapter.of_kind("solution") for e in cell.exercise_ids}
    found = []
    for cell in answers:
        ids = cell.exercise_ids
        if len(ids) != 1:
            raise BookError(
                f"{name}: cell {cell.index} answers {len(ids)} exercises ({', '.join(ids)}); an answer cell answers one"
            )
        exercise_id = ids[0]
        what = f"{name}, exercise {exercise_id}"
        solution = solutions[exercise_id]
        if solution.index < cell.index:
            raise BookError(f"{what}: the worked solution comes before the answer cell")
        variable, header = cell.answer_parts(f"{what}, answer cell")
        code = answer_solution(
            solution.solution_code(f"{what}, worked solution"),
            exercise_id,
            variable,
            f"{what}, worked solution",
        )
        exercise = ExerciseInChapter(
            exercise_id, cell.index, variable, header, code, chapter.task_cells(cell)
        )
        book_task = _book_task(exercise, what)
        found.append(dataclasses.replace(exercise, task=book_task, book_task=book_task))
    return found


def _book_task(exercise: ExerciseInChapter, what: str) -> dict:
    """The numbers of the exercise's task a variant may change, as the book's answer cell sets
    them (BookError if it does not set one, or if a build exercise's grader does not take one)."""
    registered = exercise.registered
    names = variants.task_names(registered.variants)
    set_in_cell = model.constants(exercise.header, f"{what}, answer cell")
    missing = [n for n in names if n not in set_in_cell]
    if missing:
        raise BookError(
            f"{what}: its task's numbers {', '.join(missing)} are registered as variants, but "
            "the answer cell does not set them to a number on one line "
            "(`BATCH_SIZE, EPOCHS = 64, 5`)"
        )
    book_task = {n: set_in_cell[n][0] for n in names}
    if registered.kind == "build" and book_task:
        _check_grader_takes(exercise.id, registered.grader, book_task)
    return book_task


def _check_grader_takes(exercise_id: str, grader, task: dict) -> None:
    """A build exercise's variants are keyword arguments of its grader (BookError if not)."""
    import inspect

    parameters = inspect.signature(grader).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    missing = [name for name in task if name not in parameters and not takes_any]
    if missing:
        raise BookError(
            f"exercise {exercise_id}: its grader {grader.__name__} must take the variants "
            f"{', '.join(missing)} as keyword arguments (default: the book's value), so that a "
            "graded variant can pass its own"
        )


# --- a course variant and the assignment's cells ------------------------------------------------


def _nbgrader(
    cell,
    *,
    grade_id: str,
    solution: bool = False,
    grade: bool = False,
    locked: bool = True,
    points: int | None = None,
):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": NBGRADER_SCHEMA,
        "solution": solution,
    }
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


def _string_literal(code: str) -> str:
    """``code`` as a readable Python string literal (a raw triple-quoted one when it can be)."""
    if "'''" not in code and not code.rstrip("\n").endswith("\\") and "\r" not in code:
        return "r'''\n" + code + "'''"
    return repr(code)


# --- the test cell of an exercise ----------------------------------------------------------------


def _tuple(names: list[str], values: dict) -> tuple[str, str]:
    """(``A, B``, ``1, 2``): names and their values as Python source, for one line."""
    return ", ".join(names), ", ".join(repr(values[n]) for n in names)


def test_source(
    exercise: ExerciseInChapter, course_seed: int | None, expected: str | None = None
) -> str:
    """The test cell of an exercise: a visible test that the answer is given and of the right
    kind (and that the task's numbers are the assignment's), then the hidden grading.

    In a variant, a value exercise's hidden test compares with ``expected``, the payload of the
    answer the variant's worked solution gave (:func:`helpers.exercises.variant_answer`).
    """
    name, eid = exercise.name, exercise.id
    # Each test asserts in the cell itself: the feedback's traceback is then the test's own line
    # and the one-line message, not the helpers' code.
    visible = [
        f"# Exercise {eid} is graded here when your notebook is collected.",
        "from helpers.exercises import answer_problem",
        "",
        f'_problem = answer_problem("{eid}", {name}, "{name}")',
        "assert not _problem, _problem",
    ]
    if exercise.task:
        names, values = _tuple(sorted(exercise.task), exercise.task)
        visible += [
            f"assert ({names},) == ({values},), (",
            f'    "Exercise {eid}: the task sets {names} = {values}; set them back"',
            ")",
        ]
    arguments = [f'"{eid}"', name]
    if exercise.registered.kind == "build":
        if course_seed is not None:
            arguments.append(f"seed={course_seed}")
        if course_seed is not None and exercise.task:
            arguments.append(f"task={exercise.task!r}")
    elif course_seed is not None:
        # NOT_RECOMPUTED: a draft, never written (write_course recomputes every answer first)
        arguments.append(f'expected="{expected}"' if expected else "expected=NOT_RECOMPUTED")
    hidden = [
        "from helpers.exercises import graded",
        "",
        f"_right, _verdict = graded({', '.join(arguments)})",
        "print(_verdict)",
        "assert _right, _verdict",
    ]
    return "\n".join(visible + ["### BEGIN HIDDEN TESTS", *hidden, "### END HIDDEN TESTS"])


def _wrap(text: str) -> str:
    """Markdown paragraphs wrapped at 100 columns, like the book's prose."""
    return "\n\n".join(textwrap.fill(" ".join(p.split()), 100) for p in text.strip().split("\n\n"))


def _exercises_intro(source: str, timeout: int, check: str) -> str:
    """The ``## Exercises`` cell with its self-check introduction replaced by the assignment's."""
    heading, kept = model.exercises_intro_parts(source)
    intro = EXERCISES_INTRO.format(timeout=timeout, check=check)
    return "\n\n".join([heading, _wrap(intro), *kept])


# --- the assignment notebook ----------------------------------------------------------------------


@dataclass
class Draft:
    """A chapter's assignment, before its variant's answers are recomputed."""

    name: str  # the chapter's notebook file name
    notebook: Any  # the nbgrader source notebook
    exercises: list[ExerciseInChapter]
    course_seed: int | None
    book_solutions: dict  # exercise id -> the book's worked solution (its own seeds and numbers)

    def test_cell(self, exercise_id: str):
        grade_id = "exercise-" + exercise_id.replace(".", "-")
        return next(
            cell
            for cell in self.notebook.cells
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id
        )

    def set_answers(self, expected: dict[str, str]) -> None:
        """Write the variant's recomputed answers (payloads, by exercise id) into the hidden tests."""
        for exercise in self.exercises:
            if exercise.registered.kind != "build":
                self.test_cell(exercise.id).source = test_source(
                    exercise, self.course_seed, expected[exercise.id]
                )


def assignment_notebook(
    nb, name: str, *, course_seed: int | None = None, answer_timeout: int = 600
):
    """The nbgrader source version of chapter ``nb`` (named ``name``): see the module's docstring.

    For a variant, the hidden tests of its value exercises are drafts until :func:`write_course`
    recomputes their answers (see :func:`draft_assignment`).
    """
    return draft_assignment(
        nb, name, course_seed=course_seed, answer_timeout=answer_timeout
    ).notebook


def draft_assignment(
    nb, name: str, *, course_seed: int | None = None, answer_timeout: int = 600
) -> Draft:
    """The assignment of chapter ``nb``, its variant's numbers drawn, its answers not recomputed."""
    import nbformat

    if course_seed is not None:
        variants.check_course_seed(course_seed)
    exercises = _drawn_exercises(nb, name, course_seed)
    by_answer = {exercise.answer_index: exercise for exercise in exercises}
    task_texts = _variant_task_texts(nb, name, exercises)
    first = exercises[0].id if exercises else "01.1"
    check_note = (
        CHECK_VARIANT if course_seed is not None else CHECK_PRACTICE.replace('"01.2"', f'"{first}"')
    )
    out = nbformat.v4.new_notebook(metadata=nbformat.from_dict(nb.metadata))
    kept = _KeptNames(name)
    book_solutions = {}
    mode_written = course_seed is None
    tasks = {e.id: e.task for e in exercises if e.task and e.registered.kind == "build"}
    for index, cell in enumerate(nb.cells):
        cell = nbformat.from_dict(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if not kept.take(cell, index):
                continue  # a check cell: assignments leave it out
        if model.is_solution(cell) or cell.get("id") == model.BADGE_ID:
            continue
        if index in task_texts:
            cell.source = task_texts[index]
        if cell.cell_type == "code" and course_seed is not None:
            cell.source = reseed(cell.source, course_seed)
        if index in by_answer and not mode_written:
            out.cells.append(_mode_cell(tasks))
            mode_written = True
        if index in by_answer:
            exercise = by_answer[index]
            book_solutions[exercise.id] = exercise.solution
            out.cells += _answer_and_test(cell, exercise, name, course_seed)
            continue
        if model.is_exercises_heading(cell):
            cell.source = _exercises_intro(cell.source, answer_timeout, check_note)
        out.cells.append(_nbgrader(cell, grade_id=f"cell-{cell.get('id', index)}"))
        if model.is_exercises_heading(cell) and not mode_written:
            out.cells.append(_mode_cell(tasks))
            mode_written = True
        if index == 0:  # the title: the note on the assignment goes under it
            out.cells.append(_assignment_note(name, course_seed))
    if not exercises:
        raise BookError(f"{name}: no exercises found")
    nbformat.validate(out)
    return Draft(name, out, exercises, course_seed, book_solutions)


def _drawn_exercises(nb, name: str, course_seed: int | None) -> list[ExerciseInChapter]:
    """The chapter's exercises, each with its task's numbers drawn for the course seed's variant
    (the book's numbers without a course seed)."""
    exercises = []
    for exercise in chapter_exercises(nb, name):
        if course_seed is not None and exercise.book_task:
            drawn = variants.draw_task(
                exercise.id, exercise.registered.variants, course_seed, exercise.book_task
            )
            exercise = dataclasses.replace(exercise, task=drawn)
        exercises.append(exercise)
    return exercises


def _variant_task_texts(nb, name: str, exercises: list[ExerciseInChapter]) -> dict[int, str]:
    """The markdown cells whose task text states a number the variant changes: cell index -> its
    text with the variant's numbers."""
    task_texts: dict[int, str] = {}
    for exercise in exercises:
        if exercise.task == exercise.book_task:
            continue
        for index, start in exercise.task_cells:
            source = task_texts.get(index, nb.cells[index].source)
            task_texts[index] = source[:start] + variants.set_task_text(
                source[start:],
                exercise.book_task,
                exercise.task,
                f"{name}, exercise {exercise.id}, the task's text",
            )
    return task_texts


class _KeptNames:
    """The names the assignment's code cells bind, in order, to refuse a kept cell that reads a
    name only a left-out check cell sets."""

    def __init__(self, name: str):
        self.name = name
        self.set_by_checks: set[str] = set()  # names only the left-out check cells bind
        self.set_by_kept: set[str] = set()

    def take(self, cell, index: int) -> bool:
        """Whether code ``cell`` is kept (a check cell is not); BookError if it needs a check's
        name."""
        bound, read = model.names(cell.source)
        if model.is_check(cell):
            self.set_by_checks |= bound - self.set_by_kept
            return False
        needs = sorted(read & self.set_by_checks - bound - self.set_by_kept)
        if needs and not model.is_solution(cell):
            raise BookError(
                f"{self.name}: cell {index} reads {', '.join(needs)}, set only by a check cell, "
                "which assignments leave out; set it in a lesson cell"
            )
        self.set_by_kept |= bound
        return True


def _answer_and_test(cell, exercise: ExerciseInChapter, name: str, course_seed: int | None) -> list:
    """The exercise's answer cell (its task's numbers, then the worked solution between nbgrader's
    markers) and its test cell."""
    import nbformat

    header = exercise.header
    if exercise.task != exercise.book_task:
        header = variants.set_constants(
            header, exercise.task, f"{name}, exercise {exercise.id}, answer cell"
        )
    solution = exercise.solution
    if course_seed is not None:
        header, solution = reseed(header, course_seed), reseed(solution, course_seed)
    cell.source = "\n".join(
        [header, "### BEGIN SOLUTION", solution.rstrip("\n"), "### END SOLUTION"]
    )
    cell.metadata.pop("tags", None)
    answer = _nbgrader(cell, grade_id=exercise.grade_id + "-answer", solution=True, locked=False)
    test = nbformat.v4.new_code_cell(test_source(exercise, course_seed))
    test.id = exercise.grade_id + "-test"
    return [answer, _nbgrader(test, grade_id=exercise.grade_id, grade=True, points=POINTS)]


def _assignment_note(name: str, course_seed: int | None):
    """The note under the title: what the assignment is (and, in a variant, that its numbers
    differ from the book's)."""
    import nbformat

    chapter = name[:2].lstrip("0") or "0"
    note = nbformat.v4.new_markdown_cell(
        _wrap(
            ASSIGNMENT_NOTE.format(
                chapter=chapter, variant=VARIANT_NOTE if course_seed is not None else ""
            )
        )
    )
    note.id = "assignment-note"
    return _nbgrader(note, grade_id="cell-assignment-note")


def _mode_cell(tasks: dict):
    """The locked cell that tells check() it runs in a graded variant."""
    import nbformat

    cell = nbformat.v4.new_code_cell(MODE_CELL.format(tasks=tasks))
    cell.id = "assignment-mode"
    return _nbgrader(cell, grade_id="cell-assignment-mode")


# --- running an assignment with its solutions ------------------------------------------------------

PROBE_CELL = """\
# probe of the book's tools.course.assignments (a validation run only, never in an assignment)
import json as _probe_json

from helpers.exercises import verdict as _probe_verdict

try:
    _probe = _probe_verdict({id!r}, {name}, seed={seed!r}, task={task!r})
    _probe = {{
        "right": bool(_probe.right),
        "value": _probe.value,
        "measured": _probe.measured,
    }}
except Exception as _probe_error:
    _probe = {{"error": f"{{type(_probe_error).__name__}}: {{_probe_error}}"}}
print({marker!r} + _probe_json.dumps({{"id": {id!r}, "of": "solution", **_probe}}, default=str))"""

BOOK_PROBE_CELL = """\
# probe of the book's tools.course.assignments: does the book's own worked solution pass this variant?
try:
    _probe_names = dict(globals())
    exec(compile({code!r}, "<the book's worked solution>", "exec"), _probe_names)
    _probe = _probe_verdict({id!r}, _probe_names[{name!r}], seed={seed!r}, task={task!r})
    _probe = {{"right": bool(_probe.right), "measured": _probe.measured}}
except Exception as _probe_error:
    _probe = {{"error": f"{{type(_probe_error).__name__}}: {{_probe_error}}"}}
print({marker!r} + _probe_json.dumps({{"id": {id!r}, "of": "book", **_probe}}, default=str))"""


@dataclass(frozen=True)
class Run:
    """What running an assignment with its solutions showed."""

    name: str
    failures: list  # tools.running.kernel.RaisedCell, one per cell of the assignment that raised
    solutions: (
        dict  # exercise id -> {"right", "value", "measured"} or {"error"}: the solution's answer
    )
    book: dict  # exercise id -> {"right", ...}: the book's solution, judged by the variant (build)


def run_assignment(draft: Draft) -> Run:
    """Run ``draft``'s notebook with its solutions, in a temporary folder, a probe after each
    answer cell in place of its test: the answer each worked solution gives (and, in a variant, for
    a build exercise with numbers of its own, whether the book's own solution passes it too)."""
    import nbformat

    from tools.running.kernel import execute, failures

    nb = nbformat.from_dict(draft.notebook)
    seed = draft.course_seed if draft.course_seed is not None else _book_grading_seed()
    nb.cells, probes = _with_probes(draft, nb.cells, seed)
    with tempfile.TemporaryDirectory(prefix="nnbook-assignment-") as folder:
        execute(nb, Path(folder), allow_errors=True)
    found = {"solution": {}, "book": {}}
    for cell in nb.cells:
        if id(cell) not in probes:
            continue
        for output in cell.get("outputs", []):
            for line in output.get("text", "").splitlines():
                if line.startswith(PROBE):
                    record = json.loads(line[len(PROBE) :])
                    found[record.pop("of")][record.pop("id")] = record
    ours = {index for index, cell in enumerate(nb.cells) if id(cell) in probes}
    return Run(
        draft.name,
        [f for f in failures(nb) if f.index not in ours],
        found["solution"],
        found["book"],
    )


def _with_probes(draft: Draft, cells: list, seed: int) -> tuple[list, set[int]]:
    """``cells`` with a probe in place of each test cell, then, in a variant, a probe of the book's
    own function for each build exercise with numbers of its own; and the ids of the probes."""
    import nbformat

    by_test = {e.grade_id: e for e in draft.exercises}
    probes: set[int] = set()
    out = []
    for cell in cells:
        exercise = by_test.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
        if exercise is None:
            out.append(cell)
            continue
        probe = nbformat.v4.new_code_cell(
            PROBE_CELL.format(
                id=exercise.id, name=exercise.name, seed=seed, task=exercise.task, marker=PROBE
            )
        )
        probes.add(id(probe))
        out.append(probe)
    for exercise in draft.exercises:
        if draft.course_seed is None or exercise.registered.kind != "build" or not exercise.task:
            continue
        lines = [f"{n} = {v!r}" for n, v in sorted(exercise.book_task.items())]
        code = "\n".join([*lines, plain_python(draft.book_solutions[exercise.id])])
        probe = nbformat.v4.new_code_cell(
            BOOK_PROBE_CELL.format(
                code=code,
                id=exercise.id,
                name=exercise.name,
                seed=seed,
                task=exercise.task,
                marker=PROBE,
            )
        )
        probes.add(id(probe))
        out.append(probe)
    return out, probes


def _book_grading_seed() -> int:
    from helpers.exercises import BOOK_GRADING_SEED

    return BOOK_GRADING_SEED


@dataclass(frozen=True)
class Share:
    """Which of a variant's points its published answers no longer score."""

    changed: list[str]  # exercise ids whose published answer the variant refuses
    unchanged: list[tuple[str, str]]  # (exercise id, why the published answer still scores)

    @property
    def fraction(self) -> float:
        total = len(self.changed) + len(self.unchanged)
        return len(self.changed) / total if total else 1.0

    def describe(self) -> str:
        total = len(self.changed) + len(self.unchanged)
        line = f"the variant changes the answer of {len(self.changed)} of {total} points ({self.fraction:.0%})"
        return line + "".join(f"\n    unchanged: {eid}: {why}" for eid, why in self.unchanged)


def variant_answers(draft: Draft, run: Run) -> tuple[dict[str, str], Share]:
    """The variant's right answers (payloads for the hidden tests, by exercise id), and which of
    its points the book's published answers no longer score; BookError if a worked solution failed."""
    from helpers.exercises import decode_answer, is_right, variant_answer

    problems, expected, changed, unchanged = [], {}, [], []
    for exercise in draft.exercises:
        registered = exercise.registered
        got = run.solutions.get(exercise.id, {"error": "its answer cell did not run"})
        if "error" in got:
            problems.append(f"exercise {exercise.id}: its worked solution failed: {got['error']}")
            continue
        if registered.kind == "build":
            if not got["right"]:
                problems.append(
                    f"exercise {exercise.id}: its worked solution fails the variant's grader: "
                    f"{got['measured']}"
                )
                continue
            book_run = run.book.get(exercise.id)
            if book_run is None:
                unchanged.append(
                    (
                        exercise.id,
                        "a build exercise without numbers to vary: the book's function passes",
                    )
                )
            elif book_run.get("right"):
                unchanged.append(
                    (exercise.id, f"the book's function passes it too ({book_run['measured']})")
                )
            else:
                changed.append(exercise.id)
            continue
        try:
            expected[exercise.id] = variant_answer(exercise.id, got["value"])
        except ValueError as error:
            problems.append(f"exercise {exercise.id}: {error}")
            continue
        published = decode_answer(registered.answer)["value"]
        if is_right(exercise.id, published, expected=expected[exercise.id]):
            why = f"the book's answer {published!r} is right here too"
            if registered.spread is None and "low" in decode_answer(registered.answer):
                why += " (no measured spread registered: the variant accepts the range's width)"
            unchanged.append((exercise.id, why))
        else:
            changed.append(exercise.id)
    if problems and run.failures:  # a cell before it failed, most likely: say which
        problems[0] += f" (the first cell that failed: {run.failures[0].describe()})"
    if problems:
        raise BookError(
            f"{draft.name}, the variant of course seed {draft.course_seed}: {problems[0]}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
            + "; try another course seed, or fix the chapter"
        )
    return expected, Share(changed, unchanged)


# --- the course folder ---------------------------------------------------------------------------


@dataclass
class Written:
    """What :func:`write_course` wrote, and what it learnt running the chapters."""

    notebooks: list[Path]
    runs: dict = field(default_factory=dict)  # chapter name -> Run (variants, and --validate)
    shares: dict = field(default_factory=dict)  # chapter name -> Share (variants)
    notes: list[str] = field(default_factory=list)  # what the teacher should know


def write_course(
    course_dir: Path,
    notebooks: list[Path],
    *,
    course_seed: int | None = None,
    answer_timeout: int | None = None,
    force: bool = False,
    validate: bool = False,
    progress=None,
) -> Written:
    """Write the nbgrader course folder; return what was written.

    Every chapter is read and turned into its assignment (for a variant, run with its solutions to
    recompute its answers; with ``validate``, run in any case) before anything is written. A file
    that exists and differs from what the tool would write (an assignment edited in nbgrader's
    Create Assignment toolbar, ``nbgrader_config.py`` with your settings) is replaced only with
    ``force``. ``progress`` (a function of one line) hears which chapter runs.
    """
    import nbformat

    answer_timeout = book.cell_timeout() if answer_timeout is None else answer_timeout
    _check_course_arguments(course_dir, course_seed, answer_timeout)
    drafts = {}
    for path in notebooks:
        drafts[path.stem] = draft_assignment(
            book.read_notebook(path),
            path.name,
            course_seed=course_seed,
            answer_timeout=answer_timeout,
        )
    config = files.config_text(
        origin=(
            f"a variant, course seed {course_seed}"
            if course_seed is not None
            else "the book's own data and answers"
        ),
        book_timeout=book.cell_timeout(),
        answer_timeout=answer_timeout,
    )
    config_path = course_dir / files.CONFIG
    _refuse_edits(course_dir, drafts, config_path, config, force, tests=False)
    written = Written([])
    if course_seed is not None or validate:
        _run_drafts(drafts, written, progress)
    _refuse_edits(course_dir, drafts, config_path, config, force, tests=True)
    for stem, draft in drafts.items():
        folder = course_dir / "source" / stem
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(draft.notebook, folder / f"{stem}.ipynb")
        written.notebooks.append(folder / f"{stem}.ipynb")
    config_path.write_text(config, encoding="utf-8")
    written.notes += _copy_mathjax(course_dir)
    return written


def _run_drafts(drafts: dict[str, Draft], written: Written, progress) -> None:
    """Run each assignment with its worked solutions, into ``written.runs``; a variant's recomputed
    answers go into its hidden tests, and the share of points they change into ``written.shares``."""
    for stem, draft in drafts.items():
        if progress:
            what = (
                "recomputing its variant's answers"
                if draft.course_seed is not None
                else "validating"
            )
            progress(f"{stem}: running it with its worked solutions ({what})")
        run = run_assignment(draft)
        written.runs[stem] = run
        if draft.course_seed is not None:
            expected, written.shares[stem] = variant_answers(draft, run)
            draft.set_answers(expected)


def _check_course_arguments(course_dir: Path, course_seed: int | None, answer_timeout) -> None:
    """BookError unless the course seed and the time limit are valid and the course folder is a
    folder of its own (not the chapters' or the book's)."""
    if course_seed is not None:
        variants.check_course_seed(course_seed)
    if (
        isinstance(answer_timeout, bool)
        or not isinstance(answer_timeout, int)
        or answer_timeout < 1
    ):
        raise BookError(
            f"--answer-timeout must be a positive number of seconds; got {answer_timeout}"
        )
    chapters_folder = book.ROOT / "notebooks"
    if (
        course_dir.resolve() == chapters_folder.resolve()
        or chapters_folder.resolve() in course_dir.resolve().parents
    ):
        raise BookError(
            f"{course_dir}: that is the chapters' own folder; write the course elsewhere "
            "(make assignments: _build/course)"
        )
    if course_dir.resolve() == book.ROOT.resolve():
        raise BookError(
            f"{course_dir}: that is the book's own folder; write the course in a folder of its "
            "own (make assignments: _build/course)"
        )
    if course_dir.exists() and not course_dir.is_dir():
        raise BookError(f"--course-dir {course_dir}: a file, not a folder; name a folder")


def _copy_mathjax(course_dir: Path) -> list[str]:
    """MathJax beside the feedback pages, so that their formulas show offline (once); the note
    for the teacher if the book's copy is missing."""
    mathjax = course_dir / files.MATHJAX
    source = files.mathjax_source()
    if source is not None and not mathjax.exists():
        mathjax.parent.mkdir(parents=True, exist_ok=True)
        mathjax.write_bytes(source.read_bytes())
    elif source is None and not mathjax.exists():
        return [
            "MathJax for the feedback pages was not found (the book's `book` extra installs it): "
            "their formulas will need the internet"
        ]
    return []


def _refuse_edits(course_dir, drafts, config_path, config, force, *, tests) -> None:
    """BookError if writing would replace a file the teacher changed (unless ``force``). Before a
    variant's answers are recomputed (``tests`` False), its test cells are not compared."""
    import nbformat

    if force:
        return
    if files.edited(config_path) and config_path.read_text(encoding="utf-8") != config:
        raise BookError(
            f"{config_path}: it has changes of yours (or an older version of the book wrote it): "
            "move your settings into course_config.py beside it, which is read last and never "
            "rewritten, then delete nbgrader_config.py and run this again; or add --force to "
            "replace it"
        )

    def comparable(nb) -> str:
        nb = nbformat.from_dict(nb)
        for cell in nb.cells:
            if not tests and cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
                cell.source = ""
        return nbformat.writes(nb)

    changed = []
    for stem, draft in drafts.items():
        path = course_dir / "source" / stem / f"{stem}.ipynb"
        if not path.exists():
            continue
        try:
            existing = nbformat.read(path, as_version=4)
        except Exception:  # not a notebook any more: the teacher's to keep or replace
            changed.append(stem)
            continue
        if comparable(existing) != comparable(draft.notebook):
            changed.append(stem)
    if changed:
        raise BookError(
            f"{course_dir / 'source'}: the assignments {', '.join(changed)} exist and differ from "
            "what the chapters give now; add --force to replace them (edits made in them are "
            "lost), then `nbgrader generate_assignment --force`"
        )


def _plain_file_name(stem: str) -> bool:
    """Whether ``stem`` is letters, digits, '.', '_' and '-' only, starting with a letter or digit."""
    return (
        stem[:1].isascii()
        and stem[:1].isalnum()
        and all(c.isascii() and (c.isalnum() or c in "._-") for c in stem)
    )


def select_chapters(chapters: str | None, root: Path = book.ROOT) -> list[Path]:
    """The chapter notebooks ``chapters`` names, in order: numbers ("01,05"), or notebook files
    (your own copy of a chapter, "my/05-loan-approval-saving.ipynb"); None: every chapter."""
    notebooks = book.chapter_notebooks(root)
    if chapters is None:
        return notebooks
    parts = [part.strip() for part in chapters.split(",") if part.strip()]
    if not parts:
        raise BookError(
            f"--chapters names no chapter ({chapters!r}): give numbers (01,05) or notebook files, "
            "or leave it out for every chapter"
        )
    by_number = {path.name[:2]: path for path in notebooks}
    selected, unknown = [], []
    for part in parts:
        if part.endswith(".ipynb"):
            if not Path(part).is_file():
                raise BookError(f"--chapters: {part}: no such notebook")
            if not _plain_file_name(Path(part).stem):
                raise BookError(
                    f"--chapters: {part}: nbgrader names the assignment after the file; rename "
                    "it with letters, digits, '.', '_' and '-' only (no spaces, no '+')"
                )
            selected.append(Path(part))
        elif part.zfill(2) in by_number:
            selected.append(by_number[part.zfill(2)])
        else:
            unknown.append(part)
    if unknown:
        raise BookError(
            f"--chapters: no chapter {', '.join(unknown)}; the chapters are {', '.join(sorted(by_number))}"
        )
    selected = list({path.resolve(): path for path in selected}.values())  # each notebook once
    stems = [path.stem for path in selected]
    if len(set(stems)) != len(stems):
        raise BookError(
            f"--chapters: two notebooks of the same name would be one assignment: {', '.join(stems)}"
        )
    return sorted(selected, key=lambda path: path.name)


def nbgrader_environment(course: Path) -> dict[str, str]:
    """The environment nbgrader runs in, in ``course``: this one, with this environment's own
    programs first on PATH (nbgrader runs ``alembic`` from it, as if activated), only the course's
    own Jupyter configuration and data (nothing read from or written to the user's home), and
    NNBOOK_DATA made absolute (nbgrader runs the notebooks in folders of its own)."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["JUPYTER_CONFIG_DIR"] = env["JUPYTER_DATA_DIR"] = str(course / ".jupyter")
    if env.get("NNBOOK_DATA"):
        env["NNBOOK_DATA"] = str(Path(env["NNBOOK_DATA"]).resolve())
    return env


def time_autograde(notebook: Path, *, student: str = "student") -> dict:
    """What grading one submission of chapter ``notebook`` costs: a practice course in a temporary
    folder, a submission answered with the worked solutions, then ``nbgrader autograde`` and
    ``nbgrader generate_feedback`` timed on the clock (``tools.running.bench``; a class grades one
    submission after another, so a class of 30 takes about 30 times as long).
    """
    import subprocess
    import time

    with tempfile.TemporaryDirectory(prefix="nnbook-autograde-") as folder:
        course = Path(folder) / "course"
        stem = write_course(course, [notebook]).notebooks[0].stem
        env = nbgrader_environment(course)

        def nbgrader(*args: str) -> float:
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "nbgrader", *args],
                cwd=course,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise BookError(f"nbgrader {args[0]} {stem} failed: {done.stderr[-2000:]}")
            return time.perf_counter() - start

        nbgrader("generate_assignment", stem)
        _submit_solved(course, stem, student)
        autograde_s = nbgrader("autograde", stem)
        feedback_s = nbgrader("generate_feedback", stem)
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            submission = gradebook.find_submission(stem, student)
            score, max_score = submission.score, submission.max_score
    return {
        "assignment": stem,
        "autograde_s": round(autograde_s, 1),
        "generate_feedback_s": round(feedback_s, 1),
        "score": score,
        "max_score": max_score,
    }


def _submit_solved(course: Path, stem: str, student: str) -> None:
    """Hand in the released assignment ``stem`` as ``student``, each answer cell holding its
    worked solution (without nbgrader's markers), as a student who solved it would."""
    import shutil

    import nbformat

    submitted = course / "submitted" / student / stem
    submitted.mkdir(parents=True)
    shutil.copy(course / "release" / stem / f"{stem}.ipynb", submitted)
    source = nbformat.read(course / "source" / stem / f"{stem}.ipynb", as_version=4)
    release = nbformat.read(submitted / f"{stem}.ipynb", as_version=4)
    solved = {
        c.metadata.nbgrader.grade_id: c.source
        for c in source.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("solution")
    }
    for cell in release.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in solved:
            cell.source = "\n".join(
                line for line in solved[grade_id].splitlines() if not line.startswith("### ")
            )
    nbformat.write(release, submitted / f"{stem}.ipynb")


def _next_steps(course_dir: Path, written: list[Path], force: bool) -> list[str]:
    """The nbgrader commands to run next, with --force where a release would otherwise be skipped."""
    lines = []
    for path in written:
        stem = path.stem
        replace = force or (course_dir / "release" / stem).exists()
        lines.append(
            f"  nbgrader generate_assignment {stem}{' --force' if replace else ''}"
            + ("   (--force: it replaces the release/ copy made before)" if replace else "")
        )
    return lines


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--course-dir", type=Path, required=True, help="the nbgrader course folder to write"
    )
    parser.add_argument(
        "--chapters",
        help="comma-separated chapter numbers (01,02) or notebook files (your copy of a chapter); default: every chapter",
    )
    parser.add_argument(
        "--course-seed",
        type=int,
        help=f"a graded variant: re-draw the chapters' random choices and the tasks' numbers from "
        f"this seed (1 to {variants.MAX_COURSE_SEED:,}), and recompute the answers",
    )
    parser.add_argument(
        "--answer-timeout",
        type=int,
        help="seconds a student's cell may run when grading (default: the book's execute.timeout in _config.yml)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace assignments and nbgrader_config.py that exist and differ (edits in them are lost)",
    )
    parser.add_argument(
        "--validate",
        action="store_true",
        help="run each assignment with its solutions and report failing cells; for a variant, fail "
        "if it changes the answer of fewer than three quarters of a chapter's points",
    )
    parser.add_argument(
        "--check-submissions",
        action="store_true",
        help="write nothing: list the files in submitted/ that nbgrader autograde would skip "
        "(a renamed notebook scores 0 without a word)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.check_submissions:
        return _check_submissions(args.course_dir)

    def progress(line: str) -> None:
        print(line, flush=True)

    try:
        result = write_course(
            args.course_dir,
            select_chapters(args.chapters),
            course_seed=args.course_seed,
            answer_timeout=args.answer_timeout,
            force=args.force,
            validate=args.validate,
            progress=progress,
        )
    except BookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a folder that cannot be written, a disk full, ...
        what = error.strerror or type(error).__name__
        print(f"error: cannot write the course: {what}: {error.filename or error}", file=sys.stderr)
        return 2
    kind = (
        f"variant of course seed {args.course_seed}"
        if args.course_seed is not None
        else "the book's data and answers"
    )
    print(
        f"{len(result.notebooks)} assignments ({kind}) in {args.course_dir / 'source'}; "
        f"{files.CONFIG} written"
    )
    for note in result.notes:
        print(f"note: {note}")
    status = 0
    for path in result.notebooks:
        if not _report_run(path.stem, result, args.course_seed, args.validate):
            status = 1
    if result.notebooks:
        print(
            f"next, with the environment activated (see book/teaching.md):\n"
            f"  cd {args.course_dir}\n"
            + "\n".join(_next_steps(args.course_dir, result.notebooks, args.force))
        )
    return status


def _report_run(stem: str, result: Written, course_seed: int | None, validate: bool) -> bool:
    """Print what running chapter ``stem``'s assignment found: its failing cells, wrong worked
    solutions and, for a variant, the share of points it changes. False if ``validate`` fails it."""
    run = result.runs.get(stem)
    if run is None:
        return True
    passed = True
    bad = [
        f"exercise {eid}: the worked solution's answer is not right: {got.get('measured') or got}"
        for eid, got in run.solutions.items()
        if course_seed is None and not got.get("right")
    ]
    print(
        f"{stem}: "
        + ("every cell ran" if not run.failures else f"{len(run.failures)} failing cells")
    )
    for line in [failure.describe() for failure in run.failures] + bad:
        print(f"  {line}")
        passed = passed and not validate
    share = result.shares.get(stem)
    if share is not None:
        print(f"  {share.describe()}")
        if validate and share.fraction < MIN_CHANGED_SHARE:
            print(
                f"  fewer than {MIN_CHANGED_SHARE:.0%} of its points: the published answers "
                "would score too much (register variants of the tasks' numbers, or change "
                "the exercise in a copy of the chapter)"
            )
            passed = False
    return passed


def _check_submissions(course_dir: Path) -> int:
    if not (course_dir / "source").is_dir():
        print(
            f"error: {course_dir}: no source/ folder: not a course folder written by this tool",
            file=sys.stderr,
        )
        return 2
    problems = files.submission_problems(course_dir)
    for problem in problems:
        print(problem.describe(course_dir))
    submitted = course_dir / "submitted"
    if not problems:
        print(
            f"every notebook under {submitted} is named as its assignment's"
            if submitted.is_dir()
            else f"{submitted}: nothing submitted yet"
        )
        return 0
    print(f"{len(problems)} to fix before `nbgrader autograde`, or those students score 0 there")
    return 1


if __name__ == "__main__":
    sys.exit(main())
