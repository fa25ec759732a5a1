"""helpers.models.load_model: a damaged model file is named in one line, a sound one loads as in Keras.

The first test records what Keras itself raises for each damaged file, with the installed version
(`make test-oldest` runs it with the oldest supported one): "File not found" for a file that is
there, or a raw error from deep inside. If a Keras release starts naming the damage itself, that
test says so, and helpers.models may no longer be needed.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import keras
import numpy as np
import pytest

from helpers.models import ModelFileError, damage, load_model

# Keras's own saving code trips a NumPy 2 deprecation; not this module's concern.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword"
)


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


def test_an_error_keras_raises_for_a_sound_file_passes_through_unchanged(tmp_path):
    @keras.saving.register_keras_serializable(package="nnbook_test")
    class Doubling(keras.layers.Layer):
        def call(self, x):
            return 2 * x

    path = tmp_path / "custom.keras"
    keras.Sequential([keras.Input(shape=(2,)), Doubling()]).save(path)
    keras.saving.get_custom_objects().pop("nnbook_test>Doubling")  # as in a fresh session
    with pytest.raises(Exception) as raised:
        load_model(path)
    assert not isinstance(raised.value, ModelFileError)
    assert damage(path) is None


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
