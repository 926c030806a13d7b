"""Telling an ambassador what happened to their share, by email. A failed email is logged and
never undoes the change it reports."""

import logging

from django.conf import settings
from django.core.mail import send_mail

from .models import Share, User

logger = logging.getLogger(__name__)


def notify_ambassador(*, user: User, subject: str, body: str) -> None:
    if not user.email:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:
        logger.warning("could not email %s about: %s", user.pk, subject, exc_info=True)


def share_url(share: Share) -> str:
    return f"{settings.SITE_URL}/shares/{share.pk}/"


def networks_url() -> str:
    """My networks, where an account is reconnected."""
    return f"{settings.SITE_URL}/networks/"
