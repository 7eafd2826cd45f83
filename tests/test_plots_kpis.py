"""crmkit.plots.kpis: the KPI dashboard, the KPI corridor and the training effect."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmkit.metrics.kpis import kpi_alerts, kpi_series, loyalty_kpis, prepare_kpis  # noqa: E402
from crmkit.plots.kpis import (  # noqa: E402
    plot_kpi_corridor,
    plot_kpi_dashboard,
    plot_training_effect,
)
from crmkit.synth import make_world  # noqa: E402


@pytest.fixture(scope="module")
def world():
    return make_world(1500, random_state=0)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _labelled(ax):
    assert ax.get_title()
    assert ax.get_xlabel()
    assert ax.get_ylabel()


def test_kpi_dashboard_returns_a_figure(world):
    k = loyalty_kpis(
        world.customers,
        world.transactions,
        world.interactions,
        surveys=world.surveys,
        stage_history=world.stage_history,
    )
    fig = plot_kpi_dashboard(k)
    visible = [a for a in fig.axes if a.get_visible()]
    assert len(visible) == 9
    assert all(a.get_title() and a.get_ylabel() for a in visible)
    assert "per 1,000 active customers" in visible[0].get_ylabel()
    assert fig.get_suptitle()
    mine = plt.figure()
    out = plot_kpi_dashboard(
        k, columns=["complaints", "cash_collection_rate"], fig=mine, per_1000=False, alerts=False
    )
    assert out is mine and len(mine.axes) == 2
    with pytest.raises(ValueError, match="not found"):
        plot_kpi_dashboard(k, columns=["nps"])
    with pytest.raises(TypeError, match="loyalty_kpis"):
        plot_kpi_dashboard(world.customers)


def test_training_effect(world):
    fig, ax = plt.subplots()
    out = plot_training_effect(world.interactions, world.staff, ax=ax)
    assert out is ax
    _labelled(ax)
    assert ax.get_yscale() == "log"
    assert "per 10 h" in ax.get_legend().get_texts()[1].get_text()


def test_kpi_dashboard_rates_are_kpi_series(world):
    k = prepare_kpis(world)
    fig = plot_kpi_dashboard(k, columns=["complaints"], alerts=False)
    drawn = fig.axes[0].lines[0].get_ydata()
    np.testing.assert_allclose(drawn, kpi_series(k, "complaints")[0].to_numpy())


def _band(kpi="complaints", values=(10, 11, 9, 10, 30, 30, 30, 2)):
    k = pd.DataFrame(
        {"period": pd.period_range("2024-01", periods=len(values), freq="M"), kpi: values}
    )
    return kpi_alerts(k, columns=[kpi], all_periods=True)


def test_kpi_corridor_on_the_given_axes():
    band = _band()
    copy = band.copy()
    fig, (ax, other) = plt.subplots(1, 2)
    out = plot_kpi_corridor(band, unit="complaints", window=3, threshold=2.0, ax=ax)
    assert out is ax and not other.lines
    pd.testing.assert_frame_equal(band, copy)  # the input is not modified
    _labelled(ax)
    assert ax.get_title() == "Complaints (lower is better), per month"
    baseline = next(li for li in ax.lines if li.get_linestyle() == "--")
    np.testing.assert_array_equal(baseline.get_ydata(), band["baseline"])
    circled = [c for c in ax.collections if c.get_label().startswith("alert")]
    assert sorted(c.get_label() for c in circled) == ["alert: better", "alert: worse"]
    assert sum(len(c.get_offsets()) for c in circled) == int(band["alert"].sum()) == 2
    legend = [t.get_text() for t in ax.get_legend().texts]
    assert legend[0].startswith("as usual") and "the KPI" in legend


def test_kpi_corridor_shares_stay_below_100_and_bars_for_focus_groups():
    ax = plot_kpi_corridor(_band("late_payment_share", (99.0, 90, 99, 20, 99, 98)))
    corridor = ax.collections[0]
    assert corridor.get_paths()[0].vertices[:, 1].max() <= 100.0
    ax2 = plot_kpi_corridor(_band("focus_group_reports", (0, 0, 5, 0, 0, 6)), ax=plt.figure().gca())
    assert len(ax2.patches) == 6  # one bar per month


def test_kpi_corridor_refuses_the_wrong_table():
    with pytest.raises(TypeError, match="kpi_alerts"):
        plot_kpi_corridor([1, 2, 3])
    k = pd.DataFrame({"period": range(6), "complaints": [1, 2, 1, 2, 1, 9], "defections": [1] * 6})
    with pytest.raises(ValueError, match="one KPI"):
        plot_kpi_corridor(kpi_alerts(k, all_periods=True))
