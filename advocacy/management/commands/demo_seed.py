"""Load the demo data `make demo` starts with. Safe to run again: it changes nothing that
already exists."""

from datetime import time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from advocacy.models import Click, MetricSnapshot, Share, Team, User
from advocacy.networks.accounts import account_connect_sandbox
from advocacy.people.roles import LEADERSHIP, MARKETING
from advocacy.sharing.optin import ambassador_opt_in
from advocacy.sharing.queue import queue_slots_set
from campaigns.models import Campaign, ContentItem, Suggestion, Topic
from campaigns.services import (
    campaign_save,
    content_item_save,
    content_item_set_status,
    suggestion_create,
    topic_create,
)
from campaigns.variants import variant_create
from policy.models import PolicyVersion
from policy.selectors import policy_current
from policy.services import policy_acknowledge, policy_draft_save, policy_publish
from reports.models import NetworkValue
from reports.services.rollups import rollups_rebuild
from reports.services.values import network_value_save

PASSWORD = "demo"  # noqa: S105 - the documented demo password, for the local demo only

POLICY_BODY = """\
# Sharing about our work

Taking part is voluntary. If you would rather not post, you can still help by suggesting
content that your colleagues may share.

## Be yourself

Write in your own words. A short personal note says more than any slogan: why does this
matter to *you*?

## Be open

Say that you work here. Our disclosure tag does that for you in one word.

## Be careful

Do not share confidential numbers, customer names or anything about the share price.
When in doubt, ask marketing — we are glad to help.
"""

# Several captions per item, so colleagues are offered different words (see docs/scheduling.md).
VARIANTS = [
    "{title}: this is what I work on every day. #employee",
    "Proud of this one — {title}. #employee",
    "{title}. Curious what you think! #employee",
]

ITEMS = [
    ("Our new office opens in Utrecht", "https://example.com/news/utrecht-office", "Workplace"),
    ("How we cut our cloud bill by 30%", "https://example.com/blog/cloud-costs", "Engineering"),
    ("We are hiring: backend engineers", "https://example.com/careers/backend", "Careers"),
    ("Customer story: faster deliveries", "https://example.com/stories/deliveries", "Customers"),
]


# The Sales team's past shares: (days ago, who, item, network, potential reach, clicks by
# people, bot visits, (impressions, reactions, comments, reposts) or None when the network
# reported nothing).
HISTORY = [
    (38, "mo", 0, "sandbox", 480, 12, 2, None),
    (20, "abe", 0, "sandbox", 340, 18, 3, (900, 12, 2, 1)),
    (12, "mo", 0, "linkedin", 520, 25, 4, (1500, 30, 5, 3)),
    (6, "abe", 1, "linkedin", 340, 56, 6, (2100, 41, 7, 4)),
    (3, "sara", 0, "sandbox", 150, 7, 1, None),
    (1, "mo", 1, "sandbox", 520, 4, 0, None),
]
# Shares that failed, for the dashboard's learnings: (who, item, network, problem, message).
PROBLEMS = [
    (
        "sara",
        1,
        "linkedin",
        Share.Problem.RECONNECT,
        "Your LinkedIn connection expired. Reconnect it on “My networks”.",
    ),
    (
        "abe",
        2,
        "sandbox",
        Share.Problem.DUPLICATE_CAPTION,
        "The network refused a caption identical to an earlier post.",
    ),
]
# Earned media value per network (CPM, CPC, cost per engagement), in euros.
VALUES = {
    "linkedin": ("12", "1.50", "0.40"),
    "x": ("6", "0.80", "0.20"),
    "sandbox": ("5", "0.50", "0.10"),
}


class Command(BaseCommand):
    help = "Load demo users, a policy, a campaign and content (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        marketing_group, _ = Group.objects.get_or_create(name=MARKETING)
        marketing_group.permissions.set(
            Permission.objects.filter(content_type__app_label__in=["campaigns", "policy"])
        )
        Group.objects.get_or_create(name=LEADERSHIP)
        sales, _ = Team.objects.get_or_create(name="Sales")
        engineering, _ = Team.objects.get_or_create(name="Engineering")

        marketing = self._user("marketing", "Mara", "Marketing", staff=True)
        marketing.groups.add(marketing_group)
        leader = self._user("leader", "Lena", "Leadership")
        leader.groups.add(Group.objects.get(name=LEADERSHIP))
        motivator = self._user("motivator", "Mo", "Tivator", teams=[sales])
        ambassador = self._user("ambassador", "Amber", "Bassador", teams=[sales])
        ambassador2 = self._user("ambassador2", "Abe", "Bassador", teams=[sales])
        self._user("engineer", "Eve", "Engineer", teams=[engineering])
        sales.motivators.add(motivator)

        if policy_current() is None:
            draft = policy_draft_save(
                user=marketing,
                title="Fair-use social media policy",
                body=POLICY_BODY,
                blocked_terms=["confidential", "share price", "guaranteed returns"],
                required_disclosure="#employee",
                allowed_domains=["example.com"],
                max_shares_per_day=5,
                # No sharing hours in the demo, so it works whenever it is tried.
            )
            policy_publish(version=draft, user=marketing)
        topics = {
            name: Topic.objects.filter(name=name).first() or topic_create(name=name)
            for name in ("Workplace", "Engineering", "Careers", "Customers")
        }
        ambassador.interests.add(topics["Engineering"])

        today = timezone.localdate()
        campaign = Campaign.objects.filter(utm_campaign="autumn-launch").first() or campaign_save(
            name="Autumn launch",
            description="Tell the world what we shipped this autumn.",
            starts_on=today - timedelta(days=7),
            ends_on=today + timedelta(days=60),
            utm_campaign="autumn-launch",
            goal_metric=Campaign.Goal.CLICKS,
            goal_target=500,
            audience=[sales, engineering],
        )
        for title, url, topic in ITEMS:
            if ContentItem.objects.filter(url=url).exists():
                continue
            item = content_item_save(
                user=marketing,
                title=title,
                url=url,
                description=f"{title}. Read the whole story on our site.",
                caption_linkedin=f"{title} — proud to be part of this team. #employee",
                caption_x=f"{title} #employee",
                campaign=campaign,
                topics=[topics[topic]],
                available_until=timezone.now() + timedelta(days=60),
            )
            content_item_set_status(item=item, status=ContentItem.Status.PUBLISHED)
            for text in VARIANTS:
                variant_create(item=item, network="sandbox", text=text.format(title=title))

        if not Suggestion.objects.exists():
            suggestion_create(
                user=self._user("engineer", "Eve", "Engineer"),
                title="Our talk at the Python conference",
                url="https://example.com/talks/pycon",
                note="The recording is online; engineers in our network will like it.",
                caption="I learned a lot giving this talk. #employee",
                topic=topics["Engineering"],
            )

        policy = policy_current()
        assert policy is not None
        if not ambassador2.is_ambassador:
            policy_acknowledge(user=ambassador2, version=policy)
            ambassador_opt_in(user=ambassador2)
            ambassador2.refresh_from_db()
            account_connect_sandbox(user=ambassador2)
        if not ambassador2.queue_slots.exists():
            queue_slots_set(user=ambassador2, slots=[(1, time(8, 30)), (3, time(12, 15))])

        self._history(
            policy=policy,
            items=[ContentItem.objects.get(url=url) for _title, url, _topic in ITEMS],
            sales=sales,
            motivator=motivator,
            ambassador2=ambassador2,
        )

        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            "Logins (password “demo”): marketing, motivator, ambassador, ambassador2, sara, leader"
        )

    def _history(
        self,
        *,
        policy: PolicyVersion,
        items: list[ContentItem],
        sales: Team,
        motivator: User,
        ambassador2: User,
    ) -> None:
        """A few weeks of the Sales team's sharing, so the motivator's dashboard has something
        to tell: shares, clicks, network figures, a newcomer, a share past 50 clicks and two
        problems to learn from. Added once; the rollups are rebuilt every time."""
        sara = self._user("sara", "Sara", "Sales", teams=[sales])
        for person in (motivator, sara):
            if not person.is_ambassador:
                policy_acknowledge(user=person, version=policy)
                ambassador_opt_in(user=person)
                person.refresh_from_db()
                account_connect_sandbox(user=person)
        if not Share.objects.filter(user=motivator).exists():
            now = timezone.now()
            for days_ago, user, item, network, reach, people, bots, metrics in HISTORY:
                person = {"mo": motivator, "abe": ambassador2, "sara": sara}[user]
                published_at = now - timedelta(days=days_ago, hours=2)
                share = Share.objects.create(
                    user=person,
                    account=person.network_accounts.filter(network=network).first(),
                    network=network,
                    content_item=items[item],
                    text=VARIANTS[item % len(VARIANTS)].format(title=items[item].title),
                    status=Share.Status.PUBLISHED,
                    policy_version=policy,
                    scheduled_at=published_at,
                    published_at=published_at,
                    potential_reach=reach,
                )
                Click.objects.bulk_create(
                    Click(
                        share=share,
                        created_at=published_at + timedelta(hours=1 + n % 20),
                        is_bot=n >= people,
                        agent="linkedin" if n >= people else "browser",
                        visitor_hash="" if n >= people else f"demo-{share.pk}-{n % 40}",
                    )
                    for n in range(people + bots)
                )
                if metrics:
                    impressions, reactions, comments, reposts = metrics
                    MetricSnapshot.objects.create(
                        share=share,
                        taken_at=published_at + timedelta(days=1),
                        impressions=impressions,
                        reactions=reactions,
                        comments=comments,
                        reposts=reposts,
                    )
            for user, item, network, problem, error in PROBLEMS:
                person = {"mo": motivator, "abe": ambassador2, "sara": sara}[user]
                Share.objects.create(
                    user=person,
                    network=network,
                    content_item=items[item],
                    text=items[item].title,
                    status=Share.Status.FAILED,
                    policy_version=policy,
                    scheduled_at=now - timedelta(days=2),
                    problem=problem,
                    error=error,
                )
        for network, (cpm, cpc, cpe) in VALUES.items():
            if not NetworkValue.objects.filter(network=network).exists():
                network_value_save(
                    network=network, cpm=Decimal(cpm), cpc=Decimal(cpc), cpe=Decimal(cpe)
                )
        today = timezone.localdate()
        rollups_rebuild(since=today - timedelta(days=89), until=today)

    def _user(
        self,
        username: str,
        first: str,
        last: str,
        *,
        staff: bool = False,
        teams: list[Team] | None = None,
    ) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.com",
                "is_staff": staff,
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        if teams:
            user.teams.add(*teams)
        return user
