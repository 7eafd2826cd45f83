"""What-if on the relationship lifecycle: change the monthly moves, watch the stage mix.

Source 004 names five lifecycle stages (exploration, awareness, expansion,
commitment, dissolution); source 000 draws the flow from acquisition through
retention or defection to win-back. Each month a customer moves between the
stages with some probability; `crmkit.metrics.lifecycle.transition_matrix`
estimates those probabilities from the stage history and
`crmkit.metrics.lifecycle.simulate_lifecycle` propagates a stage mix forward.
This module adds:

`base_matrix`
    the estimated monthly matrix of a world (rows that cannot be estimated are
    filled from the generator's default);
`scenario_matrix`
    that matrix with the five key moves set to new values (the rest of each
    row adjusts so that it still sums to 1);
`lifecycle_simulator`
    the widget: five sliders and a horizon -> the stage mix over time, beside
    the mix at the estimated rates;
`lifecycle_simulator_figure`
    its static twin.
"""

from __future__ import annotations

import functools
import html
import warnings

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from crmkit import concepts
from crmkit.metrics.lifecycle import simulate_lifecycle, transition_matrix
from crmkit.plots.lifecycle import plot_stage_mix
from crmkit.widgets._core import (
    dropdown,
    line_inches,
    live_panel,
    padded_grid,
    reused_axes,
    slider,
    text_inches,
)

__all__ = [
    "KNOBS",
    "base_matrix",
    "scenario_matrix",
    "scenario_start",
    "lifecycle_simulator",
    "lifecycle_simulator_figure",
    "WIDGETS",
]

STAGES = concepts.keys(concepts.LIFECYCLE_STAGES)

#: The five moves the simulator lets you change: key -> (from, to, label, max, step).
KNOBS: dict[str, tuple[str, str, str, float, float]] = {
    "explore_to_aware": ("exploration", "awareness", "Exploration → awareness", 0.8, 0.01),
    "aware_to_expand": ("awareness", "expansion", "Awareness → expansion", 0.8, 0.01),
    "expand_to_commit": ("expansion", "commitment", "Expansion → commitment", 0.6, 0.01),
    "commit_to_dissolve": (
        "commitment",
        "dissolution",
        "Dissolution risk in commitment",
        0.15,
        0.005,
    ),
    "win_back": ("dissolution", "awareness", "Win-back (dissolution → awareness)", 0.3, 0.01),
}


def base_matrix(world) -> pd.DataFrame:
    """The monthly transition matrix estimated from ``world.stage_history``.

    A row that cannot be estimated (nobody was ever in that stage at a month
    end, as in a tiny or young data set) is taken from the generator's default
    matrix (`crmkit.synth_model.DEFAULT_TRANSITIONS`).

    Returns
    -------
    pandas.DataFrame
        5 x 5, rows ``from_stage``, columns ``to_stage``, each row summing to 1.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(300, random_state=0)
    >>> base_matrix(w).sum(axis=1).round(6).tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0]
    """
    from crmkit.synth_model import DEFAULT_TRANSITIONS

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = transition_matrix(world.stage_history)
    missing = est.isna().any(axis=1).to_numpy()
    if missing.any():
        est.loc[missing, :] = DEFAULT_TRANSITIONS[missing]
    return est


def scenario_matrix(base, **moves) -> pd.DataFrame:
    """``base`` with some of the `KNOBS` moves set to new probabilities.

    Each changed move takes its probability from the *stay* cell of its row
    (the chance of staying in the stage another month). If staying would fall
    below 0, the row's other moves shrink in proportion instead, so every row
    still sums to 1.

    Parameters
    ----------
    base : pandas.DataFrame
        A 5 x 5 monthly matrix (e.g. `base_matrix` or
        ``world.truth["transition_matrix"]``).
    **moves : float
        Keys of `KNOBS` (``explore_to_aware=0.4``...), probabilities in [0, 1].

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import crmkit
    >>> P = crmkit.load_dataset().truth["transition_matrix"]
    >>> S = scenario_matrix(P, commit_to_dissolve=0.05)
    >>> S.loc["commitment", ["commitment", "dissolution"]].round(3).tolist()
    [0.95, 0.05]
    """
    func = "scenario_matrix"
    if not isinstance(base, pd.DataFrame) or base.shape != (5, 5):
        raise TypeError(
            f"{func}: `base` must be a 5 x 5 DataFrame such as base_matrix(world); "
            f"got {type(base).__name__}."
        )
    P = base.loc[list(STAGES), list(STAGES)].astype(float).to_numpy().copy()
    for key, p in moves.items():
        if key not in KNOBS:
            raise ValueError(
                f"{func}: unknown move {key!r}; the moves are {', '.join(map(repr, KNOBS))}."
            )
        if isinstance(p, bool) or not isinstance(p, int | float | np.floating) or not 0 <= p <= 1:
            raise ValueError(f"{func}: `{key}` must be a probability in [0, 1]; got {p!r}.")
        i, j = STAGES.index(KNOBS[key][0]), STAGES.index(KNOBS[key][1])
        row = P[i]
        row[i] += row[j] - p
        row[j] = p
        if row[i] < 0:  # not enough "stay" left: the other moves shrink in proportion
            others = [k for k in range(len(STAGES)) if k != j]
            rest = row[others].clip(min=0)
            rest[others.index(i)] = 0.0
            total = rest.sum()
            row[others] = rest * ((1 - p) / total) if total > 0 else 0.0
            if total == 0:
                row[i] = 1 - p
    P = P / P.sum(axis=1, keepdims=True)
    return pd.DataFrame(
        P, index=pd.Index(STAGES, name="from_stage"), columns=pd.Index(STAGES, name="to_stage")
    )


def scenario_start(world, start="cohort"):
    """Starting point of a simulation: ``(stage counts at month 0, newcomers per month)``.

    Parameters
    ----------
    world : crmkit.World
    start : {"cohort", "base"}, default="cohort"
        ``"cohort"``: 1,000 new customers in exploration and no newcomers.
        ``"base"``: today's customers by stage (``customers.lifecycle_stage``)
        and as many newcomers per month as signed up, on average, in the last
        twelve months of the data.
    """
    if start == "cohort":
        return {"exploration": 1000.0}, 0.0
    if start != "base":
        raise ValueError(f"scenario_start: `start` must be 'cohort' or 'base'; got {start!r}.")
    c = world.customers
    counts = c["lifecycle_stage"].astype("string").value_counts()
    now = {s: float(counts.get(s, 0)) for s in STAGES}
    last = c["signup_date"].max()
    recent = (c["signup_date"] > last - pd.DateOffset(months=12)).sum()
    return now, float(recent) / 12.0


class _Simulator:
    def __init__(self, world):
        self.base = base_matrix(world)
        self.starts = {k: scenario_start(world, k) for k in ("cohort", "base")}
        # the exact estimates (not rounded to the slider step), so that the
        # default scenario is the estimated matrix itself
        self.defaults = {
            key: float(np.clip(self.base.loc[a, b], 0, hi))
            for key, (a, b, _, hi, _) in KNOBS.items()
        }
        self._refs = {}  # (months, start) -> the mix at the estimated rates

    def reference(self, months, start):
        """The stage mix at the estimated rates (it does not depend on the sliders)."""
        key = (int(months), start)
        if key not in self._refs:
            x0, new = self.starts[start]
            self._refs[key] = simulate_lifecycle(
                self.base, months=int(months), start=x0, new_per_month=new
            )
        return self._refs[key]

    def render(self, fig, months, start, **moves):
        x0, new = self.starts[start]
        P = scenario_matrix(self.base, **moves)
        mix = simulate_lifecycle(P, months=int(months), start=x0, new_per_month=new)
        ref = self.reference(months, start)
        from matplotlib import rcParams

        tick = rcParams["ytick.labelsize"]
        top_value = max(mix.sum(axis=1).max(), ref.sum(axis=1).max())
        left = text_inches([f"{top_value:,.0f}"], tick) + line_inches("medium") + 0.1
        right = _legend_inches() + 0.5
        bottom = line_inches(tick) + line_inches("medium") + 0.15
        grid = padded_grid(fig, left, right, bottom, line_inches("large"))
        ax = reused_axes(fig, grid, "lifecycle")
        plot_stage_mix(mix, ax=ax, legend=False)
        active = ref[list(STAGES[:-1])].sum(axis=1)
        ax.plot(
            ref.index,
            active,
            color="black",
            linestyle="--",
            linewidth=1.5,
            label="In a relationship,\nat the estimated rates",
        )
        handles, labels = ax.get_legend_handles_labels()
        k = len(STAGES)
        ax.legend(
            handles[:k][::-1] + handles[k:],
            labels[:k][::-1] + labels[k:],
            title="Stage (your scenario)",
            frameon=False,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize="small",
        )
        what = (
            "a cohort of 1,000 new customers"
            if start == "cohort"
            else (f"today's customers, plus {new:,.0f} new ones a month")
        )
        ax.set_title(
            f"Customers in each stage over {int(months)} months: {what}",
            fontsize="medium",
            y=1.0,  # a fixed place: matplotlib need not measure the ticks to put it
        )
        return _summary(mix, ref, P)


def _legend_inches():
    """Width of the legend's widest line (its title or the reference line's label)."""
    from matplotlib import rcParams

    return _cached_legend_inches(rcParams["font.size"], tuple(rcParams["font.family"]))


@functools.lru_cache(maxsize=8)
def _cached_legend_inches(size, family):
    return text_inches(["Stage (your scenario)", "at the estimated rates"], "small")


def _summary(mix, ref, P) -> str:
    names = concepts.labels(concepts.LIFECYCLE_STAGES)
    m = mix.index[-1]
    end, base = mix.loc[m], ref.loc[m]
    tot, btot = end.sum(), base.sum()
    rows = []
    for s in STAGES:
        share, bshare = end[s] / tot if tot else 0, base[s] / btot if btot else 0
        rows.append(
            f"<tr><td>{html.escape(names[s])}</td><td>{end[s]:,.0f} ({share:.0%})</td>"
            f"<td>{base[s]:,.0f} ({bshare:.0%})</td></tr>"
        )
    stay = np.diag(P.to_numpy())[:4]
    with np.errstate(divide="ignore"):
        months_in = np.where(stay < 1, 1 / (1 - stay), np.inf)
    dwell = ", ".join(
        f"{names[s].lower()} {v:.1f}" if np.isfinite(v) else f"{names[s].lower()} for ever"
        for s, v in zip(STAGES[:4], months_in, strict=True)
    )
    return (
        f"<table><thead><tr><th>Stage after {m} months</th><th>Your scenario</th>"
        f"<th>At the estimated rates</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p>Average months a customer stays in a stage under your scenario: {dwell}.</p>"
    )


def _controls(defaults, months, start):
    controls = {
        key: slider(label, defaults[key], 0.0, hi, step, fmt=".1%")
        for key, (_, _, label, hi, step) in KNOBS.items()
    }
    controls["months"] = slider("Months simulated", months, 6, 60, 6, integer=True)
    controls["start"] = dropdown(
        "Start from",
        [("a cohort of 1,000 new customers", "cohort"), ("today's customers + new ones", "base")],
        start,
    )
    return controls


def lifecycle_simulator(world, *, months=24, start="cohort", **moves):
    """Widget: sliders for the key monthly moves -> the stage mix over time.

    The sliders start at the rates estimated from the world's stage history
    (`base_matrix`); the dashed line keeps showing the customers still in a
    relationship at those estimated rates, so a change is seen against it.

    Parameters
    ----------
    world : crmkit.World
    months : int, default=24
        Months simulated (6 to 60).
    start : {"cohort", "base"}, default="cohort"
        See `scenario_start`.
    **moves : float
        Starting values of the `KNOBS` sliders (default: the estimated rates).

    Returns
    -------
    ipywidgets.VBox
        A live panel (see `crmkit.widgets.live_panel`).
    """
    state = _Simulator(world)
    unknown = [k for k in moves if k not in KNOBS]
    if unknown:
        raise ValueError(
            f"lifecycle_simulator: unknown move(s) {unknown}; the moves are "
            f"{', '.join(map(repr, KNOBS))}."
        )
    defaults = {**state.defaults, **{k: float(v) for k, v in moves.items()}}
    return live_panel(
        "Lifecycle simulator: what if customers moved faster, or left less?",
        _controls(defaults, int(months), start),
        state.render,
        figsize=(9, 4.4),
        layout=None,
        clear=False,
        note="Each slider is a monthly probability; the chance of staying in the stage "
        "adjusts so that every row of the matrix still adds up to 100%.",
    )


def lifecycle_simulator_figure(world, *, months=24, start="cohort", **moves):
    """Static twin of `lifecycle_simulator` (by default at the estimated rates).

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.summary_html`` (the widget's table).
    """
    state = _Simulator(world)
    values = {**state.defaults, **moves}
    fig = Figure(figsize=(9, 4.4), layout="constrained")
    fig.summary_html = state.render(fig, months, start, **values)
    return fig


WIDGETS = {"lifecycle_simulator": lifecycle_simulator}
