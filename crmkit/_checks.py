"""Argument checks shared by metrics, plots and widgets: errors that teach.

Each check names the function, the argument, what was given and how to fix it.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["check_frame", "check_choice", "check_as_of", "check_fraction"]


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
