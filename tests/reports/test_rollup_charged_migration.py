"""The migration that added the cost to the rollups fills it in for the days already rolled
up, as a rebuild would count it: a campaign's cost (read from the rollups since) keeps its
past posts."""

import importlib
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from advocacy.models import Share
from reports.services.rollups import ROLLUPS, rollups_rebuild
from tests.reports.test_rollups import DAY, world  # noqa: F401
from tests.reports.test_rollups_incremental import everything

pytestmark = pytest.mark.django_db

migration = importlib.import_module("reports.migrations.0009_rollup_charged")


def test_the_backfill_gives_every_rollup_the_cost_a_rebuild_counts(
    world: dict[str, Any],  # noqa: F811
) -> None:
    world["bravo"].members.add(world["s1"].user)  # s1 counts in two teams
    # A cost on a share of an item in no campaign too (the network rows' campaign is NULL).
    Share.objects.filter(pk=world["s3"].pk).update(cost=Decimal("0.1000"))
    rollups_rebuild(since=DAY, until=DAY + timedelta(days=2))
    rebuilt = everything()
    for model in ROLLUPS:  # as the rows were before the migration
        model._default_manager.update(charged=0, charged_shares=0)
    assert everything() != rebuilt

    migration.charged_backfill(apps, SimpleNamespace(connection=connection))

    assert everything() == rebuilt
