"""Figures: seaborn-style functions ``plot_x(data, *, ..., ax=None, **kwargs)``.

Each draws on the given Axes (or the current one) and returns it; none calls
``plt.show()`` or sets a global theme. Palettes are colour-blind safe.
"""

from crmkit.plots.journey import (  # noqa: F401
    KIND_FAMILIES,
    plot_customer_journey,
)
from crmkit.plots.kpis import (  # noqa: F401
    KPI_LABELS,
    plot_kpi_dashboard,
    plot_training_effect,
)
from crmkit.plots.lifecycle import (  # noqa: F401
    plot_stage_mix,
    plot_transition_heatmap,
)
from crmkit.plots.retention import (  # noqa: F401
    plot_cohort_heatmap,
    plot_retention_curve,
)
from crmkit.plots.satisfaction import (  # noqa: F401
    plot_nps_distribution,
    plot_satisfaction_drivers,
    plot_touchpoint_satisfaction,
)
from crmkit.plots.strategy import (  # noqa: F401
    plot_channel_consistency,
    plot_room_heatmap,
    plot_room_range,
    plot_scorecard_radar,
)
from crmkit.plots.value import (  # noqa: F401
    plot_loyalty_ladder,
    plot_retention_economics,
    plot_rfm_segments,
    plot_segment_summary,
)

__all__ = [
    "KIND_FAMILIES",
    "KPI_LABELS",
    "plot_channel_consistency",
    "plot_cohort_heatmap",
    "plot_customer_journey",
    "plot_kpi_dashboard",
    "plot_loyalty_ladder",
    "plot_nps_distribution",
    "plot_retention_curve",
    "plot_retention_economics",
    "plot_rfm_segments",
    "plot_room_heatmap",
    "plot_room_range",
    "plot_satisfaction_drivers",
    "plot_scorecard_radar",
    "plot_segment_summary",
    "plot_stage_mix",
    "plot_touchpoint_satisfaction",
    "plot_training_effect",
    "plot_transition_heatmap",
]
