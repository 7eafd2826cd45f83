"""``crmkit exercises build|grade``: the command line of the exercises.

``crmkit/cli.py`` wires it in with two lines::

    from crmkit.exercises.cli import add_subparser, run as run_exercises
    add_subparser(sub)                      # in _parser(), beside "build"
    _COMMANDS["exercises"] = run_exercises

It also runs on its own: ``python -m crmkit.exercises.cli build --count 3 --out DIR``.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["add_subparser", "run", "main"]

_DESCRIPTION = """\
Exercises that check themselves, on every participant's own data.

  build   write a student notebook per participant (their own seed, solutions
          removed) and a trainer edition (solutions and facilitation notes)
  grade   execute submitted notebooks and write a CSV: participant, notebook,
          question, result, score, detail

Examples:
  crmkit exercises build --roster people.csv --out course-2025
  crmkit exercises build --count 30 --out workshop
  crmkit exercises grade course-2025/submissions
"""


def add_subparser(subparsers) -> argparse.ArgumentParser:
    """Add the ``exercises`` command (with ``build`` and ``grade``) to ``subparsers``."""
    p = subparsers.add_parser(
        "exercises",
        help="build student and trainer editions of the exercises; grade submissions",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = p.add_subparsers(dest="exercises_action", metavar="ACTION", parser_class=type(p))

    b = actions.add_parser(
        "build",
        help="write the student notebooks and the trainer edition",
        description="Write OUT/students/<name>/NN-*.ipynb for every participant (their own "
        "seed, solutions and trainer notes removed), OUT/trainer/ (solutions and "
        "facilitation notes), OUT/participants.csv (who has which seed) and "
        "OUT/manifest.json (read by 'grade'). OUT must be new or empty unless --force; "
        "even with --force, a notebook that changed since it was built (answers typed) "
        "is never overwritten.",
    )
    who = b.add_mutually_exclusive_group(required=True)
    who.add_argument("--count", type=int, metavar="N", help="N participants, participant-01...")
    who.add_argument(
        "--roster",
        metavar="CSV",
        help="a CSV of participants: names or e-mail addresses, one per line "
        "(header 'name' and/or 'email' optional; an optional 'locale' column)",
    )
    b.add_argument("--out", required=True, metavar="DIR", help="folder to write")
    b.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty folder (untouched notebooks are replaced; "
        "answered ones are kept)",
    )
    b.add_argument(
        "--course",
        default="crmkit",
        help="course name: seeds depend on it and on each name (default: crmkit)",
    )
    b.add_argument(
        "--locale", default="en_US", help="language of names in the data (default: en_US)"
    )
    b.add_argument(
        "--customers", type=int, default=400, metavar="N", help="customers per world (default: 400)"
    )
    b.add_argument(
        "--only",
        nargs="+",
        metavar="EX",
        help="build only these exercise sets, e.g. --only ex1 ex2 (default: all)",
    )
    b.add_argument(
        "--src", metavar="DIR", help="folder of the source notebooks (default: exercises/)"
    )
    b.add_argument(
        "--data",
        metavar="DIR",
        help="a data folder (your team's: see `crmkit import`): every notebook computes on it, "
        "and questions it cannot answer are left out with a note on the data they need",
    )

    g = actions.add_parser(
        "grade",
        help="execute submitted notebooks and write a CSV of results",
        description="Execute every notebook under DIR in a fresh kernel inside a sandbox "
        "(bubblewrap: no network, no file outside the notebook's own scratch folder, limits on "
        "memory, processes and time; a time limit per notebook; two at a time). The notebook "
        "hands back its answers as data and the grader judges them itself against the "
        "participant's own world, rebuilt from the build's manifest. Submissions that loop, "
        "raise, delete check cells, change their seed, claim another participant's place or "
        "break a limit are reported as such; they never stop the grading of the others.",
    )
    g.add_argument("dir", metavar="DIR", help="folder (or one notebook) of submissions")
    g.add_argument("--out", metavar="CSV", help="CSV to write (default: DIR/grades.csv)")
    g.add_argument(
        "--manifest",
        metavar="JSON",
        help="the build's manifest.json (default: looked for in DIR and two folders up)",
    )
    g.add_argument("--timeout", type=float, default=120, help="seconds per notebook (default: 120)")
    g.add_argument("--workers", type=int, default=2, help="notebooks run at once (default: 2)")
    g.add_argument("--executed", metavar="DIR", help="also save the executed notebooks here")
    g.add_argument(
        "--no-sandbox",
        dest="sandbox",
        action="store_false",
        help="run the notebooks with your own permissions when no sandbox can be had "
        "(recorded in the CSV's sandbox column); only for submissions you trust",
    )
    g.add_argument(
        "--memory",
        type=float,
        default=3.0,
        metavar="GIB",
        help="address space each notebook's processes may map, in GiB (default: 3)",
    )
    p.set_defaults(_exercises_parser=p)
    return p


def run(args) -> int:
    """Run ``crmkit exercises ...`` from parsed arguments; returns the exit code."""
    action = getattr(args, "exercises_action", None)
    if action is None:
        args._exercises_parser.print_help()
        return 0
    try:
        if action == "build":
            from crmkit.exercises.builds import build_exercises

            report = build_exercises(
                args.out,
                count=args.count,
                roster=args.roster,
                src=args.src,
                exercises=args.only,
                force=args.force,
                course=args.course,
                locale=args.locale,
                n_customers=args.customers,
                data=args.data,
            )
            print(report)
            return 0
        from crmkit.exercises.grading import grade_submissions

        report = grade_submissions(
            args.dir,
            out=args.out,
            manifest=args.manifest,
            timeout=args.timeout,
            workers=args.workers,
            executed=args.executed,
            sandbox=args.sandbox,
            limits=_limits(args),
        )
        print(report)
        return 0
    except (ValueError, TypeError, FileExistsError, FileNotFoundError, RuntimeError) as e:
        print(f"crmkit exercises {action}: error: {e}", file=sys.stderr)
        return 2


def _limits(args):
    from crmkit.exercises.sandbox import Limits

    if not 0.5 <= args.memory <= 64:
        raise ValueError(f"--memory must be from 0.5 to 64 (GiB); got {args.memory:g}.")
    return Limits(memory=int(args.memory * 2**30), cpu_seconds=int(args.timeout) + 30)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="crmkit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_subparser(sub)
    args = parser.parse_args(["exercises", *(sys.argv[1:] if argv is None else argv)])
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
