"""crmkit.plots.segments: the segment explorer's chart on any Axes."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import crmkit  # noqa: E402
from crmkit.metrics.segments import customer_stats, segment_summary  # noqa: E402
from crmkit.plots import plot_segment_summary  # noqa: E402
from crmkit.plots.segments import format_measure  # noqa: E402


@pytest.fixture(scope="module")
def stats():
    return customer_stats(crmkit.make_world(600, random_state=11))


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_format_measure_by_hand():
    assert format_measure(1234.5, "money") == "1,234"
    assert format_measure(0.25, "share") == "25%"
    assert format_measure(1.234, "rate") == "1.23"
    assert format_measure(1200.0, "count") == "1,200"
    assert format_measure(float("nan"), "money") == "–"


@pytest.mark.parametrize("measure", ["customers", "share_churned", "main_channel"])
def test_plot_segment_summary_draws_on_the_given_axes(stats, measure):
    table = segment_summary(stats, "origin", measure)
    before = table.copy()
    fig, ax = plt.subplots()
    assert plot_segment_summary(table, ax=ax) is ax
    assert ax.get_title() and ax.get_xlabel()
    assert ax.get_ylabel() == "Origin (customer type by newness)"
    assert [t.get_text() for t in ax.get_yticklabels()] == table["name"].tolist()  # top down
    pd.testing.assert_frame_equal(table, before)
    assert table.attrs == before.attrs


def test_plot_segment_summary_current_axes_and_bad_input(stats):
    fig, ax = plt.subplots()
    table = segment_summary(stats, "segment", "revenue_per_customer")
    assert plot_segment_summary(table, by_label="My groups") is ax
    assert ax.get_ylabel() == "My groups"
    assert [p.get_width() for p in ax.patches] == pytest.approx(table["value"].tolist())
    with pytest.raises(TypeError, match="segment_summary"):
        plot_segment_summary(stats)
