"""The questions of the five exercise notebooks and how their answers are computed.

Every expected answer is computed from the learner's own world. The questions
that practise a method of the lessons (RFM, cohort retention, survival,
transition matrix, lifetime value, KPI alerts, termination flags) take their
expected answer from the kit's own function in :mod:`crmkit.metrics`, so that a
number has one home; the tests recompute each of them independently with plain
pandas. Counts and shares that no metric returns are computed here with pandas.
The notebooks in ``exercises/`` hold the prompts; a question's definition below
must say exactly what its prompt says.

Kinds of question, for the mix reported in ``exercises/README.md``: ``LABEL``
questions ask which label of a taxonomy fits a situation; ``DECISION`` questions
ask for a choice a manager makes from the data (whom to call, what to pay); the
others compute a number from the data.

Sections are those of the curriculum: A (the ten strategies, retention,
satisfaction components), B (loyalty economics, KPIs, culture), C (customer
management: acquisition, retention, termination), D (relationship marketing:
levers, touchpoints, vigilance points), E (relationship types, lifecycle, care).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmkit import concepts as C
from crmkit.exercises.judges import Mistake, Question
from crmkit.metrics import (
    cohort_retention,
    customer_lifetime_value,
    kpi_alerts,
    loyalty_kpis,
    rfm_table,
    satisfaction_band,
    survival_curve,
    termination_candidates,
    transition_matrix,
)

__all__ = ["ExerciseSet", "EXERCISES", "QUESTIONS", "LABEL", "DECISION", "REQUIRES", "left_out"]

FRACTION = "a fraction between 0 and 1 (e.g. 0.253)"
_COMPONENTS = list(C.keys(C.SATISFACTION_COMPONENTS))
_CARE_KINDS = ["follow_up", "personal_note", "personal_call", "special_occasion"]
_CASH_CUTOFF = pd.Timestamp("2024-12-01")


@dataclass(frozen=True)
class ExerciseSet:
    """One exercise notebook: its id (``"ex1"``), file, title and questions in order."""

    id: str
    notebook: str
    title: str
    sections: str
    minutes: int
    questions: dict

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(self.questions)


# --------------------------------------------------------------------------- helpers
def _share(mask) -> float:
    mask = pd.Series(mask)
    return float(mask.mean()) if len(mask) else float("nan")


def _purchases_per_customer(w) -> pd.Series:
    n = w.transactions.groupby("customer_id").size()
    return n.reindex(w.customers["customer_id"], fill_value=0)


def _by_type(w, values) -> pd.Series:
    types = w.customers.set_index("customer_id")["relationship_type"]
    out = values.groupby(types.reindex(values.index).to_numpy(), observed=True).mean()
    return out.rename_axis("relationship_type")


def _complaints(w) -> pd.DataFrame:
    return w.interactions[w.interactions["kind"] == "complaint"]


def _resolution_gap(w, kinds=("complaint",)) -> float:
    i = w.interactions
    rows = i[i["kind"].isin(kinds) & i["resolution_hours"].notna() & i["staff_id"].notna()]
    hours = w.staff.set_index("staff_id")["training_hours"]
    trained = rows["staff_id"].astype("int64").map(hours) >= 20
    return float(rows.loc[~trained, "resolution_hours"].mean()) - float(
        rows.loc[trained, "resolution_hours"].mean()
    )


def _acquisition_cost(w, *, by="acquisition") -> float:
    """Cost of the acquisition campaigns per customer they brought (``by``: who counts)."""
    cp = w.campaigns[w.campaigns["campaign_type"] == "acquisition"]
    ids = w.customers["acquisition_campaign_id"]
    if by == "acquisition":
        won = int(ids.isin(cp["campaign_id"]).sum())
    elif by == "any_campaign":
        won = int(ids.notna().sum())
    else:  # every customer
        won = len(w.customers)
    return float(cp["cost"].sum()) / won if won else float("nan")


def _per_customer_year(w, retention, **kwargs) -> float:
    """The acquisition cost spread over the expected lifetime 1 / (1 - retention) years."""
    return _acquisition_cost(w, **kwargs) * (1 - retention)


def _margin_by_buyer(w) -> pd.Series:
    return w.transactions.groupby("customer_id")["margin"].sum().sort_values(ascending=False)


def _top_share(values: pd.Series, n_top: int) -> float:
    values = values.sort_values(ascending=False)
    return float(values.iloc[:n_top].sum() / values.sum())


def _cost_per_acquisition(w) -> pd.Series:
    cp = w.campaigns[w.campaigns["campaign_type"] == "acquisition"]
    cost = cp.groupby("channel", observed=True)["cost"].sum()
    channel_of = cp.drop_duplicates("campaign_id").set_index("campaign_id")["channel"]
    ids = w.customers["acquisition_campaign_id"].dropna().astype("int64")
    won = ids.map(channel_of).dropna().astype(str).value_counts()
    won = won.reindex(cost.index.astype(str), fill_value=0)
    return pd.Series(
        np.where(won.to_numpy() > 0, cost.to_numpy() / np.maximum(won.to_numpy(), 1), np.inf),
        index=cost.index.astype(str),
    )


def _argmin_keys(s: pd.Series) -> frozenset:
    s = s[np.isfinite(s)]
    return frozenset(str(k) for k in s.index[np.isclose(s, s.min(), rtol=1e-9)])


def _drivers(w) -> pd.Series:
    s = w.surveys
    X = np.column_stack([np.ones(len(s))] + [s[c].to_numpy(float) for c in _COMPONENTS])
    coef = np.linalg.lstsq(X, s["overall"].to_numpy(float), rcond=None)[0][1:]
    return pd.Series(coef, index=_COMPONENTS)


def _argmax_keys(s: pd.Series) -> frozenset:
    return frozenset(str(k) for k in s.index[np.isclose(s, s.max(), rtol=1e-9)])


def _complainers(w, minimum, strict=False, kinds=("complaint",)) -> set[int]:
    i = w.interactions if kinds is None else w.interactions[w.interactions["kind"].isin(kinds)]
    n = i.groupby("customer_id").size()
    keep = n > minimum if strict else n >= minimum
    return {int(x) for x in n.index[keep]}


def _inconsistent_campaigns(w) -> set[int]:
    cp = w.campaigns.dropna(subset=["offer_price"])
    prices = cp.groupby("campaign_id")["offer_price"].nunique()
    return {int(x) for x in prices.index[prices > 1]}


def _cash(w, *, cutoff=True, drop_unpaid=False, strict=False) -> float:
    t = w.transactions
    if cutoff:
        t = t[t["date"] <= _CASH_CUTOFF]
    if drop_unpaid:
        t = t[t["paid_date"].notna()]
    days = (t["paid_date"] - t["date"]).dt.days
    on_time = (days < 30) if strict else (days <= 30)
    return _share(on_time.fillna(False).astype(bool))


def _dissolved_share(w, *, care: bool) -> float:
    cared = w.interactions.loc[w.interactions["kind"].isin(_CARE_KINDS), "customer_id"].unique()
    c = w.customers
    group = c[c["customer_id"].isin(cared) == care]
    return _share(group["lifecycle_stage"] == "dissolution")


# -- the methods of the lessons (expected answers from crmkit.metrics)
_DISCOUNT = 0.10
_RISE = 0.05
_COHORT = pd.Timestamp("2024-01-01")
_DAYS_PER_MONTH = 365.25 / 12


def _dissolved(w) -> pd.Series:
    return w.customers["lifecycle_stage"].astype(str) == "dissolution"


def _has_fee(w) -> pd.Series:
    return w.customers["exit_fee"].fillna(0) > 0


def _fee_gap(w, *, within=True, weights="fee") -> float:
    """Share in dissolution with an exit fee minus without: overall, or within relationship types.

    ``within``: the gap in each relationship type that has customers in both
    groups, averaged with the number of fee customers of the type as weights
    (``weights="fee"``), all its customers (``"all"``) or equal weights (``"equal"``).
    """
    fee, dissolved = _has_fee(w), _dissolved(w)
    if not within:
        return float(dissolved[fee].mean() - dissolved[~fee].mean())
    d = pd.DataFrame(
        {"type": w.customers["relationship_type"].astype(str), "fee": fee, "gone": dissolved}
    )
    shares = d.groupby(["type", "fee"])["gone"].mean().unstack().dropna()
    gap = shares[True] - shares[False]
    if weights == "equal":
        return float(gap.mean())
    who = d[d["fee"]] if weights == "fee" else d
    n = who.groupby("type").size().reindex(gap.index).fillna(0)
    return float((gap * n).sum() / n.sum())


def _origin_churn(w, *, count=False) -> pd.Series:
    gone = _dissolved(w).groupby(w.customers["origin"].astype(str).to_numpy())
    return gone.sum() if count else gone.mean()


def _survival_at(w, month: int, by=None) -> float | pd.Series:
    customers = w.customers if by is None else w.customers.assign(_group=by)
    km = survival_curve(customers, by=None if by is None else "_group")
    km = km[km["month"] == month]
    if by is None:
        return float(km["survival"].iloc[0])
    return km.set_index("group")["survival"].rename(index=str)


def _naive_survival(w, month: int, by=None):
    """The share who had not left ``month`` months after sign-up, ignoring who is still new."""
    c = w.customers
    as_of = max(c["signup_date"].max(), c["churn_date"].max())
    months = np.floor((c["churn_date"].fillna(as_of) - c["signup_date"]).dt.days / _DAYS_PER_MONTH)
    kept = ~(c["churn_date"].notna() & (months < month))
    return _share(kept) if by is None else kept.groupby(by.to_numpy()).mean()


def _fee_groups(w) -> pd.Series:
    return pd.Series(np.where(_has_fee(w), "fee", "no_fee"), index=w.customers.index)


def _fee_survival_gap(w, month=12) -> float:
    s = _survival_at(w, month, by=_fee_groups(w))
    return float(s["fee"] - s["no_fee"])


def _transition(w, a="expansion", b="commitment", *, by_column=False) -> float:
    if by_column:
        counts = transition_matrix(w.stage_history, counts=True)
        return float(counts.loc[a, b] / counts[b].sum())
    return float(transition_matrix(w.stage_history).loc[a, b])


def _margin_2024(w, ids) -> pd.Series:
    t = w.transactions
    margin = t[t["date"].dt.year == 2024].groupby("customer_id")["margin"].sum()
    return pd.Series(pd.Index(ids).map(margin), index=pd.Index(ids)).fillna(0.0)


def _top(values: pd.Series, n: int) -> set[int]:
    """The ids (index) of the ``n`` largest values; ties broken by the smaller id."""
    frame = pd.DataFrame({"v": values.to_numpy(float), "id": values.index.astype("int64")})
    frame = frame.sort_values(["v", "id"], ascending=[False, True], kind="stable")
    return {int(x) for x in frame["id"].iloc[:n]}


def _calls_dissatisfied(w, *, latest=True, active=True, n=10) -> set[int]:
    answers = w.surveys.sort_values(["date", "survey_id"]).groupby("customer_id")["overall"]
    answer = answers.last() if latest else answers.first()
    unhappy = answer.index[(satisfaction_band(answer) == "dissatisfied").to_numpy()]
    if active:
        gone = set(w.customers.loc[_dissolved(w), "customer_id"])
        unhappy = [i for i in unhappy if i not in gone]
    return _top(_margin_2024(w, unhappy), n)


def _buyer_sets(w):
    t = w.transactions
    year = t["date"].dt.year
    return set(t.loc[year == 2023, "customer_id"]), set(t.loc[year == 2024, "customer_id"])


def _yearly_retention(w) -> float:
    b23, b24 = _buyer_sets(w)
    return len(b23 & b24) / len(b23) if b23 else float("nan")


def _yearly_margin(w) -> float:
    t = w.transactions
    in_2024 = t[t["date"].dt.year == 2024]
    return float(in_2024["margin"].sum() / in_2024["customer_id"].nunique())


def _clv(w, *, rise=0.0, discount=_DISCOUNT) -> float:
    return customer_lifetime_value(_yearly_margin(w), _yearly_retention(w) + rise, discount)


def _break_even_cost(w, *, discount=_DISCOUNT) -> float:
    """The yearly cost per customer at which a 5-point retention rise just pays for itself."""
    value_per_unit = customer_lifetime_value(1.0, _yearly_retention(w) + _RISE, discount)
    return _yearly_margin(w) - _clv(w, discount=discount) / value_per_unit


def _cohort_cell(w, period=3, *, counts=False) -> float:
    table = cohort_retention(w.transactions, counts=counts)
    if _COHORT not in table.index or period not in table.columns:
        return float("nan")  # a world too small to have this cohort: "no data" feedback
    return float(table.loc[_COHORT, period])


def _rfm_count(w, rule="champions") -> int:
    r = rfm_table(w.transactions)
    if rule == "champions":
        return int((r["segment"] == "champions").sum())
    if rule == "no_m":
        return int(((r["r_score"] >= 4) & (r["f_score"] >= 4)).sum())
    return int(((r["r_score"] > 4) & (r["f_score"] > 4) & (r["m_score"] > 4)).sum())


def _flag_quality(w, flag="serial_complainer") -> tuple[float, float, float]:
    """Precision, recall and share flagged of a termination flag against the generator's truth."""
    cand = termination_candidates(w.customers, w.transactions, w.interactions)
    flagged = cand[flag].to_numpy(dtype=bool)
    latent = w.truth["latent"][flag].reindex(cand["customer_id"])
    true = latent.fillna(False).to_numpy(dtype=bool)
    hits = int((flagged & true).sum())
    precision = hits / flagged.sum() if flagged.sum() else float("nan")
    recall = hits / true.sum() if true.sum() else float("nan")
    return precision, recall, float(flagged.mean())


def _value_at_risk(w, *, compound=True, active=True) -> pd.Series:
    """Margin of 2024 x the chance of leaving within 12 months at the stage's monthly rate."""
    rate = transition_matrix(w.stage_history)["dissolution"]
    c = w.customers[~_dissolved(w)] if active else w.customers
    p = c["lifecycle_stage"].astype(str).map(rate).to_numpy(float)
    risk = 1 - (1 - p) ** 12 if compound else 12 * p
    ids = pd.Index(c["customer_id"].astype("int64"))
    return pd.Series(risk, index=ids) * _margin_2024(w, ids).clip(lower=0)


def _complaint_alerts(w, *, window=3, threshold=2.0, current=False, ddof=1) -> int:
    kpis = loyalty_kpis(w.customers, w.transactions, w.interactions)
    if not current and ddof == 1:
        return len(kpi_alerts(kpis, window=window, threshold=threshold, columns=["complaints"]))
    v = kpis["complaints"].astype(float)
    past = (v if current else v.shift(1)).rolling(window, min_periods=window)
    z = (v - past.mean()) / past.std(ddof=ddof)
    return int((z.abs() >= threshold).sum())


def _care_calls(w, *, n=10, active=True, kinds=("escalated", "unresolved")) -> set[int]:
    cand = termination_candidates(w.customers, w.transactions, w.interactions)
    if kinds == ("escalated", "unresolved"):
        keep = cand["unresolved_complaints"] >= 1
    else:  # a mistake: every complaint
        keep = cand["complaints"] >= 1
    if active:
        keep &= ~cand["customer_id"].isin(w.customers.loc[_dissolved(w), "customer_id"])
    chosen = cand[keep]
    return _top(pd.Series(chosen["margin"].to_numpy(float), index=chosen["customer_id"]), n)


def _q(*args, **kwargs) -> Question:
    return Question(*args, **kwargs)


def _set(id, notebook, title, sections, minutes, questions) -> ExerciseSet:
    return ExerciseSet(id, notebook, title, sections, minutes, {q.id: q for q in questions})


# --------------------------------------------------------------------------- ex1
EX1 = _set(
    "ex1",
    "01-relationships-and-types.ipynb",
    "Relationships, relationship types and customer types",
    "C, D, E",
    50,
    [
        _q(
            "ex1.q1",
            "E",
            "customers with dedicated personal assistance",
            "count",
            lambda w: int((w.customers["relationship_type"] == "dedicated_assistance").sum()),
            "Count the rows of customers whose relationship_type is 'dedicated_assistance'.",
            mistakes=(
                Mistake(
                    lambda w, e: int(
                        (w.customers["relationship_type"] == "personal_assistance").sum()
                    ),
                    "That is personal assistance. Dedicated personal assistance is the "
                    "private-banker / key-account kind: 'dedicated_assistance'.",
                ),
                Mistake(
                    lambda w, e: int(
                        w.customers["relationship_type"]
                        .isin(["personal_assistance", "dedicated_assistance"])
                        .sum()
                    ),
                    "You counted both kinds of personal assistance; keep only the dedicated one.",
                ),
            ),
            what="a whole number (a count of customers)",
            concept="RELATIONSHIP_TYPES: dedicated_assistance",
        ),
        _q(
            "ex1.q2",
            "E",
            "the airport kiosk",
            "choice",
            lambda w: "transactional",
            "Think about what links the kiosk and the traveller once the sale is over.",
            choices=C.RELATIONSHIP_TYPES,
            choice_hints={
                "self_service": "The kiosk may be self-service in form, but look at the "
                "relationship: a single purchase, no history, no future contact.",
                "automated_services": "Nothing is tailored to the traveller here: look at "
                "how long the relationship lasts.",
            },
            what="one of the seven relationship types",
            concept="RELATIONSHIP_TYPES",
        ),
        _q(
            "ex1.q3",
            "E",
            "purchases per customer by relationship type",
            "series",
            lambda w: _by_type(w, _purchases_per_customer(w)),
            "For each customer count their purchases (0 if none), then take the mean per "
            "relationship_type.",
            abs_tol=0.01,
            rel_tol=0.005,
            mistakes=(
                Mistake(
                    lambda w, e: _by_type(w, w.transactions.groupby("customer_id").size()),
                    "You left out the customers who never bought: count them as 0 purchases "
                    "(reindex the counts on all customer ids with fill_value=0).",
                ),
                Mistake(
                    lambda w, e: (
                        _purchases_per_customer(w)
                        .groupby(w.customers["relationship_type"].to_numpy(), observed=True)
                        .sum()
                    ),
                    "That is the total number of purchases per type; divide by the number "
                    "of customers of each type (a mean).",
                ),
            ),
            what="a pandas Series indexed by relationship type (one mean per type)",
            concept="RELATIONSHIP_TYPES; the generator's assumption (not source 004's): "
            "the type sets how often a customer buys",
        ),
        _q(
            "ex1.q4",
            "C",
            "who gets the welcome call",
            "choice",
            lambda w: _argmax_keys(_origin_churn(w)),
            "For each origin, the share of its customers in dissolution; the budget goes to "
            "the origin with the highest share.",
            choices=C.ORIGINS,
            mistakes=(
                Mistake(
                    lambda w, e: _argmax_keys(_origin_churn(w, count=True)),
                    "That origin has the most customers in dissolution because it has the "
                    "most customers; compare shares, not counts.",
                ),
            ),
            what="one of the three customer origins",
            concept="ORIGINS; a decision from the data (where a welcome budget goes)",
        ),
        _q(
            "ex1.q5",
            "C",
            "from nappies to toys",
            "choice",
            lambda w: "new_to_product",
            "The family did not leave and did not come from a competitor: what changed is "
            "their need.",
            choices=C.ORIGINS,
            choice_hints={
                "won_back": "They never stopped buying: they came back with a new need, not "
                "after a win-back offer.",
            },
            what="one of the three customer origins",
            concept="ORIGINS: new_to_product",
        ),
        _q(
            "ex1.q6",
            "D",
            "contacts per customer",
            "number",
            lambda w: len(w.interactions) / len(w.customers),
            "Every row of interactions is one encounter; divide their number by the number "
            "of customers.",
            abs_tol=0.01,
            rel_tol=0.002,
            mistakes=(
                Mistake(
                    lambda w, e: len(w.interactions) / w.interactions["customer_id"].nunique(),
                    "You divided by the customers who had a contact; divide by all customers.",
                ),
                Mistake(
                    lambda w, e: len(w.interactions) / len(w.transactions),
                    "That is contacts per purchase; the question asks per customer.",
                ),
            ),
            what="a number (contacts per customer, e.g. 7.25)",
            concept="a relationship is the sum of small encounters (003)",
        ),
        _q(
            "ex1.q7",
            "D",
            "customers as brand ambassadors",
            "choice",
            lambda w: "develop_engagement",
            "Which lever turns customers into active participants of the brand?",
            choices=C.LEVERS,
            choice_hints={
                "optimise_experience": "Memorable moments optimise the experience; here the "
                "customers themselves act for the brand.",
            },
            what="one of the three levers",
            concept="LEVERS: develop_engagement",
        ),
    ],
)

# --------------------------------------------------------------------------- ex2
EX2 = _set(
    "ex2",
    "02-lifecycle-and-satisfaction.ipynb",
    "The lifecycle and the four components of satisfaction",
    "A, D, E",
    70,
    [
        _q(
            "ex2.q1",
            "E",
            "share of customers in dissolution",
            "number",
            lambda w: _share(w.customers["lifecycle_stage"] == "dissolution"),
            "Use customers.lifecycle_stage at the reference date: the share equal to "
            "'dissolution'.",
            abs_tol=0.001,
            fraction=True,
            mistakes=(
                Mistake(
                    lambda w, e: 1 - e,
                    "That is the share still in a relationship (retention); the question asks "
                    "for the share in dissolution (churn).",
                ),
            ),
            what=FRACTION,
            concept="LIFECYCLE_STAGES: dissolution",
        ),
        _q(
            "ex2.q2",
            "E",
            "adapting to the rules of the business",
            "choice",
            lambda w: "commitment",
            "At which stage has the supplier learned to adapt to the rules of the business?",
            choices=C.LIFECYCLE_STAGES,
            choice_hints={
                "expansion": "Expansion brings trust and more business; a supplier that has "
                "learned to adapt to the rules of the business is a stage further on.",
            },
            what="one of the five lifecycle stages",
            concept="LIFECYCLE_STAGES: commitment",
        ),
        _q(
            "ex2.q3",
            "E",
            "relationships the supplier ended",
            "ids",
            lambda w: set(
                w.customers.loc[
                    w.customers["churn_reason"].isin(["low_volume", "fraud"]), "customer_id"
                ].astype(int)
            ),
            "The supplier-side reasons are 'low_volume' and 'fraud' (customers.churn_reason).",
            mistakes=(
                Mistake(
                    lambda w, e: set(
                        w.customers.loc[
                            w.customers["lifecycle_stage"] == "dissolution", "customer_id"
                        ].astype(int)
                    ),
                    "These are all customers in dissolution; keep only those the supplier ended.",
                ),
                Mistake(
                    lambda w, e: set(
                        w.customers.loc[
                            w.customers["churn_reason"].isin(
                                ["needs_changed", "dissatisfaction", "better_brand"]
                            ),
                            "customer_id",
                        ].astype(int)
                    ),
                    "These left on their own (customer-side reasons); the question asks for "
                    "the relationships the supplier ended.",
                ),
            ),
            what="a list of customer ids",
            concept="LIFECYCLE_STAGES: dissolution; DISSOLUTION_REASONS",
        ),
        _q(
            "ex2.q4",
            "A",
            "CSAT",
            "number",
            lambda w: _share(w.surveys["overall"] >= C.SATISFIED_MIN),
            "CSAT is the share of survey answers whose overall satisfaction is 6 or 7.",
            abs_tol=0.001,
            fraction=True,
            mistakes=(
                Mistake(
                    lambda w, e: _share(w.surveys["overall"] >= C.SATISFIED_MIN - 1),
                    "Satisfied means 6 or 7 on the 1-7 scale; 5 does not count.",
                ),
                Mistake(
                    lambda w, e: _share(w.surveys["overall"] >= C.EXCEEDED_MIN),
                    "6 counts as satisfied too.",
                ),
            ),
            what=FRACTION,
            concept="CUSTOMER_FLOW: satisfied; satisfaction survey",
        ),
        _q(
            "ex2.q5",
            "D",
            "NPS",
            "number",
            lambda w: (
                100.0
                * (
                    _share(w.surveys["nps"] >= C.PROMOTER_MIN)
                    - _share(w.surveys["nps"] <= C.DETRACTOR_MAX)
                )
            ),
            "NPS = (share of promoters, 9-10) minus (share of detractors, 0-6), times 100.",
            abs_tol=0.1,
            mistakes=(
                Mistake(
                    lambda w, e: e / 100,
                    "NPS is given in points from -100 to 100: multiply the difference of "
                    "shares by 100.",
                ),
                Mistake(
                    lambda w, e: 100.0 * _share(w.surveys["nps"] >= C.PROMOTER_MIN),
                    "That is the share of promoters; subtract the share of detractors (0-6).",
                ),
                Mistake(
                    lambda w, e: (
                        100.0
                        * (
                            _share(w.surveys["nps"] >= C.PROMOTER_MIN)
                            - _share(w.surveys["nps"] <= C.DETRACTOR_MAX + 1)
                        )
                    ),
                    "Detractors answer 0 to 6; 7 and 8 are passives.",
                ),
            ),
            what="a number of points between -100 and 100",
            concept="LEVERS: develop_engagement; satisfaction survey",
        ),
        _q(
            "ex2.q6",
            "A",
            "the component that drives overall satisfaction",
            "choice",
            lambda w: _argmax_keys(_drivers(w)),
            "Fit overall ~ product + peripheral + atmosphere + psychological by least squares "
            "(with an intercept) and compare the four coefficients.",
            choices=C.SATISFACTION_COMPONENTS,
            what="one of the four satisfaction components",
            concept="SATISFACTION_COMPONENTS; truth['component_weights']",
        ),
        _q(
            "ex2.q7",
            "A",
            "the reserved customer",
            "choice",
            lambda w: "psychological",
            "Which component is about how the way of dealing fits the person?",
            choices=C.SATISFACTION_COMPONENTS,
            choice_hints={
                "atmosphere": "Courtesy is part of the atmosphere; here the point is the fit "
                "with this person's character.",
                "peripheral": "Personal attention adds value around the product; here the "
                "point is the fit with this person's character.",
            },
            what="one of the four satisfaction components",
            concept="SATISFACTION_COMPONENTS: psychological",
        ),
        _q(
            "ex2.q8",
            "E",
            "still in a relationship after 12 months (Kaplan-Meier)",
            "number",
            lambda w: _survival_at(w, 12),
            "Kaplan-Meier: month by month, 1 - defections / customers still observed; "
            "multiply these up to month 12. A customer who signed up recently is observed "
            "only until the last date of the data.",
            abs_tol=0.002,
            fraction=True,
            mistakes=(
                Mistake(
                    lambda w, e: _naive_survival(w, 12),
                    "You divided by every customer, as if all had been watched for 12 months. "
                    "Customers who signed up recently have not had 12 months yet: the "
                    "Kaplan-Meier estimate only counts the customers still observed each month.",
                ),
                Mistake(
                    lambda w, e: _survival_at(w, 11),
                    "That is the estimate after 11 months; take the row month == 12.",
                ),
                Mistake(
                    lambda w, e: _survival_at(w, 13),
                    "That is the estimate after 13 months; take the row month == 12.",
                ),
                Mistake(
                    lambda w, e: 1 - e,
                    "That is the share who left; the question asks for the share still there.",
                ),
            ),
            what=FRACTION,
            concept="survival curve (Kaplan-Meier); LIFECYCLE_STAGES: dissolution",
        ),
        _q(
            "ex2.q9",
            "E",
            "from expansion to commitment in one month",
            "number",
            lambda w: _transition(w),
            "Stage of every customer at each month end; pair each month end with the next "
            "one; among the customers in expansion at a month end, the share in commitment "
            "at the next (a row of the transition matrix sums to 1).",
            abs_tol=0.002,
            fraction=True,
            mistakes=(
                Mistake(
                    lambda w, e: _transition(w, by_column=True),
                    "You divided by the moves that end in commitment (a column); divide by "
                    "the moves that start in expansion (the row).",
                ),
                Mistake(
                    lambda w, e: _transition(w, "expansion", "expansion"),
                    "That is the chance of staying in expansion; the question asks for the "
                    "move to commitment.",
                ),
            ),
            what=FRACTION,
            concept="transition matrix; LIFECYCLE_STAGES: expansion, commitment",
        ),
        _q(
            "ex2.q10",
            "E",
            "whom to call first",
            "ids",
            lambda w: _calls_dissatisfied(w),
            "Latest survey answer per customer (sort by date); dissatisfied means overall 5 "
            "or less; drop customers in dissolution; sort by margin of 2024 purchases "
            "(0 if none), highest first; keep 10.",
            mistakes=(
                Mistake(
                    lambda w, e: _calls_dissatisfied(w, latest=False),
                    "Use each customer's latest answer, not the first: the call is about how "
                    "they feel now.",
                ),
                Mistake(
                    lambda w, e: _calls_dissatisfied(w, active=False),
                    "Leave out the customers already in dissolution: the calls are to keep "
                    "customers who are still there.",
                ),
            ),
            what="a list of 10 customer ids",
            concept="SATISFACTION_BANDS: dissatisfied; a decision from the data (whom to "
            "call with a limited team)",
        ),
        _q(
            "ex2.q11",
            "E",
            "the exit fee within relationship types",
            "number",
            lambda w: _fee_gap(w),
            "Mark fee customers (exit_fee > 0). Per relationship_type, the share in "
            "dissolution of fee customers minus that of the others (skip a type without both "
            "groups); then average these gaps with the number of fee customers of each type "
            "as weights.",
            abs_tol=0.002,
            mistakes=(
                Mistake(
                    lambda w, e: _fee_gap(w, within=False),
                    "That is the naive gap over all customers. Compare within each "
                    "relationship type first: fee contracts go more often to some types, "
                    "and the types differ in how often they end.",
                ),
                Mistake(
                    lambda w, e: _fee_gap(w, weights="equal"),
                    "You gave every relationship type the same weight; weight each type's "
                    "gap by its number of fee customers.",
                ),
                Mistake(
                    lambda w, e: _fee_gap(w, weights="all"),
                    "You weighted by all customers of each type; weight by the fee customers, "
                    "the ones whose difference the question is about.",
                ),
                Mistake(
                    lambda w, e: -e,
                    "Subtract the other way round: fee customers minus the others.",
                ),
            ),
            what="a number between -1 and 1 (a difference of two shares)",
            concept="confounding: a naive comparison against one within strata "
            "(RELATIONSHIP_TYPES); RETENTION_STRATEGIES (negative group): exit fees",
        ),
    ],
)

# --------------------------------------------------------------------------- ex3
EX3 = _set(
    "ex3",
    "03-strategies-and-loyalty-economics.ipynb",
    "The ten strategies and the economics of loyalty",
    "A, B",
    70,
    [
        _q(
            "ex3.q1",
            "A",
            "cheaper rooms for repeat guests",
            "choice",
            lambda w: "relationship_schemes",
            "Who pays less here, and why?",
            choices=C.STRATEGIES,
            choice_hints={
                "cost_analysis": "The lower price rewards loyalty; it does not come from "
                "cutting costs.",
            },
            what="one of the ten strategies",
            concept="STRATEGIES: relationship_schemes",
        ),
        _q(
            "ex3.q2",
            "A",
            "helping after a flood",
            "choice",
            lambda w: "social_events",
            "The company acts for the community, not for a sale.",
            choices=C.STRATEGIES,
            choice_hints={
                "people": "Staff take part, but the strategy is about the company's role in "
                "the community.",
            },
            what="one of the ten strategies",
            concept="STRATEGIES: social_events",
        ),
        _q(
            "ex3.q3",
            "A",
            "hours saved by trained staff",
            "number",
            _resolution_gap,
            "Join complaints (with a resolution time) to staff on staff_id; split at 20 "
            "training hours; subtract: mean hours of the less trained minus mean hours of "
            "the trained.",
            abs_tol=0.05,
            rel_tol=0.002,
            mistakes=(
                Mistake(
                    lambda w, e: -e,
                    "You subtracted the other way round: less trained minus trained.",
                ),
                Mistake(
                    lambda w, e: _resolution_gap(
                        w, kinds=("complaint", "inquiry", "technical_request")
                    ),
                    "Keep only complaints (kind == 'complaint').",
                ),
            ),
            what="a number of hours",
            concept="STRATEGIES: staff_training",
        ),
        _q(
            "ex3.q4",
            "A",
            "margin rate",
            "number",
            lambda w: float(w.transactions["margin"].sum() / w.transactions["amount"].sum()),
            "Total margin divided by total amount paid, over all purchases.",
            abs_tol=0.001,
            fraction=True,
            mistakes=(
                Mistake(
                    lambda w, e: float(
                        (w.transactions["margin"] / w.transactions["amount"]).mean()
                    ),
                    "Divide the totals: the mean of each purchase's rate gives a small "
                    "purchase as much weight as a big one.",
                ),
                Mistake(
                    lambda w, e: float(
                        w.transactions["margin"].sum() / w.transactions["list_price"].sum()
                    ),
                    "Divide by the amount paid, not by the list price.",
                ),
            ),
            what=FRACTION,
            concept="STRATEGIES: cost_analysis",
        ),
        _q(
            "ex3.q5",
            "B",
            "acquisition cost per customer-year at 85% retention",
            "number",
            lambda w: _per_customer_year(w, 0.85),
            "Cost per acquired customer = total cost of the acquisition campaigns / number of "
            "customers whose acquisition_campaign_id is one of them; a customer stays "
            "1 / (1 - 0.85) years on average: divide the cost by that lifetime.",
            rel_tol=0.002,
            abs_tol=0.01,
            mistakes=(
                Mistake(
                    lambda w, e: _acquisition_cost(w),
                    "That is the cost per acquired customer: now spread it over the years "
                    "the customer stays, 1 / (1 - 0.85).",
                ),
                Mistake(
                    lambda w, e: _acquisition_cost(w) / (1 - 0.85),
                    "You multiplied by the lifetime; spread the cost over it instead: divide "
                    "by 1 / (1 - 0.85).",
                ),
                Mistake(
                    lambda w, e: _per_customer_year(w, 0.80),
                    "That is the cost per customer-year at 80% retention; the question asks "
                    "at 85%.",
                ),
                Mistake(
                    lambda w, e: 0.85 * _acquisition_cost(w),
                    "0.85 is the share who stay; the lifetime is 1 / (1 - 0.85) years, so the "
                    "yearly share of the cost is 1 - 0.85.",
                ),
                Mistake(
                    lambda w, e: 0.82 * _acquisition_cost(w),
                    "Do not cut 18% off the cost itself: the 18% of the example comes out of "
                    "spreading a one-off cost over a longer life. Divide by the lifetime.",
                ),
                Mistake(
                    lambda w, e: _per_customer_year(w, 0.85, by="any_campaign"),
                    "Count only the customers the acquisition campaigns brought; won-back "
                    "customers came through win-back campaigns.",
                ),
                Mistake(
                    lambda w, e: _per_customer_year(w, 0.85, by="everyone"),
                    "Divide by the customers the acquisition campaigns brought, not by every "
                    "customer.",
                ),
            ),
            what="a number of currency units per customer-year",
            concept="REICHHELD (a one-off acquisition cost spread over a longer life); "
            "CAMPAIGN_TYPES: acquisition",
        ),
        _q(
            "ex3.q6",
            "B",
            "retention of the 2023 sign-ups",
            "number",
            lambda w: _share(
                w.customers.loc[w.customers["signup_date"].dt.year == 2023, "lifecycle_stage"]
                != "dissolution"
            ),
            "Keep the customers who signed up in 2023; the share of them not in "
            "dissolution at the reference date.",
            abs_tol=0.001,
            fraction=True,
            mistakes=(
                Mistake(
                    lambda w, e: 1 - e,
                    "That is the share lost (churn); the question asks for the share kept.",
                ),
                Mistake(
                    lambda w, e: _share(w.customers["lifecycle_stage"] != "dissolution"),
                    "Keep only the customers who signed up in 2023.",
                ),
            ),
            what=FRACTION,
            concept="CUSTOMER_FLOW: retention; REICHHELD",
        ),
        _q(
            "ex3.q7",
            "B",
            "invoices paid within the terms",
            "choice",
            lambda w: "cash_collection",
            "Which KPI is about money coming in?",
            choices=C.LOYALTY_KPIS,
            what="one of the seven loyalty KPIs",
            concept="LOYALTY_KPIS: cash_collection",
        ),
        _q(
            "ex3.q8",
            "A",
            "the customer who recommends you",
            "choice",
            lambda w: "advocate",
            "Climb the loyalty ladder: who speaks up for the company?",
            choices=C.LOYALTY_LADDER,
            choice_hints={
                "supporter": "A supporter likes the company but only passively; this one "
                "speaks up for it.",
                "partner": "A partner works with the company (ideas, feedback); "
                "recommending it is the rung below.",
            },
            what="one rung of the loyalty ladder",
            concept="STRATEGIES: customer_analysis; LOYALTY_LADDER",
        ),
        _q(
            "ex3.q9",
            "B",
            "lifetime value of a customer",
            "number",
            lambda w: _clv(w),
            "r = customers who bought in both 2023 and 2024 / customers who bought in 2023; "
            "m = 2024 margin / customers who bought in 2024; d = 0.10; "
            "CLV = m * (1 + d) / (1 + d - r).",
            rel_tol=0.005,
            mistakes=(
                Mistake(
                    lambda w, e: (
                        _yearly_margin(w)
                        * _yearly_retention(w)
                        / (1 + _DISCOUNT - _yearly_retention(w))
                    ),
                    "The first margin comes now, for certain: m * (1 + d) / (1 + d - r), "
                    "not m * r / (1 + d - r).",
                ),
                Mistake(
                    lambda w, e: _clv(w, discount=0.0),
                    "Money in later years is worth less today: discount it at d = 0.10.",
                ),
                Mistake(
                    lambda w, e: customer_lifetime_value(
                        _yearly_margin(w),
                        len(set.intersection(*_buyer_sets(w))) / len(_buyer_sets(w)[1]),
                        _DISCOUNT,
                    ),
                    "Retention divides by the customers who bought in 2023 (who could have "
                    "come back), not by those of 2024.",
                ),
            ),
            what="a number of currency units per customer",
            concept="customer lifetime value; REICHHELD",
        ),
        _q(
            "ex3.q10",
            "B",
            "cohort retention three months on",
            "number",
            lambda w: _cohort_cell(w),
            "Cohort = month of a customer's first purchase. Among the customers whose first "
            "purchase was in January 2024, the share who bought in April 2024 (period 3: "
            "January is period 0).",
            abs_tol=0.001,
            fraction=True,
            mistakes=(
                Mistake(
                    lambda w, e: _cohort_cell(w, 2),
                    "That is March (period 2); January is period 0, so period 3 is April.",
                ),
                Mistake(
                    lambda w, e: _cohort_cell(w, 4),
                    "That is May (period 4); January is period 0, so period 3 is April.",
                ),
                Mistake(
                    lambda w, e: _cohort_cell(w, 3, counts=True),
                    "That is a number of customers; divide by the size of the cohort.",
                ),
            ),
            what=FRACTION,
            concept="cohort retention; CUSTOMER_FLOW: retention",
        ),
        _q(
            "ex3.q11",
            "B",
            "what a loyalty programme may cost",
            "number",
            lambda w: _break_even_cost(w),
            "With r and m of question 9 and d = 0.10: a programme costing c per customer per "
            "year (paid like the margin) raises retention to r + 0.05. Find the c at which "
            "(m - c) * (1 + d) / (1 + d - r - 0.05) equals the CLV of question 9.",
            rel_tol=0.005,
            mistakes=(
                Mistake(
                    lambda w, e: _clv(w, rise=_RISE) - _clv(w),
                    "That is the gain over a whole lifetime; the question asks for a yearly "
                    "cost per customer.",
                ),
                Mistake(
                    lambda w, e: _break_even_cost(w, discount=0.0),
                    "Discount later years at d = 0.10, as in question 9.",
                ),
            ),
            what="a number of currency units per customer and year",
            concept="retention economics; a decision from the data (the most a loyalty "
            "programme may cost)",
        ),
    ],
)

# --------------------------------------------------------------------------- ex4
EX4 = _set(
    "ex4",
    "04-acquisition-retention-termination.ipynb",
    "Acquisition, retention and ending relationships",
    "A, C",
    75,
    [
        _q(
            "ex4.q1",
            "C",
            "customers won back",
            "count",
            lambda w: int((w.customers["origin"] == "won_back").sum()),
            "Count the customers whose origin is 'won_back'.",
            mistakes=(
                Mistake(
                    lambda w, e: int(
                        w.campaigns.loc[
                            w.campaigns["campaign_type"] == "win_back", "campaign_id"
                        ].nunique()
                    ),
                    "That counts win-back campaigns; count the customers they brought back.",
                ),
            ),
            what="a whole number (a count of customers)",
            concept="CUSTOMER_FLOW: win_back; ORIGINS: won_back",
        ),
        _q(
            "ex4.q2",
            "C",
            "the cheapest channel per acquired customer",
            "choice",
            lambda w: _argmin_keys(_cost_per_acquisition(w)),
            "Per channel: total cost of its acquisition campaigns divided by the customers "
            "whose acquisition_campaign_id is one of those campaigns; the lowest wins.",
            choices=C.CHANNELS,
            mistakes=(
                Mistake(
                    lambda w, e: _argmin_keys(
                        w.campaigns[w.campaigns["campaign_type"] == "acquisition"]
                        .groupby("channel", observed=True)["cost"]
                        .sum()
                        .rename(index=str)
                    ),
                    "That channel spends least in total; divide by the customers it brought.",
                ),
            ),
            what="one of the six channels",
            concept="ACQUISITION_TOOLS: campaign_management",
        ),
        _q(
            "ex4.q3",
            "C",
            "penalties and exit fees",
            "choice",
            lambda w: "negative",
            "Do customers stay because they want to, or because leaving hurts?",
            choices=("positive", "negative"),
            what="'positive' or 'negative'",
            concept="RETENTION_STRATEGIES (negative group)",
        ),
        _q(
            "ex4.q4",
            "C",
            "serial complainers",
            "ids",
            lambda w: _complainers(w, 4),
            "Count complaints (kind == 'complaint') per customer; keep those with at least 4.",
            mistakes=(
                Mistake(
                    lambda w, e: _complainers(w, 4, strict=True),
                    "'At least 4' includes the customers with exactly 4 complaints.",
                ),
                Mistake(
                    lambda w, e: _complainers(w, 4, kinds=None),
                    "Count only complaints, not every contact.",
                ),
            ),
            what="a list of customer ids",
            concept="TERMINATION_CRITERIA: serial_complainer",
        ),
        _q(
            "ex4.q5",
            "C",
            "only buys on promotion",
            "choice",
            lambda w: "deal_seeker",
            "The source names this behaviour directly.",
            choices=C.TERMINATION_CRITERIA,
            choice_hints={
                "unprofitable": "They may well be unprofitable, but the source names the "
                "behaviour: always hunting a better deal.",
            },
            what="one of the termination criteria",
            concept="TERMINATION_CRITERIA: deal_seeker",
        ),
        _q(
            "ex4.q6",
            "C",
            "margin share of the top 20%",
            "number",
            lambda w: _top_share(_margin_by_buyer(w), len(_margin_by_buyer(w)) // 5),
            "Sum margin per customer who bought; sort from highest; the first n // 5 "
            "customers' margin divided by the total margin.",
            abs_tol=0.005,
            fraction=True,
            mistakes=(
                Mistake(
                    lambda w, e: _top_share(
                        w.transactions.groupby("customer_id")["amount"].sum(),
                        w.transactions["customer_id"].nunique() // 5,
                    ),
                    "Use margin (what the customer leaves after costs), not the amount paid.",
                ),
                Mistake(
                    lambda w, e: 0.2,
                    "The top 20% of customers bring far more than 20% of the margin: sort "
                    "customers by their margin first.",
                ),
            ),
            what=FRACTION,
            concept="WHOM_TO_RETAIN: profitable; RETENTION_PROCESS: discovery",
        ),
        _q(
            "ex4.q7",
            "A",
            "is the retention strategy working?",
            "choice",
            lambda w: "opinion_research",
            "It is the last step of the retention process, and it repeats.",
            choices=C.RETENTION_PROCESS,
            choice_hints={
                "evaluation": "Evaluation profiles customers before the strategy is set; "
                "checking that it works comes last.",
            },
            what="one of the four steps of the retention process",
            concept="RETENTION_PROCESS: opinion_research",
        ),
        _q(
            "ex4.q8",
            "C",
            "an offer on the customer's birthday",
            "choice",
            lambda w: "event_based_marketing",
            "The offer is triggered by something that happens to the customer.",
            choices=C.RETENTION_TOOLS,
            choice_hints={
                "data_mining": "The history may help, but the trigger here is an event in "
                "the customer's life.",
            },
            what="one of the five retention tools",
            concept="RETENTION_TOOLS: event_based_marketing",
        ),
        _q(
            "ex4.q9",
            "C",
            "champions by RFM",
            "count",
            lambda w: _rfm_count(w),
            "Recency from the last purchase to the last date of the data, frequency and "
            "monetary per customer; score each 1-5 by quintile (5 = best); champions have "
            "r >= 4, f >= 4 and m >= 4.",
            mistakes=(
                Mistake(
                    lambda w, e: _rfm_count(w, "no_m"),
                    "Champions also spend: add m >= 4.",
                ),
                Mistake(
                    lambda w, e: _rfm_count(w, "strict"),
                    "A score of 4 counts: use >= 4, not > 4.",
                ),
            ),
            what="a whole number (a count of customers)",
            concept="RFM; RETENTION_PROCESS: discovery",
        ),
        _q(
            "ex4.q10",
            "C",
            "how often the serial-complainer flag is right",
            "number",
            lambda w: _flag_quality(w)[0],
            "termination_candidates flags customers from their behaviour; "
            "world.truth['latent'] says who really is a serial complainer. Precision = "
            "flagged and truly so / flagged.",
            abs_tol=0.001,
            fraction=True,
            mistakes=(
                Mistake(
                    lambda w, e: _flag_quality(w)[1],
                    "That is the recall (divided by the customers truly so); precision "
                    "divides by the customers flagged.",
                ),
                Mistake(
                    lambda w, e: _flag_quality(w)[2],
                    "That is the share of customers flagged; keep only the flagged ones and "
                    "ask how many of them truly are serial complainers.",
                ),
            ),
            what=FRACTION,
            concept="TERMINATION_CRITERIA: serial_complainer; precision and recall",
        ),
        _q(
            "ex4.q11",
            "C",
            "the exit fee and staying 12 months",
            "number",
            lambda w: _fee_survival_gap(w),
            "Split customers by exit_fee > 0; a Kaplan-Meier curve per group "
            "(survival_curve with by=); the survival at month 12 of the fee group minus "
            "that of the others.",
            abs_tol=0.003,
            mistakes=(
                Mistake(
                    lambda w, e: -e,
                    "Subtract the other way round: the fee group minus the others.",
                ),
                Mistake(
                    lambda w, e: float(
                        np.subtract(
                            *_naive_survival(w, 12, _fee_groups(w)).reindex(["fee", "no_fee"])
                        )
                    ),
                    "You divided by every customer of each group, as if all had been watched "
                    "for 12 months; use the Kaplan-Meier curve, which counts only customers "
                    "still observed.",
                ),
                Mistake(
                    lambda w, e: _fee_survival_gap(w, 11),
                    "That is month 11; take the row month == 12.",
                ),
                Mistake(
                    lambda w, e: _fee_survival_gap(w, 13),
                    "That is month 13; take the row month == 12.",
                ),
            ),
            what="a number between -1 and 1 (a difference of two shares)",
            concept="RETENTION_STRATEGIES (negative group): exit fees; survival curve",
        ),
        _q(
            "ex4.q12",
            "C",
            "whom to retain first: value at risk",
            "ids",
            lambda w: _top(_value_at_risk(w), 10),
            "Customers not in dissolution. p = the monthly chance of moving from their stage "
            "to dissolution (transition_matrix); chance of leaving within a year = "
            "1 - (1 - p) ** 12; value at risk = that chance x their 2024 margin (0 if none, "
            "and never below 0). The 10 highest.",
            mistakes=(
                Mistake(
                    lambda w, e: _top(
                        _margin_2024(w, w.customers.loc[~_dissolved(w), "customer_id"]).clip(
                            lower=0
                        ),
                        10,
                    ),
                    "Those are the 10 highest margins; weight each margin by the chance of "
                    "losing it.",
                ),
                Mistake(
                    lambda w, e: _top(_value_at_risk(w, active=False), 10),
                    "Leave out the customers already in dissolution.",
                ),
                Mistake(
                    lambda w, e: _top(_value_at_risk(w, compound=False), 10),
                    "The chance of leaving within a year is 1 - (1 - p) ** 12, not 12 * p.",
                ),
            ),
            what="a list of 10 customer ids",
            concept="WHOM_TO_RETAIN: profitable; value at risk; a decision from the data "
            "(whom a budget of 10 offers goes to)",
        ),
    ],
)

# --------------------------------------------------------------------------- ex5
EX5 = _set(
    "ex5",
    "05-touchpoints-kpis-care.ipynb",
    "Touchpoints, loyalty KPIs and caring for the relationship",
    "B, D, E",
    65,
    [
        _q(
            "ex5.q1",
            "D",
            "campaigns with two prices",
            "ids",
            _inconsistent_campaigns,
            "A campaign has one row per channel; keep the campaign_ids whose offer_price "
            "takes more than one value.",
            mistakes=(
                Mistake(
                    lambda w, e: set(
                        w.campaigns.index[w.campaigns["campaign_id"].isin(e)].astype(int)
                    ),
                    "Those are row numbers; give the campaign_id values.",
                ),
            ),
            what="a list of campaign ids",
            concept="VIGILANCE_POINTS: omnichannel_consistency; "
            "RETENTION_TOOLS: channel_integration",
        ),
        _q(
            "ex5.q2",
            "D",
            "complaints in the back office",
            "number",
            lambda w: _share(_complaints(w)["office"] == "back"),
            "Among complaints (kind == 'complaint'), the share whose office is 'back'.",
            abs_tol=0.001,
            fraction=True,
            mistakes=(
                Mistake(lambda w, e: 1 - e, "That is the front-office share."),
                Mistake(
                    lambda w, e: _share(w.interactions["office"] == "back"),
                    "Keep only complaints before taking the share.",
                ),
            ),
            what=FRACTION,
            concept="VIGILANCE_POINTS: every_touchpoint; OFFICES",
        ),
        _q(
            "ex5.q3",
            "D",
            "after-sales and accounting count too",
            "choice",
            lambda w: "every_touchpoint",
            "Which vigilance point says which contacts quality is judged on?",
            choices=C.VIGILANCE_POINTS,
            choice_hints={
                "omnichannel_consistency": "Consistency is about one message across "
                "channels; here the point is which contacts count.",
            },
            what="one of the four vigilance points",
            concept="VIGILANCE_POINTS: every_touchpoint",
        ),
        _q(
            "ex5.q4",
            "B",
            "complaints resolved",
            "number",
            lambda w: _share(_complaints(w)["outcome"] == "resolved"),
            "Among complaints, the share whose outcome is 'resolved'.",
            abs_tol=0.001,
            fraction=True,
            mistakes=(
                Mistake(
                    lambda w, e: 1 - e,
                    "That is the share not resolved; the KPI is the share resolved.",
                ),
                Mistake(
                    lambda w, e: _share(w.interactions["outcome"] == "resolved"),
                    "Keep only complaints before taking the share.",
                ),
            ),
            what=FRACTION,
            concept="LOYALTY_KPIS: complaint_handling",
        ),
        _q(
            "ex5.q5",
            "B",
            "invoices paid within 30 days",
            "number",
            _cash,
            "Purchases dated on or before 2024-12-01; paid within 30 days means paid_date - "
            "date <= 30 days; an unpaid invoice is not paid within 30 days.",
            abs_tol=0.001,
            fraction=True,
            mistakes=(
                Mistake(
                    lambda w, e: _cash(w, drop_unpaid=True),
                    "Unpaid invoices count as not collected: keep them in the denominator.",
                ),
                Mistake(
                    lambda w, e: _cash(w, cutoff=False),
                    "Leave out the purchases after 2024-12-01: their 30 days are not over at "
                    "the reference date.",
                ),
                Mistake(
                    lambda w, e: _cash(w, strict=True),
                    "Paid on day 30 is still within the terms: use <= 30.",
                ),
            ),
            what=FRACTION,
            concept="LOYALTY_KPIS: cash_collection",
        ),
        _q(
            "ex5.q6",
            "E",
            "dissolution without care",
            "number",
            lambda w: _dissolved_share(w, care=False),
            "Customers who never had a follow_up, personal_note, personal_call or "
            "special_occasion contact: the share in dissolution.",
            abs_tol=0.001,
            fraction=True,
            mistakes=(
                Mistake(
                    lambda w, e: _dissolved_share(w, care=True),
                    "That is the share among customers who did get care; the question asks "
                    "about those who got none.",
                ),
                Mistake(
                    lambda w, e: 1 - e,
                    "That is the share still in a relationship; the question asks for the "
                    "share in dissolution.",
                ),
            ),
            what=FRACTION,
            concept="IMPROVEMENT_ACTIONS; LIFECYCLE_STAGES: dissolution",
        ),
        _q(
            "ex5.q7",
            "E",
            "a gift on the purchase anniversary",
            "choice",
            lambda w: "special_occasions",
            "What is being remembered here?",
            choices=C.IMPROVEMENT_ACTIONS,
            choice_hints={
                "personal_notes": "A note may go with it, but the point is the occasion "
                "remembered.",
                "follow_up": "A follow-up comes right after the sale; this comes a year later.",
            },
            what="one of the six ways to improve a relationship",
            concept="IMPROVEMENT_ACTIONS: special_occasions",
        ),
        _q(
            "ex5.q8",
            "E",
            "routing complaints and sales leads",
            "choice",
            lambda w: "internal_communication",
            "Which administrative action moves information between departments?",
            choices=C.ADMIN_ACTIONS,
            choice_hints={
                "investigate_problems": "Investigating finds out what went wrong; here the "
                "action is passing information to the right people.",
            },
            what="one of the five administrative CRM actions",
            concept="ADMIN_ACTIONS: internal_communication",
        ),
        _q(
            "ex5.q9",
            "B",
            "months with a complaints alert",
            "count",
            lambda w: _complaint_alerts(w),
            "Monthly complaints from loyalty_kpis. For each month: baseline = mean of the "
            "3 months before it (not itself), spread = their standard deviation (pandas' "
            "std); z = (value - baseline) / spread; an alert when |z| >= 2.",
            mistakes=(
                Mistake(
                    lambda w, e: _complaint_alerts(w, current=True),
                    "The baseline is the 3 months before the month judged: shift by one "
                    "before the rolling window.",
                ),
                Mistake(
                    lambda w, e: _complaint_alerts(w, ddof=0),
                    "Use pandas' std (ddof=1), as kpi_alerts does.",
                ),
                Mistake(
                    lambda w, e: _complaint_alerts(w, window=2),
                    "The baseline holds 3 months, not 2.",
                ),
            ),
            what="a whole number (a count of months)",
            concept="KPI alerts (rolling mean +- k sd); STRATEGIES: performance_focus; "
            "LOYALTY_KPIS: complaint_handling",
        ),
        _q(
            "ex5.q10",
            "E",
            "personal calls for unresolved complaints",
            "ids",
            lambda w: _care_calls(w),
            "Complaints whose outcome is 'escalated' or 'unresolved'; keep their customers "
            "not in dissolution; sort by total margin (all purchases, as in "
            "termination_candidates), highest first; keep at most 10.",
            mistakes=(
                Mistake(
                    lambda w, e: _care_calls(w, kinds=("any",)),
                    "Keep only complaints that ended 'escalated' or 'unresolved': a "
                    "resolved complaint needs no rescue call.",
                ),
                Mistake(
                    lambda w, e: _care_calls(w, active=False),
                    "Leave out the customers already in dissolution.",
                ),
            ),
            what="a list of up to 10 customer ids",
            concept="IMPROVEMENT_ACTIONS: personal_contact; a decision from the data (whom a "
            "team of limited time calls)",
        ),
    ],
)

EXERCISES: dict[str, ExerciseSet] = {ex.id: ex for ex in (EX1, EX2, EX3, EX4, EX5)}
"""The exercise sets by id, in order."""

QUESTIONS: dict[str, Question] = {
    qid: q for ex in EXERCISES.values() for qid, q in ex.questions.items()
}
"""Every question by id."""

LABEL: frozenset[str] = frozenset(
    {
        "ex1.q2", "ex1.q5", "ex1.q7",
        "ex2.q2", "ex2.q7",
        "ex3.q1", "ex3.q2", "ex3.q7", "ex3.q8",
        "ex4.q3", "ex4.q5", "ex4.q7", "ex4.q8",
        "ex5.q3", "ex5.q7", "ex5.q8",
    }
)  # fmt: skip
"""Questions that ask which label of a taxonomy fits a situation (the answer is fixed)."""

DECISION: frozenset[str] = frozenset({"ex1.q4", "ex2.q10", "ex3.q11", "ex4.q12", "ex5.q10"})
"""Questions that ask for a manager's decision computed from the data."""

#: What data each question needs beyond the transactions: keys of
#: :data:`crmkit.world.ANALYSES`, ``"truth"`` (a synthetic world's planted truth)
#: or ``"2023-2024"`` (purchases in both years, which the prompt names). A
#: question not listed needs the transactions only, or no data at all.
REQUIRES: dict[str, tuple[str, ...]] = {
    "ex1.q1": ("types",), "ex1.q3": ("types",), "ex1.q4": ("types", "lifecycle"),
    "ex1.q6": ("touchpoints",),
    "ex2.q1": ("lifecycle",), "ex2.q3": ("types", "lifecycle"), "ex2.q4": ("satisfaction",),
    "ex2.q5": ("satisfaction",), "ex2.q6": ("satisfaction",), "ex2.q8": ("lifecycle",),
    "ex2.q9": ("lifecycle",), "ex2.q10": ("satisfaction", "lifecycle"),
    "ex2.q11": ("types", "lifecycle"),
    "ex3.q3": ("staff",), "ex3.q4": ("margin",), "ex3.q5": ("campaigns", "types"),
    "ex3.q6": ("lifecycle", "2023-2024"), "ex3.q9": ("margin", "2023-2024"),
    "ex3.q10": ("2023-2024",), "ex3.q11": ("margin", "2023-2024"),
    "ex4.q1": ("types",), "ex4.q2": ("campaigns", "types"), "ex4.q4": ("touchpoints",),
    "ex4.q6": ("margin",), "ex4.q10": ("touchpoints", "truth"),
    "ex4.q11": ("types", "lifecycle"), "ex4.q12": ("lifecycle", "margin", "2023-2024"),
    "ex5.q1": ("campaigns",), "ex5.q2": ("touchpoints",), "ex5.q4": ("touchpoints",),
    "ex5.q5": ("payments", "2023-2024"), "ex5.q6": ("touchpoints", "lifecycle"),
    "ex5.q9": ("touchpoints",), "ex5.q10": ("touchpoints",),
}  # fmt: skip


def left_out(world, exercise: str | None = None) -> dict[str, str]:
    """The questions ``world`` cannot answer, each with plain words on the data it lacks.

    A team's own data (``crmkit exercises build --data DIR``) often holds the
    transactions only: a question whose expected answer needs surveys, stages,
    margins... is left out of the notebook, and the note says what data would
    enable it (:meth:`crmkit.World.missing`). A generated world answers every
    question (an empty dict).

    Parameters
    ----------
    world : crmkit.World
    exercise : str, optional
        One set (``"ex4"``); default all.

    Returns
    -------
    dict
        Question id -> note, in question order.
    """
    ids = EXERCISES[exercise].question_ids if exercise else tuple(QUESTIONS)
    years = set(world.transactions["date"].dt.year.unique()) if len(world.transactions) else set()
    out = {}
    for qid in ids:
        notes = []
        for need in REQUIRES.get(qid, ()):
            if need == "truth":
                if not world.synthetic:
                    notes.append("It checks a result against what the generator planted, so it "
                                 "needs a synthetic world.")  # fmt: skip
            elif need == "2023-2024":
                if not {2023, 2024} <= years:
                    notes.append("It asks about 2023 and 2024, and this data has purchases in "
                                 f"{_years(years)}.")  # fmt: skip
            elif not world.can(need):
                notes.append(world.missing(need))
        if notes:
            out[qid] = " ".join(dict.fromkeys(notes))
    return out


def _years(years) -> str:
    ys = sorted(int(y) for y in years)
    if not ys:
        return "no year"
    return str(ys[0]) if len(ys) == 1 else f"{ys[0]} to {ys[-1]}"
