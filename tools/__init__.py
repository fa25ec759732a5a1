"""The book's own tools; the commands among them run from the project root (`python -m tools.NAME`).
tools/README.md draws how they fit together. Every module, by what it does with a chapter:

Read
- ``chapter``: the chapter model, a notebook read once into typed cells and written back
- ``book``: the book's layout and configuration (folders, `_config.yml`, `_toc.yml`)
- ``sync_notebooks``: badges, setup cells and folds written from `_config.yml` (make sync)

Run
- ``execute``: one chapter in a fresh kernel, with a run configuration, and what failed
- ``executed_copies``: the executed chapters kept, so that the tests and the website share a run
- ``pytest_notebooks``: pytest runs the chapters, every code cell a test (make test)
- ``bench``, ``budgets``, ``run_times``: timing the chapters (make bench), checking the times
  against the book's budgets, and writing them into the book
- ``spread``: how far each checked number moves over training seeds (make spread)
- ``mnist_recipes``: chapter 7's two ways to train, outside the chapter (for bench and the tests)

Site
- ``build_book``: the website (make book); ``check_site``: what the built site must contain

Student copy
- ``student``: student copies without solutions (make student)

Course
- ``assignments``, ``variants``, ``course_files``: the chapters as nbgrader assignments, graded
  variants of them, and the course folder's other files (make assignments), written from
  ``templates/`` (the course's ``nbgrader_config.py``)
"""
