"""Tests for helpers.training: plot_history on a real Keras History, its layout, values and errors."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from helpers._checks import page_problems
from helpers.training import plot_history

EPOCHS = 3


@pytest.fixture(scope="module")
def history():
    """A real History: a tiny network on the breast-cancer data, 3 epochs, 25 % held out."""
    import keras
    from sklearn.datasets import load_breast_cancer
    from sklearn.preprocessing import StandardScaler

    keras.utils.set_random_seed(0)
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype("float32")
    model = keras.Sequential(
        [
            keras.Input((X.shape[1],)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile("adam", "binary_crossentropy", metrics=["accuracy", "auc"])
    return model.fit(X, y, epochs=EPOCHS, validation_split=0.25, batch_size=64, verbose=0)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def lines_by_axes(fig):
    """{axes index: [(label, x, y), ...]} for every axes of the figure, twins included."""
    return {
        i: [
            (line.get_label(), list(line.get_xdata()), list(line.get_ydata()))
            for line in ax.get_lines()
        ]
        for i, ax in enumerate(fig.axes)
    }


def test_history_has_the_keys_the_tests_expect(history):
    assert sorted(history.history) == [
        "accuracy",
        "auc",
        "loss",
        "val_accuracy",
        "val_auc",
        "val_loss",
    ]
    assert all(len(v) == EPOCHS for v in history.history.values())


def test_two_panels_loss_left_metrics_on_twin_axes(history):
    fig = plot_history(history)
    h = history.history
    # Training axes and validation axes, then each one's twin (created in that order).
    assert [ax.get_title() for ax in fig.axes] == ["Training", "Validation", "", ""]
    lines = lines_by_axes(fig)
    assert [len(lines[i]) for i in range(4)] == [1, 1, 2, 2]
    epochs = [1, 2, 3]
    assert lines[0] == [("loss (left axis)", epochs, h["loss"])]
    assert lines[1] == [("loss (left axis)", epochs, h["val_loss"])]
    assert lines[2] == [
        ("accuracy (right axis)", epochs, h["accuracy"]),
        ("auc (right axis)", epochs, h["auc"]),
    ]
    assert lines[3] == [
        ("accuracy (right axis)", epochs, h["val_accuracy"]),
        ("auc (right axis)", epochs, h["val_auc"]),
    ]


def test_labels_ticks_legend_and_title(history):
    fig = plot_history(history, title="Breast cancer, 3 epochs")
    training, validation, training_twin, validation_twin = fig.axes
    assert fig.get_suptitle() == "Breast cancer, 3 epochs"
    assert training.get_xlabel() == validation.get_xlabel() == "epoch"
    # The shared scales are labelled on the outer sides: loss on the left, metrics on the right.
    assert (training.get_ylabel(), validation_twin.get_ylabel()) == ("loss", "metric value")
    assert validation.get_ylabel() == training_twin.get_ylabel() == ""
    fig.canvas.draw()
    assert any(label.get_text() for label in training.get_yticklabels())
    assert not any(label.get_visible() for label in validation.get_yticklabels())
    assert any(label.get_text() for label in validation_twin.get_yticklabels())
    assert not any(label.get_visible() for label in training_twin.get_yticklabels())
    visible_ticks = [
        t for t in training.get_xticks() if training.get_xlim()[0] <= t <= training.get_xlim()[1]
    ]
    assert visible_ticks == [1, 2, 3]  # integer epochs, starting at 1
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "loss (left axis)",
        "accuracy (right axis)",
        "auc (right axis)",
    ]


def test_panels_share_one_scale_that_covers_both(history):
    h = history.history
    fig = plot_history(history)
    training, validation, training_twin, validation_twin = fig.axes
    assert training.get_ylim() == validation.get_ylim()
    assert training_twin.get_ylim() == validation_twin.get_ylim()
    low, high = training.get_ylim()
    assert low <= min(h["loss"] + h["val_loss"]) and max(h["loss"] + h["val_loss"]) <= high
    low, high = training_twin.get_ylim()
    scores = h["accuracy"] + h["auc"] + h["val_accuracy"] + h["val_auc"]
    assert low <= min(scores) and max(scores) <= high


def test_dict_and_history_give_the_same_figure(history):
    from_history = lines_by_axes(plot_history(history))
    from_dict = lines_by_axes(plot_history(dict(history.history)))
    assert from_history == from_dict


def test_pandas_dataframe_of_the_history_is_accepted(history):
    import pandas as pd

    fig = plot_history(pd.DataFrame(history.history), metrics="accuracy")
    assert lines_by_axes(fig)[2] == [
        ("accuracy (right axis)", [1, 2, 3], history.history["accuracy"])
    ]


def test_metric_selection_and_val_prefix(history):
    fig = plot_history(history, metrics=["val_auc"])  # the val_ prefix is forgiven
    assert [len(ax.get_lines()) for ax in fig.axes] == [1, 1, 1, 1]
    assert fig.axes[3].get_lines()[0].get_ydata().tolist() == history.history["val_auc"]
    assert fig.axes[3].get_ylabel() == "auc"  # one metric names the right axis


def test_loss_only_single_panel(history):
    fig = plot_history(history, metrics=[], validation=False)
    assert len(fig.axes) == 1  # no validation panel and no twin axes
    assert fig.axes[0].get_lines()[0].get_ydata().tolist() == history.history["loss"]


def test_auto_validation_without_val_keys_draws_one_panel():
    fig = plot_history({"loss": [0.9, 0.4], "mae": [0.7, 0.5]})
    assert [ax.get_title() for ax in fig.axes] == ["Training", ""]


def test_single_epoch_is_visible_with_one_tick():
    fig = plot_history({"loss": [0.7], "val_loss": [0.8]})
    assert fig.axes[0].get_xticks().tolist() == [1]
    assert fig.axes[0].get_lines()[0].get_marker() == "o"


def test_learning_rate_is_not_drawn_as_a_metric():
    fig = plot_history({"loss": [0.9, 0.4], "accuracy": [0.5, 0.7], "learning_rate": [1e-3, 5e-4]})
    labels = [line.get_label() for ax in fig.axes for line in ax.get_lines()]
    assert labels == ["loss (left axis)", "accuracy (right axis)"]


# --- errors say what was expected and what arrived --------------------------------------------


def test_not_a_history():
    with pytest.raises(TypeError, match=r"needs a Keras History .* got list"):
        plot_history([0.9, 0.5])


def test_empty_history():
    with pytest.raises(
        ValueError, match=r"needs a history with at least one epoch; got an empty history"
    ):
        plot_history({})


def test_missing_loss_lists_the_keys():
    with pytest.raises(
        ValueError, match=r"needs a 'loss' key .*got keys \['accuracy', 'val_accuracy'\]"
    ):
        plot_history({"accuracy": [0.5], "val_accuracy": [0.6]})


def test_unknown_metric_lists_what_is_available(history):
    with pytest.raises(
        ValueError,
        match=r"unknown metric name\(s\) \['precision'\]; expected names from \['accuracy', 'auc'\]",
    ):
        plot_history(history, metrics=["accuracy", "precision"])


def test_validation_requested_but_not_recorded():
    with pytest.raises(
        ValueError,
        match=r"validation=True\) needs validation values .*got keys \['accuracy', 'loss'\]",
    ):
        plot_history({"loss": [0.9, 0.5], "accuracy": [0.5, 0.7]}, validation=True)


def test_validation_recorded_less_often_than_training():
    history = {"loss": [0.9, 0.5, 0.4, 0.3], "val_loss": [0.6, 0.5]}  # fit(..., validation_freq=2)
    with pytest.raises(
        ValueError, match=r"history\['val_loss'\] has 2 values but history\['loss'\] has 4"
    ):
        plot_history(history)


def test_evaluate_dict_is_not_a_history():
    with pytest.raises(ValueError, match=r"history\['loss'\] has shape \(\).*model.evaluate"):
        plot_history({"loss": 0.31, "accuracy": 0.9})


def test_bad_validation_argument():
    with pytest.raises(ValueError, match=r"needs validation as True, False or 'auto'; got 'yes'"):
        plot_history({"loss": [0.5]}, validation="yes")


@pytest.fixture
def body_text_12pt():
    """The chapters' setting: body text in 12 points."""
    with matplotlib.rc_context({"font.size": 12}):
        yield


def test_default_figure_fits_the_page(body_text_12pt, history):
    assert page_problems(plot_history(history)) == []
    many = dict(history.history)
    for name in ("precision", "recall", "f1"):  # five curves: the legend needs two rows
        many[name], many[f"val_{name}"] = many["accuracy"], many["val_accuracy"]
    fig = plot_history(many, title="The article's recipe: SGD, learning rate 0.01, batch 100")
    assert page_problems(fig) == []
    assert page_problems(plot_history(history, validation=False)) == []
    long = "Training the churn network with the article's settings: 100 epochs, batch size 10, adam"
    fig = plot_history(history, title=long)
    assert page_problems(fig) == []
    assert fig.get_suptitle().replace("\n", " ") == long  # wrapped to the page, words kept


def test_f1score_of_one_output_is_drawn_as_one_curve():
    """keras.metrics.F1Score records shape (1,) per epoch for one output: drawn like any metric."""
    import keras

    keras.utils.set_random_seed(0)
    X = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    y = (X[:, :1] > 0).astype("float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=[keras.metrics.F1Score(threshold=0.5)])
    fitted = model.fit(X, y, epochs=2, validation_split=0.25, verbose=0)
    # Newer Keras records shape (1,) per epoch here (what used to be refused), Keras 3.7 a scalar.
    assert np.shape(fitted.history["f1_score"][0]) in {(), (1,)}

    fig = plot_history(fitted)
    twin = fig.axes[-1]
    assert [line.get_label() for line in twin.lines] == ["f1_score (right axis)"]
    np.testing.assert_allclose(twin.lines[0].get_ydata(), np.ravel(fitted.history["val_f1_score"]))


def test_one_value_arrays_per_epoch_are_a_curve():
    history = {"loss": [0.9, 0.5], "f1_score": [np.array([0.6]), np.array([0.8])]}
    fig = plot_history(history)
    np.testing.assert_allclose(fig.axes[-1].lines[0].get_ydata(), [0.6, 0.8])


def test_per_class_metric_is_left_out_unless_asked_for():
    three_classes = [np.array([0.2, 0.5, 0.9]), np.array([0.3, 0.6, 0.9])]
    history = {"loss": [0.9, 0.5], "accuracy": [0.6, 0.8], "f1_score": three_classes}
    fig = plot_history(history)
    assert [line.get_label() for line in fig.axes[-1].lines] == ["accuracy (right axis)"]
    with pytest.raises(ValueError, match=r"'f1_score'\] holds 3 values per epoch.*average='macro'"):
        plot_history(history, metrics="f1_score")


def test_a_nan_loss_is_a_shaded_gap_with_a_word_not_a_silent_one(body_text_12pt):
    """A diverged training records NaN: the curve stops, and the figure and a warning say why."""
    import keras

    keras.utils.set_random_seed(0)
    x = np.linspace(-1, 1, 64, dtype="float32").reshape(-1, 1)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(learning_rate=1e12), "mse")  # diverges at once
    history = model.fit(x, x * 1e6, epochs=4, batch_size=64, verbose=0).history
    assert np.isfinite(history["loss"][0]) and not np.isfinite(history["loss"][-1])
    with pytest.warns(UserWarning, match=r"^plot_history\(\): history\['loss'\] is (NaN|infinite)"):
        fig = plot_history(history)
    ax = fig.axes[0]
    shaded = [patch for patch in ax.patches if patch.get_label() == "no value (NaN): diverged?"]
    # axvspan draws a Rectangle from Matplotlib 3.9 on, a Polygon before: read its corners.
    corners = (
        shaded[0].get_patch_transform().transform(shaded[0].get_path().vertices) if shaded else []
    )
    assert shaded and min(x for x, _ in corners) == pytest.approx(
        np.flatnonzero(~np.isfinite(history["loss"]))[0] + 0.5
    )
    legend = [text.get_text() for text in fig.legends[0].get_texts()]
    assert legend == ["loss", "no value (NaN): diverged?"]
    assert page_problems(fig) == []


def test_the_gap_names_each_key_and_its_epochs():
    history = {
        "loss": [0.9, 0.5, np.nan, np.nan, np.nan],
        "accuracy": [0.6, 0.8, 0.5, 0.5, 0.5],
        "val_loss": [0.8, np.inf, 0.6, np.nan, 0.6],
        "val_accuracy": [0.6, 0.7, 0.5, 0.5, 0.5],
    }
    with pytest.warns(UserWarning) as warned:
        plot_history(history)
    assert str(warned[0].message) == (
        "plot_history(): history['loss'] is NaN at epochs 3-5; history['val_loss'] is NaN or "
        "infinite at epochs 2 and 4: the curves have no point there (training diverged? try a "
        "smaller learning rate, or scaled inputs)"
    )


def test_a_finite_history_draws_no_gap(history, recwarn):
    fig = plot_history(history)
    assert not [w for w in recwarn if "plot_history" in str(w.message)]
    assert not any(ax.patches for ax in fig.axes)
