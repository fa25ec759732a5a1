"""Tests for helpers.evaluation: confusion matrix, image grid and decision boundary, on real data and models."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pytest

from helpers._checks import page_problems
from helpers.evaluation import plot_confusion_matrix, plot_decision_boundary, show_images


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="module")
def mnist_predictions():
    """500 MNIST test digits, flattened to (500, 784), with a nearest-centroid classifier's labels.

    A deliberately simple classifier (about 80 % right) so that there are mistakes to show.
    """
    from sklearn.neighbors import NearestCentroid

    from helpers.datasets import load_mnist

    (x_train, y_train), (x_test, y_test) = load_mnist()
    x_train = x_train[:5000].reshape(-1, 784).astype("float32") / 255
    x_test = x_test[:500].reshape(-1, 784).astype("float32") / 255
    with warnings.catch_warnings():  # some border pixels are 0 in every image of a class
        warnings.simplefilter("ignore", UserWarning)
        classifier = NearestCentroid().fit(x_train, y_train[:5000])
    return x_test, y_test[:500], classifier.predict_proba(x_test)


@pytest.fixture(scope="module")
def blobs():
    """Two well separated Gaussian blobs, 80 points each, labels 0 and 1."""
    from sklearn.datasets import make_blobs

    X, y = make_blobs(
        n_samples=160, centers=[(-2.0, -1.0), (2.0, 1.5)], cluster_std=0.8, random_state=0
    )
    return X, y


PROBES = np.array(
    [[-3.0, -2.0], [-1.0, 0.5], [0.0, 0.0], [0.5, -1.5], [1.0, 2.0], [3.0, 1.0], [-2.5, 2.5]]
)


def region_at(ax, point) -> str:
    """The gid of the shaded class region that contains ``point`` (data coordinates)."""
    hits = [
        artist.get_gid()
        for artist in ax.collections
        if (artist.get_gid() or "").startswith("region")
        and any(path.contains_point(point) for path in artist.get_paths())
    ]
    assert len(hits) == 1, f"{point} lies in regions {hits}"
    return hits[0]


# --- plot_confusion_matrix ----------------------------------------------------------------------


def test_confusion_matrix_cells_are_scikit_learn_counts(mnist_predictions):
    from sklearn.metrics import confusion_matrix

    _, y_true, probabilities = mnist_predictions
    y_pred = probabilities.argmax(axis=1)
    fig = plot_confusion_matrix(y_true, y_pred)
    ax = fig.axes[0]
    expected = confusion_matrix(y_true, y_pred)
    assert expected.shape == (10, 10)
    cells = np.array([int(t.get_text()) for t in ax.texts]).reshape(10, 10)
    np.testing.assert_array_equal(cells, expected)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Predicted label", "True label")
    accuracy = np.mean(y_true == y_pred)
    assert ax.get_title() == f"Confusion matrix (n = 500, accuracy {accuracy:.1%})"
    assert 0.7 < accuracy < 1.0  # the classifier learned something: the matrix is not trivial
    assert fig.axes[1].get_ylabel() == "number of samples"  # the colour bar


def test_confusion_matrix_normalized_rows_and_class_names(mnist_predictions):
    from sklearn.metrics import confusion_matrix

    _, y_true, probabilities = mnist_predictions
    y_pred = probabilities.argmax(axis=1)
    labels = [3, 5, 8]
    names = ["three", "five", "eight"]
    fig = plot_confusion_matrix(y_true, y_pred, labels=labels, class_names=names, normalize="true")
    ax = fig.axes[0]
    expected = confusion_matrix(y_true, y_pred, labels=labels, normalize="true")
    cells = np.array([float(t.get_text()) for t in ax.texts]).reshape(3, 3)
    np.testing.assert_allclose(cells, expected, atol=0.005)  # shown with two decimals
    assert [t.get_text() for t in ax.get_xticklabels()] == names
    assert [t.get_text() for t in ax.get_yticklabels()] == names
    assert ax.get_title().endswith("rows sum to 1")


def test_confusion_matrix_draws_into_a_given_axes():
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2)
    returned = plot_confusion_matrix(
        ["cat", "dog", "dog"], ["cat", "dog", "cat"], ax=right, title="Pets"
    )
    assert returned is fig
    assert right.get_title() == "Pets" and not left.texts
    assert [t.get_text() for t in right.texts] == ["1", "0", "1", "1"]


def test_confusion_matrix_accepts_thresholded_sigmoid_output():
    probabilities = np.array([[0.1], [0.8], [0.6], [0.3]])
    fig = plot_confusion_matrix([0, 1, 0, 0], (probabilities > 0.5).astype("float32"))
    assert [t.get_text() for t in fig.axes[0].texts] == ["2", "1", "0", "1"]


def test_confusion_matrix_refuses_softmax_probabilities(mnist_predictions):
    _, y_true, probabilities = mnist_predictions
    with pytest.raises(
        ValueError, match=r"y_pred as class labels.*got shape \(500, 10\).*y_pred.argmax\(axis=1\)"
    ):
        plot_confusion_matrix(y_true, probabilities)


def test_confusion_matrix_refuses_sigmoid_probabilities():
    with pytest.raises(
        ValueError,
        match=r"y_pred as class labels.*got floats between 0 and 1 \(e.g. 0.2\).*threshold",
    ):
        plot_confusion_matrix([0, 1, 1], np.array([[0.2], [0.8], [1.0]]))


def test_confusion_matrix_lengths_must_match():
    with pytest.raises(ValueError, match=r"one entry per sample.*y_true has 3, y_pred has 2"):
        plot_confusion_matrix([0, 1, 1], [0, 1])


def test_confusion_matrix_bad_normalize():
    with pytest.raises(
        ValueError, match=r"needs normalize as None, 'true', 'pred' or 'all'; got 'rows'"
    ):
        plot_confusion_matrix([0, 1], [0, 1], normalize="rows")


def test_confusion_matrix_class_names_must_fit():
    with pytest.raises(
        ValueError, match=r"one name per class; got 2 names for 3 classes \[0, 1, 2\]"
    ):
        plot_confusion_matrix([0, 1, 2], [0, 1, 2], class_names=["a", "b"])


# --- show_images -----------------------------------------------------------------------------------


def test_show_images_marks_exactly_the_mistakes(mnist_predictions):
    import matplotlib.colors as mcolors

    images, y_true, probabilities = mnist_predictions
    y_pred = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(y_pred[:40] != y_true[:40])
    assert 0 < len(wrong) < 40  # a real mix of right and wrong for the test to mean something

    fig = show_images(images, y_true, y_pred, max_images=40, ncols=8)
    assert len(fig.axes) == 40
    red = mcolors.to_rgba("tab:red")
    marked = [i for i, ax in enumerate(fig.axes) if mcolors.to_rgba(ax.title.get_color()) == red]
    framed = [
        i for i, ax in enumerate(fig.axes) if any(s.get_visible() for s in ax.spines.values())
    ]
    assert marked == framed == wrong.tolist()
    assert all(
        mcolors.to_rgba(s.get_edgecolor()) == red
        for i in wrong
        for s in fig.axes[i].spines.values()
    )
    assert [ax.get_title() for ax in fig.axes] == [
        f"pred {p}\ntrue {t}" for p, t in zip(y_pred[:40], y_true[:40])
    ]
    assert fig.get_suptitle() == f"40 of 500 images: {len(wrong)} misclassified (in red)"
    first = fig.axes[0].images[0].get_array()
    assert first.shape == (28, 28)  # (n, 784) became square images
    np.testing.assert_array_equal(first, images[0].reshape(28, 28))


def test_show_images_labels_only_with_class_names_and_grid():
    from helpers.datasets import load_mnist

    _, (x_test, y_test) = load_mnist()
    names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    fig = show_images(
        x_test[:7, :, :, None], y_test[:7], ncols=3, class_names=names
    )  # (n, 28, 28, 1)
    assert len(fig.axes) == 7  # 3 x 3 grid, the two spare cells removed
    lefts = sorted({round(ax.get_position().x0, 3) for ax in fig.axes})
    tops = sorted({round(ax.get_position().y1, 3) for ax in fig.axes})
    assert (len(lefts), len(tops)) == (3, 3)
    assert [ax.get_title() for ax in fig.axes] == [names[label] for label in y_test[:7]]
    assert fig.axes[0].images[0].get_clim() == (0.0, 255.0)  # uint8 pixels keep their full scale
    assert fig.get_suptitle() == "7 images"


def test_show_images_not_square():
    with pytest.raises(
        ValueError,
        match=r"grayscale images shaped .*got shape \(5, 30\), and 30 pixels is not a square",
    ):
        show_images(np.zeros((5, 30)), [0] * 5)


def test_show_images_labels_must_match_images():
    with pytest.raises(ValueError, match=r"one entry per sample.*images has 4, labels has 3"):
        show_images(np.zeros((4, 28, 28)), [1, 2, 3])


def test_show_images_refuses_probabilities_as_predictions(mnist_predictions):
    images, y_true, probabilities = mnist_predictions
    with pytest.raises(
        ValueError, match=r"predictions as class labels.*got shape \(500, 10\).*argmax\(axis=1\)"
    ):
        show_images(images, y_true, probabilities)


def test_show_images_max_images_must_be_positive():
    with pytest.raises(
        ValueError, match=r"show_images\(\) needs max_images as a whole number .* 1; got 0"
    ):
        show_images(np.zeros((4, 28, 28)), [1, 2, 3, 4], max_images=0)
    with pytest.raises(
        TypeError, match=r"needs ncols as a whole number of at least 1; got float 2.0"
    ):
        show_images(np.zeros((4, 28, 28)), [1, 2, 3, 4], ncols=2.0)


# --- plot_decision_boundary ---------------------------------------------------------------------


def test_decision_regions_agree_with_logistic_regression(blobs):
    from sklearn.linear_model import LogisticRegression

    X, y = blobs
    clf = LogisticRegression().fit(X, y)
    fig = plot_decision_boundary(clf, X, y, feature_names=["x1 (cm)", "x2 (cm)"], resolution=120)
    ax = fig.axes[0]
    for point, expected in zip(PROBES, clf.predict(PROBES)):
        assert region_at(ax, point) == f"region {expected}"
    # The drawn boundary is where the model says p = 0.5.
    (boundary,) = [c for c in ax.collections if c.get_gid() == "boundary"]
    vertices = np.concatenate([path.vertices for path in boundary.get_paths()])
    assert len(vertices) > 10
    np.testing.assert_allclose(clf.predict_proba(vertices)[:, 1], 0.5, atol=0.02)
    # The points are scattered per class, with their own colours.
    scattered = [c for c in ax.collections if c.get_label().startswith("class")]
    assert [c.get_label() for c in scattered] == ["class 0 (n = 80)", "class 1 (n = 80)"]
    np.testing.assert_array_equal(scattered[1].get_offsets(), X[y == 1])
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x1 (cm)", "x2 (cm)")
    assert (
        ax.get_title() == f"Decision regions (accuracy on these 160 points: {clf.score(X, y):.1%})"
    )
    assert "decision boundary (p = 0.5)" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_decision_regions_agree_with_a_keras_sigmoid_model(blobs):
    import keras

    X, y = blobs
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(0.1), "binary_crossentropy")
    model.fit(X, y, epochs=20, batch_size=len(X), verbose=0)
    fig = plot_decision_boundary(model, X, y, resolution=100, class_names=["blue", "orange"])
    ax = fig.axes[0]
    predicted = (model.predict(PROBES, verbose=0)[:, 0] > 0.5).astype(int)
    assert set(predicted) == {0, 1}  # the probes fall on both sides
    for point, expected in zip(PROBES, predicted):
        assert region_at(ax, point) == f"region {expected}"
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == [
        "blue (n = 80)",
        "orange (n = 80)",
    ]


def test_decision_regions_of_a_softmax_model():
    import keras
    from sklearn.datasets import make_blobs

    centers = np.array([(-3.0, 0.0), (3.0, 0.0), (0.0, 4.0)])
    X, y = make_blobs(n_samples=150, centers=centers, cluster_std=0.7, random_state=1)
    # Nearest centre as a softmax layer: logit_k = c_k . x - |c_k|^2 / 2 (no training needed).
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="softmax")])
    model.set_weights([centers.T, -0.5 * (centers**2).sum(axis=1)])
    fig = plot_decision_boundary(model, X, y, resolution=100)
    ax = fig.axes[0]
    probes = np.array([[-3.0, 0.0], [3.0, 0.0], [0.0, 4.0], [-2.0, -1.0], [1.5, 3.0], [-0.5, 1.0]])
    predicted = model.predict(probes, verbose=0).argmax(axis=1)
    assert predicted.tolist() == [0, 1, 2, 0, 2, 0]
    for point, expected in zip(probes, predicted):
        assert region_at(ax, point) == f"region {expected}"
    assert len([c for c in ax.collections if c.get_gid() == "boundary"]) == 3  # each region's edge


def test_decision_regions_of_a_plain_function_with_a_threshold():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(60, 2))
    y = (X[:, 0] > X[:, 1]).astype(int)
    fig = plot_decision_boundary(lambda P: P[:, 0] - P[:, 1], X, y, threshold=0.0, resolution=60)
    ax = fig.axes[0]
    for point in [(0.5, -0.5), (-0.5, 0.5), (0.9, 0.7), (-0.7, -0.9)]:
        assert region_at(ax, point) == f"region {int(point[0] > point[1])}"
    assert ax.get_title().endswith("100.0%)")


def test_decision_boundary_needs_two_features(blobs):
    X, y = blobs
    with pytest.raises(
        ValueError, match=r"X must have shape \(n_samples, 2\); got shape \(160, 3\)"
    ):
        plot_decision_boundary(lambda P: P[:, 0], np.column_stack([X, X[:, 0]]), y)


def test_decision_boundary_lengths_must_match(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match=r"one entry per sample.*X has 160, y has 159"):
        plot_decision_boundary(lambda P: P[:, 0], X, y[:-1])


def test_decision_boundary_model_without_probabilities(blobs):
    from sklearn.svm import SVC

    X, y = blobs
    with pytest.raises(
        TypeError, match=r"needs probabilities or scores .*SVC has no predict_proba"
    ):
        plot_decision_boundary(SVC().fit(X, y), X, y)


def test_decision_boundary_not_a_model(blobs):
    X, y = blobs
    with pytest.raises(TypeError, match=r"needs a Keras model, .* got str"):
        plot_decision_boundary("logistic", X, y)


def test_decision_boundary_output_of_the_wrong_shape(blobs):
    X, y = blobs
    with pytest.raises(
        ValueError, match=r"one score per point, shape \(40160,\).*got shape \(40160, 2, 2\)"
    ):
        plot_decision_boundary(lambda P: np.zeros((len(P), 2, 2)), X, y)


def test_decision_boundary_labels_the_model_does_not_know(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match=r"model's class labels \[0, 1\]; got labels \[2\]"):
        plot_decision_boundary(lambda P: P[:, 0], X, np.where(y == 1, 2, 0))


def test_decision_boundary_resolution_too_small(blobs):
    X, y = blobs
    with pytest.raises(
        ValueError, match=r"needs resolution as a whole number of at least 10; got 3"
    ):
        plot_decision_boundary(lambda P: P[:, 0], X, y, resolution=3)


def test_decision_boundary_bad_threshold_and_axes(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match=r"needs threshold as a finite number; got nan"):
        plot_decision_boundary(lambda P: P[:, 0], X, y, threshold=float("nan"))
    with pytest.raises(TypeError, match=r"needs ax as a Matplotlib Axes or None; got str 'left'"):
        plot_decision_boundary(lambda P: P[:, 0], X, y, ax="left")


# --- the default figures fit the page ---------------------------------------------------------


@pytest.fixture
def body_text_12pt():
    """The chapters' setting: body text in 12 points."""
    with matplotlib.rc_context({"font.size": 12}):
        yield


def test_confusion_matrix_of_ten_classes_fits_the_page(body_text_12pt, mnist_predictions):
    _, y_true, probabilities = mnist_predictions
    fig = plot_confusion_matrix(y_true, probabilities.argmax(axis=1))
    assert page_problems(fig) == []
    names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    fig = plot_confusion_matrix(
        y_true, probabilities.argmax(axis=1), class_names=names, normalize="true"
    )
    assert page_problems(fig) == []


def test_confusion_matrix_title_keeps_clear_of_the_colour_bar(body_text_12pt):
    y_true, y_pred = [0, 1, 1, 0, 1, 0], [0, 1, 0, 0, 1, 1]
    fig = plot_confusion_matrix(
        y_true, y_pred, title="Churn network on the test set, threshold 0.5"
    )
    fig.canvas.draw()
    matrix, colour_bar = fig.axes
    assert matrix.title.get_window_extent().x1 < colour_bar.get_window_extent().x0
    assert matrix.get_title() == "Churn network on the test set,\nthreshold 0.5"  # wrapped to fit


def test_image_grid_fits_the_page(body_text_12pt, mnist_predictions):
    images, y_true, probabilities = mnist_predictions
    fig = show_images(images, y_true, probabilities.argmax(axis=1))  # 30 images, ten to a row
    assert page_problems(fig) == []
    fig.canvas.draw()
    titles = sorted((ax.title.get_window_extent() for ax in fig.axes[:10]), key=lambda box: box.x0)
    assert all(
        left.x1 < right.x0 for left, right in zip(titles, titles[1:])
    )  # no title touches the next


def test_decision_regions_fit_the_page(body_text_12pt, blobs):
    from sklearn.linear_model import LogisticRegression

    X, y = blobs
    fig = plot_decision_boundary(LogisticRegression().fit(X, y), X, y, resolution=50)
    assert page_problems(fig) == []


# --- more bad inputs (issue 28) -------------------------------------------------------------------


def test_images_with_nan_pixels_are_refused_not_drawn_blank():
    images = np.zeros((3, 28, 28))
    images[1, 5, 5] = np.nan  # x / x.max() of an all-zero image
    with pytest.raises(
        ValueError, match=r"needs finite pixel values; 1 of 3 image\(s\) hold NaN .* image 1"
    ):
        show_images(images, [0, 1, 2])


def test_a_model_predicting_nan_is_refused_not_drawn_without_regions(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match=r"needs finite predictions; the model returned \d+ NaN"):
        plot_decision_boundary(lambda P: np.full(len(P), np.nan), X, y, resolution=20)


def test_labels_that_name_no_class_of_the_data_are_refused():
    """scikit-learn says only "At least one label specified must be in y_true"."""
    with pytest.raises(ValueError, match=r"none of labels=\['a'\] is among \[0, 1\]"):
        plot_confusion_matrix([0, 1], [0, 1], labels=["a"])
