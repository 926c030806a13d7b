"""What posting costs, and marketing's monthly budget for it.

X bills per post, and far more for a post that carries a link (INTEGRATIONS.md, "Cost and
limits"); every share carries its tracked link, so every X post costs the link price. Before a
post is sent its cost is reserved against the month's budget with one conditional UPDATE, so
any number of workers together can never spend past the budget. A post that surely did not go
out gives its reservation back.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import BudgetSpend, NetworkBudget, Share


def post_cost(*, network: str) -> Decimal | None:
    """The price of one post with a link on the network, or None if it does not bill."""
    price = settings.NETWORK_POST_COSTS.get(network)
    return Decimal(str(price)) if price is not None else None


def month_of(moment: datetime) -> date:
    return moment.astimezone(UTC).date().replace(day=1)


def next_month(moment: datetime) -> datetime:
    first = month_of(moment)
    year, month = (first.year + 1, 1) if first.month == 12 else (first.year, first.month + 1)
    return datetime(year, month, 1, tzinfo=UTC)


def budget_spent(*, network: str, now: datetime | None = None) -> Decimal:
    month = month_of(now or timezone.now())
    spend = BudgetSpend.objects.filter(network=network, month=month).first()
    return spend.spent if spend is not None else Decimal(0)


def budget_set(*, network: str, monthly_limit: Decimal) -> NetworkBudget:
    if monthly_limit < 0:
        raise ValidationError(_("A budget cannot be negative."), code="negative_budget")
    budget, _created = NetworkBudget.objects.update_or_create(
        network=network, defaults={"monthly_limit": monthly_limit}
    )
    return budget


def budget_reserve(*, share: Share, now: datetime | None = None) -> bool:
    """Reserve the share's cost in this month's budget. False: the budget would be exceeded
    (nothing is reserved). A network that does not bill always succeeds."""
    cost = post_cost(network=share.network)
    if cost is None:
        return True
    month = month_of(now or timezone.now())
    # The limit is read inside the UPDATE: marketing may change it at any moment, and one
    # statement is one round trip. No budget row: no limit.
    budget = NetworkBudget.objects.filter(network=share.network)
    spend = BudgetSpend.objects.filter(
        Q(spent__lte=Subquery(budget.values("monthly_limit")[:1]) - cost) | ~Exists(budget),
        network=share.network,
        month=month,
    )
    if not spend.update(spent=F("spent") + cost):
        # Over the budget, or the month's first post and its row does not exist yet: make sure
        # it exists, then the same conditional UPDATE decides.
        try:
            with transaction.atomic():
                BudgetSpend.objects.get_or_create(network=share.network, month=month)
        except IntegrityError:
            pass  # another worker created it at the same moment
        if not spend.update(spent=F("spent") + cost):
            return False  # the month's budget would be exceeded
    Share.objects.filter(pk=share.pk).update(cost=cost)
    share.cost = cost
    return True


def budget_release(*, share_id: int) -> None:
    """Give back the cost reserved for a post that surely did not go out."""
    with transaction.atomic():
        share = Share.objects.select_for_update().filter(pk=share_id).first()
        if share is None or share.cost is None:
            return
        month = month_of(share.claimed_at or timezone.now())
        BudgetSpend.objects.filter(network=share.network, month=month).update(
            spent=F("spent") - share.cost
        )
        Share.objects.filter(pk=share_id).update(cost=None)
