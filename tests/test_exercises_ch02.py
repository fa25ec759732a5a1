"""Exercise 02.5, the backward pass of one dense layer: its grader, on the answers a teacher sees."""

from __future__ import annotations

import numpy as np
import pytest
from exercise_code import chapter_namespace, stub, worked_solution

from helpers import exercises
from helpers.exercises import chapter02, check, verdict
from tools.chapters import book

pytest.importorskip("tensorflow")  # the grader's reference: tf.GradientTape


@pytest.fixture(scope="module")
def chapter():
    path = next(p for p in book.chapter_notebooks() if p.name.startswith("02-"))
    return path, chapter_namespace(path, ("sigmoid", "transpose"))


@pytest.fixture(scope="module")
def right(chapter):
    """The chapter's worked solution, with the chapter's sigmoid."""
    path, namespace = chapter
    return worked_solution(path, "02.5", dict(namespace))


def test_the_worked_solution_matches_gradient_tape_on_random_layers(right, capsys):
    for seed in (exercises.BOOK_GRADING_SEED, 7, 2026):
        found = verdict("02.5", right, seed=seed)
        assert found.right and found.value < 1e-12, found
    check("02.5", right)
    out = capsys.readouterr().out
    assert out.startswith("Exercise 02.5: correct: largest gradient error ")
    assert out.endswith("(relative to tf.GradientTape's) on 5 random layers with the gain 2.\n")


def test_float32_arithmetic_passes_too(right):
    def in_float32(x, W, b, upstream):
        return right(*(v.astype("float32") for v in (x, W, b, upstream)))

    assert verdict("02.5", in_float32).right


def test_a_sign_error_is_refused_with_why(right):
    def reversed_signs(x, W, b, upstream):
        return tuple(-g for g in right(x, W, b, upstream))

    found = verdict("02.5", reversed_signs)
    assert not found.right and found.measured.endswith("; wrong: dW, db, dx")
    assert found.advice.startswith("every sign is reversed")


def test_forgetting_the_sigmoids_slope_is_refused_with_why():
    def no_slope(x, W, b, upstream):  # as if upstream were already dL/dz
        return x.T @ upstream, upstream.sum(axis=0), upstream @ W.T

    found = verdict("02.5", no_slope)
    assert not found.right and found.advice.startswith("the sigmoid's slope a (1 - a) is missing")


def test_the_tempting_mean_over_the_batch_is_refused(chapter):
    _, ns = chapter

    def bias_mean(x, W, b, upstream, gain=2):  # backward() divides by the rows: so should this?
        a = ns["sigmoid"](gain * (x @ W + b))
        delta = upstream * gain * a * (1 - a)
        return x.T @ delta, delta.mean(axis=0), delta @ W.T

    found = verdict("02.5", bias_mean)
    assert not found.right and found.measured.endswith("; wrong: db")
    assert "sum of delta over the batch, not its mean" in found.advice
    for wrong, why in exercises.EXERCISES["02.5"].tempting:
        assert not verdict("02.5", wrong).right, why


def test_a_transposed_gradient_is_named_by_its_shape(right):
    def transposed(x, W, b, upstream):
        dW, db, dx = right(x, W, b, upstream)
        return dW.T, db, dx

    found = verdict("02.5", transposed)
    assert not found.right and ", dW has shape (" in found.measured
    assert found.advice.startswith("dW has the shape of W")


def test_no_answer_or_the_untouched_stub_says_so(chapter, capsys):
    path, namespace = chapter
    check("02.5", None)
    assert "no answer yet: replace None with your function" in capsys.readouterr().out
    check("02.5", stub(path, "02.5", dict(namespace)))
    assert capsys.readouterr().out == (
        "Exercise 02.5: not yet: dense_backward(x, W, b, upstream) returned None. "
        "Hint: write the function's body, ending with `return dW, db, dx`\n"
    )


def test_the_layers_come_from_the_seed_and_their_shapes_differ():
    first, again = chapter02.random_layers(3), chapter02.random_layers(3)
    assert all(np.array_equal(a["x"], b["x"]) for a, b in zip(first, again))
    for layer in first:
        batch, n_in = layer["x"].shape
        assert len({batch, n_in, layer["W"].shape[1]}) == 3  # a transpose shows in the shape
    assert not np.array_equal(first[0]["W"], chapter02.random_layers(4)[0]["W"])


def test_leaving_out_the_gains_factor_is_refused_with_why(chapter):
    _, ns = chapter

    def chapters_slope(x, W, b, upstream, gain=2):  # the chapter's a (1 - a), no gain
        a = ns["sigmoid"](gain * (x @ W + b))
        delta = upstream * a * (1 - a)
        return x.T @ delta, delta.sum(axis=0), delta @ W.T

    found = verdict("02.5", chapters_slope)
    assert not found.right and found.measured.endswith("; wrong: dW, db, dx")
    assert found.advice.startswith("the gain's factor is missing")


@pytest.mark.parametrize("gain", exercises.EXERCISES["02.5"].variants["GAIN"])
def test_a_graded_variant_judges_by_its_own_gain(chapter, gain):
    """A variant's answer cell sets another GAIN: the book's function, written with the book's
    gain (its default gain=GAIN bound to 2), is refused and told so; the same function written
    in the variant's answer cell, whose GAIN is the variant's, passes."""
    path, namespace = chapter
    variant = {"GAIN": gain}
    books = worked_solution(path, "02.5", dict(namespace))
    found = verdict("02.5", books, task=variant, seed=2026)
    assert not found.right and found.measured.endswith(f"with the gain {gain}; wrong: dW, db, dx")
    assert found.advice.startswith(
        f"these are the gradients for a gain of 2, not the task's GAIN = {gain}"
    )
    in_the_variant = lambda x, W, b, upstream: books(x, W, b, upstream, gain=gain)  # noqa: E731
    for seed in (exercises.BOOK_GRADING_SEED, 7, 2026):
        assert verdict("02.5", in_the_variant, task=variant, seed=seed).right
