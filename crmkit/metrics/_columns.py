"""The columns of a table as numpy arrays, checked: what every metric reads first.

Each reader names the function and the keyword that chose the column in its
errors (``func``, ``keyword``), so a beginner learns what to fix:

* :func:`day_numbers`: a date column as day numbers (days since 1970-01-01);
* :func:`float_values`: a numeric column as float64 (no text, no missing values);
* :func:`customer_codes`: customer ids as codes 0 .. k-1 and the ids;
* :func:`date_of_day` and :func:`day_of_date` turn a day number into a
  Timestamp and back.

Shared by :mod:`crmkit.metrics.retention`, :mod:`~crmkit.metrics.value` and
:mod:`~crmkit.metrics.lifecycle`.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"customer_id": [7, 3, 7], "date": pd.to_datetime(["1970-01-02"] * 3)})
>>> day_numbers(df, "date", "example", "date_col").tolist()
[1, 1, 1]
>>> codes, ids = customer_codes(df, "customer_id", "example", "customer_col")
>>> codes.tolist(), ids.tolist()
([1, 0, 1], [3, 7])
>>> date_of_day(1)
Timestamp('1970-01-02 00:00:00')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["customer_codes", "date_of_day", "day_numbers", "day_of_date", "float_values"]

#: Units of a day, by numpy datetime unit.
_DAY_NS = {
    "D": 1,
    "h": 24,
    "m": 1440,
    "s": 86_400,
    "ms": 86_400_000,
    "us": 86_400_000_000,
    "ns": 86_400_000_000_000,
}


def day_numbers(df, col, func, keyword, *, allow_missing=False):
    """Days since 1970-01-01 (int64) of a datetime column; NaT -> error, or -1 if allowed.

    A time zone is dropped (the wall time is kept). With ``allow_missing``, a
    missing date gives the smallest int64 instead of an error.
    """
    s = df[col]
    if not pd.api.types.is_datetime64_any_dtype(s.dtype):
        hint = (
            " They look like text: convert them first, e.g. "
            f"df[{col!r}] = pd.to_datetime(df[{col!r}])."
        )
        if pd.api.types.is_numeric_dtype(s.dtype):
            hint = " Convert them to dates first (pd.to_datetime)."
        raise TypeError(
            f"{func}: column {col!r} (`{keyword}`) must hold dates (datetime64); got dtype "
            f"{s.dtype}.{hint}"
        )
    if getattr(s.dtype, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    values = s.to_numpy()
    unit = np.datetime_data(values.dtype)[0]
    raw = values.view(np.int64)
    missing = np.isnat(values)
    if missing.any() and not allow_missing:
        raise ValueError(
            f"{func}: column {col!r} (`{keyword}`) has {int(missing.sum())} missing date(s); "
            f"drop those rows first, e.g. df.dropna(subset=[{col!r}])."
        )
    days = raw // _DAY_NS[unit]
    if missing.any():
        days = np.where(missing, np.iinfo(np.int64).min, days)
    return days


def float_values(df, col, func, keyword):
    """A numeric column as float64, refusing text, booleans and missing values."""
    s = df[col]
    if s.dtype == bool or not pd.api.types.is_numeric_dtype(s.dtype):
        example = s.iloc[0] if len(s) else None
        raise TypeError(
            f"{func}: column {col!r} (`{keyword}`) must hold numbers; got dtype {s.dtype} "
            f"(e.g. {example!r}). Convert it first, e.g. pd.to_numeric(df[{col!r}])."
        )
    values = s.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(values)
    if missing.any():
        raise ValueError(
            f"{func}: column {col!r} (`{keyword}`) has {int(missing.sum())} missing value(s); "
            f"drop or fill them first, e.g. df.dropna(subset=[{col!r}])."
        )
    infinite = np.isinf(values)
    if infinite.any():
        first = int(np.argmax(infinite))
        raise ValueError(
            f"{func}: column {col!r} (`{keyword}`) has {int(infinite.sum())} infinite "
            f"value(s) (inf or -inf), e.g. row {df.index[first]!r}: {values[first]}. A "
            "number in it cannot be infinite (often a division by zero upstream); fix or "
            f"drop those rows first, e.g. df[np.isfinite(df[{col!r}])]."
        )
    return values


def customer_codes(df, col, func, keyword, *, compact=True):
    """Codes of the customers (in ascending id order) and the ids themselves.

    Whole-number ids in a compact range are mapped by subtraction (no hashing, no
    sorting); anything else goes through ``pandas.factorize``. With
    ``compact=False`` the codes of whole-number ids are ``id - min(id)``: there
    may be codes that no row uses (``ids`` then lists every id in the range),
    which saves a pass over the rows when the caller reduces per code anyway.
    """
    s = df[col]
    if s.hasnans:
        raise ValueError(
            f"{func}: column {col!r} (`{keyword}`) has {int(s.isna().sum())} missing id(s); "
            "every row needs a customer."
        )
    if pd.api.types.is_integer_dtype(s.dtype) and len(s):
        ids = s.to_numpy(dtype=np.int64)
        lo, hi = int(ids.min()), int(ids.max())
        if hi - lo <= 4 * len(ids) + 1_000_000:
            dense = ids - lo
            if not compact:
                return dense, np.arange(lo, hi + 1)
            seen = np.bincount(dense, minlength=hi - lo + 1) > 0
            index = np.cumsum(seen) - 1
            return index[dense], np.flatnonzero(seen) + lo
    codes, uniques = pd.factorize(s, sort=True)
    return codes.astype(np.intp), np.asarray(uniques)


def date_of_day(day):
    """The Timestamp (midnight) of a day number (days since 1970-01-01)."""
    return pd.Timestamp(np.datetime64(int(day), "D"))


def day_of_date(date):
    """The inverse of `date_of_day`: days since 1970-01-01 (int) of a Timestamp's date."""
    return int(np.datetime64(date.date(), "D").astype(np.int64))
