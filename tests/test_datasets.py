"""helpers.datasets: every registered file verifies, bad copies are refused, and errors say how to fix."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import hashlib
import http.server
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from helpers import datasets
from helpers.datasets import CorruptDatasetError, DatasetNotAvailableError

_CONFIGURED_DATA = os.environ.get("NNBOOK_DATA")  # read before any test changes it


@functools.cache
def good_copy(name: str) -> Path:
    """A verified copy from the configured data folder (the offline mirror in CI)."""
    with pytest.MonkeyPatch.context() as patch:
        if _CONFIGURED_DATA:
            patch.setenv("NNBOOK_DATA", _CONFIGURED_DATA)
        else:
            patch.delenv("NNBOOK_DATA", raising=False)
        return datasets.fetch(name)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture
def data_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("NNBOOK_DATA", str(folder))
    return folder


@pytest.fixture
def unreachable(monkeypatch):
    """Point every registry URL at a closed port on this machine: a download attempt fails at once."""
    for name, entry in list(datasets.REGISTRY.items()):
        monkeypatch.setitem(
            datasets.REGISTRY, name, dataclasses.replace(entry, url=f"http://127.0.0.1:9/{name}")
        )


# --- the real files -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(datasets.REGISTRY))
def test_every_registered_file_verifies(name):
    path = good_copy(name)
    datasets.verify(name, path)  # raises if the registry's hashes do not describe the real file
    assert path.stat().st_size > 0


def test_loaders_return_the_documented_tables():
    titanic = datasets.load_titanic()
    assert titanic.shape == (891, 12)
    assert int(titanic["Survived"].sum()) == 342
    churn = datasets.load_churn()
    assert churn.shape == (10000, 14)
    assert churn["Exited"].mean() == pytest.approx(0.2037)
    houses = datasets.load_house_prices()
    assert houses.shape == (1460, 81)
    assert houses["SalePrice"].mean() == pytest.approx(180921.20, abs=0.01)


def test_load_mnist_matches_the_keras_layout():
    (x_train, y_train), (x_test, y_test) = datasets.load_mnist()
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == (
        (60000, 28, 28),
        (60000,),
        (10000, 28, 28),
        (10000,),
    )
    assert x_train.dtype == y_train.dtype == np.uint8
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_mnist_with_other_zip_bytes_but_the_same_arrays_is_accepted(data_folder):
    with np.load(good_copy("mnist.npz")) as f:
        arrays = {key: f[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    np.savez(data_folder / "mnist.npz", **arrays)  # uncompressed: a different file hash
    assert hashlib.sha256((data_folder / "mnist.npz").read_bytes()).hexdigest() not in (
        datasets.REGISTRY["mnist.npz"].sha256,
        *datasets.REGISTRY["mnist.npz"].also_accepted,
    )
    (x_train, _), _ = datasets.load_mnist()
    assert x_train.shape == (60000, 28, 28)


# --- bad copies are refused and left alone ----------------------------------------------------------


def test_corrupted_file_is_refused_and_left_untouched(data_folder):
    bad = bytearray(good_copy("titanic.csv").read_bytes())
    bad[100] ^= 0xFF
    (data_folder / "titanic.csv").write_bytes(bytes(bad))
    before = snapshot(data_folder)
    with pytest.raises(
        CorruptDatasetError, match=r"corrupt or truncated.*expected sha256 4a437fde.*got sha256"
    ):
        datasets.load_titanic()
    assert snapshot(data_folder) == before


@pytest.mark.parametrize("name", ["Churn_Modelling.csv", "mnist.npz"])
def test_truncated_file_is_refused_and_left_untouched(data_folder, name):
    full = good_copy(name).read_bytes()
    (data_folder / name).write_bytes(full[: len(full) // 2])
    before = snapshot(data_folder)
    with pytest.raises(CorruptDatasetError, match=rf"{len(full) // 2:,} bytes"):
        datasets.fetch(name)
    assert snapshot(data_folder) == before


def test_mnist_with_different_arrays_is_refused(data_folder):
    with np.load(good_copy("mnist.npz")) as f:
        arrays = {key: f[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    arrays["y_test"] = arrays["y_test"].copy()
    arrays["y_test"][0] = (arrays["y_test"][0] + 1) % 10  # one wrong label
    np.savez_compressed(data_folder / "mnist.npz", **arrays)
    with pytest.raises(CorruptDatasetError):
        datasets.load_mnist()


# --- missing files ---------------------------------------------------------------------------------


def test_missing_file_without_network_says_how_to_fix(data_folder, unreachable):
    with pytest.raises(DatasetNotAvailableError) as raised:
        datasets.load_titanic()
    message = str(raised.value)
    assert "titanic.csv is not in the data folder" in message
    assert "NNBOOK_DATA" in message and "make data" in message
    assert list(data_folder.iterdir()) == []  # no partial download left behind


def test_missing_file_in_read_only_folder_is_not_downloaded(data_folder, monkeypatch):
    monkeypatch.setattr(datasets.os, "access", lambda path, mode, **kwargs: False)
    with pytest.raises(DatasetNotAvailableError, match="read-only.*NNBOOK_DATA"):
        datasets.fetch("titanic.csv")


class _OneFileHandler(http.server.BaseHTTPRequestHandler):
    payload = b""

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.payload)))
        self.end_headers()
        self.wfile.write(self.payload)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def local_server(monkeypatch):
    """Serve one payload on 127.0.0.1 and point titanic.csv's URL at it."""
    handler = type("Handler", (_OneFileHandler,), {})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    entry = datasets.REGISTRY["titanic.csv"]
    monkeypatch.setitem(
        datasets.REGISTRY,
        "titanic.csv",
        dataclasses.replace(entry, url=f"http://127.0.0.1:{server.server_port}/titanic.csv"),
    )
    yield handler
    server.shutdown()


def test_download_is_verified_then_kept(data_folder, local_server):
    local_server.payload = good_copy("titanic.csv").read_bytes()
    assert datasets.load_titanic().shape == (891, 12)
    assert (data_folder / "titanic.csv").read_bytes() == local_server.payload


def test_bad_download_is_discarded(data_folder, local_server):
    local_server.payload = good_copy("titanic.csv").read_bytes()[:1000]
    with pytest.raises(CorruptDatasetError, match="did not match its checksum"):
        datasets.fetch("titanic.csv")
    assert list(data_folder.iterdir()) == []


# --- configuration and command line -----------------------------------------------------------------


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(
        KeyError, match=r"unknown dataset 'titanic'.*expected one of:.*titanic\.csv"
    ):
        datasets.fetch("titanic")


def test_a_relative_data_folder_is_refused_as_two_folders(monkeypatch, tmp_path, capsys):
    """Relative to the book's folder for make, to notebooks/ for a chapter: two folders, one name."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NNBOOK_DATA", "some/folder")
    with pytest.raises(datasets.DataFolderError) as raised:
        datasets.data_dir()
    assert str(raised.value) == (
        "NNBOOK_DATA=some/folder is a relative path, which names another folder from each place a "
        "program starts (the chapters run in notebooks/, make and the tools in the book's "
        f"folder); give the full path, such as {tmp_path / 'some' / 'folder'}"
    )
    assert datasets.main(["list"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    monkeypatch.setenv("NNBOOK_DATA", "~/some/folder")  # a home folder is a full path
    assert datasets.data_dir() == Path.home() / "some" / "folder"


def test_command_line_lists_and_fetches(capsys):
    assert datasets.main(["list"]) == 0
    listing = capsys.readouterr().out
    assert all(f"{name}" in listing for name in datasets.REGISTRY)
    assert datasets.main(["fetch", "titanic.csv"]) == 0
    assert "titanic.csv" in capsys.readouterr().out


def test_command_line_names_an_unknown_dataset_without_quotes(capsys):
    assert datasets.main(["fetch", "titanic"]) == 1
    err = capsys.readouterr().err
    assert "FAILED: unknown dataset 'titanic'; expected one of: " in err
    assert 'FAILED: "unknown' not in err  # str(KeyError) wrapped the message in quotes


def test_command_line_fetch_reports_failures(data_folder, unreachable, capsys):
    shutil.copy(good_copy("titanic.csv"), data_folder / "titanic.csv")
    assert datasets.main(["fetch", "titanic.csv", "Churn_Modelling.csv"]) == 1
    captured = capsys.readouterr()
    assert "titanic.csv" in captured.out and "ok" in captured.out
    assert "Churn_Modelling.csv" in captured.err and "FAILED" in captured.err


# --- the synthetic loan applications ------------------------------------------------------------


def test_loan_applications_follow_the_documented_rule_plus_noise():
    loans = datasets.make_loan_applications(10_000, seed=3, noise=0.07)
    assert list(loans.columns) == ["age", "area", "application_outcome"]
    assert loans["age"].between(18, 75).all()
    assert set(loans["area"]) == {"rural", "urban"}
    limit = np.where(loans["area"] == "urban", 55, 45)
    rule_says_approved = loans["age"].to_numpy() <= limit
    agreement = (rule_says_approved == (loans["application_outcome"] == "approved")).mean()
    assert agreement == pytest.approx(0.93, abs=0.01)  # 7 % of outcomes flipped


def test_loan_applications_are_learnable_to_about_90_percent():
    from sklearn.model_selection import train_test_split
    from sklearn.tree import DecisionTreeClassifier

    loans = datasets.make_loan_applications(seed=0)
    X = np.column_stack([loans["age"], loans["area"] == "urban"])
    y = loans["application_outcome"] == "rejected"
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.1, random_state=0)
    accuracy = (
        DecisionTreeClassifier(max_depth=3, random_state=0)
        .fit(X_train, y_train)
        .score(X_val, y_val)
    )
    assert 0.88 <= accuracy <= 0.95


def test_loan_applications_are_reproducible_and_seeded():
    assert datasets.make_loan_applications(500, seed=1).equals(
        datasets.make_loan_applications(500, seed=1)
    )
    assert not datasets.make_loan_applications(500, seed=1).equals(
        datasets.make_loan_applications(500, seed=2)
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, r"n must be a whole number of applications, at least 1; got 0"),
        ({"n": 2.5}, r"at least 1; got 2.5"),
        ({"noise": 0.5}, r"noise must be a fraction in \[0, 0.5\) of outcomes to flip; got 0.5"),
        ({"noise": -0.1}, r"got -0.1"),
        ({"noise": "0.1"}, r"noise must be a number, a fraction in \[0, 0.5\) .*; got str '0.1'"),
        ({"seed": "abc"}, r"seed must be a whole number, 0 or more; got 'abc'"),  # NumPy's words
        ({"seed": -1}, r"seed must be a whole number, 0 or more; got -1"),  # "non-negative integer"
    ],
)
def test_loan_applications_refuse_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.make_loan_applications(**kwargs)


# --- a folder shared between users (issue 16) -------------------------------------------------------


@pytest.fixture
def shared_folder(monkeypatch) -> Path:
    """A data folder every user can reach, as a teacher's shared folder is (tmp_path is 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="nnbook-shared-"))
    folder.chmod(0o755)
    if any(not parent.stat().st_mode & stat.S_IXOTH for parent in folder.parents):
        shutil.rmtree(folder)
        pytest.skip(
            f"{tempfile.gettempdir()} is not reachable by other users, so no folder in it can be shared"
        )
    monkeypatch.setenv("NNBOOK_DATA", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def as_another_user():
    """Run the body as user `nobody`, as a student on the teacher's machine would.

    Only root can switch, and the tests often run as root (in CI too): then the effective user is
    lowered for the body and restored after. As any other user, the body runs as that user, who is
    already "another user" for a file whose read permission it removes from itself.
    """
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def unreadable_for_another_user(path: Path) -> None:
    path.chmod(0o600 if os.geteuid() == 0 else 0o000)


@pytest.fixture
def private_umask():
    """The strictest umask a teacher might have: new files readable by their owner only."""
    previous = os.umask(0o077)
    yield
    os.umask(previous)


def test_download_is_readable_by_every_user_whatever_the_umask(
    shared_folder, local_server, private_umask
):
    local_server.payload = good_copy("titanic.csv").read_bytes()
    path = datasets.fetch("titanic.csv")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # pooch's temporary file was 0600
    with as_another_user():
        assert datasets.load_titanic().shape == (891, 12)


def test_download_from_a_scratch_folder_on_another_disk_is_copied_in_whole(
    shared_folder, local_server, private_umask, monkeypatch
):
    real_replace = os.replace

    def across_disks(source, target):
        if "nnbook-download-" in str(source):  # from the scratch folder: another file system
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(source))
        real_replace(source, target)

    monkeypatch.setattr(datasets.os, "replace", across_disks)
    local_server.payload = good_copy("titanic.csv").read_bytes()
    path = datasets.fetch("titanic.csv")
    assert [p.name for p in shared_folder.iterdir()] == ["titanic.csv"]  # no partial copy left
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_bytes() == local_server.payload


def test_an_unreadable_file_is_named_with_the_fix(shared_folder, capsys):
    path = shared_folder / "titanic.csv"
    shutil.copy(good_copy("titanic.csv"), path)
    unreadable_for_another_user(path)
    with as_another_user():
        with pytest.raises(datasets.UnreadableDatasetError) as raised:
            datasets.load_titanic()
        status = datasets.main(["list"])
    message = str(raised.value)
    assert message.startswith(f"{path} cannot be read by this user (permission denied")
    assert f"chmod -R a+rX {shared_folder}" in message and "NNBOOK_DATA" in message
    assert "\n" not in message
    listing = capsys.readouterr()
    assert status == 1
    assert re.search(r"titanic\.csv\s+UNREADABLE", listing.out)
    assert message in listing.err and "Traceback" not in listing.err


def test_make_data_makes_an_older_private_copy_readable_by_every_user(shared_folder, capsys):
    path = shared_folder / "titanic.csv"
    shutil.copy(good_copy("titanic.csv"), path)
    path.chmod(0o600)  # as the helpers before this fix left a download
    assert datasets.main(["fetch", "titanic.csv"]) == 0
    assert "now readable by every user" in capsys.readouterr().out
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


# --- MNIST: the bytes and the layout the chapters rely on ---------------------------------------------


def mnist_arrays() -> dict[str, np.ndarray]:
    with np.load(good_copy("mnist.npz")) as f:
        return {key: f[key] for key in ("x_train", "y_train", "x_test", "y_test")}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda a: {**a, "x_train": a["x_train"].reshape(60000, 784)},
            "x_train is uint8 (60000, 784), expected uint8 (60000, 28, 28)",
        ),
        (
            lambda a: {**a, "x_test": a["x_test"].view(np.int8)},  # the very same bytes
            "x_test is int8 (10000, 28, 28), expected uint8 (10000, 28, 28)",
        ),
        (
            lambda a: {**a, "y_train": a["y_train"].astype(np.int64)},
            "y_train is int64 (60000,), expected uint8 (60000,)",
        ),
        (lambda a: {k: v for k, v in a.items() if k != "y_test"}, "no array y_test"),
    ],
    ids=["reshaped", "same-bytes-other-dtype", "cast", "missing-array"],
)
def test_mnist_with_the_right_bytes_in_another_layout_is_refused(data_folder, change, expected):
    np.savez(data_folder / "mnist.npz", **change(mnist_arrays()))
    with pytest.raises(CorruptDatasetError) as raised:
        datasets.load_mnist()
    assert expected in str(raised.value) and "make data" in str(raised.value)


# --- a download killed midway ---------------------------------------------------------------------


class _StallingHandler(http.server.BaseHTTPRequestHandler):
    """Sends the headers and the first kilobyte of the file, then nothing until released."""

    payload = b""
    release = threading.Event()

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.payload)))
        self.end_headers()
        self.wfile.write(self.payload[:1024])
        self.wfile.flush()
        self.release.wait(timeout=60)

    def log_message(self, *args):
        pass


def test_a_download_killed_midway_leaves_nothing_in_the_data_folder(data_folder, tmp_path, root):
    handler = type(
        "Handler",
        (_StallingHandler,),
        {"payload": good_copy("titanic.csv").read_bytes(), "release": threading.Event()},
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    scratch = tmp_path / "system-temp"
    scratch.mkdir()
    child = (
        "import dataclasses, sys\n"
        "from helpers import datasets\n"
        "entry = datasets.REGISTRY['titanic.csv']\n"
        "datasets.REGISTRY['titanic.csv'] = dataclasses.replace(entry, url=sys.argv[1])\n"
        "datasets.fetch('titanic.csv')\n"
    )
    url = f"http://127.0.0.1:{server.server_port}/titanic.csv"
    process = subprocess.Popen(
        [sys.executable, "-c", child, url],
        cwd=root,
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not any(
            p.is_file() and p.stat().st_size for p in [*scratch.rglob("*"), *data_folder.iterdir()]
        ):
            assert process.poll() is None, "the download ended instead of stalling"
            assert time.monotonic() < deadline, "the download never started"
            time.sleep(0.1)
        process.kill()  # as a closed laptop lid or a killed kernel would
        process.wait(timeout=30)
    finally:
        handler.release.set()
        server.shutdown()
    assert list(data_folder.iterdir()) == []  # the partial download was outside it


def test_an_interrupted_copy_is_removed_by_the_next_fetch_and_named_by_list(
    data_folder, local_server, capsys
):
    stale = data_folder / ".titanic.csv.a1b2c3d4.partial"  # a copy into the folder cut short
    fresh = data_folder / ".Churn_Modelling.csv.e5f6g7h8.partial"  # another process's, under way
    old_pooch = data_folder / "tmpk2x9_q1z"  # what the helpers before this fix could leave
    for path in (stale, fresh, old_pooch):
        path.write_bytes(b"partial")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    assert datasets.main(["list"]) == 1
    listing = capsys.readouterr().out
    assert all(re.search(rf"{re.escape(p.name)}\s+leftover", listing) for p in (stale, fresh))
    # pooch's name for an unfinished download is also a name anyone may give a file
    assert re.search(
        r"tmpk2x9_q1z\s+unknown\s+not a dataset; .*delete it if it is not yours", listing
    )

    local_server.payload = good_copy("titanic.csv").read_bytes()
    datasets.fetch("titanic.csv")
    assert sorted(p.name for p in data_folder.iterdir()) == sorted(
        [fresh.name, old_pooch.name, "titanic.csv"]
    )


# --- the data folder and each file: one line that says which and what to do ---------------------------


def test_list_exits_non_zero_when_a_file_is_missing_or_corrupt(data_folder, capsys):
    shutil.copy(good_copy("titanic.csv"), data_folder / "titanic.csv")
    bad = bytearray(good_copy("Churn_Modelling.csv").read_bytes())
    bad[10] ^= 0xFF
    (data_folder / "Churn_Modelling.csv").write_bytes(bytes(bad))
    assert datasets.main(["list"]) == 1
    captured = capsys.readouterr()
    assert re.search(r"titanic\.csv\s+ok", captured.out)
    assert re.search(r"Churn_Modelling\.csv\s+CORRUPT", captured.out)
    assert re.search(r"mnist\.npz\s+missing", captured.out)
    assert "mnist.npz: missing; run `make data`" in captured.err
    for name in datasets.REGISTRY:
        shutil.copy(good_copy(name), data_folder / name)
    assert datasets.main(["list"]) == 0


def test_a_data_folder_setting_that_names_a_file_says_so(tmp_path, monkeypatch, capsys):
    a_file = tmp_path / "datasets.zip"
    a_file.write_bytes(b"PK")
    monkeypatch.setenv("NNBOOK_DATA", str(a_file))
    with pytest.raises(
        datasets.DataFolderError, match=rf"{re.escape(str(a_file))} is a file, not a folder"
    ):
        datasets.load_titanic()
    assert datasets.main(["list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: NNBOOK_DATA=") and "is a file, not a folder" in err
    assert err.count("\n") == 1


def test_a_data_folder_below_a_file_cannot_be_created_and_says_so(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("NNBOOK_DATA", str(tmp_path / "a-file" / "data"))
    with pytest.raises(datasets.DataFolderError, match=r"cannot be created \(not a directory\)"):
        datasets.fetch("titanic.csv")


def test_a_data_folder_for_an_unknown_user_says_so(monkeypatch, capsys):
    monkeypatch.setenv("NNBOOK_DATA", "~no-such-user-nnbook/data")
    with pytest.raises(
        datasets.DataFolderError, match=r"~no-such-user-nnbook cannot be expanded.*full path"
    ):
        datasets.data_dir()
    assert datasets.main(["fetch"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_data_folder_that_is_a_symbolic_link_loop_says_so(tmp_path, monkeypatch):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    monkeypatch.setenv("NNBOOK_DATA", str(tmp_path / "a"))
    with pytest.raises(datasets.DataFolderError, match="symbolic link loop"):
        datasets.load_titanic()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            lambda path: path.mkdir(),
            r"is a folder, not the file titanic\.csv; move it away and run `make data`",
        ),
        (
            lambda path: path.symlink_to(path),
            r"is a symbolic link loop .*; delete it and run `make data`",
        ),
        (
            lambda path: path.symlink_to(path.parent / "gone.csv"),
            r"is a symbolic link to .*gone\.csv, which does not exist",
        ),
    ],
    ids=["a-folder", "a-link-loop", "a-dangling-link"],
)
def test_a_data_file_that_cannot_be_a_file_is_named_with_the_fix(
    data_folder, unreachable, make, expected, capsys
):
    path = data_folder / "titanic.csv"
    make(path)
    with pytest.raises(
        datasets.UnreadableDatasetError, match=rf"^{re.escape(str(path))} {expected}"
    ) as raised:
        datasets.load_titanic()
    assert "\n" not in str(raised.value)
    assert datasets.main(["list"]) == 1  # and the listing does not crash on it
    assert re.search(r"titanic\.csv\s+UNREADABLE", capsys.readouterr().out)


def test_list_calls_no_unknown_file_an_interrupted_download(data_folder, capsys):
    """A teacher's own files in the folder are named, never called downloads to delete."""
    for name in ("notes.txt", "tmpdata2026", "Titanic.CSV", "titanic (1).csv"):
        (data_folder / name).write_text("mine")
    before = snapshot(data_folder)
    datasets.main(["list"])
    listing = capsys.readouterr().out
    assert re.search(r"notes\.txt\s+other\s+not one of the book's datasets \(left alone\)", listing)
    assert re.search(r"tmpdata2026\s+unknown\s+.*delete it if it is not yours", listing)
    assert "an interrupted download; delete it" not in listing
    for near in ("Titanic.CSV", "titanic (1).csv"):
        assert re.search(rf"{re.escape(near)}\s+other\s+.*is it titanic\.csv\? rename it", listing)
    assert snapshot(data_folder) == before


def refused_at_once(load, timeout: float = 20.0) -> BaseException:
    """What ``load()`` raised, in a thread that must end within ``timeout`` seconds (a read of a
    named pipe would wait forever; the thread is a daemon, so a hang fails the test, not the run)."""
    outcome: list[BaseException | None] = []

    def run():
        try:
            load()
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 (handed to the test)
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert outcome, f"the loader was still reading after {timeout} s"
    assert outcome[0] is not None, "the loader accepted it"
    return outcome[0]


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda path: os.mkfifo(path), r"a named pipe \(FIFO\)"),
        (lambda path: path.symlink_to("/dev/zero"), "a device"),
    ],
    ids=["a-fifo", "dev-zero"],
)
def test_a_named_pipe_or_a_device_named_like_a_dataset_is_refused_at_once(
    data_folder, make, kind, capsys
):
    path = data_folder / "titanic.csv"
    make(path)
    error = refused_at_once(datasets.load_titanic)
    assert isinstance(error, datasets.UnreadableDatasetError)
    assert re.fullmatch(
        rf"{re.escape(str(path))} is {kind}, not a file, so reading it would never end; move it "
        r"away and run `make data` to download a fresh copy",
        str(error),
    )
    status = []
    thread = threading.Thread(target=lambda: status.append(datasets.main(["list"])), daemon=True)
    thread.start()
    thread.join(20)
    assert status == [1]
    assert re.search(r"titanic\.csv\s+UNREADABLE", capsys.readouterr().out)


def test_folders_made_under_a_private_umask_can_be_entered_by_every_user(
    shared_folder, local_server, private_umask, monkeypatch
):
    """A teacher's `make data` under umask 077 made 0700 folders: students got permission denied."""
    nested = shared_folder / "course" / "data"
    monkeypatch.setenv("NNBOOK_DATA", str(nested))
    local_server.payload = good_copy("titanic.csv").read_bytes()
    datasets.fetch("titanic.csv")
    for folder in (shared_folder / "course", nested):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, folder
    with as_another_user():
        assert datasets.load_titanic().shape == (891, 12)


def test_a_corrupt_file_in_a_read_only_folder_says_whom_to_ask(shared_folder, capsys):
    """'Delete it and run make data' is advice a student cannot follow in a teacher's folder."""
    bad = bytearray(good_copy("titanic.csv").read_bytes())
    bad[100] ^= 0xFF
    path = shared_folder / "titanic.csv"
    path.write_bytes(bytes(bad))
    path.chmod(0o644)
    if os.geteuid() != 0:
        shared_folder.chmod(0o555)  # read-only for this user too
    try:
        with as_another_user():
            with pytest.raises(CorruptDatasetError) as raised:
                datasets.load_titanic()
    finally:
        shared_folder.chmod(0o755)
    message = str(raised.value)
    assert "corrupt or truncated, so it was not used" in message
    assert re.search(
        r"This folder is read-only for you: ask its owner \(user \w+\) to delete titanic\.csv "
        r"and run `make data` again, or set NNBOOK_DATA to a folder of your own and run `make data`$",
        message,
    )
    assert "Delete the file" not in message and "\n" not in message
