"""The CRM taxonomy of crmkit, written down once, as data.

Every category the kit talks about (the ten relationship strategies, the seven
relationship types, the five lifecycle stages, the four components of
satisfaction, the loyalty KPIs and so on) is defined here and nowhere else. The
synthetic-data generator, the metrics, the plots, the widgets, the notebooks and
the HTML glossary all read this module, so a category is spelled the same way
in every DataFrame, figure and lesson of the kit.

What is in this module
----------------------
Concept
    A frozen dataclass for one item of a taxonomy: ``key`` (the snake_case
    spelling used in every DataFrame), ``name`` (a short English label),
    ``description`` (one to three sentences for a student), ``source`` (which
    source text it comes from, see `SOURCES`), ``trace`` (where a teacher can
    find it in the synthetic data) and an optional ``group``.
Taxonomies
    Tuples of `Concept`, in a meaningful order: `STRATEGIES`,
    `RELATIONSHIP_TYPES`, `LIFECYCLE_STAGES`, `SATISFACTION_COMPONENTS`,
    `LOYALTY_KPIS` and about thirty more. `TAXONOMY` maps each tuple's name to
    the tuple, in the order of the curriculum.
CATEGORIES
    Maps a column kind (``"lifecycle_stage"``, ``"channel"``, ``"kind"``...)
    to the ordered tuple of its keys; the generator turns these into ordered
    pandas categoricals.
REICHHELD
    The loyalty-economics finding quoted by source 001 (a 5% rise in retention
    cut the cost per life-insurance policy by 18%).
ScoreBand, SATISFACTION_BANDS, NPS_BANDS
    What an answer on a survey scale means, defined once: the overall
    satisfaction answer (1-7) is *dissatisfied* (1-5), *satisfied* (6,
    expectations met) or *expectations exceeded* (7); the recommendation answer
    (0-10) makes a detractor, a passive or a promoter. `SATISFIED_MIN`,
    `EXCEEDED_MIN`, `PROMOTER_MIN` and `DETRACTOR_MAX` are the thresholds the
    metrics (CSAT, NPS, the customer flow, the loyalty ladder) read.
Term, GLOSSARY, glossary_frame
    The multilingual glossary: each key term in English, Polish, Persian,
    Russian and Finnish, with a short definition, the sources that use it and,
    where a source uses a word of its own, that word.
keys, labels, by_key, concept_frame
    Small helpers to read the tuples.

Sources
-------
The five source texts live in ``shared/seeds/``: 000 is Polish (ten strategies,
retention, satisfaction), 001 and 002 are Persian (loyalty economics; customer
management actions), 003 is Russian (levers and vigilance points of relationship
marketing) and 004 is Finnish (relationship types, lifecycle, care actions). A
concept marked ``"kit"`` is the kit's own addition from standard marketing
practice (RFM segments, the rung names of the loyalty ladder, product
categories...). Every description here is written for the kit; none is copied
from the sources.

Glossary conventions
--------------------
Where a source gives a term in its own language, the glossary uses the source's
words (``"zatrzymanie klienta"``, ``"وفاداری مشتری"``, ``"точки соприкосновения"``,
``"Etsintä"``). Where the source's wording is a machine-translation slip (000
calls attrition "ścieranie", abrasion; 002 calls lead management
"مدیریت رهبری", leadership management) the idiomatic term is given instead,
and the source's own word is kept beside it in ``Term.source_terms`` so that a
reader can find it in the text. Terms that would read alike in one language get
distinct words: in Polish, stage 4 of the lifecycle is "Zobowiązanie" and lever 3
"Aktywizacja klientów", because source 000 uses "zaangażowanie" for the
involvement of employees.
Names of the items of a source's list (the ten strategies, the relationship
types, the lifecycle stages, the three levers) are capitalised as the sources
print them; other terms are in lower case. ``Term.source`` may name several
sources, separated by ", ".

Examples
--------
>>> from crmkit.concepts import STRATEGIES, CATEGORIES, by_key, keys
>>> keys(STRATEGIES)[:3]
('people', 'process', 'product_service')
>>> by_key(STRATEGIES, "customer_analysis").name
'Customer analysis'
>>> CATEGORIES["lifecycle_stage"]
('exploration', 'awareness', 'expansion', 'commitment', 'dissolution')
"""

# ruff: noqa: RUF001  (the glossary holds real Cyrillic and Persian text)
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "ACQUISITION_CHANNELS",
    "ACQUISITION_TARGETS",
    "ACQUISITION_TOOLS",
    "ADMIN_ACTIONS",
    "AWARENESS_TOOLS",
    "CAMPAIGN_TYPES",
    "CATEGORIES",
    "CHANNELS",
    "CULTURE_PRACTICES",
    "CUSTOMER_FLOW",
    "DEVELOPMENT_STAGES",
    "DISSOLUTION_REASONS",
    "GENDERS",
    "GLOSSARY",
    "IMPROVEMENT_ACTIONS",
    "INTERACTION_KINDS",
    "INTERACTION_OUTCOMES",
    "LEVERS",
    "LIFECYCLE_STAGES",
    "LOYALTY_CHALLENGES",
    "LOYALTY_KPIS",
    "LOYALTY_LADDER",
    "MARKET_FORCES",
    "OFFICES",
    "ORIGINS",
    "PRODUCT_CATEGORIES",
    "DETRACTOR_MAX",
    "EXCEEDED_MIN",
    "NPS_BANDS",
    "PROMOTER_MIN",
    "REICHHELD",
    "RELATIONSHIP_TYPES",
    "RETENTION_PROCESS",
    "RETENTION_STRATEGIES",
    "RETENTION_TOOLS",
    "RFM_SEGMENTS",
    "SATISFACTION_BANDS",
    "SATISFACTION_COMPONENTS",
    "SATISFIED_MIN",
    "SOURCES",
    "STAFF_ROLES",
    "STRATEGIES",
    "SURVEY_METHODS",
    "TAXONOMY",
    "TEAMS",
    "TERMINATION_CRITERIA",
    "TERMINATION_METHODS",
    "TOUCHPOINTS",
    "VIGILANCE_POINTS",
    "WHOM_TO_RETAIN",
    "WINBACK_OFFERS",
    "Concept",
    "ReichheldFinding",
    "ScoreBand",
    "Term",
    "by_key",
    "concept_frame",
    "glossary_frame",
    "keys",
    "labels",
]

# --------------------------------------------------------------------------- #
# Sources and the two record types
# --------------------------------------------------------------------------- #

SOURCES: dict[str, str] = {
    "000 (pl)": "Ten strategies for building better customer relationships (Polish)",
    "001 (fa)": "Strategic management of customer loyalty (Persian)",
    "002 (fa)": "Basic actions in customer management (Persian)",
    "003 (ru)": "Optimising customer relationships: concepts and methods (Russian)",
    "004 (fi)": "The customer relationship (Finnish)",
    "kit": "The kit's own addition from standard marketing practice",
}
"""Source codes allowed in ``Concept.source`` and ``Term.source``, with a title."""

_PL, _FA1, _FA2, _RU, _FI, _KIT = SOURCES


@dataclass(frozen=True)
class Concept:
    """One item of a CRM taxonomy.

    Parameters
    ----------
    key : str
        snake_case identifier; this is how the category is spelled in every
        DataFrame of the kit.
    name : str
        Short English display name, such as ``"Customer analysis"``.
    description : str
        One to three sentences for a student.
    source : str
        The source text: one of the keys of `SOURCES`.
    trace : str, default=""
        Where the concept shows up in the synthetic data (``table.column`` or
        an event), for the teacher.
    group : str, default=""
        Optional sub-grouping, such as ``"positive"``/``"negative"`` or
        ``"front"``/``"back"``.
    """

    key: str
    name: str
    description: str
    source: str
    trace: str = ""
    group: str = ""


@dataclass(frozen=True)
class Term:
    """One glossary entry in the five languages of the sources.

    Parameters
    ----------
    key : str
        Identifier, usually a concept key (``"retention"``, ``"exploration"``).
    en, pl, fa, ru, fi : str
        The term in English, Polish, Persian (Persian script), Russian
        (Cyrillic) and Finnish.
    definition : str
        Short English definition.
    source : str
        The source or sources that use the term, separated by ", ".
    source_terms : str, default=""
        The source's own word where it differs from the term given (an odd or
        machine-translated word), as ``'000 (pl): «fazie odstąpienia»'``: the
        source code, then each word in «» exactly as the text prints it, then an
        optional gloss in parentheses; several sources are separated by "; ".
        Every word in «» is checked against the source text
        (``tests/test_sources.py``).
    """

    key: str
    en: str
    pl: str
    fa: str
    ru: str
    fi: str
    definition: str
    source: str
    source_terms: str = ""


@dataclass(frozen=True)
class ReichheldFinding:
    """The retention-and-cost finding that source 001 attributes to Reichheld."""

    retention_rise: float
    cost_per_policy_drop: float
    industry: str
    source: str
    who: str


REICHHELD = ReichheldFinding(
    retention_rise=0.05,
    cost_per_policy_drop=0.18,
    industry="life insurance",
    source=_FA1,
    who="Frederick Reichheld, Bain & Company",
)
"""In life insurance, a 5% rise in customer retention cut the cost per policy by 18%."""


@dataclass(frozen=True)
class ScoreBand:
    """A band of answers on a survey scale: what a score from ``low`` to ``high`` means.

    Parameters
    ----------
    key : str
        snake_case identifier, such as ``"satisfied"``.
    name : str
        Short English label for tables and legends.
    low, high : int
        The lowest and highest answer in the band (both included).
    description : str
        What the band means, for a student.
    source : str
        The source text of the meaning: one of the keys of `SOURCES`.

    Examples
    --------
    >>> 6 in SATISFACTION_BANDS[1], 5 in SATISFACTION_BANDS[1]
    (True, False)
    """

    key: str
    name: str
    low: int
    high: int
    description: str
    source: str

    def __contains__(self, score) -> bool:
        return self.low <= score <= self.high

    @property
    def label(self) -> str:
        """``name`` with the answers it covers, e.g. ``'Satisfied (6)'``."""
        span = str(self.low) if self.low == self.high else f"{self.low}-{self.high}"
        return f"{self.name} ({span})"


SATISFACTION_BANDS: tuple[ScoreBand, ...] = (
    ScoreBand(
        "dissatisfied", "Dissatisfied", 1, 5,
        "The customer's requirements are not met: every overall answer below 6, the middle "
        "of the scale included. In source 000's flow this leads to defection.",
        _PL),
    ScoreBand(
        "satisfied", "Satisfied", 6, 6,
        "Expectations met: the customer does not walk away, but satisfaction alone does not "
        "hold them (source 001).",
        _FA1),
    ScoreBand(
        "exceeded", "Expectations exceeded", 7, 7,
        "The top of the scale, more than the customer expected: what keeps a customer "
        "(source 001).",
        _FA1),
)
"""The overall-satisfaction answer (1-7) in three bands that cover the scale once.

"Satisfied" in the wide sense of source 000's flow, of CSAT and of the loyalty
ladder is *at least* satisfied: the bands ``satisfied`` and ``exceeded``, an
answer of `SATISFIED_MIN` or more.
"""

SATISFIED_MIN: int = SATISFACTION_BANDS[1].low
"""Lowest overall answer (1-7) counted as satisfied: CSAT, the customer flow, the ladder."""

EXCEEDED_MIN: int = SATISFACTION_BANDS[2].low
"""Lowest overall answer (1-7) that counts as expectations exceeded."""

NPS_BANDS: tuple[ScoreBand, ...] = (
    ScoreBand(
        "detractor", "Detractor", 0, 6,
        "Unlikely to recommend the company (0-6 on the 0-10 question).", _KIT),
    ScoreBand(
        "passive", "Passive", 7, 8,
        "Content but not enthusiastic enough to recommend (7-8).", _KIT),
    ScoreBand(
        "promoter", "Promoter", 9, 10,
        "Likely to recommend the company (9-10): a prescriber in source 003's sense.", _KIT),
)
"""The 0-10 "would you recommend us?" answer in the three bands of the Net Promoter Score."""

DETRACTOR_MAX: int = NPS_BANDS[0].high
"""Highest recommendation answer (0-10) of a detractor."""

PROMOTER_MIN: int = NPS_BANDS[2].low
"""Lowest recommendation answer (0-10) of a promoter."""

# --------------------------------------------------------------------------- #
# Helpers to read the taxonomies
# --------------------------------------------------------------------------- #


def _checked(func: str, items: Iterable[Concept | Term]) -> tuple[Concept | Term, ...]:
    """Return ``items`` as a tuple, or raise a TypeError that says what to pass."""
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise TypeError(
            f"{func}: expected a tuple of Concept such as STRATEGIES; "
            f"got {type(items).__name__}."
        )
    items = tuple(items)
    for item in items:
        if not isinstance(item, (Concept, Term)):
            raise TypeError(
                f"{func}: expected a tuple of Concept such as STRATEGIES; got an item of type "
                f"{type(item).__name__} ({item!r}). CATEGORIES holds plain keys: use it "
                "directly instead."
            )
    return items


def keys(concepts: Iterable[Concept | Term]) -> tuple[str, ...]:
    """Return the keys of ``concepts``, in order.

    Parameters
    ----------
    concepts : tuple of Concept (or of Term)
        A taxonomy such as `STRATEGIES`, or `GLOSSARY`.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> keys(SATISFACTION_COMPONENTS)
    ('product', 'peripheral', 'atmosphere', 'psychological')
    """
    return tuple(c.key for c in _checked("keys", concepts))


def labels(concepts: Iterable[Concept]) -> dict[str, str]:
    """Return ``{key: name}`` for ``concepts``, in order: axis and legend labels for plots.

    Examples
    --------
    >>> labels(OFFICES)
    {'front': 'Front office', 'back': 'Back office'}
    """
    items = _checked("labels", concepts)
    return {c.key: getattr(c, "name", getattr(c, "en", c.key)) for c in items}


def by_key(concepts: Iterable[Concept | Term], key: str) -> Concept | Term:
    """Return the item of ``concepts`` whose key is ``key``.

    Parameters
    ----------
    concepts : tuple of Concept (or of Term)
        A taxonomy such as `LIFECYCLE_STAGES`, or `GLOSSARY`.
    key : str
        The key to look up, such as ``"expansion"``.

    Returns
    -------
    Concept or Term

    Raises
    ------
    ValueError
        If no item has this key; the message lists the valid keys.
    TypeError
        If ``key`` is not a string.

    Examples
    --------
    >>> by_key(LIFECYCLE_STAGES, "expansion").name
    'Expansion'
    >>> by_key(GLOSSARY, "loyalty_ladder").pl
    'drabina lojalności'
    """
    items = _checked("by_key", concepts)
    if not isinstance(key, str):
        raise TypeError(
            f"by_key: `key` must be a str such as {items[0].key!r}; "
            f"got {type(key).__name__} ({key!r})."
        )
    for item in items:
        if item.key == key:
            return item
    valid = ", ".join(repr(item.key) for item in items)
    raise ValueError(f"by_key: unknown key {key!r}; expected one of: {valid}.")


def concept_frame(concepts: Iterable[Concept]) -> pd.DataFrame:
    """Return ``concepts`` as a table, one row per concept, for notebooks and the site.

    Returns
    -------
    pandas.DataFrame
        Columns ``key``, ``name``, ``description``, ``source``, ``trace``, ``group``.

    Examples
    --------
    >>> concept_frame(LEVERS)["key"].tolist()
    ['satisfy', 'optimise_experience', 'develop_engagement']
    """
    import pandas as pd

    items = _checked("concept_frame", concepts)
    if any(isinstance(item, Term) for item in items):
        raise TypeError("concept_frame: got glossary terms; use glossary_frame() for GLOSSARY.")
    columns = [f.name for f in dataclasses.fields(Concept)]
    return pd.DataFrame([dataclasses.astuple(c) for c in items], columns=columns)

# --------------------------------------------------------------------------- #
# A. The ten relationship strategies and customer retention (000, Polish)
# --------------------------------------------------------------------------- #

STRATEGIES: tuple[Concept, ...] = (
    Concept(
        "people", "People",
        "Everyone in the company, from the newest frontline hire to the top manager, works "
        "toward satisfied customers. The marketing department coordinates this shared effort.",
        _PL, trace="staff.role, staff.team; surveys by team"),
    Concept(
        "process", "Process",
        "Work is designed as the customer lives through it, not as the organisation chart "
        "sees it, so that the customer ends up fully satisfied.",
        _PL, trace="interactions.resolution_hours, interactions.handoffs"),
    Concept(
        "product_service", "Product / service",
        "What the company sells keeps adding value over time and is checked against what "
        "customers expect of it.",
        _PL, trace="surveys.product"),
    Concept(
        "organisation", "Organisation",
        "Process, product, people and management are joined into one whole, so the "
        "customer deals with one company instead of a row of separate departments.",
        _PL, trace="interactions.handoffs (cross-department hand-offs)"),
    Concept(
        "customer_analysis", "Customer analysis",
        "Current and potential customers are reviewed at regular intervals: how they buy, "
        "what they like, how satisfied they are and which rung of the loyalty ladder they "
        "stand on. An outside agency can be hired to keep the picture objective.",
        _PL, trace="loyalty-ladder rung computed from transactions and surveys"),
    Concept(
        "cost_analysis", "Cost analysis",
        "Costs are cut continuously through value analysis and value engineering, never by "
        "lowering quality. Good products at a lower price leave customers no reason to "
        "switch to a competitor.",
        _PL, trace="transactions.cost, transactions.margin, interactions.cost (cost-to-serve)"),
    Concept(
        "performance_focus", "Performance focus",
        "Every link of the chain that delivers the product or service is monitored all the "
        "time. A separate, well-trained team judges the results and starts corrective action.",
        _PL, trace="monthly KPIs (crmkit.metrics)"),
    Concept(
        "staff_training", "Supply-chain staff training",
        "Everyone along the supply chain gets up-to-date training in customer service, in "
        "communicating with customers and in handling their complaints.",
        _PL, trace="staff.training_hours vs interactions.resolution_hours"),
    Concept(
        "relationship_schemes", "Relationship-based schemes",
        "Loyal customers who buy again and again pay less than occasional buyers, as in the "
        "schemes of hotels, airlines and care homes. The lower price gives them a reason to "
        "keep coming back.",
        _PL, trace="customers.loyalty_member, transactions.discount"),
    Concept(
        "social_events", "Social events",
        "The company joins community life together with its customers: help after natural "
        "disasters, social-responsibility work, sponsored sports events. The respect this "
        "earns strengthens the relationship.",
        _PL, trace="campaigns with campaign_type == 'social_event'"),
)
"""The ten strategies for building better customer relationships (source 000)."""

CUSTOMER_FLOW: tuple[Concept, ...] = (
    Concept(
        "acquisition", "Acquisition",
        "The stage in which a customer is won for the business. Every acquired customer "
        "then becomes either satisfied or dissatisfied.",
        _PL, trace="customers.signup_date, customers.acquisition_channel"),
    Concept(
        "satisfied", "Satisfied",
        "The customer's requirements are met. Satisfaction leads on to retention.",
        _PL, trace="surveys.overall of 6 or 7"),
    Concept(
        "retention", "Retention",
        "The customer keeps buying. Keeping a customer costs far less than winning a new "
        "one, and repeat buying is the measure of success.",
        _PL, trace="repeat transactions; cohort retention in crmkit.metrics"),
    Concept(
        "dissatisfied", "Dissatisfied",
        "The customer's requirements are not met. Without a remedy this leads to defection.",
        _PL, trace="surveys.overall of 1 to 5; interactions.kind == 'complaint'"),
    Concept(
        "defection", "Defection",
        "The customer stops buying and leaves, often for a competitor.",
        _PL, trace="customers.churn_date"),
    Concept(
        "win_back", "Win-back",
        "Marketing programmes aimed at lost customers try to bring them back.",
        _PL, trace="campaigns with campaign_type == 'win_back'; customers.origin == 'won_back'"),
)
"""How customers move: acquisition, then satisfaction or dissatisfaction (source 000)."""

RETENTION_PROCESS: tuple[Concept, ...] = (
    Concept(
        "discovery", "Discovery",
        "Decide which customers are worth keeping, judged by the value of their volume: "
        "regular purchases, profit margin and the like.",
        _PL, trace="margin and purchase frequency per customer (transactions)"),
    Concept(
        "evaluation", "Evaluation",
        "Study the profile and purchase history of the chosen customers in detail.",
        _PL, trace="customers joined with their transactions"),
    Concept(
        "strategy_setting", "Strategy setting",
        "Design the strategies that will keep those customers.",
        _PL, trace="campaigns with campaign_type == 'retention'; campaigns.offer"),
    Concept(
        "opinion_research", "Opinion research",
        "Check regularly whether the strategies in place really keep customers.",
        _PL, trace="surveys and retention before vs after a retention campaign"),
)
"""The sequence of a retention programme (source 000)."""

SATISFACTION_COMPONENTS: tuple[Concept, ...] = (
    Concept(
        "product", "Product",
        "Satisfaction with the tangible core benefit the customer pays for.",
        _PL, trace="surveys.product"),
    Concept(
        "peripheral", "Peripheral",
        "Satisfaction with what is added around the core to raise its value, above all "
        "personal attention.",
        _PL, trace="surveys.peripheral"),
    Concept(
        "atmosphere", "Atmosphere",
        "Satisfaction with the setting of the purchase. It mixes tangible factors "
        "(a competitive price, aesthetics, the services offered) with intangible ones "
        "(cooperative relations and courtesy toward the customer).",
        _PL, trace="surveys.atmosphere"),
    Concept(
        "psychological", "Psychological",
        "Satisfaction that suits the individual customer's personality. A reserved "
        "customer, for instance, may dislike a long sales conversation.",
        _PL, trace="surveys.psychological; interactions.duration_min"),
)
"""The four components of customer satisfaction, in source order (source 000)."""

MARKET_FORCES: tuple[Concept, ...] = (
    Concept(
        "changing_needs", "Changing needs",
        "Customers' requirements, preferences, lifestyles and buying habits change, and the "
        "product, marketing and promotion mixes must follow them.",
        _PL, trace="drift of the transactions.category mix over the simulated years"),
    Concept(
        "innovation", "Innovation",
        "A leader keeps innovating in its product, marketing, promotion and channel mixes, "
        "so the offer fully meets expectations, keeps customers and wins new ones.",
        _PL, trace="campaigns.development_stage; new categories in transactions.category"),
    Concept(
        "total_involvement", "Total involvement",
        "A culture in which every employee, from the top of the hierarchy to the bottom, "
        "is visibly involved in satisfying customers.",
        _PL, trace="staff.role across all levels handling interactions"),
    Concept(
        "attrition_signals", "Attrition signals",
        "A mechanism that spots the early signs of customers drifting away and triggers "
        "remedies before they are lost.",
        _PL, trace="gaps between transactions.date growing before customers.churn_date"),
    Concept(
        "continuous_research", "Continuous research",
        "Marketing research that never stops, focused on customers' problems and making "
        "active use of customer data.",
        _PL, trace="surveys over time"),
    Concept(
        "communication", "Communication",
        "An effective communication system among employees, channel members, suppliers and "
        "customers, with regular customer-contact programmes.",
        _PL, trace="interactions.handoffs; outbound interactions"),
    Concept(
        "market_dynamics", "Market dynamics",
        "Empowered customers choose how to talk to companies and expect personal treatment. "
        "Real-time channels (email, web, cash machines, call centres) must stay in step with "
        "offline activity, and business changes fast enough to demand quick adoption of new "
        "technology.",
        _PL, trace="interactions.channel and transactions.channel mix over time"),
)
"""Why satisfaction and retention matter to a market leader (source 000)."""

# --------------------------------------------------------------------------- #
# B. Loyalty economics and a customer-centric culture (001, Persian)
# --------------------------------------------------------------------------- #

LOYALTY_KPIS: tuple[Concept, ...] = (
    Concept(
        "defections", "Defections",
        "How many customers left in the period.",
        _FA1, trace="customers lost per month (crmkit.metrics)"),
    Concept(
        "complaints", "Complaints",
        "How many complaints customers made.",
        _FA1, trace="interactions.kind == 'complaint'"),
    Concept(
        "positive_feedback", "Positive feedback",
        "Praise and thanks that customers sent unprompted.",
        _FA1, trace="interactions.kind == 'positive_feedback'"),
    Concept(
        "focus_group_reports", "Focus-group reports",
        "What small discussion groups of customers said about the company.",
        _FA1, trace="surveys.method == 'focus_group'"),
    Concept(
        "care_staff_feedback", "Feedback from care staff",
        "What the customer-care representatives report hearing from customers.",
        _FA1, trace="interactions.kind == 'care_feedback'"),
    Concept(
        "complaint_handling", "Complaint handling",
        "How well and how fast complaints were resolved.",
        _FA1, trace="complaints by interactions.outcome and interactions.resolution_hours"),
    Concept(
        "cash_collection", "Cash collection",
        "How reliably customers pay what they owe.",
        _FA1, trace="transactions.paid_date; interactions.kind == 'payment_reminder'"),
)
"""What to measure, report and discuss about customer loyalty (source 001)."""

CULTURE_PRACTICES: tuple[Concept, ...] = (
    Concept(
        "manage_experience", "Manage the customer experience",
        "Study, report, learn from and act on the CRM data about what customers experience.",
        _FA1, trace="the kit's own metrics on interactions and surveys"),
    Concept(
        "reward_retention", "Reward retention",
        "Reward the people, actions and behaviours that raise customer retention.",
        _FA1, trace="retention of the customers each team serves (staff.team)"),
    Concept(
        "goals_accountability", "Goals and accountability",
        "Set goals, expectations and accountability on customer-centric attitudes, values "
        "and competencies.",
        _FA1, trace="monthly KPI targets (crmkit.metrics)"),
    Concept(
        "job_descriptions", "Job descriptions",
        "Write customer-centric values and behaviours into every job description, from the "
        "managing director down.",
        _FA1, trace="staff.role"),
    Concept(
        "leadership_behaviour", "Leadership behaviour",
        "Accept that the way leaders behave is what drives motivation and success.",
        _FA1, trace="staff.role in {'manager', 'director'}"),
    Concept(
        "customer_skills", "Customer skills",
        "Use customer-focused skill building and creative problem solving to motivate every "
        "team.",
        _FA1, trace="staff.training_hours"),
)
"""Practices that turn loyalty into a company-wide strategy (source 001)."""

# --------------------------------------------------------------------------- #
# C. Customer management actions (002, Persian)
# --------------------------------------------------------------------------- #

ORIGINS: tuple[Concept, ...] = (
    Concept(
        "new_to_business", "New to the business",
        "Won from a competitor because the offer here is better. Especially valuable if the "
        "customer was loyal to that competitor.",
        _FA2, trace="customers.origin, customers.competitor_loyal"),
    Concept(
        "new_to_product", "New to the product",
        "Has found a new solution for a new or existing need, like parents moving from "
        "nappies to toys as a child grows, or a family buying a bigger car as income rises.",
        _FA2, trace="customers.origin"),
    Concept(
        "won_back", "Won back",
        "Had stopped buying here and was brought back by a win-back offer.",
        _FA2, trace="customers.origin"),
)
"""Where a new customer comes from (source 002)."""

ACQUISITION_TARGETS: tuple[Concept, ...] = (
    Concept(
        "brand_new", "Brand-new customers",
        "People who have never bought from the company.",
        _FA2, trace="customers.origin in {'new_to_business', 'new_to_product'}; "
        "customers.signup_date"),
    Concept(
        "lapsed", "Lapsed customers",
        "Former customers who stopped buying, often for a competitor.",
        _FA2, trace="customers.origin == 'won_back'"),
)
"""The two kinds of customers an acquisition strategy aims at (source 002)."""

AWARENESS_TOOLS: tuple[Concept, ...] = (
    Concept(
        "email_outreach", "Email outreach",
        "Reach prospects by email to make the product known.",
        _FA2, trace="customers.acquisition_channel == 'email'"),
    Concept(
        "print_electronic_media", "Print and electronic media",
        "Build awareness through print and electronic media.",
        _FA2, trace="campaigns with campaign_type == 'acquisition'"),
    Concept(
        "tv_web_ads", "TV and web advertising",
        "Advertise on television or on the internet.",
        _FA2, trace="customers.acquisition_channel in {'web', 'social'}"),
    Concept(
        "free_samples", "Free samples",
        "Let people try the product for free.",
        _FA2, trace="first purchases with transactions.category == 'starter'"),
)
"""How a business makes new customers aware of its product (source 002)."""

WINBACK_OFFERS: tuple[Concept, ...] = (
    Concept(
        "better_price", "Better price",
        "Offer lost customers a lower price than before.",
        _FA2, trace="campaigns.offer of win-back campaigns; transactions.discount"),
    Concept(
        "free_maintenance", "Free maintenance",
        "Offer repair and maintenance services at no charge.",
        _FA2, trace="campaigns.offer of win-back campaigns (category service_plan)"),
    Concept(
        "extra_benefits", "Extra benefits",
        "Add benefits the customer did not have before.",
        _FA2, trace="campaigns.offer of win-back campaigns"),
)
"""Offers that bring lost customers back (source 002)."""

ACQUISITION_TOOLS: tuple[Concept, ...] = (
    Concept(
        "lead_management", "Lead management",
        "Track prospective customers (leads) from the first contact to the first purchase.",
        _FA2, trace="customers.acquisition_channel, customers.signup_date"),
    Concept(
        "campaign_management", "Campaign management",
        "Plan, run and measure acquisition campaigns.",
        _FA2, trace="campaigns with campaign_type == 'acquisition'; "
        "customers.acquisition_campaign_id"),
    Concept(
        "marketing", "Marketing",
        "Make the offer known through email, media, advertising and free samples.",
        _FA2, trace="see AWARENESS_TOOLS"),
    Concept(
        "crm_analytics", "CRM analytics",
        "Analyse CRM data to find the prospects most likely to buy.",
        _FA2, trace="crmkit.metrics on the synthetic tables"),
)
"""CRM tools for acquiring customers (source 002)."""

DEVELOPMENT_STAGES: tuple[Concept, ...] = (
    Concept(
        "customer_discovery", "Customer discovery",
        "The business collects customer feedback to learn how it can solve their needs.",
        _FA2, trace="campaigns.development_stage"),
    Concept(
        "customer_validation", "Customer validation",
        "Customers get to know the product and come to believe it will meet their need.",
        _FA2, trace="campaigns.development_stage"),
    Concept(
        "customer_creation", "Customer creation",
        "The business weighs the feedback and designs how to launch and position the "
        "product in the market.",
        _FA2, trace="campaigns.development_stage"),
    Concept(
        "company_building", "Company building",
        "Ideas and concepts are turned into operations and the business invests to grow.",
        _FA2, trace="campaigns.development_stage"),
)
"""The four stages of customer development, which shapes products (source 002)."""

RETENTION_STRATEGIES: tuple[Concept, ...] = (
    Concept(
        "more_value", "More value",
        "Raise the value of the product or service without raising its price.",
        _FA2, trace="campaigns.offer of retention campaigns", group="positive"),
    Concept(
        "loyalty_rewards", "Loyalty rewards",
        "Run a loyalty scheme that rewards valuable customers.",
        _FA2, trace="customers.loyalty_member, customers.loyalty_join_date, transactions.discount",
        group="positive"),
    Concept(
        "promotions", "Promotions",
        "Organise sales promotions with discounts, gifts and coupons.",
        _FA2, trace="transactions.discount, transactions.campaign_id", group="positive"),
    Concept(
        "penalties", "Penalties",
        "Contract penalties for leaving. Like all negative strategies, it traps customers "
        "instead of pleasing them and spreads a bad reputation.",
        _FA2, trace="customers.exit_fee > 0 (a contract with an early-exit fee), "
        "customers.contract_end_date", group="negative"),
    Concept(
        "switching_costs", "Switching costs",
        "Make moving to another supplier costly or awkward; customers stay because leaving "
        "hurts, not because they want to.",
        _FA2, trace="not simulated as such: the exit fee (customers.exit_fee) is the only cost "
        "of moving to another supplier that the data records", group="negative"),
    Concept(
        "exit_costs", "Exit costs",
        "High charges for ending the relationship. Retention rises for a while, goodwill "
        "falls.",
        _FA2, trace="customers.exit_fee: the charge for leaving before "
        "customers.contract_end_date", group="negative"),
)
"""Positive and negative ways to keep customers (source 002)."""

WHOM_TO_RETAIN: tuple[Concept, ...] = (
    Concept(
        "committed", "Committed customers",
        "They cost less to keep than uncommitted ones; newly won customers leave more easily "
        "when service slips.",
        _FA2, trace="customers.lifecycle_stage == 'commitment'"),
    Concept(
        "satisfied", "Satisfied customers",
        "Those who are happy with the product or service.",
        _FA2, trace="surveys.overall of 6 or 7"),
    Concept(
        "innovators", "Innovators",
        "Those who can suggest innovations in the product.",
        _FA2, trace="interactions.kind == 'suggestion'"),
    Concept(
        "profitable", "Profitable customers",
        "Those who are valuable to the business and add to its profit.",
        _FA2, trace="sum of transactions.margin per customer"),
)
"""Which customers a business should keep (source 002)."""

RETENTION_TOOLS: tuple[Concept, ...] = (
    Concept(
        "campaign_management", "Campaign management",
        "Software that tracks sales and cross-selling campaigns and judges them by the "
        "profit they bring.",
        _FA2, trace="campaigns with campaign_type == 'cross_sell'"),
    Concept(
        "data_mining", "Data mining",
        "Searching customers' stored transaction history to prepare offers made for them.",
        _FA2, trace="transactions history per customer"),
    Concept(
        "event_based_marketing", "Event-based marketing",
        "Sending an offer when something significant happens to the customer.",
        _FA2, trace="campaigns with campaign_type == 'event_based'; customers.birth_date"),
    Concept(
        "channel_integration", "Channel integration",
        "Making the channels work together, so that the same customer never gets two "
        "different offers for the same product.",
        _FA2, trace="campaigns.offer_price across the channels of one campaign"),
    Concept(
        "market_optimisation", "Market optimisation",
        "Software that lets marketers run campaigns across market segments within budget "
        "and cost limits.",
        _FA2, trace="campaigns.cost and campaigns.reach by segment"),
)
"""CRM tools for keeping customers (source 002)."""

TERMINATION_CRITERIA: tuple[Concept, ...] = (
    Concept(
        "serial_complainer", "Serial complainers",
        "Customers who complain about the product or service again and again.",
        _FA2, trace="count of interactions.kind == 'complaint' per customer"),
    Concept(
        "late_payer", "Late payers",
        "Customers who pay late, time after time.",
        _FA2, trace="transactions.paid_date past the 30-day terms; "
        "interactions.kind == 'payment_reminder'"),
    Concept(
        "destructive", "Destructive customers",
        "Customers whose behaviour harms the staff, other customers or the business.",
        _FA2, trace="ground truth returned beside the data (not a column)"),
    Concept(
        "deal_seeker", "Deal-seekers",
        "Customers who keep hunting for a better deal and buy mostly on discount.",
        _FA2, trace="share of a customer's transactions with a discount or a campaign_id"),
    Concept(
        "unprofitable", "Unprofitable",
        "The kit's fifth analysis flag: customers whose margin, after the cost of serving "
        "them, is below zero.",
        _KIT, trace="sum of transactions.margin minus interactions.cost per customer"),
)
"""Which customer relationships a business may end (source 002, plus the kit's flag)."""

TERMINATION_METHODS: tuple[Concept, ...] = (
    Concept(
        "raise_price", "Raise the price",
        "Quote a custom, higher price; the customer pays it or leaves. It works as a filter "
        "that separates out the profitable customers.",
        _FA2, trace="transactions.list_price over time"),
    Concept(
        "redesign_product", "Redesign the product",
        "Change the product's design or its look so that the product becomes more "
        "attractive to customers. Source 002 lists it among the ways to end relationships "
        "but does not say how it ends one; the kit's what-if assumes that part of the "
        "segment leaves.",
        _FA2, trace="termination exercise on transactions.category"),
    Concept(
        "unbundle_offer", "Unbundle the offer",
        "Split an offer into parts and rebuild packages at new prices; uninterested "
        "customers filter themselves out.",
        _FA2, trace="transactions.category == 'bundle'"),
)
"""Ways to end unwanted customer relationships (source 002)."""

# --------------------------------------------------------------------------- #
# D. Relationship marketing: levers and vigilance points (003, Russian)
# --------------------------------------------------------------------------- #

LEVERS: tuple[Concept, ...] = (
    Concept(
        "satisfy", "Satisfy",
        "Meet needs precisely with good products and services, fulfilling every order "
        "flawlessly and consistently. It starts with analysing and understanding the needs.",
        _RU, trace="surveys.overall; interactions.outcome"),
    Concept(
        "optimise_experience", "Optimise the experience",
        "Create memorable moments along the whole customer journey so the customer feels "
        "special. As competition tightens, the details make the difference.",
        _RU, trace="interactions.kind in {'personal_note', 'special_occasion'}; "
        "surveys.peripheral"),
    Concept(
        "develop_engagement", "Develop engagement",
        "Turn customers into active participants: prescribers and brand ambassadors who "
        "recommend the brand and suggest improvements.",
        _RU, trace="surveys.nps; interactions.kind in {'referral', 'suggestion'}; "
        "customers.acquisition_channel == 'referral'"),
)
"""The three levers of a relationship strategy (source 003)."""

VIGILANCE_POINTS: tuple[Concept, ...] = (
    Concept(
        "omnichannel_consistency", "Omnichannel consistency",
        "Send one coherent message on every channel. The information system keeps the CRM "
        "data consistent, so each channel sees the same customer.",
        _RU, trace="interactions.channel; campaigns.offer_price by channel"),
    Concept(
        "every_touchpoint", "Every touchpoint",
        "Customers judge quality on every contact they actually use, back office included "
        "(after-sales, accounting, the shop), not only on channels built for them.",
        _RU, trace="interactions.touchpoint, interactions.office, surveys.touchpoint"),
    Concept(
        "proportionate_mastery", "Proportionate mastery",
        "Keeping touchpoints under control means analysing each situation and committing "
        "resources in proportion to its importance, not fire-fighting every small incident.",
        _RU, trace="interactions.outcome == 'escalated'"),
    Concept(
        "satisfaction_survey", "Satisfaction survey",
        "A particularly suitable tool to check the touchpoints: it measures how customers "
        "perceive the relationship, which can differ from what the company's internal "
        "indicators say.",
        _RU, trace="surveys.method, surveys.overall"),
)
"""What to watch so the relationship effort is not wasted (source 003)."""

LOYALTY_CHALLENGES: tuple[Concept, ...] = (
    Concept(
        "revenue_per_account", "Revenue per account",
        "Raise the revenue from each customer through repurchase and recurring sales.",
        _RU, trace="sum of transactions.amount per customer"),
    Concept(
        "profitable_customers", "Profitable customers",
        "Make customers more profitable.",
        _RU, trace="transactions.margin"),
    Concept(
        "portfolio_erosion", "Portfolio erosion",
        "Stop the customer base from slowly eroding to competitors. The Russian text says "
        "\"growth\" here, a slip of translation: erosion is what the sentence means.",
        _RU, trace="active customers per month (crmkit.metrics)"),
    Concept(
        "social_crm", "Social CRM",
        "Social networks multiply every opinion, good or bad. Social CRM tools bring these "
        "conversations into the CRM.",
        _RU, trace="interactions.channel == 'social'"),
)
"""The parts of the loyalty challenge (source 003)."""

OFFICES: tuple[Concept, ...] = (
    Concept(
        "front", "Front office",
        "Functions built for customer contact: phone reception, sales and marketing.",
        _RU, trace="interactions.office, staff.office"),
    Concept(
        "back", "Back office",
        "Functions customers meet although they were not built for contact; source 003 "
        "names after-sales, accounting and the shop. They shape the relationship too. In "
        "the kit's data the back office is after-sales, billing and delivery (the shop "
        "floor is front office).",
        _RU, trace="interactions.office, staff.office"),
)
"""The two sides of the company a customer meets (source 003)."""

TOUCHPOINTS: tuple[Concept, ...] = (
    Concept(
        "sales", "Sales",
        "Contacts with the sales department before and during a purchase.",
        _RU, trace="interactions.touchpoint, surveys.touchpoint", group="front"),
    Concept(
        "customer_service", "Customer service",
        "The service desk and the phone reception that answer customers' questions.",
        _RU, trace="interactions.touchpoint, surveys.touchpoint", group="front"),
    Concept(
        "technical_help", "Technical help",
        "Help with installing, using or fixing the product.",
        _FI, trace="interactions.touchpoint, surveys.touchpoint", group="front"),
    Concept(
        "marketing_communication", "Marketing communication",
        "Newsletters, campaigns and other messages the company sends.",
        _FI, trace="interactions.touchpoint, surveys.touchpoint", group="front"),
    Concept(
        "shop_floor", "Shop floor",
        "Face-to-face contact in a physical shop. Source 003 lists the shop with the back "
        "office; the kit counts the shop floor as front office.",
        _RU, trace="interactions.touchpoint, surveys.touchpoint", group="front"),
    Concept(
        "after_sales", "After-sales",
        "Service after the purchase: repairs, returns, warranty.",
        _RU, trace="interactions.touchpoint, surveys.touchpoint", group="back"),
    Concept(
        "billing", "Billing",
        "Invoices, payments and reminders from accounting.",
        _RU, trace="interactions.touchpoint, surveys.touchpoint", group="back"),
    Concept(
        "delivery", "Delivery",
        "Getting the order to the customer, the last link of the supply chain.",
        _PL, trace="interactions.touchpoint, surveys.touchpoint", group="back"),
)
"""Every place a customer meets the company, front office and back office (003)."""

# --------------------------------------------------------------------------- #
# E. Relationship types, lifecycle and care actions (004, Finnish)
# --------------------------------------------------------------------------- #

RELATIONSHIP_TYPES: tuple[Concept, ...] = (
    Concept(
        "transactional", "Transactional",
        "No real relationship: each purchase stands alone, as at an airport kiosk.",
        _FI, trace="customers.relationship_type"),
    Concept(
        "long_term", "Long-term",
        "A lasting relationship that deepens over time through repeated contact.",
        _FI, trace="customers.relationship_type"),
    Concept(
        "personal_assistance", "Personal assistance",
        "Built on human contact: the customer can reach a sales person during or after the "
        "purchase, in person, by email, through a call centre or otherwise.",
        _FI, trace="customers.relationship_type"),
    Concept(
        "dedicated_assistance", "Dedicated personal assistance",
        "One representative looks after one customer, usually for years; the closest kind "
        "of relationship. Private bankers and key account managers work this way.",
        _FI, trace="customers.relationship_type, customers.account_manager_id"),
    Concept(
        "self_service", "Self-service",
        "No direct contact: the company gives customers what they need to help themselves.",
        _FI, trace="customers.relationship_type"),
    Concept(
        "automated_services", "Automated services",
        "Self-service with automation added: an online profile lets the system recognise "
        "the customer, tailor the service and report on orders.",
        _FI, trace="customers.relationship_type"),
    Concept(
        "community", "Community",
        "The company runs a user community, often online, where members share knowledge and "
        "solve each other's problems. It also helps the company understand its customers.",
        _FI, trace="customers.relationship_type"),
)
"""The seven types of customer relationship (source 004)."""

LIFECYCLE_STAGES: tuple[Concept, ...] = (
    Concept(
        "exploration", "Exploration",
        "The customer tries the supplier out, testing what it can deliver. If the test "
        "does not meet the customer's needs, the relationship can end right here.",
        _FI, trace="customers.lifecycle_stage, stage_history.stage"),
    Concept(
        "awareness", "Awareness",
        "The customer comes to understand what the supplier values and what it sells.",
        _FI, trace="customers.lifecycle_stage, stage_history.stage"),
    Concept(
        "expansion", "Expansion",
        "The supplier has earned the customer's trust; the two depend on each other more and "
        "there is more business to do together.",
        _FI, trace="customers.lifecycle_stage, stage_history.stage"),
    Concept(
        "commitment", "Commitment",
        "The supplier has learned to adapt to the rules of the business, and the "
        "relationship is at its most effective. Source 004 speaks of the suppliers "
        "adapting; it does not say that the customer adapts too.",
        _FI, trace="customers.lifecycle_stage, stage_history.stage"),
    Concept(
        "dissolution", "Dissolution",
        "The relationship ends, because the customer leaves or because the supplier ends "
        "it (see DISSOLUTION_REASONS).",
        _FI, trace="customers.churn_date, customers.churn_reason, stage_history"),
)
"""The five stages of a customer relationship, in order (source 004)."""

DISSOLUTION_REASONS: tuple[Concept, ...] = (
    Concept(
        "needs_changed", "Needs changed",
        "The customer's needs shift suddenly and the offer no longer fits.",
        _FI, trace="customers.churn_reason, stage_history.reason", group="customer"),
    Concept(
        "dissatisfaction", "Dissatisfaction",
        "The customer is unhappy with the supplier's service.",
        _FI, trace="customers.churn_reason, stage_history.reason", group="customer"),
    Concept(
        "better_brand", "A better brand",
        "The customer prefers another brand or product.",
        _FI, trace="customers.churn_reason, stage_history.reason", group="customer"),
    Concept(
        "low_volume", "Low volume",
        "The supplier ends the relationship because the customer adds too little to sales.",
        _FI, trace="customers.churn_reason, stage_history.reason", group="supplier"),
    Concept(
        "fraud", "Fraud",
        "The supplier ends the relationship when it is caught up in fraud. Source 004 does "
        "not say who commits the fraud; the kit's generator makes the customer the "
        "fraudster.",
        _FI, trace="customers.churn_reason, stage_history.reason", group="supplier"),
)
"""Why a relationship dissolves, on the customer's or the supplier's side (004)."""

IMPROVEMENT_ACTIONS: tuple[Concept, ...] = (
    Concept(
        "follow_up", "Follow up",
        "Right after a sale, call to thank the customer and check they are happy with what "
        "they bought.",
        _FI, trace="interactions.kind == 'follow_up'"),
    Concept(
        "tell_customers", "Tell customers what you do",
        "Say plainly what service the customers are getting, in an emailed newsletter or an "
        "informal call.",
        _FI, trace="interactions.kind == 'newsletter'"),
    Concept(
        "personal_notes", "Personal notes",
        "After meeting a customer, at an event for instance, send a short personal note "
        "that proposes the next contact.",
        _FI, trace="interactions.kind == 'personal_note'"),
    Concept(
        "personal_contact", "Personal contact",
        "Email and voicemail are handy but impersonal; ask to speak with the person directly.",
        _FI, trace="interactions.kind == 'personal_call'"),
    Concept(
        "special_occasions", "Special occasions",
        "Remember birthdays and anniversaries with cards. A small, creative gift linked to "
        "the business or to the last purchase works better than an expensive one.",
        _FI, trace="interactions.kind == 'special_occasion'; customers.birth_date"),
    Concept(
        "useful_information", "Useful information",
        "Pass on an article or a new book the customer may like, with a note or a quick call.",
        _FI, trace="interactions.kind == 'useful_information'"),
)
"""How to improve a relationship with a customer (source 004)."""

ADMIN_ACTIONS: tuple[Concept, ...] = (
    Concept(
        "keep_database_current", "Keep the database current",
        "Keep the CRM database up to date, so that account managers know about changes on "
        "the customer's side.",
        _FI, trace="customers table (current status of each customer)"),
    Concept(
        "understand_concerns", "Understand concerns",
        "Run satisfaction surveys and reviews; ask precise questions, listen closely and "
        "show empathy to learn what customers really want.",
        _FI, trace="surveys"),
    Concept(
        "internal_communication", "Communicate inside the company",
        "Link customer service with other departments, sales above all: route complaints "
        "to someone who can solve them and pass on sales leads and product feedback.",
        _FI, trace="interactions.handoffs"),
    Concept(
        "investigate_problems", "Investigate problems",
        "When there is no easy answer, find out what went wrong, how to fix it and how to "
        "prevent it.",
        _FI, trace="interactions.outcome == 'escalated'"),
    Concept(
        "public_relations", "Public relations",
        "Make connections for the company: tell customers about other products, keep in "
        "touch with key people at client companies and invite customers into an online "
        "community and campaigns.",
        _FI, trace="campaigns; customers.relationship_type == 'community'"),
)
"""Administrative CRM actions (source 004)."""

# --------------------------------------------------------------------------- #
# The kit's own categories, used by the synthetic data and the analyses
# --------------------------------------------------------------------------- #

_LADDER_NOTE = (
    " Rung names from Christopher, Payne & Ballantyne (1991); source 000 names the "
    "ladder (drabina lojalności) but not its rungs."
)
_LADDER_TRACE = "loyalty_rung computed by crmkit.metrics from transactions and surveys"

LOYALTY_LADDER: tuple[Concept, ...] = (
    Concept(
        "prospect", "Prospect",
        "Someone who might buy but has not yet." + _LADDER_NOTE,
        _KIT, trace=_LADDER_TRACE),
    Concept(
        "customer", "Customer",
        "Has bought, but so far only as a single transaction." + _LADDER_NOTE,
        _KIT, trace=_LADDER_TRACE),
    Concept(
        "client", "Client",
        "Buys repeatedly but may feel neutral about the company." + _LADDER_NOTE,
        _KIT, trace=_LADDER_TRACE),
    Concept(
        "supporter", "Supporter",
        "Buys regularly and likes the company, though only passively." + _LADDER_NOTE,
        _KIT, trace=_LADDER_TRACE),
    Concept(
        "advocate", "Advocate",
        "Actively recommends the company to others." + _LADDER_NOTE,
        _KIT, trace=_LADDER_TRACE),
    Concept(
        "partner", "Partner",
        "Works with the company, sharing ideas and feedback; the deepest rung." + _LADDER_NOTE,
        _KIT, trace=_LADDER_TRACE),
)
"""Rungs of the loyalty ladder used by strategy 5, customer analysis (kit)."""

RFM_SEGMENTS: tuple[Concept, ...] = (
    Concept(
        "champions", "Champions",
        "Bought recently, buy often and spend the most.",
        _KIT, trace="segment column of the RFM table (crmkit.metrics)"),
    Concept(
        "loyal", "Loyal",
        "Buy often and spend well, even if their last purchase was not the most recent.",
        _KIT, trace="segment column of the RFM table (crmkit.metrics)"),
    Concept(
        "potential", "Potential loyalists",
        "Fairly recent customers of average frequency who could become loyal.",
        _KIT, trace="segment column of the RFM table (crmkit.metrics)"),
    Concept(
        "new", "New",
        "Made a first purchase only recently.",
        _KIT, trace="segment column of the RFM table (crmkit.metrics)"),
    Concept(
        "at_risk", "At risk",
        "Used to buy often and spend a lot but have not been back for a while: the attrition "
        "signal of source 000.",
        _KIT, trace="segment column of the RFM table (crmkit.metrics)"),
    Concept(
        "hibernating", "Hibernating",
        "Bought rarely, spent little and not recently; drifting away.",
        _KIT, trace="segment column of the RFM table (crmkit.metrics)"),
    Concept(
        "lost", "Lost",
        "The longest since a purchase and the fewest purchases; most likely gone.",
        _KIT, trace="segment column of the RFM table (crmkit.metrics)"),
)
"""Customer segments from recency, frequency and monetary value, best first (kit)."""

_CHANNEL_TRACE = (
    "transactions.channel, interactions.channel, campaigns.channel, "
    "customers.acquisition_channel"
)

CHANNELS: tuple[Concept, ...] = (
    Concept(
        "shop", "Shop",
        "A physical shop, where the customer meets staff face to face.",
        _RU, trace=_CHANNEL_TRACE),
    Concept(
        "web", "Web",
        "The company's website, one of the real-time channels that must match offline "
        "activity.",
        _PL, trace=_CHANNEL_TRACE),
    Concept(
        "app", "App",
        "The company's mobile app, often where automated services live.",
        _KIT, trace=_CHANNEL_TRACE),
    Concept(
        "email", "Email",
        "Messages by email, from newsletters to personal notes.",
        _RU, trace=_CHANNEL_TRACE),
    Concept(
        "phone", "Phone",
        "Calls through the phone reception or a call centre.",
        _RU, trace=_CHANNEL_TRACE),
    Concept(
        "social", "Social media",
        "Social networks, where customers share opinions in public (social CRM).",
        _RU, trace=_CHANNEL_TRACE),
)
"""Channels of contact between customer and company (003, 000, kit)."""

ACQUISITION_CHANNELS: tuple[Concept, ...] = (
    *CHANNELS,
    Concept(
        "referral", "Referral",
        "Recommended by an existing customer acting as a brand ambassador.",
        _RU, trace="customers.acquisition_channel"),
    Concept(
        "community_event", "Community event",
        "Met the company at a social or community event it sponsored or joined.",
        _PL, trace="customers.acquisition_channel"),
)
"""How a customer was first acquired: any channel, a referral or a community event."""

INTERACTION_KINDS: tuple[Concept, ...] = (
    Concept(
        "complaint", "Complaint",
        "The customer reports a problem or shows displeasure.",
        _FA1, group="inbound",
        trace="LOYALTY_KPIS complaints; TERMINATION_CRITERIA serial_complainer; "
        "strategy staff_training (complaint handling)"),
    Concept(
        "inquiry", "Inquiry",
        "The customer asks a question about a product, an order or an account.",
        _FI, group="inbound", trace="TOUCHPOINTS customer_service"),
    Concept(
        "positive_feedback", "Positive feedback",
        "The customer praises or thanks the company.",
        _FA1, group="inbound", trace="LOYALTY_KPIS positive_feedback"),
    Concept(
        "technical_request", "Technical request",
        "The customer needs help installing, using or fixing something.",
        _FI, group="inbound", trace="TOUCHPOINTS technical_help"),
    Concept(
        "follow_up", "Follow-up call",
        "A call right after a sale to thank the customer and check all is well.",
        _FI, group="outbound", trace="IMPROVEMENT_ACTIONS follow_up"),
    Concept(
        "newsletter", "Newsletter",
        "An emailed newsletter telling customers what the company does for them.",
        _FI, group="outbound", trace="IMPROVEMENT_ACTIONS tell_customers"),
    Concept(
        "personal_note", "Personal note",
        "A short personal message after meeting the customer.",
        _FI, group="outbound", trace="IMPROVEMENT_ACTIONS personal_notes"),
    Concept(
        "personal_call", "Personal call",
        "A direct conversation that keeps the human contact alive.",
        _FI, group="outbound", trace="IMPROVEMENT_ACTIONS personal_contact"),
    Concept(
        "special_occasion", "Special occasion",
        "A card or a small gift for a birthday or an anniversary.",
        _FI, group="outbound",
        trace="IMPROVEMENT_ACTIONS special_occasions; RETENTION_TOOLS event_based_marketing"),
    Concept(
        "useful_information", "Useful information",
        "An article, a book or a tip passed on because the customer may like it.",
        _FI, group="outbound", trace="IMPROVEMENT_ACTIONS useful_information"),
    Concept(
        "payment_reminder", "Payment reminder",
        "A reminder from billing that an invoice is overdue.",
        _FA1, group="outbound",
        trace="LOYALTY_KPIS cash_collection; TERMINATION_CRITERIA late_payer"),
    Concept(
        "suggestion", "Suggestion",
        "The customer proposes an improvement or a new product idea.",
        _FA2, group="inbound",
        trace="WHOM_TO_RETAIN innovators; LEVERS develop_engagement"),
    Concept(
        "referral", "Referral",
        "The customer recommends the company to someone they know.",
        _RU, group="inbound",
        trace="LEVERS develop_engagement (ambassadors); ACQUISITION_CHANNELS referral"),
    Concept(
        "care_feedback", "Care-staff feedback",
        "A customer-care representative records what they heard from the customer.",
        _FA1, group="internal", trace="LOYALTY_KPIS care_staff_feedback"),
)
"""Kinds of interaction in ``interactions.kind``; the trace names the concept each serves.

``group`` says who starts it: ``"inbound"`` (the customer), ``"outbound"`` (the
company) or ``"internal"`` (a note by staff about the customer).
"""

INTERACTION_OUTCOMES: tuple[Concept, ...] = (
    Concept(
        "resolved", "Resolved",
        "The matter was settled, at once or after hand-offs.",
        _KIT, trace="interactions.outcome"),
    Concept(
        "escalated", "Escalated",
        "The matter was passed up to a supervisor or a specialist.",
        _KIT, trace="interactions.outcome"),
    Concept(
        "unresolved", "Unresolved",
        "The matter was closed without a solution.",
        _KIT, trace="interactions.outcome"),
    Concept(
        "no_action", "No action needed",
        "Nothing to settle, as with a newsletter or a thank-you.",
        _KIT, trace="interactions.outcome"),
)
"""How an interaction ended (kit)."""

STAFF_ROLES: tuple[Concept, ...] = (
    Concept(
        "frontline", "Frontline",
        "Staff who meet customers directly: at the counter, on the phone, in chat.",
        _PL, trace="staff.role"),
    Concept(
        "specialist", "Specialist",
        "Experts who take technical or complex cases passed on by the frontline.",
        _PL, trace="staff.role"),
    Concept(
        "supervisor", "Supervisor",
        "Leads a small team and handles escalated cases.",
        _PL, trace="staff.role"),
    Concept(
        "manager", "Manager",
        "Runs a department and answers for its customer results.",
        _PL, trace="staff.role"),
    Concept(
        "director", "Director",
        "Top management, which sets customer-centric goals and sets the example.",
        _PL, trace="staff.role"),
)
"""Staff levels from bottom to top: strategy 1 says all of them serve the customer."""

TEAMS: tuple[Concept, ...] = tuple(
    Concept(
        t.key, f"{t.name} team",
        f"The staff who run the {t.name.lower()} touchpoint ({t.group} office).",
        _PL, trace="staff.team, staff.office; satisfaction by team", group=t.group)
    for t in TOUCHPOINTS
)
"""One team per touchpoint, with the touchpoint's keys and groups (strategy 1, 000)."""

PRODUCT_CATEGORIES: tuple[Concept, ...] = (
    Concept(
        "starter", "Starter",
        "An entry-level product that a customer in the exploration stage tries first.",
        _KIT, trace="transactions.category, campaigns.category"),
    Concept(
        "core", "Core",
        "The main product line, carrying the core benefit.",
        _KIT, trace="transactions.category, campaigns.category"),
    Concept(
        "premium", "Premium",
        "Higher-priced, higher-margin versions of the core products.",
        _KIT, trace="transactions.category, campaigns.category"),
    Concept(
        "add_on", "Add-on",
        "Extras bought with a core product; the object of cross-selling.",
        _KIT, trace="transactions.category, campaigns.category"),
    Concept(
        "service_plan", "Service plan",
        "Maintenance and support; free maintenance is a win-back offer in source 002.",
        _KIT, trace="transactions.category, campaigns.category"),
    Concept(
        "bundle", "Bundle",
        "Several products sold together at one price; unbundling is a way to end "
        "unwanted relationships in source 002.",
        _KIT, trace="transactions.category, campaigns.category"),
)
"""Product categories of the synthetic shop (kit)."""

CAMPAIGN_TYPES: tuple[Concept, ...] = (
    Concept(
        "acquisition", "Acquisition",
        "Wins new or lapsed customers.",
        _FA2, trace="campaigns.campaign_type"),
    Concept(
        "win_back", "Win-back",
        "Brings lost customers back with a better price, free maintenance or extra benefits.",
        _FA2, trace="campaigns.campaign_type"),
    Concept(
        "retention", "Retention",
        "Keeps current customers with more value, loyalty rewards or promotions.",
        _FA2, trace="campaigns.campaign_type"),
    Concept(
        "cross_sell", "Cross-sell",
        "Offers current customers related products, judged by the profit it brings.",
        _FA2, trace="campaigns.campaign_type"),
    Concept(
        "event_based", "Event-based",
        "Triggered by a significant event in the customer's life or account.",
        _FA2, trace="campaigns.campaign_type"),
    Concept(
        "social_event", "Social event",
        "Community help, social responsibility or sponsored sport (strategy 10).",
        _PL, trace="campaigns.campaign_type"),
)
"""Types of marketing campaign (002, and 000 for social events)."""

SURVEY_METHODS: tuple[Concept, ...] = (
    Concept(
        "post_interaction", "Post-interaction survey",
        "A short survey right after a contact, to check that the touchpoint is under control.",
        _RU, trace="surveys.method"),
    Concept(
        "relationship", "Relationship survey",
        "A periodic survey on the relationship as a whole, through the buying cycle.",
        _FI, trace="surveys.method"),
    Concept(
        "focus_group", "Focus group",
        "A discussion in a small group of customers; its reports are a loyalty KPI.",
        _FA1, trace="surveys.method"),
)
"""How satisfaction is surveyed (003, 004, 001)."""

GENDERS: tuple[str, ...] = ("female", "male")
"""Genders used only to draw matching Faker first names; not a CRM concept."""

# --------------------------------------------------------------------------- #
# Registries read by the rest of the kit
# --------------------------------------------------------------------------- #

TAXONOMY: dict[str, tuple[Concept, ...]] = {
    "STRATEGIES": STRATEGIES,
    "CUSTOMER_FLOW": CUSTOMER_FLOW,
    "RETENTION_PROCESS": RETENTION_PROCESS,
    "SATISFACTION_COMPONENTS": SATISFACTION_COMPONENTS,
    "MARKET_FORCES": MARKET_FORCES,
    "LOYALTY_KPIS": LOYALTY_KPIS,
    "CULTURE_PRACTICES": CULTURE_PRACTICES,
    "ORIGINS": ORIGINS,
    "ACQUISITION_TARGETS": ACQUISITION_TARGETS,
    "AWARENESS_TOOLS": AWARENESS_TOOLS,
    "WINBACK_OFFERS": WINBACK_OFFERS,
    "ACQUISITION_TOOLS": ACQUISITION_TOOLS,
    "DEVELOPMENT_STAGES": DEVELOPMENT_STAGES,
    "RETENTION_STRATEGIES": RETENTION_STRATEGIES,
    "WHOM_TO_RETAIN": WHOM_TO_RETAIN,
    "RETENTION_TOOLS": RETENTION_TOOLS,
    "TERMINATION_CRITERIA": TERMINATION_CRITERIA,
    "TERMINATION_METHODS": TERMINATION_METHODS,
    "LEVERS": LEVERS,
    "VIGILANCE_POINTS": VIGILANCE_POINTS,
    "LOYALTY_CHALLENGES": LOYALTY_CHALLENGES,
    "OFFICES": OFFICES,
    "TOUCHPOINTS": TOUCHPOINTS,
    "RELATIONSHIP_TYPES": RELATIONSHIP_TYPES,
    "LIFECYCLE_STAGES": LIFECYCLE_STAGES,
    "DISSOLUTION_REASONS": DISSOLUTION_REASONS,
    "IMPROVEMENT_ACTIONS": IMPROVEMENT_ACTIONS,
    "ADMIN_ACTIONS": ADMIN_ACTIONS,
    "LOYALTY_LADDER": LOYALTY_LADDER,
    "RFM_SEGMENTS": RFM_SEGMENTS,
    "CHANNELS": CHANNELS,
    "ACQUISITION_CHANNELS": ACQUISITION_CHANNELS,
    "INTERACTION_KINDS": INTERACTION_KINDS,
    "INTERACTION_OUTCOMES": INTERACTION_OUTCOMES,
    "STAFF_ROLES": STAFF_ROLES,
    "TEAMS": TEAMS,
    "PRODUCT_CATEGORIES": PRODUCT_CATEGORIES,
    "CAMPAIGN_TYPES": CAMPAIGN_TYPES,
    "SURVEY_METHODS": SURVEY_METHODS,
}
"""Every taxonomy tuple by its name, in curriculum order (for tables and the site)."""

CATEGORIES: dict[str, tuple[str, ...]] = {
    "relationship_type": keys(RELATIONSHIP_TYPES),
    "lifecycle_stage": keys(LIFECYCLE_STAGES),
    "origin": keys(ORIGINS),
    "channel": keys(CHANNELS),
    "acquisition_channel": keys(ACQUISITION_CHANNELS),
    "touchpoint": keys(TOUCHPOINTS),
    "office": keys(OFFICES),
    "kind": keys(INTERACTION_KINDS),
    "outcome": keys(INTERACTION_OUTCOMES),
    "role": keys(STAFF_ROLES),
    "team": keys(TEAMS),
    "category": keys(PRODUCT_CATEGORIES),
    "campaign_type": keys(CAMPAIGN_TYPES),
    "method": keys(SURVEY_METHODS),
    "dissolution_reason": keys(DISSOLUTION_REASONS),
    "gender": GENDERS,
    "loyalty_rung": keys(LOYALTY_LADDER),
    "segment": keys(RFM_SEGMENTS),
    "strategy": keys(STRATEGIES),
    "component": keys(SATISFACTION_COMPONENTS),
    "development_stage": keys(DEVELOPMENT_STAGES),
    "flow_stage": keys(CUSTOMER_FLOW),
    "lever": keys(LEVERS),
    "loyalty_kpi": keys(LOYALTY_KPIS),
    "retention_strategy": keys(RETENTION_STRATEGIES),
    "termination_criterion": keys(TERMINATION_CRITERIA),
    "winback_offer": keys(WINBACK_OFFERS),
}
"""Column kind -> ordered keys; the generator builds ordered pandas categoricals from these.

Example: ``pd.Categorical(values, categories=CATEGORIES["lifecycle_stage"], ordered=True)``.
"""

# --------------------------------------------------------------------------- #
# The glossary: key terms in English, Polish, Persian, Russian and Finnish
# --------------------------------------------------------------------------- #

GLOSSARY: tuple[Term, ...] = (
    # -- the relationship and its management ------------------------------- #
    Term("customer_relationship", "customer relationship", "relacja z klientem",
         "رابطه با مشتری", "отношения с клиентами", "asiakassuhde",
         "All the exchanges between a company and a customer, on every channel and at every "
         "contact, taken together: the sum of many small encounters.",
         "003 (ru), 004 (fi)"),
    Term("relationship_marketing", "relationship marketing", "marketing relacji",
         "بازاریابی رابطه‌مند", "маркетинг взаимоотношений", "suhdemarkkinointi",
         "Marketing aimed at strong, lasting relationships with customers rather than at "
         "single sales.",
         "003 (ru)"),
    Term("crm", "customer relationship management (CRM)",
         "zarządzanie relacjami z klientami (CRM)", "مدیریت ارتباط با مشتری (CRM)",
         "управление взаимоотношениями с клиентами (CRM)", "asiakassuhteiden hallinta (CRM)",
         "Relationship marketing backed by data and software that record every customer and "
         "contact, so the company can know, serve and keep its customers.",
         "002 (fa), 003 (ru), 004 (fi)"),
    Term("relationship_lifecycle", "relationship lifecycle", "cykl życia relacji z klientem",
         "چرخه عمر رابطه با مشتری", "жизненный цикл отношений с клиентом",
         "asiakassuhteen elinkaari",
         "The stages a customer relationship passes through over time, from exploration to "
         "dissolution.",
         "004 (fi)"),
    Term("customer_centric_culture", "customer-centric culture",
         "kultura zorientowana na klienta", "فرهنگ متمرکز بر مشتری",
         "клиентоориентированная культура", "asiakaskeskeinen kulttuuri",
         "A company culture in which goals, job descriptions, rewards and leaders' behaviour "
         "all put the customer first.",
         "001 (fa)"),
    # -- winning, keeping and losing customers ------------------------------ #
    Term("acquisition", "customer acquisition", "pozyskanie klienta (akwizycja)",
         "جذب مشتری", "привлечение клиентов", "asiakashankinta",
         "Winning new customers for the business, or winning back lapsed ones.",
         "000 (pl), 002 (fa)"),
    Term("retention", "customer retention", "zatrzymanie klienta", "حفظ مشتری",
         "удержание клиентов", "asiakaspito",
         "Keeping existing customers buying. It costs far less than acquisition; in the "
         "Reichheld example, more retention cut the cost per policy because the one-off "
         "cost of winning each customer is spread over a longer life.",
         "000 (pl), 001 (fa), 002 (fa)"),
    Term("defection", "defection", "odejście klienta", "گریز مشتری", "уход клиента",
         "asiakkaan lähtö",
         "A customer stopping buying and leaving, often for a competitor; counting "
         "defections is a loyalty KPI.",
         "000 (pl), 001 (fa)",
         "000 (pl): «etapu uwagi», «fazie odstąpienia» (literally the stage of attention, "
         "the withdrawal phase)"),
    Term("churn", "churn", "odpływ klientów (churn)", "ریزش مشتری", "отток клиентов",
         "asiakaspoistuma",
         "The share of customers lost over a period; the rate at which defections happen.",
         "kit"),
    Term("attrition_signals", "attrition signals", "sygnały odpływu klientów",
         "نشانه‌های ریزش مشتری", "сигналы оттока клиентов", "asiakaspoistuman varoitusmerkit",
         "Early signs that a customer is drifting away, such as longer gaps between "
         "purchases, which should trigger a remedy.",
         "000 (pl)",
         "000 (pl): «sygnałów ścierania» (literally signals of abrasion)"),
    Term("win_back", "win-back", "odzyskiwanie utraconych klientów",
         "جذب مشتریان از دست رفته", "возвращение ушедших клиентов",
         "menetettyjen asiakkaiden takaisin saaminen",
         "Bringing lost customers back, for example with a better price, free maintenance "
         "or extra benefits.",
         "000 (pl), 002 (fa)",
         "002 (fa): «مشتریان هدایت شده» (the lapsed customers, literally guided customers)"),
    Term("termination", "ending a customer relationship", "zakończenie relacji z klientem",
         "خاتمه روابط مشتری", "прекращение отношений с клиентом",
         "asiakassuhteen päättäminen",
         "A business deliberately ending relationships with unsuitable customers, for "
         "example by raising prices or unbundling its offer.",
         "002 (fa)"),
    # -- loyalty ----------------------------------------------------------- #
    Term("loyalty", "loyalty", "lojalność", "وفاداری", "лояльность", "lojaalisuus",
         "A lasting preference that makes a customer come back again and again although "
         "alternatives exist.",
         "000 (pl), 001 (fa), 003 (ru)"),
    Term("customer_loyalty", "customer loyalty", "lojalność klienta", "وفاداری مشتری",
         "лояльность клиентов", "asiakasuskollisuus",
         "Customers' loyalty to a company; source 001, after Reichheld, calls it the only "
         "route to lasting superior profit.",
         "001 (fa), 003 (ru)"),
    Term("brand_loyalty", "brand loyalty", "lojalność wobec marki", "وفاداری به برند",
         "лояльность к бренду", "brändiuskollisuus",
         "Loyalty attached to a brand; source 000 notes that retention leads to it.",
         "000 (pl)"),
    Term("loyalty_ladder", "loyalty ladder", "drabina lojalności", "نردبان وفاداری",
         "лестница лояльности", "asiakasuskollisuuden tikkaat",
         "Rungs from prospect to partner that show how close a customer has come to the "
         "company; customer analysis places each customer on a rung.",
         "000 (pl)"),
    Term("loyalty_programme", "loyalty programme", "program lojalnościowy",
         "طرح وفاداری", "программа лояльности", "kanta-asiakasohjelma",
         "A scheme that rewards repeat customers, for example with lower prices.",
         "000 (pl), 002 (fa), 003 (ru)"),
    Term("brand_ambassador", "brand ambassador", "ambasador marki", "سفیر برند",
         "посол бренда", "brändilähettiläs",
         "A highly engaged customer who recommends the brand to others and suggests "
         "improvements.",
         "003 (ru)"),
    # -- satisfaction and experience ---------------------------------------- #
    Term("customer_satisfaction", "customer satisfaction", "satysfakcja klienta",
         "رضایت مشتری", "удовлетворенность клиентов", "asiakastyytyväisyys",
         "How far a customer's requirements and expectations are met; it leads to retention "
         "but on its own does not hold a customer.",
         "000 (pl), 001 (fa), 003 (ru), 004 (fi)"),
    Term("product_satisfaction", "product satisfaction", "satysfakcja z produktu",
         "رضایت از محصول", "удовлетворенность продуктом", "tyytyväisyys tuotteeseen",
         "Satisfaction with the tangible core benefit of what was bought.",
         "000 (pl)"),
    Term("peripheral_satisfaction", "peripheral satisfaction", "satysfakcja peryferyjna",
         "رضایت جانبی", "периферийная удовлетворенность", "tyytyväisyys oheispalveluihin",
         "Satisfaction with what surrounds and adds value to the core, such as personal "
         "attention.",
         "000 (pl)",
         "000 (pl): «Zadowolenie z urządzeń peryferyjnych» (the heading; literally "
         "satisfaction with peripheral devices)"),
    Term("atmosphere_satisfaction", "atmosphere satisfaction", "satysfakcja z atmosfery",
         "رضایت از فضا و محیط", "удовлетворенность атмосферой", "tyytyväisyys ilmapiiriin",
         "Satisfaction with the setting: tangible price, aesthetics and services, and "
         "intangible cooperation and courtesy.",
         "000 (pl)"),
    Term("psychological_satisfaction", "psychological satisfaction", "satysfakcja psychiczna",
         "رضایت روانی", "психологическая удовлетворенность", "psykologinen tyytyväisyys",
         "Satisfaction that fits the customer's personality, such as sparing a reserved "
         "customer a long sales talk.",
         "000 (pl)"),
    Term("exceeding_expectations", "exceeding expectations", "przekraczanie oczekiwań",
         "فراتر رفتن از انتظارات", "превышение ожиданий", "odotusten ylittäminen",
         "Giving more than the customer expected, above all the feeling of being treated "
         "personally, honestly and fairly; this, not mere satisfaction, keeps customers.",
         "001 (fa)"),
    Term("customer_experience", "customer experience", "doświadczenie klienta",
         "تجربه مشتری", "клиентский опыт", "asiakaskokemus",
         "Everything the customer lives through along the journey with a company, "
         "remembered as a whole.",
         "001 (fa), 003 (ru)"),
    Term("satisfaction_survey", "satisfaction survey", "badanie satysfakcji klientów",
         "نظرسنجی رضایت مشتری", "опрос удовлетворенности", "asiakastyytyväisyystutkimus",
         "A survey of how customers perceive their relationship with the company, which may "
         "differ from internal indicators.",
         "003 (ru), 004 (fi)"),
    Term("complaint", "complaint", "skarga klienta", "شکایت مشتری", "жалоба клиента",
         "asiakasvalitus",
         "A customer's report of a problem; complaints and how they are handled are loyalty "
         "KPIs.",
         "000 (pl), 001 (fa), 004 (fi)"),
    # -- contact points and channels ---------------------------------------- #
    Term("touchpoints", "touchpoints", "punkty styku z klientem", "نقاط تماس با مشتری",
         "точки соприкосновения", "kosketuspisteet",
         "Every point where a customer meets the company, back office included; the "
         "relationship is judged on all of them.",
         "003 (ru)"),
    Term("front_office", "front office", "front office (pierwsza linia kontaktu)",
         "فرانت‌آفیس (پیش‌خوان)", "фронт-офис", "asiakasrajapinta (front office)",
         "The parts of a company built for customer contact: reception, sales, marketing.",
         "003 (ru)"),
    Term("back_office", "back office", "zaplecze (back office)", "بک‌آفیس (پشتیبانی)",
         "бэк-офис", "taustatoiminnot (back office)",
         "The parts customers meet without their being built for contact: after-sales, "
         "accounting, the shop (source 003's examples).",
         "003 (ru)"),
    Term("omnichannel", "omnichannel consistency", "spójność wielokanałowa",
         "یکپارچگی همه‌کاناله", "согласованность между каналами (многоканальность)",
         "kanavien välinen johdonmukaisuus",
         "One coherent message and one shared customer record across all channels.",
         "003 (ru)"),
    Term("channel_integration", "channel integration", "integracja kanałów",
         "یکپارچه‌سازی کانال", "интеграция каналов", "kanavien integrointi",
         "Making channels work together so a customer never gets two different offers for "
         "the same product.",
         "002 (fa)"),
    Term("social_crm", "social CRM", "CRM społecznościowy (social CRM)", "CRM اجتماعی",
         "социальный CRM (Social CRM)", "sosiaalinen CRM",
         "CRM tools that capture customers' conversations and opinions on social networks.",
         "003 (ru)"),
    Term("personalisation", "personalisation", "personalizacja", "شخصی‌سازی",
         "персонализация", "personointi",
         "Tailoring offers and contact to the individual customer, which empowered customers "
         "now expect.",
         "000 (pl)"),
    # -- tools and techniques ----------------------------------------------- #
    Term("lead_management", "lead management", "zarządzanie leadami",
         "مدیریت سرنخ‌های فروش", "управление лидами", "liidienhallinta",
         "Tracking prospective customers from the first contact to the first purchase.",
         "002 (fa)",
         "002 (fa): «مدیریت رهبری» (literally leadership management)"),
    Term("campaign_management", "campaign management", "zarządzanie kampaniami",
         "مدیریت کمپین", "управление кампаниями", "kampanjanhallinta",
         "Planning, running and measuring marketing campaigns, judged by the profit they bring.",
         "002 (fa)"),
    Term("data_mining", "data mining", "eksploracja danych", "داده‌کاوی",
         "интеллектуальный анализ данных", "tiedonlouhinta",
         "Searching stored customer histories for patterns, for example to tailor offers.",
         "002 (fa)"),
    Term("event_based_marketing", "event-based marketing", "marketing oparty na zdarzeniach",
         "بازاریابی مبتنی بر رویداد", "маркетинг на основе событий",
         "tapahtumapohjainen markkinointi",
         "Sending an offer when something significant happens in the customer's life or "
         "account.",
         "002 (fa)"),
    Term("cross_selling", "cross-selling", "sprzedaż krzyżowa", "فروش متقابل",
         "перекрестные продажи", "ristiinmyynti",
         "Selling an existing customer related products in addition to what they already buy.",
         "002 (fa)"),
    Term("switching_costs", "switching costs", "koszty zmiany dostawcy", "هزینه‌های تعویض",
         "издержки переключения", "vaihtokustannukset",
         "What it costs a customer to move to another supplier; raising them on purpose is a "
         "negative retention strategy.",
         "002 (fa)"),
    Term("value_analysis", "value analysis", "analiza wartości", "تحلیل ارزش",
         "функционально-стоимостной анализ", "arvoanalyysi",
         "Examining what each part of a product does for the customer and what it costs, to "
         "find cheaper ways to deliver the same value.",
         "000 (pl)"),
    Term("value_engineering", "value engineering", "inżynieria wartości", "مهندسی ارزش",
         "стоимостной инжиниринг", "arvosuunnittelu",
         "Designing or redesigning a product to cut its cost without lowering its quality or "
         "usefulness.",
         "000 (pl)"),
    Term("customer_development", "customer development", "rozwój klienta",
         "توسعه مشتری", "развитие клиентов", "asiakaskehitys",
         "Using customer feedback at every stage of product development, in four stages from "
         "discovery to company building.",
         "002 (fa)"),
    Term("customer_discovery", "customer discovery", "odkrywanie klientów", "کشف مشتری",
         "выявление потребителей", "asiakkaiden löytäminen",
         "The first customer-development stage: gathering feedback to learn how to solve "
         "customers' needs.",
         "002 (fa)"),
    Term("customer_validation", "customer validation", "weryfikacja klientów",
         "اعتبارسنجی مشتری", "верификация потребителей", "asiakkaiden validointi",
         "The stage in which customers come to know the product and believe it meets their "
         "need.",
         "002 (fa)"),
    Term("customer_creation", "customer creation", "budowanie bazy klientów",
         "ایجاد مشتری", "формирование клиентской базы", "asiakaskunnan luominen",
         "The stage in which feedback shapes how the product is launched and positioned.",
         "002 (fa)"),
    Term("company_building", "company building", "budowanie firmy", "ایجاد شرکت",
         "построение компании", "yrityksen rakentaminen",
         "The stage in which ideas become operations and the business invests to grow.",
         "002 (fa)"),
    # -- measures ---------------------------------------------------------- #
    Term("kpi", "key performance indicator (KPI)", "kluczowy wskaźnik efektywności (KPI)",
         "شاخص کلیدی عملکرد (KPI)", "ключевой показатель эффективности (KPI)",
         "keskeinen suorituskykymittari (KPI)",
         "A number tracked over time to judge whether a goal is being met, such as the "
         "monthly count of defections.",
         "001 (fa)"),
    Term("nps", "Net Promoter Score (NPS)", "wskaźnik NPS (Net Promoter Score)",
         "شاخص خالص مروجان (NPS)", "индекс потребительской лояльности (NPS)",
         "nettosuositteluindeksi (NPS)",
         "The share of customers who would recommend the company (9-10 on a 0-10 scale) "
         "minus the share who would not (0-6).",
         "kit"),
    Term("clv", "customer lifetime value (CLV)", "wartość klienta w cyklu życia (CLV)",
         "ارزش طول عمر مشتری (CLV)", "пожизненная ценность клиента (CLV)",
         "asiakkuuden elinkaariarvo (CLV)",
         "The total margin a customer is expected to bring over the whole relationship.",
         "kit"),
    Term("rfm", "RFM analysis", "analiza RFM", "تحلیل RFM", "RFM-анализ", "RFM-analyysi",
         "Scoring customers by how recently, how often and for how much they buy, and "
         "grouping them into segments.",
         "kit"),
    Term("segment", "market segment", "segment rynku", "بخش بازار", "сегмент рынка",
         "markkinasegmentti",
         "A group of customers with similar needs or behaviour, treated alike by campaigns.",
         "002 (fa), 003 (ru)"),
    # -- the ten strategies (000) ------------------------------------------ #
    Term("people", "People", "Ludzie", "افراد (کارکنان)", "Люди", "Ihmiset",
         "Strategy 1: every employee, bottom to top, works toward customer satisfaction.",
         "000 (pl)"),
    Term("process", "Process", "Proces", "فرایند", "Процесс", "Prosessi",
         "Strategy 2: processes designed from the customer's point of view.",
         "000 (pl)"),
    Term("product_service", "Product / service", "Produkt / Usługa", "محصول / خدمت",
         "Продукт / услуга", "Tuote / palvelu",
         "Strategy 3: an offer that keeps adding value and meets expectations.",
         "000 (pl)"),
    Term("organisation", "Organisation", "Organizacja", "سازمان", "Организация",
         "Organisaatio",
         "Strategy 4: process, product, people and management integrated into one whole.",
         "000 (pl)"),
    Term("customer_analysis", "Customer analysis", "Analiza klienta", "تحلیل مشتری",
         "Анализ клиентов", "Asiakasanalyysi",
         "Strategy 5: regular study of customers' buying, tastes, satisfaction and place on "
         "the loyalty ladder.",
         "000 (pl)"),
    Term("cost_analysis", "Cost analysis", "Analiza kosztów", "تحلیل هزینه",
         "Анализ затрат", "Kustannusanalyysi",
         "Strategy 6: continuous cost cutting by value analysis and value engineering, "
         "without lowering quality.",
         "000 (pl)"),
    Term("performance_focus", "Performance focus", "Koncentracja na wydajności",
         "تمرکز بر عملکرد", "Ориентация на результативность",
         "Suorituskykyyn keskittyminen",
         "Strategy 7: every link of the chain monitored, with corrective action by a trained "
         "team.",
         "000 (pl)"),
    Term("staff_training", "Supply-chain staff training",
         "Szkolenie dla pracowników łańcucha dostaw", "آموزش کارکنان زنجیره تأمین",
         "Обучение персонала цепи поставок", "Toimitusketjun henkilöstön koulutus",
         "Strategy 8: training in customer service, communication and complaint handling "
         "for the whole supply chain.",
         "000 (pl)"),
    Term("relationship_schemes", "Relationship-based schemes",
         "Schematy oparte na relacjach partnerskich", "طرح‌های مبتنی بر رابطه",
         "Программы, основанные на отношениях", "Suhteeseen perustuvat ohjelmat",
         "Strategy 9: loyal repeat buyers pay less than occasional ones.",
         "000 (pl)",
         "000 (pl): «Schematy oparte na zależności» (the heading; literally schemes based "
         "on dependence)"),
    Term("social_events", "Social events", "Udział w wydarzeniach społecznych",
         "مشارکت در رویدادهای اجتماعی", "Участие в социальных мероприятиях",
         "Osallistuminen yhteiskunnallisiin tapahtumiin",
         "Strategy 10: community help, social responsibility and sponsorship shared with "
         "customers.",
         "000 (pl)"),
    # -- the three levers (003) -------------------------------------------- #
    Term("satisfy", "Satisfy customers", "Zadowalanie klientów", "راضی کردن مشتریان",
         "Удовлетворяйте клиентов", "Asiakkaiden tyydyttäminen",
         "Lever 1: meet needs precisely, with flawless and consistent fulfilment.",
         "003 (ru)"),
    Term("optimise_experience", "Optimise the customer experience",
         "Optymalizacja doświadczenia klienta", "بهینه‌سازی تجربه مشتری",
         "Оптимизация клиентского опыта", "Asiakaskokemuksen optimointi",
         "Lever 2: create memorable moments along the whole customer journey.",
         "003 (ru)"),
    Term("develop_engagement", "Develop engagement", "Aktywizacja klientów",
         "توسعه مشارکت مشتری", "Развивать взаимодействие",
         "Asiakkaiden osallistamisen kehittäminen",
         "Lever 3: turn customers into prescribers and ambassadors who recommend the brand.",
         "003 (ru)",
         "003 (ru): «Обязательства» (literally obligations, in «Обязательства проходят "
         "через глубокое удовлетворение»)"),
    # -- the seven relationship types (004) -------------------------------- #
    Term("transactional", "Transactional", "Relacja transakcyjna", "رابطه معاملاتی",
         "Транзакционные отношения", "Tapahtuma- (tapahtumapohjainen suhde)",
         "No real relationship: each purchase stands alone.",
         "004 (fi)"),
    Term("long_term", "Long-term", "Relacja długoterminowa", "رابطه بلندمدت",
         "Долгосрочные отношения", "Pitkäaikainen",
         "A lasting relationship that deepens through repeated contact.",
         "004 (fi)"),
    Term("personal_assistance", "Personal assistance", "Pomoc osobista", "کمک شخصی",
         "Персональная помощь", "Henkilökohtainen avustaja",
         "A relationship built on human contact with a sales or service person.",
         "004 (fi)"),
    Term("dedicated_assistance", "Dedicated personal assistance",
         "Dedykowana pomoc osobista", "کمک شخصی اختصاصی", "Выделенная персональная помощь",
         "Omistettu henkilökohtainen avustaja",
         "One representative devoted to one customer, as in private banking.",
         "004 (fi)"),
    Term("self_service", "Self-service", "Samoobsługa", "خودخدمتی (سلف‌سرویس)",
         "Самообслуживание", "Itsepalvelu",
         "No direct contact: customers get the means to help themselves.",
         "004 (fi)"),
    Term("automated_services", "Automated services", "Usługi zautomatyzowane",
         "خدمات خودکار", "Автоматизированные услуги", "Automaattiset palvelut",
         "Self-service with automation that recognises the customer and tailors the service.",
         "004 (fi)"),
    Term("community", "Community", "Społeczność", "جامعه کاربران", "Сообщество", "Yhteisö",
         "A user community in which customers help each other and the company learns.",
         "004 (fi)"),
    # -- the five lifecycle stages (004) ----------------------------------- #
    Term("exploration", "Exploration", "Eksploracja", "اکتشاف", "Исследование", "Etsintä",
         "Stage 1: the customer tests the supplier; the relationship may end here.",
         "004 (fi)",
         "004 (fi): «Tutkimus» (the word the text uses for the stage under the heading "
         "Etsintä; literally research)"),
    Term("awareness", "Awareness", "Świadomość", "آگاهی", "Осознание", "Tietoisuus",
         "Stage 2: the customer understands the supplier's values and products.",
         "004 (fi)"),
    Term("expansion", "Expansion", "Ekspansja", "گسترش", "Расширение", "Laajennus",
         "Stage 3: trust and mutual dependence grow, and so does the business done together.",
         "004 (fi)"),
    Term("commitment", "Commitment", "Zobowiązanie", "تعهد", "Приверженность",
         "Sitoutuminen",
         "Stage 4: the supplier has learned to adapt to the rules of the business.",
         "004 (fi)"),
    Term("dissolution", "Dissolution", "Rozpad", "انحلال", "Распад", "Liukeneminen",
         "Stage 5: the relationship ends, by the customer's choice or the supplier's.",
         "004 (fi)"),
)
"""The multilingual glossary, one `Term` per key term (see the module docstring)."""


def glossary_frame() -> pd.DataFrame:
    """Return the glossary as a table, one row per term.

    Returns
    -------
    pandas.DataFrame
        Columns ``key``, ``en``, ``pl``, ``fa``, ``ru``, ``fi``, ``definition``,
        ``source``, ``source_terms`` (empty where the source has no word of its
        own), in the order of `GLOSSARY`.

    Examples
    --------
    >>> frame = glossary_frame()
    >>> frame.columns.tolist()
    ['key', 'en', 'pl', 'fa', 'ru', 'fi', 'definition', 'source', 'source_terms']
    >>> frame.set_index("key").loc["retention", "pl"]
    'zatrzymanie klienta'
    """
    import pandas as pd

    columns = [f.name for f in dataclasses.fields(Term)]
    return pd.DataFrame([dataclasses.astuple(t) for t in GLOSSARY], columns=columns)
