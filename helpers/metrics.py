"""Precision, recall, F1 and R² as Keras metric functions written with ``keras.ops`` (chapter 3).

Each function takes a batch's labels ``y_true`` and predictions ``y_pred`` and returns one number,
so it can be passed to ``model.compile(metrics=[...])``; its History keys are its name (``"f1"``,
``"val_f1"``). Two things hold for all of them:

- **Exact ratios.** Keras 2 era code computed ``tp / (predicted + K.epsilon())``, which hides
  0 / 0 inside a small bias that every other value pays. Here every ratio is exact, and a zero
  denominator is decided explicitly, as scikit-learn decides it: never NaN or infinity.
- **Nothing wrong accepted.** Called directly on arrays or lists (``f1(y_test, probabilities)``),
  a function refuses predictions that are not numbers (NaN: did training diverge?), binary labels
  that are not 0 or 1 (the two arguments swapped?) and probabilities outside 0 to 1 (logits?), in
  one line that says so. Inside ``compile()`` it cannot stop training, so such a batch gives NaN,
  as the loss would, rather than a plausible number.
- **Batch averages.** Passed to ``model.compile(metrics=[...])``, a function runs once per batch
  and Keras reports the plain average of the batch values (each batch counts once, whatever its
  size). That average is *not* the score of the whole dataset. For the dataset value use Keras's
  stateful metric named in each function's docstring, which accumulates counts (or sums) over
  batches.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["THRESHOLD", "f1", "precision", "r2", "recall"]

#: A predicted probability above this counts as a positive prediction (as in Keras's own metrics).
THRESHOLD = 0.5


def _flat_pair(
    y_true: Any, y_pred: Any, function: str, *, binary: bool = False
) -> tuple[Any, Any, Any]:
    """``y_true`` and ``y_pred`` as flat float tensors of the same length, and a boolean tensor that
    is True when they are not what the metric takes (see :func:`_refuse_bad_values`).

    Arrays and lists given directly are checked at once: a ValueError names the problem.
    """
    from keras import backend, ops

    given = {"y_true": y_true, "y_pred": y_pred}
    if all(_given_directly(value) for value in given.values()):  # before TensorFlow sees them
        _refuse_bad_values(
            np.asarray(given["y_true"]), np.asarray(given["y_pred"]), function, binary
        )
    y_pred = ops.convert_to_tensor(y_pred)
    if not backend.is_float_dtype(y_pred.dtype):
        y_pred = ops.cast(y_pred, backend.floatx())
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    true_shape, pred_shape = tuple(y_true.shape), tuple(y_pred.shape)
    if None not in true_shape and None not in pred_shape:  # known statically: check now
        n_true, n_pred = int(np.prod(true_shape)), int(np.prod(pred_shape))
        if n_true != n_pred:
            raise ValueError(
                f"{function}() needs one prediction per label (a single-output model); "
                f"got y_true of shape {true_shape} ({n_true} values) and y_pred of shape "
                f"{pred_shape} ({n_pred} values)"
            )
    # Flatten both: a (batch, 1) prediction against a (batch,) label must not broadcast to
    # (batch, batch).
    y_true, y_pred = ops.reshape(y_true, (-1,)), ops.reshape(y_pred, (-1,))
    bad = ops.logical_not(ops.all(ops.isfinite(y_pred)) & ops.all(ops.isfinite(y_true)))
    if binary:
        labels_01 = ops.all((y_true == 0) | (y_true == 1))
        probabilities = ops.all((y_pred >= 0) & (y_pred <= 1))
        bad = bad | ops.logical_not(labels_01 & probabilities)
    return y_true, y_pred, bad


def _given_directly(value: Any) -> bool:
    """Whether ``value`` is an array, list or pandas object (a reader's call), not a backend tensor
    (what ``compile()`` passes, which cannot be looked at while the graph is built)."""
    return isinstance(value, (list, tuple, np.ndarray)) or hasattr(value, "to_numpy")


def _refuse_bad_values(y_true: np.ndarray, y_pred: np.ndarray, function: str, binary: bool) -> None:
    """A ValueError, in one line, if the values given directly are not what ``function`` takes."""
    for name, values in (("y_pred", y_pred), ("y_true", y_true)):
        try:
            numbers = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            kind = "text" if values.dtype.kind in "US" else f"{values.dtype} values"
            raise ValueError(
                f"{function}() needs numbers as {name}; got {kind}, such as "
                f"{values.flat[0].item()!r:.40}"
            ) from None
        if not numbers.size:
            raise ValueError(f"{function}() needs at least one example; {name} is empty")
        if not np.isfinite(numbers).all():
            count = int((~np.isfinite(numbers)).sum())
            raise ValueError(
                f"{function}() needs finite numbers; {name} holds {count} NaN or infinite "
                f"value(s) of {numbers.size}"
                + (" (did training diverge? its loss turns NaN too)" if name == "y_pred" else "")
            )
    if not binary:
        return
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    not_labels = y_true[(y_true != 0) & (y_true != 1)]
    if not_labels.size:
        swapped = (
            " (are the arguments swapped? the labels come first)"
            if (((y_pred == 0) | (y_pred == 1)).all())
            else ""
        )
        raise ValueError(
            f"{function}(y_true, y_pred) needs 0/1 labels as y_true; got {not_labels.size} other "
            f"value(s), such as {not_labels.flat[0]:g}{swapped}"
        )
    outside = y_pred[(y_pred < 0) | (y_pred > 1)]
    if outside.size:
        raise ValueError(
            f"{function}() needs predicted probabilities from 0 to 1 as y_pred (a sigmoid output); "
            f"got {outside.size} value(s) outside, such as {outside.flat[0]:g} (logits? use "
            f"activation='sigmoid' in the last layer, or keras.ops.sigmoid(logits))"
        )


def _ratio(numerator: Any, denominator: Any) -> Any:
    """numerator / denominator, and 0 where the denominator is 0 (no epsilon, no NaN)."""
    from keras import ops

    positive = denominator > 0
    return ops.where(positive, numerator / ops.where(positive, denominator, 1.0), 0.0)


def _counts(y_true: Any, y_pred: Any, function: str) -> tuple[Any, Any, Any, Any]:
    """True positives, predicted positives and actual positives of a binary batch, and whether
    the batch is not one (see :func:`_flat_pair`)."""
    from keras import ops

    y_true, y_pred, bad = _flat_pair(y_true, y_pred, function, binary=True)
    predicted = ops.cast(y_pred > THRESHOLD, y_pred.dtype)
    return ops.sum(y_true * predicted), ops.sum(predicted), ops.sum(y_true), bad


def _unless(bad: Any, value: Any) -> Any:
    """``value``, or NaN where the batch was not what the metric takes."""
    from keras import ops

    return ops.where(bad, float("nan"), value)


def precision(y_true: Any, y_pred: Any) -> Any:
    """Binary precision: of the rows predicted positive (probability > 0.5), the share that are (chapter 3).

    ``y_true`` holds 0/1 labels, ``y_pred`` predicted probabilities (a sigmoid output). With no
    positive prediction the precision is 0, not NaN. In ``compile()`` it is a batch average (see
    the module's docstring); the dataset value is ``keras.metrics.Precision()``'s.

    >>> round(float(precision([1, 0, 1, 1], [0.9, 0.8, 0.3, 0.6])), 4)  # 2 of 3 predicted positives
    0.6667
    """
    true_positives, predicted_positives, _, bad = _counts(y_true, y_pred, "precision")
    return _unless(bad, _ratio(true_positives, predicted_positives))


def recall(y_true: Any, y_pred: Any) -> Any:
    """Binary recall: of the rows that are positive, the share predicted so (probability > 0.5) (chapter 3).

    ``y_true`` holds 0/1 labels, ``y_pred`` predicted probabilities. A batch without positive
    labels has recall 0. In ``compile()`` it is a batch average (see the module's docstring);
    the dataset value is ``keras.metrics.Recall()``'s.

    >>> round(float(recall([1, 0, 1, 1], [0.9, 0.8, 0.3, 0.6])), 4)  # 2 of the 3 positives found
    0.6667
    """
    true_positives, _, actual_positives, bad = _counts(y_true, y_pred, "recall")
    return _unless(bad, _ratio(true_positives, actual_positives))


def f1(y_true: Any, y_pred: Any) -> Any:
    """Binary F1, the harmonic mean of precision and recall: 2·TP / (2·TP + FP + FN) (chapter 3).

    Computed from the counts, which equals 2·P·R / (P + R) and is 0 (not NaN) when there is
    neither a positive label nor a positive prediction. The threshold is 0.5, as in
    ``keras.metrics.F1Score(threshold=0.5)``. In ``compile()`` it is a batch average (see the
    module's docstring); the dataset value is ``keras.metrics.F1Score(threshold=0.5)``'s.

    >>> round(float(f1([1, 0, 1, 1], [0.9, 0.8, 0.3, 0.6])), 4)  # P = R = 2/3
    0.6667
    >>> import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    >>> model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[precision, recall, f1])
    """
    true_positives, predicted_positives, actual_positives, bad = _counts(y_true, y_pred, "f1")
    return _unless(bad, _ratio(2.0 * true_positives, predicted_positives + actual_positives))


def r2(y_true: Any, y_pred: Any) -> Any:
    """Coefficient of determination R² = 1 − SS_res / SS_tot, for a single-output regression (chapter 3).

    1 is a perfect fit, 0 is no better than predicting the mean of ``y_true``, and it can be
    negative. When all labels are equal (SS_tot = 0) it is 1 for a perfect prediction and 0
    otherwise, as scikit-learn's ``r2_score`` does, never NaN or infinity. In ``compile()`` it is
    a batch average (see the module's docstring); the dataset value is
    ``keras.metrics.R2Score()``'s. The batch average of R² is also biased low: each batch
    measures spread around its own mean, so the batches' SS_tot add up to less than the whole
    data's.

    >>> round(float(r2([1.0, 2.0, 3.0, 4.0], [1.1, 1.9, 3.2, 3.8])), 4)
    0.98
    >>> import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="adam", loss="mae", metrics=[r2])  # History keys "r2", "val_r2"
    """
    from keras import ops

    y_true, y_pred, bad = _flat_pair(y_true, y_pred, "r2")
    ss_res = ops.sum(ops.square(y_true - y_pred))
    ss_tot = ops.sum(ops.square(y_true - ops.mean(y_true)))
    constant_labels = ops.where(ss_res > 0, 0.0, 1.0)
    return _unless(bad, ops.where(ss_tot > 0, 1.0 - _ratio(ss_res, ss_tot), constant_labels))
