"""Exercise 01.5, a training loop that stops by itself: its grader, on the answers a teacher sees."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest
from exercise_code import chapter_namespace, stub, worked_solution

from helpers import exercises
from helpers.activations import sigmoid
from helpers.exercises import chapter01, check, verdict
from tools.chapters import book


@pytest.fixture(scope="module")
def chapter():
    path = next(p for p in book.chapter_notebooks() if p.name.startswith("01-"))
    namespace = chapter_namespace(
        path, ("predict_proba", "bce_loss", "gradients", "train"), sigmoid=sigmoid, SEED=42
    )
    return path, namespace


@pytest.fixture(scope="module")
def right(chapter):
    """The chapter's worked solution, with the chapter's gradients and bce_loss."""
    path, namespace = chapter
    return worked_solution(path, "01.5", dict(namespace))


def test_the_worked_solution_passes_on_data_it_never_saw(right, capsys):
    for seed in (exercises.BOOK_GRADING_SEED, 7, 2026):
        found = verdict("01.5", right, seed=seed)
        assert found.right, found
        assert found.measured.startswith("on 3 new data sets it stopped after ")
        assert 0 <= found.value < 1e-3  # the loss, at most this far above the lowest
    check("01.5", right)
    out = capsys.readouterr().out
    assert out.startswith("Exercise 01.5: correct: on 3 new data sets") and out.count("\n") == 1


def test_a_graded_variant_judges_by_its_own_tolerance(right):
    """A variant's answer cell sets another TOLERANCE and its grader follows it: the book's
    function, its tolerance bound to the book's 1e-6, no longer stops where the rule stops."""
    variant = {"TOLERANCE": 1e-7}
    assert not verdict("01.5", right, task=variant).right
    in_the_variant = lambda X, y, rate: right(X, y, rate, tolerance=1e-7)  # noqa: E731
    assert verdict("01.5", in_the_variant, task=variant).right


def test_an_off_by_one_count_or_a_relative_improvement_still_passes(chapter):
    """Two honest ways of writing the rule: counting the epoch that stopped it or not, and the
    improvement relative to the loss."""
    _, ns = chapter

    def counted_before(X, y, learning_rate, tolerance=1e-6):
        w, b = np.zeros(X.shape[1]), 0.0
        losses = [ns["bce_loss"](X, y, w, b)]
        while True:
            grad_w, grad_b = ns["gradients"](X, y, w, b)
            w, b = w - learning_rate * grad_w, b - learning_rate * grad_b
            losses.append(ns["bce_loss"](X, y, w, b))
            if (losses[-2] - losses[-1]) / losses[-1] < tolerance:
                return w, b, len(losses) - 2  # the last epoch not counted

    assert verdict("01.5", counted_before).right


def test_a_loop_that_stops_after_one_epoch_is_refused_with_why(chapter):
    _, ns = chapter

    def sign_error(X, y, learning_rate, tolerance=1e-6):
        w, b = np.zeros(X.shape[1]), 0.0
        previous = ns["bce_loss"](X, y, w, b)
        for epoch in range(1, 10_001):
            grad_w, grad_b = ns["gradients"](X, y, w, b)
            w, b = w - learning_rate * grad_w, b - learning_rate * grad_b
            loss = ns["bce_loss"](X, y, w, b)
            if loss - previous < tolerance:  # the wrong way round: negative as it falls
                return w, b, epoch
            previous = loss
        return w, b, 10_000

    found = verdict("01.5", sign_error)
    assert not found.right and "stopped after 1, 1 and 1 epochs" in found.measured
    assert found.advice.startswith("the loop stopped after one epoch")


def test_a_loop_that_never_stops_is_stopped_at_the_time_limit(chapter, monkeypatch, capsys):
    _, ns = chapter
    monkeypatch.setitem(
        exercises.EXERCISES,
        "01.5",
        dataclasses.replace(exercises.EXERCISES["01.5"], time_limit=2),
    )

    def never(X, y, learning_rate, tolerance=1e-6):
        w, b = np.zeros(X.shape[1]), 0.0
        epochs = 0
        while ns["bce_loss"](X, y, w, b) > tolerance:  # the loss itself never gets that low
            grad_w, grad_b = ns["gradients"](X, y, w, b)
            w, b = w - learning_rate * grad_w, b - learning_rate * grad_b
            epochs += 1
        return w, b, epochs

    start = time.perf_counter()
    check("01.5", never)
    assert time.perf_counter() - start < 4
    assert capsys.readouterr().out.startswith(
        "Exercise 01.5: not yet: your code ran longer than 2 s"
    )


def test_a_loop_that_runs_to_its_cap_is_told_so():
    def capped(X, y, learning_rate):
        return np.zeros(X.shape[1]), 0.0, chapter01.MAX_EPOCHS

    found = verdict("01.5", capped)
    assert not found.right and found.advice.startswith("the loop ran to its cap")


def test_a_fixed_number_of_epochs_is_refused(chapter):
    """The tempting answer: the chapter's train() for its 100 epochs; the data sets' learning
    rates are so far apart that no one number of epochs suits all three."""
    _, ns = chapter

    def fixed(X, y, learning_rate):
        for epochs in (100,):
            w, b, _ = ns["train"](X, y, learning_rate, epochs)
        return w, b, epochs

    for seed in (0, 1, 2):
        found = verdict("01.5", fixed, seed=seed)
        assert not found.right and "stopped after 100, 100 and 100 epochs" in found.measured
    for wrong, why in exercises.EXERCISES["01.5"].tempting:
        assert not verdict("01.5", wrong).right, why


def test_no_answer_or_the_untouched_stub_says_so(chapter, capsys):
    path, namespace = chapter
    check("01.5", None)
    assert "no answer yet: replace None with your function" in capsys.readouterr().out
    check("01.5", stub(path, "01.5", dict(namespace)))
    assert capsys.readouterr().out == (
        "Exercise 01.5: not yet: train_until_converged(X, y, learning_rate) returned None. "
        "Hint: write the function's body, ending with `return w, b, epochs`\n"
    )
    found = verdict("01.5", lambda X, y, lr: (np.zeros(X.shape[1]), 0.0))
    assert not found.right and "not three values" in found.measured


def test_the_grader_draws_its_data_from_the_seed_alone():
    first, again, other = (chapter01.convergence_data(s) for s in (3, 3, 4))
    assert all(np.array_equal(a[0], b[0]) and a[2] == b[2] for a, b in zip(first, again))
    assert not np.array_equal(first[0][0], other[0][0])
    rates = sorted(rate * np.linalg.eigvalsh(X.T @ X / len(X)).max() for X, _, rate in first)
    assert rates[-1] / rates[0] > 10  # learning rates far apart, for the data's curvature
