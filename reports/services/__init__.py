"""Writes of the reports domain: the daily rollups (rebuilt whole, or refreshed for what
changed) and marketing's value per network and points."""

from reports.services.refresh import rollups_mark_changed, rollups_refresh
from reports.services.rollups import (
    FIGURES,
    METRICS,
    SUMMED,
    Tally,
    ambassador_periods_rebuild,
    day_bounds,
    network_value_save,
    points_rule_save,
    report_zone,
    rollups_rebuild,
)

__all__ = [
    "FIGURES",
    "METRICS",
    "SUMMED",
    "Tally",
    "ambassador_periods_rebuild",
    "day_bounds",
    "network_value_save",
    "points_rule_save",
    "report_zone",
    "rollups_mark_changed",
    "rollups_rebuild",
    "rollups_refresh",
]
