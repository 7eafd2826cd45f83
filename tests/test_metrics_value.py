"""Tests of crmkit.metrics.value: RFM, loyalty ladder, CLV and retention economics."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit import concepts
from crmkit.metrics.value import (
    REICHHELD_ASSUMPTIONS,
    RETENTION_RANGE,
    clv_table,
    customer_lifetime_value,
    economics_curve,
    economics_summary,
    loyalty_ladder,
    reichheld_example,
    retention_economics,
    rfm_scores,
    rfm_table,
)


def _dates(values):
    return pd.to_datetime(values).astype("datetime64[s]")


@pytest.fixture
def six():
    """Six purchases of three customers; as_of 2024-03-31.

    c1: Mar 30 (10), Mar 1 (30)          -> recency 1,  frequency 2, monetary 40
    c2: Jan 1 (100)                      -> recency 90, frequency 1, monetary 100
    c3: Mar 31 (5), Mar 20 (5), Feb 1 (5) -> recency 0,  frequency 3, monetary 15

    Scores, n = 3: score = 1 + floor(5 * (rank - 1) / 3) -> ranks 1, 2, 3 give 1, 2, 4.
    recency (fewer days better): c2 1, c1 2, c3 4
    frequency:                   c2 1, c1 2, c3 4
    monetary:                    c3 1, c1 2, c2 4
    Segments (first rule that holds):
    c1 (2, 2, 2): not r>=3, not f>=3, r != 1 -> hibernating
    c2 (1, 1, 4): r == 1                     -> lost
    c3 (4, 4, 1): m < 4 so not champions; m < 3 so not loyal; f != 1; r >= 3 -> potential
    """
    return pd.DataFrame(
        {
            "customer_id": [1, 1, 2, 3, 3, 3],
            "date": _dates(
                ["2024-03-30", "2024-03-01", "2024-01-01", "2024-03-31", "2024-03-20", "2024-02-01"]
            ),
            "amount": [10.0, 30.0, 100.0, 5.0, 5.0, 5.0],
        }
    )


# --------------------------------------------------------------------------- RFM
def test_rfm_table_by_hand(six):
    rfm = rfm_table(six, as_of="2024-03-31")
    assert list(rfm.columns) == [
        "customer_id",
        "recency_days",
        "frequency",
        "monetary",
        "r_score",
        "f_score",
        "m_score",
        "rfm_score",
        "segment",
    ]
    assert rfm["customer_id"].tolist() == [1, 2, 3]
    assert rfm["recency_days"].tolist() == [1, 90, 0]
    assert rfm["frequency"].tolist() == [2, 1, 3]
    assert rfm["monetary"].tolist() == [40.0, 100.0, 15.0]
    assert rfm["r_score"].tolist() == [2, 1, 4]
    assert rfm["f_score"].tolist() == [2, 1, 4]
    assert rfm["m_score"].tolist() == [2, 4, 1]
    assert rfm["rfm_score"].tolist() == [222, 114, 441]
    assert rfm["segment"].astype(str).tolist() == ["hibernating", "lost", "potential"]
    assert list(rfm["segment"].cat.categories) == list(concepts.keys(concepts.RFM_SEGMENTS))


def test_rfm_default_as_of_is_last_purchase(six):
    pd.testing.assert_frame_equal(rfm_table(six), rfm_table(six, as_of="2024-03-31"))


def test_rfm_as_of_drops_later_purchases(six):
    rfm = rfm_table(six, as_of="2024-03-25")
    # c1 keeps Mar 1 only (24 days ago, 30); c3 keeps Mar 20 and Feb 1
    assert rfm["recency_days"].tolist() == [24, 84, 5]
    assert rfm["frequency"].tolist() == [1, 1, 2]
    assert rfm["monetary"].tolist() == [30.0, 100.0, 10.0]


def test_rfm_scores_ties_and_quintiles():
    assert rfm_scores(np.arange(10)).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # three tied one-time buyers share rank 1 -> score 1; score 2 and 3 stay empty
    assert rfm_scores([1, 1, 1, 2, 5]).tolist() == [1, 1, 1, 4, 5]
    assert rfm_scores([3, 30, 300], higher_is_better=False).tolist() == [4, 2, 1]
    assert rfm_scores([]).tolist() == []


def test_rfm_segments_champions_and_at_risk():
    # ten customers: customer k bought k times, the last time 10 * (10 - k) days before as_of
    rows = []
    for k in range(1, 11):
        for j in range(k):
            rows.append(
                (k, pd.Timestamp("2024-06-30") - pd.Timedelta(days=10 * (10 - k) + j), 50.0)
            )
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    tx["date"] = tx["date"].astype("datetime64[s]")
    rfm = rfm_table(tx, as_of="2024-06-30").set_index("customer_id")
    assert rfm.loc[10, "segment"] == "champions"  # scores 5, 5, 5
    assert rfm.loc[1, "segment"] == "lost"  # scores 1, 1, 1
    # at-risk: frequent buyers who have not been back for a while
    flipped = tx.assign(date=tx["date"] - pd.to_timedelta(tx["customer_id"] * 25, "D"))
    r2 = rfm_table(flipped, as_of="2024-06-30").set_index("customer_id")
    assert r2.loc[10, "r_score"] == 1 and r2.loc[10, "segment"] == "at_risk"


def test_rfm_matches_pandas_groupby(small_world):
    tx = small_world.transactions
    fast = rfm_table(tx)
    as_of = tx["date"].max()
    g = tx.groupby("customer_id").agg(
        last=("date", "max"), frequency=("date", "size"), monetary=("amount", "sum")
    )
    assert fast["customer_id"].tolist() == g.index.tolist()
    assert fast["frequency"].tolist() == g["frequency"].tolist()
    np.testing.assert_allclose(fast["monetary"], g["monetary"])
    assert fast["recency_days"].tolist() == (as_of - g["last"]).dt.days.tolist()
    n = len(g)
    f = 1 + (5 * (g["frequency"].rank(method="min") - 1) // n)
    assert fast["f_score"].tolist() == f.astype(int).tolist()


_tx_rows = st.lists(
    st.tuples(st.integers(1, 8), st.integers(0, 200), st.floats(0.01, 1000)),
    min_size=1,
    max_size=40,
)


def _frame(rows):
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
@given(_tx_rows, st.randoms(use_true_random=False))
def test_rfm_properties(rows, rnd):
    tx = _frame(rows)
    before = copy.deepcopy(tx)
    rfm = rfm_table(tx)
    pd.testing.assert_frame_equal(tx, before)
    for col in ("r_score", "f_score", "m_score"):
        assert rfm[col].between(1, 5).all()
    assert rfm["segment"].notna().all()
    assert rfm["frequency"].sum() == len(tx)
    assert (rfm["recency_days"] >= 0).all()
    shuffled = tx.sample(frac=1, random_state=rnd.randint(0, 999)).reset_index(drop=True)
    pd.testing.assert_frame_equal(rfm_table(shuffled), rfm)


def test_rfm_bad_input(six):
    with pytest.raises(
        ValueError, match=r"column 'amount' not found.*customer_id, date.*amount_col="
    ):
        rfm_table(six.drop(columns="amount"))
    with pytest.raises(TypeError, match=r"'amount'.*must hold numbers.*pd.to_numeric"):
        rfm_table(six.assign(amount=six["amount"].astype(str)))
    with pytest.raises(ValueError, match="1 missing value"):
        rfm_table(six.assign(amount=[np.nan, 1, 2, 3, 4, 5]))
    with pytest.raises(ValueError, match="empty"):
        rfm_table(six.iloc[:0])
    with pytest.raises(ValueError, match="before the first date"):
        rfm_table(six, as_of="2023-12-31")
    with pytest.raises(TypeError, match="must hold dates"):
        rfm_table(six.assign(date=six["date"].astype(str)))


def test_rfm_single_customer(six):
    rfm = rfm_table(six[six["customer_id"] == 2])
    assert rfm[["r_score", "f_score", "m_score"]].iloc[0].tolist() == [1, 1, 1]
    assert rfm["segment"].iloc[0] == "lost"


def test_rfm_string_ids(six):
    rfm = rfm_table(six.assign(customer_id=six["customer_id"].map({1: "b", 2: "a", 3: "c"})))
    assert rfm["customer_id"].tolist() == ["a", "b", "c"]
    assert rfm["frequency"].tolist() == [1, 2, 3]


@pytest.fixture
def refunds():
    """Purchases and refunds (negative amounts) of four customers; as_of 2024-03-31.

    c1: Mar 1 (+50), Mar 20 (-20, a refund)  -> recency 30, frequency 1, monetary 30
    c2: Feb 1 (+40), Mar 10 (+40)            -> recency 21, frequency 2, monetary 80
    c3: Mar 31 (+10)                         -> recency 0,  frequency 1, monetary 10
    c4: Mar 15 (-15, a refund only)          -> no purchase, no row
    (Were refunds purchases, c1 would have recency 11, frequency 2, monetary 70 or 30.)

    Scores, n = 3: score = 1 + floor(5 * (rank - 1) / 3) -> ranks 1, 2, 3 give 1, 2, 4.
    recency (fewer days better): c1 30 -> 1, c2 21 -> 2, c3 0 -> 4
    frequency: c1 and c3 tie at rank 1 -> 1, c2 -> 4
    monetary: c3 10 -> 1, c1 30 -> 2, c2 80 -> 4
    Segments: c1 (1, 1, 2): r == 1 -> lost
              c2 (2, 4, 4): r <= 2 and f >= 3 -> at_risk
              c3 (4, 1, 1): r >= 4 and f == 1 -> new
    """
    return pd.DataFrame(
        {
            "customer_id": [1, 1, 2, 2, 3, 4],
            "date": _dates(
                ["2024-03-01", "2024-03-20", "2024-02-01", "2024-03-10", "2024-03-31", "2024-03-15"]
            ),
            "amount": [50.0, -20.0, 40.0, 40.0, 10.0, -15.0],
        }
    )


def test_rfm_refunds_are_netted_but_are_not_purchases(refunds):
    rfm = rfm_table(refunds, as_of="2024-03-31")
    assert rfm["customer_id"].tolist() == [1, 2, 3]
    assert rfm["recency_days"].tolist() == [30, 21, 0]
    assert rfm["frequency"].tolist() == [1, 2, 1]
    assert rfm["monetary"].tolist() == [30.0, 80.0, 10.0]
    assert rfm["r_score"].tolist() == [1, 2, 4]
    assert rfm["f_score"].tolist() == [1, 4, 1]
    assert rfm["m_score"].tolist() == [2, 4, 1]
    assert rfm["segment"].astype(str).tolist() == ["lost", "at_risk", "new"]
    pd.testing.assert_frame_equal(rfm_table(refunds), rfm)  # default as_of: the last row
    # on Mar 19 c1's refund has not happened yet: they have paid 50
    early = rfm_table(refunds, as_of="2024-03-19")
    assert early["customer_id"].tolist() == [1, 2]
    assert early["monetary"].tolist() == [50.0, 80.0]
    # a refund larger than the purchases in the table gives a negative monetary value
    more = pd.concat([refunds, refunds.iloc[[1]].assign(amount=-100.0)], ignore_index=True)
    assert rfm_table(more)["monetary"].tolist() == [-70.0, 80.0, 10.0]


def test_rfm_refunds_only_is_an_error(refunds):
    with pytest.raises(ValueError, match=r"rfm_table: no purchase up to 2024-03-20.*refund"):
        rfm_table(refunds[refunds["amount"] < 0])


@pytest.mark.parametrize("bad", [np.inf, -np.inf])
def test_rfm_and_clv_refuse_infinite_amounts(six, bad):
    amounts = six["amount"].to_numpy().copy()
    amounts[[2, 4]] = bad
    with pytest.raises(
        ValueError,
        match=r"rfm_table: column 'amount' \(`amount_col`\) has 2 infinite value\(s\).*"
        r"e\.g\. row 2: -?inf\..*np\.isfinite\(df\['amount'\]\)",
    ):
        rfm_table(six.assign(amount=amounts))
    customers = pd.DataFrame(
        {"customer_id": [1, 2, 3], "signup_date": _dates(["2024-01-01"] * 3)}
    ).assign(churn_date=pd.NaT, tier="a")
    tx = six.rename(columns={"amount": "margin"}).assign(margin=amounts)
    with pytest.raises(ValueError, match=r"clv_table: column 'margin' .*2 infinite.*row 2"):
        clv_table(tx, customers, by="tier")


def test_rfm_warns_about_a_stray_date_years_away(six):
    stray = pd.concat(
        [six, pd.DataFrame({"customer_id": [2], "date": _dates(["2099-03-31"]), "amount": [1.0]})],
        ignore_index=True,
    )
    with pytest.warns(UserWarning, match=r"rfm_table: .*2024-03-31 and 2099-03-31") as rec:
        rfm = rfm_table(stray)
    assert rec[0].filename == __file__  # stacklevel: the warning points at the caller
    assert "1 row(s) are dated after the gap (e.g. row 6 on 2099-03-31)" in str(rec[0].message)
    assert "as_of='2024-03-31'" in str(rec[0].message)
    assert rfm["recency_days"].min() == 0  # measured from 2099, as the warning says
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pd.testing.assert_frame_equal(rfm_table(stray, as_of="2024-03-31"), rfm_table(six))


def test_value_metrics_accept_a_tz_aware_as_of(six, ladder_world):
    # a time zone is dropped, keeping the wall time (as for tz-aware date columns)
    for aware in (pd.Timestamp("2024-03-25", tz="America/New_York"), "2024-03-25T00:00+09:00"):
        pd.testing.assert_frame_equal(
            rfm_table(six, as_of=aware), rfm_table(six, as_of="2024-03-25")
        )
    customers, tx, surveys, interactions = ladder_world
    aware = pd.Timestamp("2024-01-15", tz="Europe/Warsaw")
    pd.testing.assert_frame_equal(
        loyalty_ladder(customers, tx, surveys=surveys, as_of=aware),
        loyalty_ladder(customers, tx, surveys=surveys, as_of="2024-01-15"),
    )
    c, t = _clv_tables()
    pd.testing.assert_frame_equal(
        clv_table(t, c, by="tier", as_of=pd.Timestamp("2024-04-01", tz="UTC")),
        clv_table(t, c, by="tier", as_of="2024-04-01"),
    )


# --------------------------------------------------------------------------- loyalty ladder
@pytest.fixture
def ladder_world():
    customers = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5, 6, 7, 8],
            "lifecycle_stage": [
                "exploration",
                "awareness",
                "awareness",
                "expansion",
                "awareness",
                "expansion",
                "commitment",
                "expansion",
            ],
        }
    )
    purchases = {2: 1, 3: 2, 4: 2, 5: 3, 6: 2, 7: 2, 8: 2}
    tx = pd.DataFrame(
        [
            (c, pd.Timestamp("2024-01-01") + pd.Timedelta(days=10 * j))
            for c, k in purchases.items()
            for j in range(k)
        ],
        columns=["customer_id", "date"],
    )
    tx["date"] = tx["date"].astype("datetime64[s]")
    surveys = pd.DataFrame(
        {
            "customer_id": [2, 4, 4, 5, 6, 7, 8, 8],
            "date": _dates(
                [
                    "2024-02-01",
                    "2024-01-01",
                    "2024-03-01",
                    "2024-02-01",
                    "2024-02-01",
                    "2024-02-01",
                    "2024-01-01",
                    "2024-03-01",
                ]
            ),
            "overall": [7, 3, 6, 7, 6, 7, 7, 5],
            "nps": [10, 2, 5, 9, 2, 10, 10, 10],
        }
    )
    interactions = pd.DataFrame(
        {
            "customer_id": [6, 6, 3],
            "date": _dates(["2024-02-10", "2024-02-11", "2024-02-12"]),
            "kind": ["referral", "suggestion", "suggestion"],
        }
    )
    return customers, tx, surveys, interactions


def test_loyalty_ladder_by_hand(ladder_world):
    customers, tx, surveys, interactions = ladder_world
    lad = loyalty_ladder(customers, tx, surveys=surveys, interactions=interactions)
    assert list(lad.columns) == [
        "customer_id",
        "rung",
        "purchases",
        "satisfied",
        "recommends",
        "suggests",
    ]
    # 1 no purchase; 2 one purchase (satisfied does not help); 3 repeat, no survey;
    # 4 repeat + latest overall 6 (an earlier 3 does not count); 5 + promoter (nps 9);
    # 6 + referral + suggestion; 7 + promoter + commitment stage; 8 latest overall 5 -> client
    assert lad["rung"].astype(str).tolist() == [
        "prospect",
        "customer",
        "client",
        "supporter",
        "advocate",
        "partner",
        "partner",
        "client",
    ]
    assert lad["purchases"].tolist() == [0, 1, 2, 2, 3, 2, 2, 2]
    assert list(lad["rung"].cat.categories) == list(concepts.keys(concepts.LOYALTY_LADDER))
    assert lad["rung"].cat.ordered


def test_loyalty_ladder_without_surveys_stops_at_client(ladder_world):
    customers, tx, _, interactions = ladder_world
    lad = loyalty_ladder(customers, tx, interactions=interactions)
    assert lad["rung"].max() == "client"


def test_loyalty_ladder_as_of(ladder_world):
    customers, tx, surveys, interactions = ladder_world
    lad = loyalty_ladder(
        customers, tx, surveys=surveys, interactions=interactions, as_of="2024-01-05"
    )
    # by Jan 5 everyone who bought has one purchase; surveys of Jan 1 exist but no repeat yet
    assert lad["rung"].astype(str).tolist()[:3] == ["prospect", "customer", "customer"]
    assert lad["purchases"].max() == 1


def test_loyalty_ladder_bad_input(ladder_world):
    customers, tx, surveys, interactions = ladder_world
    with pytest.raises(ValueError, match=r"'overall' not found.*rename"):
        loyalty_ladder(customers, tx, surveys=surveys.drop(columns="overall"))
    with pytest.raises(ValueError, match="stage_col="):
        loyalty_ladder(customers.drop(columns="lifecycle_stage"), tx)
    assert len(loyalty_ladder(customers.drop(columns="lifecycle_stage"), tx, stage_col=None)) == 8
    with pytest.raises(ValueError, match="unique id"):
        loyalty_ladder(pd.concat([customers, customers]), tx)
    with pytest.raises(TypeError, match="must hold numbers"):
        loyalty_ladder(customers, tx, surveys=surveys.assign(overall="high"))


def test_loyalty_ladder_on_a_world_is_pure(small_world):
    w = small_world
    before = copy.deepcopy(w.surveys)
    lad = loyalty_ladder(
        w.customers, w.transactions, surveys=w.surveys, interactions=w.interactions
    )
    pd.testing.assert_frame_equal(w.surveys, before)
    assert len(lad) == len(w.customers)
    assert lad["rung"].notna().all()
    # every rung implies the evidence of the rungs below it
    high = lad["rung"] >= "supporter"
    assert lad.loc[high, "satisfied"].all() and (lad.loc[high, "purchases"] >= 2).all()


# --------------------------------------------------------------------------- CLV
def test_clv_closed_form_by_hand():
    # margin 100 at the start of each period, r = 0.8, d = 0.1:
    # CLV = 100 * (1 + 0.1) / (1 + 0.1 - 0.8) = 110 / 0.3 = 366.67
    assert customer_lifetime_value(100, 0.8, 0.1) == pytest.approx(366.6667, abs=1e-3)
    # finite horizon: 100 + 100 * 0.8 / 1.1 = 172.73
    assert customer_lifetime_value(100, 0.8, 0.1, horizon=2) == pytest.approx(172.7273, abs=1e-3)
    assert customer_lifetime_value(100, 0.8, 0.1, horizon=1) == 100
    assert customer_lifetime_value(100, 0.0, 0.1) == 100  # leaves after the first period
    assert customer_lifetime_value(100, 1.0, 0.0, horizon=3) == 300
    # the finite sum approaches the closed form
    assert customer_lifetime_value(100, 0.8, 0.1, horizon=500) == pytest.approx(
        customer_lifetime_value(100, 0.8, 0.1)
    )
    out = customer_lifetime_value([100, 200], 0.5, 0.0)
    np.testing.assert_allclose(out, [200, 400])


def test_clv_errors():
    with pytest.raises(ValueError, match="infinite"):
        customer_lifetime_value(100, 1.0, 0.0)
    with pytest.raises(ValueError, match="retention"):
        customer_lifetime_value(100, 1.2, 0.1)
    with pytest.raises(TypeError, match="number"):
        customer_lifetime_value("100", 0.8, 0.1)
    with pytest.raises(ValueError, match="horizon"):
        customer_lifetime_value(100, 0.8, 0.1, horizon=0)


def _clv_tables():
    customers = pd.DataFrame(
        {
            "customer_id": [1, 2],
            "signup_date": _dates(["2024-01-01", "2024-01-01"]),
            "churn_date": _dates(["2024-03-01", None]),
            "tier": ["a", "a"],
        }
    )
    tx = pd.DataFrame(
        {
            "customer_id": [1, 2, 2],
            "date": _dates(["2024-01-05", "2024-01-05", "2024-02-05"]),
            "margin": [50.0, 60.0, 40.0],
        }
    )
    return customers, tx


def test_clv_table_by_hand():
    customers, tx = _clv_tables()
    t = clv_table(tx, customers, by="tier", as_of="2024-04-01")
    # exposure: 60 days (Jan 1 - Mar 1) + 91 days (Jan 1 - Apr 1) = 151 days = 151 / 30.4375 months
    months = 151 / 30.4375
    row = t.iloc[0]
    assert row["group"] == "a" and row["customers"] == 2 and row["defections"] == 1
    assert row["customer_months"] == pytest.approx(months)
    assert row["margin_per_month"] == pytest.approx(150 / months)
    assert row["monthly_retention"] == pytest.approx(1 - 1 / months)
    assert row["expected_lifetime_months"] == pytest.approx(months)
    monthly_d = 1.1 ** (1 / 12) - 1
    expected = (150 / months) * (1 + monthly_d) / (1 + monthly_d - (1 - 1 / months))
    assert row["clv"] == pytest.approx(expected)


def test_clv_table_refuses_a_table_without_purchases():
    customers, tx = _clv_tables()
    # without this check every group would be worth 0
    with pytest.raises(
        ValueError, match=r"clv_table: `transactions` is empty.*world\.transactions"
    ):
        clv_table(tx.iloc[:0], customers, by="tier")
    text_ids = tx.assign(customer_id=tx["customer_id"].astype(str))
    with pytest.raises(
        ValueError,
        match=r"no 'customer_id' of `transactions` is in `customers` \(ids such as "
        r"\['1', '2', '2'\], dtype \w+, against \[1, 2\], dtype int64\)",
    ):
        clv_table(text_ids, customers, by="tier")
    with pytest.raises(ValueError, match=r"purchases .* are after as_of \(2024-01-02\)"):
        clv_table(tx, customers, by="tier", as_of="2024-01-02")


def test_clv_table_warns_about_a_stray_date_years_away():
    customers, tx = _clv_tables()
    stray = pd.concat(
        [tx, pd.DataFrame({"customer_id": [2], "date": _dates(["2099-02-05"]), "margin": [1.0]})],
        ignore_index=True,
    )
    with pytest.warns(UserWarning, match=r"clv_table: .*1 row\(s\) are dated after the gap"):
        clv_table(stray, customers, by="tier")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pd.testing.assert_frame_equal(
            clv_table(stray, customers, by="tier", as_of="2024-04-01"),
            clv_table(tx, customers, by="tier", as_of="2024-04-01"),
        )


def test_clv_table_on_world(small_world):
    t = clv_table(small_world.transactions, small_world.customers)
    assert t["customers"].sum() == len(small_world.customers)
    assert t["monthly_retention"].between(0, 1).all()
    assert (t["clv"] > 0).all()
    pooled = clv_table(small_world.transactions, small_world.customers, by=None)
    assert pooled["group"].tolist() == ["all"]


# --------------------------------------------------------------------------- retention economics
def test_retention_economics_by_hand():
    e = retention_economics(
        0.8, margin=400, acquisition_cost=900, servicing_cost=70, discount_rate=0.1
    ).iloc[0]
    assert e["retention_after"] == pytest.approx(0.85)
    assert e["expected_lifetime"] == pytest.approx(5.0)  # 1 / (1 - 0.8)
    assert e["expected_lifetime_after"] == pytest.approx(1 / 0.15)
    assert e["cost_per_customer_year"] == pytest.approx(900 / 5 + 70)  # 250
    assert e["cost_per_customer_year_after"] == pytest.approx(900 * 0.15 + 70)  # 205
    assert e["cost_change"] == pytest.approx(205 / 250 - 1)  # -0.18
    # lifetime profit: 330 * 1.1 / 0.3 - 900 = 310; after: 330 * 1.1 / 0.25 - 900 = 552
    assert e["lifetime_profit"] == pytest.approx(310)
    assert e["lifetime_profit_after"] == pytest.approx(552)
    assert e["profit_change"] == pytest.approx(242 / 310)


def test_retention_economics_relative_rise_and_horizon():
    rel = retention_economics(
        0.8, margin=400, acquisition_cost=900, servicing_cost=70, rise="relative"
    ).iloc[0]
    assert rel["retention_after"] == pytest.approx(0.84)
    assert rel["cost_change"] == pytest.approx((900 * 0.16 + 70) / 250 - 1)  # -14.4%
    h = retention_economics(
        0.5, margin=100, acquisition_cost=60, horizon=2, discount_rate=0.0, retention_rise=0.5
    ).iloc[0]
    assert h["expected_lifetime"] == pytest.approx(1.5)  # 1 + 0.5
    assert h["expected_lifetime_after"] == pytest.approx(2.0)  # retention 1, two periods
    assert h["lifetime_profit"] == pytest.approx(100 * 1.5 - 60)


def test_retention_economics_vectorised_and_monotone():
    r = np.linspace(0.3, 0.9, 13)
    e = retention_economics(r, margin=400, acquisition_cost=900, servicing_cost=70)
    assert len(e) == 13
    assert e["cost_per_customer_year"].is_monotonic_decreasing
    assert e["lifetime_profit"].is_monotonic_increasing
    assert (e["cost_change"] < 0).all()
    one = retention_economics(0.6, margin=400, acquisition_cost=900, servicing_cost=70)
    pd.testing.assert_series_equal(one.iloc[0], e.iloc[6], check_names=False)


def test_retention_economics_errors():
    with pytest.raises(ValueError, match="infinite"):
        retention_economics(0.97, margin=1, acquisition_cost=1)
    with pytest.raises(ValueError, match="'points', 'relative'"):
        retention_economics(0.8, margin=1, acquisition_cost=1, rise="percent")
    with pytest.raises(TypeError, match="margin"):
        retention_economics(0.8, margin="lots", acquisition_cost=1)
    with pytest.raises(ValueError, match="acquisition_cost"):
        retention_economics(0.8, margin=1, acquisition_cost=-5)


def test_reichheld_example_reproduces_the_source():
    ex = reichheld_example()
    assert ex["cost_change"] == pytest.approx(-concepts.REICHHELD.cost_per_policy_drop, abs=0.005)
    assert ex["reported_cost_drop"] == concepts.REICHHELD.cost_per_policy_drop
    assert ex["retention_after"] - ex["retention"] == pytest.approx(
        concepts.REICHHELD.retention_rise
    )
    for key in ("margin", "acquisition_cost", "servicing_cost", "discount_rate"):
        assert ex[key] == REICHHELD_ASSUMPTIONS[key]
    assert ex["lifetime_profit_after"] > ex["lifetime_profit"] > 0


def test_rfm_rules_name_every_segment_once():
    from crmkit.metrics.value import RFM_RULES

    names = [name for name, _ in RFM_RULES]
    assert sorted(names) == sorted(concepts.keys(concepts.RFM_SEGMENTS))
    assert len(set(names)) == len(names)


# --------------------------------------------------------------------------- the simulator's tables
def test_economics_curve_reproduces_reichheld():
    curve = economics_curve(0.8, margin=400, acquisition_cost=900, discount_rate=0.1)
    row = curve.loc[np.isclose(curve["retention"], 0.8)].iloc[0]
    assert row["cost_per_customer_year"] == pytest.approx(250)
    assert row["cost_per_customer_year_after"] == pytest.approx(205)
    table = economics_summary(row)
    assert table.loc["cost per customer-year", "change"] == pytest.approx(-0.18)
    assert table.loc["expected lifetime (years)", "after"] == pytest.approx(20 / 3)


def test_economics_curve_grid():
    curve = economics_curve(0.8123, margin=400, acquisition_cost=900, discount_rate=0.1)
    assert np.isclose(curve["retention"], 0.8123).sum() == 1
    assert curve["retention"].is_monotonic_increasing
    lo, hi = RETENTION_RANGE
    assert curve["retention"].iloc[0] == lo and curve["retention"].iloc[-1] == hi
    assert len(curve) == 89 + 1  # 50% to 94% by half points, and 81.23%


@pytest.mark.parametrize("bad", [0.3, 0.97])
def test_economics_curve_refuses_retention_out_of_range(bad):
    with pytest.raises(ValueError, match="between"):
        economics_curve(bad, margin=400, acquisition_cost=900, discount_rate=0.1)


def test_economics_curve_refuses_a_non_number():
    with pytest.raises(TypeError, match="economics_curve"):
        economics_curve("80%", margin=400, acquisition_cost=900, discount_rate=0.1)


def test_economics_summary_by_hand():
    # 80% -> 85%: lifetime 1 / 0.2 = 5 -> 1 / 0.15 = 6.67 years (+33%); retention +6.25%;
    # cost 900 / 5 + 70 = 250 -> 900 / 6.67 + 70 = 205 (-18%); profit 310 -> 552 (+78%)
    table = economics_summary(reichheld_example())
    assert table.index.name == "per customer"
    assert table.columns.tolist() == ["before", "after", "change"]
    assert table["before"].tolist() == pytest.approx([0.8, 5.0, 310.0, 250.0])
    assert table["after"].tolist() == pytest.approx([0.85, 20 / 3, 552.0, 205.0])
    assert table["change"].tolist() == pytest.approx(
        [0.0625, 1 / 3, 242 / 310, -0.18]
    )  # every row has a change: none is NaN (lesson 06's table)


def test_economics_summary_change_is_nan_only_when_undefined():
    row = retention_economics(0.5, margin=100, acquisition_cost=0).iloc[0]
    row["lifetime_profit"] = 0.0
    row["profit_change"] = np.nan  # as retention_economics gives for a profit of 0
    table = economics_summary(row)
    assert np.isnan(table.loc["lifetime profit", "change"])
    assert table.drop(index="lifetime profit")["change"].notna().all()


def test_economics_summary_refuses_a_table():
    e = retention_economics(0.8, margin=400, acquisition_cost=900)
    with pytest.raises(TypeError, match="economics_summary"):
        economics_summary(e)
    with pytest.raises(ValueError, match="expected_lifetime"):
        economics_summary(e.iloc[0].drop("expected_lifetime"))

