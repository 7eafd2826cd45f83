"""crmkit.plots.journey: the customer journey figure on any Axes."""


from matplotlib.figure import Figure

from crmkit.plots import plot_customer_journey
from crmkit.widgets import journey


def test_plot_customer_journey_on_any_axes(small_world):
    cid = int(journey.journey_sample(small_world, 5)["customer_id"].iloc[0])
    table = journey.customer_journey_table(small_world, cid)
    fig = Figure(figsize=(10, 6))
    ax = fig.subplots()
    assert plot_customer_journey(table, title="t", ax=ax) is ax
    assert ax.get_title() == "t" and ax.get_legend() is not None
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Lifecycle stage"
    n_contacts = int((table["track"] == "contact").sum())
    assert sum(len(c.get_offsets()) for c in ax.collections[3:]) == n_contacts

