"""A network paused for the whole installation: LinkedIn refusing the configured API version
(426) and X's spent pay-per-use credits (402). Shares wait, nothing fails, the people who can
act are told once, and the shares go out once the cause is gone. Also LinkedIn's two kinds of
429. The providers run for real; LinkedIn and X are faked at the `requests` layer."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import responses
import time_machine
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advocacy.models import NetworkAccount, NetworkPause, Share, User
from advocacy.networks.pauses import network_pause_start
from advocacy.publishing.dispatch import shares_dispatch_due
from advocacy.publishing.publish import share_publish
from advocacy.sharing.shares import share_create
from tests import factories
from tests.conftest import api_for, client_for

pytestmark = pytest.mark.django_db

LINKEDIN_POSTS = "https://api.linkedin.com/rest/posts"
X_POSTS = "https://api.twitter.com/2/tweets"
RETIRED = {
    "status": 426,
    "code": "NONEXISTENT_VERSION",
    "message": "Requested version 202510 is not active",
}
CREDITS_DEPLETED = {
    "title": "CreditsDepleted",
    "detail": "Your enrolled account does not have any credits",
    "type": "https://api.x.com/2/problems/credits",
}


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def connected(network: str, username: str) -> User:
    user = factories.ambassador(username=username, connect=False)
    NetworkAccount.objects.create(
        user=user,
        network=network,
        external_id=f"{network}-{username}",
        display_name=username,
        access_token=f"token-{username}",
        refresh_token="refresh" if network == "x" else "",
        token_expires_at=timezone.now() + timedelta(hours=2),
        scopes="tweet.read tweet.write users.read offline.access"
        if network == "x"
        else "openid profile email w_member_social",
    )
    return user


def shares_on(network: str, count: int, who: str = "") -> list[Share]:
    return [
        share_create(
            user=connected(network, f"{who}{network}{n}"),
            item=factories.ContentItemFactory(),
            network=network,
            text=f"Proud of the team, take {n} #employee",
        )
        for n in range(count)
    ]


def publish_all(shares: list[Share]) -> list[Share]:
    for share in shares:
        share_publish(share_id=share.pk, attempt_id=f"attempt-{share.pk}")
    return [Share.objects.get(pk=share.pk) for share in shares]


def linkedin_posted(rsps: responses.RequestsMock) -> None:
    rsps.upsert(
        responses.POST, LINKEDIN_POSTS, status=201, headers={"x-restli-id": "urn:li:share:7"}
    )


def x_posted(rsps: responses.RequestsMock) -> None:
    rsps.upsert(responses.POST, X_POSTS, status=201, json={"data": {"id": "42", "text": "t"}})


@pytest.fixture
def people(policy: object) -> dict[str, User]:
    return {
        "operator": factories.UserFactory(username="ops", is_staff=True),
        "staff_without_email": factories.UserFactory(username="ops2", is_staff=True, email=""),
        "marketer": factories.marketing_user(username="mara"),
        "leader": factories.leadership_user(username="lea"),
    }


# --- LinkedIn's retired API version -------------------------------------------------------------
@override_settings(LINKEDIN_VERSION="202510")
def test_a_retired_linkedin_version_makes_every_share_wait_and_tells_staff_once(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(LINKEDIN_POSTS, status=426, json=RETIRED)
    shares = shares_on("linkedin", 3)

    waiting = publish_all(shares)

    for share in waiting:
        assert share.status == Share.Status.SCHEDULED
        assert share.problem == Share.Problem.API_VERSION
        assert share.attempts == 0  # not the ambassador's failure: no attempt spent
        assert share.enqueued_at is None and share.next_attempt_at is None
        assert "LinkedIn is paused for the whole company" in share.error
        assert "once an administrator updates" in share.error
    # The first refusal paused LinkedIn; the other two waited without asking LinkedIn again.
    assert len(rsps.calls) == 1
    pause = NetworkPause.objects.get()
    assert (pause.network, pause.reason, pause.detail) == ("linkedin", "api_version", "202510")
    # One email, to the staff who have an address; not to marketing or the ambassadors.
    assert [message.to for message in mail.outbox] == [["ops@example.com"]]
    email = mail.outbox[0]
    assert "202510" in email.subject
    assert "retired it on 2026-10-15" in email.body
    assert "Set LINKEDIN_VERSION to a version LinkedIn supports (for example 202609" in email.body
    assert "Restart the web and worker processes" in email.body
    assert "Requested version 202510 is not active" in email.body


@override_settings(LINKEDIN_VERSION="202510")
def test_shares_refused_at_the_same_moment_send_one_email_between_them(
    people: dict[str, User],
) -> None:
    # Several workers had each sent a share before the first refusal was recorded.
    for _ in range(4):
        network_pause_start(network="linkedin", reason="api_version", message="426")

    assert len(mail.outbox) == 1
    assert NetworkPause.objects.count() == 1


@override_settings(LINKEDIN_VERSION="202510")
def test_the_dispatcher_sends_no_linkedin_share_while_the_version_is_refused(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(LINKEDIN_POSTS, status=426, json=RETIRED)
    publish_all(shares_on("linkedin", 2))
    other = share_create(
        user=factories.ambassador(username="sandy"),
        item=factories.ContentItemFactory(),
        network="sandbox",
        text="Not on LinkedIn #employee",
    )
    Share.objects.filter(pk=other.pk).update(enqueued_at=None)

    # Other networks go on; LinkedIn's shares stay where they are.
    assert shares_dispatch_due(now=timezone.now() + timedelta(hours=3)) == 1
    assert Share.objects.filter(network="linkedin", enqueued_at__isnull=False).count() == 0


def test_the_pause_lifts_once_the_processes_send_another_version_and_the_shares_go_out(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(LINKEDIN_POSTS, status=426, json=RETIRED)
    with override_settings(LINKEDIN_VERSION="202510"):
        shares = publish_all(shares_on("linkedin", 3))
        assert shares_dispatch_due() == 0

    # The operator set LINKEDIN_VERSION=202607 and restarted: the dispatcher lifts the pause.
    linkedin_posted(rsps)
    assert shares_dispatch_due() == 3
    assert not NetworkPause.objects.exists()

    published = publish_all(shares)
    for share in published:
        assert share.status == Share.Status.PUBLISHED
        assert share.problem == "" and share.error == ""
    assert rsps.calls[-1].request.headers["LinkedIn-Version"] == "202607"
    assert not any(share.status == Share.Status.FAILED for share in Share.objects.all())
    assert len(mail.outbox) == 1  # the one email about the pause, nothing more


@override_settings(LINKEDIN_VERSION="202510")
def test_the_ambassadors_share_page_says_linkedin_is_paused_not_that_the_share_failed(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(LINKEDIN_POSTS, status=426, json=RETIRED)
    (share,) = publish_all(shares_on("linkedin", 1))

    page = client_for(share.user).get(f"/shares/{share.pk}/").content.decode()

    assert "LinkedIn is paused for the whole company" in page
    assert 'class="error">LinkedIn is paused' not in page
    assert "failed" not in page.lower()


def test_a_share_that_fell_due_during_the_pause_says_why_it_waits(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(X_POSTS, status=402, json=CREDITS_DEPLETED)
    publish_all(shares_on("x", 1))
    # Due now, but the dispatcher sends none of a paused network's shares: never tried.
    (untried,) = shares_on("x", 1, who="later")
    shares_dispatch_due()

    page = client_for(untried.user).get(f"/shares/{untried.pk}/").content.decode()

    assert Share.objects.get(pk=untried.pk).error == ""
    assert "X is paused for the whole company" in page


# --- X's spent credits ------------------------------------------------------------------------
def test_spent_x_credits_make_shares_wait_and_tell_marketing_once(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(X_POSTS, status=402, json=CREDITS_DEPLETED)
    shares = shares_on("x", 3)

    waiting = publish_all(shares)

    pause = NetworkPause.objects.get()
    assert (pause.network, pause.reason) == ("x", "credits")
    assert abs((pause.resume_at - (timezone.now() + timedelta(hours=1))).total_seconds()) < 60
    for share in waiting:
        assert share.status == Share.Status.SCHEDULED
        assert share.problem == Share.Problem.CREDITS
        assert share.attempts == 0
        assert share.cost is None  # the budget reservation was given back
        assert share.next_attempt_at == pause.resume_at
        assert "X is paused for the whole company" in share.error
    assert len(rsps.calls) == 1
    assert [message.to for message in mail.outbox] == [["mara@example.com"]]
    assert "Credits topped up" in mail.outbox[0].body
    assert "/manage/budget/" in mail.outbox[0].body


def test_x_shares_go_again_by_themselves_after_the_interval(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(X_POSTS, status=402, json=CREDITS_DEPLETED)
    shares = publish_all(shares_on("x", 2))
    assert shares_dispatch_due(now=timezone.now() + timedelta(minutes=59)) == 0

    x_posted(rsps)
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert shares_dispatch_due() == 2
        published = publish_all(shares)

    assert all(share.status == Share.Status.PUBLISHED for share in published)
    assert not NetworkPause.objects.exists()  # a post went out: the pause is over


def test_a_402_again_after_the_interval_waits_again_without_a_second_email(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(X_POSTS, status=402, json=CREDITS_DEPLETED)
    (share,) = publish_all(shares_on("x", 1))

    later = timezone.now() + timedelta(minutes=61)
    with time_machine.travel(later):
        assert shares_dispatch_due() == 1
        (share,) = publish_all([share])

    assert share.problem == Share.Problem.CREDITS and share.attempts == 0
    pause = NetworkPause.objects.get()
    assert pause.resume_at > later + timedelta(minutes=59)
    assert len(mail.outbox) == 1


def test_a_402_after_a_post_went_out_is_a_new_pause_and_marketing_is_told_again(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(X_POSTS, status=402, json=CREDITS_DEPLETED)
    first, second = shares_on("x", 2)
    publish_all([first])
    NetworkPause.objects.update(resume_at=timezone.now())  # the interval passed
    x_posted(rsps)
    publish_all([second])  # went out: the credits were topped up
    assert len(mail.outbox) == 1

    rsps.replace(responses.POST, X_POSTS, status=402, json=CREDITS_DEPLETED)
    later = timezone.now() + timedelta(days=3)
    with time_machine.travel(later):
        publish_all(shares_on("x", 1, who="later"))

    assert len(mail.outbox) == 2


def test_marketing_sends_the_waiting_x_shares_at_once_with_credits_topped_up(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(X_POSTS, status=402, json=CREDITS_DEPLETED)
    shares = publish_all(shares_on("x", 2))
    marketing = client_for(people["marketer"])

    page = marketing.get("/manage/budget/").content.decode()
    assert "the X API credits are spent" in page
    assert "/manage/budget/x/credits-topped-up/" in page
    response = marketing.post("/manage/budget/x/credits-topped-up/", follow=True)

    assert response.redirect_chain[-1][0] == "/manage/budget/"
    assert "2 waiting shares go out again now" in response.content.decode()
    # The pause stays until a post succeeds, but it no longer holds: the page says so.
    assert "the X API credits are spent" not in response.content.decode()
    assert shares_dispatch_due() == 2
    # Still spent after all: the shares wait again, and marketing is not emailed twice.
    publish_all(shares)
    assert len(mail.outbox) == 1
    assert all(
        share.problem == Share.Problem.CREDITS for share in Share.objects.filter(network="x")
    )


def test_the_credits_button_is_marketings_alone(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(X_POSTS, status=402, json=CREDITS_DEPLETED)
    (share,) = publish_all(shares_on("x", 1))
    url = "/manage/budget/x/credits-topped-up/"

    assert client_for(share.user).post(url).status_code == 404
    assert client_for(people["leader"]).post(url).status_code == 403
    assert client_for(people["marketer"]).get(url).status_code == 405
    assert (
        client_for(people["marketer"])
        .post("/manage/budget/linkedin/credits-topped-up/")
        .status_code
        == 404
    )
    # Nothing moved: the share still waits for the automatic try.
    assert Share.objects.get(pk=share.pk).next_attempt_at == share.next_attempt_at


def test_the_credits_button_needs_the_csrf_token(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    client = client_for(people["marketer"])
    client.handler.enforce_csrf_checks = True

    assert client.post("/manage/budget/x/credits-topped-up/").status_code == 403


def test_marketing_can_say_credits_topped_up_through_the_api(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(X_POSTS, status=402, json=CREDITS_DEPLETED)
    (share,) = publish_all(shares_on("x", 1))

    refused = api_for(share.user).post("/api/budgets/x/credits-topped-up/")
    response = api_for(people["marketer"]).post("/api/budgets/x/credits-topped-up/")

    assert refused.status_code == 403
    assert response.status_code == 200
    assert response.json() == {"network": "x", "waiting_shares": 1}
    assert shares_dispatch_due() == 1


# --- the banner --------------------------------------------------------------------------------
def test_marketing_sees_the_x_pause_with_the_button_and_ambassadors_see_no_banner(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(X_POSTS, status=402, json=CREDITS_DEPLETED)
    (share,) = publish_all(shares_on("x", 1))

    for_marketing = client_for(people["marketer"]).get("/").content.decode()
    for_leadership = client_for(people["leader"]).get("/").content.decode()
    for_ambassador = client_for(share.user).get("/").content.decode()

    assert "X posting is paused" in for_marketing
    assert "Credits topped up" in for_marketing
    assert "X posting is paused" not in for_leadership  # neither staff nor marketing
    assert "network-pauses" not in for_ambassador


@override_settings(LINKEDIN_VERSION="202510")
def test_staff_see_the_linkedin_pause_and_the_failed_check_on_the_admin(
    people: dict[str, User],
) -> None:
    network_pause_start(network="linkedin", reason="api_version", message="426")
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)

    page = client_for(admin).get("/admin/").content.decode()

    assert "LinkedIn posting is paused: LinkedIn refuses API version 202510" in page
    assert "LinkedIn retired API version 202510 (LINKEDIN_VERSION) on 2026-10-15" in page


def test_the_banner_escapes_what_it_shows(people: dict[str, User]) -> None:
    with override_settings(LINKEDIN_VERSION="<script>alert(1)</script>"):
        network_pause_start(network="linkedin", reason="api_version", message="x")
        page = client_for(people["operator"]).get("/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- the publishing path stays as cheap as it was ----------------------------------------------
def test_a_share_on_a_network_that_is_not_paused_reads_no_pause_of_its_own(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    x_posted(rsps)
    (share,) = shares_on("x", 1)

    with CaptureQueriesContext(connection) as queries:
        share_publish(share_id=share.pk, attempt_id="attempt-1")

    reading_pauses = [q["sql"] for q in queries if "networkpause" in q["sql"].lower()]
    # Only the EXISTS inside the share's own SELECT: no extra round trip.
    assert len(reading_pauses) == 1
    assert "advocacy_share" in reading_pauses[0].lower()
    assert Share.objects.get(pk=share.pk).status == Share.Status.PUBLISHED


# --- LinkedIn's two kinds of 429 --------------------------------------------------------------
def test_a_linkedin_429_is_retried_after_minutes_and_only_a_repeated_one_waits_for_midnight(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(
        LINKEDIN_POSTS,
        status=429,
        json={
            "status": 429,
            "message": "Resource level throttle limit for calls to this resource is reached.",
        },
    )
    start = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    waits = []
    with time_machine.travel(start, tick=False) as clock:
        (share,) = shares_on("linkedin", 1)  # due at the travelled time, whatever the real one
        for _ in range(4):
            Share.objects.filter(pk=share.pk).update(next_attempt_at=None)
            now = timezone.now()
            (share,) = publish_all([share])
            assert share.status == Share.Status.SCHEDULED
            assert share.problem == Share.Problem.RATE_LIMIT
            waits.append(share.next_attempt_at - now)
            clock.shift(waits[-1])

        # Three short tries with back-off (2, 4, 8 minutes at most, with jitter) ...
        assert timedelta(seconds=89) < waits[0] <= timedelta(minutes=2)
        assert timedelta(minutes=2) < waits[1] <= timedelta(minutes=4)
        assert timedelta(minutes=5) < waits[2] <= timedelta(minutes=8)
        # ... then the daily limit: midnight UTC.
        assert share.next_attempt_at == datetime(2026, 12, 9, 0, 0, tzinfo=UTC)
        assert share.attempts == 4
        # A limit is never the share's failure, however often it is met: it keeps waiting.
        for _ in range(3):
            clock.shift(share.next_attempt_at - timezone.now())
            (share,) = publish_all([share])
            assert share.status == Share.Status.SCHEDULED
            assert share.next_attempt_at == timezone.now().replace(
                hour=0, minute=0, second=0, microsecond=0
            ) + timedelta(days=1)


def test_a_linkedin_429_naming_its_daily_limit_waits_for_midnight_at_once(
    rsps: responses.RequestsMock, people: dict[str, User]
) -> None:
    rsps.post(
        LINKEDIN_POSTS,
        status=429,
        json={
            "status": 429,
            "message": "Resource level throttle MEMBER DAY limit for calls to this resource is reached.",
        },
    )
    with time_machine.travel(datetime(2026, 12, 8, 9, 0, tzinfo=UTC), tick=False):
        (share,) = shares_on("linkedin", 1)
        (share,) = publish_all([share])

    assert share.next_attempt_at == datetime(2026, 12, 9, 0, 0, tzinfo=UTC)
    assert share.problem == Share.Problem.RATE_LIMIT and share.attempts == 1
