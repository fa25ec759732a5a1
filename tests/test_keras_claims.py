"""What the book says about Keras itself, checked with the installed versions.

The chapters state these facts and rely on them; chapter notebooks do not spend run time on
proving them, so they are checked here, and `make test-oldest` checks them with the oldest
versions the book supports too.
"""

from __future__ import annotations

import keras
import numpy as np


def _mnist_sized_model(steps_per_execution: int) -> keras.Model:
    """Chapter 7's network, Flatten, Dense 512 (ReLU), Dense 10 (softmax), from fixed weights."""
    keras.utils.set_random_seed(42)
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(512, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        loss="categorical_crossentropy", optimizer="adam", steps_per_execution=steps_per_execution
    )
    return model


def test_steps_per_execution_changes_no_weight():
    """Chapters 6 and 7: 32 batches per call into TensorFlow give the same updates as one, so
    the same trained weights, number for number (including a last, smaller batch and an epoch
    that is not a multiple of 32 batches)."""
    rng = np.random.default_rng(0)
    images = rng.random((50 * 32 + 7, 28, 28), dtype=np.float32)
    labels = keras.utils.to_categorical(rng.integers(0, 10, len(images)), num_classes=10)
    weights = {}
    for steps in (1, 32):
        model = _mnist_sized_model(steps)
        keras.utils.set_random_seed(7)  # the same shuffling for both
        history = model.fit(images, labels, epochs=2, verbose=0)
        assert history.params["steps"] == 51
        weights[steps] = model.get_weights()
    assert len(weights[1]) == len(weights[32]) == 4
    for one, many in zip(weights[1], weights[32]):
        np.testing.assert_array_equal(one, many)
    # and training did move the weights: the check compares trained models, not two copies of
    # the starting point
    assert not np.array_equal(weights[1][0], _mnist_sized_model(1).get_weights()[0])
