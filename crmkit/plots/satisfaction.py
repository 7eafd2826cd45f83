"""Figures of satisfaction: NPS answers, driver weights, what-if weights, perception by touchpoint.

Each function draws on ``ax`` (or the current Axes), returns it, and never
calls ``plt.show()`` or changes a global setting.
"""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.textpath import TextToPath
from matplotlib.transforms import Bbox

from crmkit import concepts
from crmkit._checks import check_scores
from crmkit.metrics.satisfaction import (
    COMPONENTS,
    satisfaction_drivers,
    spread_by_answer,
    touchpoint_satisfaction,
    true_component_weights,
)
from crmkit.plots.style import OKABE_ITO, finish

__all__ = [
    "PredictionSpreadChart",
    "WhatIfWeightsChart",
    "plot_nps_distribution",
    "plot_prediction_spread",
    "plot_satisfaction_drivers",
    "plot_touchpoint_satisfaction",
    "plot_what_if_weights",
]

#: Colours of the three NPS groups (colour-blind safe; grey = neutral).
NPS_COLOURS = {
    "detractors": OKABE_ITO["vermillion"],
    "passives": "#999999",
    "promoters": OKABE_ITO["bluish_green"],
}
OFFICE_COLOURS = {"front": OKABE_ITO["blue"], "back": OKABE_ITO["orange"]}
OFFICE_MARKERS = {"front": "o", "back": "s"}


def plot_nps_distribution(data, *, nps_col="nps", ax=None, **kwargs):
    """Bar chart of the 0-10 recommendation answers, coloured by NPS group.

    Parameters
    ----------
    data : DataFrame, Series or array-like
        A surveys table (answers in ``nps_col``) or the answers themselves.
    nps_col : str, default="nps"
        Column of the answers when ``data`` is a DataFrame.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.bar` (e.g. ``alpha``, ``width``).

    Returns
    -------
    matplotlib.axes.Axes
        With the NPS in the title.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> w = crmkit.make_world(300, random_state=0)
    >>> ax = plot_nps_distribution(w.surveys)
    >>> ax.get_title().startswith("Would customers recommend us?")
    True
    """
    scores = check_scores(data, "plot_nps_distribution", nps_col, "nps_col", low=0, high=10)
    ax = plt.gca() if ax is None else ax
    values = np.arange(11)
    counts = np.array([(np.round(scores) == v).sum() for v in values])
    low, high = concepts.DETRACTOR_MAX, concepts.PROMOTER_MIN
    group = np.where(values <= low, "detractors", np.where(values < high, "passives", "promoters"))
    n = len(scores)
    kwargs.setdefault("edgecolor", "white")
    for g, label in (
        ("detractors", f"Detractors (0-{low})"),
        ("passives", f"Passives ({low + 1}-{high - 1})"),
        ("promoters", f"Promoters ({high}-10)"),
    ):
        sel = group == g
        share = counts[sel].sum() / n
        ax.bar(
            values[sel],
            counts[sel],
            color=NPS_COLOURS[g],
            label=f"{label}: {share:.0%}",
            **kwargs,
        )
    score = 100 * ((scores >= high).mean() - (scores <= low).mean())
    ax.set_xticks(values)
    ax.set_xlim(-0.6, 10.6)
    ax.legend(title=f"{n:,} answers", frameon=False, loc="upper left")
    ax.grid(axis="y", alpha=0.3)
    ax.grid(axis="x", visible=False)  # a theme's vertical lines would cut through the bars
    ax.set_axisbelow(True)
    return finish(
        ax,
        f"Would customers recommend us? NPS = {score:+.0f}\n"
        "(% promoters - % detractors, from -100 to +100)",
        '"How likely are you to recommend us?" (0 = not at all, 10 = extremely)',
        "Number of answers",
    )


def plot_satisfaction_drivers(
    data, *, truth=None, components=COMPONENTS, target="overall", ax=None, **kwargs
):
    """Estimated weights of the satisfaction components, beside the true ones if known.

    Parameters
    ----------
    data : DataFrame
        A surveys table (the weights are estimated with
        :func:`crmkit.metrics.satisfaction.satisfaction_drivers`) or that
        function's output.
    truth : dict or Series, optional
        ``world.truth`` or the true weights; drawn as a second bar per
        component. Ignored if ``data`` already has ``true_weight``.
    components, target : optional
        Passed to ``satisfaction_drivers`` when ``data`` is a surveys table.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.bar` for the estimated bars.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> w = crmkit.make_world(500, random_state=0)
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = plot_satisfaction_drivers(w.surveys, truth=w.truth, ax=ax)
    >>> len(ax.patches)
    8
    >>> plt.close(fig)
    """
    if isinstance(data, pd.DataFrame) and {"component", "weight", "std_error"} <= set(data.columns):
        table = data
        if truth is not None and "true_weight" not in table.columns:
            table = table.assign(
                true_weight=true_component_weights(
                    truth, list(table["component"]), "plot_satisfaction_drivers"
                )
            )
    else:
        table = satisfaction_drivers(data, components=components, target=target, truth=truth)
    ax = plt.gca() if ax is None else ax
    x = np.arange(len(table))
    has_truth = "true_weight" in table.columns
    width = 0.38 if has_truth else 0.6
    names = concepts.labels(concepts.SATISFACTION_COMPONENTS)
    kwargs.setdefault("color", OKABE_ITO["blue"])
    ax.bar(
        x - (width / 2 if has_truth else 0),
        table["weight"],
        width,
        yerr=1.96 * table["std_error"],
        capsize=4,
        error_kw={"elinewidth": 1.2, "ecolor": "black"},
        label="Estimated from the surveys (bar: 95% interval)",
        **kwargs,
    )
    if has_truth:
        ax.bar(
            x + width / 2,
            table["true_weight"],
            width,
            color=OKABE_ITO["orange"],
            label="True weight used by the generator",
        )
    ax.set_xticks(x, [names.get(c, c) for c in table["component"]])
    ax.axhline(0, color="black", linewidth=0.8)
    ax.grid(axis="y", alpha=0.3)
    ax.grid(axis="x", visible=False)  # a theme's vertical lines would cut through the bars
    ax.set_axisbelow(True)
    ax.legend(frameon=False)
    r2 = table.attrs.get("r_squared")
    subtitle = f" (R² = {r2:.2f})" if r2 is not None else ""
    return finish(
        ax,
        f"What drives overall satisfaction?{subtitle}",
        "Satisfaction component (source 000)",
        "Weight: points of overall satisfaction\nper point of the component",
    )


# --------------------------------------------------------------------------- what-if weights
class WhatIfWeightsChart:
    """Estimated weights (bars with 95% intervals), true weights and yours, on one Axes.

    Built once, then updated by :meth:`draw` (bars, intervals and dashes move;
    limits and title are set every time), so that a live widget does not pay
    again for the Axes, tick labels and legend; the picture depends only on
    the values drawn. :func:`plot_what_if_weights` draws it once.
    """

    def __init__(self, ax, true=None):
        names = concepts.labels(concepts.SATISFACTION_COMPONENTS)
        self.ax, self.true = ax, None if true is None else np.asarray(true, dtype=float)
        k = len(COMPONENTS)
        x = np.arange(k)
        width = 0.6 if true is None else 0.38
        self.est = ax.bar(
            x - (0 if true is None else width / 2),
            np.zeros(k),
            width,
            yerr=np.zeros(k),
            capsize=4,
            error_kw={"elinewidth": 1.2, "ecolor": "black"},
            color=OKABE_ITO["blue"],
        )
        _, self.caps, (self.intervals,) = self.est.errorbar.lines
        handles = [self.est]
        labels = ["Estimated (bar: 95% interval)"]
        if true is not None:
            handles.append(ax.bar(x + width / 2, self.true, width, color=OKABE_ITO["orange"]))
            labels.append("True (generator)")
        (self.mine,) = ax.plot(
            x,
            np.zeros(k),
            linestyle="",
            marker="_",
            markersize=30,
            markeredgewidth=3,
            color="black",
            zorder=4,
        )
        handles.append(Line2D([], [], color="black", linewidth=3))
        labels.append("Your what-if (sum = 1)")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xticks(x, [names.get(c, c) for c in COMPONENTS])
        half = width if true is not None else width / 2  # bars reach this far from x
        span = k - 1 + 2 * half
        ax.set_xlim(-half - 0.05 * span, k - 1 + half + 0.05 * span)  # as autoscaled bars
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
        ax.legend(handles, labels, frameon=False, fontsize="small", loc="upper right")
        ax.set_xlabel("Satisfaction component (source 000)")
        ax.set_ylabel("Weight: points of overall satisfaction\nper point of the component")

    def draw(self, fit, mine, title="Weights of the components"):
        """Show ``fit`` (from `driver_fit`) and ``mine`` (from `what_if_weights`)."""
        w, se = fit["weights"], fit["std_errors"]
        x = np.arange(len(w))
        for bar, h in zip(self.est, w, strict=True):
            bar.set_height(h)
        xe = np.array([bar.get_x() + bar.get_width() / 2 for bar in self.est])
        lo, hi = w - 1.96 * se, w + 1.96 * se
        self.intervals.set_segments([[(a, b), (a, c)] for a, b, c in zip(xe, lo, hi, strict=True)])
        self.caps[0].set_data(xe, lo)
        self.caps[1].set_data(xe, hi)
        self.mine.set_data(x, mine["weights"])
        top = max(
            np.nanmax(w + 2 * se),
            mine["weights"].max(),
            np.nanmax(self.true) if self.true is not None else 0,
        )
        self.ax.set_ylim(min(0, np.nanmin(w) - 0.05), top * 1.55)
        self.ax.set_title(title, fontsize="medium", y=1.0)
        return self.ax


class PredictionSpreadChart:
    """Predicted against actual overall answers for two sets of weights, on one Axes.

    For each actual answer (1-7): the median and middle half of the scores
    predicted by the estimated weights and by yours (:func:`spread_by_answer`),
    with the prediction errors in the legend. Built once, updated by
    :meth:`draw`; :func:`plot_prediction_spread` draws it once.
    """

    _DX = {"fit": -0.12, "mine": 0.12}

    def __init__(self, ax):
        self.ax = ax
        self.spread, self.median = {}, {}
        for key, colour, marker in (
            ("fit", OKABE_ITO["blue"], "o"),
            ("mine", "black", "s"),
        ):
            self.spread[key] = ax.vlines([], [], [], color=colour, linewidth=2.5, alpha=0.8)
            (self.median[key],) = ax.plot(
                [],
                [],
                marker=marker,
                color=colour,
                linestyle="-",
                linewidth=1,
                markersize=5,
                label=" ",
            )
        ax.plot(
            [1, 7], [1, 7], color="grey", linestyle="--", linewidth=1, label="Perfect prediction"
        )
        ax.set_xlim(0.5, 7.5)
        ax.set_ylim(0.5, 7.5)
        ax.set_xticks(np.arange(1, 8))
        ax.set_yticks(np.arange(1, 8, 2))
        self.legend = ax.legend(frameon=False, fontsize="small", loc="upper left")
        ax.grid(alpha=0.3)
        ax.set_title("Predicted vs actual overall score", y=1.0)
        ax.set_xlabel("Actual overall answer (1-7)")
        ax.set_ylabel("Predicted score (1-7): median\nand middle half of the answers")

    def draw(self, fit, mine, actual):
        """Show the predictions of ``fit`` and ``mine`` against the ``actual`` answers."""
        texts = self.legend.get_texts()
        for i, (key, pred, name) in enumerate(
            (
                ("fit", fit["predicted"], f"Estimated weights: error {fit['rmse']:.2f}"),
                ("mine", mine["predicted"], f"Your weights: error {mine['rmse']:.2f}"),
            )
        ):
            lv, q1, mid, q3 = spread_by_answer(pred, actual)
            xs = lv + self._DX[key]
            self.spread[key].set_segments(
                [[(a, b), (a, c)] for a, b, c in zip(xs, q1, q3, strict=True)]
            )
            self.median[key].set_data(xs, mid)
            texts[i].set_text(name)
        return self.ax


def plot_what_if_weights(fit, mine, *, true=None, title="Weights of the components", ax=None):
    """Estimated weights of the satisfaction components beside the true ones and yours.

    Parameters
    ----------
    fit : dict
        The result of :func:`crmkit.metrics.satisfaction.driver_fit` (bars with
        their 95% intervals).
    mine : dict
        The result of :func:`crmkit.metrics.satisfaction.what_if_weights`
        (black dashes).
    true : array-like of 4 numbers, optional
        The true weights (orange bars), e.g. from ``world.truth["component_weights"]``.
    title : str, default="Weights of the components"
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> from crmkit.metrics.satisfaction import COMPONENTS, driver_fit, what_if_weights
    >>> w = crmkit.make_world(500, random_state=0)
    >>> s = w.surveys.dropna(subset=[*COMPONENTS, "overall"])
    >>> mine = what_if_weights(s[list(COMPONENTS)].to_numpy(float), s["overall"], [1, 1, 1, 1])
    >>> ax = plot_what_if_weights(driver_fit(s), mine)
    >>> ax.get_xlabel()
    'Satisfaction component (source 000)'
    """
    ax = plt.gca() if ax is None else ax
    return WhatIfWeightsChart(ax, true).draw(fit, mine, title)


def plot_prediction_spread(fit, mine, actual, *, ax=None):
    """Predicted against actual overall answers: estimated weights and yours.

    Parameters
    ----------
    fit, mine : dict
        The results of :func:`crmkit.metrics.satisfaction.driver_fit` and
        :func:`crmkit.metrics.satisfaction.what_if_weights` on the same answers.
    actual : array-like
        The actual overall answers (1-7), in the same order.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> from crmkit.metrics.satisfaction import COMPONENTS, driver_fit, what_if_weights
    >>> w = crmkit.make_world(500, random_state=0)
    >>> s = w.surveys.dropna(subset=[*COMPONENTS, "overall"])
    >>> y = s["overall"].to_numpy(float)
    >>> mine = what_if_weights(s[list(COMPONENTS)].to_numpy(float), y, [1, 1, 1, 1])
    >>> ax = plot_prediction_spread(driver_fit(s), mine, y)
    >>> ax.get_title()
    'Predicted vs actual overall score'
    """
    ax = plt.gca() if ax is None else ax
    return PredictionSpreadChart(ax).draw(fit, mine, np.asarray(actual, dtype=float))


_SPOTS = [  # (dx, dy) in points from the point, and the text's alignment there
    (6, 4, "left", "bottom"),
    (6, -4, "left", "top"),
    (-6, 4, "right", "bottom"),
    (-6, -4, "right", "top"),
    (0, 9, "center", "bottom"),
    (0, -9, "center", "top"),
    (6, 16, "left", "bottom"),
    (6, -16, "left", "top"),
    (-6, 16, "right", "bottom"),
    (-6, -16, "right", "top"),
]
# What a spot costs before anything is in its way, as a share of the label's area: a
# label far from its point is read as another point's, so a near spot that a neighbour
# grazes beats a far one that is free.
_SPOT_PENALTY = (0.0, 0.0, 0.0, 0.0, 0.05, 0.05, 0.15, 0.15, 0.15, 0.15)


@functools.lru_cache(maxsize=512)
def _text_points(text, size, style="normal"):
    """Width and height (points) of a text at a font size, lines 1.2 apart; measured once.

    Measured from the font, whatever the backend: no renderer is needed (asking
    an Agg canvas for one at the screen dpi would throw away the one that the
    next save at another dpi made, and with it its cache of text sizes).
    """
    fp = FontProperties(size=size, style=style)
    ttp = TextToPath()
    lines = str(text).split("\n")
    width = max(ttp.get_text_width_height_descent(t, fp, ismath=False)[0] for t in lines)
    line = ttp.get_text_width_height_descent("lp", fp, ismath=False)[1]
    return width, line * (1 + 1.2 * (len(lines) - 1))


def label_points(ax, xs, ys, labels, *, fontsize=9, avoid=()):
    """Write a label beside each point, choosing among a few positions the least crowded one.

    A position is crowded where it comes within 10 points of another point
    (a label nearer a neighbour than its own point is read as the neighbour's),
    covers an earlier label or a box of ``avoid`` (display coordinates, e.g.
    other texts' window extents), or sticks out of the Axes; the positions
    farther from the point also cost a little, so a near position that a
    neighbour barely grazes wins over a distant free one. Text sizes are
    measured from the font once and the label's box moved to every candidate
    position; only the chosen one is drawn. Distances are in points, so the
    choice is the same at any dpi.
    """
    ax.autoscale_view()
    xy = np.column_stack([np.asarray(xs, float), np.asarray(ys, float)])
    pixels = ax.transData.transform(xy)
    per_point = ax.figure.dpi / 72.0
    clear, pad = 10 * per_point, 0.5 * per_point  # marker radius (s=90) is about 5 points
    points = [Bbox.from_extents(x - clear, y - clear, x + clear, y + clear) for x, y in pixels]
    taken = list(avoid)
    frame = ax.bbox
    for i, ((x, y), (px, py), label) in enumerate(zip(xy, pixels, labels, strict=True)):
        near = points[:i] + points[i + 1 :]
        w, h = (v * per_point for v in _text_points(str(label), fontsize))
        best = None
        for (dx, dy, ha, va), penalty in zip(_SPOTS, _SPOT_PENALTY, strict=True):
            left = px + dx * per_point - {"left": 0.0, "center": w / 2, "right": w}[ha]
            bottom = py + dy * per_point - (h if va == "top" else 0.0)
            box = Bbox.from_extents(left - pad, bottom - pad, left + w + pad, bottom + h + pad)
            outside = box.width * box.height - _overlap(box, frame)
            # sticking out of the Axes is worst: the text would be cut or run into a label
            cost = sum(_overlap(box, t) for t in (*near, *taken)) + 20 * outside
            cost += penalty * w * h
            if best is None or cost < best[0]:
                best = (cost, dx, dy, ha, va, box)
            if cost == 0:
                break
        _, dx, dy, ha, va, box = best
        ax.annotate(
            label,
            (x, y),
            xytext=(dx, dy),
            textcoords="offset points",
            fontsize=fontsize,
            ha=ha,
            va=va,
        )
        taken.append(box)
    return ax


def _overlap(a, b):
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(w, 0) * max(h, 0)


_INTERNAL_LABEL = {
    "complaint_share": ("Complaints per 100 contacts", 100.0, True),
    "share_resolved": ("Requests resolved (%)", 100.0, False),
    "median_resolution_hours": ("Median hours to resolve a request", 1.0, True),
}


def plot_touchpoint_satisfaction(
    data, interactions=None, *, internal="complaint_share", ax=None, **kwargs
):
    """Perceived satisfaction against an internal indicator, one point per touchpoint.

    Source 003: the survey measures perception, which can differ from the
    company's own indicators. The x axis is oriented so that *better inside*
    is to the right, and up is *better perceived*: a touchpoint at the
    bottom right looks fine inside but is disliked by customers.

    Parameters
    ----------
    data : DataFrame
        The output of
        :func:`crmkit.metrics.satisfaction.touchpoint_satisfaction`, or a
        surveys table (then pass ``interactions`` too).
    interactions : DataFrame, optional
        Needed when ``data`` is a surveys table.
    internal : {"complaint_share", "share_resolved", "median_resolution_hours"}
        The internal indicator on the x axis.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.scatter` (e.g. ``s``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> w = crmkit.make_world(500, random_state=0)
    >>> ax = plot_touchpoint_satisfaction(w.surveys, w.interactions)
    >>> ax.get_ylabel()
    'Mean overall satisfaction (1-7)'
    """
    func = "plot_touchpoint_satisfaction"
    if internal not in _INTERNAL_LABEL:
        raise ValueError(
            f"{func}: `internal` must be one of {', '.join(map(repr, _INTERNAL_LABEL))}; "
            f"got {internal!r}."
        )
    if isinstance(data, pd.DataFrame) and {"touchpoint", "overall", internal, "office"} <= set(
        data.columns
    ):
        table = data
    elif interactions is None:
        raise TypeError(
            f"{func}: pass the table from touchpoint_satisfaction, or the surveys and the "
            "interactions: plot_touchpoint_satisfaction(world.surveys, world.interactions)."
        )
    else:
        table = touchpoint_satisfaction(data, interactions, internal=internal)
    shown = table[table["overall"].notna() & table[internal].notna()]
    if shown.empty:
        raise ValueError(f"{func}: no touchpoint has both survey answers and {internal!r}.")
    ax = plt.gca() if ax is None else ax
    draw_touchpoints(ax, shown, internal, **kwargs)
    ax.legend(frameon=False, loc="upper left", title="Dotted lines: averages")
    return ax


def _widened(lo, hi):
    """``lo, hi`` as limits; a single value widened by 5% (or 1), as autoscaling would."""
    if hi - lo <= 1e-12 * max(abs(lo), abs(hi), 1.0):
        pad = 0.05 * abs(lo) if lo else 1.0
        return lo - pad, hi + pad
    return lo, hi


def draw_touchpoints(ax, shown, internal, **kwargs):
    """Points, labels, averages and hints of :func:`plot_touchpoint_satisfaction`; no legend.

    Sets the limits, their direction, title and axis labels explicitly, so that
    a live widget can draw again on the same Axes (emptied) with another
    indicator.
    """
    label, scale, lower_is_better = _INTERNAL_LABEL[internal]
    kwargs.setdefault("s", 90)
    kwargs.setdefault("edgecolor", "black")
    kwargs.setdefault("linewidth", 0.6)
    offices = concepts.labels(concepts.OFFICES)
    xs = shown[internal].to_numpy(dtype=float) * scale
    ys = shown["overall"].to_numpy(dtype=float)
    for office in ("front", "back"):
        part = (shown["office"] == office).to_numpy()
        if not part.any():
            continue
        ax.scatter(
            xs[part],
            ys[part],
            color=OFFICE_COLOURS[office],
            marker=OFFICE_MARKERS[office],
            label=offices[office],
            zorder=3,
            **kwargs,
        )
    # limits set here, not autoscaled: the same whatever the Axes showed before. Room
    # below the lowest point for the two hints in the bottom corners.
    x0, x1 = _widened(xs.min(), xs.max())
    y0, y1 = _widened(ys.min(), ys.max())
    x0, x1 = x0 - 0.2 * (x1 - x0), x1 + 0.2 * (x1 - x0)
    ax.set_xlim((x1, x0) if lower_is_better else (x0, x1))  # better inside: to the right
    ax.set_ylim(y0 - 0.4 * (y1 - y0), y1 + 0.25 * (y1 - y0))  # room for a label above the top point
    hint = {"fontsize": 8, "color": "dimgrey", "style": "italic", "transform": ax.transAxes}
    frame, per_point = ax.bbox, ax.figure.dpi / 72.0
    avoid = []  # the hints' boxes in display coordinates: labels keep off them
    for x, ha, text in (
        (0.98, "right", "fine inside,\nperceived badly"),
        (0.02, "left", "weak inside,\nperceived badly"),
    ):
        ax.text(x, 0.02, text, ha=ha, va="bottom", **hint)
        w, h = (v * per_point for v in _text_points(text, 8, "italic"))
        left = frame.x0 + x * frame.width - (w if ha == "right" else 0.0)
        avoid.append(Bbox.from_bounds(left, frame.y0 + 0.02 * frame.height, w, h))
    label_points(ax, xs, ys, shown["name"], avoid=avoid)
    ax.axhline(ys.mean(), color="grey", linestyle=":", linewidth=1)
    ax.axvline(xs.mean(), color="grey", linestyle=":", linewidth=1)
    ax.grid(True, alpha=0.3)
    ax.set_axisbelow(True)
    arrow = " (axis reversed: better →)" if lower_is_better else " (better →)"
    return finish(
        ax,
        "Perception vs internal indicator, by touchpoint",
        f"{label}{arrow}",
        "Mean overall satisfaction (1-7)",
    )
