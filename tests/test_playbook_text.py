"""The playbook edition speaks to people who do not code (issue #14, part 1).

Teams read the playbook edition: the lessons without code. What they see of a
lesson's text (its Markdown cells, less those tagged ``remove_playbook``) must
hold no code names and no run-the-notebook instructions; the course edition
keeps those in cells tagged ``remove_playbook``. Every lesson from 01 on ends
with "What to do on Monday": a table of actions, each with who owns it, how
often, the KPI and threshold that tell it works, and the decision it feeds.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]-*.ipynb"))
HIDDEN = {"remove_playbook", "remove_cell", "remove-cell", "solution"}
#: What a reader without Python must not meet in the playbook's text.
CODE_WORDS = re.compile(
    r"`[^`\n]+`|\bSEED\b|\bLOCALE\b|\bDATA_DIR\b|run (?:the|this) notebook|"
    r"\bnotebook again\b|\bimport\b|\bcrmkit\.|\bworld\.\w|\bpandas\b|\bpython\b",
    re.I,
)
MONDAY = "What to do on Monday"
MONDAY_COLUMNS = ["Action", "Who owns it", "How often", "KPI and threshold", "Decision it feeds"]


def _playbook_markdown(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        if HIDDEN & set(cell.metadata.get("tags", [])):
            continue
        yield cell


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_playbook_text_has_no_code(path):
    found = []
    for cell in _playbook_markdown(path):
        # the prerequisites line is for students; a team reads past it
        text = "\n".join(line for line in cell.source.splitlines()
                         if not line.startswith("**You need:**"))  # fmt: skip
        for m in CODE_WORDS.finditer(text):
            found.append(f"{cell.get('id')}: {m.group(0)!r}")
    assert found == [], (
        f"{path.name}: code in the playbook's text; move it into a cell tagged "
        "remove_playbook and say it in plain words in one tagged remove_course: " + "; ".join(found)
    )


@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda p: p.stem)
def test_every_lesson_ends_with_what_to_do_on_monday(path):
    cells = list(_playbook_markdown(path))
    monday = [c for c in cells if re.search(rf"^#+\s+{MONDAY}\s*$", c.source, re.M)]
    assert monday, f"{path.name}: no '## {MONDAY}' section in the playbook"
    text = monday[-1].source
    header = next((line for line in text.splitlines() if line.startswith("|")), "")
    columns = [c.strip() for c in header.strip().strip("|").split("|")]
    assert columns == MONDAY_COLUMNS, f"{path.name}: the Monday table's columns are {columns}"
    rows = [line for line in text.splitlines() if line.startswith("|")][2:]
    assert len(rows) >= 3, f"{path.name}: {len(rows)} actions; give at least three"
    for row in rows:
        cells_ = [c.strip() for c in row.strip().strip("|").split("|")]
        assert len(cells_) == len(MONDAY_COLUMNS) and all(cells_), f"{path.name}: {row}"
