"""crmkit.widgets.economics: the retention simulator (lesson 06), without a browser."""

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402

from crmkit.widgets.economics import (  # noqa: E402
    RETENTION_RANGE,
    economics_curve,
    economics_summary,
    retention_simulator,
    retention_simulator_figure,
)


def test_old_imports_still_work():
    from crmkit.metrics import value

    assert economics_curve is value.economics_curve
    assert economics_summary is value.economics_summary
    assert RETENTION_RANGE == value.RETENTION_RANGE


def test_simulator_summary_and_figure():
    w = retention_simulator()
    assert "-18%" in w.summary.value and "+78%" in w.summary.value
    # every row has its change: retention +5 points (80% -> 85%), lifetime +33% (5 -> 6.7 years)
    assert "<td>80%</td><td>85%</td><td>+5 points</td>" in w.summary.value
    assert "<td>5.0</td><td>6.7</td><td>+33%</td>" in w.summary.value
    w.controls["acquisition_cost"].value = 0
    assert "could not be computed" not in w.summary.value
    fig = retention_simulator_figure()
    assert len(fig.axes) == 2
    assert [ax.get_title() for ax in fig.axes] == [
        "Cost per customer-year",
        "Lifetime profit per customer",
    ]
    assert fig.summary.loc["lifetime profit", "before"] == pytest.approx(310)
    assert fig.summary["change"].notna().all()  # lesson 06's table: no empty cell


def test_simulator_keeps_its_axes_and_its_picture_depends_only_on_the_values():
    w = retention_simulator()
    axes = list(w.figure.axes)
    for key, value in [
        ("metric", "profit"),
        ("retention", 0.6),
        ("margin", 900.0),
        ("metric", "cost"),
        ("discount_rate", 0.2),
        ("retention", 0.9),
    ]:
        w.controls[key].value = value
        assert "could not be computed" not in w.summary.value
    assert w.figure.axes == axes
    fresh = retention_simulator(retention=0.9, margin=900.0)
    fresh.controls["discount_rate"].value = 0.2
    assert w.summary.value == fresh.summary.value
    assert w.image.value == fresh.image.value


def test_simulator_redraws_do_not_pile_up_artists():
    w = retention_simulator()
    ax = w.figure.axes[0]
    before = len(ax.get_children()), len(ax.get_legend().texts)
    for _ in range(3):
        w.controls["metric"].value = "profit"
        w.controls["metric"].value = "cost"
    assert (len(ax.get_children()), len(ax.get_legend().texts)) == before


def test_static_twin_draws_both_panels_of_the_widget():
    fig = retention_simulator_figure(0.7, margin=500)
    assert fig.summary.loc["retention per year", "before"] == pytest.approx(0.7)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "Reichheld's example (source 001)" in legend
