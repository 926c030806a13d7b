"""“Did this appear?”: where a network cannot be searched, the ambassador settles a share
whose outcome is unknown, on the share's page or through the API; nobody else can."""

import pytest
from django.urls import reverse

from advocacy.models import NetworkAccount, Share
from advocacy.sharing.shares import share_create
from tests import factories
from tests.conftest import api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def unknown_share(ambassador_user, item):
    NetworkAccount.objects.create(
        user=ambassador_user,
        network="linkedin",
        external_id="AbC123xyz",
        access_token="token",
        scopes="openid profile email w_member_social",
    )
    share = share_create(user=ambassador_user, item=item, network="linkedin", text="Proud!")
    Share.objects.filter(pk=share.pk).update(status=Share.Status.UNKNOWN)
    share.refresh_from_db()
    return share


def test_the_share_page_asks_whether_a_linkedin_post_appeared(client, unknown_share):
    client.force_login(unknown_share.user)
    page = client.get(reverse("share-detail", args=[unknown_share.pk])).content.decode()
    assert "Did this appear on your LinkedIn profile?" in page
    assert 'value="yes"' in page and 'value="no"' in page


def test_a_sandbox_share_in_unknown_is_looked_up_instead_of_asked(client, ambassador_user, item):
    share = share_create(user=ambassador_user, item=item, network="sandbox", text="Hi #employee")
    Share.objects.filter(pk=share.pk).update(status=Share.Status.UNKNOWN)
    client.force_login(ambassador_user)
    page = client.get(reverse("share-detail", args=[share.pk])).content.decode()
    assert "Did this appear" not in page
    assert "We are checking with the network" in page


def test_answering_yes_on_the_page_marks_it_published(client, unknown_share):
    client.force_login(unknown_share.user)
    response = client.post(
        reverse("share-confirm", args=[unknown_share.pk]), {"appeared": "yes"}, follow=True
    )
    assert "counts as published" in response.content.decode()
    unknown_share.refresh_from_db()
    assert unknown_share.status == Share.Status.PUBLISHED


def test_answering_no_through_the_api_schedules_it_once_more(unknown_share):
    response = api_for(unknown_share.user).post(
        f"/api/shares/{unknown_share.pk}/confirm/", {"appeared": False}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "scheduled"
    again = api_for(unknown_share.user).post(
        f"/api/shares/{unknown_share.pk}/confirm/", {"appeared": True}, format="json"
    )
    assert again.status_code == 400
    assert "not waiting for your answer" in again.content.decode()


def test_a_post_url_given_with_yes_must_be_a_web_address(unknown_share):
    response = api_for(unknown_share.user).post(
        f"/api/shares/{unknown_share.pk}/confirm/",
        {"appeared": True, "post_url": "javascript:alert(1)"},
        format="json",
    )
    assert response.status_code == 400
    unknown_share.refresh_from_db()
    assert unknown_share.status == Share.Status.UNKNOWN


def test_nobody_else_can_answer_for_a_share(client, unknown_share):
    other = factories.ambassador(username="otto")
    client.force_login(other)
    assert (
        client.post(
            reverse("share-confirm", args=[unknown_share.pk]), {"appeared": "yes"}
        ).status_code
        == 404
    )
    response = api_for(other).post(
        f"/api/shares/{unknown_share.pk}/confirm/", {"appeared": True}, format="json"
    )
    assert response.status_code == 404
    unknown_share.refresh_from_db()
    assert unknown_share.status == Share.Status.UNKNOWN
