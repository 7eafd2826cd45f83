"""The fast redraw paths of satisfaction_explorer, customer_journey and termination_explorer.

These widgets keep their Axes between callbacks and update the artists in
place. The tests check that a picture depends only on the controls (not on the
pictures drawn before), that edge cases (an empty segment, a world without
truth, journeys with different legends) survive the reuse, and that each static
twin still draws exactly the widget's picture.
"""

import dataclasses
import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from crmkit import concepts
from crmkit.metrics.termination import termination_what_if
from crmkit.plots import plot_customer_journey
from crmkit.widgets import journey, satisfaction, termination


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _fig_pixels(fig) -> np.ndarray:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=72)
    return _pixels(buf.getvalue())


def _visit(w, settings):
    """Set each control setting in turn; return (PNG, summary) after each."""
    out = []
    for values in settings:
        for key, value in values.items():
            w.controls[key].value = value
        out.append((w.image.value, w.summary.value))
    return out


# --------------------------------------------------------------------------- termination
def test_termination_reuses_its_axes(small_world):
    w = termination.termination_explorer(small_world)
    axes = list(w.figure.axes)
    first = (w.image.value, w.summary.value)
    _visit(
        w,
        [
            {"segment": "all", "method": "unbundle_offer", "price_rise": 0.5},
            {"method": "redesign_product", "elasticity": 5.0},
        ],
    )
    assert w.figure.axes == axes  # no Axes piled up
    _visit(
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
    before = _fig_pixels(fig)
    termination._render(fig, cand, tx, "destructive", "raise_price", 0.1, 2.0)
    assert not any(ax.get_visible() for ax in fig.axes)
    assert "No customer is in the segment" in fig.texts[0].get_text()
    empty = _fig_pixels(fig)
    termination._render(fig, cand, tx, "late_payer", "raise_price", 0.1, 2.0)
    assert np.array_equal(_fig_pixels(fig), before)
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
    assert np.array_equal(_fig_pixels(fig), _pixels(w.image.value))


# --------------------------------------------------------------------------- satisfaction
def _weights(*w):
    names = concepts.keys(concepts.SATISFACTION_COMPONENTS)
    return {f"w_{c}": v for c, v in zip(names, w, strict=True)}


def test_satisfaction_reuses_its_axes(small_world):
    w = satisfaction.satisfaction_explorer(small_world)
    axes = list(w.figure.axes)
    first = (w.image.value, w.summary.value)
    subsets = [o[1] for o in w.controls["subset"].options]
    _visit(w, [{"subset": subsets[-1], **_weights(1.0, 0.0, 0.0, 0.0)}, _weights(0, 0, 0, 0)])
    assert w.figure.axes == axes
    _visit(w, [{"subset": "all", **_weights(0.25, 0.25, 0.25, 0.25)}])
    assert (w.image.value, w.summary.value) == first


def test_satisfaction_without_truth(small_world):
    world = dataclasses.replace(small_world, truth={})
    w = satisfaction.satisfaction_explorer(world)
    ax1 = w.figure.axes[0]
    assert [t.get_text() for t in ax1.get_legend().get_texts()] == [
        "Estimated (bar: 95% interval)",
        "Your what-if (sum = 1)",
    ]
    assert len(ax1.patches) == 4  # no bars of true weights
    first = w.image.value
    _visit(w, [_weights(0.0, 1.0, 0.0, 0.0), _weights(0.25, 0.25, 0.25, 0.25)])
    assert w.image.value == first


def test_satisfaction_static_twin_draws_the_widget_picture(small_world):
    w = satisfaction.satisfaction_explorer(small_world, weights=[0.5, 0.2, 0.2, 0.1])
    fig = satisfaction.satisfaction_explorer_figure(small_world, weights=[0.5, 0.2, 0.2, 0.1])
    assert np.array_equal(_fig_pixels(fig), _pixels(w.image.value))


# --------------------------------------------------------------------------- journey
def test_journey_reuses_its_axes_across_customers(small_world):
    w = journey.customer_journey(small_world)
    axes = list(w.figure.axes)
    first = (w.image.value, w.summary.value)
    ids = [o[1] for o in w.controls["customer_id"].options]
    legends = set()
    for cid in ids[1:10]:
        w.controls["customer_id"].value = cid
        legends.add(tuple(t.get_text() for t in w.figure.axes[0].get_legend().get_texts()))
    assert len(legends) > 1  # legends with different entries came and went
    w.controls["window"].value = "all"
    assert w.figure.axes == axes
    _visit(w, [{"customer_id": ids[0], "window": "customer"}])
    assert (w.image.value, w.summary.value) == first


def test_journey_fewer_surveys_hide_the_extra_score_labels(small_world):
    state = journey._Journeys(small_world, 40, 0)
    n_surveys = {cid: int((t["track"] == "survey").sum()) for cid, t in state.tables.items()}
    many = max(n_surveys, key=n_surveys.get)
    few = min(n_surveys, key=n_surveys.get)
    fig = Figure(figsize=(10, 6.4))
    state.render(fig, few)
    alone = _fig_pixels(fig)
    state.render(fig, many)
    ax = fig.axes[0]
    assert sum(t.get_visible() for t in ax.texts) == n_surveys[many]
    state.render(fig, few)
    assert sum(t.get_visible() for t in ax.texts) == n_surveys[few]
    assert np.array_equal(_fig_pixels(fig), alone)


def test_plot_customer_journey_on_any_axes(small_world):
    cid = int(journey.journey_sample(small_world, 5)["customer_id"].iloc[0])
    table = journey.customer_journey_table(small_world, cid)
    fig = Figure(figsize=(10, 6))
    ax = fig.subplots()
    assert plot_customer_journey(table, title="t", ax=ax) is ax
    assert ax.get_title() == "t" and ax.get_legend() is not None
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Lifecycle stage"
    n_contacts = int((table["track"] == "contact").sum())
    assert sum(len(c.get_offsets()) for c in ax.collections[3:]) == n_contacts


@pytest.mark.parametrize("window", ["customer", "all"])
def test_journey_static_twin_draws_the_widget_picture(small_world, window):
    w = journey.customer_journey(small_world)
    w.controls["window"].value = window
    fig = journey.customer_journey_figure(small_world, window=window)
    assert np.array_equal(_fig_pixels(fig), _pixels(w.image.value))
