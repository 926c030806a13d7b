"""The publishing state machine: claim, publish once, retry only what surely did not land,
never post twice after a crash."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from advocacy.models import SandboxPost, Share
from advocacy.networks.base import ProviderError
from advocacy.networks.sandbox import SandboxProvider
from advocacy.publishing.dispatch import shares_dispatch_due
from advocacy.publishing.publish import share_publish
from advocacy.sharing.shares import share_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def share(ambassador_user, item):
    return share_create(
        user=ambassador_user, item=item, network="sandbox", text="Look at this #employee"
    )


def test_it_publishes_a_due_share_to_the_sandbox(share):
    share_publish(share_id=share.pk, attempt_id="attempt-1")

    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED
    post = SandboxPost.objects.get()
    assert share.external_id == str(post.pk)
    assert share.external_url.endswith(f"/sandbox/posts/{post.pk}/")
    assert post.text == f"Look at this #employee\n\nhttp://127.0.0.1:8000/r/{share.code}"
    assert post.client_ref == share.code


def test_a_second_message_for_a_published_share_posts_nothing(share):
    share_publish(share_id=share.pk, attempt_id="attempt-1")
    share_publish(share_id=share.pk, attempt_id="attempt-2")

    assert SandboxPost.objects.count() == 1


def test_a_redelivered_message_finding_its_own_claim_never_posts_again(share):
    # The worker claimed the row and then died: the broker hands the same message back.
    Share.objects.filter(pk=share.pk).update(
        status=Share.Status.PUBLISHING, claimed_at=timezone.now(), claimed_by="attempt-1"
    )

    share_publish(share_id=share.pk, attempt_id="attempt-1")

    share.refresh_from_db()
    # The sandbox can be asked whether the post exists: it does not, so it is due again
    # (and was not posted by the redelivered message itself).
    assert SandboxPost.objects.count() == 0
    assert share.status == Share.Status.SCHEDULED


def test_a_crash_after_the_post_landed_is_reconciled_as_published(share, ambassador_user):
    account = factories.sandbox_account(ambassador_user)
    SandboxProvider().publish(account=account, text="Look at this", client_ref=share.code)
    Share.objects.filter(pk=share.pk).update(
        status=Share.Status.PUBLISHING, claimed_at=timezone.now(), claimed_by="attempt-1"
    )

    share_publish(share_id=share.pk, attempt_id="attempt-1")

    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED
    assert SandboxPost.objects.count() == 1


def test_a_concurrent_duplicate_message_leaves_the_running_attempt_alone(share):
    Share.objects.filter(pk=share.pk).update(
        status=Share.Status.PUBLISHING, claimed_at=timezone.now(), claimed_by="attempt-1"
    )

    share_publish(share_id=share.pk, attempt_id="attempt-2")

    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHING
    assert SandboxPost.objects.count() == 0


def test_a_share_stuck_in_publishing_becomes_unknown_and_is_reconciled(share):
    Share.objects.filter(pk=share.pk).update(
        status=Share.Status.PUBLISHING,
        claimed_at=timezone.now() - timedelta(hours=1),
        claimed_by="attempt-1",
    )

    shares_dispatch_due()

    share.refresh_from_db()
    assert share.status == Share.Status.SCHEDULED  # the sandbox has no such post
    assert SandboxPost.objects.count() == 0


def test_a_transient_failure_is_retried_later_not_at_once(share, monkeypatch):
    def refuse(self, **kwargs):
        raise ProviderError("The network is busy.", retry_after=timedelta(minutes=2))

    monkeypatch.setattr(SandboxProvider, "publish", refuse)
    with time_machine.travel(timezone.now(), tick=False):
        share_publish(share_id=share.pk, attempt_id="attempt-1")

        share.refresh_from_db()
        assert share.status == Share.Status.SCHEDULED
        assert share.attempts == 1
        assert share.next_attempt_at == timezone.now() + timedelta(minutes=2)
        assert "The network is busy." in share.error
        assert shares_dispatch_due() == 0  # not due yet

    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        assert shares_dispatch_due() == 1


def test_a_permanent_failure_fails_the_share_with_the_reason(share, monkeypatch, ambassador_user):
    def revoked(self, **kwargs):
        raise ProviderError("Reconnect your sandbox account.", reconnect=True)

    monkeypatch.setattr(SandboxProvider, "publish", revoked)
    share_publish(share_id=share.pk, attempt_id="attempt-1")

    share.refresh_from_db()
    assert share.status == Share.Status.FAILED
    assert share.error == "Reconnect your sandbox account."
    assert factories.sandbox_account(ambassador_user).status == "expired"


def test_an_ambiguous_failure_is_looked_up_before_anything_is_sent_again(share, monkeypatch):
    calls = []

    def timeout(self, **kwargs):
        calls.append(kwargs)
        raise ProviderError("The network did not answer in time.", ambiguous=True)

    def unreachable(self, **kwargs):
        raise ProviderError("The network cannot be reached.")

    monkeypatch.setattr(SandboxProvider, "publish", timeout)
    monkeypatch.setattr(SandboxProvider, "find_post", unreachable)
    share_publish(share_id=share.pk, attempt_id="attempt-1")

    # The network could not be asked: the share stays unknown and is never sent again.
    share.refresh_from_db()
    assert share.status == Share.Status.UNKNOWN
    assert shares_dispatch_due(now=timezone.now() + timedelta(hours=1)) == 0
    assert len(calls) == 1

    # Once it can be asked and says "no such post", sending it cannot duplicate it.
    monkeypatch.undo()
    shares_dispatch_due(now=timezone.now() + timedelta(minutes=2))
    share.refresh_from_db()
    assert share.status == Share.Status.SCHEDULED


def test_a_timeout_after_the_network_stored_the_post_is_settled_as_published(share, monkeypatch):
    real_publish = SandboxProvider.publish

    def stored_then_timed_out(self, **kwargs):
        real_publish(self, **kwargs)
        raise ProviderError("The network did not answer in time.", ambiguous=True)

    monkeypatch.setattr(SandboxProvider, "publish", stored_then_timed_out)
    share_publish(share_id=share.pk, attempt_id="attempt-1")

    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED
    assert share.external_id == str(SandboxPost.objects.get().pk)


def test_dispatch_reenqueues_a_share_whose_message_was_lost(share):
    assert shares_dispatch_due() == 0  # just enqueued by share_create
    later = timezone.now() + timedelta(minutes=6)
    assert shares_dispatch_due(now=later) == 1
    assert shares_dispatch_due(now=later) == 0


def test_a_share_whose_account_was_disconnected_fails_with_a_clear_message(share, ambassador_user):
    account = factories.sandbox_account(ambassador_user)
    account.access_token = ""
    account.save()

    share_publish(share_id=share.pk, attempt_id="attempt-1")

    share.refresh_from_db()
    assert share.status == Share.Status.FAILED
    assert "reconnect it" in share.error


def test_a_duplicate_refusal_means_an_earlier_attempt_landed(share, monkeypatch):
    def duplicate(self, **kwargs):
        raise ProviderError("You already said that.", permanent=True, duplicate=True)

    monkeypatch.setattr(SandboxProvider, "publish", duplicate)
    share_publish(share_id=share.pk, attempt_id="attempt-1")

    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED
    assert share.error == ""
