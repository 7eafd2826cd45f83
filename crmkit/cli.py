"""The ``crmkit`` command (also ``python -m crmkit``).

Examples::

    crmkit generate --customers 2000 --seed 7 --locale pl_PL --out mydata
    crmkit datasets check
    crmkit datasets dictionary --write
    crmkit build

Errors are one line on stderr (no traceback) and a non-zero exit status: 2 for
a wrong argument or input, 1 when ``datasets check`` finds a difference.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]

_DESCRIPTION = """\
crmkit: a Jupyter teaching and playbook kit on customer relationship management.

Commands:
  generate   make a synthetic CRM world (customers, purchases, contacts, surveys,
             campaigns, staff) and save it as CSV files in a new folder
  datasets   check or regenerate the default datasets committed under datasets/
  build      execute every lesson and render the HTML playbook in site/
  exercises  build per-participant exercise notebooks, and grade submissions
  workshop   serve the live dashboards to a room with Voila (127.0.0.1 by default)

Examples:
  crmkit generate --customers 500 --seed 1 --out my_world
  crmkit generate --customers 2000 --seed 7 --locale pl_PL --out polish_world
  crmkit datasets check

Load a generated folder in Python with crmkit.load_world("my_world").
Run 'crmkit COMMAND --help' for the options of a command.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump, exit 2
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    from crmkit.people import SUPPORTED_LOCALES

    p = _Parser(
        prog="crmkit",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    g = sub.add_parser(
        "generate",
        help="make a synthetic CRM world and save it as CSV",
        description="Make a synthetic CRM world and save one CSV per table "
        "(customers, transactions, interactions, surveys, campaigns, staff, "
        "stage_history) plus its ground truth (truth/) into a new folder. The "
        "same --seed always gives the same data; load it in Python with "
        "crmkit.load_world(DIR).",
        epilog="Example: crmkit generate --customers 500 --seed 1 --out my_world",
    )
    g.add_argument(
        "--customers",
        type=int,
        default=2000,
        metavar="N",
        help="number of customers (default: 2000)",
    )
    g.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="S",
        help="random seed: the same seed gives the same world (default: random)",
    )
    g.add_argument(
        "--locale",
        default="en_US",
        metavar="L",
        help=f"language of names and cities: {', '.join(SUPPORTED_LOCALES)} (default: en_US)",
    )
    g.add_argument(
        "--start",
        default="2023-01-01",
        metavar="DATE",
        help="first day simulated, YYYY-MM-DD (default: 2023-01-01)",
    )
    g.add_argument(
        "--end",
        default="2024-12-31",
        metavar="DATE",
        help="last day simulated, the 'as of' date of the data (default: 2024-12-31)",
    )
    g.add_argument(
        "--out", required=True, metavar="DIR", help="folder to write; it must be new or empty"
    )
    g.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty folder anyway, replacing the world's files in it",
    )

    d = sub.add_parser(
        "datasets",
        help="check or regenerate the committed datasets",
        description="The default datasets live in datasets/ (see datasets/README.md). "
        "'check' regenerates them in a temporary folder and compares every file, "
        "and checks the data dictionary in datasets/README.md; 'regenerate' "
        "rewrites them and the dictionary (what 'make data' runs: commit the "
        "result), but lists and keeps files that differ (edited by hand?) unless "
        "--force is given; 'dictionary' prints the data dictionary, or with "
        "--write rewrites it in datasets/README.md.",
    )
    d.add_argument(
        "action",
        choices=["check", "regenerate", "dictionary"],
        help="check, regenerate or dictionary",
    )
    d.add_argument("--name", default="default", help="dataset name (default: default)")
    d.add_argument(
        "--write",
        action="store_true",
        help="dictionary: rewrite its section of datasets/README.md instead of printing it",
    )
    d.add_argument(
        "--force",
        action="store_true",
        help="regenerate: replace files that differ from the regeneration (without it, "
        "regenerate lists them and writes nothing)",
    )

    b = sub.add_parser(
        "build",
        help="execute the lessons and render the static site in site/",
        description="Execute every notebooks/NN-*.ipynb in a fresh kernel (results in "
        "build/notebooks/) and render the HTML playbook in site/: an index, every lesson "
        "in a course edition (code shown) and a playbook edition (code hidden), the "
        "glossary, the data dictionary and downloads. Unchanged notebooks are not "
        "executed again.",
    )
    b.add_argument("--force", action="store_true", help="execute every notebook again")
    b.add_argument("--timeout", type=int, default=300, help="seconds a cell may run")
    b.add_argument(
        "--data",
        metavar="DIR",
        help="run every lesson on this data folder (yours: see `crmkit import`) instead of "
        "the kit's synthetic data; needs --out",
    )
    b.add_argument(
        "--out",
        metavar="DIR",
        help="where the site goes (default: site/; with --data a folder of its own)",
    )
    b.add_argument(
        "--pdf",
        action="store_true",
        help="also print PDF handouts (one per lesson, the whole playbook) with Debian's "
        "Chromium; linked from the downloads page",
    )
    b.add_argument(
        "--notebooks",
        metavar="DIR",
        help="the lesson notebooks to build (default: notebooks/ of the crmkit project)",
    )

    i = sub.add_parser(
        "import",
        help="turn a transactions export (CSV) into a data folder the kit reads",
        description="Read a transactions export as it comes (',', ';' or tab separated; "
        "decimal commas; day-first or month-first dates; order lines summed per order; "
        "refunds as negative amounts; one currency) and write a data folder with "
        "transactions.csv, customers.csv (derived: a customer's signup is their first "
        "purchase), customer_ids.csv (the kit's number for each of your ids) and "
        "meta.json. Every problem of the export is listed at once; nothing is written "
        "unless it succeeds.",
        epilog="Example (an online-retail export): crmkit import orders.csv --out our_data "
        "--map customer_id=CustomerID,date=InvoiceDate,quantity=Quantity,"
        "unit_price=UnitPrice,order_id=InvoiceNo --dayfirst",
    )
    i.add_argument("source", metavar="EXPORT.csv", help="the transactions export")
    i.add_argument("--out", required=True, metavar="DIR", help="folder to write (new or empty)")
    i.add_argument(
        "--map",
        metavar="PAIRS|FILE",
        help="the kit's column=your column, comma-separated (or a file with one pair a line); "
        "the kit's columns: customer_id, date, amount, quantity, unit_price, order_id, "
        "channel, category, cost, discount, currency",
    )
    order = i.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                       help="dates like 03/04/2024 are 3 April")  # fmt: skip
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="dates like 03/04/2024 are 4 March")  # fmt: skip
    i.add_argument("--name", help="the data's name on every page (default: the file's name)")
    i.add_argument("--force", action="store_true", help="replace the files of a non-empty --out")

    from crmkit.exercises.cli import add_subparser as add_exercises

    add_exercises(sub)

    from crmkit.workshop.cli import add_subparser as add_workshop

    add_workshop(sub)
    return p


def main(argv=None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return _COMMANDS[args.command](args)
    except (ValueError, TypeError, OSError) as e:
        lines = str(e).splitlines() or [type(e).__name__]
        msg = " ".join(line.strip() for line in lines) if len(lines) <= 12 else str(e)
        print(f"crmkit {args.command}: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"crmkit {args.command}: interrupted", file=sys.stderr)
        return 130


def _generate(args) -> int:
    from pathlib import Path

    import pandas as pd

    from crmkit.people import SUPPORTED_LOCALES, check_locale
    from crmkit.synth import make_world

    # Check every option before the (possibly long) generation, in the words of
    # the command line: --customers, not make_world's n_customers.
    if args.customers < 1:
        raise ValueError(
            f"--customers must be at least 1; got {args.customers}. Example: --customers 2000."
        )
    if args.seed is not None and args.seed < 0:
        raise ValueError(f"--seed must be a whole number >= 0; got {args.seed}. Example: --seed 7.")
    try:
        check_locale(args.locale)
    except ValueError:
        raise ValueError(
            f"--locale {args.locale!r} is not supported; choose one of "
            f"{', '.join(SUPPORTED_LOCALES)}."
        ) from None
    dates = {}
    for flag, value in (("--start", args.start), ("--end", args.end)):
        try:
            dates[flag] = pd.Timestamp(value)
        except (ValueError, TypeError):
            dates[flag] = pd.NaT
        if dates[flag] is pd.NaT:
            raise ValueError(f"{flag} must be a date written YYYY-MM-DD; got {value!r}.")
    if dates["--end"] <= dates["--start"]:
        raise ValueError(
            f"--end ({args.end}) must come after --start ({args.start}); "
            "pass a later --end or an earlier --start."
        )
    if not args.out.strip():
        raise ValueError(
            f"`--out` is empty: give a folder name, e.g. --out mydata (got {args.out!r})."
        )
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"--out {args.out!r} is a file, not a folder; choose a folder name.")
    if out.is_dir() and any(out.iterdir()) and not args.force:
        raise FileExistsError(
            f"--out folder {args.out!r} is not empty; refusing to overwrite "
            "it. Choose a new folder, or add --force."
        )
    world = make_world(
        args.customers, locale=args.locale, start=args.start, end=args.end, random_state=args.seed
    )
    world.save(out, force=args.force)
    print(f"Wrote {world!r} to {out}/")
    return 0


def _datasets(args) -> int:
    from crmkit import datasets
    from crmkit.schema import data_dictionary

    if args.action == "dictionary":
        if not args.write:
            print(data_dictionary())
            return 0
        changed = datasets.write_dictionary()
        readme = datasets.DATASETS_DIR / "README.md"
        print(f"{'Rewrote' if changed else 'Unchanged:'} the data dictionary in {readme}")
        return 0
    if args.write:
        raise ValueError("--write goes with 'dictionary': crmkit datasets dictionary --write")
    if args.action == "regenerate":
        # Refused (listing the files) if it would replace files that differ, e.g. a
        # customers.csv edited by hand, unless --force (make data FORCE=1).
        path = datasets.regenerate_dataset(args.name, force=args.force)
        print(f"Regenerated dataset {args.name!r} in {path}/")
        if (datasets.DATASETS_DIR / "README.md").is_file() and datasets.write_dictionary():
            print(f"Rewrote the data dictionary in {datasets.DATASETS_DIR / 'README.md'}")
        return 0
    problems = datasets.check_dataset(args.name) + datasets.check_dictionary()
    if problems:
        print(
            f"crmkit datasets check: dataset {args.name!r} is not up to date:",
            file=sys.stderr,
        )
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        print(
            "If the generator or the schema changed on purpose, run 'make data FORCE=1' "
            "(crmkit datasets regenerate --force) and commit the files.",
            file=sys.stderr,
        )
        return 1
    print(f"Dataset {args.name!r}: every file equals its regeneration.")
    return 0


def _build(args) -> int:
    from crmkit.build import build_all, format_report

    report = build_all(
        force=args.force, timeout=args.timeout, data=args.data, out=args.out, src=args.notebooks,
        pdf=args.pdf,
    )
    print(format_report(report))
    return 1 if report["failed"] else 0


def _exercises(args) -> int:
    from crmkit.exercises.cli import run

    return run(args)


def _workshop(args) -> int:
    from crmkit.workshop.cli import run

    return run(args)


def _import(args) -> int:
    from crmkit.own_data import import_transactions, parse_mapping
    from crmkit.world import load_world

    columns = parse_mapping(args.map) if args.map else None
    out = import_transactions(args.source, args.out, columns=columns, dayfirst=args.dayfirst,
                              name=args.name, force=args.force)  # fmt: skip
    world = load_world(out)
    meta = world.meta
    dropped = meta.get("rows_without_customer", 0)
    print(
        f"Wrote {out}/: {meta['customers']:,} customers, {meta['transactions']:,} transactions, "
        f"{meta['start']} to {meta['end']}."
        + (f" {dropped:,} rows without a customer id were left out." if dropped else "")
    )
    return 0


_COMMANDS = {
    "import": _import,
    "generate": _generate,
    "datasets": _datasets,
    "build": _build,
    "exercises": _exercises,
    "workshop": _workshop,
}
