import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from advocacy.clicks.count import tracked_link_forget
from advocacy.models import Network, NetworkAccount, Share, User
from advocacy.people.eligibility import person_check
from advocacy.sharing.captions import caption_guidance
from advocacy.sharing.enqueue import share_enqueue
from campaigns.models import CaptionVariant, ContentItem
from campaigns.selectors import content_item_is_for_user
from policy.models import PolicyVersion


@dataclass(frozen=True)
class ShareContext:
    policy: PolicyVersion
    account: NetworkAccount


def user_zone(user: User) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE)


def local_day_bounds(moment: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """The local day around `moment` in the ambassador's zone (23 or 25 hours on DST days)."""
    day = moment.astimezone(zone).date()
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    return start, end


def within_hours(moment: datetime, start: time, end: time, zone: tzinfo) -> bool:
    now = moment.astimezone(zone).time()
    if start < end:
        return start <= now < end
    return now >= start or now < end  # the window runs past midnight


def shares_on_day(user: User, moment: datetime, exclude_pk: int | None = None) -> int:
    start, end = local_day_bounds(moment, user_zone(user))
    shares = Share.objects.filter(
        user=user, status__in=Share.LIVE_STATUSES, scheduled_at__gte=start, scheduled_at__lt=end
    )
    if exclude_pk:
        shares = shares.exclude(pk=exclude_pk)
    return shares.count()


def _local(moment: datetime, user: User) -> str:
    return moment.astimezone(user_zone(user)).strftime("%Y-%m-%d %H:%M")


def _check_item(user: User, item: ContentItem, now: datetime, when: datetime | None) -> None:
    if item.status != ContentItem.Status.PUBLISHED or not content_item_is_for_user(
        item=item, user=user
    ):
        # No title here: a draft's title (or another team's item) is not for everyone to read.
        raise ValidationError(
            _("This item is not available for sharing."), code="item_not_published"
        )
    if item.available_until is not None and item.available_until <= now:
        raise ValidationError(
            _("“%(title)s” could be shared until %(until)s; it has expired.")
            % {
                "title": item.title,
                "until": _local(item.available_until, user),
            },
            code="item_expired",
        )
    if when is not None and item.available_until is not None and item.available_until <= when:
        raise ValidationError(
            _("“%(title)s” can be shared until %(until)s; pick an earlier time.")
            % {"title": item.title, "until": _local(item.available_until, user)},
            code="after_availability",
        )
    if item.available_from is not None and item.available_from > (when or now):
        raise ValidationError(
            _("“%(title)s” can be shared from %(from)s.")
            % {
                "title": item.title,
                "from": _local(item.available_from, user),
            },
            code="item_not_yet_available",
        )


def _check_account(user: User, network: str) -> NetworkAccount:
    account = NetworkAccount.objects.filter(user=user, network=network).first()
    label = Network(network).label
    if account is None or account.status == NetworkAccount.Status.DISCONNECTED:
        raise ValidationError(
            _("Connect your %(network)s account first.") % {"network": label},
            code="account_not_connected",
        )
    if not account.is_usable:
        raise ValidationError(
            _("Your %(network)s connection has %(status)s: reconnect it to share.")
            % {"network": label, "status": account.get_status_display()},
            code="account_needs_reconnect",
        )
    return account


def _check_limits(
    user: User, policy: PolicyVersion, now: datetime, exclude_pk: int | None = None
) -> None:
    """For "share now": the policy's daily maximum and sharing hours refuse, with the reason.
    (A share scheduled for later is moved to the next allowed moment instead.)"""
    if (
        policy.max_shares_per_day
        and shares_on_day(user, now, exclude_pk) >= policy.max_shares_per_day
    ):
        raise ValidationError(
            _(
                "You reached today's maximum of %(max)d shares set by the fair-use policy. "
                "Share again tomorrow, or schedule it for later."
            )
            % {"max": policy.max_shares_per_day},
            code="daily_maximum",
        )
    if (
        policy.sharing_hours_start
        and policy.sharing_hours_end
        and not within_hours(
            now, policy.sharing_hours_start, policy.sharing_hours_end, user_zone(user)
        )
    ):
        raise ValidationError(
            _(
                "The fair-use policy allows sharing between %(start)s and %(end)s (%(tz)s). "
                "Share again then, or schedule it for later."
            )
            % {
                "start": time_format(policy.sharing_hours_start, "H:i"),
                "end": time_format(policy.sharing_hours_end, "H:i"),
                "tz": user.time_zone,
            },
            code="outside_sharing_hours",
        )


def share_check(
    *,
    user: User,
    item: ContentItem,
    network: str,
    text: str,
    now: datetime | None = None,
    when: datetime | None = None,
    exclude: Share | None = None,
) -> ShareContext:
    """Every rule a share must pass, in the order a person would fix them. `when` is the
    moment a scheduled share goes out (None: now); `exclude` is the share being edited."""
    now = now or timezone.now()
    if network not in Network.values:
        raise ValidationError(
            _("Unknown network “%(network)s”.") % {"network": network}, code="bad_network"
        )
    policy = person_check(user=user)
    _check_item(user, item, now, when)
    account = _check_account(user, network)
    others = Share.objects.filter(
        user=user, network=network, content_item=item, status__in=Share.LIVE_STATUSES
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError(
            _("You already shared “%(title)s” to your %(network)s account.")
            % {"title": item.title, "network": Network(network).label},
            code="already_shared",
        )
    # The editor's guidance for this caption, its red items being the refusal.
    refusal = caption_guidance(
        user=user, item=item, network=network, text=text, policy=policy
    ).refusal()
    if refusal is not None:
        raise refusal
    if when is None:
        _check_limits(user, policy, now, exclude.pk if exclude else None)
    return ShareContext(policy=policy, account=account)


def share_insert(
    *,
    user: User,
    item: ContentItem,
    network: str,
    text: str,
    context: ShareContext,
    scheduled_at: datetime,
    requested_at: datetime | None = None,
    in_queue: bool = False,
    variant: CaptionVariant | None = None,
) -> Share:
    """Save a checked share. The partial unique index is the last word on "already shared":
    two tabs that pass the check at once cannot both insert."""
    share = Share(
        user=user,
        account=context.account,
        network=network,
        content_item=item,
        text=text.strip(),
        policy_version=context.policy,
        scheduled_at=scheduled_at,
        requested_at=requested_at,
        in_queue=in_queue,
        variant=variant,
        potential_reach=context.account.followers_count,
    )
    share.full_clean(exclude=["code"])
    try:
        with transaction.atomic():
            share.save()
    except IntegrityError:
        raise ValidationError(
            _("You already shared “%(title)s” to your %(network)s account.")
            % {"title": item.title, "network": Network(network).label},
            code="already_shared",
        ) from None
    return share


def share_create(
    *,
    user: User,
    item: ContentItem,
    network: str,
    text: str,
    variant: CaptionVariant | None = None,
) -> Share:
    """Share now: the share is scheduled for this moment and handed to the worker once the
    row is committed."""
    with transaction.atomic():
        # One share decision per person at a time: the daily maximum holds under double clicks.
        User.objects.select_for_update().filter(pk=user.pk).first()
        now = timezone.now()
        context = share_check(user=user, item=item, network=network, text=text, now=now)
        share = share_insert(
            user=user,
            item=item,
            network=network,
            text=text,
            context=context,
            scheduled_at=now,
            variant=variant,
        )
        share_enqueue(share=share)
    return share


@transaction.atomic
def share_cancel(*, share: Share) -> Share:
    """Only a share that has not started publishing can be cancelled."""
    updated = Share.objects.filter(pk=share.pk, status=Share.Status.SCHEDULED).update(
        status=Share.Status.CANCELLED, error="", updated_at=timezone.now()
    )
    share.refresh_from_db()
    if updated:
        tracked_link_forget(code=share.code)
    if not updated:
        raise ValidationError(
            _("This share is %(status)s and can no longer be cancelled.")
            % {"status": share.get_status_display()},
            code="not_cancellable",
        )
    return share
