"""The ten-strategy scorecard: rate the strategies of source 000, see the gaps, export them.

Source 000 lists ten strategies for building better customer relationships
(`crmkit.concepts.STRATEGIES`). In a workshop each team rates how well it
practises each one from 1 (absent) to 5 (excellent); the radar shows the
profile, the priorities table the largest gaps with the kit's metrics that
show each strategy at work, and an "Export CSV" link saves the scorecard so the
trainer can compare teams with `crmkit.metrics.care.merge_scorecards`.

`strategy_self_assessment`
    the widget: ten sliders and a team name -> radar, priorities, CSV link;
`strategy_self_assessment_figure`
    its static twin, for pages and print;
`scorecard_download_link`, `priorities_html`
    the pieces of the widget's summary, as plain functions;
`strategy_self_assessment_page`
    what the static site needs to run it in the browser (see `crmkit.widgets._live`);
`EXAMPLE_RATINGS`
    the example self-assessment the widget starts from.

The numbers come from `crmkit.metrics.care.strategy_scorecard` and the radar
from `crmkit.plots.strategy.plot_scorecard_radar`.
"""

from __future__ import annotations

import base64
import html

import ipywidgets as W
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from crmkit import concepts
from crmkit.lessons import bidi_text
from crmkit.metrics.care import (
    MATURITY_LEVELS,
    scorecard_maturity,
    scorecard_to_csv,
    strategy_scorecard,
)
from crmkit.plots.strategy import plot_scorecard_radar
from crmkit.plots.style import PALETTE
from crmkit.static_html import LIVE_ONLY_CLASS
from crmkit.widgets._core import DPI, kept, live_panel, slider
from crmkit.widgets._live import with_page_data

__all__ = [
    "EXAMPLE_RATINGS",
    "priorities_html",
    "scorecard_download_link",
    "strategy_self_assessment",
    "strategy_self_assessment_figure",
    "strategy_self_assessment_page",
    "WIDGETS",
]

_KEYS = concepts.keys(concepts.STRATEGIES)

#: An example self-assessment (a company strong on people and product, weak on
#: analysis, training and community work): the widget's starting point and the
#: static twin of lesson 05.
EXAMPLE_RATINGS: dict[str, int] = {
    "people": 4,
    "process": 3,
    "product_service": 4,
    "organisation": 2,
    "customer_analysis": 2,
    "cost_analysis": 3,
    "performance_focus": 3,
    "staff_training": 2,
    "relationship_schemes": 4,
    "social_events": 1,
}


_TITLE = "Ten relationship strategies: self-assessment"
_NOTE = (
    "Rate each strategy from 1 (absent) to 5 (excellent) for your team, then "
    "export the scorecard to compare teams."
)

_STATIC_EXPORT_NOTE = html.escape(
    "Export CSV works when you run the notebook or the workshop dashboard: on this page "
    "the sliders cannot recompute the scorecard, so there is nothing of yours to export."
)


def scorecard_download_link(card: pd.DataFrame, *, filename: str = "scorecard.csv") -> str:
    """An HTML link that downloads the scorecard as a CSV file.

    The file is embedded in the link (a ``data:`` URL, base64), so the link works
    in JupyterLab, in Voila and in a static HTML page, without a server.

    Parameters
    ----------
    card : pandas.DataFrame
        A table from `crmkit.metrics.care.strategy_scorecard`.
    filename : str, default="scorecard.csv"
        Name the browser gives the downloaded file.

    Returns
    -------
    str
        ``<a download="scorecard.csv" href="data:text/csv;base64,...">Export CSV</a>``.

    Examples
    --------
    >>> from crmkit.metrics.care import strategy_scorecard
    >>> card = strategy_scorecard(EXAMPLE_RATINGS, participant="Team A")
    >>> scorecard_download_link(card).startswith('<a download="scorecard.csv"')
    True
    """
    if not isinstance(filename, str) or not filename:
        raise TypeError(
            f"scorecard_download_link: `filename` must be a file name, got {filename!r}."
        )
    data = base64.b64encode(scorecard_to_csv(card).encode("utf-8")).decode("ascii")
    return (
        f'<a download="{html.escape(filename)}" href="data:text/csv;base64,{data}" '
        'target="_blank">Export CSV</a>'
    )


def priorities_html(card: pd.DataFrame, *, top: int = 3) -> str:
    """The maturity level and the ``top`` priorities of a scorecard, as escaped HTML.

    Parameters
    ----------
    card : pandas.DataFrame
        A table from `crmkit.metrics.care.strategy_scorecard`.
    top : int, default=3
        How many priorities to list (largest gap first).

    Returns
    -------
    str
        A sentence with the mean rating and maturity level, then a table of the
        priorities: strategy, rating, gap to 5 and the kit's metrics to watch.

    Examples
    --------
    >>> from crmkit.metrics.care import strategy_scorecard
    >>> text = priorities_html(strategy_scorecard(EXAMPLE_RATINGS))
    >>> "Social events" in text and "<table" in text
    True
    """
    maturity = card.attrs.get("maturity") or scorecard_maturity(card)
    who = str(card["participant"].iloc[0]) if "participant" in card else ""
    rows = card.sort_values("priority").head(top)
    cells = "".join(
        "<tr>"
        f"<td>{int(r.priority)}</td><td>{int(r.number)}. {html.escape(str(r.name))}</td>"
        f"<td>{r.rating:g}</td><td>{r.gap:g}</td>"
        f"<td><code>{html.escape(str(r.kpis))}</code></td>"
        "</tr>"
        for r in rows.itertuples(index=False)
    )
    head = (
        f"<b>{html.escape(who or 'Your scorecard')}</b>: mean rating "
        f"{maturity['mean']:.1f} of 5, maturity level "
        f"<b>{html.escape(str(maturity['level']))}</b>"
        f" ({html.escape(str(maturity['description']))})"
    )
    return (
        f"<p>{head}</p>"
        "<table><thead><tr><th>priority</th><th>strategy</th><th>rating</th><th>gap</th>"
        "<th>metrics that show it at work</th></tr></thead>"
        f"<tbody>{cells}</tbody></table>"
    )


def _ratings(ratings, func):
    if ratings is None:
        return dict(EXAMPLE_RATINGS)
    if not isinstance(ratings, dict):
        raise TypeError(
            f"{func}: `ratings` must be a dict {{strategy key: rating 1-5}}; "
            f"got {type(ratings).__name__}."
        )
    return {**EXAMPLE_RATINGS, **ratings}


def _for_figure(card):
    """The card with a participant name matplotlib can draw (right-to-left scripts shaped)."""
    return card.assign(participant=card["participant"].map(bidi_text))


def strategy_self_assessment_figure(
    ratings=None, *, participant="Example team", figsize=(7.5, 6.2)
):
    """Static twin of the widget: the radar of one self-assessment.

    Parameters
    ----------
    ratings : dict, optional
        ``{strategy key: rating 1-5}``; missing keys take `EXAMPLE_RATINGS`.
        Default: the example self-assessment.
    participant : str, default="Example team"
        Label in the legend.
    figsize : tuple, default=(7.5, 6.2)

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.scorecard`` holds the table of `crmkit.metrics.care.strategy_scorecard`.
    """
    card = strategy_scorecard(
        _ratings(ratings, "strategy_self_assessment_figure"), participant=participant
    )
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots(subplot_kw={"projection": "polar"})
    plot_scorecard_radar(_for_figure(card), ax=ax)
    fig.scorecard = card
    return fig


#: Margins of the live radar (figure fractions): room for the wrapped labels and the legend.
_RADAR_GRID = dict(left=0.18, right=0.82, top=0.80, bottom=0.14)


def _radar(fig) -> dict:
    """The radar's picture without data, made once per live figure and kept in `kept`.

    A polar Axes with ten wrapped labels takes well over 100 ms to draw. Its
    grid, labels and title are drawn once, with
    `crmkit.plots.strategy.plot_scorecard_radar`, on a figure of their own
    (the same size as ``fig``); the picture without the outline is kept as the
    background that `_paint` restores (matplotlib's "blitting").
    """
    store = kept(fig)
    if "radar" not in store:
        radar = Figure(figsize=fig.get_size_inches(), dpi=DPI)
        canvas = FigureCanvasAgg(radar)
        ax = radar.add_subplot(projection="polar")
        radar.subplots_adjust(**_RADAR_GRID)
        plot_scorecard_radar(strategy_scorecard(dict.fromkeys(_KEYS, 3)), ax=ax)
        _remove_outlines(ax)
        canvas.draw()
        store["radar"] = {"ax": ax, "background": canvas.copy_from_bbox(radar.bbox)}
    return store["radar"]


def _remove_outlines(ax):
    for artist in [*ax.lines, *ax.patches]:
        artist.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()


def _paint(fig, card) -> np.ndarray:
    """The radar of ``card`` as an RGBA array (rows from the top): the kept background,
    then only the new outline, fill and legend drawn on it."""
    radar = _radar(fig)
    ax = radar["ax"]
    canvas = ax.figure.canvas
    canvas.restore_region(radar["background"])
    plot_scorecard_radar(_for_figure(card), ax=ax)
    for artist in [*ax.lines, *ax.patches, ax.get_legend()]:
        ax.draw_artist(artist)
    image = np.asarray(canvas.buffer_rgba()).copy()
    _remove_outlines(ax)
    return image


def strategy_self_assessment(world=None, *, ratings=None, participant="Example team"):
    """Widget: rate the ten strategies of source 000, see the radar and the priorities.

    Parameters
    ----------
    world : crmkit.World, optional
        Not needed (a self-assessment uses no data); accepted so that every
        builder of the registry is called the same way.
    ratings : dict, optional
        Starting ratings ``{strategy key: 1-5}``; default `EXAMPLE_RATINGS`.
    participant : str, default="Example team"
        Starting team name (the text box).

    Returns
    -------
    ipywidgets.VBox
        Ten sliders (1 = absent ... 5 = excellent) and a team-name box; the
        figure is the radar, the summary the maturity level, the three
        priorities and an "Export CSV" link.
    """
    start = _ratings(ratings, "strategy_self_assessment")
    names = concepts.labels(concepts.STRATEGIES)
    controls = {}
    for j, key in enumerate(_KEYS, start=1):
        s = slider(f"{j}. {names[key]}", int(start[key]), 1, 5, 1, integer=True)
        s.style.description_width = "17em"
        s.layout.width = "38em"
        controls[key] = s
    controls["participant"] = W.Text(
        value=str(participant),
        description="Team or participant",
        style={"description_width": "17em"},
        layout=W.Layout(width="38em"),
        continuous_update=False,
    )

    def render(fig, participant, **values):
        card = strategy_scorecard(values, participant=str(participant).strip())
        fig.set_layout_engine(None)  # a layout engine would draw the figure twice
        store = kept(fig)
        if "image" in store:  # the picture of the last call: give it the new pixels
            store["image"].set_data(_paint(fig, card))
        else:
            store["image"] = fig.figimage(_paint(fig, card), 0, 0, origin="upper")
        # On a static page the link would export the stored example, not the
        # reader's ratings: the site replaces this paragraph by the note.
        return priorities_html(card) + (
            f'<p class="{LIVE_ONLY_CLASS}" data-static-note="{_STATIC_EXPORT_NOTE}">'
            f"{scorecard_download_link(card)}</p>"
        )

    box = live_panel(
        _TITLE, controls, render, figsize=(7.5, 6.2), layout=None, clear=False, note=_NOTE
    )
    return with_page_data(
        box, "strategy", lambda: strategy_self_assessment_page(start, participant=participant)
    )


def strategy_self_assessment_page(ratings=None, *, participant="Example team") -> dict:
    """What the static site needs to run `strategy_self_assessment` in the browser.

    The page ranks the gaps, finds the maturity level and writes the CSV again in
    JavaScript (`crmkit.metrics.care.strategy_scorecard`, `scorecard_maturity`,
    `scorecard_to_csv`); a browser test compares its priorities with
    `priorities_html` and its CSV with `scorecard_to_csv` over a grid of ratings.

    Returns
    -------
    dict
        JSON values: title, note, the ten strategies (key, number, name, the
        kit's metrics for each), the starting ratings and team name, the
        maturity levels and the CSV's columns.

    Examples
    --------
    >>> page = strategy_self_assessment_page()
    >>> len(page["strategies"]), page["ratings"]["people"]
    (10, 4)
    """
    start = _ratings(ratings, "strategy_self_assessment_page")
    card = strategy_scorecard(start, participant=str(participant))
    return {
        "title": _TITLE,
        "note": _NOTE,
        "strategies": [
            {"key": r.strategy, "number": int(r.number), "name": r.name, "kpis": r.kpis}
            for r in card.itertuples(index=False)
        ],
        "ratings": {k: int(v) for k, v in start.items()},
        "participant": str(participant),
        "participant_label": "Team or participant",
        "levels": [list(level) for level in MATURITY_LEVELS],
        "columns": list(card.columns),
        "top": 3,
        "colour": PALETTE[0],  # as plot_scorecard_radar draws one scorecard
    }


WIDGETS = {"strategy_self_assessment": strategy_self_assessment}
