"""My impact: one ambassador's shares, clicks, engagements, reach and points in a period, from
their own rollup rows, and what colleagues found worked, drawn from the organisation's top
shares and told as anonymous patterns.

Tips never carry a colleague's name or caption: they say which network, which content (titles
are marketing's), whether the caption was the suggested one or the sharer's own, and when the
best shares went out. Every read is a fixed number of queries, whatever the size of the data.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from advocacy.models import Share, User
from advocacy.networks import Network
from campaigns.models import ContentItem
from policy.selectors import policy_current

from ..models import (
    AmbassadorDailyRollup,
    DailyRollup,
    ItemDailyRollup,
    NetworkDailyRollup,
    PointsRule,
)
from ..services import report_zone
from .figures import (
    ENGAGEMENTS,
    Change,
    Period,
    Rollups,
    Totals,
    _row,
    _sums,
    built_at,
    changes,
    compared,
    currency,
    daily,
    in_period,
    network_rates,
    per_item,
    per_network,
    period_of,
)
from .leaderboard import points_rule

BEST_SHARES = 5
# Tips read the best shares of the items that earned most clicks: a bounded set of rows (an
# index range per item), where ranking every share of the organisation would read them all.
TIP_ITEMS = 10
TIP_SHARES = 20
# A pattern needs several shares behind it: with fewer, a "tip" would describe one colleague.
TIP_MIN_SHARES = 3
# Parts of the day, in the organisation's time zone: (first hour, last hour + 1, name).
DAY_PARTS = (
    (6, 12, "morning"),
    (12, 17, "afternoon"),
    (17, 22, "evening"),
)
LIVE = (Share.Status.SCHEDULED, Share.Status.PUBLISHING, Share.Status.PUBLISHED)


def points_of(totals: Totals, rule: PointsRule) -> int:
    """The leaderboard's sum: a figure no network reported earns no points."""
    return (
        totals.shares * rule.per_share
        + totals.clicks * rule.per_click
        + (totals.engagements or 0) * rule.per_engagement
    )


@dataclass(frozen=True)
class Points:
    current: int
    previous: int
    all_time: int
    rule: PointsRule


@dataclass(frozen=True)
class BestShare:
    share_id: int | None  # None: the share was removed since
    content_item_id: int
    title: str
    network: str
    label: str
    totals: Totals
    points: int


@dataclass(frozen=True)
class Tip:
    kind: str  # network, content, caption, timing
    text: str


@dataclass
class Impact:
    user: User
    period: Period
    totals: Totals
    previous: Totals
    all_time: Totals
    changes: dict[str, Change]
    points: Points
    days: list[dict[str, Any]]  # each with totals and points
    networks: list[dict[str, Any]]
    items: list[dict[str, Any]]
    best_shares: list[BestShare]
    tips: list[Tip]
    by_status: dict[str, int]
    currency: str
    built_at: Any


def my_rollups(*, user: User) -> Rollups:
    return DailyRollup.objects.filter(user=user).order_by()


def _engagements(row: dict[str, Any]) -> int:
    return sum(row.get(name) or 0 for name in ENGAGEMENTS)


def best_shares(*, user: User, period: Period, rule: PointsRule) -> list[BestShare]:
    """The person's shares with most clicks by people in the period, then engagements (one
    published share per item and network, so item and network name the share)."""
    found = sorted(
        my_rollups(user=user)
        .filter(in_period(period))
        .values("content_item_id", "network")
        .annotate(**_sums())
        .filter(
            Q(shares__gt=0)
            | Q(human_clicks__gt=0)
            | Q(impressions__isnull=False)
            | Q(reactions__isnull=False)
        ),
        key=lambda row: (-(row["human_clicks"] or 0), -_engagements(row), row["content_item_id"]),
    )[:BEST_SHARES]
    items = [row["content_item_id"] for row in found]
    titles = dict(ContentItem.objects.filter(pk__in=items).values_list("pk", "title"))
    shares = {
        (item, network): pk
        for pk, item, network in Share.objects.filter(
            user=user, status=Share.Status.PUBLISHED, content_item_id__in=items
        ).values_list("pk", "content_item_id", "network")
    }
    labels = dict(Network.choices)
    result = []
    for row in found:
        totals = _row(row)["totals"]
        key = (row["content_item_id"], row["network"])
        result.append(
            BestShare(
                share_id=shares.get(key),
                content_item_id=row["content_item_id"],
                title=titles.get(row["content_item_id"], ""),
                network=row["network"],
                label=str(labels.get(row["network"], row["network"])),
                totals=totals,
                points=points_of(totals, rule),
            )
        )
    return result


# --- Tips from the organisation's top shares -------------------------------------------------


def _network_tip(period: Period) -> Tip | None:
    """Clicks per share on each network, for everyone (a few rows a day)."""
    found = [
        row
        for row in NetworkDailyRollup.objects.filter(in_period(period), team__isnull=True)
        .order_by()
        .values("network")
        .annotate(shares_sum=Sum("shares"), clicks_sum=Sum("human_clicks"))
        if (row["shares_sum"] or 0) >= TIP_MIN_SHARES
    ]
    if len(found) < 2:
        return None
    rates = sorted(((row["clicks_sum"] or 0) / row["shares_sum"], row["network"]) for row in found)
    (low, low_network), (high, high_network) = rates[0], rates[-1]
    if high <= low:
        return None
    labels = dict(Network.choices)
    return Tip(
        "network",
        _(
            "Across the company, a share on %(best)s earned %(high).1f clicks on average, "
            "against %(low).1f on %(other)s."
        )
        % {
            "best": labels.get(high_network, high_network),
            "high": high,
            "low": low,
            "other": labels.get(low_network, low_network),
        },
    )


def _content_tips(*, user: User, top_items: list[dict[str, Any]]) -> list[Tip]:
    """The content that earned colleagues most clicks, and whether it can still be shared."""
    ids = [row["content_item_id"] for row in top_items[:3] if row["totals"].clicks]
    items = {
        item.pk: item
        for item in ContentItem.objects.filter(pk__in=ids).annotate(
            mine=Exists(
                Share.objects.filter(user=user, content_item=OuterRef("pk"), status__in=LIVE)
            )
        )
    }
    tips = []
    for row in top_items[:3]:
        item = items.get(row["content_item_id"])
        if item is None:
            continue
        values = {"title": item.title, "clicks": row["totals"].clicks}
        if item.is_available() and not item.mine:  # type: ignore[attr-defined]
            text = _(
                "“%(title)s” earned colleagues %(clicks)d clicks. You have not shared it yet: "
                "it is in your feed."
            )
        else:
            text = _("“%(title)s” earned colleagues %(clicks)d clicks.")
        tips.append(Tip("content", text % values))
    return tips


def _normalised(text: str, disclosure: str) -> str:
    if disclosure:
        text = text.replace(disclosure, " ")
    return " ".join(text.split()).casefold()


def _top_shares(period: Period, item_ids: list[int]) -> list[Share]:
    """The best shares (clicks by people, then engagements) of the given items: their
    captions and times are compared below, never shown."""
    found = list(
        DailyRollup.objects.filter(in_period(period), content_item_id__in=item_ids)
        .order_by()
        .values("user_id", "content_item_id", "network")
        .annotate(clicks=Sum("human_clicks"))
        .filter(clicks__gt=0)
        .order_by("-clicks", "user_id", "content_item_id", "network")[:TIP_SHARES]
    )
    wanted = {(row["user_id"], row["content_item_id"], row["network"]) for row in found}
    shares = (
        Share.objects.filter(
            status=Share.Status.PUBLISHED,
            user_id__in={key[0] for key in wanted},
            content_item_id__in={key[1] for key in wanted},
        )
        .select_related("content_item", "variant")
        .only(
            "user_id",
            "network",
            "text",
            "published_at",
            "content_item__caption_linkedin",
            "content_item__caption_x",
            "variant__text",
        )
        .order_by()
    )
    return [s for s in shares if (s.user_id, s.content_item_id, s.network) in wanted]


def _caption_tip(shares: list[Share]) -> Tip:
    policy = policy_current()
    disclosure = policy.required_disclosure if policy is not None else ""
    own = 0
    for share in shares:
        suggested = (
            share.variant.text
            if share.variant is not None
            else share.content_item.suggested_caption(share.network)
        )
        if _normalised(share.text, disclosure) != _normalised(suggested, disclosure):
            own += 1
    values = {"own": own, "count": len(shares)}
    if 2 * own >= len(shares):
        text = _(
            "%(own)d of the %(count)d best shares had a caption in the sharer's own words "
            "rather than the suggested one: a personal note pays off."
        )
    else:
        text = _(
            "%(count)d best shares: %(own)d had a caption in the sharer's own words, the others "
            "used marketing's suggestion. The suggestion is a good start; a line of your own "
            "makes it yours."
        )
    return Tip("caption", text % values)


def _part_of_day(hour: int) -> str:
    for first, last, name in DAY_PARTS:
        if first <= hour < last:
            return name
    return "night"


def _timing_tip(shares: list[Share]) -> Tip | None:
    zone = report_zone()
    moments = [
        timezone.localtime(share.published_at, zone) for share in shares if share.published_at
    ]
    weekdays = Counter(moment.weekday() for moment in moments).most_common(1)
    parts = Counter(_part_of_day(moment.hour) for moment in moments).most_common(1)
    if not weekdays or weekdays[0][1] < 2:
        return None
    names = {
        "morning": _("in the morning (6:00 to 12:00)"),
        "afternoon": _("in the afternoon (12:00 to 17:00)"),
        "evening": _("in the evening (17:00 to 22:00)"),
        "night": _("at night (22:00 to 6:00)"),
    }
    return Tip(
        "timing",
        _("The best shares went out most often on %(weekday)s and %(part)s.")
        % {"weekday": WEEKDAYS[weekdays[0][0]], "part": names[parts[0][0]]},
    )


def impact_tips(*, user: User, period: Period) -> list[Tip]:
    """What worked for the organisation in the period, as patterns without names."""
    tips: list[Tip] = []
    network = _network_tip(period)
    if network is not None:
        tips.append(network)
    top_items = per_item(ItemDailyRollup.objects.order_by(), period, limit=TIP_ITEMS)
    tips.extend(_content_tips(user=user, top_items=top_items))
    shares = _top_shares(period, [row["content_item_id"] for row in top_items])
    if len(shares) >= TIP_MIN_SHARES:
        tips.append(_caption_tip(shares))
        timing = _timing_tip(shares)
        if timing is not None:
            tips.append(timing)
    return tips


# --- The report ------------------------------------------------------------------------------


def shares_by_status(*, user: User) -> dict[str, int]:
    """Where the person's shares are now (failed and waiting ones too): read from their own
    shares, one grouped query, so a failure shows at once."""
    found = dict(
        Share.objects.filter(user=user)
        .order_by()
        .values("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return {status: found.get(status, 0) for status in Share.Status.values}


def my_impact(*, user: User, days: int, today: date | None = None) -> Impact:
    period = period_of(days=days, today=today)
    rates = network_rates()
    rule = points_rule()
    rows = my_rollups(user=user)
    totals = compared(rows, period, rates)
    per_day = daily(AmbassadorDailyRollup.objects.filter(user=user).order_by(), period)
    points = Points(
        current=points_of(totals["current"], rule),
        previous=points_of(totals["previous"], rule),
        all_time=points_of(totals["all_time"], rule),
        rule=rule,
    )
    return Impact(
        user=user,
        period=period,
        totals=totals["current"],
        previous=totals["previous"],
        all_time=totals["all_time"],
        changes={
            **changes(totals["current"], totals["previous"]),
            "points": Change(points.current, points.previous),
        },
        points=points,
        days=[row | {"points": points_of(row["totals"], rule)} for row in per_day],
        networks=per_network(rows, period, rates),
        items=per_item(rows, period, limit=None),
        best_shares=best_shares(user=user, period=period, rule=rule),
        tips=impact_tips(user=user, period=period),
        by_status=shares_by_status(user=user),
        currency=currency(rates),
        built_at=built_at(),
    )
