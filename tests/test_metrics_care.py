"""Tests of crmkit.metrics.care: occasions, care actions, the strategy scorecard."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit import concepts
from crmkit.metrics.care import (
    CARE_KINDS,
    STRATEGY_KPIS,
    care_actions_summary,
    event_calendar,
    merge_scorecards,
    read_scorecard_csv,
    scorecard_maturity,
    scorecard_to_csv,
    strategy_scorecard,
)
from crmkit.synth import make_world

KEYS = concepts.keys(concepts.STRATEGIES)
dates = pd.to_datetime


@pytest.fixture(scope="module")
def world():
    return make_world(3000, random_state=0)


# ----------------------------------------------------------------------------- occasions
def _people():
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5, 6, 7],
            "first_name": ["Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus"],
            "last_name": ["A", "B", "C", "D", "E", "F", "G"],
            "birth_date": dates(
                [
                    "1990-12-25",
                    "1985-01-10",
                    "1980-12-20",
                    "1992-02-29",
                    "1970-12-19",
                    "1990-12-24",
                    "1990-12-24",
                ]
            ),
            "signup_date": dates(
                [
                    "2023-06-01",
                    "2022-12-22",
                    "2023-12-20",
                    "2020-02-29",
                    "2021-05-05",
                    "2021-05-05",
                    "2024-01-05",
                ]
            ),
            "churn_date": dates([None, None, None, None, None, "2023-11-01", None]),
        }
    )


def _purchases():
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 3],
            "date": dates(["2023-12-15", "2023-03-01", "2023-09-01", "2023-10-01"]),
            "category": ["core", "add_on", "starter", "premium"],
        }
    )


def test_event_calendar_by_hand_with_year_wrap():
    cal = event_calendar(_people(), _purchases(), as_of="2023-12-20", days=30)
    got = list(
        zip(
            cal["customer_id"],
            cal["event"],
            cal["event_date"].dt.strftime("%Y-%m-%d"),
            cal["days_until"],
            cal["years"],
            strict=True,
        )
    )
    assert got == [
        (3, "birthday", "2023-12-20", 0, 43),  # today counts; sign-up today is no anniversary
        (2, "signup_anniversary", "2023-12-22", 2, 1),
        (1, "birthday", "2023-12-25", 5, 33),
        (2, "birthday", "2024-01-10", 21, 39),  # over the new year
    ]  # 4: February; 5: yesterday; 6: churned; 7: not signed up yet
    assert cal.columns.tolist() == [
        "customer_id",
        "name",
        "event",
        "event_date",
        "days_until",
        "years",
        "last_purchase_date",
        "days_since_purchase",
        "last_category",
        "suggested_action",
    ]
    rows = cal.set_index(["customer_id", "event"])
    assert rows.loc[(1, "birthday"), "suggested_action"] == "follow_up"  # bought 5 days ago
    assert rows.loc[(2, "birthday"), "suggested_action"] == "personal_contact"  # 294 days
    three = rows.loc[(3, "birthday")]
    assert three["suggested_action"] == "special_occasions"
    assert three["last_category"] == "premium" and three["days_since_purchase"] == 80
    assert three["name"] == "Cy C"
    assert set(cal["suggested_action"]) <= set(concepts.keys(concepts.IMPROVEMENT_ACTIONS))


@pytest.mark.parametrize(
    "as_of, days, expected",
    [
        ("2023-02-20", 10, ("2023-02-28", 31)),  # common year: 28 February
        ("2024-02-20", 10, ("2024-02-29", 32)),  # leap year: the day itself
        ("2023-02-28", 0, ("2023-02-28", 31)),
        ("2023-03-01", 366, ("2024-02-29", 32)),  # just missed: next year's
    ],
)
def test_event_calendar_feb_29(as_of, days, expected):
    people = _people().iloc[[3]]
    cal = event_calendar(people, _purchases(), as_of=as_of, days=days)
    bday = cal[cal["event"] == "birthday"]
    assert len(bday) == 1
    assert (bday["event_date"].dt.strftime("%Y-%m-%d").item(), bday["years"].item()) == expected


def test_event_calendar_no_purchase_means_personal_contact():
    cal = event_calendar(_people().iloc[[3]], _purchases(), as_of="2024-02-20", days=10)
    assert cal["suggested_action"].tolist() == ["personal_contact"] * len(cal)
    assert cal["days_since_purchase"].isna().all()
    assert (cal["last_category"] == "").all()


def test_event_calendar_on_a_world(world):
    cal = event_calendar(world.customers, world.transactions, days=30)
    assert len(cal) > 0
    assert cal["days_until"].between(0, 30).all()
    live = world.customers.set_index("customer_id").loc[cal["customer_id"]]
    assert live["churn_date"].isna().all()
    assert cal["event_date"].is_monotonic_increasing


def test_event_calendar_errors():
    with pytest.raises(ValueError, match="before the first date"):
        event_calendar(_people(), _purchases(), as_of="1999-01-01")
    with pytest.raises(ValueError, match="between 0 and 366"):
        event_calendar(_people(), _purchases(), as_of="2023-12-20", days=400)
    with pytest.raises(TypeError, match="whole number"):
        event_calendar(_people(), _purchases(), as_of="2023-12-20", days=2.5)
    with pytest.raises(ValueError, match="birth_col="):
        event_calendar(_people().drop(columns="birth_date"), _purchases())


# ----------------------------------------------------------------------------- care actions
def test_care_actions_summary_by_hand():
    i = pd.DataFrame(
        {
            "date": dates(["2024-01-05", "2024-01-09", "2024-01-20", "2024-03-01", "2024-03-02"]),
            "kind": ["follow_up", "complaint", "follow_up", "newsletter", "personal_call"],
            "customer_id": [1, 2, 1, 1, 3],
        }
    )
    out = care_actions_summary(i)
    assert out.columns.tolist() == [
        "period",
        "period_start",
        *CARE_KINDS,
        "total",
        "customers_reached",
    ]
    assert out["period"].astype(str).tolist() == ["2024-01", "2024-02", "2024-03"]
    assert out["follow_up"].tolist() == [2, 0, 0]
    assert out["total"].tolist() == [2, 0, 2]
    assert out["customers_reached"].tolist() == [1, 0, 2]


def test_care_actions_summary_on_a_world(world):
    out = care_actions_summary(world.interactions, freq="Q")
    assert len(out) == 8
    expected = world.interactions["kind"].isin(CARE_KINDS).sum()
    assert out["total"].sum() == expected


# ----------------------------------------------------------------------------- scorecard
def _ratings(**changes):
    r = dict.fromkeys(KEYS, 3)
    r.update(changes)
    return r


def test_scorecard_by_hand():
    card = strategy_scorecard(
        _ratings(cost_analysis=1, process=2, staff_training=2, people=5), participant="team A"
    )
    assert card["strategy"].tolist() == list(KEYS)
    assert card["number"].tolist() == list(range(1, 11))
    row = card.set_index("strategy")
    assert row.loc["cost_analysis", "gap"] == 4 and row.loc["cost_analysis", "priority"] == 1
    # ties keep strategy order: process (2) before staff_training (8)
    assert row.loc["process", "priority"] == 2 and row.loc["staff_training", "priority"] == 3
    assert row.loc["people", "priority"] == 10
    assert sorted(card["priority"]) == list(range(1, 11))
    assert row.loc["performance_focus", "kpis"] == "loyalty_kpis; kpi_alerts"
    assert (card["participant"] == "team A").all()
    m = card.attrs["maturity"]
    assert m["mean"] == pytest.approx(2.8) and m["level"] == "defined"
    assert (m["weakest"], m["strongest"]) == ("cost_analysis", "people")


@pytest.mark.parametrize(
    "value, level",
    [
        (1, "initial"),
        (1.8, "developing"),
        (2.59, "developing"),
        (3.4, "managed"),
        (4.2, "optimising"),
        (5, "optimising"),
    ],
)
def test_maturity_levels(value, level):
    assert scorecard_maturity(dict.fromkeys(KEYS, value))["level"] == level


def test_strategy_kpis_name_functions_of_the_kit():
    import crmkit.metrics.care as care
    import crmkit.metrics.channels as channels
    import crmkit.metrics.kpis as kpis
    import crmkit.metrics.satisfaction as satisfaction
    import crmkit.metrics.termination as termination

    modules = (care, channels, kpis, satisfaction, termination)
    assert set(STRATEGY_KPIS) == set(KEYS)
    for names in STRATEGY_KPIS.values():
        for name in names:
            func = name.split(":")[0]
            assert any(hasattr(m, func) for m in modules), func


@pytest.mark.parametrize(
    "ratings, exc, match",
    [
        ({**_ratings(), "loyalty": 3}, ValueError, "unknown strategy key"),
        ({k: 3 for k in KEYS[:9]}, ValueError, "no rating for \\['social_events'\\]"),
        (_ratings(people=6), ValueError, "between 1 and 5"),
        (_ratings(people=0), ValueError, "between 1 and 5"),
        (_ratings(people=float("nan")), ValueError, "between 1 and 5"),
        (_ratings(people="high"), TypeError, "number from 1 to 5"),
        (_ratings(people=True), TypeError, "number from 1 to 5"),
        ([3] * 10, TypeError, "dict"),
        (pd.DataFrame({"strategy": KEYS, "rating": 3}), TypeError, "merge_scorecards"),
    ],
)
def test_scorecard_rejects_bad_ratings(ratings, exc, match):
    with pytest.raises(exc, match=match):
        strategy_scorecard(ratings)


def test_scorecard_accepts_a_series_and_does_not_mutate():
    r = _ratings(people=4)
    before = dict(r)
    a = strategy_scorecard(r)
    b = strategy_scorecard(pd.Series(r).iloc[::-1])  # order of the keys does not matter
    assert r == before
    pd.testing.assert_frame_equal(a, b)


def test_csv_round_trip_and_merge(tmp_path):
    a = strategy_scorecard(_ratings(people=5), participant="sales")
    b = strategy_scorecard(_ratings(people=1, process=4), participant="billing")
    text = scorecard_to_csv(a, tmp_path / "sales.csv")
    assert (tmp_path / "sales.csv").read_text(encoding="utf-8") == text
    assert text.splitlines()[0] == "number,strategy,name,rating,gap,priority,kpis,participant"
    scorecard_to_csv(strategy_scorecard(_ratings(), participant=""), tmp_path / "anon.csv")
    merged = merge_scorecards([tmp_path / "sales.csv", b, tmp_path / "anon.csv"])
    assert merged.columns.tolist() == [
        "strategy",
        "name",
        "sales",
        "billing",
        "anon",
        "mean",
        "min",
        "max",
        "spread",
    ]
    people = merged.set_index("strategy").loc["people"]
    assert (people["sales"], people["billing"], people["anon"]) == (5, 1, 3)
    assert (people["mean"], people["spread"]) == (3, 4)
    by_dict = merge_scorecards({"x": a, "y": b})
    assert by_dict.columns[2:4].tolist() == ["x", "y"]


@pytest.mark.parametrize(
    "who", ['=HYPERLINK("http://evil.example","click")', "-team", "@sales", "'=quoted", "+1 ops"]
)
def test_csv_defuses_formulas_and_reads_the_name_back(tmp_path, who):
    """Issue 11: a participant named =HYPERLINK(...) arrived in a spreadsheet as a formula."""
    card = strategy_scorecard(_ratings(people=1), participant=who)
    text = scorecard_to_csv(card, tmp_path / "card.csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["participant"] for r in rows} == {"'" + who}
    assert rows[0]["rating"] == "1.0" and rows[0]["gap"] == "4.0"  # numbers stay numbers
    assert read_scorecard_csv(tmp_path / "card.csv")["participant"].tolist() == [who] * 10
    assert read_scorecard_csv(text.encode())["participant"].tolist() == [who] * 10
    merged = merge_scorecards([tmp_path / "card.csv"])
    assert merged.columns[2] == who
    pd.testing.assert_series_equal(
        merged[who], merge_scorecards({who: card})[who], check_names=False
    )
    with pytest.raises(TypeError, match="file name or the file's bytes"):
        read_scorecard_csv(card)


def test_merge_errors(tmp_path):
    a = strategy_scorecard(_ratings(), participant="team")
    with pytest.raises(ValueError, match="two scorecards are labelled 'team'"):
        merge_scorecards([a, a])
    with pytest.raises(TypeError, match="wrap it in a list"):
        merge_scorecards(a)
    with pytest.raises(ValueError, match="is empty"):
        merge_scorecards([])
    with pytest.raises(ValueError, match="no scorecard file"):
        merge_scorecards([tmp_path / "missing.csv"])
    with pytest.raises(ValueError, match="unknown strategy key"):
        merge_scorecards([pd.DataFrame({"strategy": ["nope"], "rating": [3]})])
    with pytest.raises(ValueError, match="does not exist"):
        scorecard_to_csv(a, tmp_path / "no" / "card.csv")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=10, max_size=10))
def test_scorecard_properties(values):
    card = strategy_scorecard(dict(zip(KEYS, values, strict=True)))
    np.testing.assert_array_equal(card["gap"], 5 - card["rating"])
    assert sorted(card["priority"]) == list(range(1, 11))
    top = card.loc[card["priority"] == 1, "gap"].item()
    assert top == card["gap"].max()
    assert 1 <= card.attrs["maturity"]["mean"] <= 5


# --------------------------------------------------------------------------- calendar helpers
def test_calendar_dates_end_on_the_last_day():
    from crmkit.metrics.care import calendar_dates

    t = pd.DataFrame({"date": pd.to_datetime(["2023-11-03", "2024-01-31"])})
    got = [d.strftime("%Y-%m-%d") for d in calendar_dates(t)]
    assert got == ["2023-11-30", "2023-12-31", "2024-01-31"]
    with pytest.raises(ValueError, match="no dates"):
        calendar_dates(t.iloc[:0])


def test_events_per_week_keeps_empty_weeks():
    from crmkit.metrics.care import events_per_week

    cal = pd.DataFrame({"event": ["signup_anniversary"], "days_until": [15]})
    table = events_per_week(cal, "2024-03-01", 30)
    assert len(table) == 5
    assert table["signup_anniversary"].tolist() == [0, 0, 1, 0, 0]
    assert table["week_start"].iloc[1] == pd.Timestamp("2024-03-08")


def _events_per_week_by_crosstab(calendar, as_of, days):
    from crmkit.metrics.care import EVENT_KINDS

    as_of = pd.Timestamp(as_of)
    weeks = int(days) // 7 + 1
    week = (calendar["days_until"].to_numpy() // 7).astype(int)
    table = (
        pd.crosstab(week, calendar["event"].to_numpy())
        .reindex(index=range(weeks), columns=list(EVENT_KINDS), fill_value=0)
        .astype("int64")
    )
    table.insert(0, "week_start", [as_of + pd.Timedelta(days=7 * w) for w in range(weeks)])
    table.columns.name = None
    return table.reset_index(drop=True)


def test_events_per_week_matches_a_crosstab():
    from crmkit.metrics.care import EVENT_KINDS, events_per_week

    rng = np.random.default_rng(3)
    cal = pd.DataFrame(
        {
            "event": rng.choice(["birthday", "signup_anniversary", "other"], 300),
            "days_until": rng.integers(-3, 100, 300),
        }
    )
    for days in (7, 13, 30, 90):
        got = events_per_week(cal, "2024-05-31", days)
        pd.testing.assert_frame_equal(got, _events_per_week_by_crosstab(cal, "2024-05-31", days))
    empty = events_per_week(cal.iloc[:0], "2024-05-31", 20)
    assert empty[list(EVENT_KINDS)].to_numpy().sum() == 0 and len(empty) == 3


def test_calendar_actions_by_hand():
    from crmkit.metrics.care import CALENDAR_ACTIONS, calendar_actions

    cal = pd.DataFrame({"suggested_action": ["personal_contact", "follow_up", "personal_contact"]})
    counts = calendar_actions(cal)
    assert counts.index.tolist() == list(CALENDAR_ACTIONS)
    assert counts.tolist() == [1, 0, 2]
    assert calendar_actions(cal.iloc[:0]).tolist() == [0, 0, 0]


def test_calendar_cache_equals_a_direct_calendar(small_world):
    from crmkit.metrics.care import CalendarCache, calendar_dates

    cache = CalendarCache(small_world.customers, small_world.transactions)
    as_of = calendar_dates(small_world.transactions)[-3]
    direct = event_calendar(small_world.customers, small_world.transactions, as_of=as_of, days=21)
    pd.testing.assert_frame_equal(cache.get(as_of, 21), direct)
