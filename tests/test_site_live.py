"""crmkit.site.live: a simulator's output becomes a live block; its twin is marked.

No kernel and no browser: the notebooks are written by hand. The browser test of
the four simulators is tests/test_site_live_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from crmkit.site import live
from crmkit.site.notebook import STATIC_WIDGET_NOTE, StaticWidgetPreprocessor
from crmkit.static_html import LIVE_MIMETYPE

VIEW = {"application/vnd.jupyter.widget-view+json": {"model_id": "m1", "version_major": 2},
        "text/plain": "VBox(...)"}  # fmt: skip
PNG = {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}


def _notebook(data, *, intro="The figure below shows the simulator at one setting."):
    widget = new_output("display_data", data={**VIEW, LIVE_MIMETYPE: data})
    return nbformat.from_dict(
        new_notebook(
            cells=[
                new_code_cell("w", outputs=[widget]),
                new_markdown_cell(intro),
                new_code_cell("twin", outputs=[new_output("display_data", data=PNG)]),
                new_markdown_cell("## Summary"),
            ],
            metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {
                "state": {"m1": {"model_name": "VBoxModel", "state": {}}},
                "version_major": 2, "version_minor": 0}}},  # fmt: skip
        )
    )


def test_a_simulator_becomes_a_live_block_and_its_twin_is_tagged():
    nb, res = StaticWidgetPreprocessor().preprocess(
        _notebook({"simulator": "termination", "title": "T"}), {}
    )
    (out,) = nb.cells[0].outputs
    block = out["data"]["text/html"]
    assert 'class="crmkit-live"' in block and 'data-simulator="termination"' in block
    assert STATIC_WIDGET_NOTE in block  # what a reader without script sees
    data = re.search(r'class="crmkit-live-data">(.*?)</script>', block).group(1)
    assert json.loads(data) == {"simulator": "termination", "title": "T"}
    assert nb.cells[1].metadata["tags"] == ["crmkit-live-twin-1"]
    assert nb.cells[2].metadata["tags"] == ["crmkit-live-twin-1"]
    assert "tags" not in nb.cells[3].metadata
    assert res["crmkit_live"] == ["termination"]
    assert res["crmkit_live_scripts"] == ["crmkit-live.js", "live/termination.js"]
    assert "widgets" not in nb.metadata


def test_an_unknown_simulator_or_plain_widget_stays_a_sentence():
    nb, res = StaticWidgetPreprocessor().preprocess(_notebook({"simulator": "rocket"}), {})
    (out,) = nb.cells[0].outputs
    assert out["data"]["text/plain"] == STATIC_WIDGET_NOTE
    assert "crmkit-live" not in out["data"]["text/html"]
    assert res["crmkit_live"] == [] and res["crmkit_live_scripts"] == []
    assert "tags" not in nb.cells[2].metadata


def test_no_twin_is_tagged_past_other_text():
    nb, _ = StaticWidgetPreprocessor().preprocess(
        _notebook({"simulator": "strategy"}, intro="## Another section"), {}
    )
    assert all("tags" not in c.metadata for c in nb.cells[1:])


def test_the_page_data_cannot_end_its_script_element():
    block = live.live_block({"simulator": "strategy", "name": "</script><b>&"}, 2, "Note <b>")
    assert "</script><b>" not in block.split('class="crmkit-live-data">')[1][:-15]
    assert "Note &lt;b&gt;" in block and 'id="crmkit-live-2"' in block
    data = re.search(r'class="crmkit-live-data">(.*?)</script>', block).group(1)
    assert json.loads(data)["name"] == "</script><b>&"


def test_page_data_reads_json_text_and_refuses_others():
    assert live.page_data({"data": {LIVE_MIMETYPE: '{"simulator": "lifecycle"}'}}) == {
        "simulator": "lifecycle"
    }
    assert live.page_data({"data": {LIVE_MIMETYPE: "not json"}}) is None
    assert live.page_data({"data": {}}) is None


def test_scripts_load_in_order_once_each():
    assert live.live_scripts(["strategy", "retention", "strategy"]) == [
        "crmkit-live.js", "live/retention.js", "live/strategy.js"
    ]
    assert live.live_scripts([]) == []
    static = Path(live.__file__).parent / "static"
    for script in live.live_scripts(live.SIMULATORS):
        assert (static / script).is_file(), script


def test_jupyterlab_template_shows_the_widget_and_ignores_the_page_data():
    """nbconvert's own lab template (as Voila uses it) renders the widget view, not the data."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(
        _notebook({"simulator": "strategy", "marker": "PAGE-DATA-MARKER"})
    )
    assert "application/vnd.jupyter.widget-view+json" in body
    assert "PAGE-DATA-MARKER" not in body
