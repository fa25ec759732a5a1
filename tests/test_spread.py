"""tools.running.spread: every assert of a check cell is recorded, failing or not, and reported as a band."""

from __future__ import annotations

import nbformat

from tools.running import spread


def _chapter(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def _check(source):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["check", "remove-cell"]
    return cell


def _run(nb) -> dict:
    """Run a recorded chapter's code cells in one namespace, as a kernel would; the recorded asserts."""
    namespace: dict = {}
    for cell in nb.cells[:-1]:  # not the reporter: it imports helpers.exercises and prints
        exec(cell.source, namespace)
    return namespace["_spread_records"]


def test_every_assert_is_recorded_and_a_failing_one_does_not_stop_the_cell():
    nb = _chapter(
        nbformat.v4.new_code_cell("accuracy, loss = 0.91, [0.5, 0.3]"),
        _check(
            "assert 0.85 <= accuracy <= 0.95\n"
            "assert loss[-1] < 0.2  # fails\n"
            "for value in loss:\n    assert value > 0\n"
            "assert len(loss) == 1 + 1 and round(accuracy, 2) == 0.91"
        ),
    )
    recorded, sources = spread.recording(nb, "test")
    assert sources == {
        "1.0": "assert 0.85 <= accuracy <= 0.95",
        "1.1": "assert loss[-1] < 0.2",
        "1.2": "assert value > 0",
        "1.3": "assert len(loss) == 1 + 1 and round(accuracy, 2) == 0.91",
    }
    records = _run(recorded)
    assert records["1.0"] == {"values": {"accuracy": [0.91]}, "failed": False, "error": None}
    assert records["1.1"]["values"] == {"loss[-1]": [0.3]} and records["1.1"]["failed"]
    assert records["1.2"]["values"] == {"value": [0.5, 0.3]} and not records["1.2"]["failed"]
    assert records["1.3"]["values"] == {"len(loss)": [2.0], "round(accuracy, 2)": [0.91]}


def test_an_assert_that_raises_is_a_failure_with_its_error():
    nb = _chapter(_check("assert undefined_name > 1"))
    recorded, _ = spread.recording(nb, "test")
    record = _run(recorded)["0.0"]
    assert record["failed"] and record["error"].startswith("NameError")


def test_the_report_gives_each_quantity_its_range_over_runs_and_the_failing_seeds():
    def run(seed, accuracy, failed):
        return {
            "seed": seed,
            "asserts": {"3.0": {"values": {"acc": [accuracy]}, "failed": failed, "error": None}},
            "exercises": {"03.1": {"right": not failed, "value": 46.0, "measured": ""}},
            "errors": [],
            "sources": {"3.0": "assert 0.85 <= acc <= 0.95"},
        }

    data = {
        "environments": {
            "locked": {"runs": [run(1, 0.9, False), run(2, 0.86, False)], "date": "2026-12-07"},
            "oldest": {"runs": [run(3, 0.84, True)], "date": "2026-12-07"},
        }
    }
    report = spread.render("03-deep-networks", data)
    assert "| 3 | `assert 0.85 <= acc <= 0.95` | `acc` | 0.84 | 0.9 | 3 |" in report
    assert "| 03.1 | 46 | 46 | no: seeds 3 |" in report
    assert "- locked: 2 runs, seeds 1-2" in report


def test_seed_lists_are_ranges():
    assert spread._seed_list([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"
    assert spread._seed_list([]) == ""
