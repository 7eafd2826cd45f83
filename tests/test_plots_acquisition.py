"""crmkit.plots.acquisition: the bars of an acquisition plan."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from crmkit.metrics.acquisition import plan_acquisition  # noqa: E402
from crmkit.plots.acquisition import PLAN_VIEWS, plot_acquisition_plan  # noqa: E402

RATES = pd.DataFrame(
    {
        "channel": ["shop", "web", "social"],
        "contact_cost": [12.0, 0.5, 2.0],
        "conversion_rate": [0.08, 0.02, 0.0],
    }
)
PLAN = plan_acquisition(RATES, 1200, {"shop": 2, "web": 1, "social": 1})


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.mark.parametrize("view", list(PLAN_VIEWS))
def test_draws_on_the_given_axes_labelled(view):
    fig, (other, ax) = plt.subplots(1, 2)
    before = PLAN.copy()
    out = plot_acquisition_plan(PLAN, view=view, ax=ax)
    assert isinstance(out, Axes) and out is ax
    assert ax.get_title().startswith("Budget 1,200")
    assert ax.get_xlabel() == PLAN_VIEWS[view][1] and ax.get_ylabel() == "Channel"
    assert len(ax.patches) == 3  # one bar per channel, none for the total
    assert not other.has_data() and not other.get_title()
    pd.testing.assert_frame_equal(PLAN, before)  # the plan is not modified


def test_bars_show_the_view_and_the_share():
    fig, ax = plt.subplots()
    plot_acquisition_plan(PLAN, view="spend", ax=ax)
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == pytest.approx([300, 300, 600])
    texts = [t.get_text() for t in ax.texts]
    assert "600  (50% of budget)" in texts


def test_cost_per_acquisition_marks_the_whole_plan_and_channels_without_customers():
    fig, ax = plt.subplots()
    plot_acquisition_plan(PLAN, view="cost_per_acquisition", ax=ax)
    cpa = PLAN["cost_per_acquisition"].iloc[-1]
    assert any(np.allclose(line.get_xdata(), cpa) for line in ax.lines)  # dashed line
    texts = [t.get_text() for t in ax.texts]
    assert f"whole plan: {cpa:,.0f}" in texts
    assert any(t.startswith("no customers") for t in texts)  # social converts nobody


def test_uses_the_current_axes_by_default():
    fig, ax = plt.subplots()
    assert plot_acquisition_plan(PLAN) is ax


def test_refuses_a_bad_view_or_table():
    with pytest.raises(ValueError, match="'new_customers'"):
        plot_acquisition_plan(PLAN, view="customers")
    with pytest.raises(ValueError, match="plan_acquisition"):
        plot_acquisition_plan(RATES)
    with pytest.raises(TypeError, match="DataFrame"):
        plot_acquisition_plan([1, 2])
