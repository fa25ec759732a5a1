## The template of the nbgrader_config.py that `python -m tools.course.assignments` writes into a
## course folder. tools/course/files.py renders it: these "##" lines go, and each placeholder
## __NAME__ below is replaced by its value. As it stands it is valid Python (ruff lints it), and
## tests/test_course_files.py runs what it renders.
# nbgrader configuration of this course, written by `python -m tools.course.assignments` of the book
# "Neural Networks in Python": __ORIGIN__.
# The tool rewrites this file only while it is as the tool wrote it (the fingerprint above). Put
# your own settings (course_id, the exchange, ...) in course_config.py beside it, which is read
# last and never rewritten, or in ~/.jupyter/nbgrader_config.py.
import os
import re

c = get_config()  # noqa: F821 (nbgrader provides it)

# How long a cell may run when grading. The book's own cells (locked) may take as long as the book
# allows them; a student's cells (answers, and any cell they add) are interrupted sooner, and the
# notebook is graded on: a submission that loops forever costs this long, not the whole run.
BOOK_CELL_TIMEOUT = __BOOK_CELL_TIMEOUT__
STUDENT_CELL_TIMEOUT = __STUDENT_CELL_TIMEOUT__


def cell_timeout(cell):
    locked = cell.get("metadata", {}).get("nbgrader", {}).get("locked", False)
    return BOOK_CELL_TIMEOUT if locked else STUDENT_CELL_TIMEOUT


c.Execute.timeout = BOOK_CELL_TIMEOUT
c.Execute.timeout_func = cell_timeout
# What a stopped cell shows in the student's feedback (nbgrader's own says no time limit).
_STOPPED = (
    f"this cell ran longer than its time limit when grading ({STUDENT_CELL_TIMEOUT} s for a "
    f"cell you write or answer in, {BOOK_CELL_TIMEOUT} s for the book's own cells) and was "
    "stopped: what it should have set is missing"
)
c.Execute.error_on_timeout = {
    "ename": "CellTimeoutError",
    "evalue": _STOPPED,
    "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: " + _STOPPED],
}
# A kernel slow to answer after an interrupt (a loop in compiled code) is waited for, then the
# notebook is graded on: its interrupted cell, and any that cannot run, score zero. (nbgrader's
# default gives up the whole submission, and the cells that passed before it.)
c.Execute.iopub_timeout = 30
c.Execute.raise_on_iopub_timeout = False

# What replaces a solution in the students' copy; the answer cell above it says what to set.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}

# Feedback pages that work offline. nbgrader's page loads MathJax, which shows the formulas, from
# the internet: it carries the copy in feedback_page/mathjax.js instead (about 2 MB a page). And
# its contents name each graded cell by its exercise ("Exercise 01.2") instead of "Test cell".
from nbconvert.exporters import HTMLExporter  # noqa: E402

MATHJAX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "feedback_page", "mathjax.js")
MATHJAX_CONFIG = (
    "<script>window.MathJax = {tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], "
    "displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']], processEscapes: true}, "
    "svg: {fontCache: 'global'}};</script>"
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
        return f"{match[1]}.{match[2]}" if match else cell_name

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
                        timestamp, scores, note = "", {}, "nothing submitted"
                    else:
                        timestamp = submission.timestamp or ""
                        grades = [(notebook.name, grade) for notebook in submission.notebooks for grade in notebook.grades]
                        scores = {(name, grade.name): grade.score for name, grade in grades}
                        graded = any(grade.auto_score is not None or grade.manual_score is not None for _, grade in grades)
                        note = "" if graded else "not graded (was the notebook renamed?)"
                    for notebook, cell, max_score in cells:
                        writer.writerow([
                            assignment.name, student.id, student.last_name or "", student.first_name or "",
                            student.email or "", timestamp, self.exercise(cell), scores.get((notebook, cell), 0.0), max_score, note,
                        ])


c.ExportApp.plugin_class = ExerciseCsvExport

load_subconfig("course_config.py")  # noqa: F821 (your own settings, if the file exists)
