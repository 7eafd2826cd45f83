"""crmkit.widgets.acquisition: the acquisition budget planner (lesson 07), without a browser."""

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402

import crmkit  # noqa: E402
from crmkit import concepts  # noqa: E402
from crmkit.widgets.acquisition import (  # noqa: E402
    VIEWS,
    acquisition_explorer,
    acquisition_explorer_figure,
    channel_rates,
    plan_acquisition,
)


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(800, random_state=5)


def test_old_imports_still_work():
    from crmkit.metrics import acquisition
    from crmkit.plots.acquisition import PLAN_VIEWS

    assert channel_rates is acquisition.channel_rates
    assert plan_acquisition is acquisition.plan_acquisition
    assert VIEWS is PLAN_VIEWS


def test_explorer_all_weights_zero_is_a_friendly_message(world):
    w = acquisition_explorer(world)
    for c in channel_rates(world.customers, world.campaigns)["channel"]:
        w.controls[c].value = 0
    assert "could not be computed" not in w.summary.value
    assert "weight of 0" in w.summary.value
    assert "weight above 0" in w.figure.axes[0].texts[0].get_text()
    w.controls["web"].value = 10
    assert "new customers expected" in w.summary.value
    assert w.figure.axes[0].axison and len(w.figure.axes[0].patches) == len(concepts.CHANNELS)


def test_explorer_keeps_its_axes_and_its_picture_depends_only_on_the_values(world):
    w = acquisition_explorer(world)
    axes = list(w.figure.axes)
    for key, value in [
        ("view", "cost_per_acquisition"),
        ("budget", 12000.0),
        ("web", 0),
        ("view", "spend"),
        ("shop", 90),
        ("view", "new_customers"),
    ]:
        w.controls[key].value = value
        assert "could not be computed" not in w.summary.value
    assert w.figure.axes == axes
    fresh = acquisition_explorer(world, budget=12000.0)
    fresh.controls["web"].value = 0
    fresh.controls["shop"].value = 90
    assert w.summary.value == fresh.summary.value
    assert w.image.value == fresh.image.value


def test_explorer_redraws_do_not_pile_up_artists(world):
    w = acquisition_explorer(world)
    ax = w.figure.axes[0]
    before = len(ax.get_children()), len(ax.containers)
    for _ in range(3):
        w.controls["view"].value = "cost_per_acquisition"
        w.controls["view"].value = "new_customers"
    assert (len(ax.get_children()), len(ax.containers)) == before


def test_explorer_figure_shows_cost_per_acquisition(world):
    fig = acquisition_explorer_figure(world)
    assert "Cost per acquired customer" in fig.axes[0].get_xlabel()
    assert len(fig.rates) == len(concepts.CHANNELS)
