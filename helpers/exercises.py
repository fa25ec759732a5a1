"""Self-checks for the chapters' exercises: right or not at once, with a hint, never the solution.

Each exercise is registered below by its id (``"01.2"``: chapter 1, exercise 2) with a digest of
its right answer rather than the answer itself, so calling :func:`check` tells a learner whether
they are right without revealing what right is. Authors compute a digest with
:func:`answer_digest` from the worked solution, and the chapter's hidden solution cell calls
``check`` so the book's tests keep the digest honest.
"""

from __future__ import annotations

import hashlib
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Exercise:
    """One exercise: what kind of answer it takes, the digest of the right one, and a hint."""

    kind: str  # "number", "integer", "text", "numbers" (a list or array) or "boolean"
    digest: str
    hint: str
    decimals: int = 2  # numbers are compared after rounding to this many decimals


EXERCISES: dict[str, Exercise] = {
    # Chapter 1, the artificial neuron
    "01.1": Exercise(
        "boolean",
        "edadb8f87da0a2730237907be0e3c7f7660ac7e0671177db261036a7b9be7fa0",
        "fit the best single neuron to the ReLU network's outputs (np.linalg.lstsq): is the error zero?",
    ),
    "01.2": Exercise(
        "number",
        "08fed19521c0908d6a73a7043e0e8660936d4de0bd4d7cbc49c1c4309c8d4f68",
        "fill missing ages with the median of the training passengers only, standardize with the "
        "training statistics, and train with LEARNING_RATE and EPOCHS as before",
        decimals=3,
    ),
    "01.3": Exercise(
        "number",
        "a2455da16cbfa363f6b9ad1f97f63f8d18734f4c16ffd612d86a946751538b66",
        "for squared error, dL/dz = 2 (a - y) a (1 - a) with a = sigmoid(-6) and y = 1",
        decimals=4,
    ),
    # Chapter 6, MNIST basics
    "06.1": Exercise(
        "integer",
        "c0739664eaac015392ad061dea2b732653f5157568c430088aa89b81553fddef",
        "each of the 32 neurons has 784 weights and a bias; each of the 10 outputs has 32 weights "
        "and a bias (or build the model and call count_params())",
    ),
    "06.2": Exercise(
        "numbers",
        "2e82dafcc5e2d5c27d284492cad5ff74716b8f6bd38155ae80bdd363c8b5f329",
        "count TP, FP and FN with 'poisonous' as the positive class; precision = TP / (TP + FP), "
        "recall = TP / (TP + FN); answer [precision, recall] in that order",
    ),
    "06.3": Exercise(
        "boolean",
        "09cb4af3750786413aef2106bede7e34dfdd2c628e2d95f0718e58296be81dc4",
        "compile build_model() with optimizer='adam', fit 5 epochs with batch_size=100 and "
        "validation_data=(x_val, y_val), and compare history.history['val_accuracy'][-1] with 0.90",
    ),
    # Chapter 2, the perceptron in Keras; chapter 3, deep networks
    "02.1": Exercise(
        "integer",
        "23c6f1061508de19a6627998b05ee6946849831c4c068208bfcb14e3632d5632",
        "each of the 4 units has one weight per input and one bias: units x (inputs + 1)",
    ),
    "02.2": Exercise(
        "number",
        "8d323ff0bc39d9f6947e913f74a43e118170b7ede7aadc8a106f67bdcb4b8040",
        "set_weights takes [kernel of shape (3, 1), bias of shape (1,)]; the output is "
        "0.5 * 0.2 - 1 * 0.9 + 2 * 0.4 + bias",
        decimals=3,
    ),
    "02.3": Exercise(
        "integer",
        "6debb2bf0486f32158e5ee1700dd5fe0afa1913bb99ccc19427d86910f45573e",
        "compute the 4 binary-step outputs of every (w1, w2, b) on the grid, turn each into a "
        "tuple and count the distinct tuples with a set",
    ),
    "03.1": Exercise(
        "integer",
        "6496678465169aff73b07999d8d4b2a166121d925f7ad8a8a5eefbb54c51fe44",
        "hidden_sizes(14) gives the two layer sizes; each Dense layer has inputs x units + units "
        "parameters, and dropout has none",
    ),
    "03.2": Exercise(
        "integer",
        "b0d7a02213777aa8b72c48ebd83228b18abc6a213249f2b1cd399168c6c790ed",
        "validation_split=0.2 keeps ceil(0.2 x 455) rows aside; each epoch makes one update per "
        "batch of 16 of the remaining rows (round up)",
    ),
    "03.3": Exercise(
        "number",
        "13c91070964b6dfbba1d6ff7b3ec3416a06a90ebfbf2c8a5958ab9233098cdba",
        "R² = 1 - sum((y_test - y_mean)²) / sum((y_test - y_test.mean())²), with y_mean the "
        "mean of the training targets",
        decimals=3,
    ),
    # Chapter 7, MNIST with a hidden layer: 98 % and faster training
    "07.1": Exercise(
        "integer",
        "51bc1a20325af5721777aedb85b580456708a3ea3c805959c0fd58aea4563bdf",
        "Flatten has no parameters; each Dense layer has (inputs + 1) x units: 784 -> 256, "
        "256 -> 256, 256 -> 10",
    ),
    "07.2": Exercise(
        "numbers",
        "a28966f33875d26030288b4e66bef2de6ff5fc75000fd73999eb03dbcc31bf09",
        "60,000 / batch size, rounded up (a smaller last batch is one more update); answer in the "
        "order 32, 128, 512, 2048",
    ),
    # Chapter 8, explaining predictions with SHAP
    "08.1": Exercise(
        "number",
        "6186099acd1b55a26c856a6355448960aab2dfebf6e936856e9ab9c34c31fa48",
        "use Xt_train[Xt_train[:, sex_col] == 0][:100] as the background; what can revealing a "
        "feature change when every background passenger already has her value?",
        decimals=3,
    ),
    "08.2": Exercise(
        "number",
        "752350c1c68dac2fcded4fbba74476e1bdfeb6a6cffb35f69d1486816a896042",
        "fit LinearRegression on Xh_train and the training prices; the SHAP value is the "
        "basement's coefficient times (the house's basement - the background's mean basement)",
        decimals=0,
    ),
    "08.3": Exercise(
        "number",
        "51b96e4b11179d6688789b933eee98ab1e12dfb1636126fbee5f7446c2990e6a",
        "change only the Sex_male column of a copy of her row, then ask the forest's "
        "predict_proba for the probability of class 1 (survived)",
        decimals=2,
    ),
    # Chapter 4, bank customer churn; chapter 5, loan approval and saving models
    "04.1": Exercise(
        "number",
        "0ba9ece90329b4af0d914d6ce13da153acd4d295aef8ac30f7a4e4e0a3979b2f",
        "churn.groupby(['Geography', 'Gender'])['Exited'].mean() gives the six rates; answer the "
        "largest one as a fraction (e.g. 0.25, not 25)",
        decimals=3,
    ),
    "04.2": Exercise(
        "number",
        "e8338c9fee169e2247cb208f46f7cd9a77daced4a3f2a14f65d80084aaaa9c6e",
        "fit LogisticRegression(class_weight='balanced') on X_train, y_train, then "
        "recall_score(y_test, its predict(X_test))",
    ),
    "04.3": Exercise(
        "number",
        "bb34807bdee1452b9dd2893b36a785c65d029a73be54e175afea0490f067de74",
        "put 'NumOfProducts' in the OneHotEncoder's column list next to 'Geography' and 'Gender', "
        "fit encoder and scaler on the training set only, then accuracy_score on the test set",
    ),
    "05.1": Exercise(
        "integer",
        "1d3b576bbc1d58ff7ab4145847b876bef936d6a500a74e7330947f5507c3b0dd",
        "each Dense layer has (inputs + 1) x units parameters: 1 -> 16, 16 -> 32, 32 -> 2 "
        "(or build the model and call count_params())",
    ),
    "05.2": Exercise(
        "integer",
        "862953e401d88711362dd15a3c269501d12b861ae0ca04a20de9fd58895819e3",
        "Flatten turns each 2 x 3 image into 6 numbers and has no parameters; then (inputs + 1) "
        "x units for 6 -> 8, 8 -> 16 and 16 -> 2",
    ),
    "05.3": Exercise(
        "number",
        "751dba6466cd303fefc264bfe3c4f633f5d766c8a50fc41fded4bd7384d3a042",
        "apply LOAN_RULE to the test applications' age and area (np.where(urban, age <= 55, "
        "age <= 45)) and compare with their application_outcome",
        decimals=3,
    ),
}

_KINDS = ("number", "integer", "text", "numbers", "boolean")


def _canonical(kind: str, answer: Any, decimals: int) -> str:
    """The answer as text in a form that does not depend on how it was computed."""
    if kind == "boolean":
        if not isinstance(answer, (bool, np.bool_)):
            raise TypeError(f"expected True or False, got {type(answer).__name__} {answer!r}")
        return str(bool(answer))
    if kind == "integer":
        if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Integral):
            raise TypeError(f"expected a whole number (int), got {type(answer).__name__} {answer!r}")
        return str(int(answer))
    if kind == "number":
        if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
            if isinstance(answer, np.ndarray) and answer.size == 1:
                answer = answer.item()
            else:
                raise TypeError(f"expected a single number, got {type(answer).__name__} {answer!r:.60}")
        value = round(float(answer), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
        return f"{value:.{decimals}f}"
    if kind == "numbers":
        try:
            values = np.asarray(answer, dtype=float).ravel()
        except (TypeError, ValueError):
            values = None
        if values is None or answer is None or np.isnan(values).any():  # None would become nan
            raise TypeError(f"expected a list or array of numbers, got {type(answer).__name__}")
        return ",".join(f"{round(v, decimals) + 0.0:.{decimals}f}" for v in values)
    if kind == "text":
        if not isinstance(answer, str):
            raise TypeError(f"expected text (str), got {type(answer).__name__} {answer!r:.60}")
        return " ".join(answer.lower().split())
    raise ValueError(f"kind must be one of {_KINDS}; got {kind!r}")


def answer_digest(answer: Any, kind: str = "number", decimals: int = 2) -> str:
    """The digest to register for a right ``answer`` (for authors writing an exercise).

    >>> answer_digest(0.5)[:12]
    '6d40b4da0149'
    """
    return hashlib.sha256(f"{kind}:{_canonical(kind, answer, decimals)}".encode()).hexdigest()


def check(exercise_id: str, answer: Any) -> bool:
    """Say at once whether ``answer`` is right for exercise ``exercise_id``; if not, give a hint.

    Prints one line and returns True or False; the right answer is never shown.

    >>> check("01.2", 0.5)  # doctest: +ELLIPSIS
    Exercise 01.2: not yet (compared to 3 decimals). Hint: fill missing ages with ...
    False
    """
    try:
        exercise = EXERCISES[exercise_id]
    except KeyError:
        known = ", ".join(sorted(EXERCISES)) or "none"
        raise KeyError(f"unknown exercise {exercise_id!r}; the registered ones are: {known}") from None
    try:
        right = answer_digest(answer, exercise.kind, exercise.decimals) == exercise.digest
    except TypeError as error:
        print(f"Exercise {exercise_id}: not the kind of answer expected: {error}.")
        return False
    if right:
        print(f"Exercise {exercise_id}: correct, well done.")
    else:
        precision = f" (compared to {exercise.decimals} decimals)" if exercise.kind in ("number", "numbers") else ""
        print(f"Exercise {exercise_id}: not yet{precision}. Hint: {exercise.hint}")
    return right
