"""crmkit.widgets.termination: the termination what-if explorer, its summary and redraws."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from pictures import fig_pixels, pixels, visit

from crmkit.metrics.termination import prepare_candidates, termination_what_if
from crmkit.widgets import termination
from crmkit.widgets._core import kept


def test_moved_names_still_resolve_from_the_widget_module():
    from crmkit.metrics import termination as metrics
    from crmkit.plots import termination as plots

    assert termination.prepare_candidates is metrics.prepare_candidates
    assert termination.segment_mask is metrics.segment_mask  # the one segment mask
    assert termination.draw_what_if is plots.draw_what_if


def test_what_if_summary_reads_the_table():
    t = pd.DataFrame(
        {
            "measure": ["customers", "revenue", "cost_of_goods", "cost_to_serve", "profit"],
            "before": [200.0, 1000.0, 500.0, 300.0, 200.0],
            "after": [150.0, 900.0, 400.0, 250.0, 250.0],
        }
    )
    text = termination.what_if_summary(
        t, segment="deal_seeker", method="raise_price", price_rise=0.25
    )
    assert text.startswith("Raise the price by 25% for Deal-seekers: 150 of 200")
    assert text.endswith("profit 200 -> 250 (+25.0%).")


def test_termination_widget_numbers_match_the_metric(small_world):
    w = termination.termination_explorer(small_world, segment="any", price_rise=0.2)
    cand = prepare_candidates(small_world)
    table = termination_what_if(cand, small_world.transactions, segment="any", price_rise=0.2)
    profit_after = table.set_index("measure").loc["profit", "after"]
    assert f"{profit_after:,.0f}" in w.summary.value


def test_termination_empty_segment_is_explained(small_world):
    cand = prepare_candidates(small_world)
    cand["destructive"] = False
    html_text = termination._render(
        Figure(), cand, small_world.transactions, "destructive", "raise_price", 0.1, 2.0
    )
    assert "No customer is flagged" in html_text


def test_termination_redesign_and_unbundle_say_what_they_do(small_world):
    w = termination.termination_explorer(small_world, segment="all", method="redesign_product")
    assert "does not use the price sliders" in w.summary.value
    w.controls["method"].value = "unbundle_offer"
    assert "bundle" in w.summary.value


def test_termination_builder_refuses_bad_options(small_world):
    with pytest.raises(ValueError, match="segment"):
        termination.termination_explorer(small_world, segment="late payers")
    with pytest.raises(ValueError, match="price_rise"):
        termination.termination_explorer(small_world, price_rise=2)
    with pytest.raises(TypeError, match="elasticity"):
        termination.termination_explorer(small_world, elasticity="high")


def test_termination_reuses_its_axes(small_world):
    w = termination.termination_explorer(small_world)
    axes = list(w.figure.axes)
    assert set(kept(w.figure)) == {"what_if", "message"}  # the widget's state, in one place
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
    cand = prepare_candidates(small_world)
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


def test_termination_static_twin_draws_the_widget_picture(small_world):
    w = termination.termination_explorer(small_world, segment="any", price_rise=0.2)
    fig, _ = termination.termination_explorer_figure(small_world, segment="any", price_rise=0.2)
    assert np.array_equal(fig_pixels(fig), pixels(w.image.value))
