"""Argument checks shared by metrics, plots and widgets: errors that teach.

Each check names the function, the argument, what was given and how to fix it.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

__all__ = [
    "check_frame",
    "check_choice",
    "check_as_of",
    "check_fraction",
    "check_random_state",
    "check_metric_table",
    "check_scores",
    "check_room_comparison",
    "ROOM_RESERVED",
]

#: Columns of a merged scorecard table (crmkit.metrics.care.merge_scorecards) that are
#: not a participant's ratings.
ROOM_RESERVED = ("strategy", "name", "mean", "min", "max", "spread")


def check_frame(df, func: str, arg: str, columns: dict[str, str], *, allow_empty=False):
    """Check that ``df`` is a DataFrame holding ``columns``.

    ``columns`` maps each column name the function will use to the keyword that
    chooses it (e.g. ``{"amount": "amount_col"}``), so the error can say which
    keyword to pass.
    """
    if isinstance(df, str):
        raise TypeError(
            f"{func}: `{arg}` must be a pandas DataFrame, got the string {df!r}. "
            f"Pass the table itself, e.g. world.{arg}."
        )
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{func}: `{arg}` must be a pandas DataFrame, got {type(df).__name__}.")
    for col, keyword in columns.items():
        if not isinstance(col, str):
            raise TypeError(
                f"{func}: `{keyword}` must be a column name (str), got {type(col).__name__}."
            )
        if col not in df.columns:
            raise ValueError(
                f"{func}: column {col!r} not found in `{arg}` (columns: "
                f"{', '.join(map(str, df.columns))}). Pass {keyword}= to use "
                "another name."
            )
    if not allow_empty and df.empty:
        raise ValueError(f"{func}: `{arg}` is empty (no rows); there is nothing to compute.")
    return df


def check_choice(value, name: str, choices, func: str):
    """Check that ``value`` is one of ``choices``."""
    if value not in choices:
        shown = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{func}: `{name}` must be one of {shown}; got {value!r}.")
    return value


def check_as_of(as_of, func: str, *, earliest=None, default=None) -> pd.Timestamp:
    """Parse ``as_of`` (None -> ``default``), refusing a date before the data starts.

    Every metric that takes ``as_of`` parses it here, so that all of them read
    it the same way. A date with a time zone (``"2024-06-01T00:00+02:00"``, a
    tz-aware Timestamp) is accepted and made comparable with the data:

    * data without time zones (``earliest`` and ``default`` naive or None; the
      metrics that count days also drop the time zone of their date columns):
      the time zone is dropped and the wall time kept, so
      ``2024-06-01 00:00+02:00`` becomes ``2024-06-01 00:00``;
    * data with a time zone (``earliest`` or ``default`` tz-aware): ``as_of``
      is converted to that zone, and a naive ``as_of`` is read in it.
    """
    if as_of is None:
        if default is None:
            raise ValueError(f"{func}: `as_of` is needed (a date such as '2024-12-31').")
        as_of = default
    try:
        ts = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        raise ValueError(
            f"{func}: `as_of` must be a date such as '2024-12-31'; got {as_of!r}."
        ) from None
    if ts is pd.NaT:
        raise ValueError(f"{func}: `as_of` must be a date such as '2024-12-31'; got {as_of!r}.")
    ref = next((pd.Timestamp(r) for r in (earliest, default) if r is not None), None)
    ts = _same_zone(ts, None if ref is None else ref.tz)
    if earliest is not None:
        first = _same_zone(pd.Timestamp(earliest), ts.tz)
        if ts < first:
            raise ValueError(
                f"{func}: `as_of` ({ts.date()}) is before the first date in the data "
                f"({first.date()}); pass a later date."
            )
    return ts


def _same_zone(ts: pd.Timestamp, tz) -> pd.Timestamp:
    """``ts`` in the time zone ``tz`` (None: naive, keeping the wall time)."""
    if tz is None:
        return ts if ts.tz is None else ts.tz_localize(None)
    if ts.tz is None:
        return ts.tz_localize(tz, nonexistent="shift_forward", ambiguous=False)
    return ts.tz_convert(tz)


def check_fraction(value, name: str, func: str, *, low=0.0, high=1.0, inclusive=True):
    """Check a number in [low, high] (or (low, high) when not ``inclusive``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{func}: `{name}` must be a number, got {type(value).__name__}.")
    ok = low <= value <= high if inclusive else low < value < high
    if not ok:
        bounds = f"[{low}, {high}]" if inclusive else f"({low}, {high})"
        raise ValueError(f"{func}: `{name}` must be in {bounds}; got {value}.")
    return float(value)


def check_random_state(random_state, *, func: str) -> np.random.Generator:
    """Turn ``random_state`` (None, an int >= 0 or a Generator) into a Generator.

    Every function of the kit that draws at random takes its seed under this one
    name, ``random_state``, and checks it here.
    """
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


def check_metric_table(data, func: str, what: str, needed=()):
    """Check that ``data`` is the non-empty DataFrame a metric returns, with ``needed`` columns.

    For the figures that draw a metric's result: ``what`` names the call that
    makes it (e.g. ``"cohort_retention(...)"``), so that the error says what to
    pass.
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"{func}: `data` must be the DataFrame returned by {what}; got {type(data).__name__}."
        )
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise ValueError(
            f"{func}: `data` has no column {missing[0]!r} (columns: "
            f"{', '.join(map(str, data.columns))}); pass the result of {what}."
        )
    if data.empty:
        raise ValueError(f"{func}: `data` is empty; there is nothing to draw.")
    return data


def check_scores(scores, func, col, keyword, *, low, high):
    """Turn ``scores`` (array-like, Series or a DataFrame with ``col``) into floats.

    Refuses text, a single number, an empty or incomplete list and scores off
    the ``low``-``high`` scale; ``keyword`` names the argument that chose
    ``col`` (e.g. ``"nps_col"``).
    """
    if isinstance(scores, str):
        raise TypeError(
            f"{func}: `scores` must be numbers (a list, a Series or a surveys DataFrame), "
            f"got the string {scores!r}."
        )
    if isinstance(scores, pd.DataFrame):
        check_frame(scores, func, "scores", {col: keyword})
        values = scores[col]
    elif isinstance(scores, numbers.Number):
        raise TypeError(
            f"{func}: `scores` must be several numbers (a list, a Series or a surveys "
            f"DataFrame), got a single {type(scores).__name__} ({scores!r})."
        )
    else:
        values = pd.Series(scores) if not isinstance(scores, pd.Series) else scores
    if values.dtype == bool or not (
        pd.api.types.is_numeric_dtype(values) or values.dtype == object
    ):
        raise TypeError(f"{func}: `scores` must be numbers; got values of dtype {values.dtype}.")
    try:
        arr = pd.to_numeric(values, errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise TypeError(
            f"{func}: `scores` must be numbers; got values such as {values.iloc[0]!r}."
        ) from None
    if arr.size == 0:
        raise ValueError(f"{func}: `scores` is empty; there is nothing to compute.")
    missing = int(np.isnan(arr).sum())
    if missing:
        raise ValueError(
            f"{func}: `scores` has {missing} missing value(s); drop them first "
            "(for example scores.dropna())."
        )
    bad = (arr < low) | (arr > high)
    if bad.any():
        raise ValueError(
            f"{func}: scores must be on the {low}-{high} scale; got {arr[bad][0]:g} "
            f"({int(bad.sum())} value(s) outside it)."
        )
    return arr


def check_room_comparison(table, func: str):
    """A merged scorecard table, indexed by strategy in the kit's order, and its participants.

    ``table`` must come from ``room_comparison`` or ``merge_scorecards``
    (TypeError otherwise) and hold at least one participant (ValueError).
    Returns ``(table indexed by strategy, list of participant columns)``.
    """
    from crmkit import concepts

    if not isinstance(table, pd.DataFrame) or not {"strategy", "mean"} <= set(table.columns):
        raise TypeError(
            f"{func}: `comparison` must be the table from room_comparison or merge_scorecards; "
            f"got {type(table).__name__}."
        )
    people = [c for c in table.columns if c not in ROOM_RESERVED]
    if not people:
        raise ValueError(f"{func}: the table has no participant column to draw.")
    strategies = concepts.keys(concepts.STRATEGIES)
    return table.set_index("strategy").reindex(list(strategies)), people


def check_transition_matrix(matrix, func: str, arg: str = "matrix", *, allow_missing=False):
    """A 5 x 5 matrix of monthly moves between lifecycle stages, as floats in the stages' order.

    The one check of a transition matrix (the generator, the lifecycle metrics and
    figures). A DataFrame needs the stages of ``concepts.LIFECYCLE_STAGES`` as index
    and columns (in any order: it is reordered); an array is read in that order.
    Every row holds probabilities (>= 0) summing to 1; with ``allow_missing`` a row
    of NaN (a stage nobody was seen in) passes. Returns a numpy array.
    """
    from crmkit import concepts

    stages = concepts.keys(concepts.LIFECYCLE_STAGES)
    k = len(stages)
    if isinstance(matrix, pd.DataFrame):
        rows, cols = list(map(str, matrix.index)), list(map(str, matrix.columns))
        if sorted(rows) != sorted(stages) or sorted(cols) != sorted(stages):
            raise ValueError(
                f"{func}: `{arg}` must have the lifecycle stages as index and columns "
                f"({', '.join(stages)}); got index {rows} and columns {cols}."
            )
        matrix = matrix.loc[list(stages), list(stages)]
    elif isinstance(matrix, str):
        raise TypeError(
            f"{func}: `{arg}` must be a {k} x {k} table of probabilities (e.g. the "
            f"result of transition_matrix), got the string {matrix!r}."
        )
    try:
        P = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{func}: `{arg}` must be a {k} x {k} table of numbers.") from None
    if P.shape != (k, k):
        raise ValueError(
            f"{func}: `{arg}` must be {k} x {k} (one row and column per stage: "
            f"{', '.join(stages)}); got shape {P.shape}."
        )
    missing = np.isnan(P)
    empty = missing.all(axis=1) if allow_missing else np.zeros(k, dtype=bool)
    if missing[~empty].any():
        raise ValueError(
            f"{func}: `{arg}` has missing values (a stage never observed?); "
            "fill those rows first, e.g. with the true or a guessed matrix."
        )
    full = P[~empty]
    if (full < 0).any() or not np.allclose(full.sum(axis=1), 1.0, atol=1e-6):
        sums = ", ".join(f"{x:.3f}" for x in P.sum(axis=1))
        raise ValueError(
            f"{func}: every row of `{arg}` must hold probabilities (>= 0) "
            f"summing to 1; row sums are {sums}."
        )
    return P


def check_number(value, name: str, func: str, *, low=None, high=None, integer=False):
    """Check a finite number (a whole number with ``integer``) in [low, high]; None: no bound.

    ``bool`` is refused (TypeError), as are NaN and infinity (ValueError).
    """
    kind = "a whole number" if integer else "a number"
    if isinstance(value, bool) or not isinstance(
        value, numbers.Integral if integer else numbers.Real
    ):
        raise TypeError(f"{func}: `{name}` must be {kind}; got {value!r}.")
    if (
        not np.isfinite(value)
        or (low is not None and value < low)
        or (high is not None and value > high)
    ):
        if low is not None and high is not None:
            bounds = f" between {low} and {high}"
        elif low is not None:
            bounds = f" >= {low}"
        else:
            bounds = f" <= {high}" if high is not None else " (not NaN or infinite)"
        raise ValueError(f"{func}: `{name}` must be {kind}{bounds}; got {value}.")
    return value
