"""What the digit graders (chapters 7 and 9) measure of a student's model on held-out digits."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.exercises._core import AnswerError, call_answer


def held_out_accuracy(model: Any, images: np.ndarray, labels: np.ndarray, *, batches: int) -> float:
    """The share of ``images`` whose largest output of ``model(images, training=False)`` is the
    digit in ``labels``, called on ``batches`` slices of the images (each call within the
    exercise's time limit); an AnswerError if the outputs are not finite probabilities of the ten
    digits, one row per image."""
    import keras

    probabilities = np.concatenate(
        [
            np.asarray(
                keras.ops.convert_to_numpy(
                    call_answer(model, batch, training=False, what="model(images)")
                )
            )
            for batch in np.array_split(images, batches)
        ]
    )
    if probabilities.shape != (len(images), 10) or not np.all(np.isfinite(probabilities)):
        raise AnswerError(
            f"model(images) gave an array of shape {probabilities.shape} with "
            f"{'non-finite values' if probabilities.size else 'no values'}; expected finite "
            f"probabilities of shape ({len(images)}, 10)"
        )
    return float(np.mean(probabilities.argmax(axis=1) == labels))
