"""Evaluating classifiers by eye: confusion matrices, image grids with predictions, decision boundaries."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from helpers._checks import (
    FIGURE_WIDTH,
    axes_or_none,
    is_keras_model,
    one_of,
    real_number,
    whole_number,
    wrap_text,
)

if (
    TYPE_CHECKING
):  # matplotlib, scikit-learn and Keras are imported inside the functions that use them
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_confusion_matrix", "plot_decision_boundary", "show_images"]

_MISTAKE_COLOR = "tab:red"
_CLASS_COLORS = (
    "tab:blue",
    "tab:orange",
    "tab:green",
    "tab:red",
    "tab:purple",
    "tab:brown",
    "tab:pink",
    "tab:gray",
    "tab:olive",
    "tab:cyan",
)
_CLASS_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "*")


def _class_labels(values: Any, name: str, function: str) -> np.ndarray:
    """``values`` as a 1-D array of class labels, or an error that says what to do instead.

    Integral floats (``1.0``) become ints and booleans become 0/1; a column ``(n, 1)`` is
    flattened. Rows of scores ``(n, k)`` and floats between 0 and 1 look like probabilities:
    the error says to take ``argmax`` or to apply a threshold.
    """
    array = np.asarray(values)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim == 2:
        raise ValueError(
            f"{function}() needs {name} as class labels, one per sample (shape (n,)); got shape "
            f"{array.shape}, which looks like class probabilities or one-hot rows: take "
            f"{name}.argmax(axis=1) first"
        )
    if array.ndim != 1:
        raise ValueError(
            f"{function}() needs {name} as class labels, one per sample (shape (n,)); "
            f"got shape {array.shape}"
        )
    if len(array) == 0:
        raise ValueError(f"{function}() needs at least one sample; {name} is empty")
    if array.dtype.kind == "b":
        return array.astype(int)
    if array.dtype.kind == "f":
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{function}() needs finite class labels; {name} contains NaN or inf")
        if np.all(array == np.round(array)):
            return array.astype(int)
        example = array[array != np.round(array)][0]
        if array.min() >= 0 and array.max() <= 1:
            raise ValueError(
                f"{function}() needs {name} as class labels (integers or strings); got floats "
                f"between 0 and 1 (e.g. {example:.3g}), which look like probabilities: apply a "
                f"threshold first, e.g. ({name} > 0.5).astype(int), or take argmax(axis=1) of "
                "the per-class probabilities"
            )
        raise ValueError(
            f"{function}() needs {name} as class labels (integers or strings); got non-integer "
            f"floats (e.g. {example:.3g})"
        )
    return array


def _same_length(function: str, **arrays: Any) -> None:
    """Raise if the named arrays do not all have the same number of samples."""
    lengths = {name: len(array) for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"{function}() needs one entry per sample in each input; got {described}")


def _class_name(label: Any, class_names: Sequence[str] | Mapping[Any, str] | None) -> str:
    """The display name of ``label``: ``class_names[label]`` when given, else the label itself."""
    if class_names is None:
        return str(label)
    try:
        return str(class_names[label])
    except (KeyError, IndexError, TypeError):
        size = f"{len(class_names)} names" if not isinstance(class_names, Mapping) else "keys"
        raise ValueError(
            f"class_names has no entry for label {label!r}; got class_names with {size} "
            f"{list(class_names)[:12]}"
        ) from None


_COLORBAR_LABELS = {
    None: "number of samples",
    "true": "fraction of the true class (row)",
    "pred": "fraction of the predicted class (column)",
    "all": "fraction of all samples",
}
_NORMALIZED_SUMS = {"true": "rows", "pred": "columns", "all": "all cells"}


def _draw_matrix(ax: Axes, y_true, y_pred, labels, class_names, normalize, cmap: str) -> None:
    """scikit-learn's confusion matrix of the labels in ``ax``, with a labelled colour bar."""
    from sklearn.metrics import ConfusionMatrixDisplay

    display = ConfusionMatrixDisplay.from_predictions(
        y_true,
        y_pred,
        labels=labels,
        normalize=normalize,
        display_labels=list(class_names) if class_names is not None else None,
        values_format="d" if normalize is None else ".2f",
        cmap=cmap,
        ax=ax,
        colorbar=True,
        text_kw={"fontsize": "medium"},
    )
    display.im_.colorbar.set_label(_COLORBAR_LABELS[normalize])


def _confusion_title(y_true: np.ndarray, y_pred: np.ndarray, normalize) -> str:
    """The default title: n, the accuracy, and what sums to 1 in a normalized matrix."""
    accuracy = float(np.mean(y_true == y_pred))
    title = f"Confusion matrix (n = {len(y_true):,}, accuracy {accuracy:.1%})"
    if normalize is not None:
        title += f"\n{_NORMALIZED_SUMS[normalize]} sum to 1"
    return title


def _shown_classes(
    y_true: np.ndarray, y_pred: np.ndarray, labels, class_names, function: str
) -> list[Any]:
    """The classes a confusion matrix shows: ``labels``, or every class present; a ValueError if
    none of ``labels`` is present or ``class_names`` does not name each class."""
    present = sorted(set(y_true.tolist()) | set(y_pred.tolist()))
    classes = list(labels) if labels is not None else present
    if not any(label in present for label in classes):  # scikit-learn: "At least one label ..."
        raise ValueError(
            f"{function}() needs labels that name classes of y_true or y_pred (a subset shows "
            f"only those); none of labels={classes[:12]} is among {present[:12]}"
        )
    if class_names is not None and len(class_names) != len(classes):
        raise ValueError(
            f"{function}() needs class_names with one name per class; got {len(class_names)} names "
            f"for {len(classes)} classes {classes[:12]}"
        )
    return classes


def plot_confusion_matrix(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Sequence[Any] | None = None,
    class_names: Sequence[str] | None = None,
    normalize: Literal["true", "pred", "all"] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    cmap: str = "Blues",
) -> Figure:
    """Draw the confusion matrix of class labels, with the count (or fraction) in each cell (chapter 4).

    Rows are true labels, columns predicted labels; scikit-learn computes the matrix. ``labels``
    picks and orders the classes, ``class_names`` gives their display names, ``normalize`` is
    scikit-learn's: ``"true"`` (each row sums to 1), ``"pred"`` (each column) or ``"all"``.
    ``y_pred`` must be labels: for a softmax output take ``probs.argmax(axis=1)``, for a sigmoid
    output ``(probs > 0.5).astype(int)``. The default title gives n and the accuracy. A new figure
    is at most 7 inches wide (the page's width), its text in the body size. Returns the Figure
    (the one holding ``ax`` when ``ax`` is given).

    >>> fig = plot_confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    >>> [t.get_text() for t in fig.axes[0].texts][:3]
    ['1', '0', '0']
    """
    function = "plot_confusion_matrix"
    y_true = _class_labels(y_true, "y_true", function)
    y_pred = _class_labels(y_pred, "y_pred", function)
    _same_length(function, y_true=y_true, y_pred=y_pred)
    one_of(normalize, "normalize", (None, "true", "pred", "all"), function)
    classes = _shown_classes(y_true, y_pred, labels, class_names, function)
    ax = axes_or_none(ax, function)

    import matplotlib.pyplot as plt

    new_figure, size = ax is None, min(4.0 + 0.35 * len(classes), FIGURE_WIDTH - 1.0)
    if new_figure:  # the matrix is square; its colour bar takes about an inch beside it
        _, ax = plt.subplots(figsize=(size + 1.0, size), layout="constrained")
    _draw_matrix(ax, y_true, y_pred, labels, class_names, normalize, cmap)
    if len(classes) > 6 and class_names is not None:
        ax.tick_params(axis="x", labelrotation=45)
    if title is None:
        title = _confusion_title(y_true, y_pred, normalize)
    if title:
        ax.set_title(title)
        if new_figure:  # a title wider than the square matrix would run into the colour bar
            ax.set_title(wrap_text(title, size - 0.8, ax.title.get_fontsize()))
    return ax.figure


def _image_stack(images: Any, function: str) -> np.ndarray:
    """``images`` as an ``(n, h, w)`` array: accepts (n, h, w), (n, h, w, 1) and (n, h*w) if square."""
    array = np.asarray(images)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim == 2:
        side = int(round(np.sqrt(array.shape[1])))
        if side * side != array.shape[1]:
            raise ValueError(
                f"{function}() needs grayscale images shaped (n, height, width), (n, height, "
                f"width, 1) or flattened square images (n, side*side); got shape {array.shape}, "
                f"and {array.shape[1]} pixels is not a square (for one image pass image[None])"
            )
        array = array.reshape(len(array), side, side)
    if array.ndim != 3:
        raise ValueError(
            f"{function}() needs grayscale images shaped (n, height, width), (n, height, width, 1) "
            f"or flattened square images (n, side*side); got shape {array.shape}"
        )
    if len(array) == 0:
        raise ValueError(f"{function}() needs at least one image; got shape {array.shape}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{function}() needs numeric pixel values; got dtype {array.dtype}")
    if array.dtype.kind == "f" and not np.isfinite(array).all():  # drawn as blank squares
        bad = ~np.isfinite(array).reshape(len(array), -1).all(axis=1)
        raise ValueError(
            f"{function}() needs finite pixel values; {int(bad.sum())} of {len(array)} image(s) "
            f"hold NaN or infinite ones, the first is image {int(np.argmax(bad))} (a division by "
            f"zero when scaling?)"
        )
    return array


def show_images(
    images: Any,
    labels: Any,
    predictions: Any = None,
    *,
    ncols: int = 10,
    max_images: int = 30,
    class_names: Sequence[str] | Mapping[Any, str] | None = None,
    title: str | None = None,
    cmap: str = "binary",
) -> Figure:
    """Show grayscale images in a grid, titled by label; with predictions, mistakes are in red (chapter 7).

    ``images`` is (n, height, width), (n, height, width, 1) or (n, side*side) for square images
    such as flattened MNIST digits. Only the first ``max_images`` are shown, ``ncols`` to a row.
    With ``predictions`` (class labels, not probabilities: take ``argmax(axis=1)`` first) each
    title reads "pred 3" over "true 5", and misclassified images get a red title and a red frame.
    ``class_names`` maps labels to names (a list indexed by label, or a dict). The figure is at
    most 7 inches wide (the page's width), with titles in the body size: ten images to a row
    leave room for "pred 3" and "true 5"; for longer class names, pass fewer columns.

    >>> import numpy as np
    >>> fig = show_images(np.zeros((4, 28, 28)), [0, 1, 2, 3], predictions=[0, 1, 2, 5])
    >>> [ax.get_title() for ax in fig.axes]
    ['pred 0\\ntrue 0', 'pred 1\\ntrue 1', 'pred 2\\ntrue 2', 'pred 5\\ntrue 3']
    """
    stack, labels, predictions = _checked_images(images, labels, predictions)
    ncols = whole_number(ncols, "ncols", "show_images")
    max_images = whole_number(max_images, "max_images", "show_images")
    n = min(len(stack), max_images)
    shown = stack[:n]
    vmin, vmax = _shared_scale(shown)
    fig, axes = _image_grid(n, min(ncols, n), title_lines=1 if predictions is None else 2)
    mistakes = 0
    for i, ax in enumerate(axes.flat):
        if i >= n:
            fig.delaxes(ax)
            continue
        ax.imshow(shown[i], cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
        true_name = _class_name(labels[i], class_names)
        if predictions is None:
            _title_image(ax, true_name, wrong=False)
            continue
        wrong = bool(predictions[i] != labels[i])
        _title_image(
            ax, f"pred {_class_name(predictions[i], class_names)}\ntrue {true_name}", wrong
        )
        mistakes += wrong
    if title is None:
        shown_of = f"{n} of {len(stack)} images" if n < len(stack) else f"{n} images"
        title = (
            shown_of if predictions is None else f"{shown_of}: {mistakes} misclassified (in red)"
        )
    if title:
        suptitle = fig.suptitle(title)  # broken into lines if wider than the page
        suptitle.set_text(wrap_text(title, FIGURE_WIDTH - 0.2, suptitle.get_fontsize()))
    return fig


def _checked_images(images: Any, labels: Any, predictions: Any):
    """(images as a stack, labels, predictions or None), checked to be as many of each."""
    function = "show_images"
    stack = _image_stack(images, function)
    labels = _class_labels(labels, "labels", function)
    _same_length(function, images=stack, labels=labels)
    if predictions is not None:
        predictions = _class_labels(predictions, "predictions", function)
        _same_length(function, images=stack, predictions=predictions)
    return stack, labels, predictions


def _shared_scale(shown: np.ndarray) -> tuple[float, float]:
    """(vmin, vmax) for every image: 0 to 255 for bytes, else the stack's own range, so that the
    images' brightness compares."""
    if shown.dtype == np.uint8:
        return 0.0, 255.0
    vmin, vmax = float(np.nanmin(shown)), float(np.nanmax(shown))
    if vmin == vmax:
        return vmin - 0.5, vmax + 0.5
    return vmin, vmax


def _image_grid(n: int, ncols: int, title_lines: int):
    """A figure of ``n`` image axes, ``ncols`` to a row, at most the page's width, each with room
    for a title of ``title_lines`` lines."""
    import matplotlib.pyplot as plt

    nrows = -(-n // ncols)
    side = min(1.4, FIGURE_WIDTH / ncols)  # inches per image
    return plt.subplots(
        nrows,
        ncols,
        figsize=(side * ncols, (side + 0.25 * title_lines) * nrows + 0.5),
        squeeze=False,
        layout="constrained",
    )


def _title_image(ax: Axes, text: str, wrong: bool) -> None:
    """An image's title, without ticks; a mistake's in bold red, with a red frame."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(
        text,
        fontsize="medium",
        color=_MISTAKE_COLOR if wrong else "black",
        fontweight="bold" if wrong else "normal",
    )
    for spine in ax.spines.values():
        spine.set_visible(wrong)
        if wrong:
            spine.set_color(_MISTAKE_COLOR)
            spine.set_linewidth(2.5)


def _scores_function(model: Any) -> Callable[[np.ndarray], Any]:
    """A function from an (n, 2) array to the model's probabilities or scores."""
    if is_keras_model(model):
        return lambda points: model.predict(points.astype("float32"), verbose=0, batch_size=4096)
    if hasattr(model, "predict_proba"):
        return model.predict_proba
    if hasattr(model, "fit") and hasattr(model, "predict"):
        raise TypeError(
            "plot_decision_boundary() needs probabilities or scores from the model; "
            f"{type(model).__name__} has no predict_proba (for SVC pass probability=True, or pass "
            "a function: lambda X: model.decision_function(X) with threshold=0)"
        )
    if callable(model):
        return model
    raise TypeError(
        "plot_decision_boundary() needs a Keras model, a scikit-learn classifier with "
        "predict_proba, or a function mapping an (n, 2) array to probabilities or scores; "
        f"got {type(model).__name__}"
    )


def _class_margins(output: Any, n_points: int, threshold: float) -> list[np.ndarray]:
    """Per class, a field that is positive exactly where the model predicts that class.

    Binary outputs (n,), (n, 1) or (n, 2) use ``score - threshold`` for class 1 and its negative
    for class 0; softmax outputs (n, k) use ``p_i - max_{j != i} p_j``, positive where class i wins.
    """
    scores = np.asarray(output, dtype=float)
    if scores.ndim == 2 and scores.shape[1] == 1:
        scores = scores[:, 0]
    if scores.ndim not in (1, 2) or scores.shape[0] != n_points:
        raise ValueError(
            f"plot_decision_boundary() needs the model to return one score per point, shape "
            f"({n_points},), ({n_points}, 1) for a sigmoid or ({n_points}, k) for a softmax; "
            f"got shape {scores.shape}"
        )
    if not np.isfinite(scores).all():  # NaN is below and above no threshold: regions vanish
        raise ValueError(
            f"plot_decision_boundary() needs finite predictions; the model returned "
            f"{int((~np.isfinite(scores)).sum())} NaN or infinite value(s) on the grid and the "
            f"data (did its training diverge? its loss is NaN then)"
        )
    if scores.ndim == 2 and scores.shape[1] == 2:
        scores = scores[:, 1]  # two-column probabilities: p(class 1) against the threshold
    if scores.ndim == 1:
        return [threshold - scores, scores - threshold]
    margins = []
    for i in range(scores.shape[1]):
        others = np.delete(scores, i, axis=1).max(axis=1)
        margins.append(scores[:, i] - others)
    return margins


def _check_points(
    X: Any, y: Any, feature_names: Any, function: str
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``X`` as an (n, 2) float array, ``y`` as n class labels, and the two features' names."""
    if feature_names is None and hasattr(X, "columns") and len(X.columns) == 2:
        feature_names = [str(c) for c in X.columns]  # a pandas DataFrame names its features
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{function}() needs X as numbers, shape (n_samples, 2); got {type(X).__name__}"
        ) from None
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"{function}() draws two-feature problems: X must have shape (n_samples, 2); got shape "
            f"{X.shape} (pick two columns, e.g. X[:, [0, 1]], or project to 2-D first)"
        )
    if len(X) == 0:
        raise ValueError(f"{function}() needs at least one sample; X has shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(
            f"{function}() needs finite X; got {int(np.sum(~np.isfinite(X)))} NaN or inf values"
        )
    y = _class_labels(y, "y", function)
    _same_length(function, X=X, y=y)
    if feature_names is None:
        return X, y, ["feature 1", "feature 2"]
    if len(feature_names) != 2:
        raise ValueError(
            f"{function}() needs feature_names as two names; got {list(feature_names)!r}"
        )
    return X, y, [str(name) for name in feature_names]


@dataclass
class _Regions:
    """The model's predictions on a grid around the data and on the data itself.

    ``margins[i]`` is positive on the grid exactly where class i is predicted, ``on_data[i]`` the
    same on the data's points; a binary model has two margins, of opposite signs.
    """

    xs: np.ndarray
    ys: np.ndarray
    margins: list[np.ndarray]
    on_data: list[np.ndarray]

    @property
    def binary(self) -> bool:
        return len(self.margins) == 2


def _decision_regions(
    scores_of: Callable[[np.ndarray], Any], X: np.ndarray, resolution: int, threshold: float
) -> _Regions:
    # The grid: the data's range plus a margin, so points never sit on the edge.
    low, high = X.min(axis=0), X.max(axis=0)
    pad = np.where(high > low, 0.1 * (high - low), 1.0)
    xs = np.linspace(low[0] - pad[0], high[0] + pad[0], resolution)
    ys = np.linspace(low[1] - pad[1], high[1] + pad[1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    # One call for the grid and the data: one pass through a Keras model instead of two.
    both = _class_margins(scores_of(np.vstack([grid, X])), len(grid) + len(X), threshold)
    return _Regions(
        xs, ys, [m[: len(grid)].reshape(xx.shape) for m in both], [m[len(grid) :] for m in both]
    )


def _region_classes(
    model: Any, regions: _Regions, y: np.ndarray, class_names: Sequence[str] | None, function: str
) -> tuple[list[Any], list[str]]:
    """The class label of each margin and its display name, checked against ``y`` and the names."""
    n = len(regions.margins)
    model_classes = getattr(model, "classes_", None)  # scikit-learn: the label of each column
    classes = list(model_classes) if model_classes is not None else list(range(n))
    if len(classes) != n:
        raise ValueError(
            f"{function}() found {len(classes)} classes in model.classes_ but {n} in the model's output"
        )
    unknown = sorted(set(y.tolist()) - set(np.asarray(classes).tolist()), key=str)
    if unknown:
        raise ValueError(
            f"{function}() needs y to use the model's class labels {classes}; got labels "
            f"{unknown} too (for a Keras model, classes are the output columns 0..k-1)"
        )
    if class_names is None:
        return classes, [f"class {c}" for c in classes]
    if len(class_names) != len(classes):
        raise ValueError(
            f"{function}() needs class_names with one name per class; got {len(class_names)} names "
            f"for {len(classes)} classes {classes}"
        )
    return classes, [str(c) for c in class_names]


def _draw_regions(ax: Axes, regions: _Regions, classes: list[Any], threshold: float) -> list[Any]:
    """Shade each class's region and draw the boundaries; return the boundary's legend entry."""
    from matplotlib.lines import Line2D

    xx, yy = np.meshgrid(regions.xs, regions.ys)
    for i, margin in enumerate(regions.margins):
        color = _CLASS_COLORS[i % len(_CLASS_COLORS)]
        if margin.max() > 0:  # the class is predicted somewhere on the grid
            region = ax.contourf(
                xx, yy, margin, levels=[0, margin.max() + 1], colors=[color], alpha=0.22
            )
            region.set_gid(f"region {classes[i]}")
        if not regions.binary and margin.min() < 0 < margin.max():
            ax.contour(xx, yy, margin, levels=[0], colors="black", linewidths=1.0).set_gid(
                "boundary"
            )
    positive = regions.margins[1]
    if regions.binary and positive.min() < 0 < positive.max():
        ax.contour(xx, yy, positive, levels=[0], colors="black", linewidths=1.5).set_gid("boundary")
        return [
            Line2D([], [], color="black", lw=1.5, label=f"decision boundary (p = {threshold:g})")
        ]
    if not regions.binary:
        return [Line2D([], [], color="black", lw=1.0, label="decision boundaries")]
    return []


def _draw_points(
    ax: Axes, X: np.ndarray, y: np.ndarray, classes: list[Any], names: list[str]
) -> None:
    for i, cls in enumerate(classes):
        mask = y == cls
        if not mask.any():
            continue
        ax.scatter(
            X[mask, 0],
            X[mask, 1],
            s=22,
            color=_CLASS_COLORS[i % len(_CLASS_COLORS)],
            marker=_CLASS_MARKERS[i % len(_CLASS_MARKERS)],
            edgecolors="white",
            linewidths=0.5,
            label=f"{names[i]} (n = {int(mask.sum())})",
        )


def plot_decision_boundary(
    model: Any,
    X: Any,
    y: Any,
    *,
    resolution: int = 200,
    ax: Axes | None = None,
    threshold: float = 0.5,
    feature_names: Sequence[str] | None = None,
    class_names: Sequence[str] | None = None,
    title: str | None = None,
) -> Figure:
    """Shade the regions where a two-feature classifier predicts each class, and scatter the data (chapter 2).

    ``model`` is a Keras model (``model.predict(..., verbose=0)``), a scikit-learn classifier
    (``predict_proba``), or any function mapping an (n, 2) array to probabilities or scores:
    one sigmoid output, shape (n,) or (n, 1), is compared with ``threshold``, whose contour is
    drawn as the decision boundary; a softmax output (n, k) predicts its largest column. The
    model is evaluated on a ``resolution`` x ``resolution`` grid around ``X``; the default title
    gives the accuracy on ``X``. Returns the Figure (the one holding ``ax`` when given; a new
    figure is 6.5 inches wide, within the page's 7).

    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 1.0], [0.2, 0.1], [0.9, 0.8]])
    >>> fig = plot_decision_boundary(lambda P: P.sum(axis=1) / 2, X, [0, 1, 0, 1], resolution=50)
    >>> fig.axes[0].get_xlabel()
    'feature 1'
    """
    # the arguments, then the regions (the classes the model predicts checked against y), drawn
    function = "plot_decision_boundary"
    X, y, feature_names = _check_points(X, y, feature_names, function)
    resolution = whole_number(resolution, "resolution", function, minimum=10)
    threshold = real_number(threshold, "threshold", function)
    ax = axes_or_none(ax, function)
    scores_of = _scores_function(model)

    regions = _decision_regions(scores_of, X, resolution, threshold)
    classes, names = _region_classes(model, regions, y, class_names, function)
    if title is None:
        predicted = np.asarray(classes, dtype=object)[
            np.argmax(np.column_stack(regions.on_data), axis=1)
        ]
        accuracy = float(np.mean(predicted == y.astype(object)))
        title = f"Decision regions (accuracy on these {len(y)} points: {accuracy:.1%})"

    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 5.2), layout="constrained")
    boundary = _draw_regions(ax, regions, classes, threshold)
    _draw_points(ax, X, y, classes, names)
    handles = ax.get_legend_handles_labels()[0] + boundary  # the classes, then the boundary
    ax.legend(handles=handles, loc="best", framealpha=0.9)
    ax.set(xlim=(regions.xs[0], regions.xs[-1]), ylim=(regions.ys[0], regions.ys[-1]))
    ax.set(xlabel=feature_names[0], ylabel=feature_names[1])
    if title:
        ax.set_title(title)
    return ax.figure
