"""The environment files agree: pyproject ranges, the lock's exact versions, conda, make and CI."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


def declared_requirements(root) -> list[Requirement]:
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(r) for r in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        requirements += [Requirement(r) for r in extra]
    return [
        r for r in requirements if canonicalize_name(r.name) != canonicalize_name(project["name"])
    ]


def locked_pins(root, lock: str = "requirements-lock.txt") -> dict[str, list[Requirement]]:
    """Every pin of a lock by package name (a universal lock may pin a name per Python version)."""
    pins: dict[str, list[Requirement]] = {}
    for line in (root / lock).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            pins.setdefault(canonicalize_name(requirement.name), []).append(requirement)
    return pins


def test_lock_pins_every_declared_requirement_within_its_range(root):
    pins = locked_pins(root)
    for requirement in declared_requirements(root):
        name = canonicalize_name(requirement.name)
        assert name in pins, (
            f"{requirement.name} is declared in pyproject.toml but not in the lock; run `make lock`"
        )
        for pin in pins[name]:
            (version,) = [s.version for s in pin.specifier if s.operator == "=="]
            assert requirement.specifier.contains(version, prereleases=True), (
                f"the lock pins {pin}, outside pyproject.toml's {requirement}; run `make lock`"
            )


@pytest.mark.parametrize("lock", ["requirements-lock.txt", "requirements-oldest.txt"])
def test_lock_records_exact_versions_and_no_download_addresses(root, lock):
    text = (root / lock).read_text(encoding="utf-8")
    assert not re.search(r"https?://|file:|--index-url|--extra-index-url|--find-links", text)
    for pins in locked_pins(root, lock).values():
        for pin in pins:
            assert [s.operator for s in pin.specifier] == ["=="], f"not an exact pin: {pin}"


def test_oldest_lock_pins_exactly_the_declared_minimums(root):
    """make test-oldest proves the minimums pyproject.toml declares, no more and no less."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = locked_pins(root, "requirements-oldest.txt")
    for requirement in map(Requirement, project["dependencies"]):
        (minimum,) = [s.version for s in requirement.specifier if s.operator == ">="]
        (pin,) = pins[canonicalize_name(requirement.name)]
        (version,) = [s.version for s in pin.specifier]
        assert Version(version) == Version(minimum), (
            f"{requirement}: requirements-oldest.txt pins {version}; run `make lock`"
        )


def test_conda_environment_installs_the_lock_and_the_project(root):
    env = yaml.safe_load((root / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-r requirements-lock.txt", "-e .[dev]"]
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert SpecifierSet(project["requires-python"]).contains(python.split("=")[1] + ".0")


def test_dev_extra_installs_every_other_extra(root):
    extras = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    (self_reference,) = [Requirement(r) for r in extras["dev"] if r.startswith("nnbook[")]
    assert self_reference.extras == set(extras) - {"dev"}


def test_ci_runs_the_readme_commands_in_order(root):
    """CI runs what the README promises: its test command first, then the book and the robustness run."""
    readme = (root / "README.md").read_text(encoding="utf-8")
    promised = re.findall(
        r"^make (\w[\w-]*)\s+#", readme.split("## Two commands")[1].split("##")[0], re.M
    )
    assert promised == ["book", "test"], promised
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    lines = [
        line.split("#")[0].strip() for line in ci.splitlines() if line.strip().startswith("make ")
    ]
    commands = [line for line in lines if not line.endswith("&")]
    # an install first is allowed (make test would do it anyway), so that apt can run beside it
    if commands[:1] == ["make setup"]:
        commands = commands[1:]
    assert commands == ["make test", "make book", "make test-site", "make robustness"]
    # in the background, only an install that a later step needs (it is waited for before it)
    background = [" ".join(line.split()[:2]) for line in lines if line.endswith("&")]
    assert background in ([], ["make setup-oldest"]), background
    table = readme.split("## Other commands")[1]
    for command in commands[2:] + background:
        assert f"`{command}`" in table, f"the README's command table does not name {command}"
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    for command in commands + background:
        assert re.search(rf"^{command.split()[1]}:", makefile, re.M), (
            f"the Makefile has no target for {command}"
        )


def test_importing_helpers_loads_no_heavy_library(root):
    modules = sorted(  # every module of the package, the chapters' exercises included
        ".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        for p in (root / "helpers").rglob("*.py")
        if p.name != "__main__.py"
    )
    heavy = ("tensorflow", "keras", "shap", "pandas", "matplotlib", "sklearn", "pydot")
    code = f"import sys, helpers, {', '.join(modules)}; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    )
    assert len(modules) >= 5 and result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "module",
    [
        "helpers.datasets",
        "helpers.exercises",
        "tools.chapters.sync",
        "tools.course.student_copies",
        "tools.running.bench",
        "tools.running.run_times",
        "tools.website.build",
        "tools.website.verify",
    ],
)
def test_command_line_tools_have_help(root, module):
    result = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    assert result.returncode == 0 and "usage:" in result.stdout


def test_keras_warning_needs_a_version_as_text():
    from helpers.environment import keras_warning

    with pytest.raises(
        TypeError, match=r"a version as text, such as keras.__version__.*got NoneType"
    ):
        keras_warning(None)
