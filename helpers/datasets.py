"""The book's real datasets: where they come from, how they are verified, and loaders for each.

Every file has a canonical public URL and a SHA-256 checksum. Files live in a data directory:
``NNBOOK_DATA`` when that environment variable is set, otherwise a per-user cache folder. A file
already there is verified on every load and refused if it does not match; a missing file is
downloaded (with pooch, which checks the hash before the file is kept). With no network and no
file, the error says how to get one.

Command line (``make data`` runs the first)::

    python -m helpers.datasets fetch            # download every dataset into the data directory
    python -m helpers.datasets fetch titanic.csv
    python -m helpers.datasets list             # what is there, and whether it verifies
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported lazily at run time: `import helpers` stays fast
    import numpy as np
    import pandas as pd

ENV_VAR = "NNBOOK_DATA"


@dataclass(frozen=True)
class DatasetFile:
    """One file of the registry: its canonical URL and what a good copy looks like."""

    name: str
    url: str
    sha256: str
    size: int
    description: str
    # Other file hashes that hold the same data (the book's offline mirror of MNIST was rebuilt
    # from the raw IDX files, so its zip bytes differ from the Keras download).
    also_accepted: tuple[str, ...] = ()
    # For .npz files: sha256 over the arrays' bytes, independent of how the zip was written.
    content_sha256: str | None = None


REGISTRY: dict[str, DatasetFile] = {
    f.name: f
    for f in (
        DatasetFile(
            name="titanic.csv",
            url="https://raw.githubusercontent.com/datasciencedojo/datasets/"
            "f0ccab6a7ceafdff780052166fb6fab3311398eb/titanic.csv",
            sha256="4a437fde05fe5264e1701a7387ac6fb75393772ba38bb2c9c566405af5af4bd7",
            size=60_302,
            description="Titanic passengers (Kaggle train.csv), 891 rows x 12 columns",
        ),
        DatasetFile(
            name="Churn_Modelling.csv",
            url="https://raw.githubusercontent.com/selva86/datasets/"
            "c943fa8851270387c44d26efb0f9c0aac1559e11/Churn_Modelling.csv",
            sha256="3996cd1fa372e0db0cd9c0ebac35bbd4e8e3c65fb942bb010c826e7b1eeef0a0",
            size=684_858,
            description="Bank customer churn, 10000 rows x 14 columns",
        ),
        DatasetFile(
            name="house_prices_train.csv",
            url="https://raw.githubusercontent.com/krishnaik06/Advanced-House-Price-Prediction-/"
            "92cc6f59c373afd965bdadf3568c597926295c44/train.csv",
            sha256="1e18addf81e5e4d347cc17ee6075bbe4a42b7fa26b9e5b063e8f692a5f929d41",
            size=460_676,
            description="Ames house prices (Kaggle train.csv), 1460 rows x 81 columns",
        ),
        DatasetFile(
            name="mnist.npz",
            url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
            sha256="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
            size=11_490_434,
            description="MNIST digits in the Keras layout: x_train, y_train, x_test, y_test",
            also_accepted=("06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64",),
            content_sha256="06b0d1f124c4e5fa796686ade41a9b778edacc8622f2195a352ef479ad44fc16",
        ),
    )
}

_MNIST_KEYS = ("x_train", "y_train", "x_test", "y_test")


class DatasetNotAvailableError(FileNotFoundError):
    """A dataset file is not in the data directory and could not be downloaded."""


class CorruptDatasetError(ValueError):
    """A dataset file is present but does not match its checksum; it is never used."""


def data_dir() -> Path:
    """The folder that holds the datasets: ``$NNBOOK_DATA`` if set, else a per-user cache.

    >>> data_dir().is_absolute()  # without NNBOOK_DATA: the per-user cache folder '.../nnbook'
    True
    """
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    return Path(_pooch().os_cache("nnbook"))


def _lookup(name: str) -> DatasetFile:
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise KeyError(f"unknown dataset {name!r}; expected one of: {known}") from None


def _pooch():
    """pooch, imported quietly: its progress bar module warns in notebooks without ipywidgets."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")
        import pooch
    return pooch


def _file_sha256(path: Path) -> str:
    return _pooch().file_hash(str(path), alg="sha256")


def _npz_content_sha256(path: Path, keys: tuple[str, ...]) -> str | None:
    """sha256 over the arrays' bytes in order, or None when the file is not a readable npz."""
    import numpy as np

    digest = hashlib.sha256()
    try:
        with np.load(path, allow_pickle=False) as arrays:
            for key in keys:
                digest.update(np.ascontiguousarray(arrays[key]).tobytes())
    except Exception:  # a truncated or foreign file: not a match, whatever went wrong
        return None
    return digest.hexdigest()


def verify(name: str, path: Path) -> None:
    """Raise :class:`CorruptDatasetError` unless ``path`` holds a good copy of dataset ``name``.

    >>> verify("titanic.csv", data_dir() / "titanic.csv")  # silent when the file is good
    """
    entry = _lookup(name)
    actual = _file_sha256(path)
    if actual in (entry.sha256, *entry.also_accepted):
        return
    if entry.content_sha256 and _npz_content_sha256(path, _MNIST_KEYS) == entry.content_sha256:
        return
    size = path.stat().st_size
    raise CorruptDatasetError(
        f"{path} is corrupt or truncated, so it was not used: expected sha256 {entry.sha256} "
        f"({entry.size:,} bytes), got sha256 {actual} ({size:,} bytes). "
        f"Delete the file and run `make data` (or load it again with internet) "
        f"to download a fresh copy from {entry.url}"
    )


def fetch(name: str, *, progressbar: bool = False) -> Path:
    """Return the path of a verified copy of dataset ``name``, downloading it if missing.

    >>> path = fetch("titanic.csv")
    >>> path.name
    'titanic.csv'
    """
    entry = _lookup(name)
    folder = data_dir()
    path = folder / name
    if path.exists():
        verify(name, path)
        return path
    how_to_fix = (
        f"To fix it: connect to the internet and run again (`make data` downloads every "
        f"dataset at once), or set the environment variable {ENV_VAR} to a folder that already "
        f"holds the file, such as one a teacher filled with `make data`."
    )
    if folder.exists() and not os.access(folder, os.W_OK):
        raise DatasetNotAvailableError(
            f"{name} is not in the data folder {folder}, and that folder is read-only, "
            f"so it cannot be downloaded there. {how_to_fix}"
        )
    pooch = _pooch()
    try:
        # pooch downloads to a temporary file and keeps it only when the hash matches.
        pooch.retrieve(
            entry.url,
            known_hash=f"sha256:{entry.sha256}",
            fname=name,
            path=folder,
            progressbar=progressbar,
        )
    except ValueError as error:  # pooch's hash mismatch: the download itself was bad
        raise CorruptDatasetError(
            f"the download of {name} from {entry.url} did not match its checksum and was "
            f"discarded: {error}"
        ) from None
    except Exception as error:  # no network, DNS failure, HTTP error, ...
        raise DatasetNotAvailableError(
            f"{name} is not in the data folder {folder} and could not be downloaded from "
            f"{entry.url} ({type(error).__name__}). {how_to_fix}"
        ) from None
    return path


def load_titanic() -> pd.DataFrame:
    """The Titanic passengers: 891 rows, Kaggle's ``train.csv`` columns (``Survived`` is 0/1).

    >>> load_titanic().shape
    (891, 12)
    """
    import pandas as pd

    return pd.read_csv(fetch("titanic.csv"))


def load_churn() -> pd.DataFrame:
    """The bank customers of the churn chapter: 10,000 rows, ``Exited`` is 1 for churners.

    >>> load_churn().shape
    (10000, 14)
    """
    import pandas as pd

    return pd.read_csv(fetch("Churn_Modelling.csv"))


def load_house_prices() -> pd.DataFrame:
    """The Ames house prices (Kaggle ``train.csv``): 1,460 houses, 81 columns with ``SalePrice``.

    >>> load_house_prices().shape
    (1460, 81)
    """
    import pandas as pd

    return pd.read_csv(fetch("house_prices_train.csv"))


def load_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """MNIST as ``keras.datasets.mnist.load_data()`` returns it: uint8 images and labels.

    >>> (x_train, y_train), (x_test, y_test) = load_mnist()
    >>> x_train.shape, x_test.shape
    ((60000, 28, 28), (10000, 28, 28))
    """
    import numpy as np

    with np.load(fetch("mnist.npz"), allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


LOAN_RULE = (
    "approved when the applicant is at most 45 years old in a rural area, or at most 55 in an "
    "urban one; otherwise rejected"
)


def make_loan_applications(n: int = 10_000, *, seed: int = 0, noise: float = 0.07) -> pd.DataFrame:
    """Synthetic loan applications like seed 002's (whose data was never published).

    Columns: ``age`` (whole years, uniform from 18 to 75), ``area`` ("rural" or "urban", half
    each) and ``application_outcome`` ("approved" or "rejected"). The outcome follows
    :data:`LOAN_RULE`, then a fraction ``noise`` of the outcomes is flipped at random, so no model
    can expect more than ``1 - noise`` accuracy. The same ``seed`` gives the same table.

    >>> loans = make_loan_applications(1000, seed=1)
    >>> loans.shape, sorted(loans["area"].unique())
    ((1000, 3), ['rural', 'urban'])
    """
    import numpy as np
    import pandas as pd

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a whole number of applications, at least 1; got {n!r}")
    if not 0 <= noise < 0.5:
        raise ValueError(f"noise must be a fraction in [0, 0.5) of outcomes to flip; got {noise!r}")
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 76, size=n)
    urban = rng.random(n) < 0.5
    approved = np.where(urban, age <= 55, age <= 45)
    approved ^= rng.random(n) < noise
    return pd.DataFrame(
        {
            "age": age,
            "area": np.where(urban, "urban", "rural"),
            "application_outcome": np.where(approved, "approved", "rejected"),
        }
    )


def _describe(name: str) -> str:
    path = data_dir() / name
    if not path.exists():
        return "missing"
    try:
        verify(name, path)
    except CorruptDatasetError:
        return "CORRUPT"
    return "ok"


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.datasets fetch [NAME ...]`` or ``python -m helpers.datasets list``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m helpers.datasets", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fetch_cmd = commands.add_parser("fetch", help="download and verify datasets")
    fetch_cmd.add_argument("names", nargs="*", metavar="NAME", help="default: every dataset")
    commands.add_parser("list", help="show every dataset and whether it is present and verified")
    args = parser.parse_args(argv)

    print(f"data folder: {data_dir()}  (set {ENV_VAR} to change it)")
    if args.command == "list":
        for name, entry in REGISTRY.items():
            print(f"  {name:<24} {_describe(name):<8} {entry.description}")
        return 0
    failures = 0
    for name in args.names or list(REGISTRY):
        try:
            path = fetch(name, progressbar=sys.stderr.isatty())
            print(f"  {name:<24} ok  {path}")
        except (KeyError, DatasetNotAvailableError, CorruptDatasetError) as error:
            failures += 1
            print(f"  {name:<24} FAILED: {error}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
