"""Marketing's caption variants on the content page (list, add, edit, delete, with the length
each network counts), the campaign calendar page, and the admin inline. Anyone but marketing
gets 404 for the variants; the calendar is for marketing and leadership."""

import zoneinfo
from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from advocacy.models import Share, User
from campaigns.admin import CaptionVariantForm
from campaigns.models import CaptionVariant
from campaigns.variants import variant_create
from tests import factories
from tests.conftest import ON_A_DOMAIN

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 260  # plus a blank line and the tracked link (23): 285, over X's 280
TOO_LONG_MESSAGE = "X allows 280 characters; with the link this caption has 285. Shorten it by 5."
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def variant(item: Any) -> CaptionVariant:
    return variant_create(item=item, network="x", text="Short and personal #employee")


# --- Variants on the content page -----------------------------------------------------------


@ON_A_DOMAIN
def test_the_content_page_lists_the_variants_with_their_length(
    marketing: User, item: Any, variant: CaptionVariant
) -> None:
    variant_create(item=item, network="linkedin", text="A longer story for LinkedIn #employee")

    response = logged_in(marketing).get(reverse("content-edit", args=[item.pk]))

    html = page(response)
    assert response.status_code == 200
    assert 'id="variants"' in html
    assert "Short and personal #employee</textarea>" in html
    # 28 characters, a blank line and the tracked link (23 on X): 53.
    assert "X: 53 / 280 characters with the tracked link" in html
    assert "LinkedIn:" in html and "/ 3000 characters with the tracked link" in html
    assert reverse("variant-update", args=[variant.pk]) in html
    assert reverse("variant-delete", args=[variant.pk]) in html
    assert reverse("variant-create", args=[item.pk]) in html


def test_a_new_item_has_no_variants_section_yet(marketing: User) -> None:
    response = logged_in(marketing).get(reverse("content-create"))

    assert response.status_code == 200
    assert 'id="variants"' not in page(response)


def test_marketing_adds_a_variant(marketing: User, item: Any) -> None:
    response = logged_in(marketing).post(
        reverse("variant-create", args=[item.pk]),
        {"variant-new-network": "x", "variant-new-text": "  In my own words #employee  "},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("content-edit", args=[item.pk]) + "#variants", 302)]
    assert "Caption variant added for X." in page(response)
    assert list(item.variants.values_list("network", "text")) == [
        ("x", "In my own words #employee")
    ]


@ON_A_DOMAIN
def test_a_variant_over_the_networks_limit_is_refused_and_kept_in_the_form(
    marketing: User, item: Any
) -> None:
    response = logged_in(marketing).post(
        reverse("variant-create", args=[item.pk]),
        {"variant-new-network": "x", "variant-new-text": TOO_LONG},
    )

    assert response.status_code == 400
    html = page(response)
    assert TOO_LONG_MESSAGE in html
    assert f"{TOO_LONG}</textarea>" in html
    assert not CaptionVariant.objects.exists()


def test_a_variant_needs_a_known_network(marketing: User, item: Any) -> None:
    response = logged_in(marketing).post(
        reverse("variant-create", args=[item.pk]),
        {"variant-new-network": "myspace", "variant-new-text": "Hello #employee"},
    )

    assert response.status_code == 400
    assert "Select a valid choice. myspace is not one of the available choices." in page(response)
    assert not CaptionVariant.objects.exists()


def test_marketing_edits_a_variant(marketing: User, variant: CaptionVariant) -> None:
    response = logged_in(marketing).post(
        reverse("variant-update", args=[variant.pk]),
        {f"variant-{variant.pk}-text": "Even shorter #employee"},
        follow=True,
    )

    assert "Caption variant for X saved." in page(response)
    variant.refresh_from_db()
    assert variant.text == "Even shorter #employee"


@ON_A_DOMAIN
def test_an_edit_over_the_limit_is_refused_and_the_stored_text_stays(
    marketing: User, variant: CaptionVariant
) -> None:
    response = logged_in(marketing).post(
        reverse("variant-update", args=[variant.pk]), {f"variant-{variant.pk}-text": TOO_LONG}
    )

    assert response.status_code == 400
    html = page(response)
    assert TOO_LONG_MESSAGE in html
    assert "X: 285 / 280 characters with the tracked link" in html
    assert "too long to post" in html
    variant.refresh_from_db()
    assert variant.text == "Short and personal #employee"


def test_marketing_deletes_a_variant_and_shares_keep_their_text(
    marketing: User, variant: CaptionVariant
) -> None:
    share = factories.ShareFactory(
        content_item=variant.item, network="x", variant=variant, text=variant.text
    )

    response = logged_in(marketing).post(reverse("variant-delete", args=[variant.pk]), follow=True)

    assert "Caption variant deleted. Shares made with it keep their own text." in page(response)
    assert not CaptionVariant.objects.exists()
    share.refresh_from_db()
    assert share.variant is None
    assert share.text == "Short and personal #employee"


def test_variant_text_is_escaped(marketing: User, item: Any) -> None:
    variant_create(item=item, network="x", text="<script>alert(1)</script> #employee")

    html = page(logged_in(marketing).get(reverse("content-edit", args=[item.pk])))

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; #employee" in html


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("variant-create", {"variant-new-network": "x", "variant-new-text": "Mine #employee"}),
        ("variant-update", {"text": "Mine #employee"}),
        ("variant-delete", {}),
    ],
)
def test_an_ambassador_gets_404_for_the_variant_pages(
    ambassador_user: User, variant: CaptionVariant, name: str, data: dict[str, str]
) -> None:
    target = variant.item.pk if name == "variant-create" else variant.pk

    response = logged_in(ambassador_user).post(reverse(name, args=[target]), data)

    assert response.status_code == 404
    assert list(CaptionVariant.objects.values_list("text", flat=True)) == [
        "Short and personal #employee"
    ]


def test_an_unknown_variant_is_404(marketing: User) -> None:
    response = logged_in(marketing).post(reverse("variant-delete", args=[999_999]))

    assert response.status_code == 404


# --- The admin inline -----------------------------------------------------------------------


def test_the_admin_shows_variants_inline_on_a_content_item(item: Any, variant: Any) -> None:
    root = factories.UserFactory(username="root", is_staff=True, is_superuser=True)

    response = logged_in(root).get(reverse("admin:campaigns_contentitem_change", args=[item.pk]))

    assert response.status_code == 200
    assert "Caption variants" in page(response)
    assert "Short and personal #employee" in page(response)


@ON_A_DOMAIN
def test_the_admin_inline_refuses_a_variant_over_the_limit(item: Any) -> None:
    form = CaptionVariantForm(data={"network": "x", "text": TOO_LONG})

    assert not form.is_valid()
    assert form.errors["text"] == [TOO_LONG_MESSAGE]


# --- The campaign calendar ------------------------------------------------------------------


@pytest.fixture
def campaign(policy: Any) -> Any:
    campaign = factories.CampaignFactory(
        name="Spring launch", starts_on=date(2027, 6, 7), ends_on=date(2027, 6, 13)
    )
    item = factories.ContentItemFactory(campaign=campaign)
    factories.ShareFactory(
        content_item=item,
        status=Share.Status.PUBLISHED,
        scheduled_at=datetime(2027, 6, 7, 9, 0, tzinfo=AMSTERDAM),
        published_at=datetime(2027, 6, 7, 9, 0, tzinfo=AMSTERDAM),
    )
    for network in ("linkedin", "sandbox"):
        factories.ShareFactory(
            content_item=item,
            network=network,
            status=Share.Status.SCHEDULED,
            scheduled_at=datetime(2027, 6, 9, 10, 0, tzinfo=AMSTERDAM),
        )
    return campaign


def cell(html: str, day: str, network: str, kind: str) -> str:
    row = html[html.index(f'data-day="{day}"') :]
    row = row[: row.index("</tr>")]
    marker = f'data-network="{network}" data-kind="{kind}"'
    return row[row.index(marker) :].split(">", 1)[1].split("<", 1)[0]


@pytest.mark.parametrize("role", [factories.marketing_user, factories.leadership_user])
def test_the_campaign_calendar_shows_shares_per_day_and_network(campaign: Any, role: Any) -> None:
    response = logged_in(role()).get(reverse("campaign-calendar", args=[campaign.pk]))

    html = page(response)
    assert response.status_code == 200
    assert "Calendar of “Spring launch”" in html
    assert html.count('class="calendar-day"') == 7  # the campaign's seven days
    assert cell(html, "2027-06-07", "sandbox", "published") == "1"
    assert cell(html, "2027-06-07", "sandbox", "scheduled") == "0"
    assert cell(html, "2027-06-09", "linkedin", "scheduled") == "1"
    assert cell(html, "2027-06-09", "sandbox", "scheduled") == "1"
    assert cell(html, "2027-06-09", "x", "scheduled") == "0"
    assert "In these days: 2 scheduled, 1 published." in html


def test_the_campaign_calendar_takes_a_range(marketing: User, campaign: Any) -> None:
    response = logged_in(marketing).get(
        reverse("campaign-calendar", args=[campaign.pk]),
        {"start": "2027-06-09", "end": "2027-06-10"},
    )

    html = page(response)
    assert html.count('class="calendar-day"') == 2
    assert "In these days: 2 scheduled, 0 published." in html


def test_a_backwards_range_is_explained(marketing: User, campaign: Any) -> None:
    response = logged_in(marketing).get(
        reverse("campaign-calendar", args=[campaign.pk]),
        {"start": "2027-06-10", "end": "2027-06-09"},
    )

    assert response.status_code == 400
    assert "The calendar cannot end (2027-06-09) before it starts (2027-06-10)." in page(response)


def test_an_ambassador_gets_404_for_the_campaign_calendar(
    ambassador_user: User, campaign: Any
) -> None:
    response = logged_in(ambassador_user).get(reverse("campaign-calendar", args=[campaign.pk]))

    assert response.status_code == 404


def test_the_campaign_page_links_to_its_calendar(marketing: User, campaign: Any) -> None:
    html = page(logged_in(marketing).get(reverse("campaign-detail", args=[campaign.pk])))

    assert reverse("campaign-calendar", args=[campaign.pk]) in html
