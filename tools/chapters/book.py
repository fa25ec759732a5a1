"""The book's layout and configuration, in one place: every tool and test asks this module.

- where things are: the project root, the chapter notebooks, the table of contents;
- what `_config.yml` says: the repository address and branch, the cell timeout;
- the chapter notebooks themselves, read (what each cell is: ``tools.chapters.model``, the chapter model).

Errors are :class:`BookError`: one line that names the file and says what to do.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class BookError(Exception):
    """A problem with the book's files, said in one line: which file, what is wrong, what to do."""


# --- _config.yml -------------------------------------------------------------------------------


def load_config(root: Path = ROOT) -> dict:
    """The book's configuration, `_config.yml`, as a dict (BookError if it is missing or not a mapping)."""
    import yaml

    path = root / "_config.yml"
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BookError(f"{path}: not found; run this from the book's folder") from None
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        raise BookError(
            f"{path.name}: not valid YAML{line}; fix the file or restore it with git"
        ) from None
    if not isinstance(config, dict):
        raise BookError(
            f"{path.name}: expected a mapping of settings (title:, repository:, ...); the file is empty or holds {type(config).__name__}"
        )
    return config


# A GitHub owner is letters, digits and single hyphens; a repository name adds dots and underscores.
_GITHUB_URL = re.compile(
    r"https://github\.com/(?P<slug>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/[A-Za-z0-9._-]+)"
)
# A branch or tag as git allows it in practice, without anything a shell or a quote would break on.
_GIT_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


@dataclass(frozen=True)
class Repository:
    """Where the book lives: the GitHub address, the branch (or tag) readers install from, the book's folder."""

    url: str
    slug: str  # "owner/name"
    branch: str
    path_to_book: str = ""


def check_ref(ref: str, what: str = "repository.branch") -> str:
    """``ref`` if it is a plain branch or tag name (letters, digits, ``. _ / -``, as git allows
    them: no ``//``, no part starting with ``.`` or ending in ``.lock``, not ``HEAD``); BookError if
    not.

    >>> check_ref("v1.0")
    'v1.0'
    >>> check_ref("a//b", "--ref")
    Traceback (most recent call last):
    ...
    tools.chapters.book.BookError: --ref must be a branch or tag name (letters, digits, '.', '_', '/', '-'; no '//' or '..'); got 'a//b'
    """
    parts = ref.split("/") if isinstance(ref, str) else []
    if (
        not isinstance(ref, str)
        or not _GIT_REF.fullmatch(ref)
        or ".." in ref
        or ref.endswith(("/", "."))
        or any(not part or part.startswith(".") or part.endswith(".lock") for part in parts)
    ):
        raise BookError(
            f"{what} must be a branch or tag name (letters, digits, '.', '_', '/', '-'; no '//' "
            f"or '..'); got {ref!r}"
        )
    if ref == "HEAD" or ref.endswith("_HEAD"):
        raise BookError(
            f"{what} must name a branch or tag; {ref} is git's name for whatever is checked out "
            f"here, which Colab cannot install from: give the branch (main) or a release tag"
        )
    return ref


def repository(root: Path = ROOT) -> Repository:
    """The ``repository`` section of `_config.yml`, checked: the single source of every Colab link."""
    repo = load_config(root).get("repository") or {}
    url = str(repo.get("url", "")).rstrip("/")
    match = _GITHUB_URL.fullmatch(url)
    if not match:
        raise BookError(
            f"_config.yml: repository.url must look like https://github.com/OWNER/REPO, got {url!r}"
        )
    branch = check_ref(str(repo.get("branch") or "main"))
    path_to_book = str(repo.get("path_to_book") or "").strip("/")
    if path_to_book and not _GIT_REF.fullmatch(path_to_book):
        raise BookError(
            f"_config.yml: repository.path_to_book must be a plain folder path; got {path_to_book!r}"
        )
    return Repository(url=url, slug=match["slug"], branch=branch, path_to_book=path_to_book)


def colab_url(repo: Repository, notebook: Path, root: Path = ROOT) -> str:
    """The Colab address that opens ``notebook`` from the repository at the configured branch or tag."""
    book_root = root / repo.path_to_book if repo.path_to_book else root
    in_repo = Path(repo.path_to_book, notebook.resolve().relative_to(book_root.resolve()))
    return f"https://colab.research.google.com/github/{repo.slug}/blob/{repo.branch}/{in_repo.as_posix()}"


def cell_timeout(root: Path = ROOT) -> int:
    """Seconds a cell may run: `execute.timeout` of the book's configuration."""
    timeout = (load_config(root).get("execute") or {}).get("timeout")
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout <= 0:
        raise BookError(
            f"_config.yml: execute.timeout must be a positive number of seconds; got {timeout!r}"
        )
    return timeout


# --- the chapters and the table of contents ----------------------------------------------------


def chapter_notebooks(root: Path = ROOT) -> list[Path]:
    """Every chapter notebook, in reading order (their names start with the chapter number)."""
    return sorted((root / "notebooks").glob("*.ipynb"))


def toc_files(root: Path = ROOT) -> list[str]:
    """Every file the table of contents names, in reading order, without its extension."""
    import yaml

    path = root / "_toc.yml"
    try:
        toc = yaml.safe_load(path.read_text(encoding="utf-8"))
        files = [toc["root"]]
        for part in toc.get("parts", []):
            files += [chapter["file"] for chapter in part["chapters"]]
    except FileNotFoundError:
        raise BookError(f"{path}: not found; run this from the book's folder") from None
    except (yaml.YAMLError, TypeError, KeyError, AttributeError):
        raise BookError(
            f"{path.name}: expected `root:` and `parts:` with `chapters:` of `file:` entries (Jupyter Book's jb-book format)"
        ) from None
    return files


def read_notebook(path: Path):
    """The notebook at ``path`` (nbformat 4); BookError naming the file if it cannot be one."""
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise BookError(f"{path}: not found") from None
    except (json.JSONDecodeError, nbformat.reader.NotJSONError, UnicodeDecodeError):
        raise BookError(
            f"{path}: not a notebook (not JSON); restore it with `git checkout -- {path.name}`"
        ) from None
    except (
        Exception
    ) as error:  # nbformat raises several kinds for a JSON file that is not a notebook
        raise BookError(
            f"{path}: not a valid notebook ({type(error).__name__}); restore it with git"
        ) from None
    if not nb.cells:
        raise BookError(f"{path}: the notebook has no cells")
    return nb


# --- _config.yml's branch, rewritten in place ------------------------------------------------------


def config_with_branch(ref: str, root: Path = ROOT) -> str:
    """`_config.yml`'s text with ``ref`` as `repository.branch`, the rest of the file as it is."""
    path = root / "_config.yml"
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(r"^(repository:\n(?:[ \t]+.*\n)*?[ \t]+branch:[ \t]*)(\S+)(.*)$", re.M)
    if not pattern.search(text):
        raise BookError(f"{path.name}: no `branch:` line under `repository:` to set to {ref!r}")
    return pattern.sub(lambda m: m[1] + ref + m[3], text, count=1)


def set_config_branch(ref: str, root: Path = ROOT) -> None:
    """Write ``ref`` as `repository.branch` in `_config.yml`, keeping the rest of the file as it is."""
    (root / "_config.yml").write_text(config_with_branch(ref, root), encoding="utf-8")
