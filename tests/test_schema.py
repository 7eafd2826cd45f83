"""crmkit.schema: the tables' columns and the data dictionary generated from them.

That datasets/README.md holds the current dictionary is tested in tests/test_datasets.py.
"""

from __future__ import annotations

from crmkit import concepts, schema
from crmkit.schema import (
    DIRECTIONS,
    DTYPE_NAMES,
    REQUIRED_TABLES,
    SCHEMA,
    TABLE_DESCRIPTIONS,
    TABLES,
    Column,
    data_dictionary,
)


def test_dictionary_describes_every_column():
    text = data_dictionary()
    for table, columns in SCHEMA.items():
        section = text.split(f"### `{table}.csv`", 1)[1].split("### ", 1)[0]
        rows = [line for line in section.splitlines() if line.startswith("| `")]
        assert [r.split("`")[1] for r in rows] == [c.name for c in columns], table
        for col, row in zip(columns, rows, strict=True):
            cells = [c.strip() for c in row.strip("|").split(" | ")]
            assert len(cells) == 5, row
            assert cells[2] == col.description
            if col.dtype == "cat":
                allowed = (
                    concepts.CATEGORIES[col.categories]
                    if col.categories != "direction"
                    else ("inbound", "outbound", "internal")
                )
                assert cells[3] == ", ".join(allowed)
            assert ("required" in cells[1]) == col.required
        need = "required file" if table in REQUIRED_TABLES else "optional file"
        assert f"### `{table}.csv` ({need})" in text


def test_schema_concepts_name_real_concepts():
    for table, columns in SCHEMA.items():
        for col in columns:
            for part in filter(None, (p.strip() for p in col.concept.split(";"))):
                name, _, key = (x.strip() for x in part.partition(":"))
                taxonomy = concepts.TAXONOMY.get(name.upper())
                assert taxonomy is not None, (table, col.name, part)
                if key:
                    assert key in concepts.keys(taxonomy), (table, col.name, part)
            if col.dtype == "cat" and col.categories != "direction":
                assert col.categories in concepts.CATEGORIES, (table, col.name)


def test_every_table_is_described_and_every_column_well_formed():
    assert TABLES == tuple(SCHEMA)
    assert set(REQUIRED_TABLES) <= set(TABLES)
    assert set(TABLE_DESCRIPTIONS) == set(TABLES)
    for table, columns in SCHEMA.items():
        names = [c.name for c in columns]
        assert len(set(names)) == len(names), f"{table}: a column name repeats"
        for col in columns:
            where = f"{table}.{col.name}"
            assert col.dtype in DTYPE_NAMES, where
            assert (col.dtype == "cat") == bool(col.categories), where
            assert not (col.unique and col.nullable), where
            if col.minimum is not None and col.maximum is not None:
                assert col.minimum < col.maximum, where


def test_references_name_a_required_whole_number_column_of_another_table():
    seen = 0
    for table, columns in SCHEMA.items():
        for col in (c for c in columns if c.references):
            other, _, name = col.references.partition(".")
            target = {c.name: c for c in SCHEMA[other]}[name]
            assert other != table and target.required, col.references
            assert col.dtype in ("int", "Int") and target.dtype == "int", col.references
            seen += 1
    assert seen > 0


def test_dictionary_rows_show_types_flags_and_ranges_and_escape_pipes(monkeypatch):
    tiny = {
        "customers": (
            Column("a|b", "float", "x | y", minimum=0, maximum=1),
            Column("n", "Int", "N.", nullable=True, references="staff.staff_id"),
            Column("s", "float", "S.", maximum=7, concept="SATISFACTION"),
            Column("d", "cat", "D.", categories="direction", required=True, unique=True),
        ),
        "staff": (Column("staff_id", "int", "Id.", minimum=1),),
    }
    monkeypatch.setattr(schema, "SCHEMA", tiny)
    lines = data_dictionary().splitlines()
    first = lines.index("### `customers.csv` (required file)")
    assert lines[first + 2] == TABLE_DESCRIPTIONS["customers"]
    assert lines[first + 6 : first + 10] == [
        "| `a\\|b` | number | x \\| y | 0 to 1 |  |",
        "| `n` | integer (may be empty, -> `staff.staff_id`) | N. |  |  |",
        "| `s` | number | S. | <= 7 | SATISFACTION |",
        "| `d` | category (required, unique) | D. | inbound, outbound, internal |  |",
    ]
    assert "### `staff.csv` (optional file)" in lines
    assert "| `staff_id` | integer | Id. | >= 1 |  |" in lines
    assert DIRECTIONS == ("inbound", "outbound", "internal")
