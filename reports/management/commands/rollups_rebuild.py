"""Rebuild the report rollups of the last N days from the raw rows (after an upgrade, a
restore, or to backfill). Safe to run at any time, also while the beat runs."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from reports.days import report_zone
from reports.services.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild the daily report rollups of the last N days (default 90)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate(timezone=report_zone())
        rows = rollups_rebuild(since=today - timedelta(days=options["days"] - 1), until=today)
        self.stdout.write(f"Rebuilt {options['days']} days: {rows} ambassador-day rows.")
