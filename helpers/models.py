"""Loading a saved Keras model: refused on a Keras with published safe_mode bypasses, and one clear
line when the file is damaged or names a class this session does not know.

``keras.saving.load_model`` answers "File not found" for a ``.keras`` file that exists but is
empty, cut short, or not a zip archive at all (an HTML page a browser saved in place of the file),
and a raw ``KeyError``, ``BadZipFile``, ``JSONDecodeError`` or ``OSError`` for other damage.
:func:`load_model` calls Keras and, when that fails on a file that exists, says what is wrong with
the file and what to do, in one line, with Keras's own error chained after it::

    from helpers.models import load_model
    model = load_model("churn.keras")   # as keras.saving.load_model, same arguments

On a Keras release with a published way around ``safe_mode`` (see
:func:`helpers.environment.keras_advisories`), a model file can run its author's code however it
is loaded, so :func:`load_model` refuses it (:class:`UnsafeKerasError`) unless the caller passes
``safe_mode=False`` on purpose: for a file they made themselves. A model that names a custom class
or function this session has not defined gets one line that names it (Keras says only that the
model "could not be deserialized properly"). Other errors Keras raises for a sound file (a
``safe_mode`` refusal of a ``Lambda`` layer) and for a missing file pass through unchanged.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path
from typing import Any

from helpers.environment import keras_advisories

ZIP_SIGNATURE = b"PK\x03\x04"  # how every zip archive, and so every .keras file, starts
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"  # how every HDF5 file (.h5, model.weights.h5) starts
LFS_POINTER = b"version https://git-lfs.github.com/spec/"
# Keras's own message, deep in the chain, for a class or function it has no definition of.
_NOT_LOCATED = re.compile(r"Could not locate (?P<kind>class|function) '(?P<name>[^']+)'")
_REGISTERED = re.compile(r"'registered_name': '([^']+)'")


class ModelFileError(ValueError):
    """A model file exists but cannot be loaded as it is; the message says why and what to do.

    A ValueError, as Keras's own "File not found" is, so code that caught that still catches this.
    """


class UnknownClassError(ModelFileError, TypeError):
    """The model file names a custom class or function this session has not defined.

    Also a TypeError, as Keras's own error for it is.
    """


class UnsafeKerasError(ValueError):
    """Refused: the installed Keras has a published way to run a model file's code despite safe_mode.

    A ValueError, as Keras's own safe_mode refusal is.
    """


def load_model(path: str | os.PathLike, **kwargs: Any):
    """``keras.saving.load_model(path, **kwargs)``, refused on an unsafe Keras, and naming the
    problem when the file is damaged or names an unknown class.

    Raises :class:`UnsafeKerasError` before reading the model when the installed Keras has a
    published safe_mode bypass, unless ``safe_mode=False`` is passed (for a file you made
    yourself); :class:`ModelFileError` (chained to Keras's error) when loading fails on a file that
    exists and is empty, not a zip archive, truncated or damaged, or has no ``config.json``; and
    :class:`UnknownClassError` when the file names a class or function this session lacks.

    >>> load_model(42)
    Traceback (most recent call last):
    ...
    TypeError: load_model() needs the path of a model file (a str or pathlib.Path, such as 'model.keras'); got int 42
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            "load_model() needs the path of a model file (a str or pathlib.Path, such as "
            f"'model.keras'); got {type(path).__name__} {path!r:.60}"
        )
    safe_mode = kwargs.get("safe_mode", True)
    if not isinstance(safe_mode, bool):
        raise TypeError(
            "load_model() needs safe_mode as True or False (False only for a file you made "
            f"yourself); got {type(safe_mode).__name__} {safe_mode!r:.60}"
        )
    import keras

    text = os.fspath(path)
    if "://" not in text and Path(text).exists() and not Path(text).is_dir():
        if not Path(text).is_file():  # Keras would wait forever on a named pipe
            raise ModelFileError(f"{text} {describe_damage(path)}")
    if safe_mode:
        _refuse_on_unsafe_keras(path, keras.__version__)
    try:
        return keras.saving.load_model(path, **kwargs)
    except Exception as error:
        problem = describe_damage(path) or _unknown_class(error)
        if problem is None:
            raise
        kind = UnknownClassError if problem.startswith("names ") else ModelFileError
        raise kind(f"{os.fspath(path)} {problem}") from error


def _refuse_on_unsafe_keras(path: str | os.PathLike, version: str) -> None:
    """Raise :class:`UnsafeKerasError` if Keras ``version`` has a published safe_mode bypass.

    A damaged file is named as such first (reading it runs nothing), and a local file that does
    not exist is left to Keras's own "File not found".
    """
    advisories = keras_advisories(version)
    if not advisories:
        return
    text = os.fspath(path)
    if "://" not in text and not Path(text).exists():
        return
    problem = describe_damage(path) if "://" not in text else None
    if problem is not None:
        raise ModelFileError(f"{text} {problem}")
    raise UnsafeKerasError(
        f"{text} was not loaded: Keras {version} has published ways around safe_mode "
        f"({'; '.join(advisories)}), so a model file can run its author's code or read files on this computer; "
        f"upgrade Keras (pip install -U keras, then restart the kernel), or pass safe_mode=False "
        f"if you made the file yourself"
    )


def _unknown_class(error: BaseException) -> str | None:
    """What to do about a class or function Keras could not find, from its chain of errors."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        match = _NOT_LOCATED.search(str(error))
        if match:
            kind, name = match["kind"], match["name"]
            # custom_objects takes the name the class was registered under: "package>Name"
            registered = _REGISTERED.search(str(error), match.end())
            key = registered[1] if registered and registered[1].endswith(name) else name
            return (
                f"names a custom {kind}, {name!r}, that this session has not defined: run the code "
                f"that defines it (decorated with @keras.saving.register_keras_serializable()) "
                f"before loading, or pass custom_objects={{{key!r}: {name.split('>')[-1]}}}; a "
                f"file's custom code comes from its author, so use it only for a model you trust"
            )
        error = error.__cause__ or error.__context__
    return None


def describe_damage(path: str | os.PathLike) -> str | None:
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
    if path.name.endswith(".weights.h5") and path.is_file():
        return (
            "holds only a model's weights (model.save_weights), not the model: build the same "
            "model in code, then call model.load_weights(path)"
        )
    if not path.is_file():  # reading a named pipe waits forever; a device never ends
        return (
            "is not a regular file (a named pipe, a socket or a device), so it cannot be a model "
            "file; give the path of the .keras file model.save(...) wrote"
        )
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
    if path.suffix in (".h5", ".hdf5") and head.startswith(ZIP_SIGNATURE):
        return (
            f"is a .keras model (a zip archive) named {path.suffix}, which Keras reads as an HDF5 "
            f"file; rename it to end in .keras"
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
