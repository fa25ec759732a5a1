"""What a notebook runs on: a one-line report of Python, TensorFlow, Keras and the device, and a
quiet start for TensorFlow."""

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
    except (OSError, ValueError, AttributeError):  # no file descriptor 2 (some embedded interpreters)
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def environment_report() -> str:
    """One line naming Python, TensorFlow, Keras and whether a GPU is used, such as
    ``Python 3.11.7 | TensorFlow 2.21.0 | Keras 3.15.1 | CPU only (no GPU found)``.

    >>> environment_report().startswith("Python ")
    True
    """
    import keras
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    device = f"GPU: {len(gpus)} found" if gpus else "CPU only (no GPU found)"
    return (
        f"Python {platform.python_version()} | TensorFlow {tf.__version__} | "
        f"Keras {keras.__version__} | {device}"
    )
