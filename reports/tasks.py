"""Celery tasks of the reports domain: each calls one service."""

from celery import shared_task
from django.core.cache import cache

from reports.digests import team_digests_send_due
from reports.services.refresh import rollups_refresh


@shared_task(ignore_result=True)
def rollups_refresh_task() -> int:
    return rollups_refresh()


def rollups_refresh_soon() -> None:
    """Queues a refresh of the rollups after clicks were flushed, at most once a minute: the
    flush runs every 10 s, and a refresh recounts the rows of every share clicked since the
    last one."""
    if cache.add("reports:rollups-refresh-queued", True, timeout=60):
        rollups_refresh_task.apply_async(countdown=5)


@shared_task(ignore_result=True)
def team_digests_send_due_task() -> int:
    return team_digests_send_due()
