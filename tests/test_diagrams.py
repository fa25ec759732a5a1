"""The chapters' diagrams (helpers.diagrams): what each draws, from what it is given."""

from __future__ import annotations

import matplotlib
import numpy as np

matplotlib.use("Agg")

from helpers.diagrams import plot_backprop_chain, plot_learning_snapshots  # noqa: E402


def test_the_backprop_chain_names_every_value_gradient_and_line_of_backward():
    fig = plot_backprop_chain()
    texts = [text.get_text() for text in fig.axes[0].texts]
    for name in ("X", "z1", "H", "z2", "p", "loss", "delta1", "dL/dH", "delta2", "dL/dp", "y"):
        assert name in texts, name
    assert sum(text.startswith("grad_") for text in texts) == 2 + 4  # two labels, four lines
    assert "grad_W1 = X.T @ delta1" in texts
    matplotlib.pyplot.close(fig)


def test_learning_snapshots_draw_a_panel_per_step_and_a_boundary_only_where_p_crosses_half():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])

    def predict(scale, points):  # the "parameters" are a scale: 0 gives p = 0.5 everywhere
        return 1 / (1 + np.exp(-scale * (points[:, 0] - 0.5)))

    snapshots = {0: 0.0, 10: 1.0, 20: 2.0, 30: 3.0, 40: 4.0, 50: 5.0}
    losses = {step: 0.7 - step / 100 for step in snapshots}
    fig = plot_learning_snapshots(predict, snapshots, losses, X, y, title="a made-up start")
    panels = [ax for ax in fig.axes if ax.get_title().startswith("step")]
    assert [ax.get_title() for ax in panels[:2]] == ["step 0\nloss 0.700", "step 10\nloss 0.600"]
    assert len(panels) == 6 and fig.get_suptitle() == "a made-up start"
    # step 0 is 0.5 everywhere: no boundary; the others cross 0.5 at x1 = 0.5
    boundaries = [len(ax.collections) for ax in panels]
    assert boundaries[0] < boundaries[1] == boundaries[5]
    assert panels[3].get_xlabel() == "input x1" and panels[0].get_ylabel() == "input x2"
    matplotlib.pyplot.close(fig)
