"""Student copies (make student): no solution survives, everything else is intact, nothing is ever lost.

Whether a chapter runs without its solutions is shown by running it: a reader's Run All skips the
worked solutions (``RUN_SOLUTIONS = False``), which is what `make test-seeds` runs for one of its
seeds. Here, that no later cell needs a name only a solution sets.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import nbformat
import pytest

from tools.chapters import book, model
from tools.chapters.book import BookError
from tools.chapters.model import names  # what assignments use to keep cells apart
from tools.course import student_copies
from tools.course.student_copies import exercise_problems, student_copy, write_student_copies

NOTEBOOKS = book.chapter_notebooks()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_copy_removes_every_solution_and_keeps_the_rest(path):
    nb = nbformat.read(path, as_version=4)
    solutions = [cell for cell in nb.cells if model.is_solution(cell)]
    assert solutions, f"{path.name}: no exercise solution is tagged 'solution'"
    assert exercise_problems(nb) == []

    copy = student_copy(nb)
    assert [cell.id for cell in copy.cells] == [
        cell.id for cell in nb.cells if not model.is_solution(cell)
    ]
    assert [cell.source for cell in copy.cells] == [
        c.source for c in nb.cells if not model.is_solution(c)
    ]
    solution_sources = {cell.source for cell in solutions}
    assert not any(cell.source in solution_sources for cell in copy.cells)
    assert not any(cell.source.startswith("# @title Exercise") for cell in copy.cells)


def solution_leaks(nb) -> list[str]:
    """Each later cell that reads a name only a solution cell set (not the cell itself, nor a cell
    that is not a solution), with the solution cell that set it."""
    set_by_solutions: dict[str, str] = {}
    leaks = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        bound, read = names(cell.source)
        if model.is_solution(cell):
            set_by_solutions.update(dict.fromkeys(bound, cell.id))
            continue
        needs = sorted((read - bound) & set_by_solutions.keys())
        leaks += [
            f"cell {cell.id!r} reads {name}, set by {set_by_solutions[name]!r}" for name in needs
        ]
        for name in bound:
            set_by_solutions.pop(name, None)  # set by a lesson cell from here on
    return leaks


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_cell_after_a_solution_depends_on_it(path):
    """A student copy runs like the full notebook only if no later cell reads what a solution set."""
    assert solution_leaks(nbformat.read(path, as_version=4)) == [], path.name


def test_a_cell_that_reads_what_only_a_solution_set_is_found():
    def code(source, cell_id, *tags):
        return nbformat.v4.new_code_cell(source, id=cell_id, metadata={"tags": list(tags)})

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        code("x = 1", "lesson"),
        code("if RUN_SOLUTIONS:\n    best = x\n    def fit(w):\n        return w", "s", "solution"),
        code(
            "def plot(w, scale=1):\n    return w\n\n\n%matplotlib inline\ny = x + best",
            "reads-best",
        ),
        code("best = 2", "sets-best"),
        code("z = best + fit(3)", "reads-fit"),
    ]
    assert solution_leaks(nb) == [
        "cell 'reads-best' reads best, set by 's'",  # not w: its own parameter
        "cell 'reads-fit' reads fit, set by 's'",  # not best: a lesson cell set it since
    ]


def test_make_student_writes_a_copy_per_chapter(tmp_path):
    written = write_student_copies(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in NOTEBOOKS)
    for path in written:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert not any(model.is_solution(cell) for cell in nb.cells)


def test_a_notebook_without_marked_solutions_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Untagged")])
    nbformat.write(nb, tmp_path / "99-untagged.ipynb")
    with pytest.raises(BookError, match=r"99-untagged.ipynb: no cell is tagged 'solution'"):
        write_student_copies(tmp_path / "out", [tmp_path / "99-untagged.ipynb"])


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (
            ["Solution", "hide-cell"],
            "tag 'Solution' is not one the book uses (did you mean 'solution'?)",
        ),
        (["hide-cell"], "tag 'hide-cell' without 'solution'"),
        ([], "has no worked solution"),
    ],
)
def test_a_solution_marked_almost_right_is_refused_not_shipped(tmp_path, tags, message):
    """A solution cell tagged 'Solution', or only 'hide-cell', would reach students: refuse the chapter."""
    source = NOTEBOOKS[0]
    nb = nbformat.read(source, as_version=4)
    next(cell for cell in nb.cells if model.is_solution(cell)).metadata["tags"] = tags
    nbformat.write(nb, tmp_path / source.name)
    with pytest.raises(BookError, match=re.escape(message)):
        write_student_copies(tmp_path / "out", [tmp_path / source.name])
    assert not (tmp_path / "out").exists()


def test_the_chapters_own_folder_is_refused_and_left_intact(tmp_path, root):
    """`--output-dir notebooks` would replace the chapters with their student copies."""
    shutil.copytree(root / "notebooks", tmp_path / "notebooks")
    before = {p.name: p.read_bytes() for p in (tmp_path / "notebooks").glob("*.ipynb")}
    with pytest.raises(BookError, match="that folder holds the chapters themselves"):
        write_student_copies(
            tmp_path / "notebooks" / ".", sorted((tmp_path / "notebooks").glob("*.ipynb"))
        )
    assert {p.name: p.read_bytes() for p in (tmp_path / "notebooks").glob("*.ipynb")} == before


def test_command_refuses_the_source_folder_in_one_line(capsys, root):
    before = {p.name: p.read_bytes() for p in NOTEBOOKS}
    assert student_copies.main(["--output-dir", str(root / "notebooks")]) == 2
    assert "that folder holds the chapters themselves" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in NOTEBOOKS} == before


def test_a_chapter_that_cannot_be_read_leaves_no_half_written_copies(tmp_path):
    good = NOTEBOOKS[0]
    shutil.copy(good, tmp_path / good.name)
    (tmp_path / "99-broken.ipynb").write_text("{ not json", encoding="utf-8")
    with pytest.raises(BookError, match=r"99-broken.ipynb: not a notebook"):
        write_student_copies(tmp_path / "out", [tmp_path / good.name, tmp_path / "99-broken.ipynb"])
    assert not (tmp_path / "out").exists()


# --- a teacher's copies are never replaced silently, and they do not move with main (issue 28) -----


def test_a_copy_already_there_is_replaced_only_with_force(tmp_path, capsys):
    out = tmp_path / "student"
    assert student_copies.main(["--output-dir", str(out)]) == 0
    assert (
        student_copies.main(["--output-dir", str(out)]) == 0
    )  # the same copies again: nothing lost
    edited = out / NOTEBOOKS[2].name
    nb = nbformat.read(edited, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_markdown_cell("Hand in by Friday."))  # the teacher's note
    nbformat.write(nb, edited)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    assert student_copies.main(["--output-dir", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: {edited}: a student copy is already there and differs (a copy you may have "
        "edited); pass --force to replace it, or choose another --output-dir\n"
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert student_copies.main(["--output-dir", str(out), "--force"]) == 0
    assert "Hand in by Friday." not in edited.read_text(encoding="utf-8")


@pytest.mark.parametrize("below", [False, True], ids=["a-file", "below-a-file"])
def test_an_output_folder_that_is_a_file_is_named_in_one_line(tmp_path, capsys, below):
    """It was '[Errno 17] File exists' or '[Errno 20] Not a directory'."""
    a_file = tmp_path / "student.zip"
    a_file.write_bytes(b"PK")
    out = a_file / "2026" if below else a_file
    assert student_copies.main(["--output-dir", str(out)]) == 2
    err = capsys.readouterr().err
    what = f"is below {a_file}, which is a file" if below else "is a file"
    assert err == (
        f"error: {out}: {what}, not a folder; give --output-dir a folder (default: _build/student)\n"
    )
    assert a_file.read_bytes() == b"PK"


@pytest.fixture
def book_repository(tmp_path, root):
    """A git repository holding a copy of the book's configuration, helpers and chapters."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "book"
    repo.mkdir()
    for name in ("_config.yml", "pyproject.toml"):
        shutil.copy(root / name, repo / name)
    shutil.copytree(
        root / "helpers", repo / "helpers", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(root / "notebooks", repo / "notebooks", ignore=shutil.ignore_patterns(".*"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "the book")
    return repo


def git(repo, *args) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Book", "-c", "user.email=book@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def test_copies_of_a_book_on_a_branch_install_the_commit_checked_out(book_repository, tmp_path):
    """From main, a copy handed out in September installed December's helpers."""
    commit = git(book_repository, "rev-parse", "HEAD")
    pin, note = student_copies.commit_pin(book_repository)
    assert pin == commit
    assert note == (
        f"note: main moves, so the copies install the helpers of commit {commit[:12]}, checked out "
        "here: push it before handing them out"
    )
    chapters = book.chapter_notebooks(book_repository)
    written = write_student_copies(tmp_path / "out", chapters, pin=pin)
    for path in written:
        cells = {c.id: c.source for c in nbformat.read(path, as_version=4).cells}
        assert f'"nnbook @ git+{{BOOK_REPOSITORY}}@{commit}"' in cells[model.SETUP_ID]
        assert "@main" not in cells[model.SETUP_ID]
        assert f"/blob/{commit}/notebooks/{path.name}" in cells[model.BADGE_ID]


def test_copies_of_a_frozen_book_keep_its_tag(book_repository):
    config = book_repository / "_config.yml"
    config.write_text(config.read_text().replace("branch: main", "branch: v1.0"))
    git(book_repository, "commit", "-qam", "freeze")
    git(book_repository, "tag", "v1.0")
    assert student_copies.commit_pin(book_repository) == (
        None,
        "the copies install the helpers of the tag v1.0",
    )


def test_uncommitted_helpers_are_not_pinned_to_a_commit_that_lacks_them(book_repository):
    with (book_repository / "helpers" / "__init__.py").open("a") as file:
        file.write("# changed\n")
    pin, note = student_copies.commit_pin(book_repository)
    assert pin is None
    assert note.startswith("note: the copies install the helpers from main, which moves")
    assert note.endswith("(the helpers here have uncommitted changes: commit them to pin)")
