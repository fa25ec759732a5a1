"""Chapter 9, convolutional networks: its exercises.

Exercise 09.3 is a build exercise: the student's ``build_small_cnn()`` returns a compiled model,
and the grader trains it briefly on MNIST training images and measures it on the last 10,000
training images, which the chapter never uses (it trains on the first 50,000 only).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers._checks import is_keras_model
from helpers.exercises._core import (
    AnswerError,
    AnswerKindError,
    Exercise,
    Verdict,
    call_answer,
    expect_callable,
)

#: The chapter trains on the first 50,000 training images; the grader measures on the rest.
CHAPTER_TRAINING_IMAGES = 50_000
GRADER_TRAINING_IMAGES = 20_000
GRADER_EPOCHS = 2
GRADER_BATCH_SIZE = 128
#: Measured with grading seeds 0, 1 and 2: the chapter's CNN, compiled with adam at 0.003, reads
#: about 0.97 of the held-out digits after this training (0.96 with adam's default rate, 3x3
#: filters 0.957 to 0.964); a dense network within the budget (784-24-10) 0.91 to 0.93.
PASS_ACCURACY = 0.95


def _shape(shape: Any) -> tuple:
    return tuple(None if dim is None else int(dim) for dim in shape)


def grade_small_cnn(answer: Any, *, seed: int, MAX_PARAMS: int = 20_000) -> Verdict:
    """Build the student's model, refuse it over ``MAX_PARAMS`` parameters, train it for 2 epochs on
    20,000 training images drawn with ``seed``, and measure its accuracy on the last 10,000."""
    if is_keras_model(answer):  # callable too, but not what the task asks for
        raise AnswerKindError(
            "expected a function build_small_cnn() that returns a new compiled model, got the "
            "model itself: put the code that builds it in the function"
        )
    build = expect_callable(answer, "build_small_cnn()")
    import keras

    from helpers.datasets import load_mnist

    keras.utils.set_random_seed(seed)
    model = call_answer(build, what="build_small_cnn()")
    if not is_keras_model(model):
        return Verdict(
            False,
            f"build_small_cnn() returned {type(model).__name__}, not a Keras model",
            "end build_small_cnn() with `return model`, the compiled keras.Sequential",
        )
    try:
        inputs, outputs = _shape(model.input_shape), _shape(model.output_shape)
    except (AttributeError, ValueError, TypeError):
        inputs = outputs = None
    if inputs != (None, 28, 28, 1) or outputs != (None, 10):
        return Verdict(
            False,
            f"the model takes {inputs} and gives {outputs}",
            "start with keras.Input(shape=(28, 28, 1)) and end with Dense(10, "
            'activation="softmax"): images in, 10 probabilities out',
        )
    params = model.count_params()
    if params > MAX_PARAMS:
        return Verdict(
            False,
            f"the model has {params:,} parameters, over the budget of {MAX_PARAMS:,}",
            "use fewer filters, or pool before Flatten so that the Dense layer gets fewer inputs",
            value=None,
        )
    if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", True):
        return Verdict(
            False,
            "the model is not compiled",
            'call model.compile(loss="categorical_crossentropy", optimizer=..., '
            'metrics=["accuracy"]) before returning it',
        )
    (images, labels), _ = load_mnist()
    rng = np.random.default_rng(seed)
    chosen = rng.choice(CHAPTER_TRAINING_IMAGES, GRADER_TRAINING_IMAGES, replace=False)
    x = images[chosen].astype("float32")[..., None] / 255
    y = keras.utils.to_categorical(labels[chosen], num_classes=10)
    held_out = images[CHAPTER_TRAINING_IMAGES:].astype("float32")[..., None] / 255
    held_out_labels = labels[CHAPTER_TRAINING_IMAGES:]
    call_answer(
        model.fit,
        x,
        y,
        batch_size=GRADER_BATCH_SIZE,
        epochs=GRADER_EPOCHS,
        verbose=0,
        what="model.fit(images, one-hot labels)",
    )
    probabilities = np.concatenate(
        [
            np.asarray(call_answer(model, batch, training=False, what="model(images)"))
            for batch in np.array_split(held_out, 10)
        ]
    )
    if probabilities.shape != (len(held_out), 10) or not np.all(np.isfinite(probabilities)):
        raise AnswerError(
            f"model(images) gave an array of shape {probabilities.shape} with "
            f"{'non-finite values' if probabilities.size else 'no values'}; expected finite "
            f"probabilities of shape ({len(held_out)}, 10)"
        )
    accuracy = float(np.mean(probabilities.argmax(axis=1) == held_out_labels))
    measured = (
        f"{params:,} parameters; accuracy {accuracy:.3f} on {len(held_out):,} digits the chapter "
        f"never uses, after {GRADER_EPOCHS} epochs on {GRADER_TRAINING_IMAGES:,} others"
    )
    if accuracy >= PASS_ACCURACY:
        return Verdict(True, measured, value=accuracy)
    return Verdict(
        False,
        measured + f" (at least {PASS_ACCURACY} needed)",
        "convolutions first (Conv2D, MaxPooling2D, twice), then Flatten and Dense(10); compile "
        'with optimizer=keras.optimizers.Adam(0.003) and loss="categorical_crossentropy"',
        value=accuracy,
    )


EXERCISES = {
    "09.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDE4NDk2fQ==",
        "each filter has kernel height x kernel width x input channels weights, plus one bias; "
        "count them for all 64 filters",
        tempting=(
            (18_432, "the biases are missing: one per filter"),
            (640, "each filter looks at all 32 input channels, not one"),
        ),
    ),
    "09.2": Exercise(
        "integers",
        "eyJ2YWx1ZSI6IFsxMywgMTMsIDhdfQ==",
        "without padding a 3x3 filter fits (28 - 3) // 2 + 1 times along each side with stride "
        "2; the depth is the number of filters; answer [height, width, channels]",
        tempting=(
            ([26, 26, 8], "that is stride 1: a stride of 2 moves the filter 2 pixels at a time"),
            ([14, 14, 8], "that is padding='same'; without padding the filter must fit inside"),
            ([13, 13, 1], "the depth is the number of filters, 8"),
        ),
    ),
    "09.3": Exercise(
        "build",
        hint="Conv2D and MaxPooling2D twice, then Flatten and Dense(10, activation='softmax'), "
        "compiled with adam and categorical_crossentropy; count_params() within the budget",
        grader=grade_small_cnn,
        time_limit=240,
    ),
}
