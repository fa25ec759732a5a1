"""helpers.datasets: every registered file verifies, bad copies are refused, and errors say how to fix."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import http.server
import os
import shutil
import threading
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
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,)
    )
    assert x_train.dtype == y_train.dtype == np.uint8
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_mnist_with_other_zip_bytes_but_the_same_arrays_is_accepted(data_folder):
    with np.load(good_copy("mnist.npz")) as f:
        arrays = {key: f[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    np.savez(data_folder / "mnist.npz", **arrays)  # uncompressed: a different file hash
    assert hashlib.sha256((data_folder / "mnist.npz").read_bytes()).hexdigest() not in (
        datasets.REGISTRY["mnist.npz"].sha256, *datasets.REGISTRY["mnist.npz"].also_accepted
    )
    (x_train, _), _ = datasets.load_mnist()
    assert x_train.shape == (60000, 28, 28)


# --- bad copies are refused and left alone ----------------------------------------------------------


def test_corrupted_file_is_refused_and_left_untouched(data_folder):
    bad = bytearray(good_copy("titanic.csv").read_bytes())
    bad[100] ^= 0xFF
    (data_folder / "titanic.csv").write_bytes(bytes(bad))
    before = snapshot(data_folder)
    with pytest.raises(CorruptDatasetError, match=r"corrupt or truncated.*expected sha256 4a437fde.*got sha256"):
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
    monkeypatch.setattr(datasets.os, "access", lambda path, mode: False)
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
    with pytest.raises(KeyError, match=r"unknown dataset 'titanic'.*expected one of:.*titanic\.csv"):
        datasets.fetch("titanic")


def test_relative_data_folder_is_made_absolute(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NNBOOK_DATA", "some/folder")
    assert datasets.data_dir() == tmp_path / "some" / "folder"


def test_command_line_lists_and_fetches(capsys):
    assert datasets.main(["list"]) == 0
    listing = capsys.readouterr().out
    assert all(f"{name}" in listing for name in datasets.REGISTRY)
    assert datasets.main(["fetch", "titanic.csv"]) == 0
    assert "titanic.csv" in capsys.readouterr().out


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
    accuracy = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X_train, y_train).score(X_val, y_val)
    assert 0.88 <= accuracy <= 0.95


def test_loan_applications_are_reproducible_and_seeded():
    assert datasets.make_loan_applications(500, seed=1).equals(datasets.make_loan_applications(500, seed=1))
    assert not datasets.make_loan_applications(500, seed=1).equals(datasets.make_loan_applications(500, seed=2))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, r"n must be a whole number of applications, at least 1; got 0"),
        ({"n": 2.5}, r"at least 1; got 2.5"),
        ({"noise": 0.5}, r"noise must be a fraction in \[0, 0.5\) of outcomes to flip; got 0.5"),
        ({"noise": -0.1}, r"got -0.1"),
    ],
)
def test_loan_applications_refuse_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.make_loan_applications(**kwargs)
