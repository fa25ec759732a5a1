"""Drawings of a Keras model's architecture: neurons and connections, or Keras's own layer graph."""

from __future__ import annotations

import importlib.util
import math
import numbers
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # matplotlib and Keras are imported inside the functions: importing this module stays cheap
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_model_diagram", "plot_network"]

# Layers that change no neuron count: drawn as a note under the column whose values they act on.
_DROPOUT_LAYERS = ("Dropout", "AlphaDropout", "GaussianDropout", "GaussianNoise")
_ACTIVATION_LAYERS = ("Activation", "ReLU", "LeakyReLU", "ELU", "PReLU", "Softmax")

_PLOT_MODEL_HINT = (
    "for such a model use keras.utils.plot_model(model, show_shapes=True) "
    "or helpers.network.plot_model_diagram(model)"
)

# Colours of the drawing: fill and edge of input, hidden and output neurons.
_NODE_COLOURS = {
    "input": ("#c7e9c0", "#31a354"),
    "hidden": ("#c6dbef", "#3182bd"),
    "output": ("#fdd0a2", "#e6550d"),
}
_NOTE_COLOUR = "#8c510a"
_LINE_COLOUR = "#6f6f6f"


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


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(d) for d in shape)


def _number(value: float) -> str:
    """0.2 as '0.2', 3.0 as '3': short numbers for notes."""
    return f"{value:g}"


def _activation_name(function: Any) -> str:
    name = getattr(function, "__name__", None) or getattr(function, "name", None)
    return str(name) if name else type(function).__name__


def _check_model(model: Any, function: str) -> None:
    """TypeError unless ``model`` is a Keras model; ValueError unless it is built."""
    import keras

    if not isinstance(model, keras.Model):
        hint = ""
        if isinstance(model, keras.layers.Layer):
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


def _read_model(model: Any) -> tuple[list[_Column], list[_ParamRow]]:
    """The columns to draw and the parameter rows to list, or an error that says why not."""
    import keras

    _check_model(model, "plot_network")
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
    input_shape = tuple(inputs[0].shape[1:])
    if any(d is None for d in input_shape):
        raise ValueError(
            f"plot_network() needs a fixed input shape; model {model.name!r} takes inputs of shape "
            f"{input_shape} (None is a dimension of unknown size); give keras.Input(shape=...) every size"
        )

    is_sequential = isinstance(model, keras.Sequential)
    columns = [_Column("Input", input_shape[0] if len(input_shape) == 1 else None, "input")]
    rows: list[_ParamRow] = []
    shape = input_shape
    previous = None  # the layer before, to check that a functional model is a plain chain
    for layer in model.layers:
        kind = type(layer).__name__
        if isinstance(layer, keras.layers.InputLayer):
            previous = layer
            continue
        supported = isinstance(layer, (keras.layers.Dense, keras.layers.Flatten))
        if not (supported or kind in _DROPOUT_LAYERS or kind in _ACTIVATION_LAYERS):
            raise ValueError(
                f"plot_network() cannot draw layer {layer.name!r} of type {kind}: it supports Dense, "
                f"Input, Flatten, {', '.join(_DROPOUT_LAYERS)} and activation layers; {_PLOT_MODEL_HINT}"
            )
        if not is_sequential and previous is not None and layer.input is not previous.output:
            raise ValueError(
                f"plot_network() draws models whose layers form one chain; layer {layer.name!r} ({kind}) "
                f"does not take its input from the layer before it, {previous.name!r}; {_PLOT_MODEL_HINT}"
            )
        if isinstance(layer, keras.layers.Dense):
            if len(shape) != 1:
                raise ValueError(
                    f"plot_network() draws Dense layers that act on flat vectors; layer {layer.name!r} "
                    f"(Dense) receives inputs of shape {shape}; put layers.Flatten() before it"
                )
            if columns[-1].units is None:  # a multi-dimensional input reaches a Dense layer unflattened
                columns[-1].units = shape[0]
            n_in = shape[0]
            formula = f"{n_in:,} × {layer.units:,}" + (f" + {layer.units:,}" if layer.use_bias else "")
            columns.append(_Column(layer.name, layer.units, kind, _activation_name(layer.activation)))
            rows.append(_ParamRow(layer.name, kind, formula, layer.count_params()))
        elif isinstance(layer, keras.layers.Flatten):
            flat = math.prod(shape)
            if len(shape) > 1:
                columns[-1].notes.append(f"Flatten {_shape_text(shape)} → {flat:,}")
            if columns[-1].units is None:
                columns[-1].units = flat
            rows.append(_ParamRow(layer.name, kind, "", layer.count_params()))
        elif kind in _DROPOUT_LAYERS:
            if kind == "GaussianNoise":
                note = f"GaussianNoise σ={_number(layer.stddev)}"
            else:
                note = f"{kind} {_number(layer.rate)}"
            columns[-1].notes.append(note)
            rows.append(_ParamRow(layer.name, kind, "", layer.count_params()))
        else:  # an activation layer
            if kind == "Activation":
                note = f"Activation {_activation_name(layer.activation)}"
            elif kind == "LeakyReLU":
                note = f"LeakyReLU {_number(layer.negative_slope)}"
            else:
                note = kind
            columns[-1].notes.append(note)
            formula = f"{layer.count_params():,} slopes" if layer.count_params() else ""
            rows.append(_ParamRow(layer.name, kind, formula, layer.count_params()))
        shape = tuple(layer.output.shape[1:])
        previous = layer
    if len(columns) == 1:
        raise ValueError(
            f"plot_network() draws Dense layers; model {model.name!r} has none "
            f"(its layers: {[type(layer).__name__ for layer in model.layers]})"
        )
    if not is_sequential and previous is not None and previous.output is not outputs[0]:
        raise ValueError(
            f"plot_network() draws models whose layers form one chain; the output of model {model.name!r} "
            f"does not come from its last layer {previous.name!r} (is a layer used twice?); "
            f"{_PLOT_MODEL_HINT}"
        )
    if len(shape) != 1:
        raise ValueError(
            f"plot_network() draws models whose output is a flat vector; model {model.name!r} "
            f"outputs shape {shape}; {_PLOT_MODEL_HINT}"
        )
    return columns, rows


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
    return f"{intro}\n\n{text}" if intro else text


def plot_network(
    model: Any,
    *,
    max_nodes: int = 10,
    description: bool | str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Draw a network of Dense layers as columns of neurons joined by their connections.

    Each Dense layer is a column of circles, labelled with its name, its number of units and its
    activation; every neuron is joined to every neuron of the next column. Layers that change no
    neuron count are written under the column they act on: ``Flatten 28×28 → 784`` under the inputs,
    ``Dropout 0.2`` under the layer whose outputs it drops. A layer wider than ``max_nodes`` is
    drawn as its first and last few neurons with ``⋮`` between them; its label gives the true count.

    Args:
        model: a built Keras model (``keras.Sequential`` or functional ``keras.Model``) made of
            Dense, Input, Flatten, Dropout-like and activation layers, in one chain.
        max_nodes: the most circles (slots) one column takes; wider layers are shortened. At least 4.
        description: ``True`` adds a panel beside the drawing with each layer's parameter count,
            how it is computed, and the total; a string adds the panel with that text above the
            counts; ``None`` or ``False`` draws no panel.
        ax: a Matplotlib Axes to draw in (the panel, if any, takes the right part of it);
            by default a new figure is made.
        title: the figure's title; by default the model's name and its layer sizes.
        figsize: the size of a new figure in inches; by default it grows with the network.

    Returns:
        The Matplotlib Figure.

    Example:
        >>> import keras
        >>> from keras import layers
        >>> model = keras.Sequential([keras.Input(shape=(3,)),
        ...                           layers.Dense(4, activation="relu"),
        ...                           layers.Dense(1, activation="sigmoid")], name="tiny")
        >>> fig = plot_network(model, description=True)  # a 3-4-1 network and its parameter counts
        >>> [text.get_text() for text in fig.texts]  # the title
        ['tiny: 3 → 4 → 1 (21 parameters)']
    """
    # Cheap checks of the plain arguments first, then the model (which imports Keras).
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, numbers.Integral):
        raise TypeError(f"plot_network() needs max_nodes as a whole number (at least 4); got {max_nodes!r}")
    if max_nodes < 4:
        raise ValueError(
            f"plot_network() needs max_nodes >= 4 (room for the first neurons, '⋮' and the last one); "
            f"got {max_nodes}"
        )
    if description is not None and not isinstance(description, (bool, str)):
        raise TypeError(
            "plot_network() needs description as True, False, None or a string of text for the panel; "
            f"got {type(description).__name__} {description!r:.60}"
        )
    if title is not None and not isinstance(title, str):
        raise TypeError(
            f"plot_network() needs title as a string; got {type(title).__name__} {title!r:.60}"
        )
    if figsize is not None and (
        not isinstance(figsize, (tuple, list))
        or len(figsize) != 2
        or not all(isinstance(v, numbers.Real) and v > 0 for v in figsize)
    ):
        raise ValueError(
            f"plot_network() needs figsize as (width, height) in inches, both > 0; got {figsize!r}"
        )
    if ax is not None:
        from matplotlib.axes import Axes

        if not isinstance(ax, Axes):
            raise TypeError(
                f"plot_network() needs ax as a Matplotlib Axes or None; got {type(ax).__name__} {ax!r:.60}"
            )

    columns, rows = _read_model(model)
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Circle

    # Geometry in data units: one slot per neuron vertically, columns `dx` apart.
    dx, radius, x_margin = 3.2, 0.32, 1.8
    unit_inch = 0.45  # inches per data unit in a new figure
    layouts = []  # per column: x, the y of each drawn neuron, the y of the ellipsis (or None)
    slots = max(min(c.units, max_nodes) for c in columns)
    for i, column in enumerate(columns):
        indices, cut = _visible_nodes(column.units, max_nodes)
        n_slots = len(indices) + (cut is not None)
        ys = [(n_slots - 1) / 2 - s for s in range(n_slots)]
        ellipsis_y = ys.pop(cut) if cut is not None else None
        layouts.append((i * dx, ys, ellipsis_y))
    top = (slots - 1) / 2 + 0.6
    label_y = -(slots - 1) / 2 - 0.75  # the layer names, under the lowest neuron of the tallest column
    notes_y = label_y - 1.65
    bottom = notes_y - 0.5 * max(len(c.notes) for c in columns) - 0.15
    net_size = ((len(columns) - 1) * dx + 2 * x_margin, top - bottom)

    total = sum(r.count for r in rows)
    if title is None:
        sizes = " → ".join(f"{c.units:,}" for c in columns)
        title = f"{model.name}: {sizes} ({total:,} parameters)"
    panel = description is True or isinstance(description, str)
    panel_text = _description_text(rows, description if isinstance(description, str) else None) if panel else ""
    panel_inch = 0.078 * max(len(line) for line in panel_text.splitlines()) + 0.5 if panel else 0.0

    # A new figure is sized for the drawing; a given Axes (or figsize) may be smaller, and then the
    # text shrinks with it (by `fs`) so that labels keep clear of each other.
    natural = (net_size[0] * unit_inch + panel_inch, net_size[1] * unit_inch)
    panel_ax = None
    if ax is None:
        title_inch = 0.55
        width = max(natural[0], 0.105 * len(title) + 0.4)
        fig = plt.figure(figsize=figsize or (width, natural[1] + title_inch))
        fig_w, fig_h = fig.get_size_inches()
        fs = min(1.0, fig_w / natural[0], (fig_h - title_inch) / natural[1])
        left = (fig_w - fs * natural[0]) / 2
        box = (fs * net_size[0] * unit_inch / fig_w, fs * natural[1] / fig_h)
        ax = fig.add_axes((left / fig_w, 0, *box))
        if panel:
            panel_ax = fig.add_axes((left / fig_w + box[0], 0, fs * panel_inch / fig_w, box[1]))
        fig.suptitle(title, fontsize=12.5 * max(fs, 0.7), fontweight="bold", y=1 - 0.15 / fig_h, va="top")
    else:
        fig = ax.figure
        fig = getattr(fig, "figure", fig)  # the root Figure when ax lives in a SubFigure
        fs = min(1.0, ax.bbox.width / fig.dpi / natural[0], ax.bbox.height / fig.dpi / natural[1])
        ax.set_title(title, fontsize=12.5 * max(fs, 0.7), fontweight="bold")
        if panel:
            share = net_size[0] * unit_inch / natural[0]
            ax.set_axis_off()
            panel_ax = ax.inset_axes((share, 0, 1 - share, 1))
            ax = ax.inset_axes((0, 0, share, 1))

    # Connections first, so that the neurons are drawn over their ends.
    segments = []
    for (x0, ys0, _), (x1, ys1, _) in zip(layouts, layouts[1:]):
        segments.extend([(x0, y0), (x1, y1)] for y0 in ys0 for y1 in ys1)
    alpha = min(0.7, max(0.12, 4 / math.sqrt(len(segments))))
    lines = LineCollection(segments, colors=_LINE_COLOUR, linewidths=0.7, alpha=alpha, zorder=1)
    lines.set_gid("connections")
    ax.add_collection(lines)

    for i, (column, (x, ys, ellipsis_y)) in enumerate(zip(columns, layouts)):
        role = "input" if i == 0 else "output" if i == len(columns) - 1 else "hidden"
        fill, edge = _NODE_COLOURS[role]
        for y in ys:
            circle = Circle((x, y), radius, facecolor=fill, edgecolor=edge, linewidth=1.3 * fs, zorder=2)
            circle.set_gid("neuron")
            ax.add_patch(circle)
        if ellipsis_y is not None:
            ax.text(x, ellipsis_y, "⋮", ha="center", va="center", fontsize=20 * fs, color=edge, zorder=3)
        ax.text(x, label_y, column.title, ha="center", va="top", fontsize=10.5 * fs, fontweight="bold")
        ax.text(x, label_y - 0.5, _column_label(column), ha="center", va="top", fontsize=9.5 * fs,
                linespacing=1.3)
        for j, note in enumerate(column.notes):
            ax.text(x, notes_y - 0.5 * j, note, ha="center", va="top", fontsize=9 * fs, fontstyle="italic",
                    color=_NOTE_COLOUR)

    ax.set_xlim(-x_margin, -x_margin + net_size[0])
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.set_axis_off()

    if panel_ax is not None:
        panel_ax.set_axis_off()
        panel_ax.set_ylim(bottom, top)
        middle = (top - 0.6 + label_y + 0.75) / 2  # level with the middle of the neurons
        panel_ax.text(0.04, middle, panel_text, ha="left", va="center", fontsize=9 * fs, family="monospace",
                      linespacing=1.45, transform=panel_ax.get_yaxis_transform(), gid="description")
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
    """Keras's own diagram of a model (``keras.utils.plot_model``): one box per layer, any layer type.

    Use it for models that :func:`plot_network` cannot draw (convolutions, recurrent layers,
    branches). It needs the Python package pydot and the Graphviz program ``dot``; when either is
    missing it raises an ImportError that says how to install it (Keras itself only prints a
    message in notebooks and returns nothing).

    Args:
        model: a built Keras model.
        path: where to save the image (``.png`` or ``.jpg``); by default it is written to
            a temporary file that is deleted once read, so no ``model.png`` is left behind.
        show_shapes, show_layer_names, show_layer_activations, dpi: as in ``keras.utils.plot_model``
            (these defaults show more than Keras's, at screen resolution).
        **kwargs: passed on to ``keras.utils.plot_model`` (e.g. ``rankdir="LR"``, ``show_dtype=True``).

    Returns:
        An ``IPython.display.Image`` that a notebook shows inline; without IPython,
        the Path of the saved image.

    Example:
        >>> import keras
        >>> from keras import layers
        >>> model = keras.Sequential([keras.Input(shape=(28, 28, 1)),
        ...                           layers.Conv2D(8, 3, activation="relu"),
        ...                           layers.Flatten(), layers.Dense(10, activation="softmax")])
        >>> image = plot_model_diagram(model)  # doctest: +SKIP
    """
    if path is not None:
        if not isinstance(path, (str, Path)):
            raise TypeError(
                f"plot_model_diagram() needs path as a str or pathlib.Path ending in .png or .jpg, "
                f"or None; got {type(path).__name__} {path!r:.60}"
            )
        suffix = Path(path).suffix.lower()
        if suffix not in (".png", ".jpg", ".jpeg"):  # keras.utils.plot_model fails to show .svg in IPython
            raise ValueError(
                f"plot_model_diagram() saves .png or .jpg images; got path {str(path)!r} "
                f"(suffix {suffix or 'none'!r})"
            )
    _check_model(model, "plot_model_diagram")
    missing = _missing_graph_tools()
    if missing:
        raise ImportError(missing)

    import keras

    with tempfile.TemporaryDirectory() as scratch:
        target = Path(path) if path is not None else Path(scratch) / "model.png"
        try:
            keras.utils.plot_model(
                model,
                to_file=str(target),
                show_shapes=show_shapes,
                show_layer_names=show_layer_names,
                show_layer_activations=show_layer_activations,
                dpi=dpi,
                **kwargs,
            )
        except ImportError as error:
            raise ImportError(
                f"keras.utils.plot_model could not use pydot and Graphviz ({error}). If you installed "
                f"them after importing Keras, restart the kernel. {_COLAB_AND_FALLBACK}"
            ) from error
        if not target.exists():  # in a notebook Keras prints its complaint instead of raising
            raise ImportError(
                "keras.utils.plot_model wrote no image, although pydot and Graphviz `dot` were found; "
                "if you installed them after importing Keras, restart the kernel (Colab: Runtime → "
                f"Restart session). {_COLAB_AND_FALLBACK}"
            )
        data = target.read_bytes()

    try:
        from IPython.display import Image
    except ImportError:
        if path is None:
            kept = Path(tempfile.mkdtemp()) / "model.png"
            kept.write_bytes(data)
            return kept
        return Path(path)
    return Image(data=data, format="jpeg" if target.suffix.lower() in (".jpg", ".jpeg") else "png")
