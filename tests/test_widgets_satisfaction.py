"""crmkit.widgets.satisfaction: the satisfaction explorer and its fast redraws."""

import dataclasses

import numpy as np
from pictures import fig_pixels, pixels, visit

from crmkit import concepts
from crmkit.widgets import satisfaction


def _weights(*w):
    names = concepts.keys(concepts.SATISFACTION_COMPONENTS)
    return {f"w_{c}": v for c, v in zip(names, w, strict=True)}


def test_satisfaction_reuses_its_axes(small_world):
    w = satisfaction.satisfaction_explorer(small_world)
    axes = list(w.figure.axes)
    first = (w.image.value, w.summary.value)
    subsets = [o[1] for o in w.controls["subset"].options]
    visit(w, [{"subset": subsets[-1], **_weights(1.0, 0.0, 0.0, 0.0)}, _weights(0, 0, 0, 0)])
    assert w.figure.axes == axes
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
    assert np.array_equal(fig_pixels(fig), pixels(w.image.value))

