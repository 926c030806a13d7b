"""Celery tasks: each loads by id and calls one service. Their registered names
("advocacy.tasks.<name>") are stored by beat's schedule rows, the routing table and messages
waiting in the broker, so they never change (tests/test_task_names.py)."""

from typing import Any

from celery import shared_task

from advocacy.clicks.count import visitor_salts_purge
from advocacy.clicks.flush import clicks_flush
from advocacy.networks.accounts import accounts_remind_expiring
from advocacy.publishing.dispatch import shares_dispatch_due
from advocacy.publishing.metrics import metrics_refresh
from advocacy.publishing.publish import share_publish
from advocacy.publishing.quotas import quota_counters_purge
from advocacy.sharing.autoshare import autoshare_run
from advocacy.sharing.digest import digests_send_due


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def share_publish_task(self: Any, share_id: int) -> None:
    # acks_late + reject_on_worker_lost: a worker that dies mid-post gets the message back,
    # and share_publish sees its own attempt id on the row and reconciles instead of posting.
    share_publish(share_id=share_id, attempt_id=self.request.id or "")


@shared_task(ignore_result=True)
def shares_dispatch_due_task() -> int:
    return shares_dispatch_due()


@shared_task(ignore_result=True)
def autoshare_run_task() -> int:
    return autoshare_run()


@shared_task(ignore_result=True)
def digests_send_due_task() -> int:
    return digests_send_due()


@shared_task(ignore_result=True)
def metrics_refresh_task() -> int:
    return metrics_refresh()


@shared_task(ignore_result=True)
def visitor_salts_purge_task() -> int:
    return visitor_salts_purge()


@shared_task(ignore_result=True)
def clicks_flush_task() -> int:
    # The one import inside a task body: reports.tasks imports this app's services, so
    # importing it at the top would make the two task modules import each other.
    from reports.tasks import rollups_refresh_soon  # noqa: PLC0415

    flushed = clicks_flush()
    if flushed:
        rollups_refresh_soon()  # the reports show new clicks without waiting for the beat
    return flushed


@shared_task(ignore_result=True)
def quota_counters_purge_task() -> int:
    return quota_counters_purge()


@shared_task(ignore_result=True)
def accounts_remind_expiring_task() -> int:
    return accounts_remind_expiring()
