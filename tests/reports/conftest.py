"""The company most report tests start from: two teams (one colleague in both), a motivator,
a campaign with a clicks goal, and shares with clicks inside and outside it."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from advocacy.models import Click, Share, User
from reports.services.rollups import rollups_rebuild
from tests import factories


def rebuild() -> None:
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=60), until=today)


def published(user: User, days_ago: int = 0, clicks: int = 0, **kwargs: Any) -> Share:
    share: Share = factories.ShareFactory(
        user=user, published_at=timezone.now() - timedelta(days=days_ago), **kwargs
    )
    Click.objects.bulk_create(
        Click(share=share, created_at=share.published_at, visitor_hash=str(n))
        for n in range(clicks)
    )
    return share


@pytest.fixture
def company(policy: Any) -> dict[str, Any]:
    sales, support = factories.TeamFactory(name="Sales"), factories.TeamFactory(name="Support")
    both = factories.ambassador(
        teams=[sales, support], username="bo", first_name="Bo", last_name="Both"
    )
    shy = factories.ambassador(teams=[sales], username="shy")
    motivator = factories.ambassador(teams=[sales], username="mo")
    sales.motivators.add(motivator)
    campaign = factories.CampaignFactory(
        name="Spring",
        goal_metric="clicks",
        goal_target=20,
        starts_on=timezone.localdate() - timedelta(days=5),
    )
    launch = factories.ContentItemFactory(title="Launch", campaign=campaign)
    factories.ContentItemFactory(title="Not shared yet", campaign=campaign)
    published(both, days_ago=4, clicks=6, content_item=launch, potential_reach=100)
    published(shy, days_ago=1, clicks=9, content_item=launch, network="x", potential_reach=50)
    published(shy, days_ago=20, clicks=2)  # outside the campaign
    return {
        "sales": sales,
        "support": support,
        "both": both,
        "shy": shy,
        "motivator": motivator,
        "campaign": campaign,
    }
