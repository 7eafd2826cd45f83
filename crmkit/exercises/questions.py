"""The questions of the five exercise notebooks and how their answers are computed.

Each expected answer is computed here directly with pandas from the learner's
world (not with :mod:`crmkit.metrics`), so the checker does not depend on the
code the lessons teach. The notebooks in ``exercises/`` hold the prompts; a
question's definition below must say exactly what its prompt says.

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

__all__ = ["ExerciseSet", "EXERCISES", "QUESTIONS"]

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
    45,
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
            "share of customers new to the business",
            "number",
            lambda w: _share(w.customers["origin"] == "new_to_business"),
            "Customers won from a competitor have origin 'new_to_business'; divide their "
            "number by the number of all customers.",
            abs_tol=0.001,
            fraction=True,
            mistakes=(
                Mistake(
                    lambda w, e: 1 - e,
                    "That is the share of the other origins (new to the product, won back).",
                ),
                Mistake(
                    lambda w, e: _share(w.customers["origin"] == "new_to_product"),
                    "That is the share new to the product (a new need); the question asks "
                    "about customers won from a competitor.",
                ),
            ),
            what=FRACTION,
            concept="ORIGINS: new_to_business",
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
    45,
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
    ],
)

# --------------------------------------------------------------------------- ex3
EX3 = _set(
    "ex3",
    "03-strategies-and-loyalty-economics.ipynb",
    "The ten strategies and the economics of loyalty",
    "A, B",
    50,
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
    ],
)

# --------------------------------------------------------------------------- ex4
EX4 = _set(
    "ex4",
    "04-acquisition-retention-termination.ipynb",
    "Acquisition, retention and ending relationships",
    "A, C",
    50,
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
    ],
)

# --------------------------------------------------------------------------- ex5
EX5 = _set(
    "ex5",
    "05-touchpoints-kpis-care.ipynb",
    "Touchpoints, loyalty KPIs and caring for the relationship",
    "B, D, E",
    50,
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
    ],
)

EXERCISES: dict[str, ExerciseSet] = {ex.id: ex for ex in (EX1, EX2, EX3, EX4, EX5)}
"""The exercise sets by id, in order."""

QUESTIONS: dict[str, Question] = {
    qid: q for ex in EXERCISES.values() for qid, q in ex.questions.items()
}
"""Every question by id."""
