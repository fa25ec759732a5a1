"""The files of an nbgrader course folder that are not assignments: its configuration, the feedback
page's MathJax, and the check of the students' submissions (``tools.assignments`` uses these).

- ``nbgrader_config.py``: the cell timeouts (and what a stopped cell says), the students' code
  stub, feedback pages readable offline (MathJax inlined, each graded cell named by its
  exercise), and an exporter of one CSV row per student and exercise.
- ``feedback_page/mathjax.js``: MathJax (the book's own offline copy), which the feedback pages
  carry inside them, so that their formulas show without a network.

A file the tool wrote starts with its fingerprint; the tool rewrites it only while it still
matches, so a teacher's edits are never lost without ``--force``.

:func:`submission_problems` lists what ``nbgrader autograde`` would skip without a word to the
student: a notebook under another name (``01-artificial-neuron (1).ipynb``), an assignment folder
of another name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

CONFIG = "nbgrader_config.py"
MATHJAX = Path("feedback_page") / "mathjax.js"
_FINGERPRINT = re.compile(r"\A# nnbook fingerprint ([0-9a-f]{12})\b[^\n]*\n")

CONFIG_TEMPLATE = r'''# nbgrader configuration of this course, written by `python -m tools.assignments` of the book
# "Neural Networks in Python": {origin}.
# The tool rewrites this file only while it is as the tool wrote it (the fingerprint above). Put
# your own settings (course_id, the exchange, ...) in course_config.py beside it, which is read
# last and never rewritten, or in ~/.jupyter/nbgrader_config.py.
import os
import re

c = get_config()  # noqa: F821 (nbgrader provides it)

# How long a cell may run when grading. The book's own cells (locked) may take as long as the book
# allows them; a student's cells (answers, and any cell they add) are interrupted sooner, and the
# notebook is graded on: a submission that loops forever costs this long, not the whole run.
BOOK_CELL_TIMEOUT = {book_timeout}
STUDENT_CELL_TIMEOUT = {answer_timeout}


def cell_timeout(cell):
    locked = cell.get("metadata", {{}}).get("nbgrader", {{}}).get("locked", False)
    return BOOK_CELL_TIMEOUT if locked else STUDENT_CELL_TIMEOUT


c.Execute.timeout = BOOK_CELL_TIMEOUT
c.Execute.timeout_func = cell_timeout
# What a stopped cell shows in the student's feedback (nbgrader's own says no time limit).
_STOPPED = (
    f"this cell ran longer than its time limit when grading ({{STUDENT_CELL_TIMEOUT}} s for a "
    f"cell you write or answer in, {{BOOK_CELL_TIMEOUT}} s for the book's own cells) and was "
    "stopped: what it should have set is missing"
)
c.Execute.error_on_timeout = {{
    "ename": "CellTimeoutError",
    "evalue": _STOPPED,
    "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: " + _STOPPED],
}}
# A kernel slow to answer after an interrupt (a loop in compiled code) is waited for, then the
# notebook is graded on: its interrupted cell, and any that cannot run, score zero. (nbgrader's
# default gives up the whole submission, and the cells that passed before it.)
c.Execute.iopub_timeout = 30
c.Execute.raise_on_iopub_timeout = False

# What replaces a solution in the students' copy; the answer cell above it says what to set.
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE"}}

# Feedback pages that work offline. nbgrader's page loads MathJax, which shows the formulas, from
# the internet: it carries the copy in feedback_page/mathjax.js instead (about 2 MB a page). And
# its contents name each graded cell by its exercise ("Exercise 01.2") instead of "Test cell".
from nbconvert.exporters import HTMLExporter  # noqa: E402

MATHJAX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "feedback_page", "mathjax.js")
MATHJAX_CONFIG = (
    "<script>window.MathJax = {{tex: {{inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], "
    "displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']], processEscapes: true}}, "
    "svg: {{fontCache: 'global'}}}};</script>"
)


def offline_feedback(html):
    """nbgrader's feedback page with MathJax inside it and each graded cell named by its exercise."""
    html = re.sub(r'(<a href="#exercise-(\d+)-(\d+)">)Test cell</a>', r"\1Exercise \2.\3</a>", html)
    if not os.path.exists(MATHJAX):
        return html  # MathJax from the internet, as nbgrader has it
    with open(MATHJAX, encoding="utf-8") as file:
        script = file.read().replace("</script", "<\\/script")
    inline = MATHJAX_CONFIG + "\n<script>" + script + "</script>"
    return re.sub(
        r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->",
        lambda match: inline,
        html,
        count=1,
        flags=re.S,
    )


class OfflineFeedback(HTMLExporter):
    """nbgrader's feedback page, readable offline (see offline_feedback)."""

    def from_notebook_node(self, nb, resources=None, **kwargs):
        html, resources = super().from_notebook_node(nb, resources, **kwargs)
        return offline_feedback(html), resources


c.GenerateFeedback.exporter_class = OfflineFeedback

# `nbgrader export` writes one row per student and exercise. For nbgrader's own table (one row per
# student and assignment): nbgrader export --exporter nbgrader.plugins.CsvExportPlugin
from nbgrader.api import MissingEntry  # noqa: E402
from nbgrader.plugins import ExportPlugin  # noqa: E402


class ExerciseCsvExport(ExportPlugin):
    """Grades as CSV, one row per student and graded cell (an exercise of the book: "01.2").

    Its last column says why a score is 0 that no answer earned: "nothing submitted" (a student of
    the gradebook without a submission), or "not graded" (a submission whose notebook nbgrader
    skipped, usually because its file was renamed).
    """

    COLUMNS = [
        "assignment", "student_id", "last_name", "first_name", "email", "timestamp",
        "exercise", "score", "max_score", "note",
    ]

    @staticmethod
    def exercise(cell_name):
        match = re.fullmatch(r"exercise-(\d+)-(\d+)", cell_name)
        return f"{{match[1]}}.{{match[2]}}" if match else cell_name

    def export(self, gradebook):
        import csv

        destination = self.to or "grades.csv"
        self.log.info("Exporting one row per student and exercise to %s", destination)
        with open(destination, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(self.COLUMNS)
            for assignment in gradebook.assignments:
                if self.assignment and assignment.name not in self.assignment:
                    continue
                cells = sorted(
                    ((cell.notebook.name, cell.name, cell.max_score) for notebook in assignment.notebooks for cell in notebook.grade_cells),
                    key=lambda item: (item[0], self.exercise(item[1])),
                )
                for student in gradebook.students:
                    if self.student and student.id not in self.student:
                        continue
                    try:
                        submission = gradebook.find_submission(assignment.name, student.id)
                    except MissingEntry:  # nothing submitted: zero for every exercise
                        timestamp, scores, note = "", {{}}, "nothing submitted"
                    else:
                        timestamp = submission.timestamp or ""
                        grades = [(notebook.name, grade) for notebook in submission.notebooks for grade in notebook.grades]
                        scores = {{(name, grade.name): grade.score for name, grade in grades}}
                        graded = any(grade.auto_score is not None or grade.manual_score is not None for _, grade in grades)
                        note = "" if graded else "not graded (was the notebook renamed?)"
                    for notebook, cell, max_score in cells:
                        writer.writerow([
                            assignment.name, student.id, student.last_name or "", student.first_name or "",
                            student.email or "", timestamp, self.exercise(cell), scores.get((notebook, cell), 0.0), max_score, note,
                        ])


c.ExportApp.plugin_class = ExerciseCsvExport

load_subconfig("course_config.py")  # noqa: F821 (your own settings, if the file exists)
'''


def config_text(*, origin: str, book_timeout: int, answer_timeout: int) -> str:
    """The course's ``nbgrader_config.py``, fingerprint included."""
    return fingerprinted(
        CONFIG_TEMPLATE.format(
            origin=origin, book_timeout=book_timeout, answer_timeout=answer_timeout
        )
    )


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


def fingerprinted(body: str) -> str:
    """``body`` under a first line that records its fingerprint."""
    return (
        f"# nnbook fingerprint {_digest(body)} (the book's tools.assignments wrote this file)\n"
        + body
    )


def edited(path: Path) -> bool:
    """Whether ``path`` exists and is no longer as the tool wrote it (or has no fingerprint)."""
    if not path.exists():
        return False
    text = path.read_text(encoding="utf-8", errors="replace")
    match = _FINGERPRINT.match(text)
    return not match or match[1] != _digest(text[match.end() :])


def mathjax_source() -> Path | None:
    """The book's offline MathJax (TeX to SVG, every extension, one file), if installed."""
    from importlib import metadata

    try:
        distribution = metadata.distribution("sphinx-mathjax-offline")
    except metadata.PackageNotFoundError:
        return None
    path = Path(
        str(distribution.locate_file("sphinx-mathjax-offline/static/mathjax/tex-svg-full.js"))
    )
    return path if path.is_file() else None


# --- the students' submissions -----------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionProblem:
    """A file or folder under ``submitted/`` that nbgrader would not grade, and what to do."""

    path: Path
    problem: str

    def describe(self, course_dir: Path) -> str:
        return f"{self.path.relative_to(course_dir)}: {self.problem}"


def submission_problems(course_dir: Path) -> list[SubmissionProblem]:
    """What ``nbgrader autograde`` would skip in ``course_dir/submitted``: each student's notebooks
    must be named as the assignment's (``submitted/<student>/<assignment>/<assignment>.ipynb``)."""
    source = course_dir / "source"
    assignments = {
        folder.name: sorted(path.name for path in folder.glob("*.ipynb"))
        for folder in sorted(source.iterdir())
        if folder.is_dir()
    }
    problems = []
    submitted = course_dir / "submitted"
    students = sorted(p for p in submitted.iterdir() if p.is_dir()) if submitted.is_dir() else []
    for student in students:
        for folder in sorted(p for p in student.iterdir() if p.is_dir()):
            if folder.name not in assignments:
                near = [a for a in assignments if a.split("-")[0] == folder.name.split("-")[0]]
                problems.append(
                    SubmissionProblem(
                        folder,
                        "no assignment of this name: nbgrader grades nothing in it"
                        + (f" (rename the folder {near[0]}?)" if len(near) == 1 else ""),
                    )
                )
                continue
            expected = assignments[folder.name]
            given = sorted(path.name for path in folder.glob("*.ipynb"))
            strangers = [name for name in given if name not in expected]
            missing = [name for name in expected if name not in given]
            for name in strangers:
                fix = f"rename it {missing[0]}" if len(missing) == 1 else "rename it"
                problems.append(
                    SubmissionProblem(
                        folder / name,
                        f"not a notebook of the assignment ({', '.join(expected)}): nbgrader "
                        f"skips it and {student.name} scores 0 for it; {fix}",
                    )
                )
            if missing and not strangers:
                problems.append(
                    SubmissionProblem(
                        folder,
                        f"no {', '.join(missing)}: {student.name} scores 0 for "
                        + ("it" if len(missing) == 1 else "them"),
                    )
                )
    return problems
