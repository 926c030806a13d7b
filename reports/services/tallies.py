"""Counting the raw rows (Share, Click, MetricSnapshot) per local day, ambassador, content item
and network: what a rebuild (reports.services.rollups) and a refresh (reports.services.refresh)
both start from, and writing the counts as rollup rows."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from advocacy.models import Click, MetricSnapshot, Share, User
from campaigns.models import ContentItem
from reports.days import report_zone
from reports.models import FIGURES, METRICS
from reports.services.sql import id_chunks, rows_insert


@dataclass
class Tally:
    shares: int = 0
    potential_reach: int = 0
    reach_shares: int = 0  # the shares whose network gave an audience (potential_reach)
    human_clicks: int = 0
    bot_clicks: int = 0
    unique_visitors: int = 0
    charged: Decimal = Decimal(0)  # the cost of the shares published (Share.cost)
    charged_shares: int = 0  # the shares published with a cost
    metrics: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(METRICS))
    reported: bool = False

    def add(self, other: "Tally") -> None:
        self.shares += other.shares
        self.potential_reach += other.potential_reach
        self.reach_shares += other.reach_shares
        self.human_clicks += other.human_clicks
        self.bot_clicks += other.bot_clicks
        self.unique_visitors += other.unique_visitors
        self.charged += other.charged
        self.charged_shares += other.charged_shares
        self.add_metrics(other.metrics, reported=other.reported)

    def add_metrics(self, values: dict[str, int | None], *, reported: bool) -> None:
        # None + None stays None ("not available"); None + 0 is 0 (a network reported 0).
        for name, value in values.items():
            if value is not None:
                self.metrics[name] = (self.metrics[name] or 0) + value
        self.reported = self.reported or reported

    def values(self) -> tuple[Any, ...]:
        """The figures in the order of FIGURES."""
        return (
            self.shares,
            self.potential_reach,
            self.reach_shares,
            self.human_clicks,
            self.bot_clicks,
            self.unique_visitors,
            self.charged,
            self.charged_shares,
            *(self.metrics[name] for name in METRICS),
            self.reported,
        )


# (day, user id, content item id, network)
Key = tuple[date, int, int, str]


def _scopes(field: str, share_ids: Iterable[int] | None) -> list[Q]:
    """The whole table, or the given shares a chunk at a time (the incremental refresh)."""
    if share_ids is None:
        return [Q()]
    return [Q(**{f"{field}__in": chunk}) for chunk in id_chunks(share_ids)]


def tally_shares(
    tallies: dict[Key, Tally],
    start: datetime,
    end: datetime,
    share_ids: Iterable[int] | None = None,
) -> None:
    """Adds the shares published from `start` to `end` (of `share_ids`, or all)."""
    for scope in _scopes("pk", share_ids):
        _tally_shares_in(tallies, start, end, scope)


def _tally_shares_in(tallies: dict[Key, Tally], start: datetime, end: datetime, scope: Q) -> None:
    rows = (
        Share.objects.filter(
            scope, status=Share.Status.PUBLISHED, published_at__gte=start, published_at__lt=end
        )
        .annotate(day=TruncDate("published_at", tzinfo=report_zone()))
        .order_by()  # the default ordering would join the GROUP BY
        .values_list("day", "user_id", "content_item_id", "network")
        .annotate(
            n=Count("pk"),
            reach=Sum("potential_reach"),
            known=Count("potential_reach"),  # NULL: the network gives no audience
            charged=Sum("cost"),
            charged_shares=Count("cost"),  # NULL: the network does not bill
        )
    )
    for day, user_id, item_id, network, n, reach, known, charged, charged_shares in rows:
        tally = tallies[(day, user_id, item_id, network)]
        tally.shares += n
        tally.potential_reach += reach or 0
        tally.reach_shares += known
        tally.charged += charged or 0
        tally.charged_shares += charged_shares


def tally_clicks(
    tallies: dict[Key, Tally],
    start: datetime,
    end: datetime,
    share_ids: Iterable[int] | None = None,
) -> None:
    """Adds the clicks from `start` to `end` on the shares' tracked links (of `share_ids`, or
    all): people, bots and distinct visitors apart."""
    for scope in _scopes("share_id", share_ids):
        _tally_clicks_in(tallies, start, end, scope)


def _tally_clicks_in(tallies: dict[Key, Tally], start: datetime, end: datetime, scope: Q) -> None:
    person = Q(is_bot=False)
    rows = (
        Click.objects.filter(scope, created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at", tzinfo=report_zone()))
        .order_by()
        # Per share: a visitor hash is only comparable within one share's clicks of one day.
        .values_list(
            "day", "share_id", "share__user_id", "share__content_item_id", "share__network"
        )
        .annotate(
            human=Count("pk", filter=person),
            bots=Count("pk", filter=Q(is_bot=True)),
            visitors=Count("visitor_hash", filter=person & ~Q(visitor_hash=""), distinct=True),
        )
    )
    for day, _share_id, user_id, item_id, network, human, bots, visitors in rows:
        tally = tallies[(day, user_id, item_id, network)]
        tally.human_clicks += human
        tally.bot_clicks += bots
        tally.unique_visitors += visitors


def tally_metrics(
    tallies: dict[Key, Tally],
    start: datetime,
    end: datetime,
    share_ids: Iterable[int] | None = None,
) -> None:
    """What each share's network added per day: the day's last snapshot minus the last one
    before it (snapshots are running totals). The first snapshot ever counts in full.

    The snapshot before the first day is found in the day before it for a share measured
    daily (one read with the rest), and by an index seek per share only for the others: four
    seeks for every share measured was a third of the beat's rebuild (bench/reports.py)."""
    zone = report_zone()
    day_end: dict[int, dict[date, tuple[Any, ...]]] = defaultdict(dict)
    before: dict[int, tuple[Any, ...]] = {}
    for scope in _scopes("share_id", share_ids):
        snapshots = (
            MetricSnapshot.objects.filter(
                scope, taken_at__gte=start - timedelta(days=1), taken_at__lt=end
            )
            .order_by("share_id", "taken_at", "pk")
            .values_list("share_id", "taken_at", *METRICS)
        )
        for share_id, taken_at, *values in snapshots.iterator(chunk_size=5000):
            if taken_at < start:
                before[share_id] = tuple(values)  # ordered: the last one before `start` stays
            else:
                day_end[share_id][timezone.localtime(taken_at, zone).date()] = tuple(values)
    earlier = MetricSnapshot.objects.filter(share=OuterRef("pk"), taken_at__lt=start).order_by(
        "-taken_at", "-pk"
    )
    for chunk in id_chunks(day_end):
        shares = Share.objects.filter(pk__in=chunk).order_by()
        found = [
            (*row, *before[row[0]])
            for row in shares.filter(pk__in=[pk for pk in chunk if pk in before]).values_list(
                "pk", "user_id", "content_item_id", "network"
            )
        ]
        found += (
            shares.exclude(pk__in=list(before.keys() & set(chunk)))
            .annotate(**{f"before_{name}": Subquery(earlier.values(name)[:1]) for name in METRICS})
            .values_list(
                "pk", "user_id", "content_item_id", "network", *(f"before_{m}" for m in METRICS)
            )
        )
        for share_id, user_id, item_id, network, *previous in found:
            last: list[int | None] = list(previous)
            for day in sorted(day_end[share_id]):
                added: dict[str, int | None] = {}
                values = day_end[share_id][day]
                for index, name in enumerate(METRICS):
                    value = values[index]
                    added[name] = None if value is None else value - (last[index] or 0)
                    if value is not None:
                        last[index] = value
                tallies[(day, user_id, item_id, network)].add_metrics(
                    added, reported=any(v is not None for v in values)
                )


def team_memberships(user_ids: Iterable[int]) -> dict[int, list[int]]:
    """The teams each person is in now, by user id."""
    teams: dict[int, list[int]] = defaultdict(list)
    through = User.teams.through
    for chunk in id_chunks(set(user_ids)):
        for user_id, team_id in through.objects.filter(user_id__in=chunk).values_list(
            "user_id", "team_id"
        ):
            teams[user_id].append(team_id)
    return teams


def item_campaigns(item_ids: Iterable[int]) -> dict[int, int | None]:
    """The campaign of each content item now (None: in no campaign), by item id."""
    campaigns: dict[int, int | None] = {}
    for chunk in id_chunks(set(item_ids)):
        campaigns.update(ContentItem.objects.filter(pk__in=chunk).values_list("pk", "campaign_id"))
    return campaigns


def tallies_write(
    model: type[models.Model],
    keys: tuple[str, ...],
    rows: Iterable[tuple[tuple[Any, ...], Tally]],
) -> None:
    """One rollup row per (key values starting with the day, tally)."""
    day = connection.ops.adapt_datefield_value
    rows_insert(
        model,
        (*keys, *FIGURES),
        ((day(key[0]), *key[1:], *tally.values()) for key, tally in rows),
    )
