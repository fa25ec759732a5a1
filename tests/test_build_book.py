"""What Jupyter Book is given to build (tools.build_book.stage): `_config.yml` as it is, which says
that Jupyter Book executes nothing, since make book has run every chapter before it builds."""

from __future__ import annotations

import yaml

from tools import book, build_book


def test_the_staged_configuration_is_the_books_and_executes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(build_book, "STAGE", tmp_path / "book-src")
    staged = build_book.stage({})
    config = yaml.safe_load((staged / "_config.yml").read_text(encoding="utf-8"))
    assert config == book.load_config()  # what _config.yml says is what the build does
    assert config["execute"]["execute_notebooks"] == "off"
    assert (staged / "_toc.yml").read_bytes() == (book.ROOT / "_toc.yml").read_bytes()
