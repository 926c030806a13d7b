"""Token authentication and /api/me/: who I am, my roles and preferences, opting in and out."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from advocacy.models import Consent
from tests.api.helpers import detail
from tests.conftest import api_for
from tests.factories import (
    TeamFactory,
    TopicFactory,
    UserFactory,
    acknowledgement,
    marketing_user,
)

pytestmark = pytest.mark.django_db


def test_it_issues_a_token_for_a_username_and_password_and_accepts_it(policy: Any) -> None:
    user = UserFactory(username="tess")
    client = APIClient()

    token = client.post("/api/auth/token/", {"username": "tess", "password": "pw"})

    assert token.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    me = client.get("/api/me/")
    assert me.status_code == 200
    assert me.json()["id"] == user.pk
    assert me.json()["username"] == "tess"


def test_a_wrong_password_gets_no_token(db: None) -> None:
    UserFactory(username="tess")

    response = APIClient().post("/api/auth/token/", {"username": "tess", "password": "nope"})

    assert response.status_code == 400
    assert detail(response) == "Unable to log in with provided credentials."
    assert response.json()["code"] == "invalid"


def test_the_api_refuses_anonymous_callers_and_bad_tokens(db: None) -> None:
    anonymous = APIClient().get("/api/me/")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    bad_token = client.get("/api/feed/")

    assert anonymous.status_code == 401
    assert detail(anonymous) == "Authentication credentials were not provided."
    assert bad_token.status_code == 401
    assert detail(bad_token) == "Invalid token."


def test_me_shows_roles_teams_and_interests(db: None) -> None:
    sales, support = TeamFactory(name="Sales"), TeamFactory(name="Support")
    topic = TopicFactory()
    user = marketing_user(username="mara")
    user.teams.set([sales, support])
    user.interests.set([topic])
    support.motivators.add(user)

    body = api_for(user).get("/api/me/").json()

    assert body == {
        "id": user.pk,
        "username": "mara",
        "email": "mara@example.com",
        "is_ambassador": False,
        "ambassador_since": None,
        "roles": {"marketing": True, "leadership": False, "motivator_of": [support.pk]},
        "teams": [{"id": sales.pk, "name": "Sales"}, {"id": support.pk, "name": "Support"}],
        "interests": [topic.pk],
        "show_on_leaderboard": False,
        "time_zone": "Europe/Amsterdam",
        "digest_frequency": "weekly",
        "queue_paused": False,
    }


def test_me_changes_only_interests_and_the_leaderboard_choice(db: None) -> None:
    first, second = TopicFactory(), TopicFactory()
    user = UserFactory(username="tess")

    response = api_for(user).patch(
        "/api/me/",
        {
            "interests": [first.pk, second.pk],
            "show_on_leaderboard": True,
            "username": "boss",
            "is_ambassador": True,
        },
        format="json",
    )

    assert response.status_code == 200
    assert sorted(response.json()["interests"]) == sorted([first.pk, second.pk])
    assert response.json()["show_on_leaderboard"] is True
    user.refresh_from_db()
    assert user.username == "tess"
    assert user.ambassador_since is None
    assert set(user.interests.all()) == {first, second}


def test_me_keeps_interests_when_only_the_leaderboard_choice_changes(db: None) -> None:
    topic = TopicFactory()
    user = UserFactory()
    user.interests.set([topic])

    response = api_for(user).patch("/api/me/", {"show_on_leaderboard": True}, format="json")

    assert response.status_code == 200
    assert response.json()["interests"] == [topic.pk]


def test_me_refuses_an_unknown_topic(db: None) -> None:
    response = api_for(UserFactory()).patch("/api/me/", {"interests": [999_999]}, format="json")

    assert response.status_code == 400
    assert detail(response) == 'interests: Invalid pk "999999" - object does not exist.'
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"] == {
        "interests": ['Invalid pk "999999" - object does not exist.']
    }


def test_opting_in_needs_the_current_policy_acknowledged(policy: Any) -> None:
    user = UserFactory()

    response = api_for(user).post("/api/me/opt-in/")

    assert response.status_code == 400
    assert detail(response) == (
        f"Read and acknowledge the fair-use policy (version {policy.number}) before you opt in."
    )
    assert response.json()["code"] == "policy_not_acknowledged"


def test_opting_in_without_any_policy_is_refused(db: None) -> None:
    response = api_for(UserFactory()).post("/api/me/opt-in/")

    assert response.status_code == 400
    assert detail(response) == (
        "There is no fair-use policy yet, so sharing has not started. Ask marketing."
    )


def test_opting_in_after_acknowledging_makes_an_ambassador(policy: Any) -> None:
    user = UserFactory()
    acknowledgement(user, policy)

    response = api_for(user).post("/api/me/opt-in/")

    assert response.status_code == 200
    assert response.json()["is_ambassador"] is True
    assert response.json()["ambassador_since"]
    consent = Consent.objects.get(user=user)
    assert consent.action == "opt_in"
    assert consent.policy_version == policy


def test_opting_out_records_consent_and_returns_me(ambassador_user: Any) -> None:
    response = api_for(ambassador_user).post("/api/me/opt-out/")

    assert response.status_code == 200
    assert response.json()["is_ambassador"] is False
    assert response.json()["ambassador_since"] is None
    assert Consent.objects.filter(user=ambassador_user, action="opt_out").exists()
