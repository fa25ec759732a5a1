"""Tests for helpers.activations: values against Keras, stability, errors and the gallery figure."""

import matplotlib

matplotlib.use("Agg")  # no display needed

import numpy as np
import pytest

from helpers import activations as act
from helpers._checks import page_problems

# A spread of inputs: both signs, zero, small and large magnitudes, as a 2-D batch.
Z = np.array([[-12.0, -3.5, -1.0, -0.25, 0.0], [0.1, 0.5, 1.0, 4.0, 12.0]])


def keras_numpy(function, *args, **kwargs):
    """Call a Keras activation on float32 inputs and return a float64 NumPy array."""
    import keras

    out = function(*(keras.ops.convert_to_tensor(np.asarray(a, "float32")) for a in args), **kwargs)
    return np.asarray(keras.ops.convert_to_numpy(out), dtype=float)


@pytest.mark.parametrize(
    ("ours", "keras_name", "kwargs"),
    [
        (act.linear, "linear", {}),
        (act.sigmoid, "sigmoid", {}),
        (act.tanh, "tanh", {}),
        (act.relu, "relu", {}),
        (act.swish, "silu", {}),
    ],
)
def test_matches_keras(ours, keras_name, kwargs):
    import keras

    expected = keras_numpy(getattr(keras.activations, keras_name), Z, **kwargs)
    np.testing.assert_allclose(ours(Z), expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("alpha", [0.01, 0.2, 0.0])
def test_leaky_relu_matches_keras(alpha):
    import keras

    expected = keras_numpy(keras.activations.leaky_relu, Z, negative_slope=alpha)
    np.testing.assert_allclose(act.leaky_relu(Z, alpha=alpha), expected, rtol=1e-6, atol=1e-6)
    assert act.leaky_relu(-10.0, alpha=alpha) == pytest.approx(-10.0 * alpha)


def test_leaky_relu_default_slope_is_one_hundredth():
    np.testing.assert_allclose(act.leaky_relu([-5.0, 5.0]), [-0.05, 5.0])


def test_parametric_relu_matches_keras_prelu_layer():
    import keras

    slopes = np.array([0.25, 0.5, 0.0, 1.5, 0.1])  # one learned slope per feature (column)
    layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(slopes))
    expected = keras_numpy(layer, Z)
    np.testing.assert_allclose(act.parametric_relu(Z, alpha=slopes), expected, rtol=1e-6, atol=1e-6)
    # A single slope is the same as leaky ReLU with that slope.
    np.testing.assert_allclose(act.parametric_relu(Z, alpha=0.3), act.leaky_relu(Z, alpha=0.3))


def test_binary_step_is_heaviside_with_step_at_zero():
    np.testing.assert_array_equal(act.binary_step(Z), np.heaviside(Z, 1.0))
    np.testing.assert_array_equal(act.binary_step([-1e-9, 0.0, 1e-9]), [0.0, 1.0, 1.0])


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_matches_keras_and_sums_to_one(axis):
    import keras

    ours = act.softmax(Z, axis=axis)
    expected = keras_numpy(keras.activations.softmax, Z, axis=axis)
    np.testing.assert_allclose(ours, expected, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(ours.sum(axis=axis), 1.0, rtol=0, atol=1e-12)
    assert np.all(ours > 0)


def test_softmax_is_stable_for_large_scores():
    scores = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -999.0, -998.0]])
    with np.errstate(over="raise", invalid="raise"):  # an overflow or a NaN would raise here
        probs = act.softmax(scores)
    np.testing.assert_allclose(probs[0], act.softmax([0.0, 1.0, 2.0]), rtol=1e-12)
    np.testing.assert_allclose(probs[1], probs[0], rtol=1e-12)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(probs[0], [0.09003057, 0.24472847, 0.66524096], rtol=1e-7)


def test_sigmoid_and_swish_do_not_overflow():
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with np.errstate(over="raise", invalid="raise"):  # underflow to 0.0 is fine
        s = act.sigmoid(z)
        w = act.swish(z)
    np.testing.assert_allclose(s, [0.0, 1.9287498479639178e-22, 0.5, 1.0, 1.0], rtol=1e-12, atol=0)
    np.testing.assert_allclose(w, [0.0, -50.0 * s[1], 0.0, 50.0, 1000.0], rtol=1e-12, atol=0)


def test_sigmoid_is_symmetric_and_tanh_is_a_rescaled_sigmoid():
    z = np.linspace(-8, 8, 33)
    np.testing.assert_allclose(act.sigmoid(-z), 1.0 - act.sigmoid(z), atol=1e-15)
    np.testing.assert_allclose(act.tanh(z), 2.0 * act.sigmoid(2.0 * z) - 1.0, atol=1e-12)


def test_scalars_and_lists_are_accepted():
    assert act.sigmoid(0) == 0.5
    assert act.relu([-1, 2]).tolist() == [0.0, 2.0]
    assert act.linear(3).shape == ()
    # A single number in gives a single NumPy float out, as NumPy's own functions do.
    for function in (act.linear, act.binary_step, act.sigmoid, act.tanh, act.relu, act.swish):
        assert isinstance(function(-2.0), np.floating)
    assert isinstance(act.leaky_relu(-2.0), np.floating)
    assert isinstance(act.parametric_relu(-2.0, alpha=0.5), np.floating)
    assert round(act.sigmoid(-6.0), 4) == 0.0025


def test_registry_names_every_function():
    functions = [
        name for name in act.__all__ if name not in ("ACTIVATIONS", "plot_activation_gallery")
    ]
    assert sorted(act.ACTIVATIONS) == sorted(functions)
    for name in functions:
        assert act.ACTIVATIONS[name] is getattr(act, name)


# --- bad inputs get clear errors ------------------------------------------------------------


@pytest.mark.parametrize(
    ("alpha", "error"),
    [
        (-0.1, ValueError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),  # numbers out of range
        ("0.1", TypeError),
        ([0.1], TypeError),  # not numbers
    ],
)
def test_leaky_relu_rejects_bad_alpha(alpha, error):
    expected = r"leaky_relu\(\) needs alpha as a finite number >= 0 \(the slope .*\); got "
    with pytest.raises(error, match=expected):
        act.leaky_relu([1.0, -1.0], alpha=alpha)


def test_parametric_relu_rejects_alpha_of_the_wrong_shape():
    with pytest.raises(
        ValueError, match=r"broadcasts to x's shape \(2, 5\).*got alpha with shape \(3,\)"
    ):
        act.parametric_relu(Z, alpha=[0.1, 0.2, 0.3])


def test_parametric_relu_rejects_non_finite_alpha():
    with pytest.raises(ValueError, match="needs finite slopes alpha"):
        act.parametric_relu(Z, alpha=np.nan)


def test_softmax_rejects_a_single_number():
    with pytest.raises(ValueError, match="at least one dimension.*got a single number 3.0"):
        act.softmax(3.0)


def test_softmax_rejects_an_axis_out_of_range():
    with pytest.raises(ValueError, match=r"axis=2.*2 dimension\(s\).*from -2 to 1"):
        act.softmax(Z, axis=2)


def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError, match=r"relu\(\) needs numbers.*got str 'abc'"):
        act.relu("abc")


def test_gallery_rejects_unknown_names():
    with pytest.raises(
        ValueError, match=r"unknown activation name\(s\) \['gelu'\]; expected names from: linear"
    ):
        act.plot_activation_gallery(["relu", "gelu"])


def test_gallery_rejects_empty_list_and_bad_range_and_bad_params():
    with pytest.raises(ValueError, match="at least one activation name; got an empty list"):
        act.plot_activation_gallery([])
    with pytest.raises(ValueError, match=r"low < high; got \(2, -2\)"):
        act.plot_activation_gallery(x_range=(2, -2))
    with pytest.raises(ValueError, match="got params with a key 'elu'"):
        act.plot_activation_gallery(params={"elu": {"alpha": 1.0}})
    with pytest.raises(ValueError, match="needs ncols as a whole number of at least 1; got 0"):
        act.plot_activation_gallery(ncols=0)


# --- the gallery figure ----------------------------------------------------------------------


def test_gallery_has_one_labelled_panel_per_function():
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    fig = act.plot_activation_gallery()
    try:
        assert isinstance(fig, Figure)
        assert len(fig.axes) == len(act.ACTIVATIONS) == 9
        titles = [ax.get_title() for ax in fig.axes]
        assert titles == [
            "linear",
            "binary step",
            "sigmoid",
            "tanh",
            "ReLU",
            "leaky ReLU\n(α = 0.1)",
            "parametric ReLU\n(α = 0.25)",
            "softmax of (z, 1, 0)",
            "swish",
        ]
        # Three columns: the input is labelled under each column, the output beside each row
        # (and the softmax panel's probability wherever it is).
        assert [ax.get_xlabel() for ax in fig.axes] == [""] * 6 + ["input z"] * 3
        assert [ax.get_ylabel() for ax in fig.axes] == [
            "output f(z)",
            "",
            "",
            "output f(z)",
            "",
            "",
            "output f(z)",
            "probability",
            "",
        ]
        # The sigmoid panel draws the sigmoid; the softmax panel draws three probability curves.
        (line,) = fig.axes[2].get_lines()[:1]
        np.testing.assert_allclose(line.get_ydata(), act.sigmoid(line.get_xdata()))
        softmax_curves = [
            ln for ln in fig.axes[7].get_lines() if ln.get_label().startswith("class")
        ]
        assert len(softmax_curves) == 3
        total = sum(np.asarray(ln.get_ydata()) for ln in softmax_curves)
        np.testing.assert_allclose(total, 1.0, atol=1e-12)
        # each curve is named on the panel, in its colour
        names = {t.get_text(): t.get_color() for t in fig.axes[7].texts}
        assert names == {f"score {s}": ln.get_color() for s, ln in zip("z10", softmax_curves)}
    finally:
        plt.close(fig)


def test_gallery_fits_the_page():
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.size": 12}):  # the chapters' body text
        fig = act.plot_activation_gallery()
        try:
            assert page_problems(fig) == []
            fig.canvas.draw()
            titles = [ax.title.get_window_extent() for ax in fig.axes]
            for row in range(3):  # no title runs into its neighbour's
                left, middle, right = titles[3 * row : 3 * row + 3]
                assert left.x1 < middle.x0 and middle.x1 < right.x0
        finally:
            plt.close(fig)


def test_gallery_subset_params_and_layout():
    import matplotlib.pyplot as plt

    fig = act.plot_activation_gallery(
        ["relu", "leaky_relu"], x_range=(-2, 2), params={"leaky_relu": {"alpha": 0.5}}, ncols=3
    )
    try:
        assert [ax.get_title() for ax in fig.axes] == ["ReLU", "leaky ReLU\n(α = 0.5)"]
        line = fig.axes[1].get_lines()[0]
        assert line.get_xdata()[0] == -2 and line.get_xdata()[-1] == 2
        assert line.get_ydata()[0] == pytest.approx(-1.0)  # slope 0.5 at z = -2
    finally:
        plt.close(fig)


# --- more bad inputs (issue 28): one line that says what was expected, never NaN or a raw error ----


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: act.swish([1.0], beta=float("nan")),
            ValueError,
            r"swish\(\) needs beta as a finite",
        ),
        (
            lambda: act.swish([1.0], beta="2"),
            TypeError,
            r"needs beta as a finite number .*; got str",
        ),
        (
            lambda: act.softmax([]),
            ValueError,
            r"softmax\(\) needs at least one score; got an empty",
        ),
        (lambda: act.softmax([[1.0, 2.0]], axis=1.5), TypeError, r"needs axis as a whole number"),
        (lambda: act.softmax([[1.0, 2.0]], axis=True), TypeError, r"needs axis as a whole .*bool"),
        (lambda: act.softmax([np.inf, 1.0]), ValueError, r"needs finite scores; got 1 NaN or inf"),
    ],
    ids=["swish-beta-nan", "swish-beta-text", "softmax-empty", "axis-float", "axis-bool", "inf"],
)
def test_activation_arguments_that_gave_nan_or_a_raw_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"params": {"relu": {"alpha": 0.2}}},
            ValueError,
            r"got params\['relu'\] with 'alpha', but relu takes no parameter",
        ),
        (
            {"params": {"swish": {"alpha": 0.2}}},
            ValueError,
            r"but swish takes only 'beta'",
        ),
        ({"x_range": (0.0, float("inf"))}, ValueError, r"two finite numbers with low < high"),
        ({"x_range": 5}, ValueError, r"x_range as \(low, high\), two finite numbers.*; got 5"),
        ({"names": ["relu", "relu"]}, ValueError, r"got 'relu' twice in names"),
    ],
    ids=["param-relu-has-none", "param-of-another", "range-inf", "range-number", "repeated"],
)
def test_gallery_arguments_that_drew_nonsense_or_raised_raw(kwargs, error, message):
    kwargs = {"names": ["relu", "swish"], **kwargs}
    with pytest.raises(error, match=message):
        act.plot_activation_gallery(**kwargs)


@pytest.mark.parametrize(
    "function", [act.relu, act.sigmoid, act.tanh, act.binary_step, act.linear, act.softmax]
)
def test_none_is_refused_not_turned_into_nan(function):
    with pytest.raises(
        TypeError, match=r"needs numbers .*got None \(did a function return nothing\?\)"
    ):
        function(None)
