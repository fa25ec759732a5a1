"""Notebook hygiene: clean sources, a table of contents that matches, shared cells in sync, folds for students."""

from __future__ import annotations

import re
import subprocess
import sys

import nbformat
import pytest
import yaml

from tools.chapters import book, model, sync
from tools.chapters.book import BookError
from tools.chapters.model import Chapter
from tools.chapters.sync import out_of_sync

NOTEBOOKS = book.chapter_notebooks()


def code_cells(path) -> list[model.Cell]:
    return [cell for cell in Chapter.read(path).cells if cell.cell_type == "code"]


def test_there_are_chapter_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb file"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} carry outputs or execution counts; clear them before committing"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_title_badge_and_setup(path):
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].source.startswith("# ") and cells[0].source.count("\n# ") == 0
    assert cells[1].id == model.BADGE_ID
    assert [c.id for c in cells].count(model.SETUP_ID) == 1


def test_every_notebook_is_in_the_toc_and_every_toc_entry_exists(root):
    listed = book.toc_files(root)
    notebooks = {p.relative_to(root).with_suffix("").as_posix() for p in NOTEBOOKS}
    assert notebooks - set(listed) == set(), "notebooks missing from _toc.yml"
    missing = [
        f for f in listed if not any((root / f).with_suffix(s).exists() for s in (".md", ".ipynb"))
    ]
    assert missing == [], "_toc.yml entries with no file"


def test_badges_setup_cells_and_folds_match_the_config(root):
    stale = out_of_sync(root)
    assert stale == [], f"out of sync with _config.yml, run `make sync`: {[p.name for p in stale]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_checks_and_solutions_are_folded_where_students_run_the_chapter(path):
    """JupyterLab and Notebook 7 fold on jupyter.source_hidden; Colab shows a form with its # @title."""
    folded = [cell for cell in code_cells(path) if cell.kind in ("check", "solution")]
    assert folded, f"{path.name} has no check or solution cell"
    for cell in folded:
        metadata = cell.node.metadata
        assert metadata["jupyter"]["source_hidden"] is True, cell.index
        assert metadata["cellView"] == "form" and cell.source.startswith("# @title "), cell.index
    lesson = [
        cell.index
        for cell in code_cells(path)
        if cell.kind not in ("check", "solution") and cell.node.metadata.get("jupyter")
    ]
    assert lesson == [], (
        f"{path.name}: lesson cells {lesson} are folded; only checks and solutions are"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_tag_is_one_the_book_knows(path):
    problems = [
        f"cell {cell.index}: {problem}"
        for cell in Chapter.read(path).cells
        for problem in cell.tag_problems
    ]
    assert problems == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_exercise_has_an_answer_cell_then_one_solution_run_only_when_asked(path):
    cells = code_cells(path)
    answers = [(c.index, e) for c in cells if c.kind == "answer" for e in c.exercise_ids]
    solutions = [(c.index, e) for c in cells if c.kind == "solution" for e in c.exercise_ids]
    assert answers and [e for _, e in answers] == [e for _, e in solutions]
    assert all(answer < solution for (answer, _), (solution, _) in zip(answers, solutions))
    for cell in cells:
        if cell.kind == "solution":
            assert model.solution_body_problem(cell.source) is None, cell.index


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_training_randomness_follows_the_setup_cells_seed(path):
    """Another SEED must change every training run: no cell re-seeds with a number of its own."""
    for cell in code_cells(path):
        if cell.kind != "setup":
            own = model.own_training_seeds(cell.source)
            assert not own, (
                f"{path.name}, cell {cell.index}: {own}; use set_random_seed(SEED) or "
                "random_state=SEED"
            )


def test_badge_is_the_books_own_image_so_it_shows_offline():
    for path in NOTEBOOKS:
        badge = Chapter.read(path).cells[1]
        assert badge.kind == "badge", path.name
        images = model.markdown_images(badge.source)
        assert images and all(image.startswith("data:image/png;base64,") for image in images), (
            path.name
        )


def test_changing_the_repository_url_needs_a_sync(book_copy, root):
    """Change the address in a copy of the book: the check fails, `make sync` fixes every notebook."""
    config = (book_copy / "_config.yml").read_text(encoding="utf-8")
    old = yaml.safe_load(config)["repository"]["url"]
    new = "https://github.com/example-org/another-book"
    (book_copy / "_config.yml").write_text(config.replace(old, new), encoding="utf-8")

    assert len(out_of_sync(book_copy)) == len(NOTEBOOKS)
    out_of_sync(book_copy, write=True)
    assert out_of_sync(book_copy) == []
    for path in book.chapter_notebooks(book_copy):
        cells = {c.id: c.source for c in nbformat.read(path, as_version=4).cells}
        expected = f"https://colab.research.google.com/github/example-org/another-book/blob/main/notebooks/{path.name}"
        assert f"]({expected})" in cells[model.BADGE_ID]
        assert f'BOOK_REPOSITORY = "{new}"' in cells[model.SETUP_ID]
        assert '"nnbook @ git+{BOOK_REPOSITORY}@main"' in cells[model.SETUP_ID]
        assert old not in cells[model.BADGE_ID] + cells[model.SETUP_ID]


def test_a_release_tag_freezes_badges_installs_and_the_config_together(book_copy):
    """make sync REF=v1.0: a notebook of the tag installs the helpers of the same tag, and stays in sync."""
    config = (book_copy / "_config.yml").read_text(encoding="utf-8")
    book.set_config_branch("v1.0", book_copy)
    assert book.repository(book_copy).branch == "v1.0"
    assert (book_copy / "_config.yml").read_text(encoding="utf-8") == config.replace(
        "branch: main", "branch: v1.0"
    )
    out_of_sync(book_copy, write=True)
    assert out_of_sync(book_copy) == []
    for path in book.chapter_notebooks(book_copy):
        cells = {c.id: c.source for c in nbformat.read(path, as_version=4).cells}
        assert '"nnbook @ git+{BOOK_REPOSITORY}@v1.0"' in cells[model.SETUP_ID]
        assert (
            f"/blob/v1.0/notebooks/{path.name}" in cells[model.BADGE_ID]
            and "/blob/main/" not in cells[model.BADGE_ID]
        )


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        (
            "url",
            'https://github.com/owner/repo"; import os; "',
            "repository.url must look like https://github.com/OWNER/REPO",
        ),
        (
            "url",
            "github.com/only-owner",
            "repository.url must look like https://github.com/OWNER/REPO",
        ),
        ("branch", "main; rm -rf ~", "repository.branch must be a branch or tag name"),
        ("branch", "my branch", "repository.branch must be a branch or tag name"),
        ("branch", "'main'\"", "repository.branch must be a branch or tag name"),
    ],
)
def test_an_address_or_branch_that_would_break_the_setup_cell_is_refused_before_anything_is_written(
    book_copy, setting, value, message
):
    config = yaml.safe_load((book_copy / "_config.yml").read_text(encoding="utf-8"))
    config["repository"][setting] = value
    (book_copy / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in book.chapter_notebooks(book_copy)}
    with pytest.raises(BookError, match=re.escape(message)):
        out_of_sync(book_copy, write=True)
    assert {p.name: p.read_bytes() for p in book.chapter_notebooks(book_copy)} == before


def test_sync_refuses_a_notebook_without_a_title(book_copy):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Some text, no title")])
    nbformat.write(nb, book_copy / "notebooks" / "99-untitled.ipynb")
    with pytest.raises(
        BookError, match=r"99-untitled.ipynb: the first cell must be markdown starting with an H1"
    ):
        out_of_sync(book_copy)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a notebook (not JSON)"),
        ("", "not a notebook (not JSON)"),
        (
            '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
            "the notebook has no cells",
        ),
    ],
)
def test_a_broken_notebook_is_named_and_nothing_is_written(book_copy, content, message):
    (book_copy / "notebooks" / "99-broken.ipynb").write_text(content, encoding="utf-8")
    with pytest.raises(BookError, match=r"99-broken.ipynb: " + re.escape(message)):
        out_of_sync(book_copy, write=True)


def test_a_near_miss_tag_is_refused_with_the_right_spelling(book_copy):
    path = book.chapter_notebooks(book_copy)[0]
    nb = nbformat.read(path, as_version=4)
    solution = next(c for c in nb.cells if model.is_solution(c))
    solution.metadata["tags"] = ["Solution", "hide-cell"]
    nbformat.write(nb, path)
    with pytest.raises(
        BookError, match=r"tag 'Solution' is not one the book uses \(did you mean 'solution'\?\)"
    ):
        out_of_sync(book_copy)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a mapping of settings"),
        ("title: [unclosed", "_config.yml: not valid YAML"),
        ("- a list", "expected a mapping"),
    ],
)
def test_an_empty_or_invalid_config_is_named(tmp_path, text, message):
    (tmp_path / "_config.yml").write_text(text, encoding="utf-8")
    with pytest.raises(BookError, match=re.escape(message)):
        book.repository(tmp_path)


def test_sync_command_says_what_is_wrong_in_one_line(book_copy, monkeypatch, capsys):
    (book_copy / "_config.yml").write_text("repository:\n  url: nowhere\n", encoding="utf-8")
    monkeypatch.setattr(book, "ROOT", book_copy)
    assert sync.main(["--check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "repository.url must look like" in err


def test_a_chapter_without_keras_is_spared_tensorflows_import(book_copy):
    """The setup cell imports TensorFlow only where the chapter's code uses Keras or TensorFlow."""
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# A NumPy chapter"),
            nbformat.v4.new_code_cell("import numpy as np\nprint(np.random.rand())"),
        ]
    )
    path = book_copy / "notebooks" / "numpy-only.ipynb"
    repo = book.repository(book_copy)

    def setup_cell_of(nb) -> str:
        cells = sync.synced(nb, repo, path, book_copy).cells
        return next(c.source for c in cells if c.id == model.SETUP_ID)

    numpy_setup = setup_cell_of(nb)
    assert "import tensorflow" not in numpy_setup and "np.random.seed(SEED)" in numpy_setup
    # the same cell, run as a script (the %pip line is Colab's only), leaves TensorFlow unimported
    script = numpy_setup.replace("    %pip install", "    pass  # %pip install")
    script += "\nimport sys\nassert 'tensorflow' not in sys.modules, 'TensorFlow was imported'"
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.startswith("Python ") and "TensorFlow not needed" in run.stdout

    for uses in (
        "model = keras.Sequential()",
        "x = tf.constant(1)",
        "from tensorflow import keras",
    ):
        nb.cells.append(nbformat.v4.new_code_cell(uses))
        setup = setup_cell_of(nb)
        assert "import tensorflow as tf" in setup and "enable_op_determinism" in setup, uses
        nb.cells.pop()

    def code(source):
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])

    # a comment naming keras.Input counts too: better an import too many than one missing
    assert model.uses_tensorflow(code("# see keras.Input"))
    assert not model.uses_tensorflow(code("tfx = 1\nprint(tfx)"))
