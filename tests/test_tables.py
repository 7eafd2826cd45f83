"""crmkit.tables: DataFrames as the playbook shows them to people who do not code."""

from __future__ import annotations

import pandas as pd
import pytest

from crmkit import concepts
from crmkit.tables import (
    LABELS,
    MIMETYPE,
    MISSING,
    load_ipython_extension,
    people_table_html,
    table_for_people,
)


def test_shares_become_percentages_and_missing_reads_as_a_dash():
    df = pd.DataFrame({"customers": [483, 1165], "share_who_left": [0.27, None]})
    people = table_for_people(df)
    assert list(people.columns) == ["customers", "share who left (%)"]
    assert people["customers"].tolist() == ["483", "1,165"]
    assert people["share who left (%)"].tolist() == ["27.0%", MISSING]


def test_a_share_column_outside_0_to_1_is_never_shown_as_a_wrong_percentage():
    # already in percent: 12.5 must not read "1250.0%"
    df = pd.DataFrame({"share": [12.5, 40.0]})
    assert table_for_people(df)["share (%)"].tolist() == ["12.50", "40.00"]


def test_the_row_number_goes_and_a_named_index_becomes_the_first_column():
    plain = pd.DataFrame({"clv": [255.497, 1556.839]})
    assert list(table_for_people(plain).columns) == ["lifetime value"]
    named = plain.set_axis(pd.Index(["long_term", "transactional"], name="relationship_type"))
    people = table_for_people(named)
    assert list(people.columns) == ["relationship type", "lifetime value"]
    names = concepts.labels(concepts.RELATIONSHIP_TYPES)
    assert people["relationship type"].tolist() == [names["long_term"], names["transactional"]]
    # 1,556.839 -> no decimals once numbers pass a thousand in the column
    assert people["lifetime value"].tolist() == ["255", "1,557"]


def test_row_names_that_are_code_names_read_as_labels():
    df = pd.DataFrame({"value": [0.8, 0.05]}, index=["retention", "retention_rise"])
    people = table_for_people(df)
    assert people.iloc[:, 0].tolist() == ["retention", LABELS["retention_rise"][0]]


def test_pairs_dates_booleans_and_text():
    df = pd.DataFrame(
        {
            "interval": [(366.67, 440.0), None],
            "start_date": pd.to_datetime(["2024-02-29", None]),
            "member": [True, False],
            "name": ["Anna <b>", "علی"],
        }
    )
    people = table_for_people(df)
    assert people["interval"].tolist() == ["366.67 to 440.00", MISSING]
    assert people["start date"].tolist() == ["2024-02-29", MISSING]
    assert people["member"].tolist() == ["yes", "no"]
    page = people_table_html(df)
    assert "Anna &lt;b&gt;" in page and "<b>" not in page  # text is escaped
    assert 'dir="auto"' in page  # Persian reads right to left in its own cell


def test_small_and_whole_floats():
    df = pd.DataFrame({"a": [0.0034, 0.5], "b": [2.0, 3.0], "c": [1.234, 99.5]})
    people = table_for_people(df)
    assert people["a"].tolist() == ["0.003", "0.500"]
    assert people["b"].tolist() == ["2", "3"]
    assert people["c"].tolist() == ["1.23", "99.50"]


def test_two_level_headers_are_joined():
    df = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("x", "clv"), ("x", "nps")]))
    assert list(table_for_people(df).columns) == ["x · lifetime value", "x · NPS"]


def test_the_input_is_not_modified_and_long_tables_say_so():
    df = pd.DataFrame({"share": [0.1] * 70})
    before = df.copy()
    page = people_table_html(df, max_rows=60)
    pd.testing.assert_frame_equal(df, before)
    assert page.count("<tr>") == 61 and "60 of 70 rows shown." in page


def test_not_a_dataframe_is_a_clear_error():
    with pytest.raises(TypeError, match=r"table_for_people: `df` must be a pandas DataFrame.*Ser"):
        table_for_people(pd.Series([1, 2]))


def test_every_label_has_a_known_kind():
    assert {kind for _, kind in LABELS.values()} <= {"percent", "number"}
    assert all(label.endswith("(%)") for label, kind in LABELS.values() if kind == "percent")


def test_the_ipython_extension_adds_the_people_table_to_dataframe_outputs():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        load_ipython_extension(shell)
        load_ipython_extension(shell)  # loading twice is harmless
        data, _ = shell.display_formatter.format(pd.DataFrame({"share": [0.5]}))
        assert "text/html" in data  # pandas' own table stays for JupyterLab and the course
        assert data[MIMETYPE] == people_table_html(pd.DataFrame({"share": [0.5]}))
        assert "50.0%" in data[MIMETYPE]
        other, _ = shell.display_formatter.format([1, 2])
        assert MIMETYPE not in other
    finally:
        shell.display_formatter.formatters.pop(MIMETYPE, None)
        InteractiveShell.clear_instance()


def test_columns_that_point_at_code_are_left_out():
    df = pd.DataFrame({
        "lever": ["Satisfy", "Develop engagement"],
        "where to look": ["surveys.overall; interactions.outcome", "customers.acquisition_channel"],
        "detail": ["bought Core (App)", "see transactions.amount"],  # one is enough
        "note": ["origin_mix is high", "fine"],  # a metric's name in one of two: kept
    })  # fmt: skip
    people = table_for_people(df)
    assert list(people.columns) == ["lever", "note"]


def test_retention_as_a_row_name_is_not_relabelled_but_a_code_name_is():
    df = pd.DataFrame({"en": ["customer retention", "x"]},
                      index=pd.Index(["retention", "share_who_left"], name="key"))  # fmt: skip
    assert table_for_people(df)["key"].tolist() == ["retention", "share who left (%)"]


def test_row_numbers_after_filtering_go_and_code_like_values_read_with_spaces():
    df = pd.DataFrame({"method": ["post_interaction", "relationship", "focus group"]})
    people = table_for_people(df.iloc[[0, 2]])  # index 0, 2: still row numbers
    assert list(people.columns) == ["method"]
    assert people["method"].tolist() == ["post interaction", "focus group"]


def test_a_stage_to_stage_matrix_reads_with_stage_names():
    names = concepts.labels(concepts.LIFECYCLE_STAGES)
    df = pd.DataFrame([[0.5, 0.5]], columns=["exploration", "awareness"],
                      index=pd.Index(["exploration"], name="stage"))  # fmt: skip
    people = table_for_people(df)
    assert list(people.columns) == ["stage", names["exploration"], names["awareness"]]
    assert people.iloc[0].tolist() == [names["exploration"], "0.500", "0.500"]


def test_a_column_naming_metrics_is_code():
    df = pd.DataFrame({"name": ["Social events", "Organisation"],
                       "kpis": ["origin_mix; loyalty_kpis: positive_feedback", "training_effect"]})
    assert list(table_for_people(df).columns) == ["name"]


def test_a_missing_index_name_reads_as_nothing():
    df = pd.DataFrame({"2024-07": [1541]}, index=pd.Index(["active_customers"], name=pd.NaT))
    people = table_for_people(df)
    assert list(people.columns) == ["", "2024-07"]
    assert people.iloc[0].tolist() == ["active customers", "1,541"]


def test_number_columns_are_marked_to_line_up_on_the_right():
    df = pd.DataFrame({"name": ["Sales", "Web"], "share": [0.5, None], "reach": [1200, 7]})
    page = people_table_html(df)
    assert '<th scope="col">name</th>' in page
    assert '<th scope="col" class="num">share (%)</th>' in page
    assert page.count('class="num"') == 2 + 4
