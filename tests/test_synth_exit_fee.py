"""Contracts with an early-exit fee: a negative retention strategy in the data.

Some customers sign up under a one-year contract that charges a fee to leave
early (``customers.exit_fee``, ``customers.contract_end_date``). The module
docstring of :mod:`crmkit.synth` promises what that does; every effect is found
again here, in one large world, and compared with ``world.truth["exit_fee"]``:

* the contract traps: the monthly chance of dissolution while it binds is the
  truth's ``hazard_factor_bound`` times what it would be without the contract;
* those still bound when it ends leave in a burst (``hazard_factor_after_end``
  for ``after_end_months`` months), then as anyone else;
* resentment and reputation: lower survey answers (``answer_shift``), a lower
  NPS (``nps_shift_total``), more complaints and fewer referrals per purchase.

The hazard tests compare observed departures with the departures the model
expects *without* the contract, customer-month by customer-month (stage,
the customer's own hazard multiplier from ``truth["latent"]``, loyalty
membership), so neither the relationship types (who signs contracts) nor the
survivors of the first months bias the estimate. Tolerances are four Poisson
standard errors of the observed count plus the small biases named in place.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from crmkit import synth
from crmkit.synth import make_world
from crmkit.world import DataValidationError, load_world

START = pd.Timestamp(synth.DEFAULT_START)
END = pd.Timestamp(synth.DEFAULT_END)
COMPONENTS = ("product", "peripheral", "atmosphere", "psychological")

#: 60,000 customers (about 11,000 under contract; 0.5 s to build): enough
#: departures in the two burst months for a standard error of about 0.15.
N, SEED = 60_000, 31


@pytest.fixture(scope="module")
def world():
    return make_world(N, random_state=SEED)


def _logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


def _contract(w):
    return (w.customers["exit_fee"] > 0).to_numpy()


# ========================================================================= the columns


def test_columns_follow_the_terms(world):
    c, truth = world.customers, world.truth["exit_fee"]
    signed = _contract(world)
    assert c["exit_fee"].dtype == "float64" and (c["exit_fee"] >= 0).all()
    assert c["contract_end_date"].dtype == "datetime64[s]"
    # a contract has an end date, and only a contract has one
    assert (c["contract_end_date"].notna().to_numpy() == signed).all()
    # the fee of the relationship type; the end one term after sign-up
    fee = c["relationship_type"].astype(str).map(truth["fee_by_relationship_type"])
    np.testing.assert_array_equal(c.loc[signed, "exit_fee"], fee[signed])
    assert (c.loc[~signed, "exit_fee"] == 0).all()
    # the rest of the sign-up month and term_months full months: it ends on a first day
    month = c["signup_date"].dt.to_period("M") + truth["term_months"] + 1
    assert (c.loc[signed, "contract_end_date"] == month[signed].dt.to_timestamp()).all()


def test_share_by_relationship_type(world):
    share = world.truth["exit_fee"]["share_by_relationship_type"]
    measured = pd.Series(_contract(world)).groupby(
        world.customers["relationship_type"].astype(str).to_numpy()
    ).agg(["mean", "size"])
    for rtype, p in share.items():
        got, n = measured.loc[rtype]
        # a binomial share: four standard errors (at least 600 customers per type)
        assert abs(got - p) <= 4 * np.sqrt(p * (1 - p) / n) + 1e-9, (rtype, got, p)
    # not a niche: between a tenth and a third of all customers
    assert 0.1 < _contract(world).mean() < 1 / 3


# ========================================================================= trapped, then a burst


def _customer_months(w):
    """Every customer-month: live at its start? departed in it? expected chance without a contract.

    ``a`` and ``b`` are a customer's stage at the start and the end of the month
    (-1 before sign-up; a customer moves at most once a month). The chance the
    model gives without a contract is the matrix's dissolution probability of
    the stage times the customer's hazard multiplier, times the loyalty factor
    from the month the customer is a member on its first day, at most 0.9.
    """
    h = w.stage_history.sort_values(["customer_id", "start_date"])
    months = pd.period_range(START, END, freq="M")
    ends = months.to_timestamp(how="end").normalize().to_numpy()
    starts = months.to_timestamp(how="start").to_numpy()
    state = np.full((len(w.customers), len(ends)), -1)
    cust = h["customer_id"].to_numpy() - 1
    code = h["stage"].cat.codes.to_numpy()
    begin = h["start_date"].to_numpy()
    for j, month_end in enumerate(ends):
        sel = begin <= month_end  # later spells overwrite earlier ones
        state[cust[sel], j] = code[sel]
    a, b = state[:, :-1], state[:, 1:]
    first_day = starts[1:][None, :]
    lat = w.truth["latent"].loc[w.customers["customer_id"]]
    P = w.truth["transition_matrix"].to_numpy()
    member = w.customers["loyalty_join_date"].to_numpy()[:, None] <= first_day
    h0 = P[np.clip(a, 0, 4), 4] * lat["hazard_multiplier"].to_numpy()[:, None]
    h0 = np.minimum(h0 * np.where(member, w.truth["loyalty_hazard_factor"], 1.0), 0.9)
    live = (a >= 0) & (a < 4) & ~lat["fraud"].to_numpy()[:, None]  # fraud: ended by the supplier
    left = live & (b == 4)
    # a contract binds in a month whose first day falls before its end, until the customer leaves
    left_before = np.cumsum(left, axis=1) - left > 0
    end = w.customers["contract_end_date"].to_numpy()[:, None]
    signed = _contract(w)[:, None]
    bound = signed & (first_day < end) & ~left_before
    freed = signed & (first_day >= end) & ~left_before  # reached the end still bound
    first_free = np.argmax(first_day >= end, axis=1)[:, None]  # month index the contract ended
    since_end = np.arange(first_day.shape[1])[None, :] - first_free
    return live, left, h0, signed, bound, freed, since_end


def _ratio(left, h0, mask):
    """Observed departures / departures expected without a contract, and its standard error."""
    observed, expected = left[mask].sum(), h0[mask].sum()
    return observed / expected, np.sqrt(observed) / expected, observed


def test_a_contract_traps_while_it_binds_then_customers_leave_in_a_burst(world):
    truth = world.truth["exit_fee"]
    live, left, h0, signed, bound, freed, since_end = _customer_months(world)
    burst_months = truth["after_end_months"]
    # The model's expectation is right for everyone else. (Its only known bias: a
    # loyalty join that fell in a dissolution moves to the return day, so the
    # month of a return counts as non-member here: about +1 %.)
    ratio, se, n = _ratio(left, h0, live & ~signed)
    assert n > 10_000 and abs(ratio - 1) <= 4 * se + 0.03, ratio
    # trapped: the chance of leaving is multiplied by hazard_factor_bound
    ratio, se, n = _ratio(left, h0, live & bound)
    assert n > 500 and abs(ratio - truth["hazard_factor_bound"]) <= 4 * se + 0.03, (ratio, se)
    # the burst in the first months after the end
    ratio, se, n = _ratio(left, h0, live & freed & (since_end < burst_months))
    assert n > 100 and abs(ratio - truth["hazard_factor_after_end"]) <= 4 * se + 0.03, (ratio, se)
    # and then as anyone else
    ratio, se, n = _ratio(left, h0, live & freed & (since_end >= burst_months))
    assert n > 50 and abs(ratio - 1) <= 4 * se + 0.03, (ratio, se)


def test_leaving_ends_the_contract(world):
    # a customer who left while bound and was won back is not trapped again:
    # their months after the return are as anyone's
    live, left, h0, signed, bound, freed, since_end = _customer_months(world)
    came_back = signed & ~bound & ~freed & live
    ratio, se, n = _ratio(left, h0, came_back)
    assert n > 20 and abs(ratio - 1) <= 4 * se + 0.05, (ratio, se, n)


def test_the_simple_comparison_by_tenure_shows_the_trap(world):
    # What the lesson does: departures per customer-month in the first year after
    # sign-up, customers under contract against the others (no model needed).
    c = world.customers
    h = world.stage_history
    first_exit = h[h["stage"] == "dissolution"].groupby("customer_id")["start_date"].min()
    exit_day = c["customer_id"].map(first_exit)
    term = world.truth["exit_fee"]["term_months"]
    year = (c["signup_date"].dt.to_period("M") + term + 1).dt.to_timestamp()
    stop = exit_day.fillna(END).clip(upper=year).clip(upper=END)
    months = (stop - c["signup_date"]).dt.days / 30.44
    gone = exit_day.notna() & (exit_day < year)
    signed = _contract(world)
    rate = {s: gone[signed == s].sum() / months[signed == s].sum() for s in (True, False)}
    # the true factor is 0.35; contracts go to relationship types that get more
    # care and join the loyalty programme more, which lowers the ratio a little
    assert rate[True] / rate[False] < 0.5, rate


# ========================================================================= resentment, reputation


def _answers(w):
    s = w.surveys
    lat = w.truth["latent"].loc[s["customer_id"]]
    signed = s["customer_id"].map(w.customers.set_index("customer_id")["exit_fee"]).to_numpy() > 0
    return s, lat, signed


def test_survey_answers_are_lower(world):
    truth = world.truth["exit_fee"]
    s, lat, signed = _answers(world)
    assert signed.sum() > 10_000
    # Each answer minus the customer's own latent score: what is left is the
    # touchpoint effect, noise (sd 0.6), rounding and the shift. The difference
    # between the groups has a standard error under 0.01; the touchpoints rated
    # differ a little between the groups and clipping to 1..7 pulls a shift
    # toward zero: 0.06 covers both.
    for comp in COMPONENTS:
        r = s[comp].to_numpy() - lat[comp].to_numpy()
        diff = r[signed].mean() - r[~signed].mean()
        assert diff == pytest.approx(truth["answer_shift"][comp], abs=0.06), comp
    r = s["overall"].to_numpy() - lat["satisfaction"].to_numpy()
    diff = r[signed].mean() - r[~signed].mean()
    assert diff == pytest.approx(truth["overall_shift"], abs=0.06)
    weights = world.truth["component_weights"]
    assert truth["overall_shift"] == pytest.approx(
        sum(weights[c] * truth["answer_shift"][c] for c in COMPONENTS)
    )


def test_nps_is_lower(world):
    truth = world.truth["exit_fee"]
    s, lat, signed = _answers(world)
    # NPS = (overall - 1) * 10 / 6 + 0.4 + noise (+ nps_shift under contract)
    r = s["nps"].to_numpy() - ((lat["satisfaction"].to_numpy() - 1) * 10 / 6 + 0.4)
    diff = r[signed].mean() - r[~signed].mean()
    # about 8 % of answers are clipped at 10; a shift down frees some of them, so
    # the measured shift is up to ~0.08 smaller; standard error ~0.02
    assert truth["nps_shift_total"] < truth["nps_shift"] < 0
    assert diff == pytest.approx(truth["nps_shift_total"], abs=0.15)
    # and in plain NPS points: fewer promoters, more detractors
    def nps(x):
        return 100 * ((x >= 9).mean() - (x <= 6).mean())

    assert nps(s.loc[signed, "nps"]) < nps(s.loc[~signed, "nps"]) - 10


@pytest.mark.parametrize(
    ("kind", "intercept", "slope", "factor"),
    [("complaint", -3.4, -0.9, "complaint_factor"), ("referral", -4.2, 1.1, "referral_factor")],
)
def test_complaints_up_referrals_down(world, kind, intercept, slope, factor):
    # The model: a purchase leads to a complaint with probability
    # logistic(-3.4 - 0.9 z) (times complaint_factor under contract), to a
    # referral with logistic(-4.2 + 1.1 z) (times referral_factor). Observed over
    # expected-without-contract, for customers who are neither serial
    # complainers nor destructive (they complain regardless).
    w = world
    lat = w.truth["latent"].loc[w.customers["customer_id"]]
    z = ((lat["satisfaction"] - 5.0) / 0.5).to_numpy()
    plain = ~(lat["serial_complainer"] | lat["destructive"]).to_numpy()
    ids = w.customers["customer_id"]
    purchases = w.transactions["customer_id"].value_counts().reindex(ids, fill_value=0).to_numpy()
    counts = w.interactions.loc[w.interactions["kind"] == kind, "customer_id"]
    counts = counts.value_counts().reindex(ids, fill_value=0).to_numpy()
    expected = _logistic(intercept + slope * z) * purchases
    signed = _contract(w)
    ratio = {}
    for s in (True, False):
        m = plain & (signed == s)
        ratio[s] = counts[m].sum() / expected[m].sum()
        assert counts[m].sum() > 1000, (kind, s)
    se = ratio[True] / np.sqrt(counts[plain & signed].sum())  # <= 0.04
    assert ratio[False] == pytest.approx(1, abs=0.05)
    truth = w.truth["exit_fee"][factor]
    assert ratio[True] / ratio[False] == pytest.approx(truth, abs=4 * se + 0.03)


# ========================================================================= determinism, own data


def test_same_seed_same_contracts():
    a, b = make_world(500, random_state=9), make_world(500, random_state=9)
    assert_frame_equal(a.customers[["exit_fee", "contract_end_date"]],
                       b.customers[["exit_fee", "contract_end_date"]])
    assert a.truth["exit_fee"] == b.truth["exit_fee"]


def test_contracts_draw_from_their_own_stream(monkeypatch):
    # With the effects switched off, a world where some customers sign contracts
    # and one where nobody does are the same everywhere but in the two columns:
    # the contracts take no number from any other table's random stream.
    neutral = {"hazard_factor_bound": 1.0, "hazard_factor_after_end": 1.0, "nps_shift": 0.0,
               "complaint_factor": 1.0, "referral_factor": 1.0,
               "answer_shift": dict.fromkeys(COMPONENTS, 0.0)}
    for key, value in neutral.items():
        monkeypatch.setitem(synth.EXIT_FEE_EFFECTS, key, value)
    some = make_world(800, random_state=12)
    monkeypatch.setattr(synth, "CONTRACT_SHARE", (0.0,) * 7)
    none = make_world(800, random_state=12)
    assert (some.customers["exit_fee"] > 0).sum() > 50
    assert (none.customers["exit_fee"] == 0).all()
    assert none.customers["contract_end_date"].isna().all()
    for name, df in some.tables().items():
        other = getattr(none, name)
        if name == "customers":
            df, other = (x.drop(columns=["exit_fee", "contract_end_date"]) for x in (df, other))
        assert_frame_equal(df, other, check_exact=True, obj=name)


def test_own_data_may_leave_the_columns_out_or_give_them(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "transactions.csv").write_text(
        "transaction_id,customer_id,date,amount\n1,1,2024-01-05,10\n", encoding="utf-8"
    )
    (folder / "customers.csv").write_text("customer_id,signup_date\n1,2024-01-05\n", "utf-8")
    w = load_world(folder)
    assert w.customers["exit_fee"].isna().all() and w.customers["exit_fee"].dtype == "float64"
    assert w.customers["contract_end_date"].isna().all()
    (folder / "customers.csv").write_text(
        "customer_id,signup_date,exit_fee,contract_end_date\n"
        "1,2024-01-05,150,2025-01-05\n2,2024-02-01,0,\n", encoding="utf-8"
    )
    w = load_world(folder)
    assert w.customers["exit_fee"].tolist() == [150.0, 0.0]
    assert w.customers["contract_end_date"].iloc[0] == pd.Timestamp("2025-01-05")
    assert pd.isna(w.customers["contract_end_date"].iloc[1])
    (folder / "customers.csv").write_text(
        "customer_id,signup_date,exit_fee\n1,2024-01-05,-5\n", encoding="utf-8"
    )
    with pytest.raises(DataValidationError, match="'exit_fee' has negative values"):
        load_world(folder)
