"""pytest for the whole project: the chapter notebooks under notebooks/ are run by tools.running.pytest_plugin."""

pytest_plugins = ["tools.running.pytest_plugin"]
