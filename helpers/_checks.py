"""What the helpers' public functions share: argument checks, fitting the page, one number format.

The public functions work as scikit-learn's do: check every argument first (with the functions
here, so that the same mistake gets the same message everywhere), then compute, then draw. Each
check returns the value it accepted, or raises an error that names the function, says what was
expected and shows what arrived: a ``TypeError`` for a value of the wrong kind, a ``ValueError``
for a value of the right kind that is out of range.

A figure fits the website's column when Jupyter's image of it is at most :data:`PAGE_PIXELS`
wide and no text in it is smaller than the page's (:func:`page_problems` says what keeps one from
fitting); the helpers draw figures at most :data:`FIGURE_WIDTH` inches wide, and :func:`text_width`
and :func:`wrap_text` measure and break text to fit.

This module imports nothing heavy: Keras models are recognised by their class names, and
matplotlib is imported only inside the functions that measure text or look at a figure.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

#: The website's column, in pixels; figures are drawn at 100 dpi, so it is 7.04 inches wide. A
#: wider image is shrunk to the column, and its text with it, below the size of the page's text.
PAGE_PIXELS = 704
#: The widest figure the helpers draw, in inches. Jupyter saves a figure cropped to what it draws,
#: with a margin of 0.1 inch on each side (``savefig.pad_inches``): a figure this wide becomes an
#: image of at most 700 pixels, which the column shows at full size.
FIGURE_WIDTH = 6.8

# Keras 3 (``keras``) and Keras 2 as ``tf_keras``: models of either have the same predict().
_KERAS_PACKAGES = ("keras", "tf_keras")


def whole_number(value: Any, name: str, function: str, *, minimum: int = 1, why: str = "") -> int:
    """``value`` as an int if it is a whole number of at least ``minimum`` (a bool is not).

    ``why`` is a short reason in brackets, added to the message: " (how many features to show)".

    >>> whole_number(3, "ncols", "show_images")
    3
    >>> whole_number(0, "ncols", "show_images")
    Traceback (most recent call last):
    ...
    ValueError: show_images() needs ncols as a whole number of at least 1; got 0
    >>> whole_number(2.5, "top", "explain_prediction", why=" (features to show)")
    Traceback (most recent call last):
    ...
    TypeError: explain_prediction() needs top as a whole number of at least 1 (features to show); got float 2.5
    """
    expected = f"{function}() needs {name} as a whole number of at least {minimum}{why}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{expected}; got {type(value).__name__} {value!r:.60}")
    if value < minimum:
        raise ValueError(f"{expected}; got {value!r}")
    return int(value)


def real_number(
    value: Any, name: str, function: str, *, minimum: float | None = None, why: str = ""
) -> float:
    """``value`` as a float if it is a finite number (of at least ``minimum``, when given).

    >>> real_number(0.5, "threshold", "plot_decision_boundary")
    0.5
    >>> real_number(-0.1, "alpha", "leaky_relu", minimum=0)
    Traceback (most recent call last):
    ...
    ValueError: leaky_relu() needs alpha as a finite number >= 0; got -0.1
    """
    bound = "" if minimum is None else f" >= {minimum:g}"
    expected = f"{function}() needs {name} as a finite number{bound}{why}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{expected}; got {type(value).__name__} {value!r:.60}")
    if not math.isfinite(value) or (minimum is not None and value < minimum):
        raise ValueError(f"{expected}; got {value!r}")
    return float(value)


def one_of(value: Any, name: str, options: Sequence[Any], function: str) -> Any:
    """``value`` if it is one of ``options`` (compared with ``==``, as ``in`` does).

    >>> one_of("yes", "validation", (True, False, "auto"), "plot_history")
    Traceback (most recent call last):
    ...
    ValueError: plot_history() needs validation as True, False or 'auto'; got 'yes'
    """
    try:
        known = value in options
    except (TypeError, ValueError):  # e.g. an array, whose == gives an array
        known = False
    if not known:
        listed = [repr(option) for option in options]
        choices = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " or " + listed[-1]
        raise ValueError(f"{function}() needs {name} as {choices}; got {value!r:.60}")
    return value


def text_or_none(value: Any, name: str, function: str) -> str | None:
    """``value`` if it is a string or None (a title, for example)."""
    if value is not None and not isinstance(value, str):
        raise TypeError(
            f"{function}() needs {name} as a string; got {type(value).__name__} {value!r:.60}"
        )
    return value


def figure_size(value: Any, function: str) -> tuple[float, float] | None:
    """``value`` as (width, height) in inches, both > 0, or None."""
    if value is None:
        return None
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) and v > 0 for v in value)
    ):
        raise ValueError(
            f"{function}() needs figsize as (width, height) in inches, both > 0; got {value!r:.60}"
        )
    return float(value[0]), float(value[1])


def axes_or_none(ax: Any, function: str) -> Any:
    """``ax`` if it is a Matplotlib Axes (to draw in) or None (a new figure)."""
    if ax is not None:
        from matplotlib.axes import Axes

        if not isinstance(ax, Axes):
            raise TypeError(
                f"{function}() needs ax as a Matplotlib Axes or None; got {type(ax).__name__} {ax!r:.60}"
                " (plt.subplots() returns the figure and its axes: fig, ax = plt.subplots())"
            )
    return ax


def _classes(value: Any) -> list[tuple[str, str]]:
    """(package, class name) of each class ``value`` is an instance of."""
    return [(cls.__module__.split(".")[0], cls.__name__) for cls in type(value).__mro__]


def is_keras_model(value: Any) -> bool:
    """True for a Keras model (``keras.Sequential``, a functional or subclassed ``keras.Model``).

    Told from the class names, without importing Keras (for any other value, Keras is not needed).

    >>> is_keras_model([3, 4, 1])
    False
    """
    return any(package in _KERAS_PACKAGES and name == "Model" for package, name in _classes(value))


def keras_model(model: Any, function: str) -> Any:
    """``model`` if it is a built Keras model; a TypeError or ValueError that says how to get one."""
    if not is_keras_model(model):
        hint = ""
        if any(package in _KERAS_PACKAGES and name == "Layer" for package, name in _classes(model)):
            hint = "; wrap the layer in a model, e.g. keras.Sequential([keras.Input(shape=(3,)), layer])"
        raise TypeError(
            f"{function}() needs a Keras model (keras.Sequential or keras.Model); "
            f"got {type(model).__name__} {model!r:.60}{hint}"
        )
    if not model.built:
        raise ValueError(
            f"{function}() needs a built Keras model, but model {model.name!r} has no input shape yet; "
            "call model.build(...) or start with keras.Input(shape=...), e.g. "
            "keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4)]) or model.build((None, 3))"
        )
    return model


def short_number(value: float) -> str:
    """A number as a short label: a feature's value, a prediction, a dropout rate.

    Up to three significant digits; whole numbers without decimals (years stay 1995, not 1,995);
    thousands separators from 10,000 on.

    >>> [short_number(v) for v in (0, 0.2, 3.0, 13.5, 0.8372, 1995, 2500.7, 180610.4)]
    ['0', '0.2', '3', '13.5', '0.837', '1995', '2501', '180,610']
    """
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    if value == int(value) or abs(value) >= 1000:
        return f"{value:.0f}"
    return f"{value:.3g}"


def text_width(text: str, size: float, **font: Any) -> float:
    """The width in inches of ``text`` (of its widest line) set in ``size`` points.

    ``font`` is passed to matplotlib's FontProperties: ``weight="bold"``, ``family="monospace"``.
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(size=size, **font)
    measure = TextToPath().get_text_width_height_descent
    return max(measure(line, prop, ismath=False)[0] for line in text.split("\n")) / 72


def wrap_text(text: str, width: float, size: float, **font: Any) -> str:
    """``text`` broken between words so that no line is wider than ``width`` inches (if a word allows).

    >>> wrap_text("Training the churn network", 10.0, 12)
    'Training the churn network'
    >>> print(wrap_text("Training the churn network", 0.1, 12))  # no two words fit: one a line
    Training
    the
    churn
    network
    """
    lines: list[str] = []
    for given in text.split("\n"):  # the lines the text already has are kept
        words = given.split(" ")
        lines.append(words[0])
        for word in words[1:]:
            if text_width(f"{lines[-1]} {word}", size, **font) <= width:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
    return "\n".join(lines)


def page_problems(fig: Any, *, min_font_size: float = 12.0) -> list[str]:
    """What keeps a figure from fitting the website's column, or [] when it fits.

    A figure fits when it is at most 7 inches wide, the image Jupyter saves of it (cropped to what
    it draws, plus ``savefig.pad_inches`` on each side, at 100 dpi) is at most :data:`PAGE_PIXELS`
    wide, and no text in it is smaller than ``min_font_size`` points (the chapters set
    matplotlib's ``font.size`` to 12: the page's text). It draws the figure to find every text.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(8, 3))
    >>> _ = ax.set_title("Too small", fontsize=8)
    >>> page_problems(fig)[:2]
    ['the figure is 8.00 inches wide (at most 7)', "'Too small' is set in 8 points (at least 12)"]
    >>> plt.close(fig)
    """
    import matplotlib
    from matplotlib.text import Text

    fig.canvas.draw()
    problems = []
    width = fig.get_size_inches()[0]
    if width > 7 + 1e-9:
        problems.append(f"the figure is {width:.2f} inches wide (at most 7)")
    pad = matplotlib.rcParams["savefig.pad_inches"]
    pad = 0.1 if pad == "layout" else float(pad)
    drawn = fig.get_tightbbox(fig.canvas.get_renderer()).width  # in inches
    pixels = round((drawn + 2 * pad) * 100)
    if pixels > PAGE_PIXELS:
        problems.append(
            f"its image is {pixels} pixels wide, {drawn:.2f} inches drawn (at most {PAGE_PIXELS})"
        )
    small = {
        (text.get_fontsize(), text.get_text())
        for text in fig.findobj(Text)
        if text.get_visible() and text.get_text().strip() and text.get_fontsize() < min_font_size
    }
    for size, text in sorted(small):
        problems.append(f"{text!r:.40} is set in {size:g} points (at least {min_font_size:g})")
    return problems
