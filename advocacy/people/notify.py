"""Telling an ambassador what happened to their share, by email. A failed email is logged and
never undoes the change it reports."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail

from advocacy.models import Share, User

logger = logging.getLogger(__name__)


def notify_ambassador(*, user: User, subject: str, body: str) -> None:
    if not user.email:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:
        logger.warning("could not email %s about: %s", user.pk, subject, exc_info=True)


def notify_people(*, users: Iterable[User], subject: str, body: str) -> int:
    """One email to each user who has an address (staff, marketing); how many were sent."""
    sent = 0
    for user in users:
        if not user.email:
            continue
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except Exception:
            logger.warning("could not email %s about: %s", user.pk, subject, exc_info=True)
        else:
            sent += 1
    return sent


def share_url(share: Share) -> str:
    return f"{settings.SITE_URL}/shares/{share.pk}/"


def budget_url() -> str:
    """Marketing's posting budget page, where "Credits topped up" is."""
    return f"{settings.SITE_URL}/manage/budget/"


def networks_url() -> str:
    """My networks, where an account is reconnected."""
    return f"{settings.SITE_URL}/networks/"
