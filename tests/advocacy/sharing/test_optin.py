"""Opting in and out and a person's own preferences, called directly on the services."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from advocacy.models import Consent, NetworkAccount, Share
from advocacy.sharing.optin import ambassador_opt_in, ambassador_opt_out, user_preferences_update
from advocacy.sharing.shares import share_create
from tests.factories import (
    ContentItemFactory,
    ShareFactory,
    TopicFactory,
    UserFactory,
    acknowledgement,
    ambassador,
    sandbox_account,
)

pytestmark = pytest.mark.django_db


# --- Opting in ------------------------------------------------------------------------------


def test_opting_in_needs_the_current_policy_acknowledged(policy: Any) -> None:
    user = UserFactory()

    with pytest.raises(ValidationError) as refused:
        ambassador_opt_in(user=user)

    assert refused.value.messages == [
        f"Read and acknowledge the fair-use policy (version {policy.number}) before you opt in."
    ]
    assert refused.value.code == "policy_not_acknowledged"
    user.refresh_from_db()
    assert not user.is_ambassador
    assert not Consent.objects.filter(user=user).exists()


def test_opting_in_without_any_policy_is_refused(db: None) -> None:
    with pytest.raises(ValidationError) as refused:
        ambassador_opt_in(user=UserFactory())

    assert refused.value.code == "no_policy"


def test_opting_in_after_acknowledging_records_consent_under_that_version(policy: Any) -> None:
    user = UserFactory()
    acknowledgement(user, policy)

    consent = ambassador_opt_in(user=user)

    user.refresh_from_db()
    assert user.is_ambassador
    assert (consent.action, consent.policy_version) == (Consent.Action.OPT_IN, policy)


# --- Opting out -----------------------------------------------------------------------------


def test_opting_out_cancels_scheduled_shares_blanks_tokens_and_keeps_published_shares(
    ambassador_user: Any,
) -> None:
    # share_create queues the share with on_commit, which never runs inside the test's
    # transaction: the share stays scheduled.
    scheduled = share_create(
        user=ambassador_user, item=ContentItemFactory(), network="sandbox", text="Hi #employee"
    )
    published = ShareFactory(user=ambassador_user, status=Share.Status.PUBLISHED)

    consent = ambassador_opt_out(user=ambassador_user)

    scheduled.refresh_from_db()
    assert scheduled.status == Share.Status.CANCELLED
    assert scheduled.error == "Cancelled because you opted out."
    published.refresh_from_db()
    assert published.status == Share.Status.PUBLISHED
    account = sandbox_account(ambassador_user)
    assert (account.access_token, account.refresh_token) == ("", "")
    assert account.token_expires_at is None
    assert account.status == NetworkAccount.Status.DISCONNECTED
    ambassador_user.refresh_from_db()
    assert not ambassador_user.is_ambassador
    assert consent.action == Consent.Action.OPT_OUT


def test_opting_out_leaves_other_peoples_shares_alone(ambassador_user: Any) -> None:
    other = ambassador()
    theirs = share_create(
        user=other, item=ContentItemFactory(), network="sandbox", text="Hi #employee"
    )

    ambassador_opt_out(user=ambassador_user)

    theirs.refresh_from_db()
    assert theirs.status == Share.Status.SCHEDULED
    assert sandbox_account(other).is_usable


# --- Preferences ----------------------------------------------------------------------------


def test_user_preferences_update_sets_interests_and_the_leaderboard_choice(db: None) -> None:
    first, second = TopicFactory(), TopicFactory()
    user = UserFactory()

    user_preferences_update(user=user, interests=[first, second], show_on_leaderboard=True)

    user.refresh_from_db()
    assert set(user.interests.all()) == {first, second}
    assert user.show_on_leaderboard is True


def test_user_preferences_update_leaves_what_is_not_given(db: None) -> None:
    topic = TopicFactory()
    user = UserFactory(show_on_leaderboard=True)
    user.interests.set([topic])

    user_preferences_update(user=user)
    user_preferences_update(user=user, show_on_leaderboard=False)

    user.refresh_from_db()
    assert list(user.interests.all()) == [topic]
    assert user.show_on_leaderboard is False


def test_user_preferences_update_clears_interests_with_an_empty_list(db: None) -> None:
    user = UserFactory()
    user.interests.set([TopicFactory()])

    user_preferences_update(user=user, interests=[])

    assert list(user.interests.all()) == []
