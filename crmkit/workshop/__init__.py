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

# Imported on first use: a dashboard's kernel imports only what it shows
# (``crmkit.workshop.dashboard``), not the room's figures or the server.
_HOMES = {
    "dashboard_widget": "dashboard",
    "merge_dashboard": "room",
    "read_room_scorecards": "room",
    "room_comparison": "room",
    "room_figure": "room",
    "DASHBOARDS": "server",
    "serve": "server",
    "voila_command": "server",
    "voila_env": "server",
}

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


def __getattr__(name):
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(f"crmkit.workshop.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'crmkit.workshop' has no attribute {name!r}")
