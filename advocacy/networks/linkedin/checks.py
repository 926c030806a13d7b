"""System checks of this installation's network setup.

Django runs them with `manage.py check` (and before `runserver` and `migrate`); the web and
worker processes log them when they start (config/wsgi.py, config/celery_app.py), and staff
and marketing see them on a banner (advocacy/context_processors.py). They carry the tag
"networks" (`manage.py check --tag networks`); an operator silences one by its id in the
SILENCED_SYSTEM_CHECKS setting (environment variable of the same name), e.g. advocacy.W001.

The configured LinkedIn API version:
- advocacy.W001: its sunset is less than 60 days away;
- advocacy.W002: this code does not know it (a newer version than the table, or a typo);
- advocacy.E001: LinkedIn has retired it and refuses every post. An Error stops `runserver`
  and `migrate`, which is the point: nothing posts to LinkedIn until it is changed;
- advocacy.W003: the same without a LinkedIn app configured (LINKEDIN_CLIENT_ID empty): only a
  warning, so that an installation that does not use LinkedIn keeps running.
"""

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.networks.linkedin.versions import VersionState, version_status, versions_supported

logger = logging.getLogger(__name__)

TAG = "networks"
SUNSET_SOON = "advocacy.W001"
UNKNOWN_VERSION = "advocacy.W002"
RETIRED = "advocacy.E001"
RETIRED_UNUSED = "advocacy.W003"


def _advice(today: date) -> str:
    latest = versions_supported(today=today)
    if not latest:
        return _(
            "Set LINKEDIN_VERSION to a version LinkedIn supports "
            "(https://learn.microsoft.com/en-us/linkedin/marketing/integrations/migrations), "
            "then restart the web and worker processes."
        )
    best = max(latest, key=lambda v: v.name)
    return _(
        "Set LINKEDIN_VERSION to a version LinkedIn supports (for example %(version)s, "
        "supported until at least %(sunset)s), then restart the web and worker processes."
    ) % {"version": best.name, "sunset": best.sunset.isoformat()}


def linkedin_version_message(*, today: date | None = None) -> checks.CheckMessage | None:
    """What is wrong with settings.LINKEDIN_VERSION today, or None."""
    today = today or timezone.now().date()
    status = version_status(settings.LINKEDIN_VERSION, today=today)
    if status.state == VersionState.SUPPORTED:
        return None
    if status.state == VersionState.UNKNOWN:
        return checks.Warning(
            _(
                "LINKEDIN_VERSION is %(version)s, a LinkedIn API version this installation "
                "does not know, so it cannot tell when LinkedIn retires it."
            )
            % {"version": status.name},
            hint=_(
                "Check the version on "
                "https://learn.microsoft.com/en-us/linkedin/marketing/integrations/migrations; "
                "if it is right, add it to advocacy/networks/linkedin/versions.py."
            ),
            id=UNKNOWN_VERSION,
        )
    assert status.version is not None
    values = {"version": status.name, "sunset": status.version.sunset.isoformat()}
    if status.state == VersionState.RETIRED:
        return checks.Error(
            _(
                "LinkedIn retired API version %(version)s (LINKEDIN_VERSION) on %(sunset)s: "
                "LinkedIn refuses every post, and LinkedIn shares wait until it is changed."
            )
            % values,
            hint=_advice(today),
            id=RETIRED,
        )
    message = (
        _(
            "LinkedIn retires API version %(version)s (LINKEDIN_VERSION) on %(sunset)s "
            "(estimated: one year after its release); after that LinkedIn refuses every post."
        )
        if status.version.estimated
        else _(
            "LinkedIn retires API version %(version)s (LINKEDIN_VERSION) on %(sunset)s; "
            "after that LinkedIn refuses every post."
        )
    )
    return checks.Warning(message % values, hint=_advice(today), id=SUNSET_SOON)


@checks.register(TAG)
def check_linkedin_version(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    message = linkedin_version_message()
    if message is None:
        return []
    if message.is_serious() and not settings.LINKEDIN_CLIENT_ID:
        # Without a LinkedIn app nothing posts to LinkedIn: say it, but do not stop an
        # installation (or `make demo`) that does not use LinkedIn.
        return [checks.Warning(message.msg, hint=message.hint, id=RETIRED_UNUSED)]
    return [message]


def network_checks_current() -> list[checks.CheckMessage]:
    """This module's findings that are not silenced (for the banner and the start-up log)."""
    silenced = set(getattr(settings, "SILENCED_SYSTEM_CHECKS", []))
    return [message for message in check_linkedin_version() if message.id not in silenced]


def network_checks_log(*, process: str) -> None:
    """Log the findings when a web or worker process starts, where an operator looks."""
    for message in network_checks_current():
        level = logging.ERROR if message.is_serious() else logging.WARNING
        logger.log(level, "%s start: %s: %s %s", process, message.id, message.msg, message.hint)
