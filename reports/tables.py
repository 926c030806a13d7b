"""The dashboard's tables, defined once: the page renders them and the CSV export writes the
very same rows, so a download always matches what the motivator saw."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .selectors import Dashboard

NOT_AVAILABLE = "not available"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection):
# https://owasp.org/www-community/attacks/CSV_Injection
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]  # int, Decimal, str, or None ("not available")


def dashboard_tables(dashboard: Dashboard) -> dict[str, Table]:
    funnel = dashboard.funnel
    tables = [
        Table(
            "participation",
            _("Participation"),
            [_("Step"), _("People"), _("Share of eligible (%)")],
            [
                [label, value, round(100 * value / funnel.eligible) if funnel.eligible else None]
                for label, value in (
                    (_("Eligible team members"), funnel.eligible),
                    (_("Opted in"), funnel.opted_in),
                    (_("Shared this period"), funnel.active),
                )
            ],
        ),
        Table(
            "days",
            _("Per day"),
            [
                _("Day"),
                _("Shares"),
                _("Clicks (measured)"),
                _("Engagements (measured)"),
                _("Impressions (measured)"),
                _("Potential reach (estimated)"),
            ],
            [
                [
                    row["day"].isoformat(),
                    row["totals"].shares,
                    row["totals"].clicks,
                    row["totals"].engagements,
                    row["totals"].impressions,
                    row["totals"].potential_reach,
                ]
                for row in dashboard.days
            ],
        ),
        Table(
            "networks",
            _("Per network"),
            [
                _("Network"),
                _("Shares"),
                _("Clicks (measured)"),
                _("Engagements (measured)"),
                _("Impressions (measured)"),
                _("Potential reach (estimated)"),
                _("Earned media value (estimated)"),
            ],
            [
                [
                    row["label"],
                    row["totals"].shares,
                    row["totals"].clicks,
                    row["totals"].engagements,
                    row["totals"].impressions,
                    row["totals"].potential_reach,
                    row["totals"].emv,
                ]
                for row in dashboard.networks
            ],
        ),
        Table(
            "content",
            _("Top content"),
            [
                _("Content"),
                _("Shares"),
                _("Clicks (measured)"),
                _("Engagements (measured)"),
                _("Potential reach (estimated)"),
            ],
            [
                [
                    row["content_item__title"],
                    row["totals"].shares,
                    row["totals"].clicks,
                    row["totals"].engagements,
                    row["totals"].potential_reach,
                ]
                for row in dashboard.top_items
            ],
        ),
        Table(
            "learnings",
            _("Learnings"),
            [_("Cause"), _("Shares"), _("How to avoid it")],
            [[row.label, row.count, row.how_to_avoid] for row in dashboard.learnings],
        ),
    ]
    return {table.key: table for table in tables}


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
