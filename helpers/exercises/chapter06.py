"""Chapter 6, MNIST basics: its exercises."""

import numpy as np

from helpers.exercises._core import (
    AnswerError,
    AnswerKindError,
    Exercise,
    Verdict,
    call_answer,
    expect_callable,
)

#: Exercise 06.4's grading: batches of this many digits, accuracy measured on this many test
#: digits, and the accuracy the fixed recipe reaches for any grading seed. Measured with the
#: worked solution: 0.836 to 0.878 after 200 updates (grading seeds 0 to 19), 0.871 to 0.893
#: after 300 and 0.885 to 0.907 after 400 (seeds 0 to 11); each fault alone leaves 0.1 to 0.6,
#: except the sigmoid outputs, which train as well (Keras's loss divides them by their sum).
BATCH = 100
N_TEST = 2_000
MIN_ACCURACY = 0.8

FIXES = {
    "scaling": "scale the pixels inside the model to 0 to 1: keras.layers.Rescaling(1 / "
    "max_pixel) before the first Dense layer (max_pixel: the answer cell's MAX_PIXEL, the "
    "largest pixel value, {max_pixel} here, not a number written into the function)",
    "loss": 'compile with loss="categorical_crossentropy", the loss for one-hot labels of 10 '
    "digits",
    "outputs": 'give the output layer activation="softmax", so that its 10 outputs are '
    "probabilities that add up to 1",
}


def _first_dense_inputs(model, x):
    """What the first Dense layer of ``model`` receives for the inputs ``x`` (None if the model's
    layers do not form one chain)."""
    import keras

    h = x
    try:
        for layer in model.layers:
            if isinstance(layer, keras.layers.InputLayer):
                continue
            if isinstance(layer, keras.layers.Dense):
                break
            h = layer(h)
        return np.asarray(keras.ops.convert_to_numpy(h), dtype=float)
    except Exception:  # not a chain of layers: judged by the layers it has
        return None


def _loss_fits_one_hot_labels(loss) -> bool:
    """Whether ``loss`` is the categorical cross-entropy of one-hot labels and probabilities,
    tried on made-up ones: minus the mean log of the probability given to the true digit."""
    import keras

    if loss is None:
        return False
    draw = np.random.default_rng(6)
    probabilities = draw.dirichlet(np.ones(10), size=8).astype("float32")
    digits = draw.integers(0, 10, size=8)
    labels = np.eye(10, dtype="float32")[digits]
    expected = -np.mean(np.log(probabilities[np.arange(8), digits]))
    try:
        function = keras.losses.get(loss) if isinstance(loss, str) else loss
        got = float(np.mean(keras.ops.convert_to_numpy(function(labels, probabilities))))
    except Exception:  # the loss cannot take one-hot labels
        return False
    return bool(np.isclose(got, expected, rtol=1e-3))


def _drawn_digits(seed: int, updates: int, max_pixel: int):
    """(training images, one-hot labels, test images, test labels): ``updates`` batches of BATCH
    training digits and N_TEST test digits, drawn with ``seed``, as raw pixels stretched from
    MNIST's 0 to 255 to 0 to ``max_pixel``, 784 per image."""
    import keras

    from helpers.datasets import load_mnist

    (train_images, train_labels), (test_images, test_labels) = load_mnist()
    draw = np.random.default_rng([seed, 604])
    train = draw.choice(len(train_images), updates * BATCH, replace=False)
    test = draw.choice(len(test_images), N_TEST, replace=False)
    stretch = np.float32(max_pixel / 255)
    x_train = train_images[train].reshape(-1, 784).astype("float32") * stretch
    y_train = keras.utils.to_categorical(train_labels[train], num_classes=10)
    x_test = test_images[test].reshape(-1, 784).astype("float32") * stretch
    return x_train, y_train, x_test, test_labels[test]


def _built_model(build, seed: int):
    """The compiled model ``build_digit_model()`` returns, called after seeding Keras with
    ``seed``; an AnswerError if it is not a compiled Keras model."""
    import keras

    keras.utils.set_random_seed(seed)
    model = call_answer(build, what="build_digit_model()")
    if not isinstance(model, keras.Model):
        raise AnswerError(
            f"build_digit_model() returned {type(model).__name__}, not a Keras model: return "
            "the compiled model"
        )
    if not getattr(model, "compiled", False):
        raise AnswerError(
            "build_digit_model() returned a model that is not compiled: call model.compile(...) "
            "before returning it"
        )
    return model


def _faults(model, x_test, max_pixel: int) -> list[tuple[str, str]]:
    """(the fault's name in FIXES, what was found) for each of the recipe's faults left in
    ``model``, tried on the first 200 of ``x_test``; an AnswerError if the model cannot read 784
    pixels per image or does not give 10 outputs."""
    import keras

    faults = []
    reaching = _first_dense_inputs(model, x_test[:200])
    if reaching is None:
        scaled = any(isinstance(layer, keras.layers.Rescaling) for layer in model.layers)
        largest = f"{max_pixel:,}"
    else:
        scaled = float(np.abs(reaching).max()) <= 5
        largest = f"{float(np.abs(reaching).max()):.0f}"
    if not scaled:
        faults.append(("scaling", f"unscaled pixels (up to {largest} at the first Dense layer)"))
    if not _loss_fits_one_hot_labels(model.loss):
        faults.append(("loss", f"a loss that does not fit one-hot labels ({_name(model.loss)})"))
    try:
        outputs = _probabilities(model, x_test[:200])
    except Exception as error:
        message = " ".join(str(error).split())[:120]
        raise AnswerError(
            f"the model cannot read 784 pixels per image: {type(error).__name__}: {message}"
        ) from error
    if outputs.shape != (200, 10):
        raise AnswerError(f"the model gives {outputs.shape[1:]} outputs per image, not (10,)")
    sums = outputs.sum(axis=1)
    if outputs.min() < -1e-6 or not np.allclose(sums, 1, atol=1e-3):
        faults.append(
            (
                "outputs",
                "outputs that are not probabilities (an image's add up to "
                f"{sums.min():.2f} to {sums.max():.2f})",
            )
        )
    return faults


def _train_and_measure(model, digits: tuple, seed: int, updates: int) -> tuple[float | None, str]:
    """(the model's accuracy on the test digits, after one epoch of batches of BATCH on the
    training digits; what was measured, in words): ``digits`` as :func:`_drawn_digits` draws
    them with ``seed``, for ``updates`` updates. The accuracy is None if the training stopped."""
    x_train, y_train, x_test, test_labels = digits
    if getattr(model, "steps_per_execution", 1) == 1:
        model.steps_per_execution = 50  # faster on a CPU; the same updates
    try:
        model.fit(x_train, y_train, batch_size=BATCH, epochs=1, verbose=0)
        probabilities = _probabilities(model, x_test)
    except Exception as error:
        message = " ".join(str(error).split())[:120]
        return None, f"training stopped: {type(error).__name__}: {message}"
    accuracy = float(np.mean(probabilities.argmax(axis=1) == test_labels))
    return accuracy, (
        f"test accuracy {accuracy:.3f} on {N_TEST:,} test digits drawn by seed {seed}, after "
        f"{updates} updates on training digits drawn by it"
    )


def grade_debugged_recipe(answer, *, seed, UPDATES=300, MAX_PIXEL=255):
    """``build_digit_model()`` -> a compiled model, trained here for ``UPDATES`` updates of
    batches of 100 training digits drawn from ``seed``, given as raw pixels (784 per image, 0 to
    ``MAX_PIXEL``: MNIST's 0 to 255 stretched, as a scanner of more bits gives them) with one-hot
    labels, then judged on 2,000 test digits drawn from it. A variant's larger ``MAX_PIXEL``
    refuses a function that scales by 1 / 255 whatever its ``max_pixel``. The verdict names
    each of the recipe's three faults still there: unscaled pixels, a loss that is not the one
    for one-hot labels, outputs that are not probabilities."""
    import keras

    if isinstance(answer, keras.Model):
        raise AnswerKindError(
            "expected a function build_digit_model(), got a Keras model: give the function "
            "itself (build_digit_model, without brackets)"
        )
    build = expect_callable(answer, "build_digit_model()")
    digits = _drawn_digits(seed, UPDATES, MAX_PIXEL)
    model = _built_model(build, seed)
    faults = _faults(model, digits[2], MAX_PIXEL)
    accuracy, trained = _train_and_measure(model, digits, seed, UPDATES)
    if faults:
        left = "; ".join(description for _, description in faults)
        return Verdict(
            False,
            f"{trained}; faults left: {left}",
            "; ".join(FIXES[name].format(max_pixel=f"{MAX_PIXEL:,}") for name, _ in faults),
            accuracy,
        )
    if accuracy is None:
        return Verdict(False, trained, "fix the error, then run the cell again")
    return Verdict(
        accuracy >= MIN_ACCURACY,
        f"{trained}; none of the three faults left",
        f"the recipe's SGD at learning rate 0.5 reaches {MIN_ACCURACY} and more in "
        f"{UPDATES} updates: keep it",
        accuracy,
    )


def _probabilities(model, x):
    """The model's outputs for ``x``, in one call (not ``predict``, whose batches
    ``steps_per_execution`` changes)."""
    import keras

    return np.asarray(keras.ops.convert_to_numpy(model(x, training=False)), dtype=float)


def _name(loss) -> str:
    if isinstance(loss, str):
        return loss
    return getattr(loss, "name", None) or getattr(loss, "__name__", type(loss).__name__)


def _scaled_only():
    """A tempting answer to 06.4: the pixels scaled, the other two faults left as they were."""
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Dense(10, activation="sigmoid"),
            keras.layers.Dense(10, activation="sigmoid"),
        ]
    )
    model.compile(
        loss="binary_crossentropy",
        optimizer=keras.optimizers.SGD(learning_rate=0.5),
        metrics=["accuracy"],
    )
    return model


EXERCISES = {
    "06.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDI1NDUwfQ==",
        "each neuron of the first layer has 784 weights and a bias; each of the 10 outputs has one "
        "weight per first-layer neuron and a bias (or build the model and call count_params())",
        tempting=((25_408, "the weights without the biases"),),
        variants={"UNITS": (16, 24, 48, 64)},
    ),
    "06.2": Exercise(
        "numbers",
        "eyJ2YWx1ZSI6IFswLjYsIDAuOV0sICJyZWwiOiAwLjAxfQ==",
        "count TP, FP and FN with 'poisonous' as the positive class; precision = TP / (TP + FP), "
        "recall = TP / (TP + FN); answer [precision, recall] in that order",
        tempting=(([0.9, 0.6], "recall and precision swapped"),),
        # of the 75 flagged, 36 to 48 poisonous: [0.48, 0.72] to [0.64, 0.96]
        variants={"FLAGGED_POISONOUS": (36, 40, 42, 48)},
    ),
    "06.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuOTEsICJsb3ciOiAwLjg4LCAiaGlnaCI6IDAuOTR9",
        "compile build_model() with optimizer='adam', fit 5 epochs with batch_size=100 and "
        "validation_data=(x_val, y_val), and read history.history['val_accuracy'][-1]",
        tempting=(
            (0.7, "that is the article's SGD, not adam"),
            (91.0, "a percentage: answer with a fraction between 0 and 1"),
        ),
        spread=0.011,  # 0.905 to 0.9155 over training seeds 1-20 (spread/06-mnist-basics.md)
        # Not varied: after 1 epoch adam's accuracy spreads over 0.76 to 0.87 (training seeds 1
        # to 20 and 42), far wider than a variant's band; after 2 to 4 epochs (0.88 to 0.91), or
        # 5 epochs in batches of 500 (0.864 to 0.874), it stays too close to the book's 0.91.
    ),
    "06.4": Exercise(
        "build",
        hint="the model is given raw pixels (0 to max_pixel) and one-hot labels, and must answer 10 "
        "probabilities per image: check the scaling, the loss and the output activation",
        tempting=((_scaled_only, "the scaling alone: the loss and the output are still wrong"),),
        grader=grade_debugged_recipe,
        time_limit=60,
        # MAX_PIXEL: 12-bit or 16-bit scans; the book's Rescaling(1 / 255) leaves them up to 16
        # or 257, an unscaled input to the grader (above 5).
        variants={"UPDATES": (200, 250, 400), "MAX_PIXEL": (4_095, 65_535)},
    ),
}
