"""The chapter model (tools.chapters.model): a synthetic chapter read into typed cells and written back,
and the rule that no other module parses a cell's text with a regex."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from tools.chapters import book, model
from tools.chapters.book import BookError
from tools.chapters.model import Chapter

SETUP = """\
import sys
if "google.colab" in sys.modules:
    %pip install -q "nnbook @ git+https://github.com/o/r@main"
SEED = 42
RUN_SOLUTIONS = False  # True: the folded worked solutions run too
print(SEED)"""
ANSWER = """\
# Your answer
EPOCHS = 5
steps = None  # replace None with the number of updates
check("99.1", steps)"""
SOLUTION = """\
# @title Exercise 99.1: a worked solution (runs when RUN_SOLUTIONS is True)
if RUN_SOLUTIONS:
    steps = EPOCHS * 10
    assert steps > 0
    check("99.1", steps)"""


def synthetic():
    """A small chapter with one cell of each kind."""
    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell("# 99. A chapter\n\n**Run time:** about 20 seconds", id="title"),
        v4.new_markdown_cell("[![Open in Colab](data:image/png;base64,AAAA)](x)", id="colab-badge"),
        v4.new_markdown_cell("## Setup", id="setup-heading"),
        v4.new_code_cell(SETUP, id="setup"),
        v4.new_code_cell("# extra code: draws the loss per epoch\nplt.plot(losses)", id="figure"),
        v4.new_code_cell(
            "# @title Checks\nassert 0.9 < accuracy <= 1",
            id="check-1",
            metadata={"tags": ["check"]},
        ),
        v4.new_markdown_cell(
            "## Exercises\n\nRun `check` to see.\n\n### 1. Updates\n\nTrain for 5 epochs.", id="ex"
        ),
        v4.new_code_cell(ANSWER, id="answer-1"),
        v4.new_code_cell(SOLUTION, id="solution-1", metadata={"tags": ["solution", "hide-cell"]}),
    ]
    return v4.new_notebook(cells=cells)


@pytest.fixture
def path(tmp_path) -> Path:
    target = tmp_path / "99-synthetic.ipynb"
    nbformat.write(synthetic(), target)
    return target


def test_reads_each_cells_kind_id_and_values(path):
    chapter = Chapter.read(path)
    assert [(c.kind, c.id) for c in chapter.cells] == [
        ("lesson", "title"),
        ("badge", "colab-badge"),
        ("lesson", "setup-heading"),
        ("setup", "setup"),
        ("lesson", "figure"),
        ("check", "check-1"),
        ("lesson", "ex"),
        ("answer", "answer-1"),
        ("solution", "solution-1"),
    ]
    assert chapter.values() == {"SEED": 42, "RUN_SOLUTIONS": False}
    answer, solution = chapter.of_kind("answer", "solution")
    assert (answer.exercise_id, solution.exercise_id) == ("99.1", "99.1")
    assert answer.answer_variable == "steps"
    assert answer.answer_parts()[1] == ANSWER.rsplit("\n", 1)[0]
    assert (
        solution.solution_code() == 'steps = EPOCHS * 10\nassert steps > 0\ncheck("99.1", steps)\n'
    )
    assert chapter.cells[4].figure_alt == "The loss per epoch."
    assert chapter.cells[6].is_exercises_heading and not chapter.uses_tensorflow
    assert model.task_text(chapter.nb, chapter.task_cells(answer)) == "\n\nTrain for 5 epochs."
    assert model.stated_run_time(chapter.cells[0].source) == "20 seconds"
    assert model.exercise_problems(chapter.nb) == []
    assert model.constants(answer.source, "answer")["EPOCHS"][0] == 5


def test_writes_back_byte_for_byte_when_nothing_changed(path, tmp_path):
    again = tmp_path / "again.ipynb"
    Chapter.read(path).write(again)
    assert again.read_bytes() == path.read_bytes()


def test_setting_the_seed_and_the_solutions_changes_only_their_lines(path, tmp_path):
    chapter = Chapter.read(path)
    chapter.setup.seed = 7
    chapter.setup.run_solutions = True
    assert (chapter.setup.seed, chapter.setup.run_solutions) == (7, True)
    before, after = SETUP.split("\n"), chapter.setup.source.split("\n")
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert len(before) == len(after) and changed == [
        ("SEED = 42", "SEED = 7"),
        (
            "RUN_SOLUTIONS = False  # True: the folded worked solutions run too",
            "RUN_SOLUTIONS = True  # True: the folded worked solutions run too",
        ),
    ]
    chapter.write(tmp_path / "seeded.ipynb")
    cells = nbformat.read(tmp_path / "seeded.ipynb", as_version=4).cells
    assert [c.id for c in cells] == [c.id for c in synthetic().cells]
    assert [c.source for c in cells if c.id != "setup"] == [
        c.source for c in synthetic().cells if c.id != "setup"
    ]


def test_the_setup_values_are_typed_and_set_once(path):
    chapter = Chapter.read(path)
    with pytest.raises(TypeError):
        chapter.setup.seed = True
    with pytest.raises(TypeError):
        chapter.setup.run_solutions = 1
    chapter.setup.node.source += "\nSEED = 3"
    with pytest.raises(BookError, match="99-synthetic.ipynb: the setup cell must set `SEED`"):
        chapter.configure(seed=1, run_solutions=True)
    assert chapter.setup.source.endswith("SEED = 3")  # nothing set when it refuses


def test_reseeding_a_variant_and_the_task_numbers_are_read_from_cells():
    assert model.reseed("SEED = 42\nrng = default_rng(0)", 7) == (
        "SEED = 7042\nrng = default_rng(7000)"
    )
    assert [m[0] for m in model.stated("Train for 5 epochs of 1,400 steps, not 15.", 5)] == ["5"]
    assert model.own_training_seeds("keras.utils.set_random_seed(3)") == ["set_random_seed(3)"]


def test_a_released_answer_cell_names_its_variable_or_its_stub():
    cell = nbformat.v4.new_code_cell
    released = "# YOUR CODE HERE\nepochs = 3\nweights = None  # replace None\nother = None"
    assert model.released_answer_name(cell(released), "a") == "weights"
    stub = "def build_model(seed):\n    model = None\n    return model"
    assert model.released_answer_name(cell(stub), "a") == "build_model"
    with pytest.raises(BookError, match="b: no `name = None` line"):
        model.released_answer_name(cell("x = 1"), "b")


# --- no module but the model parses a cell's text with a regex -----------------------------------

#: The modules that may use regular expressions (beyond ``re.escape`` for ``pytest.raises``), each
#: with what it reads. Not one of them reads a notebook cell's text: that is ``tools.chapters.model``'s.
REGEX_ALLOWED = {
    "tools/chapters/model.py": "the chapter model: the one module that reads cells' text",
    "tools/chapters/book.py": "GitHub addresses and git refs in _config.yml, and its `branch:` line",
    "tools/website/verify.py": "the built website's HTML pages (unfilled fields, Colab links, images)",
    "tools/course/files.py": "a generated file's fingerprint line and a template's __NAME__ fields "
    "(and, before the templates, nbgrader's HTML feedback and cell names)",
    "tools/course/templates/nbgrader_config.py": "nbgrader's generated HTML feedback and its cell names "
    "(exercise-4-1)",
    "tools/running/kernel.py": "run names (seed-7-no-solutions) and the tracebacks in executed outputs",
    "tools/running/run_times.py": "the preface's chapter map (book/preface.md), not a chapter's cell",
    "tests/test_assignments.py": "the generated assignments' test cells, hidden tests and "
    "payloads, nbgrader's logs and feedback pages, and the Makefile: no chapter's cell",
    "tests/test_colab.py": "the header line of Colab's package snapshot (# python: 3.12)",
    "tests/test_datasets.py": "the data tool's printed listing and its error messages",
    "tests/test_environment.py": "the README, the Makefile and the requirements files",
    "tests/test_exercises.py": "the registry's exercise ids (04.1) and error messages",
    "tests/test_exercises_ch03.py": "a grader's printed verdict and its advice",
    "tests/test_migration.py": "the migration guide's markdown page: targets, headings, links",
    "tests/test_models.py": "error messages about model files",
    "tests/test_reference_pages.py": "the reference pages' version statements and pyproject.toml",
    "tests/test_tool_errors.py": "a tool's one-line error on stderr",
    "tests/test_website.py": "image alt text on the built site",
    "helpers/datasets.py": "file names in the data folder (partial downloads, copies) and a path",
    "helpers/environment.py": "package version strings",
    "helpers/models.py": "Keras's error messages when a model file does not load",
}


def regex_uses(path: Path) -> list[str]:
    """What of ``re`` a module uses (``re.escape`` left aside: it builds a pattern, reads nothing)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {"re"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "re":
            found += [f"from re import {alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names |= {alias.asname for alias in node.names if alias.name == "re" and alias.asname}
    imports_re = any(
        isinstance(node, ast.Import) and any(alias.name == "re" for alias in node.names)
        for node in ast.walk(tree)
    )
    for node in ast.walk(tree):
        if (
            imports_re
            and isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in names
            and node.attr != "escape"
        ):
            found.append(f"re.{node.attr} (line {node.lineno})")
    return found


def modules() -> list[Path]:
    return sorted(
        path
        for folder in ("tools", "tests", "helpers")
        for path in (book.ROOT / folder).rglob("*.py")
    )


def test_no_module_but_the_chapter_model_parses_text_with_a_regex():
    offenders = {
        path.relative_to(book.ROOT).as_posix(): uses[0]
        for path in modules()
        if (uses := regex_uses(path))
        and path.relative_to(book.ROOT).as_posix() not in REGEX_ALLOWED
    }
    assert offenders == {}, (
        "these modules use regular expressions: a cell's text is read by tools.chapters.model (add what "
        "you need there); for text that is not a cell's, add the module to REGEX_ALLOWED with "
        f"what it reads: {offenders}"
    )


def test_the_allowlist_names_only_modules_that_use_regexes():
    """A module on the list that no longer uses regexes comes off it (one not yet in this checkout,
    as a template another branch adds, is left for when it is)."""
    stale = [
        name
        for name in REGEX_ALLOWED
        if (book.ROOT / name).exists() and not regex_uses(book.ROOT / name)
    ]
    assert stale == [], f"these modules no longer use regexes: take them off REGEX_ALLOWED: {stale}"
