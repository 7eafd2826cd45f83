"""A team's own data: turn a transactions export into a folder the kit reads.

Most teams can pull one table from their systems: the transactions (or order
lines) with a customer id, a date and an amount. :func:`import_transactions`
reads such an export as it comes and writes a world folder that
:func:`crmkit.load_world` reads:

- **column names** of the export mapped to the kit's (``columns={"customer_id":
  "CustomerID", "date": "InvoiceDate", ...}``; the kit's own names need no
  mapping);
- **amounts** taken as they are, or computed as ``quantity`` × ``unit_price``;
- **order lines** of one order (``order_id``) summed into one transaction,
  dated by its first line; without an order id every row is a transaction;
- **dates** ``YYYY-MM-DD``, or day-first / month-first (``dayfirst=True`` /
  ``False``; found from the data when it can tell, and asked for when not);
- **separators and decimals**: ``,``, ``;`` or tab; decimal commas
  (``12,50``) when the separator is not a comma;
- **refunds and cancellations** kept as negative amounts (the metrics net
  them, see :func:`crmkit.metrics.rfm_scores`);
- **costs**: with a ``cost`` column the margin (amount - cost) is computed, so
  the analyses of margins and profit run;
- **currencies**: one only; an export with several is refused (convert first);
- **customer ids** of any kind (``C-1042``, e-mail hashes): numbered 1..N in
  the kit, with ``customer_ids.csv`` relating each number to the export's id;
- rows without a customer id cannot be attributed: dropped and counted.

``customers.csv`` is derived from the transactions (a customer's signup date
is their first purchase). ``meta.json`` records what the folder holds (the
source file, the period, the counts, ``"kind": "own"``) so pages say which
data they show and leave out what only a synthetic world has. Every problem of
the export is listed in one :class:`crmkit.DataValidationError`; nothing is
written unless the import succeeds, and an existing folder is replaced only
with ``force=True``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from crmkit.world import DataValidationError

__all__ = ["KIT_COLUMNS", "import_transactions", "parse_mapping"]

#: The export's columns the kit can use: required, then optional.
KIT_COLUMNS = {
    "customer_id": "the customer's id (any text or number); required",
    "date": "the purchase date; required",
    "amount": "the amount paid; required unless quantity and unit_price are given",
    "quantity": "units bought (for amount = quantity x unit_price)",
    "unit_price": "price per unit (for amount = quantity x unit_price)",
    "order_id": "the order or invoice number (its lines become one transaction)",
    "channel": "the sales channel (the kit's channel names only)",
    "category": "the product category (the kit's category names only)",
    "cost": "cost of goods sold",
    "discount": "discount given",
    "currency": "the currency code (one currency only)",
}
_REQUIRED = ("customer_id", "date")
_HINT = (
    "Fix the export or the options and import again; nothing was written. The columns the "
    "kit reads: " + ", ".join(KIT_COLUMNS) + "."
)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_mapping(text: str) -> dict[str, str]:
    """``"customer_id=CustomerID,date=InvoiceDate"`` → a mapping (kit name → export name).

    A path to a file is read as one ``kit=export`` pair per line (``#`` starts a
    comment).
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(
            f"--map: expected pairs like customer_id=CustomerID,date=InvoiceDate; got {text!r}."
        )
    path = Path(text)
    if "=" not in text or (path.suffix and path.is_file()):
        if not path.is_file():
            raise ValueError(
                f"--map {text!r}: not kit=export pairs and no such file; write e.g. "
                "--map customer_id=CustomerID,date=InvoiceDate,amount=Revenue"
            )
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        pairs = [ln.split("#", 1)[0].strip() for ln in lines]
    else:
        pairs = [p.strip() for p in text.split(",")]
    mapping: dict[str, str] = {}
    for pair in filter(None, pairs):
        kit, sep, export = (x.strip() for x in pair.partition("="))
        if not sep or not kit or not export:
            raise ValueError(f"--map: {pair!r} is not kit=export (e.g. date=InvoiceDate).")
        if kit not in KIT_COLUMNS:
            raise ValueError(
                f"--map: {kit!r} is not a column the kit reads; use one of {list(KIT_COLUMNS)}."
            )
        if kit in mapping:
            raise ValueError(f"--map: {kit!r} is mapped twice.")
        mapping[kit] = export
    return mapping


def import_transactions(
    source,
    out,
    *,
    columns: dict[str, str] | None = None,
    dayfirst: bool | None = None,
    name: str | None = None,
    force: bool = False,
) -> Path:
    """Read a transactions export and write a world folder for :func:`crmkit.load_world`.

    Parameters
    ----------
    source : str or Path
        The export: a CSV file (``,``, ``;`` or tab separated; UTF-8).
    out : str or Path
        The folder to write (new or empty; an existing world folder only with
        ``force=True``).
    columns : dict, optional
        The kit's column name → the export's (see :data:`KIT_COLUMNS`).
    dayfirst : bool, optional
        For dates like ``03/04/2024``: True reads 3 April, False 4 March. Not
        needed for ``YYYY-MM-DD`` or when some day is above 12.
    name : str, optional
        The data's name on every page (default: the export's file name).
    force : bool, default=False
        Replace the files of a folder that is not empty.

    Returns
    -------
    Path
        ``out``, holding ``transactions.csv``, ``customers.csv``,
        ``customer_ids.csv`` and ``meta.json``.
    """
    source, out = Path(source), Path(out)
    if not source.is_file():
        raise FileNotFoundError(
            f"import_transactions: `source` {str(source)!r} is not a file; pass the export "
            "(a CSV file)."
        )
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not force)):
        raise FileExistsError(
            f"import_transactions: `out` {str(out)!r} exists and is not an empty folder; "
            "choose a new folder, or pass force=True (--force) to replace its files."
        )
    columns = dict(columns or {})
    unknown = sorted(set(columns) - set(KIT_COLUMNS))
    if unknown:
        raise ValueError(
            f"import_transactions: `columns` maps {unknown}, which the kit does not read; "
            f"use names from {list(KIT_COLUMNS)}."
        )
    problems: list[str] = []
    wanted = {columns.get(k, k) for k in KIT_COLUMNS}
    raw = _read(source, problems, wanted)
    if raw is None:
        raise DataValidationError(source, problems, by="import_transactions", hint=_HINT)
    frame, notes = _to_kit(raw, columns, dayfirst, source.name, problems)
    if problems:
        raise DataValidationError(source, problems, by="import_transactions", hint=_HINT)
    _write(frame, out, source, name or source.stem, notes)
    return out


def _read(source: Path, problems, wanted) -> pd.DataFrame | None:
    """Read the columns in ``wanted`` (all when it is empty) as text; None on a problem.

    The header's other columns are kept in ``attrs["columns"]`` for messages.
    """
    import csv

    with open(source, "rb") as f:
        head = f.read(1 << 16)
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not just a character cut at the chunk's end
            encoding = "cp1252"
    text = head.decode(encoding, errors="replace").removeprefix("\ufeff")
    header = next((ln for ln in text.splitlines() if ln.strip()), "")
    if not header:
        problems.append(f"{source.name}: the file is empty")
        return None
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    sep = max(counts, key=counts.get)
    names = [c.strip() for c in next(csv.reader([header], delimiter=sep))]
    raw_names = next(csv.reader([header], delimiter=sep))
    use = [r for r, c in zip(raw_names, names, strict=True) if not wanted or c in wanted]
    use = use or raw_names[:1]  # none of them: still count the rows, and say what is missing
    options = {"sep": sep, "usecols": use, "dtype": "string[pyarrow]", "encoding": encoding}
    try:
        try:  # pyarrow's reader: about ten times faster on a large export
            df = pd.read_csv(source, engine="pyarrow", **options)
        except (ImportError, ValueError, TypeError):
            df = pd.read_csv(source, keep_default_na=False, na_values=[""], **options)
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as e:
        problems.append(f"{source.name}: not a readable CSV ({' '.join(str(e).split())[:300]})")
        return None
    df.columns = [str(c).strip() for c in df.columns]
    df.attrs["sep"], df.attrs["columns"] = sep, names
    if df.empty:
        problems.append(f"{source.name}: has a header but no rows")
        return None
    return df


def _by_unique(s: pd.Series, parse) -> pd.Series:
    """``parse`` applied to the distinct values of ``s`` only, then spread back.

    An export of millions of rows holds a few thousand distinct dates or prices:
    parsing those is what costs, not finding them.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    parsed = parse(pd.Series(uniques, dtype=s.dtype)).to_numpy()
    out = parsed.take(np.where(codes < 0, 0, codes)) if len(parsed) else parsed[:0]
    result = pd.Series(out, index=s.index)
    result[codes < 0] = None
    return result.astype(parsed.dtype) if len(parsed) else result


def _number(s: pd.Series, decimal_comma: bool) -> pd.Series:
    def parse(u: pd.Series) -> pd.Series:
        t = u.str.strip().str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
        if decimal_comma:
            t = t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        return pd.to_numeric(t, errors="coerce").astype("float64")

    return _by_unique(s, parse)


def _lines(mask) -> str:
    rows = np.flatnonzero(np.asarray(mask))
    shown = ", ".join(str(r + 2) for r in rows[:3])
    return f"line(s) {shown}" + (f" (+{len(rows) - 3} more)" if len(rows) > 3 else "")


def _dates(s: pd.Series, dayfirst, col, fname, problems) -> pd.Series | None:
    """Dates of an export: ISO, or day-first / month-first, with a time or not.

    Parsed once per distinct value (an export repeats its dates); the problems
    name the export's lines.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if (codes < 0).any():
        problems.append(f"{fname}: column {col!r} has empty dates at {_lines(codes < 0)}")
        return None
    text = pd.Series(uniques, dtype="object").astype(str)
    parsed = _unique_dates(text, dayfirst, col, fname, problems)
    if parsed is None:
        return None
    d = pd.Series(parsed.to_numpy().take(codes), index=s.index)
    bad = d.isna()
    if bad.any():
        problems.append(
            f"{fname}: column {col!r} has dates that cannot be read at {_lines(bad)}, e.g. "
            f"{s[bad].iloc[0]!r}; use YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY"
        )
        return None
    return d


def _unique_dates(s: pd.Series, dayfirst, col, fname, problems) -> pd.Series | None:
    """Distinct date texts → dates (NaT where unreadable); None when the order is unknown."""
    day = s.str.strip().str.split(" ", n=1).str[0].str.split("T", n=1).str[0]
    if day.str.match(_ISO).all():
        return pd.to_datetime(day.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    parts = day.str.extract(r"^(\d{1,2})([./-])(\d{1,2})[./-](\d{2}|\d{4})$")
    ok = parts.notna().all(axis=1)
    first, second = pd.to_numeric(parts[0][ok]), pd.to_numeric(parts[2][ok])
    if dayfirst is None and ok.any():
        if (first > 12).any() and not (second > 12).any():
            dayfirst = True
        elif (second > 12).any() and not (first > 12).any():
            dayfirst = False
        else:
            problems.append(
                f"{fname}: column {col!r}: cannot tell day-first from month-first dates "
                f"(e.g. {s[ok].iloc[0]!r}); say which: --dayfirst or --monthfirst "
                "(dayfirst=True/False)"
            )
            return None
    day_, month = (first, second) if dayfirst else (second, first)
    year = pd.to_numeric(parts[3][ok])
    year = year.where(year >= 100, year + 2000)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    out[ok] = pd.to_datetime(
        pd.DataFrame({"year": year, "month": month, "day": day_}), errors="coerce"
    )
    return out


def _to_kit(raw: pd.DataFrame, columns, dayfirst, fname, problems):
    notes: dict = {}
    col = {k: columns.get(k, k) for k in KIT_COLUMNS}
    present = {k: c for k, c in col.items() if c in raw.columns}
    for k, c in columns.items():
        if c not in raw.columns:
            problems.append(
                f"{fname}: column {c!r} (mapped to {k}) is not in the export; its columns "
                f"are {raw.attrs['columns']}"
            )
    for k in _REQUIRED:
        if k not in present and k not in columns:
            problems.append(
                f"{fname}: no {k!r} column; map the export's column to it, e.g. --map "
                f"{k}=YourColumn (the export's columns: {raw.attrs['columns']})"
            )
    has_amount = "amount" in present
    has_qp = "quantity" in present and "unit_price" in present
    if not has_amount and not has_qp and "amount" not in columns:
        problems.append(
            f"{fname}: no amount: map a column to 'amount', or both 'quantity' and "
            f"'unit_price' (the export's columns: {raw.attrs['columns']})"
        )
    if problems:
        return None, notes
    decimal_comma = raw.attrs.get("sep") != ","
    out = pd.DataFrame(index=raw.index)
    # customers: rows without an id cannot be attributed
    cust = raw[present["customer_id"]].astype("string").str.strip()
    missing = cust.isna() | (cust == "")
    notes["rows_without_customer"] = int(missing.sum())
    d = _dates(raw[present["date"]].fillna(""), dayfirst, present["date"], fname, problems)
    numbers = {}
    for k in ("amount", "quantity", "unit_price", "cost", "discount"):
        if k in present:
            v = _number(raw[present[k]].fillna(""), decimal_comma)
            bad = v.isna() & raw[present[k]].notna()
            if bad.any():
                problems.append(
                    f"{fname}: column {present[k]!r} ({k}) is not a number at {_lines(bad)}, "
                    f"e.g. {raw[present[k]][bad].iloc[0]!r}"
                    + ("" if decimal_comma else "; decimal commas need a ';'-separated file")
                )
            numbers[k] = v
    if "currency" in present:
        found = sorted(set(raw[present["currency"]].dropna().str.strip()) - {""})
        if len(found) > 1:
            problems.append(
                f"{fname}: several currencies {found[:6]}; the kit adds amounts, so convert them "
                "to one currency first (or import each currency into its own folder)"
            )
        notes["currency"] = found[0] if found else None
    if problems:
        return None, notes
    amount = numbers["amount"] if has_amount else numbers["quantity"] * numbers["unit_price"]
    if amount.isna().any():
        problems.append(f"{fname}: empty amounts at {_lines(amount.isna())}")
        return None, notes
    keep = ~missing
    out = pd.DataFrame({"external_id": cust[keep].astype(str), "date": d[keep],
                        "amount": amount[keep]})  # fmt: skip
    for k in ("cost", "discount"):
        if k in numbers:
            out[k] = numbers[k][keep]
    for k in ("channel", "category"):
        if k in present:
            out[k] = raw.loc[keep, present[k]]
    if "order_id" in present:
        out["order"] = raw.loc[keep, present["order_id"]].astype(str)
        notes["order_lines"] = int(len(out))
        agg = {"external_id": "first", "date": "min", "amount": "sum"}
        agg.update({k: "sum" for k in ("cost", "discount") if k in out})
        agg.update({k: "first" for k in ("channel", "category") if k in out})
        out = out.groupby("order", sort=False).agg(agg).reset_index(drop=True)
    if out.empty:
        problems.append(f"{fname}: no row has a customer id")
        return None, notes
    return out, notes


def _write(frame: pd.DataFrame, out: Path, source: Path, name: str, notes: dict) -> None:
    from crmkit.world import conform

    ids = pd.Index(sorted(frame["external_id"].unique(), key=_natural))
    frame = frame.assign(customer_id=ids.get_indexer(frame["external_id"]) + 1)
    frame = frame.sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)
    frame["transaction_id"] = np.arange(1, len(frame) + 1)
    kit = {"transaction_id": frame["transaction_id"], "customer_id": frame["customer_id"],
           "date": frame["date"], "amount": frame["amount"].round(2)}  # fmt: skip
    for k in ("channel", "category", "cost", "discount"):
        if k in frame:
            kit[k] = frame[k]
    if "cost" in frame:  # the margin, as the generator defines it
        kit["margin"] = (frame["amount"] - frame["cost"]).round(2)
    transactions = conform("transactions", pd.DataFrame(kit))
    first = frame.groupby("customer_id")["date"].min()
    customers = conform(
        "customers", pd.DataFrame({"customer_id": first.index, "signup_date": first.values})
    )
    meta = {
        "kind": "own",
        "name": name,
        "source": source.name,
        "start": str(frame["date"].min().date()),
        "end": str(frame["date"].max().date()),
        "customers": int(len(customers)),
        "transactions": int(len(transactions)),
        "tables": ["customers", "transactions"],
        **{k: v for k, v in notes.items() if v is not None},
    }
    # written beside `out` first, then moved in: never a half-written folder
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".importing-", dir=out))
    try:
        present = {c for c in transactions.columns if transactions[c].notna().any()}
        transactions[[c for c in transactions.columns if c in present]].to_csv(
            tmp / "transactions.csv", index=False, date_format="%Y-%m-%d"
        )
        customers[["customer_id", "signup_date"]].to_csv(
            tmp / "customers.csv", index=False, date_format="%Y-%m-%d"
        )
        pd.DataFrame({"customer_id": np.arange(1, len(ids) + 1), "export_id": ids}).to_csv(
            tmp / "customer_ids.csv", index=False
        )
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        for file in sorted(tmp.iterdir()):
            os.replace(file, out / file.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _natural(value: str):
    """Sort key: ids that are numbers in numeric order, others as text after them."""
    try:
        return (0, float(value), "")
    except ValueError:
        return (1, 0.0, value)
