"""Exercise 06.4, a recipe with three planted faults: the grader trains the student's model on
digits it draws itself and names each fault still there, not only whether the accuracy is high."""

from pathlib import Path

import keras
import nbformat
import pytest

from helpers import exercises
from helpers.exercises import check, verdict

CHAPTER = Path(__file__).resolve().parent.parent / "notebooks" / "06-mnist-basics.ipynb"
FAULTS = {
    "scaling": "unscaled pixels",
    "loss": "a loss that does not fit one-hot labels",
    "outputs": "outputs that are not probabilities",
}
FEW = 50  # updates enough to name the faults: the grader finds them in the model itself


def recipe(*, scaled=True, loss="categorical_crossentropy", output="softmax", max_pixel=255):
    """The chapter's recipe, each of its three faults fixed or left in."""

    def build_digit_model(max_pixel=max_pixel):
        layers = [keras.Input(shape=(784,))]
        if scaled:
            layers.append(keras.layers.Rescaling(1 / max_pixel))
        layers += [
            keras.layers.Dense(10, activation="sigmoid"),
            keras.layers.Dense(10, activation=output),
        ]
        model = keras.Sequential(layers)
        model.compile(
            loss=loss, optimizer=keras.optimizers.SGD(learning_rate=0.5), metrics=["accuracy"]
        )
        return model

    return build_digit_model


def named(found) -> set[str]:
    return {name for name, words in FAULTS.items() if words in found.measured}


def planted_recipe():
    """The faulty build_digit_model() of the chapter's answer cell, as the student finds it."""
    nb = nbformat.read(CHAPTER, as_version=4)
    (cell,) = [c for c in nb.cells if c.get("id") == "exercise-4-answer"]
    namespace = {"keras": keras, "check": lambda *args: None}
    exec(cell.source, namespace)
    return namespace["build_digit_model"]


def test_the_right_recipe_passes_and_says_what_was_measured(capsys):
    check("06.4", recipe())
    out = capsys.readouterr().out
    assert out.startswith("Exercise 06.4: correct: test accuracy 0.")
    assert "on 2,000 test digits drawn by seed 0, after 300 updates" in out
    assert "none of the three faults left" in out
    assert exercises.RESULTS["06.4"].value >= 0.8


def test_the_chapters_planted_recipe_has_all_three_faults_named():
    found = verdict("06.4", planted_recipe(), task={"UPDATES": FEW})
    assert not found.right and named(found) == set(FAULTS), found
    assert "Rescaling(1 / max_pixel)" in found.advice and "softmax" in found.advice
    assert "255 here" in found.advice


@pytest.mark.parametrize(
    ("left", "options"),
    [
        ("scaling", {"scaled": False}),
        ("loss", {"loss": "binary_crossentropy"}),
        ("loss", {"loss": "sparse_categorical_crossentropy"}),  # fit raises: still named
        ("outputs", {"output": "sigmoid"}),
    ],
)
def test_each_fault_left_alone_is_named_and_only_it(left, options):
    found = verdict("06.4", recipe(**options), task={"UPDATES": FEW})
    assert not found.right and named(found) == {left}, found


def test_the_tempting_answer_scaled_and_the_right_loss_but_no_softmax_is_refused():
    """Sigmoid outputs train as well (Keras divides them by their sum in the loss), so the
    accuracy alone would pass it: the grader looks at the outputs themselves."""
    found = verdict("06.4", recipe(output="sigmoid"), task={"UPDATES": 200})
    assert found.value >= 0.8 and not found.right and named(found) == {"outputs"}


def test_no_answer_or_not_a_function_or_not_compiled_says_so(capsys):
    check("06.4", None)
    assert "no answer yet: replace None with your function" in capsys.readouterr().out
    check("06.4", recipe()())  # the model, not the function
    assert "expected a function build_digit_model()" in capsys.readouterr().out

    def uncompiled():
        return keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(10)])

    check("06.4", uncompiled)
    assert "not compiled: call model.compile" in capsys.readouterr().out


def test_the_grader_takes_its_variant_and_the_book_states_it_once():
    registered = exercises.EXERCISES["06.4"]
    assert set(registered.variants) == {"UPDATES", "MAX_PIXEL"} and registered.time_limit <= 60
    nb = nbformat.read(CHAPTER, as_version=4)
    (task,) = [c for c in nb.cells if c.get("id") == "exercise-4"]
    assert task.source.count("300") == 1 and task.source.count("255") == 1


def test_a_variants_larger_pixels_pass_the_recipe_scaled_by_its_max_pixel():
    """A variant's 12-bit scans (0 to 4,095): Rescaling(1 / max_pixel) with the variant's
    MAX_PIXEL trains as the book's does."""
    found = verdict("06.4", recipe(max_pixel=4_095), task={"UPDATES": 300, "MAX_PIXEL": 4_095})
    assert found.right and "none of the three faults left" in found.measured, found


@pytest.mark.parametrize(("max_pixel", "largest"), [(4_095, "16"), (65_535, "257")])
def test_a_variants_larger_pixels_refuse_the_books_rescaling_by_1_255(max_pixel, largest):
    """The book's published function (MAX_PIXEL 255 bound), pasted into a variant of larger
    pixels, leaves them unscaled: that fault alone is named, with the variant's MAX_PIXEL."""
    found = verdict("06.4", recipe(), task={"UPDATES": FEW, "MAX_PIXEL": max_pixel})
    assert not found.right and named(found) == {"scaling"}, found
    assert f"unscaled pixels (up to {largest} at the first Dense layer)" in found.measured
    assert f"{max_pixel:,} here" in found.advice, found.advice
