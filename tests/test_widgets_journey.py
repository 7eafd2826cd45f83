"""crmkit.widgets.journey: the customer journey widget and its fast redraws."""


import numpy as np
import pytest
from matplotlib.figure import Figure
from pictures import fig_pixels, pixels, visit

from crmkit.widgets import journey


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
    visit(w, [{"customer_id": ids[0], "window": "customer"}])
    assert (w.image.value, w.summary.value) == first


def test_journey_fewer_surveys_hide_the_extra_score_labels(small_world):
    state = journey._Journeys(small_world, 40, 0)
    n_surveys = {cid: int((t["track"] == "survey").sum()) for cid, t in state.tables.items()}
    many = max(n_surveys, key=n_surveys.get)
    few = min(n_surveys, key=n_surveys.get)
    fig = Figure(figsize=(10, 6.4))
    state.render(fig, few)
    alone = fig_pixels(fig)
    state.render(fig, many)
    ax = fig.axes[0]
    assert sum(t.get_visible() for t in ax.texts) == n_surveys[many]
    state.render(fig, few)
    assert sum(t.get_visible() for t in ax.texts) == n_surveys[few]
    assert np.array_equal(fig_pixels(fig), alone)


@pytest.mark.parametrize("window", ["customer", "all"])
def test_journey_static_twin_draws_the_widget_picture(small_world, window):
    w = journey.customer_journey(small_world)
    w.controls["window"].value = window
    fig = journey.customer_journey_figure(small_world, window=window)
    assert np.array_equal(fig_pixels(fig), pixels(w.image.value))

