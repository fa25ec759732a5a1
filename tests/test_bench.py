"""make bench (tools/running/bench.py): chapter 7's two recipes trained beside the chapters, and the cost of
autograding one submission of the slowest chapter, recorded in bench.json."""

from __future__ import annotations

import json

import nbformat
import numpy as np
import pytest

from tools.chapters.book import ROOT
from tools.running import bench, mnist_recipes

CHAPTER_7 = "notebooks/07-mnist-faster.ipynb"


@pytest.fixture(scope="module")
def tiny_data():
    """A few hundred random 28x28 'images' with one-hot labels: the recipes' code, in seconds."""
    rng = np.random.default_rng(0)
    labels = np.eye(10, dtype="float32")
    return mnist_recipes.Data(
        rng.random((320, 28, 28), dtype=np.float32),
        labels[rng.integers(0, 10, 320)],
        rng.random((64, 28, 28), dtype=np.float32),
        labels[rng.integers(0, 10, 64)],
    )


def test_the_article_recipe_is_the_one_the_article_prints(tiny_data):
    """Batch 32 (fit's default), 10 epochs, Keras's default loop: one batch per call."""
    result = mnist_recipes.article_recipe(tiny_data, seed=0)
    assert result["batch_size"] == 32 and result["steps_per_execution"] == 1
    assert result["epochs"] == 10 and result["updates"] == 10 * 320 // 32
    assert result["fit_s"] > 0 and result["cpu_s"] > 0
    assert 0 <= result["test_acc"] <= 1 and 0 <= result["train_acc"] <= 1


def test_the_fast_recipe_stops_on_its_own_on_a_validation_split(tiny_data):
    result = mnist_recipes.fast_recipe(tiny_data, seed=0)
    assert result["batch_size"] == 512 and result["steps_per_execution"] == 32
    assert 3 <= result["epochs"] < 20  # random labels: the validation loss soon stalls
    assert result["updates"] == result["epochs"]  # 288 training rows: one batch per epoch


def test_both_recipes_start_from_the_same_weights():
    first, second = mnist_recipes.build_model(3), mnist_recipes.build_model(3)
    assert all(np.array_equal(a, b) for a, b in zip(first.get_weights(), second.get_weights()))
    assert first.count_params() == 407_050


def test_the_recipes_are_the_chapters():
    """tools.running.mnist_recipes trains what chapter 7's cells train: a change to one needs the other."""
    nb = nbformat.read(ROOT / CHAPTER_7, as_version=4)
    cells = {c.id: " ".join(c.source.split()) for c in nb.cells}
    for setting in (
        'keras.layers.Dense(512, activation="relu", name="hidden")',
        'keras.layers.Dense(10, activation="softmax", name="output")',
    ):
        assert setting in cells["build-model"], setting
    assert 'optimizer="adam"' in cells["train-article"]
    for setting in (
        "factor=0.1, patience=1, min_delta=0.001",
        "patience=2, min_delta=0.001, restore_best_weights=True",
        "learning_rate=0.003",
        "steps_per_execution=32",
        "batch_size=512",
        "epochs=20",
        "validation_split=0.1",
    ):
        assert setting in cells["fast-recipe"], setting


def test_compare_gives_the_ratios_and_whether_the_goal_is_met():
    article = {"fit_s": 100.0, "cpu_s": 80.0, "test_acc": 0.979}
    fast = {"fit_s": 20.0, "cpu_s": 24.0, "test_acc": 0.981}
    compared = mnist_recipes.compare(article, fast)
    assert compared["fit_time_ratio"] == 0.2 and compared["processor_time_ratio"] == 0.3
    assert compared["goal"] == {"min_test_acc": 0.98, "max_time_ratio": 0.25, "met": True}
    assert not mnist_recipes.compare(article, {**fast, "fit_s": 30.0})["goal"]["met"]
    assert not mnist_recipes.compare(article, {**fast, "test_acc": 0.979})["goal"]["met"]


def test_slowest_is_the_longest_wall_time():
    rows = [{"notebook": "a", "wall_s": 3.0}, {"notebook": "b", "wall_s": 9.5}]
    assert bench.slowest(rows) == "b" and bench.slowest([]) is None


@pytest.fixture()
def quick_bench(monkeypatch):
    """bench.main with every measurement replaced by a stand-in; returns the calls made."""
    calls = []
    walls = {"notebooks/06-mnist-basics.ipynb": 40.0, CHAPTER_7: 75.0}
    recipes = {
        "seed": 42,
        **mnist_recipes.compare(
            {
                "batch_size": 32,
                "steps_per_execution": 1,
                "epochs": 10,
                "fit_s": 100.0,
                "cpu_s": 90.0,
                "test_acc": 0.979,
                "train_acc": 0.995,
                "updates": 18_750,
            },
            {
                "batch_size": 512,
                "steps_per_execution": 32,
                "epochs": 9,
                "fit_s": 20.0,
                "cpu_s": 15.0,
                "test_acc": 0.981,
                "train_acc": 0.993,
                "updates": 954,
            },
        ),
    }

    def child(args, what):
        calls.append(args)
        if args[0] == "--one":
            return {"notebook": args[1], "wall_s": walls[args[1]], "peak_rss_mib": 900}
        return recipes

    def autograde(notebook):
        calls.append(["autograde", notebook])
        return {
            "notebook": notebook,
            "assignment": "x",
            "autograde_s": 12.3,
            "generate_feedback_s": 1.2,
            "score": 3.0,
            "max_score": 3.0,
        }

    monkeypatch.setattr(bench, "_child", child)
    monkeypatch.setattr(bench, "autograde_time", autograde)
    monkeypatch.setattr(bench, "import_time", lambda: 0.01)
    monkeypatch.setattr(bench, "loader_times", lambda: {"load_mnist": 0.4})
    monkeypatch.setattr(bench, "explanation_time", lambda: 0.1)
    return calls


def test_bench_records_the_recipes_and_the_autograde_time(quick_bench, tmp_path, capsys):
    output = tmp_path / "bench.json"
    assert (
        bench.main(["--output", str(output), *["notebooks/06-mnist-basics.ipynb", CHAPTER_7]]) == 0
    )
    results = json.loads(output.read_text())
    recipes = results["mnist_recipes"]
    assert recipes["article"]["steps_per_execution"] == 1 and recipes["article"]["epochs"] == 10
    assert recipes["fit_time_ratio"] == 0.2 and recipes["goal"]["met"]
    assert results["autograde"]["notebook"] == CHAPTER_7  # the slowest of the two
    assert results["autograde"]["autograde_s"] == 12.3
    assert ["--mnist-recipes"] in quick_bench and ["autograde", CHAPTER_7] in quick_bench
    printed = capsys.readouterr().out
    assert "time ratio: 0.20 on the clock" in printed and "goal" in printed
    assert "nbgrader autograde, one submission of notebooks/07-mnist-faster.ipynb: 12.3s" in printed


def test_bench_can_skip_the_recipes_and_the_autograde_time(quick_bench, tmp_path):
    output = tmp_path / "bench.json"
    assert (
        bench.main(["--output", str(output), "--no-mnist-recipes", "--no-autograde", CHAPTER_7])
        == 0
    )
    results = json.loads(output.read_text())
    assert "mnist_recipes" not in results and "autograde" not in results
    assert quick_bench == [["--one", CHAPTER_7]]


def test_bench_with_solutions_runs_each_chapter_as_make_test_does(quick_bench, tmp_path):
    output = tmp_path / "bench.json"
    argv = ["--output", str(output), "--with-solutions", "--no-mnist-recipes", "--no-autograde"]
    assert bench.main([*argv, CHAPTER_7]) == 0
    assert quick_bench == [["--one", CHAPTER_7, "--with-solutions"]]
    assert json.loads(output.read_text())["run_solutions"] is True
    assert bench.WITH_SOLUTIONS.run_solutions and not bench.READER.run_solutions
