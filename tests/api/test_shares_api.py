"""Network accounts and shares through the API: every rule a share must pass answers 400 with
the reason, and another person's account or share does not exist (404).

share_create hands the share to the worker with transaction.on_commit; inside these tests'
transaction that never runs, so shares stay "scheduled" and no broker is needed.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from advocacy.clicks.count import click_record
from advocacy.models import NetworkAccount, Share
from tests.api.helpers import detail
from tests.conftest import ON_A_DOMAIN, api_for
from tests.factories import (
    ContentItemFactory,
    ShareFactory,
    TeamFactory,
    UserFactory,
    ambassador,
    marketing_user,
    sandbox_account,
)

pytestmark = pytest.mark.django_db

CAPTION = "Proud of our new office, come and see #employee"


def share(user: Any, item: Any, text: str = CAPTION, network: str = "sandbox") -> Any:
    return api_for(user).post(
        "/api/shares/",
        {"content_item": item.pk, "network": network, "text": text},
        format="json",
    )


# --- Accounts -------------------------------------------------------------------------------


def test_my_accounts_never_show_tokens(ambassador_user: Any) -> None:
    account = sandbox_account(ambassador_user)

    response = api_for(ambassador_user).get("/api/accounts/")

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": account.pk,
            "network": "sandbox",
            "display_name": f"@{ambassador_user.username}",
            "status": "connected",
            "followers_count": account.followers_count,
            "connected_at": response.json()[0]["connected_at"],
            "health": {
                "state": "connected",
                "summary": "connected",
                "message": "",
                "action": "",
                "expires_at": None,
                "missing_scopes": [],
            },
            "failed_shares_to_retry": 0,
        }
    ]
    assert account.access_token not in response.content.decode()


def test_an_ambassador_connects_the_sandbox(policy: Any) -> None:
    user = ambassador(connect=False)

    response = api_for(user).post("/api/accounts/", {"network": "sandbox"}, format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "connected"
    assert response.json()["followers_count"] > 0
    assert "token" not in str(response.json())
    assert sandbox_account(user).is_usable


def test_connecting_linkedin_through_the_api_is_not_available_yet(ambassador_user: Any) -> None:
    response = api_for(ambassador_user).post(
        "/api/accounts/", {"network": "linkedin"}, format="json"
    )

    assert response.status_code == 400
    assert detail(response).startswith("Connecting LinkedIn through the API is not available yet.")
    assert response.json()["code"] == "network_not_available"


def test_connecting_before_opting_in_is_refused(policy: Any) -> None:
    response = api_for(UserFactory()).post("/api/accounts/", {"network": "sandbox"}, format="json")

    assert response.status_code == 400
    assert detail(response) == "Opt in as an ambassador before you connect a network."


@pytest.mark.parametrize("how", ["delete", "post"])
def test_disconnecting_deletes_the_tokens_and_cancels_waiting_shares(
    ambassador_user: Any, item: Any, how: str
) -> None:
    account = sandbox_account(ambassador_user)
    waiting = share(ambassador_user, item).json()
    client = api_for(ambassador_user)

    if how == "delete":
        response = client.delete(f"/api/accounts/{account.pk}/")
        assert response.status_code == 204
    else:
        response = client.post(f"/api/accounts/{account.pk}/disconnect/")
        assert response.status_code == 200
        assert response.json()["status"] == "disconnected"

    account.refresh_from_db()
    assert account.access_token == ""
    assert account.status == "disconnected"
    cancelled = client.get(f"/api/shares/{waiting['id']}/").json()
    assert cancelled["status"] == "cancelled"
    assert cancelled["error"] == "Cancelled because the account was disconnected."


@pytest.mark.parametrize(
    ("method", "suffix"), [("get", ""), ("delete", ""), ("post", "disconnect/")]
)
def test_another_persons_account_does_not_exist_for_me(
    ambassador_user: Any, method: str, suffix: str
) -> None:
    other = ambassador()
    account = sandbox_account(other)

    response = getattr(api_for(ambassador_user), method)(f"/api/accounts/{account.pk}/{suffix}")

    assert response.status_code == 404
    assert detail(response) == "No such account."
    assert sandbox_account(other).is_usable


# --- Sharing --------------------------------------------------------------------------------


def test_an_ambassador_shares_an_item_now(ambassador_user: Any, item: Any, policy: Any) -> None:
    response = share(ambassador_user, item)

    assert response.status_code == 201, response.json()
    body = response.json()
    created = Share.objects.get(pk=body["id"])
    assert body["status"] == "scheduled"
    assert body["network"] == "sandbox"
    assert body["content_item"] == item.pk
    assert body["content_title"] == item.title
    assert body["text"] == CAPTION
    assert body["tracked_url"] == f"http://127.0.0.1:8000/r/{created.code}"
    assert body["policy_version"] == policy.number
    assert body["potential_reach"] == sandbox_account(ambassador_user).followers_count
    assert body["clicks"] == 0
    assert body["impressions"] is None
    assert body["external_url"] == ""
    assert body["published_at"] is None
    assert body["scheduled_at"]
    assert body["created_at"]


def test_my_shares_are_listed_filtered_and_counted_with_human_clicks(
    ambassador_user: Any, item: Any
) -> None:
    scheduled = share(ambassador_user, item).json()
    published = ShareFactory(user=ambassador_user, published_at=timezone.now())
    click_record(share=published, ip="192.0.2.1", user_agent="Mozilla/5.0 (X11; Linux)")
    click_record(share=published, ip="192.0.2.2", user_agent="LinkedInBot/1.0")
    ShareFactory()  # someone else's
    client = api_for(ambassador_user)

    everything = client.get("/api/shares/").json()
    only_published = client.get("/api/shares/?status=published").json()
    bad_filter = client.get("/api/shares/?status=lost")

    assert everything["count"] == 2
    assert {s["id"] for s in everything["results"]} == {scheduled["id"], published.pk}
    assert [s["id"] for s in only_published["results"]] == [published.pk]
    assert only_published["results"][0]["clicks"] == 1
    assert bad_filter.status_code == 400
    assert detail(bad_filter) == 'status: "lost" is not a valid choice.'


def test_a_scheduled_share_can_be_cancelled_but_a_published_one_cannot(
    ambassador_user: Any, item: Any
) -> None:
    scheduled = share(ambassador_user, item).json()
    published = ShareFactory(user=ambassador_user)
    client = api_for(ambassador_user)

    cancelled = client.post(f"/api/shares/{scheduled['id']}/cancel/")
    refused = client.post(f"/api/shares/{published.pk}/cancel/")

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert refused.status_code == 400
    assert detail(refused) == "This share is published and can no longer be cancelled."


@pytest.mark.parametrize(("method", "suffix"), [("get", ""), ("post", "cancel/")])
def test_another_persons_share_does_not_exist_for_me(
    ambassador_user: Any, item: Any, method: str, suffix: str
) -> None:
    other = ambassador()
    theirs = share(other, item).json()

    response = getattr(api_for(ambassador_user), method)(f"/api/shares/{theirs['id']}/{suffix}")

    assert response.status_code == 404
    assert detail(response) == "No such share."
    assert Share.objects.get(pk=theirs["id"]).status == "scheduled"


def test_a_share_without_a_caption_field_names_the_missing_field(
    ambassador_user: Any, item: Any
) -> None:
    response = api_for(ambassador_user).post(
        "/api/shares/", {"content_item": item.pk, "network": "sandbox"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "text: This field is required.",
        "code": "invalid",
        "errors": {"text": ["This field is required."]},
    }
    assert not Share.objects.filter(user=ambassador_user).exists()


def test_every_missing_field_is_named_in_one_answer(ambassador_user: Any) -> None:
    response = api_for(ambassador_user).post("/api/shares/", {}, format="json")

    assert response.status_code == 400
    assert detail(response) == (
        "content_item: This field is required. network: This field is required. "
        "text: This field is required."
    )
    assert set(response.json()["errors"]) == {"content_item", "network", "text"}


def test_a_nonexistent_content_item_is_refused(ambassador_user: Any) -> None:
    response = api_for(ambassador_user).post(
        "/api/shares/", {"content_item": 999_999, "network": "sandbox", "text": CAPTION}
    )

    assert response.status_code == 400
    assert detail(response) == "No such content item."


def test_an_unpublished_item_is_refused_without_revealing_its_title(ambassador_user: Any) -> None:
    draft = ContentItemFactory(title="Secret plans", status="draft", published_at=None)

    response = share(ambassador_user, draft)

    assert response.status_code == 400
    assert detail(response) == "This item is not available for sharing."
    assert response.json()["code"] == "item_not_published"
    assert "Secret plans" not in response.content.decode()


def test_an_item_for_another_team_is_refused_without_revealing_its_title(
    ambassador_user: Any,
) -> None:
    theirs = ContentItemFactory(title="Sales kick-off")
    theirs.audience.set([TeamFactory()])

    response = share(ambassador_user, theirs)

    assert response.status_code == 400
    assert detail(response) == "This item is not available for sharing."
    assert response.json()["code"] == "item_not_published"
    assert "Sales kick-off" not in response.content.decode()


def test_an_expired_item_is_refused(ambassador_user: Any) -> None:
    expired = ContentItemFactory(
        title="Last year's fair", available_until=timezone.now() - timedelta(hours=2)
    )

    response = share(ambassador_user, expired)

    assert response.status_code == 400
    assert detail(response).startswith("“Last year's fair” could be shared until ")
    assert detail(response).endswith("; it has expired.")


def test_an_item_that_is_not_available_yet_is_refused(ambassador_user: Any) -> None:
    later = ContentItemFactory(title="Embargoed", available_from=timezone.now() + timedelta(days=1))

    response = share(ambassador_user, later)

    assert response.status_code == 400
    assert detail(response).startswith("“Embargoed” can be shared from ")


def test_sharing_twice_to_the_same_account_is_refused(ambassador_user: Any, item: Any) -> None:
    assert share(ambassador_user, item).status_code == 201

    again = share(ambassador_user, item, text="Once more with feeling #employee")

    assert again.status_code == 400
    assert detail(again) == f"You already shared “{item.title}” to your Sandbox account."
    assert Share.objects.filter(user=ambassador_user).count() == 1


def test_sharing_to_a_network_i_did_not_connect_is_refused(ambassador_user: Any, item: Any) -> None:
    response = share(ambassador_user, item, network="x")

    assert response.status_code == 400
    assert detail(response) == "Connect your X account first."


def test_sharing_after_opting_out_is_refused(ambassador_user: Any, item: Any) -> None:
    client = api_for(ambassador_user)
    assert client.post("/api/me/opt-out/").status_code == 200

    response = share(ambassador_user, item)

    assert response.status_code == 400
    assert detail(response) == (
        "You are not opted in as an ambassador. Opt in on the policy page to share."
    )


def test_sharing_before_acknowledging_a_new_policy_version_is_refused(
    ambassador_user: Any, item: Any, policy: Any
) -> None:
    marketing = api_for(marketing_user())
    marketing.put(
        "/api/policy/draft/",
        {"title": "Policy v2", "body": "# New rules", "rules": {}},
        format="json",
    )
    new_number = marketing.post("/api/policy/draft/publish/").json()["number"]
    client = api_for(ambassador_user)

    refused = share(ambassador_user, item)
    client.post("/api/policy/current/acknowledge/", {"version": new_number}, format="json")
    accepted = share(ambassador_user, item)

    assert refused.status_code == 400
    assert detail(refused) == (
        f"The fair-use policy changed (version {new_number}). Read and acknowledge it before "
        "your next share."
    )
    assert refused.json()["code"] == "policy_not_acknowledged"
    assert accepted.status_code == 201
    assert accepted.json()["policy_version"] == new_number


# --- Caption and link rules (a policy with every rule) --------------------------------------


@pytest.fixture
def strict_ambassador(strict_policy: Any) -> Any:
    return ambassador(username="sam")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "#employee " + "a" * 300,
            "Sandbox allows 280 characters; with the link this caption has 335. Shorten it by 55.",
        ),
        (
            "Read the confidential memo #employee",
            "“confidential” may not be used in posts about the company.",
        ),
        ("Proud of this", "Add “#employee” so your network knows you work here."),
        (
            "More on https://evil.example/story #employee",
            "Links to evil.example are not allowed by the policy (allowed: example.com).",
        ),
        ("Try javascript:alert(1) #employee", "Only http:// and https:// links can be posted."),
        ("   ", "Write a caption: a personal note works best."),
    ],
)
@ON_A_DOMAIN
def test_a_caption_that_breaks_a_hard_rule_is_refused(
    strict_ambassador: Any, text: str, message: str
) -> None:
    response = share(strict_ambassador, ContentItemFactory(), text=text)

    assert response.status_code == 400
    assert detail(response) == message
    assert response.json()["code"] == "policy"
    assert not Share.objects.filter(user=strict_ambassador).exists()


def test_every_broken_rule_is_listed_at_once(strict_ambassador: Any) -> None:
    response = share(strict_ambassador, ContentItemFactory(), text="confidential stuff")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        "“confidential” may not be used in posts about the company.",
        "Add “#employee” so your network knows you work here.",
    ]
    assert response.json()["code"] == "policy"


def test_an_item_linking_outside_the_allowed_domains_is_refused(strict_ambassador: Any) -> None:
    item = ContentItemFactory(url="https://elsewhere.example/story")

    response = share(strict_ambassador, item)

    assert response.status_code == 400
    assert detail(response) == (
        "Links to elsewhere.example are not allowed by the policy (allowed: example.com)."
    )
    assert response.json()["code"] == "policy"


def test_sharing_more_than_the_daily_maximum_is_refused(strict_ambassador: Any) -> None:
    for _ in range(3):
        assert share(strict_ambassador, ContentItemFactory()).status_code == 201

    response = share(strict_ambassador, ContentItemFactory())

    assert response.status_code == 400
    assert detail(response) == (
        "You reached today's maximum of 3 shares set by the fair-use policy. Share again tomorrow, or schedule it for later."
    )
    assert response.json()["code"] == "daily_maximum"


def test_a_cancelled_share_does_not_count_towards_the_daily_maximum(
    strict_ambassador: Any,
) -> None:
    first = share(strict_ambassador, ContentItemFactory()).json()
    api_for(strict_ambassador).post(f"/api/shares/{first['id']}/cancel/")
    for _ in range(3):
        assert share(strict_ambassador, ContentItemFactory()).status_code == 201


def test_an_unknown_network_is_refused(ambassador_user: Any, item: Any) -> None:
    response = share(ambassador_user, item, network="myspace")

    assert response.status_code == 400
    assert detail(response) == 'network: "myspace" is not a valid choice.'
    assert response.json()["code"] == "invalid"
    assert NetworkAccount.objects.filter(user=ambassador_user).count() == 1
