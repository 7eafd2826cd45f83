"""crmkit.plots.kpis: the KPI dashboard and the training effect."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from crmkit.metrics.kpis import loyalty_kpis  # noqa: E402
from crmkit.plots.kpis import plot_kpi_dashboard, plot_training_effect  # noqa: E402
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
    assert fig._suptitle.get_text()
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

