"""Training curves: loss and metrics per epoch from a Keras ``History``, for training and validation."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from helpers._checks import FIGURE_WIDTH, one_of, wrap_text

if TYPE_CHECKING:  # matplotlib is imported inside plot_history(): importing this module stays cheap
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_history"]

# Keys Keras may log that are not scores of the model (a learning-rate schedule, for example).
_NOT_METRICS = frozenset({"learning_rate", "lr"})
_LOSS_COLOR = "black"
_GAP_LABEL = "no value (NaN): diverged?"
_METRIC_COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")


def _history_dict(history: Any) -> tuple[dict[str, np.ndarray], dict[str, tuple[int, ...]]]:
    """The per-epoch values of ``history`` as ``{key: 1-D float array}``, or a clear error.

    Keys holding several values per epoch (a per-class metric) come back apart, with their shapes.
    """
    raw = getattr(history, "history", history)  # keras.callbacks.History keeps its dict in .history
    if hasattr(raw, "columns") and hasattr(raw, "to_dict"):  # a pandas DataFrame(history.history)
        raw = {str(column): list(raw[column]) for column in raw.columns}
    if not isinstance(raw, Mapping):
        raise TypeError(
            "plot_history() needs a Keras History (what model.fit() returns) or its .history dict "
            f"of per-epoch lists; got {type(history).__name__}"
        )
    if not raw:
        raise ValueError(
            "plot_history() needs a history with at least one epoch; got an empty history "
            "(was model.fit() run, and did it run for at least one epoch?)"
        )
    values: dict[str, np.ndarray] = {}
    several: dict[str, tuple[int, ...]] = {}
    for key, series in raw.items():
        try:
            array = np.asarray(series, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(
                f"plot_history() needs numbers per epoch; history[{key!r}] holds "
                f"{type(series).__name__} {series!r:.60}"
            ) from None
        if array.ndim == 2 and array.shape[1] == 1:
            array = array[:, 0]  # keras.metrics.F1Score on one output records shape (1,) per epoch
        if array.ndim == 2:  # several values per epoch (one per class): not a curve to draw
            several[str(key)] = array.shape
            continue
        if array.ndim != 1:
            hint = (
                " (model.evaluate(..., return_dict=True) gives one number per metric, "
                "not a history; pass what model.fit() returns)"
                if array.ndim == 0
                else ""
            )
            raise ValueError(
                f"plot_history() needs one list of per-epoch values per key; history[{key!r}] "
                f"has shape {array.shape}{hint}"
            )
        values[str(key)] = array
    if "loss" not in values:
        raise ValueError(
            "plot_history() needs a 'loss' key (Keras always records it); "
            f"got keys {sorted(values)}"
        )
    if len(values["loss"]) == 0:
        raise ValueError(
            "plot_history() needs a history with at least one epoch; history['loss'] is empty"
        )
    return values, several


def _chosen_metrics(
    values: dict[str, np.ndarray],
    several: dict[str, tuple[int, ...]],
    metrics: str | Sequence[str] | None,
) -> tuple[list[str], list[str]]:
    """The losses (drawn on the left axis) and the metrics (right axis) to draw, by name without "val_"."""
    training_keys = [key for key in values if not key.startswith("val_")]
    losses = ["loss"] + [k for k in training_keys if k != "loss" and k.endswith("loss")]
    available = [k for k in training_keys if k not in losses and k not in _NOT_METRICS]
    if metrics is None:
        return losses, available
    chosen = [metrics] if isinstance(metrics, str) else list(metrics)
    stripped = [m[len("val_") :] if m.startswith("val_") else m for m in chosen]
    per_class = [m for m in stripped if m in several]
    if per_class:
        name = per_class[0]
        raise ValueError(
            f"plot_history() draws one curve per metric; history[{name!r}] holds "
            f"{several[name][1]} values per epoch (one per class, as keras.metrics.F1Score "
            "records with average=None); compile with average='macro' or 'micro' to get one"
        )
    unknown = [m for m in stripped if m not in training_keys or m in losses]
    if unknown:
        raise ValueError(
            f"plot_history() got unknown metric name(s) {unknown}; expected names from "
            f"{available} (the history has keys {sorted(values)})"
        )
    return losses, list(dict.fromkeys(stripped))  # keep the order, drop repeats


def _panels(
    values: dict[str, np.ndarray], validation: bool | str, names: list[str]
) -> list[tuple[str, str]]:
    """(title, key prefix) of each panel: training, and validation when asked for or recorded.

    Every panel needs every drawn name, with one value per epoch.
    """
    has_validation = "val_loss" in values
    if validation is True and not has_validation:
        raise ValueError(
            "plot_history(validation=True) needs validation values (keys starting with 'val_', "
            "recorded when model.fit() gets validation_split or validation_data); "
            f"got keys {sorted(values)}"
        )
    show_validation = has_validation if validation == "auto" else bool(validation)
    panels = [("Training", "")] + ([("Validation", "val_")] if show_validation else [])
    epochs = len(values["loss"])
    for _, prefix in panels:
        for name in names:
            key = prefix + name
            if key not in values:
                raise ValueError(
                    f"plot_history() draws {name!r} in both panels but the history has no {key!r}; "
                    f"got keys {sorted(values)} (pass validation=False or pick other metrics)"
                )
            if len(values[key]) != epochs:
                raise ValueError(
                    f"plot_history() needs one value per epoch for every key; history[{key!r}] has "
                    f"{len(values[key])} values but history['loss'] has {epochs} "
                    "(validation_freq other than 1 records validation less often)"
                )
    return panels


def plot_history(
    history: Any,
    *,
    metrics: str | Sequence[str] | None = None,
    validation: bool | Literal["auto"] = "auto",
    title: str | None = "Training history",
) -> Figure:
    """Plot loss (left axis) and metrics (right axis) per epoch, training beside validation (chapter 3).

    ``history`` is what ``model.fit()`` returns (a ``keras.callbacks.History``), its ``.history``
    dict, or a pandas DataFrame of it. ``metrics`` picks the metric names to draw, without the
    ``val_`` prefix (default: every recorded metric; ``[]`` draws the loss only).
    ``validation="auto"`` adds the validation panel when ``val_loss`` was recorded (``fit`` with
    ``validation_split`` or ``validation_data``); ``True`` insists on it, ``False`` leaves it out.
    The two panels share their scales, so their outer axes carry the tick labels: the loss on the
    left of the training panel, the metrics on the right of the validation panel. The figure is
    7 inches wide (the page's width), its text in the body size.

    >>> history = {"loss": [0.9, 0.5, 0.4], "accuracy": [0.6, 0.8, 0.85],
    ...            "val_loss": [0.7, 0.6, 0.6], "val_accuracy": [0.7, 0.75, 0.76]}
    >>> fig = plot_history(history)
    >>> [ax.get_title() for ax in fig.axes[:2]]
    ['Training', 'Validation']
    """
    # Checking the history and the arguments, and choosing what to draw; then drawing.
    values, several = _history_dict(history)
    one_of(validation, "validation", (True, False, "auto"), "plot_history")
    losses, chosen = _chosen_metrics(values, several, metrics)
    panels = _panels(values, validation, losses + chosen)
    gaps = _gaps(values, panels, losses + chosen)
    if gaps:
        warnings.warn(
            f"plot_history(): {'; '.join(gaps.values())}: the curves have no point there "
            "(training diverged? try a smaller learning rate, or scaled inputs)",
            stacklevel=2,
        )
    return _draw_history(values, panels, losses, chosen, title, gaps)


def _epoch_runs(epochs: list[int]) -> str:
    """``[3, 4, 5, 9]`` as ``"3-5 and 9"``: epochs, numbered from 1, in runs."""
    runs: list[list[int]] = []
    for epoch in epochs:
        if runs and epoch == runs[-1][-1] + 1:
            runs[-1].append(epoch)
        else:
            runs.append([epoch])
    parts = [f"{run[0]}-{run[-1]}" if len(run) > 1 else f"{run[0]}" for run in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _gaps(
    values: dict[str, np.ndarray], panels: list[tuple[str, str]], names: list[str]
) -> dict[str, str]:
    """For each drawn key with NaN or infinite values, which epochs: ``{"loss": "history['loss']
    is NaN at epochs 7-10"}``. A curve has a gap there, which must not pass without a word."""
    gaps = {}
    for _, prefix in panels:
        for name in names:
            key = prefix + name
            missing = (np.flatnonzero(~np.isfinite(values[key])) + 1).tolist()
            if missing:
                nan, infinite = np.isnan(values[key]).any(), np.isinf(values[key]).any()
                what = "NaN or infinite" if nan and infinite else "NaN" if nan else "infinite"
                plural = "s" if len(missing) > 1 else ""
                gaps[key] = f"history[{key!r}] is {what} at epoch{plural} {_epoch_runs(missing)}"
    return gaps


def _draw_panel(
    ax: Axes, values: dict[str, np.ndarray], prefix: str, losses: list[str], chosen: list[str]
) -> tuple[list[Any], Axes | None]:
    values = {key: np.where(np.isfinite(v), v, np.nan) for key, v in values.items()}  # inf: a gap
    """One panel's curves: the losses on ``ax``, the metrics on a twin axis; its lines and the twin."""
    from matplotlib.ticker import MaxNLocator

    epochs = len(values["loss"])
    x = np.arange(1, epochs + 1)
    marker = "o" if epochs <= 30 else None  # dots make short runs (even one epoch) visible
    handles = []
    for i, name in enumerate(losses):
        (line,) = ax.plot(
            x,
            values[prefix + name],
            color=_LOSS_COLOR,
            ls=("-", "--", ":", "-.")[i % 4],
            marker=marker,
            ms=3,
            label=f"{name} (left axis)" if chosen else name,
        )
        handles.append(line)
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.grid(alpha=0.3)
    if epochs == 1:
        ax.set_xlim(0.5, 1.5)
        ax.set_xticks([1])
    if not chosen:
        return handles, None
    twin = ax.twinx()
    for i, name in enumerate(chosen):
        (line,) = twin.plot(
            x,
            values[prefix + name],
            color=_METRIC_COLORS[i % len(_METRIC_COLORS)],
            marker=marker,
            ms=3,
            label=f"{name} (right axis)",
        )
        handles.append(line)
    return handles, twin


def _mark_gaps(ax: Axes, values: dict[str, np.ndarray], keys: list[str]) -> Any:
    """Shade the epochs where a curve of the panel has no value; the last shading (for the legend),
    or None."""
    missing = sorted(
        {int(i) + 1 for key in keys for i in np.flatnonzero(~np.isfinite(values[key]))}
    )
    span = None
    for epoch in missing:
        span = ax.axvspan(
            epoch - 0.5, epoch + 0.5, color="tab:red", alpha=0.15, lw=0, label=_GAP_LABEL
        )
    return span


def _legend(fig: Figure, handles: list[Any]) -> None:
    """One legend under the panels, in as many columns (up to 4) as fit the page's width."""
    renderer = fig.canvas.get_renderer()
    for ncols in range(min(len(handles), 4), 0, -1):
        legend = fig.legend(handles=handles, loc="outside lower center", ncols=ncols)
        if ncols == 1 or legend.get_window_extent(renderer).width / fig.dpi <= FIGURE_WIDTH - 0.2:
            return
        legend.remove()


def _draw_history(
    values: dict[str, np.ndarray],
    panels: list[tuple[str, str]],
    losses: list[str],
    chosen: list[str],
    title: str | None,
    gaps: dict[str, str] | None = None,
) -> Figure:
    import matplotlib.pyplot as plt

    width = FIGURE_WIDTH if len(panels) > 1 else 6.0
    fig, axes = plt.subplots(
        1, len(panels), figsize=(width, 4.0), squeeze=False, layout="constrained"
    )
    loss_axes, metric_axes = [], []
    handles: list[Any] = []
    gap_handle = None
    for ax, (panel_title, prefix) in zip(axes.flat, panels):
        handles, twin = _draw_panel(ax, values, prefix, losses, chosen)
        ax.set_title(panel_title)
        keys = [prefix + name for name in losses + chosen if prefix + name in (gaps or {})]
        gap_handle = _mark_gaps(ax, values, keys) or gap_handle
        loss_axes.append(ax)
        if twin is not None:
            metric_axes.append(twin)
    # One scale for loss and one for metrics across both panels, so the panels compare at a glance;
    # the shared scales are labelled once, on the outer sides.
    for group in (loss_axes, metric_axes):
        for other in group[1:]:
            other.sharey(group[0])
        for ax in group:
            ax.autoscale_view(scalex=False)  # the shared limits now cover every panel's values
    loss_axes[0].set_ylabel("loss", color=_LOSS_COLOR)
    for ax in loss_axes[1:]:
        ax.tick_params(axis="y", labelleft=False)
    if metric_axes:
        right_label = chosen[0] if len(chosen) == 1 else "metric value"
        right_color = _METRIC_COLORS[0] if len(chosen) == 1 else "dimgray"
        metric_axes[-1].set_ylabel(right_label, color=right_color)
        for twin in metric_axes:
            twin.tick_params(axis="y", colors=right_color)
        for twin in metric_axes[:-1]:
            twin.tick_params(axis="y", labelright=False)
    # Both panels draw the same series in the same styles, so one legend under them serves both
    # (a legend inside a twin-axes panel would hide the curves of the axes beneath it).
    _legend(fig, handles + ([gap_handle] if gap_handle is not None else []))
    if title:
        suptitle = fig.suptitle(title)  # broken into lines if wider than the page
        suptitle.set_text(wrap_text(title, FIGURE_WIDTH - 0.2, suptitle.get_fontsize()))
    return fig
