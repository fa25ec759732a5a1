"""Diagrams the chapters draw to explain a method, each one a function (chapter 2's backward pass).

Like the other helpers, importing this module is cheap: matplotlib is imported when a diagram is
drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_FORWARD, _BACKWARD, _CODE = "black", "tab:red", "monospace"
#: What chapter 2's backward() computes, in its order, as its lines name it.
_BACKWARD_LINES = [
    "dL/dp   = (p - y) / (p * (1 - p)) / len(X)  # not computed:",
    "delta2  = dL/dp * p * (1 - p) = (p - y) / len(X)  # it cancels",
    "grad_W2 = transpose(H) @ delta2",
    "grad_b2 = delta2.sum(axis=1, keepdims=True)",
    "dL/dH   = delta2 @ transpose(W2)",
    "delta1  = (delta2 @ transpose(W2)) * H * (1 - H)",
    "grad_W1 = X.T @ delta1",
    "grad_b1 = delta1.sum(axis=1, keepdims=True)",
]


def _code_box(ax: Axes, x: float, y: float, code: str):
    """A box of code centred at (x, y)."""
    return ax.text(
        x,
        y,
        code,
        ha="center",
        va="center",
        family=_CODE,
        fontsize=10,
        bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": _FORWARD},
    )


def _left_right(ax: Axes, box) -> tuple[float, float]:
    """The left and right edges of a drawn box, in inches."""
    extent = box.get_bbox_patch().get_window_extent()
    return ax.transData.inverted().transform([(extent.x0, 0), (extent.x1, 0)])[:, 0]


def _arrow(ax: Axes, start, end, colour: str) -> None:
    ax.annotate(
        "",
        end,
        start,
        arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.5, "shrinkA": 0, "shrinkB": 0},
    )


def _code_label(ax: Axes, x: float, y: float, code: str, colour: str, va: str) -> None:
    ax.text(x, y, code, ha="center", va=va, family=_CODE, fontsize=10, color=colour)


def _draw_chain(ax: Axes, y_chain: float, gap: float) -> list[tuple[float, float]]:
    """The chain of operations, left to right, with the values on the black arrows above it and
    their gradients on the red arrows below; the left and right edges of each operation's box."""
    operations = [
        ("@ W1 + b1", 1.05),
        ("sigmoid", 2.3),
        ("@ W2 + b2", 3.55),
        ("sigmoid", 4.8),
        ("BCE", 5.85),
    ]
    boxes = [_code_box(ax, x, y_chain, code) for code, x in operations]
    ax.figure.canvas.draw()  # places the boxes, to measure them
    edges = [_left_right(ax, box) for box in boxes]
    arrow_starts = [0.05] + [right for _, right in edges]
    arrow_ends = [left for left, _ in edges] + [6.75]
    values = ["X", "z1", "H", "z2", "p", "loss"]
    gradients = ["", "delta1", "dL/dH", "delta2", "dL/dp", ""]
    for start, end, value, gradient in zip(arrow_starts, arrow_ends, values, gradients):
        start, end = start + 0.04, end - 0.04
        _arrow(ax, (start, y_chain + gap), (end, y_chain + gap), _FORWARD)
        _code_label(ax, (start + end) / 2, y_chain + 0.2, value, _FORWARD, "bottom")
        if gradient:
            _arrow(ax, (end, y_chain - gap), (start, y_chain - gap), _BACKWARD)
            _code_label(ax, (start + end) / 2, y_chain - 0.2, gradient, _BACKWARD, "top")
    return edges


def _draw_inputs(ax: Axes, edges: list[tuple[float, float]], y_chain: float) -> None:
    """The parameters above their layers (their gradients going back up), the targets y above
    the loss."""
    for (left, right), code, gradient in zip(
        [edges[0], edges[2]],
        ["W1, b1", "W2, b2"],
        ["grad_W1, grad_b1", "grad_W2, grad_b2"],
    ):
        middle = (left + right) / 2
        _code_box(ax, middle, 4.0, code)
        _arrow(ax, (middle - 0.1, 3.8), (middle - 0.1, y_chain + 0.22), _FORWARD)
        _arrow(ax, (middle + 0.1, y_chain + 0.22), (middle + 0.1, 3.8), _BACKWARD)
        ax.text(
            middle + 0.18, 3.5, gradient, family=_CODE, fontsize=10, color=_BACKWARD, va="center"
        )
    middle = sum(edges[4]) / 2
    _code_box(ax, middle, 4.0, "y")
    _arrow(ax, (middle, 3.8), (middle, y_chain + 0.22), _FORWARD)


def plot_backprop_chain() -> Figure:
    """Draw chapter 2's 2-2-1 network as a chain of operations: the forward pass's values (black)
    left to right, the backward pass's gradients (red) right to left, with the names and lines of
    the chapter's ``forward()`` and ``backward()``. Returns the Figure (6.8 x 4.7 inches).

    >>> fig = plot_backprop_chain()
    >>> fig.get_suptitle().splitlines()[0]
    'The 2-2-1 network: forward pass (black), backward (red)'
    """
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(6.8, 4.7))
    ax = fig.add_axes([0, 0, 1, 1], xlim=(0, 6.8), ylim=(0, 4.7))
    ax.axis("off")
    y_chain, gap = 3.0, 0.07  # forward arrows just above the chain, backward below
    edges = _draw_chain(ax, y_chain, gap)
    _draw_inputs(ax, edges, y_chain)
    ax.text(
        0.05,
        2.25,
        "What backward() computes, from the loss back (BCE: binary cross-entropy)",
        fontsize=10,
        va="top",
    )
    for row, line in enumerate(_BACKWARD_LINES):
        ax.text(0.3, 1.95 - 0.24 * row, line, family=_CODE, fontsize=10, color=_BACKWARD, va="top")
    fig.suptitle(
        "The 2-2-1 network: forward pass (black), backward (red)\n"
        "X, z1, H: 4 rows x 2 units; z2, p: 4 rows x 1 unit",
        y=0.99,
    )
    return fig


def plot_learning_snapshots(predict, snapshots: dict, losses: dict, X, y, *, title: str) -> Figure:
    """A two-input network's output over the square around the unit square, one panel per
    snapshot of its training (chapter 2: XOR's decision boundary forming).

    ``predict(params, points)`` gives the probability of a 1 for each of the (n, 2) ``points``;
    ``snapshots`` maps a training step to the parameters at that step, ``losses`` the step to the
    loss then. The four rows ``X`` are drawn with their targets ``y`` (circles 0, squares 1), and
    the boundary p = 0.5 in black where the output crosses it. Six snapshots fill 2 x 3 panels.
    """
    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np

    x1_grid, x2_grid = np.meshgrid(np.linspace(-0.2, 1.2, 141), np.linspace(-0.2, 1.2, 141))
    square = np.column_stack([x1_grid.ravel(), x2_grid.ravel()])
    blue_orange = matplotlib.colors.LinearSegmentedColormap.from_list(
        "blue_orange", ["tab:blue", "white", "tab:orange"]
    )
    fig, axes = plt.subplots(
        2, 3, figsize=(6.8, 5.5), sharex=True, sharey=True, layout="constrained"
    )
    for ax, (step, params) in zip(axes.flat, snapshots.items()):
        p_square = np.asarray(predict(params, square)).reshape(x1_grid.shape)
        filled = ax.contourf(
            x1_grid, x2_grid, p_square, levels=np.linspace(0, 1, 11), cmap=blue_orange
        )
        if p_square.min() < 0.5 < p_square.max():  # a boundary to draw
            ax.contour(x1_grid, x2_grid, p_square, levels=[0.5], colors="black", linewidths=1.5)
        _draw_rows(ax, X, y)
        ax.set_title(f"step {step}\nloss {losses[step]:.3f}")
        ax.set_aspect("equal")
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
    fig.colorbar(filled, ax=axes, shrink=0.8, label="predicted probability p of a 1")
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    for ax in axes[1]:
        ax.set_xlabel("input x1")
    for ax in axes[:, 0]:
        ax.set_ylabel("input x2")
    fig.suptitle(title)
    return fig


def _draw_rows(ax: Axes, X, y) -> None:
    """The rows of ``X``, a circle for target 0 and a square for target 1."""
    import numpy as np

    for target, marker in ((0, "o"), (1, "s")):
        rows = np.asarray(y).ravel() == target
        ax.scatter(
            X[rows, 0],
            X[rows, 1],
            marker=marker,
            s=60,
            c=f"C{target}",
            edgecolors="black",
            label=f"target {target}",
        )
