"""helpers.metrics: equal to scikit-learn and Keras's built-ins, usable in compile(), batch averages shown."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score, precision_score, r2_score, recall_score

from helpers import metrics

TOLERANCE = 1e-6
SKLEARN = {"precision": precision_score, "recall": recall_score, "f1": f1_score}


def value(tensor) -> float:
    """A scalar tensor (or Keras's one-element F1Score result) as a Python float."""
    from keras import ops

    array = np.asarray(ops.convert_to_numpy(tensor))
    assert array.size == 1, array.shape
    return float(array.reshape(()))


@pytest.fixture(scope="module")
def classification():
    """A small Keras classifier on 6 features of the breast cancer data, and its probabilities."""
    import keras
    from sklearn.datasets import load_breast_cancer

    keras.utils.set_random_seed(0)
    X, y = load_breast_cancer(return_X_y=True)
    X = X[:, :6].astype("float32")
    y = y.astype("float32").reshape(-1, 1)
    normalize = keras.layers.Normalization()
    normalize.adapt(X)
    model = keras.Sequential(
        [
            keras.Input((6,)),
            normalize,
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    # the metric functions in compile(), as a chapter uses them: the fit's History is tested below
    model.compile(
        optimizer="adam",
        loss="binary_crossentropy",
        metrics=["accuracy", metrics.precision, metrics.recall, metrics.f1],
        jit_compile=False,
    )
    history = model.fit(X, y, epochs=3, batch_size=64, validation_split=0.2, verbose=0)
    return model, X, y, keras.ops.convert_to_numpy(model(X)), history.history


@pytest.fixture(scope="module")
def regression():
    """A small Keras regressor on the diabetes data (10 features), and its predictions."""
    import keras
    from sklearn.datasets import load_diabetes

    keras.utils.set_random_seed(0)
    X, y = load_diabetes(return_X_y=True)
    X = X.astype("float32")
    y = (y / 100).astype("float32").reshape(-1, 1)
    model = keras.Sequential(
        [keras.Input((10,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.05), loss="mse", metrics=[metrics.r2], jit_compile=False
    )
    history = model.fit(X, y, epochs=5, batch_size=32, validation_split=0.2, verbose=0)
    return model, X, y, keras.ops.convert_to_numpy(model(X)), history.history


@pytest.mark.parametrize("name", ["precision", "recall", "f1"])
def test_classification_metrics_equal_scikit_learn(classification, name):
    _, _, y, probabilities, _ = classification
    labels = probabilities.ravel() > 0.5
    expected = SKLEARN[name](y.ravel(), labels)
    assert 0.1 < expected < 1.0  # a real, imperfect model: the comparison means something
    assert value(getattr(metrics, name)(y, probabilities)) == pytest.approx(expected, abs=TOLERANCE)


def test_r2_equals_scikit_learn(regression):
    _, _, y, predictions, _ = regression
    expected = r2_score(y.ravel(), predictions.ravel())
    assert 0.1 < expected < 1.0
    assert value(metrics.r2(y, predictions)) == pytest.approx(expected, abs=TOLERANCE)


def test_metrics_equal_keras_builtins(classification, regression):
    import keras

    _, _, y, probabilities, _ = classification
    builtins = {
        "precision": keras.metrics.Precision(thresholds=0.5),
        "recall": keras.metrics.Recall(thresholds=0.5),
        "f1": keras.metrics.F1Score(threshold=0.5),
    }
    for name, builtin in builtins.items():
        builtin.update_state(y, probabilities)
        ours = value(getattr(metrics, name)(y, probabilities))
        assert ours == pytest.approx(value(builtin.result()), abs=TOLERANCE), name

    _, _, y, predictions, _ = regression
    builtin = keras.metrics.R2Score()
    builtin.update_state(y, predictions)
    assert value(metrics.r2(y, predictions)) == pytest.approx(
        value(builtin.result()), abs=TOLERANCE
    )


def test_column_and_flat_shapes_give_the_same_value(classification):
    """A (n,) label against a (n, 1) prediction must not broadcast to an (n, n) table."""
    _, _, y, probabilities, _ = classification
    for function in (metrics.precision, metrics.recall, metrics.f1, metrics.r2):
        flat = value(function(y.ravel(), probabilities.ravel()))
        assert value(function(y.ravel(), probabilities)) == pytest.approx(flat, abs=TOLERANCE)


def test_no_positive_prediction_gives_zero_not_nan():
    y_true = np.array([1.0, 0.0, 1.0, 0.0])
    nothing_positive = np.array([0.1, 0.2, 0.5, 0.0])  # 0.5 is not above the threshold
    assert value(metrics.precision(y_true, nothing_positive)) == 0.0
    assert value(metrics.recall(y_true, nothing_positive)) == 0.0
    assert value(metrics.f1(y_true, nothing_positive)) == 0.0
    assert precision_score(y_true, nothing_positive > 0.5, zero_division=0) == 0.0
    # no positive labels and no positive predictions: 0, as scikit-learn with zero_division=0
    assert value(metrics.recall(np.zeros(4), nothing_positive)) == 0.0
    assert value(metrics.f1(np.zeros(4), nothing_positive)) == 0.0


def test_small_counts_are_exact_not_shrunk_by_an_epsilon():
    # 1 true positive of 1 predicted: exactly 1, where tp / (pp + 1e-7) would give 0.9999999
    assert value(metrics.precision([1.0, 0.0], [0.9, 0.1])) == 1.0
    assert value(metrics.f1([1.0, 0.0], [0.9, 0.1])) == 1.0


def test_r2_with_constant_labels_follows_scikit_learn():
    same = np.full(5, 3.0)
    assert value(metrics.r2(same, same)) == r2_score(same, same) == 1.0
    assert value(metrics.r2(same, same + 1)) == r2_score(same, same + 1) == 0.0


def test_metrics_work_in_compile_with_sensible_history_keys(classification, regression):
    history = classification[-1]
    assert set(history) == {
        "loss",
        "accuracy",
        "precision",
        "recall",
        "f1",
        "val_loss",
        "val_accuracy",
        "val_precision",
        "val_recall",
        "val_f1",
    }
    scores = {key: values for key, values in history.items() if "loss" not in key}
    for key, values in scores.items():
        assert np.isfinite(values).all() and 0 <= min(values) <= max(values) <= 1, key
    assert set(regression[-1]) == {"loss", "r2", "val_loss", "val_r2"}
    assert regression[-1]["r2"][-1] > regression[-1]["r2"][0]  # training improves it


def test_one_batch_of_all_rows_gives_the_dataset_value(classification):
    """Inside a compiled model, the function equals scikit-learn when one batch holds all rows."""
    model, X, y, probabilities, _ = classification
    model.compile(loss="binary_crossentropy", metrics=[metrics.f1], jit_compile=False)
    result = model.evaluate(X, y, batch_size=len(X), verbose=0, return_dict=True)
    assert result["f1"] == pytest.approx(
        f1_score(y.ravel(), probabilities.ravel() > 0.5), abs=TOLERANCE
    )


def test_batch_average_is_not_the_dataset_value_but_stateful_metrics_are(
    classification, regression
):
    """compile() averages a metric function over batches; Keras's stateful metrics accumulate."""
    import keras

    batch = 32
    model, X, y, probabilities, _ = classification
    stateful = keras.metrics.F1Score(threshold=0.5, name="f1_stateful")
    model.compile(loss="binary_crossentropy", metrics=[metrics.f1, stateful], jit_compile=False)
    result = model.evaluate(X, y, batch_size=batch, verbose=0, return_dict=True)
    whole = f1_score(y.ravel(), probabilities.ravel() > 0.5)
    per_batch = [
        f1_score(
            y[i : i + batch].ravel(), probabilities[i : i + batch].ravel() > 0.5, zero_division=0
        )
        for i in range(0, len(X), batch)
    ]
    assert result["f1"] == pytest.approx(
        np.mean(per_batch), abs=TOLERANCE
    )  # what compile() reports
    assert abs(result["f1"] - whole) > 1e-3  # ... is not the F1 of the whole data
    assert result["f1_stateful"] == pytest.approx(whole, abs=TOLERANCE)  # the stateful metric is

    model, X, y, predictions, _ = regression
    stateful = keras.metrics.R2Score(name="r2_stateful")
    model.compile(loss="mse", metrics=[metrics.r2, stateful], jit_compile=False)
    result = model.evaluate(X, y, batch_size=batch, verbose=0, return_dict=True)
    whole = r2_score(y.ravel(), predictions.ravel())
    per_batch = [
        r2_score(y[i : i + batch].ravel(), predictions[i : i + batch].ravel())
        for i in range(0, len(X), batch)
    ]
    assert result["r2"] == pytest.approx(np.mean(per_batch), abs=TOLERANCE)
    assert result["r2"] < whole - 1e-3  # biased low: each batch's spread is around its own mean
    assert result["r2_stateful"] == pytest.approx(whole, abs=TOLERANCE)


@pytest.mark.parametrize("function", [metrics.precision, metrics.recall, metrics.f1, metrics.r2])
def test_labels_and_predictions_of_different_lengths_are_refused(function):
    expected = r"one prediction per label.*y_true of shape \(4,\) \(4 values\) and y_pred of shape \(3, 1\)"
    with pytest.raises(ValueError, match=expected):
        function(np.array([1.0, 0.0, 1.0, 1.0]), np.array([[0.9], [0.2], [0.7]]))


# --- nothing wrong accepted -----------------------------------------------------------------------

LABELS = np.array([1.0, 0.0, 1.0, 1.0])
PROBABILITIES = np.array([0.9, 0.8, 0.3, 0.6])


@pytest.mark.parametrize("function", [metrics.precision, metrics.recall, metrics.f1, metrics.r2])
def test_nan_predictions_are_refused_when_given_directly(function):
    """NaN > 0.5 is False: a NaN prediction would count as a negative one, silently."""
    name = function.__name__
    with pytest.raises(
        ValueError, match=rf"^{name}\(\) needs finite numbers; y_pred holds 1 NaN or infinite value"
    ):
        function(LABELS, np.array([0.9, np.nan, 0.3, 0.6]))
    with pytest.raises(ValueError, match=r"y_true holds 1 NaN or infinite"):
        function(np.array([1.0, np.inf, 1.0, 1.0]), PROBABILITIES)


@pytest.mark.parametrize("function", [metrics.precision, metrics.recall, metrics.f1])
def test_swapped_arguments_are_refused(function):
    """f1(probabilities, labels) would threshold the labels and count the probabilities."""
    with pytest.raises(ValueError) as raised:
        function(PROBABILITIES, LABELS)
    assert str(raised.value) == (
        f"{function.__name__}(y_true, y_pred) needs 0/1 labels as y_true; got 4 other value(s), "
        "such as 0.9 (are the arguments swapped? the labels come first)"
    )


@pytest.mark.parametrize("function", [metrics.precision, metrics.recall, metrics.f1])
def test_labels_other_than_0_and_1_and_logits_are_refused(function):
    with pytest.raises(
        ValueError, match=r"needs 0/1 labels as y_true; got 1 other value\(s\), such as 2$"
    ):
        function([1, 0, 2, 1], PROBABILITIES)
    with pytest.raises(
        ValueError, match=r"needs predicted probabilities from 0 to 1 .* such as 2\.3 \(logits\?"
    ):
        function(LABELS, [2.3, -1.0, 0.3, 0.6])


@pytest.mark.parametrize("function", [metrics.precision, metrics.recall, metrics.f1, metrics.r2])
def test_inside_a_graph_a_bad_batch_gives_nan_not_a_plausible_number(function):
    """compile() passes tensors, which cannot be looked at while the graph is built: NaN, as the loss."""
    import tensorflow as tf

    graph = tf.function(function)
    labels = tf.constant(LABELS, dtype="float32")
    nan_predictions = tf.constant([0.9, np.nan, 0.3, 0.6], dtype="float32")
    assert np.isnan(value(graph(labels, nan_predictions)))
    good = value(graph(labels, tf.constant(PROBABILITIES, dtype="float32")))
    assert np.isfinite(good) and good == pytest.approx(value(function(LABELS, PROBABILITIES)))
    if function is not metrics.r2:
        assert np.isnan(value(graph(tf.constant(PROBABILITIES, dtype="float32"), labels)))


def test_a_model_whose_training_diverges_shows_nan_scores_in_its_history():
    import keras

    keras.utils.set_random_seed(0)
    x = np.array([[1.0], [2.0], [3.0], [4.0]], dtype="float32")
    y = np.array([[0.0], [1.0], [0.0], [1.0]], dtype="float32")
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=[metrics.f1])
    model.layers[0].kernel.assign(np.full((1, 1), np.nan, dtype="float32"))  # as after divergence
    history = model.fit(x, y, epochs=1, verbose=0).history
    assert np.isnan(history["loss"][0]) and np.isnan(history["f1"][0])


@pytest.mark.parametrize(
    "y_true, y_pred, message",
    [
        ([], [], "at least one example; y_pred is empty"),
        (["a"], ["b"], "needs numbers as y_pred; got text, such as 'b'"),
    ],
)
def test_no_examples_and_text_are_refused_not_scored(y_true, y_pred, message):
    import re

    for metric in (metrics.precision, metrics.recall, metrics.f1, metrics.r2):
        with pytest.raises(ValueError, match=re.escape(message)):
            metric(y_true, y_pred)
