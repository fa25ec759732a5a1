"""Tests for helpers.network: what the network drawing contains, its errors, and the Keras diagram wrapper."""

import importlib
import importlib.machinery
import os
import sys
import types
import warnings

import matplotlib

matplotlib.use("Agg")  # no display needed

import keras
import matplotlib.pyplot as plt
import pytest
from matplotlib.collections import LineCollection
from matplotlib.patches import Circle
from matplotlib.text import Text

from helpers._checks import FIGURE_WIDTH, PAGE_PIXELS, page_problems
from helpers.network import plot_model_diagram, plot_network

layers = keras.layers


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def circles(fig):
    return [p for p in fig.findobj(Circle) if p.get_gid() == "neuron"]


def connections(fig):
    (lines,) = [c for c in fig.findobj(LineCollection) if c.get_gid() == "connections"]
    return lines.get_segments()


def texts(fig):
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def tiny_sequential(name="tiny"):
    return keras.Sequential(
        [
            keras.Input(shape=(3,)),
            layers.Dense(4, activation="relu", name="hidden"),
            layers.Dense(1, activation="sigmoid", name="output"),
        ],
        name=name,
    )


def tiny_functional(name="tiny"):
    inputs = keras.Input(shape=(3,))
    hidden = layers.Dense(4, activation="relu", name="hidden")(inputs)
    outputs = layers.Dense(1, activation="sigmoid", name="output")(hidden)
    return keras.Model(inputs, outputs, name=name)


def deep_nn():
    """A 10 → 6 → 3 → 1 classifier with dropout after each hidden layer."""
    return keras.Sequential(
        [
            keras.Input(shape=(10,)),
            layers.Dense(6, activation="relu", name="h1"),
            layers.Dropout(0.2, name="drop1"),
            layers.Dense(3, activation="relu", name="h2"),
            layers.Dropout(0.2, name="drop2"),
            layers.Dense(1, activation="sigmoid", name="output"),
        ],
        name="DeepNN",
    )


def mnist_mlp():
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            layers.Flatten(),
            layers.Dense(512, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ],
        name="mnist_mlp",
    )


# --- what the drawing contains ------------------------------------------------------------------


def test_3_4_1_network_has_8_neurons_and_16_connections():
    fig = plot_network(tiny_sequential())
    assert len(circles(fig)) == 3 + 4 + 1
    assert len(connections(fig)) == 3 * 4 + 4 * 1
    drawn = texts(fig)
    assert "tiny: 3 → 4 → 1 (21 parameters)" in drawn  # the title
    assert {"Input", "hidden", "output"} <= set(drawn)
    assert "3 features" in drawn
    assert "4 units\nrelu" in drawn
    assert "1 unit\nsigmoid" in drawn


def test_every_connection_joins_neurons_of_neighbouring_columns():
    fig = plot_network(deep_nn())  # four columns: a connection could skip one
    centres = {tuple(c.center) for c in circles(fig)}
    columns = sorted({x for x, _ in centres})
    assert len(columns) == 4
    for start, end in connections(fig):
        assert tuple(start) in centres and tuple(end) in centres
        assert columns.index(end[0]) == columns.index(start[0]) + 1  # left to right, one column on


def test_sequential_and_functional_versions_draw_the_same():
    seq, fun = plot_network(tiny_sequential()), plot_network(tiny_functional())
    assert len(circles(seq)) == len(circles(fun)) == 8
    assert len(connections(seq)) == len(connections(fun)) == 16
    assert sorted(texts(seq)) == sorted(texts(fun))


def test_wide_layers_are_shortened_but_labelled_with_their_true_size():
    model = mnist_mlp()
    fig = plot_network(
        model
    )  # max_nodes=10: 784 and 512 are cut to 6 + ⋮ + 3, the 10 outputs are drawn
    assert len(circles(fig)) == 9 + 9 + 10
    assert len(connections(fig)) == 9 * 9 + 9 * 10
    drawn = texts(fig)
    assert "784 features" in drawn
    assert "512 units\nrelu" in drawn
    assert "10 units\nsoftmax" in drawn
    assert drawn.count("⋮") == 2
    assert "Flatten 28×28 → 784" in drawn  # written by the input column, not drawn as a column
    assert "mnist_mlp: 784 → 512 → 10 (407,050 parameters)" in drawn


@pytest.mark.parametrize(
    ("max_nodes", "expected"), [(4, 3 + 3 + 3), (7, 6 + 6 + 6), (30, 29 + 29 + 10)]
)
def test_max_nodes_bounds_the_circles_per_column(max_nodes, expected):
    model = mnist_mlp()
    fig = plot_network(model, max_nodes=max_nodes)
    assert len(circles(fig)) == expected
    assert "784 features" in texts(fig)


def test_max_nodes_keeps_first_and_last_neurons_around_the_ellipsis():
    fig = plot_network(mnist_mlp(), max_nodes=7)  # the first 4 neurons, ⋮, the last 2
    input_ys = sorted((c.center[1] for c in circles(fig) if c.center[0] == 0), reverse=True)
    (dots,) = [t for t in fig.findobj(Text) if t.get_text() == "⋮" and t.get_position()[0] == 0]
    ellipsis_y = dots.get_position()[1]
    assert sum(y > ellipsis_y for y in input_ys) == 4
    assert sum(y < ellipsis_y for y in input_ys) == 2


def test_dropout_is_a_note_by_its_column_not_a_column():
    fig = plot_network(deep_nn())
    assert len(circles(fig)) == 10 + 6 + 3 + 1
    assert len(connections(fig)) == 10 * 6 + 6 * 3 + 3 * 1
    drawn = texts(fig)
    assert drawn.count("Dropout 0.2") == 2
    assert {"h1", "h2", "output"} <= set(drawn)
    assert "drop1" not in drawn  # no column of its own
    notes = {t.get_position()[0] for t in fig.findobj(Text) if t.get_text() == "Dropout 0.2"}
    columns = {
        t.get_text(): t.get_position()[0] for t in fig.findobj(Text) if t.get_text() in ("h1", "h2")
    }
    assert notes == {columns["h1"], columns["h2"]}


def test_activation_layers_are_notes_too():
    model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            layers.Dense(5),
            layers.Activation("tanh"),
            layers.Dense(3),
            layers.LeakyReLU(0.2),
            layers.Dense(2, activation="softmax"),
        ]
    )
    fig = plot_network(model)
    assert len(circles(fig)) == 4 + 5 + 3 + 2
    drawn = texts(fig)
    assert "Activation tanh" in drawn
    assert "LeakyReLU 0.2" in drawn
    assert "5 units\nlinear" in drawn


def test_description_panel_counts_every_parameter():
    model = deep_nn()
    fig = plot_network(model, description=True)
    (panel,) = [t.get_text() for t in fig.findobj(Text) if t.get_gid() == "description"]
    lines = panel.splitlines()
    total = int(lines[-1].split()[-1].replace(",", ""))
    assert total == model.count_params() == 91
    assert any(
        line.startswith("h1 (Dense)") and "10 × 6 + 6 =" in line and line.endswith(" 66")
        for line in lines
    )
    assert any(line.startswith("drop1 (Dropout)") and line.endswith(" 0") for line in lines)


def test_description_panel_total_for_a_wide_model_and_custom_text():
    model = mnist_mlp()
    fig = plot_network(model, description="Digits: one output per class.")
    (panel,) = [t.get_text() for t in fig.findobj(Text) if t.get_gid() == "description"]
    assert panel.startswith("Digits: one output per class.")
    assert "784 × 512 + 512 = 401,920" in panel
    assert (
        int(panel.splitlines()[-1].split()[-1].replace(",", "")) == model.count_params() == 407_050
    )


def test_draws_into_a_given_axes_and_accepts_a_model_built_by_hand():
    model = keras.Sequential([layers.Dense(4, activation="relu"), layers.Dense(1)])
    model.build((None, 3))
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    returned = plot_network(model, ax=right, description=True, title="Built by hand")
    assert returned is fig
    assert right.get_title() == "Built by hand"
    assert len(circles(fig)) == 8
    assert len(left.patches) == 0


# --- the figure fits the page ------------------------------------------------------------------


@pytest.fixture
def body_text_12pt():
    """The chapters' setting: body text in 12 points."""
    with matplotlib.rc_context({"font.size": 12}):
        yield


@pytest.mark.parametrize("model", [tiny_sequential, deep_nn, mnist_mlp])
@pytest.mark.parametrize("description", [None, True])
def test_default_figure_fits_the_page(body_text_12pt, model, description):
    fig = plot_network(model(), description=description)
    assert page_problems(fig) == []


def test_parameter_panel_goes_below_when_beside_would_be_too_wide(body_text_12pt):
    def panel_and_neurons(fig):
        (panel,) = [t for t in fig.findobj(Text) if t.get_gid() == "description"]
        box = panel.get_window_extent()
        neurons = [c.get_window_extent() for c in circles(fig)]
        return box, max(b.x1 for b in neurons), min(b.y0 for b in neurons)

    narrow = plot_network(
        keras.Sequential([keras.Input((2,)), layers.Dense(1, name="neuron")]), description=True
    )
    narrow.canvas.draw()
    box, right, _ = panel_and_neurons(narrow)
    assert box.x0 > right  # beside the drawing: together they are narrower than the page
    wide = plot_network(deep_nn(), description=True)
    wide.canvas.draw()
    box, _, bottom = panel_and_neurons(wide)
    assert box.y1 < bottom  # below: beside it, the figure would be wider than the page
    assert wide.get_size_inches()[0] <= FIGURE_WIDTH


def test_long_title_is_wrapped_to_the_page(body_text_12pt):
    title = (
        "A deep network for the breast cancer data, with dropout after each of its hidden layers"
    )
    fig = plot_network(deep_nn(), title=title)
    (drawn,) = fig.texts
    assert drawn.get_text().replace("\n", " ") == title and "\n" in drawn.get_text()
    assert page_problems(fig) == []


def test_text_shrinks_only_when_a_given_axes_is_too_small(body_text_12pt):
    fig, (large, small) = plt.subplots(1, 2, figsize=(12, 5), width_ratios=[3, 1])
    plot_network(tiny_sequential(), ax=large)
    plot_network(tiny_sequential(), ax=small)
    sizes = {ax: {t.get_fontsize() for t in ax.texts} for ax in (large, small)}
    assert min(sizes[large]) == 12  # room enough: the body size
    assert max(sizes[small]) < 12  # narrower than the drawing: everything shrinks with it


def test_drawing_needs_no_missing_glyphs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would fail here
        fig = plot_network(mnist_mlp(), description=True)
        fig.canvas.draw()


# --- errors that say what was expected and what arrived -----------------------------------------


def test_not_a_model_is_a_type_error():
    with pytest.raises(TypeError, match=r"needs a Keras model .*got list"):
        plot_network([3, 4, 1])
    with pytest.raises(TypeError, match=r"got Dense .*wrap the layer in a model"):
        plot_network(layers.Dense(4))


def test_unbuilt_model_says_how_to_build_it():
    model = keras.Sequential([layers.Dense(4), layers.Dense(1)])
    with pytest.raises(
        ValueError,
        match=r"no input shape yet; call model\.build\(\.\.\.\) or start with keras\.Input",
    ):
        plot_network(model)


@pytest.mark.parametrize(
    ("hidden", "kind"),
    [
        (layers.Conv1D(2, 2, name="conv"), "Conv1D"),
        (layers.LSTM(2, name="lstm"), "LSTM"),
        (layers.BatchNormalization(name="bn"), "BatchNormalization"),
    ],
)
def test_unsupported_layer_is_named_with_its_type(hidden, kind):
    shape = (3,) if kind == "BatchNormalization" else (5, 3)
    model = keras.Sequential([keras.Input(shape=shape), hidden, layers.Flatten(), layers.Dense(1)])
    with pytest.raises(
        ValueError,
        match=rf"cannot draw layer '{hidden.name}' of type {kind}.*keras\.utils\.plot_model",
    ):
        plot_network(model)


def test_dense_on_an_unflattened_input_asks_for_flatten():
    model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Dense(4)])
    with pytest.raises(
        ValueError, match=r"receives inputs of shape \(28, 28\); put layers\.Flatten\(\) before it"
    ):
        plot_network(model)


def test_models_that_are_not_one_chain_are_refused():
    a, b = keras.Input(shape=(3,)), keras.Input(shape=(2,))
    two_inputs = keras.Model([a, b], layers.Dense(1)(layers.Concatenate()([a, b])))
    with pytest.raises(
        ValueError, match=r"one input and one output; model .* has 2 inputs and 1 outputs"
    ):
        plot_network(two_inputs)

    x = keras.Input(shape=(3,))
    skip = keras.Model(x, layers.Add(name="skip")([layers.Dense(3)(x), x]))
    with pytest.raises(ValueError, match=r"layer 'skip' of type Add"):
        plot_network(skip)

    shared = layers.Dense(3, name="shared")
    x = keras.Input(shape=(3,))
    twice = keras.Model(x, shared(shared(x)))
    with pytest.raises(
        ValueError, match=r"does not come from its last layer 'shared' \(is a layer used twice\?\)"
    ):
        plot_network(twice)


def test_subclassed_model_is_refused_with_a_way_out():
    class Tiny(keras.Model):
        def __init__(self):
            super().__init__(name="subclassed")
            self.dense = layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = Tiny()
    model(keras.ops.ones((1, 3)))  # builds it
    with pytest.raises(
        ValueError, match=r"subclass of keras\.Model \(Tiny\).*rebuild it as keras\.Sequential"
    ):
        plot_network(model)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"max_nodes": 2}, ValueError, r"max_nodes as a whole number of at least 4 .*got 2"),
        ({"max_nodes": "10"}, TypeError, r"max_nodes as a whole number .*got str '10'"),
        ({"max_nodes": True}, TypeError, r"max_nodes as a whole number .*got bool True"),
        (
            {"description": 5},
            TypeError,
            r"description as True, False, None or a string .*got int 5",
        ),
        ({"ax": "left"}, TypeError, r"ax as a Matplotlib Axes or None; got str 'left'"),
        ({"title": 3}, TypeError, r"title as a string; got int 3"),
        (
            {"figsize": (6, -1)},
            ValueError,
            r"figsize as \(width, height\) in inches, both > 0; got \(6, -1\)",
        ),
    ],
)
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_network(tiny_sequential(), **kwargs)


# --- plot_model_diagram: keras.utils.plot_model with clear install instructions -------------------


def hide_pydot(monkeypatch):
    for name in ("pydot", "pydot_ng", "pydotplus"):
        monkeypatch.setitem(sys.modules, name, None)  # importlib.util.find_spec() now returns None


def test_diagram_without_pydot_says_what_to_install(monkeypatch):
    hide_pydot(monkeypatch)
    with pytest.raises(
        ImportError, match=r"pydot is not installed: install it with `pip install pydot`"
    ) as info:
        plot_model_diagram(tiny_sequential())
    assert "On Colab both are already installed" in str(info.value)


def test_diagram_without_graphviz_says_what_to_install(monkeypatch, tmp_path):
    fake = types.ModuleType("pydot")
    fake.__spec__ = importlib.machinery.ModuleSpec("pydot", None)
    monkeypatch.setitem(sys.modules, "pydot", fake)
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no `dot` program
    with pytest.raises(
        ImportError, match=r"Graphviz program `dot`, and `dot` is not on the PATH"
    ) as info:
        plot_model_diagram(tiny_sequential())
    message = str(info.value)
    for advice in (
        "apt-get install graphviz",
        "brew install graphviz",
        "conda install -c conda-forge graphviz",
    ):
        assert advice in message


def test_diagram_without_either_names_both(monkeypatch, tmp_path):
    hide_pydot(monkeypatch)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(
        ImportError, match=r"pip install pydot.*Graphviz is missing too: .*brew install graphviz"
    ):
        plot_model_diagram(tiny_sequential())


def test_diagram_argument_errors():
    with pytest.raises(TypeError, match=r"needs a Keras model .*got str"):
        plot_model_diagram("model.keras")
    with pytest.raises(ValueError, match=r"saves \.png or \.jpg images; got path 'model\.pdf'"):
        plot_model_diagram(tiny_sequential(), "model.pdf")
    with pytest.raises(ValueError, match=r"call model\.build\(\.\.\.\)"):
        plot_model_diagram(keras.Sequential([layers.Dense(1)]))


def test_diagram_draws_any_layer_when_pydot_and_graphviz_are_present(tmp_path):
    import shutil

    # pydot is a dependency; Graphviz is a system program that `make` cannot install. CI installs
    # it (.ci/run), so there a missing `dot` is a failure, not a skip.
    if shutil.which("dot") is None and not os.environ.get("CI"):
        pytest.skip(
            "the Graphviz program `dot` is not installed (apt-get/brew/conda install graphviz)"
        )
    model = keras.Sequential(
        [keras.Input(shape=(8, 8, 1)), layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(1)]
    )
    image = plot_model_diagram(model)
    assert image.data.startswith(b"\x89PNG")
    width = int.from_bytes(image.data[16:20], "big")  # from the PNG header
    assert width <= PAGE_PIXELS  # the page's column
    saved = tmp_path / "diagram.png"
    again = plot_model_diagram(model, saved, rankdir="LR")
    assert saved.read_bytes() == again.data


def test_diagram_turns_a_printed_keras_complaint_into_an_error(monkeypatch, tmp_path):
    # In a notebook, keras.utils.plot_model prints "You must install pydot" and returns None, e.g. when
    # pydot was installed after Keras was imported. Simulate tools that look present but do not work.
    fake = types.ModuleType("pydot")
    fake.__spec__ = importlib.machinery.ModuleSpec("pydot", None)
    monkeypatch.setitem(sys.modules, "pydot", fake)
    dot = tmp_path / "dot"
    dot.write_text("#!/bin/sh\nexit 1\n")
    dot.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(
        keras.utils, "plot_model", lambda *args, **kwargs: print("You must install pydot")
    )
    with pytest.raises(ImportError, match=r"wrote no image.*restart the kernel"):
        plot_model_diagram(tiny_sequential())
