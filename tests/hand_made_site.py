"""For the site tests: hand-made "executed" lessons, the site rendered from them, a page parser.

The "executed" notebooks are written by hand with nbformat (outputs included), so
no kernel runs. Import the fixture by its function name; tests ask for ``site``::

    from hand_made_site import site_fixture  # noqa: F401
"""

from __future__ import annotations

import base64
import io
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from crmkit.lessons import show_table
from crmkit.site import render_site

#: Names a data set could hold that must show as text, never as markup.
XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "\"quoted\" 'name'"]


def png() -> str:
    """A tiny matplotlib figure as base64 PNG, as a notebook output stores it."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1), dpi=20)
    fig.add_subplot().plot([0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode()


def lesson(number: int, title: str, *, extra=()) -> nbformat.NotebookNode:
    """An "executed" lesson: the first cell of the lesson template, figures, tagged cells."""
    first = new_markdown_cell(
        f"# {number:02d} · {title}\n\n"
        "**Who it is for:** teams and *students*.\n\n"
        "**You will learn to**\n"
        "- read a <b>chart</b>;\n"
        "- count customers\n  over two lines.\n\n"
        "**Time needed:** about 20 minutes.\n\n"
        "**Sources:** 000 (pl)."
    )
    params = new_code_cell("SEED = None", metadata={"tags": ["parameters"]})
    heading = new_markdown_cell("## Growth of the business\n\nSome text.")
    figure = new_code_cell(
        'fig, ax = plt.subplots()\nax.set_title("New customers per month")\n'
        'ax.legend(title="origin")\nplt.show()',
        outputs=[new_output("display_data", data={"image/png": png(), "text/plain": "<Figure>"})],
    )
    untitled = new_code_cell(
        "plot_something()",
        outputs=[new_output("display_data", data={"image/png": png(), "text/plain": "<Figure>"})],
    )
    solution = new_code_cell("answer = 42  # SOLUTION-CELL", metadata={"tags": ["solution"]})
    course_only = new_code_cell("x = 1  # COURSE-ONLY", metadata={"tags": ["remove_playbook"]})
    warn = new_code_cell(
        "warn()",
        outputs=[new_output("stream", name="stderr", text="STDERR-WARNING\n")],
    )
    summary = new_markdown_cell("## Summary\n\n- one\n\n## Try this\n\n1. two")
    cells = [first, params, heading, figure, untitled, solution, course_only, warn, *extra, summary]
    kernel = {"name": "python3", "display_name": "Python 3"}
    nb = new_notebook(cells=cells, metadata={"kernelspec": kernel})
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{number:02d}-{i:02d}"
    return nb


def xss_cell():
    """A code cell whose outputs (pandas HTML, show_table, stdout) hold the XSS names."""
    df = pd.DataFrame({"first_name": XSS, "n": [1, 2, 3]})
    return new_code_cell(
        "df; show_table(df)",
        outputs=[
            new_output(
                "execute_result",
                data={"text/html": df._repr_html_(), "text/plain": repr(df)},
                execution_count=1,
            ),
            new_output(
                "display_data", data={"text/html": show_table(df).data, "text/plain": "table"}
            ),
            new_output("stream", name="stdout", text="\n".join(XSS)),
        ],
    )


@pytest.fixture(scope="module", name="site")
def site_fixture(tmp_path_factory):
    """A site of two hand-made "executed" lessons and a tiny dataset.

    Read-only: a test that renders again into it must leave it as it was (or copy it).
    """
    root = tmp_path_factory.mktemp("site")
    src, executed, data = root / "notebooks", root / "executed", root / "data"
    for folder in (src, executed, data):
        folder.mkdir()
    lessons = {
        "00-start-here.ipynb": lesson(0, "Start here: the kit and its data"),
        "01-what-is-a-customer-relationship.ipynb": lesson(
            1, "What a customer relationship is", extra=[xss_cell()]
        ),
    }
    for name, nb in lessons.items():
        nbformat.write(nb, src / name)
        nbformat.write(nb, executed / name)
    (data / "customers.csv").write_text("customer_id,first_name\n1,Ann\n")
    (data / "meta.json").write_text("{}")
    out = root / "site"
    report = render_site(executed, out, notebooks=src, dataset=data, progress=False)
    return {"out": out, "report": report, "src": src, "executed": executed, "data": data}


class Page(HTMLParser):
    """The start tags (with attributes), ids and scripts of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.scripts: list[tuple[dict, str]] = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "script":
            self._script = (a, [])

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None


def parse(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def pages(out: Path) -> list[Path]:
    """Every HTML page of the site in ``out``."""
    return sorted(out.rglob("*.html"))
