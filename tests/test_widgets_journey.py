"""crmkit.widgets.journey: the customer journey widget and its fast redraws."""

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from pictures import fig_pixels, pixels, visit

import crmkit
from crmkit.widgets import journey, registry
from crmkit.widgets._core import kept


@pytest.fixture(scope="module")
def fa_world():
    return crmkit.make_world(300, locale="fa_IR", random_state=5)


def _legend(ax):
    """The legend shown on ``ax`` (the widget keeps one per set of entries)."""
    shown = [a for a in ax.get_children() if isinstance(a, Legend)]
    assert len(shown) <= 1
    return shown[0] if shown else None


def test_the_widget_is_registered():
    assert registry()["customer_journey"] is journey.customer_journey


def test_journey_reuses_its_axes_across_customers(small_world):
    w = journey.customer_journey(small_world)
    axes = list(w.figure.axes)
    first = (w.image.value, w.summary.value)
    ids = [o[1] for o in w.controls["customer_id"].options]
    legends = set()
    for cid in ids[1:10]:
        w.controls["customer_id"].value = cid
        legends.add(tuple(t.get_text() for t in _legend(w.figure.axes[0]).get_texts()))
    assert len(legends) > 1  # legends with different entries came and went
    w.controls["window"].value = "all"
    assert w.figure.axes == axes
    assert kept(w.figure)["journey"].ax is axes[0]  # the timeline is kept with the figure
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
    assert fig.summary_html.startswith("<table>")


def test_journey_widget_in_persian(fa_world):
    w = journey.customer_journey(fa_world)
    label = w.controls["customer_id"].label
    assert " · " in label
    assert 'dir="auto"' in w.summary.value
    fig = journey.customer_journey_figure(fa_world)
    title = fig.axes[0].get_title()
    cid = int(journey.journey_sample(fa_world)["customer_id"].iloc[0])
    row = fa_world.customers.set_index("customer_id").loc[cid]
    name = f"{row['first_name']} {row['last_name']}"
    assert crmkit.lessons.bidi_text(name) in title  # what matplotlib draws right to left


def test_journey_widget_can_start_on_any_customer(small_world):
    cid = int(small_world.customers["customer_id"].iloc[-1])
    w = journey.customer_journey(small_world, customer_id=cid)
    assert w.controls["customer_id"].value == cid


def test_the_moved_names_still_import_from_the_widget_module():
    from crmkit.metrics import journey as metrics_journey

    assert journey.journey_sample is metrics_journey.journey_sample
    assert journey.customer_journey_table is metrics_journey.customer_journey_table
