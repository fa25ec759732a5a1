"""Chapter 3's exercises: the tempting answers of the value exercises, exercise 03.2's grader on
right, wrong, empty and malformed answers, and 03.4's on made-up histories.

03.2's grader trains two networks (the student's and the chapter's unregularised one) on each
half of the breast cancer data, cut by the grading seed; it keeps the unregularised network's loss
for a seed and a number of epochs, so that the tests below train it once.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import check, is_right, verdict
from helpers.exercises.chapter03 import (
    BOOK_START_FROM_EPOCH,
    EXERCISES,
    MAX_RATIO,
    PATIENCE,
    made_up_histories,
)

keras = pytest.importorskip("keras")


def said(capsys) -> str:
    out = capsys.readouterr().out
    assert out.count("\n") == 1, f"check() must print one line, printed: {out!r}"
    return out


@pytest.mark.parametrize(
    "exercise_id", sorted(e for e, x in EXERCISES.items() if x.tempting and x.kind != "build")
)
def test_each_tempting_value_is_refused_by_check_with_a_hint(exercise_id, capsys):
    for wrong, why in EXERCISES[exercise_id].tempting:
        assert not is_right(exercise_id, wrong), (wrong, why)
        check(exercise_id, wrong)
        assert said(capsys).startswith(f"Exercise {exercise_id}: not yet. Hint: "), why


def test_the_sizing_exercise_takes_the_count_and_refuses_the_slips():
    assert is_right("03.1", 161) and is_right("03.1", 161.0)
    tempting = dict((value, why) for value, why in EXERCISES["03.1"].tempting)
    assert set(tempting) == {148, 133, 142}  # biases forgotten, rounded down, without the +1


def test_the_sizing_exercises_variants_change_the_count_and_round_as_by_hand():
    """Each variant's table has another count, never a tempting one, and sizes that rounding
    half up by hand gives too (Python's round() takes 8.5 to 8, a slip the task does not test)."""
    for n in EXERCISES["03.1"].variants["TABLE_FEATURES"]:
        sizes = [round((n + 1) / 2), round((n + 1) / 4)]
        assert sizes == [int((n + 1) / 2 + 0.5), int((n + 1) / 4 + 0.5)], n
        units_1, units_2 = sizes
        count = (n + 1) * units_1 + (units_1 + 1) * units_2 + units_2 + 1
        assert count not in {161, 148, 133, 142}, n


def big(n_features, *, dropout=0.0, l2=0.0, compiled=True, learning_rate=0.003):
    """The chapter's big network, with the regularisers asked for."""
    penalty = keras.regularizers.L2(l2) if l2 else None
    stack = [keras.Input(shape=(n_features,))]
    for _ in range(2):
        stack.append(keras.layers.Dense(128, activation="relu", kernel_regularizer=penalty))
        if dropout:
            stack.append(keras.layers.Dropout(dropout))
    stack.append(keras.layers.Dense(1, activation="sigmoid"))
    model = keras.Sequential(stack)
    if compiled:
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
            loss="binary_crossentropy",
        )
    return model


def book_solution(n_features):
    """The chapter's worked solution: an L2 penalty of 0.01, and early stopping."""
    stop = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)
    return big(n_features, l2=0.01), [stop]


def test_the_books_solution_passes_with_what_was_measured(capsys):
    check("03.2", book_solution)
    out = said(capsys)
    assert out.startswith("Exercise 03.2: correct: held-out loss 0.0"), out
    assert "for the chapter's unregularised 30-128-128-1 network" in out
    assert "; each trained on one half of the 569 tumours, cut by seed 0, and measured on" in out
    assert exercises.RESULTS["03.2"].value <= MAX_RATIO


def test_the_unregularised_network_is_refused_as_no_better_than_itself(capsys):
    (unregularised, why), *_ = EXERCISES["03.2"].tempting
    check("03.2", unregularised)
    out = said(capsys)
    assert out.startswith("Exercise 03.2: not yet: held-out loss 0."), out
    assert re.search(r"; (0\.99|1\.00|1\.01) of it \(at most 0\.9 of it needed\)", out), out
    assert "Hint: your network has no regulariser: add dropout" in out
    assert exercises.RESULTS["03.2"].value == pytest.approx(1, abs=0.02), why


def test_an_under_trained_network_fails_with_its_loss_and_advice():
    found = verdict("03.2", lambda n: big(n, dropout=0.5, learning_rate=1e-5))
    assert not found.right and found.value > 1, found
    assert found.measured.startswith("held-out loss 0.")
    assert "learns too little" in found.advice


def test_a_function_that_returns_the_same_model_twice_is_refused():
    model = big(30)
    found = verdict("03.2", lambda n: model, task={"EPOCHS": 1})
    assert (
        not found.right and found.measured == "build_regularised(30) returned the same model twice"
    )


def test_early_stopping_callbacks_are_used_and_a_variant_sets_the_epochs():
    def stopped(n_features):
        stop = keras.callbacks.EarlyStopping(patience=1, restore_best_weights=True)
        return big(n_features), [stop]

    found = verdict("03.2", stopped, task={"EPOCHS": 12})
    assert "(stopped early)" in found.measured and "network after 12 epochs" in found.measured


@pytest.mark.parametrize(
    ("answer", "start"),
    [
        (None, "Exercise 03.2: no answer yet: replace None with your function"),
        (
            lambda n: big(n, compiled=False),
            "Exercise 03.2: not yet: build_regularised(30) returned a model that is not compiled."
            " Hint: call model.compile(",
        ),
        (
            lambda n: big(n + 1),
            "Exercise 03.2: not yet: build_regularised(30) returned a model that takes (None, 31)"
            " and gives (None, 1). Hint: start with keras.Input(shape=(n_features,))",
        ),
        (
            lambda n: "a model",
            "Exercise 03.2: not yet: build_regularised(30) returned str, not a Keras model",
        ),
        (
            lambda n: (big(n), "early stopping"),
            "Exercise 03.2: not yet: build_regularised(30) returned callbacks that are not Keras",
        ),
        (
            lambda: big(30),
            "Exercise 03.2: not yet: build_regularised(30) raised TypeError",
        ),
        ("model", "Exercise 03.2: not the kind of answer expected: expected a function"),
    ],
)
def test_empty_and_malformed_answers_say_what_is_wrong_before_any_training(answer, start, capsys):
    if answer == "model":
        answer = big(30)  # the model itself, not a function that builds it
    check("03.2", answer)
    assert said(capsys).startswith(start)


# --- 03.4: the epoch of the lowest validation loss, on made-up histories ------------------------


def _best_epoch(history, start_from_epoch=BOOK_START_FROM_EPOCH):
    after_warm_up = history["val_loss"][start_from_epoch:]
    return start_from_epoch + int(np.argmin(after_warm_up)) + 1


def test_the_right_function_passes_on_every_grading_seed(capsys):
    check("03.4", _best_epoch)
    assert said(capsys).startswith(
        "Exercise 03.4: correct: the right epoch on 6 made-up histories of "
    )
    assert all(verdict("03.4", _best_epoch, seed=seed).right for seed in range(20))


@pytest.mark.parametrize(
    "start", [BOOK_START_FROM_EPOCH, *EXERCISES["03.4"].variants["START_FROM_EPOCH"]]
)
def test_the_made_up_histories_have_a_lowest_point_inside_and_half_end_as_early_stopping_ends(
    start,
):
    for seed in range(20):
        histories = made_up_histories(seed, start)
        for number, history in enumerate(histories):
            best = _best_epoch(history, start)
            assert start + 2 <= best < len(history["val_loss"]) - PATIENCE + 1 or (
                number % 2 and best == len(history["val_loss"]) - PATIENCE
            )
            assert len(set(map(len, history.values()))) == 1
        assert [len(h["val_loss"]) - _best_epoch(h, start) for h in histories][1::2] == [
            PATIENCE
        ] * 3
        # two dip lower still inside the warm-up, which the callback ignores: one at its end
        dips = [int(np.argmin(h["val_loss"])) + 1 for h in histories]
        assert dips[2] == start and 1 <= dips[3] <= start
        assert all(
            dips[n] == _best_epoch(h, start) for n, h in enumerate(histories) if n not in (2, 3)
        )


def test_the_warm_up_matches_keras_early_stopping():
    """The epoch best_epoch names is the one whose weights EarlyStopping(start_from_epoch=...,
    restore_best_weights=True) puts back, on a made-up history with a dip in the warm-up."""
    history = made_up_histories(3, 4)[2]
    stop = keras.callbacks.EarlyStopping(
        patience=PATIENCE, restore_best_weights=True, start_from_epoch=4
    )
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    stop.set_model(model)
    stop.on_train_begin()
    for epoch, loss in enumerate(history["val_loss"]):
        stop.on_epoch_end(epoch, {"val_loss": loss})
    assert stop.best_epoch + 1 == _best_epoch(history, 4) != int(np.argmin(history["val_loss"])) + 1


@pytest.mark.parametrize("start", EXERCISES["03.4"].variants["START_FROM_EPOCH"])
def test_a_graded_variant_judges_by_its_own_warm_up(start):
    """A variant's answer cell sets another START_FROM_EPOCH: the book's function, its default
    bound to the book's warm-up of 2, is refused and told why; written in the variant's answer
    cell, it passes."""
    variant = {"START_FROM_EPOCH": start}
    for seed in (exercises.BOOK_GRADING_SEED, 7, 2026, *range(10)):
        found = verdict("03.4", _best_epoch, task=variant, seed=seed)
        assert not found.right and f"after a warm-up of {start}, best_epoch gave" in found.measured
        assert found.advice.startswith("epoch ") and f"START_FROM_EPOCH = {start} " in found.advice
        in_the_variant = lambda h: _best_epoch(h, start)  # noqa: E731
        assert verdict("03.4", in_the_variant, task=variant, seed=seed).right


@pytest.mark.parametrize(
    ("answer", "advice"),
    [
        (lambda h: int(np.argmin(h["val_loss"])), "epochs count from 1"),
        (lambda h: len(h["val_loss"]), "that is the last epoch trained, where early stopping"),
        # the training loss keeps falling: often lowest at the last epoch, told as such
        (lambda h: int(np.argmin(h["loss"])) + 1, "training loss|last epoch trained"),
        (lambda h: 8, "find the lowest value of"),
        # the warm-up's dip taken for the lowest
        (lambda h: int(np.argmin(h["val_loss"])) + 1, "inside the warm-up"),
        (lambda h: _best_epoch(h, BOOK_START_FROM_EPOCH - 1), "inside the warm-up"),
    ],
)
def test_the_tempting_functions_are_refused_with_what_they_gave(answer, advice):
    found = verdict("03.4", answer)
    assert not found.right and re.search(advice, found.advice), found
    assert re.match(
        r"on a made-up history of \d+ epochs whose validation loss is lowest", found.measured
    )


def test_a_whole_float_counts_and_other_kinds_are_told_what_to_return(capsys):
    assert verdict("03.4", lambda h: float(_best_epoch(h))).right
    found = verdict("03.4", lambda h: np.argmin(h["val_loss"]) + 0.5)
    assert not found.right and found.advice == "return the epoch as a whole number: int(...) + 1"
    check("03.4", None)
    assert said(capsys).startswith("Exercise 03.4: no answer yet")
