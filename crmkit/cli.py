"""The ``crmkit`` command (also ``python -m crmkit``).

Examples::

    crmkit generate --customers 2000 --seed 7 --locale pl_PL --out mydata
    crmkit datasets check
    crmkit build
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
  build      execute every lesson notebook (results in build/notebooks/)

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
        "(plus its ground truth) into a new folder. The same --seed always "
        "gives the same data.",
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
    g.add_argument("--start", default="2023-01-01", help="first day simulated (YYYY-MM-DD)")
    g.add_argument("--end", default="2024-12-31", help="last day simulated, the reference date")
    g.add_argument(
        "--out", required=True, metavar="DIR", help="folder to write; it must be new or empty"
    )
    g.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty folder, replacing its CSV files",
    )

    d = sub.add_parser(
        "datasets",
        help="check or regenerate the committed datasets",
        description="The default datasets live in datasets/. 'check' regenerates "
        "them in a temporary folder and compares every file; 'regenerate' "
        "rewrites them (needs --force if they exist); 'dictionary' prints the "
        "data dictionary.",
    )
    d.add_argument("action", choices=["check", "regenerate", "dictionary"])
    d.add_argument("--name", default="default", help="dataset name (default: default)")
    d.add_argument("--force", action="store_true", help="allow replacing existing files")

    b = sub.add_parser(
        "build",
        help="execute the lesson notebooks",
        description="Execute every notebooks/NN-*.ipynb in a fresh kernel and "
        "write the results to build/notebooks/. Unchanged notebooks are not "
        "executed again.",
    )
    b.add_argument("--force", action="store_true", help="execute every notebook again")
    b.add_argument("--timeout", type=int, default=300, help="seconds a cell may run")
    return p


def main(argv=None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return _COMMANDS[args.command](args)
    except (ValueError, TypeError, FileExistsError, FileNotFoundError) as e:
        first = str(e).splitlines()
        msg = " ".join(line.strip() for line in first) if len(first) <= 12 else str(e)
        print(f"crmkit {args.command}: error: {msg}", file=sys.stderr)
        return 2


def _generate(args) -> int:
    from pathlib import Path

    from crmkit.synth import make_world

    out = Path(args.out)
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
        print(data_dictionary())
        return 0
    if args.action == "regenerate":
        path = datasets.regenerate_dataset(args.name, force=args.force)
        print(f"Regenerated dataset {args.name!r} in {path}/")
        return 0
    problems = datasets.check_dataset(args.name)
    if problems:
        print(
            f"crmkit datasets: dataset {args.name!r} does not match its regeneration:",
            file=sys.stderr,
        )
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        print(
            "If the generator changed on purpose, run 'make data' and commit the files.",
            file=sys.stderr,
        )
        return 1
    print(f"Dataset {args.name!r}: every file equals its regeneration.")
    return 0


def _build(args) -> int:
    from crmkit.build import ROOT, execute_notebooks

    report = execute_notebooks(force=args.force, timeout=args.timeout)
    ran = {k: v for k, v in report.items() if not v["cached"]}
    for name, r in report.items():
        took = "cached" if r["cached"] else f"{r['seconds']:.1f} s"
        print(f"  {name}: {took}")
    print(
        f"Executed {len(ran)} notebook(s), {len(report) - len(ran)} cached. "
        f"Results: {ROOT / 'build' / 'notebooks'}/"
    )
    return 0


_COMMANDS = {"generate": _generate, "datasets": _datasets, "build": _build}
