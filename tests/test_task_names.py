"""Celery tasks are found by their registered names: beat's database rows, the routing table
and messages already waiting in the broker store them. Moving a task's code must never change
its name."""

from django.conf import settings

from config.celery_app import app

REGISTERED = {
    "advocacy.tasks.accounts_remind_expiring_task",
    "advocacy.tasks.autoshare_run_task",
    "advocacy.tasks.clicks_flush_task",
    "advocacy.tasks.digests_send_due_task",
    "advocacy.tasks.metrics_refresh_task",
    "advocacy.tasks.quota_counters_purge_task",
    "advocacy.tasks.share_publish_task",
    "advocacy.tasks.shares_dispatch_due_task",
    "advocacy.tasks.visitor_salts_purge_task",
    "reports.tasks.rollups_refresh_task",
    "reports.tasks.team_digests_send_due_task",
}


def registered_names() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_every_task_keeps_its_registered_name() -> None:
    assert registered_names() == REGISTERED


def test_every_beat_entry_and_route_names_a_registered_task() -> None:
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    routed = set(settings.CELERY_TASK_ROUTES)

    assert scheduled | routed <= registered_names()
    assert scheduled == REGISTERED - {"advocacy.tasks.share_publish_task"}
    assert routed == {"advocacy.tasks.share_publish_task"}
