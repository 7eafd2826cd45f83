"""crmkit.widgets.satisfaction: the satisfaction explorer and its fast redraws."""

import dataclasses

import numpy as np
import pytest
from matplotlib.figure import Figure
from pictures import fig_pixels, pixels, visit

from crmkit import concepts
from crmkit.metrics import satisfaction as metrics_satisfaction
from crmkit.metrics.satisfaction import satisfaction_drivers
from crmkit.widgets import registry, satisfaction
from crmkit.widgets._core import kept

COMPONENTS = list(concepts.keys(concepts.SATISFACTION_COMPONENTS))


def _weights(*w):
    return {f"w_{c}": v for c, v in zip(COMPONENTS, w, strict=True)}


def test_the_widget_is_registered():
    assert registry()["satisfaction_explorer"] is satisfaction.satisfaction_explorer


def test_satisfaction_reuses_its_axes(small_world):
    w = satisfaction.satisfaction_explorer(small_world)
    axes = list(w.figure.axes)
    first = (w.image.value, w.summary.value)
    subsets = [o[1] for o in w.controls["subset"].options]
    visit(w, [{"subset": subsets[-1], **_weights(1.0, 0.0, 0.0, 0.0)}, _weights(0, 0, 0, 0)])
    assert w.figure.axes == axes
    store = kept(w.figure)  # the two charts are kept with the figure
    assert [store["weights"].ax, store["spread"].ax] == axes
    visit(w, [{"subset": "all", **_weights(0.25, 0.25, 0.25, 0.25)}])
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
    visit(w, [_weights(0.0, 1.0, 0.0, 0.0), _weights(0.25, 0.25, 0.25, 0.25)])
    assert w.image.value == first


def test_satisfaction_static_twin_draws_the_widget_picture(small_world):
    w = satisfaction.satisfaction_explorer(small_world, weights=[0.5, 0.2, 0.2, 0.1])
    fig = satisfaction.satisfaction_explorer_figure(small_world, weights=[0.5, 0.2, 0.2, 0.1])
    assert isinstance(fig, Figure) and fig.summary_html.startswith("<p>")
    assert np.array_equal(fig_pixels(fig), pixels(w.image.value))


def test_explorer_draws_the_weights_of_satisfaction_drivers(small_world):
    fig = satisfaction.satisfaction_explorer_figure(small_world)
    ref = satisfaction_drivers(small_world.surveys.dropna(subset=[*COMPONENTS, "overall", "nps"]))
    drawn = [bar.get_height() for bar in fig.axes[0].patches[: len(COMPONENTS)]]
    np.testing.assert_array_equal(drawn, ref["weight"])
    assert f"{ref.attrs['n']:,} answers" in fig.summary_html


def test_satisfaction_explorer_all_zero_weights_is_kind(small_world):
    w = satisfaction.satisfaction_explorer(small_world)
    for c in COMPONENTS:
        w.controls[f"w_{c}"].value = 0.0
    assert "equal weights are shown instead" in w.summary.value
    assert "could not be computed" not in w.summary.value


def test_satisfaction_explorer_teaches(small_world):
    with pytest.raises(ValueError, match="`subset` must be one of"):
        satisfaction.satisfaction_explorer(small_world, subset="billing")
    with pytest.raises(ValueError, match="numbers in \\[0, 1\\]"):
        satisfaction.satisfaction_explorer(small_world, weights=[1, 2])


def test_the_moved_names_still_import_from_the_widget_module():
    for name in ("survey_filters", "what_if_weights", "spread_by_answer"):
        assert getattr(satisfaction, name) is getattr(metrics_satisfaction, name)
