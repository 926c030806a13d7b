import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.utils.timezone import override as timezone_override

from advocacy.clicks import stream as clickstream
from advocacy.clicks.count import bot_family, visitor_salts_purge
from advocacy.clicks.flush import clicks_flush
from advocacy.models import Click
from tests import factories

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
PREVIEW_BOTS = [
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Twitterbot/1.0",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "TelegramBot (like TwitterBot)",
    "WhatsApp/2.23.20.0",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
]


@pytest.fixture(autouse=True)
def own_click_stream(settings):
    """With REDIS_URL set (as in CI) clicks go through a Redis stream: each test gets a
    stream of its own, and `counted()` flushes it before the database is looked at."""
    settings.CLICK_STREAM_KEY = f"test:clicks:{uuid.uuid4().hex}"
    yield
    if clickstream.enabled():
        clickstream.client().delete(settings.CLICK_STREAM_KEY)


def counted() -> type[Click]:
    clicks_flush()
    return Click


@pytest.fixture
def share(policy):
    campaign = factories.CampaignFactory(utm_campaign="spring")
    item = factories.ContentItemFactory(
        url="https://example.com/post?ref=home&utm_source=old", campaign=campaign
    )
    return factories.ShareFactory(content_item=item, network="x")


def test_it_redirects_to_the_item_with_utm_parameters_and_counts_one_click(client, share):
    response = client.get(f"/r/{share.code}", HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc, location.path) == ("https", "example.com", "/post")
    assert parse_qs(location.query) == {
        "ref": ["home"],
        "utm_source": ["x"],
        "utm_medium": ["employee-advocacy"],
        "utm_campaign": ["spring"],
        "utm_content": [f"share-{share.code}"],
    }
    assert counted().objects.filter(share=share, is_bot=False).count() == 1


@pytest.mark.parametrize("agent", PREVIEW_BOTS)
def test_link_preview_bots_are_redirected_but_not_counted_as_clicks(client, share, agent):
    response = client.get(f"/r/{share.code}", HTTP_USER_AGENT=agent)

    assert response.status_code == 302
    assert not counted().objects.filter(is_bot=False).exists()
    assert counted().objects.get().is_bot


def test_an_unknown_code_is_a_404_and_never_a_redirect(client, share):
    response = client.get("/r/doesnotexist", HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 404
    assert "Location" not in response


def test_no_ip_address_or_user_agent_is_stored(client, share):
    client.get(f"/r/{share.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.77")
    assert counted().objects.count() == 1

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            dump = repr(cursor.fetchall())
            assert "203.0.113.77" not in dump, table
            assert "Chrome/131.0" not in dump, table


def test_the_same_visitor_gets_the_same_hash_on_one_day(client, share):
    client.get(f"/r/{share.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.77")
    client.get(f"/r/{share.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.77")
    client.get(f"/r/{share.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.1")

    hashes = list(counted().objects.values_list("visitor_hash", flat=True))
    assert len(set(hashes)) == 2


def test_the_same_visitor_gets_another_hash_after_the_companys_midnight(
    client, share, settings, time_machine
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    settings.TIME_ZONE = "Europe/Amsterdam"
    amsterdam = ZoneInfo("Europe/Amsterdam")
    time_machine.move_to(datetime(2026, 12, 2, 23, 59, 50, tzinfo=amsterdam), tick=False)
    client.get(f"/r/{share.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.77")
    time_machine.move_to(datetime(2026, 12, 3, 0, 0, 10, tzinfo=amsterdam), tick=False)
    # A request in another time zone (a user's own) does not move the company's day back.
    with timezone_override("America/Los_Angeles"):
        client.get(f"/r/{share.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.77")

    hashes = list(counted().objects.order_by("pk").values_list("visitor_hash", flat=True))
    assert len(hashes) == 2
    assert hashes[0] != hashes[1]


def test_a_clock_set_back_a_day_gives_that_days_date(settings, time_machine):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from advocacy.clicks.count import _local_today

    settings.TIME_ZONE = "Europe/Amsterdam"
    amsterdam = ZoneInfo("Europe/Amsterdam")
    time_machine.move_to(datetime(2026, 12, 3, 12, 0, tzinfo=amsterdam), tick=False)
    assert _local_today() == date(2026, 12, 3)
    time_machine.move_to(datetime(2026, 12, 2, 12, 0, tzinfo=amsterdam), tick=False)
    assert _local_today() == date(2026, 12, 2)


def test_a_head_request_is_not_a_click(client, share):
    assert client.head(f"/r/{share.code}", HTTP_USER_AGENT=BROWSER).status_code == 302
    assert not counted().objects.exists()


def test_a_cancelled_share_has_no_working_link(client, share):
    share.status = "cancelled"
    share.save()

    assert client.get(f"/r/{share.code}", HTTP_USER_AGENT=BROWSER).status_code == 404


def test_old_salts_are_purged(client, share):
    from datetime import timedelta

    from django.utils import timezone

    from advocacy.models import VisitorSalt

    VisitorSalt.objects.create(day=timezone.localdate() - timedelta(days=3), salt="old")
    VisitorSalt.objects.create(day=timezone.localdate(), salt="today")

    assert visitor_salts_purge() == 1
    assert list(VisitorSalt.objects.values_list("salt", flat=True)) == ["today"]


def test_an_empty_user_agent_counts_as_automated():
    assert bot_family("") == "empty"
    assert bot_family(BROWSER) is None
