"""tools.execute: the one way tools and tests run a notebook, with the book's own cell timeout."""

from __future__ import annotations

import nbclient
import nbformat
import pytest

from tools.execute import cell_timeout, execute


def test_cell_timeout_is_the_book_builds(root):
    assert cell_timeout(root / "_config.yml") == 600


@pytest.mark.parametrize("value", ["0", "'ten'", "-5"])
def test_a_bad_timeout_is_refused(tmp_path, value):
    config = tmp_path / "_config.yml"
    config.write_text(f"execute:\n  timeout: {value}\n")
    with pytest.raises(ValueError, match="execute.timeout must be a positive number of seconds"):
        cell_timeout(config)


def test_execute_runs_in_the_folder_and_reports_the_failing_cell(tmp_path):
    (tmp_path / "data.txt").write_text("42")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(open('data.txt').read())")])
    assert execute(nb, tmp_path).cells[0].outputs[0]["text"] == "42\n"

    failing = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="ZeroDivisionError"):
        execute(failing, tmp_path)
