"""pytest for the whole project: the chapter notebooks under notebooks/ are run by tools.pytest_notebooks."""

pytest_plugins = ["tools.pytest_notebooks"]
