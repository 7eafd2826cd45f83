"""crmkit.lessons: the lesson map, the world a lesson opens, RTL display helpers."""

import re
from pathlib import Path

import pandas as pd
import pytest

from crmkit.lessons import LESSONS, bidi_labels, bidi_text, lesson_world, show_table

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def test_lesson_map_is_numbered_and_named_like_the_files():
    numbers = [lesson.number for lesson in LESSONS]
    assert numbers == list(range(len(LESSONS)))
    for lesson in LESSONS:
        assert re.fullmatch(r"\d\d-[a-z0-9-]+\.ipynb", lesson.filename)
        assert lesson.minutes > 0 and lesson.title


def test_bidi_text_leaves_latin_text_alone():
    assert bidi_text("Anna Nowak") == "Anna Nowak"
    assert bidi_text(3) == 3


def _glyphs_left_to_right(text):
    """(glyph index, x) of ``text`` as matplotlib lays it out, leftmost first."""
    from matplotlib import _text_helpers  # the layout matplotlib's Agg backend draws with
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties()))
    font.set_size(12, 72)
    items = list(_text_helpers.layout(text, font))
    return [it.glyph_index for it in sorted(items, key=lambda it: it.x)], font


@pytest.mark.parametrize("word", ["سارا", "سلام"])
def test_bidi_text_makes_matplotlib_draw_persian_right_to_left(word):
    # Both words start with sin joined to the next letter: drawn correctly, its
    # initial form (U+FEB3) is the rightmost glyph; drawn reversed it would be the
    # leftmost (this caught bidi_text reversing text that matplotlib 3.11 already
    # orders itself).
    glyphs, font = _glyphs_left_to_right(bidi_text(word))
    initial_sin = font.get_char_index(0xFEB3)
    assert glyphs[-1] == initial_sin
    assert initial_sin not in glyphs[:-1]
    assert bidi_labels(["Ola", word]) == ["Ola", bidi_text(word)]


def test_bidi_text_mixed_name_keeps_words_in_reading_order():
    # "سارا احمدی": the first name is read first, so its initial sin stands right of
    # the surname's initial hah (U+FEA3).
    glyphs, font = _glyphs_left_to_right(bidi_text("سارا احمدی"))
    assert glyphs.index(font.get_char_index(0xFEB3)) > glyphs.index(font.get_char_index(0xFEA3))


def test_show_table_escapes_text_and_sets_direction_per_cell():
    df = pd.DataFrame({"name": ["<script>alert(1)</script>", "سارا"], "n": [1, 2]})
    html = show_table(df).data
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.count('<td dir="auto">') == 4


def test_show_table_carries_its_people_table_and_shows_missing_as_a_dash():
    from crmkit.tables import MIMETYPE, people_table_html

    df = pd.DataFrame({"customer_id": [7, 8], "churn_risk": [0.125, None]})
    bundle = show_table(df, caption="At risk")._repr_mimebundle_()
    assert bundle["text/html"].count("<td dir=\"auto\">—</td>") == 1
    assert "<th>customer_id</th>" in bundle["text/html"]  # the course keeps the code names
    assert bundle[MIMETYPE] == people_table_html(df, caption="At risk")
    assert "chance of leaving (%)" in bundle[MIMETYPE] and "12.5%" in bundle[MIMETYPE]


def test_show_table_rejects_non_frames():
    with pytest.raises(TypeError, match="show_table: `df` must be a pandas DataFrame"):
        show_table([1, 2])


def test_lesson_world_default_is_the_committed_dataset():
    from crmkit.datasets import load_dataset

    a, b = lesson_world(), load_dataset()
    pd.testing.assert_frame_equal(a.customers, b.customers)


def test_lesson_world_with_seed_and_locale_generates_a_new_world():
    w = lesson_world(random_state=3, locale="fa_IR", n_customers=150)
    assert len(w.customers) == 150
    assert w.customers["first_name"].str.contains("[\u0600-\u06ff]").all()


def test_lesson_world_reads_a_data_folder(tmp_path):
    w = lesson_world(random_state=4, n_customers=100)
    w.save(tmp_path / "mine")
    again = lesson_world(tmp_path / "mine")
    pd.testing.assert_frame_equal(w.transactions, again.transactions)


def test_flat_namespace_exports_every_metric_and_plot():
    import crmkit
    import crmkit.metrics
    import crmkit.plots

    for name in crmkit.metrics.__all__:
        assert getattr(crmkit, name) is getattr(crmkit.metrics, name)
    for name in crmkit.plots.__all__:
        if name.startswith("plot_"):
            assert name in crmkit.__all__
            assert getattr(crmkit, name) is getattr(crmkit.plots, name)
    with pytest.raises(AttributeError):
        crmkit.no_such_thing  # noqa: B018


def _lesson_notebook(lesson):
    import nbformat

    return nbformat.read(NOTEBOOKS / lesson.filename, as_version=4)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda x: x.filename[:2])
def test_lesson_size_time_and_prerequisites(lesson):
    # issue #13: a lesson stays within about 1,800 words of markdown and 16 code cells, states
    # the time the lesson map gives, and says in one line what the reader needs first. Words
    # are counted per edition: the course (cells not tagged remove_course) and the playbook
    # without its "What to do on Monday" table (a reference, not reading).
    nb = _lesson_notebook(lesson)
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]

    def words(edition):
        hidden = {"remove_cell", f"remove_{edition}"}
        return sum(
            len(c.source.split()) for c in markdown
            if not hidden & set(c.metadata.get("tags", []))
            and not (edition == "playbook" and c.source.lstrip().startswith("## What to do on"))
        )  # fmt: skip

    code = sum(c.cell_type == "code" for c in nb.cells)
    sizes = {"course": words("course"), "playbook": words("playbook"), "code cells": code}
    assert sizes["course"] <= 1800 and sizes["playbook"] <= 1800 and code <= 16, (
        lesson.filename, sizes)
    first = nb.cells[0].source
    assert f"about {lesson.minutes} minutes" in first, lesson.filename
    assert "**You need:**" in first, lesson.filename


def test_every_widget_in_a_lesson_is_followed_by_its_static_twin():
    """The static site shows a widget as a sentence and the next cell's figure (its twin)."""
    import importlib

    import nbformat

    from crmkit.widgets import registry

    builders = registry()
    notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    for path in sorted(notebooks.glob("[0-9][0-9]-*.ipynb")):
        cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        for i, cell in enumerate(cells):
            called = [n for n in builders if re.search(rf"\b{n}\(", cell.source)]
            for name in called:
                module = builders[name].__module__
                twins = {n for n in dir(importlib.import_module(module)) if n.endswith("_figure")}
                # the twin is drawn after the widget: in the same cell or the next
                after = cell.source.split(f"{name}(", 1)[1]
                after += cells[i + 1].source if i + 1 < len(cells) else ""
                assert any(re.search(rf"\b{t}\(", after) for t in twins), (
                    f"{path.name}: nothing after {name}(...) draws one of its twins {twins}"
                )
