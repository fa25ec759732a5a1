"""Build the website: every chapter executed (or its kept execution reused), then Jupyter Book.

    python -m tools.website.build          # make book: into _build/html

Every chapter runs with ``SEED = 42`` and its worked solutions, as `make test` runs it. When
`make test` has just run a chapter with the same notebook, helpers and library versions, its
executed copy (see :mod:`tools.running.copies`) is used as it is; any other chapter runs now, two at a
time. A chapter with a failing cell stops the build, as `execute.allow_errors: false` would. The
executed chapters and the book's pages are staged in `_build/book-src` and built from there with
Jupyter Book's execution turned off, warnings as errors.
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools.chapters import book
from tools.running.copies import execute_and_keep, fresh_copy
from tools.running.kernel import RunConfig, failures

STAGE = book.ROOT / "_build" / "book-src"
WEBSITE_RUN = RunConfig(seed=42, run_solutions=True)


def executed_chapters(workers: int) -> dict[Path, object]:
    """Every chapter, executed: the kept copy where it is fresh, a new run otherwise."""
    chapters = book.chapter_notebooks()
    done = {path: fresh_copy(path, WEBSITE_RUN) for path in chapters}
    stale = [path for path, nb in done.items() if nb is None]
    for path in chapters:
        print(
            f"{path.name}: {'running it now' if path in stale else 'executed by the tests with this code, reused'}",
            flush=True,
        )
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for path, nb in zip(stale, pool.map(lambda p: execute_and_keep(p, WEBSITE_RUN), stale)):
            done[path] = nb
    return done


def stage(executed: dict[Path, object]) -> Path:
    """Copy the book's pages, and write the executed chapters, into a fresh staging folder."""
    import nbformat
    import yaml

    shutil.rmtree(STAGE, ignore_errors=True)
    STAGE.mkdir(parents=True)
    config = book.load_config()
    config.setdefault("execute", {})["execute_notebooks"] = "off"  # as _config.yml says: run above
    (STAGE / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    shutil.copy(book.ROOT / "_toc.yml", STAGE / "_toc.yml")
    shutil.copytree(
        book.ROOT / "book", STAGE / "book", ignore=shutil.ignore_patterns("__pycache__")
    )
    (STAGE / "notebooks").mkdir()
    for path, nb in executed.items():
        page = copy.deepcopy(nb)
        # the test run's records (its key, times, self-check results) are not for readers: the
        # website's download button gives them this notebook
        page.metadata.pop("nnbook", None)
        nbformat.write(page, STAGE / "notebooks" / path.name)
    return STAGE


def positive_whole_number(text: str) -> int:
    """``--workers``'s value: a whole number of at least 1 (argparse says so in one line if not).

    >>> positive_whole_number("2")
    2
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of chapters, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"at least 1 chapter runs at a time; got {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--workers",
        type=positive_whole_number,
        default=min(4, os.cpu_count() or 1),
        help="chapters run at once (1 or more)",
    )
    args = parser.parse_args(argv)
    try:
        executed = executed_chapters(args.workers)
    except book.BookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    broken = [(path, failure) for path, nb in executed.items() for failure in failures(nb)]
    for path, failure in broken:
        print(f"error: {path.name}, {failure.describe()}", file=sys.stderr)
    if broken:
        print(
            "the website shows no chapter with a failing cell: fix them (make test shows each one)",
            file=sys.stderr,
        )
        return 1
    source = stage(executed)
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(source),
        "--path-output",
        str(book.ROOT),
        "--all",
        "--warningiserror",
        "--nitpick",
        "--keep-going",
    ]
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
