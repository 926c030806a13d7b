"""Reads of the advocacy domain: access checks (404 for what a person may not see) and the
figures behind "my impact", the team page and the campaign page.

Every figure says whether it is measured (clicks we counted, metrics a network reported) or
estimated (potential reach); a figure no network provided is None ("not available"), never 0.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from advocacy.models import (
    AutoShareConsent,
    BudgetSpend,
    MetricSnapshot,
    NetworkAccount,
    NetworkBudget,
    Share,
    Team,
    User,
)
from advocacy.networks.rules import Network
from advocacy.people.roles import can_view_team, is_marketing, sees_everything
from advocacy.publishing.budget import month_of, post_cost
from campaigns.models import Campaign, ContentItem
from reports.models import DailyRollup, NetworkDailyRollup, ShareChange
from reports.services.rollups import report_zone

METRIC_NAMES = ("impressions", "reactions", "comments", "reposts")
HUMAN_CLICKS = Count("clicks", filter=Q(clicks__is_bot=False), distinct=True)
BOT_CLICKS = Count("clicks", filter=Q(clicks__is_bot=True), distinct=True)


def share_access(*, user: User, share_id: int) -> Share:
    """The user's own share, or 404: another person's share does not exist for them."""
    share = (
        Share.objects.select_related("content_item", "content_item__campaign", "account")
        .filter(pk=share_id, user=user)
        .first()
    )
    if share is None:
        raise Http404("No such share.")
    return share


def share_photo_access(*, user: User, share_id: int) -> Share:
    """A share whose photo the user may see: their own, or any for marketing (who answer for
    what goes out under the company's name). Anyone else, or a share without a photo: 404."""
    shares = Share.objects.filter(pk=share_id).exclude(photo="")
    if not is_marketing(user):
        shares = shares.filter(user=user)
    share = shares.first()
    if share is None:
        raise Http404("No such photo.")
    return share


def account_access(*, user: User, account_id: int) -> NetworkAccount:
    account = NetworkAccount.objects.filter(pk=account_id, user=user).first()
    if account is None:
        raise Http404("No such account.")
    return account


def consent_access(*, user: User, consent_id: int) -> AutoShareConsent:
    """The user's own auto-sharing consent, or 404."""
    consent = AutoShareConsent.objects.filter(pk=consent_id, user=user).first()
    if consent is None:
        raise Http404("No such consent.")
    return consent


def team_access(*, user: User, team_id: int) -> Team:
    team = Team.objects.filter(pk=team_id).first()
    if team is None or not can_view_team(user, team):
        raise Http404("No such team.")
    return team


def campaign_access(*, user: User, campaign_id: int) -> Campaign:
    if not sees_everything(user):
        raise Http404("No such campaign.")
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


def teams_visible(*, user: User) -> QuerySet[Team]:
    if sees_everything(user):
        return Team.objects.all()
    return Team.objects.filter(motivators=user)


def shares_for_user(*, user: User) -> QuerySet[Share]:
    latest = MetricSnapshot.objects.filter(share=OuterRef("pk")).order_by("-taken_at")
    return (
        Share.objects.filter(user=user)
        .select_related("content_item", "account")
        .annotate(
            human_clicks=HUMAN_CLICKS,
            impressions=Subquery(latest.values("impressions")[:1]),
            reactions=Subquery(latest.values("reactions")[:1]),
        )
    )


def accounts_for_user(*, user: User) -> QuerySet[NetworkAccount]:
    return NetworkAccount.objects.filter(user=user)


@dataclass
class Figures:
    shares: int = 0
    clicks: int = 0  # measured: tracked-link clicks by people (bots excluded)
    bot_visits: int = 0  # measured, shown apart
    # Estimated: followers at share time; None when no share went to a network that gives
    # an audience (LinkedIn gives none): a sum of nothing is not 0.
    potential_reach: int | None = 0
    impressions: int | None = None  # measured by the network; None = not available
    engagements: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _figures(shares: QuerySet[Share]) -> Figures:
    published = shares.filter(status=Share.Status.PUBLISHED)
    counts = published.aggregate(
        shares=Count("pk", distinct=True),
        reach=Sum("potential_reach"),
    )
    clicks = published.aggregate(human=HUMAN_CLICKS, bots=BOT_CLICKS)
    # Each share's latest snapshot, summed in the database. A figure no network reported is
    # NULL in every row, so its sum stays None ("not available"), never 0.
    latest = MetricSnapshot.objects.filter(share=OuterRef("pk")).order_by("-taken_at")
    metrics = published.annotate(
        **{f"latest_{name}": Subquery(latest.values(name)[:1]) for name in METRIC_NAMES}
    ).aggregate(**{name: Sum(f"latest_{name}") for name in METRIC_NAMES})
    parts = [metrics[name] for name in ("reactions", "comments", "reposts")]
    engagements = (
        sum(p for p in parts if p is not None) if any(p is not None for p in parts) else None
    )
    return Figures(
        shares=counts["shares"] or 0,
        clicks=clicks["human"] or 0,
        bot_visits=clicks["bots"] or 0,
        potential_reach=counts["reach"] if counts["shares"] else 0,
        impressions=metrics["impressions"],
        engagements=engagements,
    )


def stats_for_user(*, user: User) -> dict[str, Any]:
    shares = Share.objects.filter(user=user)
    by_status = dict(shares.values_list("status").annotate(n=Count("pk")))
    figures = _figures(shares)
    return {
        "figures": figures,
        "by_status": {status: by_status.get(status, 0) for status in Share.Status.values},
        "best_shares": list(
            shares_for_user(user=user)
            .filter(status=Share.Status.PUBLISHED)
            .order_by("-human_clicks", "-published_at")[:5]  # type: ignore[misc]
        ),
    }


def stats_for_campaign(*, campaign: Campaign) -> dict[str, Any]:
    shares = Share.objects.filter(content_item__campaign=campaign)
    figures = _figures(shares)
    achieved = {
        Campaign.Goal.SHARES: figures.shares,
        Campaign.Goal.CLICKS: figures.clicks,
        Campaign.Goal.REACH: figures.potential_reach or 0,
    }[Campaign.Goal(campaign.goal_metric)]
    target = campaign.goal_target or 0
    return {
        "campaign": campaign,
        "figures": figures,
        "goal_metric": campaign.goal_metric,
        "goal_target": target,
        "goal_achieved": achieved,
        "goal_percent": round(100 * achieved / target) if target else None,
        "items": list(
            ContentItem.objects.filter(campaign=campaign).annotate(
                share_count=Count(
                    "shares", filter=Q(shares__status=Share.Status.PUBLISHED), distinct=True
                ),
                click_count=Count(
                    "shares__clicks", filter=Q(shares__clicks__is_bot=False), distinct=True
                ),
            )
        ),
    }


def today_local() -> date:
    return timezone.localdate()


# --- The monthly budget of networks that bill per post (X) ------------------------------------

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
