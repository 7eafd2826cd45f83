"""The relationship lifecycle: stages, monthly transitions, flows and win-back.

Source 004 describes five lifecycle stages (`crmkit.concepts.LIFECYCLE_STAGES`):
exploration, awareness, expansion, commitment and dissolution. The stage
history (one row per *spell*: a customer, a stage, its start and end dates)
records every move. This module turns it into

`stage_at`
    the stage of every customer on given dates;
`transition_matrix`
    the monthly transition probabilities between stages (a Markov chain);
`simulate_lifecycle`
    the expected stage mix month by month under such a matrix (the
    lifecycle-simulator widget);
`lifecycle_flow`
    the customer flow of source 000: acquisition, satisfied or dissatisfied,
    retention or defection, and win-back;
`winback_rate`
    the share of dissolutions followed by a return;
`base_matrix`, `scenario_matrix`, `scenario_start`, `months_in_stage`
    the what-if of the lifecycle-simulator widget: the estimated matrix (gaps
    filled from the generator's default), that matrix with some of the `KNOBS`
    moves changed, where a simulation starts, and how long customers stay in
    each stage under a matrix.

All functions are pure: the input tables are never modified.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_as_of, check_choice, check_frame, check_transition_matrix
from crmkit.metrics._columns import (
    customer_codes,
    date_of_day,
    day_numbers,
    day_of_date,
    float_values,
)
from crmkit.metrics.retention import (
    DAYS_PER_MONTH,
)

__all__ = [
    "stage_at",
    "transition_matrix",
    "simulate_lifecycle",
    "lifecycle_flow",
    "winback_rate",
    "KNOBS",
    "base_matrix",
    "scenario_matrix",
    "scenario_start",
    "months_in_stage",
]

STAGES = concepts.keys(concepts.LIFECYCLE_STAGES)
FLOW = concepts.keys(concepts.CUSTOMER_FLOW)
_DISSOLUTION = STAGES.index("dissolution")
_NONE = np.iinfo(np.int64).min


# --------------------------------------------------------------------------- helpers
def _stage_codes(df, col, func, keyword):
    """Stage names -> 0..4 in the order of LIFECYCLE_STAGES."""
    s = df[col]
    if s.isna().any():
        raise ValueError(
            f"{func}: column {col!r} (`{keyword}`) has {int(s.isna().sum())} "
            "missing stage(s); every spell needs a stage."
        )
    if isinstance(s.dtype, pd.CategoricalDtype):  # map the few categories, not every row
        lut = pd.Index(STAGES).get_indexer(s.cat.categories.astype("object"))
        raw = s.cat.codes.to_numpy()
        codes = lut[raw]
        values = s.cat.categories.astype("object").to_numpy()[raw]
    else:
        values = s.astype("object").to_numpy()
        codes = pd.Index(STAGES).get_indexer(values)
    if (codes < 0).any():
        bad = values[codes < 0][0]
        raise ValueError(
            f"{func}: column {col!r} (`{keyword}`) holds {bad!r}, which is not a lifecycle "
            f"stage; the stages are {', '.join(repr(k) for k in STAGES)}."
        )
    return codes.astype(np.int64)


class _Spells:
    """Stage spells sorted by customer and start day, for fast look-ups."""

    def __init__(self, sh, func, customer_col, stage_col, start_col, end_col):
        check_frame(
            sh,
            func,
            "stage_history",
            {
                customer_col: "customer_col",
                stage_col: "stage_col",
                start_col: "start_col",
                end_col: "end_col",
            },
        )
        self.cust, self.ids = customer_codes(sh, customer_col, func, "customer_col")
        self.stage = _stage_codes(sh, stage_col, func, "stage_col")
        self.start = day_numbers(sh, start_col, func, "start_col")
        self.end = day_numbers(sh, end_col, func, "end_col", allow_missing=True)
        has_end = self.end != _NONE
        if (has_end & (self.end < self.start)).any():
            raise ValueError(
                f"{func}: {int((has_end & (self.end < self.start)).sum())} "
                f"spell(s) end ({end_col!r}) before they start ({start_col!r})."
            )
        step_c, step_s = np.diff(self.cust), np.diff(self.start)
        if not ((step_c > 0) | ((step_c == 0) & (step_s >= 0))).all():  # not yet sorted
            order = np.lexsort((self.start, self.cust))
            self.cust, self.stage = self.cust[order], self.stage[order]
            self.start, self.end = self.start[order], self.end[order]
        self.last_day = int(
            max(self.start.max(), self.end[has_end].max() if has_end.any() else self.start.max())
        )
        self.first_day = int(self.start.min())

    def codes_at(self, days):
        """Stage codes (n_customers x n_days), -1 where a customer had no stage.

        A spell covers the dates ``d`` with ``start <= d < end``. Each spell
        writes its stage at the first date it covers, a spell that ends writes a
        "gap" mark at the first date after it, and a forward fill along each
        customer's row spreads the stages: one pass over the spells and one over
        the grid, whatever the number of dates.
        """
        days = np.asarray(days, dtype=np.int64)
        uniq, inverse = np.unique(days, return_inverse=True)
        k, n = len(uniq), len(self.ids)
        first = np.searchsorted(uniq, self.start, side="left")
        has_end = self.end != _NONE
        after = np.where(has_end, np.searchsorted(uniq, self.end, side="left"), k)
        grid = np.full((n, k + 1), -1, dtype=np.int8)  # column k: past the last date
        grid[self.cust[has_end], after[has_end]] = -2  # a gap, unless a spell starts there
        covers = first < after
        grid[self.cust[covers], first[covers]] = self.stage[covers]
        index_type = np.int16 if k < np.iinfo(np.int16).max else np.int32
        pos = np.where(grid != -1, np.arange(k + 1, dtype=index_type), 0).astype(index_type)
        np.maximum.accumulate(pos, axis=1, out=pos)
        filled = np.take_along_axis(grid, pos, axis=1)[:, :k]
        filled[filled == -2] = -1
        return filled[:, inverse.ravel()]


def _month_ends(first_day, last_day):
    """Day numbers of the month ends from the month of ``first_day`` to ``last_day``."""
    m0 = np.datetime64(int(first_day), "D").astype("datetime64[M]")
    m1 = np.datetime64(int(last_day), "D").astype("datetime64[M]")
    months = np.arange(m0, m1 + 1)
    ends = ((months + 1).astype("datetime64[D]") - 1).astype(np.int64)
    return ends[ends <= last_day]


def _week_ends(first_day, last_day):
    """Sundays (ends of Monday-weeks) from the week of ``first_day`` to ``last_day``."""
    first_sunday = first_day + (3 - first_day) % 7  # day 3 (1970-01-04) was a Sunday
    return np.arange(first_sunday, last_day + 1, 7, dtype=np.int64)


# --------------------------------------------------------------------------- stage_at
def stage_at(
    stage_history,
    dates,
    *,
    customer_col="customer_id",
    stage_col="stage",
    start_col="start_date",
    end_col="end_date",
):
    """The lifecycle stage of every customer on each of ``dates``.

    A customer is in the stage of their latest spell that started on or before
    the date (and has not ended by it).

    Parameters
    ----------
    stage_history : pandas.DataFrame
        One row per spell (customer, stage, start date, end date or empty).
    dates : date-like or list of date-likes
        The dates to look at, e.g. ``"2024-06-30"`` or ``pd.date_range(...)``.
    customer_col, stage_col, start_col, end_col : str
        Column names (defaults as in ``world.stage_history``).

    Returns
    -------
    pandas.DataFrame
        Index: the customer ids (sorted); one column per date holding the stage
        as an ordered categorical; NaN where the customer had not yet started
        (or the history has a gap).

    Examples
    --------
    >>> import crmkit
    >>> from crmkit.metrics.lifecycle import stage_at
    >>> w = crmkit.make_world(300, random_state=0)
    >>> s = stage_at(w.stage_history, ["2023-06-30", "2024-06-30"])
    >>> s.shape
    (300, 2)
    """
    func = "stage_at"
    spells = _Spells(stage_history, func, customer_col, stage_col, start_col, end_col)
    if isinstance(dates, str) or not np.iterable(dates):
        dates = [dates]
    try:
        stamps = pd.DatetimeIndex(pd.to_datetime(list(dates)))
    except (TypeError, ValueError):
        raise ValueError(
            f"{func}: `dates` must be dates such as '2024-06-30'; got {dates!r}."
        ) from None
    if len(stamps) == 0 or stamps.hasnans:
        raise ValueError(f"{func}: `dates` must hold at least one date and no missing ones.")
    days = stamps.normalize().to_numpy().astype("datetime64[D]").astype(np.int64)
    codes = spells.codes_at(days)
    dtype = pd.CategoricalDtype(STAGES, ordered=True)
    data = {
        stamp: pd.Categorical.from_codes(codes[:, j], dtype=dtype) for j, stamp in enumerate(stamps)
    }
    return pd.DataFrame(data, index=pd.Index(spells.ids, name=customer_col))


# --------------------------------------------------------------------------- transition matrix
def transition_matrix(
    stage_history,
    *,
    freq="M",
    as_of=None,
    counts=False,
    customer_col="customer_id",
    stage_col="stage",
    start_col="start_date",
    end_col="end_date",
):
    """Estimated transition probabilities between lifecycle stages, per month (or week).

    The stage of every customer is read at consecutive period ends (the last
    day of each month); every customer present at two consecutive ends gives
    one observed move ``from -> to`` (staying put counts too). Row ``i`` of the
    result is the share of the customers in stage ``i`` at a month end who were
    in each stage at the next month end.

    Parameters
    ----------
    stage_history : pandas.DataFrame
        One row per spell (customer, stage, start date, end date or empty).
    freq : {"M", "W"}, default="M"
        Month ends, or Sundays (weeks starting on Monday).
    as_of : str or Timestamp, optional
        Last date of the data. By default the end of the month (or week) of the
        latest date in the history (the data are taken to run to the end of
        that period; pass ``as_of`` if they do not).
    counts : bool, default=False
        Return the numbers of observed moves instead of shares.

    Returns
    -------
    pandas.DataFrame
        5 x 5, index ``from_stage`` and columns ``to_stage`` in the order of
        `crmkit.concepts.LIFECYCLE_STAGES`. With ``counts=False`` each row sums
        to 1; a stage nobody was in at a period end gets a row of NaN (nothing
        to estimate from) and a warning.

    Notes
    -----
    On generated data, the forward moves (exploration -> awareness -> expansion
    -> commitment) are recovered closely from a few thousand customers. The
    probabilities of moving to *dissolution* are not one number in the
    generator: each customer's risk is scaled by their satisfaction, care,
    loyalty-programme membership and other traits, so the estimate is an
    average over the customers who happen to be in each stage, not
    ``world.truth["transition_matrix"]`` itself. Those who leave early are the
    riskier ones, so the average changes over time.

    Examples
    --------
    >>> import crmkit
    >>> from crmkit.metrics.lifecycle import transition_matrix
    >>> w = crmkit.make_world(300, random_state=0)
    >>> P = transition_matrix(w.stage_history)
    >>> P.sum(axis=1).round(6).tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0]
    """
    func = "transition_matrix"
    check_choice(freq, "freq", ("M", "W"), func)
    if not isinstance(counts, bool | np.bool_):
        raise TypeError(f"{func}: `counts` must be True or False; got {counts!r}.")
    spells = _Spells(stage_history, func, customer_col, stage_col, start_col, end_col)
    if as_of is None:
        last = spells.last_day
        if freq == "M":
            month = np.datetime64(last, "D").astype("datetime64[M]")
            end_day = int(((month + 1).astype("datetime64[D]") - 1).astype(np.int64))
        else:
            end_day = last + (3 - last) % 7
    else:
        end = check_as_of(as_of, func, earliest=date_of_day(spells.first_day))
        end_day = day_of_date(end)
    ends = (_month_ends if freq == "M" else _week_ends)(spells.first_day, end_day)
    if len(ends) < 2:
        word = "month" if freq == "M" else "week"
        raise ValueError(
            f"{func}: the history from {date_of_day(spells.first_day).date()} to "
            f"{date_of_day(end_day).date()} spans fewer than two {word} ends; at least two are "
            "needed to see a move. Pass a later as_of or a longer history."
        )
    codes = spells.codes_at(ends)
    a, b = codes[:, :-1].ravel(), codes[:, 1:].ravel()
    ok = (a >= 0) & (b >= 0)
    k = len(STAGES)
    moves = np.bincount(a[ok] * k + b[ok], minlength=k * k).reshape(k, k)
    index = pd.Index(STAGES, name="from_stage")
    columns = pd.Index(STAGES, name="to_stage")
    if counts:
        return pd.DataFrame(moves.astype(np.int64), index=index, columns=columns)
    total = moves.sum(axis=1, keepdims=True)
    if (total == 0).any():
        empty = [STAGES[i] for i in np.flatnonzero(total[:, 0] == 0)]
        warnings.warn(
            f"{func}: nobody was in {', '.join(empty)} at a period end, so that row "
            "cannot be estimated (NaN).",
            stacklevel=2,
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(total > 0, moves / np.maximum(total, 1), np.nan)
    return pd.DataFrame(shares, index=index, columns=columns)


# --------------------------------------------------------------------------- simulation
def simulate_lifecycle(matrix, *, months=24, start=None, new_per_month=0):
    """Expected number of customers in each stage, month by month (Markov propagation).

    No random draws: the stage mix of month ``t + 1`` is the mix of month ``t``
    times the transition matrix, plus ``new_per_month`` newcomers who enter
    *exploration* after the month's moves (as in the generator, a newcomer
    first moves the month after joining).

    Parameters
    ----------
    matrix : pandas.DataFrame or array-like of shape (5, 5)
        Monthly transition probabilities, rows = from, columns = to, in the
        order of `crmkit.concepts.LIFECYCLE_STAGES` (e.g. the result of
        `transition_matrix` or ``world.truth["transition_matrix"]``).
    months : int, default=24
        Months to simulate.
    start : dict, pandas.Series or array-like of 5 numbers, optional
        Customers in each stage at month 0 (missing stages count 0). By default
        a cohort of 1,000 customers, all in exploration.
    new_per_month : float, default=0
        Customers acquired every month.

    Returns
    -------
    pandas.DataFrame
        Index ``month`` (0 to ``months``), one column per stage (expected
        numbers of customers, floats).

    Examples
    --------
    >>> import crmkit
    >>> from crmkit.metrics.lifecycle import simulate_lifecycle
    >>> w = crmkit.make_world(300, random_state=0)
    >>> mix = simulate_lifecycle(w.truth["transition_matrix"], months=3)
    >>> mix.round(1).loc[1].tolist()
    [550.0, 300.0, 50.0, 0.0, 100.0]
    """
    func = "simulate_lifecycle"
    P = check_transition_matrix(matrix, func)
    if isinstance(months, bool) or not isinstance(months, numbers.Integral):
        raise TypeError(f"{func}: `months` must be a whole number; got {months!r}.")
    if months < 1:
        raise ValueError(f"{func}: `months` must be at least 1; got {months}.")
    if isinstance(new_per_month, bool) or not isinstance(new_per_month, numbers.Real):
        raise TypeError(f"{func}: `new_per_month` must be a number; got {new_per_month!r}.")
    if new_per_month < 0:
        raise ValueError(f"{func}: `new_per_month` must be >= 0; got {new_per_month}.")
    k = len(STAGES)
    if start is None:
        x = np.zeros(k)
        x[0] = 1000.0
    elif isinstance(start, dict | pd.Series):
        unknown = [s for s in dict(start) if s not in STAGES]
        if unknown:
            raise ValueError(
                f"{func}: `start` has unknown stage(s) {unknown}; the stages are "
                f"{', '.join(STAGES)}."
            )
        x = np.array([float(dict(start).get(s, 0.0)) for s in STAGES])
    else:
        x = np.asarray(start, dtype=float).ravel()
        if x.shape != (k,):
            raise ValueError(
                f"{func}: `start` must give {k} numbers (one per stage, in the "
                f"order {', '.join(STAGES)}); got {x.size}."
            )
    if np.isnan(x).any() or (x < 0).any():
        raise ValueError(f"{func}: `start` must hold numbers of customers >= 0; got {x}.")
    out = np.empty((months + 1, k))
    out[0] = x
    entry = np.zeros(k)
    entry[0] = float(new_per_month)
    for t in range(months):
        out[t + 1] = out[t] @ P + entry
    return pd.DataFrame(
        out, index=pd.RangeIndex(months + 1, name="month"), columns=pd.Index(STAGES, name="stage")
    )


# --------------------------------------------------------------------------- flow and win-back
def _dissolutions(spells, end_day):
    """Per dissolution spell up to end_day: customer code, start day, return day (or NONE)."""
    is_d = (spells.stage == _DISSOLUTION) & (spells.start <= end_day)
    idx = np.flatnonzero(is_d)
    nxt = idx + 1
    has_next = nxt < len(spells.cust)
    nxt_c = np.where(has_next, nxt, 0)
    back = has_next & (spells.cust[nxt_c] == spells.cust[idx]) & (spells.start[nxt_c] <= end_day)
    ret = np.where(back, spells.start[nxt_c], _NONE)
    return spells.cust[idx], spells.start[idx], ret


def lifecycle_flow(
    customers,
    stage_history,
    *,
    surveys=None,
    as_of=None,
    customer_col="customer_id",
    signup_col="signup_date",
    date_col="date",
):
    """Counts along the customer flow: acquisition, satisfaction, retention or defection, win-back.

    Source 000 draws the flow acquisition -> satisfied (-> retention) or
    dissatisfied (-> defection) -> win-back programmes for lost customers
    (`crmkit.concepts.CUSTOMER_FLOW`). Each step is counted from the data, up to
    ``as_of``:

    ============  ==============================================================
    step          customers who...
    ============  ==============================================================
    acquisition   signed up (``signup_date``) by ``as_of``
    satisfied     answered ``overall`` 6 or 7 in their latest survey
    retention     are in a relationship (not in dissolution) at ``as_of``
    dissatisfied  answered ``overall`` 1-5 in their latest survey
    defection     entered dissolution at least once
    win_back      entered dissolution and later returned to another stage
    ============  ==============================================================

    Parameters
    ----------
    customers : pandas.DataFrame
        One row per customer, with ``signup_date``.
    stage_history : pandas.DataFrame
        One row per spell (``customer_id``, ``stage``, ``start_date``, ``end_date``).
    surveys : pandas.DataFrame, optional
        Survey answers with ``overall`` (1-7). Without them the rows
        ``satisfied`` and ``dissatisfied`` are left out; customers who never
        answered are in neither.
    as_of : str or Timestamp, optional
        By default the latest date in the stage history.
    customer_col, signup_col, date_col : str
        Column names (``date_col`` is the date of a survey answer).

    Returns
    -------
    pandas.DataFrame
        One row per step in the order above, with columns ``step`` (ordered
        categorical of the CUSTOMER_FLOW keys), ``customers`` (int), ``share``
        (of the acquired customers) and ``definition`` (the rule, in words).

    Notes
    -----
    Customers whose ``origin`` is ``won_back`` were lapsed before they entered
    the data; they are counted in acquisition, not in win_back, which only
    counts returns seen in the stage history.

    Examples
    --------
    >>> import crmkit
    >>> from crmkit.metrics.lifecycle import lifecycle_flow
    >>> w = crmkit.make_world(300, random_state=0)
    >>> flow = lifecycle_flow(w.customers, w.stage_history, surveys=w.surveys)
    >>> flow["step"].tolist()
    ['acquisition', 'satisfied', 'retention', 'dissatisfied', 'defection', 'win_back']
    """
    func = "lifecycle_flow"
    check_frame(
        customers, func, "customers", {customer_col: "customer_col", signup_col: "signup_col"}
    )
    spells = _Spells(stage_history, func, customer_col, "stage", "start_date", "end_date")
    signup = day_numbers(customers, signup_col, func, "signup_col")
    end = check_as_of(
        as_of,
        func,
        earliest=date_of_day(min(signup.min(), spells.first_day)),
        default=date_of_day(spells.last_day),
    )
    end_day = day_of_date(end)
    ids = customers[customer_col].to_numpy()
    acquired = signup <= end_day
    acquired_ids = pd.Index(ids[acquired])
    n = int(acquired.sum())
    # the stage of each history customer at as_of, and dissolution spells before it
    now = spells.codes_at(np.array([end_day]))[:, 0]
    hist = pd.Index(spells.ids)
    pos = hist.get_indexer(acquired_ids)
    stage_now = np.where(pos >= 0, now[np.maximum(pos, 0)], -1)
    retained = int(((stage_now >= 0) & (stage_now != _DISSOLUTION)).sum())
    d_cust, _, d_ret = _dissolutions(spells, end_day)
    in_acq = np.isin(spells.ids, acquired_ids)
    defected = int(np.unique(d_cust[in_acq[d_cust]]).size)
    back = d_ret != _NONE
    won_back = int(np.unique(d_cust[back & in_acq[d_cust]]).size)
    rows = [("acquisition", n, "signed up by as_of")]
    if surveys is not None:
        if isinstance(surveys, pd.DataFrame) and "overall" not in surveys.columns:
            raise ValueError(
                f"{func}: column 'overall' not found in `surveys` (columns: "
                f"{', '.join(map(str, surveys.columns))}); pass world.surveys or rename "
                "your satisfaction column to 'overall'."
            )
        check_frame(
            surveys,
            func,
            "surveys",
            {customer_col: "customer_col", date_col: "date_col"},
            allow_empty=True,
        )
        sdays = day_numbers(surveys, date_col, func, "date_col") if len(surveys) else np.zeros(0)
        overall = float_values(surveys, "overall", func, "overall") if len(surveys) else np.zeros(0)
        ok = sdays <= end_day
        latest = (
            pd.DataFrame(
                {"c": surveys[customer_col].to_numpy()[ok], "d": sdays[ok], "o": overall[ok]}
            )
            .sort_values(["c", "d"], kind="stable")
            .groupby("c")["o"]
            .last()
        )
        latest = latest[latest.index.isin(acquired_ids)]
        rows.append(
            (
                "satisfied",
                int((latest >= concepts.SATISFIED_MIN).sum()),
                f"latest survey answer: overall {concepts.SATISFIED_MIN} to 7",
            )
        )
    rows.append(("retention", retained, "in a relationship (not dissolution) at as_of"))
    if surveys is not None:
        rows.append(
            (
                "dissatisfied",
                int((latest < concepts.SATISFIED_MIN).sum()),
                f"latest survey answer: overall 1 to {concepts.SATISFIED_MIN - 1}",
            )
        )
    rows.append(("defection", defected, "entered dissolution at least once"))
    rows.append(("win_back", won_back, "returned to another stage after a dissolution"))
    out = pd.DataFrame(rows, columns=["step", "customers", "definition"])
    out["step"] = pd.Categorical(out["step"], categories=FLOW, ordered=True)
    out["customers"] = out["customers"].astype(np.int64)
    out.insert(2, "share", out["customers"] / n if n else np.nan)
    return out


def winback_rate(
    stage_history,
    *,
    within_months=None,
    as_of=None,
    customer_col="customer_id",
    stage_col="stage",
    start_col="start_date",
    end_col="end_date",
):
    """Share of dissolutions followed by a return to the relationship.

    A dissolution spell is *won back* when the same customer's next spell is
    another stage (in the generator: back to awareness).

    Parameters
    ----------
    stage_history : pandas.DataFrame
        One row per spell.
    within_months : float, optional
        Count a return only if it came within this many months (of 365.25 / 12
        days) of the dissolution. Dissolutions that started less than
        ``within_months`` before ``as_of`` are left out: we cannot know yet
        whether they will be won back in time. None counts every return up to
        ``as_of`` (recent dissolutions have had less time, so this is lower).
    as_of : str or Timestamp, optional
        By default the latest date in the history.
    customer_col, stage_col, start_col, end_col : str
        Column names.

    Returns
    -------
    float
        Won-back dissolutions / dissolutions counted, in [0, 1].

    Examples
    --------
    >>> import crmkit
    >>> from crmkit.metrics.lifecycle import winback_rate
    >>> w = crmkit.make_world(300, random_state=0)
    >>> 0 <= winback_rate(w.stage_history, within_months=6) <= 1
    True
    """
    func = "winback_rate"
    spells = _Spells(stage_history, func, customer_col, stage_col, start_col, end_col)
    end = check_as_of(
        as_of, func, earliest=date_of_day(spells.first_day), default=date_of_day(spells.last_day)
    )
    end_day = day_of_date(end)
    _, start, ret = _dissolutions(spells, end_day)
    back = ret != _NONE
    if within_months is not None:
        if isinstance(within_months, bool) or not isinstance(within_months, numbers.Real):
            raise TypeError(
                f"{func}: `within_months` must be a number of months or None; "
                f"got {within_months!r}."
            )
        if within_months <= 0:
            raise ValueError(f"{func}: `within_months` must be > 0; got {within_months}.")
        window = float(within_months) * DAYS_PER_MONTH
        seen = start + window <= end_day
        back = back & (ret - start <= window)
        start, back = start[seen], back[seen]
    if start.size == 0:
        extra = (
            f" that started at least {within_months} months before {end.date()}"
            if within_months is not None
            else f" up to {end.date()}"
        )
        raise ValueError(
            f"{func}: there are no dissolution spells{extra}, so there is no win-back "
            "rate to compute."
        )
    return float(back.mean())


# --------------------------------------------------------------------------- what-if scenarios
#: The five moves the lifecycle simulator lets you change: key -> (from, to, label, max, step)
#: (the largest value and the step of its slider).
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
    if not isinstance(base, pd.DataFrame):
        raise TypeError(
            f"{func}: `base` must be a 5 x 5 DataFrame such as base_matrix(world); "
            f"got {type(base).__name__}."
        )
    P = check_transition_matrix(base, func, "base").copy()
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

    Returns
    -------
    tuple
        ``({stage: customers}, newcomers per month)``, the ``start`` and
        ``new_per_month`` of `simulate_lifecycle`.

    Examples
    --------
    >>> import crmkit
    >>> scenario_start(crmkit.make_world(300, random_state=0))
    ({'exploration': 1000.0}, 0.0)
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


def months_in_stage(matrix) -> pd.Series:
    """Average months a customer stays in each stage under a monthly matrix: 1 / (1 - stay).

    Parameters
    ----------
    matrix : pandas.DataFrame or array-like of shape (5, 5)
        Monthly transition probabilities (as for `simulate_lifecycle`).

    Returns
    -------
    pandas.Series
        One value per stage (index ``stage``); ``inf`` for a stage nobody leaves.

    Examples
    --------
    >>> import numpy as np
    >>> P = np.eye(5)
    >>> P[0] = [0.75, 0.25, 0, 0, 0]
    >>> months_in_stage(P).tolist()
    [4.0, inf, inf, inf, inf]
    """
    stay = np.diag(check_transition_matrix(matrix, "months_in_stage"))
    with np.errstate(divide="ignore"):
        months = np.where(stay < 1, 1 / (1 - stay), np.inf)
    return pd.Series(months, index=pd.Index(STAGES, name="stage"), name="months")
