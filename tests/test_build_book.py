"""What Jupyter Book is given to build (tools.website.build.stage): `_config.yml` as it is, which says
that Jupyter Book executes nothing, since make book has run every chapter before it builds."""

from __future__ import annotations

import nbformat
import yaml

from tools.chapters import book
from tools.website import build


def test_the_staged_configuration_is_the_books_and_executes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "STAGE", tmp_path / "book-src")
    staged = build.stage({})
    config = yaml.safe_load((staged / "_config.yml").read_text(encoding="utf-8"))
    assert config == book.load_config()  # what _config.yml says is what the build does
    assert config["execute"]["execute_notebooks"] == "off"
    assert (staged / "_toc.yml").read_bytes() == (book.ROOT / "_toc.yml").read_bytes()


def test_the_staged_chapters_keep_their_outputs_but_not_the_test_runs_records(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(build, "STAGE", tmp_path / "book-src")
    path = book.chapter_notebooks()[0]
    executed = nbformat.read(path, as_version=4)
    code = next(i for i, cell in enumerate(executed.cells) if cell.cell_type == "code")
    executed.cells[code].outputs = [nbformat.v4.new_output("stream", text="ran\n")]
    executed.metadata["nnbook"] = {"key": "abc", "checks": [{"exercise": "01.1", "right": True}]}
    staged = nbformat.read(build.stage({path: executed}) / "notebooks" / path.name, as_version=4)
    assert "nnbook" not in staged.metadata
    assert staged.metadata.kernelspec == executed.metadata.kernelspec
    assert [c.source for c in staged.cells] == [c.source for c in executed.cells]
    assert staged.cells[code].outputs == executed.cells[code].outputs
    assert "nnbook" in executed.metadata  # the kept copy itself is not changed
