"""Explaining predictions with SHAP values: one prediction as a bar chart, many as a summary (chapter 8)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from helpers._checks import (
    FIGURE_WIDTH,
    axes_or_none,
    is_keras_model,
    keras_model,
    one_of,
    short_number,
    whole_number,
)

if (
    TYPE_CHECKING
):  # matplotlib is imported inside the plotting functions: importing this stays cheap
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "MAX_BACKGROUND",
    "MIN_BACKGROUND",
    "ShapExplanation",
    "explain_prediction",
    "plot_shap_summary",
]

TASKS = ("classification", "regression")

#: Fewer background rows than this give a base value too noisy to explain anything against.
MIN_BACKGROUND = 10
#: Larger backgrounds are reduced to a fixed random sample of this many rows (shap's own advice):
#: the time of a model-agnostic explanation grows in proportion to the background's size.
MAX_BACKGROUND = 100
#: Up to this many features, the Kernel explainer evaluates every coalition of features, which
#: makes its values the exact Shapley values; above it, it samples 2·M + 2048 coalitions.
EXACT_UP_TO = 12

POSITIVE_COLOR = "#ff0051"  # shap's red: pushes the prediction up
NEGATIVE_COLOR = "#008bfb"  # shap's blue: pushes it down
OTHER_COLOR = "#9e9e9e"

# scikit-learn models whose raw tree output is the predicted probability (classifiers) or the
# predicted value (regressors), so TreeSHAP explains exactly what predict / predict_proba returns.
_TREE_MODELS = (
    "DecisionTreeClassifier",
    "DecisionTreeRegressor",
    "ExtraTreeClassifier",
    "ExtraTreeRegressor",
    "RandomForestClassifier",
    "RandomForestRegressor",
    "ExtraTreesClassifier",
    "ExtraTreesRegressor",
    "GradientBoostingRegressor",
)


@dataclass(frozen=True)
class ShapExplanation:
    """The SHAP values of one prediction: ``prediction == base_value + values.sum()`` (chapter 8).

    ``values[i]`` is how much feature ``feature_names[i]``, at its value ``data[i]`` in this row,
    moved the prediction away from ``base_value`` (the average prediction over the background
    rows; for tree models, over the data the trees were grown on). ``output`` says which number
    of the model is explained, ``explainer`` which shap explainer computed the values, and
    ``figure`` holds the bar chart.
    """

    values: np.ndarray
    base_value: float
    prediction: float
    feature_names: tuple[str, ...]
    data: np.ndarray
    task: str
    output: str
    explainer: str
    figure: Figure | None = field(default=None, repr=False, compare=False)

    @property
    def additivity_error(self) -> float:
        """|base value + sum of the SHAP values − prediction|: 0 up to rounding, for every model."""
        return abs(self.base_value + float(np.sum(self.values)) - self.prediction)

    def contributions(self) -> dict[str, float]:
        """Feature name → SHAP value, the largest effect (either sign) first.

        >>> from sklearn.datasets import load_diabetes
        >>> from sklearn.linear_model import LinearRegression
        >>> data = load_diabetes()
        >>> model = LinearRegression().fit(data.data, data.target)
        >>> result = explain_prediction(model, data.data[0], data.data[:100], data.feature_names,
        ...                             task="regression")
        >>> list(result.contributions())[:3]
        ['bmi', 's1', 's5']
        """
        order = np.argsort(-np.abs(self.values), kind="stable")
        return {self.feature_names[i]: float(self.values[i]) for i in order}


@dataclass
class _Model:
    """A model reduced to what SHAP needs: the function explained and how to explain it."""

    predict: Callable[[np.ndarray], np.ndarray]  # (n, M) floats -> (n,) explained outputs
    kind: str  # "keras", "tree", "linear", "kernel" (other scikit-learn models), "callable"
    estimator: Any
    output: str
    positive_column: int | None = None  # for scikit-learn classifiers: column of predict_proba


# --------------------------------------------------------------------------- input checks


def _as_table(data: Any, name: str, function: str) -> np.ndarray:
    """A 2-D float array from an array or DataFrame, with errors that say what arrived."""
    columns = getattr(data, "columns", None)
    try:
        table = np.asarray(data, dtype=float)
    except (TypeError, ValueError):
        detail = ""
        if columns is not None:
            import pandas as pd

            text = [str(c) for c in columns if not pd.api.types.is_numeric_dtype(data[c])]
            detail = f"; non-numeric columns: {', '.join(text)}"
        raise TypeError(
            f"{function}() needs numeric features in {name} (encode categories as numbers "
            f"first, e.g. with pandas.get_dummies){detail}"
        ) from None
    return table


def _check_background(background: Any, function: str) -> np.ndarray:
    table = _as_table(background, "background", function)
    if table.ndim != 2:
        raise ValueError(
            f"{function}() needs background as a 2-D table (rows × features), e.g. 100 training "
            f"rows; got an array of shape {table.shape}"
        )
    if table.shape[0] < MIN_BACKGROUND:
        raise ValueError(
            f"{function}() needs at least {MIN_BACKGROUND} background rows (about "
            f"{MAX_BACKGROUND} training rows is typical); got {table.shape[0]}"
        )
    if not np.all(np.isfinite(table)):
        raise ValueError(
            f"{function}() needs background without missing values; it contains NaN or infinity"
        )
    if table.shape[0] > MAX_BACKGROUND:
        keep = np.sort(
            np.random.default_rng(0).choice(table.shape[0], MAX_BACKGROUND, replace=False)
        )
        table = table[keep]
    return table


def _check_names(feature_names: Any, n_features: int, function: str) -> tuple[str, ...]:
    if isinstance(feature_names, str) or not hasattr(feature_names, "__iter__"):
        raise TypeError(
            f"{function}() needs feature_names as a list of {n_features} strings; "
            f"got {type(feature_names).__name__} {feature_names!r:.60}"
        )
    names = tuple(str(name) for name in feature_names)
    if len(names) != n_features:
        raise ValueError(
            f"{function}() needs one feature name per column: {n_features} names for the "
            f"{n_features} columns of background; got {len(names)} names"
        )
    return names


def _check_rows(x: Any, n_features: int, name: str, function: str) -> np.ndarray:
    rows = np.atleast_2d(_as_table(x, name, function))
    if rows.ndim != 2 or rows.shape[1] != n_features:
        raise ValueError(
            f"{function}() needs {name} with {n_features} features, like background; got "
            f"an array of shape {np.shape(np.asarray(x, dtype=float))}"
        )
    if not np.all(np.isfinite(rows)):
        raise ValueError(
            f"{function}() needs {name} without missing values; it contains NaN or infinity"
        )
    return rows


# --------------------------------------------------------------------------- models


def _is_sklearn_estimator(model: Any) -> bool:
    return any(
        cls.__module__.split(".")[0] == "sklearn" and cls.__name__ == "BaseEstimator"
        for cls in type(model).__mro__
    )


def _wrap_model(model: Any, task: str, background: np.ndarray, function: str) -> _Model:
    """Say how ``model`` will be explained, and check it on the background rows."""
    n_features = background.shape[1]
    if is_keras_model(model):
        wrapped = _wrap_keras(model, task, n_features, function)
    elif _is_sklearn_estimator(model):
        wrapped = _wrap_sklearn(model, task, n_features, function)
    elif callable(model):
        wrapped = _Model(
            predict=lambda rows: np.asarray(model(rows), dtype=float),
            kind="callable",
            estimator=model,
            output="the function's output"
            + (" (a probability)" if task == "classification" else ""),
        )
    else:
        raise TypeError(
            f"{function}() needs a Keras model, a fitted scikit-learn classifier or regressor, "
            f"or a function from a 2-D array of rows to one number per row; got "
            f"{type(model).__module__}.{type(model).__name__}"
        )
    outputs = wrapped.predict(background)
    if outputs.shape not in ((len(background),), (len(background), 1)):
        raise ValueError(
            f"{function}() explains one number per row (a single-output model); the model "
            f"returned an array of shape {outputs.shape} for {len(background)} rows (for a "
            f"two-unit softmax, pass a function: lambda rows: model.predict(rows, verbose=0)[:, 1])"
        )
    outputs = outputs.reshape(-1)
    if not np.all(np.isfinite(outputs)):
        raise ValueError(
            f"{function}() got NaN or infinite predictions from the model on the background rows"
        )
    if task == "classification" and (outputs.min() < 0 or outputs.max() > 1):
        raise ValueError(
            f"{function}(task='classification') explains a probability between 0 and 1 (a "
            f"sigmoid output); the model's outputs range from {outputs.min():.3g} to "
            f"{outputs.max():.3g}. Use task='regression' to explain them as values."
        )
    predict = wrapped.predict
    wrapped.predict = lambda rows: predict(rows).reshape(-1)
    return wrapped


def _wrap_keras(model: Any, task: str, n_features: int, function: str) -> _Model:
    import keras

    keras_model(model, function)
    inputs = getattr(model, "inputs", None) or []
    if len(inputs) > 1:
        raise ValueError(
            f"{function}() explains models with one input table; this model has {len(inputs)} inputs"
        )
    if inputs and inputs[0].shape[-1] not in (None, n_features):
        raise ValueError(
            f"{function}() got background with {n_features} features, but the Keras model "
            f"expects inputs of shape {tuple(inputs[0].shape)}"
        )

    def predict(rows: np.ndarray) -> np.ndarray:
        out = model(np.asarray(rows, dtype="float32"), training=False)
        return np.asarray(keras.ops.convert_to_numpy(out), dtype=float)

    output = (
        "the predicted probability of class 1 (the sigmoid output)"
        if task == "classification"
        else "the predicted value (the model's output)"
    )
    return _Model(predict=predict, kind="keras", estimator=model, output=output)


def _check_fitted_estimator(model: Any, n_features: int, function: str) -> None:
    """TypeError or ValueError unless ``model`` is a scikit-learn classifier or regressor, fitted
    on ``n_features`` features."""
    from sklearn.base import is_classifier, is_regressor
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    name = type(model).__name__
    if not (is_classifier(model) or is_regressor(model)):
        raise TypeError(
            f"{function}() needs a scikit-learn classifier or regressor; got {name}, which is neither"
        )
    try:
        check_is_fitted(model)
    except NotFittedError:
        raise ValueError(
            f"{function}() needs a fitted model; call {name}.fit(X, y) first"
        ) from None
    expected = getattr(model, "n_features_in_", n_features)
    if expected != n_features:
        raise ValueError(
            f"{function}() got background with {n_features} features, but the {name} was "
            f"fitted on {expected} features"
        )


def _wrap_sklearn(model: Any, task: str, n_features: int, function: str) -> _Model:
    from sklearn.base import is_classifier

    name = type(model).__name__
    _check_fitted_estimator(model, n_features, function)
    columns = getattr(model, "feature_names_in_", None)

    def table(rows: np.ndarray) -> Any:
        if columns is None:
            return rows
        import pandas as pd  # the model was fitted on a DataFrame: keep its column names

        return pd.DataFrame(rows, columns=columns)

    if is_classifier(model):
        if task != "classification":
            raise ValueError(
                f"{function}() got a classifier ({name}) with task={task!r}; use task='classification'"
            )
        classes = np.asarray(model.classes_).tolist()
        if len(classes) != 2:
            raise ValueError(
                f"{function}() explains binary classifiers (the probability of the positive "
                f"class); the {name} has {len(classes)} classes: {classes}"
            )
        kind = "tree" if name in _TREE_MODELS else "kernel"
        return _Model(
            predict=lambda rows: model.predict_proba(table(rows))[:, 1],
            kind=kind,
            estimator=model,
            output=f"the predicted probability of class {classes[1]!r} (predict_proba[:, 1])",
            positive_column=1,
        )
    if task != "regression":
        raise ValueError(
            f"{function}() got a regressor ({name}) with task={task!r}; use task='regression'"
        )
    kind = "tree" if name in _TREE_MODELS else "kernel"
    coef = np.asarray(getattr(model, "coef_", np.nan), dtype=float)
    if kind == "kernel" and coef.size == n_features and hasattr(model, "intercept_"):
        kind = "linear"  # confirmed below: predictions must equal X @ coef_ + intercept_
    return _Model(
        predict=lambda rows: np.asarray(model.predict(table(rows)), dtype=float),
        kind=kind,
        estimator=model,
        output="the predicted value (predict)",
    )


def _confirm_linear(wrapped: _Model, background: np.ndarray) -> None:
    """Keep the linear path only for models whose predictions are X @ coef_ + intercept_."""
    if wrapped.kind != "linear":
        return
    model = wrapped.estimator
    affine = background @ np.ravel(model.coef_) + np.ravel(model.intercept_)[0]
    tolerance = 1e-9 * max(1.0, float(np.abs(affine).max()))
    if not np.allclose(wrapped.predict(background), affine, rtol=1e-6, atol=tolerance):
        wrapped.kind = "kernel"  # e.g. a Poisson regressor: linear inside, exp() outside


# --------------------------------------------------------------------------- SHAP values


def _shap():
    """shap, imported without the PendingDeprecationWarnings its colour maps raise at import."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PendingDeprecationWarning, module=r"shap\.")
        import shap
    return shap


def _shap_values(
    wrapped: _Model, rows: np.ndarray, background: np.ndarray
) -> tuple[np.ndarray, float, str]:
    """SHAP values (rows × features), the base value and the explainer's description."""
    shap = _shap()

    n_features = background.shape[1]
    if wrapped.kind == "tree":
        # Path-dependent TreeSHAP: exact, fast, and its values add up to the prediction to
        # rounding error. Its base value is the average prediction over the data the trees were
        # grown on (the trees record how many training rows went each way), not over background.
        explainer = shap.TreeExplainer(
            wrapped.estimator, feature_perturbation="tree_path_dependent"
        )
        values = np.asarray(explainer.shap_values(rows, check_additivity=True), dtype=float)
        base = np.ravel(explainer.expected_value)
        if wrapped.positive_column is not None:
            values, base = values[..., wrapped.positive_column], base[wrapped.positive_column]
        values = values.reshape(len(rows), n_features)
        return values, float(np.ravel(base)[0]), "shap.TreeExplainer (path-dependent TreeSHAP)"
    if wrapped.kind == "linear":
        explainer = shap.LinearExplainer(wrapped.estimator, background)
        values = np.asarray(explainer.shap_values(rows), dtype=float).reshape(len(rows), n_features)
        base = float(np.ravel(explainer.expected_value)[0])
        return values, base, "shap.LinearExplainer (exact for a linear model)"
    # Keras models, other scikit-learn models and plain functions: the model-agnostic Kernel
    # explainer on the function that returns the explained output. With every coalition of
    # features enumerated (up to EXACT_UP_TO features) its values are the exact Shapley values;
    # in all cases they add up to prediction − base value, which its regression enforces.
    # l1_reg=False: shap's default keeps only the 10 strongest features and zeroes the rest.
    exact = n_features <= EXACT_UP_TO
    n_coalitions = 2**n_features - 2 if exact else 2 * n_features + 2048
    explainer = shap.KernelExplainer(wrapped.predict, background)
    state = np.random.get_state()  # the sampled case draws from NumPy's global generator:
    np.random.seed(0)  # seed it, so the same call gives the same values, and restore it after
    try:
        values = explainer.shap_values(rows, nsamples=n_coalitions, l1_reg=False, silent=True)
    finally:
        np.random.set_state(state)
    values = np.asarray(values, dtype=float).reshape(len(rows), n_features)
    method = "exact Shapley values" if exact else f"{n_coalitions} sampled coalitions"
    return values, float(np.ravel(explainer.expected_value)[0]), f"shap.KernelExplainer ({method})"


def _prepare(
    model: Any, background: Any, feature_names: Any, task: Any, function: str
) -> tuple[_Model, np.ndarray, tuple[str, ...], str]:
    """Check the inputs shared by both public functions, and wrap the model."""
    task = one_of(task, "task", TASKS, function)
    background = _check_background(background, function)
    names = _check_names(feature_names, background.shape[1], function)
    wrapped = _wrap_model(model, task, background, function)
    _confirm_linear(wrapped, background)
    return wrapped, background, names, task


def _x_label(task: str) -> str:
    what = "predicted probability" if task == "classification" else "predicted value"
    return f"SHAP value (contribution to the {what})"


def _thousands_separators(ax: Axes, span: float) -> None:
    """Tick labels such as 20,000 rather than 20000 when the contributions are that large."""
    if span >= 1000:
        from matplotlib.ticker import StrMethodFormatter

        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))


def _signed(value: float, span: float) -> str:
    """A contribution with its sign, to a precision that suits the largest bar (``span``)."""
    decimals = max(0, 2 - int(np.floor(np.log10(span)))) if span > 0 else 3
    return f"{value:+,.{decimals}f}"


# --------------------------------------------------------------------------- public functions


def explain_prediction(
    model: Any,
    x: Any,
    background: Any,
    feature_names: Sequence[str],
    *,
    task: str = "classification",
    top: int = 10,
    ax: Axes | None = None,
) -> ShapExplanation:
    """Explain one prediction with SHAP values and draw its largest contributions as bars (chapter 8).

    Each SHAP value is how much one feature of the row ``x`` moved the prediction away from the
    base value, the average prediction over the ``background`` rows (about 100 training rows;
    larger backgrounds are reduced to a fixed random sample of 100). The values add up exactly:
    ``prediction == base_value + values.sum()`` (see ``additivity_error``).

    What is explained: for ``task="classification"`` the probability of the positive class (a
    Keras model's sigmoid output; ``predict_proba(x)[:, 1]`` of a scikit-learn classifier), for
    ``task="regression"`` the predicted value. Which shap explainer is used:

    * scikit-learn trees and forests: ``shap.TreeExplainer`` (path-dependent TreeSHAP, exact;
      its base value is the average prediction over the training data the trees saw, so
      ``background`` is checked but not used);
    * scikit-learn linear regressors: ``shap.LinearExplainer`` (exact, in closed form);
    * Keras models, other scikit-learn models (logistic regression, pipelines, ...) and plain
      functions: ``shap.KernelExplainer`` on the explained output, enumerating all feature
      coalitions up to 12 features, which gives the exact Shapley values (about 0.1 s for 10
      features and 100 background rows on a 2-core CPU).

    The bar chart shows the ``top`` largest contributions and sums the others into one grey bar;
    a new figure is 7 inches wide (the page's width), its text in the body size. Given ``ax``, it
    is drawn there.

    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.linear_model import LinearRegression
    >>> data = load_diabetes()
    >>> model = LinearRegression().fit(data.data, data.target)
    >>> result = explain_prediction(model, data.data[0], data.data[:100], data.feature_names,
    ...                             task="regression", top=3)
    >>> result.explainer
    'shap.LinearExplainer (exact for a linear model)'
    >>> print(f"{result.prediction:.1f} = {result.base_value:.1f} + {result.values.sum():.1f}")
    206.1 = 137.0 + 69.1
    >>> result.figure.axes[0].get_title()
    'Predicted value 206 (base value 137)'

    For a Keras classifier: ``explain_prediction(model, X_test[0], X_train[:100], names)``.
    """
    function = "explain_prediction"
    top = whole_number(top, "top", function, why=" (how many features to show)")
    ax = axes_or_none(ax, function)
    wrapped, background, names, task = _prepare(model, background, feature_names, task, function)
    row = _one_row(x, len(names), function)
    result = _explained(wrapped, row, background, names, task)
    return replace(result, figure=_draw_bars(result, top, ax))


def _one_row(x: Any, n_features: int, function: str) -> np.ndarray:
    """``x`` as one row (1 x features); ValueError if it holds several."""
    row = _check_rows(x, n_features, "x", function)
    if len(row) != 1:
        raise ValueError(
            f"{function}() explains one row; got x with {len(row)} rows "
            f"(use plot_shap_summary() for many rows)"
        )
    return row


def _explained(wrapped: _Model, row: np.ndarray, background: np.ndarray, names, task: str):
    """The SHAP explanation of the one row ``row`` (1 x features), without its figure."""
    values, base, explainer = _shap_values(wrapped, row, background)
    return ShapExplanation(
        values=values[0],
        base_value=base,
        prediction=float(wrapped.predict(row)[0]),
        feature_names=names,
        data=row[0],
        task=task,
        output=wrapped.output,
        explainer=explainer,
    )


def _draw_bars(result: ShapExplanation, top: int, ax: Axes | None) -> Figure:
    """Horizontal bars of the ``top`` largest SHAP values, the rest summed into one grey bar."""
    import matplotlib.pyplot as plt

    order = np.argsort(-np.abs(result.values), kind="stable")
    shown, hidden = order[:top], order[top:]
    labels = [f"{result.feature_names[i]} = {short_number(result.data[i])}" for i in shown]
    widths = [float(result.values[i]) for i in shown]
    colors = [POSITIVE_COLOR if w > 0 else NEGATIVE_COLOR for w in widths]
    if len(hidden):
        labels.append(f"{len(hidden)} other feature{'s' if len(hidden) > 1 else ''}")
        widths.append(float(result.values[hidden].sum()))
        colors.append(OTHER_COLOR)

    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.42 * len(widths) + 1.6), layout="constrained")
    positions = np.arange(len(widths))[::-1]  # the largest contribution on top
    ax.barh(positions, widths, color=colors, height=0.7)
    ax.set_yticks(positions, labels)
    ax.axvline(0, color="#333333", linewidth=0.8)
    span = max(abs(w) for w in widths) or 1.0
    for y, w in zip(positions, widths):
        ax.text(
            w + (0.015 * span if w >= 0 else -0.015 * span),
            y,
            _signed(w, span),
            va="center",
            ha="left" if w >= 0 else "right",
            color="#333333",
        )
    low, high = min(0.0, *widths), max(0.0, *widths)
    ax.set_xlim(low - 0.18 * span * (low < 0), high + 0.18 * span * (high > 0))
    _thousands_separators(ax, span)
    what = "Predicted probability" if result.task == "classification" else "Predicted value"
    ax.set_title(
        f"{what} {short_number(result.prediction)} (base value {short_number(result.base_value)})"
    )
    ax.set_xlabel(_x_label(result.task))
    ax.set_ylabel("feature = value in this row")
    ax.spines[["top", "right"]].set_visible(False)
    return ax.get_figure()


def plot_shap_summary(
    model: Any,
    X: Any,
    background: Any,
    feature_names: Sequence[str],
    *,
    task: str = "classification",
    max_display: int = 10,
    ax: Axes | None = None,
) -> Figure:
    """A SHAP summary (beeswarm) plot: one dot per row and feature, features by mean |SHAP value| (chapter 8).

    Each dot's position is the feature's SHAP value in that row, its colour the feature's value
    (blue low, red high), so the plot shows which features matter most over many rows and in
    which direction. The explainer is chosen as in ``explain_prediction()``; the Kernel explainer
    (Keras models) takes about 0.1 s per row for 10 features, so 100–200 rows are plenty. A new
    figure is 7 inches wide (the page's width), with no text smaller than the body size.

    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.ensemble import RandomForestRegressor
    >>> data = load_diabetes()
    >>> model = RandomForestRegressor(n_estimators=20, random_state=0).fit(data.data, data.target)
    >>> fig = plot_shap_summary(model, data.data[:50], data.data[:100], data.feature_names,
    ...                         task="regression")
    >>> fig.axes[0].get_xlabel()
    'SHAP value (contribution to the predicted value)'
    """
    import matplotlib.pyplot as plt

    shap = _shap()
    function = "plot_shap_summary"
    max_display = whole_number(
        max_display, "max_display", function, why=" (how many features to show)"
    )
    ax = axes_or_none(ax, function)
    wrapped, background, names, task = _prepare(model, background, feature_names, task, function)
    rows = _check_rows(X, len(names), "X", function)
    values, base, _ = _shap_values(wrapped, rows, background)
    explanation = shap.Explanation(
        values=values, base_values=np.full(len(rows), base), data=rows, feature_names=list(names)
    )
    shown = min(len(names), max_display)
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.45 * shown + 1.9), layout="constrained")
    before = set(ax.figure.axes)
    shap.plots.beeswarm(explanation, max_display=max_display, ax=ax, show=False, plot_size=None)
    # shap sets the numbers of the axis and of the colour bar in 11 points: the body size instead.
    ax.tick_params(axis="x", labelsize="medium")
    for colorbar in set(ax.figure.axes) - before:
        colorbar.tick_params(labelsize="medium")
    ax.set_title(f"SHAP values of {len(rows)} rows (base value {short_number(base)})", fontsize=13)
    ax.set_xlabel(_x_label(task), fontsize=13)
    ax.set_ylabel("feature (most important first)", fontsize=13)
    _thousands_separators(ax, float(np.abs(values).max()))
    return ax.get_figure()
