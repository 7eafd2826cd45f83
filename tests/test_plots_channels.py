"""crmkit.plots.channels: the price consistency heatmap and the touchpoint figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmkit.metrics.channels import (  # noqa: E402
    ConsistencyCache,
    touchpoint_profile,
)
from crmkit.metrics.satisfaction import touchpoint_satisfaction  # noqa: E402
from crmkit.plots.channels import (  # noqa: E402
    fix_axis_labels,
    place_touchpoint_ring,
    plot_price_consistency,
    plot_touchpoint_map,
    plot_touchpoint_mark,
    plot_touchpoint_profile,
    touchpoint_ring,
)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture
def offers():
    return pd.DataFrame(
        {
            "campaign_id": [1, 1, 2, 2, 2],
            "campaign_type": ["retention"] * 2 + ["cross_sell"] * 3,
            "channel": ["shop", "web", "shop", "web", "email"],
            "offer_price": [50.0, 50.0, 20.0, 18.0, 20.0],
        }
    )


def test_price_consistency_on_the_given_axes(offers):
    cache = ConsistencyCache(offers)
    matrix, check = cache.matrix("all"), cache.check("all", 0.0)
    copies = matrix.copy(), check.copy()
    fig, (ax, cax) = plt.subplots(1, 2)
    assert plot_price_consistency(matrix, check, ax=ax, cax=cax) is ax
    pd.testing.assert_frame_equal(matrix, copies[0])  # the inputs are not modified
    pd.testing.assert_frame_equal(check, copies[1])
    assert ax.get_title().startswith("All campaign types\n")
    assert ax.get_ylabel() == "campaign (type and number)" and ax.get_xlabel()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["#1", "≠ #2"]  # grouped by type: retention, then cross-sell
    assert ax.images[0].colorbar is not None and cax.get_visible()
    assert sorted(t.get_text() for t in ax.texts if t.get_text()[0].isdigit())[:2] == ["18", "20"]


def test_price_consistency_reuses_a_colorbar(offers):
    cache = ConsistencyCache(offers)
    fig, (ax, cax) = plt.subplots(1, 2)
    plot_price_consistency(cache.matrix("all"), cache.check("all", 0.0), ax=ax, cax=cax)
    bar = ax.images[0].colorbar
    ax.clear()
    plot_price_consistency(
        cache.matrix("all"), cache.check("all", 5.0), ax=ax, cax=cax, colorbar=bar, tolerance=5
    )
    assert ax.images[0].colorbar is bar and len(fig.axes) == 2


def test_price_consistency_without_rows_says_so(offers):
    cache = ConsistencyCache(offers)
    fig, (ax, cax) = plt.subplots(1, 2)
    empty = cache.matrix("all").iloc[:0]
    plot_price_consistency(
        empty, cache.check("all", 5.0), campaign_type="cross_sell", tolerance=5, ax=ax, cax=cax
    )
    assert not ax.axison and not cax.get_visible()
    assert "every campaign quotes one price" in ax.texts[0].get_text()
    assert "differences up to 5 forgiven" in ax.texts[0].get_text()


def test_touchpoint_map_and_mark(small_world):
    table = touchpoint_satisfaction(small_world.surveys, small_world.interactions)
    copy = table.copy()
    fig, (ax, other) = plt.subplots(1, 2)
    assert plot_touchpoint_map(table, "complaint_share", ax=ax) is ax
    pd.testing.assert_frame_equal(table, copy)
    assert ax.get_title() == "Perception vs internal indicator"
    assert ax.get_xlabel() and ax.get_ylabel() == "Mean overall satisfaction (1-7)"
    assert ax.xaxis_inverted()  # fewer complaints is better: to the right
    assert ax.get_legend().texts[-1].get_text() == "averages"
    row = table.set_index("touchpoint").loc["billing"]
    assert plot_touchpoint_mark(row, "complaint_share", ax=other) is other
    ring = other.collections[-1]
    np.testing.assert_allclose(
        ring.get_offsets()[0], [row["complaint_share"] * 100, row["overall"]]
    )
    with pytest.raises(ValueError, match="no touchpoint"):
        plot_touchpoint_map(table.assign(overall=np.nan), ax=other)


def test_touchpoint_ring_moves_in_place_and_hides():
    fig, ax = plt.subplots()
    ring = touchpoint_ring(ax)
    row = pd.Series({"overall": 5.0, "median_resolution_hours": 12.0, "share_resolved": 0.8})
    assert place_touchpoint_ring(ring, row, "median_resolution_hours") is ring
    assert ring.get_offsets().tolist() == [[12.0, 5.0]]
    place_touchpoint_ring(ring, row, "share_resolved")
    assert ring.get_offsets().tolist() == [[80.0, 5.0]]
    place_touchpoint_ring(ring, {**row, "overall": np.nan}, "share_resolved")
    assert np.isnan(ring.get_offsets()).all()
    assert len(ax.collections) == 1


def test_touchpoint_profile_bars():
    t = pd.DataFrame(
        {
            "touchpoint": ["a", "billing"],
            "product": [5.0, 6.0],
            "peripheral": [4.0, 4.0],
            "atmosphere": [5.0, 5.0],
            "psychological": [5.0, 5.0],
        }
    )
    truth = pd.DataFrame(
        {"product": [0.0, 0.4], "peripheral": 0.0, "atmosphere": 0.0, "psychological": 0.0},
        index=["a", "billing"],
    )
    fig, ax = plt.subplots()
    prof = touchpoint_profile(t, "billing", truth)
    assert plot_touchpoint_profile(prof, touchpoint="billing", ax=ax) is ax
    assert ax.get_title() == "Billing: the four components"
    assert ax.get_xlabel() == "vs the average touchpoint (points)"
    widths = [p.get_width() for p in ax.patches]
    assert widths[:4] == prof["difference"].tolist() and len(widths) == 8
    lo, hi = ax.get_xlim()
    assert lo == -hi and hi >= 0.4
    fix_axis_labels(ax, y=False)  # the label stays where it was put
    plot_touchpoint_profile(None, touchpoint="billing", ax=plt.figure().gca())


def test_touchpoint_profile_without_answers_says_so():
    fig, ax = plt.subplots()
    plot_touchpoint_profile(None, touchpoint="marketing_communication", ax=ax)
    assert not ax.axison and "no survey answer" in ax.texts[0].get_text()
