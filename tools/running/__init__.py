"""Running the chapters: one in a kernel, all of them under pytest, timed, or over many seeds.

- ``kernel``: one chapter in a fresh kernel, with a run configuration, and what failed
- ``copies``: the executed chapters kept, so that the tests and the website share a run
- ``pytest_plugin``: pytest runs the chapters, every code cell a test (make test)
- ``bench``: each chapter's wall time and peak memory (make bench)
- ``budgets``: make bench's times and memory checked against the book's budgets
- ``run_times``: make bench's times written into the chapters and the preface
- ``spread``: how far each checked number moves over training seeds (make spread)
- ``mnist_recipes``: chapter 7's two ways to train, outside the chapter (for bench and the tests)
"""
