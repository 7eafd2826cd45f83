"""For the live-simulator tests: a small site whose lessons hold the four simulators.

The "executed" notebooks are written here without a kernel: each widget cell's
output is the widget's own display bundle (``widget._repr_mimebundle_()``: the
widget view and the simulator's page data, as nbclient stores them), followed by
the lesson's "The figure below shows" sentence and a static twin figure, as in
the real lessons 03, 05, 06 and 09.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from crmkit.site import render_site

#: notebook stem -> (simulator, widget builder call shown as the cell's code)
LESSONS = {
    "93-live-lifecycle": ("lifecycle", "lifecycle_simulator(world)"),
    "94-live-strategy": ("strategy", "strategy_self_assessment()"),
    "95-live-retention": ("retention", "retention_simulator(world, retention=0.8)"),
    "96-live-termination": ("termination", "termination_explorer(world)"),
}


def _png(title: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 2.5), dpi=50)
    ax = fig.add_subplot()
    ax.plot([0, 1, 3])
    ax.set_title(title)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode()


def widgets(world) -> dict:
    """The four widgets, built on ``world`` as the lessons build them."""
    from crmkit.widgets.economics import retention_simulator
    from crmkit.widgets.lifecycle import lifecycle_simulator
    from crmkit.widgets.strategy import strategy_self_assessment
    from crmkit.widgets.termination import termination_explorer

    return {
        "lifecycle": lifecycle_simulator(world),
        "strategy": strategy_self_assessment(),
        "retention": retention_simulator(world, retention=0.8),
        "termination": termination_explorer(world),
    }


def lesson(number: int, name: str, call: str, bundle: dict) -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            f"# {number} · Live {name}\n\n**Who it is for:** the browser tests.\n\n"
            "**Time needed:** about 1 minute."
        ),
        new_markdown_cell(f"## Try the {name} simulator"),
        new_code_cell(call, outputs=[new_output("display_data", data=bundle)]),
        new_markdown_cell("The figure below shows the simulator at one setting."),
        new_code_cell(
            f"{name}_figure()",
            outputs=[new_output("display_data", data={
                "image/png": _png(f"Static twin of {name}"), "text/plain": "<Figure>"})],
        ),
        new_markdown_cell("## Summary\n\n- The simulator responds without a kernel."),
    ]
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3"}})
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{number}-{i:02d}"
    return nb


def build(root: Path, world) -> dict:
    """Write the notebooks and render the site under ``root``; returns paths and widgets."""
    src, executed, data, out = (root / d for d in ("notebooks", "executed", "data", "site"))
    for folder in (src, executed, data):
        folder.mkdir(parents=True, exist_ok=True)
    built = widgets(world)
    for stem, (name, call) in LESSONS.items():
        nb = lesson(int(stem[:2]), name, call, built[name]._repr_mimebundle_())
        nbformat.write(nb, src / f"{stem}.ipynb")
        nbformat.write(nb, executed / f"{stem}.ipynb")
    (data / "customers.csv").write_text("customer_id,first_name\n1,Ann\n")
    (data / "meta.json").write_text("{}")
    report = render_site(executed, out, notebooks=src, dataset=data, progress=False)
    return {"out": out, "report": report, "widgets": built}
