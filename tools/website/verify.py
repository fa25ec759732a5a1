"""Check the built website: every chapter page shows executed outputs and figures, and its Colab
links (the launch button and the badge) open that notebook at the configured repository and branch.

    python -m tools.website.verify          # after the website build; `make book` runs it
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from tools.chapters import book
from tools.chapters.model import PLACEHOLDER

ROOT = book.ROOT

# What may hold braces in a built page: code, outputs, math, tags (removed before looking).
_HTML_CODE_AND_MATH = re.compile(
    r"<(script|style|pre|code|svg)\b.*?</\1>|\\\(.*?\\\)|\\\[.*?\\\]|\$\$.*?\$\$|<[^>]+>", re.S
)


def page_placeholders(html: str) -> list[str]:
    """The unfilled ``{name}`` fields in a built page's text (code, outputs and math left aside)."""
    return PLACEHOLDER.findall(_HTML_CODE_AND_MATH.sub(" ", html))


def _read_page(page: Path) -> str:
    """A built page's text; a page that is not UTF-8 (cut short mid-character, or not a page) is
    a BookError that names it."""
    data = page.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise book.BookError(
            f"{page}: not UTF-8 text (byte 0x{data[error.start]:02x} at {error.start:,}), so the "
            f"build was cut short or damaged; run `make book` again"
        ) from None


def problems(html_root: Path = ROOT / "_build" / "html") -> list[str]:
    if not (html_root / "index.html").exists():
        return [f"{html_root}: no website built there; run `make book` first"]
    repo = book.repository()
    found = []
    for notebook in book.chapter_notebooks():
        page = html_root / notebook.relative_to(ROOT).with_suffix(".html")
        if not page.exists():
            found.append(f"{page.relative_to(ROOT)}: missing; is the notebook in _toc.yml?")
            continue
        html = _read_page(page)
        links = set(re.findall(r'https://colab\.research\.google\.com/github/[^"\s)]+', html))
        expected = book.colab_url(repo, notebook)
        if links != {expected}:
            found.append(f"{page.name}: Colab links {sorted(links)}, expected only {expected}")
        if html.count('class="cell_output') == 0:
            found.append(f"{page.name}: no executed outputs")
        if not re.search(r'<img[^>]+src="[^"]*_images/', html):
            found.append(f"{page.name}: no figure")
        unfilled = page_placeholders(html)
        if unfilled:
            found.append(f"{page.name}: unfilled placeholders in the text: {', '.join(unfilled)}")
    return found


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    try:
        found = problems()
    except book.BookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a page that cannot be read: a half-written or damaged build
        reason = (error.strerror or type(error).__name__).lower()
        print(
            f"error: {error.filename or 'the built website'}: {reason}; run `make book` again",
            file=sys.stderr,
        )
        return 2
    for problem in found:
        print(f"site check: {problem}", file=sys.stderr)
    if not found:
        print(
            f"site check: {len(book.chapter_notebooks())} chapter page(s) have outputs, figures and the right Colab links"
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
