"""Chapter 1, the artificial neuron: its exercises."""

from __future__ import annotations

import numbers

import numpy as np

from helpers.exercises._core import Exercise, Verdict, call_answer, expect_callable

#: The cap a student's loop sets (the answer cell's MAX_EPOCHS): a loop that reaches it did not
#: stop by itself.
MAX_EPOCHS = 10_000
#: How far from the rule's own number of epochs a loop may stop: a factor, and a few epochs more
#: (an off-by-one in counting, a check made before or after the update). The rule written with a
#: relative improvement (``(previous - loss) / loss``) stays within it; a tolerance ten times off
#: does not.
EPOCH_FACTOR, EPOCH_SLACK = 1.3, 2
#: How far above the lowest loss a right loop may end, as a multiple of how far the rule ends.
GAP_FACTOR = 10


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _bce(X, y, w, b) -> float:
    a = np.clip(_sigmoid(X @ w + b), 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))


def _lowest_loss(X, y) -> float:
    """The lowest loss of the neuron on (X, y), by Newton's method (exact to rounding)."""
    A = np.column_stack([X, np.ones(len(X))])
    theta = np.zeros(A.shape[1])
    for _ in range(50):
        a = _sigmoid(A @ theta)
        gradient = A.T @ (a - y) / len(y)
        hessian = (A * (a * (1 - a))[:, None]).T @ A / len(y)
        theta -= np.linalg.solve(hessian, gradient)
    return _bce(X, y, theta[:-1], theta[-1])


def _rule(X, y, learning_rate, tolerance) -> tuple[int, float]:
    """The task's loop: (epochs it runs, its final loss)."""
    w, b = np.zeros(X.shape[1]), 0.0
    previous = _bce(X, y, w, b)
    for epoch in range(1, MAX_EPOCHS + 1):
        error = _sigmoid(X @ w + b) - y
        w, b = w - learning_rate * X.T @ error / len(y), b - learning_rate * error.mean()
        loss = _bce(X, y, w, b)
        if previous - loss < tolerance:
            return epoch, loss
        previous = loss
    return MAX_EPOCHS, loss


def convergence_data(seed: int) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Three new data sets for the neuron, drawn from ``seed``: (X, y, learning rate) each.

    Standardized features (2 to 5 of them, somewhat correlated), 200 to 800 rows, labels drawn
    from a logistic model, so no line separates them and the loss has one finite minimum. The
    learning rates are 1, 0.2 and 0.05 times (in a shuffled order) the largest that the loss's
    curvature allows with every step downhill, so the rule's number of epochs differs widely from
    one data set to another (over seeds 0 to 149, the most is 14 times the fewest typically, and
    never less than 1.8 times): no single number of epochs passes on all three.
    """
    rng = np.random.default_rng([seed, 105])
    found = []
    for share in rng.permutation([1.0, 0.2, 0.05]):
        n, d = int(rng.integers(200, 801)), int(rng.integers(2, 6))
        X = rng.normal(size=(n, d)) @ (np.eye(d) + 0.2 * rng.normal(size=(d, d)))
        X = (X - X.mean(axis=0)) / X.std(axis=0)
        y = (rng.random(n) < _sigmoid(X @ rng.normal(size=d) + rng.normal(0, 0.5))).astype(float)
        A = np.column_stack([X, np.ones(n)])
        curvature = np.linalg.eigvalsh(A.T @ A / n).max() / 4  # the loss's largest curvature
        found.append((X, y, float(share * rng.uniform(0.85, 1.0) / curvature)))
    return found


def _returned(got, what: str, n_features: int) -> tuple[np.ndarray, float, int] | Verdict:
    """The weights, bias and number of epochs ``train_until_converged`` returned for a data set of
    ``n_features`` features; a Verdict saying what it returned instead if they are not that."""
    if got is None:
        return Verdict(
            False,
            f"{what} returned None",
            "write the function's body, ending with `return w, b, epochs`",
        )
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return Verdict(
            False,
            f"{what} returned {type(got).__name__} {str(got)[:40]!r}, not three values",
            "return the weights, the bias and the number of epochs: `return w, b, epochs`",
        )
    w, b, epochs = got
    try:
        w = np.asarray(w, dtype=float).reshape(-1)
        b = float(np.asarray(b, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return Verdict(
            False,
            f"{what} returned weights and a bias that are not numbers",
            "return w as an array of one weight per feature and b as a number",
        )
    if w.shape != (n_features,) or not np.all(np.isfinite(w)) or not np.isfinite(b):
        return Verdict(
            False,
            f"on a data set of {n_features} features, {what} returned {w.size} weights"
            + ("" if np.all(np.isfinite(w)) and np.isfinite(b) else ", not all finite"),
            "return one finite weight per column of X, and the bias",
        )
    if isinstance(epochs, (bool, np.bool_)) or not isinstance(epochs, numbers.Integral):
        return Verdict(
            False,
            f"{what} returned {type(epochs).__name__} {str(epochs)[:30]!r} as its number of epochs",
            "count the epochs the loop ran, a whole number, and return it third",
        )
    return w, b, int(epochs)


def grade_train_until_converged(answer, *, seed: int, TOLERANCE: float = 1e-6) -> Verdict:
    """01.5: ``train_until_converged(X, y, learning_rate) -> (w, b, epochs)``, run on three new
    data sets drawn from ``seed``: it must stop by itself near where the rule stops (the epoch at
    which the loss falls by less than ``TOLERANCE``), with a loss near the lowest."""
    what = "train_until_converged(X, y, learning_rate)"
    function = expect_callable(answer, what)
    epochs_run, rule_epochs, gaps, rule_gaps = [], [], [], []
    for X, y, learning_rate in convergence_data(seed):
        got = call_answer(function, X.copy(), y.copy(), learning_rate, what=what)
        returned = _returned(got, what, X.shape[1])
        if isinstance(returned, Verdict):
            return returned
        w, b, epochs = returned
        epochs_run.append(epochs)
        lowest = _lowest_loss(X, y)
        count, loss = _rule(X, y, learning_rate, TOLERANCE)
        rule_epochs.append(count)
        gaps.append(_bce(X, y, w, b) - lowest)
        rule_gaps.append(loss - lowest)
    return _judge_stopping(epochs_run, rule_epochs, gaps, rule_gaps)


def _judge_stopping(epochs_run: list, rule_epochs: list, gaps: list, rule_gaps: list) -> Verdict:
    """The verdict on a loop that ran ``epochs_run`` on the three data sets, where the rule runs
    ``rule_epochs``, and ended ``gaps`` above the lowest loss, where the rule ends ``rule_gaps``."""
    listed = ", ".join(f"{e:,}" for e in epochs_run[:-1]) + f" and {epochs_run[-1]:,}"
    rule_listed = ", ".join(f"{e:,}" for e in rule_epochs[:-1]) + f" and {rule_epochs[-1]:,}"
    measured = (
        f"on 3 new data sets it stopped after {listed} epochs (the rule stops after "
        f"{rule_listed}), {max(gaps):.1g} above the lowest loss at most"
    )
    in_band = [
        count / EPOCH_FACTOR - EPOCH_SLACK <= e <= count * EPOCH_FACTOR + EPOCH_SLACK
        for e, count in zip(epochs_run, rule_epochs)
    ]
    close = [gap <= GAP_FACTOR * rule_gap + 1e-9 for gap, rule_gap in zip(gaps, rule_gaps)]
    if all(in_band) and all(close):
        return Verdict(True, measured, value=max(gaps))
    return Verdict(False, measured, _stopping_advice(epochs_run, all(in_band)), max(gaps))


def _stopping_advice(epochs_run: list, in_band: bool) -> str:
    """What to fix in a loop that ran ``epochs_run`` (``in_band``: near where the rule stops, on
    every data set)."""
    if any(e >= MAX_EPOCHS for e in epochs_run):
        return (
            "the loop ran to its cap: compare each epoch's loss with the one before, and stop "
            "when it fell by less than TOLERANCE"
        )
    if min(epochs_run) <= 1:
        return (
            "the loop stopped after one epoch: the improvement is the previous loss minus the "
            "new one (positive while the loss falls); stop when it is below TOLERANCE"
        )
    if not in_band:
        return (
            "it stops too early or too late: stop at the first epoch whose loss is less than "
            "TOLERANCE below the previous epoch's, starting from w = 0 and b = 0"
        )
    return (
        "the loss it ends at is far above the lowest: check the update "
        "(w - learning_rate * gradient, for w and b) and that the returned w, b are the last"
    )


def _fixed_epochs(X, y, learning_rate, epochs=100):
    """A tempting answer: the chapter's train(), for its 100 epochs, whatever the data."""
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        error = _sigmoid(X @ w + b) - y
        w, b = w - learning_rate * X.T @ error / len(y), b - learning_rate * error.mean()
    return w, b, epochs


def _loss_minus_previous(X, y, learning_rate, tolerance=1e-6):
    """A tempting answer: the improvement written the wrong way round (new minus previous,
    negative while the loss falls, so always below the tolerance)."""
    w, b = np.zeros(X.shape[1]), 0.0
    previous = _bce(X, y, w, b)
    for epoch in range(1, MAX_EPOCHS + 1):
        error = _sigmoid(X @ w + b) - y
        w, b = w - learning_rate * X.T @ error / len(y), b - learning_rate * error.mean()
        loss = _bce(X, y, w, b)
        if loss - previous < tolerance:
            return w, b, epoch
        previous = loss
    return w, b, MAX_EPOCHS


EXERCISES = {
    "01.1": Exercise(
        "boolean",
        "eyJ2YWx1ZSI6IGZhbHNlfQ==",
        "fit the best single neuron to the ReLU network's outputs (np.linalg.lstsq): is the error zero?",
        tempting=(
            (True, "a ReLU between the layers bends the function: no single neuron fits it"),
        ),
    ),
    "01.2": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuNzU0MTg5OTQ0MTM0MDc4MiwgInJlbCI6IDAuMDAxfQ==",
        "fill missing ages with the median of the training passengers only, standardize with the "
        "training statistics, and train with LEARNING_RATE and EPOCHS as before",
        tempting=(
            (139 / 179, "the two-feature model's test accuracy, before age was added"),
            (75.4, "a percentage: answer with a fraction between 0 and 1"),
        ),
    ),
    "01.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IC0wLjAwNDkyMDgyMTA4Njc0MDM1MjQsICJyZWwiOiAwLjAwMX0=",
        "for squared error, dL/dz = 2 (a - y) a (1 - a) with a = sigmoid(Z) and y = 1",
        tempting=((-0.9975273768433653, "that is cross-entropy's signal, a - y"),),
        variants={"Z": (-4, -5, -7, -8)},
    ),
    "01.4": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuNDY3OTY5MTQyMjYxNDgyMSwgInJlbCI6IDAuMDAxfQ==",
        "for each learning rate, losses = train(X_train, y_train, rate, 10)[2]; the loss goes up "
        "when np.diff(losses) has a positive entry; report losses[-1] for the smallest such rate",
        tempting=(
            (10, "the learning rate itself: report the training loss after the 10 epochs"),
            (0.6931471805599453, "losses[0], the loss before the first update (ln 2)"),
        ),
    ),
    "01.5": Exercise(
        "build",
        hint="start from w = 0 and b = 0; each epoch, update w and b with gradients(X, y, w, b), "
        "compute bce_loss, and stop when the previous loss minus the new one is below tolerance",
        tempting=(
            (_fixed_epochs, "a fixed number of epochs (the chapter's 100): it never decides"),
            (_loss_minus_previous, "the new loss minus the previous: it stops after one epoch"),
        ),
        grader=grade_train_until_converged,
        time_limit=60,
        variants={"TOLERANCE": (1e-5, 1e-7)},
    ),
}
