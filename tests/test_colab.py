"""Colab readiness: the setup cell, run as on Colab, adds the helpers and leaves TensorFlow alone.

Colab cannot be reached from a test, so it is simulated twice:

- Against this project's own environment: ``google.colab`` is made importable before the setup
  cell runs, and the cell's ``%pip install`` of the repository is pointed at this checkout with
  ``--dry-run --report``, so pip resolves what Colab's pip would against an environment that already
  has TensorFlow, Keras and NumPy, without changing it. Then the rest of the chapter runs.
- Against the packages Colab itself ships, pinned in ``tests/data/colab-packages.txt`` (a dated
  ``pip freeze`` of Colab's runtime): an empty environment is given those packages' metadata, as
  if installed, and pip is asked, for Colab's Python, what installing the helpers there would
  install or change. Only the package index is reached, for the metadata of what pip considers.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tools.chapters import book, model
from tools.running.kernel import execute

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

CHAPTER = "notebooks/01-artificial-neuron.ipynb"  # the quickest chapter


def test_setup_cell_on_colab_installs_only_the_helpers_and_the_chapter_runs(tmp_path, root):
    nb = nbformat.read(root / CHAPTER, as_version=4)
    setup = next(cell for cell in nb.cells if cell.id == model.SETUP_ID)
    branch = book.repository(root).branch
    colab_install = (
        f'%pip install -q "nnbook @ git+{{BOOK_REPOSITORY}}@{branch}" "tensorflow=={{TF}}"'
    )
    assert colab_install in setup.source

    report = tmp_path / "pip-report.json"
    setup.source = setup.source.replace(  # Colab's TensorFlow pinned, as the cell pins it
        colab_install,
        f'%pip install -q --dry-run --report "{report}" "nnbook @ {root.as_uri()}" '
        '"tensorflow=={TF}"',
    )
    pretend_colab = nbformat.v4.new_code_cell(
        'import sys, types\nsys.modules["google.colab"] = types.ModuleType("google.colab")'
    )
    nb.cells.insert(0, pretend_colab)
    execute(nb, root / "notebooks")  # raises CellExecutionError if any cell of the chapter fails

    to_install = sorted(
        item["metadata"]["name"] for item in json.loads(report.read_text())["install"]
    )
    assert to_install == ["nnbook"], f"on Colab, pip would also install {to_install}"


# --- the setup cell's Colab part, on the runtimes it may meet ---------------------------------------


class PretendShell:
    """What the setup cell's ``%pip`` lines reach on Colab: records each, installs nothing."""

    def __init__(self):
        self.pip: list[str] = []

    def run_line_magic(self, name, line, _stack_depth=1):
        frame = sys._getframe(_stack_depth)
        self.pip.append(line.format(**{**frame.f_globals, **frame.f_locals}))


def run_colab_part(root, monkeypatch, tensorflow: str | None, installed: bool = True):
    """Run the Colab part of chapter 1's setup cell (up to `import matplotlib`) as on a Colab
    runtime with TensorFlow ``tensorflow`` (None: a TPU runtime, without it); ``installed``: whether
    the helpers are importable after pip. Returns the %pip lines it ran."""
    from importlib import metadata

    from IPython.core.inputtransformer2 import TransformerManager

    nb = nbformat.read(root / CHAPTER, as_version=4)
    setup = next(cell for cell in nb.cells if cell.id == model.SETUP_ID).source
    colab_part = setup.split("\nimport matplotlib")[0]
    real_version = metadata.version

    def version(name):
        if name != "tensorflow":
            return real_version(name)
        if tensorflow is None:
            raise metadata.PackageNotFoundError(name)
        return tensorflow

    monkeypatch.setattr(metadata, "version", version)
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    if not installed:
        monkeypatch.setitem(sys.modules, "helpers", None)  # find_spec finds nothing
    shell = PretendShell()
    code = TransformerManager().transform_cell(colab_part)
    exec(compile(code, "setup", "exec"), {"get_ipython": lambda: shell})
    return shell.pip


def test_on_colab_the_install_keeps_the_runtimes_tensorflow(root, monkeypatch):
    """Pinned to the runtime's own version: pip cannot upgrade it (and Keras with it) quietly."""
    branch = book.repository(root).branch
    pip = run_colab_part(root, monkeypatch, tensorflow="2.20.0")
    assert pip == [
        f'install -q "nnbook @ git+{book.repository(root).url}@{branch}" "tensorflow==2.20.0"'
    ]


def test_on_a_runtime_without_tensorflow_pip_adds_one(root, monkeypatch):
    pip = run_colab_part(root, monkeypatch, tensorflow=None)  # Colab's TPU runtimes have none
    assert len(pip) == 1 and "tensorflow" not in pip[0]


@pytest.mark.parametrize("old", ["2.15.0", "2.9.3", "1.15.5"])
def test_a_runtime_with_keras_2_is_refused_before_anything_is_installed(root, monkeypatch, old):
    """pip would have upgraded TensorFlow 2.15 to the newest and Keras 2 to 3, with only 'you may
    need to restart'."""
    with pytest.raises(RuntimeError) as raised:
        run_colab_part(root, monkeypatch, tensorflow=old)
    assert str(raised.value) == (
        f"This runtime has TensorFlow {old} with Keras 2; the book needs TensorFlow 2.16+ with "
        "Keras 3: choose Runtime > Change runtime type > Runtime version: Latest, then run this "
        "cell again"
    )


def test_a_failed_install_stops_the_cell_with_one_clear_line(root, monkeypatch):
    """%pip does not raise when pip fails: the next line raised a bare ModuleNotFoundError."""
    with pytest.raises(RuntimeError) as raised:
        run_colab_part(root, monkeypatch, tensorflow="2.20.0", installed=False)
    assert str(raised.value) == (
        "The book's helpers could not be installed (pip says why above): check that the runtime "
        "is online, then run this cell again"
    )


# --- against the packages Colab ships -------------------------------------------------------------

COLAB_SNAPSHOT = Path(__file__).parent / "data" / "colab-packages.txt"
# What the chapters were checked with and Colab's GPU build depends on: never to be changed by the
# helpers' install (a changed TensorFlow or NumPy needs a runtime restart, and may lose the GPU).
PROTECTED = ("tensorflow", "numpy", "pandas")
NETWORK_TROUBLE = (
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "Max retries exceeded",
    "Could not fetch URL",
)


def colab_snapshot(path: Path = COLAB_SNAPSHOT) -> tuple[str, dict[str, str]]:
    """Colab's Python version ("3.12", from the header's ``# python:`` line) and its packages
    {canonical name: version}; a package installed from a URL takes the version in the file name.
    """
    python, pins = None, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if match := re.fullmatch(r"#\s*python:\s*(\d+\.\d+)", line):
            python = match[1]
        if not line or line.startswith("#"):
            continue
        if " @ " in line:  # torch @ https://.../torch-2.10.0%2Bcpu-cp312-...whl
            name, url = line.split(" @ ", 1)
            file = unquote(url.split("#")[0].rsplit("/", 1)[-1])
            if file.endswith(".whl"):
                pins[canonicalize_name(name)] = file.split("-")[1]
            elif file.endswith(".tar.gz"):
                pins[canonicalize_name(name)] = file[: -len(".tar.gz")].rsplit("-", 1)[1]
            continue  # a git checkout: no version to pin
        name, version = line.split("==")
        pins[canonicalize_name(name)] = version
    assert python, f"{path.name}: no '# python: 3.NN' line in its header"
    return python, pins


def pretend_installed(pins: dict[str, str], env: Path) -> Path:
    """An environment whose only contents are the metadata of ``pins``: pip takes them as installed."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    site_packages = (
        next(env.glob("lib/python*/site-packages"), None) or env / "Lib" / "site-packages"
    )
    for name, version in pins.items():
        info = site_packages / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        (info / "INSTALLER").write_text("pip\n")
        (info / "RECORD").write_text("")
    return next(p for p in (env / "bin" / "python", env / "Scripts" / "python.exe") if p.exists())


def helpers_wheel(root: Path, folder: Path) -> Path:
    """The helpers as Colab's pip would build them from the repository (built off a copy: no
    build files are written into the checkout)."""
    source = folder / "nnbook"
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, source)
    shutil.copytree(
        root / "helpers", source / "helpers", ignore=shutil.ignore_patterns("__pycache__")
    )
    build = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--quiet",
        "-w",
        str(folder),
        str(source),
    ]
    if (
        subprocess.run(
            [*build, "--no-build-isolation"], capture_output=True, check=False
        ).returncode
        != 0
    ):
        subprocess.run(build, check=True, capture_output=True)  # with setuptools from the index
    return next(folder.glob("nnbook-*.whl"))


def test_installing_the_helpers_on_colab_leaves_tensorflow_numpy_and_pandas_alone(tmp_path, root):
    python, colab = colab_snapshot()
    assert all(name in colab for name in PROTECTED), (
        f"{COLAB_SNAPSHOT.name} lacks one of {PROTECTED}"
    )
    env_python = pretend_installed(colab, tmp_path / "colab")
    wheel = helpers_wheel(root, tmp_path / "wheel")
    report = tmp_path / "pip-report.json"
    pip = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(env_python),
            "install",
            "--dry-run",
            "--quiet",
            "--report",
            str(report),
            "--only-binary=:all:",
            "--python-version",
            python,
            str(wheel),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if pip.returncode != 0 and any(trouble in pip.stderr for trouble in NETWORK_TROUBLE):
        pytest.skip(f"the package index cannot be reached: {pip.stderr.strip().splitlines()[-1]}")
    assert pip.returncode == 0, (
        f"on Colab (Python {python}), pip could not install the helpers:\n{pip.stderr}"
    )

    to_install = {
        canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
        for item in json.loads(report.read_text())["install"]
    }
    changes = {
        name: f"{colab.get(name, 'not installed')} -> {version}"
        for name, version in to_install.items()
        if name != "nnbook"
    }
    assert "nnbook" in to_install
    touched = {name: changes[name] for name in PROTECTED if name in changes}
    assert not touched, f"installing the helpers on Colab would change {touched}"
    # Anything else may change only where the book itself asks for a newer version than Colab's
    # (a deliberate floor, such as Keras's past its security fixes), never as a side effect.
    requires = tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]
    demanded = {
        canonicalize_name(req.name)
        for req in map(Requirement, requires)
        if canonicalize_name(req.name) in colab
        and not req.specifier.contains(colab[canonicalize_name(req.name)], prereleases=True)
    }
    side_effects = {name: change for name, change in changes.items() if name not in demanded}
    assert not side_effects, (
        f"installing the helpers on Colab would also install or change {side_effects}"
    )
