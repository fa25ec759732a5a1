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
            raise TypeError(f"expected a list or array of numbers, got {type(answer).__name__}") from None
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
