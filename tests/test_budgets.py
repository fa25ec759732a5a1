"""The run-time and memory budgets (tools.running.budgets), and the last benchmark against them."""

import json

import pytest

from tools.chapters.book import ROOT, BookError
from tools.running import budgets


def bench(*rows):
    """A make bench result with chapters given as (name, wall seconds, peak MiB)."""
    return {
        "notebooks": [
            {"notebook": f"notebooks/{name}.ipynb", "wall_s": wall, "peak_rss_mib": peak}
            for name, wall, peak in rows
        ]
    }


WITHIN = bench(("01-a", 30.0, 900), ("02-b", 44.0, 1700), ("03-c", 40.0, 1200))


def test_a_book_within_its_budgets_passes():
    assert budgets.problems(WITHIN) == []
    assert "within budget" in budgets.report(WITHIN)


def test_a_slow_chapter_a_large_peak_and_a_slow_book_are_each_named():
    slow = bench(
        ("01-a", 46.0, 900), ("02-b", 44.0, 2100), *[(f"0{i}-x", 40.0, 500) for i in range(3, 7)]
    )
    found = budgets.problems(slow)
    assert any(p.startswith("notebooks/01-a.ipynb: 46.0 s") for p in found)
    assert any("02-b" in p and "2100 MiB" in p for p in found)
    assert any(p.startswith("the book: 250.0 s") for p in found)
    assert len(found) == 3


def test_with_solutions_each_chapter_is_judged_and_the_books_total_reported():
    slow_book = bench(*[(f"0{i}-x", 41.0, 500) for i in range(1, 7)])  # 246 s in all
    assert [p[:15] for p in budgets.problems(slow_book)] == ["the book: 246.0"]
    solutions = {**slow_book, "run_solutions": True}
    assert budgets.problems(solutions) == []
    said = budgets.report(solutions)
    assert "the book, solutions included" in said and "246.0 s (not judged)" in said
    over = {**bench(("01-a", 46.0, 900)), "run_solutions": True}
    assert [p[:25] for p in budgets.problems(over)] == ["notebooks/01-a.ipynb: 46."]


def test_times_are_scaled_by_the_machines_factor_memory_is_not():
    slow_machine = bench(("01-a", 54.0, 2100))
    assert len(budgets.problems(slow_machine, factor=1.0)) == 2
    assert budgets.problems(slow_machine, factor=1.25) == [
        "notebooks/01-a.ipynb: a peak of 2100 MiB, over the 2048 MiB budget"
    ]


def test_the_factor_is_the_baselines_total_over_the_reference_machines():
    baseline = bench(("01-a", 100.0, 900), ("02-b", 170.0, 900))
    assert budgets.machine_factor(baseline) == pytest.approx(270 / 216)
    assert budgets.machine_factor(None) == 1.0


@pytest.mark.parametrize(
    "bad, message",
    [
        ({}, "no list of 'notebooks'"),
        ({"notebooks": []}, "no list of 'notebooks'"),
        ({"notebooks": [{"notebook": "a", "wall_s": 3}]}, "needs 'notebook', 'wall_s'"),
        (bench(("01-a", float("nan"), 900)), "above zero"),
        (bench(("01-a", 0.0, 900)), "above zero"),
        (bench(("01-a", 3.0, 900), ("01-a", 4.0, 900)), "listed twice"),
    ],
)
def test_what_is_not_a_bench_result_is_refused(bad, message):
    with pytest.raises(BookError, match=message):
        budgets.problems(bad)


def test_the_command_line_says_what_is_over_and_exits_1(tmp_path, capsys):
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(bench(("01-a", 50.0, 900))))
    assert budgets.main([str(path)]) == 1
    assert "over budget: notebooks/01-a.ipynb: 50.0 s" in capsys.readouterr().out
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(bench(("01-a", 259.2, 900))))  # a machine 1.2 times slower
    assert budgets.main([str(path), "--baseline", str(baseline)]) == 0
    assert budgets.main([str(tmp_path / "missing.json")]) == 2
    assert "run make bench first" in capsys.readouterr().err


def test_the_last_benchmark_on_this_machine_is_within_budget():
    """``make bench`` writes _build/bench.json (and, with BASELINE=, the baseline beside it)."""
    result = ROOT / "_build" / "bench.json"
    if not result.exists():
        pytest.skip("no _build/bench.json: run make bench (a measurement, not part of CI)")
    baseline = ROOT / "_build" / "bench-baseline.json"
    factor = budgets.machine_factor(json.loads(baseline.read_text()) if baseline.exists() else None)
    assert budgets.problems(json.loads(result.read_text()), factor) == []
