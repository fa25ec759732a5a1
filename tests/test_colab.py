"""Colab readiness: the setup cell, run as on Colab, adds the helpers and leaves TensorFlow alone.

Colab cannot be reached from a test, so it is simulated: ``google.colab`` is made importable before
the setup cell runs, and the cell's ``%pip install`` of the repository is pointed at this checkout
with ``--dry-run --report``, so pip resolves exactly what Colab's pip would against an environment
that already has TensorFlow, Keras and NumPy, and says what it would install, without changing
the test environment. Then the rest of the chapter runs.
"""

from __future__ import annotations

import json

import nbformat

from tools import book
from tools.execute import execute

CHAPTER = "notebooks/01-artificial-neuron.ipynb"  # the quickest chapter


def test_setup_cell_on_colab_installs_only_the_helpers_and_the_chapter_runs(tmp_path, root):
    nb = nbformat.read(root / CHAPTER, as_version=4)
    setup = next(cell for cell in nb.cells if cell.id == book.SETUP_ID)
    branch = book.repository(root).branch
    colab_install = f'%pip install --quiet "nnbook @ git+{{BOOK_REPOSITORY}}@{branch}"'
    assert colab_install in setup.source

    report = tmp_path / "pip-report.json"
    setup.source = setup.source.replace(
        colab_install, f'%pip install --quiet --dry-run --report "{report}" "nnbook @ {root.as_uri()}"'
    )
    pretend_colab = nbformat.v4.new_code_cell(
        'import sys, types\nsys.modules["google.colab"] = types.ModuleType("google.colab")'
    )
    nb.cells.insert(0, pretend_colab)
    execute(nb, root / "notebooks")  # raises CellExecutionError if any cell of the chapter fails

    to_install = sorted(item["metadata"]["name"] for item in json.loads(report.read_text())["install"])
    assert to_install == ["nnbook"], f"on Colab, pip would also install {to_install}"
