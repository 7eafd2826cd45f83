"""crmkit.plots.termination: the what-if bars (customers, money) and the two-panel figure."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from crmkit.metrics.termination import prepare_candidates, termination_what_if  # noqa: E402
from crmkit.plots.termination import (  # noqa: E402
    draw_what_if,
    plot_what_if_customers,
    plot_what_if_money,
)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture
def table():
    return pd.DataFrame(
        {
            "measure": ["customers", "revenue", "cost_of_goods", "cost_to_serve", "profit"],
            "before": [10.0, 100.0, 50.0, 60.0, -10.0],
            "after": [8.0, 88.0, 40.0, 48.0, 0.0],
        }
    )


def test_customers_on_the_given_axes(table):
    fig, (ax, other) = plt.subplots(1, 2)
    copy = table.copy()
    assert plot_what_if_customers(table, ax=ax) is ax
    pd.testing.assert_frame_equal(table, copy)  # the input is not modified
    assert [p.get_height() for p in ax.patches] == [10.0, 8.0]
    assert [t.get_text() for t in ax.texts] == ["10", "8"]
    assert ax.get_title() and ax.get_ylabel() == "customers (expected count)"
    assert not other.patches


def test_money_on_the_current_axes(table):
    _, ax = plt.subplots()
    assert plot_what_if_money(table) is ax
    heights = [p.get_height() for p in ax.patches]
    assert heights == [100.0, 50.0, 60.0, -10.0, 88.0, 40.0, 48.0, 0.0]
    assert [t.get_text() for t in ax.texts] == ["-12%", "-20%", "-20%", "+100%"]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "Revenue",
        "Cost of goods",
        "Cost to serve",
        "Profit",
    ]
    assert ax.get_ylabel() == "currency units, two years"
    assert [t.get_text() for t in ax.get_legend().texts] == ["before", "after"]
    lo, hi = ax.get_ylim()
    assert lo < -10 and hi > 100  # every bar in view


def test_money_without_a_before_value_says_na(table):
    table.loc[table["measure"] == "revenue", "before"] = 0.0
    ax = plot_what_if_money(table, ax=plt.figure().subplots())
    assert ax.texts[0].get_text() == "n/a"


def test_the_wrong_table_is_refused():
    with pytest.raises(TypeError, match="termination_what_if"):
        plot_what_if_customers("table")
    with pytest.raises(ValueError, match="measure"):
        plot_what_if_money(pd.DataFrame({"x": [1]}))


def test_draw_what_if_adds_two_axes_each_call(small_world):
    cand = prepare_candidates(small_world)
    table = termination_what_if(cand, small_world.transactions, segment="any")
    fig = Figure()
    ax_n, ax_m = draw_what_if(fig, table, title="x")
    assert [p.get_height() for p in ax_n.patches] == list(table.loc[0, ["before", "after"]])
    assert fig.get_suptitle() == "x"
    draw_what_if(fig, table)
    assert len(fig.axes) == 4


def test_update_in_place_draws_what_a_fresh_plot_draws(table):
    from pictures import fig_pixels

    from crmkit.plots.termination import update_what_if_customers, update_what_if_money

    other = table.assign(after=[3.0, 20.0, 10.0, 30.0, -20.0])
    fresh = Figure(figsize=(9, 4))
    ax_n, ax_m = fresh.subplots(1, 2)
    plot_what_if_customers(other, ax=ax_n)
    plot_what_if_money(other, ax=ax_m)
    reused = Figure(figsize=(9, 4))
    ax_n, ax_m = reused.subplots(1, 2)
    plot_what_if_customers(table, ax=ax_n)
    plot_what_if_money(table, ax=ax_m)
    assert update_what_if_customers(other, ax_n) is ax_n
    assert update_what_if_money(other, ax_m) is ax_m
    assert len(ax_m.patches) == 8 and len(ax_m.texts) == 4  # nothing added
    assert (fig_pixels(reused) == fig_pixels(fresh)).all()
