"""The reports' tables, defined once: a page renders them and its CSV export writes the very
same rows, so a download always matches what was on the screen."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from reports.selectors.campaign import CampaignReport
from reports.selectors.impact import BestShare, Impact, MyTeam
from reports.selectors.leaderboard import Leader
from reports.selectors.organisation import OrganisationReport
from reports.selectors.team import Dashboard, Funnel, Learning

NOT_AVAILABLE = "not available"
CENT = Decimal("0.01")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection):
# https://owasp.org/www-community/attacks/CSV_Injection
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CsvUrl = Callable[[str], str]


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]  # int, Decimal, str, or None ("not available")
    csv_url: str = ""


def _figure_headers(*, emv: bool = False) -> list[str]:
    headers = [
        _("Shares"),
        _("Clicks (measured)"),
        _("Engagements (measured)"),
        _("Impressions (measured)"),
        _("Potential reach (estimated)"),
    ]
    return [*headers, _("Earned media value (estimated)")] if emv else headers


def _figures(row: dict[str, Any], *, emv: bool = False) -> list[Any]:
    totals = row["totals"]
    values = [
        totals.shares,
        totals.clicks,
        totals.engagements,
        totals.impressions,
        totals.known_reach,  # None ("not available") when no network gave it
    ]
    return [*values, totals.emv] if emv else values


def participation_table(funnel: Funnel, eligible: str) -> Table:
    return Table(
        "participation",
        _("Participation"),
        [_("Step"), _("People"), _("Share of eligible (%)")],
        [
            [label, value, round(100 * value / funnel.eligible) if funnel.eligible else None]
            for label, value in (
                (eligible, funnel.eligible),
                (_("Opted in"), funnel.opted_in),
                (_("Shared this period"), funnel.active),
            )
        ],
    )


def days_table(days: list[dict[str, Any]]) -> Table:
    return Table(
        "days",
        _("Per day"),
        [_("Day"), *_figure_headers()],
        [[row["day"].isoformat(), *_figures(row)] for row in days],
    )


def networks_table(networks: list[dict[str, Any]]) -> Table:
    return Table(
        "networks",
        _("Per network"),
        [_("Network"), *_figure_headers(emv=True)],
        [[str(row["label"]), *_figures(row, emv=True)] for row in networks],
    )


def content_table(items: list[dict[str, Any]]) -> Table:
    return Table(
        "content",
        _("Content"),
        [_("Content"), *_figure_headers()],
        [[row["content_item__title"], *_figures(row)] for row in items],
    )


def teams_table(teams: list[dict[str, Any]]) -> Table:
    return Table(
        "teams",
        _("Per team"),
        [_("Team"), *_figure_headers()],
        [[row["team__name"], *_figures(row)] for row in teams],
    )


def learnings_table(learnings: list[Learning]) -> Table:
    return Table(
        "learnings",
        _("Learnings"),
        [_("Cause"), _("Shares"), _("How to avoid it")],
        [[row.label, row.count, row.how_to_avoid] for row in learnings],
    )


def leaders_table(leaders: list[Leader]) -> Table:
    return Table(
        "leaderboard",
        _("Leaderboard"),
        [_("Rank"), _("Name"), _("Shares"), _("Clicks"), _("Engagements"), _("Points")],
        [
            [row.rank, row.name, row.shares, row.clicks, row.engagements, row.points]
            for row in leaders
        ],
    )


def progress_table(report: CampaignReport) -> Table:
    return Table(
        "progress",
        _("Progress"),
        [_("Day"), _("Achieved so far"), _("Goal")],
        [[day.isoformat(), value, report.target] for day, value in report.progress],
    )


def costs_table(report: CampaignReport) -> Table:
    """What the campaign's posts cost per network: charged so far (the budget's reservations),
    committed (shares still to go out at today's price) and their sum, an estimate."""
    not_billed = _("not billed")
    rows: list[list[Any]] = []
    for row in report.costs:
        cost = row.cost
        if cost is None:
            rows.append([row.label, not_billed, "", not_billed, "", not_billed])
            continue
        rows.append(
            [
                row.label,
                cost.charged.quantize(CENT),
                cost.charged_shares,
                cost.committed.quantize(CENT),
                cost.committed_shares,
                cost.estimate.quantize(CENT),
            ]
        )
    return Table(
        "costs",
        _("Cost of posting"),
        [
            _("Network"),
            _("Charged so far (measured)"),
            _("Posts charged"),
            _("Committed"),
            _("Shares still to go out"),
            _("Estimated total (estimated)"),
        ],
        rows,
    )


def _keyed(tables: list[Table], csv_url: CsvUrl) -> dict[str, Table]:
    return {
        table.key: Table(table.key, table.title, table.headers, table.rows, csv_url(table.key))
        for table in tables
    }


def dashboard_tables(dashboard: Dashboard, csv_url: CsvUrl) -> dict[str, Table]:
    return _keyed(
        [
            participation_table(dashboard.funnel, _("Eligible team members")),
            days_table(dashboard.days),
            networks_table(dashboard.networks),
            content_table(dashboard.top_items),
            learnings_table(dashboard.learnings),
            leaders_table(dashboard.leaders),
        ],
        csv_url,
    )


def organisation_tables(report: OrganisationReport, csv_url: CsvUrl) -> dict[str, Table]:
    return _keyed(
        [
            participation_table(report.funnel, _("Employees")),
            days_table(report.days),
            networks_table(report.networks),
            teams_table(report.teams),
            content_table(report.top_items),
            leaders_table(report.leaders),
        ],
        csv_url,
    )


def campaign_tables(report: CampaignReport, csv_url: CsvUrl) -> dict[str, Table]:
    return _keyed(
        [
            progress_table(report),
            costs_table(report),
            networks_table(report.networks),
            teams_table(report.teams),
            content_table(report.items),
        ],
        csv_url,
    )


def best_shares_table(shares: list[BestShare]) -> Table:
    return Table(
        "best",
        _("Your best shares"),
        [_("Content"), _("Network"), *_figure_headers(), _("Points")],
        [[row.title, row.label, *_figures({"totals": row.totals}), row.points] for row in shares],
    )


def my_teams_table(teams: list[MyTeam]) -> Table:
    """The totals of the reader's teams: one row per team, nobody named. Potential reach is
    "not available" when none of the team's shares went to a network that gives an audience."""
    return Table(
        "teams",
        _("My teams"),
        [
            _("Team"),
            _("Members who shared"),
            _("Members"),
            _("Shares"),
            _("Clicks (measured)"),
            _("Engagements (measured)"),
            _("Potential reach (estimated)"),
        ],
        [
            [
                row.name,
                row.funnel.active,
                row.funnel.eligible,
                row.totals.shares,
                row.totals.clicks,
                row.totals.engagements,
                row.totals.known_reach,
            ]
            for row in teams
        ],
    )


def impact_tables(impact: Impact, csv_url: CsvUrl) -> dict[str, Table]:
    """My impact's tables; the days carry the points earned each day too."""
    days = days_table(impact.days)
    with_points = Table(
        days.key,
        days.title,
        [*days.headers, _("Points")],
        [[*row, day["points"]] for row, day in zip(days.rows, impact.days, strict=True)],
    )
    return _keyed(
        [
            with_points,
            networks_table(impact.networks),
            content_table(impact.items),
            best_shares_table(impact.best_shares),
            my_teams_table(impact.teams),
        ],
        csv_url,
    )


def csv_cell(value: Any) -> Any:
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, int | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text  # shown as text, never run
    return text


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([csv_cell(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()
