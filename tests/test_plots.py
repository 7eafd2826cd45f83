"""Every figure of crmkit.plots (retention, value, lifecycle): an Axes back, labelled,
on the given ax or the current one; the wrong table refused."""

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
from crmkit.metrics.targeting import retention_base, target_customers  # noqa: E402
from crmkit.metrics.value import (  # noqa: E402
    economics_curve,
    loyalty_ladder,
    retention_economics,
    rfm_table,
)
from crmkit.plots.lifecycle import plot_stage_mix, plot_transition_heatmap  # noqa: E402
from crmkit.plots.retention import (  # noqa: E402
    plot_cohort_heatmap,
    plot_retention_curve,
    plot_targeted_by_stage,
    plot_targeting,
)
from crmkit.plots.value import (  # noqa: E402
    plot_loyalty_ladder,
    plot_retention_economics,
    plot_retention_simulator,
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
        "targeting": (plot_targeting, target_customers(retention_base(w), budget=2000), {}),
        "simulator": (
            plot_retention_simulator,
            economics_curve(0.7, margin=300, acquisition_cost=600, discount_rate=0.1),
            {"metric": "profit", "retention": 0.7},
        ),
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
    "targeting",
    "simulator",
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


def test_figures_do_not_modify_their_table(cases):
    for name in ("targeting", "simulator", "economics"):
        func, data, kwargs = cases[name]
        before = data.copy()
        func(data, ax=plt.subplots()[1], **kwargs)
        pd.testing.assert_frame_equal(data, before, obj=name)


def test_targeting_without_eligible_customers_says_so(cases):
    _, targets, _ = cases["targeting"]
    fig, (ax, bx) = plt.subplots(1, 2)
    assert plot_targeting(targets.iloc[:0], ax=ax) is ax
    assert "No customer meets these criteria" in ax.texts[0].get_text()
    assert not ax.axison
    assert plot_targeted_by_stage(targets.iloc[:0], ax=bx) is bx and not bx.axison


def test_targeted_by_stage_counts_the_targeted(cases):
    _, targets, _ = cases["targeting"]
    fig, (other, ax) = plt.subplots(1, 2)
    assert plot_targeted_by_stage(targets, ax=ax) is ax
    assert ax.get_title() and ax.get_xlabel()
    assert sum(p.get_width() for p in ax.patches) == targets["targeted"].sum()
    assert not other.has_data()


def test_simulator_rings_reichheld_and_titles_the_panel(cases):
    func, curve, _ = cases["simulator"]
    fig, ax = plt.subplots()
    func(curve, metric="cost", retention=0.7, ax=ax)
    assert ax.get_title() == "Cost per customer-year"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Reichheld's example (source 001)" in labels
    fig, bx = plt.subplots()
    func(curve, metric="cost", retention=0.7, reference=False, ax=bx)
    assert len(bx.lines) == len(ax.lines) - 1

