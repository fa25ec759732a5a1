"""Exercise 07.2, a dense network trained within a budget of weight updates: the grader counts the
updates of the model the student's function returns and measures it on digits the function was
never given."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import chapter07, check, verdict

keras = pytest.importorskip("keras")

CHAPTER = Path(__file__).resolve().parent.parent / "notebooks" / "07-mnist-faster.ipynb"


def said(capsys) -> str:
    out = capsys.readouterr().out
    assert out.count("\n") == 1, f"check() must print one line, printed: {out!r}"
    return out


def cells() -> dict[str, str]:
    return {cell.id: cell.source for cell in nbformat.read(CHAPTER, as_version=4).cells}


def book_solution():
    """The chapter's worked solution, train_fast, defined as the chapter defines it."""
    source = cells()["exercise-2-solution"]
    body = source.split("if RUN_SOLUTIONS:\n", 1)[1]
    body = "\n".join(line.removeprefix("    ") for line in body.splitlines())
    body = body.split('check("07.2"')[0]
    namespace = {"keras": keras, "np": np, "MAX_UPDATES": chapter07.MAX_UPDATES}
    exec(body, namespace)
    return namespace["train_fast"]


def dense(batch_size: int, *, images_used: int | None = None, compile_again=False):
    """A student's train_fast(): the chapter's network, adam, one epoch at ``batch_size`` over
    the first ``images_used`` images it is given (all by default)."""

    def train_fast(images, labels):
        model = keras.Sequential(
            [
                keras.Input(shape=(28, 28)),
                keras.layers.Flatten(),
                keras.layers.Dense(512, activation="relu"),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )
        model.compile(
            loss="categorical_crossentropy",
            optimizer="adam",
            steps_per_execution=32,
        )
        used = slice(images_used)
        model.fit(images[used], labels[used], batch_size=batch_size, verbose=0)
        if compile_again:
            model.compile(loss="categorical_crossentropy", optimizer="adam")
        return model

    return train_fast


def test_the_task_states_the_graders_numbers():
    source = cells()
    task = " ".join(source["exercise-2"].split())
    assert f"{chapter07.MAX_UPDATES} weight updates" in task
    assert f"at least {chapter07.MIN_ACCURACY}" in task
    assert f"on {chapter07.GIVEN_IMAGES:,} training images" in task
    assert f"other {60_000 - chapter07.GIVEN_IMAGES:,} training images" in task
    assert f"{-(-chapter07.GIVEN_IMAGES // 32):,} updates" in task  # one epoch at batch 32
    assert (
        f"MAX_UPDATES, MIN_ACCURACY = {chapter07.MAX_UPDATES}, {chapter07.MIN_ACCURACY}"
        in source["exercise-2-answer"]
    )


def test_the_books_solution_passes_with_what_was_measured(capsys):
    check("07.2", book_solution())
    out = said(capsys)
    assert out.startswith("Exercise 07.2: correct: 294 weight updates (budget 300); accuracy 0.9")
    assert "on 10,000 digits train_fast() was not given" in out
    assert exercises.RESULTS["07.2"].value >= chapter07.MIN_ACCURACY


#: An under-trained answer, cheap to grade: 32 updates of 128 images at adam's default rate.
UNDER_TRAINED = dense(batch_size=128, images_used=4096)


def test_an_under_trained_model_fails_with_what_was_measured():
    found = verdict("07.2", UNDER_TRAINED)
    assert not found.right and found.value < chapter07.MIN_ACCURACY, found
    assert found.measured.startswith("32 weight updates (budget 300); accuracy 0.")
    assert found.measured.endswith("(at least 0.967 needed)")
    assert "divided by 10 for the last epoch" in found.advice


def test_a_model_over_the_budget_fails_with_what_was_measured_and_a_variant_sets_the_budget():
    found = verdict("07.2", UNDER_TRAINED, task={"MAX_UPDATES": 20})
    assert not found.right
    assert found.measured.startswith("32 weight updates, over the budget of 20; accuracy 0.")
    assert found.measured.endswith("not counted")
    assert "ceil(50,000 / batch_size)" in found.advice
    lower_bar = verdict("07.2", UNDER_TRAINED, task={"MIN_ACCURACY": 0.5})
    assert lower_bar.right, lower_bar


def test_each_tempting_answer_is_refused_for_its_reason():
    reasons = {
        chapter07._one_epoch_at_batch_32: "1,563 weight updates, over the budget of 300",
        chapter07._default_learning_rate: "294 weight updates (budget 300)",
        chapter07._recompiled_after_training: (
            "1,564 weight updates (1,563 + 1, by 2 optimizers), over the budget of 300"
        ),
    }
    tempting = exercises.EXERCISES["07.2"].tempting
    assert [wrong for wrong, _ in tempting] == list(reasons)
    for wrong, why in tempting:
        found = verdict("07.2", wrong)
        assert not found.right, (why, found)
        assert found.measured.startswith(reasons[wrong]), (why, found)


@pytest.mark.parametrize(
    ("answer", "start"),
    [
        (None, "Exercise 07.2: no answer yet: replace None with your function"),
        (lambda images, labels: None, "Exercise 07.2: not yet: train_fast() returned NoneType"),
        (
            dense(batch_size=128, images_used=256, compile_again=True),
            "Exercise 07.2: not yet: 2 weight updates (budget 300); accuracy 0.",
        ),
        (
            lambda images, labels: keras.Sequential([keras.Input(shape=(28, 28))]),
            "Exercise 07.2: not yet: no optimizer counted any weight updates (the model is not "
            "compiled). Hint: compile the model",
        ),
        (
            lambda images, labels: 1 / 0,
            "Exercise 07.2: not yet: train_fast(images, labels) raised ZeroDivisionError",
        ),
    ],
    ids=["none", "no-return", "compiled-again", "not-compiled", "raises"],
)
def test_empty_and_malformed_answers_say_what_is_wrong(answer, start, capsys):
    check("07.2", answer)
    assert said(capsys).startswith(start)


def test_the_model_itself_is_not_the_function(capsys):
    model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten()])
    check("07.2", model)
    assert said(capsys).startswith(
        "Exercise 07.2: not the kind of answer expected: expected a function "
        "train_fast(images, labels)"
    )


def cloned_after_training(images, labels):
    """Trains past a budget of 20 (32 updates), then returns a clone given the trained weights,
    compiled and fitted on one batch: its own optimizer counts 1 update."""
    trained = UNDER_TRAINED(images, labels)
    clone = keras.models.clone_model(trained)
    clone.set_weights(trained.get_weights())
    clone.compile(loss="categorical_crossentropy", optimizer="adam")
    clone.fit(images[:32], labels[:32], verbose=0)
    return clone


def test_every_optimizer_created_counts_and_the_patch_is_removed_after_the_call():
    init_before = keras.optimizers.Optimizer.__init__
    found = verdict("07.2", cloned_after_training, task={"MAX_UPDATES": 20})
    assert not found.right
    assert found.measured.startswith("33 weight updates (32 + 1, by 2 optimizers), over the budget")
    assert "compiling the model again gives it a new optimizer" in found.advice
    assert keras.optimizers.Optimizer.__init__ is init_before
    assert "__init__" not in vars(keras.optimizers.Optimizer)  # as Keras defines it
    found = verdict("07.2", lambda images, labels: 1 / 0)
    assert "ZeroDivisionError" in found.measured
    assert keras.optimizers.Optimizer.__init__ is init_before
    with chapter07._optimizers_created() as created:  # every optimizer class, through its base
        optimizers = [keras.optimizers.Adam(), keras.optimizers.SGD()]
    assert created == optimizers


def test_a_model_trained_before_the_call_brings_its_updates():
    images, labels = chapter07._mnist_training_set()
    x = chapter07._scaled(images[:4096])
    y = keras.utils.to_categorical(labels[:4096], num_classes=10)
    trained_before = UNDER_TRAINED(x, y)  # 32 updates, outside train_fast()
    found = verdict("07.2", lambda images, labels: trained_before, task={"MAX_UPDATES": 20})
    assert found.measured.startswith("32 weight updates, over the budget of 20")


def test_a_wrapping_optimizer_is_not_counted_twice():
    inner = keras.optimizers.Adam()
    wrapped = keras.optimizers.LossScaleOptimizer(inner)
    assert chapter07._updates([inner, wrapped, None]) == [0]
