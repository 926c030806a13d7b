"""The new-content email and its one-click "add to my queue" links (signed, expiring, usable
once, only by their person)."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django.utils import timezone

from advocacy.models import DigestFrequency, OneClickUse, QueueSlot, Share
from advocacy.sharing.digest import digest_build, digest_send, digests_send_due
from advocacy.sharing.oneclick import SALT, oneclick_make, oneclick_read, oneclick_use
from campaigns.models import ContentItem
from campaigns.variants import variant_create
from tests import factories

pytestmark = pytest.mark.django_db

# A Wednesday morning: 09:00 in Amsterdam (CET, UTC+1).
NOW = datetime(2025, 2, 12, 8, 0, tzinfo=UTC)
ONE_CLICK_RE = re.compile(r"http://\S+/q/(\S+)")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def me(ambassador_user):
    ambassador_user.first_name = "Amber"
    ambassador_user.save()
    for weekday in range(7):
        QueueSlot.objects.create(user=ambassador_user, weekday=weekday, time=time(12, 15))
    return ambassador_user


def published(title: str, hours_ago: float = 1, **kwargs: object) -> ContentItem:
    return factories.ContentItemFactory(
        title=title, published_at=timezone.now() - timedelta(hours=hours_ago), **kwargs
    )


@pytest.fixture
def news(me):
    """Two new items for me, and several that must stay out of the email."""
    engineering = factories.TopicFactory(name="Engineering")
    me.interests.set([engineering])
    launch = factories.CampaignFactory(name="Spring launch")
    fitting = published("R&D <b>news</b>", hours_ago=30)
    fitting.topics.set([engineering])
    fresh = published("Spring is here", hours_ago=1, campaign=launch)
    published("Old news", hours_ago=24 * 8)
    shared = published("Already shared")
    factories.ShareFactory(user=me, content_item=shared)
    published("Draft", status=ContentItem.Status.DRAFT)
    return fitting, fresh


def test_the_digest_lists_new_unshared_items_best_ranked_first_with_why(me, news):
    fitting, fresh = news

    digest = digest_build(user=me)

    assert [entry["item"] for entry in digest["entries"]] == [fitting, fresh]
    assert [entry["why"] for entry in digest["entries"]] == [
        "You follow Engineering.",
        "New in the campaign “Spring launch”.",
    ]
    assert digest["subject"] == "2 new items to share"
    links = digest["entries"][0]["links"]
    assert [(link["network"], link["label"]) for link in links] == [("sandbox", "Sandbox")]
    assert links[0]["url"].startswith(f"{settings.SITE_URL}/q/")


def test_the_email_has_the_items_one_click_links_and_the_frequency_link(me, news):
    assert digest_send(user=me) is True

    [email] = mail.outbox
    assert email.to == [me.email]
    assert email.subject == "2 new items to share"
    text = email.body
    assert text.startswith("Hello Amber,\n\n2 new items for you to share:\n")
    # Plain text is not HTML-escaped.
    assert "1. R&D <b>news</b>\n   https://example.com/news/" in text
    assert "   You follow Engineering.\n   Add to my queue (Sandbox): http" in text
    assert "2. Spring is here" in text
    assert "Old news" not in text and "Already shared" not in text and "Draft" not in text
    assert "Each “Add to my queue” link works once, for 7 days." in text
    assert f"Change how often you get this email: {settings.SITE_URL}/networks/" in text
    [(html, mime)] = email.alternatives
    assert mime == "text/html"
    assert "<strong>R&amp;D &lt;b&gt;news&lt;/b&gt;</strong>" in html
    assert "<b>news</b>" not in html
    assert "Add to my queue (Sandbox)</a>" in html
    assert (
        f'<a href="{settings.SITE_URL}/networks/">Change how often you get this email</a>' in html
    )
    assert len(ONE_CLICK_RE.findall(text)) == 2
    assert ONE_CLICK_RE.findall(text) == re.findall(r'href="http://\S+/q/([^"]+)"', html)
    me.refresh_from_db()
    assert me.digest_sent_at == NOW


def test_the_emails_one_click_links_add_to_my_queue(me, news):
    fitting, fresh = news
    digest_send(user=me)
    tokens = ONE_CLICK_RE.findall(mail.outbox[0].body)

    shares = [oneclick_use(token=token, user=me) for token in tokens]

    assert [share.content_item for share in shares] == [fitting, fresh]
    assert all(share.in_queue and share.network == "sandbox" for share in shares)


def test_without_a_connected_network_the_email_says_how_to_add(policy, news):
    unconnected = factories.ambassador(connect=False, username="nolink")

    digest_send(user=unconnected)

    text = mail.outbox[0].body
    assert "Add to my queue" not in text.split("Each")[0]
    assert f"Connect a network account to add items with one click: {settings.SITE_URL}" in text


def test_nothing_is_sent_when_nothing_is_new(me, news):
    digest_send(user=me)
    mail.outbox.clear()

    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert digest_send(user=me) is False

    assert mail.outbox == []
    me.refresh_from_db()
    # Looked at up to here: the next email starts from this moment.
    assert me.digest_sent_at == NOW + timedelta(days=1)


def test_the_next_email_only_has_what_came_after_the_last_one(me, news):
    digest_send(user=me)

    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        published("Tuesday's news", hours_ago=2)
        assert digest_send(user=me) is True

    assert mail.outbox[1].subject == "1 new item to share"
    assert "Tuesday's news" in mail.outbox[1].body
    assert "Spring is here" not in mail.outbox[1].body


class RefusingOneAddress(EmailBackend):
    """The mail server refuses daily_never's address; the others are delivered."""

    def send_messages(self, messages):
        if any("daily_never@example.com" in message.to for message in messages):
            raise ConnectionRefusedError("550 mailbox unavailable")
        return super().send_messages(messages)


def test_a_stale_copy_of_me_does_not_send_the_email_twice(me, news):
    stale = type(me).objects.get(pk=me.pk)
    digest_send(user=me)

    # Another worker loaded me before the first email went out.
    assert digest_send(user=stale) is False
    assert len(mail.outbox) == 1


class TestWhoIsDue:
    @pytest.fixture
    def people(self, policy):
        def person(name, frequency, sent_ago=None, **kwargs):
            user = factories.ambassador(username=name, **kwargs)
            user.digest_frequency = frequency
            user.digest_sent_at = NOW - sent_ago if sent_ago is not None else None
            user.save()
            return user

        daily = DigestFrequency.DAILY
        weekly = DigestFrequency.WEEKLY
        return {
            "daily_never": person("daily_never", daily),
            "daily_yesterday": person("daily_yesterday", daily, timedelta(hours=23, minutes=30)),
            "daily_recent": person("daily_recent", daily, timedelta(hours=20)),
            "weekly_never": person("weekly_never", weekly),
            "weekly_last_week": person("weekly_last_week", weekly, timedelta(days=6, hours=13)),
            "weekly_recent": person("weekly_recent", weekly, timedelta(days=6)),
            "off": person("off", DigestFrequency.OFF),
            "no_email": person("no_email", daily, email=""),
        }

    def recipients(self):
        return sorted(email.to[0].split("@")[0] for email in mail.outbox)

    def test_daily_and_weekly_people_get_it_when_due_and_off_never(self, people):
        published("Fresh", hours_ago=1)
        not_ambassador = factories.UserFactory(username="employee")
        assert not_ambassador.digest_frequency == DigestFrequency.WEEKLY

        assert digests_send_due() == 4

        assert self.recipients() == [
            "daily_never",
            "daily_yesterday",
            "weekly_last_week",
            "weekly_never",
        ]

    def test_a_second_tick_sends_nothing_twice(self, people):
        published("Fresh", hours_ago=1)
        digests_send_due()

        assert digests_send_due() == 0
        assert len(mail.outbox) == 4

    def test_the_next_day_the_daily_people_and_those_not_due_before_get_it(self, people):
        published("Fresh", hours_ago=1)
        digests_send_due()
        mail.outbox.clear()

        with time_machine.travel(NOW + timedelta(days=1), tick=False):
            published("Next day", hours_ago=1)
            assert digests_send_due() == 4

        # Not due yesterday: daily_recent (emailed 20 hours before) and weekly_recent (six
        # days before); they get yesterday's item too.
        assert self.recipients() == [
            "daily_never",
            "daily_recent",
            "daily_yesterday",
            "weekly_recent",
        ]
        bodies = {email.to[0].split("@")[0]: email.body for email in mail.outbox}
        assert all("Next day" in body for body in bodies.values())
        assert ["Fresh" in bodies[name] for name in self.recipients()] == [
            False,
            True,
            False,
            True,
        ]

    @override_settings(EMAIL_BACKEND="tests.advocacy.sharing.test_digest.RefusingOneAddress")
    def test_a_refused_email_is_tried_again_and_does_not_stop_the_others(self, people):
        published("Fresh", hours_ago=1)

        assert digests_send_due() == 3

        assert "daily_never" not in self.recipients()
        people["daily_never"].refresh_from_db()
        assert people["daily_never"].digest_sent_at is None
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            assert digests_send_due() == 1
        assert "daily_never" in self.recipients()

    def test_nobody_gets_an_email_when_nothing_is_new(self, people):
        assert digests_send_due() == 0
        assert mail.outbox == []


# One-click links --------------------------------------------------------------------------


@pytest.fixture
def token(me, item):
    return oneclick_make(user=me, item=item, network="sandbox")


def refused(token, **kwargs):
    with pytest.raises(ValidationError) as error:
        oneclick_use(token=token, **kwargs)
    return error.value.code, error.value.messages


def test_a_link_adds_the_item_to_my_queue_with_the_suggested_caption(me, item, token):
    share = oneclick_use(token=token)

    assert share.user == me
    assert share.content_item == item
    assert share.status == Share.Status.SCHEDULED
    assert share.in_queue
    assert share.text == "Proud of what we built. #employee"
    # The next free slot: today 12:15 in Amsterdam.
    assert share.requested_at == datetime(2025, 2, 12, 11, 15, tzinfo=UTC)


def test_a_link_offers_a_caption_variant_colleagues_have_not_used(me, item):
    variant = variant_create(item=item, network="sandbox", text="Our new tool is out #employee")

    share = oneclick_use(token=oneclick_make(user=me, item=item, network="sandbox"))

    assert share.variant == variant
    assert share.text == "Our new tool is out #employee"


def test_a_link_works_once(token):
    oneclick_use(token=token)

    assert refused(token) == (
        "link_used",
        ["This link was already used: each one works once. Open the feed instead."],
    )
    assert Share.objects.count() == 1


def test_a_link_can_be_checked_without_using_it(me, item, token):
    link = oneclick_read(token=token, user=me)

    assert (link.user, link.item, link.network) == (me, item, "sandbox")
    assert link.expires_at == NOW + timedelta(days=7)
    assert not OneClickUse.objects.exists()
    oneclick_use(token=token, user=me)
    with pytest.raises(ValidationError, match="already used"):
        oneclick_read(token=token)


def test_a_forged_link_is_refused(token):
    invalid = (
        "link_invalid",
        ["This link is not valid (it may be incomplete or changed). Open the feed instead."],
    )
    payload = signing.loads(token, salt=SALT)

    assert refused(token[:-2] + ("BB" if token.endswith("AA") else "AA")) == invalid
    assert refused(token.replace(":", "", 1)) == invalid
    assert refused("not-a-token") == invalid
    # Signed, but not for this purpose (another salt, as another feature's token would be).
    assert refused(signing.dumps(payload, salt="something.else")) == invalid
    assert not Share.objects.exists()


def test_a_link_already_in_an_inbox_keeps_working_after_an_upgrade(me, item):
    """The links of emails sent by an earlier release were signed with the salt
    "advocacy.oneclick": moving the code must never invalidate them."""
    payload = {
        "u": me.pk,
        "i": item.pk,
        "n": "sandbox",
        "x": "sent-before-the-upgrade",
        "e": int((NOW + timedelta(days=7)).timestamp()),
    }
    sent = signing.dumps(payload, salt="advocacy.oneclick", compress=True)

    share = oneclick_use(token=sent)

    assert (share.user, share.content_item) == (me, item)


def test_an_expired_link_says_when_it_expired(token):
    with time_machine.travel(NOW + timedelta(days=7, minutes=1), tick=False):
        assert refused(token) == (
            "link_expired",
            # 08:00 UTC is 09:00 in Amsterdam, where the ambassador lives.
            ["This link expired on 2025-02-19 09:00; open the feed instead."],
        )
    assert not Share.objects.exists()


def test_a_link_still_works_just_before_it_expires(token):
    with time_machine.travel(NOW + timedelta(days=7, seconds=-1), tick=False):
        assert oneclick_use(token=token).in_queue


def test_someone_else_cannot_use_my_link(token, me):
    colleague = factories.ambassador(username="colleague")

    assert refused(token, user=colleague) == (
        "link_invalid",
        ["This link was made for someone else. Open your own feed instead."],
    )
    assert not Share.objects.exists()
    # The link is still mine to use.
    assert oneclick_use(token=token, user=me).user == me


def test_a_link_that_cannot_add_is_not_used_up(me, token):
    QueueSlot.objects.filter(user=me).delete()

    code, _messages = refused(token)

    assert code == "no_slots"
    assert not OneClickUse.objects.exists()
    QueueSlot.objects.create(user=me, weekday=2, time=time(12, 15))
    assert oneclick_use(token=token).in_queue
    assert Share.objects.count() == 1
