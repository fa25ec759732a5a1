"""tools.running.kernel: the one way tools and tests run a notebook, configured for a seed, with every failure read."""

from __future__ import annotations

import nbclient
import nbformat
import pytest

from tools.chapters import book, model
from tools.chapters.book import BookError
from tools.running.kernel import RunConfig, configure, execute, failures


def test_cell_timeout_is_the_book_builds(root):
    assert book.cell_timeout(root) == 600


@pytest.mark.parametrize("value", ["0", "'ten'", "-5", "true"])
def test_a_bad_timeout_is_refused(tmp_path, value):
    (tmp_path / "_config.yml").write_text(f"execute:\n  timeout: {value}\n")
    with pytest.raises(BookError, match="execute.timeout must be a positive number of seconds"):
        book.cell_timeout(tmp_path)


def test_execute_runs_in_the_folder_and_reports_the_failing_cell(tmp_path):
    (tmp_path / "data.txt").write_text("42")
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("print(open('data.txt').read())")]
    )
    assert execute(nb, tmp_path).cells[0].outputs[0]["text"] == "42\n"

    failing = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="ZeroDivisionError"):
        execute(failing, tmp_path)


def test_with_errors_allowed_every_cell_runs_and_each_failure_names_its_assertion(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("x = 0.71"),
            nbformat.v4.new_code_cell(
                "# @title checks\nassert x > 0.5\nassert 0.75 <= x <= 0.8, x",
                metadata={"tags": ["check"]},
            ),
            nbformat.v4.new_code_cell("y = x * 2"),
            nbformat.v4.new_code_cell("undefined_name"),
        ]
    )
    execute(nb, tmp_path, allow_errors=True)
    assert nb.cells[2].execution_count is not None  # ran after the failing check
    found = failures(nb)
    assert [(f.index, f.role) for f in found] == [(1, "check"), (3, "lesson")]
    assert (
        found[0].line == "assert 0.75 <= x <= 0.8, x" and found[0].error == "AssertionError: 0.71"
    )
    assert (
        found[0].describe() == "cell 1 (check): assert 0.75 <= x <= 0.8, x  [AssertionError: 0.71]"
    )
    assert found[1].error.startswith("NameError: name 'undefined_name' is not defined")


def _setup_notebook(source: str):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source, id=model.SETUP_ID)])


def test_configure_sets_the_seed_and_the_solutions_and_nothing_else():
    source = "import keras\nSEED = 42\nRUN_SOLUTIONS = False  # True: ...\nkeras.utils.set_random_seed(SEED)"
    nb = configure(_setup_notebook(source), RunConfig(seed=7, run_solutions=True))
    assert (
        nb.cells[0].source
        == "import keras\nSEED = 7\nRUN_SOLUTIONS = True  # True: ...\nkeras.utils.set_random_seed(SEED)"
    )
    assert RunConfig(7, False).name == "seed-7-no-solutions" and RunConfig().name == "seed-42"


@pytest.mark.parametrize(
    "source",
    [
        "SEED = 42\nSEED = 43\nRUN_SOLUTIONS = False",
        "RUN_SOLUTIONS = False",
        "SEED = 42",
        "seed = 42\nRUN_SOLUTIONS = False",
    ],
)
def test_configure_refuses_a_setup_cell_it_cannot_set(source):
    with pytest.raises(
        BookError, match="must set `(SEED|RUN_SOLUTIONS)` exactly once; run `make sync`"
    ):
        configure(_setup_notebook(source), RunConfig())


def test_configure_needs_the_setup_cell():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("SEED = 42")])
    with pytest.raises(BookError, match="expected one setup cell"):
        configure(nb, RunConfig(), "99-x.ipynb")
