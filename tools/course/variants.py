"""A course's graded variant of a chapter, drawn from one course seed: other seeds, other task numbers.

``tools.course.assignments --course-seed N`` makes a variant of each chapter it writes:

- every literal seed of the chapter (``SEED = 42``, ``default_rng(0)``, ``random_state=0``,
  ``seed=1``, ...) becomes ``1000 N + literal`` (:func:`reseed`): other data splits, other
  synthetic data, other chosen examples, another training path;
- every number of a task that the exercise registers as a variant (``Exercise.variants``:
  ``{"BATCH_SIZE": (32, 128, 256)}``) is drawn from the values listed, from the course seed and
  the exercise's id (:func:`draw_task`), and written into the answer cell, where the task sets it
  as a named constant on one line (``BATCH_SIZE, EPOCHS = 64, 5``, :func:`set_constants`), and
  into the task's text, which states it once (:func:`set_task_text`).

Each function here only rewrites text; ``tools.course.assignments`` recomputes the answers.

>>> reseed("SEED = 42\\nrng = np.random.default_rng(0)", 7)
'SEED = 7042\\nrng = np.random.default_rng(7000)'
>>> set_constants("# Your answer\\nBATCH_SIZE, EPOCHS = 64, 5\\nsteps = None", {"BATCH_SIZE": 128}, "ex")
'# Your answer\\nBATCH_SIZE, EPOCHS = 128, 5\\nsteps = None'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools.chapters.book import BookError
from tools.chapters.model import constants, stated

#: The largest course seed: each literal seed ``s`` becomes ``1000 * course_seed + s``, and NumPy,
#: scikit-learn and Keras take seeds below 2**32 only (with room left for literals up to 294,967).
MAX_COURSE_SEED = 4_000_000


def check_course_seed(course_seed: Any) -> int:
    """``course_seed`` if it is a whole number from 1 to :data:`MAX_COURSE_SEED`; BookError if not."""
    if isinstance(course_seed, bool) or not isinstance(course_seed, int):
        raise BookError(f"--course-seed must be a whole number; got {course_seed!r}")
    if not 1 <= course_seed <= MAX_COURSE_SEED:
        raise BookError(
            f"--course-seed must be from 1 to {MAX_COURSE_SEED:,} (0 is the book itself, and each "
            f"seed s of a chapter becomes 1000 x course seed + s, which NumPy takes below 2^32); "
            f"got {course_seed:,}"
            + (
                f": for a date, use a shorter number such as {_shorter(course_seed)}"
                if course_seed > MAX_COURSE_SEED
                else ""
            )
        )
    return course_seed


def _shorter(course_seed: int) -> int:
    """A course seed within range that still reads like the one given (20260901 -> 260901)."""
    digits = str(abs(course_seed))
    while len(digits) > 1 and int(digits) > MAX_COURSE_SEED:
        digits = digits[1:]
    return max(1, int(digits))


def _names(key: str) -> list[str]:
    """The names of a key of ``Exercise.variants``: ``"A"``, or ``"A, B"`` for numbers drawn
    together."""
    return [name.strip() for name in key.split(",")]


def task_names(variants: Mapping[str, tuple]) -> list[str]:
    """Every name of a task's number that ``variants`` may change, in order.

    >>> task_names({"UNITS": (3, 5), "MAX_UPDATES, MIN_ACCURACY": ((250, 0.96),)})
    ['UNITS', 'MAX_UPDATES', 'MIN_ACCURACY']
    """
    return [name for key in variants for name in _names(key)]


def allowed_values(variants: Mapping[str, tuple], name: str) -> list[Any]:
    """The values a variant may give the task's number ``name``.

    >>> allowed_values({"MAX_UPDATES, MIN_ACCURACY": ((250, 0.96), (200, 0.95))}, "MIN_ACCURACY")
    [0.96, 0.95]
    """
    for key, values in variants.items():
        names = _names(key)
        if name in names:
            return list(values) if len(names) == 1 else [v[names.index(name)] for v in values]
    raise KeyError(name)


def draw_task(
    exercise_id: str, variants: Mapping[str, tuple], course_seed: int, book: Mapping[str, Any]
) -> dict[str, Any]:
    """The numbers of exercise ``exercise_id``'s task in the variant of ``course_seed``: for each
    key of ``variants``, one of its values (never the book's own, ``book[name]``), drawn from
    the course seed and the exercise's id, so that every run of the tool draws the same. A key
    naming several numbers (``"MAX_UPDATES, MIN_ACCURACY"``) draws one tuple of their values."""
    import numpy as np

    key = [course_seed, *(int(part) for part in exercise_id.split(".") if part.isdigit())]
    rng = np.random.default_rng(key)
    drawn = {}
    for names in sorted(variants):
        together = _names(names)
        own = book.get(names) if len(together) == 1 else tuple(book.get(n) for n in together)
        values = [value if len(together) == 1 else tuple(value) for value in variants[names]]
        if len(together) > 1 and any(len(value) != len(together) for value in values):
            raise BookError(
                f"exercise {exercise_id}: each variant of {names} must give {len(together)} "
                f"values, one per name; got {tuple(variants[names])!r}"
            )
        choices = [value for value in values if value != own]
        if not choices:
            raise BookError(
                f"exercise {exercise_id}: variants of {names} must list values other than the "
                f"book's own ({own!r}); got {tuple(variants[names])!r}"
            )
        chosen = choices[int(rng.integers(len(choices)))]
        drawn.update({names: chosen} if len(together) == 1 else dict(zip(together, chosen)))
    return drawn


# --- the constants in the answer cell ---------------------------------------------------------


def _code(value: Any, like: str) -> str:
    """``value`` as Python source, written like the literal ``like`` (``1_400`` keeps its ``_``)."""
    if isinstance(value, int) and not isinstance(value, bool) and "_" in like:
        return f"{value:_}"
    return repr(value)


def set_constants(source: str, values: Mapping[str, Any], what: str) -> str:
    """``source`` with each name of ``values`` set to its new value on the line that sets it."""
    found = constants(source, what)
    missing = [name for name in values if name not in found]
    if missing:
        raise BookError(
            f"{what}: the task's numbers {', '.join(missing)} are registered as variants, but the "
            "answer cell does not set them to a number on one line (`BATCH_SIZE, EPOCHS = 64, 5`)"
        )
    for name in sorted(values, key=lambda n: found[n][1], reverse=True):
        _, start, end = found[name]
        source = source[:start] + _code(values[name], source[start:end]) + source[end:]
    return source


# --- the task's text ---------------------------------------------------------------------------


def _text(value: Any, like: str) -> str:
    """``value`` for the task's text, written like ``like`` (its thousands separator)."""
    if isinstance(value, int):
        return f"{value:,}" if "," in like else f"{value:_}" if "_" in like else str(value)
    import numpy as np

    return np.format_float_positional(value, trim="-")


def set_task_text(text: str, book: Mapping[str, Any], values: Mapping[str, Any], what: str) -> str:
    """The task's ``text`` with each number it states once replaced by the variant's value.

    A number it does not state is left to the answer cell, where the student reads it; a number it
    states more than once is an error: which of them is the task's?
    """
    edits = []
    for name, value in values.items():
        pairs = [(book[name], value)]
        if isinstance(value, (list, tuple)):  # a list of numbers: each stated once, in its place
            if not isinstance(book[name], (list, tuple)) or len(book[name]) != len(value):
                raise BookError(
                    f"{what}: a variant of {name} must be a list as long as the book's "
                    f"{book[name]!r}; got {value!r}"
                )
            pairs = list(zip(book[name], value))
        for old, new in pairs:
            matches = stated(text, old)
            if len(matches) > 1:
                raise BookError(
                    f"{what}: the task's text states {name}'s value {old!r} {len(matches)} "
                    "times; a variant changes it once: state it once, or write the others "
                    "differently"
                )
            edits += [(m.start(), m.end(), _text(new, m[0])) for m in matches]
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text
