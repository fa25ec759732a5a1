"""The Makefile passes what it is given on whole: a data folder with spaces or a quoted ~, and a
release tag or folder that a shell would split or run (issue 28)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

SHOW = 'show-data: ; @printf "%s\\n" "$$NNBOOK_DATA"'


def make(root, *args: str, env_data: str | None = None) -> str:
    """What `make ARGS` prints (with -n: the commands it would run), NNBOOK_DATA as given."""
    env = {k: v for k, v in os.environ.items() if k not in ("NNBOOK_DATA", "MAKEFLAGS")}
    if env_data is not None:
        env["NNBOOK_DATA"] = env_data
    done = subprocess.run(
        ["make", "-s", "-C", str(root), "--no-print-directory", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/srv/course data", "/srv/course data"),  # Make's abspath made two words of it
        ("~/nn-data", "~/nn-data"),  # quoted in the shell: the helpers expand it, not Make
        ("~teacher/data", "~teacher/data"),
        ("course data", "{root}/course data"),  # relative: to the book's folder, whole
        ("../shared/datasets", "{root}/../shared/datasets"),
    ],
)
def test_the_data_folder_is_passed_on_whole(root, given, expected):
    want = expected.format(root=root)
    assert make(root, "--eval", SHOW, "show-data", env_data=given) == f"{want}\n"
    # given on make's command line instead of in the environment: the same
    assert make(root, "--eval", SHOW, "show-data", f"NNBOOK_DATA={given}") == f"{want}\n"


def test_no_data_folder_stays_none(root):
    assert make(root, "--eval", SHOW, "show-data") == "\n"


@pytest.mark.parametrize("ref", ["v1.0", "v1; touch pwned", "it's", "a b"])
def test_a_release_tag_reaches_the_tool_as_one_word(root, ref):
    command = make(root, "-n", "sync", f"REF={ref}").strip().splitlines()[-1]
    assert shlex.split(command)[-2:] == ["--ref", ref]


def test_a_course_folder_with_spaces_reaches_the_tool_as_one_word(root):
    command = make(root, "-n", "assignments", "COURSE=my course/2026").strip().splitlines()[-1]
    assert shlex.split(command)[-2:] == ["--course-dir", "my course/2026"]
