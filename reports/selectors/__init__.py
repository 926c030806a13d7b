"""Reads of the reports domain, all from the daily rollups (never the raw Share, Click and
MetricSnapshot rows): one module per report, on the shared figures of `figures`."""

from reports.models import PERIODS
from reports.selectors.campaign import (
    CampaignReport,
    NetworkCost,
    campaign_report,
    campaign_run,
    network_costs,
)
from reports.selectors.figures import (
    DEFAULT_PERIOD,
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
from reports.selectors.leaderboard import Leader, leaderboard, points_rule
from reports.selectors.organisation import OrganisationReport, organisation_report
from reports.selectors.team import (
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
