"""Loading a saved Keras model, with one clear line when the file is damaged.

``keras.saving.load_model`` answers "File not found" for a ``.keras`` file that exists but is
empty, cut short, or not a zip archive at all (an HTML page a browser saved in place of the file),
and a raw ``KeyError``, ``BadZipFile``, ``JSONDecodeError`` or ``OSError`` for other damage.
:func:`load_model` calls Keras and, when that fails on a file that exists, says what is wrong with
the file and what to do, in one line, with Keras's own error chained after it::

    from helpers.models import load_model
    model = load_model("churn.keras")   # as keras.saving.load_model, same arguments

Errors Keras raises for a sound file (an unknown custom layer, a ``safe_mode`` refusal) and for a
missing file pass through unchanged: only damage to the file itself is renamed.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

ZIP_SIGNATURE = b"PK\x03\x04"  # how every zip archive, and so every .keras file, starts
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"  # how every HDF5 file (.h5, model.weights.h5) starts
LFS_POINTER = b"version https://git-lfs.github.com/spec/"


class ModelFileError(ValueError):
    """A model file exists but is damaged or is not a model file; the message says which and why.

    A ValueError, as Keras's own "File not found" is, so code that caught that still catches this.
    """


def load_model(path: str | os.PathLike, **kwargs: Any):
    """``keras.saving.load_model(path, **kwargs)``, naming the problem when the file is damaged.

    Raises :class:`ModelFileError` (chained to Keras's error) when loading fails on a file that
    exists and is empty, not a zip archive, truncated or damaged, or has no ``config.json``.
    """
    import keras

    try:
        return keras.saving.load_model(path, **kwargs)
    except Exception as error:
        problem = damage(path)
        if problem is None:
            raise
        raise ModelFileError(f"{os.fspath(path)} {problem}") from error


def damage(path: str | os.PathLike) -> str | None:
    """What is wrong with the model file at ``path``, with what to do, or None if nothing is found.

    None also for a path that does not exist: Keras's "File not found" is right then.
    """
    path = Path(path)
    again = "save the model again with model.save(...), or copy or download the file again"
    if not path.exists():
        return None
    if path.is_dir():
        if (path / "config.json").exists():  # a Keras model saved as a folder: Keras's own error
            return None
        if (path / "saved_model.pb").exists():
            return (
                "is a TensorFlow SavedModel folder, which Keras 3 does not load as a model: "
                "use keras.layers.TFSMLayer(path, call_endpoint='serving_default'), or save the "
                "model with model.save('name.keras')"
            )
        return "is a folder, not a model file; give the path of the .keras file"
    try:
        with open(path, "rb") as file:
            head = file.read(1024)
    except OSError as error:
        return f"cannot be read ({(error.strerror or str(error)).lower()}); check its permissions"
    size = path.stat().st_size
    if size == 0:
        return f"is empty (0 bytes): saving or copying it was interrupted; {again}"
    if head.startswith(LFS_POINTER):
        return (
            "is a Git LFS pointer, not the model itself; run `git lfs pull`, or download the file"
        )
    if _looks_like_html(head):
        expected = {".keras": "a zip archive", ".h5": "an HDF5 file", ".hdf5": "an HDF5 file"}
        return (
            f"is not {expected.get(path.suffix, 'a model file')} but an HTML page, as a browser "
            f"saves when a link leads to a web page (a sign-in or download page) instead of the "
            f"file; download the file itself"
        )
    if path.suffix == ".keras" or head.startswith(ZIP_SIGNATURE):
        return _zip_damage(path, head, size, again)
    if path.suffix in (".h5", ".hdf5") and not head.startswith(HDF5_SIGNATURE):
        return f"is not an HDF5 file (it starts with {head[:8]!r}); {again}"
    return None


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head")) or b"<html" in start[:256]


def _zip_damage(path: Path, head: bytes, size: int, again: str) -> str | None:
    if head.startswith(HDF5_SIGNATURE):
        return "is an HDF5 (.h5) model file named .keras; rename it to end in .h5"
    if not zipfile.is_zipfile(path):
        if head.startswith(ZIP_SIGNATURE):
            return (
                f"is a truncated zip archive: it ends ({size:,} bytes) before the archive's "
                f"directory, so the save, copy or download was cut short; {again}"
            )
        return f"is not a zip archive, as a .keras file is (it starts with {head[:8]!r}); {again}"
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            broken = archive.testzip()
            if broken is not None:
                return (
                    f"is a damaged zip archive: {broken} in it does not match its checksum; {again}"
                )
            if "config.json" not in names:
                held = ", ".join(names[:5]) or "nothing"
                return (
                    f"is a zip archive without config.json (it holds {held}), so it is not a Keras "
                    f"model file; give the path of the .keras file model.save(...) wrote"
                )
            try:
                json.loads(archive.read("config.json"))
            except ValueError:
                return f"is damaged: its config.json is not valid JSON; {again}"
            if "model.weights.h5" in names:
                with archive.open("model.weights.h5") as weights:
                    if not weights.read(len(HDF5_SIGNATURE)).startswith(HDF5_SIGNATURE):
                        return f"is damaged: its model.weights.h5 is not an HDF5 file; {again}"
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        return f"is a damaged zip archive ({error}); {again}"
    return None
