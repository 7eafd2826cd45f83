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


def test_a_dashboard_kernel_imports_only_its_widget_module_and_no_generator():
    """A dashboard's kernel holds its widget's module: not every widget, Faker or a world."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from crmkit.workshop.dashboard import dashboard_widget\n"
        "w = dashboard_widget('retention_simulator', None)\n"
        "print(type(w).__name__, *sorted(m for m in sys.modules if m.startswith('crmkit.widgets.')"
        " or m in ('faker', 'crmkit.synth', 'crmkit.world', 'crmkit.workshop.room')))\n"
    )
    env = {**os.environ, "MPLBACKEND": "Agg"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True)  # fmt: skip
    loaded = out.stdout.split()
    assert loaded[0] == "VBox", out.stdout + out.stderr
    assert "crmkit.widgets.economics" in loaded
    others = [m for m in loaded[1:] if m.startswith("crmkit.widgets.") and not m.split(".")[-1]
              .startswith("_") and m != "crmkit.widgets.economics"]  # fmt: skip
    assert others == []
    assert not {"faker", "crmkit.synth", "crmkit.world", "crmkit.workshop.room"} & set(loaded)


def test_every_dashboard_finds_its_widget_in_the_module_it_names():
    import importlib

    for d in DASHBOARDS.values():
        if d.widget:
            module = importlib.import_module(f"crmkit.widgets.{d.module}")
            assert d.widget in module.WIDGETS, (d.name, d.module)


def test_the_world_is_read_from_the_servers_cache_or_else_loaded(tmp_path, monkeypatch, capfd):
    from crmkit.workshop.dashboard import dashboard_world
    from crmkit.workshop.server import WORLD_CACHE_ENV, write_world_cache

    monkeypatch.delenv("CRMKIT_DATA_DIR", raising=False)
    monkeypatch.delenv(WORLD_CACHE_ENV, raising=False)
    loaded = dashboard_world()  # no cache: the default dataset, as a lesson loads it
    cache = write_world_cache(tmp_path)
    monkeypatch.setenv(WORLD_CACHE_ENV, str(cache))
    cached = dashboard_world()
    assert type(cached) is type(loaded)
    assert cached.customers.equals(loaded.customers)
    assert cached.transactions.equals(loaded.transactions)
    cache.write_bytes(b"not a pickle")  # a broken cache: the dataset again, a line for the trainer
    again = dashboard_world()
    assert again.customers.equals(loaded.customers)
    assert "could not be read" in capfd.readouterr().err


def test_a_dashboard_on_data_without_what_it_needs_says_what_would_enable_it(tmp_path):
    import crmkit
    from crmkit.workshop.dashboard import WIDGET_NEEDS

    w = crmkit.make_world(120, random_state=3)
    w.transactions[["customer_id", "date", "amount"]].to_csv(tmp_path / "transactions.csv",
                                                            index=False)  # fmt: skip
    own = crmkit.load_world(tmp_path)
    assert not own.can("lifecycle") and own.can("rfm")
    built = []
    shown = dashboard_widget("lifecycle_simulator", own, builder=lambda world: built.append(1))
    assert built == []  # not even tried: no error for the room
    assert "needs data" in shown.value and own.missing("lifecycle")[:40] in shown.value
    assert set(WIDGET_NEEDS) <= {d.widget for d in DASHBOARDS.values()}
    ok = dashboard_widget("segment_explorer", own, builder=lambda world: "the widget")
    assert ok == "the widget"
