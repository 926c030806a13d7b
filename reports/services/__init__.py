"""Writes of the reports domain: the daily rollups (rebuilt whole, or refreshed for what
changed) and marketing's value per network and points."""

from reports.days import day_bounds, report_zone
from reports.models import FIGURES, METRICS, SUMMED
from reports.services.marks import rollups_mark_changed
from reports.services.refresh import rollups_refresh
from reports.services.rollups import ambassador_periods_rebuild, rollups_rebuild
from reports.services.tallies import Tally
from reports.services.values import network_value_save, points_rule_save

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
