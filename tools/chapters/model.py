"""The chapter model: a chapter notebook read once into typed cells, and written back.

Every tool is a view of it (sync, student copies, assignments, run configurations, the hygiene
tests), and this is the one module that reads a cell's text: no other parses it with a regex
(``tests/test_chapter.py`` checks that).

A cell is one of these kinds (:attr:`Cell.kind`):

- ``badge``: the markdown cell under the title ("Open in Colab", id ``colab-badge``);
- ``setup``: the code cell under "## Setup" (id ``setup``), which sets the run's values
  ``SEED = 42`` and ``RUN_SOLUTIONS = False`` (:attr:`Cell.seed`, :attr:`Cell.run_solutions`,
  set them and the cell's text follows, nothing else of it changes);
- ``check``: a code cell tagged ``check``, the asserts that keep the prose's numbers honest;
- ``answer``: an exercise's answer cell, ``name = None`` then ``check("NN.K", name)``
  (:attr:`Cell.exercise_id`, :meth:`Cell.answer_parts`);
- ``solution``: an exercise's worked solution, tagged ``solution``, under ``if RUN_SOLUTIONS:``
  (:attr:`Cell.exercise_id`, :meth:`Cell.solution_code`);
- ``lesson``: everything else, markdown or code; among them the ``## Exercises`` heading
  (:attr:`Cell.is_exercises_heading`), the tasks' text (:func:`task_cells`) and the cells that
  draw a figure (:attr:`Cell.figure_alt`).

    chapter = Chapter.read(path)
    chapter.setup.seed = 7              # the setup cell now says SEED = 7
    [cell.exercise_id for cell in chapter.cells if cell.kind == "answer"]
    chapter.write(path)                 # ids, metadata and the other cells as they were

The functions on a notebook's cell node (:func:`is_check`, :func:`exercise_ids`, :func:`role`,
...) serve the tools that hold nbformat nodes; :class:`Cell` is built on them.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.chapters.book import BookError

BADGE_ID = "colab-badge"  # the markdown cell under the title: "Open in Colab" and "View the source"
SETUP_ID = "setup"  # the code cell under "## Setup": installs on Colab, seeds, prints the versions

# A cell's role is one of these tags, and `make sync` derives everything else from it: the tag the
# website acts on, the folding in JupyterLab and Colab, and the title Colab shows for a folded cell.
CHECK = "check"  # asserts that keep the prose's numbers honest: removed on the website, folded elsewhere
SOLUTION = "solution"  # an exercise's worked solution: folded everywhere, run only when asked
ROLE_TAGS = {CHECK: "remove-cell", SOLUTION: "hide-cell"}
KNOWN_TAGS = frozenset(ROLE_TAGS) | frozenset(ROLE_TAGS.values())
SOLUTION_GUARD = "if RUN_SOLUTIONS:"
KINDS = ("badge", "setup", "check", "answer", "solution", "lesson")

EXERCISE_ID = re.compile(r"""\bcheck\(\s*["'](\d\d\.\d+)["']""")
# Code that uses Keras or TensorFlow: `keras.`, `tf.`, or an import of either.
_USES_TENSORFLOW = re.compile(
    r"\b(?:keras|tf)\.|^\s*(?:import|from)\s+(?:keras|tensorflow)\b", re.M
)
TITLE_LINE = re.compile(r"# ?@title\b.*")  # Colab's title of a folded cell
_FIGURE_COMMENT = re.compile(r"#\s*(?:extra code: draws|figure:)\s+(?P<what>.+)")
_HELPER_NOTE = re.compile(r",?\s+(?:with|from) (?:helpers|keras)\.[\w.]+(?:\(\))?")
_MAGIC = re.compile(r"^\s*[%!]", re.M)  # IPython's syntax: %pip, !ls
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")
# Training seeded with a number of its own instead of SEED: keras's or a random forest's.
_OWN_TRAINING_SEED = re.compile(
    r"set_random_seed\(\s*\d+\s*\)|RandomForest\w+\([^)]*random_state=\d+"
)
# Where an exercise's task starts: its heading (`### 2. Title`) or, in older chapters, `**2. Title.**`.
TASK_START = re.compile(r"(?:#{3,4}\s+|\*\*)\d+\.")
_TASK_HEADING = re.compile(r"^(?:#{3,4}\s+|\*\*)\d+\..*$", re.M)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_ABOUT_SELF_CHECK = re.compile(r"`check`|check\(|RUN_SOLUTIONS|solution")

# A literal seed, in the forms the chapters use. Each pattern's group 1 is the literal.
SEED_PATTERNS = [
    re.compile(r"^SEED = (\d[\d_]*)\b", re.M),  # the setup cell's training seed
    re.compile(r"\bdefault_rng\(\s*(\d[\d_]*)\s*\)"),
    re.compile(r"\bRandomState\(\s*(\d[\d_]*)\s*\)"),
    re.compile(r"\b(?:random\.seed|set_seed|set_random_seed)\(\s*(\d[\d_]*)\s*\)"),
    re.compile(r"\brandom_state\s*=\s*(\d[\d_]*)\b"),
    # a keyword argument or a default: make_loan_applications(1_000, seed=1)
    re.compile(r"\bseed\s*=\s*(\d[\d_]*)\b"),
]


# What a sentence cannot hold: an f-string's field left unfilled ("{n_runs}", "{acc:.2f}").
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?(?:![rsa])?(?::[^{}]*)?\}")
# What may hold braces in markdown: code and math (removed before looking).
_MARKDOWN_CODE_AND_MATH = re.compile(
    r"```.*?```|~~~.*?~~~|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S
)
_MYST_ROLE = re.compile(r"\{[\w:-]+\}(?=`)")  # {doc}`preface`
# "**Run time:** about 40 seconds" in a chapter's overview; group 1 is "40 seconds".
RUN_TIME_PHRASE = re.compile(r"(?<=\*\*Run time:\*\* about )(\d+ (?:seconds|minutes?))")


# --- what a cell node is --------------------------------------------------------------------------


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def is_check(cell) -> bool:
    return cell.get("cell_type") == "code" and CHECK in tags(cell)


def is_solution(cell) -> bool:
    return cell.get("cell_type") == "code" and SOLUTION in tags(cell)


def exercise_ids(cell) -> list[str]:
    """The exercise ids a cell gives to ``check`` ("01.2", ...)."""
    return EXERCISE_ID.findall(cell.get("source", ""))


def is_answer(cell) -> bool:
    """An exercise's answer cell: it calls ``check`` and is not the worked solution."""
    return cell.get("cell_type") == "code" and not is_solution(cell) and bool(exercise_ids(cell))


def role(cell) -> str:
    """What a code cell is for the tests' reports: "check", "solution", "answer" or "lesson"."""
    if is_check(cell):
        return "check"
    if is_solution(cell):
        return "solution"
    if is_answer(cell):
        return "answer"
    return "lesson"


def kind(cell) -> str:
    """The cell's kind (:data:`KINDS`): its role, or the badge or the setup cell by their ids."""
    if cell.get("id") == BADGE_ID:
        return "badge"
    if cell.get("id") == SETUP_ID:
        return "setup"
    return role(cell)


def tag_problems(cell) -> list[str]:
    """What is wrong with a cell's tags: unknown or near-miss tags, or a website tag without its role."""
    found = []
    for tag in tags(cell):
        if tag in KNOWN_TAGS:
            continue
        near = [
            known for known in KNOWN_TAGS if known.lower() == tag.lower().strip().replace("_", "-")
        ]
        found.append(
            f"tag {tag!r} is not one the book uses"
            + (f" (did you mean {near[0]!r}?)" if near else f"; use one of {sorted(ROLE_TAGS)}")
        )
    for cell_role, site_tag in ROLE_TAGS.items():
        if site_tag in tags(cell) and cell_role not in tags(cell):
            found.append(
                f"tag {site_tag!r} without {cell_role!r}: tag the cell {cell_role!r} and `make sync` adds the rest"
            )
    if CHECK in tags(cell) and SOLUTION in tags(cell):
        found.append("a cell cannot be both a check and a solution")
    if tags(cell) and cell.get("cell_type") != "code":
        found.append(f"only code cells take these tags; this one is {cell.get('cell_type')}")
    return found


def exercise_problems(nb) -> list[str]:
    """How a chapter's answer cells and worked solutions fail to pair up, one exercise each."""
    problems = [
        f"cell {index}: {problem}"
        for index, cell in enumerate(nb.cells)
        for problem in tag_problems(cell)
    ]
    answered = [e for cell in nb.cells if is_answer(cell) for e in exercise_ids(cell)]
    solved = [e for cell in nb.cells if is_solution(cell) for e in exercise_ids(cell)]
    problems += [
        f"exercise {e} has no worked solution (a cell tagged 'solution' calling check({e!r}, ...))"
        for e in answered
        if e not in solved
    ]
    problems += [
        f"the solution of exercise {e} has no answer cell before it"
        for e in solved
        if e not in answered
    ]
    problems += [
        f"exercise {e} has {solved.count(e)} solution cells"
        for e in sorted(set(solved))
        if solved.count(e) > 1
    ]
    if not solved and not problems:
        problems.append("no cell is tagged 'solution': are its exercises marked?")
    return problems


def code_uses_tensorflow(source: str) -> bool:
    """Whether code uses Keras or TensorFlow (``keras.``, ``tf.``, or an import of either)."""
    return bool(_USES_TENSORFLOW.search(source))


def uses_tensorflow(nb) -> bool:
    """Whether any code cell of ``nb`` but its setup cell uses Keras or TensorFlow."""
    return any(
        cell.cell_type == "code"
        and cell.get("id") != SETUP_ID
        and code_uses_tensorflow(cell.source)
        for cell in nb.cells
    )


def markdown_images(source: str) -> list[str]:
    """The addresses of the images a markdown cell shows (``![alt](address)``)."""
    return _MARKDOWN_IMAGE.findall(source)


def own_training_seeds(source: str) -> list[str]:
    """Where code seeds training with a number instead of ``SEED``: ``set_random_seed(0)``, or a
    random forest's ``random_state=0``."""
    return [match[0] for match in _OWN_TRAINING_SEED.finditer(source)]


def placeholders(markdown: str) -> list[str]:
    """The unfilled ``{name}`` fields in a markdown cell's prose (code and math left aside).

    >>> placeholders("It took {f_fewer}+ times fewer updates, $e^{x}$, `{a: 1}`, {doc}`preface`.")
    ['{f_fewer}']
    """
    without_roles = _MYST_ROLE.sub(" ", markdown)  # MyST roles: {doc}`preface`
    return PLACEHOLDER.findall(_MARKDOWN_CODE_AND_MATH.sub(" ", without_roles))


def stated_run_time(source: str) -> str | None:
    """The run time a markdown cell states ("**Run time:** about 40 seconds": "40 seconds"), or None."""
    match = RUN_TIME_PHRASE.search(source)
    return match[1] if match else None


def with_run_time(source: str, run_time: str) -> str:
    """A markdown cell's text with the run time it states replaced by ``run_time`` ("45 seconds")."""
    return RUN_TIME_PHRASE.sub(run_time, source, count=1)


def with_title(source: str, title: str) -> str:
    """``source`` whose first line is ``title`` (an existing ``# @title`` line is replaced)."""
    lines = source.split("\n")
    if lines and TITLE_LINE.fullmatch(lines[0].strip()):
        lines = lines[1:]
    return "\n".join([title, *lines])


def figure_alt(source: str) -> str | None:
    """The alt text of the figure a cell draws, from its opening comment, or None.

    >>> figure_alt("# extra code: draws the figure comparing full-batch and\\n# mini-batch descent\\nplt.show()")
    'The figure comparing full-batch and mini-batch descent.'
    >>> figure_alt("# extra code: draws the training curves with helpers.training\\nplot_history(h)")
    'The training curves.'
    >>> figure_alt("# @title Exercise 08.4: ...\\nif RUN_SOLUTIONS:\\n    # figure: a bar chart\\n    plt.show()")
    'A bar chart.'
    """
    lines = [line.strip() for line in source.split("\n")]
    if lines and TITLE_LINE.fullmatch(lines[0]):
        lines = lines[1:]
    if lines and lines[0] == SOLUTION_GUARD:  # a worked solution: its code's opening comment
        lines = lines[1:]
    match = _FIGURE_COMMENT.fullmatch(lines[0]) if lines else None
    if not match:
        return None
    words = [match["what"]]
    for line in lines[1:]:
        if not line.startswith("#"):
            break
        words.append(line.lstrip("#").strip())
    text = _HELPER_NOTE.sub("", " ".join(words)).strip().rstrip(".,:")
    return text[0].upper() + text[1:] + "."


def solution_body_problem(source: str) -> str | None:
    """Why a folded worked solution (its ``# @title`` line first) does not run only when asked."""
    body = source.split("\n")[1:]
    if (
        not body
        or body[0] != SOLUTION_GUARD
        or not all(not line or line.startswith("    ") for line in body[1:])
    ):
        return f"a worked solution runs only when asked; put its code under `{SOLUTION_GUARD}`, indented by 4 spaces"
    return None


# --- a cell's code, read as Python ------------------------------------------------------------------


def plain_python(code: str) -> str:
    """``code`` with IPython's syntax (``%magic``, ``!command``) turned into the Python IPython runs."""
    if not _MAGIC.search(code):
        return code
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(code)


def parse(source: str, what: str) -> ast.Module:
    """``source`` as Python's syntax tree (BookError naming ``what`` if it is not valid Python)."""
    try:
        return ast.parse(source)
    except SyntaxError as error:
        raise BookError(f"{what}: not valid Python (line {error.lineno}: {error.msg})") from None


def call_to_check(node: ast.stmt) -> tuple[str, ast.expr] | None:
    """(exercise id, answer expression) if ``node`` is a statement ``check("NN.K", answer)``."""
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return None
    call = node.value
    if not (
        isinstance(call.func, ast.Name)
        and call.func.id == "check"
        and len(call.args) == 2
        and not call.keywords
    ):
        return None
    first = call.args[0]
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None
    return first.value, call.args[1]


def _literal(node: ast.expr) -> Any:
    """The number (or text, or True/False, or list or tuple of numbers) a literal node holds;
    ValueError if it is not one."""
    value = ast.literal_eval(node)
    if isinstance(value, (list, tuple)) and all(
        isinstance(item, (int, float)) and not isinstance(item, bool) for item in value
    ):
        return value
    if not isinstance(value, (int, float, str, bool)):
        raise ValueError(value)
    return value


def _assigned_pairs(node: ast.stmt) -> list[tuple[ast.Name, ast.expr]]:
    """(name, value) of each name a top-level ``A = 1`` or ``A, B = 1, 2`` sets."""
    if not isinstance(node, ast.Assign) or len(node.targets) != 1:
        return []
    target, value = node.targets[0], node.value
    if isinstance(target, ast.Name):
        return [(target, value)]
    if (
        isinstance(target, ast.Tuple)
        and isinstance(value, ast.Tuple)
        and len(target.elts) == len(value.elts)
        and all(isinstance(t, ast.Name) for t in target.elts)
    ):
        return list(zip(target.elts, value.elts))
    return []


def literal_assignments(source: str, what: str) -> dict[str, list[tuple[Any, int, int]]]:
    """Every name a top-level line of ``source`` sets to a literal (``BATCH_SIZE, EPOCHS = 64, 5``):
    name -> [(value, start, end), ...], one per line that sets it, with the literal's position in
    ``source`` (offsets of characters). Lines of IPython's syntax (``%pip``) are read as the
    Python IPython runs and set nothing here."""
    plain = plain_python(source)
    tree = parse(plain, what)
    lines = source.splitlines(keepends=True)
    plain_lines = plain.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, col: int) -> int:  # ast's columns count UTF-8 bytes
        text = source[starts[line - 1] : starts[line]]
        return starts[line - 1] + len(text.encode("utf-8")[:col].decode("utf-8"))

    found: dict[str, list[tuple[Any, int, int]]] = {}
    for node in tree.body:
        span = slice(node.lineno - 1, node.end_lineno)
        if plain is not source and [s.rstrip("\n") for s in lines[span]] != [
            s.rstrip("\n") for s in plain_lines[span]
        ]:
            continue  # a line IPython rewrote: no literal of ours
        for name, literal in _assigned_pairs(node):
            try:
                value = _literal(literal)
            except ValueError:
                continue
            start = offset(literal.lineno, literal.col_offset)
            end = offset(literal.end_lineno, literal.end_col_offset)
            found.setdefault(name.id, []).append((value, start, end))
    return found


def constants(source: str, what: str) -> dict[str, tuple[Any, int, int]]:
    """Every name a top-level line of ``source`` sets to a literal: name -> (value, start, end) of
    the last line that sets it (see :func:`literal_assignments`)."""
    return {name: places[-1] for name, places in literal_assignments(source, what).items()}


def solution_code(cell, what: str) -> str:
    """The code of a worked solution cell: what sits under ``if RUN_SOLUTIONS:``, dedented."""
    lines = cell.source.splitlines()
    guard = [i for i, line in enumerate(lines) if line.strip() == SOLUTION_GUARD]
    if len(guard) != 1 or any(
        line.strip() and not line.lstrip().startswith("#") for line in lines[: guard[0]]
    ):
        raise BookError(
            f"{what}: a worked solution is a `# @title` line, then `if RUN_SOLUTIONS:` with the solution under it"
        )
    body = lines[guard[0] + 1 :]
    if any(line.strip() and not line.startswith((" ", "\t")) for line in body):
        raise BookError(
            f"{what}: every line of the solution must be indented under `if RUN_SOLUTIONS:`"
        )
    return textwrap.dedent("\n".join(body)).strip("\n") + "\n"


def answer_parts(cell, exercise_id: str, what: str) -> tuple[str, str]:
    """(the answer's variable name, the answer cell without its check() line)."""
    tree = parse(cell.source, what)
    calls = [(node, call_to_check(node)) for node in tree.body]
    calls = [(node, called) for node, called in calls if called and called[0] == exercise_id]
    if len(calls) != 1 or not isinstance(calls[0][1][1], ast.Name):
        raise BookError(
            f"{what}: an answer cell ends with check({exercise_id!r}, <a variable name>)"
        )
    node, (_, answer) = calls[0]
    given = [
        n
        for n in tree.body
        if isinstance(n, ast.Assign)
        and [t.id for t in n.targets if isinstance(t, ast.Name)] == [answer.id]
        # a build exercise's answer cell may give the function's stub instead
        or isinstance(n, ast.FunctionDef)
        and n.name == answer.id
    ]
    if not given:
        raise BookError(
            f"{what}: the answer cell must set {answer.id} (`{answer.id} = None  # replace None ...`, "
            f"or for a function the stub `def {answer.id}(...):`) before check()"
        )
    lines = cell.source.splitlines()
    del lines[node.lineno - 1 : node.end_lineno]
    return answer.id, "\n".join(lines).rstrip("\n")


def released_answer_name(cell, what: str) -> str:
    """The name a released answer cell (nbgrader's student version: no ``check`` line) leaves to
    the student: the variable of its first ``name = None``, or the function its stub defines."""
    for node in parse(cell.source, what).body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and node.value.value is None
        ):
            return node.targets[0].id
        if isinstance(node, ast.FunctionDef):
            return node.name
    raise BookError(f"{what}: no `name = None` line and no function stub `def name(...):`")


def names(source: str) -> tuple[set[str], set[str]]:
    """The names a cell binds and the names it reads (IPython magics turned into Python first)."""
    try:
        tree = ast.parse(plain_python(source))
    except SyntaxError as error:
        raise BookError(
            f"a code cell is not valid Python (line {error.lineno}: {error.msg}): {source[:60]!r}"
        ) from None
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):  # a function's parameter: its own name, not the notebook's
            bound.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return bound, read


# --- the setup cell's values --------------------------------------------------------------------------

SETUP_VALUES = {"SEED": int, "RUN_SOLUTIONS": bool}


def _setup_value_place(source: str, name: str) -> tuple[Any, int, int] | None:
    """(value, start, end) of the one line of a setup cell that sets ``name``, or None."""
    places = [
        place
        for place in literal_assignments(source, "the setup cell").get(name, [])
        if type(place[0]) is SETUP_VALUES[name]
    ]
    return places[0] if len(places) == 1 else None


def setup_value(source: str, name: str) -> Any:
    """The value the setup cell's text gives ``SEED`` or ``RUN_SOLUTIONS`` (BookError if it does not
    set it exactly once)."""
    place = _setup_value_place(source, name)
    if place is None:
        raise BookError(f"the setup cell must set `{name}` exactly once; run `make sync`")
    return place[0]


def with_setup_value(source: str, name: str, value: Any) -> str:
    """The setup cell's text with ``SEED`` or ``RUN_SOLUTIONS`` set to ``value``, nothing else changed."""
    if type(value) is not SETUP_VALUES[name]:
        raise TypeError(f"{name} is {SETUP_VALUES[name].__name__}; got {value!r}")
    place = _setup_value_place(source, name)
    if place is None:
        raise BookError(f"the setup cell must set `{name}` exactly once; run `make sync`")
    _, start, end = place
    return source[:start] + repr(value) + source[end:]


# --- a course variant's seeds -------------------------------------------------------------------------

_SEED_LIMIT = 2**32


def reseed(source: str, course_seed: int) -> str:
    """``source`` with each literal seed ``s`` replaced by ``1000 * course_seed + s``.

    >>> reseed("SEED = 42\\nrng = np.random.default_rng(0)", 7)
    'SEED = 7042\\nrng = np.random.default_rng(7000)'
    """

    def replace(match: re.Match) -> str:
        literal = int(match[1].replace("_", ""))
        new = 1000 * course_seed + literal
        if new >= _SEED_LIMIT:
            raise BookError(
                f"the literal seed {literal} becomes {new:,} with course seed {course_seed}, "
                "above NumPy's largest seed (2^32 - 1): choose a smaller course seed"
            )
        start, end = match.span(1)
        whole, offset = match[0], match.start()
        return whole[: start - offset] + str(new) + whole[end - offset :]

    for pattern in SEED_PATTERNS:
        source = pattern.sub(replace, source)
    return source


# --- the exercises' text -------------------------------------------------------------------------------


def is_exercises_heading(cell) -> bool:
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith("## Exercises")


def exercises_intro_parts(source: str) -> tuple[str, list[str]]:
    """The ``## Exercises`` cell's heading line, and its paragraphs but those of its introduction
    that speak of the self-check (``check``, ``RUN_SOLUTIONS``, the solutions)."""
    heading, _, rest = source.partition("\n")
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(rest.strip()) if p.strip()]
    first_task = next(
        (i for i, p in enumerate(paragraphs) if TASK_START.match(p.lstrip())), len(paragraphs)
    )
    kept = [
        p for i, p in enumerate(paragraphs) if i >= first_task or not _ABOUT_SELF_CHECK.search(p)
    ]
    return heading, kept


def task_cells(nb, answer_index: int) -> tuple[tuple[int, int], ...]:
    """Where the task of the exercise answered in cell ``answer_index`` is written: the markdown
    cells before it, back to the one holding the task's heading, each with the offset where the
    task's text starts in it (after the heading's line)."""
    found = []
    for index in range(answer_index - 1, -1, -1):
        cell = nb.cells[index]
        if cell.cell_type != "markdown":
            break
        headings = list(_TASK_HEADING.finditer(cell.source))
        if headings:
            found.append((index, headings[-1].end()))
            break
        found.append((index, 0))
    return tuple(reversed(found))


def task_text(nb, cells: tuple[tuple[int, int], ...]) -> str:
    return "\n\n".join(nb.cells[index].source[start:] for index, start in cells)


def _written(value: Any) -> list[str]:
    """The ways a task's text may write ``value``: ``1400``, ``1,400``, ``1_400``; ``0.001``."""
    if isinstance(value, (bool, str, list, tuple)):
        return []
    if isinstance(value, int):
        return sorted({str(value), f"{value:,}", f"{value:_}"}, key=len, reverse=True)
    import numpy as np

    return sorted(
        {repr(value), np.format_float_positional(value, trim="-"), f"{value:g}"},
        key=len,
        reverse=True,
    )


def number_pattern(value: Any) -> re.Pattern | None:
    """The pattern of ``value`` as a number standing on its own in text (not part of another)."""
    forms = _written(value)
    if not forms:
        return None
    alternatives = "|".join(re.escape(form) for form in forms)
    return re.compile(rf"(?<![\w.,]){alternatives}(?![\w]|[.,]\d)")


def stated(text: str, value: Any) -> list[re.Match]:
    """Where a task's ``text`` states the number ``value``."""
    pattern = number_pattern(value)
    return list(pattern.finditer(text)) if pattern else []


# --- the model ---------------------------------------------------------------------------------------


@dataclass(eq=False)
class Cell:
    """One cell of a chapter, a view of its notebook node: what it is, and the values it holds.

    Reading a field reads the node; setting :attr:`seed` or :attr:`run_solutions` of the setup
    cell rewrites that value in the node's text and nothing else.
    """

    node: Any = field(repr=False)  # the nbformat cell: id, metadata and outputs as they are
    index: int

    @property
    def kind(self) -> str:
        return kind(self.node)

    @property
    def id(self) -> str | None:
        return self.node.get("id")

    @property
    def cell_type(self) -> str:
        return self.node.cell_type

    @property
    def source(self) -> str:
        return self.node.source

    @property
    def tags(self) -> list[str]:
        return tags(self.node)

    @property
    def exercise_ids(self) -> list[str]:
        return exercise_ids(self.node) if self.cell_type == "code" else []

    @property
    def exercise_id(self) -> str | None:
        """The exercise an answer or a solution cell is for (None for other cells, or if it names
        several)."""
        ids = self.exercise_ids if self.kind in ("answer", "solution") else []
        return ids[0] if len(ids) == 1 else None

    def answer_parts(self, what: str = "answer cell") -> tuple[str, str]:
        """(the answer's variable, the cell without its ``check`` line); BookError if it has none."""
        return answer_parts(self.node, self.exercise_id, what)

    @property
    def answer_variable(self) -> str:
        return self.answer_parts()[0]

    def solution_code(self, what: str = "worked solution") -> str:
        return solution_code(self.node, what)

    @property
    def figure_alt(self) -> str | None:
        return figure_alt(self.source) if self.cell_type == "code" else None

    @property
    def is_exercises_heading(self) -> bool:
        return is_exercises_heading(self.node)

    @property
    def tag_problems(self) -> list[str]:
        return tag_problems(self.node)

    @property
    def seed(self) -> int:
        return setup_value(self.source, "SEED")

    @seed.setter
    def seed(self, value: int) -> None:
        self.node.source = with_setup_value(self.source, "SEED", value)

    @property
    def run_solutions(self) -> bool:
        return setup_value(self.source, "RUN_SOLUTIONS")

    @run_solutions.setter
    def run_solutions(self, value: bool) -> None:
        self.node.source = with_setup_value(self.source, "RUN_SOLUTIONS", value)


@dataclass(eq=False)
class Chapter:
    """A chapter notebook as typed cells; :meth:`notebook` is the nbformat node they view."""

    nb: Any = field(repr=False)
    name: str = "notebook"  # for messages: the notebook's file name

    @classmethod
    def read(cls, path: Path) -> Chapter:
        """The chapter at ``path`` (BookError naming the file if it cannot be read)."""
        from tools.chapters import book

        return cls(book.read_notebook(Path(path)), Path(path).name)

    def notebook(self):
        """The nbformat notebook, cell ids and metadata as read (and changed through the cells)."""
        return self.nb

    def write(self, path: Path) -> None:
        import nbformat

        nbformat.write(self.nb, Path(path))

    @property
    def cells(self) -> list[Cell]:
        return [Cell(node, index) for index, node in enumerate(self.nb.cells)]

    def of_kind(self, *kinds: str) -> list[Cell]:
        return [cell for cell in self.cells if cell.kind in kinds]

    @property
    def setup(self) -> Cell:
        """The setup cell (BookError if the chapter has none, or several)."""
        found = self.of_kind("setup")
        if len(found) != 1:
            raise BookError(
                f"{self.name}: expected one setup cell (id {SETUP_ID!r}), found {len(found)}; run `make sync`"
            )
        return found[0]

    def configure(self, seed: int, run_solutions: bool) -> Chapter:
        """Set the setup cell's ``SEED`` and ``RUN_SOLUTIONS`` (the rest of the chapter as it is)."""
        setup = self.setup
        try:
            source = with_setup_value(setup.source, "SEED", seed)
            setup.node.source = with_setup_value(source, "RUN_SOLUTIONS", run_solutions)
        except BookError as error:
            raise BookError(f"{self.name}: {error}") from None
        return self

    def exercise_problems(self) -> list[str]:
        return exercise_problems(self.nb)

    @property
    def uses_tensorflow(self) -> bool:
        return uses_tensorflow(self.nb)

    def task_cells(self, answer: Cell) -> tuple[tuple[int, int], ...]:
        return task_cells(self.nb, answer.index)

    def values(self) -> Mapping[str, Any]:
        """The setup cell's values: ``{"SEED": 42, "RUN_SOLUTIONS": False}``."""
        return {"SEED": self.setup.seed, "RUN_SOLUTIONS": self.setup.run_solutions}
