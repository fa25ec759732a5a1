"""A Sphinx extension that fixes what axe-core finds on the theme's pages (issue 15, item 6).

- Empty header cells of output tables (the corner above a pandas index, and the cells beside an
  index name) become ordinary cells: a header without text is announced as nothing
  (axe `empty-table-header`).
- The "Show code cell content" toggles of folded cells are named by the text they show; myst-nb
  labels every one "Toggle hidden content", which is not what a voice-control user reads on the
  screen (axe `label-content-name-mismatch`).
- The theme's search field and colour-mode button get the same fix from the two templates in
  ``templates/``, which take precedence over the theme's components of the same name.

tests/test_website.py runs axe-core on every page and fails on any serious or critical finding.
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
_EMPTY_HEADER = re.compile(r"<th(\s[^>]*)?>(\s*)</th>")


def _empty_headers_to_cells(body: str) -> str:
    return _TABLE.sub(lambda table: _EMPTY_HEADER.sub(r"<td\1>\2</td>", table.group(0)), body)


def _fix_page(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body:
        body = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")
        context["body"] = _empty_headers_to_cells(body)


def _prefer_our_templates(app, config):
    config.templates_path.insert(0, str(TEMPLATES))


def setup(app):
    app.connect("config-inited", _prefer_our_templates)
    app.connect("html-page-context", _fix_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
