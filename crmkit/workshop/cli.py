"""``crmkit workshop``: serve the live dashboards with Voila.

Wired into :mod:`crmkit.cli` with :func:`add_subparser` and :func:`run`.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys

__all__ = ["add_subparser", "run"]

_CODE = re.compile(r"[A-Za-z0-9_-]{6,64}")

_DESCRIPTION = """\
Serve the live workshop dashboards in the browser with Voila (code hidden):
retention-economics, lifecycle, strategy-scorecard, segments, termination,
and merge-scorecards (for the trainer: compare the room's scorecard CSVs).

By default only this computer can open them (127.0.0.1). To let the room in,
add --host 0.0.0.0: then a room code is required (made up for you, or
--room-code), and the links to share carry it (http://ADDRESS:PORT/?code=...);
a visitor without it gets a page asking for the trainer's link and starts
nothing. The trainer's page (merge-scorecards) takes a separate trainer code
and is not listed for participants. Each participant starts a Python kernel on
this computer: do it only on a trusted room network, behind a firewall. Ctrl-C,
SIGTERM or SIGHUP stop the server and every kernel.
"""

_EPILOG = """\
Examples:
  crmkit workshop                                   all dashboards, this computer only
  crmkit workshop --dashboard strategy-scorecard    one dashboard, at http://127.0.0.1:8866/
  crmkit workshop --host 0.0.0.0 --pool-size 4      open to the room, 4 kernels ready per dashboard
  crmkit workshop --host 0.0.0.0 --dashboard retention-economics --room-size 40 --pool-size 40
                                                    a room of 40 on one dashboard, all preheated
  crmkit workshop --scorecards room/ --data my_world
"""


def add_subparser(subparsers) -> argparse.ArgumentParser:
    """Add the ``workshop`` command to ``subparsers`` (from ``add_subparsers``)."""
    from crmkit.workshop.server import DASHBOARDS

    w = subparsers.add_parser(
        "workshop",
        help="serve the live dashboards (Voila) for a workshop",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    w.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="H",
        help="address to listen on (default: 127.0.0.1, this computer only; "
        "0.0.0.0 opens it to the network)",
    )
    w.add_argument("--port", type=int, default=8866, metavar="P", help="port (default: 8866)")
    w.add_argument(
        "--dashboard",
        choices=list(DASHBOARDS),
        metavar="NAME",
        help=f"serve only this dashboard, at / ({', '.join(DASHBOARDS)}); default: all",
    )
    w.add_argument(
        "--pool-size",
        type=int,
        default=2,
        metavar="N",
        help="kernels kept started and ready per dashboard, so pages open at once "
        "(each holds about 200 MB; 0: none; default: 2). For a room on one dashboard, "
        "as many as --room-size: everyone finds a kernel ready",
    )
    w.add_argument(
        "--data",
        metavar="DIR",
        help="a folder of CSV files (crmkit generate) for the dashboards instead of "
        "the default dataset",
    )
    w.add_argument(
        "--scorecards",
        metavar="DIR",
        help="a folder of participants' scorecard CSVs that the merge-scorecards dashboard reads",
    )
    w.add_argument(
        "--cull-after",
        type=int,
        default=300,
        metavar="SECONDS",
        help="shut down a kernel this long after its page was closed or lost (default: 300)",
    )
    w.add_argument(
        "--room-size",
        type=int,
        metavar="N",
        help="seats: kernels at most, the preheated ones included (they are seats kept "
        "ready, and the pool is never refilled beyond the room); beyond it a page says the "
        "room is full and retries by itself (default: what 80%% of the available memory "
        "holds, at about 250 MB a kernel; 0: no cap)",
    )
    w.add_argument(
        "--room-code",
        metavar="CODE",
        help="the code participants' links carry (letters, digits, - and _; at least 6); "
        "default: made up when --host opens the server to the network, none on 127.0.0.1",
    )
    w.add_argument(
        "--trainer-code",
        metavar="CODE",
        help="the code of the trainer's pages (default: made up whenever there is a room code)",
    )
    w.add_argument(
        "--dry-run",
        action="store_true",
        help="print the Voila command instead of running it",
    )
    return w


def run(args) -> int:
    """Run ``crmkit workshop``; errors as ValueError (crmkit.cli prints them)."""
    from crmkit.workshop.server import serve

    if args.pool_size < 0:
        raise ValueError(f"--pool-size must be 0 or more; got {args.pool_size}.")
    if not 1 <= args.port <= 65535:
        raise ValueError(f"--port must be between 1 and 65535; got {args.port}.")
    if args.room_size is not None and args.room_size < 0:
        raise ValueError(f"--room-size must be 0 (no cap) or more; got {args.room_size}.")
    if args.cull_after < 10:
        raise ValueError(f"--cull-after must be at least 10 seconds; got {args.cull_after}.")
    for flag, code in (("--room-code", args.room_code), ("--trainer-code", args.trainer_code)):
        if code is not None and not _CODE.fullmatch(code):
            raise ValueError(
                f"{flag} must be at least 6 letters, digits, '-' or '_' (it goes in a link); "
                f"got {code!r}. Example: {flag} blue-kite-42."
            )
    if not args.dry_run and importlib.util.find_spec("voila") is None:
        print(
            "crmkit workshop: Voila is not installed. Install the workshop extra:\n"
            "  pip install -e '.[workshop]'   (or: pip install 'crmkit[workshop]')",
            file=sys.stderr,
        )
        return 2
    return serve(
        host=args.host,
        port=args.port,
        dashboard=args.dashboard,
        pool_size=args.pool_size,
        data_dir=args.data,
        scorecards=args.scorecards,
        cull_idle_timeout=args.cull_after,
        room_code=args.room_code,
        trainer_code=args.trainer_code,
        room_size=args.room_size,
        dry_run=args.dry_run,
    )
