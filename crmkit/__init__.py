"""crmkit: a Jupyter teaching and playbook kit on customer relationship management.

The public namespace is flat::

    import crmkit
    world = crmkit.make_world(2000, locale="pl_PL", random_state=7)
    world = crmkit.load_dataset()              # the committed default world
    crmkit.rfm_table(world.transactions)       # every metric of crmkit.metrics
    crmkit.plot_cohort_heatmap(...)            # every figure of crmkit.plots
    crmkit.concepts.STRATEGIES                 # the taxonomy as data

Figures, widgets, the generator (and Faker), the datasets and the world's
loader are imported on first use, so ``import crmkit`` stays light (a workshop
dashboard's kernel imports only what its widget needs).

Where things live (one home per computation): ``crmkit.metrics`` computes,
``crmkit.plots`` draws (``plot_*`` on a given Axes), ``crmkit.widgets`` wires
controls to the two (redraw state only in ``widgets._core.kept``),
``crmkit._checks`` checks arguments, ``crmkit.synth`` generates worlds,
``crmkit.claims`` holds the lessons' data statements, ``crmkit.site`` renders the
playbook, ``crmkit.exercises`` and ``crmkit.workshop`` serve classes. The README's
"Where things live" section has the full map.
"""

from crmkit import concepts, metrics
from crmkit.concepts import (
    GLOSSARY,
    LIFECYCLE_STAGES,
    RELATIONSHIP_TYPES,
    SATISFACTION_COMPONENTS,
    STRATEGIES,
)
from crmkit.metrics import *  # noqa: F403 - the metrics are part of the flat namespace

__version__ = "0.1.0"

_PLOTS = (
    "plot_acquisition_plan", "plot_calendar_actions", "plot_channel_consistency",
    "plot_cohort_heatmap", "plot_customer_journey", "plot_events_per_week", "plot_kpi_corridor",
    "plot_kpi_dashboard", "plot_loyalty_ladder", "plot_nps_distribution",
    "plot_prediction_spread", "plot_price_consistency", "plot_retention_curve",
    "plot_retention_economics", "plot_retention_simulator", "plot_rfm_segments",
    "plot_room_heatmap", "plot_room_range", "plot_satisfaction_drivers", "plot_scenario_mix",
    "plot_scorecard_radar", "plot_segment_summary", "plot_stage_mix", "plot_targeted_by_stage",
    "plot_targeting", "plot_touchpoint_map", "plot_touchpoint_mark", "plot_touchpoint_profile",
    "plot_touchpoint_satisfaction", "plot_training_effect", "plot_transition_heatmap",
    "plot_what_if_customers", "plot_what_if_money", "plot_what_if_weights",
)

#: Public names imported on first use, and the module each comes from.
_LAZY = {
    "DATASETS": "datasets",
    "load_dataset": "datasets",
    "SUPPORTED_LOCALES": "people",
    "make_world": "synth",
    "DataValidationError": "world",
    "World": "world",
    "load_world": "world",
}

__all__ = [
    "GLOSSARY", "LIFECYCLE_STAGES", "RELATIONSHIP_TYPES", "SATISFACTION_COMPONENTS",
    "STRATEGIES", "concepts", "metrics", *_LAZY, *metrics.__all__, *_PLOTS,
]


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"crmkit.{_LAZY[name]}"), name)
    if name in _PLOTS:
        from crmkit import plots

        return getattr(plots, name)
    if name in ("plots", "widgets", "lessons", "sources"):
        import importlib

        return importlib.import_module(f"crmkit.{name}")
    raise AttributeError(f"module 'crmkit' has no attribute {name!r}")
