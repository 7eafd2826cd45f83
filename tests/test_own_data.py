"""A team's own data: transactions exports as they come, and worlds with only transactions.

Checked against numbers computed by hand (a tiny export) and against the
generator's own transactions (an export written from a synthetic world, then
the same export renamed, ';'-separated with decimal commas and day-first
dates, as quantity x unit price).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from crmkit import load_dataset, load_world, make_world
from crmkit.cli import main
from crmkit.metrics import cohort_retention, rfm_table
from crmkit.own_data import import_transactions, parse_mapping
from crmkit.world import ANALYSES, DataValidationError

# A tiny export as a shop system writes it: ';'-separated, decimal commas,
# day-first dates with times, order lines (two lines of order 1001), a
# cancellation (negative quantity), a line without a customer, text ids.
TINY = """\
Invoice;Item;Qty;InvoiceDate;Price;Client;Country
1001;mug;1;05/01/2024 09:10;4,00;B-9;FI
1001;tea;2;05/01/2024 09:10;3,00;B-9;FI
1002;pot;1;10/02/2024 11:00;20,00;B-9;FI
1003;mug;1;20/01/2024 12:00;5,00;A-2;FI
1004;tea;7;01/02/2024 08:00;1,00;C-7;FI
1005;pot;2;03/03/2024 17:30;4,00;C-7;FI
C1006;pot;-1;20/03/2024 10:00;3,00;C-7;FI
1007;mug;1;21/03/2024 10:00;9,99;;FI
"""
TINY_MAP = "customer_id=Client,date=InvoiceDate,quantity=Qty,unit_price=Price,order_id=Invoice"


@pytest.fixture
def tiny(tmp_path):
    src = tmp_path / "export.csv"
    src.write_text(TINY, encoding="utf-8")
    return src


def test_a_tiny_export_gives_the_numbers_worked_out_by_hand(tiny, tmp_path):
    out = import_transactions(tiny, tmp_path / "ours", columns=parse_mapping(TINY_MAP))
    world = load_world(out)
    ids = pd.read_csv(out / "customer_ids.csv")
    assert ids["export_id"].tolist() == ["A-2", "B-9", "C-7"]  # numbered 1, 2, 3
    # By hand: B-9 bought 4 + 2 x 3 = 10 on 5 Jan (one order, two lines) and 20 on
    # 10 Feb; A-2 bought 5 on 20 Jan; C-7 bought 7 on 1 Feb, 8 on 3 Mar and got 3
    # back on 20 Mar. The line without a customer is left out.
    t = world.transactions
    assert t["amount"].tolist() == [10.0, 5.0, 7.0, 20.0, 8.0, -3.0]
    assert world.meta["rows_without_customer"] == 1 and world.meta["order_lines"] == 7
    assert world.meta["start"] == "2024-01-05" and world.meta["end"] == "2024-03-20"
    rfm = rfm_table(t).set_index("customer_id")
    # as_of is the last date, 20 March 2024 (a leap year): A-2 last bought 20 Jan,
    # 60 days before; B-9 on 10 Feb, 39 days; C-7 on 3 Mar, 17 days (a refund is
    # not a purchase).
    assert rfm["recency_days"].to_dict() == {1: 60, 2: 39, 3: 17}
    assert rfm["frequency"].to_dict() == {1: 1, 2: 2, 3: 2}
    assert rfm["monetary"].to_dict() == {1: 5.0, 2: 30.0, 3: 12.0}
    # Cohorts by first purchase: January = {A-2, B-9}; February = {C-7}. In
    # February one of January's two bought again (B-9), in March none; C-7
    # bought again in March.
    cohorts = cohort_retention(t, counts=True)
    assert cohorts.loc[pd.Timestamp("2024-01-01")].tolist()[:3] == [2, 1, 0]
    assert cohorts.loc[pd.Timestamp("2024-02-01")].tolist()[:2] == [1, 1]
    assert world.customers["signup_date"].dt.strftime("%m-%d").tolist() == [
        "01-20", "01-05", "02-01"
    ]  # fmt: skip


def _export(world) -> pd.DataFrame:
    t = world.transactions[["transaction_id", "customer_id", "date", "amount"]].copy()
    return t


def test_an_export_from_the_generator_agrees_with_an_independent_pandas_computation(tmp_path):
    world = make_world(400, random_state=5)
    exp = _export(world)
    exp.to_csv(tmp_path / "plain.csv", index=False)
    ours = load_world(import_transactions(tmp_path / "plain.csv", tmp_path / "w"))
    ids = pd.read_csv(tmp_path / "w" / "customer_ids.csv")
    back = dict(zip(ids["customer_id"], ids["export_id"].astype(int), strict=True))
    got = rfm_table(ours.transactions).assign(customer_id=lambda d: d.customer_id.map(back))
    # independent: pandas group-bys on the generator's own table
    as_of = exp["date"].max()
    g = exp.groupby("customer_id")
    want = pd.DataFrame({
        "recency_days": (as_of - g["date"].max()).dt.days,
        "frequency": g.size(),
        "monetary": g["amount"].sum().round(2),
    })  # fmt: skip
    got = got.set_index("customer_id").sort_index()
    pd.testing.assert_series_equal(got["recency_days"], want["recency_days"], check_dtype=False,
                                   check_names=False)  # fmt: skip
    pd.testing.assert_series_equal(got["frequency"], want["frequency"], check_dtype=False,
                                   check_names=False)  # fmt: skip
    np.testing.assert_allclose(got["monetary"], want["monetary"], atol=0.011)
    assert len(ours.customers) == exp["customer_id"].nunique()


def test_the_same_export_renamed_semicolons_decimal_commas_dayfirst_and_qty_x_price(tmp_path):
    world = make_world(300, random_state=8)
    exp = _export(world)
    exp.drop(columns="transaction_id").to_csv(tmp_path / "plain.csv", index=False)
    messy = pd.DataFrame({
        "Kunde": exp["customer_id"].map(lambda i: f"K{i:05d}"),
        "Datum": exp["date"].dt.strftime("%d.%m.%Y"),
        "Menge": 2,
        "Einzelpreis": (exp["amount"] / 2).map(lambda v: f"{v:.3f}".replace(".", ",")),
        "Währung": "EUR",
    })  # fmt: skip
    messy.to_csv(tmp_path / "messy.csv", sep=";", index=False)
    plain = import_transactions(tmp_path / "plain.csv", tmp_path / "a")
    mapping = "customer_id=Kunde,date=Datum,quantity=Menge,unit_price=Einzelpreis,currency=Währung"
    assert main(["import", str(tmp_path / "messy.csv"), "--out", str(tmp_path / "b"),
                 "--map", mapping, "--dayfirst"]) == 0  # fmt: skip
    a, b = load_world(plain).transactions, load_world(tmp_path / "b").transactions
    pd.testing.assert_frame_equal(a, b)  # same ids (K00001... sorts as 1...), dates, amounts
    assert json.loads((tmp_path / "b" / "meta.json").read_text())["currency"] == "EUR"


def test_a_folder_with_only_transactions_is_a_world_that_knows_what_it_lacks(tmp_path):
    world = make_world(200, random_state=2)
    world.transactions[["customer_id", "date", "amount"]].to_csv(
        tmp_path / "transactions.csv", index=False
    )
    ours = load_world(tmp_path)
    n = len(ours.transactions)
    assert ours.transactions["transaction_id"].tolist() == list(range(1, n + 1))
    first = world.transactions.groupby("customer_id")["date"].min()
    got = ours.customers.set_index("customer_id")["signup_date"]
    pd.testing.assert_series_equal(got, first.astype(got.dtype), check_names=False)
    assert not ours.synthetic and world.synthetic
    for name in ("rfm", "cohorts", "survival", "value"):
        assert ours.can(name), name
    for name in ("satisfaction", "touchpoints", "campaigns", "staff", "lifecycle", "types"):
        said = ours.missing(name)
        assert said.startswith(ANALYSES[name].title + ": this needs") and "not have" in said, said
        assert world.can(name), name
    with pytest.raises(ValueError, match="`analysis` 'nps' is not one of"):
        ours.missing("nps")


def test_every_problem_of_an_export_is_listed_and_nothing_is_written(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text(
        "who,when,paid,cur\n1,2024-01-02,5,EUR\n2,2024-01-03,x7,USD\n", encoding="utf-8"
    )
    with pytest.raises(DataValidationError) as e:
        import_transactions(src, tmp_path / "out",
                            columns={"customer_id": "who", "date": "when", "amount": "paid",
                                     "currency": "cur"})  # fmt: skip
    text = str(e.value)
    assert "import_transactions: 2 problem(s)" in text
    assert "'paid' (amount) is not a number at line(s) 3, e.g. 'x7'" in text
    assert "several currencies ['EUR', 'USD']" in text
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "dates, flag, first",
    [("03/04/2024\n05/06/2024", None, None),
     ("03/04/2024\n05/06/2024", True, "2024-04-03"),
     ("03/04/2024\n05/06/2024", False, "2024-03-04"),
     ("03/04/2024\n25/06/2024", None, "2024-04-03"),
     ("04/13/2024\n03/04/2024", None, "2024-04-13")],
)  # fmt: skip
def test_day_first_or_month_first_is_found_or_asked_for(tmp_path, dates, flag, first):
    src = tmp_path / "d.csv"
    rows = [f"{i},{d},1" for i, d in enumerate(dates.splitlines(), 1)]
    src.write_text("customer_id,date,amount\n" + "\n".join(rows) + "\n", encoding="utf-8")
    if first is None:
        with pytest.raises(DataValidationError, match="--dayfirst or --monthfirst"):
            import_transactions(src, tmp_path / "o", dayfirst=flag)
        return
    world = load_world(import_transactions(src, tmp_path / "o", dayfirst=flag))
    assert first in set(world.transactions["date"].dt.strftime("%Y-%m-%d"))


def test_bad_options_name_the_parameter_and_the_fix(tiny, tmp_path):
    with pytest.raises(ValueError, match="'client' is not a column the kit reads"):
        parse_mapping("client=Client")
    with pytest.raises(ValueError, match="is not kit=export"):
        parse_mapping("customer_id=Client,date")
    with pytest.raises(DataValidationError, match="column 'Kunde' \\(mapped to customer_id\\)"):
        import_transactions(tiny, tmp_path / "o", columns={"customer_id": "Kunde", "date": "x"})
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="force=True"):
        import_transactions(tiny, tmp_path / "full", columns=parse_mapping(TINY_MAP))
    assert (tmp_path / "full" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["notes.txt"]
    with pytest.raises(FileNotFoundError, match="`source`"):
        import_transactions(tmp_path / "nope.csv", tmp_path / "o2")


def test_a_mapping_file_reads_like_the_pairs(tmp_path):
    f = tmp_path / "map.txt"
    f.write_text("# our shop's export\ncustomer_id = Client\ndate=InvoiceDate  # with times\n",
                 encoding="utf-8")  # fmt: skip
    assert parse_mapping(str(f)) == {"customer_id": "Client", "date": "InvoiceDate"}


def test_unreadable_dates_are_named_by_their_line_and_short_years_read(tmp_path):
    src = tmp_path / "d.csv"
    src.write_text("customer_id,date,amount\n1,13/01/24 10:00,1\n2,30/02/2024,1\n3,13/01/24,2\n",
                   encoding="utf-8")  # fmt: skip
    with pytest.raises(DataValidationError, match=r"line\(s\) 3, e\.g\. '30/02/2024'"):
        import_transactions(src, tmp_path / "o")
    src.write_text("customer_id,date,amount\n1,13/01/24 10:00,1\n3,14/02/24,2\n", encoding="utf-8")
    world = load_world(import_transactions(src, tmp_path / "o"))
    assert world.transactions["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-13", "2024-02-14"
    ]  # fmt: skip


def test_what_a_transactions_export_cannot_say_is_unknown_not_zero(tiny, tmp_path):
    from crmkit.metrics import event_calendar, loyalty_kpis, termination_candidates

    world = load_world(import_transactions(tiny, tmp_path / "w", columns=parse_mapping(TINY_MAP)))
    cand = termination_candidates(world.customers, world.transactions, world.interactions)
    # no payment dates: nobody is a late payer (it used to be "every invoice unpaid")
    assert not cand["late_payer"].any() and cand["late_share"].isna().all()
    # no cost of goods: margin unknown (it used to equal the revenue)
    assert cand[["cost_of_goods", "margin", "profit"]].isna().all().all()
    assert not cand["unprofitable"].any()
    assert cand["revenue"].tolist() == [5.0, 30.0, 12.0]  # what it does know
    k = loyalty_kpis(world.customers, world.transactions, world.interactions,
                     surveys=world.surveys)  # fmt: skip
    for col in ("complaints", "positive_feedback", "care_staff_feedback", "defections",
                "focus_group_reports"):  # fmt: skip
        assert k[col].isna().all(), col
    assert k[["late_payment_share", "cash_collection_rate"]].isna().all().all()
    assert k["active_customers"].tolist() == [2, 3, 3]  # signed up by each month's end
    cal = event_calendar(world.customers, world.transactions, as_of="2024-03-20")
    assert "nan" not in " ".join(cal.astype(str).to_numpy().ravel())


@pytest.mark.slow
def test_every_lesson_runs_on_a_transactions_only_export(tmp_path):
    """The lessons on a team's export: no error cell, and the notes say what is missing."""
    from crmkit.build import ROOT, execute_notebooks

    world = load_dataset()
    t = world.transactions[["customer_id", "date", "amount"]].copy()
    t["customer_id"] = "C-" + t["customer_id"].astype(str)
    t.to_csv(tmp_path / "export.csv", index=False)
    data = import_transactions(tmp_path / "export.csv", tmp_path / "ours", name="Test shop")
    report = execute_notebooks(ROOT / "notebooks", tmp_path / "executed", progress=False,
                               parameters={"DATA_DIR": str(data)}, errors="report")  # fmt: skip
    assert [n for n, r in report.items() if "error" in r] == [], report
    notes = 0
    for path in sorted((tmp_path / "executed").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
        assert not [o for o in outputs if o.get("output_type") == "error"], path.name
        text = json.dumps(outputs)
        notes += text.count("Not in this data")
        assert "Test shop" in text or path.name.startswith("12"), path.name  # the world shown
    assert notes >= 13  # the sections the export cannot feed say so


OPTIONAL = ["interactions", "surveys", "campaigns", "staff", "stage_history"]


@pytest.mark.parametrize("table", OPTIONAL)
def test_a_folder_missing_one_optional_table_loads_and_knows_what_it_lacks(tmp_path, table):
    world = make_world(150, random_state=4)
    folder = world.save(tmp_path / "w")
    (folder / f"{table}.csv").unlink()
    ours = load_world(folder)
    assert len(getattr(ours, table)) == 0 and not ours.has(table)
    for name, analysis in ANALYSES.items():
        lacks = table in analysis.needs
        assert ours.can(name) is (not lacks), (table, name)
        if lacks:
            assert f"needs {table} data" in ours.missing(name), ours.missing(name)


@pytest.mark.slow
def test_every_lesson_runs_on_data_without_stages_or_surveys(tmp_path):
    """A CRM with contacts and campaigns but no survey tool and no pipeline stages."""
    import shutil

    from crmkit.build import ROOT, execute_notebooks

    folder = load_dataset().save(tmp_path / "ours")
    for name in ("stage_history.csv", "surveys.csv"):
        (folder / name).unlink()
    shutil.rmtree(folder / "truth")  # your own data has no planted truth
    (folder / "meta.json").unlink()
    report = execute_notebooks(ROOT / "notebooks", tmp_path / "executed", progress=False,
                               parameters={"DATA_DIR": str(folder)}, errors="report")  # fmt: skip
    assert [n for n, r in report.items() if "error" in r] == [], report


def test_a_cost_column_gives_margins_and_without_it_the_world_says_what_is_missing(tmp_path):
    (tmp_path / "a.csv").write_text(
        "customer_id,date,amount,cost\nA,2024-01-05,10,6\nB,2024-01-20,5,5.5\n", "utf-8"
    )
    with_cost = load_world(import_transactions(tmp_path / "a.csv", tmp_path / "a"))
    assert with_cost.transactions["margin"].tolist() == [4.0, -0.5]
    assert with_cost.can("margin") and not with_cost.can("payments")
    (tmp_path / "b.csv").write_text("customer_id,date,amount\nA,2024-01-05,10\n", "utf-8")
    without = load_world(import_transactions(tmp_path / "b.csv", tmp_path / "b"))
    assert not without.can("margin")
    assert "margins in transactions" in without.missing("margin")
    assert "cost" in without.missing("margin")  # what to export to enable it
