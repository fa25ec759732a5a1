"""tools/__init__.py and tools/README.md name every module of tools/, so that a new one is placed
in the book's architecture (read, run, site, student copy, course) when it is added."""

from __future__ import annotations

import tools


def test_every_tool_is_named_in_the_package_docstring_and_the_readme(root):
    folder = root / "tools"
    modules = sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert [m for m in modules if f"``{m}``" not in tools.__doc__] == [], "tools/__init__.py"
    assert [m for m in modules if f"`{m}`" not in readme] == [], "tools/README.md"
    folders = sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert [f for f in folders if f"{f}/" not in readme] == [], "tools/README.md"
