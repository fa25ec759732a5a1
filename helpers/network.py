"""Drawings of a Keras model's architecture: neurons and connections, or Keras's own layer graph."""

from __future__ import annotations

import importlib.util
import math
import shutil
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers._checks import (
    FIGURE_WIDTH,
    axes_or_none,
    figure_size,
    keras_model,
    short_number,
    text_or_none,
    text_width,
    whole_number,
    wrap_text,
)

if (
    TYPE_CHECKING
):  # matplotlib and Keras are imported inside the functions: importing this module stays cheap
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_model_diagram", "plot_network"]

# Layers that change no neuron count: drawn as a note under the column whose values they act on.
_DROPOUT_LAYERS = ("Dropout", "AlphaDropout", "GaussianDropout", "GaussianNoise")
_ACTIVATION_LAYERS = ("Activation", "ReLU", "LeakyReLU", "ELU", "PReLU", "Softmax")
_DRAWN_LAYERS = ("InputLayer", "Dense", "Flatten", *_DROPOUT_LAYERS, *_ACTIVATION_LAYERS)

_PLOT_MODEL_HINT = (
    "for such a model use keras.utils.plot_model(model, show_shapes=True) "
    "or helpers.network.plot_model_diagram(model)"
)

# Colors of the drawing: fill and edge of input, hidden and output neurons.
_NODE_COLORS = {
    "input": ("#c7e9c0", "#31a354"),
    "hidden": ("#c6dbef", "#3182bd"),
    "output": ("#fdd0a2", "#e6550d"),
}
_NOTE_COLOR = "#8c510a"
_LINE_COLOR = "#6f6f6f"

# Geometry of a new figure, in inches (the drawing's data units are inches too). The column
# spacing grows with the labels under the columns, which are set in the body text size.
_SLOT = 0.4  # vertical distance between neurons
_RADIUS = 0.13
_MIN_PITCH = 1.0  # horizontal distance between columns, at least
_GAP = 0.25  # between the labels of neighbouring columns, and around the parameter panel
_LINE_SPACING = 1.3  # of the labels' lines, in font sizes
_PANEL_LINE_SPACING = 1.4


@dataclass
class _Column:
    """One column of neurons: the input vector or a Dense layer."""

    title: str
    units: int | None
    kind: str  # "input" or the layer's class name
    activation: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class _ParamRow:
    """One line of the description panel: a layer and its parameter count."""

    name: str
    kind: str
    formula: str
    count: int


@dataclass
class _Layout:
    """Where everything goes, in inches: columns, neurons, labels, the panel and the whole box."""

    xs: list[float]  # each column's x
    neurons: list[list[float]]  # the y of each drawn neuron, per column
    ellipses: list[float | None]  # the y of each column's "⋮", or None
    name_y: float  # the top of the layer names, under the lowest neuron
    label_y: float  # the top of the unit counts and activations
    notes_y: float  # the top of the first note
    line: float  # the height of one line of labels
    panel_xy: (
        tuple[float, float] | None
    )  # the panel's anchor: left middle (beside) or top centre (below)
    panel_below: bool
    box: tuple[float, float, float, float]  # left, right, bottom, top of everything drawn


# --------------------------------------------------------------------------- reading the model


def _kind(layer: Any) -> str:
    """The layer's class name, or the drawable class it derives from (a subclass of Dense is Dense)."""
    for cls in type(layer).__mro__:
        if cls.__name__ in _DRAWN_LAYERS:
            return cls.__name__
    return type(layer).__name__


def _is_sequential(model: Any) -> bool:
    return any(cls.__name__ == "Sequential" for cls in type(model).__mro__)


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(d) for d in shape)


def _activation_name(function: Any) -> str:
    name = getattr(function, "__name__", None) or getattr(function, "name", None)
    return str(name) if name else type(function).__name__


def _input_shape(model: Any) -> tuple[int, ...]:
    """The shape of the model's one input, after checking that it has one input and one output."""
    inputs = getattr(model, "inputs", None)
    outputs = getattr(model, "outputs", None)
    if inputs is None or outputs is None:
        raise ValueError(
            f"plot_network() draws Sequential and functional models; model {model.name!r} is a subclass "
            f"of keras.Model ({type(model).__name__}) whose wiring is hidden in its call() method; "
            "rebuild it as keras.Sequential([...]) or keras.Model(inputs, outputs)"
        )
    if len(inputs) != 1 or len(outputs) != 1:
        raise ValueError(
            f"plot_network() draws models with one input and one output; model {model.name!r} has "
            f"{len(inputs)} inputs and {len(outputs)} outputs; {_PLOT_MODEL_HINT}"
        )
    shape = tuple(inputs[0].shape[1:])
    if any(d is None for d in shape):
        raise ValueError(
            f"plot_network() needs a fixed input shape; model {model.name!r} takes inputs of shape "
            f"{shape} (None is a dimension of unknown size); give keras.Input(shape=...) every size"
        )
    return shape


def _chain(model: Any) -> list[tuple[Any, str]]:
    """The model's layers after its input, with their kinds, checked to be drawable and one chain."""
    chained = not _is_sequential(model)  # a Sequential model is a chain by construction
    layers, previous = [], None
    for layer in model.layers:
        kind = _kind(layer)
        if kind not in _DRAWN_LAYERS:
            raise ValueError(
                f"plot_network() cannot draw layer {layer.name!r} of type {kind}: it supports Dense, "
                f"Input, Flatten, {', '.join(_DROPOUT_LAYERS)} and activation layers; {_PLOT_MODEL_HINT}"
            )
        if chained and previous is not None and layer.input is not previous.output:
            raise ValueError(
                f"plot_network() draws models whose layers form one chain; layer {layer.name!r} ({kind}) "
                f"does not take its input from the layer before it, {previous.name!r}; {_PLOT_MODEL_HINT}"
            )
        previous = layer
        if kind != "InputLayer":
            layers.append((layer, kind))
    if chained and previous is not None and previous.output is not model.outputs[0]:
        raise ValueError(
            f"plot_network() draws models whose layers form one chain; the output of model {model.name!r} "
            f"does not come from its last layer {previous.name!r} (is a layer used twice?); "
            f"{_PLOT_MODEL_HINT}"
        )
    return layers


def _note(layer: Any, kind: str, shape: tuple[int, ...]) -> str | None:
    """What a layer that changes no neuron count does, written under its column (None: nothing)."""
    if kind == "Flatten":
        return f"Flatten {_shape_text(shape)} → {math.prod(shape):,}" if len(shape) > 1 else None
    if kind == "GaussianNoise":
        return f"GaussianNoise σ={short_number(layer.stddev)}"
    if kind in _DROPOUT_LAYERS:
        return f"{kind} {short_number(layer.rate)}"
    if kind == "Activation":
        return f"Activation {_activation_name(layer.activation)}"
    if kind == "LeakyReLU":
        return f"LeakyReLU {short_number(getattr(layer, 'negative_slope', getattr(layer, 'alpha', 0)))}"
    return kind


def _dense_column(layer: Any, shape: tuple[int, ...]) -> tuple[_Column, _ParamRow]:
    if len(shape) != 1:
        raise ValueError(
            f"plot_network() draws Dense layers that act on flat vectors; layer {layer.name!r} "
            f"(Dense) receives inputs of shape {shape}; put layers.Flatten() before it"
        )
    formula = f"{shape[0]:,} × {layer.units:,}" + (f" + {layer.units:,}" if layer.use_bias else "")
    column = _Column(layer.name, layer.units, "Dense", _activation_name(layer.activation))
    return column, _ParamRow(layer.name, "Dense", formula, layer.count_params())


def _read_model(model: Any) -> tuple[list[_Column], list[_ParamRow]]:
    """The columns to draw and the parameter rows to list, or an error that says why not."""
    keras_model(model, "plot_network")
    shape = _input_shape(model)
    columns = [_Column("Input", shape[0] if len(shape) == 1 else None, "input")]
    rows: list[_ParamRow] = []
    for layer, kind in _chain(model):
        count = layer.count_params()
        if kind == "Dense":
            column, row = _dense_column(layer, shape)
            columns.append(column)
            rows.append(row)
        else:
            note = _note(layer, kind, shape)
            if note:
                columns[-1].notes.append(note)
            if kind == "Flatten" and columns[-1].units is None:
                columns[-1].units = math.prod(shape)
            rows.append(_ParamRow(layer.name, kind, f"{count:,} slopes" if count else "", count))
        shape = tuple(layer.output.shape[1:])
    if len(columns) == 1:
        raise ValueError(
            f"plot_network() draws Dense layers; model {model.name!r} has none "
            f"(its layers: {[type(layer).__name__ for layer in model.layers]})"
        )
    if len(shape) != 1:
        raise ValueError(
            f"plot_network() draws models whose output is a flat vector; model {model.name!r} "
            f"outputs shape {shape}; {_PLOT_MODEL_HINT}"
        )
    return columns, rows


# --------------------------------------------------------------------------- the text and the layout


def _column_label(column: _Column) -> str:
    if column.kind == "input":
        return f"{column.units:,} {'feature' if column.units == 1 else 'features'}"
    return f"{column.units:,} {'unit' if column.units == 1 else 'units'}\n{column.activation}"


def _description_text(rows: list[_ParamRow], intro: str | None) -> str:
    """The description panel: one row per layer, its parameter count and how it is computed."""
    name_width = max(len(f"{r.name} ({r.kind})") for r in rows)
    formula_width = max([len(r.formula) for r in rows] + [0])
    total = sum(r.count for r in rows)
    count_width = max(len(f"{total:,}"), 5)
    lines = []
    for r in rows:
        label = f"{r.name} ({r.kind})".ljust(name_width)
        formula = f"{r.formula} =" if r.formula else ""
        lines.append(f"{label}  {formula.rjust(formula_width + 2)} {r.count:>{count_width},}")
    width = len(lines[0])
    rule = "─" * width
    total_line = "Total".ljust(width - count_width) + f"{total:>{count_width},}"
    header = "Parameters (weights + biases)"
    text = "\n".join([header, rule, *lines, rule, total_line])
    if not intro:
        return text
    # The panel's own text is wrapped to the width of the table (monospace: characters are columns).
    wrapped = "\n".join(textwrap.fill(line, max(width, 30)) for line in intro.splitlines())
    return f"{wrapped}\n\n{text}"


def _default_title(name: str, columns: list[_Column], rows: list[_ParamRow]) -> str:
    sizes = " → ".join(f"{c.units:,}" for c in columns)
    return f"{name}: {sizes} ({sum(r.count for r in rows):,} parameters)"


def _font_size(scale: float = 1.0) -> float:
    """The body text size of the figures (matplotlib's font.size; the chapters set 12 points)."""
    import matplotlib

    return float(matplotlib.rcParams["font.size"]) * scale


def _text_size(text: str, size: float, **font: Any) -> tuple[float, float]:
    """Width and height in inches of ``text`` set in ``size`` points, one line after another."""
    return text_width(text, size, **font), (text.count("\n") + 1) * size * _LINE_SPACING / 72


def _column_half_width(column: _Column) -> float:
    """Half the width of the widest text under a column, or of a neuron."""
    size = _font_size()
    widths = [
        text_width(column.title, size, weight="bold"),
        text_width(_column_label(column), size),
        *(text_width(note, size, style="italic") for note in column.notes),
    ]
    return max(max(widths) / 2, _RADIUS)


def _visible_nodes(units: int, max_nodes: int) -> tuple[list[int], int | None]:
    """The neuron indices drawn for a layer of ``units``, and the slot of the ellipsis (None if none).

    A wide layer takes ``max_nodes`` slots: its first two thirds and last third of ``max_nodes - 1``
    neurons, with the ellipsis in the slot between.
    """
    if units <= max_nodes:
        return list(range(units)), None
    shown = max_nodes - 1
    tail = shown // 3
    head = shown - tail
    return list(range(head)) + list(range(units - tail, units)), head


def _layout(
    columns: list[_Column],
    max_nodes: int,
    panel: tuple[float, float] | None,
    below: bool | None = None,
) -> _Layout:
    """Place the columns, their neurons and labels, and the panel (width, height) beside or below.

    By default (``below=None``) the panel goes beside the drawing when both fit in the page's
    width, and below it otherwise.
    """
    halves = [_column_half_width(c) for c in columns]
    xs = [0.0]
    for left, right in zip(halves, halves[1:]):
        xs.append(xs[-1] + max(_MIN_PITCH, left + right + _GAP))
    slots = max(min(c.units, max_nodes) for c in columns)
    middle = -(slots - 1) * _SLOT / 2
    neurons, ellipses = [], []
    for column in columns:
        indices, cut = _visible_nodes(column.units, max_nodes)
        n_slots = len(indices) + (cut is not None)
        ys = [middle + ((n_slots - 1) / 2 - s) * _SLOT for s in range(n_slots)]
        ellipses.append(ys.pop(cut) if cut is not None else None)
        neurons.append(ys)
    line = _font_size() * _LINE_SPACING / 72
    name_y = -(slots - 1) * _SLOT - _RADIUS - 0.1
    label_y = name_y - 1.1 * line
    notes_y = label_y - 2 * line - 0.08
    most_notes = max(len(c.notes) for c in columns)
    bottom = (notes_y - most_notes * line if most_notes else label_y - 2 * line) - 0.05
    left, right, top = -halves[0] - 0.1, xs[-1] + halves[-1] + 0.1, _RADIUS + 0.1
    panel_xy = None
    if panel is not None:
        width, height = panel
        if below is None:
            below = right - left + _GAP + width > FIGURE_WIDTH
        if not below:
            panel_xy = (right + _GAP, middle)
            bottom = min(bottom, middle - height / 2)
            top = max(top, middle + height / 2)
            right += _GAP + width
        else:
            centre = (left + right) / 2
            panel_xy = (centre, bottom - _GAP / 2)
            bottom -= _GAP / 2 + height
            left, right = min(left, centre - width / 2), max(right, centre + width / 2)
    return _Layout(
        xs,
        neurons,
        ellipses,
        name_y,
        label_y,
        notes_y,
        line,
        panel_xy,
        bool(below),
        (left, right, bottom, top),
    )


# --------------------------------------------------------------------------- drawing


def _draw_network(ax: Axes, columns: list[_Column], layout: _Layout, scale: float) -> None:
    """The connections, neurons and labels, in data units of inches; text sizes times ``scale``."""
    _draw_connections(ax, layout, scale)  # first, so that the neurons are drawn over their ends
    for i, column in enumerate(columns):
        role = "input" if i == 0 else "output" if i == len(columns) - 1 else "hidden"
        _draw_column(ax, column, i, layout, scale, _NODE_COLORS[role])


def _draw_connections(ax: Axes, layout: _Layout, scale: float) -> None:
    """Every neuron of a column joined to every neuron of the next, fainter when they are many."""
    from matplotlib.collections import LineCollection

    segments = []
    for (x0, ys0), (x1, ys1) in zip(
        zip(layout.xs, layout.neurons), zip(layout.xs[1:], layout.neurons[1:])
    ):
        segments.extend([(x0, y0), (x1, y1)] for y0 in ys0 for y1 in ys1)
    alpha = min(0.7, max(0.12, 4 / math.sqrt(len(segments))))
    lines = LineCollection(
        segments, colors=_LINE_COLOR, linewidths=0.7 * scale, alpha=alpha, zorder=1
    )
    lines.set_gid("connections")
    ax.add_collection(lines)


def _draw_column(
    ax: Axes, column: _Column, i: int, layout: _Layout, scale: float, colors: tuple[str, str]
) -> None:
    """Column ``i``'s neurons (with "⋮" for those left out), its name, its label and its notes."""
    from matplotlib.patches import Circle

    size = _font_size(scale)
    x, ellipsis_y = layout.xs[i], layout.ellipses[i]
    fill, edge = colors
    for y in layout.neurons[i]:
        circle = Circle(
            (x, y), _RADIUS, facecolor=fill, edgecolor=edge, linewidth=1.3 * scale, zorder=2
        )
        circle.set_gid("neuron")
        ax.add_patch(circle)
    if ellipsis_y is not None:
        ax.text(
            x, ellipsis_y, "⋮", ha="center", va="center", fontsize=1.6 * size, color=edge, zorder=3
        )
    ax.text(x, layout.name_y, column.title, ha="center", va="top", fontsize=size, fontweight="bold")
    ax.text(
        x,
        layout.label_y,
        _column_label(column),
        ha="center",
        va="top",
        fontsize=size,
        linespacing=_LINE_SPACING,
    )
    for j, note in enumerate(column.notes):
        ax.text(
            x,
            layout.notes_y - j * layout.line,
            note,
            ha="center",
            va="top",
            fontsize=size,
            fontstyle="italic",
            color=_NOTE_COLOR,
        )


def _draw_panel(ax: Axes, text: str, layout: _Layout, scale: float) -> None:
    """The parameter counts, beside the drawing (level with its middle) or centred below it."""
    x, y = layout.panel_xy
    font = {
        "fontsize": _font_size(scale),
        "family": "monospace",
        "linespacing": _PANEL_LINE_SPACING,
    }
    if layout.panel_below:
        ax.text(x, y, text, ha="center", va="top", multialignment="left", gid="description", **font)
    else:
        ax.text(x, y, text, ha="left", va="center", gid="description", **font)


def _fit_axes(ax: Axes, layout: _Layout, scale: float) -> None:
    """Show the drawing at the top centre of ``ax``, at ``scale`` inches per inch of the layout.

    An Axes larger than the drawing leaves room beside and under it rather than enlarging the
    drawing, whose text would not grow with it.
    """
    left, right, bottom, top = layout.box
    width, height = _inches(ax)
    middle = (left + right) / 2
    ax.set_xlim(middle - width / scale / 2, middle + width / scale / 2)
    ax.set_ylim(top - height / scale, top)  # under its title
    ax.set_aspect("equal")
    ax.set_axis_off()


def _panel_size(text: str) -> tuple[float, float]:
    """Width and height in inches of the parameter panel's text."""
    height = (text.count("\n") + 1) * _font_size() * _PANEL_LINE_SPACING / 72
    return text_width(text, _font_size(), family="monospace"), height


def _root_figure(ax: Axes) -> Figure:
    """The Figure that ``ax`` is drawn in (the root Figure when ``ax`` lives in a SubFigure)."""
    fig = ax.figure
    return getattr(fig, "figure", fig)


def _inches(ax: Axes) -> tuple[float, float]:
    """The width and height of ``ax`` in inches."""
    dpi = _root_figure(ax).dpi
    return ax.bbox.width / dpi, ax.bbox.height / dpi


def _scale(layout: _Layout, inches: tuple[float, float]) -> float:
    """How much the drawing shrinks to fit ``inches`` (width, height): 1 when it fits as it is."""
    left, right, bottom, top = layout.box
    return min(1.0, inches[0] / (right - left), inches[1] / (top - bottom))


def _new_figure(
    layout: _Layout, title: str, figsize: tuple[float, float] | None
) -> tuple[Figure, Axes, float]:
    """A figure sized for the drawing and its title, at most the page's width; and the text scale.

    Text keeps the body size unless the drawing is wider than the page (or than ``figsize``):
    then it shrinks with the drawing, so that labels keep clear of each other.
    """
    import matplotlib.pyplot as plt

    left, right, bottom, top = layout.box
    width, height = right - left, top - bottom
    title_size = _font_size(1.2)
    title = wrap_text(title, (figsize or (FIGURE_WIDTH,))[0] - 0.2, title_size, weight="bold")
    title_width, title_height = _text_size(title, title_size, weight="bold")
    title_height += 0.2
    size = figsize or (min(FIGURE_WIDTH, max(width, title_width + 0.2)), height + title_height)
    fig = plt.figure(figsize=size)
    fig_w, fig_h = fig.get_size_inches()
    scale = _scale(layout, (fig_w, fig_h - title_height))
    ax = fig.add_axes(
        ((fig_w - scale * width) / 2 / fig_w, 0, scale * width / fig_w, scale * height / fig_h)
    )
    fig.suptitle(
        title,
        fontsize=max(title_size * scale, _font_size(0.8)),
        fontweight="bold",
        y=1 - 0.1 / fig_h,
        va="top",
    )
    return fig, ax, scale


_MAX_NODES_WHY = " (room for the first neurons, '⋮' and the last one)"


def _figure_for(layout: _Layout, title: str, figsize, ax: Axes | None):
    """(figure, axes, text scale): a new figure sized for the drawing, or the given Axes, titled."""
    if ax is None:
        return _new_figure(layout, title, figsize)
    scale = _scale(layout, _inches(ax))
    ax.set_title(title, fontsize=max(_font_size(1.2) * scale, _font_size(0.8)), weight="bold")
    return _root_figure(ax), ax, scale


def _panel_text(description: bool | str | None, rows: list[_ParamRow]) -> str | None:
    """The panel's text: the parameter counts (under ``description`` when it is a string), or None
    without a panel."""
    if description is True or isinstance(description, str):
        return _description_text(rows, description if isinstance(description, str) else None)
    return None


def _check_description(description: Any) -> None:
    if description is not None and not isinstance(description, (bool, str)):
        raise TypeError(
            "plot_network() needs description as True, False, None or a string of text for the panel; "
            f"got {type(description).__name__} {description!r:.60}"
        )


def _layout_in(
    ax: Axes, columns: list[_Column], max_nodes: int, panel_size: tuple[float, float] | None
) -> _Layout:
    """The layout in a given Axes: the panel beside or below the drawing, whichever leaves the
    larger drawing there."""
    engine = _root_figure(ax).get_layout_engine()
    if engine is not None:  # place ax where its figure's layout will put it (constrained, tight)
        engine.execute(_root_figure(ax))
    return max(
        (_layout(columns, max_nodes, panel_size, below) for below in (False, True)),
        key=lambda candidate: _scale(candidate, _inches(ax)),
    )


def plot_network(
    model: Any,
    *,
    max_nodes: int = 10,
    description: bool | str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Draw a network of Dense layers as columns of neurons joined by their connections (chapter 2).

    ``model`` is a built Keras model (``keras.Sequential`` or a functional ``keras.Model``) made of
    Dense, Input, Flatten, Dropout-like and activation layers, in one chain. Each Dense layer is a
    column of circles, labelled with its name, its number of units and its activation; every
    neuron is joined to every neuron of the next column. Layers that change no neuron count are
    written under the column they act on: ``Flatten 28×28 → 784`` under the inputs, ``Dropout 0.2``
    under the layer whose outputs it drops. A layer wider than ``max_nodes`` (at least 4) is drawn
    as its first and last few neurons with ``⋮`` between them; its label gives the true count.

    ``description=True`` adds a panel with each layer's parameter count, how it is computed, and
    the total; a string adds the panel with that text above the counts. The panel goes beside the
    drawing when both fit the page's width (7 inches), and below it otherwise. ``title`` replaces
    the default title (the model's name, its layer sizes and its number of parameters). A new
    figure is sized for the drawing, at most 7 inches wide, with its text in the body size
    (matplotlib's ``font.size``); ``figsize`` sets its size instead. Given ``ax``, the drawing
    fills that Axes, and its text shrinks if the Axes is too small for it. Returns the Figure.

    >>> import keras
    >>> from keras import layers
    >>> model = keras.Sequential([keras.Input(shape=(3,)),
    ...                           layers.Dense(4, activation="relu"),
    ...                           layers.Dense(1, activation="sigmoid")], name="tiny")
    >>> fig = plot_network(model, description=True)  # a 3-4-1 network and its parameter counts
    >>> [text.get_text() for text in fig.texts]  # the title
    ['tiny: 3 → 4 → 1 (21 parameters)']
    """
    # Checking: the plain arguments first, then the model (which imports Keras).
    max_nodes = whole_number(max_nodes, "max_nodes", "plot_network", minimum=4, why=_MAX_NODES_WHY)
    _check_description(description)
    title = text_or_none(title, "title", "plot_network")
    figsize, ax = figure_size(figsize, "plot_network"), axes_or_none(ax, "plot_network")
    columns, rows = _read_model(model)

    # Computing: the panel's text, the title and where everything goes.
    panel_text = _panel_text(description, rows)
    title = _default_title(model.name, columns, rows) if title is None else title
    panel_size = None if panel_text is None else _panel_size(panel_text)
    layout = (
        _layout(columns, max_nodes, panel_size)
        if ax is None
        else _layout_in(ax, columns, max_nodes, panel_size)
    )

    # Drawing: into a new figure sized for the drawing, or into the given Axes.
    fig, ax, scale = _figure_for(layout, title, figsize, ax)
    _draw_network(ax, columns, layout, scale)
    if panel_text is not None:
        _draw_panel(ax, panel_text, layout, scale)
    _fit_axes(ax, layout, scale)
    return fig


# ---------------------------------------------------------------------------------------------------
# Keras's own layer graph, through pydot and Graphviz.

_PYDOT_MODULES = ("pydot", "pydot_ng", "pydotplus")  # the forks keras.utils.plot_model accepts

_INSTALL_PYDOT = (
    "install it with `pip install pydot` (or `conda install pydot`) and restart the kernel"
)
_INSTALL_GRAPHVIZ = (
    "install Graphviz with `apt-get install graphviz` (Debian, Ubuntu), `brew install graphviz` "
    "(macOS), `conda install -c conda-forge graphviz` (any system, in a conda environment) or the "
    "installer from https://graphviz.org/download/ (Windows; let it add Graphviz to the PATH), then "
    "restart the kernel. `pip install graphviz` is not enough: it installs Python bindings, not the program"
)
_COLAB_AND_FALLBACK = "On Colab both are already installed. plot_network(model) needs neither."


def _missing_graph_tools() -> str | None:
    """What is missing for keras.utils.plot_model, as an instruction; None when nothing is."""
    if not any(importlib.util.find_spec(name) is not None for name in _PYDOT_MODULES):
        return (
            "plot_model_diagram() draws with keras.utils.plot_model, which needs the Python package "
            f"pydot and the Graphviz program `dot`; pydot is not installed: {_INSTALL_PYDOT}."
            + ("" if shutil.which("dot") else f" Graphviz is missing too: {_INSTALL_GRAPHVIZ}.")
            + f" {_COLAB_AND_FALLBACK}"
        )
    if shutil.which("dot") is None:
        return (
            "plot_model_diagram() draws with keras.utils.plot_model, which needs the Graphviz program "
            f"`dot`, and `dot` is not on the PATH: {_INSTALL_GRAPHVIZ}. {_COLAB_AND_FALLBACK}"
        )
    return None


def plot_model_diagram(
    model: Any,
    path: str | Path | None = None,
    *,
    show_shapes: bool = True,
    show_layer_names: bool = True,
    show_layer_activations: bool = True,
    dpi: int = 96,
    **kwargs: Any,
) -> Any:
    """Keras's own diagram of a model (``keras.utils.plot_model``): one box per layer (chapter 2).

    Use it for models that :func:`plot_network` cannot draw (convolutions, recurrent layers,
    branches); ``model`` is any built Keras model. It needs the Python package pydot and the
    Graphviz program ``dot``; when either is missing it raises an ImportError that says how to
    install it (Keras itself only prints a message in notebooks and returns nothing).

    ``path`` is where to save the image (``.png`` or ``.jpg``); by default it is written to a
    temporary file that is deleted once read, so no ``model.png`` is left behind.
    ``show_shapes``, ``show_layer_names``, ``show_layer_activations`` and ``dpi`` are
    ``keras.utils.plot_model``'s (these defaults show more than Keras's, at screen resolution);
    other keyword arguments are passed on to it (e.g. ``rankdir="LR"``, ``show_dtype=True``).
    Returns an ``IPython.display.Image`` that a notebook shows inline; without IPython, the Path
    of the saved image.

    >>> import keras
    >>> from keras import layers
    >>> model = keras.Sequential([keras.Input(shape=(28, 28, 1)),
    ...                           layers.Conv2D(8, 3, activation="relu"),
    ...                           layers.Flatten(), layers.Dense(10, activation="softmax")])
    >>> image = plot_model_diagram(model)  # doctest: +SKIP
    """
    _check_image_path(path)
    keras_model(model, "plot_model_diagram")
    missing = _missing_graph_tools()
    if missing:
        raise ImportError(missing)

    options = {
        "show_shapes": show_shapes,
        "show_layer_names": show_layer_names,
        "show_layer_activations": show_layer_activations,
        "dpi": dpi,
        **kwargs,
    }
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(path) if path is not None else Path(scratch) / "model.png"
        _keras_diagram(model, target, options)
        data = target.read_bytes()
    return _shown_image(data, path, target.suffix.lower())


def _keras_diagram(model: Any, target: Path, options: dict) -> None:
    """``keras.utils.plot_model`` into ``target``; an ImportError that says how to fix it if
    pydot or Graphviz fails (in a notebook Keras prints its complaint instead of raising)."""
    import keras

    try:
        keras.utils.plot_model(model, to_file=str(target), **options)
    except ImportError as error:
        raise ImportError(
            f"keras.utils.plot_model could not use pydot and Graphviz ({error}). If you installed "
            f"them after importing Keras, restart the kernel. {_COLAB_AND_FALLBACK}"
        ) from error
    if not target.exists():
        raise ImportError(
            "keras.utils.plot_model wrote no image, although pydot and Graphviz `dot` were found; "
            "if you installed them after importing Keras, restart the kernel (Colab: Runtime → "
            f"Restart session). {_COLAB_AND_FALLBACK}"
        )


def _check_image_path(path: Any) -> None:
    """A TypeError or ValueError unless ``path`` is None or a .png or .jpg file's path."""
    if path is None:
        return
    if not isinstance(path, (str, Path)):
        raise TypeError(
            f"plot_model_diagram() needs path as a str or pathlib.Path ending in .png or .jpg, "
            f"or None; got {type(path).__name__} {path!r:.60}"
        )
    suffix = Path(path).suffix.lower()
    if suffix not in (".png", ".jpg", ".jpeg"):  # keras.utils.plot_model cannot show .svg inline
        raise ValueError(
            f"plot_model_diagram() saves .png or .jpg images; got path {str(path)!r} "
            f"(suffix {suffix or 'none'!r})"
        )


def _shown_image(data: bytes, path: str | Path | None, suffix: str) -> Any:
    """An ``IPython.display.Image`` of ``data``; without IPython, the path of the image (a new
    temporary file when ``path`` is None)."""
    try:
        from IPython.display import Image
    except ImportError:
        if path is None:
            kept = Path(tempfile.mkdtemp()) / "model.png"
            kept.write_bytes(data)
            return kept
        return Path(path)
    return Image(data=data, format="jpeg" if suffix in (".jpg", ".jpeg") else "png")
