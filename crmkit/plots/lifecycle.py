"""Figures of the lifecycle: the transition heat map, the stage mix over time, a scenario.

Each function takes the table returned by a function of
`crmkit.metrics.lifecycle`, draws on ``ax`` (or the current Axes) and returns
it; nothing is shown and no global style is changed.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import MaxNLocator, PercentFormatter, StrMethodFormatter

from crmkit import concepts
from crmkit._checks import check_metric_table, check_transition_matrix
from crmkit.plots.style import finish, sequential_cmap, stage_palette

__all__ = ["plot_transition_heatmap", "plot_stage_mix", "plot_scenario_mix"]

STAGES = concepts.keys(concepts.LIFECYCLE_STAGES)
NAMES = concepts.labels(concepts.LIFECYCLE_STAGES)


def _square(matrix, func, arg):
    """The matrix as a DataFrame in the stages' order (rows of NaN allowed: not estimated)."""
    P = check_transition_matrix(matrix, func, arg, allow_missing=True)
    return pd.DataFrame(P, index=list(STAGES), columns=list(STAGES))


def _cell(est, true, with_truth):
    """Text of one cell: blank for a move that never happens (and is not supposed to)."""
    if not np.isfinite(est):
        return "–"
    if round(est) == 0 and (not with_truth or round(true) == 0):
        return ""
    return f"{est:.0f}%\n(true {true:.0f}%)" if with_truth else f"{est:.0f}%"


def plot_transition_heatmap(data, *, true=None, ax=None, **kwargs):
    """Heat map of monthly stage-to-stage moves, optionally with the true probabilities.

    Parameters
    ----------
    data : pandas.DataFrame
        A 5 x 5 transition matrix (shares), e.g. the result of
        `crmkit.metrics.lifecycle.transition_matrix`.
    true : pandas.DataFrame, optional
        The matrix the data were generated from
        (``world.truth["transition_matrix"]``); each cell then also shows the
        true value in brackets, so the two can be compared cell by cell. Cells
        that round to 0% (in both) are left blank, to keep the moves that do
        happen readable.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: the current Axes).
    **kwargs
        Passed to `seaborn.heatmap`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> from crmkit.metrics.lifecycle import transition_matrix
    >>> from crmkit.plots.lifecycle import plot_transition_heatmap
    >>> w = crmkit.make_world(300, random_state=0)
    >>> ax = plot_transition_heatmap(transition_matrix(w.stage_history),
    ...                              true=w.truth["transition_matrix"])
    >>> ax.get_ylabel()
    'Stage at the end of a month'
    """
    func = "plot_transition_heatmap"
    est = _square(data, func, "data") * 100
    ax = plt.gca() if ax is None else ax
    truth = _square(true, func, "true") * 100 if true is not None else est * np.nan
    text = np.array(
        [
            [_cell(e, t, true is not None) for e, t in zip(er, tr, strict=True)]
            for er, tr in zip(est.to_numpy(), truth.to_numpy(), strict=True)
        ]
    )
    shown = est.copy()
    shown.index = [NAMES[k] for k in STAGES]
    shown.columns = [NAMES[k] for k in STAGES]
    opts = dict(
        cmap=sequential_cmap(),
        vmin=0,
        vmax=100,
        annot=text,
        fmt="",
        annot_kws={"fontsize": "small"},
        linewidths=0.5,
        linecolor="white",
        square=True,
        cbar_kws={"label": "Probability of the move (%)"},
    )
    opts.update(kwargs)
    sns.heatmap(shown, ax=ax, **opts)
    ax.tick_params(axis="y", rotation=0)
    ax.tick_params(axis="x", rotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
    title = "Monthly moves between lifecycle stages"
    if true is not None:
        title += "\nestimated (true value in brackets)"
    return finish(ax, title, "Stage at the end of the next month", "Stage at the end of a month")


def plot_stage_mix(data, *, share=False, ax=None, legend=True, **kwargs):
    """Stacked areas of the number (or share) of customers in each stage over time.

    Parameters
    ----------
    data : pandas.DataFrame
        The result of `crmkit.metrics.lifecycle.simulate_lifecycle` (index
        ``month``, one column per stage); any table with the stage columns and
        a time index works, e.g. ``stage_at(...).apply(pd.Series.value_counts).T``.
    share : bool, default=False
        Show shares of all customers (%) instead of numbers.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: the current Axes).
    legend : bool, default=True
        Add the legend of the stages (right of the Axes, first stage at the
        bottom as in the stack). ``False`` leaves it to the caller, who can
        combine the stages with other entries (``ax.get_legend_handles_labels()``).
    **kwargs
        Passed to `matplotlib.axes.Axes.stackplot` (e.g. ``alpha``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> from crmkit.metrics.lifecycle import simulate_lifecycle
    >>> from crmkit.plots.lifecycle import plot_stage_mix
    >>> w = crmkit.make_world(300, random_state=0)
    >>> ax = plot_stage_mix(simulate_lifecycle(w.truth["transition_matrix"], new_per_month=50))
    >>> ax.get_xlabel()
    'Months from the start'
    """
    func = "plot_stage_mix"
    check_metric_table(data, func, "simulate_lifecycle(...)", STAGES)
    ax = plt.gca() if ax is None else ax
    values = data[list(STAGES)].astype(float)
    if share:
        total = values.sum(axis=1).replace(0, np.nan)
        values = values.div(total, axis=0).fillna(0) * 100
    colours = stage_palette()
    opts = dict(
        colors=[colours[k] for k in STAGES],
        labels=[NAMES[k] for k in STAGES],
        alpha=0.9,
        linewidth=0,
    )
    opts.update(kwargs)
    x = data.index
    ax.stackplot(x, *[values[k].to_numpy() for k in STAGES], **opts)
    ax.set_xlim(x.min(), x.max())
    if share:
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_formatter(PercentFormatter(100))
    else:
        ax.set_ylim(0, None)
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    if not isinstance(x, pd.DatetimeIndex):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if legend:
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(
            handles[::-1],
            labels[::-1],
            title="Stage",
            frameon=False,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
        )
    xlabel = "Months from the start" if not isinstance(x, pd.DatetimeIndex) else "Date"
    ylabel = "Share of customers (%)" if share else "Customers (expected number)"
    return finish(ax, "Customers in each lifecycle stage over time", xlabel, ylabel)


#: Label of the reference line of :func:`plot_scenario_mix`.
REFERENCE_LABEL = "In a relationship,\nat the estimated rates"
#: Title of the legend of :func:`plot_scenario_mix`.
SCENARIO_LEGEND_TITLE = "Stage (your scenario)"


def plot_scenario_mix(data, reference, *, title=None, ax=None):
    """The stage mix of a what-if scenario, with the customers in a relationship at the base rates.

    The stacked areas of :func:`plot_stage_mix` (the scenario), and a dashed
    line: the customers in a stage other than dissolution in ``reference``
    (the same start at the estimated rates), so that a change of the monthly
    moves is seen against it. The legend sits right of the Axes (leave room
    for it).

    Parameters
    ----------
    data, reference : pandas.DataFrame
        Results of `crmkit.metrics.lifecycle.simulate_lifecycle`: the scenario
        (e.g. under `crmkit.metrics.lifecycle.scenario_matrix`) and the
        reference (e.g. under `crmkit.metrics.lifecycle.base_matrix`).
    title : str, optional
        Title (default: that of :func:`plot_stage_mix`).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: the current Axes).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import crmkit
    >>> from crmkit.metrics.lifecycle import base_matrix, scenario_matrix, simulate_lifecycle
    >>> w = crmkit.make_world(300, random_state=0)
    >>> P = base_matrix(w)
    >>> mix = simulate_lifecycle(scenario_matrix(P, win_back=0.2))
    >>> ax = plot_scenario_mix(mix, simulate_lifecycle(P))
    >>> ax.get_legend().get_title().get_text()
    'Stage (your scenario)'
    """
    func = "plot_scenario_mix"
    check_metric_table(reference, func, "simulate_lifecycle(...)", STAGES)
    ax = plot_stage_mix(data, ax=ax, legend=False)
    active = reference[list(STAGES[:-1])].sum(axis=1)
    ax.plot(
        reference.index, active, color="black", linestyle="--", linewidth=1.5,
        label=REFERENCE_LABEL,
    )  # fmt: skip
    handles, labels = ax.get_legend_handles_labels()
    k = len(STAGES)
    ax.legend(
        handles[:k][::-1] + handles[k:],
        labels[:k][::-1] + labels[k:],
        title=SCENARIO_LEGEND_TITLE,
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize="small",
    )
    if title is not None:
        ax.set_title(title, fontsize="medium", y=1.0)  # a fixed place: no need to measure ticks
    return ax
