"""The reference pages (book/*.md) state what the project's files and the installed libraries do.

- Every "X N or newer" a page states is the floor that pyproject.toml declares for X, so that the
  preface and *Running this book* fail here when either side drifts.
- The glossary's binary step agrees with the book's tested `helpers.activations.binary_step`.
- The claims of *From Keras 2 to Keras 3* about saving weights hold for the installed Keras (the
  page's own code blocks run in tests/test_migration.py; these are the claims its prose makes).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"

#: The names the pages use for a requirement, and its name in pyproject.toml ("python" stands for
#: requires-python).
NAMES = {
    "Python": "python",
    "Keras": "keras",
    "TensorFlow": "tensorflow",
    "scikit-learn": "scikit-learn",
    "NumPy": "numpy",
    "pandas": "pandas",
    "Matplotlib": "matplotlib",
    "matplotlib": "matplotlib",
    "shap": "shap",
}

#: "Keras 3.7 or newer", also across a line break ("scikit-learn 1.6 or\n  newer").
OR_NEWER = re.compile(r"\b([A-Za-z][\w-]*)\s+(\d+(?:\.\d+)*)\s+or\s+newer\b")


def floors() -> dict[str, str]:
    """pyproject.toml's lower bounds, by name: {"keras": "3.12.1", "python": "3.10", ...}."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = {}
    for requirement in project["dependencies"]:
        match = re.fullmatch(
            r"\s*([A-Za-z0-9_.-]+)\s*>=\s*([\d.]+)\s*(?:,[^;]*)?(?:;.*)?", requirement
        )
        if match:
            found[match.group(1).lower()] = match.group(2)
    python = re.fullmatch(r">=\s*([\d.]+)", project["requires-python"].strip())
    if python:
        found["python"] = python.group(1)
    return found


def stated_versions(text: str) -> list[tuple[str, str]]:
    """Every (name, version) that a page states as "name version or newer"."""
    return [(m.group(1), m.group(2)) for m in OR_NEWER.finditer(text)]


def test_stated_versions_parses_wrapped_lines():
    text = "Keras 3.7 or newer, TensorFlow 2.16.1 or newer, scikit-learn 1.6 or\n  newer."
    assert stated_versions(text) == [
        ("Keras", "3.7"),
        ("TensorFlow", "2.16.1"),
        ("scikit-learn", "1.6"),
    ]


def test_pyproject_declares_the_floors_the_pages_name():
    declared = floors()
    for name in ("python", "keras", "tensorflow", "scikit-learn"):
        assert name in declared, f"pyproject.toml declares no lower bound (>=) for {name}"


@pytest.mark.parametrize("page", sorted(BOOK.glob("*.md")), ids=lambda p: p.name)
def test_every_stated_minimum_version_is_pyprojects(page):
    declared = floors()
    wrong = []
    for name, version in stated_versions(page.read_text(encoding="utf-8")):
        if name not in NAMES:
            wrong.append(f"{name} {version}: a name this test does not know (add it to NAMES)")
            continue
        floor = declared.get(NAMES[name])
        if floor is None:
            wrong.append(
                f"{name} {version}: pyproject.toml declares no lower bound for {NAMES[name]}"
            )
        elif version != floor:
            wrong.append(
                f"{name} {version} or newer, but pyproject.toml requires {NAMES[name]}>={floor}"
            )
    assert wrong == [], f"book/{page.name}: " + "; ".join(wrong)


def test_the_preface_states_the_main_minimum_versions():
    stated = {
        NAMES.get(name)
        for name, _ in stated_versions((BOOK / "preface.md").read_text(encoding="utf-8"))
    }
    missing = {"keras", "tensorflow", "scikit-learn"} - stated
    assert missing == set(), (
        f"the preface no longer says which versions it needs of: {sorted(missing)}"
    )


# --------------------------------------------------------------------------- the glossary


def glossary_entry(term: str) -> str:
    """The definition of ``term`` in book/glossary.md (the indented lines under it)."""
    lines = (BOOK / "glossary.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(term) + 1
    body = []
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        body.append(line.strip())
    return " ".join(body)


def test_the_glossarys_binary_step_is_the_books():
    from helpers.activations import binary_step

    entry = glossary_entry("Binary step")
    at_zero = float(binary_step(0.0))
    if at_zero == 1.0:
        assert r"1 when $z \ge 0$" in entry, entry
    else:
        assert r"1 when $z > 0$" in entry, entry
    assert float(binary_step(-1e-9)) == 0.0 and float(binary_step(1e-9)) == 1.0


# --------------------------------------------------------------------------- Keras 2 to Keras 3


def test_k_epsilon_still_exists_in_keras_3():
    import keras

    assert keras.backend.epsilon() == keras.config.epsilon() == 1e-7
    assert not hasattr(keras.backend, "sum")  # the tensor functions moved to keras.ops


def small_model():
    import keras

    return keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )


def test_a_weights_file_holds_one_array_per_variable(tmp_path):
    import h5py

    model = small_model()
    path = tmp_path / "loan.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "r") as f:
        arrays = []
        f.visititems(
            lambda name, item: arrays.append(item.shape) if isinstance(item, h5py.Dataset) else None
        )
    assert len(model.layers) == 3 and len(model.weights) == 6
    assert sorted(arrays) == sorted(tuple(w.shape) for w in model.weights)


def test_sharded_weights_write_a_json_index(tmp_path):
    import inspect

    import keras
    import numpy as np

    model = small_model()
    if "max_shard_size" not in inspect.signature(model.save_weights).parameters:
        pytest.skip(
            f"Keras {keras.__version__} cannot shard weights (the page says newer versions can)"
        )
    index = tmp_path / "loan.weights.json"
    model.save_weights(index, max_shard_size=0.0000005)  # in GB: about 500 bytes per shard
    shards = sorted(p.name for p in tmp_path.glob("loan_*.weights.h5"))
    assert index.exists() and len(shards) >= 2, sorted(p.name for p in tmp_path.iterdir())
    twin = small_model()
    twin.load_weights(index)
    x = np.array([[0.91, 0.0], [0.25, 1.0]])
    np.testing.assert_allclose(twin.predict(x, verbose=0), model.predict(x, verbose=0))
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        model.save_weights(tmp_path / "loan.weights.json")  # without max_shard_size


def test_every_glossary_term_has_its_definition_or_another_name_under_it():
    """Sphinx refuses a term followed by an empty line ("glossary terms must not be separated by
    empty lines"), which make book would only find after every chapter has run."""
    lines = (BOOK / "glossary.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("```{glossary}"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
    orphans = [
        term
        for term, below in zip(lines[start + 1 : end], lines[start + 2 : end + 1])
        if term.strip() and not term.startswith(" ") and not below.strip()
    ]
    assert orphans == [], f"terms without a definition right under them: {orphans}"
