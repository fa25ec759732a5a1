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
        ("t.2", 202.0, "expected a whole number (int), got float 202.0"),
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
        ("t.6", [1875.0, 469.0], "expected a whole number (int), got float 1875.0"),
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
    assert "needs either rel=" in capsys.readouterr().err
