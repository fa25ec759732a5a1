"""make sync REF=...: a ref Colab cannot install from is refused, --check checks the ref it is given,
and nothing is written (not even _config.yml) unless every chapter is sound (issue 28)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tools.chapters import book, sync


def snapshot(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: "), f"not one error line:\n{err}"
    return err.strip()


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (
            "a//b",
            "--ref must be a branch or tag name (letters, digits, '.', '_', '/', '-'; no '//'",
        ),
        ("HEAD", "--ref must name a branch or tag; HEAD is git's name for whatever is checked out"),
        ("v1.0.lock", "--ref must be a branch or tag name"),
        ("release/.v1", "--ref must be a branch or tag name"),
        ("v1; rm -rf ~", "--ref must be a branch or tag name"),
        ("", "--ref must be a branch or tag name"),
    ],
)
def test_a_ref_colab_cannot_install_from_is_refused_and_nothing_written(
    book_copy, capsys, ref, message
):
    before = snapshot(book_copy)
    assert sync.main(["--ref", ref]) == 2
    assert message in one_error_line(capsys)
    assert snapshot(book_copy) == before


def test_check_with_a_ref_checks_that_ref(book_copy, capsys):
    """`--check --ref v1.0` compared with _config.yml's branch (main) and said all was well."""
    chapters = book.chapter_notebooks(book_copy)
    assert sync.main(["--check"]) == 0
    capsys.readouterr()
    assert sync.main(["--check", "--ref", "v1.0"]) == 1
    captured = capsys.readouterr()
    assert "out of sync: _config.yml (repository.branch is main, not v1.0)" in captured.out
    assert all(f"out of sync: notebooks/{path.name}" in captured.out for path in chapters)
    assert "run `make sync REF=v1.0`" in captured.err

    assert sync.main(["--ref", "v1.0"]) == 0
    assert "updated: _config.yml (repository.branch main -> v1.0)" in capsys.readouterr().out
    assert sync.main(["--check", "--ref", "v1.0"]) == 0
    assert sync.main(["--check"]) == 0  # the configuration says v1.0 now
    assert sync.main(["--check", "--ref", "main"]) == 1


def test_a_bad_chapter_leaves_the_configuration_unchanged_too(book_copy, capsys):
    """The tag was written into _config.yml before the chapters were read: a half-frozen book."""
    (book_copy / "notebooks" / "99-broken.ipynb").write_text("{ not json")
    before = snapshot(book_copy)
    assert sync.main(["--ref", "v1.0"]) == 2
    assert "99-broken.ipynb: not a notebook" in one_error_line(capsys)
    assert snapshot(book_copy) == before
    assert book.repository(book_copy).branch == "main"


def test_a_ref_with_only_some_chapters_is_refused(book_copy, capsys):
    """Freezing _config.yml and some chapters would leave the others installing from main."""
    first = book.chapter_notebooks(book_copy)[0]
    before = snapshot(book_copy)
    assert sync.main(["--ref", "v1.0", str(first)]) == 2
    assert "--ref freezes the whole book" in one_error_line(capsys)
    assert snapshot(book_copy) == before


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_ref_this_repository_does_not_have_is_named(book_copy, capsys):
    """It may be a tag to create after committing (as the teachers' page says): a note, no error."""

    def git(*args):
        subprocess.run(
            ["git", "-c", "user.name=Book", "-c", "user.email=book@example.org", *args],
            cwd=book_copy,
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "the book")
    git("tag", "v1.0")
    assert sync.ref_exists("v1.0", book_copy) is True
    assert sync.ref_exists("main", book_copy) is True
    assert sync.main(["--ref", "v9.9-nonexistent"]) == 0
    out = capsys.readouterr().out
    assert "note: v9.9-nonexistent is not yet a tag or branch of this repository" in out
    assert "git tag v9.9-nonexistent && git push origin v9.9-nonexistent" in out
    assert sync.main(["--ref", "v1.0"]) == 0
    assert "note:" not in capsys.readouterr().out
    assert sync.ref_exists("v1.0", book_copy / "notebooks" / "..") is True
