"""crmkit.widgets.retention: retention targeting (lesson 08), without a browser."""

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402

import crmkit  # noqa: E402
from crmkit.widgets.retention import (  # noqa: E402
    TARGETING_BANDS,
    retention_base,
    retention_targeting,
    retention_targeting_figure,
    target_customers,
    targeting_summary,
)


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(800, random_state=5)


def test_old_imports_still_work():
    # lesson 08: from crmkit.widgets.retention import retention_base, ...
    from crmkit.metrics import targeting

    assert retention_base is targeting.retention_base
    assert target_customers is targeting.target_customers
    assert targeting_summary is targeting.targeting_summary
    assert TARGETING_BANDS is targeting.TARGETING_BANDS


def test_targeting_widget_at_extreme_criteria_is_friendly(world):
    w = retention_targeting(world)
    w.controls["min_satisfaction"].value = 7
    w.controls["committed_only"].value = True
    w.controls["min_margin"].value = w.controls["min_margin"].max
    w.controls["budget"].value = 0
    assert "could not be computed" not in w.summary.value
    assert "<b>0</b> customers targeted" in w.summary.value or "No customer" in w.summary.value


def test_no_eligible_customer_gives_a_message_not_an_error(world):
    fig = retention_targeting_figure(world, min_margin=10**9)
    assert fig.summary["targeted"] == 0
    assert "No customer" in fig.axes[0].texts[0].get_text()
    w = retention_targeting(world)
    w.controls["min_margin"].max = 10**9
    w.controls["min_margin"].value = 10**9
    assert "could not be computed" not in w.summary.value
    assert "No customer meets these criteria" in w.summary.value
    assert "No customer" in w.figure.axes[0].texts[0].get_text()
    assert not w.figure.get_suptitle()
    w.controls["min_margin"].value = 0  # back to a plan: the chart and its title return
    assert w.figure.axes[0].axison and "eligible customers targeted" in w.figure.get_suptitle()


def test_targeting_keeps_its_axes_and_its_picture_depends_only_on_the_values(world):
    w = retention_targeting(world)
    axes = list(w.figure.axes)
    for key, value in [
        ("budget", 0.0),
        ("committed_only", True),
        ("min_margin", 10.0**9),
        ("churn_cut", 0.5),
        ("min_margin", 200.0),
        ("budget", 2500.0),
    ]:
        if key == "min_margin":
            w.controls[key].max = 10.0**9
        w.controls[key].value = value
        assert "could not be computed" not in w.summary.value
    assert w.figure.axes == axes
    fresh = retention_targeting(
        world, budget=2500.0, committed_only=True, churn_cut=0.5, min_margin=200.0
    )
    assert w.summary.value == fresh.summary.value
    assert w.image.value == fresh.image.value


def test_targeting_figure_at_default_criteria(world):
    fig = retention_targeting_figure(world)
    assert fig.summary["targeted"] <= 5000 / 10
    assert fig.targets["targeted"].sum() == fig.summary["targeted"]
    assert [ax.get_title() for ax in fig.axes] == [
        "What the offers keep and what they cost",
        "Targeted, by lifecycle stage",
    ]
