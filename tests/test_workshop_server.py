"""crmkit.workshop.server: the Voila command and environment, the template, the dashboards.

Without a browser; tests/test_workshop_browser.py serves the dashboards for real.
"""

from __future__ import annotations

import asyncio
import re

import nbformat
import pytest

from crmkit.workshop.server import (
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

TEMPLATE_DIR = TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE


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
    env = voila_env({"JUPYTER_PATH": "/somewhere", "PATH": "/bin", "OMP_NUM_THREADS": "4"},
                    data_dir=tmp_path, world_cache=tmp_path / "world.pickle")  # fmt: skip
    assert env["JUPYTER_PATH"].split(":") == [str(TEMPLATE_ROOT), "/somewhere"]
    assert env["CRMKIT_DATA_DIR"] == str(tmp_path.resolve())
    assert env["CRMKIT_WORLD_CACHE"] == str((tmp_path / "world.pickle").resolve())
    assert env["MPLBACKEND"] == "Agg" and env["PATH"] == "/bin"
    # one thread per numerical library in a kernel, unless the trainer set it
    assert env["OPENBLAS_NUM_THREADS"] == env["MKL_NUM_THREADS"] == "1"
    assert env["OMP_NUM_THREADS"] == "4"
    assert "CRMKIT_WORLD_CACHE" not in voila_env({})
    with pytest.raises(ValueError, match="--scorecards .* is not a folder"):
        voila_env({}, scorecards=tmp_path / "missing")


def test_the_examples_in_the_docstrings_run():
    import doctest

    from crmkit.workshop import server

    result = doctest.testmod(server, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, server.__name__


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
    if d.widget and not d.world:  # no data used: no world loaded, none held
        assert f'dashboard_widget("{d.widget}", None)' in code.source
        assert "world" not in code.source.replace("no world", "")
    elif d.widget:  # the world the server loaded once (or the data folder)
        assert f'dashboard_widget("{d.widget}", dashboard_world())' in code.source
    else:
        assert "merge_dashboard(SCORECARDS_DIR)" in code.source
