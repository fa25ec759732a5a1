"""How pytest runs a chapter (tools.running.pytest_plugin) and how make book reuses the run (tools.running.copies).

A small fake chapter, run by a pytest inside the test, shows each way a cell can fail the book.
"""

from __future__ import annotations

import json
import os

import nbformat
import pytest

from tools.chapters import book, model
from tools.running import copies
from tools.running.kernel import RunConfig

pytest_plugins = ["pytester"]

SETUP = "import sys\nSEED = 42\nRUN_SOLUTIONS = False\nprint('seed', SEED)"


def fake_chapter() -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell
    return nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        cells=[
            nbformat.v4.new_markdown_cell("# A fake chapter"),
            cell(SETUP, id=model.SETUP_ID),
            cell("x = 0.71\nprint(f'x is {x}')"),
            cell(
                "# @title checks\nassert x > 0.5\nassert 0.75 <= x <= 0.8, x",
                metadata={"tags": ["check", "remove-cell"]},
            ),
            cell("print('a warning', file=sys.stderr)"),
            cell(
                "import os\nos.write(2, b'a log line of compiled code\\n')"
            ),  # Jupyter shows these too
            cell("from helpers.exercises import check\ncheck('02.1', None)"),
            cell(
                "# @title solution\nif RUN_SOLUTIONS:\n    check('02.1', 43)",
                metadata={"tags": ["solution", "hide-cell"]},
            ),
        ],
    )


@pytest.fixture
def chapter_dir(pytester, tmp_path, monkeypatch):
    (pytester.path / "notebooks").mkdir()
    nbformat.write(fake_chapter(), pytester.path / "notebooks" / "99-fake.ipynb")
    monkeypatch.setattr(copies, "EXECUTED", tmp_path / "executed")
    return pytester


def test_each_cell_is_a_test_that_fails_for_the_books_reasons(chapter_dir):
    result = chapter_dir.runpytest_inprocess(
        "notebooks", "-p", "tools.running.pytest_plugin", "--runs", "seed-7,seed-8-no-solutions"
    )
    # per run: setup, lesson, check, two stderr, answer and solution cells
    result.assert_outcomes(passed=7, failed=7)
    out = result.stdout.str()
    assert "99-fake.ipynb, seed-7, cell 3 (check):" in out  # each failure says where
    assert "raised by: assert 0.75 <= x <= 0.8, x" in out
    assert "the cell wrote to standard error" in out
    assert "a log line of compiled code" in out  # captured as a reader's Jupyter captures it
    assert "the worked solution's check() did not find ['02.1'] right (02.1: not right)" in out
    assert (
        "99-fake  seed-7  cell 3 (check): assert 0.75 <= x <= 0.8, x" in out
    )  # the summary, one line a failure
    assert "99-fake  seed-8-no-solutions  cell 3 (check)" in out


def test_a_solution_passes_on_what_check_recorded_not_on_a_sentence(
    pytester, tmp_path, monkeypatch
):
    """The runner reads the record check() keeps (helpers.exercises.CHECKS), by cell: a worked
    solution whose check() found the answer right passes; one that only prints the sentence, or
    whose right verdict came from another cell, fails."""
    cell = nbformat.v4.new_code_cell
    solution = {"metadata": {"tags": ["solution", "hide-cell"]}}
    right = "decode_answer(EXERCISES['02.1'].answer)['value']"
    nb = fake_chapter()
    nb.cells[2:] = [
        cell("from helpers.exercises import EXERCISES, check, decode_answer\ncheck('02.1', None)"),
        cell(f"if RUN_SOLUTIONS:\n    check('02.1', {right})", **solution),
        cell(
            "if RUN_SOLUTIONS:\n    print('Exercise 02.1: correct, well done.')  # check('02.1')",
            **solution,
        ),
    ]
    (pytester.path / "notebooks").mkdir()
    nbformat.write(nb, pytester.path / "notebooks" / "99-fake.ipynb")
    monkeypatch.setattr(copies, "EXECUTED", tmp_path / "executed")
    result = pytester.runpytest_inprocess(
        "notebooks", "-p", "tools.running.pytest_plugin", "--runs", "seed-7"
    )
    result.assert_outcomes(passed=3, failed=1)
    assert "cell 4 (solution):" in result.stdout.str()
    assert "did not find ['02.1'] right (02.1: check() was not called)" in result.stdout.str()
    kept = nbformat.read(copies.EXECUTED / "seed-7" / "99-fake.ipynb", as_version=4)
    assert len(kept.cells) == len(nb.cells)  # the record was read, and nothing added to the copy
    assert [(r["cell"], r["right"]) for r in kept.metadata["nnbook"]["checks"]] == [
        (2, False),
        (3, True),
    ]


def test_a_test_changing_the_environment_meanwhile_does_not_reach_a_running_chapter(
    pytester, tmp_path, monkeypatch
):
    """Chapters run in processes of their own, started before the first test: a test that sets an
    environment variable for a moment while a chapter's kernel starts (as tests set NNBOOK_DATA or
    PATH) cannot change what the chapter sees, and the kernel is not this process's child."""
    nb = fake_chapter()
    nb.cells[2:] = [
        nbformat.v4.new_code_cell(
            "import json, os, pathlib\n"
            "seen = {'ppid': os.getppid(), 'value': os.environ.get('NNBOOK_TEST_ISOLATION')}\n"
            "pathlib.Path('../seen.json').write_text(json.dumps(seen))"
        )
    ]
    (pytester.path / "notebooks").mkdir()
    nbformat.write(nb, pytester.path / "notebooks" / "99-fake.ipynb")
    pytester.makepyfile(
        test_meanwhile="""
        import pathlib, time

        def test_meanwhile(monkeypatch):
            monkeypatch.setenv("NNBOOK_TEST_ISOLATION", "set by a test meanwhile")
            deadline = time.monotonic() + 120
            while not pathlib.Path("seen.json").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert pathlib.Path("seen.json").exists()
        """
    )
    monkeypatch.setattr(copies, "EXECUTED", tmp_path / "executed")
    monkeypatch.setenv("NNBOOK_TEST_ISOLATION", "as the session began")
    result = pytester.runpytest_inprocess(
        "test_meanwhile.py", "notebooks", "-p", "tools.running.pytest_plugin"
    )
    result.assert_outcomes(passed=3)  # the test (first), then the chapter's setup and lesson
    seen = json.loads((pytester.path / "seen.json").read_text())
    assert seen["value"] == "as the session began"
    assert seen["ppid"] != os.getpid()


def test_the_run_configuration_reaches_the_chapter_and_the_copy_is_kept(chapter_dir):
    chapter_dir.runpytest_inprocess(
        "notebooks", "-p", "tools.running.pytest_plugin", "--runs", "seed-7"
    )
    kept = nbformat.read(copies.EXECUTED / "seed-7" / "99-fake.ipynb", as_version=4)
    assert kept.cells[1].outputs[0]["text"] == "seed 7\n"
    assert "RUN_SOLUTIONS = True" in kept.cells[1].source
    report = json.loads((copies.EXECUTED / "report.json").read_text())
    assert [(r["chapter"], r["run"], [f["cell"] for f in r["failed"]]) for r in report] == [
        ("99-fake", "seed-7", [3])
    ]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--runs", "seven", "--runs: a run is named seed-N or seed-N-no-solutions"),
        ("--runs", ",", "--runs names no run (','); give seed-N or seed-N-no-solutions"),  # it said
        ("--runs", " ", "--runs names no run"),  # "no tests collected"
        ("--runs", "seed-1,seed-1", "--runs names seed-1 twice ('seed-1,seed-1')"),
        ("--runs", "seed-4294967296", "--runs: a training seed is at most 2**32 - 1"),
        ("--notebook-workers", "0", "--notebook-workers: at least 1 chapter runs at a time; got 0"),
    ],
)
def test_a_bad_run_option_is_a_usage_error(chapter_dir, option, value, message):
    result = chapter_dir.runpytest_inprocess(
        "notebooks", "-p", "tools.running.pytest_plugin", option, value
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()


def test_make_book_reuses_a_run_only_for_the_same_code(tmp_path, monkeypatch):
    monkeypatch.setattr(copies, "EXECUTED", tmp_path / "executed")
    path = tmp_path / "99-fake.ipynb"
    nb = fake_chapter()
    nb.cells = nb.cells[:3]  # setup and lesson
    nbformat.write(nb, path)
    run = RunConfig(seed=42, run_solutions=True)
    assert copies.fresh_copy(path, run) is None  # never ran
    copies.execute_and_keep(path, run)

    nb.cells[0].source = "# A fake chapter, its prose rewritten"
    nbformat.write(nb, path)
    reused = copies.fresh_copy(path, run)
    assert reused.cells[0].source == "# A fake chapter, its prose rewritten"  # today's text
    assert reused.cells[2].outputs[0]["text"] == "x is 0.71\n"  # the kept run's outputs

    nb.cells[2].source = "x = 0.72\nprint(f'x is {x}')"
    nbformat.write(nb, path)
    assert copies.fresh_copy(path, run) is None  # other code: run it again
    assert copies.fresh_copy(path, RunConfig(seed=7)) is None


def test_a_run_keeps_its_copy_where_the_runner_said_when_it_started_it(tmp_path, monkeypatch):
    """The chapter runner hands each chapter's process the copy's place as data: a test that
    points EXECUTED elsewhere meanwhile (as this file's do) must not carry a copy off, or make
    book runs that chapter again (in CI it once ran chapter 6 again so)."""
    monkeypatch.setattr(copies, "EXECUTED", tmp_path / "executed")
    path = tmp_path / "99-fake.ipynb"
    nb = fake_chapter()
    nb.cells = nb.cells[:3]  # setup and lesson
    nbformat.write(nb, path)
    run = RunConfig()
    target = copies.copy_path(path, run)
    monkeypatch.setattr(copies, "EXECUTED", tmp_path / "elsewhere")  # a test, meanwhile
    copies.execute_and_keep(path, run, target)
    assert target.exists() and not (tmp_path / "elsewhere").exists()
    monkeypatch.setattr(copies, "EXECUTED", tmp_path / "executed")
    assert copies.fresh_copy(path, run) is not None


def test_chapters_are_scheduled_by_their_last_run_or_else_their_stated_time(tmp_path, monkeypatch):
    """The longest first, so that two workers finish together: on a fresh clone, nothing has run yet
    and the time each overview states decides (chapter 7, the smallest file, takes the longest)."""
    from tools.running import run_times
    from tools.running.pytest_plugin import _expected_seconds

    monkeypatch.setattr(copies, "EXECUTED", tmp_path / "executed")
    chapters = book.chapter_notebooks()
    seed_1 = RunConfig(seed=1)
    assert {p.name: _expected_seconds((p, seed_1)) for p in chapters} == {
        p.name: run_times.stated_seconds(p) for p in chapters
    }
    # seed 42's run, as make test leaves it
    copy = copies.copy_path(chapters[0], RunConfig())
    copy.parent.mkdir(parents=True)
    copy.write_text(json.dumps({"metadata": {"nnbook": {"seconds": 999.0}}}), encoding="utf-8")
    assert _expected_seconds((chapters[0], seed_1)) == 999.0
