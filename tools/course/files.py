"""The files of an nbgrader course folder that are not assignments: its configuration, the feedback
page's MathJax, and the check of the students' submissions (``tools.course.assignments`` uses these).

- ``nbgrader_config.py`` (written from ``tools/course/templates/nbgrader_config.py``, a Python file of
  its own: see :func:`render`): the cell timeouts (and what a stopped cell says), the students' code
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
# The configuration as a Python file of its own (linted, and run by tests/test_course_files.py)
CONFIG_TEMPLATE = Path(__file__).parent / "templates" / CONFIG
_PLACEHOLDER = re.compile(r"\b__[A-Z][A-Z0-9_]*__\b")  # __NAME__ in a template


def render(template: Path, **values: object) -> str:
    """The text of ``template`` (a file under ``tools/course/templates/``) without its leading ``##``
    notes, each placeholder ``__NAME__`` replaced by the value of ``name`` (ValueError unless the
    template has exactly these placeholders, each once)."""
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    while lines and lines[0].startswith("##"):
        lines.pop(0)
    text = "".join(lines)
    found = _PLACEHOLDER.findall(text)
    wanted = [f"__{name.upper()}__" for name in values]
    if sorted(found) != sorted(wanted):
        raise ValueError(
            f"{template.name} has the placeholders {', '.join(found)}; "
            f"given {', '.join(wanted)} (each must occur once)"
        )
    for name, value in values.items():
        text = text.replace(f"__{name.upper()}__", str(value))
    return text


def config_text(*, origin: str, book_timeout: int, answer_timeout: int) -> str:
    """The course's ``nbgrader_config.py`` (``tools/course/templates/nbgrader_config.py`` with these
    values), fingerprint included."""
    return fingerprinted(
        render(
            CONFIG_TEMPLATE,
            origin=origin,
            book_cell_timeout=book_timeout,
            student_cell_timeout=answer_timeout,
        )
    )


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


def fingerprinted(body: str) -> str:
    """``body`` under a first line that records its fingerprint."""
    return (
        f"# nnbook fingerprint {_digest(body)} (the book's tools.course.assignments wrote this file)\n"
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
