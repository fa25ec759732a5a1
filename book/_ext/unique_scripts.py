"""A Sphinx extension that drops repeated scripts from every page.

sphinx-thebe 0.3.1 adds its inline configuration script (``const THEBE_JS_URL = ...``) once per
read phase, and under Jupyter Book 1 that happens twice, so every page declared the same ``const``
twice and the browser reported "Identifier 'THEBE_JS_URL' has already been declared" (the
togglebutton extension repeats its inline script the same way, harmlessly). Keeping the first copy
of each identical script removes the error; tests/test_website.py checks every page for it.
"""

from __future__ import annotations


def _drop_repeated_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # An inline script has no file name: None when just added, "" once read back from the cache.
        key = (str(script.filename or ""), tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
