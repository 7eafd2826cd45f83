"""A lesson page from an executed notebook: nbconvert with a template of our own.

Two editions come from the same executed notebook:

``course``
    everything, code included, for students;
``playbook``
    code hidden (``exclude_input``): narrative, figures, tables, widgets and
    checklists, for teams who do not read Python.

The template (``templates/crmkit_lesson``) extends nbconvert's ``lab`` template.
It loads no widget manager (a widget becomes a sentence, or a simulator that
runs in the page: :mod:`crmkit.site.live`) and nothing from a CDN; it drops
MathJax and Mermaid (no lesson
uses them: :func:`scan_notebook` warns if one starts to) and every inline
script, so that a Content-Security-Policy without ``'unsafe-inline'`` holds:
a ``<script>`` or an ``onerror=`` that slipped in from data cannot run.

Tags
----
``remove_cell``, ``remove-cell``, ``solution``
    cell left out of both editions;
``remove_playbook`` / ``remove_course``
    cell left out of that edition only;
``remove_input``, ``hide-input``, ``hide_input``
    code hidden in the course edition too;
``remove_output``, ``hide-output``, ``hide_output``
    outputs left out.
"""

from __future__ import annotations

import ast
import html
import re

import nbformat
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from crmkit.paths import package_dir
from crmkit.site import live
from crmkit.static_html import COURSE_ONLY_CLASS, strip_course_only
from crmkit.tables import MIMETYPE as PEOPLE_TABLE

__all__ = [
    "EDITIONS",
    "TEMPLATES",
    "AltTextPreprocessor",
    "EditionPreprocessor",
    "LessonLinkPreprocessor",
    "STATIC_WIDGET_NOTE",
    "StaticWidgetPreprocessor",
    "content_security_policy",
    "figure_titles",
    "label_task_checkboxes",
    "lesson_exporter",
    "scan_notebook",
]

TEMPLATES = package_dir("site", "templates")
EDITIONS = ("playbook", "course")

_IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_NOT_TITLES = {"legend", "Legend", "colorbar", "set_titles", "suptitle_kw"}
_TITLE_CALLS = {"set_title", "suptitle", "title", "set_suptitle"}


def content_security_policy() -> str:
    """The policy every page carries (a ``<meta http-equiv>``).

    Scripts and styles only from the site's own files (``'self'`` when served,
    ``file:`` when opened from disk), no inline script or event handler and no
    ``eval``, images from the site, ``data:`` and ``blob:``, forms only to the
    site's own pages (the search box), no network.
    """
    return "; ".join(
        [
            "default-src 'self' file:",
            "script-src 'self' file:",
            "style-src 'self' file: 'unsafe-inline'",
            "img-src 'self' file: data: blob:",
            "font-src 'self' file: data:",
            "connect-src 'self' file:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self' file:",  # the search box: to search.html only
        ]
    )


# --------------------------------------------------------------------------- #
# alt text
# --------------------------------------------------------------------------- #


def _plain(markdown: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # links, images
    text = re.sub(r"[*_`]+", "", text)
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(text.split())


def _string_value(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
            else:
                parts.append("…")
        return "".join(parts)
    return None


def figure_titles(source: str) -> list[str]:
    """Figure titles a code cell sets, in source order.

    Looks for ``ax.set_title("...")``, ``fig.suptitle("...")``,
    ``plt.title("...")`` and ``title="..."`` keywords (``ax.set(title=...)``,
    ``df.plot(title=...)``); legend titles do not count. In an f-string, each
    replacement field becomes "…".

    Examples
    --------
    >>> figure_titles('ax.set_title("Churn by month")\\nax.legend(title="origin")')
    ['Churn by month']
    """
    lines = [
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    ]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        pattern = r"""(?:set_title|suptitle|plt\.title)\(\s*[rbuRBU]?(["'])(.+?)\1"""
        return [m.group(2) for m in re.finditer(pattern, source)]
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in _NOT_TITLES:
            continue
        if name in _TITLE_CALLS and node.args:
            value = _string_value(node.args[0])
            if value:
                found.append((node.lineno, node.col_offset, value))
                continue
        for kw in node.keywords:
            if kw.arg == "title":
                value = _string_value(kw.value)
                if value:
                    found.append((node.lineno, node.col_offset, value))
    return [" ".join(t.split()) for *_, t in sorted(found)]


class AltTextPreprocessor(Preprocessor):
    """Give every image output an alt text (``output.metadata["crmkit_alt"]``).

    In order of preference: an ``alt`` the notebook already gives (in the
    output's metadata), the figure titles the cell sets (see
    :func:`figure_titles`), the nearest markdown heading above the cell, and
    finally "Figure N of <lesson title>".
    """

    def preprocess(self, nb, resources):
        heading = ""
        count = 0
        lesson = resources.get("metadata", {}).get("name", "this lesson")
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                heads = _HEADING.findall(cell.source)
                if heads:
                    heading = _plain(heads[-1])
                continue
            if cell.cell_type != "code":
                continue
            images = [
                o
                for o in cell.get("outputs", [])
                if o.get("output_type") in ("display_data", "execute_result")
                and any(t in o.get("data", {}) for t in _IMAGE_TYPES)
            ]
            if not images:
                continue
            titles = figure_titles(cell.source)
            for i, out in enumerate(images):
                count += 1
                meta = out.setdefault("metadata", {})
                given = meta.get("alt") or next(
                    (meta[t].get("alt") for t in _IMAGE_TYPES if isinstance(meta.get(t), dict)
                     and meta[t].get("alt")),
                    None,
                )
                if given:
                    alt = str(given)
                elif i < len(titles):
                    alt = f"Figure: {titles[i]}"
                elif heading:
                    alt = f"Figure: {heading}" + (f" (part {i + 1})" if len(images) > 1 else "")
                else:
                    alt = f"Figure {count} of {lesson}"
                meta["crmkit_alt"] = alt
        return nb, resources


# --------------------------------------------------------------------------- #
# editions
# --------------------------------------------------------------------------- #


#: A Markdown link to another lesson's notebook: ``[lesson 11](11-loyalty-kpis.ipynb#x)``.
_LESSON_LINK = re.compile(r"\]\((\d\d-[\w-]+)\.ipynb(#[^)\s]*)?\)")


class LessonLinkPreprocessor(Preprocessor):
    """A link from one lesson to another's notebook points at that lesson's page.

    In JupyterLab ``[lesson 11](11-loyalty-kpis-and-culture.ipynb)`` opens the
    notebook next to this one; a page of the site links to
    ``11-loyalty-kpis-and-culture.html`` in the same edition instead.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and ".ipynb" in cell.source:
            cell.source = _LESSON_LINK.sub(lambda m: f"]({m[1]}.html{m[2] or ''})", cell.source)
        return cell, resources


class EditionPreprocessor(Preprocessor):
    """In the playbook edition: no stderr (warnings are for programmers), no part of
    an output marked as naming code (:func:`crmkit.static_html.strip_course_only`),
    and DataFrames as tables for people (:mod:`crmkit.tables`: the output the build's
    kernels add beside pandas' HTML). The course edition keeps pandas' tables, whose
    column names are the ones students write code with."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        playbook = resources.get("crmkit", {}).get("edition") == "playbook"
        if playbook:
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            people = data.pop(PEOPLE_TABLE, None)
            if not playbook:
                continue
            if isinstance(people, str):
                data["text/html"] = people
                data.pop("text/plain", None)
            for kind in ("text/html", "text/markdown"):
                page = data.get(kind)
                if isinstance(page, str) and COURSE_ONLY_CLASS in page:
                    data[kind] = strip_course_only(page)
        return cell, resources


#: What a static page says where a notebook shows a widget.
STATIC_WIDGET_NOTE = (
    "This explorer responds to its controls when the notebook runs (in JupyterLab or "
    "in a workshop); here it is at one setting."
)
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class StaticWidgetPreprocessor(Preprocessor):
    """In both editions: a widget becomes one plain sentence; its static twin shows the figure.

    A static page cannot run a widget's callbacks: its stored state would show
    controls that move and a picture that does not follow them. Each lesson
    draws the same figure at one setting in the cell after the widget (the
    widget's ``*_figure`` twin; a test keeps the lessons so), so the page shows
    the sentence, then that one figure. With no widget left, the notebook's
    stored widget state is dropped, so the page neither carries it nor loads the
    widget manager.

    A simulator whose output carries page data (:mod:`crmkit.site.live`) becomes
    a live block instead: the same sentence and the data, which the page's own
    script turns into controls, a chart and a table (hiding the twin on screen).
    The simulators on the page are listed in ``resources["crmkit_live"]``, the
    scripts to load in ``resources["crmkit_live_scripts"]``.
    """

    def preprocess(self, nb, resources):
        note = {
            "text/html": f'<p class="crmkit-static-note">{html.escape(STATIC_WIDGET_NOTE)}</p>',
            "text/plain": STATIC_WIDGET_NOTE,
        }
        simulators = []
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            outputs = []
            for out in cell.get("outputs", []):
                if _WIDGET_VIEW not in out.get("data", {}):
                    outputs.append(out)
                    continue
                data = live.page_data(out)
                if data is None:
                    outputs.append(nbformat.v4.new_output("display_data", data=dict(note)))
                    continue
                simulators.append(data["simulator"])
                block = live.live_block(data, len(simulators), STATIC_WIDGET_NOTE)
                outputs.append(
                    nbformat.v4.new_output(
                        "display_data", data={"text/html": block, "text/plain": STATIC_WIDGET_NOTE}
                    )
                )
                live.mark_twins(nb.cells, index, len(simulators))
            cell.outputs = outputs
        nb.metadata.pop("widgets", None)
        resources["crmkit_live"] = simulators
        resources["crmkit_live_scripts"] = live.live_scripts(simulators)
        return nb, resources


_MATH = re.compile(
    r"(?<!\\)\$\$.+?\$\$|\\\(|\\\[|\\begin\{(?:equation|align)|"
    r"(?<![\\$\w])\$(?=[^\s$\d])[^$\n]+?(?<![\s\\])\$(?![\w$])",
    re.S,
)


def scan_notebook(nb) -> list[str]:
    """What the static site cannot show as the notebook does: a list of warnings.

    LaTeX math (no MathJax is shipped: it shows as source), Mermaid diagrams,
    and JavaScript outputs (blocked by the pages' Content-Security-Policy).
    Widgets need no warning: a static page shows their twin figure (see
    :class:`StaticWidgetPreprocessor`).
    """
    problems = []
    for cell in nb.cells:
        cid = cell.get("id", "?")
        if cell.cell_type == "markdown":
            if _MATH.search(cell.source):
                problems.append(
                    f"cell {cid}: LaTeX math shows as source text (the site ships no MathJax)"
                )
            if "```mermaid" in cell.source:
                problems.append(f"cell {cid}: a Mermaid diagram shows as source text")
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "application/javascript" in data:
                problems.append(f"cell {cid}: a JavaScript output is not shown on the site")
            if "text/vnd.mermaid" in data:
                problems.append(f"cell {cid}: a Mermaid output shows as source text")
    return problems


def lesson_exporter(edition: str, *, static_prefix: str = "../static/"):
    """An HTMLExporter for one edition, with our template and preprocessors.

    Parameters
    ----------
    edition : {"playbook", "course"}
    static_prefix : str, default="../static/"
        Relative URL from a lesson page to the site's ``static/`` folder.

    Returns
    -------
    nbconvert.HTMLExporter
    """
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    if edition not in EDITIONS:
        raise ValueError(f"lesson_exporter: `edition` must be one of {EDITIONS}; got {edition!r}.")
    playbook = edition == "playbook"
    c = Config()
    c.HTMLExporter.template_name = "crmkit_lesson"
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.HTMLExporter.mathjax_url = ""  # not loaded at all: see scan_notebook
    c.HTMLExporter.jupyter_widgets_base_url = ""
    c.HTMLExporter.exclude_input = playbook
    c.HTMLExporter.exclude_input_prompt = playbook
    c.HTMLExporter.exclude_output_prompt = playbook
    c.HTMLExporter.anchor_link_text = "#"
    exporter = HTMLExporter(config=c)

    remove = {"remove_cell", "remove-cell", "solution", f"remove_{edition}"}
    tags = TagRemovePreprocessor(
        remove_cell_tags=remove,
        remove_input_tags={"remove_input", "hide-input", "hide_input"},
        remove_all_outputs_tags={"remove_output", "hide-output", "hide_output"},
        enabled=True,
    )
    exporter.register_preprocessor(tags, enabled=True)
    exporter.register_preprocessor(EditionPreprocessor(enabled=True), enabled=True)
    exporter.register_preprocessor(LessonLinkPreprocessor(enabled=True), enabled=True)
    exporter.register_preprocessor(StaticWidgetPreprocessor(enabled=True), enabled=True)
    exporter.register_preprocessor(AltTextPreprocessor(enabled=True), enabled=True)
    return exporter


# --------------------------------------------------------------------------- #
# checklists
# --------------------------------------------------------------------------- #
_TASK_ITEM = re.compile(
    r'(<li class="task-list-item">)(<input class="task-list-item-checkbox"[^>]*>)(.*?)(</li>)',
    re.S,
)
_BLOCK_TAG = re.compile(r"<(?:p|ul|ol|div|table|pre|h[1-6])\b", re.I)


def label_task_checkboxes(html_text: str) -> str:
    """Give each checkbox of a Markdown checklist (``- [ ] item``) its item as a name.

    The Markdown renderer writes a bare ``<input type="checkbox">`` before the
    item's text, which a screen reader announces as an unnamed checkbox. The item
    becomes the checkbox's ``<label>``; an item holding blocks (paragraphs,
    nested lists) gets an ``aria-label`` with its text instead.

    >>> item = '<input class="task-list-item-checkbox" type="checkbox"/><b>Call</b> them'
    >>> label_task_checkboxes(f'<li class="task-list-item">{item}</li>') == (
    ...     f'<li class="task-list-item"><label>{item}</label></li>')
    True
    """

    def fix(m):
        start, box, body, end = m.groups()
        if not _BLOCK_TAG.search(body):
            return f"{start}<label>{box}{body}</label>{end}"
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
        named = box.replace("<input ", f'<input aria-label="{html.escape(text)}" ', 1)
        return f"{start}{named}{body}{end}"

    return _TASK_ITEM.sub(fix, html_text)
