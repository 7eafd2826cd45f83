"""Tests for crmkit.world: saving and loading a world, and bring-your-own-data checks.

The bring-your-own-data tests start from a saved small world, break it the way
a learner's spreadsheet export breaks (a file missing, a column renamed, a date
written 31/12/2023, a negative cost, a typo in a category...) and check that
``load_world`` names the file, the column, the line and the fix, lists every
problem in one error, and returns nothing.
"""

from __future__ import annotations

import copy
import os
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import crmkit
from crmkit.people import SUPPORTED_LOCALES
from crmkit.schema import REQUIRED_TABLES, SCHEMA, TABLES
from crmkit.synth import make_world
from crmkit.world import DataValidationError, conform, load_world

# =============================================================================== round-trip


def test_save_then_load_gives_the_same_world(small_world, tmp_path, same_world):
    folder = small_world.save(tmp_path / "w")
    assert folder == tmp_path / "w"
    loaded = load_world(folder)
    same_world(small_world, loaded)
    # categories keep the order of crmkit.concepts (so sorting by stage is meaningful)
    stage = loaded.customers["lifecycle_stage"].dtype
    assert stage.ordered
    assert tuple(stage.categories) == crmkit.concepts.CATEGORIES["lifecycle_stage"]
    assert loaded.transactions["date"].dtype == "datetime64[s]"
    assert loaded.transactions["campaign_id"].dtype == "Int64"


def test_saved_files(small_world, tmp_path):
    folder = small_world.save(tmp_path / "w")
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([f"{t}.csv" for t in TABLES] + ["meta.json", "truth"])
    header = (folder / "customers.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(c.name for c in SCHEMA["customers"])
    first = (folder / "transactions.csv").read_text(encoding="utf-8").splitlines()[1]
    assert first.split(",")[2] == small_world.transactions["date"][0].strftime("%Y-%m-%d")
    assert not list(tmp_path.glob(".*tmp*")), "the temporary folder was left behind"


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**32 - 1),
    locale=st.sampled_from(SUPPORTED_LOCALES),
    n=st.integers(1, 120),
)
def test_round_trip_any_world(tmp_path_factory, seed, locale, n, same_world):
    w = make_world(n, locale=locale, random_state=seed)
    loaded = load_world(w.save(tmp_path_factory.mktemp("w") / "world"))
    same_world(w, loaded)


def test_round_trip_of_a_world_without_interactions(tmp_path, same_world):
    # empty tables are saved as a header line and load back empty, with their dtypes
    w = make_world(60, random_state=2, tables=())
    loaded = load_world(w.save(tmp_path / "w"))
    assert loaded.interactions.empty and loaded.surveys.empty
    same_world(w, loaded)


def test_save_refuses_a_non_empty_folder(small_world, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes", encoding="utf-8")
    (folder / "customers.csv").write_text("precious", encoding="utf-8")
    with pytest.raises(FileExistsError) as e:
        small_world.save(folder)
    msg = str(e.value)
    assert str(folder) in msg and "force=True" in msg
    assert sorted(p.name for p in folder.iterdir()) == ["customers.csv", "notes.txt"]
    assert (folder / "customers.csv").read_text(encoding="utf-8") == "precious"


def test_save_with_force_replaces_the_tables(small_world, tmp_path, same_world):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes", encoding="utf-8")
    (folder / "customers.csv").write_text("old", encoding="utf-8")
    small_world.save(folder, force=True)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "my notes"
    same_world(small_world, load_world(folder))
    # saving again over a saved world works too
    other = make_world(50, random_state=9)
    other.save(folder, force=True)
    same_world(other, load_world(folder))


def test_save_into_an_empty_or_new_nested_folder(small_world, tmp_path):
    (tmp_path / "empty").mkdir()
    small_world.save(tmp_path / "empty")
    small_world.save(str(tmp_path / "a" / "b"))
    assert (tmp_path / "a" / "b" / "customers.csv").exists()


def test_save_into_the_current_folder(small_world, tmp_path, monkeypatch, same_world):
    monkeypatch.chdir(tmp_path)
    small_world.save(".")
    same_world(small_world, load_world("."))


def test_save_to_a_file_path(small_world, tmp_path):
    file = tmp_path / "world.csv"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        small_world.save(file)
    assert file.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("path", ["", "   "])
def test_save_to_an_empty_path(small_world, tmp_path, monkeypatch, path):
    """Issue 11: '' is the current folder to Path(''); say that the name is empty instead."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError) as e:
        small_world.save(path)
    assert "`path` is empty: give a folder name" in str(e.value) and "--out mydata" in str(e.value)
    assert list(tmp_path.iterdir()) == []


def test_save_onto_an_empty_mount_point(small_world, mount_point, same_world):
    """Issue 11: [Errno 18] Invalid cross-device link when the folder is a mount point.

    The files are written inside the folder and renamed there, never across its edge.
    """
    assert small_world.save(mount_point) == mount_point
    same_world(small_world, load_world(mount_point))
    assert sorted(p.name for p in mount_point.parent.iterdir()) == ["mnt"]
    assert not list(mount_point.glob(".*")), "the temporary folder was left behind"
    small_world.save(mount_point, force=True)  # and over a saved world
    same_world(small_world, load_world(mount_point))


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="chmod does not stop root"
)
def test_save_into_an_empty_folder_of_a_read_only_parent(small_world, tmp_path, same_world):
    parent = tmp_path / "parent"
    target = parent / "w"
    target.mkdir(parents=True)
    parent.chmod(0o555)
    try:
        small_world.save(target)
    finally:
        parent.chmod(0o755)
    same_world(small_world, load_world(target))
    assert sorted(p.name for p in parent.iterdir()) == ["w"]


@pytest.mark.parametrize("existing", [False, True])
def test_a_failed_save_leaves_nothing_half_written(small_world, tmp_path, monkeypatch, existing):
    folder = tmp_path / "new" / "w"
    if existing:
        folder.mkdir(parents=True)
    real, calls = pd.DataFrame.to_csv, []

    def to_csv(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", to_csv)
    with pytest.raises(OSError, match="No space left"):
        small_world.save(folder)
    if existing:
        assert list(folder.iterdir()) == []
    else:
        assert not (tmp_path / "new").exists()  # the folders it made are gone too


def test_a_failed_move_puts_the_old_files_back(small_world, tmp_path, monkeypatch):
    folder = make_world(30, random_state=3).save(tmp_path / "w")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    real, calls = os.replace, []

    def replace(src, dst, *args, **kwargs):
        calls.append(1)
        if len(calls) == 7:  # the old files of three tables were moved aside, and three new in
            raise OSError(5, "Input/output error")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="Input/output"):
        small_world.save(folder, force=True)
    monkeypatch.undo()
    after = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != "notes.txt"}
    assert after == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{t}.csv" for t in TABLES] + ["meta.json", "notes.txt", "truth"]
    )


def test_text_that_looks_like_a_formula_round_trips(small_world, tmp_path, same_world):
    """The data files are data: a customer named =1+1 is saved and loaded as written."""
    w = copy.deepcopy(small_world)
    names = ["=1+1", "+48 600", "-Anna", "@home", '=HYPERLINK("http://x")', "'=quoted"]
    w.customers.loc[: len(names) - 1, "first_name"] = names
    folder = w.save(tmp_path / "w")
    text = (folder / "customers.csv").read_text(encoding="utf-8")
    assert ",=1+1," in text and ",'=1+1," not in text  # not neutralised for spreadsheets
    loaded = load_world(folder)
    assert loaded.customers["first_name"].tolist()[: len(names)] == names
    same_world(w, loaded)


def test_repr_and_tables(small_world):
    assert repr(small_world).startswith("World(customers=400, transactions=")
    assert list(small_world.tables()) == list(TABLES)


def test_html_repr_lists_every_table_with_its_size(small_world, tmp_path):
    import re

    page = small_world._repr_html_()
    assert "400 customers" in page and "seed" in page
    for name, df in small_world.tables().items():
        row = re.search(rf"<code>world\.{name}</code>\)</span></td>.*?</tr>", page)
        assert row, name
        assert f">{len(df):,}</td>" in row.group(0) and f">{df.shape[1]}</td>" in row.group(0)
    assert "world.truth" in page
    # data you bring yourself: no generator, no truth, and nothing unescaped
    loaded = load_world(small_world.save(tmp_path / "w"))
    loaded.meta, loaded.truth = {}, {}
    page = loaded._repr_html_()
    assert "CRM data from your own files: " in page and "world.truth" not in page
    n = len(loaded.transactions)
    assert f"{len(loaded.customers):,} customers, {n:,} transactions" in page
    assert page.count("<tr>") == len(TABLES) + 1


# ======================================================================== load_world arguments


def test_load_world_wants_a_folder(tmp_path, small_world):
    with pytest.raises(TypeError, match="got a DataFrame"):
        load_world(small_world.customers)
    with pytest.raises(TypeError, match="folder name"):
        load_world(42)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_world(tmp_path / "nowhere")
    (tmp_path / "customers.csv").write_text("customer_id\n1\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="it is a file"):
        load_world(tmp_path / "customers.csv")


# ========================================================================= bring your own data


@pytest.fixture
def own(small_world, tmp_path):
    """A folder of CSVs to break: the small world, saved, without its truth."""
    folder = small_world.save(tmp_path / "own")
    shutil.rmtree(folder / "truth")
    (folder / "meta.json").unlink()
    return folder


def read(folder, table) -> pd.DataFrame:
    return pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)


def write(folder, table, df):
    df.to_csv(folder / f"{table}.csv", index=False)


def problems_of(folder) -> list[str]:
    with pytest.raises(DataValidationError) as e:
        load_world(folder)
    err = e.value
    assert isinstance(err, ValueError)  # one can catch it as a ValueError too
    msg = str(err)
    assert msg.startswith(f"load_world: {len(err.problems)} problem(s) in {folder}")
    assert "nothing was loaded" in msg and "datasets/README.md" in msg
    for p in err.problems:
        assert p in msg
    return err.problems


def only(problems, *needles):
    """The one problem that mentions every needle."""
    hits = [p for p in problems if all(n in p for n in needles)]
    assert len(hits) == 1, (needles, problems)
    return hits[0]


def test_own_folder_loads_when_correct(own, small_world, same_world):
    w = load_world(own)
    assert w.truth == {} and w.meta == {}
    same_world(small_world, w, truth=False)


def test_missing_required_file(own):
    (own / "transactions.csv").unlink()
    p = only(problems_of(own), "transactions.csv", "missing")
    assert "amount" in p  # says which columns the file needs


def test_missing_optional_files_are_empty_tables(own):
    for table in TABLES:
        if table not in REQUIRED_TABLES:
            (own / f"{table}.csv").unlink()
    w = load_world(own)
    for table in TABLES:
        if table not in REQUIRED_TABLES:
            df = getattr(w, table)
            assert df.empty
            assert_frame_equal(df, conform(table, pd.DataFrame()))


def test_missing_required_column(own):
    df = read(own, "transactions").drop(columns=["amount"])
    write(own, "transactions", df)
    p = only(problems_of(own), "transactions.csv", "'amount'")
    assert "missing required column" in p and "transaction_id" in p  # columns present


def test_unparseable_dates(own):
    df = read(own, "customers")
    df.loc[4, "signup_date"] = "31/12/2023"
    df.loc[9, "signup_date"] = "2023-02-30"
    write(own, "customers", df)
    p = only(problems_of(own), "customers.csv", "'signup_date'")
    assert "line(s) 6, 11" in p and "'31/12/2023'" in p and "YYYY-MM-DD" in p


def test_a_negative_amount_loads_as_a_refund(own):
    # real exports hold refunds and cancellations as negative rows; the metrics net them
    df = read(own, "transactions")
    df.loc[2, "amount"] = "-12.50"
    write(own, "transactions", df)
    assert load_world(own).transactions["amount"].iloc[2] == -12.5


def test_a_negative_cost_is_refused(own):
    df = read(own, "transactions")
    df.loc[2, "cost"] = "-3"
    write(own, "transactions", df)
    p = only(problems_of(own), "transactions.csv", "'cost'")
    assert "negative" in p and "line(s) 4" in p and "-3" in p


def test_blank_required_values(own):
    df = read(own, "transactions")
    df.loc[[0, 3], "amount"] = ""
    write(own, "transactions", df)
    p = only(problems_of(own), "transactions.csv", "'amount'")
    assert "empty values" in p and "line(s) 2, 5" in p


def test_the_error_is_public():
    assert crmkit.DataValidationError is DataValidationError
    assert issubclass(DataValidationError, ValueError)


def test_text_in_a_number_column(own):
    df = read(own, "transactions")
    df.loc[0, "amount"] = "12,50"
    write(own, "transactions", df)
    p = only(problems_of(own), "transactions.csv", "'amount'")
    assert "not numeric" in p and "line(s) 2" in p and "'12,50'" in p


def test_unknown_category(own):
    df = read(own, "customers")
    df.loc[[3, 5, 7, 8, 20], "relationship_type"] = "vip"
    write(own, "customers", df)
    p = only(problems_of(own), "customers.csv", "'relationship_type'")
    assert "['vip']" in p and "line(s) 5, 7, 9 (+2 more)" in p
    for allowed in crmkit.concepts.CATEGORIES["relationship_type"]:
        assert allowed in p


def test_duplicate_ids(own):
    df = read(own, "customers")
    df.loc[10, "customer_id"] = df.loc[3, "customer_id"]
    write(own, "customers", df)
    p = only(problems_of(own), "customers.csv", "'customer_id'", "unique")
    assert "line(s) 5, 12" in p


def test_dangling_foreign_key(own):
    df = read(own, "transactions")
    df.loc[[1, 6], "customer_id"] = "99999"
    write(own, "transactions", df)
    p = only(problems_of(own), "transactions.csv", "'customer_id'")
    assert "customers.customer_id" in p and "99999" in p and "line(s) 3, 8" in p


def test_empty_file(own):
    (own / "staff.csv").write_bytes(b"")
    p = only(problems_of(own), "staff.csv")
    assert "empty" in p


def test_header_only_customers(own):
    header = (own / "customers.csv").read_text(encoding="utf-8").splitlines()[0]
    (own / "customers.csv").write_text(header + "\n", encoding="utf-8")
    problems = problems_of(own)
    only(problems, "customers.csv", "header but no rows")
    # ... and the transactions cannot point at customers that are not there
    assert len(problems) == 1


def test_header_only_optional_table_is_an_empty_table(own):
    header = (own / "surveys.csv").read_text(encoding="utf-8").splitlines()[0]
    (own / "surveys.csv").write_text(header + "\n", encoding="utf-8")
    w = load_world(own)
    assert w.surveys.empty
    assert_frame_equal(w.surveys, conform("surveys", pd.DataFrame()))


def test_latin1_file(own):
    text = (own / "customers.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[3] = lines[3].replace(lines[3].split(",")[1], "José", 1)
    (own / "customers.csv").write_bytes("".join(lines).encode("latin-1"))
    p = only(problems_of(own), "customers.csv")
    assert "not UTF-8" in p and "line 4" in p


@pytest.mark.parametrize(("sep", "called"), [(";", "';'-separated"), ("\t", "tab-separated")])
def test_a_semicolon_separated_file_is_named(own, sep, called):
    """Issue 11: Excel in many locales saves ';'-separated CSV; it was only 'missing columns'."""
    df = read(own, "customers")
    df.to_csv(own / "customers.csv", index=False, sep=sep, encoding="utf-8-sig", decimal=",")
    problems = problems_of(own)
    p = only(problems, "customers.csv")
    assert p == (
        f"customers.csv: looks {called}; save it comma-separated (in Excel: "
        "CSV UTF-8 (comma delimited))"
    )
    assert not any("missing required column" in q for q in problems)


def test_utf8_with_a_byte_order_mark_loads(own, small_world):
    # Excel's "CSV UTF-8" starts the file with a byte-order mark
    data = (own / "customers.csv").read_bytes()
    (own / "customers.csv").write_bytes(b"\xef\xbb\xbf" + data)
    assert_frame_equal(load_world(own).customers, small_world.customers)


def test_every_problem_in_one_error(own):
    (own / "stage_history.csv").unlink()  # optional: no problem
    c = read(own, "customers")
    c.loc[1, "signup_date"] = "soon"  # 1
    c.loc[2, "relationship_type"] = "friend"  # 2
    write(own, "customers", c)
    t = read(own, "transactions")
    t.loc[0, "amount"] = "lots"  # 3
    t.loc[5, "customer_id"] = "424242"  # 4: dangling, reported although the file has errors
    t.loc[6, "transaction_id"] = t.loc[7, "transaction_id"]  # 5
    write(own, "transactions", t)
    i = read(own, "interactions").drop(columns=["kind"])  # 6
    write(own, "interactions", i)
    (own / "campaigns.csv").write_bytes(b"")  # 7
    s = read(own, "surveys")
    s.loc[0, "nps"] = "11"  # 8
    write(own, "surveys", s)
    problems = problems_of(own)
    assert len(problems) == 8, problems
    only(problems, "customers.csv", "'signup_date'", "'soon'", "line(s) 3")
    only(problems, "customers.csv", "'relationship_type'", "'friend'", "line(s) 4")
    only(problems, "transactions.csv", "'amount'", "not numeric", "line(s) 2")
    only(problems, "transactions.csv", "'customer_id'", "424242", "line(s) 7")
    only(problems, "transactions.csv", "'transaction_id'", "unique", "line(s) 8, 9")
    only(problems, "interactions.csv", "'kind'", "missing required column")
    only(problems, "campaigns.csv", "empty")
    only(problems, "surveys.csv", "'nps'", "above 10", "line(s) 2")


def test_minimal_own_data(tmp_path):
    """Only the required files with only their required columns."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "customers.csv").write_text(
        "customer_id,signup_date\n1,2024-01-05\n2,2024-02-11\n3,2024-03-01\n", encoding="utf-8"
    )
    (folder / "transactions.csv").write_text(
        "transaction_id,customer_id,date,amount\n"
        "10,1,2024-01-05,19.99\n11,1,2024-02-01,5\n12,3,2024-03-02,100.0\n",
        encoding="utf-8",
    )
    w = load_world(folder)
    assert w.customers["customer_id"].tolist() == [1, 2, 3]
    assert w.customers["signup_date"].tolist() == list(
        pd.to_datetime(["2024-01-05", "2024-02-11", "2024-03-01"])
    )
    assert w.transactions["amount"].tolist() == [19.99, 5.0, 100.0]
    for table in TABLES:
        df = getattr(w, table)
        assert list(df.columns) == [c.name for c in SCHEMA[table]], table
        if table not in REQUIRED_TABLES:  # empty, with exactly the schema's dtypes
            assert_frame_equal(df, conform(table, pd.DataFrame()), obj=table)
    # optional columns are there, empty: with the schema's dtype, or its nullable
    # twin where the schema's dtype cannot be empty (int -> Int64, bool -> boolean)
    full = make_world(20, random_state=0)
    for table in REQUIRED_TABLES:
        df = getattr(w, table)
        given = {c.name for c in SCHEMA[table] if c.required}
        for col in SCHEMA[table]:
            expected = getattr(full, table)[col.name].dtype
            if col.name not in given:
                assert df[col.name].isna().all(), (table, col.name)
                expected = {"int64": "Int64", "bool": "boolean"}.get(str(expected), expected)
            assert df[col.name].dtype == expected, (table, col.name)
    assert w.customers["relationship_type"].dtype == full.customers["relationship_type"].dtype
    assert w.truth == {} and w.meta == {}


def test_extra_columns_and_spaces_in_the_header(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "customers.csv").write_text(
        "customer_id , signup_date,favourite_colour\n1,2024-01-05,blue\n", encoding="utf-8"
    )
    (folder / "transactions.csv").write_text(
        "transaction_id,customer_id,date,amount\n1,1,2024-01-05,10\n", encoding="utf-8"
    )
    w = load_world(folder)
    assert "favourite_colour" not in w.customers.columns
    assert w.customers["customer_id"].tolist() == [1]


def test_booleans_and_whole_numbers(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "customers.csv").write_text(
        "customer_id,signup_date,loyalty_member\n1,2024-01-05,yes\n2,2024-01-06,TRUE\n",
        encoding="utf-8",
    )
    (folder / "transactions.csv").write_text(
        "transaction_id,customer_id,date,amount\n1.5,1,2024-01-05,10\n", encoding="utf-8"
    )
    problems = problems_of(folder)
    only(problems, "customers.csv", "'loyalty_member'", "True or False", "line(s) 2", "'yes'")
    only(problems, "transactions.csv", "'transaction_id'", "whole numbers", "'1.5'")


def test_a_broken_truth_folder_is_reported(own):
    (own / "meta.json").write_text("{not json", encoding="utf-8")
    p = only(problems_of(own), "meta.json")
    assert "delete them" in p


def test_files_are_left_as_they_were(own):
    before = {p.name: p.read_bytes() for p in own.iterdir()}
    df = read(own, "transactions")
    df.loc[0, "amount"] = "lots"
    write(own, "transactions", df)
    before["transactions.csv"] = (own / "transactions.csv").read_bytes()
    problems_of(own)
    assert {p.name: p.read_bytes() for p in own.iterdir()} == before


def test_conform_orders_columns_and_fills_optional_ones():
    df = pd.DataFrame({"signup_date": ["2024-01-02"], "customer_id": [np.int64(5)]})
    out = conform("customers", df)
    assert list(out.columns) == [c.name for c in SCHEMA["customers"]]
    assert out["customer_id"].tolist() == [5]
    assert out["churn_date"].isna().all() and out["churn_date"].dtype == "datetime64[s]"
