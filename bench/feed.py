"""Feed benchmark: the ambassador feed's cost must not grow with the size of the library.

Builds a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL), fills it
with N published content items across teams and topics plus one ambassador's past shares, and
times `feed_for_user` (median of repeated runs) and counts its queries, for a small and a large
library. Both sizes exceed the feed's candidate window (2 x 300 items), so the ratio shows
whether the cost grows with the library (target: the large library costs at most 2x the small one).

    .venv/bin/python bench/feed.py [--small 200] [--large 20000] [--repeat 15]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402


def fill(count: int) -> object:
    from advocacy.models import Share, Team, User
    from campaigns.models import ContentItem, Topic
    from policy.models import PolicyVersion

    policy = PolicyVersion.objects.create(
        number=1, status="published", body="x", published_at=timezone.now()
    )
    teams = [Team.objects.create(name=f"team {i}") for i in range(20)]
    topics = [Topic.objects.create(name=f"topic {i}") for i in range(30)]
    user = User.objects.create(username="bench", ambassador_since=timezone.now())
    user.teams.add(teams[0])
    user.interests.add(*topics[:3])
    now = timezone.now()
    items = ContentItem.objects.bulk_create(
        ContentItem(
            title=f"item {i}",
            url=f"https://example.com/{i}",
            caption_x="x",
            status="published",
            published_at=now - timezone.timedelta(minutes=i),
        )
        for i in range(count)
    )
    through_topics = ContentItem.topics.through
    through_topics.objects.bulk_create(
        through_topics(contentitem_id=item.pk, topic_id=topics[i % len(topics)].pk)
        for i, item in enumerate(items)
    )
    through_audience = ContentItem.audience.through
    through_audience.objects.bulk_create(
        through_audience(contentitem_id=item.pk, team_id=teams[i % len(teams)].pk)
        for i, item in enumerate(items)
        if i % 3
    )
    Share.objects.bulk_create(
        Share(
            user=user,
            network="sandbox",
            content_item=item,
            text="x",
            policy_version=policy,
            scheduled_at=now,
            status="published",
            code=f"c{i:07d}",
        )
        for i, item in enumerate(items[: min(200, count // 4)])
    )
    return user


def measure(count: int, repeat: int) -> tuple[float, int]:
    from advocacy.models import Share, Team, User
    from campaigns.models import ContentItem, Topic
    from campaigns.selectors import feed_for_user
    from policy.models import PolicyVersion

    for model in (Share, ContentItem, User, Team, Topic, PolicyVersion):
        model.objects.all().delete()
    user = fill(count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have done on a live database
    feed_for_user(user=user)  # warm up
    with CaptureQueriesContext(connection) as queries:
        feed_for_user(user=user)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        feed_for_user(user=user)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        small_time, small_queries = measure(args.small, args.repeat)
        large_time, large_queries = measure(args.large, args.repeat)
    finally:
        teardown_databases(old, verbosity=0)
    print(f"database: {connection.vendor}")
    print(
        f"feed, {args.small:>6} items: median {small_time * 1000:8.2f} ms, {small_queries} queries"
    )
    print(
        f"feed, {args.large:>6} items: median {large_time * 1000:8.2f} ms, {large_queries} queries"
    )
    print(f"ratio large/small: {large_time / small_time:.2f} (target <= 2.0)")


if __name__ == "__main__":
    main()
