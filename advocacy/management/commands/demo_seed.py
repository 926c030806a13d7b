"""Load the demo data `make demo` starts with. Safe to run again: it changes nothing that
already exists."""

from datetime import time, timedelta
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from advocacy.models import Team, User
from advocacy.roles import LEADERSHIP, MARKETING
from advocacy.services import account_connect_sandbox, ambassador_opt_in, queue_slots_set
from campaigns.models import Campaign, ContentItem, Suggestion, Topic
from campaigns.services import (
    campaign_save,
    content_item_save,
    content_item_set_status,
    suggestion_create,
    topic_create,
)
from campaigns.variants import variant_create
from policy.selectors import policy_current
from policy.services import policy_acknowledge, policy_draft_save, policy_publish

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

        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            "Logins (password “demo”): marketing, motivator, ambassador, ambassador2, leader"
        )

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
