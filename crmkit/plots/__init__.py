"""Figures: seaborn-style functions ``plot_x(data, *, ..., ax=None, **kwargs)``.

Each draws on the given Axes (or the current one) and returns it; none calls
``plt.show()`` or sets a global theme. Palettes are colour-blind safe.
"""

from crmkit.plots.acquisition import (  # noqa: F401
    PLAN_VIEWS,
    plot_acquisition_plan,
)
from crmkit.plots.care import (  # noqa: F401
    plot_calendar_actions,
    plot_events_per_week,
)
from crmkit.plots.channels import (  # noqa: F401
    plot_price_consistency,
    plot_touchpoint_map,
    plot_touchpoint_mark,
    plot_touchpoint_profile,
)
from crmkit.plots.journey import (  # noqa: F401
    KIND_FAMILIES,
    plot_customer_journey,
)
from crmkit.plots.kpis import (  # noqa: F401
    KPI_LABELS,
    plot_kpi_corridor,
    plot_kpi_dashboard,
    plot_training_effect,
)
from crmkit.plots.lifecycle import (  # noqa: F401
    plot_scenario_mix,
    plot_stage_mix,
    plot_transition_heatmap,
)
from crmkit.plots.retention import (  # noqa: F401
    plot_cohort_heatmap,
    plot_retention_curve,
    plot_targeted_by_stage,
    plot_targeting,
)
from crmkit.plots.satisfaction import (  # noqa: F401
    plot_nps_distribution,
    plot_prediction_spread,
    plot_satisfaction_drivers,
    plot_touchpoint_satisfaction,
    plot_what_if_weights,
)
from crmkit.plots.segments import (  # noqa: F401
    plot_segment_summary,
)
from crmkit.plots.strategy import (  # noqa: F401
    plot_channel_consistency,
    plot_room_heatmap,
    plot_room_range,
    plot_scorecard_radar,
)
from crmkit.plots.termination import (  # noqa: F401
    plot_what_if_customers,
    plot_what_if_money,
)
from crmkit.plots.value import (  # noqa: F401
    ECONOMICS_TITLES,
    plot_loyalty_ladder,
    plot_retention_economics,
    plot_retention_simulator,
    plot_rfm_segments,
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
    "plot_prediction_spread",
    "plot_scenario_mix",
    "plot_what_if_weights",
    # termination, channels, KPIs, event calendar (issue 12)
    "plot_calendar_actions",
    "plot_events_per_week",
    "plot_kpi_corridor",
    "plot_price_consistency",
    "plot_touchpoint_map",
    "plot_touchpoint_mark",
    "plot_touchpoint_profile",
    "plot_what_if_customers",
    "plot_what_if_money",
    # acquisition planning, retention targeting, the retention simulator (issue 12)
    "ECONOMICS_TITLES",
    "PLAN_VIEWS",
    "plot_acquisition_plan",
    "plot_retention_simulator",
    "plot_targeted_by_stage",
    "plot_targeting",
]
