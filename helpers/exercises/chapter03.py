"""Chapter 3, deep networks: its exercises.

Exercise 03.2 is a build exercise: the student's ``build_regularised(n_features)`` returns a new
compiled network (and, if they like, the callbacks to train it with, such as early stopping). The
grader cuts the breast cancer data in two halves with the grading seed (the chapter splits it
otherwise, 455 and 114), trains the student's network and the chapter's unregularised
30-128-128-1 network the same way on each half, and compares their losses on the other half,
which neither trained on: every tumour is measured once. One half alone was not enough: on some
cuts the held-out half has no hard tumour, and the unregularised network, confident and right
on all of them, had the lower loss.

Exercise 03.4 is a build exercise without training: the student's ``best_epoch(history)`` reads
the epoch of the lowest validation loss after the callback's warm-up (``start_from_epoch``, the
answer cell's ``START_FROM_EPOCH``) from a ``fit().history``; the grader gives it made-up
histories drawn with the grading seed, some cut short as early stopping cuts them, some with a
low validation loss inside the warm-up, which the callback ignores.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from helpers._checks import is_keras_model
from helpers.exercises._core import (
    AnswerError,
    Exercise,
    Verdict,
    call_answer,
    expect_callable,
)
from helpers.exercises._keras import expect_builder

#: The held-out loss of the student's network must be at most this share of the unregularised
#: network's. Measured with the book's worked solution (an L2 penalty of 0.01 and early stopping)
#: through ``compare``, 15 epochs, grading seeds 0 to 9 with training seeds s, s + 100 and s + 200
#: (30 runs): its loss 0.068 to 0.098, the unregularised network's 0.090 to 0.183, a share of
#: 0.467 to 0.752 (median 0.58). With 20 epochs, a variant's (grading seeds 10 to 19, training
#: seeds s + 300): 0.473 to 0.629. The unregularised network itself, seeded alike, gives 1.00.
MAX_RATIO = 0.9
#: The loss of a probability is clipped as Keras clips it.
EPSILON = 1e-7
REGULARISERS = "dropout, an L2 penalty on the weights, or early stopping"


def build_unregularised(n_features: int):
    """The chapter's big network without dropout (``build_big_nn()``): two hidden layers of 128
    ReLU units and a sigmoid output, compiled as the chapter compiles it."""
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(n_features,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.003),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def _cancer_folds(seed: int) -> list[tuple]:
    """The tumours (malignant = 1, as in the chapter), cut by ``seed`` into two halves: for each
    half in turn, (training features, labels, held-out features, labels) with the other half held
    out, standardized with the training half's means and deviations."""
    from sklearn.datasets import load_breast_cancer

    cancer = load_breast_cancer()
    x, y = cancer.data, (cancer.target == 0).astype("float32")
    order = np.random.default_rng([seed, 302]).permutation(len(y))
    halves = order[: (len(y) + 1) // 2], order[(len(y) + 1) // 2 :]
    folds = []
    for train, held_out in (halves, halves[::-1]):
        mean, std = x[train].mean(axis=0), x[train].std(axis=0)
        scaled = ((x - mean) / std).astype("float32")
        folds.append((scaled[train], y[train], scaled[held_out], y[held_out]))
    return folds


def _shape(shape: Any) -> tuple | None:
    try:
        return tuple(None if dim is None else int(dim) for dim in shape)
    except (TypeError, ValueError):
        return None


def _regularisers(model, callbacks) -> list[str]:
    """The regularisers the model and its callbacks have, by name (empty for none)."""
    import keras

    found = []
    for layer in model.layers:
        if isinstance(layer, (keras.layers.Dropout, keras.layers.GaussianNoise)):
            found.append("dropout")
        for attribute in ("kernel_regularizer", "bias_regularizer", "activity_regularizer"):
            if getattr(layer, attribute, None) is not None:
                found.append("a weight penalty")
    if any(isinstance(callback, keras.callbacks.EarlyStopping) for callback in callbacks):
        found.append("early stopping")
    return sorted(set(found))


def _built(answer: Any, n_features: int):
    """(model, callbacks) from the student's ``build_regularised(n_features)``, or a Verdict that
    says what is wrong with what it returned."""
    result = call_answer(answer, n_features, what=f"build_regularised({n_features})")
    callbacks: Any = []
    if isinstance(result, tuple) and len(result) == 2:
        result, callbacks = result
        callbacks = list(callbacks) if isinstance(callbacks, (list, tuple)) else [callbacks]
    if not is_keras_model(result):
        return Verdict(
            False,
            f"build_regularised({n_features}) returned {type(result).__name__}, not a Keras model",
            "end build_regularised() with `return model` (or `return model, [callbacks]` to "
            "train it with callbacks such as early stopping)",
        )
    inputs, outputs = _shape(result.input_shape), _shape(result.output_shape)
    if inputs != (None, n_features) or outputs != (None, 1):
        return Verdict(
            False,
            f"build_regularised({n_features}) returned a model that takes {inputs} and gives "
            f"{outputs}",
            "start with keras.Input(shape=(n_features,)) and end with Dense(1, "
            'activation="sigmoid"): the features in, the probability of malignant out',
        )
    if getattr(result, "optimizer", None) is None or not getattr(result, "compiled", True):
        return Verdict(
            False,
            f"build_regularised({n_features}) returned a model that is not compiled",
            "call model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), "
            'loss="binary_crossentropy") before returning it',
        )
    import keras

    if not all(isinstance(callback, keras.callbacks.Callback) for callback in callbacks):
        return Verdict(
            False,
            f"build_regularised({n_features}) returned callbacks that are not Keras callbacks",
            "return model, or model and a list of callbacks: "
            "return model, [keras.callbacks.EarlyStopping(...)]",
        )
    return result, callbacks


def _held_out_losses(model, x, y) -> np.ndarray:
    """The binary cross-entropy of each of the model's probabilities on ``x``, ``y`` (clipped as
    Keras clips them), computed here whatever loss the model was compiled with."""
    import keras

    p = np.asarray(keras.ops.convert_to_numpy(model(x, training=False)), dtype=float)
    p = p.reshape(-1) if p.size == len(y) else p
    if p.shape != y.shape or not np.all(np.isfinite(p)):
        raise AnswerError(
            "the trained model gave non-finite outputs on the held-out tumours: lower the "
            "learning rate"
        )
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def _train(model, callbacks, x, y, epochs: int, batch_size: int) -> int:
    """Train ``model`` as the grader trains both networks: on the first four fifths of ``x``,
    ``y``, with the last fifth as validation rows if there are callbacks to watch them (the
    updates are the same either way); the epochs it ran."""
    fit = len(y) - len(y) // 5
    if getattr(model, "steps_per_execution", 1) == 1:
        # an epoch in one call: faster, the same updates
        model.steps_per_execution = -(-fit // batch_size)
    history = call_answer(
        model.fit,
        x[:fit],
        y[:fit],
        epochs=epochs,
        batch_size=batch_size,
        validation_data=(x[fit:], y[fit:]) if callbacks else None,
        callbacks=callbacks,
        verbose=0,
        what="model.fit(tumours, labels)",
    )
    return len(history.history.get("loss", []))


def compare(answer: Any, *, seed: int, training_seed: int, epochs: int, batch_size: int):
    """The student's network and the unregularised one, built anew for each half of the tumours
    after seeding Keras with ``training_seed``, trained on that half and measured on the other:
    a Verdict if the student's cannot be trained, else (the student's loss, the unregularised
    network's, the epochs the student's ran in each half, its regularisers, the rows measured)."""
    import keras

    losses, ran, model = [], [], None
    for fold, (x, y, x_held, y_held) in enumerate(_cancer_folds(seed)):
        keras.utils.set_random_seed(training_seed + fold)
        built = _built(answer, x.shape[1])
        if isinstance(built, Verdict):
            return built
        if fold and built[0] is model:  # trained on the first half: it would see the second
            return Verdict(
                False,
                f"build_regularised({x.shape[1]}) returned the same model twice",
                "build the model inside the function, so that each call returns a new one",
            )
        model, callbacks = built
        ran.append(_train(model, callbacks, x, y, epochs, batch_size))
        losses.append(_held_out_losses(model, x_held, y_held))
    loss = float(np.mean(np.concatenate(losses)))
    baseline_loss = _unregularised_loss(seed, training_seed, epochs, batch_size)
    rows = sum(len(fold_losses) for fold_losses in losses)
    return loss, baseline_loss, ran, _regularisers(model, callbacks), rows


@functools.lru_cache(maxsize=8)
def _unregularised_loss(seed: int, training_seed: int, epochs: int, batch_size: int) -> float:
    """The held-out loss of the unregularised network, trained and measured as :func:`compare`
    trains and measures the student's (kept: a student who checks again waits for one network
    per half, not two)."""
    import keras

    losses = []
    for fold, (x, y, x_held, y_held) in enumerate(_cancer_folds(seed)):
        keras.utils.set_random_seed(training_seed + fold)
        baseline = build_unregularised(x.shape[1])
        _train(baseline, [], x, y, epochs, batch_size)
        losses.append(_held_out_losses(baseline, x_held, y_held))
    return float(np.mean(np.concatenate(losses)))


def grade_regularised(answer: Any, *, seed: int, EPOCHS: int = 15, BATCH_SIZE: int = 32) -> Verdict:
    """Cut the tumours in two halves with ``seed``; for each half, build the student's network
    with ``build_regularised(30)`` and the chapter's unregularised one, train both for
    ``EPOCHS`` epochs in batches of ``BATCH_SIZE`` on that half (a fifth of it kept as validation
    rows for the student's callbacks), and measure their losses on the other half."""
    build = expect_builder(
        answer,
        "build_regularised(n_features)",
        "expected a function build_regularised(n_features) that returns a new compiled "
        "model, got the model itself: put the code that builds it in the function",
    )
    found = compare(build, seed=seed, training_seed=seed, epochs=EPOCHS, batch_size=BATCH_SIZE)
    if isinstance(found, Verdict):
        return found
    loss, baseline_loss, ran, regularisers, rows = found
    ratio = loss / baseline_loss
    if all(epochs == EPOCHS for epochs in ran):
        trained = f"{EPOCHS} epochs"
    else:
        trained = f"{' and '.join(map(str, ran))} of {EPOCHS} epochs (stopped early)"
    measured = (
        f"held-out loss {loss:.3f} for your network after {trained}, {baseline_loss:.3f} for "
        f"the chapter's unregularised 30-128-128-1 network after {EPOCHS} epochs; each trained "
        f"on one half of the {rows} tumours, cut by seed {seed}, and measured on the other, then "
        f"the other way round; {ratio:.2f} of it"
    )
    if ratio <= MAX_RATIO:
        return Verdict(True, measured, value=ratio)
    if ratio > 1.05:
        advice = (
            f"your network does worse than the unregularised one: it learns too little in "
            f"{EPOCHS} epochs (a learning rate too small, or a regulariser so strong that it "
            "cannot fit: dropout above 0.5, a penalty above 0.01); start from the chapter's big "
            "network, compiled with Adam at 0.003, and add one regulariser"
        )
    elif not regularisers:
        advice = (
            f"your network has no regulariser: add {REGULARISERS} "
            "(return model, [keras.callbacks.EarlyStopping(...)])"
        )
    else:
        advice = (
            f"your network has {' and '.join(regularisers)}, not enough: a rate of 0.5 for "
            "dropout, a stronger penalty (L2(0.01)), or early stopping with "
            "restore_best_weights=True"
        )
    return Verdict(False, measured + f" (at most {MAX_RATIO} of it needed)", advice, ratio)


def _unregularised(n_features):
    """A tempting answer: the chapter's big network as it is, without any regulariser."""
    return build_unregularised(n_features)


#: Made-up histories for 03.4: how many, and how long (before early stopping cuts them).
N_HISTORIES = 6
PATIENCE = 5
#: The warm-up of 03.4's callback in the book (the answer cell's ``START_FROM_EPOCH``): the
#: epochs whose validation loss it ignores; a graded variant draws another.
BOOK_START_FROM_EPOCH = 2
#: The histories (by number) with a low validation loss inside the warm-up: at its last epoch,
#: and at one drawn from it. The first ones have none, so that the common slips are named first.
_DIPPED = (2, 3)


def made_up_histories(
    seed: int, start_from_epoch: int = BOOK_START_FROM_EPOCH
) -> list[dict[str, list[float]]]:
    """Histories like ``fit().history``: a training loss that falls, and a validation loss that
    falls, reaches its lowest after the warm-up's ``start_from_epoch`` epochs at an epoch drawn
    with ``seed`` (never the first after it or the last), and rises; every other one cut
    ``PATIENCE`` epochs after its lowest, as early stopping cuts it. Two of them (``_DIPPED``)
    dip lower still inside the warm-up, which the callback ignores: one at its last epoch."""
    rng = np.random.default_rng([seed, 304])
    histories = []
    for number in range(N_HISTORIES):
        # the lowest validation loss after the warm-up, counted from 1
        best = start_from_epoch + int(rng.integers(2, 25))
        epochs = best + PATIENCE if number % 2 else best + int(rng.integers(6, 16))
        t = np.arange(1, epochs + 1)
        val_loss = 0.1 + 0.004 * (t - best) ** 2 + rng.uniform(0, 0.001, epochs)
        val_loss[best - 1] = val_loss.min() - 0.01  # a clear lowest point
        if start_from_epoch and number in _DIPPED:
            # a lower one inside the warm-up: at its last epoch, or at one drawn from it
            dip = (
                start_from_epoch
                if number == _DIPPED[0]
                else int(rng.integers(1, start_from_epoch + 1))
            )
            val_loss[dip - 1] = val_loss.min() - 0.01
        loss = 0.6 * np.exp(-t / 6) + rng.uniform(0, 0.002, epochs)  # training keeps falling
        histories.append(
            {
                "loss": [float(v) for v in loss],
                "val_loss": [float(v) for v in val_loss],
                "accuracy": [float(v) for v in 1 - loss / 2],
                "val_accuracy": [float(v) for v in 0.9 - val_loss / 4],
            }
        )
    return histories


def lowest_after(val_loss, start_from_epoch: int) -> int:
    """The epoch, counted from 1, of the lowest of ``val_loss`` after the first
    ``start_from_epoch`` epochs: the epoch whose weights EarlyStopping(start_from_epoch=...,
    restore_best_weights=True) puts back (the first of equal ones)."""
    return start_from_epoch + int(np.argmin(val_loss[start_from_epoch:])) + 1


def _best_epoch_advice(history: dict, got: Any, right: int, start_from_epoch: int) -> str:
    if got == right - 1:
        return "epochs count from 1, and np.argmin gives an index, counted from 0: add 1"
    if got == len(history["val_loss"]):
        return (
            "that is the last epoch trained, where early stopping stopped; the callback puts "
            "back the weights of the epoch with the lowest validation loss"
        )
    if got == int(np.argmin(history["loss"])) + 1:
        return "that is the lowest training loss: read history['val_loss']"
    if 1 <= got <= start_from_epoch:
        return (
            f"epoch {got} is inside the warm-up: the callback ignores the validation losses of "
            f"the first START_FROM_EPOCH = {start_from_epoch} epochs (the default "
            "start_from_epoch=START_FROM_EPOCH takes the answer cell's value when the cell "
            "runs); look for the lowest after them"
        )
    return (
        "find the lowest value of history['val_loss'] after the first start_from_epoch epochs, "
        "and give its epoch, counted from 1"
    )


def grade_best_epoch(
    answer: Any, *, seed: int, START_FROM_EPOCH: int = BOOK_START_FROM_EPOCH
) -> Verdict:
    """Call the student's ``best_epoch`` on made-up histories drawn with ``seed``; right if it
    names the epoch of the lowest validation loss after the warm-up's ``START_FROM_EPOCH``
    epochs, counted from 1, for every one."""
    function = expect_callable(answer, "best_epoch(history)")
    histories = made_up_histories(seed, START_FROM_EPOCH)
    for history in histories:
        right = lowest_after(history["val_loss"], START_FROM_EPOCH)
        got = call_answer(
            function, {k: list(v) for k, v in history.items()}, what="best_epoch(history)"
        )
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, np.integer)):
            if isinstance(got, (float, np.floating)) and float(got).is_integer():
                got = int(got)
            else:
                return Verdict(
                    False,
                    f"best_epoch(history) returned {type(got).__name__} {got!r:.40}, not an epoch",
                    "return the epoch as a whole number: int(...) + 1",
                )
        if got != right:
            return Verdict(
                False,
                f"on a made-up history of {len(history['val_loss'])} epochs whose validation loss "
                f"is lowest at epoch {right} after a warm-up of {START_FROM_EPOCH}, best_epoch "
                f"gave {got}",
                _best_epoch_advice(history, int(got), right, START_FROM_EPOCH),
            )
    lengths = sorted(len(h["val_loss"]) for h in histories)
    return Verdict(
        True,
        f"the right epoch on {len(histories)} made-up histories of {lengths[0]} to {lengths[-1]} "
        f"epochs after a warm-up of {START_FROM_EPOCH}, half of them cut short by early "
        "stopping, two with a lower validation loss inside the warm-up",
        value=len(histories),
    )


def _zero_based(history, start_from_epoch=BOOK_START_FROM_EPOCH):
    """A tempting answer to 03.4: np.argmin's index, counted from 0."""
    return start_from_epoch + int(np.argmin(history["val_loss"][start_from_epoch:]))


def _stopped_epoch(history):
    """A tempting answer to 03.4: the last epoch trained, where early stopping stopped."""
    return len(history["val_loss"])


def _lowest_training_loss(history):
    """A tempting answer to 03.4: the lowest training loss, not the validation loss."""
    return int(np.argmin(history["loss"])) + 1


def _without_the_warm_up(history):
    """A tempting answer to 03.4: the lowest validation loss of all, the warm-up's included."""
    return int(np.argmin(history["val_loss"])) + 1


EXERCISES = {
    "03.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDE2MX0=",
        "hidden_sizes(TABLE_FEATURES) gives the two layer sizes; each Dense layer has inputs x "
        "units + units parameters, and dropout has none",
        tempting=(
            (148, "the weights without the biases: each neuron has a bias too"),
            (133, "hidden layers of 7 and 3: round() takes 7.5 to 8 and 3.75 to 4, not down"),
            (142, "the rule halves the features plus the one output, (14 + 1) / 2, not 14 / 2"),
        ),
        # 135, 251, 361 or 491 parameters (never a tempting answer); none of these sizes is a
        # half that Python's round() takes to the even side, down (16 + 1) / 2 = 8.5 to 8
        variants={"TABLE_FEATURES": (13, 18, 22, 26)},
    ),
    "03.2": Exercise(
        "build",
        hint="give the chapter's big network Dropout(0.5) after each hidden layer, or an L2 "
        "penalty, or return it with an EarlyStopping callback (restore_best_weights=True)",
        tempting=((_unregularised, "the unregularised network itself: it overfits as much"),),
        grader=grade_regularised,
        time_limit=240,
        variants={"EPOCHS": (20,)},
    ),
    "03.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IC0wLjAxMiwgInJlbCI6IDAuMDV9",
        "R² = 1 - sum((y_test - y_mean)²) / sum((y_test - y_test.mean())²), with y_mean the "
        "mean of the training targets",
        tempting=((0.0, "the R² of the test targets' own mean, not of the training mean"),),
    ),
    "03.4": Exercise(
        "build",
        hint="the history's val_loss holds one value per epoch; leave out the warm-up's first "
        "start_from_epoch: start_from_epoch + int(np.argmin(history['val_loss'][start_from_epoch:])) "
        "+ 1 (epochs count from 1, indexes from 0)",
        tempting=(
            (_zero_based, "np.argmin's index: epochs count from 1"),
            (_stopped_epoch, "the epoch where early stopping stopped, not the best one"),
            (_lowest_training_loss, "the training loss keeps falling: read val_loss"),
            (_without_the_warm_up, "the callback ignores the warm-up's validation losses"),
        ),
        grader=grade_best_epoch,
        time_limit=30,
        # a function written for the book's warm-up of 2 finds the dip at the variant's last
        # warm-up epoch
        variants={"START_FROM_EPOCH": (3, 4, 5, 6)},
    ),
}
