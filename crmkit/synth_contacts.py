"""The contact and survey tables of :func:`crmkit.make_world`.

The model is described in :mod:`crmkit.synth` ("Contacts"; satisfaction for
the surveys) and its numbers (touchpoint effects, resolution hours, the effects
of training and hand-offs) live in :mod:`crmkit.synth_model`. These two steps
run after the customers and transactions exist, on what the earlier steps made,
handed over explicitly:

* :class:`ContactInputs`: the period, the customers' latent arrays, the staff
  and the two random streams of these steps;
* :class:`Purchases`: every purchase, as arrays (contacts follow purchases);
* :func:`interaction_table` makes the interactions table and the
  :class:`Contacts` (its rows as arrays) that :func:`survey_table` reads.

Customers are numbered 0 .. n-1 in sign-up order, staff members 0 .. k-1, and
days are day numbers (days since 1970-01-01).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit.schema import DIRECTIONS
from crmkit.synth_columns import (
    as_frame,
    categorical,
    dates_of_days,
    draw_codes,
    logistic,
    optional_ids,
    order_by_day,
)
from crmkit.synth_model import (
    CATEGORIES_,
    CHANNEL_CONTACT_COST,
    CHANNELS,
    COMPONENTS,
    CONTACT_MINUTES,
    EXIT_FEE_EFFECTS,
    HANDOFF_EFFECT,
    KIND_TOUCHPOINT,
    KINDS,
    PAYMENT_TERMS_DAYS,
    RESOLUTION_BASE,
    TOUCHPOINT_EFFECT,
    TOUCHPOINTS,
    TRAINING_EFFECT,
    TYPES,
)

__all__ = ["ContactInputs", "Contacts", "Purchases", "interaction_table", "survey_table"]

_TP = {t: TOUCHPOINTS.index(t) for t in TOUCHPOINTS}
_CH = {c: CHANNELS.index(c) for c in CHANNELS}


@dataclass(frozen=True, eq=False)
class ContactInputs:
    """What the contact and survey tables read from the earlier steps of make_world.

    Arrays "per customer" have one entry per customer (length ``n``), "per
    staff member" one per employee.

    Attributes
    ----------
    start, end : pandas.Timestamp
        The period simulated.
    first_day, end_day : int
        Day numbers of its first and last day.
    weights : dict of str to float
        Weights of the four satisfaction components (``truth["component_weights"]``).
    sign_day, birth_day : numpy.ndarray of int64
        Per customer: day of sign-up and of birth.
    churn_day : numpy.ndarray of int64
        Per customer: the day they dissolved, if dissolved at the end; else -1.
    relationship_type : numpy.ndarray of int8
        Per customer: a code of :data:`crmkit.synth_model.TYPES`.
    components : numpy.ndarray of shape (n, 4)
        Per customer: the latent component scores (1-7), in the order of
        :data:`crmkit.synth_model.COMPONENTS`.
    satisfaction_z : numpy.ndarray of float
        Per customer: latent satisfaction, standardised.
    reserved : numpy.ndarray of bool
        Per customer: reserved (dislikes long sales talks).
    care : numpy.ndarray of float
        Per customer: the supplier's care, 0-1.
    contract : numpy.ndarray of bool
        Per customer: signed a contract with an early-exit fee.
    flags : dict of str to numpy.ndarray of bool
        Per customer: the behaviour flags (keys of
        :data:`crmkit.synth_model.FLAG_SHARES`).
    account_manager : numpy.ndarray of int64
        Per customer: staff id (1-based) of their account manager, or -1.
    staff_training : numpy.ndarray of float
        Per staff member: training hours.
    team_members : list of numpy.ndarray
        Staff numbers of each team, in the order of
        :data:`crmkit.synth_model.TOUCHPOINTS` (every team has one at least).
    rng_interactions, rng_surveys : numpy.random.Generator
        The random streams of :func:`interaction_table` and :func:`survey_table`.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    first_day: int
    end_day: int
    weights: dict
    sign_day: np.ndarray
    birth_day: np.ndarray
    churn_day: np.ndarray
    relationship_type: np.ndarray
    components: np.ndarray
    satisfaction_z: np.ndarray
    reserved: np.ndarray
    care: np.ndarray
    contract: np.ndarray
    flags: dict
    account_manager: np.ndarray
    staff_training: np.ndarray
    team_members: list
    rng_interactions: np.random.Generator
    rng_surveys: np.random.Generator

    @property
    def n(self) -> int:
        """Number of customers."""
        return self.sign_day.size


@dataclass(frozen=True, eq=False)
class Purchases:
    """Every purchase, by day and then customer (the rows of the transactions table).

    Attributes
    ----------
    customer : numpy.ndarray of int32
        Customer number (0 .. n-1).
    day : numpy.ndarray of int32
        Day number of the purchase.
    channel : numpy.ndarray of int8
        A code of :data:`crmkit.synth_model.CHANNELS`.
    category : numpy.ndarray of int8
        A code of :data:`crmkit.synth_model.CATEGORIES_`.
    days_to_pay : numpy.ndarray of int16
        Days from the purchase to its payment.
    """

    customer: np.ndarray
    day: np.ndarray
    channel: np.ndarray
    category: np.ndarray
    days_to_pay: np.ndarray


@dataclass(frozen=True, eq=False)
class Contacts:
    """The rows of the interactions table as arrays of codes, for :func:`survey_table`.

    Attributes
    ----------
    kind, touchpoint, outcome : numpy.ndarray of int8
        Codes of :data:`crmkit.synth_model.KINDS`, ``TOUCHPOINTS`` and the
        outcome categories.
    customer, staff, day : numpy.ndarray of int32
        Customer number, staff number (of who handled it) and day number.
    duration : numpy.ndarray of float
        Minutes.
    """

    kind: np.ndarray
    customer: np.ndarray
    touchpoint: np.ndarray
    outcome: np.ndarray
    duration: np.ndarray
    staff: np.ndarray
    day: np.ndarray


def _codes(names, values):
    """Boolean lookup table over the codes of ``values``: True for ``names``."""
    table = np.zeros(len(values), dtype=bool)
    table[[values.index(x) for x in names]] = True
    return table


def _last_day(inputs):
    """Each customer's last active day: the churn date if dissolved, else the end."""
    return np.where(inputs.churn_day >= 0, inputs.churn_day, inputs.end_day)


def _staff_for(rng, team_members, touchpoint_codes):
    """A random member of the team behind each touchpoint (staff index, int32)."""
    out = np.empty(len(touchpoint_codes), dtype=np.int32)
    for t, members in enumerate(team_members):
        idx = np.flatnonzero(touchpoint_codes == t)
        out[idx] = members[rng.integers(0, len(members), len(idx))]
    return out


def interaction_table(inputs, purchases):
    """Contacts: inbound requests and feedback, outbound care, internal notes.

    Parameters
    ----------
    inputs : ContactInputs
    purchases : Purchases

    Returns
    -------
    interactions : pandas.DataFrame
        The interactions table (columns of :data:`crmkit.schema.SCHEMA`).
    contacts : Contacts
        Its rows as arrays, for :func:`survey_table`.
    """
    rng = inputs.rng_interactions
    n, N = inputs.n, purchases.customer.size
    c, d, ch = purchases.customer, purchases.day, purchases.channel
    c_index = c.astype(np.intp)  # for the lookups of customers' probabilities
    sz, care = inputs.satisfaction_z, inputs.care
    rtype, sign_day = inputs.relationship_type, inputs.sign_day
    parts = []

    def add(kind, cust, day, touch, chan, direction):
        size = len(cust)
        parts.append(
            (
                np.full(size, KINDS.index(kind), np.int8),
                np.asarray(cust, np.int32),
                np.asarray(day, np.int32),
                np.broadcast_to(np.asarray(touch, np.int8), size),
                np.broadcast_to(np.asarray(chan, np.int8), size),
                np.full(size, DIRECTIONS.index(direction), np.int8),
            )
        )

    def tx_based(p_customer):
        """Purchases followed by a contact, with a probability per customer (or one for all)."""
        p = np.asarray(p_customer, dtype=np.float32)
        u = rng.random(N, dtype=np.float32)
        sel = np.flatnonzero(u < (p.take(c_index) if p.ndim else p))
        day = np.minimum(d[sel] + rng.integers(0, 8, sel.size, dtype=np.int32), inputs.end_day)
        return sel, c[sel], day

    def either(p, first, second, size):
        """``first`` with probability p, else ``second`` (codes, one per contact)."""
        return np.where(rng.random(size) < p, first, second).astype(np.int8)

    # inbound: complaints fall with satisfaction (serial complainers complain anyway);
    # customers under a contract with an exit fee complain more and refer fewer people
    fx = EXIT_FEE_EFFECTS
    contract = inputs.contract
    serial, destructive = inputs.flags["serial_complainer"], inputs.flags["destructive"]
    p_complaint = logistic(-3.4 - 0.9 * sz)
    p_complaint[contract] *= fx["complaint_factor"]
    sel, cu, dy = tx_based(p_complaint + 0.35 * serial + 0.1 * destructive)
    add("complaint", cu, dy, draw_codes(rng, KIND_TOUCHPOINT["complaint"], sel.size), ch[sel],
        "inbound")  # fmt: skip
    complaints = parts[0]
    sel, cu, dy = tx_based(0.12)
    add("inquiry", cu, dy, either(0.5, _TP["sales"], _TP["customer_service"], sel.size),
        ch[sel], "inbound")  # fmt: skip
    # technical requests follow premium products, service plans and bundles
    premium = _codes(("premium", "service_plan", "bundle"), CATEGORIES_)
    tech = np.flatnonzero(premium[purchases.category])
    sel = tech[rng.random(tech.size, dtype=np.float32) < 0.12]
    dy = np.minimum(d[sel] + rng.integers(0, 8, sel.size, dtype=np.int32), inputs.end_day)
    add("technical_request", c[sel], dy, _TP["technical_help"],
        either(0.6, _CH["phone"], _CH["web"], sel.size), "inbound")  # fmt: skip
    sel, cu, dy = tx_based(logistic(-3.0 + 1.0 * sz))
    praise_touch = draw_codes(rng, KIND_TOUCHPOINT["positive_feedback"], sel.size)
    add("positive_feedback", cu, dy, praise_touch, ch[sel], "inbound")
    # outbound care after purchases, more for customers with more care
    sel, cu, dy = tx_based(0.45 * care)
    add("follow_up", cu, dy, _TP["sales"], either(0.5, _CH["phone"], _CH["email"], sel.size),
        "outbound")  # fmt: skip
    personal = np.isin(rtype, [TYPES.index("personal_assistance"),
                                 TYPES.index("dedicated_assistance")])  # fmt: skip
    sel, cu, dy = tx_based(0.10 * care * (1 + personal))
    add("personal_note", cu, dy, _TP["sales"], _CH["email"], "outbound")
    sel, cu, dy = tx_based(0.06 * care)
    add("useful_information", cu, dy, _TP["marketing_communication"], _CH["email"], "outbound")
    sel, cu, dy = tx_based(
        0.015 + 0.03 * (rtype == TYPES.index("community")) + 0.01 * np.clip(sz, 0, None)
    )
    add("suggestion", cu, dy, _TP["customer_service"], ch[sel], "inbound")
    p_referral = logistic(-4.2 + 1.1 * sz)
    p_referral[contract] *= fx["referral_factor"]
    sel, cu, dy = tx_based(p_referral)
    add("referral", cu, dy, _TP["sales"], _CH["social"], "inbound")
    # payment reminders the day after the 30-day terms
    late = np.flatnonzero(purchases.days_to_pay > PAYMENT_TERMS_DAYS)
    rday = d[late] + PAYMENT_TERMS_DAYS + 1
    ok = rday <= inputs.end_day
    add("payment_reminder", c[late][ok], rday[ok], _TP["billing"],
        either(0.7, _CH["email"], _CH["phone"], ok.sum()), "outbound")  # fmt: skip
    # span-based care: newsletters, personal calls over the active span
    last_day = _last_day(inputs)
    span = last_day - sign_day
    span_m = np.maximum(span, 0) / 30.44
    for kind, rate, touch, chan in (
        ("newsletter", 0.25, "marketing_communication", "email"),
        (
            "personal_call",
            0.12 * (1 + 2 * (rtype >= 2) * (rtype <= 3)),
            "customer_service",
            "phone",
        ),
    ):
        k = rng.poisson(rate * care * span_m * 2)
        cu = np.repeat(np.arange(n), k)
        dy = sign_day[cu] + np.floor(rng.random(cu.size) * span[cu]).astype(np.int64)
        add(kind, cu, dy, _TP[touch], _CH[chan], "outbound")
    # special occasions: birthdays and sign-up anniversaries inside the active span
    years = range(inputs.start.year, inputs.end.year + 1)
    for base in (inputs.birth_day.astype("datetime64[D]"), sign_day.astype("datetime64[D]")):
        # the same month and day each year (29 February falls on the 28th in other years)
        month = (base.astype("datetime64[M]") - base.astype("datetime64[Y]")).astype(np.int64)
        day = (base - base.astype("datetime64[M]")).astype(np.int64)
        for y in years:
            first = np.datetime64(f"{y}-01", "M") + month
            length = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(
                np.int64)
            occ = (first.astype("datetime64[D]") + np.minimum(day, length - 1)).astype(np.int64)
            hit = np.flatnonzero((occ > sign_day) & (occ <= last_day) & (rng.random(n) < care))
            add("special_occasion", hit, occ[hit], _TP["marketing_communication"],
                either(0.5, _CH["email"], _CH["app"], hit.size), "outbound")  # fmt: skip
    # care-staff feedback: internal notes on complaints
    sel = np.flatnonzero(rng.random(complaints[0].size) < 0.3)
    add("care_feedback", complaints[1][sel], complaints[2][sel], complaints[3][sel],
        complaints[4][sel], "internal")  # fmt: skip

    # all contacts by day, then customer (ties in the order made above)
    kind, cust, day, touch, chan, direc = (np.concatenate(x) for x in zip(*parts, strict=True))
    parts.clear()  # free the pieces
    del complaints
    order = order_by_day(day, int(day.min()) if day.size else 0, cust, n)
    kind, cust, day, touch, chan, direc = (a[order] for a in (kind, cust, day, touch, chan, direc))
    del order
    m = kind.size
    staff = _staff_for(rng, inputs.team_members, touch)
    # own account managers make the personal contacts
    own = np.flatnonzero(_codes(("personal_note", "personal_call", "follow_up"), KINDS)[kind])
    am = inputs.account_manager[cust[own]]
    staff[own[am > 0]] = am[am > 0] - 1
    back = np.array([t.group == "back" for t in concepts.TOUCHPOINTS])[touch]
    # requests: hand-offs, resolution time (shorter with training) and outcome
    req = np.flatnonzero(_codes(tuple(RESOLUTION_BASE), KINDS)[kind])
    rk = kind[req]
    handoffs = np.zeros(m, dtype=np.int64)
    handoffs[req] = rng.poisson(np.where(back[req], 0.9, 0.3))
    hr = handoffs[req]
    train = inputs.staff_training[staff[req]]
    base = np.zeros(len(KINDS))
    base[[KINDS.index(k) for k in RESOLUTION_BASE]] = list(RESOLUTION_BASE.values())
    resolution = np.full(m, np.nan)
    resolution[req] = np.round(
        base[rk]
        * np.exp(TRAINING_EFFECT * (train - 20) + HANDOFF_EFFECT * hr)
        * rng.lognormal(0, 0.5, req.size),
        1,
    )
    outcomes = concepts.CATEGORIES["outcome"]
    p_res = logistic(
        0.9 + 0.05 * (train - 20) - 0.5 * hr - 1.2 * inputs.flags["destructive"][cust[req]]
    )
    p_res = np.where(rk == KINDS.index("complaint"), p_res, 0.93)
    u = rng.random(req.size)
    outcome = np.full(m, outcomes.index("no_action"), dtype=np.int8)
    outcome[req] = np.where(u < p_res, 0, np.where(u < p_res + (1 - p_res) * 0.6, 1, 2))
    # duration: by channel, longer in sales; newsletters take none; internal notes 2-10 min
    chan_index = chan.astype(np.intp)
    duration = CONTACT_MINUTES.take(chan_index)
    duration[touch == _TP["sales"]] *= 1.8
    duration *= np.exp(np.float32(0.5) * rng.standard_normal(m, dtype=np.float32))
    np.round(duration, 1, out=duration)
    newsletter = kind == KINDS.index("newsletter")
    duration[newsletter] = 0.0
    internal = np.flatnonzero(direc == DIRECTIONS.index("internal"))
    duration[internal] = np.round(rng.uniform(2, 10, internal.size), 1)
    cost = duration * 0.75
    cost += CHANNEL_CONTACT_COST.take(chan_index)
    del chan_index
    cost[newsletter] = 0.05
    np.round(cost, 2, out=cost)
    c_index = None  # done with the purchases
    contacts = Contacts(
        kind=kind, customer=cust, touchpoint=touch, outcome=outcome, duration=duration,
        staff=staff, day=day,
    )  # fmt: skip
    interactions = as_frame(
        {
            "interaction_id": np.arange(1, m + 1, dtype=np.int64),
            "customer_id": np.add(cust, 1, dtype=np.int64),
            "date": dates_of_days(day),
            "touchpoint": categorical(touch, TOUCHPOINTS),
            "office": categorical(back.view(np.int8), ("front", "back")),
            "channel": categorical(chan, CHANNELS),
            "kind": categorical(kind, KINDS),
            "direction": categorical(direc, DIRECTIONS),
            "staff_id": optional_ids(np.add(staff, 1, dtype=np.int64)),
            "duration_min": duration,
            "handoffs": handoffs,
            "resolution_hours": resolution,
            "outcome": categorical(outcome, outcomes),
            "cost": cost,
        }
    )
    return interactions, contacts


def survey_table(inputs, contacts):
    """Surveys after contacts, relationship surveys and focus groups.

    Parameters
    ----------
    inputs : ContactInputs
    contacts : Contacts
        From :func:`interaction_table`.

    Returns
    -------
    pandas.DataFrame
        The surveys table (columns of :data:`crmkit.schema.SCHEMA`).
    """
    rng, n = inputs.rng_surveys, inputs.n
    a = contacts
    # transactional surveys: 30 % of rated contacts, two days later
    rated = _codes(
        ("complaint", "inquiry", "technical_request", "follow_up", "personal_call"), KINDS
    )
    cand = np.flatnonzero(rated[a.kind])
    sel = cand[rng.random(cand.size, dtype=np.float32) < 0.3]
    sel = sel[a.day[sel] + 2 <= inputs.end_day]
    cust = a.customer[sel].astype(np.int64)
    touch = a.touchpoint[sel]
    effect = np.array([TOUCHPOINT_EFFECT[t] for t in TOUCHPOINTS])[touch]
    oc = a.outcome[sel]
    is_c = a.kind[sel] == KINDS.index("complaint")
    effect[:, 1] += np.where(is_c, np.array([0.3, -0.8, -1.5, 0.0])[oc], 0.0)
    long_talk = (
        inputs.reserved[cust]
        & (a.duration[sel] > 15)
        & np.isin(touch, [TOUCHPOINTS.index("sales"), TOUCHPOINTS.index("shop_floor")])
    )
    effect[:, 3] -= 1.2 * long_talk
    effect[:, 1] += 0.02 * (inputs.staff_training[a.staff[sel]] - 20)
    post_day = a.day[sel].astype(np.int64) + 2
    # relationship surveys: a quarter of customers once, in their active span
    last_day = _last_day(inputs)
    rel = np.flatnonzero((rng.random(n) < 0.25) & (last_day > inputs.sign_day))
    rel_day = inputs.sign_day[rel] + np.floor(
        rng.random(rel.size) * (last_day - inputs.sign_day)[rel]
    ).astype(np.int64)
    # focus groups: four sessions a year, a few active customers each
    fg_days, fg_c = [], []
    for y in range(inputs.start.year, inputs.end.year + 1):
        for month in (3, 6, 9, 12):
            day = np.datetime64(f"{y}-{month:02d}-15").astype("datetime64[D]").astype(np.int64)
            if not inputs.first_day <= day <= inputs.end_day:
                continue
            pool = np.flatnonzero((inputs.sign_day < day) & (last_day > day))
            size = min(pool.size, max(4, min(12, pool.size // 200)))
            take = rng.choice(pool, size=size, replace=False)
            fg_c.append(take)
            fg_days.append(np.full(take.size, day))
    fg_c = np.concatenate(fg_c) if fg_c else np.zeros(0, np.int64)
    fg_days = np.concatenate(fg_days) if fg_days else np.zeros(0, np.int64)
    # every survey, by day and then customer (ties in the order above)
    cust_all = np.concatenate([cust, rel, fg_c])
    day_all = np.concatenate([post_day, rel_day, fg_days])
    order = order_by_day(day_all, int(day_all.min()) if day_all.size else 0, cust_all, n)
    cust_all, day_all = cust_all[order], day_all[order]
    k, others = cust_all.size, rel.size + fg_c.size
    eff_all = np.vstack([effect, np.zeros((others, 4))])[order]
    method = np.concatenate([np.zeros(cust.size, np.int8), np.ones(rel.size, np.int8),
                             np.full(fg_c.size, 2, np.int8)])[order]  # fmt: skip
    touch_all = np.concatenate([touch, np.full(others, -1, dtype=np.int8)])[order]
    iid = np.concatenate([sel + 1, np.full(others, -1)])[order]
    # answers: latent components plus touchpoint effects and noise, on the 1-7 scale
    comps = inputs.components[cust_all]
    comps += eff_all
    signed = inputs.contract[cust_all]  # under a contract with an exit fee: resentment
    shift = EXIT_FEE_EFFECTS["answer_shift"]
    comps[signed] += [shift[c] for c in COMPONENTS]
    comps += rng.normal(0, 0.6, (k, 4))
    comps = np.clip(np.round(comps), 1, 7)
    wv = np.array([inputs.weights[c] for c in COMPONENTS])
    overall_c = comps @ wv + rng.normal(0, 0.45, k)
    overall = np.clip(np.round(overall_c), 1, 7)
    nps_c = (overall_c - 1) * 10 / 6 + 0.4 + rng.normal(0, 1.1, k)
    nps_c[signed] += EXIT_FEE_EFFECTS["nps_shift"]
    nps = np.clip(np.round(nps_c), 0, 10)
    comps = np.ascontiguousarray(comps.T, dtype=np.int64)  # one row per component
    return as_frame(
        {
            "survey_id": np.arange(1, k + 1, dtype=np.int64),
            "customer_id": cust_all + 1,
            "date": dates_of_days(day_all),
            "method": categorical(method, concepts.CATEGORIES["method"]),
            "touchpoint": categorical(touch_all, TOUCHPOINTS),
            "interaction_id": optional_ids(iid),
            **dict(zip(COMPONENTS, comps, strict=True)),
            "overall": overall.astype(np.int64),
            "nps": nps.astype(np.int64),
        }
    )
