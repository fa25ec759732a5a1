"""Coursework with nbgrader (tools.assignments): the chapters' exercises as assignments, graded end to end.

The fast tests read every chapter and check the assignment it becomes. The slow one is a fake class
taken through the real nbgrader commands, as a teacher types them: ``generate_assignment`` for
chapters 1 and 2, submissions from three students (one with the worked solutions, one with wrong
and missing answers, one whose notebook raises an exception and loops forever), ``autograde``
with a short answer timeout, ``generate_feedback`` and ``export``; then each student's score per
exercise in the exported CSV, and nothing lost from the gradebook for the broken submission. A
variant of chapter 1 (``--course-seed``) is graded too: there the book's published answers score
only where the variant's data do not change them.
"""

from __future__ import annotations

import ast
import csv
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from helpers.exercises import EXERCISES, decode_answer
from tools import assignments, book
from tools.assignments import reseed, without_asserts, write_course
from tools.book import BookError

NOTEBOOKS = book.chapter_notebooks()
ANSWER_TIMEOUT = 30  # seconds an answer cell may run when grading: what the looping student costs
COURSE_SEED = 7


def nbgrader_cells(nb, **wanted):
    return [
        c
        for c in nb.cells
        if all(c.metadata.get("nbgrader", {}).get(k) == v for k, v in wanted.items())
    ]


# --- the assignment a chapter becomes ---------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_chapter_becomes_an_assignment_with_one_graded_answer_per_exercise(path):
    nb = book.read_notebook(path)
    assignment = assignments.assignment_notebook(nb, path.name, answer_timeout=60)
    nbformat.validate(assignment)

    exercise_ids = [e for cell in nb.cells if book.is_answer(cell) for e in book.exercise_ids(cell)]
    answers = nbgrader_cells(assignment, solution=True)
    tests = nbgrader_cells(assignment, grade=True)
    assert [c.metadata.nbgrader.grade_id for c in answers] == [
        f"exercise-{e.replace('.', '-')}-answer" for e in exercise_ids
    ]
    assert [c.metadata.nbgrader.grade_id for c in tests] == [
        f"exercise-{e.replace('.', '-')}" for e in exercise_ids
    ]
    for answer, test in zip(answers, tests):
        assert assignment.cells.index(test) == assignment.cells.index(answer) + 1
        assert answer.metadata.nbgrader.locked is False and test.metadata.nbgrader.locked is True
        assert test.metadata.nbgrader.points == 1
        assert answer.source.count("### BEGIN SOLUTION") == 1 and answer.source.rstrip().endswith(
            "### END SOLUTION"
        )
        assert not re.search(r"\bcheck\(", answer.source)
        assert "assert " not in answer.source.split("### BEGIN SOLUTION")[1]
        ast.parse(answer.source)
        assert re.search(
            r"### BEGIN HIDDEN TESTS\n.*is_right\(.*\n### END HIDDEN TESTS$", test.source, re.S
        )
        ast.parse(test.source)
    others = [c for c in assignment.cells if c not in answers and c not in tests]
    assert all(c.metadata.nbgrader.locked and not c.metadata.nbgrader.grade for c in others)
    # left out: the worked solutions, the book's check cells, and the badge (it opens the book's copy)
    assert not any(book.is_solution(c) or book.is_check(c) for c in assignment.cells)
    assert book.BADGE_ID not in [c.get("id") for c in assignment.cells]
    assert not any(
        "RUN_SOLUTIONS" in c.source for c in assignment.cells if c.cell_type == "markdown"
    )


@pytest.mark.parametrize("course_seed", [None, COURSE_SEED])
def test_nbgrader_accepts_every_assignments_metadata(course_seed):
    pytest.importorskip("nbgrader")  # an optional extra: not in the oldest versions' environment
    from nbgrader.nbgraderformat import MetadataValidator

    for path in NOTEBOOKS:
        assignment = assignments.assignment_notebook(
            book.read_notebook(path), path.name, course_seed=course_seed
        )
        MetadataValidator().validate_nb(
            assignment
        )  # what nbgrader itself checks: ids, points, kinds


def _without_last_statement(code: str) -> list[str]:
    last = ast.parse(code).body[-1]
    return [line for line in code.splitlines()[: last.lineno - 1] if line.strip()]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_answer_cell_holds_the_worked_solution_ending_in_the_answer(path):
    """The chapter is the single source: the solution in the assignment is the chapter's, dedented."""
    nb = book.read_notebook(path)
    for exercise in assignments.chapter_exercises(nb, path.name):
        solution = next(
            c for c in nb.cells if book.is_solution(c) and exercise.id in book.exercise_ids(c)
        )
        chapter_code = without_asserts(assignments.solution_code(solution, "test"), "test")
        last = ast.parse(exercise.solution).body[-1]
        assert isinstance(last, ast.Assign) and [t.id for t in last.targets] == [exercise.name], (
            exercise.id
        )
        assert _without_last_statement(exercise.solution) == _without_last_statement(
            chapter_code
        ), exercise.id


def test_asserts_go_and_a_block_they_empty_keeps_a_pass():
    code = "x = 1\nassert x == 1, (\n    'multi-line'\n)\nfor i in range(2):\n    assert i < 2\ny = x  # kept\n"
    assert without_asserts(code, "test") == "x = 1\nfor i in range(2):\n    pass\ny = x  # kept\n"


def test_a_solution_not_ending_in_its_check_is_refused_by_name():
    nb = book.read_notebook(NOTEBOOKS[0])
    solution = next(c for c in nb.cells if book.is_solution(c))
    exercise_id = book.exercise_ids(solution)[0]
    solution.source = solution.source.replace(f'check("{exercise_id}", ', "print(")
    solution.source += f'\n    check("{exercise_id}", None)\n    print("after")'
    with pytest.raises(
        BookError,
        match=rf"exercise {re.escape(exercise_id)}, worked solution: .*must end with check",
    ):
        assignments.chapter_exercises(nb, NOTEBOOKS[0].name)


def test_a_made_up_chapter_works_from_its_structure_alone():
    """The generator knows no exercise: any chapter with the book's structure becomes an assignment."""
    new = nbformat.v4
    nb = new.new_notebook(
        cells=[
            new.new_markdown_cell("# A made-up chapter"),
            new.new_code_cell("SEED = 42\nRUN_SOLUTIONS = False"),
            new.new_code_cell(
                "import numpy as np\nrng = np.random.default_rng(0)\nvalues = rng.normal(size=5)"
            ),
            new.new_code_cell(
                "assert len(values) == 5", metadata={"tags": ["check", "remove-cell"]}
            ),
            new.new_markdown_cell(
                "## Exercises\n\nEach exercise ends with `check`.\n\n**1. A sum.** Add them up."
            ),
            new.new_code_cell(
                '# Your answer: the sum\ntotal = None  # replace None, then run the cell\ncheck("99.1", total)'
            ),
            new.new_code_cell(
                "# @title Exercise 99.1: a worked solution\nif RUN_SOLUTIONS:\n    s = values.sum()\n"
                '    assert s == s\n    check("99.1", float(s))',
                metadata={"tags": ["solution", "hide-cell"]},
            ),
        ]
    )
    out = assignments.assignment_notebook(nb, "99-made-up.ipynb", course_seed=3)
    answer = nbgrader_cells(out, solution=True)[0]
    assert answer.source.splitlines()[1:] == [
        "total = None  # replace None, then run the cell",
        "### BEGIN SOLUTION",
        "s = values.sum()",
        "total = float(s)",
        "### END SOLUTION",
    ]
    sources = "\n".join(c.source for c in out.cells)
    assert (
        "SEED = 3042" in sources
        and "default_rng(3000)" in sources
        and "assert len(values)" not in sources
    )
    assert "Each exercise ends with `check`" not in sources and "**1. A sum.**" in sources


def test_an_assignment_that_differs_is_replaced_only_when_forced(tmp_path):
    """A teacher's edits in a source notebook (points, a written-answer cell) are not lost by accident."""
    written = write_course(tmp_path, NOTEBOOKS[:1])
    assert write_course(tmp_path, NOTEBOOKS[:1]) == written  # the same again: nothing to lose
    nb = nbformat.read(written[0], as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("YOUR ANSWER HERE"))
    nbformat.write(nb, written[0])
    with pytest.raises(BookError, match="exist and differ.*--force"):
        write_course(tmp_path, NOTEBOOKS[:1], course_seed=2)
    assert nbformat.read(written[0], as_version=4).cells[-1].source == "YOUR ANSWER HERE"
    write_course(tmp_path, NOTEBOOKS[:1], course_seed=2, force=True)
    assert "SEED = 2042" in written[0].read_text(encoding="utf-8")
    assert (written[0].parent / "course_grading.py").exists()


def test_reseeding_keeps_distinct_seeds_distinct_and_refuses_seed_0(tmp_path):
    source = "SEED = 42\na = make_loan_applications(1_000, seed=1)\nb = default_rng(42)\nsplit(random_state=0)\nf(SEED)"
    assert reseed(source, 7) == (
        "SEED = 7042\na = make_loan_applications(1_000, seed=7001)\nb = default_rng(7042)\n"
        "split(random_state=7000)\nf(SEED)"
    )
    with pytest.raises(BookError, match="from 1"):
        write_course(tmp_path, NOTEBOOKS[:1], course_seed=0)
    with pytest.raises(BookError, match="chapters' own folder"):
        write_course(book.ROOT / "notebooks", NOTEBOOKS[:1])
    with pytest.raises(BookError, match="no chapter 42"):
        assignments.select_chapters("01,42")


# --- a fake class, graded with nbgrader's own commands -------------------------------------------

RIGHT, WRONG, MISSING, LOOPS, RAISES = "right", "wrong", "missing", "loops forever", "raises"
# Each student's work, per chapter, one entry per exercise (chapters 1 and 2 have four each).
CLASS = {
    "alice": {"01": [RIGHT, RIGHT, RIGHT, RIGHT], "02": [RIGHT, RIGHT, RIGHT, RIGHT]},
    "bob": {"01": [WRONG, MISSING, RIGHT, WRONG], "02": [MISSING, WRONG, RIGHT, MISSING]},
    "carol": {"01": [RIGHT, LOOPS, RIGHT, RIGHT], "02": [RAISES, RIGHT, RIGHT, RIGHT]},
}
EXERCISES_PER_CHAPTER = 4
NAMES = {"01": "01-artificial-neuron", "02": "02-perceptron-keras"}


def run_nbgrader(folder: Path, *args: str) -> str:
    """``nbgrader ARGS`` in ``folder``, as a teacher (or a student) runs it; its log, or a failure showing it."""
    # the environment as it was when the grading started: other tests run meanwhile, and some
    # change NNBOOK_DATA or PATH for a moment
    environ = _grading.get("environ", os.environ)
    env = {k: v for k, v in environ.items() if k != "PYTEST_CURRENT_TEST"}
    # nbgrader runs `alembic` from PATH: the environment's own programs first, as if activated
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["JUPYTER_CONFIG_DIR"] = str(folder / ".jupyter")  # only the course's own configuration,
    env["JUPYTER_DATA_DIR"] = str(folder / ".jupyter")  # and nothing written to the user's home
    if env.get("NNBOOK_DATA"):
        env["NNBOOK_DATA"] = str(Path(env["NNBOOK_DATA"]).resolve())
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{log[-4000:]}"
    return log


def answer(path: Path, plan: list, solutions: list[str]) -> None:
    """Answer the released notebook at ``path`` in place, one entry of ``plan`` per exercise."""
    nb = nbformat.read(path, as_version=4)
    answer_cells = nbgrader_cells(nb, solution=True)
    assert len(answer_cells) == len(plan) == len(solutions)
    for cell, solution, what in zip(answer_cells, solutions, plan):
        name = re.search(r"^(\w+) = None", cell.source, re.M)[1]
        code = {
            RIGHT: "\n".join(line for line in solution.splitlines() if not line.startswith("### ")),
            WRONG: f"{cell.source}\n{name} = 12345",
            MISSING: cell.source,
            # never ends; it sleeps rather than spins, so that the 30 s nbgrader waits leave the
            # processor to the chapters the tests run beside it
            LOOPS: f"{cell.source}\nimport time\nwhile True:\n    time.sleep(0.1)",
            RAISES: f"{cell.source}\n{name} = 1 / 0",
        }
        cell.source = code.get(what, f"{cell.source}\n{name} = {what!r}")  # else: a given value
    nbformat.write(nb, path)


def solutions(course: Path, assignment: str) -> list[str]:
    source = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    return [cell.source for cell in nbgrader_cells(source, solution=True)]


def exported(course: Path) -> dict[tuple[str, str, str], float]:
    run_nbgrader(course, "export", "--to", "grades.csv")
    with open(course / "grades.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert {row["max_score"] for row in rows} == {"1.0"}
    return {
        (row["assignment"], row["student_id"], row["exercise"]): float(row["score"]) for row in rows
    }


def grade_the_class(course: Path) -> dict:
    """Chapters 1 and 2 on a laptop: generate, hand out, collect by hand, autograde, feedback, export."""
    from nbgrader.api import Gradebook

    write_course(course, assignments.select_chapters("01,02"), answer_timeout=ANSWER_TIMEOUT)
    run_nbgrader(course, "generate_assignment", "0[12]-*")  # a glob: both chapters in one command
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in [*CLASS, "dave"]:  # dave submits nothing
            gradebook.update_or_create_student(
                student, first_name=student.title(), last_name="Student"
            )
    for student, work in CLASS.items():
        for chapter, plan in work.items():
            assignment = NAMES[chapter]
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True)
            shutil.copy(course / "release" / assignment / f"{assignment}.ipynb", folder)
            (folder / "timestamp.txt").write_text("2026-03-02 10:00:00.000000 UTC")
            answer(folder / f"{assignment}.ipynb", plan, solutions(course, assignment))
    started = time.perf_counter()
    log = run_nbgrader(course, "autograde", "0[12]-*")
    autograde_s = time.perf_counter() - started
    run_nbgrader(course, "generate_feedback", "0[12]-*")
    return {"course": course, "scores": exported(course), "log": log, "autograde_s": autograde_s}


def grade_the_variant(variant: Path) -> dict:
    """Chapter 1 with a course seed, through nbgrader's exchange: alice solves it, erin copies the book.

    Released, fetched and submitted by the students, collected, graded, and feedback released and
    fetched: the commands of a JupyterHub course.
    """
    write_course(
        variant,
        assignments.select_chapters("01"),
        course_seed=COURSE_SEED,
        answer_timeout=ANSWER_TIMEOUT,
    )
    exchange = variant / "exchange"
    exchange.mkdir()
    (variant / "course_config.py").write_text(
        f'c.CourseDirectory.course_id = "nn-variant"\nc.Exchange.root = {str(exchange)!r}\n'
    )
    assignment = NAMES["01"]
    run_nbgrader(variant, "generate_assignment", assignment)
    run_nbgrader(variant, "release_assignment", assignment)
    book_answers = [decode_answer(EXERCISES[f"01.{k}"].answer)["value"] for k in (1, 2, 3, 4)]
    for student, plan in {"alice": [RIGHT] * 4, "erin": book_answers}.items():
        home = variant / "home" / student
        home.mkdir(parents=True)
        # a student's own machine: her submissions are remembered in her own cache
        as_student = (
            "--course",
            "nn-variant",
            f"--Exchange.root={exchange}",
            f"--Exchange.cache={home / '.cache'}",
        )
        run_nbgrader(home, "fetch_assignment", assignment, *as_student)
        answer(home / assignment / f"{assignment}.ipynb", plan, solutions(variant, assignment))
        run_nbgrader(home, "submit", assignment, *as_student, "--student", student)
    run_nbgrader(variant, "collect", assignment)
    run_nbgrader(variant, "autograde", assignment)
    run_nbgrader(variant, "generate_feedback", assignment)
    run_nbgrader(variant, "release_feedback", assignment)
    run_nbgrader(
        home, "fetch_feedback", assignment, *as_student, "--student", "erin"
    )  # erin's home, last
    return {"course": variant, "scores": exported(variant)}


# The grading takes minutes. tests/conftest.py starts it as soon as collection ends and runs the
# tests that need it last, so that the other tests, and the chapters, run meanwhile.
_grading: dict = {}


def start_grading(tmp_path_factory) -> None:
    """Grade the class and the variant in two background threads (one nbgrader process per core),
    once per session; :func:`graded_class` waits for them."""
    if _grading or importlib.util.find_spec("nbgrader") is None:
        return
    base = tmp_path_factory.mktemp("class")
    _grading["environ"] = dict(os.environ)  # before the threads start: run_nbgrader reads it
    pool = ThreadPoolExecutor(2, thread_name_prefix="nbgrader")
    _grading.update(
        started=time.perf_counter(),
        course=pool.submit(grade_the_class, base / "course"),
        variant=pool.submit(grade_the_variant, base / "variant"),
    )
    pool.shutdown(wait=False)


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """The class and the variant, graded (started when collection ended, or now)."""
    pytest.importorskip("nbgrader")
    start_grading(tmp_path_factory)
    graded = {**_grading["course"].result(), "variant": _grading["variant"].result()}
    print(
        f"\nnbgrader workflow: {time.perf_counter() - _grading['started']:.0f} s in all, "
        f"autograde of 2 chapters x 3 students {graded['autograde_s']:.0f} s"
    )
    return graded


def test_each_students_score_per_exercise_is_exported(graded_class):
    expected = {
        (NAMES[chapter], student, f"{chapter}.{k + 1}"): 1.0 if what == RIGHT else 0.0
        for student, work in CLASS.items()
        for chapter, plan in work.items()
        for k, what in enumerate(plan)
    }
    expected.update(
        {
            (NAMES[c], "dave", f"{c}.{k + 1}"): 0.0
            for c in NAMES
            for k in range(EXERCISES_PER_CHAPTER)
        }
    )  # no submission
    assert graded_class["scores"] == expected


def test_a_broken_submission_is_graded_cell_by_cell_and_nothing_is_lost(graded_class):
    """carol's loop is stopped after the answer timeout, her exception stays in its cell, her other answers count."""
    from nbgrader.api import Gradebook

    course = graded_class["course"]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for assignment in NAMES.values():
            submission = gradebook.find_submission(assignment, "carol")
            grades = [grade for notebook in submission.notebooks for grade in notebook.grades]
            assert len(grades) == EXERCISES_PER_CHAPTER
            assert all(g.auto_score is not None and not g.needs_manual_grade for g in grades)
            assert submission.score == EXERCISES_PER_CHAPTER - 1  # one answer loops or raises
            assert submission.timestamp is not None
    assert "Timeout waiting for execute reply (30s)" in graded_class["log"]

    def errors(chapter):  # the errors each answer cell of carol's graded notebook shows
        path = course / "autograded" / "carol" / NAMES[chapter] / f"{NAMES[chapter]}.ipynb"
        cells = nbgrader_cells(nbformat.read(path, as_version=4), solution=True)
        return [{o.ename for o in cell.outputs if o.output_type == "error"} for cell in cells]

    looped = errors("01")  # interrupted (KeyboardInterrupt), and nbgrader adds its CellTimeoutError
    assert (
        looped[0] == looped[2] == looped[3] == set()
        and looped[1]
        and looped[1] <= {"KeyboardInterrupt", "CellTimeoutError"}
    )
    assert errors("02") == [{"ZeroDivisionError"}, set(), set(), set()]


def test_feedback_is_written_for_every_submission(graded_class):
    course = graded_class["course"]
    for student in CLASS:
        for assignment in NAMES.values():
            html = (course / "feedback" / student / assignment / f"{assignment}.html").read_text(
                encoding="utf-8"
            )
            assert f"{assignment}" in html and "Exercise" in html


def test_a_student_release_holds_neither_solutions_nor_hidden_tests(graded_class):
    for course in (graded_class["course"], graded_class["variant"]["course"]):
        for folder in sorted((course / "release").iterdir()):
            source = nbformat.read(
                course / "source" / folder.name / f"{folder.name}.ipynb", as_version=4
            )
            release = nbformat.read(folder / f"{folder.name}.ipynb", as_version=4)
            text = "\n".join(cell.source for cell in release.cells)
            for marker in (
                "BEGIN SOLUTION",
                "HIDDEN TESTS",
                "is_right",
                "recompute",
                "@title Exercise",
                "check(",
            ):
                assert marker not in text, (folder.name, marker)
            hidden = [
                cell.source.split(f"### BEGIN {what}\n")[1].split(f"### END {what}")[0]
                for cell in source.cells
                for what in ("SOLUTION", "HIDDEN TESTS")
                if f"### BEGIN {what}" in cell.source
            ]
            public = "\n".join(  # what the lesson itself shows may appear in a solution too
                cell.source for cell in source.cells if "### BEGIN" not in cell.source
            )
            for region in hidden:
                for line in region.splitlines():
                    if (
                        len(line.strip()) > 20
                        and not line.strip().startswith("#")
                        and line not in public
                    ):
                        assert line not in text, (folder.name, line)
            assert len(nbgrader_cells(release, solution=True)) == len(
                nbgrader_cells(source, solution=True)
            )


def test_a_variant_grades_against_recomputed_answers(graded_class):
    """Solving the variant scores fully; copying the book's published answers scores only where the data do not matter."""
    assignment, variant = NAMES["01"], graded_class["variant"]
    scores = variant["scores"]
    assert {k: v for k, v in scores.items() if k[1] == "alice"} == {
        (assignment, "alice", f"01.{k}"): 1.0 for k in (1, 2, 3, 4)
    }
    # 01.2 and 01.4 (a test accuracy, a training loss) depend on the variant's own split of the
    # passengers; 01.1 and 01.3 do not depend on the data
    assert {k: v for k, v in scores.items() if k[1] == "erin"} == {
        (assignment, "erin", "01.1"): 1.0,
        (assignment, "erin", "01.2"): 0.0,
        (assignment, "erin", "01.3"): 1.0,
        (assignment, "erin", "01.4"): 0.0,
    }
    release = variant["course"] / "release" / assignment
    assert (release / "course_grading.py").exists()
    fetched = list(
        (variant["course"] / "home" / "erin" / assignment / "feedback").glob(f"*/{assignment}.html")
    )
    assert len(fetched) == 1 and "Exercise 01.2" in fetched[0].read_text(encoding="utf-8")
    assert "SEED = 7042" in (release / f"{assignment}.ipynb").read_text(encoding="utf-8")
