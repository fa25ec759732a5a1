"""The page "From Keras 2 to Keras 3" (book/keras2-to-keras3.md) cannot quietly go out of date.

Every ```python block of the page is a test of its own: it runs in a fresh namespace, in a
temporary working directory, with Keras's warning about ``input_shape``/``input_dim`` turned into
an error (a current form must not use the old style). A failure points at the page's own line
numbers. Other tests check the page's shape: its table names every old snippet, every row links to
a section of the page, and every code block sits in a section that a row links to. A last group
runs the old snippets and checks that they still fail the way the table says.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parent.parent / "book" / "keras2-to-keras3.md"

#: What the table must name: the Keras 2 era code of the book's source articles that no longer
#: runs as printed (or only with a warning), and a few other old names the page covers.
OLD_SNIPPETS = [
    "input_dim=",
    "input_shape=",
    "keras.layers.core",
    "from tensorflow.keras import",
    "tf.keras.Sequential",
    "K.switch",
    "K.sum",
    "K.epsilon()",
    "OneHotEncoder(categorical_features=",
    ".toarray()",
    "LoanOutcome_model.h7",
    "LoanOutcome_weights.h7",
    'save_format="tf"',
    "load_weights(",
    "mnist.load_data()",
    "import Keras",
    "import kerasfrom",
    "‘float32’",
    "predict_classes",
    "fit_generator",
    "lr=",
    "'acc'",
]

CHAPTERS = {  # the table's chapter column gives numbers; the text below it names them
    "1": "01-artificial-neuron",
    "2": "02-perceptron-keras",
    "3": "03-deep-networks",
    "4": "04-bank-churn",
    "5": "05-loan-approval-saving",
    "6": "06-mnist-basics",
    "7": "07-mnist-faster",
    "8": "08-explaining-predictions",
}

TARGET = re.compile(r"^\((k3-[a-z0-9-]+)\)=$")
HEADING = re.compile(r"^#{1,6} (.+)$")
LINK = re.compile(r"\]\(#(k3-[a-z0-9-]+)\)")


@dataclass(frozen=True)
class Block:
    """One ```python block: the section it is in and its code."""

    target: str | None  # the MyST target, e.g. "k3-input", of the enclosing section
    heading: str
    line: int  # line number of the opening fence (1-based)
    code: str


@dataclass(frozen=True)
class Page:
    rows: list[str]  # the table's body rows, as markdown
    sections: dict[str, str]  # target -> heading
    texts: dict[str, str]  # target -> the section's markdown outside code blocks
    blocks: list[Block]
    intro: str  # the markdown of the "At a glance" section, table included


def parse(text: str) -> Page:
    lines = text.splitlines()
    rows: list[str] = []
    sections: dict[str, str] = {}
    texts: dict[str, list[str]] = {}
    blocks: list[Block] = []
    intro: list[str] = []
    target = pending = None
    heading = ""
    fence: tuple[str, int, list[str]] | None = None  # (info string, line, lines)
    for number, line in enumerate(lines, start=1):
        if fence is not None:
            if line.startswith("```"):
                info, start, body = fence
                if info == "python":
                    blocks.append(Block(target, heading, start, "\n".join(body) + "\n"))
                fence = None
            else:
                fence[2].append(line)
            continue
        if line.startswith("```"):
            fence = (line[3:].strip(), number, [])
        elif match := TARGET.match(line):
            pending = match.group(1)
        elif match := HEADING.match(line):
            heading, target, pending = match.group(1), pending, None
            if target:
                sections[target] = heading
        elif heading == "At a glance":
            intro.append(line)
            if line.startswith("|"):
                rows.append(line)
        elif target:
            texts.setdefault(target, []).append(line)
    assert fence is None, f"{PAGE.name}: a code block opened on line {fence[1]} is never closed"
    body = rows[2:]  # without the header and the |---| line
    texts_by_target = {t: "\n".join(lines) for t, lines in texts.items()}
    return Page(body, sections, texts_by_target, blocks, "\n".join(intro))


PAGE_PARTS = parse(PAGE.read_text(encoding="utf-8"))


def block_ids(blocks: list[Block]) -> list[str]:
    """Readable test ids: the section's target, numbered when a section has several blocks."""
    ids, seen = [], {}
    for block in blocks:
        name = block.target or f"line-{block.line}"
        seen[name] = seen.get(name, 0) + 1
        ids.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return ids


def cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


# --------------------------------------------------------------------------- the current forms


@pytest.mark.parametrize("block", PAGE_PARTS.blocks, ids=block_ids(PAGE_PARTS.blocks))
def test_current_form_runs(block, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever a block writes stays out of the repository
    # Leading blank lines make a traceback show the page's own line numbers.
    code = compile("\n" * block.line + block.code, str(PAGE), "exec")
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "error", message=r"Do not pass an `input_shape`/`input_dim`", category=UserWarning
        )
        exec(code, {"__name__": f"page_{block.target}"})


# --------------------------------------------------------------------------- the page's shape


def test_the_page_has_a_table_and_code():
    assert len(PAGE_PARTS.rows) >= 10, "the 'At a glance' table has too few rows"
    assert len(PAGE_PARTS.blocks) >= len(PAGE_PARTS.rows)


def test_the_table_names_every_old_snippet():
    table = "\n".join(PAGE_PARTS.rows)
    missing = [snippet for snippet in OLD_SNIPPETS if snippet not in table]
    assert missing == [], f"old snippets that the table does not name: {missing}"


def test_every_row_links_to_its_section_and_names_chapters():
    for row in PAGE_PARTS.rows:
        number, old, current, chapters = cells(row)
        assert old and current, row
        links = LINK.findall(row)
        assert len(links) == 1 and links == LINK.findall(number), (
            f"{row}: the first cell should be the row's one link, to its section"
        )
        assert links[0] in PAGE_PARTS.sections, f"{number}: no section (#{links[0]})"
        named = {name.strip() for name in chapters.split(",")}
        assert named <= CHAPTERS.keys(), f"{number}: unknown chapters {named - CHAPTERS.keys()}"
        unnamed = [CHAPTERS[n] for n in named if CHAPTERS[n] not in PAGE_PARTS.intro]
        assert unnamed == [], f"the text under the table should name {unnamed}"


def test_every_section_says_what_happens_now_and_shows_the_current_form():
    for target, heading in PAGE_PARTS.sections.items():
        text = PAGE_PARTS.texts.get(target, "")
        assert "**What happens now:**" in text, f"section {heading!r}"
        assert "Current form:" in text, f"section {heading!r}"


def test_every_code_block_belongs_to_a_row():
    linked = {LINK.search(row).group(1) for row in PAGE_PARTS.rows}
    for block in PAGE_PARTS.blocks:
        assert block.target in linked, (
            f"the python block on line {block.line} (section {block.heading!r}) belongs to no "
            f"table row"
        )
    without_code = linked - {block.target for block in PAGE_PARTS.blocks}
    assert without_code == set(), f"sections with no current form: {sorted(without_code)}"


def test_code_fits_the_website_column():
    long = [
        (block.line + i + 1, len(line))
        for block in PAGE_PARTS.blocks
        for i, line in enumerate(block.code.splitlines())
        if len(line) > 80
    ]
    assert long == [], f"(page line, length) of code lines over 80 characters: {long}"


# --------------------------------------------------------------------------- the old snippets

OLD_FAILURES = {
    "keras.layers.core": ("from keras.layers.core import Dense, Activation", ModuleNotFoundError),
    "K.switch": ("import keras\nkeras.backend.switch", AttributeError),
    "K.sum": ("import keras\nkeras.backend.sum", AttributeError),
    "categorical_features": (
        "from sklearn.preprocessing import OneHotEncoder\nOneHotEncoder(categorical_features=[1])",
        TypeError,
    ),
    "h7-model": ("model.save('LoanOutcome_model.h7')", ValueError),
    "h7-weights": ("model.save_weights('LoanOutcome_weights.h7')", ValueError),
    "save_format": ("model.save('LoanOutcome_model', save_format='tf')", ValueError),
    "predict_classes": ("model.predict_classes", AttributeError),
    "fit_generator": ("model.fit_generator", AttributeError),
    "lr": ("import keras\nkeras.optimizers.Adam(lr=0.0001)", ValueError),
}


@pytest.fixture(scope="module")
def loan_model():
    import keras

    return keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )


@pytest.mark.parametrize("name", OLD_FAILURES)
def test_old_snippet_still_fails(name, loan_model, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, error = OLD_FAILURES[name]
    with pytest.raises(error):
        exec(code, {"model": loan_model})


def test_input_dim_still_warns():
    import keras

    with pytest.warns(UserWarning, match="input_shape`/`input_dim"):
        keras.Sequential([keras.layers.Dense(1, input_dim=3)])
