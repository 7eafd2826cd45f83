"""The tables of a CRM world, column by column: one schema for the generator,
the loader, bring-your-own-data checks and the data dictionary.

Every table is a tuple of :class:`Column`. ``dtype`` is one of

``"int"``      64-bit integer, never missing
``"Int"``      nullable integer (pandas ``Int64``), e.g. an optional foreign key
``"float"``    float64 (``NaN`` allowed only where ``nullable``)
``"str"``      text (pandas ``str``)
``"date"``     calendar date (``datetime64[s]``; written ``YYYY-MM-DD``)
``"cat"``      an ordered categorical whose categories come from
               :data:`crmkit.concepts.CATEGORIES` under ``categories``
``"bool"``     True/False, never missing
``"boolean"``  nullable True/False

``datasets/README.md`` (the data dictionary) is generated from this module, so
a column is described once.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Column",
    "SCHEMA",
    "TABLES",
    "REQUIRED_TABLES",
    "TABLE_DESCRIPTIONS",
    "DIRECTIONS",
    "data_dictionary",
]

#: Who started an interaction (kept here: it is a property of the data, not a CRM concept).
DIRECTIONS = ("inbound", "outbound", "internal")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    description: str
    concept: str = ""
    required: bool = False
    nullable: bool = False
    categories: str = ""
    references: str = ""
    unique: bool = False
    minimum: float | None = None
    maximum: float | None = None


C = Column

SCHEMA: dict[str, tuple[Column, ...]] = {
    "customers": (
        C("customer_id", "int", "Unique customer number.", required=True, unique=True, minimum=1),
        C("first_name", "str", "Given name (Faker, in the world's locale; gender-consistent)."),
        C("last_name", "str", "Family name (Faker; gendered where the language is, e.g. pl, ru)."),
        C("gender", "cat", "Gender used to draw the names.", categories="gender"),
        C(
            "email",
            "str",
            "E-mail address built from the name transliterated to ASCII "
            "(reserved example domains only).",
            unique=True,
        ),
        C("city", "str", "City of residence (Faker, in the world's locale)."),
        C(
            "birth_date",
            "date",
            "Date of birth: birthdays drive event-based marketing.",
            concept="retention_tools: event_based_marketing; "
            "improvement_actions: special_occasions",
        ),
        C(
            "signup_date",
            "date",
            "First purchase / account opening; its anniversary is a special occasion too.",
            concept="customer_flow: acquisition",
            required=True,
        ),
        C(
            "acquisition_channel",
            "cat",
            "Channel through which the customer was acquired.",
            concept="acquisition_tools",
            categories="acquisition_channel",
        ),
        C(
            "acquisition_campaign_id",
            "Int",
            "Campaign that acquired (or won back) the customer; "
            "empty for referrals and community events.",
            nullable=True,
            references="campaigns.campaign_id",
        ),
        C(
            "origin",
            "cat",
            "New to the business (won from a competitor), new to the product "
            "(a new need) or won back (a lapsed customer who returned).",
            concept="origins",
            categories="origin",
        ),
        C(
            "competitor_loyal",
            "boolean",
            "For customers new to the business: were they loyal to "
            "their previous supplier? (valuable if so). Empty for other origins.",
            concept="origins: new_to_business",
            nullable=True,
        ),
        C(
            "relationship_type",
            "cat",
            "The kind of relationship the company keeps with them.",
            concept="relationship_types",
            categories="relationship_type",
        ),
        C(
            "account_manager_id",
            "Int",
            "Personal assistant / key account manager (personal and dedicated assistance only).",
            concept="relationship_types: dedicated_assistance",
            nullable=True,
            references="staff.staff_id",
        ),
        C(
            "lifecycle_stage",
            "cat",
            "Stage of the relationship at the reference date.",
            concept="lifecycle_stages",
            categories="lifecycle_stage",
        ),
        C(
            "loyalty_member",
            "bool",
            "Member of the loyalty programme at the reference date.",
            concept="strategies: relationship_schemes",
        ),
        C("loyalty_join_date", "date", "When they joined the loyalty programme.", nullable=True),
        C(
            "churn_date",
            "date",
            "Start of the current dissolution (empty while the relationship lives).",
            concept="customer_flow: defection",
            nullable=True,
        ),
        C(
            "churn_reason",
            "cat",
            "Why the current relationship dissolved: customer-side (needs changed, "
            "dissatisfaction, a better brand) or supplier-side (low volume, fraud).",
            concept="lifecycle_stages: dissolution",
            categories="dissolution_reason",
            nullable=True,
        ),
        C(
            "exit_fee",
            "float",
            "Fee the customer must pay to leave before `contract_end_date` "
            "(currency units; 0: no contract, leaving costs nothing). A negative retention "
            "strategy: it keeps customers by trapping them.",
            concept="retention_strategies: penalties; retention_strategies: exit_costs",
            minimum=0,
        ),
        C(
            "contract_end_date",
            "date",
            "End of the minimum term of the contract signed at sign-up (generated data: the "
            "first day of the 13th month after the sign-up month); it may lie after the "
            "reference date. Empty: no contract.",
            concept="retention_strategies: penalties",
            nullable=True,
        ),
    ),
    "transactions": (
        C(
            "transaction_id",
            "int",
            "Unique purchase number.",
            required=True,
            unique=True,
            minimum=1,
        ),
        C("customer_id", "int", "Buyer.", required=True, references="customers.customer_id"),
        C("date", "date", "Purchase date.", required=True),
        C(
            "channel",
            "cat",
            "Sales channel.",
            concept="vigilance_points: omnichannel_consistency",
            categories="channel",
        ),
        C(
            "category",
            "cat",
            "Product category (bundle = a bundled offer that can be unbundled).",
            concept="termination_methods: unbundle_offer",
            categories="category",
        ),
        C("list_price", "float", "Price before any discount (currency units).", minimum=0),
        C(
            "discount",
            "float",
            "Discount as a fraction of the list price (0-1): loyalty "
            "members, promotions, birthday coupons.",
            concept="strategies: relationship_schemes",
            minimum=0,
            maximum=1,
        ),
        C(
            "amount",
            "float",
            "Amount paid (currency units); negative for a refund or cancellation.",
            required=True,
        ),
        C(
            "cost",
            "float",
            "Cost of goods sold for this purchase (currency units).",
            concept="strategies: cost_analysis",
            minimum=0,
        ),
        C(
            "margin",
            "float",
            "amount - cost (can be negative on deep discounts).",
            concept="strategies: cost_analysis",
        ),
        C(
            "campaign_id",
            "Int",
            "Campaign whose offer was used, if any.",
            nullable=True,
            references="campaigns.campaign_id",
        ),
        C(
            "paid_date",
            "date",
            "When the invoice was paid (empty: still unpaid at the reference "
            "date). Payment terms are 30 days.",
            concept="loyalty_kpis: cash_collection",
            nullable=True,
        ),
    ),
    "interactions": (
        C("interaction_id", "int", "Unique contact number.", required=True, unique=True, minimum=1),
        C(
            "customer_id",
            "int",
            "Customer concerned.",
            required=True,
            references="customers.customer_id",
        ),
        C("date", "date", "Date of the contact.", required=True),
        C(
            "touchpoint",
            "cat",
            "Department / point of contact, front or back office.",
            concept="vigilance_points: every_touchpoint",
            categories="touchpoint",
        ),
        C("office", "cat", "Front office (customer-facing) or back office.", categories="office"),
        C("channel", "cat", "Channel of the contact.", categories="channel"),
        C(
            "kind",
            "cat",
            "What happened: complaint, inquiry, praise, a care action...",
            concept="loyalty_kpis; improvement_actions",
            categories="kind",
            required=True,
        ),
        C(
            "direction",
            "cat",
            "Started by the customer (inbound), by the company (outbound) or an internal note.",
            categories="direction",
        ),
        C(
            "staff_id",
            "Int",
            "Employee who handled it.",
            nullable=True,
            references="staff.staff_id",
        ),
        C(
            "duration_min",
            "float",
            "Length of the contact in minutes (0 for mass mailings).",
            concept="satisfaction_components: psychological",
            minimum=0,
        ),
        C(
            "handoffs",
            "int",
            "Hand-offs between departments before it was closed.",
            concept="strategies: organisation",
            minimum=0,
        ),
        C(
            "resolution_hours",
            "float",
            "Hours from first contact to resolution (complaints, "
            "inquiries, technical requests only).",
            concept="strategies: process",
            nullable=True,
            minimum=0,
        ),
        C(
            "outcome",
            "cat",
            "Resolved, escalated, unresolved, or no action needed.",
            concept="loyalty_kpis: complaint_handling",
            categories="outcome",
        ),
        C(
            "cost",
            "float",
            "Cost of the contact (channel cost + staff time, currency units).",
            concept="strategies: cost_analysis",
            minimum=0,
        ),
    ),
    "surveys": (
        C("survey_id", "int", "Unique response number.", required=True, unique=True, minimum=1),
        C("customer_id", "int", "Respondent.", required=True, references="customers.customer_id"),
        C("date", "date", "Date of the response.", required=True),
        C(
            "method",
            "cat",
            "After a contact, a periodic relationship survey, or a focus group.",
            concept="vigilance_points: satisfaction_survey",
            categories="method",
        ),
        C(
            "touchpoint",
            "cat",
            "Touchpoint rated (post-interaction surveys only).",
            categories="touchpoint",
            nullable=True,
        ),
        C(
            "interaction_id",
            "Int",
            "Contact that triggered the survey.",
            nullable=True,
            references="interactions.interaction_id",
        ),
        C(
            "product",
            "int",
            "Satisfaction with the core product (1-7).",
            concept="satisfaction_components: product",
            minimum=1,
            maximum=7,
        ),
        C(
            "peripheral",
            "int",
            "Satisfaction with what surrounds the core: personal attention, service (1-7).",
            concept="satisfaction_components: peripheral",
            minimum=1,
            maximum=7,
        ),
        C(
            "atmosphere",
            "int",
            "Satisfaction with price, aesthetics, courtesy, cooperation (1-7).",
            concept="satisfaction_components: atmosphere",
            minimum=1,
            maximum=7,
        ),
        C(
            "psychological",
            "int",
            "How well the way of dealing fits the person (1-7).",
            concept="satisfaction_components: psychological",
            minimum=1,
            maximum=7,
        ),
        C(
            "overall",
            "int",
            "Overall satisfaction (1-7); CSAT counts 6 and 7 as satisfied.",
            required=True,
            minimum=1,
            maximum=7,
        ),
        C(
            "nps",
            "int",
            "Likelihood to recommend (0-10): 9-10 promoters, 0-6 detractors.",
            concept="levers: develop_engagement",
            minimum=0,
            maximum=10,
        ),
    ),
    "campaigns": (
        C(
            "campaign_id",
            "int",
            "Campaign number (one row per campaign and channel).",
            required=True,
            minimum=1,
        ),
        C(
            "campaign_type",
            "cat",
            "Acquisition, win-back, retention, cross-sell, event-based offer or social event.",
            concept="retention_tools; strategies: social_events",
            categories="campaign_type",
            required=True,
        ),
        C(
            "channel",
            "cat",
            "Channel carrying this version of the offer.",
            categories="channel",
            required=True,
        ),
        C("start_date", "date", "First day of the campaign.", required=True),
        C("end_date", "date", "Last day of the campaign.", required=True),
        C(
            "category",
            "cat",
            "Product category on offer (empty for acquisition and social events).",
            categories="category",
            nullable=True,
        ),
        C(
            "offer",
            "str",
            "What is offered: a win-back offer, a positive retention strategy, a "
            "promotion, a sponsorship...",
            concept="winback_offers; retention_strategies",
        ),
        C(
            "list_price",
            "float",
            "Regular price of the product on offer.",
            nullable=True,
            minimum=0,
        ),
        C(
            "offer_price",
            "float",
            "Price offered on this channel: the same offer should cost the same everywhere.",
            concept="retention_tools: channel_integration",
            nullable=True,
            minimum=0,
        ),
        C("reach", "int", "People contacted on this channel.", minimum=0),
        C(
            "cost",
            "float",
            "Cost of this channel's part of the campaign (currency units).",
            minimum=0,
        ),
        C(
            "development_stage",
            "cat",
            "The company's customer-development stage when the campaign ran.",
            concept="development_stages",
            categories="development_stage",
        ),
    ),
    "staff": (
        C("staff_id", "int", "Employee number.", required=True, unique=True, minimum=1),
        C("first_name", "str", "Given name."),
        C("last_name", "str", "Family name."),
        C(
            "team",
            "cat",
            "Team (one per touchpoint).",
            concept="strategies: people",
            categories="team",
            required=True,
        ),
        C("office", "cat", "Front or back office.", categories="office"),
        C(
            "role",
            "cat",
            "Level, bottom to top: everyone serves the customer.",
            concept="strategies: people",
            categories="role",
        ),
        C("hire_date", "date", "Date of hiring."),
        C(
            "training_hours",
            "float",
            "Hours of customer-service, communication and complaint-handling training.",
            concept="strategies: staff_training",
            minimum=0,
        ),
    ),
    "stage_history": (
        C("customer_id", "int", "Customer.", required=True, references="customers.customer_id"),
        C(
            "stage",
            "cat",
            "Lifecycle stage of this spell.",
            concept="lifecycle_stages",
            categories="lifecycle_stage",
            required=True,
        ),
        C("start_date", "date", "First day in the stage.", required=True),
        C("end_date", "date", "Day the next stage began (empty: still in it).", nullable=True),
        C(
            "reason",
            "cat",
            "For dissolution spells: why it ended.",
            categories="dissolution_reason",
            nullable=True,
        ),
    ),
}

TABLES = tuple(SCHEMA)
#: Bring-your-own-data needs at least these; the other tables may be absent.
REQUIRED_TABLES = ("customers", "transactions")

#: What one row of each table is, and how it joins the others.
TABLE_DESCRIPTIONS: dict[str, str] = {
    "customers": "One row per customer: who they are, how they came, the relationship "
    "they have with the company and where it stands at the reference date.",
    "transactions": "One row per purchase. Joins `customers` on `customer_id` and "
    "`campaigns` on `campaign_id` (the offer used, if any).",
    "interactions": "One row per contact at a touchpoint: complaints, inquiries, praise, "
    "care actions, reminders, internal notes. Joins `customers` on `customer_id` and "
    "`staff` on `staff_id`.",
    "surveys": "One row per satisfaction survey answer: the four components, overall "
    "satisfaction and NPS. Joins `customers` on `customer_id` and, for surveys after a "
    "contact, `interactions` on `interaction_id`.",
    "campaigns": "One row per campaign and channel (the same campaign on two channels is "
    "two rows with one `campaign_id`).",
    "staff": "One row per employee: team, level and hours of training.",
    "stage_history": "One row per lifecycle spell: the stage a customer was in from "
    "`start_date` until `end_date`. Joins `customers` on `customer_id`.",
}

#: How each schema dtype is written in the data dictionary.
DTYPE_NAMES = {
    "int": "integer",
    "Int": "integer",
    "float": "number",
    "str": "text",
    "date": "date",
    "cat": "category",
    "bool": "true/false",
    "boolean": "true/false",
}


def data_dictionary() -> str:
    """The data dictionary as Markdown, generated from :data:`SCHEMA`.

    One section per table (what a row is, how it joins the others) with one
    line per column: name, type, meaning, allowed values and the concept of
    :mod:`crmkit.concepts` it serves. ``datasets/README.md`` holds a copy
    (``crmkit datasets dictionary --write`` refreshes it).
    """
    from crmkit.concepts import CATEGORIES

    lines = [
        "Types: *integer*, *number* (decimal point `.`), *text*, *date* (`YYYY-MM-DD`), "
        "*category* (one of the allowed values, spelled exactly so; their order is "
        "meaningful, e.g. the lifecycle stages), *true/false* (`True` or `False`). "
        "*required*: a file you bring must have the column; *unique*: no value "
        "repeats; *may be empty*: a blank cell is allowed; `->` names the column a "
        "value must exist in.",
        "",
    ]
    for table, columns in SCHEMA.items():
        need = "required file" if table in REQUIRED_TABLES else "optional file"
        lines += [
            f"### `{table}.csv` ({need})",
            "",
            TABLE_DESCRIPTIONS[table],
            "",
            "| column | type | meaning | allowed values | concept |",
            "|---|---|---|---|---|",
        ]
        for col in columns:
            if col.dtype == "cat":
                allowed = ", ".join(_categories(col.categories, CATEGORIES))
            elif col.minimum is not None and col.maximum is not None:
                allowed = f"{col.minimum:g} to {col.maximum:g}"
            elif col.minimum is not None:
                allowed = f">= {col.minimum:g}"
            elif col.maximum is not None:
                allowed = f"<= {col.maximum:g}"
            else:
                allowed = ""
            flags = []
            if col.required:
                flags.append("required")
            if col.unique:
                flags.append("unique")
            if col.nullable:
                flags.append("may be empty")
            if col.references:
                flags.append(f"-> `{col.references}`")
            kind = DTYPE_NAMES[col.dtype] + (f" ({', '.join(flags)})" if flags else "")
            cells = (f"`{col.name}`", kind, col.description, allowed, col.concept)
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def _categories(key, categories):
    if key == "direction":
        return DIRECTIONS
    return categories[key]
