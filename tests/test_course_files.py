"""The course folder's configuration (tools/course/templates/nbgrader_config.py), run as nbgrader runs it:
the values the tool writes land in nbgrader's configuration, and every function of the file works.

nbgrader itself runs the configuration in tests/test_assignments.py's graded class (minutes); these
run the same file in a second, with a fake gradebook where nbgrader would give its own.
"""

from __future__ import annotations

import csv
from types import SimpleNamespace

import pytest
from traitlets.config import Config

from tools.course import files

BOOK_TIMEOUT, STUDENT_TIMEOUT = 600, 30


def config_text() -> str:
    return files.config_text(
        origin="a test", book_timeout=BOOK_TIMEOUT, answer_timeout=STUDENT_TIMEOUT
    )


@pytest.fixture
def course(tmp_path):
    """A course folder with the tool's configuration: (its folder, what running the configuration
    as nbgrader does set: ``c``, its names, and the sub-configurations it loads)."""
    pytest.importorskip("nbgrader")  # an optional extra: not in the oldest versions' environment
    path = tmp_path / files.CONFIG
    path.write_text(config_text(), encoding="utf-8")
    c, loaded = Config(), []
    names = {
        "__file__": str(path),
        "__name__": "nbgrader_config",
        "get_config": lambda: c,
        "load_subconfig": loaded.append,
    }
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), names)
    return tmp_path, SimpleNamespace(c=c, names=names, loaded=loaded)


def test_the_template_is_the_file_written_with_its_values_and_fingerprint():
    template = files.CONFIG_TEMPLATE.read_text(encoding="utf-8")
    body = "".join(line for line in template.splitlines(True) if not line.startswith("##"))
    text = config_text()
    fingerprint, written = text.split("\n", 1)
    assert fingerprint.startswith("# nnbook fingerprint ")
    assert written == body.replace("__ORIGIN__", "a test").replace(
        "__BOOK_CELL_TIMEOUT__", str(BOOK_TIMEOUT)
    ).replace("__STUDENT_CELL_TIMEOUT__", str(STUDENT_TIMEOUT))
    assert '"Neural Networks in Python": a test.\n' in written
    assert (
        f"\nBOOK_CELL_TIMEOUT = {BOOK_TIMEOUT}\nSTUDENT_CELL_TIMEOUT = {STUDENT_TIMEOUT}\n" in text
    )


def test_a_template_with_other_placeholders_than_given_is_refused(tmp_path):
    template = tmp_path / "t.py"
    template.write_text("## notes\nA = __A__\nB = __B__\n", encoding="utf-8")
    assert files.render(template, a=1, b="x") == "A = 1\nB = x\n"
    with pytest.raises(ValueError, match="__A__, __B__; given __A__"):
        files.render(template, a=1)
    with pytest.raises(ValueError, match="given __A__, __B__, __C__"):
        files.render(template, a=1, b=2, c=3)


def test_the_fingerprint_tells_a_teachers_edit(tmp_path):
    path = tmp_path / files.CONFIG
    assert not files.edited(path)  # not there
    path.write_text(config_text(), encoding="utf-8")
    assert not files.edited(path)
    path.write_text(config_text() + "c.CourseDirectory.course_id = 'mine'\n", encoding="utf-8")
    assert files.edited(path)
    path.write_text(config_text().split("\n", 1)[1], encoding="utf-8")  # fingerprint gone
    assert files.edited(path)


def test_the_timeouts_land_in_nbgrader_configuration(course):
    _, config = course
    execute = config.c.Execute
    assert execute.timeout == BOOK_TIMEOUT
    locked = {"metadata": {"nbgrader": {"locked": True}}}
    assert execute.timeout_func(locked) == BOOK_TIMEOUT
    assert execute.timeout_func({"metadata": {"nbgrader": {"solution": True}}}) == STUDENT_TIMEOUT
    assert execute.timeout_func({"metadata": {}}) == STUDENT_TIMEOUT
    stopped = execute.error_on_timeout
    assert stopped["ename"] == "CellTimeoutError"
    assert f"({STUDENT_TIMEOUT} s for a cell you write" in stopped["evalue"]
    assert f"{BOOK_TIMEOUT} s for the book's own cells" in stopped["evalue"]
    assert stopped["traceback"] == ["\x1b[0;31mCellTimeoutError\x1b[0m: " + stopped["evalue"]]
    assert (execute.iopub_timeout, execute.raise_on_iopub_timeout) == (30, False)
    assert config.c.ClearSolutions.code_stub == {"python": "# YOUR CODE HERE"}
    assert config.loaded == ["course_config.py"]  # the teacher's own settings, read last


def test_the_feedback_page_names_exercises_and_carries_mathjax_when_there(course):
    from nbconvert.exporters import HTMLExporter

    folder, config = course
    assert issubclass(config.c.GenerateFeedback.exporter_class, HTMLExporter)
    assert config.c.GenerateFeedback.exporter_class is config.names["OfflineFeedback"]
    offline_feedback = config.names["offline_feedback"]
    page = (
        '<a href="#exercise-01-2">Test cell</a>\n<!-- Load mathjax -->'
        '<script src="https://cdn"></script><!-- End of mathjax configuration -->'
    )
    online = offline_feedback(page)
    assert online.startswith('<a href="#exercise-01-2">Exercise 01.2</a>')
    assert 'src="https://cdn"' in online  # no copy of MathJax: nbgrader's own, from the internet
    mathjax = folder / files.MATHJAX
    mathjax.parent.mkdir()
    mathjax.write_text("var s = '</script>';", encoding="utf-8")
    offline = offline_feedback(page)
    assert "https://cdn" not in offline
    assert "<script>var s = '<\\/script>';</script>" in offline
    assert "inlineMath: [['$', '$'], ['\\\\(', '\\\\)']]" in offline


def test_the_export_writes_a_row_per_student_and_exercise(course):
    folder, config = course
    plugin_class = config.c.ExportApp.plugin_class
    assert plugin_class is config.names["ExerciseCsvExport"]
    missing_entry = config.names["MissingEntry"]

    def cell(name):
        return SimpleNamespace(notebook=SimpleNamespace(name="01-a"), name=name, max_score=1.0)

    def grade(name, score, auto):
        return SimpleNamespace(name=name, score=score, auto_score=auto, manual_score=None)

    submissions = {
        "ada": SimpleNamespace(
            timestamp="2026-01-02",
            notebooks=[
                SimpleNamespace(
                    name="01-a",
                    grades=[grade("exercise-01-2", 1.0, 1.0), grade("exercise-01-10", 0.0, 0.0)],
                )
            ],
        ),
        "bob": SimpleNamespace(
            timestamp=None,
            notebooks=[SimpleNamespace(name="01-a", grades=[grade("exercise-01-2", 0.0, None)])],
        ),
    }

    def find_submission(assignment, student):
        if student not in submissions:
            raise missing_entry()
        return submissions[student]

    assignment = SimpleNamespace(
        name="01-a",
        notebooks=[SimpleNamespace(grade_cells=[cell("exercise-01-10"), cell("exercise-01-2")])],
    )
    gradebook = SimpleNamespace(
        assignments=[assignment, SimpleNamespace(name="02-b", notebooks=[])],
        students=[
            SimpleNamespace(id=s, last_name=None, first_name=s.title(), email=None)
            for s in ("ada", "bob", "cy")
        ],
        find_submission=find_submission,
    )
    grades = folder / "grades.csv"
    plugin_class(to=str(grades), assignment=["01-a"], student=["ada", "bob", "cy"]).export(
        gradebook
    )
    with open(grades, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == plugin_class.COLUMNS
    found = [(r[1], r[3], r[5], r[6], r[7], r[8], r[9]) for r in rows[1:]]
    assert found == [
        ("ada", "Ada", "2026-01-02", "01.10", "0.0", "1.0", ""),  # sorted as the ids' text
        ("ada", "Ada", "2026-01-02", "01.2", "1.0", "1.0", ""),
        ("bob", "Bob", "", "01.10", "0.0", "1.0", "not graded (was the notebook renamed?)"),
        ("bob", "Bob", "", "01.2", "0.0", "1.0", "not graded (was the notebook renamed?)"),
        ("cy", "Cy", "", "01.10", "0.0", "1.0", "nothing submitted"),
        ("cy", "Cy", "", "01.2", "0.0", "1.0", "nothing submitted"),
    ]
    assert plugin_class.exercise("exercise-12-3") == "12.3"
    assert plugin_class.exercise("my-own-cell") == "my-own-cell"
