"""The motivators' digest: what the email says (figures against the previous period, wins,
learnings without names, top content, the chart as an inline PNG, a plain-text part), the
one-click frequency change and unsubscribe, one email per period, and the Slack and Teams
webhooks (allow-listed hosts only, a failure never blocking the email)."""

import json
from datetime import timedelta
from email.message import Message
from typing import Any

import pytest
import responses
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from advocacy.models import Click, Share, User
from campaigns.models import ContentItem
from reports.digests import (
    digest_token_make,
    team_digest_send,
    team_digests_send_due,
)
from reports.models import DigestFrequency, DigestSubscription, TeamWebhook, WebhookKind
from reports.services.rollups import rollups_rebuild
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXX"
TEAMS_URL = "https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi"


def rebuild() -> None:
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=30), until=today)


def published(user: User, days_ago: int = 0, **kwargs: Any) -> Share:
    kwargs.setdefault("published_at", timezone.now() - timedelta(days=days_ago))
    return factories.ShareFactory(user=user, **kwargs)  # type: ignore[no-any-return]


def clicks(share: Share, count: int) -> None:
    Click.objects.bulk_create(
        Click(share=share, created_at=share.published_at, visitor_hash=f"v{n}")
        for n in range(count)
    )


@pytest.fixture
def team(policy: Any) -> dict[str, Any]:
    sales = factories.TeamFactory(name="Sales Benelux")
    motivator = factories.ambassador(teams=[sales], username="molly", email="molly@example.com")
    sales.motivators.add(motivator)
    veteran = factories.ambassador(teams=[sales], username="victor-veteran")
    newcomer = factories.ambassador(teams=[sales], username="nina-newcomer")
    office = factories.ContentItemFactory(title="Our new office")
    hiring = factories.ContentItemFactory(title="We are hiring")
    # This week: 3 shares, 60 + 4 clicks; the week before: 1 share, 8 clicks.
    clicks(published(newcomer, content_item=office), 60)
    clicks(published(veteran, days_ago=1, content_item=office), 4)
    published(veteran, days_ago=2, content_item=hiring)
    clicks(published(veteran, days_ago=9, content_item=factories.ContentItemFactory()), 8)
    factories.ShareFactory(user=veteran, status=Share.Status.FAILED, problem="policy")
    rebuild()
    return {"team": sales, "motivator": motivator}


def sent_message() -> mail.EmailMultiAlternatives:
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert isinstance(message, mail.EmailMultiAlternatives)
    return message


def html_of(message: mail.EmailMultiAlternatives) -> str:
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return str(html)


def subscription_of(team: dict[str, Any]) -> DigestSubscription:
    return DigestSubscription.objects.get(user=team["motivator"], team=team["team"])


def test_the_digest_tells_the_weeks_figures_against_the_week_before(
    team: dict[str, Any],
) -> None:
    assert team_digests_send_due() == 1

    message = sent_message()
    assert message.to == ["molly@example.com"]
    assert "Sales Benelux" in message.subject
    assert "last 7 days" in message.subject
    for body in (message.body, html_of(message)):
        assert "Shares" in body
        assert "3 (previous period: 1, +200%)" in body
        assert "64 (previous period: 8, +700%)" in body
        assert "Engagements (measured)" in body
        assert "not available" in body  # no network reported engagements
        assert f"/teams/{team['team'].pk}/?days=7" in body


def test_the_digest_lists_wins_top_content_and_learnings_without_naming_anyone(
    team: dict[str, Any],
) -> None:
    team_digests_send_due()

    message = sent_message()
    html = html_of(message)
    for body in (message.body, html):
        assert "shared for the first time" in body
        assert "passed 50 clicks" in body
        assert "policy block (1)" in body
        assert "Our new office: 64 clicks, 2 shares" in body
        assert "victor-veteran" not in body
        assert "nina-newcomer" not in body


def test_the_chart_is_an_inline_png_the_html_refers_to_by_its_content_id(
    team: dict[str, Any],
) -> None:
    team_digests_send_due()

    message = sent_message().message()
    assert message.get_content_type() == "multipart/related"
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1
    image: Message = images[0]
    payload = image.get_payload(decode=True)
    assert isinstance(payload, bytes) and payload.startswith(b"\x89PNG\r\n\x1a\n")
    assert image["Content-Disposition"].startswith("inline")
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html_of(sent_message())
    texts = [part.get_content_type() for part in message.walk()]
    assert "text/plain" in texts and "text/html" in texts


def test_data_in_the_html_is_escaped(team: dict[str, Any]) -> None:
    ContentItem.objects.filter(title="Our new office").update(title="<b>Bold</b> & co")

    team_digests_send_due()

    html = html_of(sent_message())
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in html
    assert "<b>Bold</b>" not in html


def test_the_email_carries_one_click_unsubscribe_headers(team: dict[str, Any]) -> None:
    team_digests_send_due()

    message = sent_message()
    token = digest_token_make(subscription=subscription_of(team))
    url = "http://127.0.0.1:8000" + reverse("digest-preferences", args=[token])
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    assert url in html_of(message)


def test_opening_the_link_does_not_unsubscribe(team: dict[str, Any]) -> None:
    team_digests_send_due()
    token = digest_token_make(subscription=subscription_of(team))

    response = Client().get(reverse("digest-preferences", args=[token]))

    assert response.status_code == 200
    assert "Unsubscribe" in response.content.decode()
    assert subscription_of(team).frequency == DigestFrequency.WEEKLY


def test_the_mail_clients_one_click_post_unsubscribes_without_a_login(
    team: dict[str, Any],
) -> None:
    team_digests_send_due()
    token = digest_token_make(subscription=subscription_of(team))

    response = Client(enforce_csrf_checks=True).post(
        reverse("digest-preferences", args=[token]), {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert subscription_of(team).frequency == DigestFrequency.OFF
    mail.outbox.clear()
    assert team_digests_send_due(now=timezone.now() + timedelta(days=40)) == 0
    assert mail.outbox == []


def test_a_tampered_link_is_refused(team: dict[str, Any]) -> None:
    team_digests_send_due()
    other = DigestSubscription.objects.create(
        user=factories.UserFactory(), team=team["team"], frequency=DigestFrequency.WEEKLY
    )
    token = digest_token_make(subscription=subscription_of(team))
    # The payload is base64 JSON before the signature: point it at another subscription.
    forged = token.replace(token.split(":")[0], digest_token_make(subscription=other).split(":")[0])

    for url in (reverse("digest-preferences", args=[forged]), "/digests/not-a-token/"):
        assert Client().post(url).status_code == 400
    assert subscription_of(team).frequency == DigestFrequency.WEEKLY
    assert DigestSubscription.objects.get(pk=other.pk).frequency == DigestFrequency.WEEKLY


def test_a_recipient_can_change_to_monthly_and_then_gets_thirty_days(
    team: dict[str, Any],
) -> None:
    team_digests_send_due()
    token = digest_token_make(subscription=subscription_of(team))

    response = Client().post(reverse("digest-preferences", args=[token]), {"frequency": "monthly"})

    assert response.status_code == 200
    assert subscription_of(team).frequency == DigestFrequency.MONTHLY
    mail.outbox.clear()
    assert team_digests_send_due(now=timezone.now() + timedelta(days=8)) == 0
    assert team_digests_send_due(now=timezone.now() + timedelta(days=30)) == 1
    assert "last 30 days" in mail.outbox[0].subject


def test_an_unknown_frequency_is_refused(team: dict[str, Any]) -> None:
    team_digests_send_due()
    token = digest_token_make(subscription=subscription_of(team))

    response = Client().post(reverse("digest-preferences", args=[token]), {"frequency": "hourly"})

    assert response.status_code == 400
    assert subscription_of(team).frequency == DigestFrequency.WEEKLY


def test_the_digest_is_sent_once_per_period(team: dict[str, Any]) -> None:
    now = timezone.now()
    assert team_digests_send_due(now=now) == 1
    assert team_digests_send_due(now=now + timedelta(days=3)) == 0
    assert team_digests_send_due(now=now + timedelta(days=7)) == 1
    assert len(mail.outbox) == 2


def test_two_beats_holding_the_same_row_send_once(team: dict[str, Any]) -> None:
    team_digests_send_due()
    subscription = subscription_of(team)
    stale = subscription_of(team)
    later = timezone.now() + timedelta(days=7)
    mail.outbox.clear()

    assert team_digest_send(subscription=subscription, now=later) is True
    assert team_digest_send(subscription=stale, now=later) is False
    assert len(mail.outbox) == 1


def test_a_motivator_who_stepped_down_gets_no_digest(team: dict[str, Any]) -> None:
    team_digests_send_due()
    team["team"].motivators.remove(team["motivator"])
    mail.outbox.clear()

    assert team_digests_send_due(now=timezone.now() + timedelta(days=8)) == 0


def webhook(team: dict[str, Any], kind: str, url: str) -> TeamWebhook:
    hook = TeamWebhook(team=team["team"], kind=kind, url=url)
    hook.full_clean()
    hook.save()
    return hook


@responses.activate
def test_the_slack_webhook_gets_the_digest_as_blocks(team: dict[str, Any]) -> None:
    webhook(team, WebhookKind.SLACK, SLACK_URL)
    responses.post(SLACK_URL, body="ok")

    team_digests_send_due()

    (call,) = responses.calls
    body = json.loads(call.request.body or b"")
    assert "Sales Benelux" in body["text"]
    blocks = json.dumps(body["blocks"])
    assert "*Shares*: 3 (previous period: 1, +200%)" in blocks
    assert "shared for the first time" in blocks
    assert "policy block (1)" in blocks
    assert "victor-veteran" not in blocks
    assert f"/teams/{team['team'].pk}/?days=7|Open the dashboard>" in blocks
    assert TeamWebhook.objects.get().last_sent_at is not None


@responses.activate
def test_the_teams_webhook_gets_a_message_card(team: dict[str, Any]) -> None:
    webhook(team, WebhookKind.TEAMS, TEAMS_URL)
    responses.post(TEAMS_URL, body="1")

    team_digests_send_due()

    (call,) = responses.calls
    card = json.loads(call.request.body or b"")
    assert card["@type"] == "MessageCard"
    assert {"name": "Shares", "value": "3 (previous period: 1, +200%)"} in card["sections"][0][
        "facts"
    ]
    assert card["potentialAction"][0]["targets"][0]["uri"].endswith(
        f"/teams/{team['team'].pk}/?days=7"
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.slack.com/services/T000/B000/XXXX",
        "https://169.254.169.254/latest/meta-data/",
        "https://hooks.slack.com.evil.example/services/x",
        "https://hooks.slack.com:8443/services/x",
        "https://user:pw@hooks.slack.com/services/x",
        "https://localhost/hook",
    ],
)
def test_a_webhook_url_off_the_allow_list_is_refused(team: dict[str, Any], url: str) -> None:
    with pytest.raises(ValidationError):
        webhook(team, WebhookKind.SLACK, url)


@override_settings(DIGEST_WEBHOOK_HOSTS=["chat.internal.example"])
def test_an_operator_can_allow_another_webhook_host(team: dict[str, Any]) -> None:
    webhook(team, WebhookKind.SLACK, "https://chat.internal.example/hooks/1")


@responses.activate
def test_a_failed_webhook_does_not_block_the_email(team: dict[str, Any]) -> None:
    webhook(team, WebhookKind.SLACK, SLACK_URL)
    responses.post(SLACK_URL, status=500)

    assert team_digests_send_due() == 1

    assert len(mail.outbox) == 1
    hook = TeamWebhook.objects.get()
    assert hook.last_error == "HTTP 500"
    assert hook.enabled  # a server error may pass: tried again next week


@responses.activate
def test_a_webhook_that_was_removed_is_disabled(team: dict[str, Any]) -> None:
    webhook(team, WebhookKind.SLACK, SLACK_URL)
    responses.post(SLACK_URL, status=404, body="no_service")

    team_digests_send_due()

    assert not TeamWebhook.objects.get().enabled


def test_a_motivator_sets_the_teams_webhook_on_its_page(team: dict[str, Any]) -> None:
    url = reverse("team-webhook", args=[team["team"].pk])

    response = client_for(team["motivator"]).post(
        url, {"kind": "slack", "url": SLACK_URL, "enabled": "on"}
    )

    assert response.status_code == 302
    hook = TeamWebhook.objects.get(team=team["team"])
    assert (hook.kind, hook.url, hook.enabled) == ("slack", SLACK_URL, True)


def test_the_page_refuses_a_webhook_to_an_internal_host(team: dict[str, Any]) -> None:
    url = reverse("team-webhook", args=[team["team"].pk])

    response = client_for(team["motivator"]).post(
        url, {"kind": "slack", "url": "https://10.0.0.5/hook", "enabled": "on"}
    )

    assert response.status_code == 400
    assert "Only Slack" in response.content.decode()
    assert not TeamWebhook.objects.exists()


def test_only_marketing_and_the_teams_motivators_see_the_webhook_page(
    team: dict[str, Any],
) -> None:
    url = reverse("team-webhook", args=[team["team"].pk])
    member = team["team"].members.exclude(pk=team["motivator"].pk).first()
    marketing = factories.UserFactory()
    marketing.groups.add(factories.group("marketing"))

    assert client_for(member).get(url).status_code == 404
    assert client_for(marketing).get(url).status_code == 200
    assert client_for(team["motivator"]).get(url).status_code == 200


def test_the_dashboard_links_the_webhook_page_for_those_who_may_set_it(
    team: dict[str, Any],
) -> None:
    dashboard = reverse("team-detail", args=[team["team"].pk])
    webhook_page = reverse("team-webhook", args=[team["team"].pk])
    marketing = factories.marketing_user()
    leadership = factories.leadership_user()  # sees the dashboard, may not set the webhook

    for user, linked in ((team["motivator"], True), (marketing, True), (leadership, False)):
        response = client_for(user).get(dashboard)
        assert response.status_code == 200
        assert (f'href="{webhook_page}"' in response.content.decode()) is linked


# --- The digest page: read it on the site, have it emailed now to forward it ----------------


@pytest.fixture(autouse=True)
def _no_copy_sent_recently() -> None:
    cache.clear()  # the "sent a few minutes ago" marks of earlier tests


def test_a_motivator_reads_the_digest_on_the_site_with_its_chart(team: dict[str, Any]) -> None:
    response = client_for(team["motivator"]).get(f"/teams/{team['team'].pk}/digest/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Digest of Sales Benelux" in page
    # The email's HTML, escaped into the frame's srcdoc, with the chart inline.
    assert "srcdoc=" in page
    assert "3 (previous period: 1, +200%)" in page
    assert "data:image/png;base64,iVBORw0KGgo" in page  # a PNG's signature
    assert "cid:" not in page
    # The whole email is inside the attribute, escaped; its links open in a tab of their own.
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in page
    assert "&lt;base target=&quot;_blank&quot;&gt;" in page
    assert mail.outbox == []  # reading it sends nothing


def test_a_title_with_markup_stays_text_in_the_digest_page(team: dict[str, Any]) -> None:
    ContentItem.objects.filter(title="Our new office").update(
        title='<script>alert("x")</script><img src=x onerror=alert(1)>'
    )

    page = client_for(team["motivator"]).get(f"/teams/{team['team'].pk}/digest/").content
    page_text = page.decode()

    assert "<script>alert" not in page_text
    assert "<img src=x" not in page_text
    assert "&amp;lt;script&amp;gt;alert" in page_text  # escaped in the email, then in the page


def test_the_team_dashboard_links_its_motivators_to_the_digest(
    team: dict[str, Any], marketing: User
) -> None:
    dashboard = f"/teams/{team['team'].pk}/"
    link = f'href="/teams/{team["team"].pk}/digest/"'

    assert link in client_for(team["motivator"]).get(dashboard).content.decode()
    assert link not in client_for(marketing).get(dashboard).content.decode()


def test_email_it_to_me_now_sends_one_copy_and_leaves_the_schedule_alone(
    team: dict[str, Any],
) -> None:
    client = client_for(team["motivator"])
    url = f"/teams/{team['team'].pk}/digest/"

    response = client.post(url, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert "Sent to molly@example.com" in response.content.decode()
    message = sent_message()
    assert message.to == ["molly@example.com"]
    assert "Sales Benelux" in message.subject
    assert "3 (previous period: 1, +200%)" in message.body
    assert subscription_of(team).last_sent_at is None  # the weekly digest still comes
    assert team_digests_send_due() == 1

    # A second click within minutes sends nothing more.
    mail.outbox.clear()
    response = client.post(url, follow=True)
    assert "a few minutes ago" in response.content.decode()
    assert mail.outbox == []


def test_the_digest_page_is_its_motivators_only(team: dict[str, Any], marketing: User) -> None:
    member = User.objects.get(username="victor-veteran")
    other = factories.TeamFactory(name="Elsewhere")
    outsider = factories.ambassador(teams=[other], username="oscar", email="oscar@example.com")
    other.motivators.add(outsider)
    url = f"/teams/{team['team'].pk}/digest/"

    for user in (member, outsider, marketing):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    assert mail.outbox == []
    assert client_for(team["motivator"]).get("/teams/999999/digest/").status_code == 404


def test_a_motivator_without_an_email_address_is_told_so(team: dict[str, Any]) -> None:
    team["motivator"].email = ""
    team["motivator"].save()

    response = client_for(team["motivator"]).post(f"/teams/{team['team'].pk}/digest/", follow=True)

    assert "no email address" in response.content.decode()
    assert mail.outbox == []
