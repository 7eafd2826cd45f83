"""Every figure of crmkit.plots (retention, value, lifecycle): an Axes back, labelled, on the given ax or the current one; the wrong table refused."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from crmkit.metrics.lifecycle import simulate_lifecycle, transition_matrix  # noqa: E402
from crmkit.metrics.retention import (  # noqa: E402
    cohort_retention,
    retention_by_period,
    survival_curve,
)
from crmkit.metrics.value import loyalty_ladder, retention_economics, rfm_table  # noqa: E402
from crmkit.plots.lifecycle import plot_stage_mix, plot_transition_heatmap  # noqa: E402
from crmkit.plots.retention import plot_cohort_heatmap, plot_retention_curve  # noqa: E402
from crmkit.plots.value import (  # noqa: E402
    plot_loyalty_ladder,
    plot_retention_economics,
    plot_rfm_segments,
)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def cases(request):
    w = request.getfixturevalue("small_world")
    P = transition_matrix(w.stage_history)
    return {
        "cohort": (plot_cohort_heatmap, cohort_retention(w.transactions), {}),
        "cohort_counts": (plot_cohort_heatmap, cohort_retention(w.transactions, counts=True), {}),
        "retention": (plot_retention_curve, retention_by_period(w.transactions), {}),
        "survival": (plot_retention_curve, survival_curve(w.customers, by="loyalty_member"), {}),
        "rfm": (plot_rfm_segments, rfm_table(w.transactions), {}),
        "ladder": (
            plot_loyalty_ladder,
            loyalty_ladder(w.customers, w.transactions, surveys=w.surveys),
            {},
        ),
        "transition": (plot_transition_heatmap, P, {"true": w.truth["transition_matrix"]}),
        "stage_mix": (plot_stage_mix, simulate_lifecycle(P, new_per_month=20), {}),
        "stage_share": (plot_stage_mix, simulate_lifecycle(P), {"share": True}),
        "economics": (
            plot_retention_economics,
            retention_economics(np.linspace(0.5, 0.9, 9), margin=400, acquisition_cost=900),
            {},
        ),
        "economics_profit": (plot_retention_economics, None, {"metric": "profit"}),
    }


NAMES = [
    "cohort",
    "cohort_counts",
    "retention",
    "survival",
    "rfm",
    "ladder",
    "transition",
    "stage_mix",
    "stage_share",
    "economics",
    "economics_profit",
]


@pytest.mark.parametrize("name", NAMES)
def test_plot_draws_on_the_given_axes_with_labels(cases, name):
    func, data, kwargs = cases[name]
    fig, (other, ax) = plt.subplots(1, 2)
    out = func(data, ax=ax, **kwargs)
    assert isinstance(out, Axes) and out is ax
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert ax.has_data() or ax.collections or ax.patches
    assert not other.has_data() and not other.get_title()  # nothing drawn elsewhere


@pytest.mark.parametrize("name", ["cohort", "rfm", "economics_profit"])
def test_plot_uses_the_current_axes_by_default(cases, name):
    func, data, kwargs = cases[name]
    fig, ax = plt.subplots()
    assert func(data, **kwargs) is ax


def test_plots_refuse_the_wrong_table(cases):
    _, rfm, _ = cases["rfm"]
    with pytest.raises(ValueError, match="retention_by_period"):
        plot_retention_curve(rfm)
    with pytest.raises(TypeError, match="DataFrame"):
        plot_cohort_heatmap([1, 2, 3])
    with pytest.raises(ValueError, match="rung"):
        plot_loyalty_ladder(rfm)
    with pytest.raises(ValueError, match="lifecycle stages"):
        plot_transition_heatmap(pd.DataFrame(np.eye(5)))
    with pytest.raises(ValueError, match="'cost', 'profit'"):
        plot_retention_economics(metric="money")
    with pytest.raises(ValueError, match="empty"):
        plot_rfm_segments(rfm.iloc[:0])


def test_loyalty_ladder_accepts_counts():
    fig, ax = plt.subplots()
    plot_loyalty_ladder(pd.Series({"prospect": 5, "client": 3}), ax=ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Prospect" and labels[-1] == "Partner"  # prospect at the bottom


def test_survival_legend_is_titled_by_the_column(cases):
    func, data, _ = cases["survival"]
    fig, ax = plt.subplots()
    func(data, ax=ax)
    assert ax.get_legend().get_title().get_text() == "Loyalty member"
