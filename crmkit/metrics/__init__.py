"""Metrics: pure functions on the tables of a CRM world.

The input is never modified; column names can be passed as keywords; output
columns are fixed and documented. One submodule per concern: retention, value
(RFM, ladder, CLV, retention economics), lifecycle, satisfaction, kpis,
termination, channels, care (event calendar, strategy scorecard).
"""

from crmkit.metrics.care import (  # noqa: F401
    CARE_KINDS,
    MATURITY_LEVELS,
    STRATEGY_KPIS,
    care_actions_summary,
    event_calendar,
    merge_scorecards,
    read_scorecard_csv,
    scorecard_maturity,
    scorecard_to_csv,
    strategy_scorecard,
)
from crmkit.metrics.channels import (  # noqa: F401
    channel_consistency,
    channel_mix,
    channel_price_matrix,
)
from crmkit.metrics.kpis import (  # noqa: F401
    KPI_BAD_DIRECTION,
    KPI_COLUMNS,
    TrainingEffect,
    acquisition_by_channel,
    kpi_alerts,
    loyalty_kpis,
    origin_mix,
    satisfaction_by_team,
    training_effect,
    winback_by_campaign,
)
from crmkit.metrics.lifecycle import (  # noqa: F401
    lifecycle_flow,
    simulate_lifecycle,
    stage_at,
    transition_matrix,
    winback_rate,
)
from crmkit.metrics.retention import (  # noqa: F401
    churn_by_period,
    cohort_retention,
    retention_by_period,
    survival_curve,
)
from crmkit.metrics.satisfaction import (  # noqa: F401
    csat,
    driver_weights,
    nps,
    nps_table,
    satisfaction_band,
    satisfaction_drivers,
    touchpoint_satisfaction,
)
from crmkit.metrics.termination import (  # noqa: F401
    CRITERIA,
    METHODS,
    segment_mask,
    termination_candidates,
    termination_what_if,
)
from crmkit.metrics.value import (  # noqa: F401
    REICHHELD_ASSUMPTIONS,
    RFM_RULES,
    clv_table,
    customer_lifetime_value,
    loyalty_ladder,
    reichheld_example,
    retention_economics,
    rfm_scores,
    rfm_table,
)

__all__ = [
    "CARE_KINDS",
    "CRITERIA",
    "KPI_BAD_DIRECTION",
    "KPI_COLUMNS",
    "MATURITY_LEVELS",
    "METHODS",
    "REICHHELD_ASSUMPTIONS",
    "RFM_RULES",
    "STRATEGY_KPIS",
    "TrainingEffect",
    "acquisition_by_channel",
    "care_actions_summary",
    "channel_consistency",
    "channel_mix",
    "channel_price_matrix",
    "churn_by_period",
    "clv_table",
    "cohort_retention",
    "csat",
    "customer_lifetime_value",
    "driver_weights",
    "event_calendar",
    "kpi_alerts",
    "lifecycle_flow",
    "loyalty_kpis",
    "loyalty_ladder",
    "merge_scorecards",
    "nps",
    "nps_table",
    "origin_mix",
    "read_scorecard_csv",
    "reichheld_example",
    "retention_by_period",
    "retention_economics",
    "rfm_scores",
    "rfm_table",
    "satisfaction_band",
    "satisfaction_by_team",
    "satisfaction_drivers",
    "scorecard_maturity",
    "scorecard_to_csv",
    "segment_mask",
    "simulate_lifecycle",
    "stage_at",
    "strategy_scorecard",
    "survival_curve",
    "termination_candidates",
    "termination_what_if",
    "touchpoint_satisfaction",
    "training_effect",
    "transition_matrix",
    "winback_by_campaign",
    "winback_rate",
]
