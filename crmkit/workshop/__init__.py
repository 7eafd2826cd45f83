"""Workshop mode: the live dashboards, served with Voila to a room of participants.

``crmkit workshop`` serves one small notebook per dashboard (``dashboards/``)
with its code hidden: the retention-economics simulator, the lifecycle
simulator, the ten-strategy scorecard, the segment explorer, the termination
what-if, and the trainer's dashboard that merges the room's scorecards.

- :mod:`crmkit.workshop.server` builds the Voila command (loopback by default,
  no CDN, tracebacks to the trainer's console, preheated kernels, culling);
- :mod:`crmkit.workshop.dashboard` is what a dashboard runs: the widget by name,
  or a friendly message;
- :mod:`crmkit.workshop.room` reads and merges the participants' scorecard
  CSVs and draws the room's comparison figure (its panels:
  :func:`crmkit.plots.plot_room_heatmap` and :func:`crmkit.plots.plot_room_range`);
- :mod:`crmkit.workshop.cli` is the ``crmkit workshop`` subcommand.
"""

from crmkit.workshop.dashboard import dashboard_widget
from crmkit.workshop.room import (
    merge_dashboard,
    read_room_scorecards,
    room_comparison,
    room_figure,
)
from crmkit.workshop.server import DASHBOARDS, serve, voila_command, voila_env

__all__ = [
    "DASHBOARDS",
    "dashboard_widget",
    "merge_dashboard",
    "read_room_scorecards",
    "room_comparison",
    "room_figure",
    "serve",
    "voila_command",
    "voila_env",
]
