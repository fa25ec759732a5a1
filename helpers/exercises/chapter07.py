"""Chapter 7, MNIST with a hidden layer: 98 % and faster training: its exercises.

Exercise 07.2 is a build exercise: the student's ``train_fast(images, labels)`` builds, compiles
and trains a dense network and returns it. The grader gives it 50,000 MNIST training images drawn
with the grading seed, refuses a model if the optimizers the function created (and the returned
model's) counted more weight updates in all than the budget, and measures the model on the other
10,000 training images, which ``train_fast`` never received.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

import numpy as np

from helpers._checks import is_keras_model
from helpers.exercises._core import (
    AnswerKindError,
    Exercise,
    Verdict,
    call_answer,
    expect_callable,
)
from helpers.exercises._digits import held_out_accuracy

#: Exercise 07.2's grading: train_fast() gets this many of the 60,000 training images, drawn with
#: the grading seed, and is measured on the others (10,000).
GIVEN_IMAGES = 50_000
#: The book's budget and bar, measured with the grader (TF 2.21, Keras 3.15, CPU). The worked
#: solution (batches of 512, adam from 0.01 divided by 10 for the last of 3 epochs: 294 updates)
#: read 0.9730 to 0.9776 of the held-out digits over grading seeds 0 to 11 (each also the training
#: seed) and 4 more training seeds (16 runs). Under the bar: the same 3 epochs at adam's default
#: learning rate, without the drop, 0.955 to 0.961 (seeds 0 to 6); the solution given a budget of
#: 150 (one epoch, 98 updates) 0.929 and 0.933. Over the budget: one epoch at batch 32, 1,563
#: updates (0.962); the chapter's recipe as it is, 792 and 968 updates (0.978, 0.979). 98 % takes
#: about 8 epochs of batches of 512 (784 updates: 0.980 and 0.981 with seeds 0 and 1), more training
#: than the chapter's run-time budget leaves for its self-check.
#: A graded variant gives a budget of 250 updates and a bar of 0.96, drawn together: a larger budget
#: let the book's published function pass (its 294 updates), and at 400 or 500 the whole budget at
#: adam's default learning rate reached the bar too (0.9626 to 0.9675 at 400; 0.9667 to 0.9715 at
#: 500, 5 of seeds 0 to 5 passing). At 250 (2 epochs of 512, 196 updates) the worked solution read
#: 0.9666 to 0.9714 (grading seeds 0 to 9), adam's default rate 0.949 to 0.952 (3 seeds), and the
#: book's function is over the budget.
MAX_UPDATES = 300
MIN_ACCURACY = 0.967


@functools.lru_cache(maxsize=1)
def _mnist_training_set() -> tuple[np.ndarray, np.ndarray]:
    """MNIST's 60,000 training images and labels, read once per session (the tests grade often;
    train_fast() is given copies of some of them)."""
    from helpers.datasets import load_mnist

    (images, labels), _ = load_mnist()
    return images, labels


def _scaled(images: np.ndarray) -> np.ndarray:
    """Pixels as float32 in [0, 1], as the chapter's x_train (divided in place: no second copy)."""
    scaled = images.astype("float32")
    scaled /= 255
    return scaled


@contextlib.contextmanager
def _optimizers_created() -> Iterator[list]:
    """Every Keras optimizer created inside the block, appended to the list it gives as it is
    created. The list holds them (strong references) until its owner drops it: an optimizer the
    student's code drops, e.g. by compiling the model again, is freed at once, and a weak reference
    would lose its updates. ``keras.optimizers.Optimizer`` is the public base of all of Keras 3's
    optimizers (the backend's class, e.g. TFOptimizer, sits under it); it has no ``__init__`` of its
    own (Keras 3.12 to 3.15), so the one set here runs first in every optimizer's construction, and
    is removed after the block, whatever happens in it."""
    import keras

    base = keras.optimizers.Optimizer
    own = base.__dict__.get("__init__")
    inherited = base.__init__
    created: list = []

    def recording_init(self, *args, **kwargs):
        inherited(self, *args, **kwargs)
        created.append(self)

    base.__init__ = recording_init
    try:
        yield created
    finally:
        if own is None:
            del base.__init__
        else:
            base.__init__ = own


def _updates(optimizers) -> list[int]:
    """The weight updates each optimizer counted (``iterations``), each counter once: a wrapping
    optimizer such as LossScaleOptimizer reports its inner optimizer's."""
    import keras

    counters: dict[int, Any] = {}
    for optimizer in optimizers:
        iterations = getattr(optimizer, "iterations", None)
        if iterations is not None:
            counters.setdefault(id(iterations), iterations)  # held: no id is reused meanwhile
    return [int(keras.ops.convert_to_numpy(counter)) for counter in counters.values()]


def grade_train_fast(
    answer: Any, *, seed: int, MAX_UPDATES: int = MAX_UPDATES, MIN_ACCURACY: float = MIN_ACCURACY
) -> Verdict:
    """Call ``train_fast(images, labels)`` on 50,000 training images drawn with ``seed`` (pixels
    scaled to [0, 1], shape (n, 28, 28); one-hot labels), refuse the model it returns if the Keras
    optimizers created during the call, and the model's own, counted more than ``MAX_UPDATES``
    updates in all, and measure its accuracy on the other 10,000 training images: at least
    ``MIN_ACCURACY`` passes."""
    if is_keras_model(answer):  # callable too, but not what the task asks for
        raise AnswerKindError(
            "expected a function train_fast(images, labels) that builds, compiles and trains a "
            "model, got a model: give the function itself (train_fast, without brackets)"
        )
    train = expect_callable(answer, "train_fast(images, labels)")
    import keras

    images, labels = _mnist_training_set()
    order = np.random.default_rng([seed, 702]).permutation(len(images))
    given, held_out = order[:GIVEN_IMAGES], order[GIVEN_IMAGES:]
    x = _scaled(images[given])
    y = keras.utils.to_categorical(labels[given], num_classes=10)
    x_held_out = _scaled(images[held_out])

    keras.utils.set_random_seed(seed)
    with _optimizers_created() as optimizers:
        model = call_answer(train, x, y, what="train_fast(images, labels)")
    if not is_keras_model(model):
        return Verdict(
            False,
            f"train_fast() returned {type(model).__name__}, not a Keras model",
            "end train_fast() with `return model`, the model it trained",
        )
    # Every optimizer train_fast() created counts, not only the returned model's: compiling again
    # (or training a clone) after training past the budget would otherwise hide the updates.
    counts = _updates([*optimizers, getattr(model, "optimizer", None)])
    del optimizers
    updates = sum(counts)
    if not updates:
        return Verdict(
            False,
            "no optimizer counted any weight updates"
            + (" (the model is not compiled)" if getattr(model, "optimizer", None) is None else ""),
            "compile the model and fit it inside train_fast(), then return it",
        )
    spent = [f"{count:,}" for count in counts if count]
    by = f" ({' + '.join(spent)}, by {len(spent)} optimizers)" if len(spent) > 1 else ""
    accuracy = held_out_accuracy(model, x_held_out, labels[held_out], batches=5)
    on_what = (
        f"accuracy {accuracy:.3f} on {len(held_out):,} digits train_fast() was not given "
        f"(trained on {GIVEN_IMAGES:,} others drawn by seed {seed})"
    )
    if updates > MAX_UPDATES:
        return Verdict(
            False,
            f"{updates:,} weight updates{by}, over the budget of {MAX_UPDATES:,}; {on_what}, "
            "not counted",
            (
                "every optimizer train_fast() creates counts its updates: compiling the model "
                "again gives it a new optimizer, counting from 0, but the updates made before "
                "count too: train once, within the budget; "
                if by
                else ""
            )
            + f"one epoch of {GIVEN_IMAGES:,} images is ceil({GIVEN_IMAGES:,} / batch_size) "
            f"updates ({-(-GIVEN_IMAGES // 32):,} at fit's default batch size of 32): choose the "
            "batch size, then as many epochs as the budget allows (without early stopping, "
            "which does not know the budget)",
            accuracy,
        )
    measured = f"{updates:,} weight updates{by} (budget {MAX_UPDATES:,}); {on_what}"
    if accuracy >= MIN_ACCURACY:
        return Verdict(True, measured, value=accuracy)
    return Verdict(
        False,
        f"{measured} (at least {MIN_ACCURACY} needed)",
        "spend the whole budget, on big batches (512) with a learning rate larger than adam's "
        "default, divided by 10 for the last epoch (a callback such as "
        "keras.callbacks.LearningRateScheduler)",
        accuracy,
    )


def _dense_model():
    import keras

    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(512, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def _one_epoch_at_batch_32(images, labels):
    """A tempting answer: the article's recipe for one epoch, at fit's default batch size."""
    model = _dense_model()
    model.compile(
        loss="categorical_crossentropy",
        optimizer="adam",
        metrics=["accuracy"],
        steps_per_execution=32,
    )
    model.fit(images, labels, epochs=1, verbose=0)
    return model


def _default_learning_rate(images, labels):
    """A tempting answer: the budget's epochs of batches of 512, at adam's default learning rate
    and without lowering it."""
    model = _dense_model()
    model.compile(
        loss="categorical_crossentropy",
        optimizer="adam",
        metrics=["accuracy"],
        steps_per_execution=32,
    )
    epochs = MAX_UPDATES // -(-len(images) // 512)
    model.fit(images, labels, batch_size=512, epochs=epochs, verbose=0)
    return model


def _recompiled_after_training(images, labels):
    """A tempting answer: one epoch at batch 32, far past the budget, then the model compiled
    again (a new optimizer, counting from 0) and fitted on one batch, so that the returned model's
    optimizer reports 1 update."""
    model = _one_epoch_at_batch_32(images, labels)
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(images[:32], labels[:32], verbose=0)
    return model


EXERCISES = {
    "07.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDI2OTMyMn0=",
        "Flatten has no parameters; each Dense layer has (inputs + 1) x units: 784 -> 256, "
        "256 -> 256, 256 -> 10",
        tempting=(
            (268_800, "the weights without the biases"),
            (407_050, "the chapter's 512-unit network"),
        ),
        variants={"UNITS": (64, 128, 192)},  # each fewer parameters than the 512-unit network
    ),
    "07.2": Exercise(
        "build",
        hint="updates per epoch = ceil(number of images / batch_size); choose big batches, a "
        "larger learning rate divided by 10 for the last epoch, and as many epochs as the "
        "budget allows",
        tempting=(
            (_one_epoch_at_batch_32, "fit's default batch of 32: one epoch is over the budget"),
            (
                _default_learning_rate,
                "batches of 512 at adam's default learning rate: within the budget, under-trained",
            ),
            (
                _recompiled_after_training,
                "trained past the budget, then compiled again: the first optimizer's updates "
                "count too",
            ),
        ),
        grader=grade_train_fast,
        time_limit=120,
        variants={"MAX_UPDATES, MIN_ACCURACY": ((250, 0.96),)},
    ),
    "07.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuOTMsICJsb3ciOiAwLjkyLCAiaGlnaCI6IDAuOTR9",
        "fit build_model() (adam, its default learning rate) on all of x_train with "
        "batch_size=2048 and epochs=EPOCHS; answer the accuracy of evaluate(x_test, y_test), a "
        "fraction between 0 and 1",
        tempting=(
            (93.0, "a percentage: the task asks for a fraction"),
            (0.98, "the article's recipe, batches of 32: the task changes the batch size alone"),
        ),
        # 2 epochs: 0.9267 to 0.9326 over training seeds 1-20 and 42 (spread/07-mnist-faster.md).
        # 2 epochs, not 5 as before (0.9542 to 0.9568): the same lesson in 60 updates, and the
        # chapter within its run-time budget with its solutions. 4 epochs, the variant: 0.9485
        # with seed 42, far from the book's 0.93 and within the band of its recomputed value.
        spread=0.0059,
        variants={"EPOCHS": (4,)},
    ),
}
