"""The personal queue: weekly time slots in the ambassador's own time zone, and the shares
that wait for them.

A queued share is an ordinary scheduled share with `in_queue=True` whose `requested_at` is
one of the ambassador's slot moments; its `scheduled_at` may be later (the policy's hours or
daily maximum, a spread launch), which is why slots are compared on `requested_at`. Every
write that hands out slot moments locks the ambassador's row first, so two browser tabs
editing one queue take turns: no share is lost or doubled.
"""

import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from advocacy.models import QueueSlot, Share, User
from advocacy.sharing.scheduling import share_move, share_now, share_schedule
from advocacy.sharing.shares import share_cancel, user_zone
from campaigns.models import CaptionVariant, ContentItem
from campaigns.selectors import FeedEntry, feed_for_user

MAX_SLOTS = 100
# A slot less than this far ahead is as good as "now": scheduling refuses a moment that has
# passed by the time the share is saved, so the queue never hands one out.
QUEUE_MARGIN = timedelta(minutes=1)


def _stale_order() -> ValidationError:
    return ValidationError(
        _("Your queue changed in another window; reload and try again."), code="stale_order"
    )


def _lock_user(user: User) -> User:
    """Serialise every queue write of one person (call inside a transaction)."""
    return User.objects.select_for_update().get(pk=user.pk)


def _slot_label(weekday: int, at: time) -> str:
    return f"{QueueSlot(weekday=weekday).get_weekday_display()} {at.strftime('%H:%M')}"


def _slot_moment(day: date, at: time, zone: zoneinfo.ZoneInfo) -> datetime:
    """The instant (UTC) of a weekly slot on one local day. A wall time skipped by a DST
    change moves to the first minute that exists after it (an alarm clock set to 02:30 rings
    at 03:00); a wall time that happens twice takes its first occurrence."""
    wall = datetime.combine(day, at.replace(second=0, microsecond=0, tzinfo=None))
    for _minute in range(24 * 60 + 1):  # real gaps are an hour; a skipped day is 24 hours
        moment = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
        if moment.astimezone(zone).replace(tzinfo=None) == wall:
            return moment
        wall += timedelta(minutes=1)
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _slots(user: User) -> list[tuple[int, time]]:
    return list(QueueSlot.objects.filter(user=user).values_list("weekday", "time"))


def _slot_moments(
    slots: Sequence[tuple[int, time]], zone: zoneinfo.ZoneInfo, after: datetime
) -> Iterator[datetime]:
    """Every slot moment after `after`, in order, without end (the caller stops)."""
    if not slots:
        return
    day = after.astimezone(zone).date()
    while True:
        # A set: two slots can land on the same instant (02:30 and 03:00 on a spring-forward day).
        moments = {_slot_moment(day, at, zone) for weekday, at in slots if weekday == day.weekday()}
        yield from (moment for moment in sorted(moments) if moment > after)
        day += timedelta(days=1)


def _free_moments(
    user: User, count: int, after: datetime, taken: Iterable[datetime]
) -> list[datetime]:
    if count <= 0:
        return []
    slots = _slots(user)
    if not slots:
        raise ValidationError(
            _(
                "Add a weekly time slot first (for example Tuesday 08:30): the queue posts "
                "at your slots."
            ),
            code="no_slots",
        )
    taken = set(taken)
    free: list[datetime] = []
    for moment in _slot_moments(slots, user_zone(user), after):
        if moment not in taken:
            free.append(moment)
            if len(free) == count:
                break
    return free


def _taken(user: User) -> set[datetime]:
    return {
        moment for moment in queue_shares(user).values_list("requested_at", flat=True) if moment
    }


def queue_shares(user: User) -> QuerySet[Share]:
    """The ambassador's queue, in the order it will go out."""
    return (
        Share.objects.filter(user=user, in_queue=True, status=Share.Status.SCHEDULED)
        .select_related("content_item")
        .order_by("requested_at", "pk")
    )


def _queue_locked(user: User) -> list[Share]:
    # select_related("content_item") would make FOR UPDATE lock the items too: `of` limits it.
    return list(
        Share.objects.select_for_update(of=("self",))
        .select_related("content_item", "user")
        .filter(user=user, in_queue=True, status=Share.Status.SCHEDULED)
        .order_by("requested_at", "pk")
    )


def _assign(shares: Sequence[Share], moments: Sequence[datetime]) -> list[Share]:
    """Give shares[i] the slot moment moments[i], placed by the scheduling rules."""
    moves = [
        (share, moment)
        for share, moment in zip(shares, moments, strict=True)
        if share.requested_at != moment
    ]
    # First every moved share takes its new moment as a plain time, so the policy's daily
    # maximum then counts each day as it will be, not as it was half-way through a swap.
    # requested_at stays: share_move re-spreads colleagues at the moment a share leaves.
    for share, moment in moves:
        Share.objects.filter(pk=share.pk).update(scheduled_at=moment)
    for share, moment in moves:
        try:
            share_move(share=share, when=moment)
        except ValidationError as error:
            raise _cannot_move(share, moment, error) from None
    by_pk = {share.pk: share for share in Share.objects.filter(pk__in=[s.pk for s in shares])}
    return [by_pk[share.pk] for share in shares]


def _cannot_move(share: Share, moment: datetime, error: ValidationError) -> ValidationError:
    """The rule that refused one share, with which share and where it was going: a queue
    operation moves many shares, and a person must know which one to fix."""
    parts = getattr(error, "error_list", None) or [error]
    where = {
        "title": share.content_item.title,
        "when": date_format(moment.astimezone(user_zone(share.user)), "D j M Y, H:i"),
    }
    return ValidationError(
        [
            ValidationError(
                _("“%(title)s” cannot move to %(when)s: %(reason)s")
                % {**where, "reason": " ".join(part.messages)},
                code=getattr(part, "code", None),
            )
            for part in parts
        ]
    )


def _reslot(user: User) -> list[Share]:
    """Put the queued shares, in their current order, into the next free slots from now."""
    shares = _queue_locked(user)
    moments = _free_moments(user, len(shares), timezone.now() + QUEUE_MARGIN, taken=())
    return _assign(shares, moments)


def queue_next_free_slots(
    *, user: User, count: int, after: datetime | None = None
) -> list[datetime]:
    """The next `count` slot moments (aware, UTC) after `after` (default: now) that no queued
    share of the ambassador holds."""
    after = after or timezone.now()
    return _free_moments(user, count, after, _taken(user))


@transaction.atomic
def queue_slots_set(*, user: User, slots: Sequence[tuple[int, time]]) -> list[QueueSlot]:
    """Replace the ambassador's weekly slots; the queued shares keep their order and move to
    the next free slots of the new week."""
    wanted: list[tuple[int, time]] = []
    for weekday, at in slots:
        if not isinstance(weekday, int) or isinstance(weekday, bool) or not 0 <= weekday <= 6:
            raise ValidationError(
                _("“%(value)s” is not a day of the week (0 is Monday, 6 is Sunday).")
                % {"value": weekday},
                code="bad_weekday",
            )
        slot = (weekday, at.replace(second=0, microsecond=0, tzinfo=None))
        if slot in wanted:
            raise ValidationError(
                _("%(slot)s is listed twice.") % {"slot": _slot_label(*slot)},
                code="duplicate_slot",
            )
        wanted.append(slot)
    if len(wanted) > MAX_SLOTS:
        raise ValidationError(
            _("A queue can have at most %(max)d slots a week.") % {"max": MAX_SLOTS},
            code="too_many_slots",
        )
    user = _lock_user(user)
    waiting = queue_shares(user).count()
    if not wanted and waiting:
        raise ValidationError(
            ngettext(
                "Your queue holds %(count)d share: keep at least one weekly slot, or remove "
                "it from the queue first.",
                "Your queue holds %(count)d shares: keep at least one weekly slot, or remove "
                "them from the queue first.",
                waiting,
            )
            % {"count": waiting},
            code="slots_needed",
        )
    QueueSlot.objects.filter(user=user).delete()
    QueueSlot.objects.bulk_create(
        [QueueSlot(user=user, weekday=weekday, time=at) for weekday, at in wanted]
    )
    if waiting:
        _reslot(user)
    return list(QueueSlot.objects.filter(user=user))


def queue_add(
    *,
    user: User,
    item: ContentItem,
    network: str,
    text: str,
    variant: CaptionVariant | None = None,
    slot: datetime | None = None,
) -> Share:
    """Add a share to the queue: in the next free slot, or in `slot` (one of the ambassador's
    free slot moments, as offered by `queue_suggestions`)."""
    with transaction.atomic():
        user = _lock_user(user)
        after = timezone.now() + QUEUE_MARGIN
        taken = _taken(user)
        if slot is None:
            when = _free_moments(user, 1, after, taken)[0]
        else:
            when = _check_free_slot(user, slot, after, taken)
        return share_schedule(
            user=user,
            item=item,
            network=network,
            text=text,
            when=when,
            in_queue=True,
            variant=variant,
        )


def _check_free_slot(user: User, slot: datetime, after: datetime, taken: set[datetime]) -> datetime:
    if timezone.is_aware(slot) and slot > after and slot not in taken:
        for moment in _slot_moments(_slots(user), user_zone(user), after):
            if moment >= slot:
                if moment == slot:
                    return moment
                break
    raise ValidationError(
        _("That slot is no longer free. Reload your queue and pick another one."),
        code="slot_taken",
    )


@transaction.atomic
def queue_reorder(
    *, user: User, share_ids: Sequence[int], expected: Sequence[int] | None = None
) -> list[Share]:
    """Put the whole queue in a new order: the queue's slot moments stay, the shares swap
    places. `share_ids` must name exactly the queued shares; `expected` is the order the
    client last saw (optional), so an edit made in another tab is not silently overwritten."""
    user = _lock_user(user)
    shares = _queue_locked(user)
    current = [share.pk for share in shares]
    if sorted(share_ids) != sorted(current):
        raise _stale_order()
    if expected is not None and list(expected) != current:
        raise _stale_order()
    floor = timezone.now() + QUEUE_MARGIN
    kept = sorted(
        share.requested_at for share in shares if share.requested_at and share.requested_at > floor
    )
    # A slot that passed while the queue was paused is not handed out again: the share that
    # gets it takes the next free slot instead, so nothing fires at once.
    moments = sorted(kept + _free_moments(user, len(shares) - len(kept), floor, kept))
    by_pk = {share.pk: share for share in shares}
    return _assign([by_pk[pk] for pk in share_ids], moments)


def _check_queued(share: Share) -> None:
    if not share.in_queue:
        raise ValidationError(_("This share is not in your queue."), code="not_in_queue")


def queue_move_to_now(*, share: Share) -> Share:
    """Send a queued share now (under the rules for sharing now); it leaves the queue."""
    _check_queued(share)
    return share_now(share=share)


def queue_remove(*, share: Share) -> Share:
    """Take a share out of the queue: it is cancelled, its slot is free again."""
    _check_queued(share)
    return share_cancel(share=share)


@transaction.atomic
def queue_pause(*, user: User) -> User:
    """Holiday: nothing in the queue goes out until the queue is resumed."""
    user = _lock_user(user)
    if not user.queue_paused:
        user.queue_paused = True
        user.save(update_fields=["queue_paused"])
    return user


@transaction.atomic
def queue_resume(*, user: User) -> list[Share]:
    """Resume the queue: the queued shares, in their order, move to the next free slots from
    now, so the slots missed during the pause do not all fire at once."""
    user = _lock_user(user)
    if user.queue_paused:
        user.queue_paused = False
        user.save(update_fields=["queue_paused"])
    return _reslot(user)


def queue_suggestions(*, user: User, weeks: int = 2) -> list[tuple[datetime, FeedEntry]]:
    """The empty slots of the next `weeks` weeks, each with the best-ranked feed item still
    available at that moment. Nothing is scheduled: the ambassador approves each one."""
    now = timezone.now()
    until = now + timedelta(weeks=weeks)
    taken = _taken(user)
    empty: list[datetime] = []
    for moment in _slot_moments(_slots(user), user_zone(user), now + QUEUE_MARGIN):
        if moment > until:
            break
        if moment not in taken:
            empty.append(moment)
    if not empty:
        return []
    # The feed leaves out what I already shared or queued.
    entries = feed_for_user(user=user, at=now, limit=len(empty) + 20)
    suggestions: list[tuple[datetime, FeedEntry]] = []
    for moment in empty:
        entry = next(
            (
                entry
                for entry in entries
                if entry.item.available_until is None or entry.item.available_until > moment
            ),
            None,
        )
        if entry is None:
            break
        entries.remove(entry)
        suggestions.append((moment, entry))
    return suggestions
