"""Write the Colab badge and the standard setup cell into every chapter notebook.

`_config.yml` is the single source of the repository address and branch. Each notebook gets
(a) right under its H1 title, a markdown cell (id ``colab-badge``) with an "Open in Colab" badge
for that notebook, and (b) the standard setup cell (id ``setup``): on Colab only, it installs the
book's helpers from the repository at the configured branch (Colab's own TensorFlow is kept);
everywhere, it seeds every random generator, turns on deterministic ops and prints a one-line
environment report.

    python tools/sync_notebooks.py           # rewrite the notebooks that differ (make sync)
    python tools/sync_notebooks.py --check   # list them and exit 1; the test suite runs this
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
BADGE_ID = "colab-badge"
SETUP_ID = "setup"
SEED = 42

SETUP_TEMPLATE = """\
# The same setup in every chapter, written by `make sync` from _config.yml.
import sys

BOOK_REPOSITORY = "{repo_url}"
if "google.colab" in sys.modules:  # on Colab only: add the book's helpers
    %pip install --quiet "nnbook @ git+{{BOOK_REPOSITORY}}@{branch}"

import keras
import tensorflow as tf

import helpers

keras.utils.set_random_seed({seed})  # seeds Python, NumPy and TensorFlow
tf.config.experimental.enable_op_determinism()  # same results every run
print(helpers.environment_report())"""


def load_repository(config_path: Path = ROOT / "_config.yml") -> dict[str, str]:
    """The ``repository`` section of the book's configuration, checked."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    repo = config.get("repository") or {}
    url = str(repo.get("url", "")).rstrip("/")
    prefix = "https://github.com/"
    if not url.startswith(prefix) or url.count("/") != 4:
        raise ValueError(
            f"{config_path.name}: repository.url must look like https://github.com/OWNER/REPO, "
            f"got {url!r}"
        )
    return {
        "url": url,
        "slug": url[len(prefix):],
        "branch": str(repo.get("branch") or "main"),
        "path_to_book": str(repo.get("path_to_book") or "").strip("/"),
    }


def colab_url(repo: dict[str, str], notebook: Path, root: Path = ROOT) -> str:
    """The Colab address that opens ``notebook`` from the repository at the configured branch."""
    book_root = root / repo["path_to_book"] if repo["path_to_book"] else root
    in_repo = Path(repo["path_to_book"], notebook.resolve().relative_to(book_root.resolve()))
    return f"https://colab.research.google.com/github/{repo['slug']}/blob/{repo['branch']}/{in_repo.as_posix()}"


def badge_source(repo: dict[str, str], notebook: Path, root: Path = ROOT) -> str:
    badge = "https://colab.research.google.com/assets/colab-badge.svg"
    source = f"{repo['url']}/blob/{repo['branch']}/{notebook.resolve().relative_to(root.resolve()).as_posix()}"
    return (
        f"[![Open In Colab]({badge})]({colab_url(repo, notebook, root)}) "
        f"&nbsp; [View the source on GitHub]({source})"
    )


def setup_source(repo: dict[str, str]) -> str:
    return SETUP_TEMPLATE.format(repo_url=repo["url"], branch=repo["branch"], seed=SEED)


def _find(cells: list, cell_id: str) -> int | None:
    return next((i for i, cell in enumerate(cells) if cell.get("id") == cell_id), None)


def synced(nb: nbformat.NotebookNode, repo: dict[str, str], path: Path, root: Path = ROOT):
    """A copy of ``nb`` with its badge and setup cells as the configuration says."""
    nb = nbformat.from_dict(nb)  # deep copy
    cells = nb.cells
    if not cells or cells[0].cell_type != "markdown" or not cells[0].source.startswith("# "):
        raise ValueError(f"{path.name}: the first cell must be markdown starting with an H1 title ('# ...')")

    badge = _find(cells, BADGE_ID)
    if badge is None:
        cells.insert(1, nbformat.v4.new_markdown_cell(id=BADGE_ID))
    elif badge != 1:
        cells.insert(1, cells.pop(badge))
    cells[1].source = badge_source(repo, path, root)

    setup = _find(cells, SETUP_ID)
    if setup is None:
        heading = next(
            (i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Setup")),
            1,
        )
        cells.insert(heading + 1, nbformat.v4.new_code_cell(id=SETUP_ID))
        setup = heading + 1
    cells[setup].cell_type = "code"
    cells[setup].source = setup_source(repo)
    # TensorFlow's C++ start-up log lines (CUDA probing, CPU features) are noise on the website.
    cells[setup].metadata["tags"] = ["remove-stderr"]
    return nb


def chapter_notebooks(root: Path = ROOT) -> list[Path]:
    return sorted((root / "notebooks").glob("*.ipynb"))


def toc_files(root: Path = ROOT) -> list[str]:
    """Every file the table of contents names, in reading order, without its extension."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def out_of_sync(root: Path = ROOT, write: bool = False) -> list[Path]:
    """Notebooks whose badge or setup cell differ from the configuration (rewritten if ``write``)."""
    repo = load_repository(root / "_config.yml")
    stale = []
    for path in chapter_notebooks(root):
        nb = nbformat.read(path, as_version=4)
        wanted = synced(nb, repo, path, root)
        if wanted != nb:
            stale.append(path)
            if write:
                nbformat.write(wanted, path)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if any notebook differs")
    args = parser.parse_args(argv)
    stale = out_of_sync(write=not args.check)
    for path in stale:
        print(f"{'out of sync' if args.check else 'updated'}: {path.relative_to(ROOT)}")
    if args.check and stale:
        print("run `make sync` to update them from _config.yml", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
