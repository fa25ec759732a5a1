"""Exercise 05.3, resuming training from a .keras file: the grader saves a model it trained
itself, calls the student's function, and checks the optimizer went on counting, the weights
moved and the file was left as it was."""

from pathlib import Path

import keras
import nbformat
import pytest

from helpers import exercises
from helpers.exercises import check, verdict
from helpers.models import load_model
from tools.chapters.model import stated

CHAPTER = Path(__file__).resolve().parent.parent / "notebooks" / "05-loan-approval-saving.ipynb"


def resume_training(path, x, y, epochs):
    """The worked solution's function."""
    model = load_model(path)
    model.fit(x, y, batch_size=10, epochs=epochs, verbose=0)
    return model


def compiled_again(path, x, y, epochs):
    """The tempting answer: compile the loaded model "to be safe", which gives it a new
    optimizer that counts from 0."""
    model = load_model(path)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=10, epochs=epochs, verbose=0)
    return model


def weights_into_a_new_model(path, x, y, epochs):
    loaded = load_model(path)
    model = keras.models.clone_model(loaded)
    model.set_weights(loaded.get_weights())
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=10, epochs=epochs, verbose=0)
    return model


def not_trained(path, x, y, epochs):
    return load_model(path)


def saved_over_the_file(path, x, y, epochs):
    model = resume_training(path, x, y, epochs)
    model.save(path)
    return model


def default_batches(path, x, y, epochs):
    model = load_model(path)
    model.fit(x, y, epochs=epochs, verbose=0)  # batches of 32
    return model


def test_the_right_function_passes_and_says_what_was_measured(capsys):
    check("05.3", resume_training)
    out = capsys.readouterr().out
    assert out.startswith("Exercise 05.3: correct: from a model saved after 60 updates (seed 0)")
    assert (
        "2 epochs on 100 new applications in batches of 10: 80 updates counted, 80 expected" in out
    )
    assert "the file is unchanged" in out


@pytest.mark.parametrize(
    ("function", "named"),
    [
        (compiled_again, "the optimizer started again from 0 (20 updates counted, not 80)"),
        (weights_into_a_new_model, "the optimizer started again from 0"),
        (not_trained, "no training after loading (still 60 updates)"),
        (saved_over_the_file, "the file at path was changed"),
        (default_batches, "8 updates after loading, not 2 epochs of 10 batches of 10"),
    ],
)
def test_each_mistake_is_named(function, named):
    found = verdict("05.3", function)
    assert not found.right and named in found.measured, found
    assert found.measured.count(";") == 1, found  # that mistake only


def test_no_answer_or_not_a_function_or_no_model_returned_says_so(capsys):
    check("05.3", None)
    assert "no answer yet: replace None with your function" in capsys.readouterr().out
    check("05.3", "loan_model.keras")
    assert "expected a function resume_training(path, x, y, epochs)" in capsys.readouterr().out
    check("05.3", lambda path, x, y, epochs: None)
    assert "returned NoneType, not a Keras model" in capsys.readouterr().out


def test_the_grader_takes_its_variant_and_the_book_states_it_once():
    registered = exercises.EXERCISES["05.3"]
    assert set(registered.variants) == {"EPOCHS", "BATCH_SIZE"} and registered.time_limit <= 60
    nb = nbformat.read(CHAPTER, as_version=4)
    (answer,) = [c for c in nb.cells if c.get("id") == "exercise-5-answer"]
    assert "EPOCHS = 2" in answer.source and "BATCH_SIZE = 10" in answer.source
    (task,) = [c for c in nb.cells if c.get("id") == "exercise-5"]
    assert len(stated(task.source, 2)) == 1
    assert len(stated(task.source, 10)) == 1


def test_a_graded_variant_of_the_epochs_is_judged_with_its_own_count():
    found = verdict("05.3", resume_training, seed=3, task={"EPOCHS": 1})
    assert found.right and "70 expected" in found.measured, found


def resume_training_in_batches_of(batch_size):
    """The worked solution as a variant's answer cell defines it: batch_size=BATCH_SIZE binds the
    variant's batch size."""

    def resume(path, x, y, epochs, batch_size=batch_size):
        model = load_model(path)
        model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0)
        return model

    return resume


@pytest.mark.parametrize("batch_size", [5, 25])
def test_a_variant_of_the_batch_size_passes_the_function_written_with_it(batch_size):
    task = {"EPOCHS": 1, "BATCH_SIZE": batch_size}
    found = verdict("05.3", resume_training_in_batches_of(batch_size), seed=3, task=task)
    per_epoch = -(-100 // batch_size)
    assert found.right, found
    assert f"in batches of {batch_size}: {60 + per_epoch} updates counted" in found.measured


def test_a_variant_of_the_batch_size_refuses_the_books_batches_of_10():
    """The book's published function (batches of 10, as the book's BATCH_SIZE), pasted into a
    variant of batches of 20, counts 10 updates per epoch, not 5: refused, and told why."""
    for book_function in (resume_training, resume_training_in_batches_of(10)):
        found = verdict("05.3", book_function, seed=3, task={"EPOCHS": 3, "BATCH_SIZE": 20})
        assert not found.right, found
        assert "30 updates after loading, not 3 epochs of 5 batches of 20" in found.measured
        assert "batch_size=20 here" in found.advice and "not a number written" in found.advice
