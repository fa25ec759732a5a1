"""What the graders share whose answer is a function that builds a Keras model (chapters 3, 7 and
9): refuse the model given instead of the function, and build the student's model, seeded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers._checks import is_keras_model
from helpers.exercises._core import AnswerKindError, Verdict, call_answer, expect_callable


def expect_builder(answer: Any, what: str, model_given: str) -> Callable:
    """``answer`` if it is a function; an AnswerKindError if it is not, or if it is a Keras model
    (callable too, but not what the task asks for): ``model_given`` is then the message, saying
    what to give instead ("expected a function downsample() that returns a new model, got the
    model itself: ...")."""
    if is_keras_model(answer):
        raise AnswerKindError(model_given)
    return expect_callable(answer, what)


def build_answer(
    answer: Any, what: str, *args: Any, seed: int, model_given: str, returns: str
) -> Any:
    """The student's model: ``answer(*args)``, called (as ``what``, e.g. ``"downsample()"``) after
    seeding Keras with ``seed``; or a Verdict saying it returned something else than a Keras model
    (``returns`` says what it should return: "the compiled keras.Sequential").

    Before that, :func:`expect_builder` refuses an answer that is not a function, or is a model
    (``model_given``); an error the call raises is an AnswerError naming ``what``."""
    function = expect_builder(answer, what, model_given)
    import keras

    keras.utils.set_random_seed(seed)
    model = call_answer(function, *args, what=what)
    if is_keras_model(model):
        return model
    name = what.split("(")[0]
    return Verdict(
        False,
        f"{name}() returned {type(model).__name__}, not a Keras model",
        f"end {name}() with `return model`, {returns}",
    )
