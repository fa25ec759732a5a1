"""Exercise 04.5, a threshold for a target precision: its grader, on the answers a teacher sees."""

from __future__ import annotations

import numpy as np
import pytest
from exercise_code import stub, worked_solution
from sklearn.metrics import precision_recall_curve

from helpers import exercises
from helpers.exercises import chapter04, check, verdict
from tools.chapters import book

pytest.importorskip("sklearn")


def said(capsys) -> str:
    out = capsys.readouterr().out
    assert out.count("\n") == 1, f"check() must print one line, printed: {out!r}"
    return out


@pytest.fixture(scope="module")
def chapter():
    return next(p for p in book.chapter_notebooks() if p.name.startswith("04-"))


@pytest.fixture(scope="module")
def right(chapter):
    """The worked solution's choose_threshold, defined after the answer cell's MIN_PRECISION."""
    namespace = {"precision_recall_curve": precision_recall_curve, "check": lambda *args: None}
    function = worked_solution(chapter, "04.5", namespace)
    assert namespace["MIN_PRECISION"] == 0.6
    return function


def test_the_worked_solution_passes_with_what_was_measured(right, capsys):
    for seed in (exercises.BOOK_GRADING_SEED, 7, 2026):
        found = verdict("04.5", right, seed=seed)
        assert found.right, found
        assert found.measured.startswith(
            "on 10,000 customers, each a test customer once in 5 rounds: precision 0."
        )
        assert 0.45 <= found.value <= 0.6  # the recall, against about 0.38 at 0.5
    check("04.5", right)
    out = said(capsys)
    assert (
        out.startswith("Exercise 04.5: correct: on 10,000 customers")
        and "(the 0.5 threshold: 0." in out
    )


def test_a_graded_variant_judges_by_its_own_precision(right):
    """A variant's answer cell sets another MIN_PRECISION and the grader follows it: the book's
    function, its min_precision bound to the book's 0.6, no longer reaches 0.65 (within the
    slack) for the book's grading seed; with the variant's number it passes."""
    variant = {"MIN_PRECISION": 0.65}
    copied = verdict("04.5", right, task=variant)
    assert not copied.right and "needed: precision at least 0.61" in copied.measured, copied
    in_the_variant = lambda proba, y: right(proba, y, min_precision=0.65)  # noqa: E731
    assert verdict("04.5", in_the_variant, task=variant).right
    lower = lambda proba, y: right(proba, y, min_precision=0.55)  # noqa: E731
    assert verdict("04.5", lower, task={"MIN_PRECISION": 0.55}).right
    # the book's function in a variant that asks for less precision: it catches too few churners
    copied = verdict("04.5", right, task={"MIN_PRECISION": 0.55})
    assert not copied.right and copied.advice.startswith("too few churners caught"), copied


def test_another_honest_way_of_writing_the_rule_passes():
    """A grid of thresholds 0.01 apart, flagging with >: the lowest that keeps the precision."""

    def on_a_grid(proba, y, min_precision=0.6):
        for threshold in np.arange(0, 1, 0.01):
            flagged = proba > threshold
            if flagged.any() and y[flagged].mean() >= min_precision:
                return threshold
        return 1.0

    found = verdict("04.5", on_a_grid)
    assert found.right, found


def test_a_threshold_that_catches_too_few_churners_fails_with_what_was_measured():
    found = verdict("04.5", lambda proba, y: 0.49)  # next to the chapter's 0.5
    assert not found.right
    assert "(the 0.5 threshold: 0.70" in found.measured and "needed: precision at least 0.56" in (
        found.measured
    )
    assert found.value < 0.4  # the recall of churners


def test_each_tempting_answer_is_refused_and_told_why():
    half, tuned, for_recall = (wrong for wrong, _ in exercises.EXERCISES["04.5"].tempting)
    found = verdict("04.5", half)
    assert not found.right and "precision 0.70" in found.measured  # keeps precision, no recall
    found = verdict("04.5", tuned)
    assert not found.right and found.advice.startswith(
        "the precision falls short for the balanced model"
    ), found
    found = verdict("04.5", for_recall)
    assert not found.right and found.advice.startswith("the precision falls short: return"), found
    for seed in (1, 2):
        for wrong, why in exercises.EXERCISES["04.5"].tempting:
            assert not verdict("04.5", wrong, seed=seed).right, why


def test_no_answer_or_the_untouched_stub_says_so(chapter, capsys):
    check("04.5", None)
    assert said(capsys).startswith("Exercise 04.5: no answer yet: replace None with your function")
    check("04.5", stub(chapter, "04.5", {}))
    assert said(capsys) == (
        "Exercise 04.5: not yet: choose_threshold(proba, y) returned None. Hint: write the "
        "function's body, ending with `return threshold`\n"
    )


@pytest.mark.parametrize(
    ("answer", "start"),
    [
        (0.35, "Exercise 04.5: not the kind of answer expected: expected a function"),
        (
            lambda proba, y: proba >= 0.35,
            "Exercise 04.5: not yet: choose_threshold(proba, y) returned ndarray of shape (2000,), "
            "not one number. Hint: return the threshold alone",
        ),
        (
            lambda proba, y: (0.35, 0.6),
            "Exercise 04.5: not yet: choose_threshold(proba, y) returned tuple, not one number",
        ),
        (
            lambda proba, y: float("nan"),
            "Exercise 04.5: not yet: choose_threshold(proba, y) returned nan",
        ),
        (
            lambda proba: 0.35,
            "Exercise 04.5: not yet: choose_threshold(proba, y) raised TypeError",
        ),
    ],
)
def test_wrong_kinds_are_refused_with_advice(answer, start, capsys):
    check("04.5", answer)
    assert said(capsys).startswith(start)


def test_the_grader_draws_its_splits_from_the_seed_alone():
    first, again, other = (chapter04.churn_rounds(s) for s in (3, 3, 4))
    assert first is again  # kept: the same seed gives the same rounds
    assert not np.array_equal(first[0]["plain"][0], other[0]["plain"][0])
    tested = sum(len(found["labels"][1]) for found in first)
    assert tested == 10_000 and all(len(found["labels"][0]) == 2_000 for found in first)
    # the balanced model's probabilities run higher, for the same customers
    assert np.mean(first[0]["balanced"][0]) > np.mean(first[0]["plain"][0]) + 0.15
