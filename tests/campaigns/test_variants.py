"""Caption variants: marketing writes several per network, each ambassador is offered one that
colleagues have not used yet."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from advocacy.models import Share
from campaigns.models import CaptionVariant
from campaigns.variants import (
    suggested_caption_for,
    variant_create,
    variant_delete,
    variant_offer,
    variant_update,
)
from tests import factories
from tests.conftest import ON_A_DOMAIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def variants(item):
    return [
        variant_create(item=item, network="sandbox", text=f"Variant {letter} #employee")
        for letter in "ABC"
    ]


def test_marketing_creates_a_variant_per_network(item):
    variant = variant_create(item=item, network="linkedin", text="  A longer LinkedIn story  ")

    assert variant.text == "A longer LinkedIn story"
    assert list(item.variants.filter(network="linkedin")) == [variant]


@ON_A_DOMAIN
def test_a_variant_over_the_networks_limit_is_refused(item):
    text = "x" * 260  # plus a blank line and the tracked link (23): 285, over X's 280

    with pytest.raises(ValidationError) as error:
        variant_create(item=item, network="x", text=text)

    assert error.value.message_dict["text"] == [
        "X allows 280 characters; with the link this caption has 285. Shorten it by 5."
    ]
    assert error.value.error_dict["text"][0].code == "too_long"
    assert not CaptionVariant.objects.exists()
    # LinkedIn allows 3000 characters, so the same text is fine there.
    assert variant_create(item=item, network="linkedin", text=text).pk


def test_an_update_over_the_limit_is_refused_and_the_stored_text_stays(variants):
    variant = variants[0]

    with pytest.raises(ValidationError, match="Sandbox allows 280 characters"):
        variant_update(variant=variant, text="y" * 300)

    variant.refresh_from_db()
    assert variant.text == "Variant A #employee"
    assert variant_update(variant=variant, text="Variant A, edited").text == "Variant A, edited"


def test_an_empty_variant_or_an_unknown_network_is_refused(item):
    with pytest.raises(ValidationError) as error:
        variant_create(item=item, network="sandbox", text="   ")
    assert "text" in error.value.message_dict

    with pytest.raises(ValidationError) as error:
        variant_create(item=item, network="myspace", text="Hello")
    assert "network" in error.value.message_dict


def test_deleting_a_variant_keeps_the_shares_made_with_it(variants, item):
    share = factories.ShareFactory(content_item=item, text=variants[0].text, variant=variants[0])

    variant_delete(variant=variants[0])

    share.refresh_from_db()
    assert share.variant is None
    assert share.text == "Variant A #employee"
    assert item.variants.count() == 2


def test_no_variant_is_offered_when_the_item_has_none_for_the_network(item, variants):
    user = factories.UserFactory()

    assert variant_offer(user=user, item=item, network="linkedin") is None
    assert suggested_caption_for(user=user, item=item, network="linkedin") == (
        "Proud of what we built. #employee",
        None,
    )


def test_the_offer_is_reproducible_for_one_person(item, variants):
    user = factories.UserFactory()

    offers = {variant_offer(user=user, item=item, network="sandbox") for _ in range(3)}

    assert len(offers) == 1


def test_colleagues_opening_the_editor_at_once_are_offered_different_variants(item, variants):
    people = factories.UserFactory.create_batch(12)

    offers = Counter(variant_offer(user=person, item=item, network="sandbox") for person in people)

    assert len(offers) >= 2
    assert max(offers.values()) < 12


def test_an_unused_variant_is_preferred(item, variants):
    for variant in variants[:2]:
        factories.ShareFactory(content_item=item, text=variant.text, variant=variant)

    user = factories.UserFactory()

    assert variant_offer(user=user, item=item, network="sandbox") == variants[2]
    assert suggested_caption_for(user=user, item=item, network="sandbox") == (
        "Variant C #employee",
        variants[2],
    )


def test_the_offer_rotates_through_the_variants_as_colleagues_use_them(item, variants):
    for _ in range(6):
        person = factories.UserFactory()
        offered = variant_offer(user=person, item=item, network="sandbox")
        factories.ShareFactory(user=person, content_item=item, text=offered.text, variant=offered)

    uses = Counter(Share.objects.values_list("variant", flat=True))
    assert uses == {variant.pk: 2 for variant in variants}


def test_cancelled_shares_and_my_own_do_not_count_as_used(item, variants):
    user = factories.UserFactory()
    factories.ShareFactory(
        content_item=item,
        text=variants[0].text,
        variant=variants[0],
        status=Share.Status.CANCELLED,
    )
    factories.ShareFactory(user=user, content_item=item, text=variants[1].text, variant=variants[1])
    factories.ShareFactory(content_item=item, text=variants[2].text, variant=variants[2])

    assert variant_offer(user=user, item=item, network="sandbox") in variants[:2]
