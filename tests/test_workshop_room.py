"""crmkit.workshop.room: reading and merging the room's scorecards, its figure and dashboard."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from crmkit import concepts  # noqa: E402
from crmkit.metrics.care import scorecard_to_csv, strategy_scorecard  # noqa: E402
from crmkit.plots import plot_room_heatmap  # noqa: E402
from crmkit.workshop.room import (  # noqa: E402
    merge_dashboard,
    read_room_scorecards,
    room_comparison,
    room_figure,
)

KEYS = concepts.keys(concepts.STRATEGIES)


def _card(rating, who, **changes):
    ratings = dict.fromkeys(KEYS, rating)
    ratings.update(changes)
    return strategy_scorecard(ratings, participant=who)


def _csv(rating, who, **changes) -> bytes:
    return scorecard_to_csv(_card(rating, who, **changes)).encode()


def test_reading_the_room_labels_cards_and_skips_what_is_not_a_scorecard(tmp_path):
    (tmp_path / "a.csv").write_bytes(_csv(3, "Sales"))
    (tmp_path / "b.csv").write_bytes(_csv(4, ""))  # no name: the file name labels it
    (tmp_path / "c.csv").write_bytes(_csv(2, "Sales"))  # same name twice
    (tmp_path / "notes.csv").write_text("not,a\nscore,card\n")
    (tmp_path / "d.csv").write_bytes(_csv(3, "mean"))  # a name that is a column of the table
    (tmp_path / "readme.txt").write_text("ignored: not a CSV")
    bad = _csv(3, "Support").replace(b",3.0,2.0,", b",9.0,-4.0,", 1)
    cards, skipped = read_room_scorecards(
        [tmp_path, ("upload.csv", bad), {"name": "up2.csv", "content": memoryview(_csv(5, "Ops"))}]
    )
    assert list(cards) == ["Sales", "b", "Sales (2)", "mean (participant)", "Ops"]
    assert [s.split(":")[0] for s in skipped] == ["notes.csv", "upload.csv"]
    assert "between 1 and 5" in skipped[1]


def test_room_comparison_merges_and_reports(tmp_path):
    table = room_comparison(
        [("a.csv", _csv(2, "A", people=5)), ("b.csv", _csv(4, "B")), ("x.csv", b"junk")]
    )
    assert list(table.columns) == ["strategy", "name", "A", "B", "mean", "min", "max", "spread"]
    people = table.set_index("strategy").loc["people"]
    assert (people["mean"], people["spread"]) == (4.5, 1.0)
    assert table.attrs["skipped"][0].startswith("x.csv")
    with pytest.raises(ValueError, match="no valid scorecard"):
        room_comparison([("x.csv", b"junk")])
    with pytest.raises(ValueError, match="no folder or file"):
        room_comparison(tmp_path / "missing")
    with pytest.raises(TypeError, match="`sources` must be"):
        room_comparison(42)


def test_room_csvs_defuse_formulas_and_read_names_back(tmp_path):
    """Issue 11: participants' names went unescaped into the merged room CSV."""
    evil = '=HYPERLINK("http://evil.example","click")'
    (tmp_path / "a.csv").write_bytes(_csv(2, evil))
    (tmp_path / "b.csv").write_bytes(_csv(4, "-ops"))
    cards, skipped = read_room_scorecards(tmp_path)
    assert list(cards) == [evil, "-ops"] and not skipped
    assert cards[evil]["participant"].tolist() == [evil] * 10
    w = merge_dashboard(tmp_path)
    href = re.search(r'href="data:text/csv;base64,([^"]+)"', w.summary.value).group(1)
    rows = list(csv.reader(io.StringIO(base64.b64decode(href).decode())))
    assert rows[0][2:4] == ["'" + evil, "'-ops"]  # the names are column titles here
    assert rows[1][2:4] == ["2.0", "4.0"] and rows[1][-1] == "2.0"


# plot_room_heatmap lives in crmkit/plots/strategy.py (tests/test_plots_strategy.py); it is
# tested here, on the table room_comparison makes, until that file takes it.
def test_room_heatmap_shows_each_rating_and_the_room_mean():
    import matplotlib.pyplot as plt

    table = room_comparison([("a.csv", _csv(1, "A")), ("b.csv", _csv(5, "B", people=3))])
    fig, ax = plt.subplots()
    plot_room_heatmap(table, ax=ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "B", "room mean"]
    assert ax.get_yticklabels()[0].get_text() == "1. People"
    shown = ax.images[0].get_array()
    assert shown.shape == (10, 3)
    assert np.allclose(shown[0], [1, 3, 2]) and np.allclose(shown[1], [1, 5, 3])
    texts = {t.get_text() for t in ax.texts}
    assert {"1", "5", "3.0", "2.0"} <= texts
    plt.close(fig)
    with pytest.raises(TypeError, match="room_comparison or merge_scorecards"):
        plot_room_heatmap(_card(3, "A"))


def test_room_figure_draws_ratings_beside_the_spread():
    table = room_comparison([(f"{i}.csv", _csv(1 + i % 5, f"P{i}")) for i in range(25)])
    fig = room_figure(table)
    heat, spread = fig.axes[0], fig.axes[1]
    assert heat.get_title() == "The room's ratings (25 scorecards)"
    assert len(heat.texts) == 0  # 26 columns: too many to write every rating
    assert "Lowest to highest" in spread.get_title()
    assert [t.get_text() for t in heat.get_xticklabels()][-1] == "room mean"


def test_merge_dashboard_reads_the_folder_and_uploads(tmp_path):
    (tmp_path / "team-a.csv").write_bytes(_csv(2, "Team A"))
    w = merge_dashboard(tmp_path)
    assert "1 scorecard(s)" in w.summary.value and w.image.value
    w.controls["uploads"].value = (
        {
            "name": "b.csv",
            "type": "text/csv",
            "size": 10,
            "content": memoryview(_csv(4, "Team <B>")),
            "last_modified": dt.datetime.now(dt.UTC),
        },
    )
    assert "2 scorecard(s)" in w.summary.value
    assert "Team &lt;B&gt;" in w.summary.value  # names are escaped
    assert 'download="room-scorecards.csv"' in w.summary.value
    (tmp_path / "team-c.csv").write_bytes(_csv(5, "Team C"))
    w.refresh.click()
    assert "3 scorecard(s)" in w.summary.value
    empty = merge_dashboard(None)
    assert "No valid scorecard yet" in empty.summary.value
    assert empty.refresh.layout.display == "none"


def test_the_examples_in_the_docstrings_run():
    import doctest

    from crmkit.workshop import room

    result = doctest.testmod(room, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, room.__name__
