"""Tests of crmkit.metrics.retention: hand-computed fixtures, truth recovery, properties, errors."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.metrics.retention import (
    churn_by_period,
    cohort_retention,
    retention_by_period,
    survival_curve,
)

D = pd.Timestamp


def _tx(rows):
    return pd.DataFrame(
        {
            "customer_id": np.array([r[0] for r in rows], dtype=np.int64),
            "date": pd.to_datetime([r[1] for r in rows]).astype("datetime64[s]"),
            "amount": np.array([r[2] if len(r) > 2 else 10.0 for r in rows], dtype=float),
        }
    )


@pytest.fixture
def three():
    """Three customers over four months (A=1, B=2, C=3).

    Jan: A, A, B   Feb: A, C, C   Mar: B, C   Apr: A
    Active per month: Jan {A,B}=2, Feb {A,C}=2, Mar {B,C}=2, Apr {A}=1.
    New: Jan A,B; Feb C. Retained: Feb {A}, Mar {C}, Apr {} .
    Cohorts: Jan {A,B}: Feb A, Mar B, Apr A -> 1, 1/2, 1/2, 1/2.
             Feb {C}:   Mar C, Apr -      -> 1, 1, 0, (not observed).
    """
    return _tx(
        [
            (1, "2024-01-05"),
            (1, "2024-01-20"),
            (2, "2024-01-15"),
            (1, "2024-02-10"),
            (3, "2024-02-01"),
            (3, "2024-02-28"),
            (2, "2024-03-03"),
            (3, "2024-03-15"),
            (1, "2024-04-01"),
        ]
    )


# --------------------------------------------------------------------------- retention_by_period
def test_retention_by_period_by_hand(three):
    r = retention_by_period(three)
    assert list(r.columns) == [
        "period",
        "active",
        "new",
        "retained",
        "retention_rate",
        "churn_rate",
    ]
    assert list(r["period"]) == [D("2024-01-01"), D("2024-02-01"), D("2024-03-01"), D("2024-04-01")]
    assert r["active"].tolist() == [2, 2, 2, 1]
    assert r["new"].tolist() == [2, 1, 0, 0]
    assert r["retained"].tolist() == [0, 1, 1, 0]
    assert np.isnan(r["retention_rate"].iloc[0])
    assert r["retention_rate"].iloc[1:].tolist() == [0.5, 0.5, 0.0]
    assert r["churn_rate"].iloc[1:].tolist() == [0.5, 0.5, 1.0]


def test_retention_by_period_weekly_labels_mondays():
    # 2024-01-01 is a Monday; the 7th a Sunday (same week); the 8th starts the next week
    tx = _tx([(1, "2024-01-01"), (1, "2024-01-07"), (2, "2024-01-07"), (1, "2024-01-08")])
    r = retention_by_period(tx, freq="W")
    assert list(r["period"]) == [D("2024-01-01"), D("2024-01-08")]
    assert r["active"].tolist() == [2, 1]
    assert r["retention_rate"].iloc[1] == 0.5


def test_retention_by_period_gap_month_has_no_rate():
    tx = _tx([(1, "2024-01-05"), (1, "2024-03-05")])
    r = retention_by_period(tx)
    assert r["active"].tolist() == [1, 0, 1]
    assert r["retention_rate"].iloc[1] == 0.0  # the January buyer did not buy in February
    assert np.isnan(r["retention_rate"].iloc[2])  # nobody bought in February: no one to retain


# --------------------------------------------------------------------------- cohort_retention
def test_cohort_retention_by_hand(three):
    t = cohort_retention(three)
    assert list(t.index) == [D("2024-01-01"), D("2024-02-01")]
    assert t.index.name == "cohort" and t.columns.name == "periods_since_first"
    assert t.loc[D("2024-01-01")].tolist() == [1.0, 0.5, 0.5, 0.5]
    row = t.loc[D("2024-02-01")]
    assert row.iloc[:3].tolist() == [1.0, 1.0, 0.0]
    assert np.isnan(row.iloc[3])  # April + 1 month is after the data


def test_cohort_retention_counts_by_hand(three):
    c = cohort_retention(three, counts=True)
    assert c.iloc[0].tolist() == [2, 1, 1, 1]
    assert c.iloc[1, :3].tolist() == [1, 1, 0]
    assert c.iloc[1, 3] is pd.NA


def test_as_of_cuts_and_extends_the_retention_tables(three):
    # as in rfm_table and churn_by_period: purchases after as_of are left out
    r = retention_by_period(three, as_of="2024-02-29")
    assert r["active"].tolist() == [2, 2]
    assert r["retained"].tolist() == [0, 1]
    t = cohort_retention(three, as_of="2024-02-29")
    assert t.loc[D("2024-01-01")].tolist() == [1.0, 0.5]  # A came back in February
    assert t.loc[D("2024-02-01")].iloc[0] == 1.0 and np.isnan(t.loc[D("2024-02-01")].iloc[1])
    # ...and the tables run to the period of as_of: May and June have no buyer
    r = retention_by_period(three, as_of="2024-06-15")
    assert r["period"].iloc[-1] == D("2024-06-01")
    assert r["active"].tolist() == [2, 2, 2, 1, 0, 0]
    assert r["retention_rate"].iloc[1:5].tolist() == [0.5, 0.5, 0.0, 0.0]  # May: 0 of A
    assert np.isnan(r["retention_rate"].iloc[5])  # nobody bought in May: no one to retain
    t = cohort_retention(three, as_of="2024-06-15")
    assert t.loc[D("2024-01-01")].tolist() == [1.0, 0.5, 0.5, 0.5, 0.0, 0.0]
    feb = t.loc[D("2024-02-01")]
    assert feb.iloc[:5].tolist() == [1.0, 1.0, 0.0, 0.0, 0.0] and np.isnan(feb.iloc[5])
    pd.testing.assert_frame_equal(
        cohort_retention(three, as_of="2024-04-01"), cohort_retention(three)
    )
    with pytest.raises(ValueError, match="cohort_retention: `as_of` .* before the first date"):
        cohort_retention(three, as_of="2023-12-31")


@pytest.fixture
def two_years():
    """Three customers buying every month of 2023 and 2024: 24 monthly periods."""
    months = pd.date_range("2023-01-01", periods=24, freq="MS") + pd.Timedelta(days=9)
    return _tx([(c, str(m.date())) for m in months for c in (1, 2, 3)])


def test_a_stray_purchase_in_2099_warns_and_as_of_leaves_it_out(two_years):
    assert cohort_retention(two_years).shape == (1, 24)
    stray = two_years.copy()
    stray.loc[17, "date"] = D("2099-03-01")  # one mistyped year
    for func, size in ((cohort_retention, lambda t: t.shape[1]), (retention_by_period, len)):
        with pytest.warns(UserWarning) as rec:
            stretched = func(stray)
        assert len(rec) == 1 and rec[0].filename == __file__  # stacklevel=2
        text = str(rec[0].message)
        assert text.startswith(f"{func.__name__}: no row of column 'date' (`date_col`) is dated ")
        assert "between 2024-12-10 and 2099-03-01 (a gap of 74.2 years)" in text
        assert "1 row(s) are dated after the gap (e.g. row 17 on 2099-03-01)" in text
        assert "pass as_of='2024-12-10' to leave them out" in text
        assert size(stretched) == 915  # what the warning is about: 2023-01 to 2099-03
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert size(func(stray, as_of="2024-12-31")) == 24


def test_a_stray_purchase_long_before_the_data_warns(two_years):
    stray = two_years.copy()
    stray.loc[4, "date"] = D("1924-01-10")
    with pytest.warns(
        UserWarning,
        match=r"1 row\(s\) are dated before the gap \(e\.g\. row 4 on "
        r"1924-01-10\).*df\[df\['date'\] >= '2023-01-10'\]",
    ):
        retention_by_period(stray)


def test_gaps_shorter_than_a_year_are_quiet(two_years):
    # no purchase from 2023-02-10 to 2024-02-10: 365 days, 11 empty months
    quiet = two_years[~two_years["date"].between("2023-03-01", "2024-01-31")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert retention_by_period(quiet)["active"].tolist()[:14] == [3, 3] + [0] * 11 + [3]
        cohort_retention(quiet)


def test_retention_metrics_accept_a_tz_aware_as_of(three, four_customers, km_customers):
    # the time zone is dropped and the wall time kept, as for tz-aware date columns
    for aware in (pd.Timestamp("2024-02-29", tz="Asia/Tokyo"), "2024-02-29T00:00-05:00"):
        pd.testing.assert_frame_equal(
            cohort_retention(three, as_of=aware), cohort_retention(three, as_of="2024-02-29")
        )
        pd.testing.assert_frame_equal(
            retention_by_period(three, as_of=aware),
            retention_by_period(three, as_of="2024-02-29"),
        )
        pd.testing.assert_frame_equal(
            churn_by_period(four_customers, as_of=aware),
            churn_by_period(four_customers, as_of="2024-02-29"),
        )
        pd.testing.assert_frame_equal(
            survival_curve(km_customers, as_of=aware),
            survival_curve(km_customers, as_of="2024-02-29"),
        )
    # tz-aware dates in the data lose their zone the same way
    aware_dates = three.assign(date=three["date"].dt.tz_localize("Europe/Warsaw"))
    pd.testing.assert_frame_equal(
        cohort_retention(aware_dates, as_of=pd.Timestamp("2024-02-29", tz="UTC")),
        cohort_retention(three, as_of="2024-02-29"),
    )


def _naive_cohorts(tx):
    """The idiomatic pandas computation, to cross-check the fast one."""
    df = tx.assign(period=tx["date"].dt.to_period("M"))
    df["cohort"] = df.groupby("customer_id")["period"].transform("min")
    df["offset"] = (df["period"] - df["cohort"]).map(lambda x: x.n)
    n = df.groupby(["cohort", "offset"])["customer_id"].nunique().unstack()
    return n.div(n[0], axis=0)


def test_cohort_retention_matches_pandas(small_world):
    fast = cohort_retention(small_world.transactions)
    slow = _naive_cohorts(small_world.transactions)
    assert list(fast.index) == [p.to_timestamp() for p in slow.index]
    observed = fast.notna().to_numpy()
    np.testing.assert_allclose(
        fast.to_numpy()[observed], slow.reindex(columns=fast.columns).fillna(0).to_numpy()[observed]
    )


def test_cohort_retention_weekly(small_world):
    t = cohort_retention(small_world.transactions, freq="W")
    assert (t[0] == 1).all()
    assert (t.index.day_of_week == 0).all()  # cohorts start on Mondays


# --------------------------------------------------------------------------- churn_by_period
@pytest.fixture
def four_customers():
    """1: Jan 10 - Mar 5; 2: Jan 20 - (live); 3: Feb 15 - Feb 25; 4: Feb 1 - Apr 10."""
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4],
            "signup_date": pd.to_datetime(
                ["2024-01-10", "2024-01-20", "2024-02-15", "2024-02-01"]
            ).astype("datetime64[s]"),
            "churn_date": pd.to_datetime(["2024-03-05", None, "2024-02-25", "2024-04-10"]).astype(
                "datetime64[s]"
            ),
        }
    )


def test_churn_by_period_by_hand(four_customers):
    c = churn_by_period(four_customers, as_of="2024-04-30")
    # Jan: nobody on the books; 1 and 2 join.
    # Feb: 1, 2 on the books; 3 and 4 join; 3 leaves in its own month (not counted).
    # Mar: 1, 2, 4 on the books (3 already gone); 1 leaves -> 1/3.
    # Apr: 2, 4 on the books; 4 leaves -> 1/2.
    assert c["customers_at_start"].tolist() == [0, 2, 3, 2]
    assert c["new_customers"].tolist() == [2, 2, 0, 0]
    assert c["defections"].tolist() == [0, 0, 1, 1]
    assert np.isnan(c["churn_rate"].iloc[0])
    np.testing.assert_allclose(c["churn_rate"].iloc[1:], [0.0, 1 / 3, 0.5])


def test_churn_by_period_as_of_ignores_later_defections(four_customers):
    c = churn_by_period(four_customers, as_of="2024-03-31")
    assert len(c) == 3
    assert c["defections"].tolist() == [0, 0, 1]


def test_churn_by_period_everyone_churned(four_customers):
    gone = four_customers.assign(churn_date=four_customers["churn_date"].fillna(D("2024-03-20")))
    c = churn_by_period(gone, as_of="2024-04-30")
    assert c["customers_at_start"].iloc[-1] == 1  # only 4 is left in April
    assert c["churn_rate"].iloc[-1] == 1.0


# --------------------------------------------------------------------------- survival_curve
@pytest.fixture
def km_customers():
    """Four customers; as_of 2024-06-30; a month is 30.4375 days.

    c1: defects after 10 days   -> month index 0, event
    c2: defects after 70 days   -> month index 2 (70 / 30.44 = 2.3), event
    c3: signed up 40 days before as_of  -> censored at index 1
    c4: signed up 100 days before as_of -> censored at index 3
    Kaplan-Meier: month 1: 4 at risk, 1 defection -> 3/4
                  month 2: 3 at risk (c2, c3, c4), 0 defections -> 3/4
                  month 3: 2 at risk (c2, c4), 1 defection -> 3/4 * 1/2 = 3/8
                  month 4: 1 at risk (c4), 0 -> 3/8
    """
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4],
            "signup_date": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-05-21", "2024-03-22"]
            ).astype("datetime64[s]"),
            "churn_date": pd.to_datetime(["2024-01-11", "2024-03-11", None, None]).astype(
                "datetime64[s]"
            ),
            "segment": ["a", "a", "b", "b"],
        }
    )


def test_survival_curve_by_hand(km_customers):
    km = survival_curve(km_customers, as_of="2024-06-30")
    assert list(km.columns) == ["group", "month", "at_risk", "defections", "survival"]
    assert km["group"].unique().tolist() == ["all"]
    assert km["month"].tolist() == [0, 1, 2, 3, 4]
    assert km["at_risk"].tolist() == [4, 4, 3, 2, 1]
    assert km["defections"].tolist() == [0, 1, 0, 1, 0]
    np.testing.assert_allclose(km["survival"], [1, 0.75, 0.75, 0.375, 0.375])


def test_survival_curve_by_group(km_customers):
    km = survival_curve(km_customers, by="segment", as_of="2024-06-30")
    a = km[km["group"] == "a"]
    b = km[km["group"] == "b"]
    # group a: both defect (months 1 and 3); group b: nobody defects
    np.testing.assert_allclose(a["survival"], [1, 0.5, 0.5, 0.0])
    assert (b["survival"] == 1).all()
    assert km.attrs["by"] == "segment"


def test_survival_lower_for_dissatisfied(latent_world):
    """Ground truth: the generator raises the defection hazard as satisfaction falls."""
    sat = latent_world.truth["latent"]["satisfaction"]
    customers = latent_world.customers.assign(
        satisfaction=np.where(
            latent_world.customers["customer_id"].map(sat) < sat.median(), "low", "high"
        )
    )
    km = survival_curve(customers, by="satisfaction")
    at12 = km[km["month"] == 12].set_index("group")["survival"]
    assert at12["low"] < at12["high"] - 0.05


def test_survival_everyone_churned(km_customers):
    gone = km_customers.assign(churn_date=km_customers["signup_date"] + pd.Timedelta(days=5))
    km = survival_curve(gone, as_of="2024-06-30")
    assert km["survival"].iloc[-1] == 0.0
    assert km["survival"].between(0, 1).all()


# --------------------------------------------------------------------------- properties
_rows = st.lists(
    st.tuples(st.integers(1, 6), st.integers(0, 150), st.floats(0, 500)), min_size=1, max_size=40
)


def _from_offsets(rows):
    return pd.DataFrame(
        {
            "customer_id": np.array([r[0] for r in rows], dtype=np.int64),
            "date": (
                pd.Timestamp("2024-01-01") + pd.to_timedelta([r[1] for r in rows], "D")
            ).astype("datetime64[s]"),
            "amount": [r[2] for r in rows],
        }
    )


@settings(max_examples=40, deadline=None)
@given(_rows, st.sampled_from(["M", "W"]), st.randoms(use_true_random=False))
def test_properties_of_retention_and_cohorts(rows, freq, rnd):
    tx = _from_offsets(rows)
    before = copy.deepcopy(tx)
    r = retention_by_period(tx, freq=freq)
    c = cohort_retention(tx, freq=freq)
    pd.testing.assert_frame_equal(tx, before)  # never mutated
    rates = r["retention_rate"].dropna()
    assert rates.between(0, 1).all()
    assert (c[0] == 1).all()
    assert c.stack().dropna().between(0, 1).all()
    assert r["active"].sum() >= tx["customer_id"].nunique()
    order = list(range(len(tx)))
    rnd.shuffle(order)
    shuffled = tx.iloc[order].reset_index(drop=True)
    pd.testing.assert_frame_equal(retention_by_period(shuffled, freq=freq), r)
    pd.testing.assert_frame_equal(cohort_retention(shuffled, freq=freq), c)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.one_of(st.none(), st.integers(0, 400))),
        min_size=1,
        max_size=25,
    ),
    st.randoms(use_true_random=False),
)
def test_properties_of_survival(spells, rnd):
    start = pd.Timestamp("2023-01-01")
    customers = pd.DataFrame(
        {
            "signup_date": (start + pd.to_timedelta([s for s, _ in spells], "D")).astype(
                "datetime64[s]"
            ),
            "churn_date": pd.to_datetime(
                [None if c is None else start + pd.Timedelta(days=s + c) for s, c in spells]
            ).astype("datetime64[s]"),
        }
    )
    before = copy.deepcopy(customers)
    km = survival_curve(customers, as_of="2025-06-30")
    pd.testing.assert_frame_equal(customers, before)
    assert km["survival"].between(0, 1).all()
    assert km["survival"].is_monotonic_decreasing
    shuffled = customers.sample(frac=1, random_state=rnd.randint(0, 99)).reset_index(drop=True)
    pd.testing.assert_frame_equal(survival_curve(shuffled, as_of="2025-06-30"), km)
    ch = churn_by_period(customers, as_of="2025-06-30")
    assert ch["churn_rate"].dropna().between(0, 1).all()


# --------------------------------------------------------------------------- bad input
def test_missing_column_names_the_keyword(three):
    with pytest.raises(ValueError, match=r"column 'when' not found.*customer_id, date.*date_col="):
        retention_by_period(three, date_col="when")
    with pytest.raises(ValueError, match="churn_col="):
        churn_by_period(three.rename(columns={"date": "signup_date"}))


def test_dates_as_text_are_refused(three):
    text = three.assign(date=three["date"].dt.strftime("%Y-%m-%d"))
    with pytest.raises(TypeError, match=r"must hold dates.*pd.to_datetime"):
        cohort_retention(text)


def test_missing_dates_are_refused(three):
    holes = three.assign(date=three["date"].where(three.index != 0))
    with pytest.raises(ValueError, match="1 missing date"):
        retention_by_period(holes)


def test_empty_and_wrong_type():
    with pytest.raises(ValueError, match="empty"):
        cohort_retention(_tx([(1, "2024-01-01")]).iloc[:0])
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        cohort_retention("transactions")
    with pytest.raises(ValueError, match=r"`freq` must be one of 'M', 'W'; got 'month'"):
        cohort_retention(_tx([(1, "2024-01-01")]), freq="month")
    with pytest.raises(TypeError, match="counts"):
        cohort_retention(_tx([(1, "2024-01-01")]), counts="yes")


def test_single_customer():
    tx = _tx([(7, "2024-01-03"), (7, "2024-03-03")])
    assert cohort_retention(tx).iloc[0].tolist() == [1.0, 0.0, 1.0]
    assert retention_by_period(tx)["active"].tolist() == [1, 0, 1]


def test_as_of_before_the_data(four_customers, km_customers):
    with pytest.raises(ValueError, match="before the first date"):
        churn_by_period(four_customers, as_of="2020-01-01")
    with pytest.raises(ValueError, match="before the first date"):
        survival_curve(km_customers, as_of="2020-01-01")
    with pytest.raises(ValueError, match="must be a date"):
        survival_curve(km_customers, as_of="soon")


def test_survival_by_must_be_a_column_name(km_customers):
    with pytest.raises(TypeError, match="column name"):
        survival_curve(km_customers, by=km_customers["segment"])
    with pytest.raises(ValueError, match=r"column 'tier' not found.*by="):
        survival_curve(km_customers, by="tier")


def test_churn_before_signup_is_refused(four_customers):
    bad = four_customers.assign(churn_date=four_customers["signup_date"] - pd.Timedelta(days=1))
    with pytest.raises(ValueError, match="before their 'signup_date'"):
        churn_by_period(bad)
