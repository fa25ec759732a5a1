"""Self-checks for the chapters' exercises: right or not at once, with a hint, in one line.

``check("01.2", answer)`` prints whether ``answer`` is right for exercise 01.2 and, if not, a hint.
It is a **self-check, not an assessment**: the right answers are stored encoded (out of plain
sight, not secret: anyone can decode them), booleans and small whole numbers can be guessed, and
the book's website shows the worked solutions. For graded coursework, see the teachers' page.

Numbers are compared with a tolerance that each exercise declares: relative (``rel``) for an
answer that any machine computes to within float rounding, or a range (``low``, ``high``) for an
answer that depends on a training run, wide enough for any training seed and supported version.
Whole numbers, lists of whole numbers, booleans and text are compared exactly (text ignoring case
and spacing).

Authors register an exercise with the payload that :func:`encode_answer` prints::

    python -m helpers.exercises encode 0.754 --rel 0.002
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import numbers
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

KINDS = ("number", "numbers", "integer", "integers", "boolean", "text")


@dataclass(frozen=True)
class Exercise:
    """One exercise: the kind of answer it takes, its right answer (encoded) and a hint."""

    kind: str  # one of KINDS
    answer: str  # from encode_answer(): the right value and, for numbers, how close counts
    hint: str


def encode_answer(
    value: Any, *, rel: float | None = None, low: float | None = None, high: float | None = None
) -> str:
    """The payload to register for a right answer ``value`` (for authors writing an exercise).

    A number needs ``rel`` (relative tolerance, at least 1e-4: results move with float rounding
    from machine to machine) or a range ``low``..``high`` (for a result of training).

    >>> payload = encode_answer(0.754, rel=0.002)
    >>> decode_answer(payload)
    {'value': 0.754, 'rel': 0.002}
    """
    has_float = isinstance(value, float) or (
        isinstance(value, list) and any(isinstance(v, float) for v in value)
    )
    if has_float and (low is None) == (rel is None):
        raise ValueError("a number needs either rel= or low= and high=")
    if not has_float and (rel is not None or low is not None):
        raise ValueError(f"only numbers take a tolerance; {value!r} is compared exactly")
    if rel is not None and not 1e-4 <= rel < 0.5:
        raise ValueError(
            f"rel must be between 1e-4 (float rounding across machines) and 0.5; got {rel}"
        )
    if (low is None) != (high is None) or (low is not None and not low <= value <= high):
        raise ValueError(f"a range needs low <= value <= high; got {low}, {value}, {high}")
    payload = {"value": value.item() if hasattr(value, "item") else value}
    payload.update(
        {key: v for key, v in (("rel", rel), ("low", low), ("high", high)) if v is not None}
    )
    return base64.b64encode(json.dumps(payload).encode()).decode()


def decode_answer(payload: str) -> dict:
    return json.loads(base64.b64decode(payload))


EXERCISES: dict[str, Exercise] = {
    # Chapter 1, the artificial neuron
    "01.1": Exercise(
        "boolean",
        "eyJ2YWx1ZSI6IGZhbHNlfQ==",
        "fit the best single neuron to the ReLU network's outputs (np.linalg.lstsq): is the error zero?",
    ),
    "01.2": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuNzU0MTg5OTQ0MTM0MDc4MiwgInJlbCI6IDAuMDAxfQ==",
        "fill missing ages with the median of the training passengers only, standardize with the "
        "training statistics, and train with LEARNING_RATE and EPOCHS as before",
    ),
    "01.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IC0wLjAwNDkyMDgyMTA4Njc0MDM1MjQsICJyZWwiOiAwLjAwMX0=",
        "for squared error, dL/dz = 2 (a - y) a (1 - a) with a = sigmoid(-6) and y = 1",
    ),
    "01.4": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuNDY3OTY5MTQyMjYxNDgyMSwgInJlbCI6IDAuMDAxfQ==",
        "for each learning rate, losses = train(X_train, y_train, rate, 10)[2]; the loss goes up "
        "when np.diff(losses) has a positive entry; report losses[-1] for the smallest such rate",
    ),
    # Chapter 2, the perceptron in Keras
    "02.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDQ0fQ==",
        "each of the 4 units has one weight per input and one bias: units x (inputs + 1)",
    ),
    "02.2": Exercise(
        "number",
        "eyJ2YWx1ZSI6IC0wLjMsICJyZWwiOiAwLjAwMX0=",
        "set_weights takes [kernel of shape (3, 1), bias of shape (1,)]; the output is "
        "0.5 * 0.2 - 1 * 0.9 + 2 * 0.4 + bias",
    ),
    "02.3": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDE0fQ==",
        "compute the 4 binary-step outputs of every (w1, w2, b) on the grid, turn each into a "
        "tuple and count the distinct tuples with a set",
    ),
    "02.4": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDEyMC4wLCAibG93IjogODAuMCwgImhpZ2giOiAxNjAuMH0=",
        "draw W1 with shape (100, 2, 3) and W2 with shape (100, 3, 1) from "
        "np.random.default_rng(SEED), biases 0; call train_xor(params, steps=10) 200 times and "
        "after each call count the starts with all four outputs on the right side of 0.5",
    ),
    # Chapter 3, deep networks
    "03.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDE2MX0=",
        "hidden_sizes(14) gives the two layer sizes; each Dense layer has inputs x units + units "
        "parameters, and dropout has none",
    ),
    "03.2": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDQ2fQ==",
        "validation_split=0.2 keeps ceil(0.2 x 455) rows aside; each epoch makes one update per "
        "batch of 16 of the remaining rows (round up)",
    ),
    "03.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IC0wLjAxMiwgInJlbCI6IDAuMDV9",
        "R² = 1 - sum((y_test - y_mean)²) / sum((y_test - y_test.mean())²), with y_mean the "
        "mean of the training targets",
    ),
    "03.4": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDguMCwgImxvdyI6IDIuMCwgImhpZ2giOiAyMC4wfQ==",
        "the history's val_loss holds one value per epoch: int(np.argmin(history['val_loss'])) + 1 "
        "(epochs count from 1, indexes from 0)",
    ),
    # Chapter 4, bank customer churn
    "04.1": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuMzc2LCAicmVsIjogMC4wMDJ9",
        "churn.groupby(['Geography', 'Gender'])['Exited'].mean() gives the six rates; answer the "
        "largest one as a fraction (e.g. 0.25, not 25)",
    ),
    "04.2": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuNzIsICJyZWwiOiAwLjAxfQ==",
        "fit LogisticRegression(class_weight='balanced') on X_train, y_train, then "
        "recall_score(y_test, its predict(X_test))",
    ),
    "04.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuODQsICJyZWwiOiAwLjAxfQ==",
        "put 'NumOfProducts' in the OneHotEncoder's column list next to 'Geography' and 'Gender', "
        "fit encoder and scaler on the training set only, then accuracy_score on the test set",
    ),
    "04.4": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDEyLjUsICJsb3ciOiA5LjAsICJoaWdoIjogMTYuMH0=",
        "choose the threshold with the lowest cost on X_train[-800:], y_train[-800:] (20 euros per "
        "customer flagged, 100 per churner missed, divided by the number of customers), then "
        "compute the same cost on the test customers at that threshold",
    ),
    # Chapter 5, loan approval and saving models
    "05.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDY0Mn0=",
        "each Dense layer has (inputs + 1) x units parameters: 1 -> 16, 16 -> 32, 32 -> 2 "
        "(or build the model and call count_params())",
    ),
    "05.2": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDIzNH0=",
        "Flatten turns each 2 x 3 image into 6 numbers and has no parameters; then (inputs + 1) "
        "x units for 6 -> 8, 8 -> 16 and 16 -> 2",
    ),
    "05.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuOTI1LCAicmVsIjogMC4wMDJ9",
        "apply LOAN_RULE to the test applications' age and area (np.where(urban, age <= 55, "
        "age <= 45)) and compare with their application_outcome",
    ),
    "05.4": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDU3NjB9",
        "train the model loaded from the .keras file, not a new one: its count goes on from the 30 "
        "saved epochs, and every epoch adds one step per batch of 10 of the 1,800 rows that "
        "validation_split=0.1 leaves for training",
    ),
    # Chapter 6, MNIST basics
    "06.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDI1NDUwfQ==",
        "each of the 32 neurons has 784 weights and a bias; each of the 10 outputs has 32 weights "
        "and a bias (or build the model and call count_params())",
    ),
    "06.2": Exercise(
        "numbers",
        "eyJ2YWx1ZSI6IFswLjYsIDAuOV0sICJyZWwiOiAwLjAxfQ==",
        "count TP, FP and FN with 'poisonous' as the positive class; precision = TP / (TP + FP), "
        "recall = TP / (TP + FN); answer [precision, recall] in that order",
    ),
    "06.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuOTEsICJsb3ciOiAwLjg4LCAiaGlnaCI6IDAuOTR9",
        "compile build_model() with optimizer='adam', fit 5 epochs with batch_size=100 and "
        "validation_data=(x_val, y_val), and read history.history['val_accuracy'][-1]",
    ),
    # Chapter 7, MNIST with a hidden layer: 98 % and faster training
    "07.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDI2OTMyMn0=",
        "Flatten has no parameters; each Dense layer has (inputs + 1) x units: 784 -> 256, "
        "256 -> 256, 256 -> 10",
    ),
    "07.2": Exercise(
        "integers",
        "eyJ2YWx1ZSI6IFsxODc1LCA0NjksIDExOCwgMzBdfQ==",
        "60,000 / batch size, rounded up (a smaller last batch is one more update); answer in the "
        "order 32, 128, 512, 2048",
    ),
    "07.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuOTU1NSwgImxvdyI6IDAuOTQ1LCAiaGlnaCI6IDAuOTY2fQ==",
        "fit build_model() (adam, its default learning rate) on all of x_train with "
        "batch_size=2048 and epochs=5; answer the accuracy of evaluate(x_test, y_test), a "
        "fraction between 0 and 1",
    ),
    # Chapter 8, explaining predictions with SHAP
    "08.1": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuMCwgImxvdyI6IC0wLjAwMSwgImhpZ2giOiAwLjAwMX0=",
        "use Xt_train[Xt_train[:, sex_col] == 0][:100] as the background; what can revealing a "
        "feature change when every background passenger already has her value?",
    ),
    "08.2": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDMyOTguNjgsICJyZWwiOiAwLjAwMX0=",
        "fit LinearRegression on Xh_train and the training prices; the SHAP value is the "
        "basement's coefficient times (the house's basement - the background's mean basement)",
    ),
    "08.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuMiwgImxvdyI6IDAuMTIsICJoaWdoIjogMC4zMn0=",
        "change only the Sex_male column of a copy of her row, then ask the forest's "
        "predict_proba for the probability of class 1 (survived)",
    ),
    "08.4": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDQ2MTAwMC4wLCAibG93IjogMzAwMDAwLjAsICJoaWdoIjogNjUwMDAwLjB9",
        "explain_prediction(house_model, the row of house Id 524 in Xh, background_h, "
        "house_features, task='regression'), then add up its .values (or subtract its "
        ".base_value from its .prediction)",
    ),
}


class _WrongKind(Exception):
    """The answer is not of the kind the exercise takes; the message says what was expected."""


def _describe(answer: Any) -> str:
    """The answer's type and a short one-line glimpse of it (its shape, for an array or table)."""
    if hasattr(answer, "shape"):
        return f"{type(answer).__name__} of shape {tuple(answer.shape)}"
    text = " ".join(repr(answer).split())
    return f"{type(answer).__name__} {text[:40]}{'...' if len(text) > 40 else ''}"


def _is_bool(answer: Any) -> bool:
    return isinstance(answer, (bool, np.bool_))


def _single(answer: Any) -> Any:
    """A NumPy array, a tensor or a Keras variable (``optimizer.iterations``) holding exactly one
    value, as that value; anything else as it is."""
    if not isinstance(answer, (np.ndarray, str, bytes)) and hasattr(answer, "__array__"):
        try:
            answer = np.asarray(answer)
        except (TypeError, ValueError, RuntimeError):  # not convertible after all: left as it is
            return answer
    if isinstance(answer, np.ndarray) and answer.size == 1:
        return answer.reshape(()).item()
    return answer


def _real(answer: Any) -> float:
    """``answer`` as a finite float: a Python or NumPy number, or an array holding exactly one."""
    answer = _single(answer)
    if _is_bool(answer) or not isinstance(answer, numbers.Real):
        raise _WrongKind(f"expected a number, got {_describe(answer)}")
    try:
        value = float(answer)
    except OverflowError:
        raise _WrongKind(
            f"the number is too large to be the answer ({str(answer)[:20]}... has {len(str(answer))} digits)"
        ) from None
    if math.isnan(value):
        raise _WrongKind(
            "the answer is NaN (not a number): a computation went wrong, for example a division 0 / 0"
        )
    if math.isinf(value):
        raise _WrongKind("the answer is infinite: a computation overflowed or divided by 0")
    return value


def _whole(answer: Any) -> int:
    answer = _single(answer)
    if _is_bool(answer) or not isinstance(answer, numbers.Integral):
        raise _WrongKind(f"expected a whole number (int), got {_describe(answer)}")
    return int(answer)


def _sequence(answer: Any, length: int, element) -> list:
    """A flat list or tuple, or a 1-D array or Series, of ``length`` elements, each converted by ``element``."""
    if hasattr(answer, "to_numpy"):  # a pandas Series or DataFrame
        answer = answer.to_numpy()
    elif not isinstance(answer, (list, tuple, np.ndarray)) and hasattr(answer, "__array__"):
        answer = np.asarray(answer)  # a tensor
    if isinstance(answer, np.ndarray):
        if answer.ndim != 1:
            raise _WrongKind(
                f"expected a flat list of {length} values, got an array of shape {tuple(answer.shape)}"
            )
        answer = answer.tolist()
    if not isinstance(answer, (list, tuple)):
        raise _WrongKind(f"expected a list of {length} values, got {_describe(answer)}")
    if len(answer) != length:
        raise _WrongKind(f"expected a list of {length} values, got {len(answer)}")
    return [element(item) for item in answer]


def _is_right(exercise: Exercise, answer: Any) -> bool:
    """Whether ``answer`` is right for ``exercise``; _WrongKind if it is not even the right kind."""
    expected = decode_answer(exercise.answer)
    value = expected["value"]
    if exercise.kind == "boolean":
        if not _is_bool(_single(answer)):
            raise _WrongKind(f"expected True or False, got {_describe(answer)}")
        return bool(_single(answer)) == value
    if exercise.kind == "integer":
        return _whole(answer) == value
    if exercise.kind == "integers":
        return _sequence(answer, len(value), _whole) == value
    if exercise.kind == "text":
        if not isinstance(answer, str):
            raise _WrongKind(f"expected text (str), got {_describe(answer)}")
        return " ".join(answer.lower().split()) == " ".join(str(value).lower().split())
    if exercise.kind in ("number", "numbers"):
        given = (
            [_real(answer)] if exercise.kind == "number" else _sequence(answer, len(value), _real)
        )
        wanted = [value] if exercise.kind == "number" else value
        if "low" in expected:
            return all(expected["low"] <= g <= expected["high"] for g in given)
        return all(
            math.isclose(g, w, rel_tol=expected["rel"], abs_tol=1e-12)
            for g, w in zip(given, wanted)
        )
    raise ValueError(f"exercise kind must be one of {KINDS}; got {exercise.kind!r}")


def _exercise(exercise_id: str) -> Exercise:
    try:
        return EXERCISES[exercise_id]
    except KeyError:
        known = ", ".join(sorted(EXERCISES)) or "none"
        raise KeyError(
            f"unknown exercise {exercise_id!r}; the registered ones are: {known}"
        ) from None


def is_right(exercise_id: str, answer: Any) -> bool:
    """Whether ``answer`` is right for exercise ``exercise_id``, silently (False for the wrong kind)."""
    try:
        return _is_right(_exercise(exercise_id), answer)
    except _WrongKind:
        return False


def check(exercise_id: str, answer: Any) -> None:
    """Say in one line whether ``answer`` is right for exercise ``exercise_id``; if not, give a hint.

    The right answer is never shown.

    >>> check("02.1", 40)
    Exercise 02.1: not yet. Hint: each of the 4 units has one weight per input and one bias: units x (inputs + 1)
    >>> check("02.1", None)
    Exercise 02.1: no answer yet: replace None with your answer, then run the cell again.
    """
    exercise = _exercise(exercise_id)
    if answer is None:
        print(
            f"Exercise {exercise_id}: no answer yet: replace None with your answer, then run the cell again."
        )
        return
    try:
        right = _is_right(exercise, answer)
    except _WrongKind as error:
        print(f"Exercise {exercise_id}: not the kind of answer expected: {error}.")
        return
    if right:
        print(f"Exercise {exercise_id}: correct, well done.")
    else:
        print(f"Exercise {exercise_id}: not yet. Hint: {exercise.hint}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Encode an exercise's right answer for EXERCISES (for authors)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    encode = sub.add_parser("encode", help="print the payload of a right answer")
    encode.add_argument("value", help='a JSON value: 0.754, 44, true, [0.6, 0.9] or "text"')
    encode.add_argument("--rel", type=float, help="relative tolerance of a number (at least 1e-4)")
    encode.add_argument(
        "--range", type=float, nargs=2, metavar=("LOW", "HIGH"), help="accepted range of a number"
    )
    args = parser.parse_args(argv)
    try:
        value = json.loads(args.value)
        low, high = args.range or (None, None)
        print(encode_answer(value, rel=args.rel, low=low, high=high))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
