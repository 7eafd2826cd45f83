"""Caring for the relationship: occasions to remember, care actions, a strategy scorecard.

Source 004 lists how to improve a relationship: follow up after the sale,
tell customers what you do for them, personal notes and personal contact,
remember special occasions (birthdays, anniversaries, a small gift tied to
the last purchase) and pass on useful information. :func:`event_calendar`
lists the coming occasions with a suggested action (:class:`CalendarCache`: the
calendars of several dates, computed once; :func:`calendar_dates`,
:func:`events_per_week` and :func:`calendar_actions` summarise them for the
event calendar explorer); :func:`care_actions_summary` counts the care actions
over time.

Source 000's ten strategies become a self-assessment: :func:`strategy_scorecard`
turns ratings 1-5 into gaps, priorities, the kit's metrics that show each
strategy at work, and a maturity level; :func:`merge_scorecards` compares the
scorecards of several participants or teams (a workshop).

All functions are pure: the input tables are never modified.
"""

from __future__ import annotations

import io
import numbers
from pathlib import Path

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_as_of, check_choice, check_frame
from crmkit._csvsafe import neutralise_frame, restore_cell

__all__ = [
    "CALENDAR_ACTIONS",
    "CARE_KINDS",
    "EVENT_KINDS",
    "MAX_DAYS",
    "STRATEGY_KPIS",
    "MATURITY_LEVELS",
    "CalendarCache",
    "calendar_actions",
    "calendar_dates",
    "event_calendar",
    "events_per_week",
    "care_actions_summary",
    "strategy_scorecard",
    "scorecard_maturity",
    "scorecard_to_csv",
    "read_scorecard_csv",
    "merge_scorecards",
]

STRATEGIES = concepts.keys(concepts.STRATEGIES)

#: Interaction kinds that are care actions (source 004's improvement actions).
CARE_KINDS = (
    "follow_up",
    "newsletter",
    "personal_note",
    "personal_call",
    "special_occasion",
    "useful_information",
)

#: The kit's metrics that show each strategy at work ("function" or "function: column").
STRATEGY_KPIS: dict[str, tuple[str, ...]] = {
    "people": ("satisfaction_by_team", "nps_table"),
    "process": ("loyalty_kpis: complaint_resolution_hours", "touchpoint_satisfaction"),
    "product_service": ("satisfaction_drivers: product", "csat"),
    "organisation": ("training_effect: handoffs", "touchpoint_satisfaction: gap"),
    "customer_analysis": ("nps_table", "origin_mix", "termination_candidates"),
    "cost_analysis": (
        "termination_candidates: profit",
        "acquisition_by_channel: cost_per_acquisition",
    ),
    "performance_focus": ("loyalty_kpis", "kpi_alerts"),
    "staff_training": ("training_effect", "satisfaction_by_team: training_hours"),
    "relationship_schemes": ("loyalty_kpis: defections", "winback_by_campaign"),
    "social_events": ("origin_mix", "loyalty_kpis: positive_feedback"),
}

#: Maturity levels by mean rating: (lowest mean, level, description), in order.
MATURITY_LEVELS = (
    (1.0, "initial", "Ad hoc: relationship work depends on individuals."),
    (1.8, "developing", "Some strategies are in place, unevenly."),
    (2.6, "defined", "Most strategies are defined and practised."),
    (3.4, "managed", "Strategies are measured with KPIs and acted upon."),
    (4.2, "optimising", "Strategies are measured and improved continuously."),
)


# --------------------------------------------------------------------------- occasions
def _occurrence(month, day, year):
    """Dates of (month, day) in ``year``; 29 February becomes 28 February in common years."""
    year = np.asarray(year)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    day = np.where((month == 2) & (day == 29) & ~leap, 28, day)
    return pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}))


def _next_occurrence(dates, as_of):
    """Next date on or after ``as_of`` with the month and day of ``dates``, and its year count."""
    month = dates.dt.month.to_numpy()
    day = dates.dt.day.to_numpy()
    this = _occurrence(month, day, np.full(len(dates), as_of.year))
    nxt = _occurrence(month, day, np.full(len(dates), as_of.year + 1))
    when = this.where(this >= as_of, nxt)
    years = when.dt.year.to_numpy() - dates.dt.year.to_numpy()
    return when, years


def event_calendar(
    customers,
    transactions,
    *,
    as_of=None,
    days=30,
    lapse_days=180,
    recent_days=14,
    customer_col="customer_id",
    birth_col="birth_date",
    signup_col="signup_date",
    churn_col="churn_date",
    date_col="date",
    category_col="category",
) -> pd.DataFrame:
    """Birthdays and sign-up anniversaries coming up, with a suggested care action (004).

    Only live customers are listed: signed up by ``as_of`` and not in a
    dissolution at ``as_of``. A birthday on 29 February is celebrated on
    28 February in common years (so it is never skipped). The window
    includes ``as_of`` itself and wraps over the new year.

    The suggested action (a key of :data:`crmkit.concepts.IMPROVEMENT_ACTIONS`):

    - ``"personal_contact"`` when the customer has not bought for more than
      ``lapse_days`` days (or never): the occasion is a reason to call;
    - ``"follow_up"`` when they bought within the last ``recent_days`` days:
      greet them and check that the recent purchase is all right;
    - ``"special_occasions"`` otherwise: a card or a small gift tied to the
      last purchase (``last_category``).

    Parameters
    ----------
    customers : DataFrame
        One row per customer with ``birth_date``, ``signup_date`` and
        ``churn_date`` (and ``first_name``/``last_name`` if available).
    transactions : DataFrame
        Purchases with ``customer_id``, ``date`` and ``category``.
    as_of : date, optional
        Today, for the calendar. Default: the latest purchase date.
    days : int, default=30
        How many days ahead to look (0-366).
    lapse_days, recent_days : int, default=180, 14
        Thresholds of the suggested action (see above).
    customer_col, birth_col, signup_col, churn_col : str
        Columns of ``customers`` (``churn_col`` may be missing: then all
        customers who signed up count as live).
    date_col, category_col : str
        Columns of ``transactions``.

    Returns
    -------
    DataFrame
        One row per occasion, by date then customer: ``customer_id``,
        ``name`` (first and last name, or ""), ``event`` ("birthday" or
        "signup_anniversary"), ``event_date``, ``days_until`` (0 = today),
        ``years`` (age reached, or years as a customer), ``last_purchase_date``
        (NaT if none), ``days_since_purchase`` (<NA> if none), ``last_category``
        ("" if none) and ``suggested_action``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({
    ...     "customer_id": [1, 2],
    ...     "birth_date": pd.to_datetime(["1980-02-29", "1990-06-01"]),
    ...     "signup_date": pd.to_datetime(["2022-03-01", "2022-03-01"]),
    ...     "churn_date": pd.to_datetime([None, None])})
    >>> t = pd.DataFrame({"customer_id": [1], "date": pd.to_datetime(["2023-02-20"]),
    ...                   "category": ["core"]})
    >>> cal = event_calendar(c, t, as_of="2023-02-25", days=10)
    >>> cal[["customer_id", "event", "event_date", "years", "suggested_action"]]
       customer_id               event event_date  years  suggested_action
    0            1            birthday 2023-02-28     43         follow_up
    1            1  signup_anniversary 2023-03-01      1         follow_up
    2            2  signup_anniversary 2023-03-01      1  personal_contact
    """
    func = "event_calendar"
    for name, value, high in (
        ("days", days, 366),
        ("lapse_days", lapse_days, None),
        ("recent_days", recent_days, None),
    ):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{func}: `{name}` must be a whole number of days, got {value!r}.")
        if value < 0 or (high is not None and value > high):
            raise ValueError(
                f"{func}: `{name}` must be between 0 and {high or 'any'}; got {value}."
            )
    check_frame(
        customers,
        func,
        "customers",
        {customer_col: "customer_col", birth_col: "birth_col", signup_col: "signup_col"},
    )
    check_frame(
        transactions,
        func,
        "transactions",
        {customer_col: "customer_col", date_col: "date_col", category_col: "category_col"},
        allow_empty=True,
    )
    tx_date = pd.to_datetime(transactions[date_col])
    signup = pd.to_datetime(customers[signup_col])
    default = tx_date.max() if len(tx_date) else signup.max()
    as_of = check_as_of(as_of, func, earliest=signup.min(), default=default).normalize()

    live = (signup <= as_of).to_numpy()
    if churn_col in customers.columns:
        churn = pd.to_datetime(customers[churn_col])
        live = live & (churn.isna() | (churn > as_of)).to_numpy()
    cust = customers[live]
    parts = []
    for event, col in (("birthday", birth_col), ("signup_anniversary", signup_col)):
        dates = pd.to_datetime(cust[col]).dt.normalize().reset_index(drop=True)
        ok = dates.notna().to_numpy()
        when, years = _next_occurrence(dates[ok].reset_index(drop=True), as_of)
        until = (when - as_of).dt.days.to_numpy()
        keep = (until <= days) & (years >= (1 if event == "signup_anniversary" else 0))
        parts.append(
            pd.DataFrame(
                {
                    "row": np.flatnonzero(ok)[keep],
                    "event": event,
                    "event_date": when.to_numpy()[keep],
                    "days_until": until[keep].astype("int64"),
                    "years": years[keep].astype("int64"),
                }
            )
        )
    ev = pd.concat(parts, ignore_index=True)
    ids = cust[customer_col].to_numpy()[ev["row"].to_numpy()]
    if {"first_name", "last_name"} <= set(cust.columns):
        first = cust["first_name"].astype("string").fillna("")
        last = cust["last_name"].astype("string").fillna("")
        full = (first + " " + last).str.strip().astype(object).to_numpy()  # "" when unknown
        names = full[ev["row"].to_numpy()]
    else:
        names = np.full(len(ev), "", dtype=object)

    past = transactions[(tx_date <= as_of).to_numpy()]
    past = past.assign(_d=pd.to_datetime(past[date_col])).sort_values("_d", kind="stable")
    last = past.groupby(customer_col).tail(1).set_index(customer_col)
    last_date = last["_d"].reindex(ids).reset_index(drop=True)
    last_cat = last[category_col].astype(str).reindex(ids).fillna("").reset_index(drop=True)
    since = (as_of - last_date).dt.days.astype("Int64")
    action = np.where(
        last_date.isna() | (since > lapse_days).fillna(True),
        "personal_contact",
        np.where((since <= recent_days).fillna(False), "follow_up", "special_occasions"),
    )
    out = pd.DataFrame(
        {
            "customer_id": ids,
            "name": names,
            "event": ev["event"].to_numpy(),
            "event_date": ev["event_date"].to_numpy(),
            "days_until": ev["days_until"].to_numpy(),
            "years": ev["years"].to_numpy(),
            "last_purchase_date": last_date.to_numpy(),
            "days_since_purchase": since.array,
            "last_category": last_cat.to_numpy(),
            "suggested_action": action,
        }
    )
    out = out.sort_values(["event_date", "customer_id", "event"], kind="stable")
    return out.reset_index(drop=True)


#: The occasions of :func:`event_calendar` (its ``event`` column), in order.
EVENT_KINDS = ("birthday", "signup_anniversary")
#: The suggested actions of :func:`event_calendar`, from the mildest to the most personal.
CALENDAR_ACTIONS = ("follow_up", "special_occasions", "personal_contact")
#: The furthest the event calendar explorer looks ahead (days).
MAX_DAYS = 90


def calendar_dates(transactions: pd.DataFrame, *, date_col="date") -> list[pd.Timestamp]:
    """The "as of" dates the explorer offers: the last day of every month of the data.

    The last month ends on the latest purchase date (the data's "today").

    Parameters
    ----------
    transactions : DataFrame
        Purchases with a date column.
    date_col : str, default="date"

    Returns
    -------
    list of Timestamp

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"date": pd.to_datetime(["2024-01-15", "2024-03-10"])})
    >>> [d.strftime("%Y-%m-%d") for d in calendar_dates(t)]
    ['2024-01-31', '2024-02-29', '2024-03-10']
    """
    dates = pd.to_datetime(transactions[date_col]).dropna()
    if dates.empty:
        raise ValueError("calendar_dates: `transactions` has no dates; no calendar to show.")
    first, last = dates.min().normalize(), dates.max().normalize()
    ends = pd.date_range(first + pd.offsets.MonthEnd(0), last, freq="ME")
    out = [d for d in ends if d < last]
    return [*out, last]


class CalendarCache:
    """Event calendars of one world, computed at most once per "as of" date.

    Parameters
    ----------
    customers, transactions : DataFrame
        As for :func:`event_calendar`.
    days : int, default=MAX_DAYS
        How far each cached calendar looks ahead; shorter windows are cut
        from it.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(300, random_state=0)
    >>> cache = CalendarCache(w.customers, w.transactions)
    >>> as_of = calendar_dates(w.transactions)[-1]
    >>> cache.get(as_of, 21).equals(event_calendar(w.customers, w.transactions,
    ...                                            as_of=as_of, days=21))
    True
    """

    def __init__(self, customers, transactions, *, days=MAX_DAYS):
        self.customers, self.transactions, self.days = customers, transactions, days
        self._cache: dict[pd.Timestamp, pd.DataFrame] = {}

    def get(self, as_of, days) -> pd.DataFrame:
        """The calendar as of ``as_of`` for the next ``days`` days (0 to ``self.days``)."""
        as_of = pd.Timestamp(as_of)
        if as_of not in self._cache:
            self._cache[as_of] = event_calendar(
                self.customers, self.transactions, as_of=as_of, days=self.days
            )
        cal = self._cache[as_of]
        return cal[cal["days_until"] <= days].reset_index(drop=True)


def events_per_week(calendar: pd.DataFrame, as_of, days) -> pd.DataFrame:
    """Occasions per week of the window, by kind (for the bar chart).

    Parameters
    ----------
    calendar : DataFrame
        The output of :func:`event_calendar`.
    as_of : date
        First day of the window (week 1 starts here).
    days : int
        Length of the window; every week of it gets a row, also when empty.

    Returns
    -------
    DataFrame
        One row per week: ``week_start`` and one count column per event
        (:data:`EVENT_KINDS`: ``birthday``, ``signup_anniversary``).

    Examples
    --------
    >>> import pandas as pd
    >>> cal = pd.DataFrame({"event": ["birthday", "signup_anniversary", "birthday"],
    ...                     "days_until": [0, 3, 9]})
    >>> events_per_week(cal, "2024-01-01", 13)[["birthday", "signup_anniversary"]].values.tolist()
    [[1, 1], [1, 0]]
    """
    as_of = pd.Timestamp(as_of)
    weeks = int(days) // 7 + 1
    week = (calendar["days_until"].to_numpy() // 7).astype(np.int64)
    event = calendar["event"].to_numpy()
    in_window = (week >= 0) & (week < weeks)
    counts = {  # a bincount per kind: much faster than a crosstab in a live callback
        ev: np.bincount(week[in_window & (event == ev)], minlength=weeks).astype(np.int64)
        for ev in EVENT_KINDS
    }
    starts = [as_of + pd.Timedelta(days=7 * w) for w in range(weeks)]
    return pd.DataFrame({"week_start": starts, **counts})


def calendar_actions(calendar: pd.DataFrame) -> pd.Series:
    """How many occasions of a calendar call for each suggested action.

    Parameters
    ----------
    calendar : DataFrame
        The output of :func:`event_calendar`.

    Returns
    -------
    Series
        Counts (int) indexed by :data:`CALENDAR_ACTIONS` (``follow_up``,
        ``special_occasions``, ``personal_contact``), zeros included.

    Examples
    --------
    >>> import pandas as pd
    >>> cal = pd.DataFrame({"suggested_action": ["follow_up", "personal_contact", "follow_up"]})
    >>> calendar_actions(cal).to_dict()
    {'follow_up': 2, 'special_occasions': 0, 'personal_contact': 1}
    """
    counts = calendar["suggested_action"].value_counts()
    return counts.reindex(list(CALENDAR_ACTIONS), fill_value=0)


def care_actions_summary(
    interactions,
    *,
    freq="M",
    as_of=None,
    date_col="date",
    kind_col="kind",
    customer_col="customer_id",
):
    """How many care actions (source 004) the company made, per period.

    Parameters
    ----------
    interactions : DataFrame
        Contacts with ``date``, ``kind`` and ``customer_id``.
    freq : {"M", "W", "Q"}, default="M"
        Period length.
    as_of : date, optional
        Last day counted. Default: the latest contact.
    date_col, kind_col, customer_col : str
        Column names.

    Returns
    -------
    DataFrame
        One row per period from the first contact to ``as_of``: ``period``,
        ``period_start``, one count column per care kind (:data:`CARE_KINDS`:
        follow_up, newsletter, personal_note, personal_call,
        special_occasion, useful_information), ``total`` and
        ``customers_reached`` (distinct customers given any care action).

    Examples
    --------
    >>> import pandas as pd
    >>> i = pd.DataFrame({"date": pd.to_datetime(["2024-01-05", "2024-01-09", "2024-02-01"]),
    ...                   "kind": ["follow_up", "complaint", "newsletter"],
    ...                   "customer_id": [1, 2, 1]})
    >>> care_actions_summary(i)[["period", "follow_up", "newsletter", "total"]]
        period  follow_up  newsletter  total
    0  2024-01          1           0      1
    1  2024-02          0           1      1
    """
    func = "care_actions_summary"
    check_choice(freq, "freq", ("M", "W", "Q"), func)
    check_frame(
        interactions,
        func,
        "interactions",
        {date_col: "date_col", kind_col: "kind_col", customer_col: "customer_col"},
    )
    date = pd.to_datetime(interactions[date_col])
    as_of = check_as_of(as_of, func, earliest=date.min(), default=date.max())
    periods = pd.period_range(date.min().to_period(freq), as_of.to_period(freq), freq=freq)
    kind = interactions[kind_col].astype("string")
    care = (kind.isin(CARE_KINDS).fillna(False) & (date <= as_of)).to_numpy()
    frame = pd.DataFrame(
        {
            "period": date[care].dt.to_period(freq).to_numpy(),
            "kind": kind[care].to_numpy(),
            "customer": interactions[customer_col].to_numpy()[care],
        }
    )
    counts = (
        pd.crosstab(frame["period"], frame["kind"])
        .reindex(index=periods, columns=list(CARE_KINDS), fill_value=0)
        .astype("int64")
    )
    counts["total"] = counts.sum(axis=1)
    counts["customers_reached"] = (
        frame.groupby("period")["customer"].nunique().reindex(periods, fill_value=0).astype("int64")
    )
    counts.insert(0, "period_start", periods.to_timestamp(how="start"))
    counts.index.name = "period"
    counts.columns.name = None
    return counts.reset_index()


# --------------------------------------------------------------------------- scorecard
def _check_ratings(ratings, func):
    if isinstance(ratings, pd.DataFrame):
        raise TypeError(
            f"{func}: `ratings` must be a dict or Series {{strategy: rating}}, got a DataFrame. "
            "To compare several scorecards use merge_scorecards."
        )
    if isinstance(ratings, pd.Series):
        ratings = ratings.to_dict()
    if not isinstance(ratings, dict):
        raise TypeError(
            f"{func}: `ratings` must be a dict {{strategy: rating 1-5}} with the ten keys "
            f"{list(STRATEGIES)}; got {type(ratings).__name__}."
        )
    unknown = [k for k in ratings if k not in STRATEGIES]
    if unknown:
        raise ValueError(
            f"{func}: unknown strategy key(s) {unknown}; the ten keys are {list(STRATEGIES)}."
        )
    missing = [k for k in STRATEGIES if k not in ratings]
    if missing:
        raise ValueError(
            f"{func}: no rating for {missing}; rate all ten strategies from 1 (absent) to 5 "
            "(excellent)."
        )
    out = {}
    for k in STRATEGIES:
        v = ratings[k]
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"{func}: the rating of {k!r} must be a number from 1 to 5; got {v!r}.")
        if not 1 <= v <= 5:  # also refuses NaN
            raise ValueError(f"{func}: the rating of {k!r} must be between 1 and 5; got {v!r}.")
        out[k] = float(v)
    return out


def maturity_level(mean):
    """The maturity level of a mean strategy rating (1-5): ``(level, description)``.

    The highest of :data:`MATURITY_LEVELS` whose lower bound ``mean`` reaches.
    """
    level, text = MATURITY_LEVELS[0][1:]
    for low, name, desc in MATURITY_LEVELS:
        if mean >= low - 1e-9:
            level, text = name, desc
    return level, text


def strategy_scorecard(ratings, *, participant="") -> pd.DataFrame:
    """A self-assessment of the ten relationship strategies (source 000).

    Parameters
    ----------
    ratings : dict or Series
        ``{strategy key: rating}`` for all ten keys of
        :data:`crmkit.concepts.STRATEGIES`, each from 1 (absent) to 5
        (excellent).
    participant : str, default=""
        Who rated (a person or team), kept in a column for
        :func:`merge_scorecards`.

    Returns
    -------
    DataFrame
        Ten rows in strategy order: ``number`` (1-10), ``strategy``,
        ``name``, ``rating``, ``gap`` (5 - rating), ``priority`` (1 = work on
        first: the largest gap, ties in strategy order), ``kpis`` (the kit's
        metrics that show the strategy at work, from :data:`STRATEGY_KPIS`)
        and ``participant``. ``attrs["maturity"]`` holds the summary of
        :func:`scorecard_maturity`.

    Examples
    --------
    >>> from crmkit import concepts
    >>> r = dict.fromkeys(concepts.keys(concepts.STRATEGIES), 4)
    >>> r["staff_training"] = 2
    >>> card = strategy_scorecard(r)
    >>> card.loc[card["priority"] == 1, "strategy"].item()
    'staff_training'
    >>> scorecard_maturity(card)["level"]
    'managed'
    """
    func = "strategy_scorecard"
    values = _check_ratings(ratings, func)
    if not isinstance(participant, str):
        raise TypeError(f"{func}: `participant` must be a name (str), got {participant!r}.")
    names = concepts.labels(concepts.STRATEGIES)
    rating = np.array([values[k] for k in STRATEGIES])
    gap = 5.0 - rating
    order = np.lexsort((np.arange(len(gap)), -gap))
    priority = np.empty(len(gap), dtype=np.int64)
    priority[order] = np.arange(1, len(gap) + 1)
    card = pd.DataFrame(
        {
            "number": np.arange(1, len(STRATEGIES) + 1),
            "strategy": list(STRATEGIES),
            "name": [names[k] for k in STRATEGIES],
            "rating": rating,
            "gap": gap,
            "priority": priority,
            "kpis": ["; ".join(STRATEGY_KPIS[k]) for k in STRATEGIES],
            "participant": participant,
        }
    )
    card.attrs["maturity"] = scorecard_maturity(card)
    return card


def scorecard_maturity(scorecard) -> dict:
    """Mean rating and maturity level of a scorecard.

    Levels by mean rating (:data:`MATURITY_LEVELS`, equal bands of 0.8 on the
    1-5 scale): initial [1, 1.8), developing [1.8, 2.6), defined [2.6, 3.4),
    managed [3.4, 4.2), optimising [4.2, 5].

    Parameters
    ----------
    scorecard : DataFrame or dict
        A table from :func:`strategy_scorecard` (or with ``strategy`` and
        ``rating`` columns), or a ratings dict.

    Returns
    -------
    dict
        ``mean``, ``level``, ``description``, ``weakest`` and ``strongest``
        (strategy keys; the first in strategy order on ties).

    Examples
    --------
    >>> from crmkit import concepts
    >>> scorecard_maturity(dict.fromkeys(concepts.keys(concepts.STRATEGIES), 2))["level"]
    'developing'
    """
    func = "scorecard_maturity"
    if isinstance(scorecard, pd.DataFrame):
        values = _ratings_of(scorecard, func, "scorecard")
    else:
        values = _check_ratings(scorecard, func)
    ratings = pd.Series(values).reindex(list(STRATEGIES))
    mean = float(ratings.mean())
    level, desc = maturity_level(mean)
    return {
        "mean": mean,
        "level": level,
        "description": desc,
        "weakest": str(ratings.idxmin()),
        "strongest": str(ratings.idxmax()),
    }


def _ratings_of(frame, func, arg):
    check_frame(
        frame, func, arg, {"strategy": "a scorecard column", "rating": "a scorecard column"}
    )
    if frame["strategy"].duplicated().any():
        dup = frame.loc[frame["strategy"].duplicated(), "strategy"].tolist()
        raise ValueError(f"{func}: `{arg}` rates {dup} more than once; one row per strategy.")
    ratings = {}
    for k, v in zip(frame["strategy"], frame["rating"], strict=True):
        ratings[k] = v.item() if isinstance(v, np.generic) else v
    return _check_ratings(ratings, func)


def scorecard_to_csv(scorecard, path=None) -> str:
    """The scorecard as CSV text (for a download button), optionally written to ``path``.

    Parameters
    ----------
    scorecard : DataFrame
        A table from :func:`strategy_scorecard`.
    path : str or Path, optional
        File to write (UTF-8); its folder must exist.

    Returns
    -------
    str
        The CSV text, with a header row and no index. Text that a spreadsheet
        would run as a formula (a participant named ``=1+1``) starts with a
        ``'`` (OWASP's advice); :func:`merge_scorecards` and
        :func:`crmkit.workshop.room.read_room_scorecards` remove it again.

    Examples
    --------
    >>> from crmkit import concepts
    >>> card = strategy_scorecard(dict.fromkeys(concepts.keys(concepts.STRATEGIES), 3))
    >>> scorecard_to_csv(card).splitlines()[0]
    'number,strategy,name,rating,gap,priority,kpis,participant'
    """
    func = "scorecard_to_csv"
    if not isinstance(scorecard, pd.DataFrame):
        raise TypeError(
            f"{func}: `scorecard` must be the table from strategy_scorecard, got "
            f"{type(scorecard).__name__}."
        )
    _ratings_of(scorecard, func, "scorecard")
    text = neutralise_frame(scorecard).to_csv(index=False, lineterminator="\n")
    if path is not None:
        if not isinstance(path, str | Path):
            raise TypeError(f"{func}: `path` must be a file name, got {type(path).__name__}.")
        target = Path(path)
        if not target.parent.exists():
            raise ValueError(
                f"{func}: folder {str(target.parent)!r} does not exist; create it first."
            )
        target.write_text(text, encoding="utf-8")
    return text


def _read_card(item, func):
    if isinstance(item, pd.DataFrame):
        return item, None
    if isinstance(item, str | Path):
        p = Path(item)
        if not p.exists():
            raise ValueError(f"{func}: no scorecard file {str(p)!r}.")
        return read_scorecard_csv(p), p.stem
    raise TypeError(
        f"{func}: each scorecard must be a DataFrame from strategy_scorecard or a CSV path; "
        f"got {type(item).__name__}."
    )


def read_scorecard_csv(source) -> pd.DataFrame:
    """Read a CSV written by :func:`scorecard_to_csv` (a file name, or the file's bytes).

    The participant comes back as it was given (the ``'`` that
    :func:`scorecard_to_csv` puts before a name such as ``=1+1`` is removed).
    The table is not checked; :func:`merge_scorecards` does that.

    Examples
    --------
    >>> from crmkit import concepts
    >>> keys = concepts.keys(concepts.STRATEGIES)
    >>> text = scorecard_to_csv(strategy_scorecard(dict.fromkeys(keys, 3), participant="=1+1"))
    >>> read_scorecard_csv(text.encode())["participant"].iloc[0]
    '=1+1'
    """
    if isinstance(source, bytes | bytearray | memoryview):
        source = io.BytesIO(bytes(source))
    elif not isinstance(source, str | Path):
        raise TypeError(
            "read_scorecard_csv: `source` must be a file name or the file's bytes; got "
            f"{type(source).__name__}."
        )
    frame = pd.read_csv(source, dtype={"participant": "string"}, keep_default_na=False)
    if "participant" in frame.columns:
        frame["participant"] = frame["participant"].map(restore_cell).astype("string")
    return frame


def merge_scorecards(scorecards) -> pd.DataFrame:
    """Compare the scorecards of several participants or teams, strategy by strategy.

    Parameters
    ----------
    scorecards : list or dict
        Tables from :func:`strategy_scorecard` or paths of CSV files from
        :func:`scorecard_to_csv`; as a dict, the keys are the participants'
        labels. Otherwise a card's label is its ``participant`` value, else
        the file name without ``.csv``, else "participant 1", "participant 2"...

    Returns
    -------
    DataFrame
        Ten rows in strategy order: ``strategy``, ``name``, one rating column
        per participant (in the order given), then ``mean``, ``min``,
        ``max`` and ``spread`` (max - min: where the participants disagree).

    Examples
    --------
    >>> from crmkit import concepts
    >>> keys = concepts.keys(concepts.STRATEGIES)
    >>> a = strategy_scorecard(dict.fromkeys(keys, 2), participant="sales")
    >>> b = strategy_scorecard(dict.fromkeys(keys, 4), participant="billing")
    >>> merge_scorecards([a, b]).head(2)
      strategy     name  sales  billing  mean  min  max  spread
    0   people   People    2.0      4.0   3.0  2.0  4.0     2.0
    1  process  Process    2.0      4.0   3.0  2.0  4.0     2.0
    """
    func = "merge_scorecards"
    if isinstance(scorecards, pd.DataFrame | str | Path):
        raise TypeError(
            f"{func}: `scorecards` must be a list (or dict) of scorecards, got a single "
            f"{type(scorecards).__name__}; wrap it in a list."
        )
    if isinstance(scorecards, dict):
        items = [(str(k), v) for k, v in scorecards.items()]
    elif isinstance(scorecards, list | tuple):
        items = [(None, v) for v in scorecards]
    else:
        raise TypeError(
            f"{func}: `scorecards` must be a list or dict of scorecards, got "
            f"{type(scorecards).__name__}."
        )
    if not items:
        raise ValueError(f"{func}: `scorecards` is empty; give at least one scorecard.")
    columns = {}
    for i, (label, item) in enumerate(items, start=1):
        frame, stem = _read_card(item, func)
        ratings = _ratings_of(frame, func, f"scorecards[{i - 1}]")
        if label is None and "participant" in frame.columns:
            who = {str(x) for x in frame["participant"].dropna() if str(x).strip()}
            label = who.pop() if len(who) == 1 else None
        label = label or stem or f"participant {i}"
        if label in ("strategy", "name", "mean", "min", "max", "spread"):
            raise ValueError(
                f"{func}: {label!r} cannot label a participant (it names a column of the "
                "comparison table); choose another label."
            )
        if label in columns:
            raise ValueError(
                f"{func}: two scorecards are labelled {label!r}; pass a dict "
                "{label: scorecard} or set participant= in strategy_scorecard to tell them apart."
            )
        columns[label] = [ratings[k] for k in STRATEGIES]
    names = concepts.labels(concepts.STRATEGIES)
    out = pd.DataFrame({"strategy": list(STRATEGIES), "name": [names[k] for k in STRATEGIES]})
    table = pd.DataFrame(columns, index=out.index)
    out = pd.concat([out, table], axis=1)
    out["mean"] = table.mean(axis=1)
    out["min"] = table.min(axis=1)
    out["max"] = table.max(axis=1)
    out["spread"] = out["max"] - out["min"]
    return out
