"""crmkit.plots.strategy: the scorecard radar and channel consistency."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from crmkit import concepts  # noqa: E402
from crmkit.metrics.care import strategy_scorecard  # noqa: E402
from crmkit.plots.strategy import plot_channel_consistency, plot_scorecard_radar  # noqa: E402
from crmkit.synth import make_world  # noqa: E402


@pytest.fixture(scope="module")
def world():
    return make_world(1500, random_state=0)


KEYS = concepts.keys(concepts.STRATEGIES)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _labelled(ax):
    assert ax.get_title()
    assert ax.get_xlabel()
    assert ax.get_ylabel()


def test_scorecard_radar_one_and_several():
    a = strategy_scorecard(dict.fromkeys(KEYS, 3), participant="team A")
    b = strategy_scorecard(dict.fromkeys(KEYS, 4), participant="team B")
    fig, ax = plt.subplots(subplot_kw={"projection": "polar"})
    out = plot_scorecard_radar([a, b], ax=ax)
    assert out is ax and ax.name == "polar"
    assert ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["team A: mean 3.0 (defined)", "team B: mean 4.0 (managed)"]
    assert len(ax.get_xticklabels()) == 10
    plt.close("all")
    single = plot_scorecard_radar(a)  # no polar Axes yet: a new one
    assert single.name == "polar"


def test_scorecard_radar_refuses_a_flat_axes():
    a = strategy_scorecard(dict.fromkeys(KEYS, 3))
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match="polar"):
        plot_scorecard_radar(a, ax=ax)
    with pytest.raises(TypeError, match="scorecard"):
        plot_scorecard_radar("scorecard.csv", ax=ax)


def test_channel_consistency(world):
    fig, ax = plt.subplots(figsize=(6, 12))
    out = plot_channel_consistency(world.campaigns, ax=ax)
    assert out is ax
    _labelled(ax)
    marked = [t.get_text() for t in ax.get_yticklabels() if t.get_text().startswith("≠")]
    assert len(marked) == len(world.truth["inconsistent_campaigns"])
    fig2, ax2 = plt.subplots()
    plot_channel_consistency(world.campaigns, only_inconsistent=True, ax=ax2)
    assert len(ax2.get_yticklabels()) == len(world.truth["inconsistent_campaigns"])
    assert ax2.texts  # prices written in the cells
    consistent = world.campaigns[
        ~world.campaigns["campaign_id"].isin(world.truth["inconsistent_campaigns"])
    ]
    with pytest.raises(ValueError, match="nothing is inconsistent"):
        plot_channel_consistency(consistent, only_inconsistent=True, ax=ax2)



def test_channel_consistency_colorbar_is_returned_and_follows_a_new_image(world):
    from crmkit.metrics.channels import channel_consistency, channel_price_matrix
    from crmkit.plots.strategy import draw_channel_consistency

    matrix = channel_price_matrix(world.campaigns)
    check = channel_consistency(world.campaigns).set_index("campaign_id")
    fig, ax = plt.subplots(figsize=(6, 12))
    out, bar = draw_channel_consistency(ax, matrix, check, only_inconsistent=False)
    assert out is ax and bar.ax in fig.axes
    n_axes = len(fig.axes)
    bad = matrix.loc[matrix.index.isin(check.index[~check["consistent"]])]
    _, again = draw_channel_consistency(ax, bad, check, only_inconsistent=True, colorbar=bar)
    assert again is bar and len(fig.axes) == n_axes  # no second colorbar
    assert bar.mappable is ax.images[-1]
