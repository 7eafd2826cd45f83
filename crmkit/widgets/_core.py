"""The core of every crmkit widget: controls -> a pure function -> a redrawn figure.

Every builder returns a widget (it does not display it). The numbers come from
plain functions in :mod:`crmkit.metrics` (tested without a browser); the widget
only wires controls to them and draws with :mod:`crmkit.plots`. The figure is an
``ipywidgets.Image`` holding a PNG, so an executed notebook stores it in the
widget state and the rendered HTML shows it without a kernel. Each builder has a
static twin, the ``*_figure`` function, for pages and print.

Every returned widget has an ``update()`` method (the callback that runs when a
control changes); ``benchmarks/bench_widgets.py`` times it.
"""

from __future__ import annotations

import html
import io
import logging
import sys
import traceback
import weakref

import ipywidgets as W
import matplotlib
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from crmkit.widgets._glyphs import CachingCanvas

__all__ = [
    "live_panel",
    "slider",
    "dropdown",
    # shared by the widget modules: the redraw's layout and output
    "DPI",
    "empty_axes",
    "exact_margins",
    "figure_png",
    "kept",
    "line_inches",
    "padded_grid",
    "reused_axes",
    "text_inches",
]

log = logging.getLogger("crmkit.widgets")

#: Resolution of a live panel's PNG (its native size in the browser).
DPI = 72


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes at :data:`DPI`, quickly compressed (a live panel's image)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def live_panel(
    title: str,
    controls: dict,
    render,
    *,
    figsize=(7.5, 4.0),
    note: str = "",
    layout="constrained",
    clear: bool = True,
):
    """Controls -> ``render(fig, **values)`` -> a redrawn figure and an HTML summary.

    Parameters
    ----------
    title : str
        Heading shown above the controls.
    controls : dict of str to ipywidgets.ValueWidget
        Keyword name -> control; their values are passed to ``render``.
    render : callable
        ``render(fig, **values) -> str`` draws on the (cleared) figure and
        returns an HTML snippet (already escaped) shown under it.
    figsize : tuple, default=(7.5, 4.0)
    note : str, default=""
        A line of help text under the title.
    layout : {"constrained", "tight", None}, default="constrained"
        Matplotlib layout engine. ``None`` (fixed margins, set in ``render``)
        draws about twice as fast: use it for heavy figures.
    clear : bool, default=True
        Clear the figure before each ``render``. ``False`` hands ``render`` the
        figure as it left it, so that it can keep its Axes and update their
        artists (see :func:`empty_axes`): creating Axes and their tick labels
        is most of a redraw's cost. Such a ``render`` must draw the same
        picture for the same values whatever came before (a test checks it).

    Returns
    -------
    ipywidgets.VBox
        With an ``update()`` method and ``controls``, ``image``, ``summary``
        attributes.
    """
    matplotlib.rcParams.setdefault("figure.dpi", 100)
    fig = Figure(figsize=figsize, layout=layout)
    # a canvas from the start (text can be measured while drawing) that replays the
    # text it drew before: most of a redraw's labels are the same as last time
    CachingCanvas(fig)
    image = W.Image(format="png", layout=W.Layout(max_width="100%"))
    summary = W.HTML()

    def update(change=None):
        values = {name: c.value for name, c in controls.items()}
        if clear:
            fig.clear()
        try:
            text = render(fig, **values)
        except Exception as e:  # participants see a friendly line; the console gets the rest
            print(f"crmkit widget '{title}' failed with {values}:", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
            summary.value = (
                '<p style="color:#b00">Sorry, this combination could not be '
                f"computed ({html.escape(type(e).__name__)}). Try other values.</p>"
            )
            return
        image.value = figure_png(fig)
        image.width = str(round(fig.get_figwidth() * DPI))  # native size: never upscaled
        summary.value = text or ""

    for c in controls.values():
        c.observe(update, names="value")
    header = [W.HTML(f"<h4>{html.escape(title)}</h4>")]
    if note:
        header.append(W.HTML(f"<p>{html.escape(note)}</p>"))
    box = W.VBox(header + [W.VBox(list(controls.values())), image, summary])
    box.update = update
    box.controls = controls
    box.image = image
    box.summary = summary
    box.figure = fig
    update()
    return box


def slider(description, value, lo, hi, step, *, fmt=".2f", percent=False, integer=False):
    """A labelled slider that fires once on release (not while dragging)."""
    cls = W.IntSlider if integer else W.FloatSlider
    return cls(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        readout_format="d" if integer else (".0%" if percent else fmt),
        continuous_update=False,
        style={"description_width": "14em"},
        layout=W.Layout(width="36em"),
    )


def dropdown(description, options, value=None):
    """A labelled dropdown; ``options`` as (label, value) pairs or plain values."""
    options = list(options)
    if value is None:
        first = options[0]
        value = first[1] if isinstance(first, tuple) else first
    return W.Dropdown(
        options=options,
        value=value,
        description=description,
        style={"description_width": "14em"},
        layout=W.Layout(width="36em"),
    )


# --------------------------------------------------------------------------- layout
def text_inches(labels, size="medium") -> float:
    """Width in inches of the widest of ``labels`` at a font size (points or "small"...)."""
    from matplotlib.textpath import TextToPath

    fp = FontProperties(size=size)
    ttp = TextToPath()
    widths = [ttp.get_text_width_height_descent(str(t), fp, ismath=False)[0] for t in labels]
    return max(widths, default=0.0) / 72.0


def line_inches(size="medium", lines=1) -> float:
    """Height in inches of ``lines`` lines of text at a font size."""
    return lines * FontProperties(size=size).get_size_in_points() * 1.35 / 72.0


def padded_grid(fig, left, right, bottom, top, **grid):
    """Gridspec keywords for margins given in inches; the layout engine is switched off.

    A constrained layout draws the figure twice on every save; fixed margins,
    sized from the labels actually drawn, keep a live panel's callback fast.
    """
    from matplotlib import rcParams

    fig.set_layout_engine(None)  # "none" would keep a placeholder engine: two draws per save
    w, h = fig.get_size_inches()
    pad = 0.12 + rcParams["ytick.major.pad"] / 72.0
    return {
        "left": min(left + pad, 0.6 * w) / w,
        "right": 1 - min(right + 0.1, 0.4 * w) / w,
        "bottom": min(bottom + 0.08, 0.6 * h) / h,
        "top": 1 - min(top + 0.08, 0.3 * h) / h,
        **grid,
    }


def exact_margins(fig, left, right, bottom, top, **grid):
    """Gridspec margins from inches; the figure's layout engine is switched off.

    Fixed margins are much cheaper to draw than a constrained layout, which
    keeps the widget's callback fast.
    """
    fig.set_layout_engine(None)
    w, h = fig.get_size_inches()
    return {
        "left": left / w,
        "right": 1 - right / w,
        "bottom": bottom / h,
        "top": 1 - top / h,
        **grid,
    }


def empty_axes(ax):
    """Remove what a render drew on ``ax`` but keep the Axes, its Axis and Tick objects.

    Much cheaper than ``ax.clear()``, which rebuilds the axes and every tick
    label. Resets the title, axis labels, legend, limits (autoscaling again) and
    the colour cycle; the caller sets ticks, scales and direction explicitly on
    every render (``invert_yaxis`` would toggle: use ``set_ylim(top, bottom)``).
    """
    for artist in (*ax.lines, *ax.patches, *ax.texts, *ax.collections, *ax.images,
                   *ax.tables, *ax.artists):
        artist.remove()
    ax.containers.clear()  # bar containers would otherwise pile up in the next legend
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    for loc in ("left", "center", "right"):
        ax.set_title("", loc=loc)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_prop_cycle(None)
    ax.relim()
    ax.set_autoscale_on(True)
    return ax


# --------------------------------------------------------------------------- redraws
#: figure -> what its widget keeps between redraws (see :func:`kept`)
_KEPT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def kept(fig) -> dict:
    """What a widget keeps between two redraws of ``fig``: the one place for it.

    Fast redraws all work the same way: a ``render`` (of ``live_panel(clear=False)``)
    makes its Axes and artists once, keeps them here under names of its choosing,
    and on the next call empties the Axes (:func:`reused_axes`, :func:`empty_axes`)
    or updates the kept artists in place (``set_data``, ``set_height``...), all
    through matplotlib's public API. The store lives as long as the figure (a
    weak reference), so a figure that is dropped takes its state with it.
    """
    return _KEPT.setdefault(fig, {})


def reused_axes(fig, grid, key):
    """The one Axes of ``fig`` with margins ``grid``: made once, then emptied and moved.

    Creating an Axes and its tick labels is a large part of a redraw's cost
    (see :func:`empty_axes`); the caller sets limits, ticks and formatters on
    every call. ``key`` names the Axes in :func:`kept`.
    """
    store = kept(fig)
    ax = store.get(key)
    if ax is None or ax not in fig.axes:
        ax = store[key] = fig.subplots(gridspec_kw=grid)
        return ax
    empty_axes(ax)
    spec = ax.get_subplotspec()
    spec.get_gridspec().update(**grid)
    ax.set_position(spec.get_position(fig))
    ax.set_in_layout(True)  # set_position takes it out: bbox_inches="tight" would skip it
    return ax
