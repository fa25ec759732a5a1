"""Chapter 5, loan approval and saving models: its exercises."""

import numpy as np

from helpers.exercises._core import AnswerError, Exercise, Verdict, call_answer, expect_callable

#: Exercise 05.3's grading: the saved model trains for this many epochs on this many
#: applications, in batches of BATCH, before it is saved, and resume_training() gets this many new
#: ones, to train on in batches of the task's BATCH_SIZE (the book's: BATCH, as in the chapter).
SAVED_EPOCHS = 2
N_SAVED, N_NEW, BATCH = 300, 100, 10


def _applications(n: int, seed: int):
    """``n`` synthetic applications encoded as the chapter does: (scaled age, area code), class."""
    from helpers.datasets import make_loan_applications

    loans = make_loan_applications(n, seed=seed)
    x = np.column_stack([(loans["age"] - 18) / (75 - 18), loans["area"] == "urban"]).astype(
        "float32"
    )
    return x, (loans["application_outcome"] == "rejected").to_numpy().astype("int64")


def _trained_and_saved_model(seed: int):
    """The model the grader saves for ``resume_training``: a 2-8-16-2 network, seeded by
    ``seed``, trained for SAVED_EPOCHS epochs on N_SAVED applications drawn from it."""
    import keras

    x_saved, y_saved = _applications(N_SAVED, seed=10_000 + seed)
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x_saved, y_saved, batch_size=BATCH, epochs=SAVED_EPOCHS, verbose=0)
    return model


def _resumed(resume, model, x_new, y_new, epochs: int):
    """(what ``resume(path, x, y, epochs)`` returned, given ``model`` saved in a .keras file;
    whether the file was changed or removed)."""
    import hashlib
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "loan_model.keras"
        model.save(path)
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        resumed = call_answer(
            resume,
            str(path),
            x_new.copy(),
            y_new.copy(),
            epochs,
            what=f"resume_training(path, x, y, {epochs})",
        )
        overwritten = not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != before
    return resumed, overwritten


def grade_resume_training(answer, *, seed, EPOCHS=2, BATCH_SIZE=BATCH):
    """``resume_training(path, x, y, epochs)``, given a .keras file the grader trained and saved
    (a 2-8-16-2 network, seeded by ``seed``, on applications drawn from it) and 100 new
    applications: the model it returns must have trained ``epochs`` more epochs of batches of
    ``BATCH_SIZE`` (its default ``batch_size``, the task's number) with the saved optimizer (its
    update count going on from the saved one), its weights moved from the saved ones, and the file
    left as it was. A function written for the book's batches of 10 counts other updates in a
    variant of another batch size."""
    import keras

    resume = expect_callable(answer, "resume_training(path, x, y, epochs)")
    model = _trained_and_saved_model(seed)
    x_new, y_new = _applications(N_NEW, seed=20_000 + seed)
    saved_steps = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
    saved_weights = [np.array(w) for w in model.get_weights()]
    per_epoch = -(-N_NEW // BATCH_SIZE)
    expected = saved_steps + EPOCHS * per_epoch
    resumed, overwritten = _resumed(resume, model, x_new, y_new, EPOCHS)
    if not isinstance(resumed, keras.Model):
        raise AnswerError(
            f"resume_training() returned {type(resumed).__name__}, not a Keras model: return "
            "the model you loaded and trained"
        )
    optimizer = getattr(resumed, "optimizer", None)
    steps = int(keras.ops.convert_to_numpy(optimizer.iterations)) if optimizer is not None else 0
    weights = resumed.get_weights()
    moved = len(weights) != len(saved_weights) or any(
        w.shape != s.shape or not np.allclose(w, s) for w, s in zip(weights, saved_weights)
    )
    faults = _resume_faults(
        steps, saved_steps, EPOCHS, BATCH_SIZE, moved=moved, overwritten=overwritten
    )
    measured = (
        f"from a model saved after {saved_steps:,} updates (seed {seed}), {EPOCHS} epochs "
        f"on {N_NEW} new applications in batches of {BATCH_SIZE}: {steps:,} updates counted, "
        f"{expected:,} expected"
    )
    if faults:
        return Verdict(
            False,
            f"{measured}; {'; '.join(found for found, _ in faults)}",
            "; ".join(fix for _, fix in faults),
            steps,
        )
    return Verdict(True, f"{measured}, the weights moved and the file is unchanged", "", steps)


def _resume_faults(
    steps: int, saved_steps: int, epochs: int, batch_size: int, *, moved: bool, overwritten: bool
) -> list[tuple[str, str]]:
    """(what was found, what to fix) for each fault of a resumed model whose optimizer counted
    ``steps`` updates, from a model saved after ``saved_steps``, asked to train ``epochs`` epochs
    in batches of ``batch_size``; ``moved``: its weights moved from the saved ones;
    ``overwritten``: the saved file was changed."""
    per_epoch = -(-N_NEW // batch_size)
    expected = saved_steps + epochs * per_epoch
    faults = []
    if steps == epochs * per_epoch or (steps and steps < saved_steps):
        faults.append(
            (
                f"the optimizer started again from 0 ({steps:,} updates counted, not {expected:,})",
                "train the loaded model as it comes: compiling it again, or rebuilding it and "
                "loading weights, gives it a new optimizer",
            )
        )
    elif steps == saved_steps or not moved:
        faults.append(
            (
                f"no training after loading (still {steps:,} updates)",
                "call fit(x, y, batch_size=batch_size, epochs=epochs) on the loaded model",
            )
        )
    elif steps != expected:
        faults.append(
            (
                f"{steps - saved_steps:,} updates after loading, not {epochs} epochs of "
                f"{per_epoch} batches of {batch_size}",
                "train for epochs epochs in batches of batch_size, on all of x and y: "
                f"fit(x, y, batch_size=batch_size, epochs=epochs), batch_size={batch_size} here "
                "(the answer cell's BATCH_SIZE, the default of the function's batch_size), not a "
                "number written into the function",
            )
        )
    if overwritten:
        faults.append(
            (
                "the file at path was changed",
                "leave the saved file as it was: save the resumed model under another name, if "
                "at all",
            )
        )
    return faults


def _compiled_again(path, x, y, epochs):
    """A tempting answer to 05.3: the loaded model compiled again, so its optimizer is new."""
    import keras

    from helpers.models import load_model

    model = load_model(path)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x, y, batch_size=BATCH, epochs=epochs, verbose=0)
    return model


def _saved_back(path, x, y, epochs):
    """A tempting answer to 05.3: the resumed model saved back over the file it came from."""
    from helpers.models import load_model

    model = load_model(path)
    model.fit(x, y, batch_size=BATCH, epochs=epochs, verbose=0)
    model.save(path)
    return model


EXERCISES = {
    "05.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDY0Mn0=",
        "each Dense layer has (inputs + 1) x units parameters: 1 -> hidden -> hidden -> 2 "
        "(or build the model and call count_params())",
        tempting=((592, "the weights without the biases"),),
        variants={"HIDDEN": ([8, 16], [32, 64], [16, 16], [32, 16])},
    ),
    "05.2": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuOTI1LCAicmVsIjogMC4wMDJ9",
        "apply LOAN_RULE to the test applications' age and area (np.where(urban, age <= 55, "
        "age <= 45)) and compare with their application_outcome",
        tempting=(
            (0.93, "the article's figure, not this data's"),
            (0.075, "the share that does not follow"),
        ),
    ),
    "05.3": Exercise(
        "build",
        hint="load the file with load_model(path), then fit the loaded model on x and y with "
        "batch_size=batch_size for epochs epochs, without compiling it again, and return it",
        tempting=(
            (_compiled_again, "compiling the loaded model again gives it a new optimizer"),
            (_saved_back, "a job that crashes halfway would lose the model it started from"),
        ),
        grader=grade_resume_training,
        time_limit=60,
        # Another batch size, another update count: the book's function, with its batches of 10,
        # is refused by a variant of BATCH_SIZE.
        variants={"EPOCHS": (1, 3, 4), "BATCH_SIZE": (5, 20, 25, 50)},
    ),
}
