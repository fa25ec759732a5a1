"""The book's real datasets: where they come from, how they are verified, and loaders for each.

Every file has a canonical public URL and a SHA-256 checksum. Files live in a data directory:
``NNBOOK_DATA`` when that environment variable is set, otherwise a per-user cache folder. A file
already there is verified on every load and refused if it does not match; a missing file is
downloaded (with pooch, which checks the hash before the file is kept). With no network and no
file, the error says how to get one.

A download goes to a scratch folder outside the data folder and is moved in only once it
verifies, so a download killed midway leaves nothing half-written there. Every file written to
the data folder is readable by every user (mode 0644), and every folder it creates can be entered
by every user (0755), whatever the umask, so a folder a teacher filled can be shared or copied. Every problem with the folder or a file (missing, unreadable, a folder where a file
should be, a symbolic link loop, a copy that does not verify) is one error that names the file and
says what to do.

Command line (``make data`` runs the first)::

    python -m helpers.datasets fetch            # download every dataset into the data directory
    python -m helpers.datasets fetch titanic.csv
    python -m helpers.datasets list             # what is there, and whether it verifies

``list`` exits with status 1 when a file is missing, unreadable or corrupt (2 when the data folder
itself is unusable), so a classroom script can rely on it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported lazily at run time: `import helpers` stays fast
    import numpy as np
    import pandas as pd

ENV_VAR = "NNBOOK_DATA"
FILE_MODE = 0o644  # every file written to the data folder: readable by every user
FOLDER_MODE = 0o755  # every folder fetch creates: every user may enter it and list it


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
    # For .npz files: sha256 over the arrays' bytes, independent of how the zip was written...
    content_sha256: str | None = None
    # ... which counts only together with each array's name, dtype and shape: the bytes do not fix
    # them (the same bytes reshaped to (60000, 784), or read as int8, are not the chapters' MNIST).
    arrays: tuple[tuple[str, str, tuple[int, ...]], ...] = ()


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
            arrays=(
                ("x_train", "uint8", (60000, 28, 28)),
                ("y_train", "uint8", (60000,)),
                ("x_test", "uint8", (10000, 28, 28)),
                ("y_test", "uint8", (10000,)),
            ),
        ),
    )
}


class DatasetNotAvailableError(FileNotFoundError):
    """A dataset file is not in the data directory and could not be downloaded."""


class DataFolderError(DatasetNotAvailableError):
    """The data folder itself is unusable: NNBOOK_DATA names a file, a link loop, an unknown user."""


class UnreadableDatasetError(DatasetNotAvailableError):
    """A dataset file is there but cannot be read: permissions, a folder, a broken or looping link."""


class CorruptDatasetError(ValueError):
    """A dataset file is present but does not match its checksum; it is never used."""


def data_dir() -> Path:
    """The folder that holds the datasets: ``$NNBOOK_DATA`` if set, else a per-user cache.

    Raises :class:`DataFolderError` when ``NNBOOK_DATA`` cannot be a folder: it names a file or a
    symbolic link loop, starts with ``~user`` for a user this machine does not know, or is a
    relative path (which would name one folder from the book's folder and another from
    ``notebooks/``; `make` turns one into a full path from the book's folder).

    >>> data_dir().is_absolute()  # without NNBOOK_DATA: the per-user cache folder '.../nnbook'
    True
    """
    configured = os.environ.get(ENV_VAR, "").strip()
    if not configured:
        return Path(_pooch().os_cache("nnbook"))
    fix = f"set {ENV_VAR} to the folder that holds the datasets, or unset it to use your own cache"
    try:
        expanded = Path(configured).expanduser()
    except RuntimeError:  # "~someone" for a user this machine does not know, or no home folder
        user = re.split(r"[\\/]", configured, maxsplit=1)[0]
        raise DataFolderError(
            f"{ENV_VAR}={configured}: {user} cannot be expanded, as this machine knows no such "
            f"user (or home folder); write the folder as a full path, or unset {ENV_VAR} to use "
            f"your own cache"
        ) from None
    if not expanded.is_absolute():
        raise DataFolderError(
            f"{ENV_VAR}={configured} is a relative path, which names another folder from each "
            f"place a program starts (the chapters run in notebooks/, make and the tools in the "
            f"book's folder); give the full path, such as {Path.cwd() / expanded}"
        )
    try:
        folder = expanded.resolve()
        info = folder.stat() if folder.exists() else None
    except (RuntimeError, OSError) as error:  # a symbolic link loop (RuntimeError up to 3.12)
        raise DataFolderError(
            f"{ENV_VAR}={configured}: {_reason(error)}, so it cannot be the data folder; {fix}"
        ) from None
    if info is not None and not stat.S_ISDIR(info.st_mode):
        raise DataFolderError(f"{ENV_VAR}={configured}: {folder} is a file, not a folder; {fix}")
    return folder


def _reason(error: BaseException) -> str:
    """What an OSError (or pathlib's RuntimeError for a link loop) says, in a few words."""
    if isinstance(error, RuntimeError) or getattr(error, "errno", None) == errno.ELOOP:
        return "a symbolic link loop (a link that leads back to itself)"
    return (getattr(error, "strerror", None) or str(error)).lower()


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


def _npz_content(path: Path, entry: DatasetFile) -> tuple[str | None, list[str]]:
    """The sha256 over the registered arrays' bytes, in order, and how their names, dtypes and
    shapes differ from the registry's (empty when they match); (None, []) if no readable npz.
    """
    import numpy as np

    digest = hashlib.sha256()
    layout = []
    try:
        with np.load(path, allow_pickle=False) as arrays:
            for key, dtype, shape in entry.arrays:
                if key not in arrays.files:
                    layout.append(f"no array {key}")
                    continue
                array = arrays[key]
                if array.dtype != np.dtype(dtype) or array.shape != shape:
                    layout.append(f"{key} is {array.dtype} {array.shape}, expected {dtype} {shape}")
                digest.update(np.ascontiguousarray(array).tobytes())
    except Exception:  # a truncated or foreign file: not a match, whatever went wrong
        return None, []
    return digest.hexdigest(), layout


def _owner(uid: int) -> str:
    try:
        import pwd

        return f"user {pwd.getpwuid(uid).pw_name}"
    except (ImportError, KeyError):
        return f"user id {uid}"


def _special_kind(mode: int) -> str:
    """What a path that is neither a file nor a folder is: "a named pipe (FIFO)", "a device", ..."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _writable(folder: Path) -> bool:
    """Whether this user may create and delete files in ``folder`` (as the effective user, which
    is what opening a file checks)."""
    effective = os.access in os.supports_effective_ids
    return os.access(folder, os.W_OK | os.X_OK, effective_ids=effective)


def _replace_it(path: Path, action: str = "delete {it}") -> str:
    """How to replace a bad file in the data folder: ``action`` (with ``{it}`` for the file) and
    `make data`; in a folder this user cannot change (a teacher's shared folder), ask its owner to,
    or use a folder of one's own.

    >>> _replace_it(Path(tempfile.gettempdir()) / "titanic.csv")
    'delete it and run `make data` to download a fresh copy'
    """
    folder = path.parent
    if not folder.exists() or _writable(folder):
        return f"{action.format(it='it')} and run `make data` to download a fresh copy"
    try:
        owner = _owner(folder.stat().st_uid)
    except OSError:
        owner = "unknown"
    return (
        f"this folder is read-only for you: ask its owner ({owner}) to "
        f"{action.format(it=path.name)} and run `make data` again, or set {ENV_VAR} to a folder "
        f"of your own and run `make data`"
    )


def _check_readable(name: str, path: Path) -> bool:
    """False if there is no file at ``path``; True if there is one this user can read.

    Anything else (a folder, a dangling or looping link, no permission) raises
    :class:`UnreadableDatasetError`, which names the file and says what to do.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        if not path.is_symlink():
            return False
        raise UnreadableDatasetError(
            f"{path} is a symbolic link to {os.readlink(path)}, which does not exist; fix the "
            f"link, or {_replace_it(path)}"
        ) from None
    except NotADirectoryError:  # a file where the data folder should be: fetch names it
        return False
    except PermissionError:
        raise UnreadableDatasetError(
            f"{path} cannot be reached by this user (permission denied on its folder): ask the "
            f"folder's owner to run `chmod -R a+rX {path.parent}`, or set {ENV_VAR} to a folder "
            f"of your own and run `make data`"
        ) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnreadableDatasetError(
                f"{path} is a symbolic link loop (a link that leads back to itself); "
                f"{_replace_it(path)}"
            ) from None
        raise UnreadableDatasetError(
            f"{path} cannot be read ({_reason(error)}); {_replace_it(path)}"
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableDatasetError(
            f"{path} is a folder, not the file {name}; {_replace_it(path, 'move {it} away')}"
        )
    if not stat.S_ISREG(info.st_mode):  # reading a named pipe waits forever; /dev/zero never ends
        raise UnreadableDatasetError(
            f"{path} is {_special_kind(info.st_mode)}, not a file, so reading it would never end; "
            f"{_replace_it(path, 'move {it} away')}"
        )
    try:
        with open(path, "rb"):
            pass
    except PermissionError:
        raise UnreadableDatasetError(
            f"{path} cannot be read by this user (permission denied; it belongs to "
            f"{_owner(info.st_uid)}): ask them to run `chmod -R a+rX {path.parent}`, or set "
            f"{ENV_VAR} to a folder of your own and run `make data`"
        ) from None
    except OSError as error:
        raise UnreadableDatasetError(
            f"{path} cannot be read ({_reason(error)}); {_replace_it(path)}"
        ) from None
    return True


def verify(name: str, path: Path) -> None:
    """Raise :class:`CorruptDatasetError` unless ``path`` holds a good copy of dataset ``name``.

    A copy is good when its sha256 is the registry's or, for an ``.npz``, when its arrays have the
    registered names, dtypes and shapes and their bytes the registered content hash. A file that
    cannot be read raises :class:`UnreadableDatasetError`, a missing one FileNotFoundError.

    >>> verify("titanic.csv", data_dir() / "titanic.csv")  # silent when the file is good
    """
    entry = _lookup(name)
    if not _check_readable(name, path):
        raise FileNotFoundError(errno.ENOENT, f"{name} is not in the data folder", str(path))
    actual = _file_sha256(path)
    if actual in (entry.sha256, *entry.also_accepted):
        return
    replace = _replace_it(path)
    fix = (
        f"Delete the file and run `make data` (or load it again with internet) "
        f"to download a fresh copy from {entry.url}"
        if replace.startswith("delete it")
        else replace[0].upper() + replace[1:]
    )
    if entry.content_sha256 and entry.arrays:
        content, layout = _npz_content(path, entry)
        if layout:
            raise CorruptDatasetError(
                f"{path} holds other arrays than the chapters use ({'; '.join(layout)}), so it "
                f"was not used. {fix}"
            )
        if content == entry.content_sha256:
            return
    size = path.stat().st_size
    raise CorruptDatasetError(
        f"{path} is corrupt or truncated, so it was not used: expected sha256 {entry.sha256} "
        f"({entry.size:,} bytes), got sha256 {actual} ({size:,} bytes). {fix}"
    )


# A copy into the data folder from a scratch folder on another disk is written under this name
# first, then renamed: a copy interrupted midway is recognisable, and removed by the next fetch.
_PARTIAL = re.compile(r"\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.partial")
_PARTIAL_MAX_AGE_S = 600  # a copy older than this is not in progress: no disk copies that slowly
# pooch's own temporary files (helpers before this version downloaded straight into the folder).
_POOCH_TEMPORARY = re.compile(r"tmp[a-z0-9_]{8}")


def _make_shared_folder(folder: Path) -> None:
    """Create ``folder`` and its missing parents, each readable and enterable by every user (0755)
    whatever the umask: a teacher's `make data` under umask 077 would otherwise make a folder its
    students cannot enter. Folders that exist already are left as they are."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:  # made meanwhile by another process: not ours to change
            continue
        os.chmod(path, FOLDER_MODE)


def _move_into_place(downloaded: Path, path: Path) -> None:
    """Move a verified download into the data folder, readable by every user, all at once."""
    os.chmod(downloaded, FILE_MODE)  # pooch's temporary file is 0600 whatever the umask
    try:
        os.replace(downloaded, path)  # atomic when the scratch folder is on the same disk
        return
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as target, open(downloaded, "rb") as source:
            shutil.copyfileobj(source, target)
        os.chmod(partial, FILE_MODE)
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise


def _leftovers(folder: Path) -> list[Path]:
    """Partial downloads in the data folder: interrupted copies and old pooch temporary files."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [
        folder / name
        for name in names
        if (_PARTIAL.fullmatch(name) and _PARTIAL.fullmatch(name)["name"] in REGISTRY)
        or _POOCH_TEMPORARY.fullmatch(name)
    ]


def _remove_partial_copies(folder: Path) -> None:
    """Delete interrupted copies this module left (never another program's files)."""
    for path in _leftovers(folder):
        try:
            if (
                _PARTIAL.fullmatch(path.name)
                and time.time() - path.stat().st_mtime > _PARTIAL_MAX_AGE_S
            ):
                path.unlink()
        except OSError:  # someone else's folder, or already gone: leave it
            pass


def _download(
    name: str, entry, folder: Path, scratch: str, progressbar: bool, how_to_fix: str
) -> str:
    """Download dataset ``name`` (for the data folder ``folder``) into the folder ``scratch`` with pooch, which keeps it only if
    its sha256 matches; the path of the download, or a CorruptDatasetError or
    DatasetNotAvailableError that says what happened and ``how_to_fix`` it."""
    try:
        return _pooch().retrieve(
            entry.url,
            known_hash=f"sha256:{entry.sha256}",
            fname=name,
            path=scratch,
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


def fetch(name: str, *, progressbar: bool = False) -> Path:
    """Return the path of a verified copy of dataset ``name``, downloading it if missing.

    >>> path = fetch("titanic.csv")
    >>> path.name
    'titanic.csv'
    """
    entry = _lookup(name)
    folder = data_dir()
    path = folder / name
    if _check_readable(name, path):
        verify(name, path)
        return path
    how_to_fix = (
        f"To fix it: connect to the internet and run again (`make data` downloads every "
        f"dataset at once), or set the environment variable {ENV_VAR} to a folder that already "
        f"holds the file, such as one a teacher filled with `make data`."
    )
    if folder.exists() and not _writable(folder):
        raise DatasetNotAvailableError(
            f"{name} is not in the data folder {folder}, and that folder is read-only, "
            f"so it cannot be downloaded there. {how_to_fix}"
        )
    try:
        _make_shared_folder(folder)
    except OSError as error:
        raise DataFolderError(
            f"the data folder {folder} cannot be created ({_reason(error)}); set {ENV_VAR} to a "
            f"folder you can write to"
        ) from None
    _remove_partial_copies(folder)
    # pooch downloads into a scratch folder outside the data folder and keeps the file only when
    # its hash matches; only then is it moved in, so nothing half-written is ever in the folder.
    with tempfile.TemporaryDirectory(prefix="nnbook-download-") as scratch:
        downloaded = _download(name, entry, folder, scratch, progressbar, how_to_fix)
        try:
            _move_into_place(Path(downloaded), path)
        except OSError as error:
            raise DataFolderError(
                f"{name} was downloaded but could not be written to the data folder {folder} "
                f"({_reason(error)}); set {ENV_VAR} to a folder you can write to"
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
    """Synthetic loan applications like those of chapter 5's article (whose data was never published).

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
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.integer, np.floating)):
        raise ValueError(
            f"noise must be a number, a fraction in [0, 0.5) of outcomes to flip; got "
            f"{type(noise).__name__} {noise!r:.40}"
        )
    if not 0 <= noise < 0.5:
        raise ValueError(f"noise must be a fraction in [0, 0.5) of outcomes to flip; got {noise!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number, 0 or more; got {seed!r:.40}")
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


def _describe(name: str) -> tuple[str, str | None]:
    """The file's state for ``list`` ("ok", "missing", "UNREADABLE", "CORRUPT") and the problem."""
    path = data_dir() / name
    try:
        if not _check_readable(name, path):
            return "missing", None
        verify(name, path)
    except UnreadableDatasetError as error:
        return "UNREADABLE", str(error)
    except CorruptDatasetError as error:
        return "CORRUPT", str(error)
    return "ok", None


# What a browser or a file manager adds to the name of a second copy: "titanic (1).csv".
_COPY_SUFFIX = re.compile(r"\s*\(\d+\)(?=\.[^.]+$)")


def _other_files(folder: Path) -> list[tuple[str, str, str]]:
    """The files of the data folder that are not the book's datasets: (name, state, note) each.

    Only this module's own interrupted copies (``.NAME.XXXXXXXX.partial``) are called so; a file
    named as pooch names an unfinished download (``tmp`` and 8 characters) may be anyone's.
    """
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    known = {name.lower(): name for name in REGISTRY}
    found = []
    for name in names:
        partial = _PARTIAL.fullmatch(name)
        if name in REGISTRY or (name.startswith(".") and not partial):
            continue
        if partial and partial["name"] in REGISTRY:
            found.append((name, "leftover", "an interrupted copy; the next `make data` removes it"))
        elif _POOCH_TEMPORARY.fullmatch(name):
            found.append(
                (
                    name,
                    "unknown",
                    "not a dataset; older helpers left unfinished downloads under "
                    "such names: delete it if it is not yours and no download is running",
                )
            )
        elif _COPY_SUFFIX.sub("", name).lower() in known:  # "Titanic.CSV", "titanic (1).csv"
            meant = known[_COPY_SUFFIX.sub("", name).lower()]
            found.append((name, "other", f"not a dataset's name: is it {meant}? rename it so"))
        else:
            found.append((name, "other", "not one of the book's datasets (left alone)"))
    return found


def _make_readable(path: Path) -> bool:
    """Give every user read access to a data file this user owns; True if its mode changed."""
    info = path.stat()
    if info.st_uid != getattr(os, "getuid", lambda: -1)() or info.st_mode & 0o444 == 0o444:
        return False
    os.chmod(path, stat.S_IMODE(info.st_mode) | 0o444)
    return True


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.datasets fetch [NAME ...]`` or ``python -m helpers.datasets list``."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m helpers.datasets", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    fetch_cmd = commands.add_parser("fetch", help="download and verify datasets")
    fetch_cmd.add_argument("names", nargs="*", metavar="NAME", help="default: every dataset")
    commands.add_parser("list", help="show every dataset and whether it is present and verified")
    args = parser.parse_args(argv)

    try:
        folder = data_dir()
    except DataFolderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"data folder: {folder}  (set {ENV_VAR} to change it)")
    if args.command == "list":
        problems = []
        for name, entry in REGISTRY.items():
            state, problem = _describe(name)
            print(f"  {name:<24} {state:<10} {entry.description}")
            if state != "ok":
                problems.append(
                    problem or f"{folder / name}: missing; run `make data` to download it"
                )
        for name, state, note in _other_files(folder):
            print(f"  {name:<24} {state:<10} {note}")
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    failures = 0
    for name in args.names or list(REGISTRY):
        try:
            path = fetch(name, progressbar=sys.stderr.isatty())
            note = "  (now readable by every user)" if _make_readable(path) else ""
            print(f"  {name:<24} ok  {path}{note}")
        except (KeyError, DatasetNotAvailableError, CorruptDatasetError) as error:
            failures += 1
            reason = error.args[0] if isinstance(error, KeyError) else error  # no quotes around it
            print(f"  {name:<24} FAILED: {reason}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
