"""Explore the four satisfaction components: which ones drive the overall score?

Source 000 splits satisfaction into four components: product, peripheral,
atmosphere and psychological. Regressing the overall answer of a survey on the
four component answers estimates how much each one weighs
(`crmkit.metrics.satisfaction.driver_fit`); `what_if_weights` scores weights
of your own, `survey_filters` gives the subsets of answers, `spread_by_answer`
the predictions per actual answer (all in :mod:`crmkit.metrics.satisfaction`,
importable from here too). The charts are in :mod:`crmkit.plots.satisfaction`.
This module adds:

`satisfaction_explorer`
    the widget: a subset dropdown and four weight sliders -> estimated vs true
    weights (with your what-if weights) and predicted vs actual overall score;
`satisfaction_explorer_figure`
    its static twin.
"""

from __future__ import annotations

import html

import pandas as pd
from matplotlib.figure import Figure

from crmkit import concepts
from crmkit.metrics.satisfaction import (
    MIN_ANSWERS,
    csat,
    driver_fit,
    nps,
    spread_by_answer,
    survey_filters,
    what_if_weights,
)
from crmkit.plots.satisfaction import PredictionSpreadChart, WhatIfWeightsChart
from crmkit.widgets._core import dropdown, kept, line_inches, live_panel, padded_grid, slider

__all__ = [
    "survey_filters",
    "what_if_weights",
    "spread_by_answer",
    "satisfaction_explorer",
    "satisfaction_explorer_figure",
    "WIDGETS",
]

COMPONENTS = concepts.keys(concepts.SATISFACTION_COMPONENTS)


class _Explorer:
    def __init__(self, world, min_answers=MIN_ANSWERS):
        s = world.surveys
        if s is None or len(s) == 0:
            raise ValueError("satisfaction_explorer: the world has no survey answers.")
        keep = s[[*COMPONENTS, "overall", "nps"]].notna().all(axis=1).to_numpy()
        s = s[keep]
        self.answers = s[[*COMPONENTS, "overall"]]
        self.X = s[list(COMPONENTS)].to_numpy(dtype=float)
        self.y = s["overall"].to_numpy(dtype=float)
        self.nps = s["nps"].to_numpy(dtype=float)
        self.filters = survey_filters(s, world.customers, min_answers=min_answers)
        truth = getattr(world, "truth", None) or {}
        tw = truth.get("component_weights")
        self.true = None if tw is None else pd.Series(tw).reindex(list(COMPONENTS)).to_numpy()

    def render(self, fig, subset, **weights):
        label, mask = self.filters[subset]
        X, y = self.X[mask], self.y[mask]
        fit = driver_fit(self.answers[mask], components=COMPONENTS)
        raw = [weights[f"w_{c}"] for c in COMPONENTS]
        note = ""
        if sum(raw) == 0:
            raw = [1.0] * len(COMPONENTS)
            note = "<p><i>All four weights were 0; equal weights are shown instead.</i></p>"
        mine = what_if_weights(X, y, raw)
        left, right = _charts(fig, self.true)
        left.draw(fit, mine, f"Weights of the components{_subtitle(label, fit['n'])}")
        right.draw(fit, mine, y)
        return _summary(fit, mine, self.true, y, self.nps[mask], label) + note


def _charts(fig, true):
    """The explorer's two charts on ``fig``: made once (kept), then updated by each render."""
    store = kept(fig)
    if "weights" not in store or store["weights"].ax not in fig.axes:
        from matplotlib import rcParams

        tick = rcParams["ytick.labelsize"]
        left = 0.45 + line_inches("medium", 2) + 0.1
        bottom = line_inches(tick) + line_inches("medium") + 0.15
        grid = padded_grid(fig, left, 0.1, bottom, line_inches("large", 2), wspace=0.3)
        ax1, ax2 = fig.subplots(1, 2, width_ratios=[1.5, 1], gridspec_kw=grid)
        store["weights"] = WhatIfWeightsChart(ax1, true)
        store["spread"] = PredictionSpreadChart(ax2)
    return store["weights"], store["spread"]


def _subtitle(label, n):
    return f"\n{label} ({n:,} answers)"


def _summary(fit, mine, true, y, nps_values, label) -> str:
    names = concepts.labels(concepts.SATISFACTION_COMPONENTS)
    head = (
        "<tr><th>Component</th><th>Estimated</th>"
        + ("<th>True</th>" if true is not None else "")
        + "<th>Yours</th></tr>"
    )
    rows = []
    for j, c in enumerate(COMPONENTS):
        cells = [html.escape(names[c]), f"{fit['weights'][j]:.2f}"]
        if true is not None:
            cells.append(f"{true[j]:.2f}")
        cells.append(f"{mine['weights'][j]:.2f}")
        rows.append("<tr>" + "".join(f"<td>{v}</td>" for v in cells) + "</tr>")
    return (
        f"<p><b>{html.escape(label)}</b>: {fit['n']:,} answers · CSAT (overall 6-7) "
        f"{csat(y):.0%} · NPS {nps(nps_values):+.0f}</p>"
        f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p>Prediction error (RMSE, points on the 1-7 scale): estimated weights "
        f"{fit['rmse']:.2f} (R² {fit['r_squared']:.2f}), your weights {mine['rmse']:.2f} "
        f"(R² {mine['r_squared']:.2f}).</p>"
    )


def _controls(options, subset, weights):
    names = concepts.labels(concepts.SATISFACTION_COMPONENTS)
    controls = {"subset": dropdown("Survey answers", options, subset)}
    for c, w in zip(COMPONENTS, weights, strict=True):
        controls[f"w_{c}"] = slider(f"What-if weight: {names[c].lower()}", float(w), 0.0, 1.0, 0.05)
    return controls


def _check_weights(weights):
    if weights is None:
        return [0.25] * len(COMPONENTS)
    if isinstance(weights, dict):
        weights = [weights.get(c, 0.0) for c in COMPONENTS]
    weights = [float(w) for w in weights]
    if len(weights) != len(COMPONENTS) or any(not 0 <= w <= 1 for w in weights):
        raise ValueError(
            f"satisfaction_explorer: `weights` must be {len(COMPONENTS)} numbers in [0, 1] "
            f"(for {', '.join(COMPONENTS)}); got {weights}."
        )
    return weights


def satisfaction_explorer(world, *, subset="all", weights=None, min_answers=MIN_ANSWERS):
    """Widget: estimated vs true component weights, and a what-if with your own weights.

    Parameters
    ----------
    world : crmkit.World
    subset : str, default="all"
        The answers shown first: a key of `survey_filters` such as
        ``"touchpoint:billing"``.
    weights : dict or sequence of 4 numbers, optional
        Starting what-if weights (normalised when used); default equal (0.25).
    min_answers : int, default=30
        Smallest subset offered.

    Returns
    -------
    ipywidgets.VBox
        A live panel (see `crmkit.widgets.live_panel`).
    """
    state = _Explorer(world, min_answers)
    if subset not in state.filters:
        raise ValueError(
            f"satisfaction_explorer: `subset` must be one of "
            f"{', '.join(map(repr, state.filters))}; got {subset!r}."
        )
    options = [(label, key) for key, (label, _) in state.filters.items()]
    return live_panel(
        "Satisfaction explorer: which components drive the overall score?",
        _controls(options, subset, _check_weights(weights)),
        state.render,
        figsize=(10, 4.6),
        layout=None,
        clear=False,  # the Axes are built once and updated (see _Panel)
        note="Pick a subset of survey answers; move the sliders to try your own weights "
        "(they are rescaled to sum to 1) and see how well they predict the overall answer.",
    )


def satisfaction_explorer_figure(world, *, subset="all", weights=None):
    """Static twin of `satisfaction_explorer` (by default: all answers, equal weights).

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.summary_html`` (the widget's table).
    """
    state = _Explorer(world)
    w = _check_weights(weights)
    fig = Figure(figsize=(10, 4.6), layout="constrained")
    fig.summary_html = state.render(
        fig, subset, **{f"w_{c}": v for c, v in zip(COMPONENTS, w, strict=True)}
    )
    return fig


WIDGETS = {"satisfaction_explorer": satisfaction_explorer}
