"""Reads of the monthly budget of networks that bill per post (X): each network's budget,
spend and waiting shares, and what a campaign's posts cost."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from advocacy.models import BudgetSpend, Network, NetworkBudget, Share
from advocacy.publishing.budget import month_of, post_cost
from campaigns.models import Campaign
from reports.days import report_zone
from reports.models import DailyRollup, NetworkDailyRollup, ShareChange

# Shares that will still be charged when they go out: a scheduled share reserves its cost only
# when a worker claims it, so until then it is "committed", not "charged".
COMMITTED_STATUSES = (Share.Status.SCHEDULED, Share.Status.PUBLISHING, Share.Status.UNKNOWN)


def billing_networks() -> list[str]:
    """The networks the NETWORK_POST_COSTS setting prices, in the order of Network."""
    return [network for network in Network.values if network in settings.NETWORK_POST_COSTS]


def billing_network_access(*, network: str) -> str:
    """The network if it bills per post, or 404: other networks have no budget."""
    if network not in billing_networks():
        raise Http404("This network does not bill per post, so it has no budget.")
    return network


@dataclass
class BudgetOverview:
    network: str
    label: str
    month: date  # the first day of the month (UTC)
    price: Decimal  # per post with a link, from NETWORK_POST_COSTS
    monthly_limit: Decimal | None  # None: no budget set, posts are not capped
    spent: Decimal
    # Shares held back because this month's budget is spent (they try again every hour).
    waiting: int

    @property
    def remaining(self) -> Decimal | None:
        if self.monthly_limit is None:
            return None
        return max(self.monthly_limit - self.spent, Decimal(0))


def budget_overview(*, network: str, now: datetime | None = None) -> BudgetOverview:
    """This month's budget, spend and waiting shares of a network that bills per post: three
    single-row queries, whatever the number of shares."""
    month = month_of(now or timezone.now())
    price = post_cost(network=network)
    if price is None:
        raise ValueError(f"{network} does not bill per post: it has no budget")
    budget = NetworkBudget.objects.filter(network=network).first()
    spend = BudgetSpend.objects.filter(network=network, month=month).first()
    waiting = Share.objects.filter(
        network=network, status=Share.Status.SCHEDULED, problem=Share.Problem.BUDGET
    ).count()
    return BudgetOverview(
        network=network,
        label=str(Network(network).label),
        month=month,
        price=price,
        monthly_limit=budget.monthly_limit if budget is not None else None,
        spent=spend.spent if spend is not None else Decimal(0),
        waiting=waiting,
    )


def budget_overviews(*, now: datetime | None = None) -> list[BudgetOverview]:
    return [budget_overview(network=network, now=now) for network in billing_networks()]


@dataclass
class CampaignCost:
    """What a campaign's posts on one billing network cost. `charged` is what was reserved or
    paid (the shares' own cost); `committed` is what its waiting shares will cost at today's
    price; `estimate` is the two together, an estimate because a waiting share may still be
    cancelled, fail or wait for next month's budget."""

    network: str
    label: str
    price: Decimal
    charged: Decimal
    charged_shares: int
    committed: Decimal
    committed_shares: int
    budget: BudgetOverview

    @property
    def estimate(self) -> Decimal:
        return self.charged + self.committed


def campaign_costs(*, campaign: Campaign, now: datetime | None = None) -> list[CampaignCost]:
    """One query for every billing network (plus each one's budget overview), whatever the
    number of shares the campaign made: see `_campaign_charges`."""
    charges = _campaign_charges(campaign=campaign, networks=billing_networks())
    costs = []
    for network in billing_networks():
        budget = budget_overview(network=network, now=now)
        charged, charged_shares, committed_shares = charges.get(network, (Decimal(0), 0, 0))
        costs.append(
            CampaignCost(
                network=network,
                label=budget.label,
                price=budget.price,
                charged=charged,
                charged_shares=charged_shares,
                committed=budget.price * committed_shares,
                committed_shares=committed_shares,
                budget=budget,
            )
        )
    return costs


def _campaign_charges(
    *, campaign: Campaign, networks: list[str]
) -> dict[str, tuple[Decimal, int, int]]:
    """Per network: what the campaign's shares cost (charged), how many had a cost, and how
    many scheduled, publishing or unknown shares have none yet (committed).

    Summing Share.cost over every share of the campaign read its whole history (bench/
    reports.py: most of the campaign report at 10,000 ambassadors). The published shares' cost
    comes from the report rollups instead (the "everyone" rows, a few per day), and only the
    shares that are not there are read from Share: those not published (the reserved and
    waiting ones, a small set found by status), and those published since the last refresh of
    the rollups (still marked in ShareChange, with no cost counted in their rollup row), so the
    cost is exact at any moment. One statement (UNION ALL), so a refresh committing meanwhile
    is seen either entirely or not at all: a share is never counted twice or missed."""
    zone = report_zone()
    published = Share.Status.PUBLISHED
    counted = Q(cost__isnull=False)
    rolled = (
        NetworkDailyRollup.objects.filter(
            campaign=campaign, team__isnull=True, network__in=networks
        )
        .order_by()
        .values("network")
        .annotate(
            charged=Sum("charged"),
            charged_shares=Sum("charged_shares"),
            committed_shares=Value(0, output_field=IntegerField()),
        )
    )
    shares = Share.objects.filter(content_item__campaign=campaign, network__in=networks).order_by()
    figures = {
        "charged": Sum("cost", filter=counted),
        "charged_shares": Count("pk", filter=counted),
        # A publishing or unknown share that already reserved its cost is counted once, as
        # charged.
        "committed_shares": Count("pk", filter=Q(status__in=COMMITTED_STATUSES, cost=None)),
    }
    # The waiting shares by the status index, and a reserved cost that was never given back
    # by the partial index share_cost_held_idx (both small, whatever the history).
    waiting = shares.filter(
        Q(status__in=COMMITTED_STATUSES) | Q(cost__isnull=False) & ~Q(status=published)
    )
    in_rollup = DailyRollup.objects.filter(
        day=OuterRef("published_day"),
        user=OuterRef("user_id"),
        content_item=OuterRef("content_item_id"),
        network=OuterRef("network"),
        charged_shares__gt=0,
    )
    # At most one published share per person, item and network (one_live_share_per_item_and_
    # network): a rollup row of its day with a cost counted is its own.
    unrolled = (
        shares.annotate(published_day=TruncDate("published_at", tzinfo=zone))
        .filter(pk__in=ShareChange.objects.values("share_id"), status=published, cost__isnull=False)
        .exclude(Exists(in_rollup))
    )
    found: dict[str, tuple[Decimal, int, int]] = {}
    parts = [part.values("network").annotate(**figures) for part in (waiting, unrolled)]
    for row in rolled.union(*parts, all=True):
        network, charged = row["network"], row["charged"]
        charged_shares, committed_shares = row["charged_shares"], row["committed_shares"]
        before = found.get(network, (Decimal(0), 0, 0))
        found[network] = (
            before[0] + (charged or 0),
            before[1] + (charged_shares or 0),
            before[2] + (committed_shares or 0),
        )
    return found
