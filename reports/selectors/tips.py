"""What colleagues found worked, for "my impact": patterns of the organisation's top shares
in a period, the reader's own taken out, told without a name or a colleague's caption.

Tips say which network earned most clicks per share, which content (titles are marketing's),
whether the best shares had the suggested caption or the sharer's own, and when they went
out. Rollups give the networks and items; the captions and times of the best shares are
read from a bounded set of shares. A fixed number of queries, whatever the size of the data.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from advocacy.models import Network, Share, User
from campaigns.models import ContentItem
from policy.selectors import policy_current
from reports.days import report_zone
from reports.models import DailyRollup, ItemDailyRollup, NetworkDailyRollup
from reports.selectors.figures import Period, Totals, in_period, per_item

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


@dataclass(frozen=True)
class Tip:
    kind: str  # network, content, caption, timing
    text: str


def _mine(rows: list[dict[str, Any]], key: str) -> dict[Any, Totals]:
    return {row[key]: row["totals"] for row in rows}


def _network_tip(period: Period, mine: dict[str, Totals]) -> Tip | None:
    """Clicks per share on each network, for everyone but the reader (a few rows a day)."""
    found = []
    for row in (
        NetworkDailyRollup.objects.filter(in_period(period), team__isnull=True)
        .order_by()
        .values("network")
        .annotate(shares_sum=Sum("shares"), clicks_sum=Sum("human_clicks"))
    ):
        own = mine.get(row["network"], Totals())
        shares = (row["shares_sum"] or 0) - own.shares
        if shares >= TIP_MIN_SHARES:
            found.append((((row["clicks_sum"] or 0) - own.clicks) / shares, row["network"]))
    if len(found) < 2:
        return None
    rates = sorted(found)
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


def _content_tips(
    *, user: User, top_items: list[dict[str, Any]], mine: dict[int, Totals]
) -> list[Tip]:
    """The content that earned colleagues (the reader's own clicks taken out) most clicks,
    and whether the reader can still share it."""
    clicks = {
        row["content_item_id"]: row["totals"].clicks
        - mine.get(row["content_item_id"], Totals()).clicks
        for row in top_items
    }
    ids = sorted((pk for pk in clicks if clicks[pk] > 0), key=lambda pk: (-clicks[pk], pk))[:3]
    items = {
        item.pk: item
        for item in ContentItem.objects.filter(pk__in=ids).annotate(
            mine=Exists(
                Share.objects.filter(user=user, content_item=OuterRef("pk"), status__in=LIVE)
            )
        )
    }
    tips = []
    for pk in ids:
        item = items.get(pk)
        if item is None:
            continue
        values = {"title": item.title, "clicks": clicks[pk]}
        if item.is_available() and not item.mine:
            text = _("“%(title)s” earned colleagues %(clicks)d clicks. You have not shared it yet.")
        else:
            text = _("“%(title)s” earned colleagues %(clicks)d clicks.")
        tips.append(Tip("content", text % values))
    return tips


def _normalised(text: str, disclosure: str) -> str:
    if disclosure:
        text = text.replace(disclosure, " ")
    return " ".join(text.split()).casefold()


def _top_shares(*, user: User, period: Period, item_ids: list[int]) -> list[Share]:
    """Colleagues' shares of the given items with most clicks by people: their captions and
    times are compared below, never shown."""
    found = list(
        DailyRollup.objects.filter(in_period(period), content_item_id__in=item_ids)
        .exclude(user=user)
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
        _("The best shares went out most often on a %(weekday)s, and most often %(part)s.")
        % {"weekday": WEEKDAYS[weekdays[0][0]], "part": names[parts[0][0]]},
    )


def impact_tips(
    *, user: User, period: Period, networks: list[dict[str, Any]], items: list[dict[str, Any]]
) -> list[Tip]:
    """What worked for colleagues in the period, as patterns without names. `networks` and
    `items` are the reader's own figures of the period, taken out of the organisation's."""
    tips: list[Tip] = []
    network = _network_tip(period, _mine(networks, "network"))
    if network is not None:
        tips.append(network)
    top_items = per_item(ItemDailyRollup.objects.order_by(), period, limit=TIP_ITEMS)
    tips.extend(_content_tips(user=user, top_items=top_items, mine=_mine(items, "content_item_id")))
    item_ids = [row["content_item_id"] for row in top_items]
    shares = _top_shares(user=user, period=period, item_ids=item_ids)
    if len(shares) >= TIP_MIN_SHARES:
        tips.append(_caption_tip(shares))
        timing = _timing_tip(shares)
        if timing is not None:
            tips.append(timing)
    return tips
