"""Figures of a termination what-if (source 002): a segment before and after a method.

:func:`plot_what_if_customers` draws the customers of the segment before and
after, :func:`plot_what_if_money` its revenue, costs and profit;
:func:`draw_what_if` puts both side by side on a figure. They draw the table of
:func:`crmkit.metrics.termination.termination_what_if`.

For a live widget, :func:`update_what_if_customers` and
:func:`update_what_if_money` redraw in place: the bars and labels an earlier
call drew on the Axes take the values of a new table (creating the bars, their
labels and the legend again was most of a redraw's cost).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np

from crmkit._checks import check_metric_table
from crmkit.plots.style import OKABE_ITO

__all__ = [
    "MONEY_LABELS",
    "draw_what_if",
    "plot_what_if_customers",
    "plot_what_if_money",
    "update_what_if_customers",
    "update_what_if_money",
    "what_if_grid",
]

#: The money measures of a what-if table, in the order drawn, and their labels.
MONEY_LABELS = {
    "revenue": "Revenue",
    "cost_of_goods": "Cost of goods",
    "cost_to_serve": "Cost to serve",
    "profit": "Profit",
}
_BEFORE, _AFTER = OKABE_ITO["sky_blue"], OKABE_ITO["orange"]
_W = 0.38  # width of a money bar
_WHAT = "termination_what_if(...)"


def _rows(table, func):
    check_metric_table(table, func, _WHAT, ("measure", "before", "after"))
    return table.set_index("measure")


def _customers(table, func):
    """Customers before and after (floats)."""
    return _rows(table, func).loc["customers", ["before", "after"]].to_numpy(dtype=float)


def _money(table, func):
    """The money measures before and after (float arrays, in MONEY_LABELS order)."""
    row = _rows(table, func)
    measures = list(MONEY_LABELS)
    return (
        row.loc[measures, "before"].to_numpy(dtype=float),
        row.loc[measures, "after"].to_numpy(dtype=float),
    )


def _change(before, after):
    return f"{(after - before) / abs(before):+.0%}" if before else "n/a"


def _money_ylim(before, after):
    top = max(np.abs(np.concatenate([before, after])).max(), 1.0)
    low = min(before.min(), after.min(), 0)
    return (low * 1.2 if low < 0 else 0, top * 1.15)


def _value_label(ax, x, y, text, size):
    return ax.annotate(
        text,
        (x, y),
        xytext=(0, 2),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=size,
    )


def _finish(ax):
    ax.grid(False)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=9)


def plot_what_if_customers(table, *, ax=None):
    """Customers of the segment before and after the method: two bars with their counts.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`crmkit.metrics.termination.termination_what_if`
        (its ``customers`` row).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> t = pd.DataFrame({"measure": ["customers", "revenue", "cost_of_goods",
    ...                               "cost_to_serve", "profit"],
    ...                   "before": [10.0, 100.0, 50.0, 60.0, -10.0],
    ...                   "after": [8.0, 88.0, 40.0, 48.0, 0.0]})
    >>> ax = plot_what_if_customers(t)
    >>> [t.get_text() for t in ax.texts]
    ['10', '8']
    """
    n = _customers(table, "plot_what_if_customers")
    ax = plt.gca() if ax is None else ax
    ax.bar([0, 1], n, color=[_BEFORE, _AFTER], edgecolor="black", linewidth=0.5)
    for i, v in enumerate(n):
        _value_label(ax, i, v, f"{v:,.0f}", 9)
    ax.set_xticks([0, 1], ["before", "after"])
    ax.set_xlim(-0.49, 1.49)  # bars of width 0.8 with 5% margins, as autoscaled
    ax.set_ylim(0, max(n.max(), 1) * 1.18)
    ax.set_title("Customers in the segment", fontsize=10, y=1.0)
    ax.set_ylabel("customers (expected count)")
    _finish(ax)
    return ax


def plot_what_if_money(table, *, ax=None):
    """Revenue, costs and profit before and after; above each pair, the relative change.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`crmkit.metrics.termination.termination_what_if`
        (its rows ``revenue``, ``cost_of_goods``, ``cost_to_serve``, ``profit``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: the current Axes.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> t = pd.DataFrame({"measure": ["customers", "revenue", "cost_of_goods",
    ...                               "cost_to_serve", "profit"],
    ...                   "before": [10.0, 100.0, 50.0, 60.0, -10.0],
    ...                   "after": [8.0, 88.0, 40.0, 48.0, 0.0]})
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = plot_what_if_money(t, ax=ax)
    >>> [t.get_text() for t in ax.texts]
    ['-12%', '-20%', '-20%', '+100%']
    """
    before, after = _money(table, "plot_what_if_money")
    ax = plt.gca() if ax is None else ax
    x = np.arange(len(MONEY_LABELS))
    kw = {"edgecolor": "black", "linewidth": 0.5}
    ax.bar(x - _W / 2, before, _W, color=_BEFORE, label="before", **kw)
    ax.bar(x + _W / 2, after, _W, color=_AFTER, label="after", **kw)
    for i, (b, a) in enumerate(zip(before, after, strict=True)):
        _value_label(ax, i + _W / 2, max(a, 0), _change(b, a), 8)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x, list(MONEY_LABELS.values()))
    margin = 0.05 * (len(x) - 1 + 2 * _W)  # 5% of the bars' span, as autoscaled
    ax.set_xlim(-_W - margin, len(x) - 1 + _W + margin)
    ax.set_ylim(*_money_ylim(before, after))
    ax.set_ylabel("currency units, two years")
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_title("Money (labels: change after vs before)", fontsize=10, y=1.0)
    ax.legend(frameon=False, loc="upper right", fontsize=9)
    _finish(ax)
    return ax


def update_what_if_customers(table, ax):
    """Redraw :func:`plot_what_if_customers` on ``ax`` in place, with the values of ``table``.

    ``ax`` must hold what an earlier :func:`plot_what_if_customers` drew (its
    bars and labels take the new values, the limits follow). Returns ``ax``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> t = pd.DataFrame({"measure": ["customers", "revenue", "cost_of_goods",
    ...                               "cost_to_serve", "profit"],
    ...                   "before": [10.0, 100.0, 50.0, 60.0, -10.0],
    ...                   "after": [8.0, 88.0, 40.0, 48.0, 0.0]})
    >>> fig, ax = plt.subplots()
    >>> ax = plot_what_if_customers(t, ax=ax)
    >>> ax = update_what_if_customers(t.assign(after=[5.0, 0, 0, 0, 0]), ax)
    >>> [t.get_text() for t in ax.texts]
    ['10', '5']
    """
    n = _customers(table, "update_what_if_customers")
    for i, (bar, label, v) in enumerate(zip(ax.containers[0], ax.texts, n, strict=True)):
        bar.set_height(v)
        label.xy = (i, v)
        label.set_text(f"{v:,.0f}")
    ax.set_ylim(0, max(n.max(), 1) * 1.18)
    return ax


def update_what_if_money(table, ax):
    """Redraw :func:`plot_what_if_money` on ``ax`` in place, with the values of ``table``.

    ``ax`` must hold what an earlier :func:`plot_what_if_money` drew. Returns ``ax``.
    """
    before, after = _money(table, "update_what_if_money")
    bars_b, bars_a = ax.containers[0], ax.containers[1]
    for i, (b, a, label) in enumerate(zip(before, after, ax.texts, strict=True)):
        bars_b[i].set_height(b)
        bars_a[i].set_height(a)
        label.xy = (i + _W / 2, max(a, 0))
        label.set_text(_change(b, a))
    ax.set_ylim(*_money_ylim(before, after))
    return ax


def what_if_grid(fig, *, title=True) -> dict:
    """Gridspec keywords of the two what-if panels on ``fig`` (fixed margins, in inches).

    Switches the figure's layout engine off (fixed margins draw faster);
    ``title``: leave room for a figure title.
    """
    w, h = fig.get_size_inches()
    fig.set_layout_engine(None)
    top = 0.6 if title else 0.35
    return {
        "left": 0.75 / w,
        "right": 1 - 0.15 / w,
        "bottom": 0.45 / h,
        "top": 1 - top / h,
        "wspace": 0.35,
        "width_ratios": [1, 3.2],
    }


def draw_what_if(fig, table, *, title: str = ""):
    """Draw a what-if table on ``fig``: customers (left) and money (right), before and after.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Figure to draw on (two Axes are added).
    table : DataFrame
        The output of :func:`crmkit.metrics.termination.termination_what_if`.
    title : str, default=""
        Figure title.

    Returns
    -------
    tuple of matplotlib.axes.Axes
        The customers Axes and the money Axes.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> t = pd.DataFrame({"measure": ["customers", "revenue", "cost_of_goods",
    ...                               "cost_to_serve", "profit"],
    ...                   "before": [10.0, 100.0, 50.0, 60.0, -10.0],
    ...                   "after": [8.0, 88.0, 40.0, 48.0, 0.0]})
    >>> ax_n, ax_m = draw_what_if(Figure(figsize=(9, 4)), t, title="Raise the price")
    >>> ax_n.get_title(), ax_m.get_ylabel()
    ('Customers in the segment', 'currency units, two years')
    """
    ax_n, ax_m = fig.subplots(1, 2, gridspec_kw=what_if_grid(fig, title=bool(title)))
    plot_what_if_customers(table, ax=ax_n)
    plot_what_if_money(table, ax=ax_m)
    fig.suptitle(title, fontsize=11)
    return ax_n, ax_m
