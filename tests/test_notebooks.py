"""Notebook hygiene: clean sources, a table of contents that matches, badges and setup cells in sync."""

from __future__ import annotations

import shutil

import nbformat
import pytest
import yaml

from tools import sync_notebooks
from tools.sync_notebooks import chapter_notebooks, out_of_sync, toc_files

NOTEBOOKS = chapter_notebooks()


def test_there_are_chapter_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb file"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    dirty = [
        i for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs or execution counts; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_title_badge_and_setup(path):
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].source.startswith("# ") and cells[0].source.count("\n# ") == 0
    assert cells[1].id == sync_notebooks.BADGE_ID
    assert [c.id for c in cells].count(sync_notebooks.SETUP_ID) == 1


def test_every_notebook_is_in_the_toc_and_every_toc_entry_exists(root):
    listed = toc_files(root)
    notebooks = {p.relative_to(root).with_suffix("").as_posix() for p in NOTEBOOKS}
    assert notebooks - set(listed) == set(), "notebooks missing from _toc.yml"
    missing = [f for f in listed if not any((root / f).with_suffix(s).exists() for s in (".md", ".ipynb"))]
    assert missing == [], "_toc.yml entries with no file"


def test_badges_and_setup_cells_match_the_config(root):
    stale = out_of_sync(root)
    assert stale == [], f"out of sync with _config.yml, run `make sync`: {[p.name for p in stale]}"


def test_changing_the_repository_url_needs_a_sync(tmp_path, root):
    """Change the address in a copy of the book: the check fails, `make sync` fixes every notebook."""
    shutil.copytree(root / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    config = (root / "_config.yml").read_text(encoding="utf-8")
    old = yaml.safe_load(config)["repository"]["url"]
    new = "https://github.com/example-org/another-book"
    (tmp_path / "_config.yml").write_text(config.replace(old, new), encoding="utf-8")

    assert len(out_of_sync(tmp_path)) == len(NOTEBOOKS)
    out_of_sync(tmp_path, write=True)
    assert out_of_sync(tmp_path) == []
    for path in chapter_notebooks(tmp_path):
        cells = {c.id: c.source for c in nbformat.read(path, as_version=4).cells}
        expected = f"https://colab.research.google.com/github/example-org/another-book/blob/main/notebooks/{path.name}"
        assert f"]({expected})" in cells[sync_notebooks.BADGE_ID]
        assert f'BOOK_REPOSITORY = "{new}"' in cells[sync_notebooks.SETUP_ID]
        assert '"nnbook @ git+{BOOK_REPOSITORY}@main"' in cells[sync_notebooks.SETUP_ID]
        assert old not in cells[sync_notebooks.BADGE_ID] + cells[sync_notebooks.SETUP_ID]


def test_sync_refuses_a_notebook_without_a_title(tmp_path, root):
    (tmp_path / "notebooks").mkdir()
    shutil.copy(root / "_config.yml", tmp_path / "_config.yml")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Some text, no title")])
    nbformat.write(nb, tmp_path / "notebooks" / "99-untitled.ipynb")
    with pytest.raises(ValueError, match=r"99-untitled.ipynb: the first cell must be markdown starting with an H1"):
        out_of_sync(tmp_path)


def test_config_with_a_bad_repository_url_is_refused(tmp_path):
    (tmp_path / "_config.yml").write_text("repository:\n  url: github.com/only-owner\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"must look like https://github.com/OWNER/REPO, got 'github.com/only-owner'"):
        sync_notebooks.load_repository(tmp_path / "_config.yml")
