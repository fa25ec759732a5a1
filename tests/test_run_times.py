"""Each chapter states its run time, the preface's chapter map repeats it, and make bench rewrites both."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest

from tools.chapters.book import chapter_notebooks
from tools.running.run_times import (
    chapter_run_time,
    format_run_time,
    preface_run_times,
    stated_seconds,
    update,
)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, ("5 seconds", "5 s")),
        (43.2, ("45 seconds", "45 s")),
        (89.9, ("90 seconds", "90 s")),
        (90, ("2 minutes", "2 min")),
        (131, ("2 minutes", "2 min")),
        (61 * 5, ("5 minutes", "5 min")),
    ],
)
def test_format_run_time(seconds, expected):
    assert format_run_time(seconds) == expected


def test_format_run_time_refuses_a_negative_time():
    with pytest.raises(ValueError, match="zero or more seconds; got -1"):
        format_run_time(-1)


def test_every_chapter_states_the_run_time_the_preface_gives(root):
    in_preface = preface_run_times(root)
    for path in chapter_notebooks(root):
        key = path.relative_to(root).with_suffix("").as_posix()
        stated = chapter_run_time(path)
        assert stated, f"{key} states no '**Run time:** about N seconds' in its overview"
        assert key in in_preface, f"the preface's chapter map has no row with a run time for {key}"
        number, unit = stated.split()
        assert in_preface[key] == f"{number} {'s' if unit == 'seconds' else 'min'}", (
            f"{key} says about {stated}, the preface about {in_preface[key]}: run python -m tools.running.run_times"
        )
    assert len(in_preface) == len(chapter_notebooks(root)), (
        "the preface lists a chapter that does not exist"
    )


def test_bench_figures_rewrite_chapter_and_preface(book_copy, root):
    bench = book_copy / "bench.json"
    rows = [
        {"notebook": "notebooks/06-mnist-basics.ipynb", "wall_s": 33.4},
        {"notebook": "notebooks/07-mnist-faster.ipynb", "wall_s": 200.0},
    ]
    bench.write_text(json.dumps({"machine": {"cpus": 2, "python": "3.11"}, "notebooks": rows}))
    untouched = chapter_run_time(book_copy / "notebooks" / "01-artificial-neuron.ipynb")

    result = subprocess.run(
        [sys.executable, "-m", "tools.running.run_times", str(bench), "--root", str(book_copy)],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "07-mnist-faster" in result.stdout

    assert chapter_run_time(book_copy / "notebooks" / "06-mnist-basics.ipynb") == "35 seconds"
    assert chapter_run_time(book_copy / "notebooks" / "07-mnist-faster.ipynb") == "3 minutes"
    assert chapter_run_time(book_copy / "notebooks" / "01-artificial-neuron.ipynb") == untouched
    times = preface_run_times(book_copy)
    assert (
        times["notebooks/06-mnist-basics"] == "35 s"
        and times["notebooks/07-mnist-faster"] == "3 min"
    )
    assert (
        update({row["notebook"]: row["wall_s"] for row in rows}, root=book_copy) == []
    )  # idempotent


def test_a_chapter_without_a_stated_time_is_refused(book_copy):
    import nbformat

    path = book_copy / "notebooks" / "06-mnist-basics.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.source = cell.source.replace("**Run time:**", "**Time:**")
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match="06-mnist-basics.ipynb states no run time"):
        update({"notebooks/06-mnist-basics.ipynb": 10.0}, root=book_copy)


def test_command_line_without_a_benchmark_says_to_run_make_bench(tmp_path, root):
    result = subprocess.run(
        [sys.executable, "-m", "tools.running.run_times", str(tmp_path / "bench.json")],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "run `make bench` first" in result.stderr


def test_stated_seconds_reads_the_overview(book_copy, root):
    """What the notebooks runner schedules by on a fresh clone: the time each chapter states."""
    assert all(stated_seconds(path) > 0 for path in chapter_notebooks(root))
    chapter = book_copy / "notebooks" / "07-mnist-faster.ipynb"
    update({"notebooks/07-mnist-faster.ipynb": 131.0}, root=book_copy)
    assert stated_seconds(chapter) == 120.0  # "about 2 minutes"
    update({"notebooks/07-mnist-faster.ipynb": 43.2}, root=book_copy)
    assert stated_seconds(chapter) == 45.0  # "about 45 seconds"
    nb = nbformat.read(chapter, as_version=4)
    for cell in nb.cells:
        cell.source = cell.source.replace("**Run time:**", "Time:")
    nbformat.write(nb, chapter)
    assert stated_seconds(chapter) is None
