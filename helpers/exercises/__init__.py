"""Self-checks for the chapters' exercises: right or not at once, with a hint, in one line.

``check("01.2", answer)`` prints whether ``answer`` is right for exercise 01.2 and, if not, a hint.
For a build exercise the answer is the student's code (a function), which the exercise's grader
runs on data the student did not tune on, and the line says what it measured.

It is a **self-check, not an assessment**: the right answers are stored encoded (out of plain
sight, not secret: anyone can decode them), and the book's website shows the worked solutions.
For graded coursework, see the teachers' page; nbgrader's hidden tests call :func:`graded`, which
returns the same one line, hint included, for the feedback.

Each chapter registers its exercises in its own module, ``helpers/exercises/chapterNN.py`` (see
``helpers.exercises._core`` for the kinds of exercise). Authors encode a value exercise's right
answer with::

    python -m helpers.exercises encode 0.754 --rel 0.002
"""

from __future__ import annotations

import importlib
import pkgutil

from helpers.exercises._core import (
    BOOK_GRADING_SEED,
    CHECKS,
    EXERCISES,
    KINDS,
    RESULTS,
    VALUE_KINDS,
    AnswerError,
    AnswerKindError,
    Exercise,
    Verdict,
    answer_problem,
    assignment_mode,
    call_answer,
    check,
    decode_answer,
    encode_answer,
    expect_callable,
    grade,
    graded,
    is_right,
    main,
    time_limit,
    variant_answer,
    verdict,
)

__all__ = [
    "BOOK_GRADING_SEED",
    "CHECKS",
    "EXERCISES",
    "KINDS",
    "RESULTS",
    "VALUE_KINDS",
    "AnswerError",
    "AnswerKindError",
    "Exercise",
    "Verdict",
    "answer_problem",
    "assignment_mode",
    "call_answer",
    "check",
    "decode_answer",
    "encode_answer",
    "expect_callable",
    "grade",
    "graded",
    "is_right",
    "main",
    "time_limit",
    "variant_answer",
    "verdict",
]


def _gather() -> None:
    """Fill EXERCISES from every ``chapterNN`` module of this package (each a dict and functions:
    importing them is cheap)."""
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if not module.startswith("chapter"):
            continue
        chapter = importlib.import_module(f"{__name__}.{module}")
        for exercise_id, exercise in chapter.EXERCISES.items():
            if exercise_id in EXERCISES:
                raise RuntimeError(f"exercise {exercise_id} is registered twice ({module})")
            if exercise_id[:2] != module.removeprefix("chapter"):
                raise RuntimeError(f"exercise {exercise_id} is registered in {module}")
            EXERCISES[exercise_id] = exercise


_gather()
