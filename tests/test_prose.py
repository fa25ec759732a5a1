"""The prose readers see: no unfilled placeholder, and no assertion outside the cells tagged as checks."""

from __future__ import annotations

import ast

import pytest

from tools.chapters import book, model
from tools.chapters.model import placeholders
from tools.website.verify import page_placeholders

NOTEBOOKS = book.chapter_notebooks()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_markdown_cell_holds_an_unfilled_placeholder(path):
    found = [
        (index, field)
        for index, cell in enumerate(book.read_notebook(path).cells)
        if cell.cell_type == "markdown"
        for field in placeholders(cell.source)
    ]
    assert not found, f"{path.name}: unfilled placeholders (cell, text): {found}"


def test_book_pages_hold_no_unfilled_placeholder(root):
    found = [
        (page.name, field)
        for page in sorted((root / "book").glob("*.md"))
        for field in placeholders(page.read_text(encoding="utf-8"))
    ]
    assert not found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{f_fewer}+ times fewer updates from {a_n} random starts", ["{f_fewer}", "{a_n}"]),
        ("accuracy {acc:.2f} and {runs[0]}", ["{acc:.2f}", "{runs[0]}"]),
        ("$\\frac{a}{b}$ and $$x^{2}$$ and `f'{x}'` and {0, 1}", []),
        ("```python\nprint(f'{value}')\n```", []),
    ],
)
def test_placeholders_are_found_in_prose_and_not_in_code_or_math(text, expected):
    assert placeholders(text) == expected


def test_placeholders_in_a_built_page_are_found_outside_code_and_math():
    html = (
        "<p>It took {f_fewer} times fewer</p><pre>{'a': 1} {value}</pre>"
        '<span class="math">\\(e^{x}\\)</span><script>var a = {b};</script>'
    )
    assert page_placeholders(html) == ["{f_fewer}"]


def _asserts(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython syntax (the setup cell's %pip): no assert there
        return "assert " in source
    return any(isinstance(node, ast.Assert) for node in ast.walk(tree))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_that_asserts_is_a_check_or_a_worked_solution(path):
    """A check cell is hidden on the website and folded for students; an assert elsewhere shows."""
    found = [
        index
        for index, cell in enumerate(book.read_notebook(path).cells)
        if cell.cell_type == "code"
        and not (model.is_check(cell) or model.is_solution(cell))
        and _asserts(cell.source)
    ]
    assert not found, f"{path.name}: cells {found} assert but are not tagged 'check'"
