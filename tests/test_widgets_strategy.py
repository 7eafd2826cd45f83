"""crmkit.widgets.strategy: the ten-strategy self-assessment (lesson 05), without a browser."""

import base64
import re

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402

from crmkit import concepts  # noqa: E402
from crmkit.metrics.care import merge_scorecards, strategy_scorecard  # noqa: E402
from crmkit.widgets._core import kept  # noqa: E402
from crmkit.widgets.strategy import (  # noqa: E402
    EXAMPLE_RATINGS,
    priorities_html,
    scorecard_download_link,
    strategy_self_assessment,
    strategy_self_assessment_figure,
)

KEYS = concepts.keys(concepts.STRATEGIES)


def _csv_of(link):
    data = re.search(r'href="data:text/csv;base64,([^"]+)"', link).group(1)
    return base64.b64decode(data).decode("utf-8")


def test_download_link_embeds_the_scorecard_csv(tmp_path):
    card = strategy_scorecard(EXAMPLE_RATINGS, participant="Team A")
    link = scorecard_download_link(card)
    assert link.startswith('<a download="scorecard.csv" href="data:text/csv;base64,')
    text = _csv_of(link)
    assert text.splitlines()[0].startswith("number,strategy,name,rating")
    path = tmp_path / "team_a.csv"
    path.write_text(text, encoding="utf-8")
    merged = merge_scorecards([path])
    assert merged["Team A"].tolist() == [float(EXAMPLE_RATINGS[k]) for k in KEYS]


def test_download_link_keeps_persian_names():
    card = strategy_scorecard(EXAMPLE_RATINGS, participant="تیم فروش")
    assert "تیم فروش" in _csv_of(scorecard_download_link(card))


def test_priorities_lists_largest_gaps_first_and_escapes():
    ratings = dict.fromkeys(KEYS, 5)
    ratings.update(staff_training=1, social_events=2)
    text = priorities_html(strategy_scorecard(ratings, participant="<b>x</b>"), top=2)
    assert "&lt;b&gt;x&lt;/b&gt;" in text and "<b>x</b>" not in text
    rows = re.findall(r"<tr><td>(\d)</td><td>(\d+)\. ([^<]+)</td>", text)
    assert [r[2] for r in rows] == ["Supply-chain staff training", "Social events"]


def test_priorities_of_a_card_without_its_maturity_summary():
    card = strategy_scorecard(dict.fromkeys(KEYS, 2))
    card.attrs.clear()  # e.g. a scorecard read back from its CSV file
    text = priorities_html(card)
    assert "mean rating 2.0 of 5" in text and "<b>developing</b>" in text


def test_self_assessment_widget_follows_sliders_and_team_name():
    w = strategy_self_assessment()
    assert set(w.controls) == {*KEYS, "participant"}
    assert all(w.controls[k].value == EXAMPLE_RATINGS[k] for k in KEYS)
    w.controls["social_events"].value = 5
    w.controls["organisation"].value = 5
    w.controls["participant"].value = "Billing & co"
    assert "Billing &amp; co" in w.summary.value
    assert "Export CSV" in w.summary.value
    csv = pd.read_csv(pd.io.common.StringIO(_csv_of(w.summary.value)))
    assert csv.set_index("strategy").loc["social_events", "rating"] == 5


def test_radar_background_is_kept_with_the_figure_and_drawn_once():
    w = strategy_self_assessment()
    radar = kept(w.figure)["radar"]
    w.controls["people"].value = 1
    w.controls["participant"].value = "Team B"
    assert kept(w.figure)["radar"] is radar  # the background is reused, not redrawn
    assert w.figure.images == [kept(w.figure)["image"]]  # one picture, updated in place
    assert not radar["ax"].lines and radar["ax"].get_legend() is None  # no outline left over
    assert not [k for k in vars(w.figure) if k.startswith("_crmkit")]


def test_radar_picture_depends_only_on_the_values():
    w = strategy_self_assessment()
    w.controls["people"].value = 1
    w.controls["social_events"].value = 5
    w.controls["people"].value = 2
    w.controls["participant"].value = "Team B"
    fresh = strategy_self_assessment(
        ratings={"people": 2, "social_events": 5}, participant="Team B"
    )
    assert w.image.value == fresh.image.value
    assert w.summary.value == fresh.summary.value


def test_scorecard_figure_is_the_example():
    fig = strategy_self_assessment_figure()
    assert fig.axes[0].name == "polar"
    assert fig.scorecard["rating"].tolist() == [float(EXAMPLE_RATINGS[k]) for k in KEYS]
