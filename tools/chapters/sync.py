"""Write what every chapter notebook shares from `_config.yml`: the badge, the setup cell, the folds.

`_config.yml` is the single source of the repository address and branch. Each notebook gets

- right under its H1 title, a markdown cell (id ``colab-badge``) with an "Open in Colab" badge for
  that notebook, the book's own image inlined, so that it shows offline too;
- the standard setup cell (id ``setup``): on Colab only, it installs the book's helpers from the
  repository at the configured branch or tag (Colab's own TensorFlow is kept); everywhere, it
  sets the figures' text size, seeds every random generator with ``SEED`` and sets
  ``RUN_SOLUTIONS``; in a chapter whose code uses Keras or TensorFlow it also imports them with
  their C++ log quieted and makes ops deterministic on a CPU (a NumPy-only chapter, such as
  chapter 1, is spared TensorFlow's import: seconds at every run);
- for each cell tagged ``check`` or ``solution`` (see ``tools.chapters.model``): the website's tag, a fold in
  JupyterLab and Notebook 7 (``jupyter.source_hidden``) and in Colab (``cellView: form`` with an
  ``# @title`` line), so a student running the chapter sees the lesson and their exercises;
- for each cell that draws a figure, its alt text on the website, from the cell's opening comment
  (``# extra code: draws <what the figure shows>``, or ``# figure: <what it shows>``).

    python -m tools.chapters.sync                 # rewrite the notebooks that differ (make sync)
    python -m tools.chapters.sync --ref v1.0      # freeze a release: badges, installs and
                                                   # _config.yml's branch all name the tag v1.0
    python -m tools.chapters.sync --check         # list them and exit 1; the test suite runs this
    python -m tools.chapters.sync --check --ref v1.0   # is the book frozen at v1.0?
    python -m tools.chapters.sync notebooks/03-deep-networks.ipynb   # one chapter only
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

from tools.chapters import book, model
from tools.chapters.book import (
    BookError,
    Repository,
    config_with_branch,
)
from tools.chapters.model import figure_alt, uses_tensorflow

BADGE = (
    book.ROOT / "book" / "colab-badge.png"
)  # the book's own 117x20 badge, inlined: it shows offline too

# The setup cell: on Colab only, install the book's helpers (keeping Colab's TensorFlow, refusing a
# runtime whose TensorFlow is too old, and stopping with one clear line if the install failed); then
# the figures' text size, the seed and RUN_SOLUTIONS. A chapter whose code uses Keras or TensorFlow also imports them quietly (their
# import takes seconds) and seeds and makes TensorFlow deterministic; a NumPy-only chapter does not.
SETUP_HEAD = """\
# The book's setup, written by `make sync` from _config.yml.
{stdlib}
BOOK_REPOSITORY = "{repo_url}"
if "google.colab" in sys.modules:  # on Colab only: add the book's helpers
    from importlib import metadata, util

    try:  # Colab's own TensorFlow is kept: the install may not replace it
        TF = metadata.version("tensorflow")
    except metadata.PackageNotFoundError:  # none (a TPU runtime): pip adds one
        TF = None
    if TF and tuple(map(int, TF.split(".")[:2])) < (2, 16):
        raise RuntimeError(
            f"This runtime has TensorFlow {{TF}} with Keras 2; the book needs "
            "TensorFlow 2.16+ with Keras 3: choose Runtime > Change runtime "
            "type > Runtime version: Latest, then run this cell again"
        )
    if TF:
        %pip install -q "nnbook @ git+{{BOOK_REPOSITORY}}@{ref}" "tensorflow=={{TF}}"
    else:
        %pip install -q "nnbook @ git+{{BOOK_REPOSITORY}}@{ref}"
    if util.find_spec("helpers") is None:
        raise RuntimeError(
            "The book's helpers could not be installed (pip says why above): "
            "check that the runtime is online, then run this cell again"
        )

import matplotlib
{numpy}
import helpers
"""
SETUP_TENSORFLOW_IMPORT = """
# TensorFlow's C++ log lines (CUDA probing, CPU features, internal notes)
# are noise here: keep them out of the cells' output. Python's own errors
# and warnings still show.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
with helpers.quiet_native_logs():
    import keras
    import tensorflow as tf
"""
SETUP_SEED = """
# Figure text as large as the page's, for figures up to 7 inches wide.
matplotlib.rcParams["font.size"] = 12

# Another seed trains along another path: the numbers printed change a
# little, what the text claims does not. Running this cell again restarts
# the random sequence, so run the chapter from the top after changing it.
SEED = 42
RUN_SOLUTIONS = False  # True: the folded worked solutions run too
"""
SETUP_TENSORFLOW_SEED = """\
keras.utils.set_random_seed(SEED)  # seeds Python, NumPy and TensorFlow
if not tf.config.list_physical_devices("GPU"):
    # the same results at every run on this machine (on a GPU, some ops
    # have no deterministic kernel, so results vary a little between runs)
    tf.config.experimental.enable_op_determinism()
print(helpers.environment_report())"""
SETUP_NUMPY_SEED = """\
random.seed(SEED)  # seeds Python's random numbers
np.random.seed(SEED)  # and NumPy's (this chapter needs no TensorFlow)
print(helpers.environment_report(tensorflow=False))"""
CHECK_TITLE = "# @title Checks of the numbers stated above (the book's tests)"
SOLUTION_TITLE = "# @title Exercise {exercise}: a worked solution (runs when RUN_SOLUTIONS is True)"


def badge_image() -> str:
    """The "Open in Colab" badge as a data URI: no request to another site, so it shows offline."""
    return "data:image/png;base64," + base64.b64encode(BADGE.read_bytes()).decode()


def badge_source(repo: Repository, notebook: Path, root: Path = book.ROOT) -> str:
    source = (
        f"{repo.url}/blob/{repo.branch}/{notebook.resolve().relative_to(root.resolve()).as_posix()}"
    )
    return (
        f"[![Open in Colab]({badge_image()})]({book.colab_url(repo, notebook, root)}) "
        f"&nbsp; [View the source on GitHub]({source})"
    )


def setup_source(repo: Repository, tensorflow: bool = True) -> str:
    """The setup cell's code; ``tensorflow=False`` for a chapter that uses NumPy only."""
    if tensorflow:
        head = SETUP_HEAD.format(
            stdlib="import os\nimport sys\n", numpy="", repo_url=repo.url, ref=repo.branch
        )
        return head + SETUP_TENSORFLOW_IMPORT + SETUP_SEED + SETUP_TENSORFLOW_SEED
    head = SETUP_HEAD.format(
        stdlib="import random\nimport sys\n",
        numpy="import numpy as np\n",
        repo_url=repo.url,
        ref=repo.branch,
    )
    return head + SETUP_SEED + SETUP_NUMPY_SEED


def _find(cells: list, cell_id: str) -> int | None:
    return next((i for i, cell in enumerate(cells) if cell.get("id") == cell_id), None)


def _set_alt(cell) -> None:
    """Give the figures of a cell their alt text on the website (myst-nb's cell-level image options)."""
    alt = figure_alt(cell.source)
    if alt:
        cell.metadata["mystnb"] = {"image": {"alt": alt}}
    else:
        cell.metadata.pop("mystnb", None)


def _fold(cell, role: str, title: str) -> None:
    """Tag ``cell`` for the website, fold it in JupyterLab and Colab, and give it its Colab title."""
    cell.metadata["tags"] = [role, model.ROLE_TAGS[role]]
    cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    cell.metadata["cellView"] = "form"
    cell.source = model.with_title(cell.source, title)


def synced(nb, repo: Repository, path: Path, root: Path = book.ROOT):
    """A copy of ``nb`` with its badge, setup cell and folded cells as the configuration says."""
    import nbformat

    nb = nbformat.from_dict(nb)  # deep copy
    cells = nb.cells
    if not cells or cells[0].cell_type != "markdown" or not cells[0].source.startswith("# "):
        raise BookError(
            f"{path.name}: the first cell must be markdown starting with an H1 title ('# ...')"
        )

    badge = _find(cells, model.BADGE_ID)
    if badge is None:
        cells.insert(1, nbformat.v4.new_markdown_cell(id=model.BADGE_ID))
    elif badge != 1:
        cells.insert(1, cells.pop(badge))
    cells[1].source = badge_source(repo, path, root)

    setup = _setup_index(cells)
    cells[setup].cell_type = "code"
    cells[setup].source = setup_source(repo, tensorflow=uses_tensorflow(nb))
    cells[setup].metadata.pop("tags", None)  # TensorFlow is quiet now: nothing to remove

    for index, cell in enumerate(cells):
        if cell.cell_type == "code":
            _set_alt(cell)
        problems = model.tag_problems(cell)
        if problems:
            raise BookError(f"{path.name}, cell {index} ({cell.get('id')}): {problems[0]}")
        if model.is_check(cell):
            _fold(cell, model.CHECK, CHECK_TITLE)
        elif model.is_solution(cell):
            _fold_solution(cell, f"{path.name}, cell {index}")
    return nb


def _setup_index(cells) -> int:
    """Where the setup cell is: the cell of its id, or a new one under the "## Setup" heading
    (under the title and badge when there is none)."""
    import nbformat

    setup = _find(cells, model.SETUP_ID)
    if setup is not None:
        return setup
    heading = next(
        (
            i
            for i, c in enumerate(cells)
            if c.cell_type == "markdown" and c.source.startswith("## Setup")
        ),
        1,
    )
    cells.insert(heading + 1, nbformat.v4.new_code_cell(id=model.SETUP_ID))
    return heading + 1


def _fold_solution(cell, where: str) -> None:
    """Fold a worked solution under its title, after checking that it answers one exercise and
    runs only under ``if RUN_SOLUTIONS:`` (BookError if not)."""
    exercises = model.exercise_ids(cell)
    if len(exercises) != 1:
        raise BookError(
            f"{where}: a solution cell calls check() for exactly one exercise; found "
            f"{exercises or 'none'}"
        )
    _fold(cell, model.SOLUTION, SOLUTION_TITLE.format(exercise=exercises[0]))
    problem = model.solution_body_problem(cell.source)
    if problem:
        raise BookError(f"{where}: {problem}")


def out_of_sync(
    root: Path = book.ROOT,
    write: bool = False,
    only: list[Path] | None = None,
    ref: str | None = None,
) -> list[Path]:
    """Notebooks whose shared cells differ from the configuration (rewritten if ``write``).

    ``only`` limits it to some chapters. ``ref`` is a branch or tag to compare with (and, if
    ``write``, to write into `_config.yml`) instead of the configured one. Every notebook is read
    and checked, and the new `_config.yml` made, before anything is written, so a bad one changes
    nothing.
    """
    import nbformat

    repo = book.repository(root)
    if ref is not None:
        repo = dataclasses.replace(repo, branch=book.check_ref(ref, "--ref"))
        config = config_with_branch(ref, root)
    wanted = {}
    chapters = book.chapter_notebooks(root)
    if only:
        unknown = [path for path in only if path.resolve() not in {c.resolve() for c in chapters}]
        if unknown:
            raise BookError(
                f"{unknown[0]}: not a chapter notebook (they are notebooks/NN-name.ipynb)"
            )
        chapters = [c for c in chapters if c.resolve() in {path.resolve() for path in only}]
    for path in chapters:
        nb = book.read_notebook(path)
        synced_nb = synced(nb, repo, path, root)
        if synced_nb != nb:
            wanted[path] = synced_nb
    if write:
        if ref is not None:
            (root / "_config.yml").write_text(config, encoding="utf-8")
        for path, nb in wanted.items():
            nbformat.write(nb, path)
    return list(wanted)


def ref_exists(ref: str, root: Path = book.ROOT) -> bool | None:
    """Whether ``ref`` is a tag or branch of the git repository at ``root`` (its own or a remote's);
    None when git cannot say (no git, or not a repository)."""
    git = shutil.which("git")
    if git is None:
        return None

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [git, "-C", str(root), *args], capture_output=True, text=True, check=False
        )

    try:
        if run("rev-parse", "--git-dir").returncode != 0:
            return None
        refs = run("for-each-ref", "--format=%(refname)", "refs/tags", "refs/heads", "refs/remotes")
    except OSError:
        return None
    names = refs.stdout.split()
    return any(
        name in (f"refs/tags/{ref}", f"refs/heads/{ref}")
        or (name.startswith("refs/remotes/") and name.split("/", 3)[-1] == ref)
        for name in names
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="only report; exit 1 if any notebook differs"
    )
    parser.add_argument(
        "--ref",
        help="a release tag (or branch) to freeze the book at: written into _config.yml once every "
        "chapter is checked (with --check: are they frozen at it?)",
    )
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="only these chapters (default: all)"
    )
    args = parser.parse_args(argv)
    try:
        if args.ref is not None:
            book.check_ref(args.ref, "--ref")
            if args.notebooks:
                raise BookError(
                    "--ref freezes the whole book (_config.yml and every chapter): give it "
                    "without chapter paths"
                )
            configured = book.repository(book.ROOT).branch
        stale = out_of_sync(book.ROOT, write=not args.check, only=args.notebooks, ref=args.ref)
    except BookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a chapter or _config.yml that cannot be written
        print(
            f"error: {error.filename or 'a notebook'}: {(error.strerror or str(error)).lower()}",
            file=sys.stderr,
        )
        return 2
    for path in stale:
        print(f"{'out of sync' if args.check else 'updated'}: {path.relative_to(book.ROOT)}")
    if args.ref is not None and configured != args.ref:
        if args.check:
            print(f"out of sync: _config.yml (repository.branch is {configured}, not {args.ref})")
            stale.append(book.ROOT / "_config.yml")
        else:
            print(f"updated: _config.yml (repository.branch {configured} -> {args.ref})")
    if args.ref is not None and ref_exists(args.ref, book.ROOT) is False:
        print(
            f"note: {args.ref} is not yet a tag or branch of this repository: after committing, "
            f"create and push it (git tag {args.ref} && git push origin {args.ref}), or Colab "
            f"cannot open or install the book at it"
        )
    if args.check and stale:
        command = f"make sync REF={args.ref}" if args.ref is not None else "make sync"
        print(f"run `{command}` to update them from _config.yml", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
