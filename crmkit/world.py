"""A CRM world: its tables, its ground truth, and how it is saved and loaded.

``World.save(path)`` writes one CSV per table (UTF-8, dates as ``YYYY-MM-DD``)
and the ground truth (``truth/``). :func:`load_world` reads such a folder back
with the same dtypes, or checks a folder of your own CSVs against
:data:`crmkit.schema.SCHEMA` and reports every problem in one error.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from crmkit.schema import DIRECTIONS, REQUIRED_TABLES, SCHEMA, TABLES

__all__ = [
    "ANALYSES",
    "Analysis",
    "World",
    "load_world",
    "conform",
    "customers_from_transactions",
    "DataValidationError",
    "category_values",
]


@dataclass(frozen=True)
class Analysis:
    """An analysis of the kit, the tables it needs, and what to collect without them."""

    title: str
    needs: tuple[str, ...]
    collect: str  # plain words: what data would enable it and how to start
    columns: tuple[str, ...] = ()  # "table.column"s that must hold values too


#: Which analyses a world's tables allow (:meth:`World.can`, :meth:`World.missing`).
ANALYSES: dict[str, Analysis] = {
    a[0]: Analysis(*a[1:])
    for a in (
        ("rfm", "RFM scores and segments", ("transactions",), ""),
        ("cohorts", "Cohorts, retention and churn by period", ("transactions",), ""),
        ("survival", "Repurchase and survival curves", ("transactions",), ""),
        ("value", "Lifetime value, value at risk, retention economics", ("transactions",), ""),
        ("satisfaction", "Satisfaction components, drivers and NPS", ("surveys",),
         "Survey answers: after a purchase or a contact, ask a short survey (overall "
         "satisfaction 1-7, the four components, likelihood to recommend 0-10) and keep each "
         "answer with the customer id and the date."),
        ("touchpoints", "Touchpoints, channels and complaints", ("interactions",),
         "Contacts: log every contact (complaint, question, praise, call, visit) with the "
         "customer id, date, channel and the team that handled it; most CRM and help-desk "
         "tools export this."),
        ("campaigns", "Acquisition, win-back and campaign response", ("campaigns",),
         "Campaigns: keep a list of campaigns (kind, channel, cost, start date) and record on "
         "each customer or purchase the campaign it came from."),
        ("staff", "Staff training and satisfaction by team", ("staff", "interactions"),
         "Staff and contacts: a list of the people who serve customers (team, training hours) "
         "and, for each contact, who handled it."),
        ("lifecycle", "Lifecycle stages and transitions", ("stage_history",),
         "Stages: record when each customer moves between stages (awareness, exploration, "
         "expansion, commitment, dissolution), e.g. from your CRM's pipeline or status field."),
        ("types", "Customer and relationship types, origins", ("customers",),
         "Customer details: for each customer, the relationship type, how they were acquired "
         "and where they came from (a new customer, won from a competitor, won back)."),
        ("margin", "Margins and profit per customer", ("transactions",),
         "Costs: export each purchase's cost of goods beside its amount (map it to 'cost' "
         "when you import); the margin is the amount minus the cost.", ("transactions.margin",)),
        ("payments", "Payment delays and cash flow", ("transactions",),
         "Payment dates: export the date each invoice was paid beside the purchase date.",
         ("transactions.paid_date",)),
    )
}  # fmt: skip

_DATE_UNIT = "datetime64[s]"


class DataValidationError(ValueError):
    """A data folder does not match the schema. ``problems`` lists every finding."""

    def __init__(self, path, problems, *, by="load_world", hint=None):
        self.problems = list(problems)
        head = f"{by}: {len(self.problems)} problem(s) in {path}:"
        body = "\n".join(f"  - {p}" for p in self.problems)
        hint = hint or (
            "Fix the files and load again; nothing was loaded. Every column is described "
            "in datasets/README.md (or run: crmkit datasets dictionary)."
        )
        super().__init__(f"{head}\n{body}\n{hint}")


def category_values(key: str) -> tuple[str, ...]:
    """The allowed values, in order, of a categorical column kind."""
    from crmkit import concepts

    if key == "direction":
        return DIRECTIONS
    return tuple(concepts.CATEGORIES[key])


def conform(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with exactly the schema's columns, in order, with the schema's dtypes.

    Columns the schema calls optional are added, empty, when absent: as the
    schema's dtype, or its nullable twin where that dtype cannot hold a missing
    value (``Int64`` for ``int``, ``boolean`` for ``bool``; a table without rows
    keeps the schema's dtypes). Used by the generator and the loader so both
    give identical frames.
    """
    out = {}
    for col in SCHEMA[table]:
        if col.name in df.columns:
            out[col.name] = _cast(df[col.name], col)
        else:
            out[col.name] = _empty(col, len(df))
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)), copy=False)


def _empty(col, n: int) -> pd.Series:
    """An all-missing column of ``n`` rows (nullable twins for ``int`` and ``bool``)."""
    if n == 0:  # an empty table has exactly the schema's dtypes
        return _cast(pd.Series([], dtype="object"), col)
    if col.dtype in ("int", "Int"):
        return pd.Series(pd.array([pd.NA] * n, dtype="Int64"))
    if col.dtype in ("bool", "boolean"):
        return pd.Series(pd.array([pd.NA] * n, dtype="boolean"))
    if col.dtype == "float":
        return pd.Series(np.full(n, np.nan))
    if col.dtype == "date":
        return pd.Series(np.full(n, np.datetime64("NaT"), dtype=_DATE_UNIT))
    return _cast(pd.Series([None] * n, dtype="object"), col)


def _cast(s: pd.Series, col) -> pd.Series:
    s = s.reset_index(drop=True)
    if col.dtype == "int":
        return s.astype("int64")
    if col.dtype == "Int":
        return s.astype("Int64")
    if col.dtype == "float":
        return s.astype("float64")
    if col.dtype == "str":
        return s.astype("str")
    if col.dtype == "date":
        if s.dtype == _DATE_UNIT:
            return s
        return pd.to_datetime(s, format="ISO8601").astype(_DATE_UNIT)
    if col.dtype == "cat":
        dtype = pd.CategoricalDtype(category_values(col.categories), ordered=True)
        if isinstance(s.dtype, pd.CategoricalDtype) and s.dtype == dtype:
            return s
        return s.astype("object").astype(dtype)
    if col.dtype == "bool":
        return s.astype("bool")
    if col.dtype == "boolean":
        return s.astype("boolean")
    raise AssertionError(f"unknown dtype {col.dtype!r} in schema")  # pragma: no cover


@dataclass
class World:
    """A synthetic (or loaded) CRM world.

    Attributes are pandas DataFrames, one per table of
    :data:`crmkit.schema.SCHEMA`, plus ``truth``: the latent parameters the
    generator used (empty for data you bring yourself) and ``meta``: seed,
    locale, dates.
    """

    customers: pd.DataFrame
    transactions: pd.DataFrame
    interactions: pd.DataFrame
    surveys: pd.DataFrame
    campaigns: pd.DataFrame
    staff: pd.DataFrame
    stage_history: pd.DataFrame
    truth: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The data tables by name (without the truth)."""
        return {name: getattr(self, name) for name in TABLES}

    def describe(self) -> str:
        """One line on what this data is: its name, customers, transactions and period.

        Examples
        --------
        >>> from crmkit import make_world
        >>> w = make_world(50, random_state=0, start="2024-01-01", end="2024-06-30")
        >>> w.describe()  # doctest: +ELLIPSIS
        'Synthetic CRM world (seed 0, en_US): 50 customers, ... to 2024-06-30'
        """
        meta = self.meta or {}
        t = self.transactions
        # a synthetic world's period is its meta's; your own data's is its purchases'
        start = (meta.get("start") if self.synthetic else None) or (
            str(t["date"].min().date()) if len(t) else "?"
        )
        end = (meta.get("end") if self.synthetic else None) or (
            str(t["date"].max().date()) if len(t) else "?"
        )
        if self.synthetic:
            name = (f"Synthetic CRM world (seed {meta.get('random_state')}, "
                    f"{meta.get('locale', '?')})")  # fmt: skip
        else:
            name = meta.get("name") or "CRM data from your own files"
        return (f"{name}: {len(self.customers):,} customers, {len(t):,} transactions, "
                f"{start} to {end}")  # fmt: skip

    @property
    def synthetic(self) -> bool:
        """True for a world the generator made (it has the truth to check against)."""
        return bool(self.truth) and bool((self.meta or {}).get("generator"))

    def has(self, table: str) -> bool:
        """True when ``table`` holds rows (for ``customers``: more than the ids and dates)."""
        if table not in TABLES:
            raise ValueError(f"World.has: `table` {table!r} is not one of {list(TABLES)}.")
        df = getattr(self, table)
        if table == "customers":
            known = [c for c in df.columns if c not in ("customer_id", "signup_date")]
            return len(df) > 0 and bool(df[known].notna().any().any())
        return len(df) > 0

    def can(self, analysis: str) -> bool:
        """True when this world's tables allow ``analysis`` (a key of :data:`ANALYSES`)."""
        return not self.missing(analysis)

    def missing(self, analysis: str) -> str:
        """Plain words on what data ``analysis`` needs and lacks here ("" when none).

        Examples
        --------
        >>> from crmkit import make_world
        >>> make_world(50, random_state=0).missing("satisfaction")
        ''
        """
        if analysis not in ANALYSES:
            raise ValueError(
                f"World.missing: `analysis` {analysis!r} is not one of {list(ANALYSES)}."
            )
        a = ANALYSES[analysis]
        lacking = [t for t in a.needs if not self.has(t)]
        for tc in a.columns:
            table, col = tc.split(".")
            df = getattr(self, table)
            if table not in lacking and (col not in df or not df[col].notna().any()):
                lacking.append(f"{col.replace('_', ' ')}s in {table}")
        if not lacking:
            return ""
        return (
            f"{a.title}: this needs {' and '.join(lacking)} data, which this data set does "
            f"not have. {a.collect}"
        )

    def __repr__(self):
        sizes = ", ".join(f"{k}={len(v):,}" for k, v in self.tables().items())
        return f"World({sizes})"

    def _repr_html_(self) -> str:
        """How a notebook (and the playbook) shows a world: where it comes from, its tables."""
        import html
        import re

        from crmkit.schema import TABLE_DESCRIPTIONS
        from crmkit.static_html import COURSE_ONLY_CLASS

        meta = self.meta or {}
        if meta.get("generator"):
            origin = (
                f"Synthetic CRM world: {meta.get('n_customers', len(self.customers)):,} "
                f"customers, locale {meta.get('locale', '?')}, seed {meta.get('random_state')}, "
                f"{meta.get('start', '?')} to {meta.get('end', '?')}"
            )
        else:
            origin = self.describe()
        rows = []
        for name, df in self.tables().items():
            what = TABLE_DESCRIPTIONS.get(name, "").split(". ")[0].rstrip(".")
            what = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(what))
            rows.append(
                f"<tr><td>{name}<span class='{COURSE_ONLY_CLASS}'> (<code>world.{name}</code>)"
                "</span></td><td style='text-align:right'>"
                f"{len(df):,}</td><td style='text-align:right'>{df.shape[1]}</td>"
                f"<td style='text-align:left'>{what}</td></tr>"
            )
        truth = (
            f"<p class='{COURSE_ONLY_CLASS}'><small><code>world.truth</code> holds what the "
            "generator planted (the answers to check your analyses against).</small></p>"
            if self.truth
            else ""
        )
        return (
            f"<div class='crmkit-world'><p><b>{html.escape(origin)}</b></p>"
            "<table class='crmkit-table'><thead><tr><th>table</th><th>rows</th>"
            "<th>columns</th><th style='text-align:left'>one row is</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>{truth}</div>"
        )

    def save(self, path, *, force: bool = False) -> Path:
        """Write the world to a folder: one CSV per table, ``truth/`` and ``meta.json``.

        The files are first written into a temporary folder inside ``path`` and
        then moved into place, so a failure leaves nothing half-written, and
        ``path`` may be a mount point (a disk or a share: nothing is renamed
        across devices).

        Parameters
        ----------
        path : str or Path
            Folder to write. It must not exist or be empty.
        force : bool, default=False
            Allow writing into a non-empty folder (its CSVs are replaced).

        Returns
        -------
        Path
            The folder written.
        """
        if isinstance(path, str) and not path.strip():
            raise ValueError(
                "World.save: `path` is empty: give a folder name, e.g. world.save('mydata') "
                f"(command line: --out mydata); got {path!r}."
            )
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise ValueError(
                f"World.save: path {str(path)!r} is a file, not a folder; pass a folder name."
            )
        if path.is_dir() and any(path.iterdir()) and not force:
            raise FileExistsError(
                f"World.save: folder {str(path)!r} is not empty; refusing to overwrite it. "
                "Choose a new folder, or pass force=True (command line: --force)."
            )
        created = _new_folders(path)
        path.mkdir(parents=True, exist_ok=True)
        try:
            # The temporary folder is inside `path`: on the same device, so the files
            # are moved in by renaming (also when `path` is a mount point).
            tmp = Path(tempfile.mkdtemp(prefix=".crmkit-save-", dir=path))
        except BaseException:
            _remove_folders(created)
            raise
        try:
            self._write_files(tmp)
            _move_in(tmp, path)
        except BaseException:
            _remove_folders(created)
            raise
        finally:
            _rmtree(tmp)
        return path

    def _write_files(self, folder: Path) -> None:
        """Write every file of the world into ``folder`` (which exists and is empty)."""
        (folder / "truth").mkdir()
        for name, df in self.tables().items():
            _write_csv(df, folder / f"{name}.csv")
        scalars, series = {}, []
        for name, value in self.truth.items():
            if isinstance(value, pd.DataFrame):
                _write_csv(value, folder / "truth" / f"{name}.csv", index=True)
            elif isinstance(value, pd.Series):
                scalars[name] = [[str(k), v] for k, v in value.items()]  # keeps the order
                series.append(name)
            else:
                scalars[name] = value
        scalars["__series__"] = series
        (folder / "truth" / "scalars.json").write_text(
            json.dumps(scalars, indent=1, sort_keys=True, default=_json_default) + "\n",
            encoding="utf-8",
        )
        (folder / "meta.json").write_text(
            json.dumps(self.meta, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )


def _new_folders(path: Path) -> list[Path]:
    """The folders that ``path.mkdir(parents=True)`` would create, deepest first."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    return missing


def _remove_folders(folders) -> None:
    """Remove folders created for a save that failed (deepest first)."""
    for folder in folders:
        _rmtree(folder)


def _move_in(tmp: Path, path: Path) -> None:
    """Move every file of ``tmp`` to the same place under ``path``, all or nothing.

    Files of ``path`` that are replaced are first moved aside into ``tmp``; if a
    move fails, the new files are taken out again and the old ones put back.
    """
    aside = tmp / ".replaced"
    moved: list[Path] = []  # files now in `path` that came from `tmp`
    kept: list[tuple[Path, Path]] = []  # (old file moved aside, where it was)
    made: list[Path] = []  # folders created under `path`
    try:
        for item in sorted(p for p in tmp.rglob("*") if p.is_file()):
            rel = item.relative_to(tmp)
            target = path / rel
            if not target.parent.is_dir():
                target.parent.mkdir(parents=True)
                made.append(target.parent)
            if target.exists() or target.is_symlink():
                backup = aside / rel
                backup.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, backup)
                kept.append((backup, target))
            os.replace(item, target)
            moved.append(target)
    except BaseException:
        for target in moved:
            target.unlink(missing_ok=True)
        for backup, target in kept:
            os.replace(backup, target)
        for folder in reversed(made):
            _rmtree(folder)
        raise


def _json_default(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, pd.Timestamp):
        return o.strftime("%Y-%m-%d")
    raise TypeError(f"cannot write {type(o).__name__} to JSON")


def _rmtree(path: Path):
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _write_csv(df: pd.DataFrame, path: Path, index: bool = False):
    df.to_csv(path, index=index, date_format="%Y-%m-%d", lineterminator="\n")


# --------------------------------------------------------------------------- loading


def load_world(path) -> World:
    """Load a world saved by :meth:`World.save`, or check and load your own CSVs.

    Parameters
    ----------
    path : str or Path
        A folder with at least ``transactions.csv`` (and ``customers.csv``:
        when it is absent, the customers are derived from the transactions,
        see :func:`customers_from_transactions`; without a ``transaction_id``
        column the rows are numbered 1..N);
        ``interactions.csv``, ``surveys.csv``, ``campaigns.csv``, ``staff.csv``
        and ``stage_history.csv`` are optional (empty tables when absent or
        when the file holds only its header line; ``customers.csv`` needs rows).
        Only the required columns of each file must be there (see
        ``datasets/README.md``); optional columns are added empty and columns
        the schema does not know are dropped. Files are UTF-8 CSV (with or
        without a byte-order mark), dates are written ``YYYY-MM-DD``.

    Returns
    -------
    World
        ``truth`` and ``meta`` are read from ``truth/`` and ``meta.json`` when
        the folder has them (a saved world), else they are empty. A folder whose
        CSV files hold more than :data:`CACHE_MIN_BYTES` keeps its checked
        tables in ``.crmkit-cache/`` (Parquet), read instead of the CSV files
        while no file of the folder has changed (name, size and time); a
        read-only folder is simply read every time.

    Raises
    ------
    DataValidationError
        Listing every problem found (missing files or columns, unparseable
        dates, negative amounts, unknown categories, duplicate ids, dangling
        references, empty or non-UTF-8 files), each with the file, the column
        and a few example line numbers. Nothing is half-loaded.

    Examples
    --------
    >>> import tempfile
    >>> from crmkit import make_world
    >>> folder = make_world(50, random_state=0).save(tempfile.mkdtemp() + "/w")
    >>> len(load_world(folder).customers)
    50
    """
    if isinstance(path, pd.DataFrame):
        raise TypeError(
            "load_world: `path` must be a folder name, got a DataFrame. "
            "To check your own data, save each table as CSV into one folder "
            "and pass that folder."
        )
    if not isinstance(path, str | os.PathLike):
        raise TypeError(
            f"load_world: `path` must be a folder name (str or Path), got {type(path).__name__}."
        )
    path = Path(path)
    if not path.is_dir():
        hint = " (it is a file: pass the folder that holds it)" if path.is_file() else ""
        raise FileNotFoundError(
            f"load_world: folder {str(path)!r} does not exist{hint}. Pass the "
            "folder holding customers.csv and transactions.csv."
        )
    key = _cache_key(path)
    cached = _read_cache(path, key)
    if cached is not None:
        return cached
    problems: list[str] = []
    raw: dict[str, pd.DataFrame] = {}
    # A transactions export alone is a world: its customers are derived from it
    derive = not (path / "customers.csv").exists() and (path / "transactions.csv").exists()
    for table in TABLES:
        file = path / f"{table}.csv"
        if table == "customers" and derive:
            continue
        if not file.exists():
            if table in REQUIRED_TABLES:
                needed = [c.name for c in SCHEMA[table] if c.required]
                problems.append(f"{file.name}: missing (a required file, with at least {needed})")
            continue
        needs_rows = table == "customers" or (table == "transactions" and derive)
        df = _read_raw(file, problems, rows_required=needs_rows)
        if df is not None:
            if table == "transactions" and "transaction_id" not in df.columns:
                df.insert(0, "transaction_id", [str(i) for i in range(1, len(df) + 1)])
            raw[table] = df
    tables: dict[str, pd.DataFrame] = {}
    parsed: dict[str, dict[str, pd.Series]] = {}
    for table, df in raw.items():
        checked, parsed[table] = _check_table(table, df, problems)
        if checked is not None:
            tables[table] = checked
    if derive and "transactions" in tables:
        tables["customers"] = customers_from_transactions(tables["transactions"])
        parsed["customers"] = {"customer_id": tables["customers"]["customer_id"]}
    _check_references(parsed, problems)
    truth, meta = _load_extras(path, problems)
    if problems:
        raise DataValidationError(path, problems)
    for table in TABLES:
        if table not in tables:
            tables[table] = conform(table, pd.DataFrame())
    world = World(**tables, truth=truth, meta=meta)
    _write_cache(path, key, world)
    return world


# --------------------------------------------------------------------------- the cache
#: Folder, inside a data folder, of the checked tables of a large world (Parquet).
CACHE_DIR = ".crmkit-cache"
#: Folders whose CSV files hold fewer bytes than this are read without a cache.
CACHE_MIN_BYTES = 32 * 2**20
_CACHE_VERSION = 1


def _cache_key(path: Path) -> dict | None:
    """What the cache of ``path`` must match: each file's name, size and time; None: no cache.

    Only a folder whose CSV files are large (:data:`CACHE_MIN_BYTES`) gets one:
    reading and checking 3.75 million purchases took 15 s, their checked tables
    in Parquet 1 s, and every lesson of a build loads the folder again.
    """
    files = sorted(
        f for f in path.rglob("*") if f.is_file() and CACHE_DIR not in f.relative_to(path).parts
    )
    if sum(f.stat().st_size for f in files if f.suffix == ".csv") < CACHE_MIN_BYTES:
        return None
    from crmkit import schema

    return {
        "version": _CACHE_VERSION,
        "schema": [[t, [(c.name, c.dtype) for c in schema.SCHEMA[t]]] for t in TABLES],
        "files": [[str(f.relative_to(path)), f.stat().st_size, f.stat().st_mtime_ns]
                  for f in files],  # fmt: skip
    }


def _read_cache(path: Path, key) -> World | None:
    """The world of ``path`` from its cache, when the cache matches ``key`` (else None)."""
    folder = path / CACHE_DIR
    if key is None or not (folder / "key.json").is_file():
        return None
    try:
        stored = json.loads((folder / "key.json").read_text(encoding="utf-8"))
        if stored != json.loads(json.dumps(key)):
            return None
        tables = {t: _from_parquet(t, pd.read_parquet(folder / f"{t}.parquet")) for t in TABLES}
    except (OSError, ValueError, TypeError, ImportError):
        return None
    truth, meta = _load_extras(path, [])
    return World(**tables, truth=truth, meta=meta)


def _from_parquet(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """A table as it was written: Parquet keeps every dtype but the dates' unit (ms)."""
    names = [c.name for c in SCHEMA[table]]
    if list(df.columns) != names:
        raise ValueError(f"the cached {table} has the columns {list(df.columns)}, not {names}")
    if df.empty:  # an empty table keeps no categories in Parquet: the schema's dtypes
        return conform(table, pd.DataFrame())
    for col in SCHEMA[table]:
        if col.dtype == "date" and df[col.name].dtype != _DATE_UNIT:
            df[col.name] = df[col.name].astype(_DATE_UNIT)
        elif col.dtype == "cat":
            df[col.name] = _cast(df[col.name], col)  # nothing to do when the dtype is kept
    return df


def _write_cache(path: Path, key, world: World) -> None:
    """Write the checked tables of ``path`` into its cache; a folder that is read-only gets none."""
    if key is None:
        return
    folder = path / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".writing-", dir=folder))
        try:
            for t, df in world.tables().items():
                df.to_parquet(tmp / f"{t}.parquet", index=False)
            (tmp / "key.json").write_text(json.dumps(key), encoding="utf-8")
            (folder / "key.json").unlink(missing_ok=True)  # the key last: never a half cache
            for f in sorted(tmp.iterdir(), key=lambda f: f.name == "key.json"):
                os.replace(f, folder / f.name)
        finally:
            _rmtree(tmp)
    except (OSError, ValueError, ImportError):
        pass


def customers_from_transactions(transactions: pd.DataFrame) -> pd.DataFrame:
    """The customers table of a world that has only transactions.

    One row per customer id in ``transactions``; the signup date is their
    first purchase. Every other column is empty (unknown).
    """
    first = transactions.groupby("customer_id", sort=True)["date"].min()
    return conform(
        "customers", pd.DataFrame({"customer_id": first.index, "signup_date": first.to_numpy()})
    )


def _read_raw(file: Path, problems, *, rows_required: bool) -> pd.DataFrame | None:
    data = file.read_bytes()
    if not data.strip():
        problems.append(f"{file.name}: the file is empty (not even a header line)")
        return None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")  # the byte-order mark
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        problems.append(
            f"{file.name}: not UTF-8 (byte {e.start}, line {line}); save it again as "
            "'CSV UTF-8' (in Excel or LibreOffice: Save as, then choose UTF-8)"
        )
        return None
    header = next((line for line in text.splitlines() if line.strip()), "")
    for sep, called in ((";", "';'-separated"), ("\t", "tab-separated")):
        if sep in header and "," not in header:
            problems.append(
                f"{file.name}: looks {called}; save it comma-separated (in Excel: "
                "CSV UTF-8 (comma delimited))"
            )
            return None
    try:
        # utf-8-sig: spreadsheet programs start UTF-8 files with a byte-order mark
        df = pd.read_csv(
            file, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig"
        )
    except (pd.errors.ParserError, ValueError) as e:
        problems.append(f"{file.name}: not a readable CSV ({' '.join(str(e).split())})")
        return None
    df.columns = [str(c).strip() for c in df.columns]
    if df.empty and rows_required:
        problems.append(f"{file.name}: has a header but no rows")
        return None
    return df


def _examples(rows) -> str:
    rows = list(rows)
    shown = ", ".join(str(r + 2) for r in rows[:3])  # +2: header line, 1-based lines
    more = f" (+{len(rows) - 3} more)" if len(rows) > 3 else ""
    return f"line(s) {shown}{more}"


def _check_table(table: str, df: pd.DataFrame, problems):
    """Check one raw table. Return (conformed frame or None, parsed columns)."""
    name = f"{table}.csv"
    n_before = len(problems)
    missing = [c.name for c in SCHEMA[table] if c.required and c.name not in df.columns]
    if missing:
        problems.append(
            f"{name}: missing required column(s) {missing} (columns present: {list(df.columns)})"
        )
    values: dict[str, pd.Series] = {}
    for col in SCHEMA[table]:
        if col.name not in df.columns:
            continue
        s = df[col.name]
        if isinstance(s, pd.DataFrame):  # the header names the column twice
            problems.append(f"{name}: column {col.name!r} appears more than once in the header")
            continue
        empty = s.isna()
        if not col.nullable and empty.any() and (col.required or col.dtype in ("int", "bool")):
            problems.append(
                f"{name}: column {col.name!r} has empty values at "
                f"{_examples(np.flatnonzero(empty))}"
            )
            continue
        if col.dtype in ("int", "Int", "float"):
            num = pd.to_numeric(s, errors="coerce")
            bad = num.isna() & ~empty
            if bad.any():
                problems.append(
                    f"{name}: column {col.name!r} is not numeric at "
                    f"{_examples(np.flatnonzero(bad))}, e.g. {s[bad].iloc[0]!r}"
                )
                continue
            frac = num.notna() & ((num % 1) != 0)
            if col.dtype != "float" and frac.any():
                problems.append(
                    f"{name}: column {col.name!r} must hold whole numbers; got "
                    f"{s[frac].iloc[0]!r} at {_examples(np.flatnonzero(frac))}"
                )
                continue
            ok = True
            if col.minimum is not None and (num < col.minimum).any():
                word = "negative" if col.minimum == 0 else f"below {col.minimum:g}"
                low = num < col.minimum
                problems.append(
                    f"{name}: column {col.name!r} has {word} values at "
                    f"{_examples(np.flatnonzero(low))}, e.g. {s[low].iloc[0]!r}"
                )
                ok = False
            if col.maximum is not None and (num > col.maximum).any():
                high = num > col.maximum
                problems.append(
                    f"{name}: column {col.name!r} has values above {col.maximum:g} at "
                    f"{_examples(np.flatnonzero(high))}, e.g. {s[high].iloc[0]!r}"
                )
                ok = False
            if ok:
                values[col.name] = num
        elif col.dtype == "date":
            d = pd.to_datetime(s, format="ISO8601", errors="coerce")
            bad = d.isna() & ~empty
            if bad.any():
                problems.append(
                    f"{name}: column {col.name!r} has dates that cannot be read at "
                    f"{_examples(np.flatnonzero(bad))}, e.g. {s[bad].iloc[0]!r}; "
                    "write dates as YYYY-MM-DD"
                )
                continue
            values[col.name] = d
        elif col.dtype == "cat":
            allowed = category_values(col.categories)
            bad = ~s.isin(allowed) & ~empty
            if bad.any():
                unknown = sorted(set(s[bad]))[:5]
                problems.append(
                    f"{name}: column {col.name!r} has unknown value(s) {unknown} at "
                    f"{_examples(np.flatnonzero(bad))}; allowed: {list(allowed)}"
                )
                continue
            values[col.name] = s
        elif col.dtype in ("bool", "boolean"):
            low = s.str.strip().str.lower()
            bad = ~low.isin(["true", "false", "1", "0"]) & ~empty
            if bad.any():
                problems.append(
                    f"{name}: column {col.name!r} must be True or False at "
                    f"{_examples(np.flatnonzero(bad))}, e.g. {s[bad].iloc[0]!r}"
                )
                continue
            values[col.name] = low.map({"true": True, "1": True, "false": False, "0": False})
        else:
            values[col.name] = s
        if col.unique and col.name in values:
            v = values[col.name]
            dup = v.duplicated(keep=False) & v.notna()
            if dup.any():
                problems.append(
                    f"{name}: column {col.name!r} must be unique; duplicates at "
                    f"{_examples(np.flatnonzero(dup))}, e.g. {s[dup].iloc[0]!r}"
                )
    if len(problems) > n_before:
        return None, values
    return conform(table, pd.DataFrame(values, index=df.index)), values


def _check_references(parsed, problems):
    """Foreign keys, checked on every column that could be read (even in a bad file)."""
    for table, values in parsed.items():
        for col in SCHEMA[table]:
            if not col.references or col.name not in values:
                continue
            ref_table, ref_col = col.references.split(".")
            known = parsed.get(ref_table, {}).get(ref_col)
            if known is None:  # that file is absent, or its key column is already reported
                continue
            keys = values[col.name].dropna()
            dangling = ~keys.isin(known)
            if dangling.any():
                rows = np.flatnonzero(values[col.name].notna())[dangling.to_numpy()]
                example = keys[dangling].iloc[0]
                example = int(example) if float(example).is_integer() else example
                problems.append(
                    f"{table}.csv: column {col.name!r} refers to {ref_table}."
                    f"{ref_col} values that do not exist at {_examples(rows)}, "
                    f"e.g. {example!r}"
                )


def _load_extras(path: Path, problems) -> tuple[dict, dict]:
    """The truth and meta of a saved world ({} for data you bring yourself)."""
    truth, meta = {}, {}
    meta_file = path / "meta.json"
    try:
        if meta_file.exists():
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
        truth = _load_truth(path / "truth")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as e:
        problems.append(
            f"meta.json or truth/: cannot be read ({' '.join(str(e).split())}); "
            "delete them if this is your own data (they hold a generated world's truth)"
        )
    return truth, meta


def _load_truth(folder: Path) -> dict:
    truth: dict = {}
    if not folder.is_dir():
        return truth
    scalars = folder / "scalars.json"
    if scalars.exists():
        values = json.loads(scalars.read_text(encoding="utf-8"))
        series = values.pop("__series__", [])
        for name, value in values.items():
            truth[name] = pd.Series(dict(value), name=name) if name in series else value
    for file in sorted(folder.glob("*.csv")):
        truth[file.stem] = pd.read_csv(file, index_col=0)
    return truth
