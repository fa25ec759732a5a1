"""Chapter 7's two ways to train the 784-512-10 MNIST network, outside the chapter.

Chapter 7 trains the article's recipe for one epoch only (ten take minutes on a laptop CPU) and
states the ten-epoch figures from elsewhere: its accuracy from ``tests/test_article_recipes.py``,
which trains it from several starts, and ``make bench`` (``tools/running/bench.py``) times it here, as the
article prints it, beside the chapter's own recipe on the same data, in the same process.

- ``article_recipe``: ``compile(loss="categorical_crossentropy", optimizer="adam",
  metrics=["accuracy"])`` and ``fit(x_train, y_train, epochs=10)``: batch 32 (``fit``'s default),
  all 60,000 training images, Keras's default training loop (one call into TensorFlow per batch).
  ``steps_per_execution`` may be raised to save time: the updates stay the same
  (``tests/test_keras_claims.py`` checks it).
- ``fast_recipe``: the chapter's: batch 512, adam from 0.003 divided by 10 when the validation loss
  stalls, early stopping, ``validation_split=0.1`` and 32 batches per call.

Both start from the weights ``build_model(seed)`` draws, as the chapter's ``build_model()`` does.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np


class Data(NamedTuple):
    """MNIST as chapter 7 prepares it: pixels scaled to [0, 1] (float32), one-hot labels."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def load_data() -> Data:
    """The chapter's data: ``helpers.datasets.load_mnist()``, scaled and one-hot encoded as there."""
    import keras

    from helpers.datasets import load_mnist

    (train_images, train_labels), (test_images, test_labels) = load_mnist()
    return Data(
        train_images.astype("float32") / 255,
        keras.utils.to_categorical(train_labels, num_classes=10),
        test_images.astype("float32") / 255,
        keras.utils.to_categorical(test_labels, num_classes=10),
    )


def build_model(seed: int):
    """The article's network, as chapter 7 builds it: Flatten, Dense 512 (ReLU), Dense 10 (softmax)."""
    import keras

    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(512, activation="relu", name="hidden"),
            keras.layers.Dense(10, activation="softmax", name="output"),
        ],
        name="digits_512",
    )


def _timed_fit(model, data: Data, **fit_args) -> tuple[object, float, float]:
    start, start_cpu = time.perf_counter(), time.process_time()
    history = model.fit(data.x_train, data.y_train, verbose=0, **fit_args)
    return history, time.perf_counter() - start, time.process_time() - start_cpu


def _result(model, data: Data, history, fit_s: float, cpu_s: float) -> dict:
    _, test_acc = model.evaluate(data.x_test, data.y_test, verbose=0)
    epochs = len(history.history["loss"])
    return {
        "epochs": epochs,
        "updates": epochs * history.params["steps"],
        "fit_s": round(fit_s, 2),
        "cpu_s": round(cpu_s, 2),
        "train_acc": round(float(history.history["accuracy"][-1]), 4),
        "test_acc": round(float(test_acc), 4),
    }


def article_recipe(
    data: Data, *, seed: int, epochs: int = 10, steps_per_execution: int = 1
) -> dict:
    """Train the article's recipe from ``build_model(seed)``; its times, accuracies and update count."""
    model = build_model(seed)
    model.compile(
        loss="categorical_crossentropy",
        optimizer="adam",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
    )
    history, fit_s, cpu_s = _timed_fit(model, data, epochs=epochs)  # batch_size: 32, the default
    return {
        "batch_size": 32,
        "steps_per_execution": steps_per_execution,
        **_result(model, data, history, fit_s, cpu_s),
    }


def fast_recipe(data: Data, *, seed: int) -> dict:
    """Train the chapter's recipe from ``build_model(seed)``, as chapter 7 does (its log aside)."""
    import keras

    model = build_model(seed)
    model.compile(
        loss="categorical_crossentropy",
        optimizer=keras.optimizers.Adam(learning_rate=0.003),
        metrics=["accuracy"],
        steps_per_execution=32,
    )
    callbacks = [
        keras.callbacks.ReduceLROnPlateau(
            monitor="val_loss", factor=0.1, patience=1, min_delta=0.001
        ),
        keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=2, min_delta=0.001, restore_best_weights=True
        ),
    ]
    history, fit_s, cpu_s = _timed_fit(
        model, data, batch_size=512, epochs=20, validation_split=0.1, callbacks=callbacks
    )
    return {
        "batch_size": 512,
        "steps_per_execution": 32,
        **_result(model, data, history, fit_s, cpu_s),
    }


# The chapter's goal for its recipe, against the article's as the article prints it.
GOAL = {"min_test_acc": 0.98, "max_time_ratio": 0.25}


def compare(article: dict, fast: dict) -> dict:
    """Both recipes' figures, their ratios (fast / article) and whether the fast one meets GOAL."""
    fit_ratio = fast["fit_s"] / article["fit_s"]
    return {
        "article": article,
        "fast": fast,
        "fit_time_ratio": round(fit_ratio, 3),
        "processor_time_ratio": round(fast["cpu_s"] / article["cpu_s"], 3),
        "goal": {
            **GOAL,
            "met": fast["test_acc"] >= GOAL["min_test_acc"] and fit_ratio <= GOAL["max_time_ratio"],
        },
    }


def both(seed: int = 42, data: Data | None = None) -> dict:
    """The article's recipe as it prints it, then the chapter's, on the same data: ``compare``'s dict."""
    data = load_data() if data is None else data
    article = article_recipe(data, seed=seed)
    fast = fast_recipe(data, seed=seed)
    return {"seed": seed, **compare(article, fast)}
