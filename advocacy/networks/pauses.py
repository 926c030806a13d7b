"""A network paused for the whole installation, for a reason that is the app's and not an
ambassador's (models.NetworkPause):

- api_version: LinkedIn refuses the configured API version (426 NONEXISTENT_VERSION, see
  advocacy/networks/linkedin/versions.py). Staff (the operators) are told once; the pause
  lifts by itself once the processes run with another LINKEDIN_VERSION.
- credits: X answers 402 Payment Required because the app's pay-per-use credits are spent
  (https://docs.x.com/x-api/getting-started/pricing: credits are bought upfront and deducted
  per request). Marketing is told once; the shares are tried again after
  X_CREDITS_RECHECK_AFTER, or at once from "Credits topped up".

While a pause holds, the network's shares wait (status scheduled, problem = the reason, no
attempt spent, their budget reservation given back) and the dispatcher does not enqueue them.
A post that succeeds on the network ends its pause.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import NetworkPause, Share, User
from advocacy.networks.linkedin.versions import KNOWN_VERSIONS, versions_supported
from advocacy.people.notify import budget_url, notify_people
from advocacy.people.roles import MARKETING

logger = logging.getLogger(__name__)

# The share problems that mean "waiting for a pause of the whole network".
PAUSE_PROBLEMS = (Share.Problem.API_VERSION, Share.Problem.CREDITS)
MIGRATIONS_URL = "https://learn.microsoft.com/en-us/linkedin/marketing/integrations/migrations"
X_CONSOLE_URL = "https://console.x.com"


def _holding(now: datetime) -> Q:
    """Pauses that hold at `now`: a version pause while the processes still send that
    version, a credits pause until its resume time."""
    return Q(reason=NetworkPause.Reason.API_VERSION, detail=settings.LINKEDIN_VERSION) | Q(
        Q(resume_at__isnull=True) | Q(resume_at__gt=now), reason=NetworkPause.Reason.CREDITS
    )


def network_paused(*, now: datetime) -> Exists:
    """For Share queries: whether the share's network is paused at `now` (an EXISTS in the
    same statement, so the publishing path asks no extra query)."""
    return Exists(NetworkPause.objects.filter(_holding(now), network=OuterRef("network")))


def network_pauses_holding(*, now: datetime | None = None) -> list[NetworkPause]:
    return list(NetworkPause.objects.filter(_holding(now or timezone.now())).order_by("network"))


def network_pause_holding(*, network: str, now: datetime | None = None) -> NetworkPause | None:
    return NetworkPause.objects.filter(_holding(now or timezone.now()), network=network).first()


def network_pauses_lift_stale() -> int:
    """A version pause whose version is no longer the one configured: the operator changed
    LINKEDIN_VERSION and restarted, so the pause ends and the waiting shares go out (the
    dispatcher finds them due). Run by the dispatcher and at worker start."""
    lifted, _rows = (
        NetworkPause.objects.filter(reason=NetworkPause.Reason.API_VERSION)
        .exclude(detail=settings.LINKEDIN_VERSION)
        .delete()
    )
    if lifted:
        logger.info("network pause lifted: LINKEDIN_VERSION is now %s", settings.LINKEDIN_VERSION)
    return lifted


def _posted_since(pause: NetworkPause) -> bool:
    return Share.objects.filter(
        network=pause.network, status=Share.Status.PUBLISHED, published_at__gt=pause.started_at
    ).exists()


def network_pause_start(
    *, network: str, reason: str, message: str, now: datetime | None = None
) -> NetworkPause:
    """Record that the network refuses every post for `reason` (and tell the people who can
    act, once per pause). Another refusal for the same reason, with no post that succeeded in
    between, is the same pause: it only moves the next try of the credits."""
    now = now or timezone.now()
    detail = settings.LINKEDIN_VERSION if reason == NetworkPause.Reason.API_VERSION else ""
    resume_at = (
        now + settings.X_CREDITS_RECHECK_AFTER if reason == NetworkPause.Reason.CREDITS else None
    )
    fields = {"reason": reason, "detail": detail, "message": message, "resume_at": resume_at}
    pause, created = NetworkPause.objects.get_or_create(
        network=network, defaults={**fields, "started_at": now}
    )
    if not created:
        new_story = pause.reason != reason or pause.detail != detail or _posted_since(pause)
        # Conditional on the start time read: of two workers refused at the same moment, one
        # starts the new pause, the other finds it started and only joins it.
        if not (
            new_story
            and NetworkPause.objects.filter(pk=pause.pk, started_at=pause.started_at).update(
                **fields, started_at=now, notified_at=None
            )
        ):
            NetworkPause.objects.filter(pk=pause.pk).update(resume_at=resume_at)
        pause.refresh_from_db()
    _notify_once(pause, now)
    return pause


def network_pause_clear(*, network: str) -> None:
    """A post went out on the network: whatever paused it is over."""
    if NetworkPause.objects.filter(network=network).delete()[0]:
        logger.info("network pause of %s cleared by a successful post", network)


def network_pause_resume(*, network: str, user: User, now: datetime | None = None) -> int:
    """Marketing topped up the network's credits: its waiting shares go at the dispatcher's
    next run. The pause itself stays (without a resume time in the future) until a post
    succeeds, so a 402 again pauses the shares without a second email. Returns how many
    shares were waiting."""
    now = now or timezone.now()
    NetworkPause.objects.filter(network=network, reason=NetworkPause.Reason.CREDITS).update(
        resume_at=now
    )
    waiting = Share.objects.filter(
        network=network, status=Share.Status.SCHEDULED, problem=Share.Problem.CREDITS
    ).update(next_attempt_at=now, enqueued_at=None)
    logger.info("%s credits topped up by user %s: %s shares go again", network, user.pk, waiting)
    return waiting


# --- what people read -----------------------------------------------------------------------
def pause_share_message(pause: NetworkPause) -> str:
    """For the ambassador, on the share: calm, not a failure of theirs."""
    network = pause.get_network_display()
    if pause.reason == NetworkPause.Reason.API_VERSION:
        return _(
            "%(network)s is paused for the whole company: %(network)s stopped accepting the "
            "version of its interface this installation uses. Nothing is wrong with your share "
            "or your account; it goes out once an administrator updates the %(network)s "
            "settings."
        ) % {"network": network}
    return _(
        "%(network)s is paused for the whole company: the company's %(network)s posting credits "
        "are spent. Nothing is wrong with your share or your account; it goes out once "
        "marketing tops the credits up."
    ) % {"network": network}


def pause_notice(pause: NetworkPause) -> str:
    """For staff and marketing, on the banner."""
    network = pause.get_network_display()
    if pause.reason == NetworkPause.Reason.API_VERSION:
        return _(
            "%(network)s posting is paused: %(network)s refuses API version %(version)s. Set "
            "LINKEDIN_VERSION to a supported version and restart the web and worker processes; "
            "the waiting shares then go out."
        ) % {"network": network, "version": pause.detail}
    if pause.resume_at is None:
        return _("%(network)s posting is paused: the %(network)s API credits are spent.") % {
            "network": network
        }
    return _(
        "%(network)s posting is paused: the %(network)s API credits are spent. Shares are tried "
        "again at %(time)s, or at once when the credits are topped up."
    ) % {
        "network": network,
        "time": timezone.localtime(pause.resume_at).strftime("%Y-%m-%d %H:%M %Z"),
    }


def _notify_once(pause: NetworkPause, now: datetime) -> None:
    # One conditional UPDATE: of all the shares refused during this pause, one sends the email.
    if not NetworkPause.objects.filter(pk=pause.pk, notified_at__isnull=True).update(
        notified_at=now
    ):
        return
    if pause.reason == NetworkPause.Reason.API_VERSION:
        users = User.objects.filter(is_staff=True, is_active=True).exclude(email="")
        subject, body = _version_email(pause)
    else:
        users = User.objects.filter(groups__name=MARKETING, is_active=True).exclude(email="")
        if not users.exists():
            users = User.objects.filter(is_staff=True, is_active=True).exclude(email="")
        subject, body = _credits_email(pause)
    sent = notify_people(users=users.distinct(), subject=subject, body=body)
    logger.warning("%s paused (%s): %s people told", pause.network, pause.reason, sent)


def _version_email(pause: NetworkPause) -> tuple[str, str]:
    network = pause.get_network_display()
    today = timezone.now().date()
    known = KNOWN_VERSIONS.get(pause.detail)
    retired = (
        _("LinkedIn retired it on %(date)s.") % {"date": known.sunset.isoformat()}
        if known
        else _("LinkedIn's migrations page does not list it.")
    )
    supported = versions_supported(today=today)
    best = max(supported, key=lambda v: v.name) if supported else None
    example = (
        _("for example %(version)s, supported until at least %(date)s")
        % {"version": best.name, "date": best.sunset.isoformat()}
        if best
        else _("see %(url)s") % {"url": MIGRATIONS_URL}
    )
    subject = _("%(network)s posting is paused: API version %(version)s is refused") % {
        "network": network,
        "version": pause.detail,
    }
    body = _(
        "%(network)s refuses every post made with API version %(version)s (the setting "
        "LINKEDIN_VERSION). %(retired)s\n\n"
        "Every %(network)s share waits; none is marked failed and none is lost.\n\n"
        "What to do:\n"
        "1. Set LINKEDIN_VERSION to a version %(network)s supports (%(example)s). The "
        "versions and their sunsets: %(url)s\n"
        "2. Restart the web and worker processes (and beat), so that they send the new "
        "version.\n"
        "The waiting shares then go out by themselves.\n\n"
        "%(network)s answered: %(message)s"
    ) % {
        "network": network,
        "version": pause.detail,
        "retired": retired,
        "example": example,
        "url": MIGRATIONS_URL,
        "message": pause.message,
    }
    return subject, body


def _credits_email(pause: NetworkPause) -> tuple[str, str]:
    network = pause.get_network_display()
    subject = _("%(network)s posting is paused: the %(network)s API credits are spent") % {
        "network": network
    }
    when = (
        timezone.localtime(pause.resume_at).strftime("%Y-%m-%d %H:%M %Z") if pause.resume_at else ""
    )
    body = _(
        "%(network)s refused a post because this installation's pay-per-use credits are spent "
        "(402 Payment Required).\n\n"
        "Every %(network)s share waits; none is marked failed and none is lost. They are tried "
        "again at %(time)s, and then every %(minutes)s minutes while the credits stay spent.\n\n"
        "What to do:\n"
        "1. Top the credits up in the X Developer Console: %(console)s\n"
        '2. Press "Credits topped up" on the posting budget page, and the waiting shares go '
        "out at once: %(budget)s\n\n"
        "%(network)s answered: %(message)s"
    ) % {
        "network": network,
        "time": when,
        "minutes": int(settings.X_CREDITS_RECHECK_AFTER.total_seconds() // 60),
        "console": X_CONSOLE_URL,
        "budget": budget_url(),
        "message": pause.message,
    }
    return subject, body
