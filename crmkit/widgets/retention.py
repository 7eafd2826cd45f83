"""Retention targeting: whom to keep, within a budget (sources 000 and 002).

Source 000's retention process starts with *discovery*: which customers are
worth keeping, by the value of their volume (regular buying, margin). Source
002 says whom to keep (committed, satisfied, innovative and profitable
customers) and lists *market optimisation* among the CRM tools for retention:
campaigns run across segments within a budget. This module turns that into a
small planning tool:

`retention_base`
    one row per active customer: stage, satisfaction, ideas suggested, margin
    of the last twelve months, and the chance of leaving within twelve months
    estimated from the data (customers like them: same stage, same
    satisfaction band);
`target_customers`
    criteria and a budget -> the customers to target, best value first, with
    the margin the offer is expected to keep (a plain function, tested);
`retention_targeting`
    the widget: criteria sliders and a budget -> how many customers are
    targeted, what it costs and what it keeps;
`retention_targeting_figure`
    its static twin.
"""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from crmkit import concepts
from crmkit.metrics.retention import DAYS_PER_MONTH
from crmkit.plots.style import OKABE_ITO, stage_palette
from crmkit.widgets._core import live_panel, slider

__all__ = [
    "DEFAULTS",
    "TARGETING_BANDS",
    "retention_base",
    "target_customers",
    "targeting_summary",
    "retention_targeting",
    "retention_targeting_figure",
    "WIDGETS",
]

_STAGES = concepts.keys(concepts.LIFECYCLE_STAGES)
_STAGE_NAMES = concepts.labels(concepts.LIFECYCLE_STAGES)

#: The widget's starting criteria (and the static twin's).
DEFAULTS: dict = {
    "min_margin": 100.0,
    "min_satisfaction": 0,
    "committed_only": False,
    "budget": 5000.0,
    "cost_per_customer": 10.0,
    "churn_cut": 0.25,
}

#: The targeting table's bands of the latest survey answer (``overall``, 1-7), from
#: `crmkit.concepts.SATISFIED_MIN` (satisfied or exceeded, against dissatisfied).
TARGETING_BANDS = (
    f"satisfied ({concepts.SATISFIED_MIN}-7)",
    f"not satisfied (1-{concepts.SATISFIED_MIN - 1})",
    "no survey",
)


def _band(overall: pd.Series) -> pd.Series:
    return pd.Series(
        np.where(
            overall.isna(),
            TARGETING_BANDS[2],
            np.where(overall >= concepts.SATISFIED_MIN, TARGETING_BANDS[0], TARGETING_BANDS[1]),
        ),
        index=overall.index,
    )


def _latest_overall(surveys, ids, end):
    if surveys is None or surveys.empty:
        return pd.Series(np.nan, index=ids)
    s = surveys[surveys["date"] <= end].sort_values("date", kind="stable")
    return s.groupby("customer_id")["overall"].last().reindex(ids).astype(float)


def _hazards(stage_history, band_of, end):
    """Monthly defection rate by (stage, band): dissolutions / months at risk."""
    sp = stage_history.sort_values(["customer_id", "start_date"], kind="stable")
    sp = sp.assign(next_stage=sp.groupby("customer_id")["stage"].shift(-1).astype("string"))
    live = (sp["stage"].astype("string") != "dissolution").fillna(False)
    sp = sp[(live & (sp["start_date"] <= end)).to_numpy()]
    stop = sp["end_date"].fillna(end).clip(upper=end)
    frame = pd.DataFrame(
        {
            "stage": sp["stage"].astype(str).to_numpy(),
            "band": sp["customer_id"].map(band_of).fillna(TARGETING_BANDS[2]).to_numpy(),
            "months": ((stop - sp["start_date"]).dt.days / DAYS_PER_MONTH).to_numpy(),
            "left": (
                (sp["next_stage"] == "dissolution").fillna(False) & sp["end_date"].le(end)
            ).to_numpy(),
        }
    )
    g = frame.groupby(["stage", "band"])[["months", "left"]].sum()
    by_stage = frame.groupby("stage")[["months", "left"]].sum()
    # a cell with little exposure borrows its stage's rate (12 months of "prior" exposure)
    prior = by_stage["left"] / by_stage["months"].clip(lower=1e-9)
    k = 12.0
    stage_of = g.index.get_level_values("stage")
    rate = (g["left"] + k * prior.reindex(stage_of).to_numpy()) / (g["months"] + k)
    return rate.clip(0, 1)


def retention_base(world, *, months=12, as_of=None) -> pd.DataFrame:
    """One row per active customer, with what a retention decision needs.

    Parameters
    ----------
    world : crmkit.World
        Uses ``customers``, ``transactions``, ``stage_history`` and, when they
        have rows, ``surveys`` and ``interactions``.
    months : int, default=12
        Window for the margin and horizon of the chance of leaving.
    as_of : str or Timestamp, optional
        Reference date; default the latest purchase or stage change.

    Returns
    -------
    pandas.DataFrame
        Customers not in dissolution at ``as_of``, by id: ``customer_id``,
        ``lifecycle_stage``, ``relationship_type``, ``loyalty_member``,
        ``purchases`` and ``margin`` in the last ``months`` months,
        ``satisfaction`` (latest ``overall`` answer, NaN without a survey),
        ``band`` (`TARGETING_BANDS`), ``suggests`` (made at least one
        suggestion: an innovator), ``monthly_churn`` (defections per month at
        risk of customers in the same stage and band, estimated from the stage
        history), ``churn_risk`` (chance of leaving within ``months`` months
        at that rate: ``1 - (1 - monthly_churn) ** months``) and
        ``value_at_risk`` (``churn_risk x margin``: the margin expected to be
        lost if nothing is done).

    Examples
    --------
    >>> import crmkit
    >>> base = retention_base(crmkit.make_world(600, random_state=0))
    >>> bool(base["churn_risk"].between(0, 1).all())
    True
    """
    func = "retention_base"
    for name in ("customers", "transactions", "stage_history"):
        if not isinstance(getattr(world, name, None), pd.DataFrame):
            raise TypeError(
                f"{func}: `world` must be a crmkit World (e.g. crmkit.load_dataset()); "
                f"got {type(world).__name__}."
            )
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ValueError(f"{func}: `months` must be a whole number >= 1; got {months!r}.")
    c, t, sh = world.customers, world.transactions, world.stage_history
    if as_of is None:
        end = max(t["date"].max(), sh["start_date"].max())
    else:
        end = pd.Timestamp(as_of)
    start = end - pd.Timedelta(days=round(months * DAYS_PER_MONTH))
    ids = pd.Index(c["customer_id"].to_numpy(), name="customer_id")
    overall = _latest_overall(getattr(world, "surveys", None), ids, end)
    band = _band(overall)
    rate = _hazards(sh, band, end)
    recent = t[(t["date"] > start) & (t["date"] <= end)]
    margin = recent.groupby("customer_id")["margin"].sum().reindex(ids).fillna(0.0)
    bought = recent.groupby("customer_id").size().reindex(ids).fillna(0).astype("int64")
    it = getattr(world, "interactions", None)
    if it is not None and len(it):
        ideas = it.loc[(it["kind"].astype("string") == "suggestion").fillna(False), "customer_id"]
        suggests = ids.isin(ideas.unique())
    else:
        suggests = np.zeros(len(ids), dtype=bool)
    stage = c["lifecycle_stage"].astype(str).to_numpy()
    out = pd.DataFrame(
        {
            "customer_id": ids,
            "lifecycle_stage": stage,
            "relationship_type": c["relationship_type"].astype(str).to_numpy(),
            "loyalty_member": c["loyalty_member"].astype(bool).to_numpy(),
            "purchases": bought.to_numpy(),
            "margin": margin.to_numpy(),
            "satisfaction": overall.to_numpy(),
            "band": band.to_numpy(),
            "suggests": suggests,
        }
    )
    out = out[(out["lifecycle_stage"] != "dissolution")].reset_index(drop=True)
    keys = pd.MultiIndex.from_arrays([out["lifecycle_stage"], out["band"]])
    monthly = rate.reindex(keys).to_numpy(dtype=float)
    out["monthly_churn"] = np.nan_to_num(monthly, nan=float(np.nanmean(rate)) if len(rate) else 0)
    out["churn_risk"] = 1.0 - (1.0 - out["monthly_churn"]) ** months
    out["value_at_risk"] = out["churn_risk"] * out["margin"].clip(lower=0)
    out["lifecycle_stage"] = pd.Categorical(
        out["lifecycle_stage"], categories=_STAGES, ordered=True
    )
    return out


def target_customers(
    base,
    *,
    min_margin=0.0,
    min_satisfaction=0,
    committed_only=False,
    budget=5000.0,
    cost_per_customer=10.0,
    churn_cut=0.25,
) -> pd.DataFrame:
    """The customers a retention offer should go to, best value first, within a budget.

    A customer is *eligible* when their margin of the last year is at least
    ``min_margin``, their latest satisfaction at least ``min_satisfaction``
    (0 = do not look at surveys; customers without a survey then pass) and,
    with ``committed_only``, when they are in the commitment stage. Eligible
    customers are ranked by ``value_at_risk`` (margin likely to be lost); the
    budget buys ``budget // cost_per_customer`` offers, given from the top.
    The offer is assumed to cut each customer's chance of leaving by
    ``churn_cut`` (0.25 = a quarter), so it keeps ``churn_cut x
    value_at_risk`` of margin per customer.

    Parameters
    ----------
    base : pandas.DataFrame
        From `retention_base`.
    min_margin : float, default=0
    min_satisfaction : int, default=0
        0-7.
    committed_only : bool, default=False
    budget : float, default=5000
        Currency units, >= 0.
    cost_per_customer : float, default=10
        Cost of one offer (currency units), > 0.
    churn_cut : float, default=0.25
        Relative cut of the chance of leaving, in [0, 1].

    Returns
    -------
    pandas.DataFrame
        The eligible customers, by ``value_at_risk`` descending, with the
        columns of ``base`` and ``rank`` (1 = first), ``targeted`` (within
        the budget), ``kept_margin`` (``churn_cut x value_at_risk``) and
        ``cum_kept_margin``, ``cum_cost`` (over the ranking). ``attrs``
        holds the arguments.

    Examples
    --------
    >>> import pandas as pd
    >>> base = pd.DataFrame({"customer_id": [1, 2, 3], "lifecycle_stage": ["commitment",
    ...     "awareness", "commitment"], "margin": [300.0, 100.0, 50.0],
    ...     "satisfaction": [7, 4, None], "value_at_risk": [30.0, 40.0, 5.0]})
    >>> t = target_customers(base, budget=20, cost_per_customer=10, churn_cut=0.5)
    >>> t[["customer_id", "targeted", "kept_margin"]]
       customer_id  targeted  kept_margin
    0            2      True         20.0
    1            1      True         15.0
    2            3     False          2.5
    """
    func = "target_customers"
    checks = {
        "min_margin": (min_margin, None, None),
        "min_satisfaction": (min_satisfaction, 0, 7),
        "budget": (budget, 0, None),
        "cost_per_customer": (cost_per_customer, 0, None),
        "churn_cut": (churn_cut, 0, 1),
    }
    for name, (value, low, high) in checks.items():
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise TypeError(f"{func}: `{name}` must be a number; got {value!r}.")
        if (
            not np.isfinite(value)
            or (low is not None and value < low)
            or (high is not None and value > high)
        ):
            bounds = f"between {low} and {high}" if high is not None else f">= {low}"
            raise ValueError(f"{func}: `{name}` must be {bounds}; got {value}.")
    if cost_per_customer <= 0:
        raise ValueError(f"{func}: `cost_per_customer` must be > 0; got {cost_per_customer}.")
    keep = base["margin"].to_numpy(dtype=float) >= min_margin
    if min_satisfaction > 0:
        keep &= base["satisfaction"].to_numpy(dtype=float) >= min_satisfaction  # NaN fails
    if committed_only:
        keep &= (base["lifecycle_stage"].astype(str) == "commitment").to_numpy()
    out = base[keep].sort_values(
        ["value_at_risk", "customer_id"], ascending=[False, True], kind="stable"
    )
    out = out.reset_index(drop=True)
    n_offers = int(budget // cost_per_customer)
    out["rank"] = np.arange(1, len(out) + 1)
    out["targeted"] = out["rank"] <= n_offers
    out["kept_margin"] = churn_cut * out["value_at_risk"].to_numpy(dtype=float)
    out["cum_kept_margin"] = out["kept_margin"].cumsum()
    out["cum_cost"] = out["rank"] * float(cost_per_customer)
    out.attrs.update(
        min_margin=min_margin,
        min_satisfaction=min_satisfaction,
        committed_only=bool(committed_only),
        budget=float(budget),
        cost_per_customer=float(cost_per_customer),
        churn_cut=float(churn_cut),
    )
    return out


def targeting_summary(targets) -> dict:
    """Totals of a targeting plan from `target_customers`.

    Returns
    -------
    dict
        ``eligible``, ``targeted``, ``cost``, ``kept_margin``, ``net``
        (kept margin - cost), ``worth_it`` (eligible customers whose kept
        margin exceeds the cost of their offer) and ``unused_budget``.

    Examples
    --------
    >>> import pandas as pd
    >>> base = pd.DataFrame({"customer_id": [1, 2], "lifecycle_stage": ["commitment"] * 2,
    ...     "margin": [300.0, 100.0], "satisfaction": [7, 4], "value_at_risk": [60.0, 8.0]})
    >>> targeting_summary(target_customers(base, budget=100, cost_per_customer=10))["worth_it"]
    1
    """
    cost_each = targets.attrs.get("cost_per_customer", 0.0)
    hit = targets[targets["targeted"]]
    cost = len(hit) * cost_each
    kept = float(hit["kept_margin"].sum())
    return {
        "eligible": int(len(targets)),
        "targeted": int(len(hit)),
        "cost": float(cost),
        "kept_margin": kept,
        "net": kept - cost,
        "worth_it": int((targets["kept_margin"] > cost_each).sum()),
        "unused_budget": float(targets.attrs.get("budget", 0.0) - cost),
    }


def _by_stage(targets) -> pd.Series:
    hit = targets[targets["targeted"]]
    return hit["lifecycle_stage"].astype(str).value_counts().reindex(_STAGES[:-1], fill_value=0)


def _draw(fig, targets, *, by_stage=True):
    """Cumulative margin kept against cost; with ``by_stage``, the targeted by stage too.

    The widget draws the first panel only (half the drawing time); its summary
    lists the stages.
    """
    fig.set_layout_engine(None)  # a layout engine would draw the figure twice
    if by_stage:
        ax, bx = fig.subplots(
            1,
            2,
            gridspec_kw=dict(
                width_ratios=(1.6, 1), left=0.09, right=0.97, bottom=0.14, top=0.86, wspace=0.45
            ),
        )
    else:
        ax = fig.subplots(gridspec_kw=dict(left=0.12, right=0.97, bottom=0.14, top=0.86))
        bx = None
    s = targeting_summary(targets)
    if targets.empty:
        for a in (ax, bx):
            if a is not None:
                a.set_axis_off()
        ax.text(0.5, 0.5, "No customer meets these criteria:\nrelax one of them.", ha="center")
        return
    x = targets["rank"].to_numpy()
    ax.plot(
        x,
        targets["cum_kept_margin"],
        color=OKABE_ITO["bluish_green"],
        lw=2,
        label="Margin kept (expected)",
    )
    ax.plot(
        x,
        targets["cum_cost"],
        color=OKABE_ITO["vermillion"],
        lw=2,
        ls="--",
        label="Cost of the offers",
    )
    if s["targeted"]:
        ax.axvspan(
            0.5,
            s["targeted"] + 0.5,
            color=OKABE_ITO["sky_blue"],
            alpha=0.18,
            label=f"Targeted within budget ({s['targeted']:,})",
        )
    ax.set_xlim(0, max(len(targets), 1) * 1.02)
    ax.set_ylim(0, None)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize="small", loc="upper left")
    ax.set_xlabel("Eligible customers, highest margin at risk first")
    ax.set_ylabel("Cumulative amount (currency units)")
    ax.set_title("What the offers keep and what they cost", fontsize="medium")
    ax.yaxis.set_major_locator(MaxNLocator(6))
    fig.suptitle(
        f"{s['targeted']:,} of {s['eligible']:,} eligible customers targeted: "
        f"cost {s['cost']:,.0f}, margin kept {s['kept_margin']:,.0f}",
        fontsize="medium",
    )
    if bx is None:
        return
    counts = _by_stage(targets)
    colours = stage_palette()
    y = np.arange(len(counts))[::-1]
    bx.barh(y, counts.to_numpy(), color=[colours[k] for k in counts.index], height=0.65)
    bx.set_yticks(y, [_STAGE_NAMES[k] for k in counts.index])
    bx.set_xlim(0, max(counts.max(), 1) * 1.35)
    for yi, v in zip(y, counts.to_numpy(), strict=True):
        bx.annotate(
            f"{v:,}",
            (v, yi),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize="small",
        )
    bx.grid(axis="x", alpha=0.3)
    bx.grid(axis="y", visible=False)
    bx.set_xlabel("Targeted customers")
    bx.set_title("Targeted, by lifecycle stage", fontsize="medium")


def _summary_html(targets) -> str:
    s = targeting_summary(targets)
    if not s["eligible"]:
        return "<p>No customer meets these criteria: lower the margin or satisfaction bar.</p>"
    a = targets.attrs
    verdict = "pays for itself" if s["net"] > 0 else "costs more than it keeps"
    return (
        f"<p><b>{s['targeted']:,}</b> customers targeted of {s['eligible']:,} eligible; "
        f"the campaign costs <b>{s['cost']:,.0f}</b> and is expected to keep "
        f"<b>{s['kept_margin']:,.0f}</b> of margin over the next year: it "
        f"<b>{html.escape(verdict)}</b> (net {s['net']:+,.0f}).</p>"
        f"<p>{s['worth_it']:,} eligible customers are worth an offer of "
        f"{a['cost_per_customer']:,.0f} (their kept margin exceeds it)"
        + (
            f"; {s['unused_budget']:,.0f} of the budget is left unused."
            if s["unused_budget"] >= a["cost_per_customer"]
            else "."
        )
        + "</p>"
        + _stage_html(targets)
        + "<p><small>Chance of leaving: customers in the same lifecycle stage and "
        "satisfaction band, from the stage history. The offer's effect "
        f"(&minus;{a['churn_cut']:.0%} chance of leaving) is an assumption.</small></p>"
    )


def _stage_html(targets) -> str:
    counts = _by_stage(targets)
    head = "".join(f"<th>{html.escape(_STAGE_NAMES[k])}</th>" for k in counts.index)
    cells = "".join(f"<td>{v:,}</td>" for v in counts.to_numpy())
    return (
        "<table><thead><tr><th>targeted, by stage</th>"
        f"{head}</tr></thead><tbody><tr><td></td>{cells}</tr></tbody></table>"
    )


def retention_targeting_figure(world, **criteria):
    """Static twin of the widget: the targeting plan at the default criteria.

    Parameters
    ----------
    world : crmkit.World
    **criteria
        Passed to `target_customers` (defaults as in the widget).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.targets`` holds the table of `target_customers` and
        ``fig.summary`` the dict of `targeting_summary`.
    """
    base = retention_base(world)
    targets = target_customers(base, **{**DEFAULTS, **criteria})
    fig = Figure(figsize=(10, 4.2))
    _draw(fig, targets)
    fig.targets = targets
    fig.summary = targeting_summary(targets)
    return fig


def retention_targeting(world, **criteria):
    """Widget: choose whom to retain and a budget, see the targeted customers and the payoff.

    Parameters
    ----------
    world : crmkit.World
        `retention_base` is computed once, when the widget is built.
    **criteria
        Starting values for `target_customers` (``min_margin``,
        ``min_satisfaction``, ``committed_only``, ``budget``,
        ``cost_per_customer``, ``churn_cut``).

    Returns
    -------
    ipywidgets.VBox
        Sliders for the criteria, the budget, the cost of one offer and its
        assumed effect; a checkbox "committed customers only". The figure shows
        the cumulative margin kept against the cost; the summary says whether
        the campaign pays and lists the targeted customers by stage.
    """
    base = retention_base(world)
    start = {**DEFAULTS, **criteria}
    top_margin = float(max(500.0, np.ceil(base["margin"].quantile(0.9) / 100) * 100))
    controls = {
        "min_margin": slider(
            "Min. margin, last 12 months", start["min_margin"], 0, top_margin, 25, fmt=",.0f"
        ),
        "min_satisfaction": slider(
            "Min. satisfaction (0 = any)", int(start["min_satisfaction"]), 0, 7, 1, integer=True
        ),
        "committed_only": W.Checkbox(
            value=bool(start["committed_only"]),
            description="Committed customers only",
            indent=False,
        ),
        "budget": slider("Campaign budget", start["budget"], 0, 30000, 250, fmt=",.0f"),
        "cost_per_customer": slider(
            "Cost of one offer", start["cost_per_customer"], 1, 60, 1, fmt=",.0f"
        ),
        "churn_cut": slider(
            "Offer cuts the chance of leaving by",
            start["churn_cut"],
            0.05,
            0.6,
            0.05,
            percent=True,
        ),
    }

    def render(fig, **values):
        targets = target_customers(base, **values)
        _draw(fig, targets, by_stage=False)
        return _summary_html(targets)

    return live_panel(
        "Retention targeting: whom to keep, within a budget",
        controls,
        render,
        figsize=(7.5, 4.2),
        note="Eligible customers are ranked by the margin they are likely to take away "
        "(margin of the last year x chance of leaving); the budget buys offers from the top.",
    )


WIDGETS = {"retention_targeting": retention_targeting}
