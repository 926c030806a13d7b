"""Share later: a time in the ambassador's own zone, moved (never refused silently, never
sent anyway) into the policy's sharing hours and under its daily maximum, and spread over the
campaign's window when colleagues share the same item for the same moment."""

import hashlib
import zoneinfo
from datetime import UTC, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from advocacy.models import Share, User
from advocacy.sharing.enqueue import share_enqueue
from advocacy.sharing.shares import (
    share_check,
    share_insert,
    shares_on_day,
    user_zone,
    within_hours,
)
from campaigns.models import CaptionVariant, ContentItem
from policy.models import PolicyVersion
from policy.selectors import policy_current

DEFAULT_SPREAD_MINUTES = 120
MAX_MOVES = 60  # days the placement may look ahead before giving up


def _fmt(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")


def local_to_utc(*, local: datetime, time_zone: str, fold: int | None = None) -> datetime:
    """A wall-clock time in `time_zone` as an aware UTC moment. A time in the hour skipped by
    a DST change does not exist; one in the repeated hour needs `fold` (0: first, 1: second)."""
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    zone = zoneinfo.ZoneInfo(time_zone)
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    # A wall time inside a DST gap does not survive the round trip through UTC.
    round_trip = first.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local:
        raise ValidationError(
            _(
                "%(time)s does not exist on %(date)s in %(zone)s: the clocks jump forward. "
                "Choose %(after)s or later."
            )
            % {
                "time": local.strftime("%H:%M"),
                "date": local.strftime("%Y-%m-%d"),
                "zone": time_zone,
                "after": round_trip.strftime("%H:%M"),
            },
            code="nonexistent_time",
        )
    if first.utcoffset() != second.utcoffset():
        if fold not in (0, 1):
            raise ValidationError(
                _(
                    "%(time)s happens twice on %(date)s in %(zone)s: the clocks go back. Choose "
                    "the first (UTC%(first)s) or the second (UTC%(second)s)."
                )
                % {
                    "time": local.strftime("%H:%M"),
                    "date": local.strftime("%Y-%m-%d"),
                    "zone": time_zone,
                    "first": first.strftime("%z"),
                    "second": second.strftime("%z"),
                },
                code="ambiguous_time",
            )
        return (second if fold else first).astimezone(UTC)
    return first.astimezone(UTC)


def _at_local(day: datetime, clock: time, zone: zoneinfo.ZoneInfo) -> datetime:
    """`clock` on the local date of `day`; a clock time in a DST gap becomes the first valid
    moment after it (what the ambassador would expect from an alarm clock)."""
    naive = datetime.combine(day.astimezone(zone).date(), clock)
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def _next_opening(moment: datetime, start: time, zone: zoneinfo.ZoneInfo) -> datetime:
    candidate = _at_local(moment, start, zone)
    if candidate <= moment:
        candidate = _at_local(moment + timedelta(days=1), start, zone)
    return candidate


def _next_day_start(moment: datetime, policy: PolicyVersion, zone: zoneinfo.ZoneInfo) -> datetime:
    return _at_local(moment + timedelta(days=1), policy.sharing_hours_start or time(0), zone)


def policy_next_allowed(
    *, user: User, moment: datetime, policy: PolicyVersion, exclude_pk: int | None = None
) -> tuple[datetime, list[str]]:
    """The first moment at or after `moment` that the policy allows for this ambassador, and
    a notice per move."""
    zone = user_zone(user)
    notices: list[str] = []
    start, end = policy.sharing_hours_start, policy.sharing_hours_end
    for _attempt in range(MAX_MOVES):
        if start and end and not within_hours(moment, start, end, zone):
            moment = _next_opening(moment, start, zone)
            notices.append(
                _("Moved to %(when)s: the policy allows sharing between %(start)s and %(end)s.")
                % {
                    "when": _fmt(moment, zone),
                    "start": time_format(start, "H:i"),
                    "end": time_format(end, "H:i"),
                }
            )
            continue
        if (
            policy.max_shares_per_day
            and shares_on_day(user, moment, exclude_pk) >= policy.max_shares_per_day
        ):
            moment = _next_day_start(moment, policy, zone)
            notices.append(
                _(
                    "Moved to %(when)s: the policy allows %(max)d shares a day and that day "
                    "was full."
                )
                % {"when": _fmt(moment, zone), "max": policy.max_shares_per_day}
            )
            continue
        return moment, notices
    raise ValidationError(
        _("The policy leaves no moment to share in the next two months."), code="no_allowed_time"
    )


def _spread_key(item: ContentItem, requested: datetime, user_id: int) -> str:
    # Random-looking but reproducible: the same people asking for the same moment always get
    # the same order.
    return hashlib.sha256(f"{item.pk}:{requested.isoformat()}:{user_id}".encode()).hexdigest()


def _place_group(item: ContentItem, requested: datetime) -> None:
    """Place every scheduled share of `item` asked for `requested`: evenly over the spread
    window in a reproducible order, then moved where the policy says."""
    policy = policy_current()
    members = sorted(
        Share.objects.select_for_update()
        .select_related("user")
        .filter(content_item=item, status=Share.Status.SCHEDULED, requested_at=requested),
        key=lambda share: _spread_key(item, requested, share.user_id),
    )
    window = item.campaign.spread_minutes if item.campaign is not None else DEFAULT_SPREAD_MINUTES
    for position, share in enumerate(members):
        offset = timedelta(minutes=window * position / len(members)) if members else timedelta()
        moment = requested + offset
        zone = user_zone(share.user)
        notices = []
        if offset:
            notices.append(
                _(
                    "Spread launch: colleagues share this item at the same moment, so yours goes "
                    "out at %(when)s (%(minutes)d minutes later) and the posts do not all appear "
                    "in the same minute."
                )
                % {"when": _fmt(moment, zone), "minutes": int(offset.total_seconds() // 60)}
            )
        if policy is not None:
            moment, moves = policy_next_allowed(
                user=share.user, moment=moment, policy=policy, exclude_pk=share.pk
            )
            notices += moves
        Share.objects.filter(pk=share.pk).update(
            scheduled_at=moment,
            schedule_notice=" ".join(notices),
            enqueued_at=None,
            updated_at=timezone.now(),
        )


def _requested(when: datetime, now: datetime) -> datetime:
    if timezone.is_naive(when):
        raise ValidationError(_("Give the time with its time zone."), code="naive_time")
    requested = when.astimezone(UTC).replace(second=0, microsecond=0)
    if requested <= now:
        raise ValidationError(
            _("That time has passed. Pick a moment in the future, or share now."),
            code="time_in_past",
        )
    return requested


def _check_placed(share: Share, item: ContentItem) -> None:
    if item.available_until is not None and share.scheduled_at >= item.available_until:
        zone = user_zone(share.user)
        raise ValidationError(
            _(
                "With the policy's sharing hours and daily maximum this share would go out at "
                "%(when)s, after “%(title)s” stops being available (%(until)s). Pick an earlier "
                "time."
            )
            % {
                "when": _fmt(share.scheduled_at, zone),
                "title": item.title,
                "until": _fmt(item.available_until, zone),
            },
            code="after_availability",
        )


def _lock_editable(share: Share) -> Share:
    """Lock the ambassador (one scheduling decision at a time) and the share (only its own
    row: locking the item would serialise every colleague sharing it), and refuse a share
    that already left "scheduled"."""
    User.objects.select_for_update().filter(pk=share.user_id).first()
    share = (
        Share.objects.select_for_update(of=("self",))
        .select_related("content_item", "content_item__campaign", "user")
        .get(pk=share.pk)
    )
    if share.status != Share.Status.SCHEDULED:
        raise ValidationError(
            _("This share is %(status)s and can no longer be changed.")
            % {"status": share.get_status_display()},
            code="not_editable",
        )
    return share


def share_schedule(
    *,
    user: User,
    item: ContentItem,
    network: str,
    text: str,
    when: datetime,
    in_queue: bool = False,
    variant: CaptionVariant | None = None,
) -> Share:
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        now = timezone.now()
        requested = _requested(when, now)
        context = share_check(
            user=user, item=item, network=network, text=text, now=now, when=requested
        )
        share = share_insert(
            user=user,
            item=item,
            network=network,
            text=text,
            context=context,
            scheduled_at=requested,
            requested_at=requested,
            in_queue=in_queue,
            variant=variant,
        )
        _place_group(item, requested)
        share.refresh_from_db()
        _check_placed(share, item)
    return share


def share_update(*, share: Share, text: str | None = None, when: datetime | None = None) -> Share:
    """Edit the text or the time until the share starts publishing. A held share that passes
    the current policy is released."""
    with transaction.atomic():
        share = _lock_editable(share)
        now = timezone.now()
        new_text = share.text if text is None else text.strip()
        old_requested = share.requested_at
        requested = _requested(when, now) if when is not None else old_requested
        context = share_check(
            user=share.user,
            item=share.content_item,
            network=share.network,
            text=new_text,
            now=now,
            when=requested,
            exclude=share,
        )
        share.text = new_text
        share.held_reason = ""
        share.policy_version = context.policy
        if requested is not None:
            share.requested_at = requested
            share.scheduled_at = requested
        share.full_clean(exclude=["code"])
        share.save()
        for moment in {m for m in (old_requested, requested) if m is not None}:
            _place_group(share.content_item, moment)
        share.refresh_from_db()
        _check_placed(share, share.content_item)
    return share


def share_now(*, share: Share) -> Share:
    """Send a scheduled (or queued) share now, under the rules for sharing now."""
    with transaction.atomic():
        share = _lock_editable(share)
        old_requested = share.requested_at
        context = share_check(
            user=share.user,
            item=share.content_item,
            network=share.network,
            text=share.text,
            exclude=share,
        )
        now = timezone.now()
        Share.objects.filter(pk=share.pk).update(
            scheduled_at=now,
            requested_at=None,
            in_queue=False,
            schedule_notice="",
            held_reason="",
            policy_version=context.policy,
            next_attempt_at=None,
            updated_at=now,
        )
        if old_requested is not None:
            _place_group(share.content_item, old_requested)
        share.refresh_from_db()
        share_enqueue(share=share)
    return share


def share_move(*, share: Share, when: datetime) -> Share:
    """Change only the time of a scheduled share (queue reorder, pause and resume). The
    caption is not checked again: if a newer policy forbids it, the worker holds it, and a
    held share stays held wherever it moves."""
    with transaction.atomic():
        share = _lock_editable(share)
        requested = _requested(when, timezone.now())
        item = share.content_item
        if item.available_until is not None and requested >= item.available_until:
            raise ValidationError(
                _("“%(title)s” can be shared until %(until)s; pick an earlier time.")
                % {
                    "title": item.title,
                    "until": item.available_until.astimezone(user_zone(share.user)).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                },
                code="after_availability",
            )
        old_requested = share.requested_at
        Share.objects.filter(pk=share.pk).update(
            requested_at=requested, scheduled_at=requested, updated_at=timezone.now()
        )
        for moment in {m for m in (old_requested, requested) if m is not None}:
            _place_group(item, moment)
        share.refresh_from_db()
        _check_placed(share, item)
    return share
