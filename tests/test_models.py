"""helpers.models.load_model: a damaged model file is named in one line, a sound one loads as in Keras,
and no model file is read on a Keras with a published safe_mode bypass unless safe_mode=False.

The first test records what Keras itself raises for each damaged file, with the installed version
(`make test-oldest` runs it with the oldest supported one): "File not found" for a file that is
there, or a raw error from deep inside. If a Keras release starts naming the damage itself, that
test says so, and helpers.models may no longer be needed.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import keras
import numpy as np
import pytest

from helpers.models import (
    ModelFileError,
    UnknownClassError,
    UnsafeKerasError,
    describe_damage,
    load_model,
)

# Keras's own saving code trips a NumPy 2 deprecation; not this module's concern.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword"
)


@pytest.fixture(autouse=True)
def keras_without_bypasses(monkeypatch):
    """Keras as a release without a published safe_mode bypass would be (see the module's docstring)."""
    monkeypatch.setattr(keras, "__version__", "3.15.1")


@pytest.fixture
def keras_with_bypasses(monkeypatch):
    monkeypatch.setattr(keras, "__version__", "3.10.0")


@pytest.fixture(scope="module")
def good_model_file(tmp_path_factory) -> Path:
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, activation="relu")])
    path = tmp_path_factory.mktemp("models") / "good.keras"
    model.save(path)
    return path


def rewrite(good: Path, target: Path, replace: dict[str, bytes | None]) -> None:
    """Copy the .keras archive ``good`` to ``target``, replacing (bytes) or leaving out (None) members."""
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(target, "w") as copy:
        for name in source.namelist():
            content = replace.get(name, source.read(name))
            if content is not None:
                copy.writestr(name, content)


def flip_a_byte_inside(good: Path, target: Path) -> None:
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        weights = archive.getinfo("model.weights.h5")
    data[weights.header_offset + 30 + len(weights.filename) + 200] ^= 0xFF  # in the stored weights
    target.write_bytes(bytes(data))


# name: (how the damaged copy is made, what Keras raises, what helpers.models says)
DAMAGE = {
    "empty": (
        lambda good, path: path.write_bytes(b""),
        (ValueError, "File not found"),
        r"is empty \(0 bytes\): saving or copying it was interrupted",
    ),
    "truncated": (
        lambda good, path: path.write_bytes(good.read_bytes()[: good.stat().st_size // 2]),
        (ValueError, "File not found"),
        r"is a truncated zip archive: it ends \([\d,]+ bytes\) before",
    ),
    "html-page": (
        lambda good, path: path.write_text("<!DOCTYPE html>\n<html><head><title>Sign in</title>"),
        (ValueError, "File not found"),
        r"is not a zip archive but an HTML page",
    ),
    "no-config": (
        lambda good, path: rewrite(good, path, {"config.json": None}),
        (KeyError, "config.json"),
        r"is a zip archive without config\.json \(it holds metadata\.json",
    ),
    "bad-config": (
        lambda good, path: rewrite(good, path, {"config.json": b"{not json"}),
        (json.JSONDecodeError, "Expecting property name"),
        r"is damaged: its config\.json is not valid JSON",
    ),
    "bad-weights": (
        lambda good, path: rewrite(good, path, {"model.weights.h5": b"garbage"}),
        (OSError, "file signature not found"),
        r"is damaged: its model\.weights\.h5 is not an HDF5 file",
    ),
    "flipped-byte": (
        flip_a_byte_inside,
        (zipfile.BadZipFile, "Bad CRC-32"),
        r"is a damaged zip archive: model\.weights\.h5 in it does not match its checksum",
    ),
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_what_keras_itself_raises_for_a_damaged_file(good_model_file, tmp_path, kind):
    make, (error_type, says), _ = DAMAGE[kind]
    path = tmp_path / "model.keras"
    make(good_model_file, path)
    with pytest.raises(Exception) as raised:
        keras.saving.load_model(path)
    assert isinstance(raised.value, error_type) and says in str(raised.value), (
        f"Keras {keras.__version__} now raises {type(raised.value).__name__}: {raised.value} for a "
        f"{kind} .keras file; update this record (and see whether helpers.models still adds anything)"
    )


@pytest.mark.parametrize("kind", DAMAGE)
def test_load_model_names_the_damage_in_one_line_with_keras_error_chained(
    good_model_file, tmp_path, kind
):
    make, (error_type, _), expected = DAMAGE[kind]
    path = tmp_path / "model.keras"
    make(good_model_file, path)
    with pytest.raises(ModelFileError) as raised:
        load_model(path)
    message = str(raised.value)
    assert re.match(rf"{re.escape(str(path))} {expected}", message), message
    assert "\n" not in message and "File not found" not in message
    assert isinstance(raised.value.__cause__, error_type)  # Keras's own error, for the curious
    assert isinstance(raised.value, ValueError)  # what code that caught Keras's ValueError expects


def test_a_sound_file_loads_as_with_keras(good_model_file):
    x = np.ones((4, 3), dtype="float32")
    mine, theirs = load_model(good_model_file), keras.saving.load_model(good_model_file)
    np.testing.assert_array_equal(mine.predict(x, verbose=0), theirs.predict(x, verbose=0))
    assert load_model(str(good_model_file), compile=False).count_params() == 8


def test_a_missing_file_keeps_keras_own_error(tmp_path):
    with pytest.raises(ValueError, match="File not found") as raised:
        load_model(tmp_path / "missing.keras")
    assert not isinstance(raised.value, ModelFileError)


def test_a_model_naming_a_class_this_session_lacks_names_it(tmp_path):
    """Keras says only that the model "could not be deserialized properly" and to "ensure ...
    explicitly deserialized"; the class it could not find is deep in the chain."""

    @keras.saving.register_keras_serializable(package="nnbook_test")
    class Doubling(keras.layers.Layer):
        def call(self, x):
            return 2 * x

    path = tmp_path / "custom.keras"
    keras.Sequential([keras.Input(shape=(2,)), Doubling()]).save(path)
    keras.saving.get_custom_objects().pop("nnbook_test>Doubling")  # as in a fresh session
    with pytest.raises(UnknownClassError) as raised:
        load_model(path)
    message = str(raised.value)
    assert message.startswith(f"{path} names a custom class, 'Doubling', that this session has not")
    assert (
        "register_keras_serializable" in message
        and "custom_objects={'nnbook_test>Doubling': Doubling}" in message
    )
    assert "\n" not in message and "explicitly deserialized" not in message
    assert isinstance(raised.value, TypeError)  # as Keras's own error is
    assert describe_damage(path) is None  # the file itself is sound
    assert load_model(path, custom_objects={"nnbook_test>Doubling": Doubling}).count_params() == 0


def test_an_error_keras_raises_for_a_sound_file_passes_through_unchanged(tmp_path):
    path = tmp_path / "lambda.keras"
    keras.Sequential([keras.Input(shape=(2,)), keras.layers.Lambda(lambda x: 2 * x)]).save(path)
    with pytest.raises(ValueError, match="safe_mode") as raised:
        load_model(path)
    assert not isinstance(raised.value, ModelFileError)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda path: path.mkdir(), r"is a folder, not a model file"),
        (
            lambda path: (path.mkdir(), (path / "saved_model.pb").write_bytes(b"\x08\x01")),
            r"is a TensorFlow SavedModel folder, which Keras 3 does not load as a model: use keras\.layers\.TFSMLayer",
        ),
        (
            lambda path: path.write_text(
                "version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 9\n"
            ),
            r"is a Git LFS pointer, not the model itself; run `git lfs pull`",
        ),
        (
            lambda path: path.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(100)),
            r"is an HDF5 \(\.h5\) model file named \.keras",
        ),
        (
            lambda path: path.write_bytes(b"hello world"),
            r"is not a zip archive, as a \.keras file is \(it starts with b'hello wo'\)",
        ),
    ],
    ids=["a-folder", "a-savedmodel-folder", "a-git-lfs-pointer", "an-h5-file", "some-other-file"],
)
def test_other_files_that_are_not_a_keras_model_are_named(tmp_path, make, expected):
    path = tmp_path / "model.keras"
    make(path)
    with pytest.raises(ModelFileError, match=rf"^{re.escape(str(path))} {expected}"):
        load_model(path)


def test_a_damaged_h5_file_is_named(tmp_path):
    path = tmp_path / "model.h5"
    path.write_text("<html><body>404 Not Found</body></html>")
    with pytest.raises(ModelFileError, match=r"is not an HDF5 file but an HTML page"):
        load_model(path)
    path.write_bytes(b"not hdf5 at all")
    with pytest.raises(ModelFileError, match=r"is not an HDF5 file"):
        load_model(path)


def test_a_keras_archive_named_h5_is_named(good_model_file, tmp_path):
    """Keras reads an .h5 name as HDF5 and says only "file signature not found"."""
    path = tmp_path / "model.h5"
    path.write_bytes(good_model_file.read_bytes())
    with pytest.raises(ModelFileError) as raised:
        load_model(path)
    assert str(raised.value) == (
        f"{path} is a .keras model (a zip archive) named .h5, which Keras reads as an HDF5 file; "
        "rename it to end in .keras"
    )
    assert "file signature not found" in str(raised.value.__cause__)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_named_pipe_or_a_device_is_refused_without_waiting(tmp_path, kind):
    """Reading a named pipe waits for a writer that never comes; /dev/zero never ends."""
    if kind == "fifo":
        path = tmp_path / "model.keras"
        os.mkfifo(path)
    else:
        path = tmp_path / "zero.keras"
        path.symlink_to("/dev/zero")
    with pytest.raises(
        ModelFileError, match=r"is not a regular file \(a named pipe, a socket or a"
    ):
        load_model(path)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: load_model(None), TypeError, r"needs the path of a model file .*; got NoneType"),
        (
            lambda: load_model("m.keras", safe_mode="False"),
            TypeError,
            r"needs safe_mode as True or False .*; got str 'False'",
        ),
    ],
    ids=["no-path", "safe-mode-as-text"],
)
def test_arguments_of_the_wrong_kind_are_refused(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- a Keras with a published safe_mode bypass ----------------------------------------------------


def lambda_model_writing(marker: Path, path: Path) -> None:
    """A model whose Lambda layer writes ``marker`` when it runs: what a hostile file would do."""

    def mark(x, marker=str(marker)):
        open(marker, "w").close()  # noqa: SIM115 (a side effect that shows the code ran)
        return x

    keras.Sequential([keras.Input(shape=(2,)), keras.layers.Lambda(mark)]).save(path)
    Path(marker).unlink(missing_ok=True)  # saving traced the function once


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
@pytest.mark.usefixtures("keras_with_bypasses")
def test_on_a_keras_with_bypasses_no_model_file_is_read(tmp_path, suffix):
    path, marker = tmp_path / f"model{suffix}", tmp_path / "code-ran"
    lambda_model_writing(marker, path)
    for kwargs in ({}, {"safe_mode": True}):
        with pytest.raises(UnsafeKerasError) as raised:
            load_model(path, **kwargs)
        message = str(raised.value)
        assert message.startswith(
            f"{path} was not loaded: Keras 3.10.0 has published ways around safe_mode (CVE-"
        )
        assert "pip install -U keras" in message and "pass safe_mode=False if you made" in message
        assert "\n" not in message and isinstance(raised.value, ValueError)
        assert not marker.exists()


@pytest.mark.usefixtures("keras_with_bypasses")
def test_on_a_keras_with_bypasses_safe_mode_false_loads_your_own_file(good_model_file):
    assert load_model(good_model_file, safe_mode=False).count_params() == 8


@pytest.mark.usefixtures("keras_with_bypasses")
def test_on_a_keras_with_bypasses_damage_and_absence_are_still_named(good_model_file, tmp_path):
    damaged = tmp_path / "cut.keras"
    damaged.write_bytes(good_model_file.read_bytes()[:100])  # what chapter 5 shows
    with pytest.raises(ModelFileError, match=r"is a truncated zip archive"):
        load_model(damaged)
    with pytest.raises(ValueError, match="File not found") as raised:
        load_model(tmp_path / "missing.keras")
    assert not isinstance(raised.value, (ModelFileError, UnsafeKerasError))
    with pytest.raises(UnsafeKerasError):  # a remote file is not fetched either
        load_model("gs://bucket/model.keras")


def test_a_weights_file_given_as_a_model_says_to_load_weights(tmp_path):
    path = tmp_path / "model.weights.h5"
    keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)]).save_weights(path)
    with pytest.raises(
        ModelFileError, match=r"holds only a model's weights .* model\.load_weights"
    ):
        load_model(path)
