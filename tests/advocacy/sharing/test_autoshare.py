"""Auto-sharing: consent per topic and network, for a year; each run queues at most one new
item of the topic per consent, and a refusal is logged rather than raised."""

import logging
import zoneinfo
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from advocacy.models import AutoShareConsent, Share, User
from advocacy.sharing.autoshare import (
    autoshare_active,
    autoshare_grant,
    autoshare_revoke,
    autoshare_run,
)
from advocacy.sharing.queue import queue_pause, queue_remove, queue_shares, queue_slots_set
from campaigns.models import CaptionVariant, ContentItem, Topic
from policy.services import policy_acknowledge
from tests.factories import (
    ContentItemFactory,
    PolicyVersionFactory,
    ShareFactory,
    TopicFactory,
    UserFactory,
    ambassador,
)

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
START = datetime(2027, 6, 7, 8, 0, tzinfo=AMSTERDAM)  # a Monday


@pytest.fixture
def now(policy: Any, time_machine: Any) -> datetime:
    time_machine.move_to(START, tick=False)
    return START


@pytest.fixture
def user(now: datetime) -> User:
    user = ambassador(username="ada", time_zone="Europe/Amsterdam")
    queue_slots_set(user=user, slots=[(1, time(8, 30)), (3, time(12, 15))])
    return user


@pytest.fixture
def topic(now: datetime) -> Topic:
    return TopicFactory(name="Engineering")


def item_of(topic: Topic, title: str, hours_after_start: float = 1, **kwargs: Any) -> ContentItem:
    item = ContentItemFactory(
        title=title, published_at=START + timedelta(hours=hours_after_start), **kwargs
    )
    item.topics.add(topic)
    return item


def queued_titles(user: User) -> list[str]:
    return [share.content_item.title for share in queue_shares(user)]


# --- Consent --------------------------------------------------------------------------------


def test_granting_records_the_consent_for_a_year(user: User, topic: Topic, now: datetime) -> None:
    consent = autoshare_grant(user=user, topic=topic, network="sandbox")

    assert (consent.user, consent.topic, consent.network) == (user, topic, "sandbox")
    assert consent.granted_at == now
    assert consent.expires_at == now + timedelta(days=365)
    assert consent.revoked_at is None
    assert list(autoshare_active(user=user)) == [consent]


def test_granting_again_while_in_force_returns_the_same_consent(
    user: User, topic: Topic, time_machine: Any
) -> None:
    first = autoshare_grant(user=user, topic=topic, network="sandbox")
    time_machine.move_to(START + timedelta(days=30), tick=False)

    again = autoshare_grant(user=user, topic=topic, network="sandbox")

    assert again == first
    assert again.expires_at == START + timedelta(days=365)
    assert AutoShareConsent.objects.count() == 1


def test_granting_after_a_revocation_records_a_new_consent(user: User, topic: Topic) -> None:
    first = autoshare_grant(user=user, topic=topic, network="sandbox")
    autoshare_revoke(consent=first)

    second = autoshare_grant(user=user, topic=topic, network="sandbox")

    assert second != first
    assert list(autoshare_active(user=user)) == [second]


def test_granting_needs_an_opted_in_ambassador(topic: Topic) -> None:
    with pytest.raises(ValidationError) as refused:
        autoshare_grant(user=UserFactory(), topic=topic, network="sandbox")

    assert refused.value.code == "not_opted_in"
    assert refused.value.messages == ["Opt in as an ambassador before you turn on auto-sharing."]
    assert not AutoShareConsent.objects.exists()


def test_granting_needs_the_network_connected(user: User, topic: Topic) -> None:
    with pytest.raises(ValidationError) as refused:
        autoshare_grant(user=user, topic=topic, network="linkedin")

    assert refused.value.code == "account_not_connected"
    assert refused.value.messages == [
        "Connect your LinkedIn account before you turn on auto-sharing for it."
    ]
    assert not AutoShareConsent.objects.exists()


def test_a_consent_expires_after_a_year(user: User, topic: Topic, time_machine: Any) -> None:
    autoshare_grant(user=user, topic=topic, network="sandbox")

    time_machine.move_to(START + timedelta(days=364), tick=False)
    assert autoshare_active(user=user).count() == 1
    time_machine.move_to(START + timedelta(days=365), tick=False)
    assert autoshare_active(user=user).count() == 0


def test_revoking_ends_the_consent_and_keeps_its_record(user: User, topic: Topic) -> None:
    consent = autoshare_grant(user=user, topic=topic, network="sandbox")

    revoked = autoshare_revoke(consent=consent)

    assert revoked.revoked_at == START
    assert not autoshare_active(user=user).exists()
    assert AutoShareConsent.objects.get().revoked_at == START


# --- Runs -----------------------------------------------------------------------------------


def test_a_run_queues_one_new_item_of_the_topic_per_consent(user: User, topic: Topic) -> None:
    autoshare_grant(user=user, topic=topic, network="sandbox")
    item_of(topic, "Older", hours_after_start=1)
    item_of(topic, "Newer", hours_after_start=2)

    assert autoshare_run() == 1
    assert queued_titles(user) == ["Newer"]
    share = queue_shares(user).get()
    assert share.network == "sandbox"
    assert share.text == "Proud of what we built. #employee"  # the suggested caption
    assert share.requested_at == datetime(2027, 6, 8, 8, 30, tzinfo=AMSTERDAM)

    assert autoshare_run() == 1
    assert queued_titles(user) == ["Newer", "Older"]
    assert autoshare_run() == 0


def test_a_run_leaves_items_of_other_topics_and_older_items_alone(user: User, topic: Topic) -> None:
    autoshare_grant(user=user, topic=topic, network="sandbox")
    item_of(TopicFactory(name="Sales"), "Other topic")
    item_of(topic, "From before the consent", hours_after_start=-1)
    ContentItemFactory(title="No topic")

    assert autoshare_run() == 0
    assert not Share.objects.exists()


def test_a_run_ignores_revoked_and_expired_consents(
    user: User, topic: Topic, time_machine: Any
) -> None:
    revoked = autoshare_grant(user=user, topic=topic, network="sandbox")
    autoshare_revoke(consent=revoked)
    other = TopicFactory(name="Culture")
    autoshare_grant(user=user, topic=other, network="sandbox")
    time_machine.move_to(START + timedelta(days=366), tick=False)
    item_of(topic, "Engineering news", hours_after_start=24 * 366)
    item_of(other, "Culture news", hours_after_start=24 * 366)

    assert autoshare_run() == 0
    assert not Share.objects.exists()


def test_a_run_skips_a_paused_queue_and_a_queue_without_slots(user: User, topic: Topic) -> None:
    autoshare_grant(user=user, topic=topic, network="sandbox")
    no_slots = ambassador(username="bo")
    autoshare_grant(user=no_slots, topic=topic, network="sandbox")
    item_of(topic, "News")
    queue_pause(user=user)

    assert autoshare_run() == 0
    assert not Share.objects.exists()


def test_a_share_removed_from_the_queue_is_not_queued_again(user: User, topic: Topic) -> None:
    autoshare_grant(user=user, topic=topic, network="sandbox")
    item_of(topic, "News")
    autoshare_run()

    queue_remove(share=queue_shares(user).get())

    assert autoshare_run() == 0
    assert queued_titles(user) == []


def test_an_item_already_shared_is_not_queued(user: User, topic: Topic) -> None:
    autoshare_grant(user=user, topic=topic, network="sandbox")
    item = item_of(topic, "News")
    ShareFactory(user=user, network="sandbox", content_item=item, text="Shared by hand")

    assert autoshare_run() == 0


def test_a_policy_refusal_is_logged_and_the_next_item_is_tried(
    user: User, topic: Topic, policy: Any, caplog: pytest.LogCaptureFixture
) -> None:
    policy.blocked_terms = ["confidential"]
    policy.save()
    autoshare_grant(user=user, topic=topic, network="sandbox")
    item_of(topic, "Fine", hours_after_start=1)
    refused = item_of(
        topic, "Leaky", hours_after_start=2, caption_x="Our confidential roadmap #employee"
    )

    with caplog.at_level(logging.INFO, logger="advocacy.sharing.autoshare"):
        assert autoshare_run() == 1

    assert queued_titles(user) == ["Fine"]
    assert f"item {refused.pk} not queued" in caplog.text
    assert "confidential" in caplog.text


def test_one_persons_refusal_does_not_stop_the_others(user: User, topic: Topic) -> None:
    colleague = ambassador(username="cy", time_zone="Europe/Amsterdam")
    queue_slots_set(user=colleague, slots=[(2, time(9, 0))])
    autoshare_grant(user=colleague, topic=topic, network="sandbox")
    autoshare_grant(user=user, topic=topic, network="sandbox")
    new_policy = PolicyVersionFactory()
    policy_acknowledge(user=user, version=new_policy)  # the colleague has not read it yet
    item_of(topic, "News")

    assert autoshare_run() == 1

    assert queued_titles(user) == ["News"]
    assert queued_titles(colleague) == []


def test_a_caption_a_colleague_already_queued_is_not_copied(user: User, topic: Topic) -> None:
    autoshare_grant(user=user, topic=topic, network="sandbox")
    colleague = ambassador(username="cy", time_zone="Europe/Amsterdam")
    queue_slots_set(user=colleague, slots=[(2, time(9, 0))])
    autoshare_grant(user=colleague, topic=topic, network="sandbox")
    item_of(topic, "Older", hours_after_start=1)
    item_of(topic, "Newer", hours_after_start=2)

    assert autoshare_run() == 2

    # Ada queued the newer item with its suggested caption; the same words from Cy would look
    # coordinated, so Cy gets the older item this time.
    assert queued_titles(user) == ["Newer"]
    assert queued_titles(colleague) == ["Older"]


def test_an_item_without_a_caption_is_skipped(user: User, topic: Topic) -> None:
    autoshare_grant(user=user, topic=topic, network="sandbox")
    item_of(topic, "Bare", hours_after_start=2, caption_x="", caption_linkedin="")
    item_of(topic, "Captioned", hours_after_start=1)

    assert autoshare_run() == 1
    assert queued_titles(user) == ["Captioned"]


def test_a_run_offers_a_caption_variant_no_colleague_used(user: User, topic: Topic) -> None:
    autoshare_grant(user=user, topic=topic, network="sandbox")
    colleague = ambassador(username="cy", time_zone="Europe/Amsterdam")
    queue_slots_set(user=colleague, slots=[(2, time(9, 0))])
    autoshare_grant(user=colleague, topic=topic, network="sandbox")
    item = item_of(topic, "News")
    first = CaptionVariant.objects.create(item=item, network="sandbox", text="We shipped it!")
    second = CaptionVariant.objects.create(
        item=item, network="sandbox", text="Months of work, live today: have a look."
    )

    assert autoshare_run() == 2

    shares = Share.objects.filter(content_item=item).order_by("user__username")
    assert [(share.variant, share.text) for share in shares] == [
        (first, "We shipped it!"),
        (second, "Months of work, live today: have a look."),
    ]
