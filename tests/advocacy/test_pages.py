"""The ambassador and motivator pages, through Django's test client."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advocacy.models import Click, NetworkAccount, SandboxPost, Share, User
from advocacy.networks.rules import NETWORK_RULES, tracked_url
from reports.services.refresh import rollups_refresh
from tests import factories

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def strict_policy(policy: Any) -> Any:
    policy.blocked_terms = ["Project Falcon"]
    policy.required_disclosure = "#employee"
    policy.save()
    return policy


# --- Feed ------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_login_page(client: Client) -> None:
    response = client.get(reverse("feed"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_renders_a_form(client: Client) -> None:
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert 'name="username"' in page(response)
    assert 'name="password"' in page(response)


def test_feed_shows_available_items_and_hides_shared_expired_and_other_team_items(
    policy: Any,
) -> None:
    mine, other = factories.TeamFactory(), factories.TeamFactory()
    user = factories.ambassador(teams=[mine])
    factories.ContentItemFactory(title="Open to everyone", description="Read <b>this</b>")
    for_my_team = factories.ContentItemFactory(title="For my team")
    for_my_team.audience.add(mine)
    for_other_team = factories.ContentItemFactory(title="For another team")
    for_other_team.audience.add(other)
    factories.ContentItemFactory(
        title="Expired yesterday", available_until=timezone.now() - timedelta(days=1)
    )
    factories.ContentItemFactory(title="Still a draft", status="draft")
    already = factories.ContentItemFactory(title="Already shared")
    factories.ShareFactory(user=user, content_item=already)

    response = client_for(user).get(reverse("feed"))

    html = page(response)
    assert response.status_code == 200
    assert "Open to everyone" in html
    assert "For my team" in html
    assert "Read &lt;b&gt;this&lt;/b&gt;" in html
    assert reverse("share-create", args=[for_my_team.pk]) in html
    for hidden in ("For another team", "Expired yesterday", "Still a draft", "Already shared"):
        assert hidden not in html


def test_feed_shows_an_empty_state_when_everything_is_shared(ambassador_user: User) -> None:
    response = client_for(ambassador_user).get(reverse("feed"))

    assert response.status_code == 200
    assert "Nothing new to share right now" in page(response)


def test_feed_invites_an_ambassador_without_a_network_to_connect_one(
    policy: Any, item: Any
) -> None:
    user = factories.ambassador(connect=False)

    html = page(client_for(user).get(reverse("feed")))

    assert item.title in html
    assert "Connect a network to share" in html
    assert reverse("my-networks") in html


def test_feed_welcomes_a_person_who_has_not_opted_in_without_showing_content(
    item: Any,
) -> None:
    user = factories.UserFactory()

    response = client_for(user).get(reverse("feed"))

    html = page(response)
    assert response.status_code == 200
    assert "voluntary" in html
    assert reverse("policy") in html
    assert item.title not in html


# --- Caption editor --------------------------------------------------------------------------


def test_editor_prefills_the_suggested_caption_and_shows_the_length_counter(
    ambassador_user: User, item: Any
) -> None:
    response = client_for(ambassador_user).get(reverse("share-create", args=[item.pk]))

    html = page(response)
    length = NETWORK_RULES["sandbox"].caption_length(item.caption_x)
    assert response.status_code == 200
    assert item.caption_x in html
    assert f"{length} / 280" in html
    assert "tracked link is added at the end" in html
    assert f'hx-post="{reverse("caption-check", args=[item.pk])}"' in html
    assert 'hx-trigger="input changed delay:250ms, change"' in html


def test_editor_asks_to_connect_a_network_when_none_is_usable(policy: Any, item: Any) -> None:
    user = factories.ambassador(connect=False)

    response = client_for(user).get(reverse("share-create", args=[item.pk]))

    assert response.status_code == 200
    assert reverse("my-networks") in page(response)
    assert "Share now" not in page(response)


def test_caption_check_marks_blocking_findings_and_links_to_the_policy(
    ambassador_user: User, item: Any, strict_policy: Any
) -> None:
    response = client_for(ambassador_user).post(
        reverse("caption-check", args=[item.pk]),
        {"network": "sandbox", "text": "Project Falcon is coming"},
    )

    html = page(response)
    assert response.status_code == 200
    assert 'id="caption-check"' in html
    assert "<html" not in html
    assert 'class="blocking"' in html
    assert "may not be used in posts about the company" in html
    assert "/policy/#rule-blocked-terms" in html
    assert "/policy/#rule-disclosure" in html


def test_caption_check_marks_a_caption_over_the_limit(ambassador_user: User, item: Any) -> None:
    text = "word " * 80

    response = client_for(ambassador_user).post(
        reverse("caption-check", args=[item.pk]), {"network": "x", "text": text}
    )

    html = page(response)
    length = NETWORK_RULES["x"].caption_length(text)
    assert 'class="counter over"' in html
    assert f"{length} / 280" in html
    assert "/policy/#rule-length" in html


def test_caption_check_gives_advice_without_blocking_for_a_copied_caption(
    ambassador_user: User, item: Any
) -> None:
    response = client_for(ambassador_user).post(
        reverse("caption-check", args=[item.pk]), {"network": "sandbox", "text": item.caption_x}
    )

    html = page(response)
    assert "add a personal note" in html
    assert 'class="blocking"' not in html
    assert "/policy/#guide-personal" in html


def test_caption_check_asks_for_a_caption_when_the_text_is_empty(
    ambassador_user: User, item: Any
) -> None:
    response = client_for(ambassador_user).post(
        reverse("caption-check", args=[item.pk]), {"network": "linkedin", "text": ""}
    )

    assert response.status_code == 200
    assert "Write a caption" in page(response)
    assert "/ 3000" in page(response)


def test_caption_check_refuses_an_unknown_network(ambassador_user: User, item: Any) -> None:
    response = client_for(ambassador_user).post(
        reverse("caption-check", args=[item.pk]), {"network": "myspace", "text": "Hi"}
    )

    assert response.status_code == 400


def test_caption_check_escapes_html_in_the_caption_and_preview(
    ambassador_user: User, item: Any
) -> None:
    response = client_for(ambassador_user).post(
        reverse("caption-check", args=[item.pk]),
        {"network": "sandbox", "text": "<script>alert(1)</script> #employee"},
    )

    html = page(response)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; #employee" in html


def test_editor_and_caption_check_are_404_for_an_item_not_offered_to_the_user(
    policy: Any,
) -> None:
    user = factories.ambassador(teams=[factories.TeamFactory()])
    elsewhere = factories.ContentItemFactory()
    elsewhere.audience.add(factories.TeamFactory())
    expired = factories.ContentItemFactory(available_until=timezone.now() - timedelta(hours=1))
    client = client_for(user)

    for item in (elsewhere, expired):
        assert client.get(reverse("share-create", args=[item.pk])).status_code == 404
        response = client.post(
            reverse("caption-check", args=[item.pk]), {"network": "x", "text": "Hi"}
        )
        assert response.status_code == 404


def test_share_now_creates_a_scheduled_share_and_shows_it(ambassador_user: User, item: Any) -> None:
    client = client_for(ambassador_user)

    response = client.post(
        reverse("share-create", args=[item.pk]),
        {"network": "sandbox", "text": "Really proud of my team. #employee"},
    )

    share = Share.objects.get(user=ambassador_user)
    assert response.status_code == 302
    assert response["Location"] == reverse("share-detail", args=[share.pk])
    assert share.status == Share.Status.SCHEDULED
    assert share.text == "Really proud of my team. #employee"
    detail = page(client.get(response["Location"]))
    assert "on its way" in detail
    assert 'data-status="scheduled"' in detail


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("So proud " * 40 + "#employee", "Sandbox allows 280 characters"),
        ("Project Falcon is here #employee", "may not be used in posts about the company"),
        ("Proud of this one", "so your network knows you work here"),
    ],
    ids=["too-long", "blocked-term", "missing-disclosure"],
)
def test_share_now_refuses_a_caption_against_the_policy_and_keeps_the_text(
    ambassador_user: User, item: Any, strict_policy: Any, text: str, message: str
) -> None:
    response = client_for(ambassador_user).post(
        reverse("share-create", args=[item.pk]), {"network": "sandbox", "text": text}
    )

    html = page(response)
    assert response.status_code == 400
    assert 'class="errorlist nonfield"' in html
    assert message in html
    assert text.strip() in html
    assert not Share.objects.exists()


def test_share_now_to_a_network_the_user_has_not_connected_is_refused(
    ambassador_user: User, item: Any
) -> None:
    response = client_for(ambassador_user).post(
        reverse("share-create", args=[item.pk]), {"network": "linkedin", "text": "Hi #employee"}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in page(response)
    assert not Share.objects.exists()


def test_sharing_the_same_item_twice_is_refused_with_a_message(
    ambassador_user: User, item: Any
) -> None:
    client = client_for(ambassador_user)
    data = {"network": "sandbox", "text": "My words #employee"}
    client.post(reverse("share-create", args=[item.pk]), data)

    response = client.post(reverse("share-create", args=[item.pk]), data)

    assert response.status_code == 400
    assert "You already shared" in page(response)
    assert Share.objects.count() == 1


# --- Shares ----------------------------------------------------------------------------------


def test_my_shares_lists_status_links_clicks_and_a_cancel_button(
    ambassador_user: User, policy: Any
) -> None:
    scheduled = factories.ShareFactory(user=ambassador_user, status=Share.Status.SCHEDULED)
    published = factories.ShareFactory(
        user=ambassador_user,
        published_at=timezone.now(),
        external_url="https://sandbox.example/posts/1",
    )
    failed = factories.ShareFactory(
        user=ambassador_user, status=Share.Status.FAILED, error="Token expired: reconnect."
    )
    Click.objects.create(share=published, is_bot=False)
    Click.objects.create(share=published, is_bot=True)
    factories.ShareFactory(content_item=factories.ContentItemFactory(title="Someone else's"))

    response = client_for(ambassador_user).get(reverse("my-shares"))

    html = page(response)
    assert response.status_code == 200
    assert 'class="status status-scheduled"' in html
    assert 'class="status status-published"' in html
    assert 'class="status status-failed"' in html
    assert tracked_url(published.code) in html
    assert 'href="https://sandbox.example/posts/1" target="_blank" rel="noopener"' in html
    assert "Token expired: reconnect." in html
    assert reverse("share-cancel", args=[scheduled.pk]) in html
    assert reverse("share-cancel", args=[failed.pk]) not in html
    assert "Someone else&#x27;s" not in html
    assert "<td>1</td>" in html  # the human click only


def test_share_detail_polls_while_scheduled_and_stops_once_published(
    ambassador_user: User, policy: Any
) -> None:
    share = factories.ShareFactory(user=ambassador_user, status=Share.Status.SCHEDULED)
    client = client_for(ambassador_user)

    scheduled = page(client.get(reverse("share-detail", args=[share.pk])))
    Share.objects.filter(pk=share.pk).update(
        status=Share.Status.PUBLISHED,
        published_at=timezone.now(),
        external_url="https://sandbox.example/p/9",
    )
    partial = client.get(reverse("share-status", args=[share.pk]))

    status_url = reverse("share-status", args=[share.pk])
    assert 'id="share-status"' in scheduled
    assert 'data-status="scheduled"' in scheduled
    assert f'hx-get="{status_url}" hx-trigger="every 2s" hx-swap="outerHTML"' in scheduled
    assert partial.status_code == 200
    assert 'data-status="published"' in page(partial)
    assert "hx-trigger" not in page(partial)
    assert "https://sandbox.example/p/9" in page(partial)


def test_share_detail_shows_the_caption_escaped_and_the_tracked_link(
    ambassador_user: User, policy: Any
) -> None:
    share = factories.ShareFactory(user=ambassador_user, text="<img src=x onerror=alert(1)>")

    html = page(client_for(ambassador_user).get(reverse("share-detail", args=[share.pk])))

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert tracked_url(share.code) in html


def test_another_persons_share_detail_status_and_cancel_are_404(
    ambassador_user: User, policy: Any
) -> None:
    theirs = factories.ShareFactory(status=Share.Status.SCHEDULED)
    client = client_for(ambassador_user)

    assert client.get(reverse("share-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("share-status", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("share-cancel", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Share.Status.SCHEDULED


def test_cancelling_a_scheduled_share_stops_it(ambassador_user: User, policy: Any) -> None:
    share = factories.ShareFactory(user=ambassador_user, status=Share.Status.SCHEDULED)

    response = client_for(ambassador_user).post(
        reverse("share-cancel", args=[share.pk]), follow=True
    )

    share.refresh_from_db()
    assert share.status == Share.Status.CANCELLED
    assert "nothing was posted" in page(response)


def test_cancelling_a_published_share_is_refused_with_a_message(
    ambassador_user: User, policy: Any
) -> None:
    share = factories.ShareFactory(user=ambassador_user, status=Share.Status.PUBLISHED)

    response = client_for(ambassador_user).post(reverse("share-cancel", args=[share.pk]))

    assert response.status_code == 400
    assert "can no longer be cancelled" in page(response)
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED


def test_cancel_only_accepts_post(ambassador_user: User, policy: Any) -> None:
    share = factories.ShareFactory(user=ambassador_user, status=Share.Status.SCHEDULED)

    response = client_for(ambassador_user).get(reverse("share-cancel", args=[share.pk]))

    assert response.status_code == 405


# --- Impact ----------------------------------------------------------------------------------


def test_my_impact_labels_measured_and_estimated_figures(
    ambassador_user: User, policy: Any
) -> None:
    share = factories.ShareFactory(
        user=ambassador_user, potential_reach=321, published_at=timezone.now()
    )
    Click.objects.create(share=share, is_bot=False)
    Click.objects.create(share=share, is_bot=True)
    Click.objects.create(share=share, is_bot=True)
    rollups_refresh()  # the page reads the daily figures, as the other reports

    response = client_for(ambassador_user).get(reverse("my-impact"))

    html = page(response)
    assert response.status_code == 200
    assert "measured" in html
    assert "321" in html
    assert "estimated" in html
    assert "measured by the network" in html
    assert "not available" in html  # no network reported impressions
    assert "2 bot visits (link previews, not counted)" in html
    assert share.content_item.title in html
    assert 'class="status status-published"' in html


# --- Networks, opting in and out -------------------------------------------------------------


def test_my_networks_lists_accounts_and_says_which_networks_are_not_configured(
    ambassador_user: User,
) -> None:
    response = client_for(ambassador_user).get(reverse("my-networks"))

    html = page(response)
    assert response.status_code == 200
    assert "@amber" in html
    assert "not configured by your administrator" in html  # no client ids in the tests
    assert "LinkedIn" in html
    assert reverse("me-opt-out") in html


def test_an_ambassador_connects_the_sandbox(policy: Any) -> None:
    user = factories.ambassador(connect=False)

    response = client_for(user).post(reverse("network-connect-sandbox"), follow=True)

    assert response.status_code == 200
    assert "sandbox account is connected" in page(response)
    assert NetworkAccount.objects.get(user=user).is_usable


def test_connecting_without_opting_in_is_refused_with_a_message(policy: Any) -> None:
    user = factories.UserFactory()

    response = client_for(user).post(reverse("network-connect-sandbox"))

    assert response.status_code == 400
    assert "Opt in as an ambassador before you connect a network" in page(response)
    assert not NetworkAccount.objects.exists()


def test_disconnecting_deletes_the_tokens(ambassador_user: User) -> None:
    account = factories.sandbox_account(ambassador_user)

    response = client_for(ambassador_user).post(
        reverse("network-disconnect", args=[account.pk]), follow=True
    )

    account.refresh_from_db()
    assert response.status_code == 200
    assert account.status == NetworkAccount.Status.DISCONNECTED
    assert account.access_token == ""


def test_disconnecting_another_persons_account_is_404(ambassador_user: User) -> None:
    other = factories.ambassador()
    account = factories.sandbox_account(other)

    response = client_for(ambassador_user).post(reverse("network-disconnect", args=[account.pk]))

    account.refresh_from_db()
    assert response.status_code == 404
    assert account.is_usable


def test_opt_out_page_explains_what_happens(ambassador_user: User) -> None:
    response = client_for(ambassador_user).get(reverse("me-opt-out"))

    html = page(response)
    assert response.status_code == 200
    assert "scheduled are cancelled" in html
    assert "tokens are deleted" in html
    assert "team's totals" in html


def test_opting_out_cancels_scheduled_shares_and_deletes_tokens(
    ambassador_user: User, policy: Any
) -> None:
    scheduled = factories.ShareFactory(user=ambassador_user, status=Share.Status.SCHEDULED)
    published = factories.ShareFactory(user=ambassador_user, status=Share.Status.PUBLISHED)

    response = client_for(ambassador_user).post(reverse("me-opt-out"), follow=True)

    scheduled.refresh_from_db()
    published.refresh_from_db()
    ambassador_user.refresh_from_db()
    assert response.status_code == 200
    assert "You opted out" in page(response)
    assert "voluntary" in page(response)  # back to the welcome card
    assert scheduled.status == Share.Status.CANCELLED
    assert published.status == Share.Status.PUBLISHED
    assert not ambassador_user.is_ambassador
    assert factories.sandbox_account(ambassador_user).access_token == ""


def test_opting_in_before_acknowledging_the_policy_is_refused(policy: Any) -> None:
    user = factories.UserFactory()

    response = client_for(user).post(reverse("me-opt-in"))

    user.refresh_from_db()
    assert response.status_code == 400
    assert "Read and acknowledge the fair-use policy" in page(response)
    assert not user.is_ambassador


def test_opting_in_after_acknowledging_the_policy_welcomes_the_ambassador(policy: Any) -> None:
    user = factories.UserFactory()
    factories.acknowledgement(user, policy)

    response = client_for(user).post(reverse("me-opt-in"), follow=True)

    user.refresh_from_db()
    assert response.status_code == 200
    assert "Welcome aboard" in page(response)
    assert user.is_ambassador


# --- Teams -----------------------------------------------------------------------------------


def test_motivator_sees_their_team_page_without_any_person_named(policy: Any) -> None:
    team = factories.TeamFactory(name="Sales Benelux")
    motivator = factories.ambassador(teams=[team], username="molly")
    team.motivators.add(motivator)
    member = factories.ambassador(teams=[team], username="zoe-member")
    factories.UserFactory(username="yannick-not-opted-in").teams.add(team)
    item = factories.ContentItemFactory(title="Our new office")
    share = factories.ShareFactory(
        user=member, content_item=item, published_at=timezone.now(), potential_reach=400
    )
    Click.objects.create(share=share, is_bot=False)
    rollups_refresh()  # the dashboard reads the rollups the beat rebuilds

    client = client_for(motivator)
    listing = page(client.get(reverse("team-list")))
    response = client.get(reverse("team-detail", args=[team.pk]))

    html = page(response)
    assert reverse("team-detail", args=[team.pk]) in listing
    assert response.status_code == 200
    assert "Sales Benelux" in html
    assert "2 / 3" in html  # opted in / eligible
    assert "opted in / eligible" in html
    assert "Our new office" in html
    assert "400" in html
    assert "estimated" in html
    assert "zoe-member" not in html
    assert "yannick-not-opted-in" not in html


def test_motivator_gets_404_for_another_team(policy: Any) -> None:
    mine, theirs = factories.TeamFactory(), factories.TeamFactory(name="Other team")
    motivator = factories.ambassador(teams=[mine])
    mine.motivators.add(motivator)

    client = client_for(motivator)
    response = client.get(reverse("team-detail", args=[theirs.pk]))

    assert response.status_code == 404
    assert "Other team" not in page(client.get(reverse("team-list")))


def test_an_ambassador_who_is_no_motivator_sees_no_teams(ambassador_user: User) -> None:
    team = factories.TeamFactory(name="Finance")
    ambassador_user.teams.add(team)

    client = client_for(ambassador_user)

    assert "Finance" not in page(client.get(reverse("team-list")))
    assert client.get(reverse("team-detail", args=[team.pk])).status_code == 404


# --- Sandbox post ----------------------------------------------------------------------------


def test_sandbox_post_is_public_escaped_and_shows_the_sandbox_figures(
    client: Client, ambassador_user: User
) -> None:
    account = factories.sandbox_account(ambassador_user)
    post = SandboxPost.objects.create(
        account=account,
        author_name="@amber",
        text="<script>alert(1)</script>\nRead https://example.com/news",
        audience=500,
    )

    response = client.get(reverse("sandbox-post", args=[post.pk]))

    html = page(response)
    assert response.status_code == 200
    assert "@amber" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>" in html
    assert "<script>alert" not in html
    assert 'href="https://example.com/news"' in html
    assert "views" in html


def test_sandbox_post_shows_no_figures_once_the_account_is_disconnected(
    client: Client, ambassador_user: User
) -> None:
    account = factories.sandbox_account(ambassador_user)
    post = SandboxPost.objects.create(account=account, author_name="@amber", text="Hello")
    client_for(ambassador_user).post(reverse("network-disconnect", args=[account.pk]))

    response = client.get(reverse("sandbox-post", args=[post.pk]))

    assert response.status_code == 200
    assert "Hello" in page(response)
    assert "views" not in page(response)


def test_unknown_sandbox_post_is_404(client: Client, db: None) -> None:
    response = client.get("/sandbox/posts/00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404


def test_reconnecting_the_sandbox_after_opting_out_needs_a_new_opt_in(
    ambassador_user: User,
) -> None:
    client = client_for(ambassador_user)
    client.post(reverse("me-opt-out"))

    response = client.post(reverse("network-connect-sandbox"))

    assert response.status_code == 400
    assert "Opt in as an ambassador before you connect a network" in page(response)
    assert not factories.sandbox_account(ambassador_user).is_usable
