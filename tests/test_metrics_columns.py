"""crmkit.metrics._columns: a table's columns as checked numpy arrays (days, floats, codes)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from crmkit.metrics._columns import (
    customer_codes,
    date_of_day,
    day_numbers,
    day_of_date,
    float_values,
)


def raises(error, *words):
    """pytest.raises(error) whose message holds each of ``words``, in that order."""
    return pytest.raises(error, match=".*".join(map(re.escape, words)))


# --------------------------------------------------------------------------- day_numbers
@pytest.mark.parametrize("unit", ["s", "ms", "ns"])
def test_day_numbers_count_days_since_1970_in_any_unit(unit):
    dates = pd.to_datetime(
        ["1970-01-01 00:00", "1970-01-11 23:59", "2000-01-01 00:00", "1969-12-31 12:00"]
    )
    df = pd.DataFrame({"date": dates.as_unit(unit)})
    # 2000-01-01: 30 years of 365 days and 7 leap days (1972 ... 1996); before 1970: -1
    assert day_numbers(df, "date", "f", "date_col").tolist() == [0, 10, 10_957, -1]


def test_day_numbers_keep_the_wall_time_of_a_time_zone():
    # 01:00 on 2 January at +02:00 is 23:00 on 1 January in UTC: the wall time's day counts
    df = pd.DataFrame({"date": pd.to_datetime(["1970-01-02 01:00+02:00"])})
    assert day_numbers(df, "date", "f", "date_col").tolist() == [1]


def test_day_numbers_refuse_text_numbers_and_missing_dates_unless_allowed():
    text = pd.DataFrame({"date": ["2024-01-01"]})
    with raises(TypeError, "churn: column 'date' (`date_col`) must hold dates", "pd.to_datetime"):
        day_numbers(text, "date", "churn", "date_col")
    with raises(TypeError, "churn: column 'date' (`date_col`)", "got dtype int64",
                "Convert them to dates first"):
        day_numbers(pd.DataFrame({"date": [1, 2]}), "date", "churn", "date_col")
    gap = pd.DataFrame({"date": pd.to_datetime(["1970-01-03", None])})
    with raises(ValueError, "churn: column 'date' (`date_col`) has 1 missing date(s)"):
        day_numbers(gap, "date", "churn", "date_col")
    got = day_numbers(gap, "date", "churn", "date_col", allow_missing=True)
    assert got.tolist() == [2, np.iinfo(np.int64).min]


# --------------------------------------------------------------------------- float_values
def test_float_values_give_float64():
    got = float_values(pd.DataFrame({"amount": [1, 2]}), "amount", "f", "amount_col")
    assert got.dtype == np.float64 and got.tolist() == [1.0, 2.0]
    nullable = pd.DataFrame({"amount": pd.array([3, 4], dtype="Int64")})
    assert float_values(nullable, "amount", "f", "amount_col").tolist() == [3.0, 4.0]


def test_float_values_refuse_text_booleans_missing_and_infinite_values():
    def check(values, index=None):
        df = pd.DataFrame({"amount": values}, index=index)
        return float_values(df, "amount", "spend", "amount_col")

    with raises(TypeError, "spend: column 'amount' (`amount_col`) must hold numbers",
                "(e.g. '12')", "pd.to_numeric"):
        check(["12", "3"])
    with raises(TypeError, "spend: column 'amount' (`amount_col`) must hold numbers",
                "got dtype bool"):
        check([True, False])
    with raises(ValueError, "spend: column 'amount' (`amount_col`) has 2 missing value(s)"):
        check([1.0, np.nan, None])
    with raises(ValueError, "has 2 infinite value(s)", "e.g. row 'b': inf"):
        check([1.0, np.inf, -np.inf], index=["a", "b", "c"])


# --------------------------------------------------------------------------- customer_codes
def test_customer_codes_number_the_customers_in_id_order():
    df = pd.DataFrame({"id": [7, 3, 7, 5]})
    codes, ids = customer_codes(df, "id", "f", "customer_col")
    assert codes.tolist() == [2, 0, 2, 1] and ids.tolist() == [3, 5, 7]
    codes, ids = customer_codes(df, "id", "f", "customer_col", compact=False)
    assert codes.tolist() == [4, 0, 4, 2] and ids.tolist() == [3, 4, 5, 6, 7]


def test_customer_codes_of_text_and_far_apart_ids():
    codes, ids = customer_codes(pd.DataFrame({"id": ["b", "a", "b"]}), "id", "f", "k")
    assert codes.tolist() == [1, 0, 1] and ids.tolist() == ["a", "b"]
    far = pd.DataFrame({"id": [10**12, 0, 10**12]})  # too sparse to count by subtraction
    codes, ids = customer_codes(far, "id", "f", "k", compact=False)
    assert codes.tolist() == [1, 0, 1] and ids.tolist() == [0, 10**12]
    codes, ids = customer_codes(pd.DataFrame({"id": pd.Series([], dtype="int64")}), "id", "f", "k")
    assert codes.tolist() == [] and ids.tolist() == []


def test_customer_codes_refuse_missing_ids():
    df = pd.DataFrame({"id": [1.0, np.nan, np.nan]})
    with raises(ValueError, "clv: column 'id' (`customer_col`) has 2 missing id(s)"):
        customer_codes(df, "id", "clv", "customer_col")


# --------------------------------------------------------------------------- day <-> date
def test_date_of_day_and_day_of_date_turn_one_into_the_other():
    assert date_of_day(10_957) == pd.Timestamp("2000-01-01")
    assert date_of_day(np.int64(-1)) == pd.Timestamp("1969-12-31")
    assert day_of_date(pd.Timestamp("2000-01-01 18:30")) == 10_957
    assert day_of_date(pd.Timestamp("1969-12-31 23:59")) == -1
    assert [day_of_date(date_of_day(d)) for d in (-400, 0, 19_000)] == [-400, 0, 19_000]
