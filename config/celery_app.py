"""The Celery application: one per project, configured from Django settings (CELERY_*)."""

import logging
import os
from typing import Any

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("advocacy_scheduler")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _startup_checks(**kwargs: Any) -> None:
    """When a worker starts: log what the network setup's system checks say (the LinkedIn API
    version), and lift a LinkedIn pause for a version this worker no longer sends, so that
    the shares waiting for the new version go out at the dispatcher's next run."""
    # Imported when the worker is ready: this module is loaded with the settings, before
    # Django's apps (and so the models these modules use) are.
    from advocacy.networks.linkedin.checks import network_checks_log  # noqa: PLC0415
    from advocacy.networks.pauses import network_pauses_lift_stale  # noqa: PLC0415

    try:
        network_checks_log(process="worker")
        network_pauses_lift_stale()
    except Exception:  # a check must never keep the worker from starting
        logging.getLogger(__name__).warning("start-up checks failed", exc_info=True)
