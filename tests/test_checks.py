"""crmkit._checks: the argument checks that name the function, the argument and the value."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from crmkit import concepts
from crmkit._checks import (
    check_as_of,
    check_choice,
    check_fraction,
    check_frame,
    check_metric_table,
    check_random_state,
    check_room_comparison,
    check_scores,
    check_transition_matrix,
)

STAGES = concepts.keys(concepts.LIFECYCLE_STAGES)
STRATEGIES = concepts.keys(concepts.STRATEGIES)


def raises(error, *words):
    """pytest.raises(error) whose message holds each of ``words``, in that order."""
    return pytest.raises(error, match=".*".join(map(re.escape, words)))


# --------------------------------------------------------------------------- check_frame
def test_check_frame_returns_the_frame_that_holds_the_columns():
    df = pd.DataFrame({"amount": [1.0], "date": ["2024-01-01"]})
    assert check_frame(df, "spend", "transactions", {"amount": "amount_col"}) is df
    empty = df.iloc[:0]
    assert check_frame(empty, "spend", "transactions", {}, allow_empty=True) is empty


def test_check_frame_says_what_to_pass():
    df = pd.DataFrame({"amount": [1.0], "day": [2]})
    with raises(TypeError, "spend: `transactions` must be a pandas DataFrame", "'transactions'",
                "world.transactions"):
        check_frame("transactions", "spend", "transactions", {})
    with raises(TypeError, "spend: `transactions` must be a pandas DataFrame, got list"):
        check_frame([1, 2], "spend", "transactions", {})
    with raises(TypeError, "spend: `amount_col` must be a column name (str), got int"):
        check_frame(df, "spend", "transactions", {3: "amount_col"})
    with raises(ValueError, "spend: column 'price' not found in `transactions`",
                "columns: amount, day", "Pass amount_col="):
        check_frame(df, "spend", "transactions", {"price": "amount_col"})
    with raises(ValueError, "spend: `transactions` is empty"):
        check_frame(df.iloc[:0], "spend", "transactions", {"amount": "amount_col"})


# --------------------------------------------------------------------------- check_choice
def test_check_choice_returns_a_choice_and_lists_them_otherwise():
    assert check_choice("month", "freq", ("week", "month"), "cohorts") == "month"
    with raises(ValueError, "cohorts: `freq` must be one of 'week', 'month'; got 'day'."):
        check_choice("day", "freq", ("week", "month"), "cohorts")


# --------------------------------------------------------------------------- check_as_of
def test_check_as_of_parses_a_date_or_takes_the_default():
    assert check_as_of("2024-06-01", "churn") == pd.Timestamp(2024, 6, 1)
    assert check_as_of(None, "churn", default="2024-12-31") == pd.Timestamp(2024, 12, 31)
    assert check_as_of("2024-06-01", "churn", earliest="2024-06-01") == pd.Timestamp(2024, 6, 1)


def test_check_as_of_refuses_no_date_a_non_date_and_a_date_before_the_data():
    with raises(ValueError, "churn: `as_of` is needed"):
        check_as_of(None, "churn")
    with raises(ValueError, "churn: `as_of` must be a date such as '2024-12-31'; got 'soon'"):
        check_as_of("soon", "churn")
    with raises(ValueError, "churn: `as_of` must be a date such as '2024-12-31'; got NaT"):
        check_as_of(pd.NaT, "churn")
    with raises(ValueError, "churn: `as_of` (2023-12-31) is before the first date in the data "
                "(2024-01-01)"):
        check_as_of("2023-12-31", "churn", earliest="2024-01-01")


def test_check_as_of_with_a_time_zone():
    # naive data: the zone is dropped, the wall time kept
    assert check_as_of("2024-06-01T00:00+02:00", "churn") == pd.Timestamp("2024-06-01 00:00")
    # data in UTC: converted to it; a naive date is read in it
    utc = pd.Timestamp("2024-01-01", tz="UTC")
    assert check_as_of("2024-06-01T00:00+02:00", "churn", earliest=utc) == pd.Timestamp(
        "2024-05-31 22:00", tz="UTC"
    )
    assert check_as_of("2024-06-01", "churn", default=utc) == pd.Timestamp("2024-06-01", tz="UTC")
    # a day 00:30 at +02:00 is still the day before in UTC: before the data
    with raises(ValueError, "(2023-12-31) is before the first date in the data (2024-01-01)"):
        check_as_of("2024-01-01T00:30+02:00", "churn", earliest=utc)


# --------------------------------------------------------------------------- check_fraction
def test_check_fraction_gives_a_float_within_the_bounds():
    one = check_fraction(1, "share", "grow")
    assert one == 1.0 and isinstance(one, float)
    assert check_fraction(5, "rate", "grow", low=0, high=10) == 5.0


def test_check_fraction_refuses_what_is_not_a_number_in_range():
    with raises(TypeError, "grow: `share` must be a number, got bool"):
        check_fraction(True, "share", "grow")
    with raises(TypeError, "grow: `share` must be a number, got str"):
        check_fraction("0.5", "share", "grow")
    with raises(ValueError, "grow: `share` must be in [0.0, 1.0]; got 1.5"):
        check_fraction(1.5, "share", "grow")
    with raises(ValueError, "grow: `share` must be in (0.0, 1.0); got 0"):
        check_fraction(0, "share", "grow", inclusive=False)


# ---------------------------------------------------------------------- check_random_state
def test_an_int_seed_draws_what_default_rng_of_it_draws():
    expected = np.random.default_rng(42).random(5)
    assert np.array_equal(check_random_state(42, func="f").random(5), expected)
    assert np.array_equal(check_random_state(np.int64(42), func="f").random(5), expected)
    assert np.array_equal(check_random_state(0, func="f").random(5),
                          np.random.default_rng(0).random(5))


def test_a_generator_passes_through_and_none_gives_a_fresh_one():
    rng = np.random.default_rng(7)
    assert check_random_state(rng, func="f") is rng
    a, b = check_random_state(None, func="f"), check_random_state(None, func="f")
    assert isinstance(a, np.random.Generator) and a is not b


@pytest.mark.parametrize(
    "value, error, shown",
    [
        (True, TypeError, "got True (bool)"),
        (1.0, TypeError, "got 1.0 (float)"),
        ("42", TypeError, "got '42' (str)"),
        (np.random.RandomState(0), TypeError, "(RandomState)"),
        (-1, ValueError, "must be >= 0; got -1"),
    ],
)
def test_check_random_state_refuses_bool_float_text_and_negative_seeds(value, error, shown):
    with raises(error, "make_world: `random_state`", shown):
        check_random_state(value, func="make_world")


# ---------------------------------------------------------------------- check_metric_table
def test_check_metric_table_names_the_call_that_makes_the_table():
    df = pd.DataFrame({"cohort": ["2024-01"], "rate": [0.5]})
    assert check_metric_table(df, "plot_x", "cohort_retention(...)", ("rate",)) is df
    with raises(TypeError, "plot_x: `data` must be the DataFrame returned by "
                "cohort_retention(...); got dict"):
        check_metric_table({}, "plot_x", "cohort_retention(...)")
    with raises(ValueError, "plot_x: `data` has no column 'age' (columns: cohort, rate); "
                "pass the result of cohort_retention(...)"):
        check_metric_table(df, "plot_x", "cohort_retention(...)", ("rate", "age"))
    with raises(ValueError, "plot_x: `data` is empty"):
        check_metric_table(df.iloc[:0], "plot_x", "cohort_retention(...)")


# --------------------------------------------------------------------------- check_scores
def test_check_scores_reads_lists_series_and_a_column():
    assert check_scores([0, 10, 9], "nps", "nps", "nps_col", low=0, high=10).tolist() == [0, 10, 9]
    got = check_scores(pd.Series([1, 5], dtype="Int64"), "f", "c", "k", low=1, high=5)
    assert got.dtype == float and got.tolist() == [1.0, 5.0]
    surveys = pd.DataFrame({"nps": [7, 8], "other": [99, 99]})
    assert check_scores(surveys, "nps", "nps", "nps_col", low=0, high=10).tolist() == [7, 8]
    assert check_scores(np.array(["3", 4], dtype=object), "f", "c", "k",
                        low=1, high=5).tolist() == [3, 4]


def test_check_scores_refuses_what_is_not_a_full_list_of_scores_on_the_scale():
    def check(scores):
        return check_scores(scores, "nps", "nps", "nps_col", low=0, high=10)

    with raises(TypeError, "nps: `scores` must be numbers", "got the string '9'"):
        check("9")
    with raises(TypeError, "nps: `scores` must be several numbers", "a single int (9)"):
        check(9)
    with raises(TypeError, "nps: `scores` must be numbers; got values of dtype bool"):
        check([True, False])
    with raises(TypeError, "nps: `scores` must be numbers; got values"):
        check(["high", "low"])  # pandas 3: of dtype str; pandas 2: such as 'high'
    with raises(TypeError, "nps: `scores` must be numbers; got values such as 'high'"):
        check(pd.Series(["high", 1], dtype=object))
    with raises(ValueError, "nps: `scores` is empty"):
        check([])
    with raises(ValueError, "nps: `scores` has 2 missing value(s)"):
        check([1, None, np.nan])
    with raises(ValueError, "nps: scores must be on the 0-10 scale; got 11 (2 value(s) outside"):
        check([5, 11, -1])
    with raises(ValueError, "nps: column 'nps' not found in `scores`", "Pass nps_col="):
        check(pd.DataFrame({"score": [1]}))


# ------------------------------------------------------------------- check_room_comparison
def test_check_room_comparison_orders_the_strategies_and_finds_the_participants():
    backwards = list(reversed(STRATEGIES))
    table = pd.DataFrame({"strategy": backwards, "name": backwards, "Ann": 3.0, "Bo": 4.0,
                          "mean": 3.5, "min": 3.0, "max": 4.0, "spread": 1.0})
    indexed, people = check_room_comparison(table, "plot_room")
    assert people == ["Ann", "Bo"]
    assert tuple(indexed.index) == STRATEGIES


def test_check_room_comparison_refuses_other_tables():
    with raises(TypeError, "plot_room: `comparison` must be the table from room_comparison",
                "got DataFrame"):
        check_room_comparison(pd.DataFrame({"strategy": ["people"], "Ann": [3]}), "plot_room")
    with raises(TypeError, "plot_room: `comparison`", "got list"):
        check_room_comparison([], "plot_room")
    with raises(ValueError, "plot_room: the table has no participant column"):
        check_room_comparison(pd.DataFrame({"strategy": ["people"], "mean": [3.0]}), "plot_room")


# ----------------------------------------------------------------- check_transition_matrix
def test_check_transition_matrix_reorders_a_table_by_stage():
    stay = np.eye(5)
    table = pd.DataFrame(stay, index=STAGES, columns=STAGES)
    shuffled = table.loc[list(reversed(STAGES)), list(STAGES[1:] + STAGES[:1])]
    assert np.array_equal(check_transition_matrix(shuffled, "simulate"), stay)
    moves = np.full((5, 5), 0.2)
    assert np.array_equal(check_transition_matrix(moves.tolist(), "simulate"), moves)


def test_check_transition_matrix_refuses_what_is_not_probabilities_by_stage():
    with raises(ValueError, "simulate: `P` must have the lifecycle stages as index and columns"):
        check_transition_matrix(pd.DataFrame(np.eye(5)), "simulate", "P")
    with raises(TypeError, "simulate: `P` must be a 5 x 5 table of probabilities", "'eye'"):
        check_transition_matrix("eye", "simulate", "P")
    with raises(TypeError, "simulate: `P` must be a 5 x 5 table of numbers"):
        check_transition_matrix([["a"] * 5] * 5, "simulate", "P")
    with raises(ValueError, "simulate: `P` must be 5 x 5", "got shape (4, 4)"):
        check_transition_matrix(np.eye(4), "simulate", "P")
    half = np.eye(5) / 2
    with raises(ValueError, "every row of `P` must hold probabilities",
                "row sums are 0.500, 0.500, 0.500, 0.500, 0.500"):
        check_transition_matrix(half, "simulate", "P")
    negative = np.eye(5)
    negative[0, :2] = [1.5, -0.5]
    with raises(ValueError, "every row of `P` must hold probabilities (>= 0)"):
        check_transition_matrix(negative, "simulate", "P")


def test_check_transition_matrix_lets_a_stage_nobody_was_in_pass_only_when_allowed():
    unseen = np.eye(5)
    unseen[4] = np.nan
    got = check_transition_matrix(unseen, "simulate", allow_missing=True)
    assert np.isnan(got[4]).all() and np.array_equal(got[:4], np.eye(5)[:4])
    with raises(ValueError, "simulate: `matrix` has missing values"):
        check_transition_matrix(unseen, "simulate")
    partly = np.eye(5)
    partly[4, 0] = np.nan
    with raises(ValueError, "simulate: `matrix` has missing values"):
        check_transition_matrix(partly, "simulate", allow_missing=True)
