"""/api/content/<id>/variants/ and /api/variants/<id>/ (marketing writes caption variants),
and /api/content/<id>/caption/ (the caption the editor offers me)."""

from datetime import timedelta

import pytest
import yaml
from django.utils import timezone
from rest_framework.test import APIClient

from advocacy.models import User
from advocacy.sharing.scheduling import share_schedule
from campaigns.models import CaptionVariant, ContentItem
from campaigns.variants import variant_create
from tests import factories
from tests.api.helpers import detail
from tests.conftest import ON_A_DOMAIN, api_for

pytestmark = pytest.mark.django_db

ONLY_MARKETING = "Only marketing can do this."
TOO_LONG = "x" * 260  # with a blank line and the tracked link (23 on X): 285
TOO_LONG_MESSAGE = "X allows 280 characters; with the link this caption has 285. Shorten it by 5."


@pytest.fixture
def variant(item: ContentItem) -> CaptionVariant:
    return variant_create(item=item, network="x", text="Short and personal #employee")


@ON_A_DOMAIN
def test_marketing_lists_the_variants_of_an_item_with_their_length(
    marketing: User, item: ContentItem, variant: CaptionVariant
) -> None:
    response = api_for(marketing).get(f"/api/content/{item.pk}/variants/")

    assert response.status_code == 200
    [body] = response.json()
    assert body["id"] == variant.pk
    assert body["item"] == item.pk
    assert body["network"] == "x"
    assert body["text"] == "Short and personal #employee"
    assert (body["length"], body["max_length"]) == (53, 280)


def test_marketing_adds_a_variant(marketing: User, item: ContentItem) -> None:
    response = api_for(marketing).post(
        f"/api/content/{item.pk}/variants/",
        {"network": "linkedin", "text": "  A longer story #employee  "},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["text"] == "A longer story #employee"
    assert response.json()["max_length"] == 3000
    assert list(item.variants.values_list("network", "text")) == [
        ("linkedin", "A longer story #employee")
    ]


@ON_A_DOMAIN
def test_a_variant_over_the_limit_is_refused(marketing: User, item: ContentItem) -> None:
    response = api_for(marketing).post(
        f"/api/content/{item.pk}/variants/", {"network": "x", "text": TOO_LONG}, format="json"
    )

    assert response.status_code == 400
    assert detail(response) == TOO_LONG_MESSAGE
    assert response.json()["errors"] == {"text": [TOO_LONG_MESSAGE]}
    assert not CaptionVariant.objects.exists()


def test_a_variant_for_an_unknown_item_is_404(marketing: User) -> None:
    response = api_for(marketing).post(
        "/api/content/999999/variants/", {"network": "x", "text": "Hi #employee"}, format="json"
    )

    assert response.status_code == 404
    assert detail(response) == "No such content item."


def test_marketing_changes_a_variant(marketing: User, variant: CaptionVariant) -> None:
    response = api_for(marketing).put(
        f"/api/variants/{variant.pk}/", {"text": "Even shorter #employee"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["text"] == "Even shorter #employee"
    variant.refresh_from_db()
    assert variant.text == "Even shorter #employee"


@ON_A_DOMAIN
def test_a_change_over_the_limit_is_refused_and_the_text_stays(
    marketing: User, variant: CaptionVariant
) -> None:
    response = api_for(marketing).put(
        f"/api/variants/{variant.pk}/", {"text": TOO_LONG}, format="json"
    )

    assert response.status_code == 400
    assert detail(response) == TOO_LONG_MESSAGE
    variant.refresh_from_db()
    assert variant.text == "Short and personal #employee"


def test_marketing_deletes_a_variant(marketing: User, variant: CaptionVariant) -> None:
    response = api_for(marketing).delete(f"/api/variants/{variant.pk}/")

    assert response.status_code == 204
    assert not CaptionVariant.objects.exists()
    assert api_for(marketing).delete(f"/api/variants/{variant.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/api/content/{item}/variants/", None),
        ("post", "/api/content/{item}/variants/", {"network": "x", "text": "Mine #employee"}),
        ("put", "/api/variants/{variant}/", {"text": "Mine #employee"}),
        ("delete", "/api/variants/{variant}/", None),
    ],
)
def test_an_ambassador_cannot_touch_variants(
    ambassador_user: User,
    variant: CaptionVariant,
    method: str,
    path: str,
    data: dict[str, str] | None,
) -> None:
    url = path.format(item=variant.item_id, variant=variant.pk)

    response = getattr(api_for(ambassador_user), method)(url, data, format="json")

    assert response.status_code == 403
    assert detail(response) == ONLY_MARKETING
    variant.refresh_from_db()
    assert variant.text == "Short and personal #employee"


def test_the_caption_offered_to_me_is_a_variant_colleagues_have_not_used(
    ambassador_user: User, item: ContentItem
) -> None:
    used = variant_create(item=item, network="sandbox", text="First variant #employee")
    free = variant_create(item=item, network="sandbox", text="Second variant #employee")
    colleague = factories.ambassador(username="colin")
    share_schedule(
        user=colleague,
        item=item,
        network="sandbox",
        text=used.text,
        when=timezone.now() + timedelta(days=1),
        variant=used,
    )

    response = api_for(ambassador_user).get(f"/api/content/{item.pk}/caption/?network=sandbox")

    assert response.status_code == 200
    assert response.json() == {
        "network": "sandbox",
        "text": "Second variant #employee",
        "variant": free.pk,
    }


def test_without_variants_the_suggested_caption_is_offered(
    ambassador_user: User, item: ContentItem
) -> None:
    response = api_for(ambassador_user).get(f"/api/content/{item.pk}/caption/?network=linkedin")

    assert response.json() == {
        "network": "linkedin",
        "text": item.caption_linkedin,
        "variant": None,
    }


def test_the_caption_needs_a_network(ambassador_user: User, item: ContentItem) -> None:
    response = api_for(ambassador_user).get(f"/api/content/{item.pk}/caption/")

    assert response.status_code == 400
    assert detail(response) == "network: This field is required."


def test_an_item_not_in_my_feed_has_no_caption_for_me(ambassador_user: User) -> None:
    draft = factories.ContentItemFactory(status=ContentItem.Status.DRAFT, published_at=None)

    response = api_for(ambassador_user).get(f"/api/content/{draft.pk}/caption/?network=x")

    assert response.status_code == 404
    assert detail(response) == "No such content item."


def test_the_schema_documents_the_new_endpoints(db: None) -> None:
    schema = yaml.safe_load(APIClient().get("/api/schema/").content)

    expected = {
        "/api/queue/": {"get", "post"},
        "/api/queue/slots/": {"put"},
        "/api/queue/reorder/": {"post"},
        "/api/queue/pause/": {"post"},
        "/api/queue/resume/": {"post"},
        "/api/queue/{id}/": {"delete"},
        "/api/queue/{id}/now/": {"post"},
        "/api/queue/suggestions/": {"get"},
        "/api/autoshare/": {"get", "post"},
        "/api/autoshare/{id}/": {"delete"},
        "/api/oneclick/": {"post"},
        "/api/calendar/": {"get"},
        "/api/campaigns/{id}/calendar/": {"get"},
        "/api/content/{id}/variants/": {"get", "post"},
        "/api/variants/{id}/": {"put", "delete"},
        "/api/content/{id}/caption/": {"get"},
    }
    for path, methods in expected.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), (path, set(schema["paths"][path]))
