"""Tests for crmkit.datasets, the committed datasets/ and its README (data dictionary)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmkit import concepts, datasets, synth, synth_model
from crmkit.datasets import (
    DATASETS,
    check_dataset,
    check_dictionary,
    dataset_path,
    load_dataset,
    regenerate_dataset,
    write_dictionary,
)
from crmkit.schema import REQUIRED_TABLES, SCHEMA, TABLES, data_dictionary
from crmkit.synth import make_world

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "datasets" / "README.md"
START, END = "<!-- dictionary:start -->", "<!-- dictionary:end -->"


@pytest.fixture(scope="module")
def default_world():
    return make_world(**DATASETS["default"])


# =============================================================================== the files


def test_the_recipe_is_the_documented_one():
    assert DATASETS["default"] == {
        "n_customers": 3000,
        "locale": "en_US",
        "start": "2023-01-01",
        "end": "2024-12-31",
        "random_state": 2024,
    }
    assert datasets.DATASETS_DIR == ROOT / "datasets"


def test_committed_files_equal_a_regeneration():
    assert check_dataset("default") == []


def test_committed_meta_matches_the_recipe():
    meta = json.loads((dataset_path() / "meta.json").read_text(encoding="utf-8"))
    recipe = DATASETS["default"]
    assert meta["n_customers"] == recipe["n_customers"]
    assert meta["random_state"] == recipe["random_state"]
    assert (meta["locale"], meta["start"], meta["end"]) == (
        recipe["locale"],
        recipe["start"],
        recipe["end"],
    )


def test_check_dataset_finds_a_changed_file(tmp_path, monkeypatch):
    copy = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets" / "default", copy / "default")
    monkeypatch.setattr(datasets, "DATASETS_DIR", copy)
    assert check_dataset() == []
    customers = copy / "default" / "customers.csv"
    customers.write_text(customers.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (copy / "default" / "staff.csv").unlink()
    (copy / "default" / "notes.txt").write_text("x", encoding="utf-8")
    problems = check_dataset()
    assert any("customers.csv" in p and "differs" in p for p in problems), problems
    assert any("staff.csv" in p and "missing" in p for p in problems), problems
    assert any("notes.txt" in p and "not produced" in p for p in problems), problems
    assert len(problems) == 3
    shutil.rmtree(copy / "default")
    assert "missing" in check_dataset()[0]


def test_regenerate_to_another_folder(tmp_path):
    out = regenerate_dataset("default", out=tmp_path / "again")
    for name in TABLES:
        committed = (dataset_path() / f"{name}.csv").read_bytes()
        assert (out / f"{name}.csv").read_bytes() == committed, name
    # files equal to the regeneration are fine: nothing to refuse
    assert regenerate_dataset("default", out=out) == out


def test_regenerate_refuses_to_overwrite_edited_files(tmp_path):
    """Issue 11: `make data` overwrote an edited customers.csv with no flag."""
    out = regenerate_dataset("default", out=tmp_path / "default")
    customers, staff = out / "customers.csv", out / "staff.csv"
    committed = customers.read_bytes()
    edited = committed.replace(b"\n", b"\r\n", 1)
    customers.write_bytes(edited)
    staff.unlink()  # a missing file is written again, it loses nothing
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError) as e:
        regenerate_dataset("default", out=out)
    msg = str(e.value)
    assert "1 file(s)" in msg and "  - customers.csv" in msg and "force=True" in msg
    assert "--force" in msg and "make data FORCE=1" in msg
    assert "staff.csv" not in msg and "notes.txt" not in msg
    assert customers.read_bytes() == edited and not staff.exists()  # nothing written
    assert not list(out.glob(".*")), "a temporary folder was left behind"
    assert regenerate_dataset("default", out=out, force=True) == out
    assert customers.read_bytes() == committed and staff.is_file()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_regenerate_needs_a_source_checkout(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "DATASETS_DIR", tmp_path / "site-packages" / "datasets")
    with pytest.raises(FileNotFoundError, match="source checkout"):
        regenerate_dataset()
    assert not (tmp_path / "site-packages").exists()


# =============================================================================== load_dataset


def test_load_dataset_equals_the_recipe(default_world, same_world):
    loaded = load_dataset()
    same_world(default_world, loaded)
    assert len(loaded.customers) == 3000


def test_load_dataset_without_the_files(tmp_path, monkeypatch, default_world, same_world):
    """From a plain pip install there is no datasets/ folder: regenerate on the fly."""
    monkeypatch.setattr(datasets, "DATASETS_DIR", tmp_path / "nothing-here")
    w = load_dataset()
    same_world(default_world, w)
    assert not (tmp_path / "nothing-here").exists()  # nothing is written


def test_load_dataset_name_errors():
    with pytest.raises(ValueError) as e:
        load_dataset("big")
    msg = str(e.value)
    assert "'big'" in msg and "'default'" in msg and "load_dataset" in msg
    with pytest.raises(TypeError) as e:
        load_dataset(pd.DataFrame({"a": [1]}))
    assert "DataFrame" in str(e.value) and "load_world" in str(e.value)
    with pytest.raises(TypeError):
        dataset_path(3)
    with pytest.raises(ValueError, match="known datasets: 'default'"):
        check_dataset("Default")


def test_load_dataset_returns_a_fresh_world_each_time():
    a, b = load_dataset(), load_dataset()
    a.customers.loc[0, "city"] = "Changed"
    assert b.customers.loc[0, "city"] != "Changed"


# =============================================================================== README


def committed_section() -> str:
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    return text.split(START, 1)[1].split(END, 1)[0]


def test_readme_dictionary_equals_the_schema():
    assert committed_section().strip() == data_dictionary().strip(), (
        "datasets/README.md is out of date: run `crmkit datasets dictionary --write`"
    )
    assert check_dictionary() == []


def test_readme_names_the_required_columns():
    text = README.read_text(encoding="utf-8")
    byod = text.split("## Bringing your own data", 1)[1].split("## Data dictionary", 1)[0]
    for table in REQUIRED_TABLES:
        line = next(x for x in byod.splitlines() if x.startswith(f"* `{table}.csv`"))
        named = re.findall(r"`([a-z_]+)`", line.split("with", 1)[1])
        assert named == [c.name for c in SCHEMA[table] if c.required], line


def test_readme_states_the_true_parameters():
    """The plain-words model in the README uses crmkit.synth's numbers."""
    text = README.read_text(encoding="utf-8")
    weights = " | ".join(
        f"{synth.DEFAULT_WEIGHTS[c]:.2f}" for c in concepts.CATEGORIES["component"]
    )
    assert f"| {weights} |" in text
    for stage, row in zip(
        concepts.CATEGORIES["lifecycle_stage"], synth.DEFAULT_TRANSITIONS, strict=True
    ):
        cells = " | ".join(f"{p:.3f}".rstrip("0").rstrip(".") if p else "0" for p in row)
        cells = re.sub(r"\b0\.(\d)\b", r"0.\g<1>0", cells)  # 0.3 -> 0.30
        assert f"| {stage} | {cells} |" in text, (stage, cells)
    rates = " | ".join(f"{r:.2f}" for r in synth_model.TYPE_RATE)
    assert f"| {rates} |" in text
    assert f"= {synth.TRAINING_EFFECT}" in text and f"by {synth.HANDOFF_EFFECT}" in text
    assert f"{synth.PAYMENT_TERMS_DAYS}-day terms" in text
    for flag, words in (
        ("serial_complainer", "serial complainers"),
        ("late_payer", "late payers"),
        ("deal_seeker", "deal-seekers"),
        ("fraud", "fraudsters"),
    ):
        share = f"{synth_model.FLAG_SHARES[flag] * 100:g} %"
        assert re.search(rf"{words}\*?\s+\({re.escape(share)}[\s)]", text), (flag, share)
    assert "exp(-0.6 z)" in text
    assert np.isclose(make_world(30, random_state=0).truth["satisfaction_effect"], -0.6)


def test_write_dictionary_rewrites_only_its_section(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Intro\n\nhand-written\n\n{START}\nold table\n{END}\n\nafter\n")
    assert check_dictionary(readme) != []
    assert write_dictionary(readme) is True
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Intro\n\nhand-written\n\n" + START)
    assert text.endswith(END + "\n\nafter\n")
    assert "old table" not in text and data_dictionary().strip() in text
    assert check_dictionary(readme) == []
    assert write_dictionary(readme) is False  # already current


def test_write_dictionary_without_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(ValueError) as e:
        write_dictionary(readme)
    assert START in str(e.value) and END in str(e.value) and "Add the two lines" in str(e.value)
    assert readme.read_text(encoding="utf-8") == "# no markers\n"
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_dictionary(tmp_path / "absent.md")
