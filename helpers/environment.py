"""What a notebook runs on: a one-line report of Python, TensorFlow, Keras and the device (or of
Python and NumPy, in a chapter that needs no TensorFlow), and a quiet start for TensorFlow."""

from __future__ import annotations

import contextlib
import os
import platform
import re
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


# Keras releases with a published way to run code (or read files) from a model file despite
# safe_mode: (first affected, first fixed, advisory). The book requires Keras 3.12.1 or newer
# (not 3.13.0 or 3.13.1), the first releases with all of them fixed; a reader may still have an
# older Keras (an environment of their own), so the setup cell names them and
# helpers.models.load_model refuses model files on such a Keras unless told safe_mode=False.
# Fixed versions from each advisory (GHSA) and the release notes of Keras 3.12.1 and 3.13.2.
KERAS_ADVISORIES = (
    ((0, 0, 0), (3, 0, 0), "Keras 2 has no safe_mode: a Lambda layer's code always runs"),
    ((3, 0, 0), (3, 9, 0), "CVE-2025-1550"),
    ((3, 0, 0), (3, 11, 0), "CVE-2025-8747"),
    ((3, 0, 0), (3, 11, 0), "CVE-2025-9906"),
    ((3, 0, 0), (3, 11, 3), "CVE-2025-9905, .h5 files"),
    ((3, 0, 0), (3, 12, 0), "CVE-2025-12058"),
    ((3, 0, 0), (3, 12, 1), "CVE-2026-1462"),
    ((3, 13, 0), (3, 13, 2), "CVE-2026-1462"),  # the 3.13 line got 3.12.1's fix in 3.13.2
)
# "3.12.0", "3.12.0rc1", "3.16.0.dev2026081403", "3.15.1+cpu", "3.11.3.post1"
_VERSION = re.compile(
    r"v?(?P<release>\d+(?:\.\d+)*)(?P<pre>[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview|dev)[-_.]?\d*)?"
    r"(?P<post>[-_.]?post[-_.]?\d*)?(?:[-_.]?dev\d*)?(?:\+[\w.]*)?",
    re.IGNORECASE,
)


def _version_key(version: str) -> tuple[int, ...] | None:
    """``"3.13.2"`` as (3, 13, 2, 1), a pre-release such as ``"3.12.1rc1"`` as (3, 12, 1, 0): before
    the release it leads to, so it does not count as having that release's fixes. None if the
    text is not a version number.
    """
    match = _VERSION.fullmatch(version.strip())
    if not match:
        return None
    release = [int(part) for part in match["release"].split(".")][:3]
    release += [0] * (3 - len(release))
    return (*release, 0 if match["pre"] else 1)


def keras_advisories(version: str) -> list[str]:
    """The published safe_mode bypasses of this Keras version (an unreadable version: every one of
    Keras 3's, since its fixes cannot be confirmed).

    >>> keras_advisories("3.15.1"), keras_advisories("3.13.2")
    ([], [])
    >>> keras_advisories("3.12.0rc1")  # a release candidate comes before 3.12.0 and 3.12.1
    ['CVE-2025-12058', 'CVE-2026-1462']
    """
    installed = _version_key(version)
    found = [
        advisory
        for first, fixed, advisory in KERAS_ADVISORIES
        if (installed is None and first >= (3,))
        or (installed is not None and (*first, 0) <= installed < (*fixed, 1))
    ]
    return list(dict.fromkeys(found))  # CVE-2026-1462 once, whichever line it came from


def keras_warning(version: str) -> str | None:
    """A one-line warning if this Keras version has a published safe_mode bypass, else None.

    >>> keras_warning("3.15.1") is None
    True
    >>> print(keras_warning("3.13.1"))
    Warning: Keras 3.13.1 has published safe_mode bypasses (CVE-2026-1462): upgrade it (pip install -U keras) before you load a model file someone else made.
    """
    if not isinstance(version, str):
        raise TypeError(
            f"keras_warning() needs a version as text, such as keras.__version__ ('3.12.1'); "
            f"got {type(version).__name__} {version!r:.40}"
        )
    advisories = keras_advisories(version)
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
