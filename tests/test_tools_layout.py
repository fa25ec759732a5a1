"""tools/ is one package per concern (chapters, running, website, course), and each says what it
holds: a new module is placed in the book's architecture when it is added, not left flat in tools/.

- every module lives in a concern package, tools/PACKAGE/MODULE.py, none directly in tools/;
- tools/__init__.py lists exactly the packages, each package's __init__.py exactly its modules,
  one line each (``- ``name``: what it is``), and neither does anything but say so;
- tools/README.md names every package (`chapters/`), module (`model`) and data folder."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tools


def _listed(docstring: str) -> list[str]:
    """The names a package docstring lists: the first ``name`` of each line ``- ``name``: ...``."""
    lines = docstring.splitlines()
    return sorted(line.split("``")[1] for line in lines if line.startswith("- ``"))


def _packages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if (p / "__init__.py").is_file())


def _modules(package: Path) -> list[str]:
    return sorted(p.stem for p in package.glob("*.py") if p.stem != "__init__")


@pytest.fixture
def folder(root) -> Path:
    return root / "tools"


def test_every_module_lives_in_a_concern_package(folder):
    assert _modules(folder) == [], "a module of tools/ belongs in one of its packages"
    packages = _packages(folder)
    assert [p.name for p in packages] == sorted(["chapters", "running", "website", "course"])
    nested = [p for package in packages for p in _packages(package)]
    assert nested == [], "one level of packages: tools/PACKAGE/MODULE.py"


def test_each_init_lists_exactly_what_its_package_holds_and_does_nothing_else(folder):
    packages = _packages(folder)
    assert _listed(tools.__doc__) == sorted(p.name for p in packages), "tools/__init__.py"
    for init in [folder / "__init__.py", *(p / "__init__.py" for p in packages)]:
        body = ast.parse(init.read_text(encoding="utf-8")).body
        assert len(body) == 1 and isinstance(ast.get_docstring(ast.Module(body, [])), str), init
    for package in packages:
        docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text("utf-8")))
        assert _listed(docstring) == _modules(package), f"tools/{package.name}/__init__.py"


def test_the_readme_names_every_package_module_and_folder(folder):
    readme = (folder / "README.md").read_text(encoding="utf-8")
    packages = _packages(folder)
    modules = [m for package in packages for m in _modules(package)]
    assert [m for m in modules if f"`{m}`" not in readme] == [], "tools/README.md"
    folders = [
        p.relative_to(folder)
        for p in [*folder.iterdir(), *(q for package in packages for q in package.iterdir())]
        if p.is_dir() and p.name != "__pycache__"
    ]
    assert [f for f in folders if f"{f.name}/" not in readme] == [], "tools/README.md"
