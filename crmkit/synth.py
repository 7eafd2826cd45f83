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
contact), by prior loyalty to a competitor and by deal-seeking; fraudsters are
ended by the supplier. Dissolved customers can be won back (dissolution ->
awareness). Each dissolution gets a reason: customer-side (needs changed,
dissatisfaction, a better brand) or supplier-side (low volume, fraud).

*Purchases.* Monthly purchase rates depend on the relationship type (a
transactional kiosk customer buys rarely, a dedicated account often), the stage
(more in expansion and commitment), satisfaction and the birthday month (an
event-based offer). Loyalty members pay less (strategy 9); deal-seekers buy
mostly on promotion; late payers pay after the 30-day terms.

*Contacts.* Complaints rise as satisfaction falls (and serial complainers
complain regardless); praise and referrals rise with it. Staff training
shortens complaint resolution and raises the share resolved (strategy 8);
hand-offs between departments lengthen it (strategy 4). Care actions
(follow-ups, notes, special occasions) are more frequent for customers with
more care, who also defect less.

*Campaigns.* Monthly acquisition campaigns per channel (with a true conversion
rate per channel), win-back, retention and cross-sell offers carried on several
channels (sometimes at different prices: an omnichannel inconsistency),
birthday offers, and a few social events that lift sign-ups the month after.

Dates never depend on today: the world runs from ``start`` to ``end`` (by
default 2023-01-01 to 2024-12-31; ``end`` is the reference date).
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit.people import check_locale, make_people
from crmkit.schema import DIRECTIONS
from crmkit.world import World, conform

__all__ = ["make_world", "check_random_state", "DEFAULT_START", "DEFAULT_END", "PAYMENT_TERMS_DAYS"]

DEFAULT_START = "2023-01-01"
DEFAULT_END = "2024-12-31"
PAYMENT_TERMS_DAYS = 30
_DAY = np.timedelta64(1, "D")

STAGES = concepts.keys(concepts.LIFECYCLE_STAGES)
TYPES = concepts.keys(concepts.RELATIONSHIP_TYPES)
COMPONENTS = concepts.keys(concepts.SATISFACTION_COMPONENTS)
CHANNELS = concepts.keys(concepts.CHANNELS)
TOUCHPOINTS = concepts.keys(concepts.TOUCHPOINTS)
KINDS = concepts.keys(concepts.INTERACTION_KINDS)
CATEGORIES_ = concepts.keys(concepts.PRODUCT_CATEGORIES)
ACQ_CHANNELS = tuple(concepts.CATEGORIES["acquisition_channel"])

# ----------------------------------------------------------------------------- defaults
DEFAULT_WEIGHTS = dict(zip(COMPONENTS, (0.40, 0.25, 0.20, 0.15), strict=True))

#: Monthly stage transitions at average satisfaction (rows sum to 1).
DEFAULT_TRANSITIONS = np.array(
    [
        # exploration awareness expansion commitment dissolution
        [0.55, 0.30, 0.05, 0.00, 0.10],  # exploration: testing the supplier; may end there
        [0.00, 0.72, 0.21, 0.00, 0.07],  # awareness
        [0.00, 0.00, 0.80, 0.16, 0.04],  # expansion
        [0.00, 0.00, 0.00, 0.975, 0.025],  # commitment
        [0.00, 0.05, 0.00, 0.00, 0.95],  # dissolution: some are won back
    ]
)

_TYPE_SHARE = (0.22, 0.20, 0.12, 0.04, 0.20, 0.14, 0.08)
#: Purchases per active month, by relationship type (before stage and satisfaction).
_TYPE_RATE = (0.55, 1.50, 1.35, 2.20, 1.10, 1.80, 1.25)
_STAGE_RATE = (0.55, 0.85, 1.25, 1.45, 0.0)
# Channel preference by relationship type: shop, web, app, email, phone, social.
_TYPE_CHANNEL = np.array(
    [
        [0.60, 0.15, 0.10, 0.02, 0.08, 0.05],  # transactional
        [0.30, 0.25, 0.15, 0.10, 0.15, 0.05],  # long_term
        [0.35, 0.10, 0.05, 0.10, 0.35, 0.05],  # personal_assistance
        [0.25, 0.05, 0.05, 0.20, 0.45, 0.00],  # dedicated_assistance
        [0.05, 0.50, 0.35, 0.05, 0.00, 0.05],  # self_service
        [0.00, 0.45, 0.50, 0.05, 0.00, 0.00],  # automated_services
        [0.10, 0.25, 0.20, 0.05, 0.05, 0.35],  # community
    ]
)
# Product mix by stage: starter, core, premium, add_on, service_plan, bundle.
_STAGE_CATEGORY = np.array(
    [
        [0.45, 0.35, 0.05, 0.10, 0.03, 0.02],
        [0.20, 0.45, 0.10, 0.15, 0.05, 0.05],
        [0.05, 0.35, 0.15, 0.25, 0.10, 0.10],
        [0.03, 0.30, 0.22, 0.15, 0.15, 0.15],
        [0.20, 0.45, 0.10, 0.15, 0.05, 0.05],
    ]
)
_CATEGORY_PRICE = np.array([25.0, 60.0, 180.0, 20.0, 90.0, 220.0])
_CATEGORY_COST = np.array([0.60, 0.55, 0.50, 0.40, 0.35, 0.62])
# Cost of one contact by channel, and its true acquisition conversion rate.
_CHANNEL_CONTACT_COST = np.array([12.0, 0.5, 0.4, 1.5, 6.0, 2.0])
_CHANNEL_CONVERSION = np.array([0.080, 0.020, 0.025, 0.030, 0.050, 0.012])
_DURATION = np.array([12.0, 3.0, 3.0, 4.0, 7.0, 3.0])  # median minutes by channel
# Touchpoint effects on the four survey answers (perception, not internal indicators):
# billing is fast inside but disliked; delivery is slow inside but liked.
_TOUCHPOINT_EFFECT = {
    "sales": (0.0, 0.2, 0.1, -0.1),
    "customer_service": (0.0, 0.3, 0.1, 0.1),
    "technical_help": (0.2, 0.1, 0.0, 0.0),
    "marketing_communication": (0.0, 0.0, 0.1, 0.0),
    "shop_floor": (0.1, 0.2, 0.3, 0.0),
    "after_sales": (0.1, -0.2, -0.1, 0.0),
    "billing": (0.0, -0.5, -0.7, -0.2),
    "delivery": (0.1, 0.2, 0.1, 0.0),
}
_KIND_TOUCHPOINT = {  # where complaints and praise land
    "complaint": (0.10, 0.30, 0.10, 0.00, 0.05, 0.15, 0.15, 0.15),
    "positive_feedback": (0.20, 0.25, 0.10, 0.05, 0.20, 0.05, 0.05, 0.10),
}
# Base resolution hours by kind; effect of 10 training hours; of one hand-off.
_RESOLUTION_BASE = {"complaint": 30.0, "inquiry": 6.0, "technical_request": 20.0}
TRAINING_EFFECT = -0.03  # log-hours per training hour (about -26% per 10 h)
HANDOFF_EFFECT = 0.35  # log-hours per hand-off

_FLAG_SHARES = {
    "serial_complainer": 0.03,
    "late_payer": 0.06,
    "deal_seeker": 0.08,
    "destructive": 0.015,
    "fraud": 0.005,
}


def check_random_state(random_state, *, func="make_world") -> np.random.Generator:
    """Turn ``random_state`` (None, an int >= 0 or a Generator) into a Generator."""
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral):
        raise TypeError(
            f"{func}: `random_state` must be None, an int >= 0 or a "
            f"numpy.random.Generator; got {random_state!r} "
            f"({type(random_state).__name__}). Example: random_state=42."
        )
    if random_state < 0:
        raise ValueError(f"{func}: `random_state` must be >= 0; got {random_state}.")
    return np.random.default_rng(int(random_state))


def _check_count(value, name, func, *, minimum=1):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{func}: `{name}` must be a whole number; got {value!r} "
            f"({type(value).__name__}). Example: {name}=2000."
        )
    if value < minimum:
        raise ValueError(f"{func}: `{name}` must be at least {minimum}; got {value}.")
    return int(value)


def _check_date(value, name, func):
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        ts = None
    if ts is None or ts is pd.NaT:
        raise ValueError(f"{func}: `{name}` must be a date such as '2023-01-01'; got {value!r}.")
    return ts.normalize()


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
    if any(v < 0 for v in w.values()) or abs(sum(w.values()) - 1) > 1e-6:
        raise ValueError(f"{func}: `component_weights` must be >= 0 and sum to 1; got {w}.")
    return w


def _check_transitions(matrix, func):
    if matrix is None:
        return DEFAULT_TRANSITIONS.copy()
    P = np.asarray(matrix, dtype=float)
    if P.shape != (5, 5):
        raise ValueError(
            f"{func}: `transition_matrix` must be 5x5 (stages {list(STAGES)}); got shape {P.shape}."
        )
    if (P < 0).any() or not np.allclose(P.sum(axis=1), 1, atol=1e-6):
        raise ValueError(
            f"{func}: every row of `transition_matrix` must be >= 0 and sum to 1; "
            f"row sums are {np.round(P.sum(axis=1), 4).tolist()}."
        )
    return P


def _draw(rng, probs, rows):
    """Draw one category per element; ``probs[rows[i]]`` is element i's distribution."""
    probs = np.asarray(probs, dtype=float)
    g, k = probs.shape
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    flat = (np.arange(g)[:, None] + cum).ravel()
    u = rng.random(len(rows))
    pos = np.searchsorted(flat, rows + u, side="right")
    return (pos - rows * k).astype(np.int8)


def _draw_per_row(rng, probs):
    """One draw per row of a (n, k) probability matrix."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return (u[:, None] >= cum).sum(axis=1).astype(np.int8)


def _cat(codes, values):
    return pd.Categorical.from_codes(
        np.asarray(codes, dtype=np.int16), categories=list(values), ordered=True
    )


def _days_to_dates(days):
    return np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[s]")


def _optional_id(ids):
    """Ids > 0 as a nullable integer array; 0 or -1 mean "none"."""
    ids = np.asarray(ids, dtype=np.int64)
    return pd.arrays.IntegerArray(ids, ids <= 0)


def _logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


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
        The period simulated; ``end`` is the reference ("as of") date.
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
        satisfaction (negative: happier customers stay).
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
        care), ``touchpoint_effects``, ``channel_conversion`` and scalars.

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
    if n_staff is None:
        n_staff = max(24, round(n / 60))
    n_staff = _check_count(n_staff, "n_staff", func, minimum=len(TOUCHPOINTS))
    weights = _check_weights(component_weights, func)
    P = _check_transitions(transition_matrix, func)
    if not isinstance(satisfaction_effect, numbers.Real) or isinstance(satisfaction_effect, bool):
        raise TypeError(
            f"{func}: `satisfaction_effect` must be a number; got {satisfaction_effect!r}."
        )
    wanted = {"interactions", "surveys"} if tables is None else set(tables)
    if not wanted <= {"interactions", "surveys"}:
        raise ValueError(
            f"{func}: `tables` may name 'interactions' and 'surveys'; got {sorted(wanted)}."
        )
    rng = check_random_state(random_state, func=func)
    streams = rng.spawn(8)

    g = _Generator(
        n, locale, start_ts, end_ts, n_staff, weights, P, float(satisfaction_effect), streams
    )
    g.timeline()
    g.staff_table()
    g.customer_traits()
    g.simulate()
    g.campaign_calendar()
    g.transaction_table()
    g.customer_table()
    if "interactions" in wanted or "surveys" in wanted:
        g.interaction_table()
    if "surveys" in wanted:
        g.survey_table()
    return g.world(locale, random_state if isinstance(random_state, int) else None)


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
        self.month_of_year = months.month.to_numpy() - 1
        q = np.minimum((np.arange(self.M) * 4) // self.M, 3)
        self.dev_stage = q  # customer-development stage of the company by month
        # social events every four months from the third month: sign-ups rise next month
        self.event_months = np.arange(2, self.M - 1, 4)

    # ------------------------------------------------------------------ staff
    def staff_table(self):
        rng, k = self.r_staff, self.n_staff
        people = make_people(k, locale=self.locale, rng=rng)
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
        self.frames["staff"] = pd.DataFrame(
            {
                "staff_id": np.arange(1, k + 1),
                "first_name": people["first_name"],
                "last_name": people["last_name"],
                "team": _cat(team, TOUCHPOINTS),
                "office": _cat(office, ("front", "back")),
                "role": _cat(role, concepts.CATEGORIES["role"]),
                "hire_date": _days_to_dates(hire),
                "training_hours": training,
            }
        )

    def _staff_for(self, rng, touchpoint_codes):
        """A random member of the team behind each touchpoint."""
        out = np.empty(len(touchpoint_codes), dtype=np.int64)
        for t, members in enumerate(self.team_members):
            idx = np.flatnonzero(touchpoint_codes == t)
            out[idx] = members[rng.integers(0, len(members), len(idx))]
        return out

    # ------------------------------------------------------------------ customers
    def customer_traits(self):
        rng, n = self.r_traits, self.n
        growth = np.array([0.5, 0.8, 1.3, 1.4])[self.dev_stage]
        bump = np.ones(self.M)
        bump[self.event_months + 1] = 1.25
        w = growth * bump * self.month_len
        self.sign_m = np.sort(rng.choice(self.M, n, p=w / w.sum()))
        self.sign_day = self.month_start[self.sign_m] + np.floor(
            rng.random(n) * self.month_len[self.sign_m]
        ).astype(np.int64)
        self.rtype = rng.choice(len(TYPES), n, p=_TYPE_SHARE).astype(np.int8)
        self.origin = rng.choice(3, n, p=(0.50, 0.35, 0.15)).astype(np.int8)
        comp_loyal = np.where(self.origin == 0, rng.random(n) < 0.4, False)
        self.competitor_loyal = comp_loyal
        # acquisition channel: community events, referrals, else the type's preferred channel
        chan = _draw(rng, _TYPE_CHANNEL, self.rtype).astype(np.int8)
        acq = chan.copy()
        after_event = np.isin(self.sign_m, self.event_months + 1)
        acq[(rng.random(n) < 0.2) & after_event] = ACQ_CHANNELS.index("community_event")
        acq[(rng.random(n) < 0.10) & (self.origin != 2)] = ACQ_CHANNELS.index("referral")
        won = self.origin == 2  # won back by a win-back campaign: e-mail or phone
        acq[won] = np.where(
            rng.random(won.sum()) < 0.6, CHANNELS.index("email"), CHANNELS.index("phone")
        )
        self.acq = acq
        self.home_channel = chan
        # latent satisfaction components on the 1-7 scale
        type_peripheral = np.array([-0.3, 0.1, 0.4, 0.8, -0.2, -0.1, 0.2])
        self.reserved = rng.random(n) < 0.3
        z = np.column_stack(
            [
                rng.normal(5.2, 0.8, n),
                rng.normal(4.8, 0.9, n) + type_peripheral[self.rtype],
                rng.normal(4.9, 0.8, n),
                rng.normal(5.0, 0.9, n) - 0.3 * self.reserved,
            ]
        )
        self.z = np.clip(z, 1, 7)
        wv = np.array([self.weights[c] for c in COMPONENTS])
        self.sat = self.z @ wv
        self.sat_z = (self.sat - 5.0) / 0.5
        self.flags = {k: rng.random(n) < p for k, p in _FLAG_SHARES.items()}
        care_a = np.array([1.5, 2.5, 4.0, 6.0, 1.5, 2.0, 3.0])
        self.care = rng.beta(care_a[self.rtype], 4.0)
        self.care_z = (self.care - 0.4) / 0.2
        self.rate = (
            np.array(_TYPE_RATE)[self.rtype]
            * np.exp(0.25 * self.sat_z)
            * rng.lognormal(0, 0.3, n)
            * np.where(self.flags["deal_seeker"], 0.8, 1.0)
        )
        self.low_volume = self.rate < np.quantile(self.rate, 0.10)
        # loyalty programme: join some time after sign-up, more likely when satisfied
        p_join = (
            np.array([0.08, 0.50, 0.45, 0.60, 0.25, 0.35, 0.45])[self.rtype]
            * _logistic(0.8 * self.sat_z + 0.5)
            * 1.6
        )
        joins = rng.random(n) < np.clip(p_join, 0, 0.95)
        join_day = self.sign_day + rng.exponential(90, n).astype(np.int64)
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

    # ------------------------------------------------------------------ lifecycle + purchases
    def simulate(self):
        rng, n, P = self.r_sim, self.n, self.P
        stage = np.full(n, -1, dtype=np.int8)
        ev_c, ev_d, ev_s = [], [], []
        tx_c, tx_d, tx_s = [], [], []
        stage_rate = np.array(_STAGE_RATE)
        birth_month = None  # filled by customer_table; drawn here for the birthday uplift
        self.birth_day = self._birth_days()
        birth_month = (
            self.birth_day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
        ).astype(np.int8)
        loyalty_factor = 0.75
        for m in range(self.M):
            m0, ml = self.month_start[m], self.month_len[m]
            idx = np.flatnonzero(stage >= 0)
            change_day = np.full(n, -1, dtype=np.int64)
            prev = stage.copy()
            if idx.size:
                st = stage[idx]
                probs = P[st].copy()
                live = st != 4
                li = idx[live]
                member = self.join_day[li] <= m0
                base = probs[live, 4]
                h = base * self.hazard[li] * np.where(member, loyalty_factor, 1.0)
                h = np.where(self.flags["fraud"][li], np.maximum(h, 0.25), h)
                h = np.minimum(h, 0.9)
                with np.errstate(invalid="ignore", divide="ignore"):
                    scale = np.where(base < 1, (1 - h) / (1 - base), 0)
                probs[live, :4] *= scale[:, None]
                probs[live, 4] = h
                dead = idx[~live]
                ret = P[4, 1] * self.winback[dead]
                probs[~live] = 0
                probs[~live, 1] = ret
                probs[~live, 4] = 1 - ret
                new = _draw_per_row(rng, probs)
                moved = new != st
                mi = idx[moved]
                days = m0 + np.floor(rng.random(mi.size) * ml).astype(np.int64)
                change_day[mi] = days
                stage[mi] = new[moved]
                ev_c.append(mi)
                ev_d.append(days)
                ev_s.append(new[moved])
            s = np.flatnonzero(self.sign_m == m)
            stage[s] = 0
            change_day[s] = self.sign_day[s]
            ev_c.append(s)
            ev_d.append(self.sign_day[s])
            ev_s.append(np.zeros(s.size, dtype=np.int8))
            # purchases this month: Poisson at the larger of the two stage rates, then thinned
            act = np.flatnonzero(stage >= 0)
            r_before = np.where(prev[act] >= 0, stage_rate[np.maximum(prev[act], 0)], 0.0)
            r_after = stage_rate[stage[act]]
            r_max = np.maximum(r_before, r_after)
            uplift = np.where(birth_month[act] == self.month_of_year[m], 1.25, 1.0)
            lam = self.rate[act] * r_max * uplift * ml / 30.44
            k = rng.poisson(lam)
            cust = np.repeat(act, k)
            day = m0 + np.floor(rng.random(cust.size) * ml).astype(np.int64)
            cd = change_day[cust]
            before = (cd >= 0) & (day < cd)
            p_ = np.where(prev[cust] >= 0, prev[cust], 0)
            r_now = np.where(
                before, np.where(prev[cust] >= 0, stage_rate[p_], 0.0), stage_rate[stage[cust]]
            )
            rmax = np.repeat(r_max, k)
            keep = rng.random(cust.size) * rmax < r_now
            st_now = np.where(before, prev[cust], stage[cust])
            order = np.argsort(day[keep], kind="stable")
            tx_c.append(cust[keep][order])
            tx_d.append(day[keep][order])
            tx_s.append(st_now[keep][order])
        self.stage = stage
        ev = pd.DataFrame(
            {"c": np.concatenate(ev_c), "d": np.concatenate(ev_d), "s": np.concatenate(ev_s)}
        )
        self.events = ev.sort_values(["c", "d"], kind="stable").reset_index(drop=True)
        self.tx_c = np.concatenate(tx_c)
        self.tx_d = np.concatenate(tx_d)
        self.tx_s = np.concatenate(tx_s).astype(np.int8)

    def _birth_days(self):
        rng = self.r_traits
        age_years = 18 + rng.gamma(3.0, 7.0, self.n)
        return self.end_day - (age_years * 365.25).astype(np.int64)

    # ------------------------------------------------------------------ campaigns
    def campaign_calendar(self):
        rng = self.r_camp
        rows = []
        cid = 0
        cat_codes = np.arange(len(CATEGORIES_))
        positive = [c.key for c in concepts.RETENTION_STRATEGIES if c.group == "positive"]
        winback = concepts.keys(concepts.WINBACK_OFFERS)
        self.promo_campaigns = []  # (month, campaign_id, category, {channel: offer_price})
        self.birthday_campaign = {}
        self.acq_campaign = {}
        self.winback_campaign = {}
        self.inconsistent = []
        for m in range(self.M):
            m0, m1 = self.month_start[m], self.month_start[m] + self.month_len[m] - 1
            dev = self.dev_stage[m]
            for ch in range(len(CHANNELS)):
                cid += 1
                self.acq_campaign[(m, ch)] = cid
                rows.append((cid, "acquisition", ch, m0, m1, -1, "", np.nan, np.nan, 0, 0.0, dev))
            for ch in (CHANNELS.index("email"), CHANNELS.index("phone")):
                cid += 1
                self.winback_campaign[(m, ch)] = cid
                offer = winback[rng.integers(len(winback))]
                rows.append(
                    (
                        cid,
                        "win_back",
                        ch,
                        m0,
                        m1,
                        -1,
                        offer,
                        np.nan,
                        np.nan,
                        int(rng.integers(200, 2000)),
                        0.0,
                        dev,
                    )
                )
            for ctype in ("retention", "cross_sell"):
                cid += 1
                cat = int(
                    rng.choice(cat_codes, p=(0.1, 0.3, 0.2, 0.2, 0.1, 0.1))
                    if ctype == "retention"
                    else rng.choice([3, 4, 5])
                )
                discount = float(rng.choice([0.10, 0.15, 0.20, 0.25]))
                price = _CATEGORY_PRICE[cat]
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
                    rows.append(
                        (
                            cid,
                            ctype,
                            int(ch),
                            m0,
                            m1,
                            cat,
                            offer,
                            price,
                            float(op),
                            reach,
                            round(reach * _CHANNEL_CONTACT_COST[ch] * 0.3, 2),
                            dev,
                        )
                    )
                    prices[int(ch)] = float(op)
                self.promo_campaigns.append((m, cid, cat, prices))
            cid += 1
            self.birthday_campaign[m] = cid
            for ch in (CHANNELS.index("email"), CHANNELS.index("app")):
                price = _CATEGORY_PRICE[3]
                rows.append(
                    (
                        cid,
                        "event_based",
                        ch,
                        m0,
                        m1,
                        3,
                        "special_occasions",
                        price,
                        round(price * 0.85, 2),
                        0,
                        0.0,
                        dev,
                    )
                )
            if m in set(self.event_months.tolist()):
                cid += 1
                rows.append(
                    (
                        cid,
                        "social_event",
                        CHANNELS.index("social"),
                        m0 + 5,
                        m0 + 6,
                        -1,
                        ("sports_sponsorship", "disaster_relief", "charity")[len(rows) % 3],
                        np.nan,
                        np.nan,
                        int(rng.integers(2000, 20000)),
                        float(rng.integers(5, 30) * 1000),
                        dev,
                    )
                )
        self.camp_rows = rows

    # ------------------------------------------------------------------ transactions
    def transaction_table(self):
        rng = self.r_tx
        c, d, s = self.tx_c, self.tx_d, self.tx_s
        N = c.size
        self.tx_month = np.searchsorted(self.month_start, d, side="right") - 1
        channel = _draw(rng, _TYPE_CHANNEL, self.rtype[c])
        category = _draw(rng, _STAGE_CATEGORY, s)
        list_price = np.round(_CATEGORY_PRICE[category] * rng.lognormal(0, 0.25, N), 2)
        discount = np.zeros(N)
        member = d >= self.join_day[c]
        discount[member] = 0.08
        campaign = np.full(N, -1, dtype=np.int64)
        # promotions: deal-seekers buy mostly on offer
        p_promo = np.where(self.flags["deal_seeker"][c], 0.65, 0.10)
        promo = np.flatnonzero(rng.random(N) < p_promo)
        by_month: dict[int, list] = {}
        for m, cid, cat, prices in self.promo_campaigns:
            by_month.setdefault(m, []).append((cid, cat, prices))
        pick = rng.random(promo.size)
        chan_pick = rng.random(promo.size)
        for m, camps in by_month.items():
            sel = promo[self.tx_month[promo] == m]
            if not sel.size:
                continue
            which = (pick[np.searchsorted(promo, sel)] * len(camps)).astype(int)
            for j, (cid, cat, prices) in enumerate(camps):
                rows = sel[which == j]
                chans = np.array(list(prices))
                ch = chans[(chan_pick[np.searchsorted(promo, rows)] * len(chans)).astype(int)]
                channel[rows] = ch
                category[rows] = cat
                list_price[rows] = _CATEGORY_PRICE[cat]
                offer = np.array([prices[int(x)] for x in chans])[np.searchsorted(chans, ch)]
                discount[rows] = np.round(1 - offer / _CATEGORY_PRICE[cat], 4)
                campaign[rows] = cid
        # birthday coupons in the birthday month
        bmonth = (
            self.birth_day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
        )
        bday = (
            (campaign < 0)
            & (bmonth[c] == self.month_of_year[self.tx_month])
            & (rng.random(N) < 0.4)
        )
        campaign[bday] = np.array([self.birthday_campaign[m] for m in range(self.M)])[
            self.tx_month[bday]
        ]
        discount[bday] = 0.15
        amount = np.round(list_price * (1 - discount), 2)
        cost = np.round(list_price * _CATEGORY_COST[category] * rng.lognormal(0, 0.05, N), 2)
        late = self.flags["late_payer"][c]
        pay = np.where(late, rng.gamma(4.0, 14.0, N), rng.gamma(2.0, 6.0, N))
        paid = d + np.ceil(pay).astype(np.int64)
        paid_date = _days_to_dates(paid).astype("datetime64[s]")
        paid_date = pd.Series(paid_date).where(paid <= self.end_day)
        self.tx_channel, self.tx_days_to_pay, self.tx_paid = channel, paid - d, paid
        self.frames["transactions"] = pd.DataFrame(
            {
                "transaction_id": np.arange(1, N + 1),
                "customer_id": c + 1,
                "date": _days_to_dates(d),
                "channel": _cat(channel, CHANNELS),
                "category": _cat(category, CATEGORIES_),
                "list_price": list_price,
                "discount": discount,
                "amount": amount,
                "cost": cost,
                "margin": np.round(amount - cost, 2),
                "campaign_id": _optional_id(campaign),
                "paid_date": paid_date,
            }
        )

    # ------------------------------------------------------------------ customers table
    def customer_table(self):
        rng, n = self.r_people, self.n
        people = make_people(n, locale=self.locale, rng=rng)
        ev = self.events
        last = ev.groupby("c", sort=True).tail(1)
        cur_stage = self.stage
        churn_day = np.full(n, -1, dtype=np.int64)
        dead = last["s"].to_numpy() == 4
        churn_day[last["c"].to_numpy()[dead]] = last["d"].to_numpy()[dead]
        # reasons for every dissolution spell
        is_d = ev["s"].to_numpy() == 4
        dc = ev["c"].to_numpy()[is_d]
        r = self.r_traits.random(dc.size)
        r2 = self.r_traits.random(dc.size)
        reason = np.where(r2 < 0.5, 0, 2)  # needs_changed / better_brand
        reason = np.where(r < _logistic(-0.2 - 1.5 * self.sat_z[dc]), 1, reason)
        reason = np.where(self.low_volume[dc] & (r2 < 0.6), 3, reason)
        reason = np.where(self.flags["fraud"][dc], 4, reason)
        ev_reason = np.full(len(ev), -1, dtype=np.int64)
        ev_reason[is_d] = reason
        self.ev_reason = ev_reason
        cur_reason = np.full(n, -1)
        last_idx = last.index.to_numpy()
        cur_reason[last["c"].to_numpy()[dead]] = ev_reason[last_idx[dead]]
        reasons = concepts.CATEGORIES["dissolution_reason"]
        acq_key_m = self.sign_m
        camp_lookup = np.full((self.M, len(ACQ_CHANNELS)), -1, dtype=np.int64)
        for (m, ch), cid in self.acq_campaign.items():
            camp_lookup[m, ch] = cid
        acq_camp = camp_lookup[acq_key_m, self.acq]
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
            acq_key_m[won], (self.acq[won] == CHANNELS.index("phone")).astype(int)
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
        origin = _cat(self.origin, concepts.CATEGORIES["origin"])
        comp_loyal = pd.array(self.competitor_loyal, dtype="boolean")
        comp_loyal[self.origin != 0] = pd.NA
        member = self.join_day <= self.end_day
        self.frames["customers"] = pd.DataFrame(
            {
                "customer_id": np.arange(1, n + 1),
                "first_name": people["first_name"],
                "last_name": people["last_name"],
                "gender": _cat(np.where(people["gender"] == "female", 0, 1), ("female", "male")),
                "email": people["email"],
                "city": people["city"],
                "birth_date": _days_to_dates(self.birth_day),
                "signup_date": _days_to_dates(self.sign_day),
                "acquisition_channel": _cat(self.acq, ACQ_CHANNELS),
                "acquisition_campaign_id": _optional_id(acq_camp),
                "origin": origin,
                "competitor_loyal": comp_loyal,
                "relationship_type": _cat(self.rtype, TYPES),
                "account_manager_id": _optional_id(am),
                "lifecycle_stage": _cat(cur_stage, STAGES),
                "loyalty_member": member,
                "loyalty_join_date": pd.Series(
                    _days_to_dates(np.where(member, self.join_day, 0))
                ).where(member),
                "churn_date": pd.Series(_days_to_dates(np.maximum(churn_day, 0))).where(
                    churn_day >= 0
                ),
                "churn_reason": _cat(cur_reason, reasons),
            }
        )
        # stage history: spells from consecutive events
        c = ev["c"].to_numpy()
        d = ev["d"].to_numpy()
        nxt_same = np.r_[c[1:] == c[:-1], False]
        end = np.where(nxt_same, np.r_[d[1:], 0], -1)
        self.frames["stage_history"] = pd.DataFrame(
            {
                "customer_id": c + 1,
                "stage": _cat(ev["s"].to_numpy(), STAGES),
                "start_date": _days_to_dates(d),
                "end_date": pd.Series(_days_to_dates(np.maximum(end, 0))).where(end >= 0),
                "reason": _cat(ev_reason, reasons),
            }
        )
        # acquisition reach and cost from the true conversion rates
        counts = np.zeros((self.M, len(CHANNELS)))
        direct = self.acq < len(CHANNELS)
        direct &= ~won
        np.add.at(counts, (self.sign_m[direct], self.acq[direct]), 1)
        self.acq_counts = counts

    # ------------------------------------------------------------------ interactions
    def interaction_table(self):
        rng = self.r_int
        n, N = self.n, self.tx_c.size
        c, d, ch = self.tx_c, self.tx_d, self.tx_channel
        sz, care = self.sat_z, self.care
        parts = []

        def add(kind, cust, day, touch, chan, direction):
            parts.append(
                (
                    np.full(cust.size, KINDS.index(kind), np.int8),
                    cust,
                    day,
                    np.asarray(touch, np.int8),
                    np.asarray(chan, np.int8),
                    np.full(cust.size, DIRECTIONS.index(direction), np.int8),
                )
            )

        def tx_based(p):
            sel = np.flatnonzero(rng.random(N) < p)
            return sel, c[sel], np.minimum(d[sel] + rng.integers(0, 8, sel.size), self.end_day)

        tp = {t: TOUCHPOINTS.index(t) for t in TOUCHPOINTS}
        comp = self.flags["serial_complainer"][c]
        sel, cu, dy = tx_based(
            _logistic(-3.4 - 0.9 * sz[c]) + 0.35 * comp + 0.1 * self.flags["destructive"][c]
        )
        complaint_touch = _draw(
            rng, np.array([_KIND_TOUCHPOINT["complaint"]]), np.zeros(sel.size, np.int64)
        )
        add("complaint", cu, dy, complaint_touch, ch[sel], "inbound")
        n_complaints = sel.size
        sel, cu, dy = tx_based(0.12)
        add(
            "inquiry",
            cu,
            dy,
            np.where(rng.random(sel.size) < 0.5, tp["sales"], tp["customer_service"]),
            ch[sel],
            "inbound",
        )
        tech = np.isin(self.frames["transactions"]["category"].cat.codes.to_numpy(), [2, 4, 5])
        sel, cu, dy = tx_based(0.12 * tech)
        add(
            "technical_request",
            cu,
            dy,
            np.full(sel.size, tp["technical_help"]),
            np.where(rng.random(sel.size) < 0.6, CHANNELS.index("phone"), CHANNELS.index("web")),
            "inbound",
        )
        sel, cu, dy = tx_based(_logistic(-3.0 + 1.0 * sz[c]))
        add(
            "positive_feedback",
            cu,
            dy,
            _draw(
                rng, np.array([_KIND_TOUCHPOINT["positive_feedback"]]), np.zeros(sel.size, np.int64)
            ),
            ch[sel],
            "inbound",
        )
        sel, cu, dy = tx_based(0.45 * care[c])
        add(
            "follow_up",
            cu,
            dy,
            np.full(sel.size, tp["sales"]),
            np.where(rng.random(sel.size) < 0.5, CHANNELS.index("phone"), CHANNELS.index("email")),
            "outbound",
        )
        personal = np.isin(
            self.rtype[c], [TYPES.index("personal_assistance"), TYPES.index("dedicated_assistance")]
        )
        sel, cu, dy = tx_based(0.10 * care[c] * (1 + personal))
        add(
            "personal_note",
            cu,
            dy,
            np.full(sel.size, tp["sales"]),
            np.full(sel.size, CHANNELS.index("email")),
            "outbound",
        )
        sel, cu, dy = tx_based(0.06 * care[c])
        add(
            "useful_information",
            cu,
            dy,
            np.full(sel.size, tp["marketing_communication"]),
            np.full(sel.size, CHANNELS.index("email")),
            "outbound",
        )
        sel, cu, dy = tx_based(
            0.015
            + 0.03 * (self.rtype[c] == TYPES.index("community"))
            + 0.01 * np.clip(sz[c], 0, None)
        )
        add("suggestion", cu, dy, np.full(sel.size, tp["customer_service"]), ch[sel], "inbound")
        sel, cu, dy = tx_based(_logistic(-4.2 + 1.1 * sz[c]))
        add(
            "referral",
            cu,
            dy,
            np.full(sel.size, tp["sales"]),
            np.full(sel.size, CHANNELS.index("social")),
            "inbound",
        )
        late = np.flatnonzero(self.tx_days_to_pay > PAYMENT_TERMS_DAYS)
        rday = d[late] + PAYMENT_TERMS_DAYS + 1
        ok = rday <= self.end_day
        add(
            "payment_reminder",
            c[late][ok],
            rday[ok],
            np.full(ok.sum(), tp["billing"]),
            np.where(rng.random(ok.sum()) < 0.7, CHANNELS.index("email"), CHANNELS.index("phone")),
            "outbound",
        )
        # span-based care: newsletters, personal calls over the active span
        last_day = np.where(self.stage == 4, self._churn_days(), self.end_day)
        span_m = np.maximum(last_day - self.sign_day, 0) / 30.44
        for kind, rate, touch, chan in (
            ("newsletter", 0.25, "marketing_communication", "email"),
            (
                "personal_call",
                0.12 * (1 + 2 * (self.rtype >= 2) * (self.rtype <= 3)),
                "customer_service",
                "phone",
            ),
        ):
            k = rng.poisson(rate * care * span_m * 2)
            cu = np.repeat(np.arange(n), k)
            dy = self.sign_day[cu] + np.floor(
                rng.random(cu.size) * (last_day - self.sign_day)[cu]
            ).astype(np.int64)
            add(
                kind,
                cu,
                dy,
                np.full(cu.size, tp[touch]),
                np.full(cu.size, CHANNELS.index(chan)),
                "outbound",
            )
        # special occasions: birthdays and sign-up anniversaries inside the active span
        years = range(self.start.year, self.end.year + 1)
        bdt = self.birth_day.astype("datetime64[D]")
        for base in (bdt, self.sign_day.astype("datetime64[D]")):
            md = base - base.astype("datetime64[Y]")
            for y in years:
                occ = (np.datetime64(f"{y}-01-01") + md).astype(np.int64)
                hit = np.flatnonzero(
                    (occ > self.sign_day) & (occ <= last_day) & (rng.random(n) < care)
                )
                add(
                    "special_occasion",
                    hit,
                    occ[hit],
                    np.full(hit.size, tp["marketing_communication"]),
                    np.where(
                        rng.random(hit.size) < 0.5, CHANNELS.index("email"), CHANNELS.index("app")
                    ),
                    "outbound",
                )
        # care-staff feedback: internal notes on complaints
        kinds_c = parts[0]
        sel = np.flatnonzero(rng.random(n_complaints) < 0.3)
        add(
            "care_feedback",
            kinds_c[1][sel],
            kinds_c[2][sel],
            kinds_c[3][sel],
            kinds_c[4][sel],
            "internal",
        )

        kind, cust, day, touch, chan, direc = (np.concatenate(x) for x in zip(*parts, strict=True))
        order = np.lexsort((cust, day))
        kind, cust, day, touch, chan, direc = (
            a[order] for a in (kind, cust, day, touch, chan, direc)
        )
        m = kind.size
        staff = self._staff_for(rng, touch)
        am = self.account_manager[cust]
        own = (am > 0) & np.isin(
            kind, [KINDS.index(k) for k in ("personal_note", "personal_call", "follow_up")]
        )
        staff[own] = am[own] - 1
        back = np.array([t.group == "back" for t in concepts.TOUCHPOINTS])[touch]
        request = np.isin(kind, [KINDS.index(k) for k in _RESOLUTION_BASE])
        handoffs = np.where(request, rng.poisson(0.3 + 0.6 * back), 0)
        train = self.staff_training[staff]
        base = np.zeros(m)
        for k, hours in _RESOLUTION_BASE.items():
            base[kind == KINDS.index(k)] = hours
        resolution = np.round(
            base
            * np.exp(TRAINING_EFFECT * (train - 20) + HANDOFF_EFFECT * handoffs)
            * rng.lognormal(0, 0.5, m),
            1,
        )
        resolution = np.where(request, resolution, np.nan)
        outcomes = concepts.CATEGORIES["outcome"]
        p_res = _logistic(
            0.9 + 0.05 * (train - 20) - 0.5 * handoffs - 1.2 * self.flags["destructive"][cust]
        )
        p_res = np.where(kind == KINDS.index("complaint"), p_res, 0.93)
        u = rng.random(m)
        outcome = np.where(u < p_res, 0, np.where(u < p_res + (1 - p_res) * 0.6, 1, 2))
        outcome = np.where(request, outcome, outcomes.index("no_action"))
        dur_scale = np.where(touch == tp["sales"], 1.8, 1.0)
        duration = np.round(_DURATION[chan] * dur_scale * rng.lognormal(0, 0.5, m), 1)
        duration[kind == KINDS.index("newsletter")] = 0.0
        duration[direc == DIRECTIONS.index("internal")] = np.round(
            rng.uniform(2, 10, (direc == DIRECTIONS.index("internal")).sum()), 1
        )
        cost = np.round(
            np.where(
                kind == KINDS.index("newsletter"),
                0.05,
                _CHANNEL_CONTACT_COST[chan] + 0.75 * duration,
            ),
            2,
        )
        self.int_arrays = dict(
            kind=kind,
            cust=cust,
            touch=touch,
            chan=chan,
            outcome=outcome,
            duration=duration,
            staff=staff,
            day=day,
        )
        self.frames["interactions"] = pd.DataFrame(
            {
                "interaction_id": np.arange(1, m + 1),
                "customer_id": cust + 1,
                "date": _days_to_dates(day),
                "touchpoint": _cat(touch, TOUCHPOINTS),
                "office": _cat(back.astype(np.int8), ("front", "back")),
                "channel": _cat(chan, CHANNELS),
                "kind": _cat(kind, KINDS),
                "direction": _cat(direc, DIRECTIONS),
                "staff_id": staff + 1,
                "duration_min": duration,
                "handoffs": handoffs,
                "resolution_hours": resolution,
                "outcome": _cat(outcome, outcomes),
                "cost": cost,
            }
        )

    def _churn_days(self):
        out = np.full(self.n, self.end_day, dtype=np.int64)
        cd = self.frames["customers"]["churn_date"]
        has = cd.notna().to_numpy()
        out[has] = cd[has].to_numpy().astype("datetime64[D]").astype(np.int64)
        return out

    # ------------------------------------------------------------------ surveys
    def survey_table(self):
        rng, n = self.r_survey, self.n
        a = self.int_arrays
        rated = np.isin(
            a["kind"],
            [
                KINDS.index(k)
                for k in ("complaint", "inquiry", "technical_request", "follow_up", "personal_call")
            ],
        )
        sel = np.flatnonzero(rated & (rng.random(a["kind"].size) < 0.3))
        sel = sel[a["day"][sel] + 2 <= self.end_day]
        cust = a["cust"][sel]
        touch = a["touch"][sel]
        effect = np.array([_TOUCHPOINT_EFFECT[t] for t in TOUCHPOINTS])[touch]
        oc = a["outcome"][sel]
        is_c = a["kind"][sel] == KINDS.index("complaint")
        effect[:, 1] += np.where(is_c, np.array([0.3, -0.8, -1.5, 0.0])[oc], 0.0)
        long_talk = (
            self.reserved[cust]
            & (a["duration"][sel] > 15)
            & np.isin(touch, [TOUCHPOINTS.index("sales"), TOUCHPOINTS.index("shop_floor")])
        )
        effect[:, 3] -= 1.2 * long_talk
        effect[:, 1] += 0.02 * (self.staff_training[a["staff"][sel]] - 20)
        post_day = a["day"][sel] + 2
        # relationship surveys: a quarter of customers once, in their active span
        last_day = np.where(self.stage == 4, self._churn_days(), self.end_day)
        rel = np.flatnonzero((rng.random(n) < 0.25) & (last_day > self.sign_day))
        rel_day = self.sign_day[rel] + np.floor(
            rng.random(rel.size) * (last_day - self.sign_day)[rel]
        ).astype(np.int64)
        # focus groups: four sessions a year, a few active customers each
        fg_days, fg_c = [], []
        for y in range(self.start.year, self.end.year + 1):
            for month in (3, 6, 9, 12):
                day = np.datetime64(f"{y}-{month:02d}-15").astype("datetime64[D]").astype(np.int64)
                if not self.month_start[0] <= day <= self.end_day:
                    continue
                pool = np.flatnonzero((self.sign_day < day) & (last_day > day))
                take = pool[rng.permutation(pool.size)[: max(4, min(12, pool.size // 200))]]
                fg_c.append(take)
                fg_days.append(np.full(take.size, day))
        fg_c = np.concatenate(fg_c) if fg_c else np.zeros(0, np.int64)
        fg_days = np.concatenate(fg_days) if fg_days else np.zeros(0, np.int64)
        cust_all = np.concatenate([cust, rel, fg_c])
        day_all = np.concatenate([post_day, rel_day, fg_days])
        eff_all = np.vstack([effect, np.zeros((rel.size + fg_c.size, 4))])
        method = np.concatenate(
            [np.zeros(cust.size), np.ones(rel.size), np.full(fg_c.size, 2)]
        ).astype(np.int8)
        touch_all = np.concatenate([touch, np.full(rel.size + fg_c.size, -1)])
        iid = np.concatenate([sel + 1, np.full(rel.size + fg_c.size, -1)])
        k = cust_all.size
        comps = np.clip(np.round(self.z[cust_all] + eff_all + rng.normal(0, 0.6, (k, 4))), 1, 7)
        wv = np.array([self.weights[c] for c in COMPONENTS])
        overall_c = comps @ wv + rng.normal(0, 0.45, k)
        overall = np.clip(np.round(overall_c), 1, 7)
        nps = np.clip(np.round((overall_c - 1) * 10 / 6 + 0.4 + rng.normal(0, 1.1, k)), 0, 10)
        order = np.lexsort((cust_all, day_all))
        frame = (
            pd.DataFrame(
                {
                    "customer_id": cust_all + 1,
                    "date": _days_to_dates(day_all),
                    "method": _cat(method, concepts.CATEGORIES["method"]),
                    "touchpoint": _cat(touch_all, TOUCHPOINTS),
                    "interaction_id": _optional_id(iid),
                    **{name: comps[:, j].astype(np.int64) for j, name in enumerate(COMPONENTS)},
                    "overall": overall.astype(np.int64),
                    "nps": nps.astype(np.int64),
                }
            )
            .iloc[order]
            .reset_index(drop=True)
        )
        frame.insert(0, "survey_id", np.arange(1, k + 1))
        self.frames["surveys"] = frame

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
                    int(round(won / _CHANNEL_CONVERSION[ch] * rng.lognormal(0, 0.1)))
                    if won
                    else int(rng.integers(50, 500))
                )
                cost = round(reach * _CHANNEL_CONTACT_COST[ch], 2)
            elif ctype == "win_back":
                cost = round(reach * _CHANNEL_CONTACT_COST[ch], 2)
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
                "channel": _cat(ch, CHANNELS),
                "start_date": _days_to_dates(m0),
                "end_date": _days_to_dates(m1),
                "category": _cat(cat, CATEGORIES_),
                "offer": pd.Series(offer, dtype="str").replace("", pd.NA),
                "list_price": lp.astype(float),
                "offer_price": op.astype(float),
                "reach": reach.astype(np.int64),
                "cost": cost.astype(float),
                "development_stage": _cat(dev, concepts.keys(concepts.DEVELOPMENT_STAGES)),
            }
        )

    def world(self, locale, seed) -> World:
        self.frames["campaigns"] = self.campaigns_frame()
        for name in ("interactions", "surveys"):
            self.frames.setdefault(name, pd.DataFrame())
        tables = {name: conform(name, df) for name, df in self.frames.items()}
        latent = pd.DataFrame(
            {
                "satisfaction": np.round(self.sat, 6),
                **{c: np.round(self.z[:, j], 6) for j, c in enumerate(COMPONENTS)},
                "reserved": self.reserved,
                "care": np.round(self.care, 6),
                "purchase_rate": np.round(self.rate, 6),
                "hazard_multiplier": np.round(self.hazard, 6),
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
                _TOUCHPOINT_EFFECT, index=list(COMPONENTS)
            ).T.rename_axis("touchpoint"),
            "channel_conversion": pd.Series(
                dict(zip(CHANNELS, _CHANNEL_CONVERSION, strict=True)), name="channel_conversion"
            ),
            "channel_cost_per_acquisition": pd.Series(
                dict(
                    zip(
                        CHANNELS,
                        np.round(_CHANNEL_CONTACT_COST / _CHANNEL_CONVERSION, 4),
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
