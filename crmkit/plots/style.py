"""Shared look of the kit's figures: colour-blind-safe colours and axis labelling.

Every plot module of crmkit takes its colours from here, so a lifecycle stage
or a segment has the same colour in every figure. Nothing here changes a global
matplotlib or seaborn setting.

The qualitative palette is Okabe & Ito's (2008) eight colours, designed to stay
distinguishable under the common forms of colour-vision deficiency. Sequential
data (heat maps) use ``"viridis"``, which is perceptually uniform, readable with
the common colour-vision deficiencies and in greyscale, and has more hue
contrast between neighbouring cells than ``"cividis"``.

Examples
--------
>>> from crmkit.plots.style import PALETTE, stage_palette
>>> PALETTE[0]
'#E69F00'
>>> stage_palette()["dissolution"]
'#D55E00'
"""

from __future__ import annotations

from collections.abc import Iterable

from crmkit.concepts import LIFECYCLE_STAGES, keys

__all__ = [
    "DIVERGING_CMAP",
    "OKABE_ITO",
    "PALETTE",
    "SEQUENTIAL_CMAP",
    "annotate_bar_end",
    "bar_outlines",
    "category_palette",
    "finish",
    "sequential_cmap",
    "stage_palette",
]

OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
"""The Okabe-Ito colours by name."""

PALETTE: list[str] = [
    OKABE_ITO[k]
    for k in (
        "orange",
        "sky_blue",
        "bluish_green",
        "blue",
        "vermillion",
        "reddish_purple",
        "yellow",
        "black",
    )
]
"""Okabe-Ito colours in the order the kit uses them (yellow late: it is pale on white)."""

SEQUENTIAL_CMAP = "viridis"
"""Colormap for shares, rates and counts (low = dark purple, high = yellow)."""

DIVERGING_CMAP = "PuOr"
"""Colormap for signed differences around zero (colour-blind-safe purple-orange)."""

_STAGE_COLOURS = {
    "exploration": OKABE_ITO["sky_blue"],
    "awareness": OKABE_ITO["orange"],
    "expansion": OKABE_ITO["bluish_green"],
    "commitment": OKABE_ITO["blue"],
    "dissolution": OKABE_ITO["vermillion"],
}


def stage_palette() -> dict[str, str]:
    """Return ``{lifecycle stage key: colour}`` in the order of `LIFECYCLE_STAGES`.

    Returns
    -------
    dict of str to str
        Hex colours; dissolution is always vermillion (the "warning" colour).

    Examples
    --------
    >>> list(stage_palette())
    ['exploration', 'awareness', 'expansion', 'commitment', 'dissolution']
    """
    return {
        k: _STAGE_COLOURS.get(k, PALETTE[i % len(PALETTE)])
        for i, k in enumerate(keys(LIFECYCLE_STAGES))
    }


def category_palette(categories: Iterable[str]) -> dict[str, str]:
    """Return ``{category: colour}``, cycling through `PALETTE` in the given order.

    Examples
    --------
    >>> category_palette(["a", "b"])
    {'a': '#E69F00', 'b': '#56B4E9'}
    """
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}


def sequential_cmap() -> str:
    """Return the name of the kit's sequential colormap (``"viridis"``).

    Examples
    --------
    >>> sequential_cmap()
    'viridis'
    """
    return SEQUENTIAL_CMAP


def finish(ax, title: str | None = None, xlabel: str | None = None, ylabel: str | None = None):
    """Set the title and axis labels of ``ax`` (None leaves one as it is) and return ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    title, xlabel, ylabel : str or None, default=None
        Text for a newcomer, with units in brackets, e.g. ``"Months since signup"``
        or ``"Share still active (%)"``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> finish(ax, "Title", "x (months)", "y (%)").get_title()
    'Title'
    >>> plt.close(fig)
    """
    if title is not None:
        ax.set_title(title)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    return ax


def annotate_bar_end(ax, text, xy):
    """Write ``text`` just right of ``xy`` (the end of a horizontal bar), small and centred.

    Returns the `matplotlib.text.Annotation`.
    """
    return ax.annotate(
        text, xy, xytext=(4, 0), textcoords="offset points", va="center", fontsize="small"
    )


def bar_outlines(pos, start, end, width=0.8, *, horizontal=False):
    """Corners of bars centred on ``pos`` running from ``start`` to ``end`` (one polygon each).

    For a ``PolyCollection``: one artist for a whole series of bars draws far
    faster than a ``Rectangle`` per bar. ``horizontal=True`` for ``barh``-like bars.
    """
    import numpy as np

    lo, hi = pos - width / 2, pos + width / 2
    if horizontal:
        corners = [(start, lo), (start, hi), (end, hi), (end, lo)]
    else:
        corners = [(lo, start), (lo, end), (hi, end), (hi, start)]
    return np.stack([np.column_stack(c) for c in corners], axis=1)
