"""crmkit.plots.journey: the customer journey figure on any Axes."""

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.legend import Legend

from crmkit.metrics.journey import customer_journey_table, journey_sample
from crmkit.plots import plot_customer_journey
from crmkit.plots.journey import JourneyTimeline


def _table(world):
    cid = int(journey_sample(world, 5)["customer_id"].iloc[0])
    return customer_journey_table(world, cid)


def test_plot_customer_journey_on_any_axes(small_world):
    table = _table(small_world)
    before = table.copy()
    fig = Figure(figsize=(10, 6))
    ax = fig.subplots()
    assert plot_customer_journey(table, title="t", ax=ax) is ax
    assert ax.get_title() == "t" and ax.get_legend() is not None
    assert ax.get_xlabel() == "Date"
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Lifecycle stage"
    n_contacts = int((table["track"] == "contact").sum())
    assert sum(len(c.get_offsets()) for c in ax.collections[3:]) == n_contacts
    pd.testing.assert_frame_equal(table, before)  # the input is not modified


def test_timeline_shows_one_legend_per_set_of_entries(small_world):
    sample = journey_sample(small_world, 10)
    fig = Figure(figsize=(10, 6))
    timeline = JourneyTimeline(fig.add_axes((0.1, 0.2, 0.8, 0.7)))
    shown = []
    for cid in sample["customer_id"]:
        handles = timeline.draw(customer_journey_table(small_world, int(cid)))
        legend = timeline.show_legend(handles, loc="lower center")
        on_axes = [a for a in timeline.ax.get_children() if isinstance(a, Legend)]
        assert on_axes == [legend]
        assert [t.get_text() for t in legend.get_texts()] == [h.get_label() for h in handles]
        shown.append(legend)
    # a set of entries seen before brings back the same legend
    assert len({id(x) for x in shown}) == len(timeline.legends)
    assert timeline.show_legend([]) is None
    assert not [a for a in timeline.ax.get_children() if isinstance(a, Legend)]
