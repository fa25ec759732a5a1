"""helpers.explain: SHAP values add up for Keras, forest and linear models; figures; clear errors."""

from __future__ import annotations

import re
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")  # no display needed

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers._checks import page_problems
from helpers.explain import (
    NEGATIVE_COLOR,
    OTHER_COLOR,
    POSITIVE_COLOR,
    ShapExplanation,
    explain_prediction,
    plot_shap_summary,
)

# The SHAP values must add up to prediction − base value. Every explainer used here does so to
# rounding error (measured: below 1e-13 relative); the tolerance is relative to the prediction.
ADDITIVITY = 1e-6

KERNEL = "shap.KernelExplainer (exact Shapley values)"
TREE = "shap.TreeExplainer (path-dependent TreeSHAP)"
LINEAR = "shap.LinearExplainer (exact for a linear model)"


def dense_16_8_1(X_train: np.ndarray, activation: str):
    """The book's small tabular network, with the feature scaling inside the model."""
    import keras

    normalize = keras.layers.Normalization()
    normalize.adapt(X_train)
    return keras.Sequential(
        [
            keras.Input((X_train.shape[1],)),
            normalize,
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(1, activation=activation),
        ]
    )


@pytest.fixture(scope="module")
def cancer():
    """Breast cancer diagnosis (1 = benign) from 8 features: Keras, a forest, a logistic regression."""
    import keras
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    keras.utils.set_random_seed(0)
    data = load_breast_cancer()
    X, y = data.data[:, :8], data.target
    X_train, y_train = X[:400], y[:400]
    network = dense_16_8_1(X_train, "sigmoid")
    network.compile(optimizer="adam", loss="binary_crossentropy", jit_compile=False)
    network.fit(X_train, y_train, epochs=5, batch_size=32, verbose=0)
    return SimpleNamespace(
        task="classification",
        names=[str(name) for name in data.feature_names[:8]],
        background=X_train[:100],
        X_test=X[400:],
        models={
            "keras": network,
            "forest": RandomForestClassifier(n_estimators=30, random_state=0).fit(X_train, y_train),
            "linear": make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train),
        },
        explainers={
            "keras": KERNEL,
            "forest": TREE,
            "linear": KERNEL,
        },  # a probability is not linear
    )


@pytest.fixture(scope="module")
def diabetes():
    """Disease progression (in hundreds) from 10 features: Keras, a forest, a linear regression."""
    import keras
    from sklearn.datasets import load_diabetes
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.linear_model import LinearRegression

    keras.utils.set_random_seed(0)
    data = load_diabetes()
    X, y = data.data, data.target / 100
    X_train, y_train = X[:350], y[:350]
    network = dense_16_8_1(X_train, "linear")
    network.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", jit_compile=False)
    network.fit(X_train, y_train, epochs=5, batch_size=32, verbose=0)
    return SimpleNamespace(
        task="regression",
        names=list(data.feature_names),
        background=X_train[:100],
        X_test=X[350:],
        models={
            "keras": network,
            "forest": RandomForestRegressor(n_estimators=30, random_state=0).fit(X_train, y_train),
            "linear": LinearRegression().fit(X_train, y_train),
        },
        explainers={"keras": KERNEL, "forest": TREE, "linear": LINEAR},
    )


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def model_output(kind: str, model, rows: np.ndarray) -> np.ndarray:
    """What must be explained: P(class 1) of a classifier, else the predicted value."""
    if kind == "keras":
        import keras

        return keras.ops.convert_to_numpy(model(rows.astype("float32"))).astype(float).ravel()
    if hasattr(model, "predict_proba"):
        return model.predict_proba(rows)[:, 1]
    return model.predict(rows)


@pytest.mark.parametrize("case", ["cancer", "diabetes"])
@pytest.mark.parametrize("kind", ["keras", "forest", "linear"])
def test_shap_values_add_up_to_the_prediction(request, case, kind):
    data = request.getfixturevalue(case)
    model = data.models[kind]
    for row in data.X_test[:2]:
        result = explain_prediction(model, row, data.background, data.names, task=data.task, top=5)
        assert isinstance(result, ShapExplanation)
        assert result.explainer == data.explainers[kind]
        assert result.feature_names == tuple(data.names)
        assert result.values.shape == (len(data.names),)
        np.testing.assert_array_equal(result.data, row)
        # the prediction explained is the model's own output for this row ...
        expected = model_output(kind, model, row[None, :])[0]
        assert result.prediction == pytest.approx(expected, rel=1e-6, abs=1e-6)
        # ... and base value + SHAP values reproduce it
        tolerance = ADDITIVITY * max(1.0, abs(result.prediction))
        assert result.additivity_error <= tolerance
        assert abs(result.base_value + result.values.sum() - expected) <= tolerance
        if kind != "forest":  # the base value: the average prediction over the background rows
            mean = model_output(kind, model, data.background).mean()
            assert result.base_value == pytest.approx(mean, rel=1e-6)
        if data.task == "classification":
            assert 0 <= result.prediction <= 1 and 0 <= result.base_value <= 1


def test_kernel_explainer_gives_the_exact_shapley_values(diabetes):
    """A linear model passed as a plain function goes through the Kernel explainer; for a linear
    model the Shapley values are known in closed form: coef · (x − mean of the background)."""
    model, row, background = diabetes.models["linear"], diabetes.X_test[0], diabetes.background
    closed_form = model.coef_ * (row - background.mean(axis=0))
    as_function = explain_prediction(
        model.predict, row, background, diabetes.names, task="regression"
    )
    assert as_function.explainer == KERNEL
    np.testing.assert_allclose(as_function.values, closed_form, atol=1e-9)
    linear = explain_prediction(model, row, background, diabetes.names, task="regression")
    np.testing.assert_allclose(linear.values, closed_form, atol=1e-9)


def test_large_background_is_sampled_down_to_100_rows(diabetes, monkeypatch):
    import helpers.explain as explain

    shap = explain._shap()
    backgrounds = []  # what the Kernel explainer receives as its background

    def recording(function, data, *args, **kwargs):
        backgrounds.append(np.array(data))
        return shap.KernelExplainer(function, data, *args, **kwargs)

    monkeypatch.setattr(explain, "_shap", lambda: SimpleNamespace(KernelExplainer=recording))
    model, row = diabetes.models["keras"], diabetes.X_test[0]
    X_all = np.vstack([diabetes.background, diabetes.X_test])  # 192 rows
    result = explain_prediction(model, row, X_all, diabetes.names, task="regression")
    again = explain_prediction(model, row, X_all, diabetes.names, task="regression")
    assert [b.shape for b in backgrounds] == [(100, 10), (100, 10)]
    assert all(any(np.array_equal(b, x) for x in X_all) for b in backgrounds[0])  # rows of X_all
    np.testing.assert_array_equal(backgrounds[0], backgrounds[1])  # the same sample every time
    np.testing.assert_array_equal(again.values, result.values)
    assert result.additivity_error <= ADDITIVITY


def test_explanation_says_what_is_explained(cancer):
    row, background, names = cancer.X_test[0], cancer.background, cancer.names
    network = explain_prediction(cancer.models["keras"], row, background, names)
    assert network.output == "the predicted probability of class 1 (the sigmoid output)"
    forest = explain_prediction(cancer.models["forest"], row, background, names)
    assert forest.output == "the predicted probability of class 1 (predict_proba[:, 1])"
    contributions = forest.contributions()
    assert list(contributions) == sorted(contributions, key=lambda name: -abs(contributions[name]))
    assert sum(contributions.values()) == pytest.approx(forest.values.sum())


def test_bar_chart_shows_the_top_contributions(cancer):
    result = explain_prediction(
        cancer.models["keras"], cancer.X_test[3], cancer.background, cancer.names, top=5
    )
    ax = result.figure.axes[0]
    bars = sorted(ax.patches, key=lambda bar: -bar.get_y())  # top to bottom
    assert len(bars) == 6  # the 5 largest, and one grey bar for the 3 others
    labels = [
        t.get_text() for _, t in sorted(zip(ax.get_yticks(), ax.get_yticklabels()), reverse=True)
    ]
    assert labels[-1] == "3 other features"
    largest = result.feature_names[int(np.argmax(np.abs(result.values)))]
    assert labels[0].startswith(f"{largest} = ")
    widths = [bar.get_width() for bar in bars]
    assert [abs(w) for w in widths[:5]] == sorted((abs(w) for w in widths[:5]), reverse=True)
    assert sum(widths) == pytest.approx(result.values.sum())  # the bars add up to prediction − base
    for bar, width in zip(bars[:5], widths[:5]):
        expected = POSITIVE_COLOR if width > 0 else NEGATIVE_COLOR
        assert matplotlib.colors.to_hex(bar.get_facecolor()) == expected
    assert matplotlib.colors.to_hex(bars[-1].get_facecolor()) == OTHER_COLOR
    assert ax.get_title() == (
        f"Predicted probability {result.prediction:.3g} (base value {result.base_value:.3g})"
    )
    assert ax.get_xlabel() == "SHAP value (contribution to the predicted probability)"


def test_regression_chart_drawn_into_given_axes(diabetes):
    fig, ax = plt.subplots()
    result = explain_prediction(
        diabetes.models["forest"],
        diabetes.X_test[0],
        diabetes.background,
        diabetes.names,
        task="regression",
        top=20,
        ax=ax,
    )
    assert result.figure is fig
    assert len(ax.patches) == 10  # top above the number of features: every feature, no grey bar
    assert ax.get_xlabel() == "SHAP value (contribution to the predicted value)"
    assert ax.get_title().startswith("Predicted value ")


def test_summary_plot(diabetes):
    fig = plot_shap_summary(
        diabetes.models["forest"],
        diabetes.X_test[:40],
        diabetes.background,
        diabetes.names,
        task="regression",
        max_display=6,
    )
    ax = fig.axes[0]
    assert ax.get_xlabel() == "SHAP value (contribution to the predicted value)"
    assert ax.get_title().startswith("SHAP values of 40 rows")
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert len(labels) == 6 and "Sum of 5 other features" in labels
    assert len(fig.axes) == 2  # the beeswarm and its colour bar (feature value)


def test_summary_plot_of_a_keras_model(cancer):
    fig = plot_shap_summary(
        cancer.models["keras"], cancer.X_test[:10], cancer.background, cancer.names
    )
    assert fig.axes[0].get_xlabel() == "SHAP value (contribution to the predicted probability)"
    assert {tick.get_text() for tick in fig.axes[0].get_yticklabels()} == set(cancer.names)


# --------------------------------------------------------------------------- bad inputs


def with_text_column(data):
    import pandas as pd

    table = pd.DataFrame(data.background, columns=data.names).assign(diagnosis="benign")
    return explain_prediction(
        data.models["keras"], data.X_test[0], table, [*data.names, "diagnosis"]
    )


def unfitted(data):
    from sklearn.linear_model import LogisticRegression

    return explain_prediction(LogisticRegression(), data.X_test[0], data.background, data.names)


BAD_INPUTS = [
    pytest.param(
        lambda d: explain_prediction(d.models["keras"], d.X_test[0][:7], d.background, d.names),
        ValueError,
        r"needs x with 8 features, like background; got an array of shape \(7,\)",
        id="x-with-too-few-features",
    ),
    pytest.param(
        lambda d: explain_prediction(d.models["keras"], d.X_test[0], d.background, d.names[:7]),
        ValueError,
        r"one feature name per column: 8 names for the 8 columns of background; got 7 names",
        id="feature-names-too-short",
    ),
    pytest.param(
        lambda d: explain_prediction(
            d.models["keras"], d.X_test[0], d.background, d.names, task="clasification"
        ),
        ValueError,
        r"needs task as 'classification' or 'regression'; got 'clasification'",
        id="unknown-task",
    ),
    pytest.param(
        lambda d: explain_prediction(d.models["keras"], d.X_test[0], d.background[:0], d.names),
        ValueError,
        r"at least 10 background rows \(about 100 training rows is typical\); got 0",
        id="empty-background",
    ),
    pytest.param(
        lambda d: explain_prediction(d.models["keras"], d.X_test[0], d.background[:3], d.names),
        ValueError,
        r"at least 10 background rows .*; got 3",
        id="background-too-small",
    ),
    pytest.param(
        lambda d: explain_prediction(d.models["keras"], d.X_test[0], d.background[0], d.names),
        ValueError,
        r"background as a 2-D table \(rows × features\).*got an array of shape \(8,\)",
        id="background-one-row-1d",
    ),
    pytest.param(
        lambda d: explain_prediction("model.keras", d.X_test[0], d.background, d.names),
        TypeError,
        r"needs a Keras model, a fitted scikit-learn classifier or regressor, or a function .*"
        r"; got builtins\.str",
        id="not-a-model",
    ),
    pytest.param(
        lambda d: explain_prediction(d.models["keras"], d.X_test[0], d.background, d.names, top=0),
        ValueError,
        r"needs top as a whole number of at least 1 \(how many features to show\); got 0",
        id="top-zero",
    ),
    pytest.param(
        lambda d: explain_prediction(
            d.models["keras"], d.X_test[0], d.background, d.names, top=2.5
        ),
        TypeError,
        r"needs top as a whole number of at least 1 .*; got float 2\.5",
        id="top-not-whole",
    ),
    pytest.param(
        lambda d: explain_prediction(d.models["keras"], d.X_test[:2], d.background, d.names),
        ValueError,
        r"explains one row; got x with 2 rows \(use plot_shap_summary\(\) for many rows\)",
        id="x-with-two-rows",
    ),
    pytest.param(
        lambda d: explain_prediction(
            d.models["forest"], d.X_test[0], d.background, d.names, task="regression"
        ),
        ValueError,
        r"got a classifier \(RandomForestClassifier\) with task='regression'; use task='classification'",
        id="classifier-as-regression",
    ),
    pytest.param(
        unfitted,
        ValueError,
        r"needs a fitted model; call LogisticRegression\.fit\(X, y\) first",
        id="unfitted-estimator",
    ),
    pytest.param(
        with_text_column,
        TypeError,
        r"needs numeric features in background .*; non-numeric columns: diagnosis",
        id="text-column",
    ),
    pytest.param(
        lambda d: explain_prediction(
            d.models["keras"], d.X_test[0][:7], d.background[:, :7], d.names[:7]
        ),
        ValueError,
        r"got background with 7 features, but the Keras model expects inputs of shape \(None, 8\)",
        id="keras-input-size",
    ),
    pytest.param(
        lambda d: plot_shap_summary(
            d.models["forest"], d.X_test[:5], d.background, d.names, max_display=0
        ),
        ValueError,
        r"needs max_display as a whole number of at least 1 .*; got 0",
        id="summary-max-display-zero",
    ),
    pytest.param(
        lambda d: explain_prediction(
            d.models["keras"], d.X_test[0], d.background, d.names, ax="left"
        ),
        TypeError,
        r"needs ax as a Matplotlib Axes or None; got str 'left'",
        id="ax-not-axes",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD_INPUTS)
def test_bad_inputs_say_what_was_expected_and_what_arrived(cancer, call, error, message):
    with pytest.raises(error, match=message):
        call(cancer)


def test_unbuilt_keras_model_is_refused_with_a_way_to_build_it(cancer):
    import keras

    unbuilt = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
    with pytest.raises(
        ValueError, match=r"needs a built Keras model.*keras\.Input\(shape=\.\.\.\)"
    ):
        explain_prediction(unbuilt, cancer.X_test[0], cancer.background, cancer.names)


# --------------------------------------------------------------------------- the figures fit the page


@pytest.fixture
def body_text_12pt():
    """The chapters' setting: body text in 12 points."""
    with matplotlib.rc_context({"font.size": 12}):
        yield


def test_bar_chart_fits_the_page(body_text_12pt, diabetes):
    result = explain_prediction(
        diabetes.models["linear"],
        diabetes.X_test[0],
        diabetes.background,
        diabetes.names,
        task="regression",
    )
    assert page_problems(result.figure) == []


def test_summary_plot_fits_the_page(body_text_12pt, diabetes):
    fig = plot_shap_summary(
        diabetes.models["forest"],
        diabetes.X_test[:40],
        diabetes.background,
        diabetes.names,
        task="regression",
    )
    assert page_problems(fig) == []  # shap sets its axis numbers in 11 points: raised to 12


def test_regression_output_explained_as_a_probability_is_refused(diabetes):
    expected = (
        r"explains a probability between 0 and 1 \(a sigmoid output\); the model's outputs range "
        r"from -?[\d.]+ to [\d.]+\. Use task='regression'"
    )
    with pytest.raises(ValueError, match=expected):
        explain_prediction(
            diabetes.models["keras"], diabetes.X_test[0], diabetes.background, diabetes.names
        )


def test_multiclass_models_transformers_and_multi_output_functions_are_refused():
    from sklearn.datasets import load_iris
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    X, y = load_iris(return_X_y=True)
    names = ["sepal length", "sepal width", "petal length", "petal width"]
    tree = DecisionTreeClassifier(random_state=0).fit(X, y)
    expected = (
        "explains binary classifiers (the probability of the positive class); "
        "the DecisionTreeClassifier has 3 classes: [0, 1, 2]"
    )
    with pytest.raises(ValueError, match=re.escape(expected)):
        explain_prediction(tree, X[0], X, names)
    with pytest.raises(
        TypeError, match="needs a scikit-learn classifier or regressor; got StandardScaler"
    ):
        explain_prediction(StandardScaler().fit(X), X[0], X, names)
    expected = (
        r"one number per row \(a single-output model\); the model returned .* shape \(100, 2\)"
    )
    with pytest.raises(ValueError, match=expected):
        explain_prediction(lambda rows: rows[:, :2], X[0], X[:100], names, task="regression")
