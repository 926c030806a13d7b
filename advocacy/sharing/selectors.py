"""Reads of a person's shares: their list with the figures each one shows."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from advocacy.models import MetricSnapshot, Share, User

# Tracked-link clicks by people (bots excluded), counted once per click.
HUMAN_CLICKS = Count("clicks", filter=Q(clicks__is_bot=False), distinct=True)


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
