"""What a notebook runs on: a one-line report of Python, TensorFlow, Keras and the device (or of
Python and NumPy, in a chapter that needs no TensorFlow), and a quiet start for TensorFlow."""

from __future__ import annotations

import contextlib
import os
import platform
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def quiet_native_logs() -> Iterator[None]:
    """Silence what compiled code writes to the process's standard error inside the block.

    TensorFlow's C++ code logs its start-up (CUDA probing, CPU features) straight to file
    descriptor 2, before ``TF_CPP_MIN_LOG_LEVEL`` takes effect, and Jupyter shows those lines in
    red under the cell. Python's own errors and warnings are not affected: exceptions propagate,
    and ``warnings`` write to ``sys.stderr``, which Jupyter captures separately.

    >>> with quiet_native_logs():
    ...     _ = os.write(2, b"a C library's log line\\n")  # goes nowhere
    >>> print("Python output still shows")
    Python output still shows
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (
        OSError,
        ValueError,
        AttributeError,
    ):  # no file descriptor 2 (some embedded interpreters)
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


# Keras releases with a published way to run code from a model file despite safe_mode, or
# another model-file advisory: (first affected, first fixed, advisory). The book supports Keras
# from 3.7 (Colab ships older Keras than the fixes), so the setup cell names them instead.
KERAS_ADVISORIES = (
    ((3, 0, 0), (3, 9, 0), "CVE-2025-1550"),
    ((3, 0, 0), (3, 11, 0), "CVE-2025-9906"),
    ((3, 0, 0), (3, 11, 3), "CVE-2025-9905, .h5 files"),
    ((3, 0, 0), (3, 12, 1), "CVE-2026-1462"),
    ((3, 13, 0), (3, 14, 0), "CVE-2026-1462"),  # the 3.13 line got the 3.12.1 backport only in 3.14
)


def _version_tuple(version: str) -> tuple[int, ...]:
    """``"3.13.2"`` as (3, 13, 2); a pre-release or local suffix is ignored."""
    parts = []
    for part in version.split("+")[0].split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit()) if part[:1].isdigit() else ""
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def keras_warning(version: str) -> str | None:
    """A one-line warning if this Keras version has a published safe_mode bypass, else None.

    >>> keras_warning("3.15.1") is None
    True
    >>> print(keras_warning("3.13.2"))
    Warning: Keras 3.13.2 has published safe_mode bypasses (CVE-2026-1462): upgrade it (pip install -U keras) before you load a model file someone else made.
    """
    installed = _version_tuple(version)
    advisories = [
        advisory for first, fixed, advisory in KERAS_ADVISORIES if first <= installed < fixed
    ]
    if not advisories:
        return None
    return (
        f"Warning: Keras {version} has published safe_mode bypasses ({'; '.join(advisories)}): "
        "upgrade it (pip install -U keras) before you load a model file someone else made."
    )


def environment_report(tensorflow: bool = True) -> str:
    """One line naming Python, TensorFlow, Keras and whether a GPU is used, such as
    ``Python 3.11.7 | TensorFlow 2.21.0 | Keras 3.15.1 | CPU only (no GPU found)``, and a second
    line if the installed Keras has a published safe_mode bypass (see :func:`keras_warning`).
    With ``tensorflow=False`` (a chapter that uses NumPy only) it names Python and NumPy, and does
    not import TensorFlow, whose import takes seconds.

    >>> environment_report().startswith("Python ")
    True
    >>> environment_report(tensorflow=False).endswith("(TensorFlow not needed in this chapter)")
    True
    """
    if not tensorflow:
        import numpy as np

        return (
            f"Python {platform.python_version()} | NumPy {np.__version__} "
            "(TensorFlow not needed in this chapter)"
        )
    import keras
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    device = f"GPU: {len(gpus)} found (op determinism off)" if gpus else "CPU only (no GPU found)"
    report = (
        f"Python {platform.python_version()} | TensorFlow {tf.__version__} | "
        f"Keras {keras.__version__} | {device}"
    )
    warning = keras_warning(keras.__version__)
    return f"{report}\n{warning}" if warning else report
