"""crmkit.workshop.dashboard: the widget a dashboard notebook shows, or a friendly message."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from crmkit.workshop.dashboard import (  # noqa: E402
    dashboard_widget,
    echo_errors_to_console,
    find_builder,
)
from crmkit.workshop.server import DASHBOARDS  # noqa: E402


def test_every_dashboard_names_a_widget_that_exists():
    missing = [d.widget for d in DASHBOARDS.values() if d.widget and find_builder(d.widget) is None]
    assert missing == [], f"no builder in crmkit.widgets for {missing}"


def test_dashboard_widget_shows_the_widget_or_a_friendly_message(capfd):
    import ipywidgets as W

    from crmkit.widgets import live_panel, slider

    def stand_in(world):
        return live_panel("Stand-in", {"x": slider("x", 1, 0, 2, 1, integer=True)}, _draw)

    def broken(world):
        raise KeyError("column 'secret_detail' missing")

    w = dashboard_widget("stand_in", None, builder=stand_in)
    assert w.image.value and "x = 1" in w.summary.value
    w.controls["x"].value = 2
    assert "x = 2" in w.summary.value

    gone = dashboard_widget("no_such_widget", None)
    assert isinstance(gone, W.HTML) and "not available yet" in gone.value
    failed = dashboard_widget("broken", None, builder=broken)
    assert "could not start" in failed.value and "secret_detail" not in failed.value
    assert "secret_detail" in capfd.readouterr().err  # the trainer's console
    assert echo_errors_to_console() is False  # outside a kernel: nothing to do
    with pytest.raises(TypeError, match="widget name"):
        dashboard_widget(stand_in, None)


def _draw(fig, x):
    fig.add_subplot().plot([0, x])
    return f"<p>x = {x}</p>"


def test_a_dashboard_kernel_freezes_what_its_widget_built_and_a_notebook_does_not():
    import gc

    import ipywidgets as W

    from crmkit.widgets import live_panel, slider
    from crmkit.workshop.dashboard import dashboard_widget

    def build(world):
        return live_panel("t", {"x": slider("x", 1, 0, 2, 1, integer=True)},
                          lambda fig, x: "")  # fmt: skip

    gc.unfreeze()
    try:
        build(None)  # as in a lesson notebook: the collector is left alone
        assert gc.get_freeze_count() == 0
        widget = dashboard_widget("any", None, builder=build)
        assert isinstance(widget, W.VBox)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
