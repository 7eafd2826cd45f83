"""Building blocks of :func:`crmkit.make_world`'s tables: samplers and column makers.

Every step of the generator (:mod:`crmkit.synth`, :mod:`crmkit.synth_contacts`)
draws categories and builds its columns with these, so that a code means the
same thing in every table and every draw takes the same numbers from the
random stream:

* :func:`draw_by_group`, :func:`draw_codes`: categories as int8 codes, by
  inverse-CDF sampling (one float32 uniform number per element);
* :func:`categorical`, :func:`dates_of_days`, :func:`optional_ids`,
  :func:`as_frame`: codes, day numbers and ids as the columns of
  :data:`crmkit.schema.SCHEMA` (no copies);
* :func:`order_by_day`: rows by day, then customer; :func:`logistic`.

Day numbers are days since 1970-01-01; customers are numbered 0 .. n-1.

Examples
--------
>>> import numpy as np
>>> codes = draw_codes(np.random.default_rng(0), (0.5, 0.5), 4)
>>> codes.dtype.name, sorted(set(codes.tolist())) <= [0, 1]
('int8', True)
>>> categorical([0, 1, -1], ("no", "yes")).tolist()
['no', 'yes', nan]
>>> str(dates_of_days(np.array([0, 19723]))[1])
'2024-01-01T00:00:00'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit.people import stable_argsort

__all__ = [
    "as_frame",
    "categorical",
    "dates_of_days",
    "draw_by_group",
    "draw_codes",
    "logistic",
    "optional_ids",
    "order_by_day",
]


def draw_by_group(rng, probs, groups):
    """Draw one category per element: element i from the distribution ``probs[groups[i]]``.

    Inverse-CDF sampling: an element's category is the number of cumulative
    probabilities of its row that its uniform random number reaches.

    Parameters
    ----------
    rng : numpy.random.Generator
    probs : array-like of shape (n_groups, n_categories)
        One distribution per group (rows are normalised).
    groups : array-like of int
        The group of each element.

    Returns
    -------
    numpy.ndarray of int8
        A category code per element.
    """
    probs = np.asarray(probs, dtype=float)
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    cum[cum > 1 - 1e-9] = 1.0  # exactly 1, which a uniform number in [0, 1) never reaches
    cum = cum.astype(np.float32)
    groups = np.asarray(groups, dtype=np.intp)
    u = rng.random(groups.size, dtype=np.float32)
    out = np.zeros(groups.size, dtype=np.int8)
    for j in range(probs.shape[1] - 1):
        out += u >= cum[:, j].take(groups)
    return out


def draw_codes(rng, p, size):
    """``size`` draws (int8 codes) from the probabilities ``p``, as :func:`draw_by_group` does."""
    cum = np.cumsum(p) / np.sum(p)
    cum[cum > 1 - 1e-9] = 1.0
    u = rng.random(size, dtype=np.float32)
    out = np.zeros(size, dtype=np.int8)
    for step in cum[:-1].astype(np.float32):
        out += u >= step
    return out


def categorical(codes, values):
    """An ordered Categorical of ``values`` from integer codes (-1: missing)."""
    codes = np.asarray(codes)
    if codes.dtype != np.int8:
        codes = codes.astype(np.int8)
    return pd.Categorical.from_codes(codes, categories=list(values), ordered=True)


def dates_of_days(days, valid=None):
    """Day numbers (days since 1970-01-01) as ``datetime64[s]``; NaT where not ``valid``."""
    seconds = np.multiply(days, 86_400, dtype=np.int64)
    if valid is not None:
        seconds[~valid] = np.iinfo(np.int64).min  # NaT
    return seconds.view("datetime64[s]")


def optional_ids(ids):
    """Ids > 0 as a nullable integer array; 0 or -1 mean "none"."""
    ids = np.asarray(ids, dtype=np.int64)
    return pd.arrays.IntegerArray(ids, ids <= 0)


def logistic(x):
    """The logistic function ``1 / (1 + exp(-x))``, elementwise."""
    return 1.0 / (1.0 + np.exp(-x))


def as_frame(columns):
    """A DataFrame that takes the arrays as they are (no copy, no consolidation)."""
    return pd.DataFrame(columns, copy=False)


def order_by_day(day, day0, cust, n):
    """Positions that order rows by day, then customer (rows alike keep their order).

    Parameters
    ----------
    day : numpy.ndarray of int
        Day numbers, none before ``day0``.
    day0 : int
        The first day number.
    cust : numpy.ndarray of int
        Customer numbers, 0 .. n-1.
    n : int
        Number of customers.
    """
    key = day.astype(np.uint64)
    key -= np.uint64(day0)
    key *= np.uint64(n)
    np.add(key, cust, out=key, casting="unsafe")
    return stable_argsort(key, overwrite=True)
