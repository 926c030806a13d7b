from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from advocacy.models import NetworkAccount, Share, User
from advocacy.networks import Network
from campaigns.models import ContentItem
from campaigns.selectors import content_item_is_for_user
from policy.captions import blocking_messages, caption_findings, link_findings
from policy.models import PolicyVersion
from policy.selectors import policy_current, policy_has_acknowledged


@dataclass(frozen=True)
class ShareContext:
    policy: PolicyVersion
    account: NetworkAccount


def _local_day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    local = timezone.localtime(moment)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def _within_hours(moment: datetime, start: time, end: time) -> bool:
    now = timezone.localtime(moment).time()
    if start < end:
        return start <= now < end
    return now >= start or now < end  # the window runs past midnight


def _check_person(user: User) -> PolicyVersion:
    if not user.is_ambassador:
        raise ValidationError(
            _("You are not opted in as an ambassador. Opt in on the policy page to share."),
            code="not_opted_in",
        )
    policy = policy_current()
    if policy is None:
        raise ValidationError(_("There is no fair-use policy yet."), code="no_policy")
    if not policy_has_acknowledged(user=user, version=policy):
        raise ValidationError(
            _(
                "The fair-use policy changed (version %(number)s). Read and acknowledge it "
                "before your next share."
            )
            % {"number": policy.number},
            code="policy_not_acknowledged",
        )
    return policy


def _check_item(user: User, item: ContentItem, now: datetime) -> None:
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
                "until": timezone.localtime(item.available_until).strftime("%Y-%m-%d %H:%M"),
            },
            code="item_expired",
        )
    if item.available_from is not None and item.available_from > now:
        raise ValidationError(
            _("“%(title)s” can be shared from %(from)s.")
            % {
                "title": item.title,
                "from": timezone.localtime(item.available_from).strftime("%Y-%m-%d %H:%M"),
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


def _check_limits(user: User, policy: PolicyVersion, now: datetime) -> None:
    if policy.max_shares_per_day:
        start, end = _local_day_bounds(now)
        today = Share.objects.filter(
            user=user, status__in=Share.LIVE_STATUSES, scheduled_at__gte=start, scheduled_at__lt=end
        ).count()
        if today >= policy.max_shares_per_day:
            raise ValidationError(
                _(
                    "You reached today's maximum of %(max)d shares set by the fair-use policy. "
                    "Share again tomorrow."
                )
                % {"max": policy.max_shares_per_day},
                code="daily_maximum",
            )
    if (
        policy.sharing_hours_start
        and policy.sharing_hours_end
        and not _within_hours(now, policy.sharing_hours_start, policy.sharing_hours_end)
    ):
        raise ValidationError(
            _(
                "The fair-use policy allows sharing between %(start)s and %(end)s (%(tz)s). "
                "Share again then."
            )
            % {
                "start": time_format(policy.sharing_hours_start, "H:i"),
                "end": time_format(policy.sharing_hours_end, "H:i"),
                "tz": timezone.get_current_timezone_name(),
            },
            code="outside_sharing_hours",
        )


def share_check(
    *, user: User, item: ContentItem, network: str, text: str, now: datetime | None = None
) -> ShareContext:
    """Every rule a share must pass, in the order a person would fix them."""
    now = now or timezone.now()
    if network not in Network.values:
        raise ValidationError(
            _("Unknown network “%(network)s”.") % {"network": network}, code="bad_network"
        )
    policy = _check_person(user)
    _check_item(user, item, now)
    account = _check_account(user, network)
    if Share.objects.filter(
        user=user, network=network, content_item=item, status__in=Share.LIVE_STATUSES
    ).exists():
        raise ValidationError(
            _("You already shared “%(title)s” to your %(network)s account.")
            % {"title": item.title, "network": Network(network).label},
            code="already_shared",
        )
    link_problems = blocking_messages(link_findings(item.url, policy))
    caption_problems = blocking_messages(
        caption_findings(text=text, network=network, policy=policy)
    )
    if link_problems or caption_problems:
        # One error per problem, each with the code: a list of plain messages would lose it.
        raise ValidationError(
            [
                ValidationError(message, code="policy")
                for message in link_problems + caption_problems
            ]
        )
    _check_limits(user, policy, now)
    return ShareContext(policy=policy, account=account)


def share_create(*, user: User, item: ContentItem, network: str, text: str) -> Share:
    """Share now: the share is scheduled for this moment and handed to the worker once the
    row is committed."""
    from advocacy.services.publishing import share_enqueue

    with transaction.atomic():
        # One share decision per person at a time: the daily maximum holds under double clicks.
        User.objects.select_for_update().filter(pk=user.pk).first()
        now = timezone.now()
        context = share_check(user=user, item=item, network=network, text=text, now=now)
        share = Share(
            user=user,
            account=context.account,
            network=network,
            content_item=item,
            text=text.strip(),
            policy_version=context.policy,
            scheduled_at=now,
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
        share_enqueue(share=share)
    return share


@transaction.atomic
def share_cancel(*, share: Share) -> Share:
    """Only a share that has not started publishing can be cancelled."""
    updated = Share.objects.filter(pk=share.pk, status=Share.Status.SCHEDULED).update(
        status=Share.Status.CANCELLED, error="", updated_at=timezone.now()
    )
    share.refresh_from_db()
    if not updated:
        raise ValidationError(
            _("This share is %(status)s and can no longer be cancelled.")
            % {"status": share.get_status_display()},
            code="not_cancellable",
        )
    return share
