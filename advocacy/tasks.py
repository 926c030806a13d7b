"""Celery tasks: each loads by id and calls one service."""

from typing import Any

from celery import shared_task

from advocacy import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def share_publish_task(self: Any, share_id: int) -> None:
    # acks_late + reject_on_worker_lost: a worker that dies mid-post gets the message back,
    # and share_publish sees its own attempt id on the row and reconciles instead of posting.
    services.share_publish(share_id=share_id, attempt_id=self.request.id or "")


@shared_task(ignore_result=True)
def shares_dispatch_due_task() -> int:
    return services.shares_dispatch_due()


@shared_task(ignore_result=True)
def autoshare_run_task() -> int:
    return services.autoshare_run()


@shared_task(ignore_result=True)
def digests_send_due_task() -> int:
    from advocacy.services.digest import digests_send_due

    return digests_send_due()


@shared_task(ignore_result=True)
def metrics_refresh_task() -> int:
    return services.metrics_refresh()


@shared_task(ignore_result=True)
def visitor_salts_purge_task() -> int:
    return services.visitor_salts_purge()


@shared_task(ignore_result=True)
def clicks_flush_task() -> int:
    from advocacy.services.clicks import clicks_flush
    from reports.tasks import rollups_refresh_soon

    flushed = clicks_flush()
    if flushed:
        rollups_refresh_soon()  # the reports show new clicks without waiting for the beat
    return flushed


@shared_task(ignore_result=True)
def quota_counters_purge_task() -> int:
    from advocacy.services.quotas import quota_counters_purge

    return quota_counters_purge()


@shared_task(ignore_result=True)
def accounts_remind_expiring_task() -> int:
    return services.accounts_remind_expiring()
