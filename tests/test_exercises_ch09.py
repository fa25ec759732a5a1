"""Chapter 9's exercises: the count, and the graders of 09.2 and 09.3 on right, wrong, empty and
tempting answers."""

from __future__ import annotations

import pytest

from helpers import exercises
from helpers.exercises import chapter09, check, is_right, verdict

keras = pytest.importorskip("keras")


def said(capsys) -> str:
    out = capsys.readouterr().out
    assert out.count("\n") == 1, f"check() must print one line, printed: {out!r}"
    return out


def test_the_counting_exercise_takes_the_right_value_and_refuses_the_tempting_ones():
    assert is_right("09.1", 3 * 3 * 32 * 64 + 64) and is_right("09.1", 18_496.0)
    assert not is_right("09.1", 3 * 3 * 32 * 64)  # the biases forgotten


def _stack(*settings, filters=8):
    """A downsample() answer: one Conv2D per (kernel, strides, padding), or a layer given as is."""

    def downsample():
        layers = [keras.Input(shape=(28, 28, 1))]
        for setting in settings:
            if isinstance(setting, tuple):
                kernel, strides, padding = setting
                setting = keras.layers.Conv2D(filters, kernel, strides=strides, padding=padding)
            layers.append(setting)
        return keras.Sequential(layers)

    return downsample


SAME_2 = (3, 2, "same")


def test_two_strided_same_padded_layers_give_7x7_and_the_grader_says_what_it_ran(capsys):
    check("09.2", _stack(SAME_2, SAME_2))
    assert said(capsys) == (
        "Exercise 09.2: correct: 2 Conv2D layers (strides (2, 2), padding 'same'; strides (2, 2), "
        "padding 'same') turn 4 digits of 28x28x1 into 7x7x8 feature maps.\n"
    )
    assert verdict("09.2", _stack(SAME_2, SAME_2, filters=16), task={"FILTERS": 16}).right


@pytest.mark.parametrize(
    ("settings", "measured"),
    [  # the answers a student is tempted to give, each refused with what was found
        (((3, 2, "valid"), (3, 2, "valid")), "into 6x6x8 feature maps (expected 7x7x8)"),
        (((3, 4, "same"),), "moves (4, 4) pixels at a time with a 3x3 filter"),
        ((SAME_2, "pool"), "the model has MaxPooling2D layers besides Conv2D"),
        (((3, 1, "same"), "pool", "pool"), "the model has MaxPooling2D, MaxPooling2D layers"),
        (((5, 2, "same"), SAME_2), "Conv2D layer 1 has (5, 5) filters"),
        ((SAME_2,), "into 14x14x8 feature maps (expected 7x7x8)"),
    ],
)
def test_the_tempting_stacks_are_refused_with_what_was_measured(settings, measured):
    settings = tuple(keras.layers.MaxPooling2D(2) if s == "pool" else s for s in settings)
    found = verdict("09.2", _stack(*settings))
    assert not found.right and measured in found.measured, found


def test_the_channels_come_from_the_variants_number_of_filters():
    found = verdict("09.2", _stack(SAME_2, SAME_2), task={"FILTERS": 16})
    assert not found.right and found.measured.endswith("into 7x7x8 feature maps (expected 7x7x16)")


@pytest.mark.parametrize(
    ("answer", "said_start"),
    [
        (None, "Exercise 09.2: no answer yet: "),
        (
            lambda: [keras.layers.Conv2D(8, 3)],
            "Exercise 09.2: not yet: downsample() returned list, not a Keras model",
        ),
        (
            _stack(),
            "Exercise 09.2: not yet: the model has no layers besides Conv2D",
        ),
    ],
)
def test_an_empty_or_wrong_kind_of_downsampler_is_told_what_to_give(answer, said_start, capsys):
    check("09.2", answer)
    assert said(capsys).startswith(said_start)


def test_the_model_itself_instead_of_the_function_is_refused_by_kind(capsys):
    check("09.2", _stack(SAME_2, SAME_2)())
    assert "expected a function downsample() that returns a new model" in said(capsys)


def _cnn(filters=(16, 32), compiled=True, dense_units=0):
    layers = [keras.Input(shape=(28, 28, 1))]
    for count in filters:
        layers += [keras.layers.Conv2D(count, 5, activation="relu"), keras.layers.MaxPooling2D(2)]
    layers.append(keras.layers.Flatten())
    if dense_units:
        layers.append(keras.layers.Dense(dense_units, activation="relu"))
    layers.append(keras.layers.Dense(10, activation="softmax"))
    model = keras.Sequential(layers)
    if compiled:
        model.compile(
            loss="categorical_crossentropy",
            optimizer=keras.optimizers.Adam(learning_rate=0.003),
            metrics=["accuracy"],
        )
    return model


def test_the_chapters_network_passes_with_what_the_grader_measured(capsys):
    check("09.3", _cnn)
    out = said(capsys)
    assert out.startswith("Exercise 09.3: correct: 18,378 parameters; accuracy 0.9"), out
    assert "on 10,000 digits the chapter never uses" in out
    assert exercises.RESULTS["09.3"].value >= chapter09.PASS_ACCURACY


def test_a_dense_network_within_the_budget_does_not_reach_the_bar(capsys):
    def build_dense():
        model = _cnn(filters=(), dense_units=24)  # 784 x 24 + 24 + 250 = 19,090 parameters
        return model

    found = verdict("09.3", build_dense)
    assert not found.right and found.value < chapter09.PASS_ACCURACY, found
    assert "19,090 parameters" in found.measured
    assert f"at least {chapter09.PASS_ACCURACY} needed" in found.measured


def test_a_model_over_the_budget_is_refused_before_any_training():
    found = verdict("09.3", lambda: _cnn(filters=(32, 64)))  # 832 + 51,264 + 10,250
    assert not found.right
    assert found.measured == "the model has 62,346 parameters, over the budget of 20,000"
    smaller_budget = verdict("09.3", _cnn, task={"MAX_PARAMS": 10_000})  # a variant's budget
    assert smaller_budget.measured == ("the model has 18,378 parameters, over the budget of 10,000")
    assert "10,000 here, the answer cell's MAX_PARAMS" in smaller_budget.advice


def test_a_variants_smaller_budget_is_met_by_fewer_filters_and_still_reaches_the_bar():
    """The worked solution under the smallest budget a variant draws: 16 filters in the second
    convolution, 9,402 parameters, still over the bar."""
    smallest = min(chapter09.EXERCISES["09.3"].variants["MAX_PARAMS"])
    found = verdict("09.3", lambda: _cnn(filters=(16, 16)), task={"MAX_PARAMS": smallest})
    assert found.right and found.measured.startswith("9,402 parameters; accuracy 0.9"), found


@pytest.mark.parametrize(
    ("answer", "start"),
    [
        (None, "Exercise 09.3: no answer yet: replace None with your function"),
        (_cnn, None),  # placeholder, replaced below: the model itself instead of the function
        (lambda: "a model", "Exercise 09.3: not yet: build_small_cnn() returned str, not a Keras"),
        (
            lambda: _cnn(compiled=False),
            "Exercise 09.3: not yet: the model is not compiled. Hint: call model.compile(",
        ),
    ],
)
def test_empty_and_malformed_answers_say_what_is_wrong(answer, start, capsys):
    if start is None:
        answer = _cnn()  # a model, not a function that builds one
        start = "Exercise 09.3: not the kind of answer expected: expected a function"
    check("09.3", answer)
    assert said(capsys).startswith(start)


def test_a_model_of_the_wrong_shape_and_broken_code_are_one_line(capsys):
    def wrong_input():
        model = keras.Sequential(
            [keras.Input(shape=(784,)), keras.layers.Dense(10, activation="softmax")]
        )
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        return model

    check("09.3", wrong_input)
    assert said(capsys).startswith(
        "Exercise 09.3: not yet: the model takes (None, 784) and gives (None, 10)"
    )

    def broken():
        raise ValueError("no such layer")

    check("09.3", broken)
    assert said(capsys).startswith(
        "Exercise 09.3: not yet: build_small_cnn() raised ValueError: no such layer"
    )
