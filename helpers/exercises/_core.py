"""The self-check machinery: exercises, their kinds, and the one-line verdict of ``check``.

Chapters register their exercises in ``helpers/exercises/chapterNN.py``; ``helpers.exercises``
gathers them. Two families of exercise:

- **value exercises** (kinds ``number``, ``numbers``, ``integer``, ``integers``, ``boolean``,
  ``text``): the student computes a value; it is compared with the right one, stored encoded
  (:func:`encode_answer`), with the tolerance the exercise declares: relative (``rel``) for a value
  any machine computes to within rounding, or a range (``low``..``high``) for a result of training,
  measured over many training seeds. Whole numbers accept an integral float (46.0).
- **build exercises** (kind ``build``): the student writes code (a function, a model) and the
  exercise's ``grader`` runs it, within ``time_limit`` seconds, on data the student did not tune
  on, and returns a :class:`Verdict`: right or not, and what it measured, in one line.

Each exercise may list the wrong answers a student is tempted to give (``tempting``), with why
they are wrong; the tests check that every one of them is refused.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import dataclasses
import json
import math
import numbers
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

VALUE_KINDS = ("number", "numbers", "integer", "integers", "boolean", "text")
KINDS = (*VALUE_KINDS, "build")
#: The seed a grader draws its held-out data with in the book's self-check; a course's graded
#: variant passes its own course seed instead.
BOOK_GRADING_SEED = 0


@dataclass(frozen=True)
class Verdict:
    """What a build exercise's grader found: right or not, and what it measured, in one line.

    ``measured`` says what was run and on what ("test accuracy 0.981 on 10,000 digits the model
    never saw, after 1,400 updates"); ``advice``, for an answer that is not right, says what to fix
    (the exercise's hint is given when it is empty).
    """

    right: bool
    measured: str
    advice: str = ""
    value: Any = None  # the main figure measured (an accuracy, ...), or a value exercise's answer


@dataclass(frozen=True)
class Exercise:
    """One exercise: the kind of answer it takes, how to judge it, and a hint.

    A value exercise has its right answer, encoded (``answer``, from :func:`encode_answer`); a
    build exercise has a ``grader(answer, seed=...) -> Verdict`` that runs the student's code within
    ``time_limit`` seconds. ``tempting`` lists wrong answers a student is tempted to give, each
    with why it is wrong: for a value exercise, the values; the tests check each is refused.

    For a value that depends on training, ``spread`` is how far it moved (maximum minus minimum)
    over at least 20 training seeds; the registered range is that spread widened by a margin.
    ``variants`` names the task's numbers a course's graded variant may change, each with the
    values it may take instead of the book's: ``{"BATCH_SIZE": (32, 128, 256)}`` for a task whose
    answer cell sets ``BATCH_SIZE = 64`` and whose text states 64 once. A variant draws one value
    for each from its course seed, writes it into the answer cell and the task's text, and
    recomputes the answer. Numbers that only make sense together are drawn together: a key
    naming them, ``{"MAX_UPDATES, MIN_ACCURACY": ((250, 0.96),)}``, lists tuples of their values.
    A build exercise's variants are its grader's keyword arguments, each
    defaulting to the book's value (``grade_fast(answer, *, seed, MAX_UPDATES=1_400)``): the
    variant's grading passes its own.
    """

    kind: str  # one of KINDS
    answer: str = ""  # from encode_answer(): the right value and, for numbers, how close counts
    hint: str = ""
    tempting: tuple[tuple[Any, str], ...] = ()
    grader: Callable[..., Verdict] | None = None
    time_limit: int = 300
    spread: float | None = None
    variants: Mapping[str, tuple] = field(default_factory=dict)


def encode_answer(
    value: Any, *, rel: float | None = None, low: float | None = None, high: float | None = None
) -> str:
    """The payload to register for a right answer ``value`` (for authors writing an exercise).

    A number needs ``rel`` (relative tolerance, at least 1e-4: results move with float rounding
    from machine to machine) or a range ``low``..``high`` (for a result of training).

    >>> payload = encode_answer(0.754, rel=0.002)
    >>> decode_answer(payload)
    {'value': 0.754, 'rel': 0.002}
    """
    value = value.item() if isinstance(value, np.generic) else value
    items = value if isinstance(value, list) else [value]
    if (
        not items
        or not all(isinstance(item, (bool, int, float, str)) for item in items)
        or isinstance(value, list)
        and any(isinstance(item, (bool, str)) for item in items)
    ):
        raise ValueError(
            "an answer is a number, a whole number, True/False, text, or a flat list of numbers; "
            f"got {type(value).__name__} {value!r:.60}"
        )
    if any(isinstance(item, float) and not math.isfinite(item) for item in items):
        raise ValueError(f"an answer must be a finite number; got {value!r}")
    has_float = any(isinstance(item, float) for item in items)
    if has_float and (low is None) == (rel is None):
        raise ValueError("a number needs either rel= or low= and high=")
    if not has_float and (rel is not None or low is not None):
        raise ValueError(f"only numbers take a tolerance; {value!r} is compared exactly")
    if rel is not None and not 1e-4 <= rel < 0.5:
        raise ValueError(
            f"rel must be between 1e-4 (float rounding across machines) and 0.5; got {rel}"
        )
    if (low is None) != (high is None) or (
        low is not None and not all(low <= item <= high for item in items)
    ):
        raise ValueError(f"a range needs low <= value <= high; got {low}, {value}, {high}")
    payload = {"value": value}
    payload.update(
        {key: v for key, v in (("rel", rel), ("low", low), ("high", high)) if v is not None}
    )
    return base64.b64encode(json.dumps(payload).encode()).decode()


def decode_answer(payload: str) -> dict:
    return json.loads(base64.b64decode(payload))


EXERCISES: dict[str, Exercise] = {}  # every chapter's, filled by helpers.exercises
#: The last verdict ``check`` gave each exercise in this session: the record the book's tools read
#: (the tests, the spread of answers over training seeds), rather than the printed sentence.
RESULTS: dict[str, Verdict] = {}
#: Every verdict ``check`` gave in this session, in order, as plain data: ``{"exercise": "04.1",
#: "right": True, "measured": "...", "count": 12}``, where ``count`` is the execution count IPython
#: had while the calling cell ran (None outside IPython). The chapter runner reads it after a
#: chapter's last cell (:mod:`tools.running.copies`) to learn which cell's check said what.
CHECKS: list[dict[str, Any]] = []


class AnswerKindError(Exception):
    """The answer is not of the kind the exercise takes; the message says what was expected."""


_WrongKind = AnswerKindError  # the name the value checks below use


def _describe(answer: Any) -> str:
    """The answer's type and a short one-line glimpse of it (its shape, for an array or table)."""
    if hasattr(answer, "shape"):
        return f"{type(answer).__name__} of shape {tuple(answer.shape)}"
    text = " ".join(repr(answer).split())
    return f"{type(answer).__name__} {text[:40]}{'...' if len(text) > 40 else ''}"


def _is_bool(answer: Any) -> bool:
    return isinstance(answer, (bool, np.bool_))


def _single(answer: Any) -> Any:
    """A NumPy array, a tensor or a Keras variable (``optimizer.iterations``) holding exactly one
    value, as that value; anything else as it is. A masked value, a date or a duration is refused."""
    if np.ma.isMaskedArray(answer) and np.ma.getmaskarray(answer).any():
        raise _WrongKind(
            "the answer is masked (a value NumPy marks as missing): give the value itself"
        )
    if not isinstance(answer, (np.ndarray, str, bytes)) and hasattr(answer, "__array__"):
        try:
            answer = np.asarray(answer)
        except (TypeError, ValueError, RuntimeError):  # not convertible after all: left as it is
            return answer
    if isinstance(answer, (np.ndarray, np.generic)) and answer.dtype.kind in "mM":
        raise _WrongKind(f"expected a number, got a date or duration ({answer.dtype})")
    if isinstance(answer, np.ndarray) and answer.size == 1:
        return answer.reshape(()).item()
    return answer


def _not_a_number(answer: Any, expected: str) -> AnswerKindError:
    """The error for an answer that is not a number, with how to turn a Decimal into one."""
    if isinstance(answer, numbers.Number) and not isinstance(answer, numbers.Real):
        if type(answer).__name__ == "Decimal":
            return _WrongKind(f"{expected}, got Decimal {answer}: give it as float(...)")
    return _WrongKind(f"{expected}, got {_describe(answer)}")


def _real(answer: Any) -> float:
    """``answer`` as a finite float: a Python or NumPy number, or an array holding exactly one."""
    answer = _single(answer)
    if _is_bool(answer) or not isinstance(answer, numbers.Real):
        raise _not_a_number(answer, "expected a number")
    try:
        value = float(answer)
    except OverflowError:
        raise _WrongKind(
            f"the number is too large to be the answer ({str(answer)[:20]}... has {len(str(answer))} digits)"
        ) from None
    if math.isnan(value):
        raise _WrongKind(
            "the answer is NaN (not a number): a computation went wrong, for example a division 0 / 0"
        )
    if math.isinf(value):
        raise _WrongKind("the answer is infinite: a computation overflowed or divided by 0")
    return value


def _whole(answer: Any) -> int:
    """``answer`` as an int: a whole number, or a float with nothing after the point (46.0)."""
    answer = _single(answer)
    if isinstance(answer, numbers.Real) and not _is_bool(answer):
        if isinstance(answer, numbers.Integral):
            return int(answer)
        value = _real(answer)
        if value.is_integer():
            return int(value)
    raise _not_a_number(answer, "expected a whole number (int)")


def _sequence(answer: Any, length: int, element) -> list:
    """A flat list or tuple, or a 1-D array or Series, of ``length`` elements, each converted by ``element``."""
    if hasattr(answer, "to_numpy"):  # a pandas Series or DataFrame
        answer = answer.to_numpy()
    elif not isinstance(answer, (list, tuple, np.ndarray)) and hasattr(answer, "__array__"):
        answer = np.asarray(answer)  # a tensor
    if isinstance(answer, np.ndarray):
        if answer.ndim != 1:
            raise _WrongKind(
                f"expected a flat list of {length} values, got an array of shape {tuple(answer.shape)}"
            )
        if np.ma.isMaskedArray(answer) and np.ma.getmaskarray(answer).any():
            raise _WrongKind("the answer has masked values: give the values themselves")
        answer = answer.tolist()
    if not isinstance(answer, (list, tuple)):
        raise _WrongKind(f"expected a list of {length} values, got {_describe(answer)}")
    if len(answer) != length:
        raise _WrongKind(f"expected a list of {length} values, got {len(answer)}")
    return [element(item) for item in answer]


def _normalized(exercise: Exercise, answer: Any) -> Any:
    """A value exercise's answer as the plain JSON value it is compared as (AnswerKindError if it
    cannot be one)."""
    length = len(decode_answer(exercise.answer)["value"]) if exercise.kind.endswith("s") else 0
    return {
        "number": lambda: _real(answer),
        "numbers": lambda: _sequence(answer, length, _real),
        "integer": lambda: _whole(answer),
        "integers": lambda: _sequence(answer, length, _whole),
        "boolean": lambda: bool(_single(answer)),
        "text": lambda: str(answer),
    }[exercise.kind]()


def _is_right_value(exercise: Exercise, answer: Any) -> bool:
    """Whether ``answer`` is right for a value exercise; AnswerKindError if it is not even the right kind."""
    expected = decode_answer(exercise.answer)
    value = expected["value"]
    if exercise.kind == "boolean":
        if not _is_bool(_single(answer)):
            raise _WrongKind(f"expected True or False, got {_describe(answer)}")
        return bool(_single(answer)) == value
    if exercise.kind == "integer":
        return _whole(answer) == value
    if exercise.kind == "integers":
        return _sequence(answer, len(value), _whole) == value
    if exercise.kind == "text":
        if not isinstance(answer, str):
            raise _WrongKind(f"expected text (str), got {_describe(answer)}")
        return " ".join(answer.lower().split()) == " ".join(str(value).lower().split())
    if exercise.kind in ("number", "numbers"):
        given = (
            [_real(answer)] if exercise.kind == "number" else _sequence(answer, len(value), _real)
        )
        wanted = [value] if exercise.kind == "number" else value
        if "low" in expected:
            return all(expected["low"] <= g <= expected["high"] for g in given)
        return all(
            math.isclose(g, w, rel_tol=expected["rel"], abs_tol=1e-12)
            for g, w in zip(given, wanted)
        )
    raise ValueError(f"exercise kind must be one of {KINDS}; got {exercise.kind!r}")


# --- build exercises: running the student's code ---------------------------------------------


class AnswerError(Exception):
    """The student's code raised, or ran past the time limit: the message says which, in one line."""


class _TimeUp(BaseException):
    """Raised in the student's code when the time limit passes (a BaseException: code that catches
    every Exception does not swallow it)."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Stop the code run inside after ``seconds`` (with SIGALRM: on Linux and macOS, in the main
    thread, which is where a notebook runs its cells); elsewhere it runs without a limit."""
    usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def stop(signum, frame):
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(max(1, int(seconds)))
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def call_answer(function: Callable, *args: Any, what: str, **kwargs: Any) -> Any:
    """Call the student's ``function``; an exception it raises becomes an :class:`AnswerError`
    naming the call (``what``, e.g. ``"train_fast(x, y)"``) and the error, in one line."""
    try:
        return function(*args, **kwargs)
    except Exception as error:  # the student's code: any error is theirs to see, in one line
        message = " ".join(str(error).split())[:200]
        raise AnswerError(
            f"{what} raised {type(error).__name__}: {message}; run it in a cell of its own to see where"
        ) from error


def expect_callable(answer: Any, what: str) -> Callable:
    """``answer`` if it is a function; AnswerKindError naming the function expected if not."""
    if not callable(answer):
        raise _WrongKind(f"expected a function {what}, got {_describe(answer)}")
    return answer


def _run_grader(
    exercise: Exercise, answer: Any, seed: int, task: Mapping[str, Any] | None = None
) -> Verdict:
    """The grader's verdict on ``answer``, run within the exercise's time limit (``task``: a graded
    variant's numbers, passed to the grader as keyword arguments)."""
    try:
        with time_limit(exercise.time_limit):
            return exercise.grader(answer, seed=seed, **dict(task or {}))
    except _TimeUp:
        return Verdict(
            False,
            f"your code ran longer than {exercise.time_limit} s, this exercise's limit, and was stopped",
            "make it do less: fewer epochs, larger batches, a smaller model",
        )
    except AnswerError as error:
        return Verdict(False, str(error), "fix the error, then run the cell again")


# --- what a student calls ----------------------------------------------------------------------


def _exercise(exercise_id: str) -> Exercise:
    try:
        return EXERCISES[exercise_id]
    except KeyError:
        known = ", ".join(sorted(EXERCISES)) or "none"
        raise KeyError(
            f"unknown exercise {exercise_id!r}; the registered ones are: {known}"
        ) from None


def _judged(exercise_id: str, expected: str | None) -> Exercise:
    """The registered exercise, its right answer replaced by ``expected`` (a graded variant's)."""
    exercise = _exercise(exercise_id)
    if expected is None:
        return exercise
    if exercise.kind == "build":
        raise ValueError(f"exercise {exercise_id} is a build exercise: it has no answer to replace")
    decode_answer(expected)  # a payload of encode_answer(), or an error now
    return dataclasses.replace(exercise, answer=expected)


def _verdict(
    exercise: Exercise, answer: Any, seed: int, task: Mapping[str, Any] | None = None
) -> Verdict:
    if exercise.kind == "build":
        return _run_grader(exercise, answer, seed, task)
    right = _is_right_value(exercise, answer)
    return Verdict(right, "", value=_normalized(exercise, answer))


def verdict(
    exercise_id: str,
    answer: Any,
    *,
    seed: int = BOOK_GRADING_SEED,
    expected: str | None = None,
    task: Mapping[str, Any] | None = None,
) -> Verdict:
    """Judge ``answer`` for exercise ``exercise_id``: a :class:`Verdict` (``measured`` empty for a
    value exercise); AnswerKindError if the answer is not of the kind the exercise takes.

    ``seed`` draws a build exercise's held-out data: the book's own by default, a course's in a
    graded variant. A graded variant also passes its right answer (``expected``, a payload of
    :func:`encode_answer`, see :func:`variant_answer`) for a value exercise, or its numbers
    (``task``) for a build exercise's grader.
    """
    return _verdict(_judged(exercise_id, expected), answer, seed, task)


def is_right(
    exercise_id: str,
    answer: Any,
    *,
    seed: int = BOOK_GRADING_SEED,
    expected: str | None = None,
    task: Mapping[str, Any] | None = None,
) -> bool:
    """Whether ``answer`` is right for exercise ``exercise_id``, silently (False for the wrong kind)."""
    try:
        return verdict(exercise_id, answer, seed=seed, expected=expected, task=task).right
    except _WrongKind:
        return False


def _sentence(
    exercise_id: str,
    exercise: Exercise,
    answer: Any,
    seed: int,
    task: Mapping[str, Any] | None = None,
) -> tuple[bool, str]:
    """(right, the one line that says so) for ``answer``."""
    if answer is None:
        RESULTS[exercise_id] = Verdict(False, "no answer yet")
        what = "your function" if exercise.kind == "build" else "your answer"
        return (
            False,
            f"Exercise {exercise_id}: no answer yet: replace None with {what}, then run the cell again.",
        )
    try:
        found = _verdict(exercise, answer, seed, task)
    except _WrongKind as error:
        RESULTS[exercise_id] = Verdict(False, f"not the kind of answer expected: {error}")
        return False, f"Exercise {exercise_id}: not the kind of answer expected: {error}."
    RESULTS[exercise_id] = found
    measured = f": {found.measured}" if found.measured else ""
    if found.right:
        return True, f"Exercise {exercise_id}: correct{measured or ', well done'}."
    return (
        False,
        f"Exercise {exercise_id}: not yet{measured}. Hint: {found.advice or exercise.hint}",
    )


# --- inside a course's assignment (nbgrader) ------------------------------------------------------

#: Set by a graded variant's notebook through :func:`assignment_mode`; empty in the book.
_ASSIGNMENT: dict[str, Any] = {}


def assignment_mode(*, variant: bool, tasks: Mapping[str, Mapping[str, Any]] | None = None) -> None:
    """Tell :func:`check` that it runs in a course's assignment, not in the book.

    ``tools.course.assignments`` puts this call in a graded variant's notebook (``variant=True``). The
    variant's right answers differ from the book's and only the teacher's grading knows them, so
    ``check`` then says plainly that it cannot judge a value exercise (after checking that the
    answer is of the right kind), and runs a build exercise's grader with the variant's numbers
    (``tasks``, by exercise: ``{"07.4": {"MAX_UPDATES": 1000}}``) on the book's held-out data (the
    grade uses the course's).

    >>> assignment_mode(variant=False)  # back to the book's own check()
    """
    if not isinstance(variant, bool):
        raise TypeError(f"variant must be True or False; got {variant!r}")
    tasks = {key: dict(value) for key, value in (tasks or {}).items()}
    _ASSIGNMENT.clear()
    if variant:
        _ASSIGNMENT.update(variant=True, tasks=tasks)


def _variant_sentence(exercise_id: str, exercise: Exercise, answer: Any) -> str:
    """What ``check`` says in a graded variant."""
    task = _ASSIGNMENT["tasks"].get(exercise_id)
    if answer is None or exercise.kind == "build":
        right, sentence = _sentence(exercise_id, exercise, answer, BOOK_GRADING_SEED, task)
        if answer is None or not sentence.endswith("."):
            return sentence
        return (
            sentence[:-1] + " (on the book's held-out data; your grade is measured on your "
            "course's)."
        )
    try:
        value = _normalized(exercise, answer)
    except _WrongKind as error:
        RESULTS[exercise_id] = Verdict(False, f"not the kind of answer expected: {error}")
        return f"Exercise {exercise_id}: not the kind of answer expected: {error}."
    RESULTS[exercise_id] = Verdict(False, "not judged in a graded variant", value=value)
    return (
        f"Exercise {exercise_id}: your answer is of the right kind; check() cannot say more in this "
        "graded variant, whose right answers differ from the book's: it is graded when your "
        "notebook is collected."
    )


def check(exercise_id: str, answer: Any) -> None:
    """Say in one line whether ``answer`` is right for exercise ``exercise_id``; if not, give a hint.

    The right answer is never shown. A build exercise's line also says what its grader measured.
    In a course's graded variant (:func:`assignment_mode`) it says what it can judge there.
    """
    exercise = _exercise(exercise_id)
    if _ASSIGNMENT.get("variant"):
        print(_variant_sentence(exercise_id, exercise, answer))
    else:
        print(_sentence(exercise_id, exercise, answer, BOOK_GRADING_SEED)[1])
    found = RESULTS[exercise_id]
    CHECKS.append(
        {
            "exercise": exercise_id,
            "right": bool(found.right),
            "measured": found.measured,
            "count": _execution_count(),
        }
    )


def _execution_count() -> int | None:
    """The execution count of the IPython cell running now, or None outside IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    count = getattr(shell, "execution_count", None)
    return count if isinstance(count, int) else None


def graded(
    exercise_id: str,
    answer: Any,
    *,
    seed: int = BOOK_GRADING_SEED,
    expected: str | None = None,
    task: Mapping[str, Any] | None = None,
) -> tuple[bool, str]:
    """For graded coursework (nbgrader's hidden tests): (right, the line ``check`` would print,
    hint included). ``seed``, ``expected`` and ``task`` are a graded variant's (see
    :func:`verdict`).

    The hidden test prints the line and asserts ``right`` in its own cell, so that the student's
    feedback shows the line and the test, not this module's code.
    """
    return _sentence(exercise_id, _judged(exercise_id, expected), answer, seed, task)


def grade(
    exercise_id: str,
    answer: Any,
    *,
    seed: int = BOOK_GRADING_SEED,
    expected: str | None = None,
    task: Mapping[str, Any] | None = None,
    verbose: bool = False,
) -> None:
    """Nothing if ``answer`` is right, else an AssertionError whose message is the line ``check``
    would print, hint included (see :func:`graded`); ``verbose`` prints the line when right too."""
    right, sentence = graded(exercise_id, answer, seed=seed, expected=expected, task=task)
    if not right:
        raise AssertionError(sentence)
    if verbose:
        print(sentence)


def answer_problem(exercise_id: str, answer: Any, name: str) -> str:
    """An assignment's visible test: what is wrong with ``answer`` (the variable ``name``) before it
    can be graded, in one line (not given yet, or not of the kind the exercise takes); "" if
    nothing. It says nothing of whether the answer is right.

    >>> EXERCISES["doc.2"] = Exercise("integer", encode_answer(44))
    >>> answer_problem("doc.2", 46.0, "n_params")  # a whole number, of the right kind
    ''
    >>> answer_problem("doc.2", "44", "n_params")
    "Exercise doc.2: not the kind of answer expected: expected a whole number (int), got str '44'."
    >>> del EXERCISES["doc.2"]
    """
    exercise = _exercise(exercise_id)
    if answer is None:
        return (
            f"Exercise {exercise_id}: no answer: {name} is still None. Set it to your answer; if "
            "the answer cell stopped with an error or ran past its time limit, fix that first."
        )
    if exercise.kind == "build":
        if callable(answer):
            return ""
        return (
            f"Exercise {exercise_id}: not the kind of answer expected: {name} must be a "
            f"function, got {_describe(answer)}."
        )
    try:
        _normalized(exercise, answer)
        if exercise.kind == "boolean" and not _is_bool(_single(answer)):
            raise _WrongKind(f"expected True or False, got {_describe(answer)}")
        if exercise.kind == "text" and not isinstance(answer, str):
            raise _WrongKind(f"expected text (str), got {_describe(answer)}")
    except _WrongKind as error:
        return f"Exercise {exercise_id}: not the kind of answer expected: {error}."
    return ""


def variant_answer(exercise_id: str, value: Any) -> str:
    """The right answer a graded variant registers when its worked solution gives ``value``: an
    :func:`encode_answer` payload, of the tolerance the book declares for the exercise.

    An answer computed exactly keeps the book's relative tolerance (or none, for a whole number).
    An answer that depends on training is accepted within ``spread + margin`` of ``value``: the
    student's run and the variant's own are two runs of the same training, up to ``spread`` apart
    (the exercise's measured spread over training seeds), and the margin is the one the book added
    to that spread on each side of its range. Without a measured spread, within the range's width.

    >>> EXERCISES["doc.1"] = Exercise("number", encode_answer(0.9, low=0.85, high=0.95), spread=0.06)
    >>> decode_answer(variant_answer("doc.1", 0.8))  # margin (0.10 - 0.06) / 2 = 0.02
    {'value': 0.8, 'low': 0.72, 'high': 0.88}
    >>> del EXERCISES["doc.1"]
    """
    exercise = _exercise(exercise_id)
    if exercise.kind == "build":
        raise ValueError(f"exercise {exercise_id} is a build exercise: its grader judges it")
    declared = decode_answer(exercise.answer)
    plain = _normalized(exercise, value)
    if "low" not in declared:
        return encode_answer(plain, rel=declared.get("rel"))
    if isinstance(plain, list):
        raise ValueError(
            f"exercise {exercise_id}: a list of results of training has no variant band; "
            "register each number as an exercise of its own"
        )
    half = variant_half_width(exercise)
    return encode_answer(plain, low=round(plain - half, 12), high=round(plain + half, 12))


def variant_half_width(exercise: Exercise) -> float:
    """How far from its recomputed value a graded variant accepts a result of training: the
    measured spread plus the book's margin, or, without a measured spread, the range's width."""
    declared = decode_answer(exercise.answer)
    width = declared["high"] - declared["low"]
    if exercise.spread is None:
        return width
    margin = max(0.0, (width - exercise.spread) / 2)
    return exercise.spread + margin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Encode an exercise's right answer for EXERCISES (for authors)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    encode = sub.add_parser("encode", help="print the payload of a right answer")
    encode.add_argument("value", help='a JSON value: 0.754, 44, true, [0.6, 0.9] or "text"')
    encode.add_argument("--rel", type=float, help="relative tolerance of a number (at least 1e-4)")
    encode.add_argument(
        "--range", type=float, nargs=2, metavar=("LOW", "HIGH"), help="accepted range of a number"
    )
    args = parser.parse_args(argv)
    try:
        value = json.loads(args.value)
    except ValueError:
        print(
            "error: VALUE is a JSON value: a number (0.754), a whole number (44), true or false, "
            f"a list of numbers ([0.6, 0.9]) or text in double quotes ('\"text\"'); got {args.value!r}",
            file=sys.stderr,
        )
        return 2
    low, high = args.range or (None, None)
    try:
        print(encode_answer(value, rel=args.rel, low=low, high=high))
    except ValueError as error:
        message = str(error).replace("low= and high=", "--range LOW HIGH")
        message = message.replace("rel=", "--rel").replace("rel must", "--rel must")
        print(f"error: {message}", file=sys.stderr)
        return 2
    return 0
