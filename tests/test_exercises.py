"""helpers.exercises: right answers pass on any machine, wrong ones get the hint, in one line, no answer shown."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from helpers import exercises
from helpers.exercises import KINDS, Exercise, check, decode_answer, encode_answer, is_right


@pytest.fixture
def registered(monkeypatch):
    """Exercises of every kind, registered for the test only."""
    entries = {
        "t.1": Exercise("number", encode_answer(2.3456, rel=1e-3), "add the three products"),
        "t.2": Exercise("integer", encode_answer(202), "count weights and biases"),
        "t.3": Exercise("numbers", encode_answer([0.1, 0.25], rel=1e-2), "one value per class"),
        "t.4": Exercise("boolean", encode_answer(False), "try a few inputs"),
        "t.5": Exercise(
            "number", encode_answer(0.84, low=0.82, high=0.87), "train it, then evaluate"
        ),
        "t.6": Exercise("integers", encode_answer([1875, 469]), "round up"),
        "t.7": Exercise("text", encode_answer("sigmoid"), "the S-shaped one"),
    }
    for key, value in entries.items():
        monkeypatch.setitem(exercises.EXERCISES, key, value)
    return entries


def said(capsys) -> str:
    out = capsys.readouterr().out
    assert out.count("\n") == 1, f"check() must print one line, printed: {out!r}"
    return out


@pytest.mark.parametrize(
    "exercise_id", [e for e, x in exercises.EXERCISES.items() if x.kind in ("number", "numbers")]
)
@pytest.mark.parametrize("relative", [1e-9, 1e-6, 1e-5, 1e-4, -1e-4])
def test_registered_numbers_accept_a_right_answer_computed_elsewhere(exercise_id, relative):
    """Another CPU, library or seed moves a right answer a little: up to 1e-4 relative must pass."""
    value = decode_answer(exercises.EXERCISES[exercise_id].answer)["value"]
    perturbed = np.asarray(value, dtype=float) * (1 + relative) + (
        relative * 1e-3 if np.all(np.asarray(value) == 0) else 0
    )
    answer = perturbed.tolist() if isinstance(value, list) else float(perturbed)
    assert is_right(exercise_id, answer), (exercise_id, value, answer)


@pytest.mark.parametrize(
    "exercise_id", [e for e, x in exercises.EXERCISES.items() if x.kind in ("number", "numbers")]
)
def test_registered_numbers_refuse_clearly_wrong_answers(exercise_id):
    expected = decode_answer(exercises.EXERCISES[exercise_id].answer)
    value = expected["value"]
    if "low" in expected:  # a range (an answer that depends on training): just outside it
        span = expected["high"] - expected["low"]
        wrongs = [expected["high"] + 0.5 * span + 0.1, expected["low"] - 0.5 * span - 0.1]
    else:
        wrongs = [
            np.asarray(value, dtype=float) * 1.5 + 0.1,
            np.asarray(value, dtype=float) * 0.5 - 0.1,
        ]
    for wrong in [*map(np.asarray, wrongs), -np.asarray(value, dtype=float) - 1]:
        answer = wrong.tolist() if isinstance(value, list) else float(wrong)
        assert not is_right(exercise_id, answer), (exercise_id, value, answer)


@pytest.mark.parametrize("exercise_id", sorted(exercises.EXERCISES))
def test_every_registered_answer_is_right_for_itself_and_the_kind_is_known(exercise_id):
    exercise = exercises.EXERCISES[exercise_id]
    assert re.fullmatch(r"\d\d\.\d+", exercise_id)
    assert exercise.kind in KINDS and exercise.hint.strip()
    if exercise.kind == "build":  # its grader judges code: tests/test_exercises_chNN.py run it
        assert callable(exercise.grader) and not exercise.answer
        assert 0 < exercise.time_limit <= 300
        return
    expected = decode_answer(exercise.answer)
    assert is_right(exercise_id, expected["value"])
    if exercise.kind in ("number", "numbers"):  # a number says how close counts
        assert "rel" in expected or ("low" in expected and "high" in expected)


def test_right_answers_pass_in_any_numeric_form(registered, capsys):
    for exercise_id, answer in [
        ("t.1", 2.3459),
        ("t.1", np.float32(2.3456)),
        ("t.1", np.array([2.3456])),
        ("t.2", np.int64(202)),
        ("t.2", 202),
        ("t.3", np.array([0.1004, 0.2496])),
        ("t.3", pd.Series([0.1, 0.25])),
        ("t.4", np.False_),
        ("t.5", 0.86),
        ("t.6", (1875, 469)),
        ("t.2", 202.0),  # a whole number computed in floats
        ("t.2", np.float64(202.0)),
        ("t.6", [1875.0, 469.0]),
        ("t.7", "  Sigmoid "),
    ]:
        check(exercise_id, answer)
        assert said(capsys) == f"Exercise {exercise_id}: correct, well done.\n", (
            exercise_id,
            answer,
        )


def test_a_tensor_or_keras_variable_holding_the_answer_passes(registered, capsys):
    """What a student passes without int() or .numpy(): a tensor, or optimizer.iterations."""
    import keras

    for exercise_id, answer in [
        ("t.1", keras.ops.convert_to_tensor(2.3456)),
        ("t.2", keras.Variable(202, dtype="int64")),
        ("t.2", keras.ops.convert_to_tensor([202])),
        ("t.4", keras.ops.convert_to_tensor(False)),
        ("t.6", keras.ops.convert_to_tensor([1875, 469])),
    ]:
        check(exercise_id, answer)
        assert said(capsys) == f"Exercise {exercise_id}: correct, well done.\n", (
            exercise_id,
            answer,
        )


def test_check_returns_nothing_so_a_notebook_shows_no_out(registered, capsys):
    assert check("t.2", 202) is None and check("t.2", 1) is None


def test_wrong_answer_gets_the_hint_but_not_the_solution(registered, capsys):
    check("t.1", 2.3)
    out = said(capsys)
    assert out == "Exercise t.1: not yet. Hint: add the three products\n"
    check("t.5", 0.9)  # outside the range training gives
    assert "not yet" in said(capsys)


def test_whole_numbers_and_booleans_say_nothing_about_decimals_or_the_other_answer(
    registered, capsys
):
    check("t.2", 201)
    check("t.6", [1875, 470])
    check("t.4", True)
    out = capsys.readouterr().out
    assert "decimal" not in out and "False" not in out and out.count("not yet") == 3


def test_unanswered_placeholder_says_so(registered, capsys):
    check("t.3", None)
    assert (
        said(capsys)
        == "Exercise t.3: no answer yet: replace None with your answer, then run the cell again.\n"
    )


@pytest.mark.parametrize(
    ("exercise_id", "answer", "message"),
    [
        ("t.2", 202.5, "expected a whole number (int), got float 202.5"),
        ("t.2", True, "expected a whole number (int), got bool True"),
        ("t.1", "2.3456", "expected a number, got str '2.3456'"),
        ("t.1", np.array("abc"), "expected a number, got str 'abc'"),
        ("t.1", 10**400, "the number is too large to be the answer"),
        ("t.1", float("nan"), "the answer is NaN (not a number)"),
        ("t.1", float("inf"), "the answer is infinite"),
        ("t.3", ["a", "b"], "expected a number, got str 'a'"),
        ("t.3", np.array(["0.1", "0.25"]), "expected a number, got str '0.1'"),
        ("t.3", [[0.1, 0.25]], "expected a list of 2 values, got 1"),
        (
            "t.3",
            np.array([[0.1, 0.25]]),
            "expected a flat list of 2 values, got an array of shape (1, 2)",
        ),
        (
            "t.3",
            pd.DataFrame([[0.1, 0.25]]),
            "expected a flat list of 2 values, got an array of shape (1, 2)",
        ),
        ("t.3", [0.1, 0.25, 0.3], "expected a list of 2 values, got 3"),
        ("t.4", 0, "expected True or False, got int 0"),
        ("t.6", [1875.5, 469.0], "expected a whole number (int), got float 1875.5"),
        ("t.2", np.timedelta64(202), "expected a number, got a date or duration (timedelta64)"),
        ("t.1", np.ma.masked_array([2.3456], mask=[True]), "the answer is masked"),
        ("t.3", np.ma.masked_array([0.1, 0.25], mask=[False, True]), "the answer has masked"),
        (
            "t.1",
            __import__("decimal").Decimal("2.3456"),
            "expected a number, got Decimal 2.3456: give it as float(...)",
        ),
        ("t.7", 3, "expected text (str), got int 3"),
    ],
)
def test_answer_of_the_wrong_kind_says_what_was_expected(
    registered, capsys, exercise_id, answer, message
):
    check(exercise_id, answer)
    out = said(capsys)
    assert out.startswith(f"Exercise {exercise_id}: not the kind of answer expected: {message}"), (
        out
    )
    assert not is_right(exercise_id, answer)


def test_unknown_exercise_lists_the_known_ones(registered):
    with pytest.raises(KeyError, match=r"unknown exercise '9.9'.*t\.1, t\.2, t\.3"):
        check("9.9", 1)


def test_answers_are_out_of_plain_sight(registered):
    for exercise_id in ("t.1", "t.2", "t.7"):
        assert "2.3456" not in repr(registered[exercise_id]) and "sigmoid" not in repr(
            registered[exercise_id]
        )


@pytest.mark.parametrize(
    ("value", "options", "message"),
    [
        (0.5, {}, "a number needs either rel= or low= and high="),
        (0.5, {"rel": 1e-6}, "rel must be between 1e-4"),
        (0.5, {"low": 0.6, "high": 0.7}, "a range needs low <= value <= high"),
        (5, {"rel": 1e-3}, "only numbers take a tolerance"),
        (float("nan"), {"rel": 1e-3}, "an answer must be a finite number"),
        ({"a": 1}, {}, "an answer is a number, a whole number, True/False, text"),
        ([], {}, "an answer is a number, a whole number, True/False, text"),
        ([1, "a"], {}, "an answer is a number, a whole number, True/False, text"),
    ],
)
def test_encode_answer_refuses_a_tolerance_that_could_fail_a_right_answer(value, options, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        encode_answer(value, **options)


def test_authors_encode_from_the_command_line(capsys):
    assert exercises.main(["encode", "0.754", "--rel", "0.002"]) == 0
    assert decode_answer(capsys.readouterr().out.strip()) == {"value": 0.754, "rel": 0.002}
    assert exercises.main(["encode", "[1, 2]"]) == 0
    assert json.loads(json.dumps(decode_answer(capsys.readouterr().out.strip()))) == {
        "value": [1, 2]
    }
    assert exercises.main(["encode", "0.5"]) == 2
    assert "needs either --rel or --range LOW HIGH" in capsys.readouterr().err


@pytest.mark.parametrize("exercise_id", sorted(exercises.EXERCISES))
def test_every_tempting_wrong_answer_is_refused(exercise_id):
    """The wrong answers an exercise lists (the contrasted variant, an off-by-one, a percentage
    for a fraction) are each refused by the self-check."""
    exercise = exercises.EXERCISES[exercise_id]
    for wrong, why in exercise.tempting:
        assert why.strip(), (exercise_id, wrong)
        assert not is_right(exercise_id, wrong), (exercise_id, wrong, why)


# --- build exercises: the student's code, run by a grader -----------------------------------


def _double_grader(answer, *, seed):
    """A grader for the tests: the student's function must double numbers it has not seen."""
    function = exercises.expect_callable(answer, "double(x)")
    x = np.random.default_rng(seed).normal(size=5)
    got = exercises.call_answer(function, x, what="double(x)")
    error = float(np.max(np.abs(np.asarray(got) - 2 * x)))
    return exercises.Verdict(
        error < 1e-9, f"largest error {error:.2g} on 5 numbers from seed {seed}"
    )


@pytest.fixture
def build(monkeypatch):
    monkeypatch.setitem(
        exercises.EXERCISES,
        "t.8",
        Exercise("build", hint="return 2 * x", grader=_double_grader, time_limit=2),
    )


def test_a_build_exercise_runs_the_students_function_and_says_what_it_measured(build, capsys):
    check("t.8", lambda x: 2 * x)
    assert said(capsys) == "Exercise t.8: correct: largest error 0 on 5 numbers from seed 0.\n"
    check("t.8", lambda x: x + x + 1)
    out = said(capsys)
    assert out.startswith("Exercise t.8: not yet: largest error 1 on 5 numbers") and out.endswith(
        "Hint: return 2 * x\n"
    )
    assert is_right("t.8", lambda x: 2 * x, seed=7) and not is_right("t.8", lambda x: x)


def test_a_build_exercise_without_an_answer_or_with_the_wrong_kind_says_so(build, capsys):
    check("t.8", None)
    assert said(capsys) == (
        "Exercise t.8: no answer yet: replace None with your function, then run the cell again.\n"
    )
    check("t.8", 2.0)
    assert said(capsys) == (
        "Exercise t.8: not the kind of answer expected: expected a function double(x), got float 2.0.\n"
    )


def test_an_error_in_the_students_code_is_one_line_that_names_the_call(build, capsys):
    def broken(x):
        raise ValueError("shapes (5,) and (3,)\nnot aligned")

    check("t.8", broken)
    assert said(capsys) == (
        "Exercise t.8: not yet: double(x) raised ValueError: shapes (5,) and (3,) not aligned; "
        "run it in a cell of its own to see where. Hint: fix the error, then run the cell again\n"
    )


def test_code_that_runs_too_long_is_stopped_at_the_time_limit(build, capsys):
    import time

    def endless(x):
        while True:
            try:
                time.sleep(0.05)
            except Exception:  # a student's catch-all does not swallow the time limit
                pass

    start = time.perf_counter()
    check("t.8", endless)
    assert time.perf_counter() - start < 5
    assert said(capsys).startswith("Exercise t.8: not yet: your code ran longer than 2 s")


def test_grade_raises_with_the_line_check_prints_for_nbgrader(build, registered):
    exercises.grade("t.8", lambda x: 2 * x, seed=3)
    exercises.grade("t.2", 202)
    with pytest.raises(AssertionError, match=r"^Exercise t\.8: not yet: .*Hint: return 2 \* x$"):
        exercises.grade("t.8", lambda x: x)
    with pytest.raises(AssertionError, match=r"^Exercise t\.2: not yet\. Hint: count weights"):
        exercises.grade("t.2", 201)
    with pytest.raises(AssertionError, match=r"^Exercise t\.2: no answer yet"):
        exercises.grade("t.2", None)


def test_check_keeps_a_record_of_each_verdict_for_the_tools(build, registered, capsys):
    check("t.8", lambda x: 2 * x)
    check("t.2", 202.0)
    check("t.1", None)
    assert exercises.RESULTS["t.8"].right and "largest error" in exercises.RESULTS["t.8"].measured
    assert exercises.RESULTS["t.2"] == exercises.Verdict(True, "", value=202)
    assert exercises.RESULTS["t.1"] == exercises.Verdict(False, "no answer yet")
    # and every verdict in order, as plain data (outside IPython, no cell's execution count)
    assert [(r["exercise"], r["right"], r["count"]) for r in exercises.CHECKS[-3:]] == [
        ("t.8", True, None),
        ("t.2", True, None),
        ("t.1", False, None),
    ]
    assert "largest error" in exercises.CHECKS[-3]["measured"]
    assert json.loads(json.dumps(exercises.CHECKS[-3:])) == exercises.CHECKS[-3:]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["encode", "abc"], "VALUE is a JSON value: a number (0.754)"),
        (["encode", "0.5"], "a number needs either --rel or --range LOW HIGH"),
        (["encode", "0.5", "--rel", "0.9"], "--rel must be between 1e-4"),
    ],
)
def test_the_encoder_says_what_it_needs_in_its_own_flags(argv, message, capsys):
    from helpers.exercises import main

    assert main(argv) == 2
    assert message in capsys.readouterr().err
