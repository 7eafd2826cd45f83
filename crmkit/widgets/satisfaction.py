"""Explore the four satisfaction components: which ones drive the overall score?

Source 000 splits satisfaction into four components: product, peripheral,
atmosphere and psychological. Regressing the overall answer of a survey on the
four component answers estimates how much each one weighs
(`crmkit.metrics.satisfaction.satisfaction_drivers`). This module redraws that
estimate on every change:

`survey_filters`
    the subsets of answers the explorer offers (all, by survey method, by
    touchpoint rated, by the customer's relationship type), as boolean masks;
`what_if_weights`
    how well *your* weights (normalised to sum 1) predict the overall score;
`satisfaction_explorer`
    the widget: a subset dropdown and four weight sliders -> estimated vs true
    weights (with your what-if weights) and predicted vs actual overall score;
`satisfaction_explorer_figure`
    its static twin.
"""

from __future__ import annotations

import html
import weakref

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from crmkit import concepts
from crmkit.metrics.satisfaction import csat, nps, satisfaction_drivers
from crmkit.plots.style import OKABE_ITO
from crmkit.widgets._core import dropdown, line_inches, live_panel, padded_grid, slider

__all__ = [
    "survey_filters",
    "what_if_weights",
    "spread_by_answer",
    "satisfaction_explorer",
    "satisfaction_explorer_figure",
    "WIDGETS",
]

COMPONENTS = concepts.keys(concepts.SATISFACTION_COMPONENTS)
MIN_ANSWERS = 30


def survey_filters(surveys, customers=None, *, min_answers=MIN_ANSWERS) -> dict:
    """The subsets of survey answers the explorer offers, as boolean masks.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Survey answers (``method``, ``touchpoint``, ``customer_id``).
    customers : pandas.DataFrame, optional
        With ``relationship_type``, to offer one subset per type.
    min_answers : int, default=30
        Subsets with fewer answers are left out (too few to estimate four
        weights).

    Returns
    -------
    dict
        ``{key: (label, mask)}`` in display order; keys are ``"all"``,
        ``"method:<key>"``, ``"touchpoint:<key>"``, ``"relationship_type:<key>"``.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(500, random_state=0)
    >>> f = survey_filters(w.surveys, w.customers)
    >>> f["all"][0], bool(f["all"][1].all())
    ('All answers', True)
    """
    func = "survey_filters"
    if not isinstance(surveys, pd.DataFrame):
        raise TypeError(f"{func}: `surveys` must be a DataFrame such as world.surveys.")
    out = {"all": ("All answers", np.ones(len(surveys), dtype=bool))}
    columns = [
        ("method", "Survey method", concepts.SURVEY_METHODS, surveys.get("method")),
        ("touchpoint", "Touchpoint rated", concepts.TOUCHPOINTS, surveys.get("touchpoint")),
    ]
    if customers is not None and "relationship_type" in customers.columns:
        rtype = surveys["customer_id"].map(
            customers.set_index("customer_id")["relationship_type"].astype("string")
        )
        columns.append(
            ("relationship_type", "Relationship type", concepts.RELATIONSHIP_TYPES, rtype)
        )
    for col, title, taxonomy, values in columns:
        if values is None:
            continue
        values = pd.Series(values).astype("string").to_numpy(dtype=object, na_value=None)
        for key, name in concepts.labels(taxonomy).items():
            mask = values == key
            if mask.sum() >= min_answers:
                out[f"{col}:{key}"] = (f"{title}: {name}", mask)
    return out


def _fit(answers, X):
    """The explorer's OLS fit: :func:`satisfaction_drivers` plus the fitted scores."""
    drivers = satisfaction_drivers(answers, components=COMPONENTS)
    beta = np.r_[drivers.attrs["intercept"], drivers["weight"].to_numpy()]
    return {
        "weights": drivers["weight"].to_numpy(),
        "std_errors": drivers["std_error"].to_numpy(),
        "r_squared": drivers.attrs["r_squared"],
        "n": drivers.attrs["n"],
        "fitted": np.column_stack([np.ones(len(X)), X]) @ beta,
    }


def what_if_weights(X, y, weights):
    """How well the given component weights predict the overall answer.

    The weights are normalised to sum 1, so the prediction ``X @ w`` stays on
    the 1-7 scale (no intercept: a weighted mean of the component answers).

    Parameters
    ----------
    X : array of shape (n, 4)
    y : array of shape (n,)
    weights : sequence of 4 numbers >= 0, not all 0

    Returns
    -------
    dict
        ``weights`` (normalised), ``predicted`` (n), ``rmse`` and ``r_squared``
        (1 - squared error / variance of ``y``; can be below 0 for bad weights).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[4., 6], [5, 7], [6, 2]])
    >>> r = what_if_weights(X, X @ [0.75, 0.25], [3, 1])
    >>> r["weights"].tolist(), round(r["rmse"], 9)
    ([0.75, 0.25], 0.0)
    """
    w = np.asarray(weights, dtype=float)
    if w.shape != (np.asarray(X).shape[1],) or (w < 0).any() or not np.isfinite(w).all():
        raise ValueError(
            f"what_if_weights: `weights` must be {np.asarray(X).shape[1]} numbers >= 0; "
            f"got {list(weights)}."
        )
    if w.sum() == 0:
        raise ValueError("what_if_weights: at least one weight must be above 0.")
    w = w / w.sum()
    pred = np.asarray(X, dtype=float) @ w
    y = np.asarray(y, dtype=float)
    err = y - pred
    tss = float(((y - y.mean()) ** 2).sum())
    return {
        "weights": w,
        "predicted": pred,
        "rmse": float(np.sqrt(np.mean(err**2))),
        "r_squared": 1 - float(err @ err) / tss if tss > 0 else float("nan"),
    }


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
        self._panels = weakref.WeakKeyDictionary()  # figure -> its _Panel (Axes kept)

    def render(self, fig, subset, **weights):
        label, mask = self.filters[subset]
        X, y = self.X[mask], self.y[mask]
        fit = _fit(self.answers[mask], X)
        raw = [weights[f"w_{c}"] for c in COMPONENTS]
        note = ""
        if sum(raw) == 0:
            raw = [1.0] * len(COMPONENTS)
            note = "<p><i>All four weights were 0; equal weights are shown instead.</i></p>"
        mine = what_if_weights(X, y, raw)
        panel = self._panels.get(fig)
        if panel is None or panel.ax1 not in fig.axes:
            panel = self._panels[fig] = _Panel(fig, self.true)
        panel.draw(fit, mine, y, label)
        return _summary(fit, mine, self.true, y, self.nps[mask], label) + note


class _Panel:
    """The explorer's two Axes and their artists, built once per figure, then updated.

    Left: estimated weights (bars with 95% intervals) beside the true ones,
    with your what-if weights as black dashes. Right: for each actual overall
    answer, the median and middle half of the predictions of both sets of
    weights. A callback only moves bars, lines and limits and rewrites the
    title and legend numbers: building the Axes, tick labels and legends again
    was most of its cost. `draw` sets everything that depends on the data, so
    a picture depends only on the values passed.
    """

    _DX = {"fit": -0.12, "mine": 0.12}

    def __init__(self, fig, true):
        from matplotlib import rcParams

        names = concepts.labels(concepts.SATISFACTION_COMPONENTS)
        tick = rcParams["ytick.labelsize"]
        left = 0.45 + line_inches("medium", 2) + 0.1
        bottom = line_inches(tick) + line_inches("medium") + 0.15
        grid = padded_grid(fig, left, 0.1, bottom, line_inches("large", 2), wspace=0.3)
        self.ax1, self.ax2 = ax1, ax2 = fig.subplots(1, 2, width_ratios=[1.5, 1], gridspec_kw=grid)
        k = len(COMPONENTS)
        x = np.arange(k)
        width = 0.6 if true is None else 0.38
        # left: estimated weights (+ 95% interval), true weights, your what-if weights
        self.est = ax1.bar(
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
            handles.append(ax1.bar(x + width / 2, true, width, color=OKABE_ITO["orange"]))
            labels.append("True (generator)")
        (self.mine,) = ax1.plot(
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
        ax1.axhline(0, color="black", linewidth=0.8)
        ax1.set_xticks(x, [names.get(c, c) for c in COMPONENTS])
        half = width if true is not None else width / 2  # bars reach this far from x
        span = k - 1 + 2 * half
        ax1.set_xlim(-half - 0.05 * span, k - 1 + half + 0.05 * span)  # as autoscaled bars
        ax1.grid(axis="y", alpha=0.3)
        ax1.set_axisbelow(True)
        ax1.legend(handles, labels, frameon=False, fontsize="small", loc="upper right")
        ax1.set_xlabel("Satisfaction component (source 000)")
        ax1.set_ylabel("Weight: points of overall satisfaction\nper point of the component")
        # right: predicted vs actual overall answer
        self.spread, self.median = {}, {}
        for key, colour, marker in (
            ("fit", OKABE_ITO["blue"], "o"),
            ("mine", "black", "s"),
        ):
            self.spread[key] = ax2.vlines([], [], [], color=colour, linewidth=2.5, alpha=0.8)
            (self.median[key],) = ax2.plot(
                [],
                [],
                marker=marker,
                color=colour,
                linestyle="-",
                linewidth=1,
                markersize=5,
                label=" ",
            )
        ax2.plot(
            [1, 7], [1, 7], color="grey", linestyle="--", linewidth=1, label="Perfect prediction"
        )
        ax2.set_xlim(0.5, 7.5)
        ax2.set_ylim(0.5, 7.5)
        ax2.set_xticks(np.arange(1, 8))
        ax2.set_yticks(np.arange(1, 8, 2))
        self.legend2 = ax2.legend(frameon=False, fontsize="small", loc="upper left")
        ax2.grid(alpha=0.3)
        ax2.set_title("Predicted vs actual overall score", y=1.0)
        ax2.set_xlabel("Actual overall answer (1-7)")
        ax2.set_ylabel("Predicted score (1-7): median\nand middle half of the answers")
        self.true = true

    def draw(self, fit, mine, y, label):
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
        self.ax1.set_ylim(min(0, np.nanmin(w) - 0.05), top * 1.55)
        self.ax1.set_title(
            f"Weights of the components{_subtitle(label, fit['n'])}", fontsize="medium", y=1.0
        )
        rmse_fit = float(np.sqrt(np.mean((y - fit["fitted"]) ** 2)))
        texts = self.legend2.get_texts()
        for i, (key, pred, name) in enumerate(
            (
                ("fit", fit["fitted"], f"Estimated weights: error {rmse_fit:.2f}"),
                ("mine", mine["predicted"], f"Your weights: error {mine['rmse']:.2f}"),
            )
        ):
            lv, q1, mid, q3 = spread_by_answer(pred, y)
            xs = lv + self._DX[key]
            self.spread[key].set_segments(
                [[(a, b), (a, c)] for a, b, c in zip(xs, q1, q3, strict=True)]
            )
            self.median[key].set_data(xs, mid)
            texts[i].set_text(name)


def spread_by_answer(predicted, actual, *, min_answers=5):
    """For each actual answer (1-7): quartiles of the predicted scores.

    Returns
    -------
    tuple of arrays
        Answer levels, 25th percentile, median, 75th percentile (levels with
        fewer than ``min_answers`` answers are left out).

    Examples
    --------
    >>> lv, lo, mid, hi = spread_by_answer([1.0, 2.0, 3.0, 6.0], [2, 2, 2, 6], min_answers=2)
    >>> lv.tolist(), mid.tolist()
    ([2], [2.0])
    """
    predicted = np.asarray(predicted, dtype=float)
    actual = np.asarray(actual, dtype=float)
    levels, lo, mid, hi = [], [], [], []
    for v in np.unique(actual):
        p = predicted[actual == v]
        if p.size >= min_answers:
            q = np.percentile(p, [25, 50, 75])
            levels.append(v)
            lo.append(q[0])
            mid.append(q[1])
            hi.append(q[2])
    return (np.array(levels, dtype=int), np.array(lo), np.array(mid), np.array(hi))


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
    rmse_fit = float(np.sqrt(np.mean((y - fit["fitted"]) ** 2)))
    return (
        f"<p><b>{html.escape(label)}</b>: {fit['n']:,} answers · CSAT (overall 6-7) "
        f"{csat(y):.0%} · NPS {nps(nps_values):+.0f}</p>"
        f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p>Prediction error (RMSE, points on the 1-7 scale): estimated weights "
        f"{rmse_fit:.2f} (R² {fit['r_squared']:.2f}), your weights {mine['rmse']:.2f} "
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
