"""Workshop mode without a browser: the Voila command, the template, the dashboards,
the room's scorecards and the kernel manager's culling rule.

The browser tests (tests/test_workshop_browser.py) serve the dashboards for real.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import csv
import datetime as dt
import io
import re
import types

import matplotlib
import nbformat
import numpy as np
import pytest

matplotlib.use("Agg")

from crmkit import concepts  # noqa: E402
from crmkit.metrics.care import scorecard_to_csv, strategy_scorecard  # noqa: E402
from crmkit.plots import plot_room_heatmap  # noqa: E402
from crmkit.workshop import cli  # noqa: E402
from crmkit.workshop.dashboard import (  # noqa: E402
    dashboard_widget,
    echo_errors_to_console,
    find_builder,
)
from crmkit.workshop.room import (  # noqa: E402
    merge_dashboard,
    read_room_scorecards,
    room_comparison,
    room_figure,
)
from crmkit.workshop.server import (  # noqa: E402
    DASHBOARDS,
    DASHBOARDS_DIR,
    KERNEL_MANAGER,
    TEMPLATE,
    TEMPLATE_ROOT,
    WEBSOCKET_CONNECTION,
    dashboard_path,
    voila_command,
    voila_env,
)

KEYS = concepts.keys(concepts.STRATEGIES)
TEMPLATE_DIR = TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE


def _card(rating, who, **changes):
    ratings = dict.fromkeys(KEYS, rating)
    ratings.update(changes)
    return strategy_scorecard(ratings, participant=who)


def _csv(rating, who, **changes) -> bytes:
    return scorecard_to_csv(_card(rating, who, **changes)).encode()


# --------------------------------------------------------------------------- the command
def _opts(cmd):
    return {a.split("=", 1)[0]: a.split("=", 1)[1] if "=" in a else True for a in cmd[4:]}


def test_default_command_serves_all_dashboards_on_loopback_with_code_and_tracebacks_hidden():
    cmd = voila_command(python="python")
    assert cmd[:4] == ["python", "-m", "voila", str(DASHBOARDS_DIR)]
    o = _opts(cmd)
    assert o["--Voila.ip"] == "127.0.0.1"
    assert o["--port"] == "8866"
    assert o["--no-browser"] is True
    assert o["--template"] == TEMPLATE
    assert o["--strip_sources"] == "True"
    assert o["--show_tracebacks"] == "False"
    assert "trainer" in o["--VoilaExecutor.cell_error_instruction"]
    assert "--allow-root" not in cmd  # the voila command refuses it (unlike jupyter lab)


def test_command_culls_closed_tabs_and_preheats_kernels_except_for_the_trainer():
    o = _opts(voila_command(pool_size=3, cull_idle_timeout=120, cull_interval=30))
    assert o["--MappingKernelManager.cull_idle_timeout"] == "120"
    assert o["--MappingKernelManager.cull_interval"] == "30"
    assert o["--MappingKernelManager.cull_connected"] == "False"
    assert o["--VoilaConfiguration.multi_kernel_manager_class"] == KERNEL_MANAGER
    assert o["--preheat_kernel"] == "True" and o["--pool_size"] == "3"
    assert "6-merge-scorecards.ipynb" in o["--VoilaKernelManager.preheat_denylist"]
    off = _opts(voila_command(pool_size=0))
    assert "--preheat_kernel" not in off and "--pool_size" not in off


def test_one_dashboard_is_served_alone_and_host_and_port_are_options():
    cmd = voila_command(dashboard="segments", host="0.0.0.0", port=9000)
    assert cmd[3] == str(dashboard_path("segments"))
    o = _opts(cmd)
    assert o["--Voila.ip"] == "0.0.0.0" and o["--port"] == "9000"
    assert "--VoilaKernelManager.preheat_denylist" not in o


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"port": 0}, ValueError, "`port` must be 1-65535"),
        ({"port": 70000}, ValueError, "`port` must be 1-65535"),
        ({"pool_size": -1}, ValueError, "`pool_size` must be >= 0"),
        ({"port": "8866"}, TypeError, "whole number"),
        ({"pool_size": True}, TypeError, "whole number"),
        ({"host": ""}, TypeError, "`host`"),
        ({"dashboard": "retention"}, ValueError, "retention-economics, lifecycle"),
    ],
)
def test_wrong_arguments_say_what_to_give(kwargs, error, words):
    with pytest.raises(error, match=re.escape(words)):
        voila_command(**kwargs)


def test_voila_accepts_every_option_of_the_command():
    voila_app = pytest.importorskip("voila.app", reason="the workshop extra is not installed")
    app = voila_app.Voila()
    app.parse_command_line(voila_command(pool_size=2, port=8999)[3:])  # exits on an unknown one
    c = app.config
    assert c.Voila.ip == "127.0.0.1" and c.Voila.port == 8999
    assert c.Voila.open_browser is False
    assert c.VoilaConfiguration.template == TEMPLATE
    assert c.VoilaConfiguration.show_tracebacks in (False, "False")
    assert c.VoilaConfiguration.classic_tree in (True, "True")
    assert str(c.VoilaConfiguration.multi_kernel_manager_class) == KERNEL_MANAGER
    assert str(c.Voila.kernel_websocket_connection_class) == WEBSOCKET_CONNECTION
    assert int(str(c.MappingKernelManager.cull_idle_timeout)) == 300


def test_environment_puts_the_template_first_and_passes_the_folders(tmp_path):
    env = voila_env({"JUPYTER_PATH": "/somewhere", "PATH": "/bin"}, data_dir=tmp_path)
    assert env["JUPYTER_PATH"].split(":") == [str(TEMPLATE_ROOT), "/somewhere"]
    assert env["CRMKIT_DATA_DIR"] == str(tmp_path.resolve())
    assert env["MPLBACKEND"] == "Agg" and env["PATH"] == "/bin"
    with pytest.raises(ValueError, match="--scorecards .* is not a folder"):
        voila_env({}, scorecards=tmp_path / "missing")


def test_the_examples_in_the_docstrings_run():
    import doctest

    from crmkit.workshop import room, server

    for module in (room, server):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__


def test_the_kernel_manager_and_websocket_classes_import():
    pytest.importorskip("jupyter_server")
    import importlib

    for dotted in (KERNEL_MANAGER, WEBSOCKET_CONNECTION):
        module, name = dotted.rsplit(".", 1)
        assert hasattr(importlib.import_module(module), name)


# --------------------------------------------------------------------------- no CDN
def test_the_template_files_name_no_outside_address():
    files = sorted(TEMPLATE_DIR.iterdir())
    assert {f.name for f in files} >= {"conf.json", "index.html.j2", "page.html", "tree.html"}
    for f in files:
        assert not re.search(r"https?://", f.read_text()), f"{f.name} names an outside address"


def _render(template_name):
    """A dashboard page as Voila renders it with ``template_name`` (no kernel: cells as is)."""
    pytest.importorskip("voila", reason="the workshop extra is not installed")
    from jupyter_core.paths import jupyter_path
    from voila.exporter import VoilaExporter
    from voila.paths import collect_template_paths

    roots = [str(TEMPLATE_ROOT), *jupyter_path()]
    paths = collect_template_paths(
        ["voila", "nbconvert"], template_name, prune=True, root_dirs=roots
    )
    exporter = VoilaExporter(template_paths=paths, template_name=template_name, base_url="/")
    exporter.exclude_input = True
    nb = nbformat.read(dashboard_path("retention-economics"), as_version=4)

    async def cells(nb, kernel_id):
        for cell in nb.cells:
            yield cell

    async def page():
        parts = []
        async for html, _ in exporter.generate_from_notebook_node(
            nb,
            resources={"theme": "light", "base_url": "/", "labextensions": []},
            extra_context={
                "frontend": "voila",
                "main_js": "voila.js",
                "kernel_start": lambda nb: "kernel-id",
                "cell_generator": cells,
                "progressive_rendering": False,
            },
            page_config={"fullStaticUrl": "/voila/static"},
        ):
            parts.append(html)
        return "".join(parts)

    return asyncio.run(page())


def _outside_addresses(page):
    page = re.sub(r'(xmlns(:\w+)?|rdf:resource|rdf:about)="[^"]*"', "", page)
    return sorted(set(re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"'<>)]*", page)))


def test_a_rendered_dashboard_page_loads_nothing_from_outside():
    lab = _render("lab")
    assert any("fontawesome" in u for u in _outside_addresses(lab))  # what the test would catch
    ours = _render(TEMPLATE)
    assert _outside_addresses(ours) == []
    assert "Retention economics simulator" in ours  # the explanation for the room
    assert "lesson_world(" not in ours  # code hidden


# --------------------------------------------------------------------------- dashboards
@pytest.mark.parametrize("name", list(DASHBOARDS))
def test_each_dashboard_is_a_small_notebook_with_an_explanation_and_no_outputs(name):
    d = DASHBOARDS[name]
    nb = nbformat.read(dashboard_path(name), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    md, code = nb.cells[0], nb.cells[-1]
    assert md.cell_type == "markdown" and md.source.startswith(f"# {d.title}")
    assert all(c.get("outputs", []) == [] for c in nb.cells if c.cell_type == "code")
    assert len({c.id for c in nb.cells}) == len(nb.cells)
    if d.widget == "strategy_self_assessment":  # a self-assessment: no data, no world held
        assert 'dashboard_widget("strategy_self_assessment", None)' in code.source
        assert "lesson_world" not in code.source
    elif d.widget:
        assert f'dashboard_widget("{d.widget}", world)' in code.source
        assert "lesson_world(DATA_DIR)" in code.source and "CRMKIT_DATA_DIR" in code.source
    else:
        assert "merge_dashboard(SCORECARDS_DIR)" in code.source


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


# --------------------------------------------------------------------------- the room
def test_reading_the_room_labels_cards_and_skips_what_is_not_a_scorecard(tmp_path):
    (tmp_path / "a.csv").write_bytes(_csv(3, "Sales"))
    (tmp_path / "b.csv").write_bytes(_csv(4, ""))  # no name: the file name labels it
    (tmp_path / "c.csv").write_bytes(_csv(2, "Sales"))  # same name twice
    (tmp_path / "notes.csv").write_text("not,a\nscore,card\n")
    (tmp_path / "d.csv").write_bytes(_csv(3, "mean"))  # a name that is a column of the table
    (tmp_path / "readme.txt").write_text("ignored: not a CSV")
    bad = _csv(3, "Support").replace(b",3.0,2.0,", b",9.0,-4.0,", 1)
    cards, skipped = read_room_scorecards(
        [tmp_path, ("upload.csv", bad), {"name": "up2.csv", "content": memoryview(_csv(5, "Ops"))}]
    )
    assert list(cards) == ["Sales", "b", "Sales (2)", "mean (participant)", "Ops"]
    assert [s.split(":")[0] for s in skipped] == ["notes.csv", "upload.csv"]
    assert "between 1 and 5" in skipped[1]


def test_room_comparison_merges_and_reports(tmp_path):
    table = room_comparison(
        [("a.csv", _csv(2, "A", people=5)), ("b.csv", _csv(4, "B")), ("x.csv", b"junk")]
    )
    assert list(table.columns) == ["strategy", "name", "A", "B", "mean", "min", "max", "spread"]
    people = table.set_index("strategy").loc["people"]
    assert (people["mean"], people["spread"]) == (4.5, 1.0)
    assert table.attrs["skipped"][0].startswith("x.csv")
    with pytest.raises(ValueError, match="no valid scorecard"):
        room_comparison([("x.csv", b"junk")])
    with pytest.raises(ValueError, match="no folder or file"):
        room_comparison(tmp_path / "missing")
    with pytest.raises(TypeError, match="`sources` must be"):
        room_comparison(42)


def test_room_csvs_defuse_formulas_and_read_names_back(tmp_path):
    """Issue 11: participants' names went unescaped into the merged room CSV."""
    evil = '=HYPERLINK("http://evil.example","click")'
    (tmp_path / "a.csv").write_bytes(_csv(2, evil))
    (tmp_path / "b.csv").write_bytes(_csv(4, "-ops"))
    cards, skipped = read_room_scorecards(tmp_path)
    assert list(cards) == [evil, "-ops"] and not skipped
    assert cards[evil]["participant"].tolist() == [evil] * 10
    w = merge_dashboard(tmp_path)
    href = re.search(r'href="data:text/csv;base64,([^"]+)"', w.summary.value).group(1)
    rows = list(csv.reader(io.StringIO(base64.b64decode(href).decode())))
    assert rows[0][2:4] == ["'" + evil, "'-ops"]  # the names are column titles here
    assert rows[1][2:4] == ["2.0", "4.0"] and rows[1][-1] == "2.0"


def test_room_heatmap_shows_each_rating_and_the_room_mean():
    import matplotlib.pyplot as plt

    table = room_comparison([("a.csv", _csv(1, "A")), ("b.csv", _csv(5, "B", people=3))])
    fig, ax = plt.subplots()
    plot_room_heatmap(table, ax=ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "B", "room mean"]
    assert ax.get_yticklabels()[0].get_text() == "1. People"
    shown = ax.images[0].get_array()
    assert shown.shape == (10, 3)
    assert np.allclose(shown[0], [1, 3, 2]) and np.allclose(shown[1], [1, 5, 3])
    texts = {t.get_text() for t in ax.texts}
    assert {"1", "5", "3.0", "2.0"} <= texts
    plt.close(fig)
    with pytest.raises(TypeError, match="room_comparison or merge_scorecards"):
        plot_room_heatmap(_card(3, "A"))


def test_room_figure_draws_ratings_beside_the_spread():
    table = room_comparison([(f"{i}.csv", _csv(1 + i % 5, f"P{i}")) for i in range(25)])
    fig = room_figure(table)
    heat, spread = fig.axes[0], fig.axes[1]
    assert heat.get_title() == "The room's ratings (25 scorecards)"
    assert len(heat.texts) == 0  # 26 columns: too many to write every rating
    assert "Lowest to highest" in spread.get_title()
    assert [t.get_text() for t in heat.get_xticklabels()][-1] == "room mean"


def test_merge_dashboard_reads_the_folder_and_uploads(tmp_path):
    (tmp_path / "team-a.csv").write_bytes(_csv(2, "Team A"))
    w = merge_dashboard(tmp_path)
    assert "1 scorecard(s)" in w.summary.value and w.image.value
    w.controls["uploads"].value = (
        {
            "name": "b.csv",
            "type": "text/csv",
            "size": 10,
            "content": memoryview(_csv(4, "Team <B>")),
            "last_modified": dt.datetime.now(dt.UTC),
        },
    )
    assert "2 scorecard(s)" in w.summary.value
    assert "Team &lt;B&gt;" in w.summary.value  # names are escaped
    assert 'download="room-scorecards.csv"' in w.summary.value
    (tmp_path / "team-c.csv").write_bytes(_csv(5, "Team C"))
    w.refresh.click()
    assert "3 scorecard(s)" in w.summary.value
    empty = merge_dashboard(None)
    assert "No valid scorecard yet" in empty.summary.value
    assert empty.refresh.layout.display == "none"


# --------------------------------------------------------------------------- command line
def _args(*argv):
    p = argparse.ArgumentParser(prog="crmkit")
    cli.add_subparser(p.add_subparsers(dest="command"))
    return p.parse_args(["workshop", *argv])


def test_cli_dry_run_prints_the_voila_command(capsys):
    assert cli.run(_args("--dry-run", "--port", "8900", "--pool-size", "0")) == 0
    out = capsys.readouterr().out
    assert "-m voila" in out and "--Voila.ip=127.0.0.1" in out and "--port=8900" in out
    assert "--preheat_kernel" not in out
    cli.run(_args("--dry-run", "--host", "0.0.0.0", "--dashboard", "strategy-scorecard"))
    out = capsys.readouterr().out
    assert "--Voila.ip=0.0.0.0" in out and "3-strategy-scorecard.ipynb" in out


def test_cli_refuses_wrong_values_with_a_clear_message():
    with pytest.raises(ValueError, match="--pool-size must be 0 or more"):
        cli.run(_args("--pool-size", "-2", "--dry-run"))
    with pytest.raises(ValueError, match="--cull-after must be at least 10"):
        cli.run(_args("--cull-after", "1", "--dry-run"))
    with pytest.raises(ValueError, match="--data .* is not a folder"):
        cli.run(_args("--data", "no/such/folder", "--dry-run"))
    with pytest.raises(SystemExit):
        _args("--dashboard", "nope")


# --------------------------------------------------------------------------- culling
class _Kernel:
    def __init__(self, idle_for):
        self.execution_state = "idle"
        self.last_activity = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=idle_for)
        self.kernel_spec = types.SimpleNamespace(metadata={})
        self.kernel_name = "python3"
        self.reason = ""


def test_a_kernel_is_not_culled_before_its_first_page_connects_but_is_after_it_leaves():
    pytest.importorskip("jupyter_server")
    from crmkit.workshop.manager import WorkshopKernelManager

    m = WorkshopKernelManager(cull_idle_timeout=10, connect_grace=60)
    culled = []

    async def shutdown(kernel_id, *a, **k):
        culled.append(kernel_id)
        m._kernels.pop(kernel_id)

    m.shutdown_kernel = shutdown
    # Preheated long ago, just taken from the pool, its page not connected yet.
    m._kernels["fresh"] = _Kernel(idle_for=600)
    m._kernel_connections["fresh"] = 0
    asyncio.run(m.cull_kernels())
    assert culled == []
    # The page connected, then its tab vanished: culled once idle for 10 s.
    m.notify_connect("fresh")
    m.notify_disconnect("fresh")
    asyncio.run(m.cull_kernels())
    assert culled == ["fresh"]
    # A kernel whose page never connected is culled after the grace period.
    m._kernels["lost"] = _Kernel(idle_for=600)
    m._kernel_connections["lost"] = 0
    asyncio.run(m.cull_kernels())
    m._waiting_since["lost"] -= 61
    asyncio.run(m.cull_kernel_if_idle("lost"))
    assert culled == ["fresh", "lost"]


def test_the_installed_voila_keeps_its_pool_where_the_manager_reads_it():
    """An upgraded Voila fails here: check ``_pooled_kernel_ids`` by hand, then add the version."""
    pytest.importorskip("voila")
    import inspect

    from voila.voila_kernel_manager import voila_kernel_manager_factory

    from crmkit.workshop.manager import VOILA_POOL_VERSIONS, voila_pool_supported

    assert voila_pool_supported(), f"Voila is not one of {VOILA_POOL_VERSIONS}"
    source = inspect.getsource(voila_kernel_manager_factory)
    assert "self._pools[notebook_name] = pool" in source
    assert '"kernel_id": kernel_id' in source
