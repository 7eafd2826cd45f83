"""crmkit.plots.satisfaction: NPS distribution, satisfaction drivers, touchpoints."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmkit.metrics.satisfaction import satisfaction_drivers, touchpoint_satisfaction  # noqa: E402
from crmkit.plots.satisfaction import (  # noqa: E402
    plot_nps_distribution,
    plot_satisfaction_drivers,
    plot_touchpoint_satisfaction,
)
from crmkit.synth import make_world  # noqa: E402


@pytest.fixture(scope="module")
def world():
    return make_world(1500, random_state=0)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _labelled(ax):
    assert ax.get_title()
    assert ax.get_xlabel()
    assert ax.get_ylabel()


def test_nps_distribution(world):
    fig, ax = plt.subplots()
    out = plot_nps_distribution(world.surveys, ax=ax)
    assert out is ax
    _labelled(ax)
    assert "NPS" in ax.get_title()
    assert len(ax.patches) == 11  # one bar per answer 0-10
    assert len(ax.get_legend().get_texts()) == 3


def test_nps_distribution_uses_current_axes_and_kwargs():
    fig, ax = plt.subplots()
    out = plot_nps_distribution([10, 9, 0, 7], alpha=0.5)
    assert out is ax
    assert ax.patches[0].get_alpha() == 0.5
    assert "NPS = +25" in ax.get_title()  # (2 promoters - 1 detractor) / 4 answers


def test_satisfaction_drivers(world):
    fig, ax = plt.subplots()
    out = plot_satisfaction_drivers(world.surveys, truth=world.truth, ax=ax)
    assert out is ax
    _labelled(ax)
    assert len(ax.patches) == 8  # estimated and true bars
    table = satisfaction_drivers(world.surveys)
    fig2, ax2 = plt.subplots()
    plot_satisfaction_drivers(table, ax=ax2)
    assert len(ax2.patches) == 4


def test_touchpoint_satisfaction(world):
    fig, ax = plt.subplots()
    out = plot_touchpoint_satisfaction(world.surveys, world.interactions, ax=ax)
    assert out is ax
    _labelled(ax)
    assert ax.xaxis_inverted()  # fewer complaints is better: to the right
    table = touchpoint_satisfaction(world.surveys, world.interactions)
    names = {t.get_text() for t in ax.texts}
    assert set(table.dropna(subset=["overall"])["name"]) <= names
    fig2, ax2 = plt.subplots()
    plot_touchpoint_satisfaction(table, internal="share_resolved", ax=ax2)
    assert not ax2.xaxis_inverted()
    with pytest.raises(TypeError, match="interactions"):
        plot_touchpoint_satisfaction(world.surveys)


def test_plots_do_not_mutate(world):
    before = world.surveys.copy()
    fig, ax = plt.subplots()
    plot_nps_distribution(world.surveys, ax=ax)
    plot_satisfaction_drivers(world.surveys, ax=ax)
    pd.testing.assert_frame_equal(world.surveys, before)


def _what_if(world, weights=(1, 1, 1, 1)):
    from crmkit.metrics.satisfaction import COMPONENTS, driver_fit, what_if_weights

    s = world.surveys.dropna(subset=[*COMPONENTS, "overall"])
    X, y = s[list(COMPONENTS)].to_numpy(float), s["overall"].to_numpy(float)
    return driver_fit(s), what_if_weights(X, y, list(weights)), y


def test_what_if_weights_chart(world):
    from crmkit.plots.satisfaction import plot_what_if_weights

    fit, mine, _ = _what_if(world, (2, 0, 1, 1))
    kept = {k: v.copy() for k, v in mine.items() if isinstance(v, np.ndarray)}
    true = world.truth["component_weights"].to_numpy()
    fig, ax = plt.subplots()
    assert plot_what_if_weights(fit, mine, true=true, title="Weights", ax=ax) is ax
    _labelled(ax)
    assert ax.get_title() == "Weights"
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_array_equal(heights[:4], fit["weights"])  # estimated
    np.testing.assert_array_equal(heights[4:], true)  # true
    dashes = max(ax.lines, key=lambda line: line.get_markersize())  # yours
    np.testing.assert_array_equal(dashes.get_ydata(), [0.5, 0, 0.25, 0.25])
    for k, v in kept.items():
        np.testing.assert_array_equal(mine[k], v)  # not modified
    fig2, ax2 = plt.subplots()
    plt.sca(ax2)
    assert plot_what_if_weights(fit, mine) is ax2  # the current Axes; no true weights
    assert len(ax2.patches) == 4


def test_prediction_spread_chart(world):
    from crmkit.metrics.satisfaction import spread_by_answer
    from crmkit.plots.satisfaction import plot_prediction_spread

    fit, mine, y = _what_if(world)
    fig, ax = plt.subplots()
    assert plot_prediction_spread(fit, mine, y, ax=ax) is ax
    _labelled(ax)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[0] == f"Estimated weights: error {fit['rmse']:.2f}"
    assert texts[1] == f"Your weights: error {mine['rmse']:.2f}"
    lv, _, mid, _ = spread_by_answer(fit["predicted"], y)
    median = ax.lines[0]
    np.testing.assert_array_equal(median.get_xdata(), lv - 0.12)
    np.testing.assert_array_equal(median.get_ydata(), mid)
