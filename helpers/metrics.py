"""Precision, recall, F1 and R² as Keras metric functions written with ``keras.ops`` (chapter 3).

Each function takes a batch's labels ``y_true`` and predictions ``y_pred`` and returns one number,
so it can be passed to ``model.compile(metrics=[...])``; its History keys are its name (``"f1"``,
``"val_f1"``). Two things hold for all of them:

- **Exact ratios.** Keras 2 era code computed ``tp / (predicted + K.epsilon())``, which hides
  0 / 0 inside a small bias that every other value pays. Here every ratio is exact, and a zero
  denominator is decided explicitly, as scikit-learn decides it: never NaN or infinity.
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


def _flat_pair(y_true: Any, y_pred: Any, function: str) -> tuple[Any, Any]:
    """``y_true`` and ``y_pred`` as flat float tensors of the same length, or a ValueError."""
    from keras import backend, ops

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
    return ops.reshape(y_true, (-1,)), ops.reshape(y_pred, (-1,))


def _ratio(numerator: Any, denominator: Any) -> Any:
    """numerator / denominator, and 0 where the denominator is 0 (no epsilon, no NaN)."""
    from keras import ops

    positive = denominator > 0
    return ops.where(positive, numerator / ops.where(positive, denominator, 1.0), 0.0)


def _counts(y_true: Any, y_pred: Any, function: str) -> tuple[Any, Any, Any]:
    """True positives, predicted positives and actual positives of a binary batch."""
    from keras import ops

    y_true, y_pred = _flat_pair(y_true, y_pred, function)
    predicted = ops.cast(y_pred > THRESHOLD, y_pred.dtype)
    return ops.sum(y_true * predicted), ops.sum(predicted), ops.sum(y_true)


def precision(y_true: Any, y_pred: Any) -> Any:
    """Binary precision: of the rows predicted positive (probability > 0.5), the share that are (chapter 3).

    ``y_true`` holds 0/1 labels, ``y_pred`` predicted probabilities (a sigmoid output). With no
    positive prediction the precision is 0, not NaN. In ``compile()`` it is a batch average (see
    the module's docstring); the dataset value is ``keras.metrics.Precision()``'s.

    >>> round(float(precision([1, 0, 1, 1], [0.9, 0.8, 0.3, 0.6])), 4)  # 2 of 3 predicted positives
    0.6667
    """
    true_positives, predicted_positives, _ = _counts(y_true, y_pred, "precision")
    return _ratio(true_positives, predicted_positives)


def recall(y_true: Any, y_pred: Any) -> Any:
    """Binary recall: of the rows that are positive, the share predicted so (probability > 0.5) (chapter 3).

    ``y_true`` holds 0/1 labels, ``y_pred`` predicted probabilities. A batch without positive
    labels has recall 0. In ``compile()`` it is a batch average (see the module's docstring);
    the dataset value is ``keras.metrics.Recall()``'s.

    >>> round(float(recall([1, 0, 1, 1], [0.9, 0.8, 0.3, 0.6])), 4)  # 2 of the 3 positives found
    0.6667
    """
    true_positives, _, actual_positives = _counts(y_true, y_pred, "recall")
    return _ratio(true_positives, actual_positives)


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
    true_positives, predicted_positives, actual_positives = _counts(y_true, y_pred, "f1")
    return _ratio(2.0 * true_positives, predicted_positives + actual_positives)


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

    y_true, y_pred = _flat_pair(y_true, y_pred, "r2")
    ss_res = ops.sum(ops.square(y_true - y_pred))
    ss_tot = ops.sum(ops.square(y_true - ops.mean(y_true)))
    constant_labels = ops.where(ss_res > 0, 0.0, 1.0)
    return ops.where(ss_tot > 0, 1.0 - _ratio(ss_res, ss_tot), constant_labels)
