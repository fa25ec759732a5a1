"""What Jupyter Book is given to build (tools.website.build.stage): `_config.yml` as it is, which says
that Jupyter Book executes nothing, since make book has run every chapter before it builds."""

from __future__ import annotations

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
