"""Coursework for nbgrader: each chapter's exercises as an autograded assignment, written from the chapter.

    python -m tools.assignments --course-dir DIR                     # every chapter (make assignments)
    python -m tools.assignments --course-dir DIR --chapters 01,05    # some chapters
    python -m tools.assignments --course-dir DIR --chapters my/05-loan-approval-saving.ipynb  # your copy
    python -m tools.assignments --course-dir DIR --course-seed 7     # a variant: other data, answers recomputed
    python -m tools.assignments --course-dir DIR --validate          # then run each with its solutions
    python -m tools.assignments --course-dir DIR --answer-timeout 120  # students' cells stopped sooner
    python -m tools.assignments --course-dir DIR --force             # replace assignments you had changed

It writes an nbgrader course folder: ``source/<chapter>/<chapter>.ipynb`` (one assignment per
chapter, named like the notebook), and ``nbgrader_config.py`` (the cell timeout, the code stub, an
exporter of one CSV row per student and exercise). From there on it is plain nbgrader:
``nbgrader generate_assignment``, ``collect``, ``autograde``, ``generate_feedback``, ``export``
(see the teachers' page, `book/teaching.md`).

**The chapters stay the single source.** Nothing is written twice: the generator reads each
exercise from the chapter's structure (``tools.book``): the answer cell that calls
``check("NN.K", name)`` after ``name = None``, and the worked solution tagged ``solution``, whose
code sits under ``if RUN_SOLUTIONS:`` and ends with ``check("NN.K", value)``. In the assignment:

- the answer cell becomes an autograded answer cell (``solution: true``): its ``# Your answer``
  comment and ``name = None`` line, then the worked solution, dedented, between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION``, its final ``check`` turned into ``name = value``
  and its ``assert`` statements left out (they test the book, and a variant's data can break them);
- a locked test cell with points follows it: a visible test that the answer is given, then hidden
  tests (``### BEGIN HIDDEN TESTS``) that compare it with the right answer. ``nbgrader
  generate_assignment`` removes the solution and the hidden tests from the students' release and
  ``nbgrader autograde`` puts the tests back;
- the worked solution cells, the check cells (the book's own tests) and the Colab badge (it opens
  the book's copy, with its solutions) are left out; every other cell is a locked read-only cell.
  A cell at the top and the ``## Exercises`` introduction say how the assignment works.

**How the hidden tests know the right answer.** Two ways, one per kind of course:

- By default, from the book's registry: ``assert is_right("NN.K", name)`` (``helpers.exercises``),
  with the tolerance the book declares for the exercise (a relative tolerance for a number any
  machine computes, the range measured across training seeds for a result of training). The right
  answers are the book's, so they are on its website: such an assignment grades practice, not an
  exam.
- With ``--course-seed N``, a variant: every random choice the chapter makes from a literal seed
  (``SEED = 42`` in the setup cell, ``np.random.default_rng(42)``, ``random_state=0``,
  ``seed=1``, ...) is re-drawn from seed ``1000 N + literal`` (distinct literals stay distinct), in
  the lesson and in the solutions alike: other data splits, other synthetic data (chapter 5's
  ``make_loan_applications(..., seed=1)``), other chosen examples, another training path. The
  hidden test then runs the worked solution again, at grading time, in a copy of the notebook's
  names (so the student's own names are left as they were, and its printed output is discarded),
  and compares the student's answer with that recomputed answer, of the kind and with the
  tolerance the book declares; an answer that depends on training accepts the recomputed value
  plus or minus the width of the registered range. The comparison lives in ``course_grading.py``
  beside each notebook (it holds no answer). Only seeds written out change: a call that relies
  on a function's default seed keeps it (write ``seed=0`` to let variants change it). Answers
  that do not depend on the data (parameter counts, for one) are the same as the book's:
  ``--validate`` lists them; a teacher changes such an exercise in a copy of the chapter.

``--validate`` runs each generated notebook with its solutions (as ``nbgrader validate`` would) and
reports every failing cell, and, for a variant, which answers still equal the book's.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tools import book
from tools.book import BookError

NBGRADER_SCHEMA = 3
POINTS = 1  # per exercise
GRADING_MODULE = "course_grading"  # beside each notebook of a variant

# A literal seed, in the forms the chapters use. Each pattern's group 1 is the literal.
SEED_PATTERNS = [
    re.compile(r"^SEED = (\d[\d_]*)\b", re.M),  # the setup cell's training seed
    re.compile(r"\bdefault_rng\(\s*(\d[\d_]*)\s*\)"),
    re.compile(r"\bRandomState\(\s*(\d[\d_]*)\s*\)"),
    re.compile(r"\b(?:random\.seed|set_seed|set_random_seed)\(\s*(\d[\d_]*)\s*\)"),
    re.compile(r"\brandom_state\s*=\s*(\d[\d_]*)\b"),
    re.compile(
        r"\bseed\s*=\s*(\d[\d_]*)\b"
    ),  # a keyword argument or a default: make_loan_applications(1_000, seed=1)
]

ASSIGNMENT_NOTE = """\
**This notebook is an assignment.** It is chapter {chapter} of *Neural Networks in Python*, with
its exercises graded. Read and run the lesson as usual (its cells are read-only); the exercises at
the end are scored automatically when your teacher collects the notebook.{variant}"""

VARIANT_NOTE = """

Your course runs a **variant** of this chapter: some of its random choices differ from the book's
(the data split, the synthetic data, the chosen examples, the training seed). The numbers the text
states come from the book's version, so yours may differ a little, and so do the right answers."""

EXERCISES_INTRO = """\
Each exercise is followed by an answer cell: write your code where it says `# YOUR CODE HERE`, and
set the variable the cell names to your answer (replace `None`). The cell after it is graded when
your notebook is collected; now it only checks that you gave an answer. Before you submit, restart
the kernel and run the whole notebook from the top (*Kernel, Restart Kernel and Run All Cells*):
it is graded as it runs, top to bottom, and an answer cell (or a cell you add) that runs longer
than {timeout} seconds is stopped."""


# --- reading an exercise from a chapter --------------------------------------------------------


@dataclass(frozen=True)
class Exercise:
    """One exercise of a chapter: its answer cell, the name of its answer, and its worked solution."""

    id: str  # "01.2"
    answer_index: int  # the answer cell's index in the chapter
    name: str  # the variable the answer cell gives to check()
    header: str  # the answer cell without its check() line: the "# Your answer" comment and `name = None`
    solution: str  # the worked solution, dedented, asserts left out, ending with `name = value`

    @property
    def grade_id(self) -> str:
        return "exercise-" + self.id.replace(".", "-")  # nbgrader ids: letters, digits and hyphens


def _call_to_check(node: ast.stmt) -> tuple[str, ast.expr] | None:
    """(exercise id, answer expression) if ``node`` is a statement ``check("NN.K", answer)``."""
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return None
    call = node.value
    if not (
        isinstance(call.func, ast.Name)
        and call.func.id == "check"
        and len(call.args) == 2
        and not call.keywords
    ):
        return None
    first = call.args[0]
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None
    return first.value, call.args[1]


def _parse(source: str, what: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError as error:
        raise BookError(f"{what}: not valid Python (line {error.lineno}: {error.msg})") from None


def solution_code(cell, what: str) -> str:
    """The code of a worked solution cell: what sits under ``if RUN_SOLUTIONS:``, dedented."""
    lines = cell.source.splitlines()
    guard = [i for i, line in enumerate(lines) if line.strip() == "if RUN_SOLUTIONS:"]
    if len(guard) != 1 or any(
        line.strip() and not line.lstrip().startswith("#") for line in lines[: guard[0]]
    ):
        raise BookError(
            f"{what}: a worked solution is a `# @title` line, then `if RUN_SOLUTIONS:` with the solution under it"
        )
    body = lines[guard[0] + 1 :]
    if any(line.strip() and not line.startswith((" ", "\t")) for line in body):
        raise BookError(
            f"{what}: every line of the solution must be indented under `if RUN_SOLUTIONS:`"
        )
    return textwrap.dedent("\n".join(body)).strip("\n") + "\n"


def _statement_lists(tree: ast.AST):
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(node, field, None)
            if isinstance(statements, list) and statements and isinstance(statements[0], ast.stmt):
                yield statements
        for handler in getattr(node, "handlers", []) or []:
            yield handler.body


def without_asserts(source: str, what: str) -> str:
    """``source`` without its ``assert`` statements (a block left empty keeps a ``pass``).

    An assert that shares a line with another statement is left as it is.
    """
    tree = _parse(source, what)
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
    _parse(text, what)
    return text


def answer_solution(solution: str, exercise_id: str, name: str, what: str) -> str:
    """The worked solution as the answer cell's solution: asserts out, its final ``check`` now ``name = value``."""
    code = without_asserts(solution, what)
    tree = _parse(code, what)
    last = tree.body[-1] if tree.body else None
    called = _call_to_check(last) if last is not None else None
    if called is None or called[0] != exercise_id:
        raise BookError(
            f"{what}: the worked solution must end with check({exercise_id!r}, <the answer>)"
        )
    expression = ast.get_source_segment(code, called[1])
    lines = code.splitlines()
    head = "\n".join(lines[: last.lineno - 1]).rstrip("\n")
    assignment = "" if expression == name else f"{name} = {expression}"
    return "\n".join(part for part in (head, assignment) if part).strip("\n") + "\n"


def _answer_cell_parts(cell, exercise_id: str, what: str) -> tuple[str, str]:
    """(the answer's variable name, the cell without its check() line)."""
    tree = _parse(cell.source, what)
    calls = [(node, _call_to_check(node)) for node in tree.body]
    calls = [(node, called) for node, called in calls if called and called[0] == exercise_id]
    if len(calls) != 1 or not isinstance(calls[0][1][1], ast.Name):
        raise BookError(
            f"{what}: an answer cell ends with check({exercise_id!r}, <a variable name>)"
        )
    node, (_, answer) = calls[0]
    given = [
        n
        for n in tree.body
        if isinstance(n, ast.Assign)
        and [t.id for t in n.targets if isinstance(t, ast.Name)] == [answer.id]
    ]
    if not given:
        raise BookError(
            f"{what}: the answer cell must set {answer.id} (`{answer.id} = None  # replace None ...`) before check()"
        )
    lines = cell.source.splitlines()
    del lines[node.lineno - 1 : node.end_lineno]
    return answer.id, "\n".join(lines).rstrip("\n")


def chapter_exercises(nb, name: str) -> list[Exercise]:
    """Every exercise of a chapter, in order, each paired with its worked solution (BookError if one is not)."""
    from tools.student import exercise_problems

    problems = exercise_problems(nb)
    if problems:
        raise BookError(f"{name}: {problems[0]}")
    solutions = {
        exercise: (index, cell)
        for index, cell in enumerate(nb.cells)
        if book.is_solution(cell)
        for exercise in book.exercise_ids(cell)
    }
    found = []
    for index, cell in enumerate(nb.cells):
        if not book.is_answer(cell):
            continue
        ids = book.exercise_ids(cell)
        if len(ids) != 1:
            raise BookError(
                f"{name}: cell {index} answers {len(ids)} exercises ({', '.join(ids)}); an answer cell answers one"
            )
        exercise_id = ids[0]
        what = f"{name}, exercise {exercise_id}"
        solution_index, solution_cell = solutions[exercise_id]
        if solution_index < index:
            raise BookError(f"{what}: the worked solution comes before the answer cell")
        variable, header = _answer_cell_parts(cell, exercise_id, f"{what}, answer cell")
        code = answer_solution(
            solution_code(solution_cell, f"{what}, worked solution"),
            exercise_id,
            variable,
            f"{what}, worked solution",
        )
        found.append(Exercise(exercise_id, index, variable, header, code))
    return found


# --- a course variant: other seeds ------------------------------------------------------------


def reseed(source: str, course_seed: int) -> str:
    """``source`` with each literal seed ``s`` replaced by ``1000 * course_seed + s``."""

    def replace(match: re.Match) -> str:
        literal = int(match[1].replace("_", ""))
        start, end = match.span(1)
        whole = match[0]
        offset = match.start()
        return whole[: start - offset] + str(1000 * course_seed + literal) + whole[end - offset :]

    for pattern in SEED_PATTERNS:
        source = pattern.sub(replace, source)
    return source


# --- writing the assignment ---------------------------------------------------------------------


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


def _plain_python(code: str) -> str:
    """``code`` with IPython's syntax (``%magic``, ``!command``) turned into the Python IPython runs."""
    if not re.search(r"^\s*[%!]", code, re.M):
        return code
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(code)


def test_source(exercise: Exercise, course_seed: int | None) -> str:
    """The test cell of an exercise: a visible "answered?" test, then the hidden comparison."""
    name, eid = exercise.name, exercise.id
    visible = [
        f"# Exercise {eid} is graded here when your notebook is collected.",
        f"assert {name} is not None, (",
        f'    "Exercise {eid}: no answer yet: set {name} to your answer"',
        ")",
    ]
    if course_seed is None:
        hidden = [
            "from helpers.exercises import is_right",
            "",
            f'assert is_right("{eid}", {name}), "Exercise {eid}: not the right answer"',
        ]
    else:
        hidden = [
            f"from {GRADING_MODULE} import is_right, recompute",
            "",
            "# the worked solution, run again on this variant's data",
            f"_solution = {_string_literal(_plain_python(exercise.solution))}",
            f'_right = recompute(_solution, globals(), "{name}")',
            f'assert is_right("{eid}", {name}, _right), "Exercise {eid}: not the right answer"',
        ]
    return "\n".join(visible + ["### BEGIN HIDDEN TESTS", *hidden, "### END HIDDEN TESTS"])


def _wrap(text: str) -> str:
    """Markdown paragraphs wrapped at 100 columns, like the book's prose."""
    return "\n\n".join(textwrap.fill(" ".join(p.split()), 100) for p in text.strip().split("\n\n"))


# Where an exercise's task starts: its heading (`### 2. Title`) or, in older chapters, `**2. Title.**`.
TASK_START = re.compile(r"(?:#{3,4}\s+|\*\*)\d+\.")


def _exercises_heading(cell) -> bool:
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith("## Exercises")


def _exercises_intro(source: str, timeout: int) -> str:
    """The ``## Exercises`` cell with its self-check introduction replaced by the assignment's."""
    heading, _, rest = source.partition("\n")
    paragraphs = [p for p in re.split(r"\n\s*\n", rest.strip()) if p.strip()]
    first_task = next(
        (i for i, p in enumerate(paragraphs) if TASK_START.match(p.lstrip())), len(paragraphs)
    )
    kept = [
        p
        for i, p in enumerate(paragraphs)
        if i >= first_task or not re.search(r"`check`|check\(|RUN_SOLUTIONS|solution", p)
    ]
    return "\n\n".join([heading, _wrap(EXERCISES_INTRO.format(timeout=timeout)), *kept])


def _names(source: str) -> tuple[set[str], set[str]]:
    """The names a cell binds and the names it reads (IPython magics turned into Python first)."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError as error:
        raise BookError(
            f"a code cell is not valid Python (line {error.lineno}: {error.msg}): {source[:60]!r}"
        ) from None
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):  # a function's parameter: its own name, not the notebook's
            bound.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return bound, read


def assignment_notebook(
    nb, name: str, *, course_seed: int | None = None, answer_timeout: int = 600
):
    """The nbgrader source version of chapter ``nb`` (named ``name``): see the module's docstring."""
    import nbformat

    exercises = {exercise.answer_index: exercise for exercise in chapter_exercises(nb, name)}
    chapter = name[:2].lstrip("0") or "0"
    out = nbformat.v4.new_notebook(metadata=nbformat.from_dict(nb.metadata))
    set_by_checks: set[str] = set()  # names only the left-out check cells bind
    set_by_kept: set[str] = set()
    for index, cell in enumerate(nb.cells):
        cell = nbformat.from_dict(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            bound, read = _names(cell.source)
            if book.is_check(cell):
                set_by_checks |= bound - set_by_kept
                continue
            needs = sorted(read & set_by_checks - bound - set_by_kept)
            if needs and not book.is_solution(cell):
                raise BookError(
                    f"{name}: cell {index} reads {', '.join(needs)}, set only by a check cell, which assignments "
                    "leave out; set it in a lesson cell"
                )
            set_by_kept |= bound
        if book.is_solution(cell) or cell.get("id") == book.BADGE_ID:
            continue
        if cell.cell_type == "code" and course_seed is not None:
            cell.source = reseed(cell.source, course_seed)
        if index in exercises:
            exercise = exercises[index]
            solution = (
                reseed(exercise.solution, course_seed)
                if course_seed is not None
                else exercise.solution
            )
            exercise = Exercise(exercise.id, index, exercise.name, exercise.header, solution)
            cell.source = "\n".join(
                [exercise.header, "### BEGIN SOLUTION", solution.rstrip("\n"), "### END SOLUTION"]
            )
            cell.metadata.pop("tags", None)
            out.cells.append(
                _nbgrader(cell, grade_id=exercise.grade_id + "-answer", solution=True, locked=False)
            )
            test = nbformat.v4.new_code_cell(test_source(exercise, course_seed))
            test.id = exercise.grade_id + "-test"
            out.cells.append(_nbgrader(test, grade_id=exercise.grade_id, grade=True, points=POINTS))
            continue
        if _exercises_heading(cell):
            cell.source = _exercises_intro(cell.source, answer_timeout)
        out.cells.append(_nbgrader(cell, grade_id=f"cell-{cell.get('id', index)}"))
        if index == 0:  # the title: the note on the assignment goes under it
            note = nbformat.v4.new_markdown_cell(
                _wrap(
                    ASSIGNMENT_NOTE.format(
                        chapter=chapter, variant=VARIANT_NOTE if course_seed is not None else ""
                    )
                )
            )
            note.id = "assignment-note"
            out.cells.append(_nbgrader(note, grade_id="cell-assignment-note"))
    if not exercises:
        raise BookError(f"{name}: no exercises found")
    nbformat.validate(out)
    return out


# --- the course folder ---------------------------------------------------------------------------

CONFIG_TEMPLATE = '''\
# nbgrader configuration of this course, written by `python -m tools.assignments` of the book
# "Neural Networks in Python": {origin}.
# The tool rewrites this file each time it runs: put your own settings (course_id, the exchange,
# ...) in course_config.py beside it, which is read last, or in ~/.jupyter/nbgrader_config.py.
c = get_config()  # noqa: F821 (nbgrader provides it)

# How long a cell may run when grading. The book's own cells (locked) may take as long as the book
# allows them; a student's cells (answers, and any cell they add) are interrupted sooner, and the
# notebook is graded on: a submission that loops forever costs this long, not the whole run.
BOOK_CELL_TIMEOUT = {book_timeout}
STUDENT_CELL_TIMEOUT = {answer_timeout}


def cell_timeout(cell):
    locked = cell.get("metadata", {{}}).get("nbgrader", {{}}).get("locked", False)
    return BOOK_CELL_TIMEOUT if locked else STUDENT_CELL_TIMEOUT


c.Execute.timeout = BOOK_CELL_TIMEOUT
c.Execute.timeout_func = cell_timeout
# A kernel slow to answer after an interrupt (a loop in compiled code) is waited for, then the
# notebook is graded on: its interrupted cell, and any that cannot run, score zero. (nbgrader's
# default gives up the whole submission, and the cells that passed before it.)
c.Execute.iopub_timeout = 30
c.Execute.raise_on_iopub_timeout = False

# What replaces a solution in the students' copy; the answer cell above it says what to set.
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE"}}

# `nbgrader export` writes one row per student and exercise. For nbgrader's own table (one row per
# student and assignment): nbgrader export --exporter nbgrader.plugins.CsvExportPlugin
from nbgrader.api import MissingEntry  # noqa: E402
from nbgrader.plugins import ExportPlugin  # noqa: E402


class ExerciseCsvExport(ExportPlugin):
    """Grades as CSV, one row per student and graded cell (an exercise of the book: "01.2")."""

    COLUMNS = [
        "assignment", "student_id", "last_name", "first_name", "email", "timestamp",
        "exercise", "score", "max_score",
    ]

    @staticmethod
    def exercise(cell_name):
        import re

        match = re.fullmatch(r"exercise-(\\d+)-(\\d+)", cell_name)
        return f"{{match[1]}}.{{match[2]}}" if match else cell_name

    def export(self, gradebook):
        import csv

        destination = self.to or "grades.csv"
        self.log.info("Exporting one row per student and exercise to %s", destination)
        with open(destination, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(self.COLUMNS)
            for assignment in gradebook.assignments:
                if self.assignment and assignment.name not in self.assignment:
                    continue
                cells = sorted(
                    ((cell.notebook.name, cell.name, cell.max_score) for notebook in assignment.notebooks for cell in notebook.grade_cells),
                    key=lambda item: (item[0], self.exercise(item[1])),
                )
                for student in gradebook.students:
                    if self.student and student.id not in self.student:
                        continue
                    try:
                        submission = gradebook.find_submission(assignment.name, student.id)
                    except MissingEntry:  # nothing submitted: zero for every exercise
                        timestamp, scores = "", {{}}
                    else:
                        timestamp = submission.timestamp or ""
                        scores = {{(notebook.name, grade.name): grade.score for notebook in submission.notebooks for grade in notebook.grades}}
                    for notebook, cell, max_score in cells:
                        writer.writerow([
                            assignment.name, student.id, student.last_name or "", student.first_name or "",
                            student.email or "", timestamp, self.exercise(cell), scores.get((notebook, cell), 0.0), max_score,
                        ])


c.ExportApp.plugin_class = ExerciseCsvExport

load_subconfig("course_config.py")  # noqa: F821 (your own settings, if the file exists)
'''

GRADING_TEMPLATE = '''\
"""The comparison the hidden tests of this variant use (written by the book's tools.assignments).

It holds no right answer. Each hidden test runs the exercise's worked solution again, on this
notebook's data, with :func:`recompute`, then compares the student's answer with the result with
:func:`is_right`: of the kind, and with the tolerance, the book declares for the exercise
(``helpers.exercises``). An answer that depends on training accepts the recomputed value plus or
minus the width of the range the book registers for it.
"""

import contextlib
import dataclasses
import io
import sys

from helpers import exercises


def recompute(solution, names, answer):
    """The value ``solution`` gives to ``answer``, run in a copy of ``names``: nothing printed, nothing changed."""
    figures_before = set(_figures())
    copy = dict(names)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        exec(compile(solution, "<worked solution>", "exec"), copy)
    if "matplotlib.pyplot" in sys.modules:
        for number in set(_figures()) - figures_before:
            sys.modules["matplotlib.pyplot"].close(number)
    return copy[answer]


def _figures():
    pyplot = sys.modules.get("matplotlib.pyplot")
    return pyplot.get_fignums() if pyplot else []


def _plain(kind, value):
    """``value`` as the JSON value the registry stores for ``kind``."""
    if kind == "number":
        return float(value)
    if kind == "numbers":
        return [float(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]
    if kind == "integer":
        return int(value)
    if kind == "integers":
        return [int(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]
    if kind == "boolean":
        return bool(value)
    return str(value)


def is_right(exercise_id, answer, right_answer):
    """Whether ``answer`` is right for exercise ``exercise_id`` when its right answer is ``right_answer``."""
    registered = exercises.EXERCISES[exercise_id]
    declared = exercises.decode_answer(registered.answer)
    value = _plain(registered.kind, right_answer)
    if "low" in declared:
        width = declared["high"] - declared["low"]
        values = value if isinstance(value, list) else [value]
        if isinstance(value, list):  # a range per element: compare one element at a time
            try:
                answers = list(answer.tolist() if hasattr(answer, "tolist") else answer)
            except TypeError:
                return False
            return len(answers) == len(values) and all(
                is_right_number(exercise_id, a, v, width) for a, v in zip(answers, values)
            )
        return is_right_number(exercise_id, answer, value, width)
    tolerance = {"rel": declared["rel"]} if "rel" in declared else {}
    return _compare(registered, exercises.encode_answer(value, **tolerance), answer)


def is_right_number(exercise_id, answer, value, width):
    """Whether the number ``answer`` is within ``width`` of ``value``."""
    registered = dataclasses.replace(exercises.EXERCISES[exercise_id], kind="number")
    return _compare(registered, exercises.encode_answer(value, low=value - width, high=value + width), answer)


def _compare(registered, payload, answer):
    key = "recomputed " + str(id(answer))
    exercises.EXERCISES[key] = dataclasses.replace(registered, answer=payload)
    try:
        return exercises.is_right(key, answer)
    finally:
        del exercises.EXERCISES[key]
'''


def select_chapters(chapters: str | None, root: Path = book.ROOT) -> list[Path]:
    """The chapter notebooks ``chapters`` names, in order: numbers ("01,05"), or notebook files
    (your own copy of a chapter, "my/05-loan-approval-saving.ipynb"); None: every chapter."""
    notebooks = book.chapter_notebooks(root)
    if not chapters:
        return notebooks
    by_number = {path.name[:2]: path for path in notebooks}
    selected, unknown = [], []
    for part in (part.strip() for part in chapters.split(",") if part.strip()):
        if part.endswith(".ipynb"):
            if not Path(part).is_file():
                raise BookError(f"--chapters: {part}: no such notebook")
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


def write_course(
    course_dir: Path,
    notebooks: list[Path],
    *,
    course_seed: int | None = None,
    answer_timeout: int | None = None,
    force: bool = False,
) -> list[Path]:
    """Write the nbgrader course folder; return the assignment notebooks written.

    Every chapter is read and turned into its assignment before anything is written. An assignment
    that exists and differs (edited in nbgrader's Create Assignment toolbar, or made from another
    version of the chapter) is replaced only with ``force``.
    """
    import nbformat

    answer_timeout = book.cell_timeout() if answer_timeout is None else answer_timeout
    if course_seed is not None and course_seed < 1:
        raise BookError(
            f"--course-seed must be a whole number from 1 (0 would be the book itself); got {course_seed}"
        )
    if answer_timeout < 1:
        raise BookError(
            f"--answer-timeout must be a positive number of seconds; got {answer_timeout}"
        )
    chapters_folder = book.ROOT / "notebooks"
    if (
        course_dir.resolve() == chapters_folder.resolve()
        or chapters_folder.resolve() in course_dir.resolve().parents
    ):
        raise BookError(
            f"{course_dir}: that is the chapters' own folder; write the course elsewhere (make assignments: _build/course)"
        )
    assignments = {}
    for path in notebooks:
        nb = book.read_notebook(path)
        assignments[path.stem] = assignment_notebook(
            nb, path.name, course_seed=course_seed, answer_timeout=answer_timeout
        )
    changed = [
        stem
        for stem, nb in assignments.items()
        if (course_dir / "source" / stem / f"{stem}.ipynb").exists()
        and (course_dir / "source" / stem / f"{stem}.ipynb").read_text(encoding="utf-8")
        != nbformat.writes(nb) + "\n"
    ]
    if changed and not force:
        raise BookError(
            f"{course_dir / 'source'}: the assignments {', '.join(changed)} exist and differ from what the chapters give now; "
            "add --force to replace them (edits made in them are lost), then `nbgrader generate_assignment --force`"
        )
    written = []
    for stem, nb in assignments.items():
        folder = course_dir / "source" / stem
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{stem}.ipynb")
        grading = folder / f"{GRADING_MODULE}.py"
        if course_seed is not None:
            grading.write_text(GRADING_TEMPLATE, encoding="utf-8")
        elif grading.exists():
            grading.unlink()
        written.append(folder / f"{stem}.ipynb")
    origin = (
        f"a variant, course seed {course_seed}"
        if course_seed is not None
        else "the book's own data and answers"
    )
    config = CONFIG_TEMPLATE.format(
        origin=origin, book_timeout=book.cell_timeout(), answer_timeout=answer_timeout
    )
    (course_dir / "nbgrader_config.py").write_text(config, encoding="utf-8")
    return written


# --- validating a course ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Validation:
    """What running an assignment with its solutions showed."""

    notebook: Path
    failures: list  # tools.execute.CellFailure, one per cell that raised
    same_as_book: dict  # exercise id -> whether the solution's answer is the book's own


def validate(notebook: Path) -> Validation:
    """Run an assignment's source notebook (solutions in, hidden tests in) and read what failed.

    For the run only, a cell after each graded cell asks the book's registry whether the answer
    is the book's own, and a last cell prints what they found.
    """
    import nbformat

    from tools.execute import execute, failures

    nb = nbformat.read(notebook, as_version=4)
    cells, probes = [], set()
    for cell in nb.cells:
        cells.append(cell)
        match = re.search(r'assert is_right\("([\d.]+)", (\w+)', cell.source)
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade") and match:
            probe = nbformat.v4.new_code_cell(
                "from helpers.exercises import is_right as _book_is_right\n"
                f'_same_as_book = globals().get("_same_as_book", {{}})\n'
                f'_same_as_book["{match[1]}"] = bool(_book_is_right("{match[1]}", {match[2]}))'
            )
            probes.add(id(probe))
            cells.append(probe)
    report = nbformat.v4.new_code_cell(
        'import json\nprint(json.dumps(globals().get("_same_as_book", {})))'
    )
    probes.add(id(report))
    nb.cells = cells + [report]
    ours = {index for index, cell in enumerate(nb.cells) if id(cell) in probes}
    execute(nb, notebook.parent, allow_errors=True)
    out = "".join(
        o.get("text", "") for o in nb.cells[-1].outputs if o.get("name") == "stdout"
    ).strip()
    same = json.loads(out.splitlines()[-1]) if out else {}
    return Validation(notebook, [f for f in failures(nb) if f.index not in ours], same)


def main(argv: list[str] | None = None) -> int:
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
        help="a variant: re-draw the chapters' random choices from this seed (1 or more); grade against recomputed answers",
    )
    parser.add_argument(
        "--answer-timeout",
        type=int,
        help="seconds a student's cell may run when grading (default: the book's execute.timeout in _config.yml)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace assignments that exist and differ (edits in them are lost)",
    )
    parser.add_argument(
        "--validate",
        action="store_true",
        help="run each assignment with its solutions and report failing cells",
    )
    args = parser.parse_args(argv)
    try:
        written = write_course(
            args.course_dir,
            select_chapters(args.chapters),
            course_seed=args.course_seed,
            answer_timeout=args.answer_timeout,
            force=args.force,
        )
    except (BookError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    kind = (
        f"variant of course seed {args.course_seed}"
        if args.course_seed is not None
        else "the book's data and answers"
    )
    print(
        f"{len(written)} assignments ({kind}) in {args.course_dir / 'source'}; nbgrader_config.py written"
    )
    if written:
        print(
            f"next, with the environment activated: cd {args.course_dir} && "
            f"nbgrader generate_assignment {written[0].stem}   (see book/teaching.md)"
        )
    if not args.validate:
        return 0
    status = 0
    for notebook in written:
        result = validate(notebook)
        print(
            f"{notebook.stem}: "
            + ("every cell ran" if not result.failures else f"{len(result.failures)} failing cells")
        )
        for failure in result.failures:
            print(f"  {failure.describe()}")
            status = 1
        if args.course_seed is not None:
            same = [eid for eid, equal in result.same_as_book.items() if equal]
            if same:
                print(f"  the same answer as the book's (shown on its website): {', '.join(same)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
