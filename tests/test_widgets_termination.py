"""crmkit.widgets.termination: the termination what-if explorer and its fast redraws."""


import numpy as np
from matplotlib.figure import Figure
from pictures import fig_pixels, pixels, visit

from crmkit.metrics.termination import termination_what_if
from crmkit.widgets import termination


def test_termination_reuses_its_axes(small_world):
    w = termination.termination_explorer(small_world)
    axes = list(w.figure.axes)
    first = (w.image.value, w.summary.value)
    visit(
        w,
        [
            {"segment": "all", "method": "unbundle_offer", "price_rise": 0.5},
            {"method": "redesign_product", "elasticity": 5.0},
        ],
    )
    assert w.figure.axes == axes  # no Axes piled up
    visit(
        w,
        [{"segment": "late_payer", "method": "raise_price", "price_rise": 0.1, "elasticity": 2.0}],
    )
    assert (w.image.value, w.summary.value) == first


def test_termination_empty_segment_and_back_on_one_figure(small_world):
    cand = termination.prepare_candidates(small_world)
    cand["destructive"] = False
    tx = small_world.transactions
    fig = Figure(figsize=(9.0, 4.0))
    termination._render(fig, cand, tx, "late_payer", "raise_price", 0.1, 2.0)
    before = fig_pixels(fig)
    termination._render(fig, cand, tx, "destructive", "raise_price", 0.1, 2.0)
    assert not any(ax.get_visible() for ax in fig.axes)
    assert "No customer is in the segment" in fig.texts[0].get_text()
    empty = fig_pixels(fig)
    termination._render(fig, cand, tx, "late_payer", "raise_price", 0.1, 2.0)
    assert np.array_equal(fig_pixels(fig), before)
    assert not np.array_equal(empty, before)


def test_draw_what_if_adds_two_axes_each_call(small_world):
    cand = termination.prepare_candidates(small_world)
    table = termination_what_if(cand, small_world.transactions, segment="any")
    fig = Figure()
    ax_n, ax_m = termination.draw_what_if(fig, table, title="x")
    assert [p.get_height() for p in ax_n.patches] == list(table.loc[0, ["before", "after"]])
    termination.draw_what_if(fig, table)
    assert len(fig.axes) == 4


def test_termination_static_twin_draws_the_widget_picture(small_world):
    w = termination.termination_explorer(small_world, segment="any", price_rise=0.2)
    fig, _ = termination.termination_explorer_figure(small_world, segment="any", price_rise=0.2)
    assert np.array_equal(fig_pixels(fig), pixels(w.image.value))

