"""A synthetic CRM world from a seed: :func:`make_world`.

The latent model
----------------
Everything below is returned in ``World.truth`` so that a lesson can check that
an analysis recovers it.

*Satisfaction.* Every customer has four latent component scores on the survey
scale 1-7 (product, peripheral, atmosphere, psychological; source 000). Their
weighted sum with ``truth["component_weights"]`` (0.40, 0.25, 0.20, 0.15 by
default) is the customer's latent satisfaction ``s``. Survey answers are the
latent scores plus touchpoint effects and noise, rounded; *overall* satisfaction
is the weighted sum of the four answers plus noise, so a regression of overall
on the components recovers the weights. NPS (0-10) follows overall.

*Lifecycle.* Each month a customer moves between the five stages (source 004)
by ``truth["transition_matrix"]`` (rows: this month, columns: next month).
The probability of moving to *dissolution* is multiplied, per customer, by
``exp(satisfaction_effect * z)`` (``z`` = standardised satisfaction), by the
loyalty-programme factor once they are members, by care (follow-ups, personal
contact), by prior loyalty to a competitor, by deal-seeking and by a contract
with an exit fee (below); fraudsters are ended by the supplier (the kit's
reading: source 004 does not say who commits the fraud). Dissolved
customers can be won back (dissolution -> awareness). Each dissolution gets a
reason: customer-side (needs changed, dissatisfaction, a better brand) or
supplier-side (low volume, fraud).

*Purchases.* Monthly purchase rates depend on the relationship type (the kit's
assumption; source 004 says only that a long-term relationship means repeated
contact: a transactional kiosk customer buys rarely, a dedicated account often), the stage
(more in expansion and commitment), satisfaction and the birthday month (an
event-based offer). Loyalty members pay less (strategy 9); deal-seekers buy
mostly on promotion; late payers pay after the 30-day terms.

*Contacts.* Complaints rise as satisfaction falls (and serial complainers
complain regardless); praise and referrals rise with it. Staff training
shortens complaint resolution and raises the share resolved (strategy 8);
hand-offs between departments lengthen it (strategy 4). Care actions
(follow-ups, notes, special occasions) are more frequent for customers with
more care, who also defect less.

*Exit fees.* Some customers sign up under a contract with an early-exit fee (a
negative retention strategy, source 002): a share that depends on the
relationship type (hardly any kiosk-style transactional customers, most often
automated services and long-term relationships). The contract runs for the
rest of the sign-up month and twelve full months; it ends on the first day of
the next month. While it binds (the twelve months) their dissolution hazard is
multiplied by ``hazard_factor_bound``: they are trapped. Leaving ends the
contract. Those still bound when it ends leave in a burst: the hazard is
multiplied by ``hazard_factor_after_end`` in the first ``after_end_months``
months, and back to normal after. The resentment lasts: their survey answers
on atmosphere (price, fairness) and the psychological component are lower,
their NPS lower still, they complain more and refer fewer people (reputation).
Latent satisfaction itself is unchanged, so no other effect of satisfaction
mixes in. The sizes are in ``truth["exit_fee"]``.

*Campaigns.* Monthly acquisition campaigns per channel (with a true conversion
rate per channel), win-back, retention and cross-sell offers carried on several
channels (sometimes at different prices: an omnichannel inconsistency),
birthday offers, and a few social events that lift sign-ups the month after.

Dates never depend on today: the world runs from ``start`` to ``end`` (by
default 2023-01-01 to 2024-12-31; ``end`` is the reference date).

How it is built
---------------
Every step works on whole columns (numpy), never row by row, so a million
customers take seconds (``benchmarks/bench_generate.py``). Customers are
numbered in sign-up order, so "everyone who had signed up by month m" is simply
customers ``0 .. k-1``. Large intermediate arrays use small types (int32 days
and customer numbers, int8 codes, float32 uniform numbers); the tables come out
in the dtypes of :data:`crmkit.schema.SCHEMA`.

The numbers of the model live in :mod:`crmkit.synth_model` (and can be
imported from here too), the samplers and column makers every step uses in
:mod:`crmkit.synth_columns`. The contact and survey tables are made in
:mod:`crmkit.synth_contacts`, from a :class:`~crmkit.synth_contacts.ContactInputs`
and the :class:`~crmkit.synth_contacts.Purchases` that the steps here hand over.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_random_state, check_transition_matrix
from crmkit.people import check_locale, make_people, people_columns, stable_argsort
from crmkit.synth_columns import (
    as_frame,
    categorical,
    dates_of_days,
    draw_by_group,
    draw_codes,
    logistic,
    optional_ids,
    order_by_day,
)
from crmkit.synth_contacts import ContactInputs, Purchases, interaction_table, survey_table
from crmkit.synth_model import (
    ACQ_CHANNELS,
    CATEGORIES_,
    CATEGORY_COST,
    CATEGORY_PRICE,
    CHANNEL_CONTACT_COST,
    CHANNEL_CONVERSION,
    CHANNELS,
    COMPONENTS,
    CONTRACT_SHARE,
    CONTRACT_TERM_MONTHS,
    DEFAULT_TRANSITIONS,
    DEFAULT_WEIGHTS,
    EXIT_FEE,
    EXIT_FEE_EFFECTS,
    FLAG_SHARES,
    HANDOFF_EFFECT,
    KINDS,  # noqa: F401 - still importable from crmkit.synth
    PAYMENT_TERMS_DAYS,
    STAGE_CATEGORY,
    STAGE_RATE,
    STAGES,
    TOUCHPOINT_EFFECT,
    TOUCHPOINTS,
    TRAINING_EFFECT,
    TYPE_CHANNEL,
    TYPE_RATE,
    TYPE_SHARE,
    TYPES,
)
from crmkit.world import World, conform

__all__ = [
    "make_world",
    "customer_identity",
    "world_memory_estimate",
    "check_random_state",
    "DEFAULT_START",
    "DEFAULT_END",
    "PAYMENT_TERMS_DAYS",
]

DEFAULT_START = "2023-01-01"
DEFAULT_END = "2024-12-31"


def _check_count(value, name, func, *, minimum=1):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{func}: `{name}` must be a whole number; got {value!r} "
            f"({type(value).__name__}). Example: {name}=2000."
        )
    if value < minimum:
        raise ValueError(f"{func}: `{name}` must be at least {minimum}; got {value}.")
    return int(value)


EARLIEST_DATE = "1970-01-01"
LATEST_DATE = "2199-12-31"
MAX_YEARS = 30
SATISFACTION_EFFECT_RANGE = (-3.0, 3.0)


def _check_date(value, name, func):
    """A calendar day from ``value``; a time zone is dropped (its local date is kept)."""
    if isinstance(value, numbers.Number):
        raise TypeError(f"{func}: `{name}` must be a date such as '2023-01-01', not a number; "
                        f"got {value!r}.")
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        ts = None
    if ts is None or ts is pd.NaT:
        raise ValueError(f"{func}: `{name}` must be a date such as '2023-01-01'; got {value!r}.")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)  # the date where it was given, as a calendar day
    ts = ts.normalize()
    if not pd.Timestamp(EARLIEST_DATE) <= ts <= pd.Timestamp(LATEST_DATE):
        raise ValueError(
            f"{func}: `{name}` must be between {EARLIEST_DATE} and {LATEST_DATE}; got "
            f"{ts.date()}. Pass a date in that range, e.g. {name}='2023-01-01'."
        )
    return ts


def _check_real(value, name, func, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{func}: `{name}` must be a number; got {value!r}.")
    if not np.isfinite(value) or not low <= value <= high:
        raise ValueError(
            f"{func}: `{name}` must be a finite number from {low:g} to {high:g}; got "
            f"{value!r}. The default is -0.6."
        )
    return float(value)


def _available_memory():
    """Bytes the machine can still give a process (Linux MemAvailable), or None."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def world_memory_estimate(n_customers, *, start=DEFAULT_START, end=DEFAULT_END, n_staff=None):
    """Bytes :func:`make_world` needs at its peak, estimated before it allocates.

    Measured on the default model (every table): about 800 bytes per customer
    plus 110 bytes per customer and month of the period (purchases, contacts
    and surveys grow with the time a customer is there), plus 500 bytes per
    employee; the figure is rounded up by a quarter, so that it errs on the
    safe side. ``benchmarks/bench_generate.py`` prints it beside the measured
    peak.

    Parameters
    ----------
    n_customers : int
    start, end : str or Timestamp, default="2023-01-01", "2024-12-31"
    n_staff : int, optional
        Default: one per 60 customers, at least 24 (as in :func:`make_world`).

    Returns
    -------
    int
        Bytes.

    Examples
    --------
    >>> round(world_memory_estimate(1_000_000) / 2**30, 1)
    4.0
    """
    func = "world_memory_estimate"
    n = _check_count(n_customers, "n_customers", func)
    start_ts, end_ts = _check_date(start, "start", func), _check_date(end, "end", func)
    months = (end_ts.year - start_ts.year) * 12 + end_ts.month - start_ts.month + 1
    staff = max(24, round(n / 60)) if n_staff is None else _check_count(n_staff, "n_staff", func)
    return int(1.25 * (n * (800 + 110 * months) + 500 * staff))


def _check_weights(weights, func):
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    if not isinstance(weights, dict):
        raise TypeError(
            f"{func}: `component_weights` must be a dict like "
            f"{DEFAULT_WEIGHTS}; got {type(weights).__name__}."
        )
    unknown = set(weights) - set(COMPONENTS)
    if unknown or set(weights) != set(COMPONENTS):
        raise ValueError(
            f"{func}: `component_weights` needs exactly the keys {list(COMPONENTS)}; "
            f"got {sorted(weights)}."
        )
    w = {k: float(weights[k]) for k in COMPONENTS}
    if not all(np.isfinite(v) and v >= 0 for v in w.values()) or abs(sum(w.values()) - 1) > 1e-6:
        raise ValueError(f"{func}: `component_weights` must be >= 0 and sum to 1; got {w}.")
    return w


def _check_transitions(matrix, func):
    if matrix is None:
        return DEFAULT_TRANSITIONS.copy()
    return check_transition_matrix(matrix, func, "transition_matrix")


def _month_of_year(days):
    """Month of the year (0-11, int8) of day numbers, through a table of the days spanned."""
    first = int(days.min()) if days.size else 0
    span = np.arange(first, int(days.max()) + 1 if days.size else 1).astype("datetime64[D]")
    table = (span.astype("datetime64[M]").astype(np.int64) % 12).astype(np.int8)
    return table[days - first]


def _move_steps(P):
    """Cumulative probabilities of the moves other than dissolution (stage x 3 steps).

    Row s is ``P[s, :3]`` summed up and divided by ``1 - P[s, 4]``. A step that
    only dissolution follows is infinite, so that no rounding can reach it.
    """
    cum = np.cumsum(P[:, :4], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        steps = cum[:, :3] / cum[:, 3:]
    steps[~(cum[:, :3] < cum[:, 3:] - 1e-12)] = np.inf
    return steps


def _groups(codes, k):
    """Positions grouped by code: ``(order, at)``, group j is ``order[at[j] : at[j + 1]]``.

    Codes are 0 .. k (k: in no group); positions stay in increasing order in a group.
    """
    order = stable_argsort(codes)
    at = np.searchsorted(codes[order], np.arange(k + 1))
    return order, at


def _conform(table, df):
    """:func:`crmkit.world.conform`, skipped when ``df`` already conforms.

    The generator builds every table with the schema's columns, order and
    dtypes, so a check on an empty slice is enough; ``conform`` itself would
    copy each column of tables that may hold millions of rows.
    """
    expected = conform(table, df.iloc[:0])
    same = (
        list(df.columns) == list(expected.columns)
        and all(df[c].dtype == expected[c].dtype for c in df.columns)
        and isinstance(df.index, pd.RangeIndex)
        and df.index.start == 0
        and df.index.step == 1
    )
    return df if same else conform(table, df)


def make_world(
    n_customers=2000,
    *,
    locale="en_US",
    start=DEFAULT_START,
    end=DEFAULT_END,
    n_staff=None,
    component_weights=None,
    transition_matrix=None,
    satisfaction_effect=-0.6,
    random_state=None,
    tables=None,
) -> World:
    """Build a consistent synthetic CRM world.

    Parameters
    ----------
    n_customers : int, default=2000
        Number of customers acquired between ``start`` and ``end``.
    locale : {"en_US", "pl_PL", "fa_IR", "ru_RU", "fi_FI"}, default="en_US"
        Faker locale of names and cities (short codes such as "pl" work too).
    start, end : str or Timestamp, default="2023-01-01", "2024-12-31"
        The period simulated; ``end`` is the reference ("as of") date. Both
        between 1970-01-01 and 2199-12-31, at least a month and at most 30
        years apart; a time zone is dropped (the date as given is kept).
    n_staff : int, optional
        Employees; by default one per 60 customers, at least 24.
    component_weights : dict, optional
        Weights of the four satisfaction components in overall satisfaction
        (keys ``product``, ``peripheral``, ``atmosphere``, ``psychological``;
        they sum to 1).
    transition_matrix : array-like of shape (5, 5), optional
        Monthly lifecycle transitions at average satisfaction.
    satisfaction_effect : float, default=-0.6
        Log-change of the defection hazard per standard deviation of
        satisfaction (negative: happier customers stay); a finite number from
        -3 to 3.
    random_state : int, numpy.random.Generator or None
        Seed: the same int gives the same world in any process.
    tables : iterable of str, optional
        Build only some of the tables ``interactions``, ``surveys`` (customers,
        transactions, campaigns, staff and stage_history are always built).

    Returns
    -------
    World
        The tables and ``truth``: ``component_weights``, ``transition_matrix``,
        ``latent`` (per customer: satisfaction, components, behaviour flags,
        care), ``touchpoint_effects``, ``channel_conversion``, ``exit_fee``
        (the contracts with an early-exit fee and their effects) and scalars.

    Raises
    ------
    ValueError
        For a value out of its range, and before anything is allocated when
        the world would need more memory than the machine has available
        (see :func:`world_memory_estimate`); the message gives the estimate.

    Examples
    --------
    >>> w = make_world(300, random_state=0)
    >>> len(w.customers)
    300
    >>> w.customers["lifecycle_stage"].cat.categories[0]
    'exploration'
    """
    func = "make_world"
    n = _check_count(n_customers, "n_customers", func)
    locale = check_locale(locale, func=func)
    start_ts = _check_date(start, "start", func)
    end_ts = _check_date(end, "end", func)
    if end_ts <= start_ts + pd.Timedelta(days=27):
        raise ValueError(
            f"{func}: `end` ({end_ts.date()}) must be at least a month after "
            f"`start` ({start_ts.date()}); pass a later end or an earlier start."
        )
    if end_ts > start_ts + pd.DateOffset(years=MAX_YEARS):
        raise ValueError(
            f"{func}: the period from {start_ts.date()} to {end_ts.date()} is longer than "
            f"{MAX_YEARS} years (the model's company grows through four stages over the "
            "period); pass a shorter period."
        )
    if n_staff is None:
        n_staff = max(24, round(n / 60))
    n_staff = _check_count(n_staff, "n_staff", func, minimum=len(TOUCHPOINTS))
    weights = _check_weights(component_weights, func)
    P = _check_transitions(transition_matrix, func)
    sat_effect = _check_real(
        satisfaction_effect, "satisfaction_effect", func, *SATISFACTION_EFFECT_RANGE
    )
    need, have = world_memory_estimate(n, start=start_ts, end=end_ts, n_staff=n_staff), (
        _available_memory()
    )
    if have is not None and need > have:
        raise ValueError(
            f"{func}: a world of {n:,} customers from {start_ts.date()} to {end_ts.date()} "
            f"needs about {need / 2**30:.1f} GiB of memory, and this machine has "
            f"{have / 2**30:.1f} GiB available. Pass fewer customers (about "
            f"{max(1, int(n * have / need)):,} fit) or a shorter period."
        )
    wanted = {"interactions", "surveys"} if tables is None else set(tables)
    if not wanted <= {"interactions", "surveys"}:
        raise ValueError(
            f"{func}: `tables` may name 'interactions' and 'surveys'; got {sorted(wanted)}."
        )
    rng = check_random_state(random_state, func=func)
    # The ninth stream (contracts) was added later: the first eight are spawned
    # the same way as before, so they draw the same numbers.
    streams = rng.spawn(9)

    g = _Generator(
        n, locale, start_ts, end_ts, n_staff, weights, P, sat_effect, streams
    )
    g.timeline()
    g.staff_table()
    g.customer_traits()
    g.contracts()
    g.simulate()
    g.purchases()
    g.campaign_calendar()
    g.transaction_table(keep_arrays=bool(wanted))
    g.customer_table()
    if wanted:
        inputs = g.contact_inputs()
        g.frames["interactions"], contacts = interaction_table(inputs, g.take_purchases())
        if "surveys" in wanted:
            g.frames["surveys"] = survey_table(inputs, contacts)
        del inputs, contacts  # the contacts' arrays are no longer needed
    seed = int(random_state) if isinstance(random_state, numbers.Integral) else None
    return g.world(locale, seed)


def customer_identity(n_customers=2000, *, locale="en_US", random_state=None) -> pd.DataFrame:
    """Who the customers of :func:`make_world` are, without the rest of the world.

    The identity columns (names, e-mail, city, birth and sign-up dates, gender)
    and the relationship type, acquisition channel and origin, drawn exactly as
    :func:`make_world` draws them with the same arguments (a test holds them
    equal), in a fraction of the time: no purchases, contacts or surveys are
    simulated. It is what ``benchmarks/bench_generate.py`` compares with a
    per-row Faker loop.

    Parameters
    ----------
    n_customers : int, default=2000
    locale : {"en_US", "pl_PL", "fa_IR", "ru_RU", "fi_FI"}, default="en_US"
    random_state : int, numpy.random.Generator or None

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id``, ``first_name``, ``last_name``, ``gender``,
        ``email``, ``city``, ``birth_date``, ``signup_date``,
        ``acquisition_channel``, ``origin``, ``relationship_type``.

    Examples
    --------
    >>> customer_identity(5, random_state=0).shape
    (5, 11)
    """
    func = "customer_identity"
    n = _check_count(n_customers, "n_customers", func)
    locale = check_locale(locale, func=func)
    rng = check_random_state(random_state, func=func)
    g = _Generator(
        n, locale, pd.Timestamp(DEFAULT_START), pd.Timestamp(DEFAULT_END), max(24, round(n / 60)),
        dict(DEFAULT_WEIGHTS), DEFAULT_TRANSITIONS, -0.6, rng.spawn(9),
    )  # fmt: skip
    g.timeline()
    g.customer_traits()
    columns = g.identity_columns(people_columns(n, locale, g.r_people))
    columns["origin"] = categorical(g.origin, concepts.CATEGORIES["origin"])
    columns["relationship_type"] = categorical(g.rtype, TYPES)
    return as_frame(columns)


class _Generator:
    """The steps of :func:`make_world`, sharing arrays; not public."""

    def __init__(self, n, locale, start, end, n_staff, weights, P, sat_effect, streams):
        self.n, self.locale, self.start, self.end = n, locale, start, end
        self.n_staff, self.weights, self.P, self.sat_effect = n_staff, weights, P, sat_effect
        (
            self.r_people,
            self.r_staff,
            self.r_traits,
            self.r_sim,
            self.r_tx,
            self.r_int,
            self.r_survey,
            self.r_camp,
            self.r_contract,
        ) = streams
        self.frames: dict[str, pd.DataFrame] = {}

    # ------------------------------------------------------------------ time
    def timeline(self):
        months = pd.period_range(self.start, self.end, freq="M")
        first = months.to_timestamp(how="start").to_numpy().astype("datetime64[D]")
        self.month_start = first.astype("int64")
        self.month_start[0] = max(
            self.month_start[0], np.datetime64(self.start.date(), "D").astype("int64")
        )
        last = months.to_timestamp(how="end").to_numpy().astype("datetime64[D]").astype("int64")
        self.end_day = int(np.datetime64(self.end.date(), "D").astype("int64"))
        last[-1] = self.end_day
        self.month_len = last - self.month_start + 1
        self.M = len(months)
        self.month_of_year = (months.month.to_numpy() - 1).astype(np.int8)
        q = np.minimum((np.arange(self.M) * 4) // self.M, 3)
        self.dev_stage = q  # customer-development stage of the company by month
        # social events every four months from the third month: sign-ups rise next month
        self.event_months = np.arange(2, self.M - 1, 4)
        # month (index) and month of the year of every day, from the first day
        self.month_of_day = np.repeat(np.arange(self.M, dtype=np.int16), self.month_len)
        self.moy_of_day = self.month_of_year[self.month_of_day]

    # ------------------------------------------------------------------ staff
    def staff_table(self):
        rng, k = self.r_staff, self.n_staff
        people = make_people(k, locale=self.locale, random_state=rng)
        team = np.concatenate(
            [
                np.arange(len(TOUCHPOINTS)),
                rng.choice(
                    len(TOUCHPOINTS),
                    k - len(TOUCHPOINTS),
                    p=(0.20, 0.22, 0.12, 0.06, 0.14, 0.10, 0.08, 0.08),
                ),
            ]
        )
        role = rng.choice(5, k, p=(0.58, 0.20, 0.12, 0.07, 0.03))
        # training differs by team (a programme per team) and by person
        team_mean = rng.uniform(8, 36, len(TOUCHPOINTS))
        training = np.round(rng.gamma(4.0, team_mean[team] / 4.0), 1)
        hire = self.month_start[0] - rng.integers(30, 365 * 12, k)
        office = np.array([0 if t.group == "front" else 1 for t in concepts.TOUCHPOINTS])[team]
        self.staff_team, self.staff_training = team, training
        self.team_members = [np.flatnonzero(team == t) for t in range(len(TOUCHPOINTS))]
        self.frames["staff"] = as_frame(
            {
                "staff_id": np.arange(1, k + 1),
                "first_name": pd.array(people["first_name"], dtype="str"),
                "last_name": pd.array(people["last_name"], dtype="str"),
                "team": categorical(team, TOUCHPOINTS),
                "office": categorical(office, ("front", "back")),
                "role": categorical(role, concepts.CATEGORIES["role"]),
                "hire_date": dates_of_days(hire),
                "training_hours": training,
            }
        )

    # ------------------------------------------------------------------ customers
    def customer_traits(self):
        rng, n = self.r_traits, self.n
        growth = np.array([0.5, 0.8, 1.3, 1.4])[self.dev_stage]
        bump = np.ones(self.M)
        bump[self.event_months + 1] = 1.25
        w = growth * bump * self.month_len
        # Sign-up month: customers are numbered in sign-up order, so the count per
        # month (one multinomial draw) is all we need; customers first[m] ..
        # first[m + 1] - 1 sign up in month m.
        counts = rng.multinomial(n, w / w.sum())
        self.first = np.concatenate([[0], np.cumsum(counts)])
        self.sign_m = np.repeat(np.arange(self.M), counts)
        self.sign_day = self.month_start[self.sign_m] + (
            rng.random(n, dtype=np.float32) * self.month_len[self.sign_m]
        ).astype(np.int64)
        self.rtype = draw_codes(rng, TYPE_SHARE, n)
        self.origin = draw_codes(rng, (0.50, 0.35, 0.15), n)
        comp_loyal = (self.origin == 0) & (rng.random(n, dtype=np.float32) < 0.4)
        self.competitor_loyal = comp_loyal
        # acquisition channel: community events, referrals, else the type's preferred channel
        chan = draw_by_group(rng, TYPE_CHANNEL, self.rtype)
        acq = chan.copy()
        after_event = np.zeros(self.M, dtype=bool)
        after_event[self.event_months + 1] = True
        after_event = after_event[self.sign_m]
        acq[(rng.random(n, dtype=np.float32) < 0.2) & after_event] = ACQ_CHANNELS.index(
            "community_event"
        )
        acq[(rng.random(n, dtype=np.float32) < 0.10) & (self.origin != 2)] = ACQ_CHANNELS.index(
            "referral"
        )
        won = np.flatnonzero(self.origin == 2)  # won back by a win-back campaign: e-mail or phone
        acq[won] = np.where(
            rng.random(won.size, dtype=np.float32) < 0.6,
            CHANNELS.index("email"),
            CHANNELS.index("phone"),
        )
        self.acq = acq
        self.home_channel = chan
        # latent satisfaction components on the 1-7 scale
        type_peripheral = np.array([-0.3, 0.1, 0.4, 0.8, -0.2, -0.1, 0.2])
        self.reserved = rng.random(n, dtype=np.float32) < 0.3
        z = rng.standard_normal((n, 4), dtype=np.float32).astype(np.float64)
        z *= (0.8, 0.9, 0.8, 0.9)
        z += (5.2, 4.8, 4.9, 5.0)
        z[:, 1] += type_peripheral[self.rtype]
        z[:, 3] -= 0.3 * self.reserved
        self.z = np.clip(z, 1, 7, out=z)
        self.sat = sum(self.weights[c] * z[:, j] for j, c in enumerate(COMPONENTS))
        self.sat_z = (self.sat - 5.0) / 0.5
        self.flags = {k: rng.random(n, dtype=np.float32) < p for k, p in FLAG_SHARES.items()}
        # care ~ Beta(a, 4), a by relationship type: X / (X + Y) for X ~ Gamma(a),
        # Y ~ Gamma(4), the sum of four standard exponential numbers
        care_a = np.array([1.5, 2.5, 4.0, 6.0, 1.5, 2.0, 3.0])
        x = rng.standard_gamma(care_a[self.rtype].astype(np.float32), dtype=np.float32)
        y = rng.standard_exponential((4, n), dtype=np.float32).sum(axis=0)
        self.care = (x / (x + y)).astype(np.float64)
        self.care_z = (self.care - 0.4) / 0.2
        rate = np.exp(0.25 * self.sat_z)
        rate *= np.array(TYPE_RATE)[self.rtype]
        rate *= np.exp(np.float32(0.3) * rng.standard_normal(n, dtype=np.float32))  # lognormal
        rate[self.flags["deal_seeker"]] *= 0.8
        self.rate = rate
        self.low_volume = self.rate < np.quantile(self.rate, 0.10)
        # loyalty programme: join some time after sign-up, more likely when satisfied
        p_join = (
            np.array([0.08, 0.50, 0.45, 0.60, 0.25, 0.35, 0.45])[self.rtype]
            * logistic(0.8 * self.sat_z + 0.5)
            * 1.6
        )
        joins = rng.random(n, dtype=np.float32) < np.clip(p_join, 0, 0.95)
        join_day = self.sign_day + (90 * rng.standard_exponential(n, dtype=np.float32)).astype(
            np.int64
        )
        self.join_day = np.where(
            joins & (join_day <= self.end_day), join_day, np.iinfo(np.int64).max
        )
        self.hazard = np.exp(
            self.sat_effect * self.sat_z
            - 0.3 * self.care_z
            + np.log(0.8) * comp_loyal
            + np.log(1.4) * self.flags["deal_seeker"]
        )
        self.winback = np.where(self.flags["fraud"] | self.low_volume, 0.2, 1.0)
        self.winback[self.flags["fraud"]] = 0.0
        # birthdays drive the event-based offers (and a purchase uplift)
        # age: 18 + Gamma(3, 7) years, the sum of three exponential numbers
        age_years = 18 + 7 * rng.standard_exponential((3, n), dtype=np.float32).sum(axis=0)
        self.birth_day = self.end_day - (age_years * 365.25).astype(np.int64)
        self.birth_month = _month_of_year(self.birth_day)

    def contracts(self):
        """Who signs up under a contract with an early-exit fee, its fee and its end."""
        rng = self.r_contract
        share = np.array(CONTRACT_SHARE, dtype=np.float32)
        self.contract = rng.random(self.n, dtype=np.float32) < share.take(self.rtype)
        self.exit_fee = np.where(self.contract, np.array(EXIT_FEE).take(self.rtype), 0.0)
        # the contract ends on the first day of the month after the term: month
        # sign_m + term + 1 counted from the first month (it may lie after `end`)
        first = np.datetime64(self.start.date(), "M")
        end = (first + (self.sign_m + CONTRACT_TERM_MONTHS + 1)).astype("datetime64[D]")
        never = np.iinfo(np.int64).max
        self.contract_end = np.where(self.contract, end.astype(np.int64), never)

    # ------------------------------------------------------------------ lifecycle
    def simulate(self):
        """Month by month: stage moves of the customers so far, then the sign-ups.

        Customers ``0 .. a-1`` signed up before month m and ``a .. b-1`` sign up
        in it (``a, b = first[m], first[m + 1]``), so each month works on a
        slice. Every change is an event (customer, day, new stage); a move
        happens on a uniform day of its month.
        """
        rng, M = self.r_sim, self.M
        stage = np.full(self.n, -1, dtype=np.int8)  # -1: not a customer yet
        # The dissolution hazard multiplier, times 0.75 from the month a customer
        # is a loyalty member (joined on or before the month's first day).
        self.hz = self.hazard.copy()
        joiners, join_at = _groups(np.searchsorted(self.month_start, self.join_day), M)
        # Contracts: the factor of each customer's hazard (1: none or over). A contract
        # binds in the months whose first day falls before its end; it ends early when
        # the customer leaves; the burst follows an end reached while still bound.
        fx = EXIT_FEE_EFFECTS
        self.cf = np.where(self.contract, fx["hazard_factor_bound"], 1.0)
        bound = self.contract.copy()
        end_m = np.searchsorted(self.month_start, self.contract_end)
        enders, end_at = _groups(end_m, M)
        over, over_at = _groups(np.minimum(end_m + fx["after_end_months"], M), M)
        self.fraud_idx = np.flatnonzero(self.flags["fraud"])
        self.move_steps = _move_steps(self.P)
        ev_c, ev_d, ev_s = [], [], []
        for m in range(M):
            m0, ml = int(self.month_start[m]), int(self.month_len[m])
            a, b = int(self.first[m]), int(self.first[m + 1])
            self.hz[joiners[join_at[m] : join_at[m + 1]]] *= 0.75
            ending = enders[end_at[m] : end_at[m + 1]]
            ending = ending[bound[ending]]
            bound[ending] = False
            self.cf[ending] = fx["hazard_factor_after_end"]
            self.cf[over[over_at[m] : over_at[m + 1]]] = 1.0
            if a:
                new = self._next_stage(rng, stage[:a])
                mi = np.flatnonzero(new != stage[:a])
                stage[mi] = new[mi]
                left = mi[new[mi] == 4]  # leaving ends a contract (the fee is paid)
                bound[left] = False
                self.cf[left] = 1.0
                ev_c.append(mi.astype(np.int32))
                ev_d.append(rng.integers(0, ml, mi.size, dtype=np.int32) + m0)
                ev_s.append(new[mi])
            stage[a:b] = 0  # this month's sign-ups start in exploration
            ev_c.append(np.arange(a, b, dtype=np.int32))
            ev_d.append(self.sign_day[a:b].astype(np.int32))
            ev_s.append(np.zeros(b - a, dtype=np.int8))
        self.stage = stage
        # Events grouped by customer, in time order (a customer has at most one
        # event a month, so a stable sort by customer is enough).
        ev_c = np.concatenate(ev_c)
        order = stable_argsort(ev_c)
        self.ev_c = ev_c[order]
        self.ev_d = np.concatenate(ev_d)[order]
        self.ev_s = np.concatenate(ev_s)[order]
        self._align_loyalty_with_lifecycle()

    def _align_loyalty_with_lifecycle(self):
        """Nobody joins the loyalty programme while dissolved.

        A join date that falls in a dissolution spell moves to the day the
        customer was won back; with no return, the customer never joins. The
        hazard above saw the same membership: it only matters while live.
        """
        never = np.iinfo(np.int64).max
        who = np.flatnonzero(self.join_day != never)
        if not who.size:
            return
        keys = self.ev_c.astype(np.int64) * (1 << 32) + self.ev_d
        pos = np.searchsorted(keys, who.astype(np.int64) * (1 << 32) + self.join_day[who],
                              side="right") - 1
        dissolved = self.ev_s[pos] == 4
        nxt = np.minimum(pos + 1, len(keys) - 1)
        returned = (pos + 1 < len(keys)) & (self.ev_c[nxt] == who)
        moved = who[dissolved & returned]
        self.join_day[moved] = self.ev_d[nxt[dissolved & returned]]
        self.join_day[who[dissolved & ~returned]] = never

    def _next_stage(self, rng, st):
        """Next month's stage of the customers 0 .. a-1, now in stages ``st``.

        A live customer dissolves with the matrix's probability times their
        hazard multiplier and contract factor, ``h`` (at least 0.25 for fraud, at
        most 0.9);
        otherwise they move as the matrix says, its other probabilities scaled
        to fill ``1 - h``. One uniform number ``u`` per customer: ``u >= 1 - h``
        is dissolution, else ``v = u / (1 - h)`` picks the move from the
        matrix's cumulative probabilities without dissolution. A dissolved
        customer comes back to awareness with the matrix's probability times
        their win-back factor, else stays dissolved.
        """
        a, P = st.size, self.P
        st = st.astype(np.intp)
        h = P[:, 4].take(st)
        h *= self.hz[:a]
        h *= self.cf[:a]
        fraud = self.fraud_idx[: np.searchsorted(self.fraud_idx, a)]
        h[fraud] = np.maximum(h[fraud], 0.25)
        np.minimum(h, 0.9, out=h)
        stay = np.subtract(1.0, h, out=h)  # probability of not dissolving
        if (P[:4, 4] >= 1).any():  # a stage the matrix always dissolves
            stay[P[:, 4].take(st) >= 1] = 0.0
        u = rng.random(a)
        with np.errstate(divide="ignore"):
            v = u / stay
        new = np.zeros(a, dtype=np.int8)
        for j in range(3):
            new += v >= self.move_steps[:, j].take(st)
        new[u >= stay] = 4
        dead = np.flatnonzero(st == 4)
        back = u[dead] < P[4, 1] * self.winback[dead]
        new[dead] = np.where(back, 1, 4)
        return new

    # ------------------------------------------------------------------ purchases
    def purchases(self):
        """Every purchase (customer, day, stage), by day and then customer.

        A customer buys as a Poisson process: per day, their rate times their
        stage's rate / 30.44, a quarter more in their birthday month. Each stage
        spell (from one event to the next) draws a Poisson count at the
        birthday rate on uniform days of the spell; a purchase outside the
        birthday month is kept with probability 1 / 1.25.
        """
        rng = self.r_sim
        c, start, stage = self.ev_c, self.ev_d, self.ev_s
        # spell i lasts from its event's day to the customer's next event (or the end)
        end = np.full(c.size, self.end_day + 1, dtype=np.int32)
        same = c[1:] == c[:-1]
        end[:-1][same] = start[1:][same]
        length = end - start
        lam = np.array(STAGE_RATE).take(stage) * (1.25 / 30.44)
        lam *= length
        lam *= self.rate[c]
        spell = np.repeat(np.arange(c.size, dtype=np.int32), rng.poisson(lam))
        del lam
        day = rng.integers(0, length[spell], dtype=np.int32)
        day += start[spell]
        cust = c[spell]
        day0 = int(self.month_start[0])
        keep = self.moy_of_day[day - day0] == self.birth_month[cust]
        keep |= rng.random(spell.size, dtype=np.float32) < 1 / 1.25
        spell, day, cust = spell[keep], day[keep], cust[keep]
        del keep
        order = order_by_day(day, day0, cust, self.n)
        self.tx_c, self.tx_d, self.tx_s = cust[order], day[order], stage[spell[order]]

    # ------------------------------------------------------------------ campaigns
    def campaign_calendar(self):
        """Each month: acquisition on every channel, two win-back offers, a retention and
        a cross-sell promotion on a few channels each, the birthday offer; social events."""
        rng = self.r_camp
        rows = []
        positive = [c.key for c in concepts.RETENTION_STRATEGIES if c.group == "positive"]
        winback = concepts.keys(concepts.WINBACK_OFFERS)
        self.promo_campaigns = []  # (month, campaign_id, category, {channel: offer_price})
        self.birthday_campaign, self.acq_campaign, self.winback_campaign = {}, {}, {}
        self.inconsistent = []
        event_months = set(self.event_months.tolist())

        def add(cid, ctype, ch, days, dev, cat=-1, offer="", lp=np.nan, op=np.nan, reach=0,
                cost=0.0):  # fmt: skip
            rows.append((cid, ctype, int(ch), *days, cat, offer, lp, op, reach, cost, dev))

        cid = 0
        for m in range(self.M):
            days = (self.month_start[m], self.month_start[m] + self.month_len[m] - 1)
            dev = self.dev_stage[m]
            for ch in range(len(CHANNELS)):  # reach and cost follow the sign-ups (campaigns_frame)
                cid += 1
                self.acq_campaign[(m, ch)] = cid
                add(cid, "acquisition", ch, days, dev)
            for ch in (CHANNELS.index("email"), CHANNELS.index("phone")):
                cid += 1
                self.winback_campaign[(m, ch)] = cid
                offer = winback[rng.integers(len(winback))]
                add(cid, "win_back", ch, days, dev, offer=offer, reach=int(rng.integers(200, 2000)))
            for ctype in ("retention", "cross_sell"):
                cid += 1
                cat = int(
                    rng.choice(len(CATEGORIES_), p=(0.1, 0.3, 0.2, 0.2, 0.1, 0.1))
                    if ctype == "retention"
                    else rng.choice([3, 4, 5])
                )
                discount = float(rng.choice([0.10, 0.15, 0.20, 0.25]))
                price = CATEGORY_PRICE[cat]
                chans = np.sort(rng.choice(len(CHANNELS), int(rng.integers(2, 4)), replace=False))
                offer_price = np.full(len(chans), round(price * (1 - discount), 2))
                if rng.random() < 0.25:  # one channel quotes another price
                    j = rng.integers(len(chans))
                    offer_price[j] = round(price * (1 - discount + rng.choice([-0.1, 0.1])), 2)
                    self.inconsistent.append(cid)
                offer = (
                    positive[rng.integers(len(positive))] if ctype == "retention" else "promotions"
                )
                prices = {}
                for ch, op in zip(chans, offer_price, strict=True):
                    reach = int(rng.integers(500, 5000))
                    cost = round(reach * CHANNEL_CONTACT_COST[ch] * 0.3, 2)
                    add(cid, ctype, ch, days, dev, cat, offer, price, float(op), reach, cost)
                    prices[int(ch)] = float(op)
                self.promo_campaigns.append((m, cid, cat, prices))
            cid += 1
            self.birthday_campaign[m] = cid
            price = CATEGORY_PRICE[3]
            for ch in (CHANNELS.index("email"), CHANNELS.index("app")):
                add(cid, "event_based", ch, days, dev, 3, "special_occasions", price,
                    round(price * 0.85, 2))  # fmt: skip
            if m in event_months:
                cid += 1
                offer = ("sports_sponsorship", "disaster_relief", "charity")[len(rows) % 3]
                add(cid, "social_event", CHANNELS.index("social"), (days[0] + 5, days[0] + 6),
                    dev, offer=offer, reach=int(rng.integers(2000, 20000)),
                    cost=float(rng.integers(5, 30) * 1000))  # fmt: skip
        self.camp_rows = rows

    # ------------------------------------------------------------------ transactions
    def _promotion_table(self):
        """The month's promotions as arrays: per campaign its id, category, channels, prices."""
        camps = self.promo_campaigns  # (month, campaign_id, category, {channel: offer_price})
        width = max([len(prices) for *_, prices in camps], default=1)
        month = np.array([c[0] for c in camps], dtype=np.int64)
        channels = np.zeros((len(camps), width), dtype=np.int8)
        offers = np.zeros((len(camps), width))
        for q, (*_, prices) in enumerate(camps):
            channels[q, : len(prices)] = list(prices)
            offers[q, : len(prices)] = list(prices.values())
        return {
            "first": np.searchsorted(month, np.arange(self.M)),  # campaigns are in month order
            "count": np.bincount(month, minlength=self.M),
            "id": np.array([c[1] for c in camps], dtype=np.int64),
            "category": np.array([c[2] for c in camps], dtype=np.int8),
            "n_channels": np.array([len(c[3]) for c in camps], dtype=np.int64),
            "channels": channels,
            "offers": offers,
        }

    def transaction_table(self, keep_arrays=True):
        """Channel, product, prices, campaign and payment of every purchase.

        ``keep_arrays``: keep the purchases' arrays for the contact tables.
        """
        rng = self.r_tx
        d = self.tx_d
        c = self.tx_c.astype(np.int64)  # an index for the lookups; later the customer id
        N = c.size
        month = self.month_of_day[d - int(self.month_start[0])]
        channel = draw_by_group(rng, TYPE_CHANNEL, self.rtype[c])
        category = draw_by_group(rng, STAGE_CATEGORY, self.tx_s)
        list_price = CATEGORY_PRICE.take(category)  # times lognormal noise (sd 0.25)
        list_price *= np.exp(np.float32(0.25) * rng.standard_normal(N, dtype=np.float32))
        np.round(list_price, 2, out=list_price)
        discount = np.zeros(N)
        join_day = np.minimum(self.join_day, np.iinfo(np.int32).max).astype(np.int32)
        discount[d >= join_day[c]] = 0.08  # loyalty members
        campaign = np.zeros(N, dtype=np.int64)  # 0: no campaign
        # promotions: deal-seekers buy mostly on offer; one of the month's campaigns,
        # on one of its channels, at that channel's offer price
        u = rng.random(N, dtype=np.float32)
        promo = np.flatnonzero((u < 0.10) | ((u < 0.65) & self.flags["deal_seeker"][c]))
        del u
        pt = self._promotion_table()
        promo = promo[pt["count"][month[promo]] > 0]
        pm = month[promo]
        q = pt["first"][pm] + (rng.random(promo.size) * pt["count"][pm]).astype(np.int64)
        k = (rng.random(promo.size) * pt["n_channels"][q]).astype(np.int64)
        cat = pt["category"][q]
        channel[promo] = pt["channels"][q, k]
        category[promo] = cat
        list_price[promo] = CATEGORY_PRICE[cat]
        discount[promo] = np.round(1 - pt["offers"][q, k] / CATEGORY_PRICE[cat], 4)
        campaign[promo] = pt["id"][q]
        # birthday coupons in the birthday month
        cand = np.flatnonzero((campaign == 0) & (self.birth_month[c] == self.month_of_year[month]))
        bday = cand[rng.random(cand.size, dtype=np.float32) < 0.4]
        birthday_id = np.array([self.birthday_campaign[m] for m in range(self.M)])
        campaign[bday] = birthday_id[month[bday]]
        discount[bday] = 0.15
        amount = 1.0 - discount
        amount *= list_price
        np.round(amount, 2, out=amount)
        cost = CATEGORY_COST.take(category)
        cost *= list_price
        cost *= np.exp(np.float32(0.05) * rng.standard_normal(N, dtype=np.float32))
        np.round(cost, 2, out=cost)
        margin = np.subtract(amount, cost)
        np.round(margin, 2, out=margin)
        # days to pay: Gamma(2, 6) days, late payers Gamma(4, 14); a Gamma(k, s) number
        # is s times the sum of k standard exponential numbers
        pay = rng.standard_exponential(N, dtype=np.float32)
        pay += rng.standard_exponential(N, dtype=np.float32)
        late = np.flatnonzero(self.flags["late_payer"][c])
        pay[late] += rng.standard_exponential((2, late.size), dtype=np.float32).sum(axis=0)
        pay *= 6
        pay[late] *= 14 / 6  # late payers: 14 days a step
        days_to_pay = np.ceil(pay).astype(np.int16)
        del pay
        paid = d + days_to_pay
        del self.tx_s
        if keep_arrays:  # for the contacts (payment reminders, complaints about products)
            self.purchases = Purchases(
                customer=self.tx_c, day=self.tx_d, channel=channel, category=category,
                days_to_pay=days_to_pay,
            )  # fmt: skip
        del self.tx_c, self.tx_d
        self.frames["transactions"] = as_frame(
            {
                "transaction_id": np.arange(1, N + 1, dtype=np.int64),
                "customer_id": np.add(c, 1, out=c),
                "date": dates_of_days(d),
                "channel": categorical(channel, CHANNELS),
                "category": categorical(category, CATEGORIES_),
                "list_price": list_price,
                "discount": discount,
                "amount": amount,
                "cost": cost,
                "margin": margin,
                "campaign_id": pd.arrays.IntegerArray(campaign, campaign == 0),
                "paid_date": dates_of_days(paid, paid <= self.end_day),
            }
        )

    # ------------------------------------------------------------------ customers table
    def identity_columns(self, people):
        """The customers' first columns, up to the acquisition channel."""
        return {
            "customer_id": np.arange(1, self.n + 1, dtype=np.int64),
            "first_name": people["first_name"],
            "last_name": people["last_name"],
            "gender": categorical(people["male"].view(np.int8), ("female", "male")),
            "email": people["email"],
            "city": people["city"],
            "birth_date": dates_of_days(self.birth_day),
            "signup_date": dates_of_days(self.sign_day),
            "acquisition_channel": categorical(self.acq, ACQ_CHANNELS),
        }

    def customer_table(self):
        rng, n = self.r_people, self.n
        people = people_columns(n, self.locale, rng)  # the people of make_people, as columns
        ev_c, ev_d, ev_s = self.ev_c, self.ev_d, self.ev_s
        # reasons for every dissolution spell
        dis = np.flatnonzero(ev_s == 4)
        dc = ev_c[dis]
        r = self.r_traits.random(dc.size)
        r2 = self.r_traits.random(dc.size)
        reason = np.where(r2 < 0.5, 0, 2)  # needs_changed / better_brand
        reason = np.where(r < logistic(-0.2 - 1.5 * self.sat_z[dc]), 1, reason)
        reason = np.where(self.low_volume[dc] & (r2 < 0.6), 3, reason)
        reason = np.where(self.flags["fraud"][dc], 4, reason)
        ev_reason = np.full(ev_c.size, -1, dtype=np.int8)
        ev_reason[dis] = reason
        self.ev_reason = ev_reason
        # each customer's last event (every customer has one: the sign-up)
        last = np.flatnonzero(np.r_[ev_c[1:] != ev_c[:-1], True])
        dead = ev_s[last] == 4
        self.churn_day = np.where(dead, ev_d[last], -1).astype(np.int64)
        cur_reason = np.where(dead, ev_reason[last], -1)
        reasons = concepts.CATEGORIES["dissolution_reason"]
        camp_lookup = np.full((self.M, len(ACQ_CHANNELS)), -1, dtype=np.int64)
        for (m, ch), cid in self.acq_campaign.items():
            camp_lookup[m, ch] = cid
        acq_camp = camp_lookup[self.sign_m, self.acq]
        won = self.origin == 2
        wb_lookup = np.array(
            [
                [
                    self.winback_campaign[(m, CHANNELS.index("email"))],
                    self.winback_campaign[(m, CHANNELS.index("phone"))],
                ]
                for m in range(self.M)
            ]
        )
        acq_camp[won] = wb_lookup[
            self.sign_m[won], (self.acq[won] == CHANNELS.index("phone")).astype(int)
        ]
        # account managers: customer service for personal assistance, sales for dedicated
        am = np.full(n, -1, dtype=np.int64)
        for t, team in (
            ("personal_assistance", "customer_service"),
            ("dedicated_assistance", "sales"),
        ):
            who = np.flatnonzero(self.rtype == TYPES.index(t))
            members = self.team_members[TOUCHPOINTS.index(team)]
            am[who] = members[rng.integers(0, len(members), who.size)] + 1
        self.account_manager = am
        member = self.join_day <= self.end_day
        self.frames["customers"] = as_frame(
            {
                **self.identity_columns(people),
                "acquisition_campaign_id": optional_ids(acq_camp),
                "origin": categorical(self.origin, concepts.CATEGORIES["origin"]),
                "competitor_loyal": pd.arrays.BooleanArray(self.competitor_loyal, self.origin != 0),
                "relationship_type": categorical(self.rtype, TYPES),
                "account_manager_id": optional_ids(am),
                "lifecycle_stage": categorical(self.stage, STAGES),
                "loyalty_member": member,
                "loyalty_join_date": dates_of_days(self.join_day.clip(max=self.end_day), member),
                "churn_date": dates_of_days(self.churn_day, self.churn_day >= 0),
                "churn_reason": categorical(cur_reason, reasons),
                "exit_fee": self.exit_fee,
                "contract_end_date": dates_of_days(
                    np.where(self.contract, self.contract_end, 0), self.contract
                ),
            }
        )
        # stage history: spells from consecutive events
        same = ev_c[1:] == ev_c[:-1]
        end = np.full(ev_c.size, -1, dtype=np.int32)
        end[:-1][same] = ev_d[1:][same]
        self.frames["stage_history"] = as_frame(
            {
                "customer_id": np.add(ev_c, 1, dtype=np.int64),
                "stage": categorical(ev_s, STAGES),
                "start_date": dates_of_days(ev_d),
                "end_date": dates_of_days(end, end >= 0),
                "reason": categorical(ev_reason, reasons),
            }
        )
        # acquisitions per month and channel (for the campaigns' reach and cost)
        direct = np.flatnonzero((self.acq < len(CHANNELS)) & ~won)
        key = self.sign_m[direct] * len(CHANNELS) + self.acq[direct]
        counts = np.bincount(key, minlength=self.M * len(CHANNELS))
        self.acq_counts = counts.reshape(self.M, len(CHANNELS)).astype(float)

    # ------------------------------------------------------------------ contacts and surveys
    def contact_inputs(self) -> ContactInputs:
        """What :mod:`crmkit.synth_contacts` reads from the steps so far (no copies)."""
        return ContactInputs(
            start=self.start,
            end=self.end,
            first_day=int(self.month_start[0]),
            end_day=self.end_day,
            weights=self.weights,
            sign_day=self.sign_day,
            birth_day=self.birth_day,
            churn_day=self.churn_day,
            relationship_type=self.rtype,
            components=self.z,
            satisfaction_z=self.sat_z,
            reserved=self.reserved,
            care=self.care,
            contract=self.contract,
            flags=self.flags,
            account_manager=self.account_manager,
            staff_training=self.staff_training,
            team_members=self.team_members,
            rng_interactions=self.r_int,
            rng_surveys=self.r_survey,
        )

    def take_purchases(self) -> Purchases:
        """The purchases that :meth:`transaction_table` kept, handed over: the
        generator lets go of them, so that they are freed once the contacts are made."""
        purchases = self.purchases
        del self.purchases
        return purchases

    # ------------------------------------------------------------------ assemble
    def campaigns_frame(self):
        rng = self.r_camp
        rows = list(self.camp_rows)
        out = []
        for r in rows:
            cid, ctype, ch, m0, m1, cat, offer, lp, op, reach, cost, dev = r
            if ctype == "acquisition":
                m = int(np.searchsorted(self.month_start, m0, side="right") - 1)
                won = self.acq_counts[m, ch]
                reach = (
                    int(round(won / CHANNEL_CONVERSION[ch] * rng.lognormal(0, 0.1)))
                    if won
                    else int(rng.integers(50, 500))
                )
                cost = round(reach * CHANNEL_CONTACT_COST[ch], 2)
            elif ctype == "win_back":
                cost = round(reach * CHANNEL_CONTACT_COST[ch], 2)
            out.append((cid, ctype, ch, m0, m1, cat, offer, lp, op, reach, cost, dev))
        cid, ctype, ch, m0, m1, cat, offer, lp, op, reach, cost, dev = map(
            np.array, zip(*out, strict=True)
        )
        return pd.DataFrame(
            {
                "campaign_id": cid.astype(np.int64),
                "campaign_type": pd.Categorical(
                    ctype, categories=concepts.CATEGORIES["campaign_type"], ordered=True
                ),
                "channel": categorical(ch, CHANNELS),
                "start_date": dates_of_days(m0),
                "end_date": dates_of_days(m1),
                "category": categorical(cat, CATEGORIES_),
                "offer": pd.Series(offer, dtype="str").replace("", pd.NA),
                "list_price": lp.astype(float),
                "offer_price": op.astype(float),
                "reach": reach.astype(np.int64),
                "cost": cost.astype(float),
                "development_stage": categorical(dev, concepts.keys(concepts.DEVELOPMENT_STAGES)),
            }
        )

    def exit_fee_truth(self):
        """``truth["exit_fee"]``: who signs such a contract, its terms and its effects."""
        fx = EXIT_FEE_EFFECTS
        overall = sum(self.weights[c] * fx["answer_shift"][c] for c in COMPONENTS)
        return {
            "share_by_relationship_type": dict(zip(TYPES, CONTRACT_SHARE, strict=True)),
            "fee_by_relationship_type": dict(zip(TYPES, EXIT_FEE, strict=True)),
            "term_months": CONTRACT_TERM_MONTHS,
            "hazard_factor_bound": fx["hazard_factor_bound"],
            "hazard_factor_after_end": fx["hazard_factor_after_end"],
            "after_end_months": fx["after_end_months"],
            "answer_shift": dict(fx["answer_shift"]),
            "overall_shift": round(overall, 6),
            "nps_shift": fx["nps_shift"],
            "nps_shift_total": round(fx["nps_shift"] + overall * 10 / 6, 6),
            "complaint_factor": fx["complaint_factor"],
            "referral_factor": fx["referral_factor"],
        }

    def world(self, locale, seed) -> World:
        self.frames["campaigns"] = self.campaigns_frame()
        for name in ("interactions", "surveys"):
            self.frames.setdefault(name, pd.DataFrame())
        tables = {name: _conform(name, df) for name, df in self.frames.items()}
        # the generator's arrays are no longer needed: round the truth in place
        for values in (self.sat, self.z, self.care, self.rate, self.hazard):
            np.round(values, 6, out=values)
        latent = pd.DataFrame(
            {
                "satisfaction": self.sat,
                **{c: self.z[:, j] for j, c in enumerate(COMPONENTS)},
                "reserved": self.reserved,
                "care": self.care,
                "purchase_rate": self.rate,
                "hazard_multiplier": self.hazard,
                **{k: v for k, v in self.flags.items()},
                "low_volume": self.low_volume,
            },
            index=pd.RangeIndex(1, self.n + 1, name="customer_id"),
        )
        tm = pd.DataFrame(self.P, index=pd.Index(STAGES, name="stage"), columns=STAGES)
        truth = {
            "component_weights": pd.Series(self.weights, name="component_weights"),
            "transition_matrix": tm,
            "latent": latent,
            "touchpoint_effects": pd.DataFrame(
                TOUCHPOINT_EFFECT, index=list(COMPONENTS)
            ).T.rename_axis("touchpoint"),
            "channel_conversion": pd.Series(
                dict(zip(CHANNELS, CHANNEL_CONVERSION, strict=True)), name="channel_conversion"
            ),
            "channel_cost_per_acquisition": pd.Series(
                dict(
                    zip(
                        CHANNELS,
                        np.round(CHANNEL_CONTACT_COST / CHANNEL_CONVERSION, 4),
                        strict=True,
                    )
                ),
                name="channel_cost_per_acquisition",
            ),
            "inconsistent_campaigns": [int(x) for x in self.inconsistent],
            "satisfaction_effect": self.sat_effect,
            "loyalty_hazard_factor": 0.75,
            "member_discount": 0.08,
            "birthday_purchase_uplift": 1.25,
            "training_effect_log_hours_per_hour": TRAINING_EFFECT,
            "handoff_effect_log_hours": HANDOFF_EFFECT,
            "payment_terms_days": PAYMENT_TERMS_DAYS,
            "satisfaction_scale": [1, 7],
            "satisfaction_standardisation": {"mean": 5.0, "sd": 0.5},
            "social_event_signup_uplift": 1.25,
            "exit_fee": self.exit_fee_truth(),
        }
        meta = {
            "generator": "crmkit.make_world",
            "n_customers": self.n,
            "locale": self.locale,
            "start": str(self.start.date()),
            "end": str(self.end.date()),
            "random_state": seed,
            "n_staff": self.n_staff,
        }
        return World(**tables, truth=truth, meta=meta)
