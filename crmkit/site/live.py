"""Simulators that respond on a static page, with no kernel and no network.

Four widgets (retention economics, the lifecycle simulator, the strategy
self-assessment, the termination what-if) add their page data to their output
when a lesson runs (the type :data:`crmkit.static_html.LIVE_MIMETYPE`, see
:mod:`crmkit.widgets._live`). Here such an output becomes a *live block*: a
``<div class="crmkit-live">`` holding the plain sentence every other widget gets
(:data:`crmkit.site.notebook.STATIC_WIDGET_NOTE`) and the page data in a
``<script type="application/json">`` (data, not code: the pages' security
policy still forbids inline script). The page's own scripts
(``static/crmkit-live.js`` and one small file per simulator under
``static/live/``, loaded only on pages with a simulator) build the controls,
the chart and the table in that block.

Progressive enhancement: the static twin (the figure the lesson draws in the
cell after the widget, with the "The figure below shows" sentence before it)
stays in the page; once a simulator is built, the script hides the twin on
screen (class ``crmkit-live-replaced``) and the print stylesheet shows the twin
and hides the simulator, so a page shows one figure on screen, in print and
without script.

Numbers: termination's results are precomputed in Python for every setting the
page offers; the other three simulators compute a short formula again in
JavaScript. ``tests/test_site_live_browser.py`` compares what the page shows
with the Python computation over a grid of settings.
"""

from __future__ import annotations

import html
import json

from crmkit.static_html import LIVE_MIMETYPE

__all__ = [
    "LIVE_CLASS",
    "SIMULATORS",
    "TWIN_INTRO",
    "live_block",
    "live_scripts",
    "mark_twins",
]

#: Class of a live block's ``<div>``.
LIVE_CLASS = "crmkit-live"
#: Simulator name -> its script under ``static/`` (after ``crmkit-live.js``).
SIMULATORS = {
    "retention": "live/retention.js",
    "lifecycle": "live/lifecycle.js",
    "strategy": "live/strategy.js",
    "termination": "live/termination.js",
}
#: How a lesson introduces a widget's static twin (a markdown cell between the two).
TWIN_INTRO = "The figure below shows"
_TWIN_TAG = "crmkit-live-twin-{}"
_IMAGES = ("image/png", "image/jpeg", "image/svg+xml")


def page_data(output) -> dict | None:
    """The simulator data of a notebook output, or None (no data, or an unknown simulator)."""
    data = output.get("data", {}).get(LIVE_MIMETYPE)
    if isinstance(data, str):  # a notebook written by another tool may store JSON as text
        try:
            data = json.loads(data)
        except ValueError:
            return None
    if isinstance(data, dict) and data.get("simulator") in SIMULATORS:
        return data
    return None


def _json_for_html(data: dict) -> str:
    """JSON that cannot end its ``<script>`` element early (``<``, ``>``, ``&`` escaped)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def live_block(data: dict, number: int, note: str) -> str:
    """The HTML of one live block.

    Parameters
    ----------
    data : dict
        The simulator's page data (``{"simulator": name, ...}``).
    number : int
        The block's number on the page (1, 2...): its id is ``crmkit-live-N`` and
        its twin's cells carry the tag ``crmkit-live-twin-N``.
    note : str
        The sentence shown when the script does not run.

    Returns
    -------
    str

    Examples
    --------
    >>> print(live_block({"simulator": "strategy", "x": "</script>"}, 1, "Note."))
    ... # doctest: +NORMALIZE_WHITESPACE
    <div class="crmkit-live" id="crmkit-live-1" data-simulator="strategy"
    data-twin="crmkit-live-twin-1"><p class="crmkit-static-note crmkit-live-fallback">Note.</p>
    <script type="application/json" class="crmkit-live-data">{"simulator":"strategy",\
"x":"\\u003c/script\\u003e"}</script></div>
    """
    name = html.escape(str(data["simulator"]))
    return (
        f'<div class="{LIVE_CLASS}" id="crmkit-live-{number}" data-simulator="{name}" '
        f'data-twin="{_TWIN_TAG.format(number)}">'
        f'<p class="crmkit-static-note crmkit-live-fallback">{html.escape(note)}</p>\n'
        f'<script type="application/json" class="crmkit-live-data">{_json_for_html(data)}'
        "</script></div>"
    )


def mark_twins(cells, index: int, number: int) -> None:
    """Tag the static twin of the widget in ``cells[index]``.

    The twin is the next code cell that shows a figure; markdown cells between
    that introduce it (they start with :data:`TWIN_INTRO`) are tagged too. Any
    other cell on the way means there is no twin to tag.
    """
    tag = _TWIN_TAG.format(number)
    between = []
    for cell in cells[index + 1 :]:
        if cell.cell_type == "markdown":
            if not cell.source.lstrip().startswith(TWIN_INTRO):
                return
            between.append(cell)
            continue
        if cell.cell_type != "code":
            return
        if any(any(t in o.get("data", {}) for t in _IMAGES) for o in cell.get("outputs", [])):
            for c in [*between, cell]:
                tags = c.setdefault("metadata", {}).setdefault("tags", [])
                if tag not in tags:
                    tags.append(tag)
        return


def live_scripts(names) -> list[str]:
    """The scripts (paths under ``static/``) a page with these simulators loads, in order."""
    wanted = [SIMULATORS[n] for n in SIMULATORS if n in set(names)]
    return ["crmkit-live.js", *wanted] if wanted else []
