"""What a notebook runs on: a one-line report of Python, TensorFlow, Keras and the device."""

from __future__ import annotations

import platform


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
