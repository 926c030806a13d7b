"""The caption editor offers a variant colleagues have not used, records which one a share
grew from, and warns as you type when the words are a colleague's."""

import pytest

from advocacy.models import Share
from campaigns.variants import variant_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(policy):
    item = factories.ContentItemFactory(caption_x="The plain suggestion #employee")
    variant_create(item=item, network="sandbox", text="First variant, a proud moment #employee")
    variant_create(
        item=item, network="sandbox", text="Second variant: look what we built #employee"
    )
    return item


def test_the_editor_offers_a_variant_and_the_share_records_it(client, item):
    amber = factories.ambassador(username="amber")
    client.force_login(amber)

    page = client.get(f"/content/{item.pk}/share/")
    offered = next(v for v in item.variants.all() if v.text in page.content.decode())
    response = client.post(
        f"/content/{item.pk}/share/",
        {
            "network": "sandbox",
            "text": offered.text.replace("#employee", "— my team! #employee"),
            "action": "now",
        },
    )

    assert response.status_code == 302
    assert Share.objects.get().variant == offered


def test_a_colleague_is_offered_the_other_variant(client, item):
    amber = factories.ambassador(username="amber")
    bert = factories.ambassador(username="bert")
    first = item.variants.first()
    factories.ShareFactory(
        user=amber, content_item=item, network="sandbox", text=first.text, variant=first
    )
    client.force_login(bert)

    page = client.get(f"/content/{item.pk}/share/").content.decode()

    assert item.variants.last().text in page
    assert first.text not in page


def test_the_live_check_warns_when_the_words_are_a_colleagues(client, item):
    amber = factories.ambassador(username="amber")
    bert = factories.ambassador(username="bert")
    factories.ShareFactory(
        user=amber,
        content_item=item,
        network="sandbox",
        text="We shipped the new dashboard today #employee",
    )
    client.force_login(bert)

    response = client.post(
        f"/content/{item.pk}/caption-check/",
        {"network": "sandbox", "text": "We shipped the new dashboard today! #employee"},
    )

    assert response.status_code == 200
    assert "add a personal touch" in response.content.decode()
    refused = client.post(
        f"/content/{item.pk}/share/",
        {
            "network": "sandbox",
            "text": "We shipped the new dashboard today! #employee",
            "action": "now",
        },
    )
    assert refused.status_code == 400
    assert "personal touch" in refused.content.decode()


def test_marketing_sets_the_spread_window_of_a_campaign(client, policy):
    client.force_login(factories.marketing_user())
    response = client.post(
        "/manage/campaigns/new/",
        {
            "name": "Launch",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
            "goal_metric": "shares",
            "goal_target": 50,
            "utm_campaign": "launch",
            "spread_minutes": 45,
        },
    )

    assert response.status_code == 302
    from campaigns.models import Campaign

    assert Campaign.objects.get().spread_minutes == 45
