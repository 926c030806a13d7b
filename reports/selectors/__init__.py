"""Reads of the reports domain, all from the daily rollups (never the raw Share, Click and
MetricSnapshot rows): one module per report, on the shared figures of `figures`."""

from .campaign import CampaignReport, NetworkCost, campaign_report, campaign_run, network_costs
from .figures import (
    DEFAULT_PERIOD,
    PERIODS,
    Change,
    Period,
    Rates,
    Totals,
    emv,
    network_rates,
    per_item,
    period_days,
    period_of,
)
from .leaderboard import Leader, leaderboard, points_rule
from .organisation import OrganisationReport, organisation_report
from .team import (
    HOW_TO_AVOID,
    WIN_CLICKS,
    Dashboard,
    Funnel,
    Learning,
    Win,
    campaign_progress,
    team_dashboard,
    team_funnel,
    team_learnings,
    team_rollups,
    team_wins,
)

__all__ = [
    "DEFAULT_PERIOD",
    "HOW_TO_AVOID",
    "PERIODS",
    "WIN_CLICKS",
    "CampaignReport",
    "Change",
    "Dashboard",
    "Funnel",
    "Leader",
    "Learning",
    "NetworkCost",
    "OrganisationReport",
    "Period",
    "Rates",
    "Totals",
    "Win",
    "campaign_progress",
    "campaign_report",
    "campaign_run",
    "emv",
    "leaderboard",
    "network_costs",
    "network_rates",
    "organisation_report",
    "per_item",
    "period_days",
    "period_of",
    "points_rule",
    "team_dashboard",
    "team_funnel",
    "team_learnings",
    "team_rollups",
    "team_wins",
]
