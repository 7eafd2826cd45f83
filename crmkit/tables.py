"""Tables for people: what the playbook shows where a notebook shows a DataFrame.

A lesson displays DataFrames as an analyst reads them: code names for
columns (``share_who_left``), a 0-based row number, fractions (``0.27``),
``NaN``. The course edition keeps that (students write code with those
names); the playbook, read by people who do not code, shows the same table
made for reading:

- column headers are labels (:data:`LABELS`: ``share_who_left`` -> "share who
  left (%)"); a name not in the list has its underscores turned to spaces;
- row numbers (an unnamed index of integers) are dropped; a named index becomes
  the first column;
- shares (columns of kind ``"percent"`` whose values all lie in 0..1) become
  percentages, ``27.0%``; a column so labelled whose values do not lie in
  0..1 is shown as plain numbers, never as a wrong percentage;
- missing values show as "—"; whole numbers with thousands separators; other
  numbers rounded for reading; a pair such as a confidence interval
  ``(366.67, 440.0)`` reads "366.67 to 440.00"; dates as ``YYYY-MM-DD``;
  yes/no for booleans;
- a column that points at code (``interactions.kind``, a metric's name such as
  ``origin_mix``) is left out: the course edition keeps it;
- keys of the kit's taxonomy in a column that holds them (``relationship_type``:
  ``long_term``) become their names ("Long-term", from :mod:`crmkit.concepts`),
  as do headers that are stage or relationship-type keys; other code-like values
  (``post_interaction``) read with spaces.

:func:`table_for_people` returns the formatted copy (strings), and
:func:`people_table_html` its HTML. The site build loads this module as an
IPython extension in every lesson's kernel (:func:`load_ipython_extension`):
each DataFrame output then also carries :data:`MIMETYPE`, an output type that
JupyterLab ignores and the playbook edition shows in place of pandas' HTML.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"customers": [483, 1165], "share_who_left": [0.27, None]})
>>> table_for_people(df)
   customers share who left (%)
0        483              27.0%
1      1,165                  —
"""

from __future__ import annotations

import html
import math
import numbers
import re

import numpy as np
import pandas as pd

from crmkit import concepts

__all__ = [
    "LABELS",
    "MIMETYPE",
    "MISSING",
    "load_ipython_extension",
    "people_table_html",
    "table_for_people",
]

#: The output type a DataFrame's people table travels under in a notebook.
MIMETYPE = "application/vnd.crmkit.people-table+html"

#: What a missing value reads as.
MISSING = "—"

#: Column (and index) names of the kit's tables and metrics: ``name -> (label, kind)``.
#: Kinds: ``"percent"`` (a share 0..1, shown as a percentage), ``"number"``.
LABELS: dict[str, tuple[str, str]] = {
    # tables of a world (the data dictionary's columns)
    "customer_id": ("customer", "number"),
    "campaign_id": ("campaign", "number"),
    "campaign_type": ("campaign type", "number"),
    "start_date": ("start date", "number"),
    "end_date": ("end date", "number"),
    "signup_date": ("sign-up date", "number"),
    "churn_date": ("date they left", "number"),
    "last_purchase": ("last purchase", "number"),
    "relationship_type": ("relationship type", "number"),
    "stage_next": ("next stage", "number"),
    "stage_history": ("stage history", "number"),
    "month_end": ("month end", "number"),
    "min_price": ("lowest price", "number"),
    "max_price": ("highest price", "number"),
    "amount": ("amount", "number"),
    "first_name": ("first name", "number"),
    "last_name": ("last name", "number"),
    "lifecycle_stage": ("lifecycle stage", "number"),
    "loyalty_member": ("loyalty member", "number"),
    "acquisition_channel": ("acquisition channel", "number"),
    "churn_risk": ("chance of leaving (%)", "percent"),
    "value_at_risk": ("value at risk", "number"),
    "event_date": ("event date", "number"),
    "last_category": ("last category bought", "number"),
    "days_since_purchase": ("days since last purchase", "number"),
    "suggested_action": ("suggested action", "number"),
    # retention, value and economics
    "share": ("share (%)", "percent"),
    "share_who_left": ("share who left (%)", "percent"),
    "share_resolved": ("share resolved (%)", "percent"),
    "monthly_retention": ("monthly retention (%)", "percent"),
    "retention": ("retention (%)", "percent"),
    "retention_rise": ("retention rise (points)", "number"),
    "discount_rate": ("discount rate (%)", "percent"),
    "margin_per_month": ("margin per month", "number"),
    "expected_lifetime_months": ("expected lifetime (months)", "number"),
    "clv": ("lifetime value", "number"),
    "acquisition_cost": ("acquisition cost", "number"),
    "servicing_cost": ("servicing cost", "number"),
    "kept_margin": ("margin kept", "number"),
    "unused_budget": ("budget left over", "number"),
    "worth_it": ("worth it", "number"),
    "mean_price_cut": ("mean price cut (%)", "percent"),
    "people_reached": ("people reached", "number"),
    "recency_days": ("days since last purchase", "number"),
    "months_since": ("months since", "number"),
    "r_score": ("recency score", "number"),
    "f_score": ("frequency score", "number"),
    "m_score": ("monetary score", "number"),
    "active_months": ("active months", "number"),
    "churned": ("left", "number"),
    # acquisition
    "acquisition_spend_per_month": ("acquisition spend per month", "number"),
    "sign_ups_per_month": ("sign-ups per month", "number"),
    "new_customers": ("new customers", "number"),
    "conversion_rate": ("conversion rate (%)", "percent"),
    "cost_per_acquisition": ("cost per new customer", "number"),
    "cost_per_win": ("cost per customer won back", "number"),
    "contact_cost": ("contact cost", "number"),
    "win_rate": ("win rate (%)", "percent"),
    "won_back": ("won back", "number"),
    "spend_share": ("share of spend (%)", "percent"),
    "repeat_rate": ("repeat rate (%)", "percent"),
    "purchases_per_customer": ("purchases per customer", "number"),
    # satisfaction and service
    "ci_low": ("lower bound (95%)", "number"),
    "ci_high": ("upper bound (95%)", "number"),
    "true_weight": ("true weight (generator)", "number"),
    "true_effect": ("true effect (generator)", "number"),
    "n_surveys": ("surveys", "number"),
    "median_hours": ("median hours", "number"),
    "median_resolution_hours": ("median hours to resolve", "number"),
    "training_hours": ("training hours", "number"),
    "training_band": ("training", "number"),
    "with_handoff": ("with a hand-off", "number"),
    "complaint_share": ("share of complaints (%)", "percent"),
    "odd_channels": ("channels out of line", "number"),
    "spread_pct": ("spread (%)", "percent"),
    "csat": ("CSAT (%)", "percent"),
    "nps": ("NPS", "number"),
    # KPIs and care
    "active_customers": ("active customers", "number"),
    "cash_collection_rate": ("cash collected (%)", "percent"),
    "late_payment_share": ("late payments (%)", "percent"),
    "complaints_resolved_share": ("complaints resolved (%)", "percent"),
    "complaint_resolution_hours": ("hours to resolve a complaint", "number"),
    "invoices_due": ("invoices due", "number"),
    "care_staff_feedback": ("care-staff feedback", "number"),
    "focus_group_reports": ("focus-group reports", "number"),
    "positive_feedback": ("positive feedback", "number"),
    "care_per_month": ("care contacts per month", "number"),
    "kpi": ("KPI", "number"),
    "CSAT (share 6-7)": ("CSAT: answers 6-7 (%)", "percent"),
    "promoters": ("promoters (%)", "percent"),
    "passives": ("passives (%)", "percent"),
    "detractors": ("detractors (%)", "percent"),
    "survival": ("still a customer (%)", "percent"),
    "with a hand-off": ("with a hand-off (%)", "percent"),
    "resolved": ("resolved (%)", "percent"),
    "CSAT": ("CSAT (%)", "percent"),
    "mean discount outside promotions": ("mean discount outside promotions (%)", "percent"),
    "true member discount": ("true member discount (%)", "percent"),
    "share of first purchases": ("share of first purchases (%)", "percent"),
    "chance of leaving within a year": ("chance of leaving within a year (%)", "percent"),
    "true conversion": ("true conversion (%)", "percent"),
}

#: Headers that are keys of the taxonomy (a stage-to-stage matrix, a column per type).
_HEADER_NAMES: dict[str, str] = {
    **concepts.labels(concepts.LIFECYCLE_STAGES),
    **concepts.labels(concepts.RELATIONSHIP_TYPES),
}
_SNAKE = re.compile(r"^[a-z]+(?:_[a-z]+)+$")

#: Columns whose values are keys of a taxonomy: shown by their names.
CONCEPT_COLUMNS: dict[str, tuple] = {
    "relationship_type": concepts.RELATIONSHIP_TYPES,
    "relationship type": concepts.RELATIONSHIP_TYPES,
    "stage": concepts.LIFECYCLE_STAGES,
    "lifecycle_stage": concepts.LIFECYCLE_STAGES,
    "stage_next": concepts.LIFECYCLE_STAGES,
    "strategy": concepts.STRATEGIES,
    "office": concepts.OFFICES,
    "touchpoint": concepts.TOUCHPOINTS,
    "origin": concepts.ORIGINS,
    "component": concepts.SATISFACTION_COMPONENTS,
    "kpi": concepts.LOYALTY_KPIS,
}


def _missing_name(name) -> bool:
    return name is None or (not isinstance(name, (str, tuple)) and bool(pd.isna(name)))


def _label(name) -> str:
    if isinstance(name, tuple):
        return " · ".join(_label(n) for n in name if str(n) != "")
    if _missing_name(name):
        return ""
    if not isinstance(name, str):
        return str(name)
    if name in LABELS:
        return LABELS[name][0]
    if name in _HEADER_NAMES:
        return _HEADER_NAMES[name]
    return name.replace("_", " ") if "_" in name and " " not in name else name


def _row_name(v):
    """A row name that is a code name of :data:`LABELS` (``retention_rise``) reads as its label."""
    return LABELS[v][0] if isinstance(v, str) and "_" in v and v in LABELS else v


#: A reference to a column of a world's table (``interactions.kind``): code, not for the playbook.
CODE_REFERENCE = re.compile(
    r"\b(?:world|customers|transactions|interactions|surveys|staff|campaigns|stage_history|truth)"
    r"\.[a-z_]+|\bcrmkit\.[a-z_]+"
)


_IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _names_code(text: str) -> bool:
    """True when ``text`` names a world's column or a metric of :mod:`crmkit.metrics`."""
    if CODE_REFERENCE.search(text):
        return True
    from crmkit import metrics

    return any(word in metrics.__all__ for word in _IDENTIFIER.findall(text))


def _is_code(values: pd.Series) -> bool:
    """True when a text column points at code: any value names a world's column
    (``interactions.kind``), or most name a metric (:func:`_names_code`)."""
    text = [v for v in values.tolist() if isinstance(v, str) and v]
    if any(CODE_REFERENCE.search(v) for v in text):
        return True
    return bool(text) and 2 * sum(_names_code(v) for v in text) > len(text)


def _is_share(name, values: pd.Series) -> bool:
    key = name[-1] if isinstance(name, tuple) else name
    if LABELS.get(key, ("", ""))[1] != "percent":
        return False
    if not pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        return False
    known = values.dropna()
    return bool(len(known)) and bool(((known >= 0) & (known <= 1)).all())


def _number(v, decimals: int) -> str:
    whole = float(v).is_integer() and abs(v) < 1e15 and decimals == 0
    if isinstance(v, numbers.Integral) or whole:
        return f"{int(v):,}"
    return f"{float(v):,.{decimals}f}"


def _decimals(values: pd.Series) -> int:
    """Decimals that let a float column be read: fewer for big numbers, more for small ones."""
    known = values.dropna().astype(float)
    known = known[np.isfinite(known)]
    if not len(known):
        return 2
    if (known == known.round()).all():
        return 0
    top = float(known.abs().max())
    if top >= 1000:
        return 0
    if top >= 1:
        return 2
    return 3


def _cell(v, *, share: bool, decimals: int, names: dict[str, str]) -> str:
    if v is None or v is pd.NA or v is pd.NaT:
        return MISSING
    if isinstance(v, tuple):
        return " to ".join(_cell(x, share=share, decimals=max(decimals, 2), names=names) for x in v)
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d") if v == v.normalize() else v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, pd.Timedelta):
        return f"{v.days:,} days"
    if isinstance(v, numbers.Number):
        f = float(v)
        if math.isnan(f):
            return MISSING
        if math.isinf(f):
            return "∞" if f > 0 else "−∞"
        if share:
            return f"{f * 100:.1f}%"
        return _number(v, decimals)
    text = str(v)
    if text in names:
        return names[text]
    return text.replace("_", " ") if _SNAKE.match(text) else text


def _column(values: pd.Series, name) -> list[str]:
    key = name[-1] if isinstance(name, tuple) else name
    names = concepts.labels(CONCEPT_COLUMNS[key]) if key in CONCEPT_COLUMNS else {}
    share = _is_share(name, values)
    numeric = pd.api.types.is_float_dtype(values.dtype)
    decimals = _decimals(values) if numeric else 2
    return [_cell(v, share=share, decimals=decimals, names=names) for v in values.tolist()]


def table_for_people(df: pd.DataFrame) -> pd.DataFrame:
    """The table as people read it: labelled headers, formatted cells (all strings).

    Row numbers (an unnamed integer index, e.g. after filtering) are dropped
    and the returned frame has a fresh ``RangeIndex``; a named or meaningful index becomes the
    first column(s). The input is not modified.

    Raises
    ------
    TypeError
        If ``df`` is not a DataFrame.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(
            f"table_for_people: `df` must be a pandas DataFrame, got {type(df).__name__}; "
            "for a Series, pass series.to_frame()."
        )
    frame = df
    row_numbers = frame.index.nlevels == 1 and frame.index.name is None and (
        isinstance(frame.index, pd.RangeIndex) or pd.api.types.is_integer_dtype(frame.index.dtype)
    )
    if not row_numbers:
        names = ["" if _missing_name(n) else n for n in frame.index.names]
        if len(set(names)) < len(names) or any(n in frame.columns for n in names if n):
            names = [f"{n} " if n in frame.columns else n for n in names]
        index_columns = [n for n in names]
        frame = frame.rename_axis(names).reset_index()
    else:
        index_columns = []
    out, kept = {}, []
    for i, name in enumerate(frame.columns):
        values = frame.iloc[:, i]
        if _is_code(values):  # "where to look: interactions.kind": for the course only
            continue
        kept.append(name)
        if i < len(index_columns) and not pd.api.types.is_numeric_dtype(values.dtype):  # row names
            values = values.map(_row_name)
        out[len(out)] = _column(values, name)
    people = pd.DataFrame(out, index=pd.RangeIndex(len(frame)), columns=list(out))
    people.columns = [_label(n) for n in kept]
    return people


_NUM = ' class="num"'
_NUMBER_TEXT = re.compile(r"^[−+-]?[\d,]*\.?\d+%?$|^—$")


def _numeric(column: pd.Series) -> bool:
    """True when every cell of a people table's column reads as a number (or "—")."""
    values = column.tolist()
    return any(v != MISSING for v in values) and all(_NUMBER_TEXT.match(v) for v in values)


def people_table_html(df: pd.DataFrame, *, max_rows: int = 60, caption: str | None = None) -> str:
    """HTML of :func:`table_for_people`: no row numbers, every cell in its own text direction.

    Long tables show their first ``max_rows`` rows and say how many there are.
    """
    people = table_for_people(df.head(max_rows) if len(df) > max_rows else df)
    num = [_numeric(people.iloc[:, i]) for i in range(people.shape[1])]
    mark = [_NUM if n else "" for n in num]
    head = "".join(
        f'<th scope="col"{m}>{html.escape(str(c))}</th>'
        for c, m in zip(people.columns, mark, strict=True)
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td dir="auto"{m}>{html.escape(v)}</td>' for v, m in zip(row, mark, strict=True)
        )
        + "</tr>"
        for row in people.itertuples(index=False)
    )
    more = (
        f'<p class="crmkit-table-more">{max_rows:,} of {len(df):,} rows shown.</p>'
        if len(df) > max_rows
        else ""
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="crmkit-table crmkit-people-table">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>{more}"
    )


def _people_html_or_none(df):
    try:
        return people_table_html(df)
    except Exception:  # noqa: BLE001 - a table that cannot be made for people keeps pandas' HTML
        return None


def load_ipython_extension(ipython) -> None:
    """IPython extension: DataFrame outputs also carry their people table (:data:`MIMETYPE`).

    Loaded by the site build in each lesson's kernel
    (``--InteractiveShellApp.extensions=crmkit.tables``); in JupyterLab the
    extra output type is ignored and pandas' table shows as usual.
    """
    from IPython.core.formatters import BaseFormatter
    from traitlets import ObjectName, Unicode

    class PeopleTableFormatter(BaseFormatter):
        format_type = Unicode(MIMETYPE)
        print_method = ObjectName("_repr_crmkit_people_html_")

    formatters = ipython.display_formatter.formatters
    if MIMETYPE not in formatters:
        formatters[MIMETYPE] = PeopleTableFormatter(parent=ipython.display_formatter)
    formatters[MIMETYPE].for_type(pd.DataFrame, _people_html_or_none)
