"""The cache of a large data folder (``crmkit/world.py``: ``.crmkit-cache/``).

Every lesson of ``crmkit build --data`` loads the folder again; for a large
folder the checked tables are kept in Parquet beside the CSVs, read back only
while every file of the folder is unchanged.
"""

from __future__ import annotations

import os

import pandas as pd
import pytest

from crmkit import make_world
from crmkit import world as world_module
from crmkit.build import data_fingerprint
from crmkit.world import CACHE_DIR, load_world


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(world_module, "CACHE_MIN_BYTES", 1)  # every folder is "large"
    return make_world(120, random_state=5).save(tmp_path / "w")


def _equal(a, b):
    for name, df in a.tables().items():
        pd.testing.assert_frame_equal(df, getattr(b, name), obj=name)
    assert a.meta == b.meta and a.truth.keys() == b.truth.keys()


def test_the_second_load_reads_the_cache_and_gives_the_same_world(folder, monkeypatch):
    first = load_world(folder)
    assert (folder / CACHE_DIR / "key.json").is_file()

    def no_csv(*args, **kwargs):
        raise AssertionError("the CSV files were read again")

    monkeypatch.setattr(world_module, "_read_raw", no_csv)
    _equal(first, load_world(folder))


def test_a_changed_file_is_read_and_checked_again(folder):
    load_world(folder)
    t = pd.read_csv(folder / "transactions.csv")
    t.loc[0, "amount"] = 12345.5
    t.to_csv(folder / "transactions.csv", index=False)
    assert load_world(folder).transactions.loc[0, "amount"] == 12345.5
    t.loc[0, "date"] = "not a date"
    t.to_csv(folder / "transactions.csv", index=False)
    with pytest.raises(ValueError, match="dates that cannot be read"):
        load_world(folder)


def test_small_folders_get_no_cache(tmp_path):
    folder = make_world(60, random_state=1).save(tmp_path / "small")
    load_world(folder)
    assert not (folder / CACHE_DIR).exists()


def test_a_read_only_folder_loads_without_a_cache(folder):
    if os.geteuid() == 0:
        pytest.skip("chmod does not stop root")
    os.chmod(folder, 0o555)
    try:
        load_world(folder)
        assert not (folder / CACHE_DIR).exists()
    finally:
        os.chmod(folder, 0o755)


def test_the_cache_does_not_change_the_folder_fingerprint(folder):
    before = data_fingerprint(folder)
    load_world(folder)
    assert (folder / CACHE_DIR).is_dir() and data_fingerprint(folder) == before


def test_a_transactions_only_folder_comes_back_the_same(tmp_path, monkeypatch):
    """A team's folder: empty tables and all-missing columns keep their dtypes."""
    from crmkit.own_data import import_transactions

    monkeypatch.setattr(world_module, "CACHE_MIN_BYTES", 1)
    t = make_world(80, random_state=2, tables=()).transactions[["customer_id", "date", "amount"]]
    t.to_csv(tmp_path / "export.csv", index=False)
    folder = import_transactions(tmp_path / "export.csv", tmp_path / "ours")
    first = load_world(folder)
    cached = world_module._read_cache(folder, world_module._cache_key(folder))
    assert cached is not None
    _equal(first, cached)
