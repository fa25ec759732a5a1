"""Activation functions in plain NumPy, and a gallery figure of them (taught in chapter 1)."""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from helpers._checks import FIGURE_WIDTH, real_number, whole_number

if (
    TYPE_CHECKING
):  # matplotlib is imported inside plot_activation_gallery(): importing this stays cheap
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Like NumPy's own functions: an array for array input, a NumPy float for a single number.
FloatOrArray = np.ndarray | np.floating

__all__ = [
    "ACTIVATIONS",
    "binary_step",
    "leaky_relu",
    "linear",
    "parametric_relu",
    "plot_activation_gallery",
    "relu",
    "sigmoid",
    "softmax",
    "swish",
    "tanh",
]


def _as_float_array(x: Any, function: str) -> np.ndarray:
    """``x`` as a float array, or a TypeError that names the function and what arrived."""
    if x is None:  # NumPy would make it NaN without a word
        raise TypeError(
            f"{function}() needs numbers (a float, a list or a NumPy array); got None "
            "(did a function return nothing?)"
        )
    try:
        array = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{function}() needs numbers (a float, a list or a NumPy array); "
            f"got {type(x).__name__} {x!r:.60}"
        ) from None
    return array


def linear(x: Any) -> FloatOrArray:
    """The identity, f(z) = z: the output of a regression neuron (chapter 1).

    >>> linear([-2.0, 0.0, 3.0])
    array([-2.,  0.,  3.])
    """
    return _as_float_array(x, "linear").copy()[()]


def binary_step(x: Any) -> FloatOrArray:
    """1 where z >= 0, else 0: the all-or-nothing neuron of the first perceptrons (chapter 1).

    >>> binary_step([-1.5, 0.0, 2.0])
    array([0., 1., 1.])
    """
    z = _as_float_array(x, "binary_step")
    return np.where(z >= 0, 1.0, 0.0)[()]


def sigmoid(x: Any) -> FloatOrArray:
    """The logistic function 1 / (1 + exp(-z)), squashing any z into (0, 1) (chapter 1).

    Computed without overflow for large |z|: exp() only ever sees -|z|.

    >>> sigmoid([-1000.0, 0.0, 2.0]).round(4)
    array([0.    , 0.5   , 0.8808])
    """
    z = _as_float_array(x, "sigmoid")
    e = np.exp(-np.abs(z))  # in (0, 1], never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]


def tanh(x: Any) -> FloatOrArray:
    """The hyperbolic tangent, squashing any z into (-1, 1) and centred on 0 (chapter 1).

    >>> tanh([-20.0, 0.0, 0.5]).round(4)
    array([-1.    ,  0.    ,  0.4621])
    """
    return np.tanh(_as_float_array(x, "tanh"))[()]


def relu(x: Any) -> FloatOrArray:
    """The rectified linear unit max(0, z): the default for hidden layers (chapter 1).

    >>> relu([-3.0, 0.0, 2.5])
    array([0. , 0. , 2.5])
    """
    return np.maximum(_as_float_array(x, "relu"), 0.0)[()]


def leaky_relu(x: Any, alpha: float = 0.01) -> FloatOrArray:
    """ReLU with a small slope ``alpha`` for negative z, so that no input gets a zero gradient (chapter 1).

    >>> leaky_relu([-10.0, 0.0, 2.0], alpha=0.1)
    array([-1.,  0.,  2.])
    """
    real_number(
        alpha,
        "alpha",
        "leaky_relu",
        minimum=0,
        why=" (the slope for negative inputs, such as 0.01)",
    )
    z = _as_float_array(x, "leaky_relu")
    return np.where(z >= 0, z, alpha * z)[()]


def parametric_relu(x: Any, alpha: Any) -> FloatOrArray:
    """Leaky ReLU whose slope ``alpha`` is a learned parameter (a number, or one per feature) (chapter 1).

    ``alpha`` must broadcast against ``x``, as one slope per column does.

    >>> parametric_relu([[-2.0, -2.0], [1.0, 1.0]], alpha=[0.25, 0.5])
    array([[-0.5, -1. ],
           [ 1. ,  1. ]])
    """
    z = _as_float_array(x, "parametric_relu")
    a = _as_float_array(alpha, "parametric_relu")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"parametric_relu() needs finite slopes alpha; got alpha={alpha!r}")
    try:
        np.broadcast_shapes(z.shape, a.shape)
    except ValueError:
        raise ValueError(
            f"parametric_relu() needs alpha to be a number or an array that broadcasts to x's "
            f"shape {z.shape} (for example one slope per column, shape {z.shape[-1:]}); "
            f"got alpha with shape {a.shape}"
        ) from None
    return np.where(z >= 0, z, a * z)[()]


def softmax(x: Any, axis: int = -1) -> np.ndarray:
    """Turn a vector of scores into probabilities that sum to 1 along ``axis`` (chapter 1).

    Numerically stable: the largest score is subtracted first, which does not change the result.

    >>> softmax([1.0, 2.0, 3.0]).round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> softmax([1000.0, 1001.0, 1002.0]).round(4)  # the same: only differences matter
    array([0.09  , 0.2447, 0.6652])
    """
    z = _as_float_array(x, "softmax")
    if z.ndim == 0:
        raise ValueError(
            "softmax() needs an array of scores with at least one dimension (one score per "
            f"class); got a single number {z.item()!r}"
        )
    if z.size == 0:
        raise ValueError(
            f"softmax() needs at least one score; got an empty array of shape {z.shape}"
        )
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(
            f"softmax() needs axis as a whole number (the axis of the classes, -1 for the last); "
            f"got {type(axis).__name__} {axis!r:.60}"
        )
    if not np.isfinite(z).all():  # exp(inf - inf) is NaN: every probability would be NaN
        raise ValueError(
            f"softmax() needs finite scores; got {int((~np.isfinite(z)).sum())} NaN or infinite "
            f"value(s), such as {z[~np.isfinite(z)].flat[0]!r}"
        )
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(
            f"softmax() got axis={axis}, but the scores have {z.ndim} dimension(s) "
            f"(shape {z.shape}); expected an axis from {-z.ndim} to {z.ndim - 1}"
        )
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def swish(x: Any, beta: float = 1.0) -> FloatOrArray:
    """z * sigmoid(beta * z), a smooth ReLU-like curve (called SiLU when beta is 1) (chapter 1).

    >>> swish([-2.0, 0.0, 2.0]).round(4)
    array([-0.2384,  0.    ,  1.7616])
    """
    real_number(beta, "beta", "swish", why=" (how sharply it bends, such as 1.0)")
    z = _as_float_array(x, "swish")
    return (z * sigmoid(beta * z))[()]


ACTIVATIONS: dict[str, Callable[..., FloatOrArray]] = {
    "linear": linear,
    "binary_step": binary_step,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "parametric_relu": parametric_relu,
    "softmax": softmax,
    "swish": swish,
}
"""Every activation function of this module by name, in the order the gallery draws them."""

_TITLES = {
    "linear": "linear",
    "binary_step": "binary step",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "parametric_relu": "parametric ReLU",
    "softmax": "softmax of (z, 1, 0)",
    "swish": "swish",
}

_GREEK = {"alpha": "α", "beta": "β"}

# Slopes chosen so that the negative side is visible at gallery scale (0.01 looks like ReLU).
_GALLERY_PARAMS: dict[str, dict[str, float]] = {
    "leaky_relu": {"alpha": 0.1},
    "parametric_relu": {"alpha": 0.25},
}


def _gallery_arguments(
    names: Sequence[str] | str | None,
    x_range: tuple[float, float],
    params: Mapping[str, Mapping[str, float]] | None,
    ncols: int,
) -> tuple[list[str], dict[str, dict[str, float]], int]:
    """The names to draw, each one's keyword arguments and the number of columns, checked."""
    function = "plot_activation_gallery"
    names = (
        [names] if isinstance(names, str) else list(ACTIVATIONS) if names is None else list(names)
    )
    if not names:
        raise ValueError(
            f"{function}() needs at least one activation name; got an empty list. "
            f"Known names: {', '.join(ACTIVATIONS)}"
        )
    unknown = [name for name in names if name not in ACTIVATIONS]
    if unknown:
        raise ValueError(
            f"{function}() got unknown activation name(s) {unknown}; "
            f"expected names from: {', '.join(ACTIVATIONS)}"
        )
    try:
        low, high = (float(value) for value in x_range)
    except (TypeError, ValueError):
        low = high = float("nan")
    if not (np.isfinite([low, high]).all() and low < high):
        raise ValueError(
            f"{function}() needs x_range as (low, high), two finite numbers with low < high; "
            f"got {x_range!r:.60}"
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(
            f"{function}() got {repeated[0]!r} twice in names; name each activation once"
        )
    ncols = whole_number(ncols, "ncols", function)
    kwargs = {name: dict(_GALLERY_PARAMS.get(name, {})) for name in names}
    for name, overrides in (params or {}).items():
        if name not in ACTIVATIONS:
            raise ValueError(
                f"{function}() got params with a key {name!r} that is not an activation name; "
                f"expected names from: {', '.join(ACTIVATIONS)}"
            )
        takes = [
            parameter
            for parameter in list(inspect.signature(ACTIVATIONS[name]).parameters)[1:]
            if parameter != "axis"
        ]
        unknown_params = [key for key in overrides if key not in takes]
        if unknown_params:
            what = f"takes only {takes[0]!r}" if takes else "takes no parameter"
            raise ValueError(
                f"{function}() got params[{name!r}] with {unknown_params[0]!r}, but {name} "
                f"{what}; parameters are for leaky_relu (alpha), parametric_relu (alpha) and "
                f"swish (beta)"
            )
        kwargs.setdefault(name, {}).update(overrides)
    return names, kwargs, min(ncols, len(names))


def _draw_softmax(ax: Axes, z: np.ndarray, extra: Mapping[str, float]) -> None:
    """The probabilities of three classes with scores (z, 1, 0), each curve labelled where it is apart."""
    scores = np.column_stack([z, np.ones_like(z), np.zeros_like(z)])
    probs = softmax(scores, axis=1, **extra)
    for k, score in enumerate(["z", "1", "0"]):
        (line,) = ax.plot(z, probs[:, k], label=f"class with score {score}")
        at = (
            -1 if k == 0 else 0
        )  # where the curve is apart from the others: z on the right, 1 and 0 left
        ax.annotate(
            f"score {score}",
            (z[at], probs[at, k]),
            xytext=(-4 if at else 4, 4),
            textcoords="offset points",
            ha="right" if at else "left",
            va="bottom",
            color=line.get_color(),
        )
    ax.set_ylim(-0.05, 1.15)


def plot_activation_gallery(
    names: Sequence[str] | None = None,
    *,
    x_range: tuple[float, float] = (-5.0, 5.0),
    params: Mapping[str, Mapping[str, float]] | None = None,
    ncols: int = 3,
) -> Figure:
    """Draw each activation function in its own small panel and return the Figure (chapter 1).

    ``names`` picks and orders the panels (default: all of :data:`ACTIVATIONS`); ``params``
    overrides keyword arguments per function, e.g. ``{"leaky_relu": {"alpha": 0.2}}``. Softmax
    maps a vector to a vector, so its panel shows the three probabilities of the scores
    (z, 1, 0) as the first score z varies. The figure is at most 7 inches wide (the page's
    width), its text in the body size; the input z is labelled under each column, the output
    beside each row.

    >>> fig = plot_activation_gallery(["sigmoid", "relu"])
    >>> [ax.get_title() for ax in fig.axes]
    ['sigmoid', 'ReLU']
    """
    names, kwargs, ncols = _gallery_arguments(names, x_range, params, ncols)

    import matplotlib.pyplot as plt

    nrows = -(-len(names) // ncols)
    width = min(FIGURE_WIDTH, 2.6 * ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width, 2.3 * nrows + 0.3), squeeze=False, layout="constrained"
    )
    z = np.linspace(*x_range, 401)
    for i, (ax, name) in enumerate(zip(axes.flat, names)):
        extra = kwargs.get(name, {})
        title = _TITLES[name]
        if extra:
            title += (
                "\n(" + ", ".join(f"{_GREEK.get(k, k)} = {v:g}" for k, v in extra.items()) + ")"
            )
        if name == "softmax":
            _draw_softmax(ax, z, extra)
            ax.set_ylabel("probability")
        else:
            ax.plot(z, ACTIVATIONS[name](z, **extra))
            if i % ncols == 0:  # the first panel of a row
                ax.set_ylabel("output f(z)")
        if i + ncols >= len(names):  # the last panel of a column
            ax.set_xlabel("input z")
        ax.set_title(title, fontsize="medium")
        ax.axhline(0, color="grey", lw=0.5)
        ax.axvline(0, color="grey", lw=0.5)
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(names) :]:
        fig.delaxes(ax)
    return fig
