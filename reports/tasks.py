"""Celery tasks of the reports domain: each calls one service."""

from celery import shared_task
from django.core.cache import cache

from . import services


@shared_task(ignore_result=True)
def rollups_refresh_task() -> int:
    return services.rollups_refresh()


def rollups_refresh_soon() -> None:
    """Queues a rebuild of today's rollups after clicks were flushed, at most once a minute:
    the flush runs every 10 s and a rebuild recounts whole days."""
    if cache.add("reports:rollups-refresh-queued", True, timeout=60):
        rollups_refresh_task.apply_async(countdown=5)


@shared_task(ignore_result=True)
def team_digests_send_due_task() -> int:
    from .digests import team_digests_send_due

    return team_digests_send_due()
