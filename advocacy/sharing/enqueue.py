"""Handing shares to the publishing worker.

A share is marked enqueued in the caller's transaction, and its message goes to the broker
only once that transaction commits, so the worker never reads the share before its changes are
committed. A message lost on the way (the broker was down) loses nothing: the share stays
"scheduled" and the dispatcher (advocacy/publishing/dispatch.py) enqueues it again once
SHARE_REENQUEUE_AFTER has passed.
"""

import logging
from datetime import datetime

from celery import current_app
from django.db import transaction
from django.utils import timezone

from advocacy.models import Share

logger = logging.getLogger(__name__)


# The worker's task (advocacy/tasks.py) is sent by its registered name: the task module
# imports the publishing modules, and they must not import it back.
SHARE_PUBLISH_TASK = "advocacy.tasks.share_publish_task"


def _send(share_ids: list[int]) -> None:
    for share_id in share_ids:
        try:
            current_app.send_task(SHARE_PUBLISH_TASK, args=[share_id])
        except Exception:
            # The row is committed and stays "scheduled": the beat task enqueues it again
            # once SHARE_REENQUEUE_AFTER has passed, so a broker outage loses nothing.
            logger.warning(
                "share %s: broker unavailable, left for the dispatcher", share_id, exc_info=True
            )


def shares_enqueue(*, share_ids: list[int], now: datetime) -> None:
    """The shares are marked enqueued at `now` and handed to the worker after the
    surrounding transaction commits (the dispatcher sends a batch at once)."""
    Share.objects.filter(pk__in=share_ids).update(enqueued_at=now)
    transaction.on_commit(lambda: _send(share_ids))


def share_enqueue(*, share: Share) -> None:
    """Hand the share to the worker after the surrounding transaction commits."""
    shares_enqueue(share_ids=[share.pk], now=timezone.now())
