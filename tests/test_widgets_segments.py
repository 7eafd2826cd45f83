"""crmkit.widgets.segments: the segment explorer (its numbers: tests/test_metrics_segments.py)."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import crmkit  # noqa: E402
from crmkit.metrics import segments as metrics_segments  # noqa: E402
from crmkit.widgets import registry, segments  # noqa: E402
from crmkit.widgets._core import kept  # noqa: E402


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(600, random_state=11)


def test_the_widget_is_registered():
    assert registry()["segment_explorer"] is segments.segment_explorer


def test_explorer_summary_is_segment_summary(world):
    state = segments._Explorer(world, None, None)
    for by in segments.GROUPINGS:
        for measure in segments.MEASURES:
            got = state.summary(by, measure)
            want = segments.segment_summary(state.stats, by, measure)
            pd.testing.assert_frame_equal(got, want)
            assert got.attrs == want.attrs
    with pytest.raises(ValueError, match="`measure` must be one of"):
        state.summary("origin", "revenue")


def test_segment_explorer_takes_extra_groupings(world):
    ids = world.customers["customer_id"]
    flags = pd.Series(np.where(ids % 2 == 0, "even id", "odd id"), index=ids)
    w = segments.segment_explorer(world, extra={"Parity of the id": flags}, by="Parity of the id")
    assert w.controls["by"].value == "extra_0"
    assert "even id" in w.summary.value
    assert kept(w.figure)["segments"] is w.figure.axes[0]  # the one Axes, kept
    with pytest.raises(ValueError, match="unknown grouping"):
        segments.segment_explorer(world, groupings=["colour"])
    with pytest.raises(TypeError, match="pandas Series"):
        segments.segment_explorer(world, extra={"x": [1, 2]})


def test_static_twin_returns_a_figure_and_the_summary(world):
    fig = segments.segment_explorer_figure(world, measure="main_channel")
    assert isinstance(fig, Figure) and fig.axes and fig.summary_html.startswith("<table>")
    assert fig.summary.attrs["measure"] == "main_channel"
    assert fig.axes[0].get_legend() is not None


def test_the_moved_names_still_import_from_the_widget_module():
    for name in ("GROUPINGS", "MEASURES", "customer_stats", "segment_summary"):
        assert getattr(segments, name) is getattr(metrics_segments, name)
