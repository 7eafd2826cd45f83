"""What-if on the relationship lifecycle: change the monthly moves, watch the stage mix.

Source 004 names five lifecycle stages (exploration, awareness, expansion,
commitment, dissolution); source 000 draws the flow from acquisition through
retention or defection to win-back. Each month a customer moves between the
stages with some probability; `crmkit.metrics.lifecycle.transition_matrix`
estimates those probabilities from the stage history and
`crmkit.metrics.lifecycle.simulate_lifecycle` propagates a stage mix forward;
`crmkit.metrics.lifecycle.base_matrix` and
`crmkit.metrics.lifecycle.scenario_matrix` give the estimated matrix and the
same with the five key moves changed (the rest of each row adjusts so that it
still sums to 1), and `crmkit.plots.lifecycle.plot_scenario_mix` draws it.
This module wires them to controls (the names above are importable from here too):

`lifecycle_simulator`
    the widget: five sliders and a horizon -> the stage mix over time, beside
    the mix at the estimated rates;
`lifecycle_simulator_figure`
    its static twin;
`lifecycle_simulator_page`
    what the static site needs to run it in the browser (see `crmkit.widgets._live`).
"""

from __future__ import annotations

import functools
import html

import numpy as np
from matplotlib.figure import Figure

from crmkit import concepts
from crmkit.metrics.lifecycle import (
    KNOBS,
    base_matrix,
    months_in_stage,
    scenario_matrix,
    scenario_start,
    simulate_lifecycle,
)
from crmkit.plots.lifecycle import REFERENCE_LABEL, SCENARIO_LEGEND_TITLE, plot_scenario_mix
from crmkit.plots.style import stage_palette
from crmkit.widgets._core import (
    dropdown,
    line_inches,
    live_panel,
    padded_grid,
    reused_axes,
    slider,
    text_inches,
)
from crmkit.widgets._live import with_page_data

__all__ = [
    "KNOBS",
    "base_matrix",
    "scenario_matrix",
    "scenario_start",
    "lifecycle_simulator",
    "lifecycle_simulator_figure",
    "lifecycle_simulator_page",
    "WIDGETS",
]

STAGES = concepts.keys(concepts.LIFECYCLE_STAGES)
_TITLE = "Lifecycle simulator: what if customers moved faster, or left less?"
_NOTE = (
    "Each slider is a monthly probability; the chance of staying in the stage "
    "adjusts so that every row of the matrix still adds up to 100%."
)
_STARTS = [("a cohort of 1,000 new customers", "cohort"), ("today's customers + new ones", "base")]
_MONTHS = (6, 60, 6)  # the horizon slider: low, high, step


def _what(start, new):
    """Who the simulation follows, in the figure's title."""
    if start == "cohort":
        return "a cohort of 1,000 new customers"
    return f"today's customers, plus {new:,.0f} new ones a month"


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
        plot_scenario_mix(
            mix,
            ref,
            title=f"Customers in each stage over {int(months)} months: {_what(start, new)}",
            ax=reused_axes(fig, grid, "lifecycle"),
        )
        return _summary(mix, ref, P)


def _legend_inches():
    """Width of the legend's widest line (its title or the reference line's label)."""
    from matplotlib import rcParams

    return _cached_legend_inches(rcParams["font.size"], tuple(rcParams["font.family"]))


@functools.lru_cache(maxsize=8)
def _cached_legend_inches(size, family):
    return text_inches([SCENARIO_LEGEND_TITLE, *REFERENCE_LABEL.split("\n")], "small")


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
    months_in = months_in_stage(P).to_numpy()[:4]
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
    controls["months"] = slider("Months simulated", months, *_MONTHS, integer=True)
    controls["start"] = dropdown("Start from", _STARTS, start)
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
    box = live_panel(
        _TITLE,
        _controls(defaults, int(months), start),
        state.render,
        figsize=(9, 4.4),
        layout=None,
        clear=False,
        note=_NOTE,
    )
    return with_page_data(
        box, "lifecycle", lambda: _page(state, defaults, int(months), start)
    )


def lifecycle_simulator_page(world, *, months=24, start="cohort", **moves) -> dict:
    """What the static site needs to run `lifecycle_simulator` in the browser.

    The estimated matrix and the two starting points come from the metrics
    (`base_matrix`, `scenario_start`); the page applies the sliders
    (`scenario_matrix`), propagates the mix (`simulate_lifecycle`) and computes
    the months in each stage (`months_in_stage`) again in JavaScript, and a
    browser test compares its table with the widget's over a grid of settings.

    Returns
    -------
    dict
        JSON values: title, note, the stages (key, label, colour), the
        estimated matrix (rows from, columns to), the starting points, the
        sliders (`KNOBS`, starting at the estimates), the horizon and the
        figure's legend texts.

    Examples
    --------
    >>> import crmkit
    >>> page = lifecycle_simulator_page(crmkit.make_world(300, random_state=0))
    >>> len(page["matrix"]), [k["key"] for k in page["sliders"]][:2]
    (5, ['explore_to_aware', 'aware_to_expand'])
    """
    state = _Simulator(world)
    return _page(state, {**state.defaults, **moves}, int(months), start)


def _page(state, defaults, months, start) -> dict:
    names = concepts.labels(concepts.LIFECYCLE_STAGES)
    colours = stage_palette()
    starts = {}
    for key in ("cohort", "base"):
        x0, new = state.starts[key]
        starts[key] = {
            "counts": [float(dict(x0).get(s, 0.0)) for s in STAGES],
            "new_per_month": float(new),
            "what": _what(key, new),
        }
    return {
        "title": _TITLE,
        "note": _NOTE,
        "stages": [{"key": s, "label": names[s], "colour": colours[s]} for s in STAGES],
        "matrix": state.base.loc[list(STAGES), list(STAGES)].to_numpy(dtype=float).tolist(),
        "starts": starts,
        "start": {"value": start, "options": [[label, key] for label, key in _STARTS]},
        "sliders": [
            {"key": key, "from": STAGES.index(a), "to": STAGES.index(b), "label": label,
             "min": 0.0, "max": hi, "step": step, "value": float(defaults[key])}
            for key, (a, b, label, hi, step) in KNOBS.items()
        ],  # fmt: skip
        "months": {"label": "Months simulated", "value": int(months), "min": _MONTHS[0],
                   "max": _MONTHS[1], "step": _MONTHS[2]},  # fmt: skip
        "legend_title": SCENARIO_LEGEND_TITLE,
        "reference_label": REFERENCE_LABEL.replace("\n", " "),
    }


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
