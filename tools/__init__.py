"""The book's own tools, each run as a module from the project root (`python -m tools.NAME`).

- ``book``: the book's layout and configuration, and what each cell of a chapter is
- ``sync_notebooks``: badges, setup cells and folds written from `_config.yml` (make sync)
- ``execute``, ``executed_copies``, ``pytest_notebooks``: running the chapters, for the tests and the website
- ``build_book``: the website (make book); ``check_site``: what the built site must contain
- ``student``: student copies without solutions (make student)
- ``assignments``, ``variants``, ``course_files``: the chapters as nbgrader assignments, graded
  variants of them, and the course folder's other files (make assignments)
- ``bench``, ``budgets``, ``run_times``: timing the chapters (make bench), checking the times
  against the book's budgets, and writing them into the book
- ``spread``: how far each checked number moves over training seeds (make spread)
"""
