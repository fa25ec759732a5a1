"""helpers.exercises: right answers pass, wrong ones get the hint, the solution is never printed."""

from __future__ import annotations

import re

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import Exercise, answer_digest, check


@pytest.fixture
def registered(monkeypatch):
    """Three exercises of different kinds, registered for the test only."""
    entries = {
        "t.1": Exercise("number", answer_digest(2.3456, "number", 3), "add the three products", decimals=3),
        "t.2": Exercise("integer", answer_digest(202, "integer"), "count weights and biases"),
        "t.3": Exercise("numbers", answer_digest([0.1, 0.25], "numbers"), "one value per class"),
    }
    for key, value in entries.items():
        monkeypatch.setitem(exercises.EXERCISES, key, value)
    return entries


def test_right_answers_pass(registered, capsys):
    assert check("t.1", 2.3459) is True  # the same to 3 decimals
    assert check("t.2", np.int64(202)) is True
    assert check("t.3", np.array([0.1004, 0.2496])) is True
    assert capsys.readouterr().out.count("correct") == 3


def test_wrong_answer_gets_the_hint_but_not_the_solution(registered, capsys):
    assert check("t.1", 2.3) is False
    out = capsys.readouterr().out
    assert "not yet (compared to 3 decimals)" in out and "Hint: add the three products" in out
    assert "2.346" not in out and "2.3456" not in out


def test_answer_of_the_wrong_kind_says_what_was_expected(registered, capsys):
    assert check("t.2", 202.0) is False
    assert "expected a whole number (int), got float 202.0" in capsys.readouterr().out
    assert check("t.1", "2.3456") is False
    assert "expected a single number, got str" in capsys.readouterr().out
    assert check("t.3", ["a", "b"]) is False
    assert "expected a list or array of numbers, got list" in capsys.readouterr().out
    assert check("t.3", None) is False  # the unanswered placeholder of the notebooks
    assert "expected a list or array of numbers, got NoneType" in capsys.readouterr().out


def test_unknown_exercise_lists_the_known_ones(registered):
    with pytest.raises(KeyError, match=r"unknown exercise '9.9'.*t\.1, t\.2, t\.3"):
        check("9.9", 1)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match=r"kind must be one of .*got 'float'"):
        answer_digest(1.0, kind="float")


def test_negative_zero_and_text_case_do_not_matter():
    assert answer_digest(-0.001) == answer_digest(0.0)
    assert answer_digest("  Sigmoid ", "text") == answer_digest("sigmoid", "text")


def test_registered_exercises_are_well_formed():
    for exercise_id, exercise in exercises.EXERCISES.items():
        assert re.fullmatch(r"\d\d\.\d+", exercise_id), exercise_id
        assert exercise.kind in ("number", "integer", "text", "numbers", "boolean")
        assert re.fullmatch(r"[0-9a-f]{64}", exercise.digest)
        assert exercise.hint.strip()
