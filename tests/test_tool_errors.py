"""Every tool's error is one line that names the file and the fix, never a traceback (issue 16).

Each tool's ``main()`` is run on a broken input, as ``python -m tools.PACKAGE.MODULE`` would run it: it
must return 2 and write exactly one line, ``error: FILE...``, to standard error, and change no file.
(``helpers.datasets``'s command line is tested the same way in test_datasets.py.)
"""

from __future__ import annotations

import functools
import json
import re

import nbformat
import pytest

from tools.chapters import book, sync
from tools.course import student_copies
from tools.running import run_times
from tools.website import build, verify


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: "), f"not one error line:\n{err}"
    assert "Traceback" not in err
    return err.strip()


def snapshot(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- tools.running.run_times: make bench's figures into the chapters ------------------------------


def bench_file(folder, rows, name="bench.json"):
    path = folder / name
    path.write_text(json.dumps({"machine": {"cpus": 2, "python": "3.11"}, "notebooks": rows}))
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, r"bench\.json does not exist; run `make bench` first"),
        ("{ not json", r"bench\.json: not valid JSON \(line 1\); run `make bench` again"),
        ("[1, 2]", r"bench\.json: not what `make bench` writes \(a \"notebooks\" list"),
        (
            '{"notebooks": [{"notebook": "notebooks/01-artificial-neuron.ipynb"}]}',
            r"not what `make bench` writes",
        ),
        (
            '{"notebooks": [{"notebook": "notebooks/99-none.ipynb", "wall_s": 3}]}',
            r"bench\.json: lists notebooks/99-none\.ipynb, which is not in .*; run `make bench` again",
        ),
        (
            '{"notebooks": [{"notebook": "notebooks/01-artificial-neuron.ipynb", "wall_s": -4}]}',
            r"01-artificial-neuron\.ipynb has no valid wall time \(-4 s; a chapter takes more",
        ),
        (  # float(True) is 1.0: it wrote "about 5 seconds"
            '{"notebooks": [{"notebook": "notebooks/01-artificial-neuron.ipynb", "wall_s": true}]}',
            r"01-artificial-neuron\.ipynb has no valid wall time \(True, not a number of seconds\)",
        ),
        (
            '{"notebooks": [{"notebook": "notebooks/01-artificial-neuron.ipynb", "wall_s": "40"}]}',
            r"has no valid wall time \('40', not a number of seconds\)",
        ),
        (  # it wrote a 300-digit number of minutes
            '{"notebooks": [{"notebook": "notebooks/01-artificial-neuron.ipynb", "wall_s": 1e300}]}',
            r"has no valid wall time \(1e\+300 s; a chapter takes more than 0 s and less than a day\)",
        ),
        (
            '{"notebooks": [{"notebook": "notebooks/01-artificial-neuron.ipynb", "wall_s": 0}]}',
            r"has no valid wall time \(0 s;",
        ),
        ('{"notebooks": []}', r"bench\.json: lists no chapter; run `make bench` again"),
        (
            '{"notebooks": [{"notebook": "notebooks/01-artificial-neuron.ipynb", "wall_s": 9},'
            ' {"notebook": "notebooks/01-artificial-neuron.ipynb", "wall_s": 30}]}',
            r"lists notebooks/01-artificial-neuron\.ipynb twice \(wall times 9 s and 30 s\)",
        ),
        (
            '{"notebooks": [{"notebook": "notebooks/01-artificial-neuron.ipynb", "wall_s": 9},'
            ' {"notebook": "./notebooks/01-artificial-neuron.ipynb", "wall_s": 30}]}',
            r"lists \./notebooks/01-artificial-neuron\.ipynb and notebooks/01-artificial-neuron"
            r"\.ipynb, the same chapter",
        ),
        (  # a file of the book, but no chapter: its "run time" would be written into it
            '{"notebooks": [{"notebook": "_config.yml", "wall_s": 9}]}',
            r"lists _config\.yml, which is not one of the book's chapters",
        ),
        ('{"notebooks": [{"notebook": 7, "wall_s": 9}]}', r"not what `make bench` writes"),
        ('{"notebooks": [["notebooks/01-artificial-neuron.ipynb", 9]]}', r"not what `make bench`"),
    ],
    ids=[
        "missing",
        "not-json",
        "not-a-mapping",
        "no-wall-time",
        "unknown-chapter",
        "negative-time",
        "true-as-time",
        "text-as-time",
        "1e300-seconds",
        "zero-seconds",
        "empty-list",
        "listed-twice",
        "listed-twice-by-another-path",
        "not-a-chapter",
        "notebook-not-text",
        "row-not-a-mapping",
    ],
)
def test_run_times_on_a_broken_bench_file(book_copy, capsys, content, message):
    bench = book_copy / "bench.json"
    if content is not None:
        bench.write_text(content)
    before = snapshot(book_copy)
    assert run_times.main([str(bench), "--root", str(book_copy)]) == 2
    assert re.search(message, one_error_line(capsys))
    assert snapshot(book_copy) == before


def run_times_on_chapters_6_and_7(book_copy, capsys) -> str:
    """run_times on a bench file of chapters 6 and 7: it must fail, write nothing (chapter 6, listed
    first, is not rewritten either) and print one error line, returned."""
    bench = bench_file(
        book_copy,
        [
            {"notebook": "notebooks/06-mnist-basics.ipynb", "wall_s": 999},
            {"notebook": "notebooks/07-mnist-faster.ipynb", "wall_s": 200},
        ],
    )
    before = snapshot(book_copy)
    assert run_times.main([str(bench), "--root", str(book_copy)]) == 2
    assert snapshot(book_copy) == before
    return one_error_line(capsys)


def test_run_times_on_a_broken_chapter_names_it_and_writes_nothing(book_copy, capsys):
    (book_copy / "notebooks" / "07-mnist-faster.ipynb").write_text("{ not json")
    line = run_times_on_chapters_6_and_7(book_copy, capsys)
    assert "07-mnist-faster.ipynb: not a notebook (not JSON)" in line


def test_run_times_on_a_chapter_without_a_stated_time_writes_nothing(book_copy, capsys):
    path = book_copy / "notebooks" / "07-mnist-faster.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.source = cell.source.replace("**Run time:**", "**Time:**")
    nbformat.write(nb, path)
    line = run_times_on_chapters_6_and_7(book_copy, capsys)
    assert "07-mnist-faster.ipynb states no run time" in line


def test_run_times_outside_the_book_names_the_missing_preface(tmp_path, capsys):
    bench = bench_file(tmp_path, [{"notebook": "notebooks/06-mnist-basics.ipynb", "wall_s": 30}])
    assert run_times.main([str(bench), "--root", str(tmp_path)]) == 2
    line = one_error_line(capsys)
    assert f"{tmp_path / 'book' / 'preface.md'}: no such file or directory" in line
    assert "run this from the book's folder (or pass --root)" in line


# --- tools.website.verify: the built website ------------------------------------------------------


def test_site_verify_on_a_site_never_built_says_run_make_book(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(verify, "problems", functools.partial(verify.problems, tmp_path / "html"))
    assert verify.main([]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no website built there; run `make book` first" in err


def test_site_verify_with_a_broken_config_names_it(tmp_path, monkeypatch, capsys):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "index.html").write_text("<html></html>")
    (tmp_path / "_config.yml").write_text("title: [unclosed\n")
    load_config = book.load_config
    monkeypatch.setattr(book, "load_config", lambda root=None: load_config(tmp_path))
    monkeypatch.setattr(verify, "problems", functools.partial(verify.problems, tmp_path / "html"))
    assert verify.main([]) == 2
    assert "_config.yml: not valid YAML (line 2); fix the file" in one_error_line(capsys)


def test_site_verify_on_a_damaged_build_names_the_page(tmp_path, monkeypatch, capsys, root):
    html = tmp_path / "html"
    (html / "notebooks").mkdir(parents=True)
    (html / "index.html").write_text("<html></html>")
    first = book.chapter_notebooks()[0]
    page = html / first.relative_to(root).with_suffix(".html")
    page.mkdir()  # a folder where the page should be
    monkeypatch.setattr(verify, "problems", functools.partial(verify.problems, html))
    assert verify.main([]) == 2
    assert one_error_line(capsys) == f"error: {page}: is a directory; run `make book` again"


def test_site_verify_on_a_page_that_is_not_utf8_names_it(tmp_path, monkeypatch, capsys, root):
    """It was a UnicodeDecodeError traceback."""
    html = tmp_path / "html"
    (html / "notebooks").mkdir(parents=True)
    (html / "index.html").write_text("<html></html>")
    first = book.chapter_notebooks()[0]
    page = html / first.relative_to(root).with_suffix(".html")
    page.write_bytes("<html><p>caf\u00e9".encode()[:-1])  # cut short inside a character
    monkeypatch.setattr(verify, "problems", functools.partial(verify.problems, html))
    assert verify.main([]) == 2
    assert one_error_line(capsys) == (
        f"error: {page}: not UTF-8 text (byte 0xc3 at 12), so the build was cut short or "
        "damaged; run `make book` again"
    )


# --- tools.website.build: its one option ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "0",
            "at least 1 chapter runs at a time; got '0'",
        ),  # it was ThreadPoolExecutor's ValueError
        ("-2", "at least 1 chapter runs at a time; got '-2'"),
        ("two", "expected a whole number of chapters, got 'two'"),
    ],
)
def test_website_build_refuses_a_number_of_workers_below_one(capsys, value, message):
    with pytest.raises(SystemExit) as raised:
        build.main(["--workers", value])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert f"error: argument --workers: {message}" in err and "Traceback" not in err


# --- tools.course.student_copies and tools.chapters.sync: a chapter that is not a notebook --------


def test_student_on_a_broken_chapter_names_it_and_writes_nothing(
    book_copy, tmp_path, monkeypatch, capsys
):
    chapters = sorted((book_copy / "notebooks").glob("*.ipynb"))
    chapters[-1].write_text("")
    monkeypatch.setattr(book, "chapter_notebooks", lambda root=None: chapters)
    out = tmp_path / "student"
    assert student_copies.main(["--output-dir", str(out)]) == 2
    assert f"{chapters[-1]}: not a notebook" in one_error_line(capsys)
    assert not out.exists()


def test_sync_on_a_broken_chapter_names_it_and_writes_nothing(book_copy, monkeypatch, capsys):
    (book_copy / "notebooks" / "05-mnist-basics-extra.ipynb").write_text('{"cells": []}')
    before = snapshot(book_copy)
    monkeypatch.setattr(book, "ROOT", book_copy)
    assert sync.main([]) == 2
    assert "05-mnist-basics-extra.ipynb: " in one_error_line(capsys)
    assert snapshot(book_copy) == before
